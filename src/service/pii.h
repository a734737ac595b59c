/*
 * pii.h - personal identifiers at rest: ID numbers, credit codes, mobiles.
 *
 * Values are encrypted with XSalsa20-Poly1305 (libsodium secretbox) under a key
 * derived from DATA/secret.key, and stored as base64(nonce || ciphertext). Exact
 * lookup ("find the person with this ID number") uses a blind index: a keyed BLAKE2b
 * of the normalized value under a second derived key, so equal values match without
 * the database ever holding them in clear. A stolen database without the key file
 * yields neither the values nor a way to test guesses against the index.
 */
#ifndef YC_PII_H
#define YC_PII_H

#include <stdbool.h>
#include <stddef.h>

#define PII_INDEX_LEN 65 /* hex + NUL */

/* Load the 32-byte key (64 hex characters) from key_path and derive the subkeys.
 * Must be called once before the other functions. 0 or < 0. */
int pii_init(const char *key_path);
/* Use a key given directly (tests). */
void pii_init_key(const unsigned char key[32]);
bool pii_ready(void);

/* Encrypt plain; returns a new base64 string (caller frees). */
char *pii_encrypt(const char *plain);
/* Decrypt into a new string (caller frees); NULL if the value was tampered with or
 * was encrypted under another key. */
char *pii_decrypt(const char *sealed);
/* Blind index of a value of a kind ("ident", "mobile"): the kind is mixed in so equal
 * strings of different kinds do not match. */
void pii_index(const char *kind, const char *value, char out[PII_INDEX_LEN]);

#endif
