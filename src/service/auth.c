/* auth.c - see auth.h. */
#include "service/auth.h"
#include "store/accounts.h"
#include "util/util.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

int auth_init(void)
{
    return sodium_init() < 0 ? YC_EIO : 0;
}

int auth_password_policy(const char *pw, const char *field, yc_err *e)
{
    size_t n = 0;
    bool letter = false, digit = false;
    for (const unsigned char *p = (const unsigned char *)pw; *p; p++) {
        if ((*p & 0xC0) != 0x80)
            n++;
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
            letter = true;
        if (*p >= '0' && *p <= '9')
            digit = true;
    }
    if (n < 8 || n > 128)
        return yc_fail(e, YC_EINVAL, 400, "PASSWORD_WEAK", field, "密码长度应为8至128个字符");
    if (!letter || !digit)
        return yc_fail(e, YC_EINVAL, 400, "PASSWORD_WEAK", field, "密码须同时包含字母和数字");
    return 0;
}

int auth_hash_password(const char *pw, char out[AUTH_HASH_MAX])
{
    _Static_assert(crypto_pwhash_STRBYTES <= AUTH_HASH_MAX, "hash buffer");
    if (crypto_pwhash_str_alg(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13))
        return YC_EIO; /* out of memory */
    return 0;
}

bool auth_verify_password(const char *hash, const char *pw)
{
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

static char dummy_hash[AUTH_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    if (auth_hash_password("no such user: timing only", dummy_hash))
        dummy_hash[0] = '\0';
}

void auth_verify_dummy(const char *pw)
{
    pthread_once(&dummy_once, make_dummy);
    if (dummy_hash[0])
        (void)auth_verify_password(dummy_hash, pw);
}

void auth_token_hash(const char *token, char hash[65])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(d, (const unsigned char *)token, strlen(token));
    yhex(d, sizeof(d), hash);
}

void auth_new_token(const char *prefix, char token[AUTH_TOKEN_MAX], char hash[65])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof(raw));
    size_t n = strlen(prefix);
    memcpy(token, prefix, n);
    sodium_bin2base64(token + n, AUTH_TOKEN_MAX - n, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    auth_token_hash(token, hash);
}

/*
 * Resolved sessions, per thread. Each HTTP worker thread has its own read connection, so
 * each keeps its own small cache: no locks. An entry answers only while nothing has been
 * committed to the database since it was filled (db_change_counter: any logout, password
 * change, role change, disabled user or new session is a commit by the writer thread, and
 * empties this cache before the next lookup), and only before its session expires. So a
 * revoked session is refused exactly as soon as without the cache; what the cache saves on
 * a hit is the SHA-256 of the token and two queries (session join user, roles).
 */
#define SESSION_CACHE 16

typedef struct session_entry {
    char token[AUTH_TOKEN_MAX];
    size_t token_len;
    int64_t expires_at;
    principal who;
} session_entry;

typedef struct session_cache {
    db_conn *conn;
    int64_t version;
    session_entry e[SESSION_CACHE];
} session_cache;

static pthread_key_t session_key;
static pthread_once_t session_once = PTHREAD_ONCE_INIT;

static void session_key_init(void)
{
    (void)pthread_key_create(&session_key, free);
}

/* This thread's cache, freed when the thread ends; NULL if out of memory. */
static session_cache *thread_sessions(void)
{
    (void)pthread_once(&session_once, session_key_init);
    session_cache *sc = pthread_getspecific(session_key);
    if (!sc && (sc = calloc(1, sizeof(*sc))) && pthread_setspecific(session_key, sc) != 0) {
        free(sc);
        sc = NULL;
    }
    return sc;
}

/* The slot for a token: its random part is uniformly distributed already. */
static size_t session_slot(const char *token, size_t n)
{
    size_t h = 5381;
    for (size_t i = n > 16 ? n - 16 : 0; i < n; i++)
        h = h * 33 + (unsigned char)token[i];
    return h % SESSION_CACHE;
}

int auth_resolve_session(db_conn *c, const char *token, int64_t now, principal *p)
{
    size_t n = strlen(token);
    int64_t version = db_change_counter(c);
    session_cache *sc = thread_sessions();
    bool cacheable = sc && version >= 0 && n < AUTH_TOKEN_MAX;
    if (cacheable && (sc->conn != c || sc->version != version)) {
        memset(sc->e, 0, sizeof(sc->e));
        sc->conn = c;
        sc->version = version;
    }
    session_entry *e = cacheable ? &sc->e[session_slot(token, n)] : NULL;
    if (e && e->token_len == n && now < e->expires_at && sodium_memcmp(e->token, token, n) == 0) {
        *p = e->who;
        return 0;
    }
    char hash[65];
    auth_token_hash(token, hash);
    int64_t expires_at = 0;
    int rc = accounts_session_load(c, hash, now, p, &expires_at);
    if (rc == 0 && e) {
        memcpy(e->token, token, n);
        e->token_len = n;
        e->expires_at = expires_at;
        e->who = *p;
    }
    return rc;
}

int auth_resolve_device(db_conn *c, const char *token, principal *p)
{
    if (strncmp(token, AUTH_DEVICE_PREFIX, strlen(AUTH_DEVICE_PREFIX)) != 0)
        return YC_EAUTH;
    char hash[65];
    auth_token_hash(token, hash);
    return accounts_device_load(c, hash, p);
}

int64_t auth_lock_until(int failed, int max_failed, int64_t lockout_ms, int64_t now)
{
    return failed >= max_failed ? now + lockout_ms : 0;
}
