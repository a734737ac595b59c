/*
 * smscode.h - SMS verification codes (短信验证码): a six-digit code sent through the
 * outbox to a mobile proves that whoever books online, or looks up their bookings,
 * holds that mobile (a known ID number alone is not enough).
 *
 * A code lives SMSCODE_TTL_MS and serves every booking action of its mobile meanwhile
 * (book, see my bookings, book another line); only the newest code of a mobile counts
 * (asking again replaces it); SMSCODE_MAX_TRIES wrong tries end it. A mobile gets at most one code
 * per SMSCODE_GAP_MS and SMSCODE_DAY_MAX a day; callers also limit codes per client address. The
 * code is never stored: only a keyed hash of the row id and the code, and the outbox blanks the SMS
 * body once it is sent.
 */
#ifndef YC_SERVICE_SMSCODE_H
#define YC_SERVICE_SMSCODE_H

#include "store/db.h"
#include "util/err.h"

#include <stdbool.h>
#include <stdint.h>

#define SMSCODE_TTL_MS    (10 * 60 * 1000)
#define SMSCODE_GAP_MS    (60 * 1000)
#define SMSCODE_DAY_MAX   10
#define SMSCODE_MAX_TRIES 5

typedef struct smscode_sent {
    int64_t id, expires_at;
    char code[7]; /* for the demo only (cli demo shows it; never in production) */
    char mobile_masked[24];
} smscode_sent;

/* Send a new code for purpose ("booking") to mobile (validated here: 400 MOBILE_*).
 * 429 SMS_TOO_SOON (within SMSCODE_GAP_MS of the last; the message says how long to
 * wait) or SMS_DAY_LIMIT. */
int smscode_send(db_conn *tx, const char *mobile, const char *purpose, int64_t now,
                 smscode_sent *out, yc_err *e);

/* Check code against the mobile's newest live code: 0 when it matches. Else an error
 * in e (400, field "sms_code"): SMS_CODE_FORMAT, SMS_CODE_NONE (none asked for, or
 * expired), SMS_CODE_LOCKED (too many wrong tries), SMS_CODE_WRONG; *recorded is true
 * when a wrong try was counted in tx, which the caller then commits although the
 * request failed. */
int smscode_check(db_conn *tx, const char *mobile, const char *purpose, const char *code,
                  int64_t now, bool *recorded, yc_err *e);

#endif
