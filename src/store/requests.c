/* requests.c - see requests.h. */
#include "store/requests.h"
#include "util/err.h"

static const struct {
    const char *find, *save;
} SQL[] = {
    [REQ_TICKET] = {"SELECT ticket_id FROM ticket_requests WHERE caller = $1 AND idem_key = $2",
                    "INSERT INTO ticket_requests (caller, idem_key, ticket_id, created_at)"
                    " VALUES ($1, $2, $3, $4)"},
    [REQ_BOOKING] = {"SELECT booking_id FROM booking_requests WHERE caller = $1 AND idem_key = $2",
                     "INSERT INTO booking_requests (caller, idem_key, booking_id, created_at)"
                     " VALUES ($1, $2, $3, $4)"},
};

int64_t requests_find(db_conn *c, req_kind kind, const char *caller, const char *key)
{
    db_stmt *q = db_prepare(c, SQL[kind].find);
    if (!q)
        return 0;
    db_bind_text(q, 1, caller);
    db_bind_text(q, 2, key);
    int64_t id = db_step(q) == DB_ROW ? db_col_int(q, 0) : 0;
    db_reset(q);
    return id;
}

int requests_save(db_conn *tx, req_kind kind, const char *caller, const char *key,
                  int64_t object_id, int64_t now)
{
    db_stmt *q = db_prepare(tx, SQL[kind].save);
    if (!q)
        return YC_EDB;
    db_bind_text(q, 1, caller);
    db_bind_text(q, 2, key);
    db_bind_int(q, 3, object_id);
    db_bind_int(q, 4, now);
    return db_run(q);
}
