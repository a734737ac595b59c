/*
 * audit.h - the tamper-evident action log (操作日志).
 *
 * Every write appends one row: who (actor, role, center, window, client address),
 * when, what (action, object, summary of the change). Row n stores
 *   hash_n = SHA-256(prev_hash || canonical(row n))
 * with prev_hash the previous row's hash (64 zeros for the first). Editing a row
 * breaks its hash; deleting one leaves a gap in seq and breaks the next prev_hash;
 * reordering breaks prev_hash; cutting rows off the end disagrees with the chain head
 * kept in meta (updated in the same transaction). audit_verify names the first bad row.
 */
#ifndef YC_AUDIT_H
#define YC_AUDIT_H

#include "store/db.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct audit_actor {
    const char *kind;        /* "user", "device", "system", "anonymous" */
    int64_t id;              /* user or device id, 0 if none */
    const char *name;        /* username or device name */
    const char *role;        /* role code acted in, "" if none */
    int64_t center_id;       /* 0 if none */
    int64_t window_no;       /* 0 if none */
    const char *client_addr; /* "" for the command line */
} audit_actor;

/* Append a row inside the caller's write transaction. summary is masked of personal
 * identifiers before it is stored. 0 or < 0. */
int audit_append(db_conn *tx, const audit_actor *a, const char *action, const char *object_type,
                 const char *object_id, const char *summary);

typedef struct audit_report {
    bool ok;
    int64_t rows;
    int64_t first_bad_seq; /* 0 when ok */
    char problem[256];     /* Chinese, for people */
} audit_report;

/* Check the whole chain. Returns 0 when the check ran (see out->ok), < 0 on error. */
int audit_verify(db_conn *c, audit_report *out);

/* Rows newest first, for the API: rows with seq < before (0 = from the newest); when
 * center_path is not NULL only rows of centers in that subtree. */
json_t *audit_list(db_conn *c, const char *center_path, int64_t before, int limit);

#endif
