/*
 * auth.h - passwords, tokens and sessions.
 *
 * Passwords are stored as argon2id hashes (libsodium's crypto_pwhash_str, interactive
 * limits). Session and device tokens are 32 random bytes shown to the client once; the
 * database keeps only their SHA-256, so a stolen copy of the database opens nothing.
 */
#ifndef YC_AUTH_H
#define YC_AUTH_H

#include "core/principal.h"
#include "store/db.h"
#include "util/err.h"

#include <stdbool.h>
#include <stddef.h>

#define AUTH_COOKIE        "yc_session"
#define AUTH_HASH_MAX      160
#define AUTH_TOKEN_MAX     80
#define AUTH_DEVICE_PREFIX "ycd_"

/* Call once before anything else (sodium_init). */
int auth_init(void);

/* Password rule: 8-128 characters, at least one letter and one digit. */
int auth_password_policy(const char *pw, const char *field, yc_err *e);
int auth_hash_password(const char *pw, char out[AUTH_HASH_MAX]);
bool auth_verify_password(const char *hash, const char *pw);
/* Spend the time of one real verification and fail: for unknown user names, so that
 * response timing does not tell which names exist. */
void auth_verify_dummy(const char *pw);

/* A fresh random token (prefix + 43 base64url chars) and the hex SHA-256 stored for it. */
void auth_new_token(const char *prefix, char token[AUTH_TOKEN_MAX], char hash[65]);
void auth_token_hash(const char *token, char hash[65]);

/* Fill p from a session token / device token; YC_EAUTH if not valid now. */
int auth_resolve_session(db_conn *c, const char *token, int64_t now, principal *p);
int auth_resolve_device(db_conn *c, const char *token, principal *p);

/* Lockout rule (pure): after a failed attempt with `failed` failures so far (this one
 * included), the instant until which the account is locked, or 0. */
int64_t auth_lock_until(int failed, int max_failed, int64_t lockout_ms, int64_t now);

#endif
