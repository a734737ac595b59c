/*
 * outbox.h - SQL for the outbox (发件箱): messages to the outside written in the same
 * transaction as the change that causes them, sent later by service/outbox.c.
 */
#ifndef YC_STORE_OUTBOX_H
#define YC_STORE_OUTBOX_H

#include "store/db.h"

#include <jansson.h>

typedef struct outbox_new {
    const char *channel; /* "sms" */
    const char *topic;   /* booking_confirm, remind_eve, remind_30, turn_near, ... */
    const char *ref;     /* unique: a second put with the same ref is ignored */
    int64_t center_id;   /* 0 = none */
    const char *to_cipher, *to_masked, *body;
    int64_t due_at, now;
} outbox_new;

/* Queue a message; *added (may be NULL) is false when ref was already queued. */
int outbox_put(db_conn *tx, const outbox_new *m, bool *added);
/* Cancel the pending messages whose ref starts with prefix. */
int outbox_cancel_prefix(db_conn *tx, const char *prefix);
/* Pending messages due at now, oldest due first (with to_cipher), at most limit. */
json_t *outbox_due(db_conn *c, int64_t now, int limit);
/* Record a send attempt: sent (the last error, if any, stays for operators), or failed
 * with error and the next try at retry_at (0 = give up). */
int outbox_mark(db_conn *tx, int64_t id, bool sent, const char *error, int64_t retry_at,
                int64_t now);
/* For operators: messages (no ciphertexts), optionally of one status or
 * whose ref starts with ref_prefix, of centers under center_path ("" = all), by id
 * after after_id. */
json_t *outbox_list(db_conn *c, const char *status, const char *ref_prefix, const char *center_path,
                    int64_t after_id, int limit);

#endif
