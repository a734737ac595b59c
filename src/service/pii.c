/* pii.c - see pii.h. */
#include "service/pii.h"
#include "util/err.h"
#include "util/log.h"
#include "util/util.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char enc_key[crypto_secretbox_KEYBYTES];
static unsigned char idx_key[crypto_generichash_KEYBYTES];
static bool ready;

void pii_init_key(const unsigned char key[32])
{
    /* Separate keys for separate jobs, so the index key cannot decrypt. */
    crypto_kdf_derive_from_key(enc_key, sizeof(enc_key), 1, "yc-pii--", key);
    crypto_kdf_derive_from_key(idx_key, sizeof(idx_key), 2, "yc-pii--", key);
    ready = true;
}

int pii_init(const char *key_path)
{
    FILE *f = fopen(key_path, "r");
    if (!f) {
        ylog_error("pii", "cannot read key file %s", key_path);
        return YC_EIO;
    }
    char hex[80] = "";
    bool got = fgets(hex, sizeof(hex), f) != NULL;
    fclose(f);
    unsigned char key[32];
    size_t n = 0;
    if (!got || sodium_hex2bin(key, sizeof(key), hex, strlen(hex), "\n", &n, NULL) || n != 32) {
        ylog_error("pii", "key file %s is not 64 hexadecimal characters", key_path);
        sodium_memzero(hex, sizeof(hex));
        return YC_EIO;
    }
    pii_init_key(key);
    sodium_memzero(key, sizeof(key));
    sodium_memzero(hex, sizeof(hex));
    return 0;
}

bool pii_ready(void)
{
    return ready;
}

char *pii_encrypt(const char *plain)
{
    size_t n = strlen(plain);
    size_t blen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
    unsigned char *box = xmalloc(blen);
    randombytes_buf(box, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, n, box,
                          enc_key);
    size_t outlen = sodium_base64_ENCODED_LEN(blen, sodium_base64_VARIANT_ORIGINAL);
    char *out = xmalloc(outlen);
    sodium_bin2base64(out, outlen, box, blen, sodium_base64_VARIANT_ORIGINAL);
    free(box);
    return out;
}

char *pii_decrypt(const char *sealed)
{
    size_t slen = strlen(sealed);
    unsigned char *box = xmalloc(slen + 1);
    size_t blen = 0;
    char *out = NULL;
    if (sodium_base642bin(box, slen + 1, sealed, slen, NULL, &blen, NULL,
                          sodium_base64_VARIANT_ORIGINAL) ||
        blen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
        goto fail;
    size_t n = blen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
    out = xmalloc(n + 1);
    if (crypto_secretbox_open_easy((unsigned char *)out, box + crypto_secretbox_NONCEBYTES,
                                   blen - crypto_secretbox_NONCEBYTES, box, enc_key)) {
        free(out);
        out = NULL;
        goto fail;
    }
    out[n] = '\0';
fail:
    free(box);
    return out;
}

void pii_index(const char *kind, const char *value, char out[PII_INDEX_LEN])
{
    unsigned char d[32];
    crypto_generichash_state st;
    crypto_generichash_init(&st, idx_key, sizeof(idx_key), sizeof(d));
    crypto_generichash_update(&st, (const unsigned char *)kind, strlen(kind) + 1);
    crypto_generichash_update(&st, (const unsigned char *)value, strlen(value));
    crypto_generichash_final(&st, d, sizeof(d));
    yhex(d, sizeof(d), out);
}
