/*
 * outbox.h - messages to the outside (SMS now; the provincial platform and mail
 * tracking later) through an outbox: a use case queues a row in its own write
 * transaction (so a message exists exactly when the change that causes it committed),
 * and a worker thread hands due rows to the configured sender, retrying with backoff.
 *
 * Delivery is at least once: a crash after the sender accepted a message but before
 * the row was marked sent sends it again after the restart, so every message carries
 * its unique ref (the webhook sends it as Idempotency-Key) for the receiver to drop
 * repeats.
 *
 * Senders: "file" appends one JSON line per message to a file (the default; the
 * recipient is written masked, as in every log), "webhook" POSTs JSON with the
 * recipient in clear to a gateway URL, signed with HMAC-SHA256 over the body
 * (header X-Yichuang-Signature: sha256=<hex>) when a secret is configured.
 */
#ifndef YC_SERVICE_OUTBOX_H
#define YC_SERVICE_OUTBOX_H

#include "store/outbox.h"
#include "store/store.h"

#include <stddef.h>

typedef struct outbox_msg {
    int64_t id;
    const char *channel, *topic, *ref;
    const char *to;        /* in clear */
    const char *to_masked; /* for logs */
    const char *body;
} outbox_msg;

typedef struct outbox_sender outbox_sender;
/* NULL (after printing why) when the file cannot be opened for appending. */
outbox_sender *outbox_sender_file(const char *path);
/* url http:// or https://; secret may be "" (no signature). */
outbox_sender *outbox_sender_webhook(const char *url, const char *secret, int timeout_ms);
void outbox_sender_free(outbox_sender *s);
/* Send one message: 0, or < 0 with err filled (a short English reason for the log). */
int outbox_send(outbox_sender *s, const outbox_msg *m, char *err, size_t errsize);

/* Queue an SMS to a sealed mobile (pii.h). A ref queued before is ignored. */
int outbox_sms(db_conn *tx, int64_t center_id, const char *topic, const char *ref,
               const char *to_cipher, const char *to_masked, const char *body, int64_t due_at,
               int64_t now);

typedef struct outbox_config {
    outbox_sender *sender; /* owned by the caller */
    int poll_ms;           /* how often due rows are looked for */
    int retry_s;           /* first retry after this; doubles each attempt, max 1 hour */
    int max_attempts;      /* then the row is failed and stays for an operator */
    /* Run on every pass (e.g. marking missed bookings), in a write transaction. */
    int (*sweep)(db_conn *tx, void *arg);
} outbox_config;

typedef struct outbox_worker outbox_worker;
int outbox_worker_start(store *st, const outbox_config *cfg, outbox_worker **out);
/* Finish the pass in progress and stop. */
void outbox_worker_stop(outbox_worker *w);
/* One pass now, on the calling thread: sweep, then send what is due. Returns how
 * many messages were attempted, or < 0 on a database error. */
int outbox_pass(store *st, const outbox_config *cfg);

#endif
