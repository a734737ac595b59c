/*
 * requests.h - Idempotency-Key records: which object an earlier request with the same
 * caller and key created, so a retried write answers that object instead of making a
 * second one. One table per kind of object (ticket_requests, booking_requests), so
 * each row's reference has its foreign key.
 */
#ifndef YC_STORE_REQUESTS_H
#define YC_STORE_REQUESTS_H

#include "store/db.h"

typedef enum { REQ_TICKET, REQ_BOOKING } req_kind;

/* The object an earlier request with this caller and key created, or 0. */
int64_t requests_find(db_conn *c, req_kind kind, const char *caller, const char *key);
/* Record that the request with this caller and key created object_id. */
int requests_save(db_conn *tx, req_kind kind, const char *caller, const char *key,
                  int64_t object_id, int64_t now);

#endif
