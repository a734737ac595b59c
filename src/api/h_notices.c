/*
 * h_notices.c - center announcements (中心公告): managers post, staff of the center
 * and its hall displays read. Also the platform's smallest real read and write, which
 * the benchmarks use.
 */
#include "api/handlers.h"
#include "store/notices.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WRITERS (ROLE_ADMIN | ROLE_MANAGER)
#define READERS (ROLE_STAFF | ROLE_DISPLAY)

void h_notices_list(api_req *r)
{
    int limit;
    int64_t cursor, center_id;
    if (api_page(r, &limit, &cursor))
        return;
    const char *cid = api_query(r, "center_id");
    if (!cid) {
        api_fail(r, 400, "FIELD_REQUIRED", "center_id", "请指定中心（center_id）");
        return;
    }
    if (yparse_i64(cid, 1, INT64_MAX, &center_id)) {
        api_fail(r, 400, "FIELD_FORMAT", "center_id", "center_id应为正整数");
        return;
    }
    char path[CENTER_PATH_MAX];
    if (api_need_center(r, READERS, center_id, path, sizeof(path), "center_id"))
        return;
    json_t *items = notices_list(api_db(r), center_id, cursor, limit);
    if (!items) {
        api_fail_db(r);
        return;
    }
    api_reply_json(r, 200, api_page_body(items, limit, "id"));
}

void h_notices_get(api_req *r)
{
    int64_t id;
    if (api_param_id(r, 0, &id))
        return;
    /* Out of scope looks the same as absent: ids are not a way to probe. */
    json_t *o =
        api_scoped(r, notices_get(api_db(r), id), READERS, "NOTICE_NOT_FOUND", "公告不存在", NULL);
    if (!o)
        return;
    json_object_del(o, "center_path");
    api_reply_json(r, 200, o);
}

typedef struct notice_ctx {
    json_t *in;
    int64_t id, center_id;
} notice_ctx;

static void notice_ctx_free(void *p)
{
    notice_ctx *c = p;
    json_decref(c->in);
    free(c);
}

static int create_tx(db_conn *tx, api_req *r, void *arg)
{
    notice_ctx *c = arg;
    const char *title = json_string_value(json_object_get(c->in, "title"));
    const char *body = json_string_value(json_object_get(c->in, "body"));
    int64_t id;
    int rc = notices_insert(tx, c->center_id, title, body, api_who(r)->id, ytime_now_ms(), &id);
    if (rc)
        return rc;
    char idtext[32], summary[200];
    snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
    snprintf(summary, sizeof(summary), "发布公告“%.120s”", title);
    audit_actor a;
    api_actor(r, 0, c->center_id, &a);
    a.role = api_role_code(r, WRITERS);
    if ((rc = audit_append(tx, &a, "notice_create", "notice", idtext, summary)))
        return rc;
    json_t *o = notices_get(tx, id);
    if (!o)
        return YC_EDB;
    json_object_del(o, "center_path");
    api_reply_json(r, 201, o);
    return 0;
}

void h_notices_create(api_req *r)
{
    static const jfield spec[] = {
        {"center_id", JF_INT, true, 1, INT64_MAX, "中心"},
        {"title", JF_STRING, true, 1, 100, "标题"},
        {"body", JF_STRING, true, 1, 5000, "正文"},
        {0},
    };
    json_t *in;
    if (api_body(r, spec, &in))
        return;
    int64_t center_id = json_integer_value(json_object_get(in, "center_id"));
    char path[CENTER_PATH_MAX];
    if (api_need_center(r, WRITERS, center_id, path, sizeof(path), "center_id")) {
        json_decref(in);
        return;
    }
    notice_ctx *c = xcalloc(1, sizeof(*c));
    c->in = in;
    c->center_id = center_id;
    api_write(r, create_tx, c, notice_ctx_free);
}

static int delete_tx(db_conn *tx, api_req *r, void *arg)
{
    notice_ctx *c = arg;
    int rc = notices_delete(tx, c->id, ytime_now_ms());
    if (rc == YC_ENOTFOUND) {
        api_fail(r, 404, "NOTICE_NOT_FOUND", "", "公告不存在");
        return rc;
    }
    if (rc)
        return rc;
    char idtext[32];
    snprintf(idtext, sizeof(idtext), "%lld", (long long)c->id);
    audit_actor a;
    api_actor(r, 0, c->center_id, &a);
    a.role = api_role_code(r, WRITERS);
    if ((rc = audit_append(tx, &a, "notice_delete", "notice", idtext, "撤下公告")))
        return rc;
    api_reply_empty(r, 204);
    return 0;
}

void h_notices_delete(api_req *r)
{
    int64_t id;
    if (api_param_id(r, 0, &id))
        return;
    json_t *o =
        api_scoped(r, notices_get(api_db(r), id), WRITERS, "NOTICE_NOT_FOUND", "公告不存在", NULL);
    if (!o)
        return;
    notice_ctx *c = xcalloc(1, sizeof(*c));
    c->id = id;
    c->center_id = json_integer_value(json_object_get(o, "center_id"));
    json_decref(o);
    api_write(r, delete_tx, c, notice_ctx_free);
}
