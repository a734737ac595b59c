/*
 * h_audit.c - reading and verifying the action log (操作日志). Reading is for
 * administrators and supervisors (电子监察), scoped to their subtree; rows without a
 * center (logins, system actions) are visible from a root center only.
 */
#include "api/handlers.h"
#include "store/audit.h"

#include <string.h>

#define READERS (ROLE_ADMIN | ROLE_SUPERVISOR)

void h_audit_list(api_req *r)
{
    int limit;
    int64_t cursor;
    if (api_page(r, &limit, &cursor))
        return;
    const char *root = api_root_scope(r, READERS) ? NULL : api_list_root(r, READERS);
    json_t *items = audit_list(api_db(r), root, cursor, limit);
    if (!items) {
        api_fail_db(r);
        return;
    }
    api_reply_json(r, 200, api_page_body(items, limit, "seq"));
}

void h_audit_verify(api_req *r)
{
    audit_report rep;
    if (audit_verify(api_db(r), &rep)) {
        api_fail_db(r);
        return;
    }
    json_t *o = json_pack("{s:b,s:I}", "ok", rep.ok, "rows", (json_int_t)rep.rows);
    if (!rep.ok) {
        json_object_set_new(o, "first_bad_seq", json_integer(rep.first_bad_seq));
        json_object_set_new(o, "problem", json_string(rep.problem));
    }
    api_reply_json(r, 200, o);
}
