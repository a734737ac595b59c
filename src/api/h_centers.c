/*
 * h_centers.c - the minimal center tree the platform needs for scoping: county
 * 政务服务中心 -> town 便民服务中心 -> village 便民服务站. The organization issue
 * extends centers with zones, windows, hours and departments.
 */
#include "api/handlers.h"
#include "store/accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void h_centers_list(api_req *r)
{
    int limit;
    int64_t cursor;
    if (api_page(r, &limit, &cursor))
        return;
    json_t *items = accounts_centers_list(api_db(r), api_list_root(r, ROLE_STAFF), cursor, limit);
    if (!items) {
        api_fail_db(r);
        return;
    }
    api_reply_json(r, 200, api_page_body(items, limit, "id"));
}

typedef struct center_ctx {
    json_t *in;
    int64_t parent_id;
} center_ctx;

static void center_ctx_free(void *p)
{
    center_ctx *c = p;
    json_decref(c->in);
    free(c);
}

static int create_tx(db_conn *tx, api_req *r, void *arg)
{
    center_ctx *c = arg;
    const char *name = json_string_value(json_object_get(c->in, "name"));
    const char *level = json_string_value(json_object_get(c->in, "level"));
    int64_t id;
    int rc = accounts_center_insert(tx, c->parent_id, level, name, ytime_now_ms(), &id);
    if (rc == DB_ECONSTRAINT) {
        api_fail(r, 409, "CENTER_NAME_TAKEN", "name", "同一上级下已有名为“%s”的中心", name);
        return rc;
    }
    if (rc)
        return rc;
    char idtext[32], summary[256];
    snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
    snprintf(summary, sizeof(summary), "新建中心“%s”", name);
    audit_actor a;
    api_actor(r, 0, id, &a);
    a.role = api_role_code(r, ROLE_ADMIN | ROLE_MANAGER);
    if ((rc = audit_append(tx, &a, "center_create", "center", idtext, summary)))
        return rc;
    json_t *o = accounts_center_get(tx, id);
    if (!o)
        return YC_EDB;
    api_reply_json(r, 201, o);
    return 0;
}

void h_centers_create(api_req *r)
{
    static const jfield spec[] = {
        {"name", JF_STRING, true, 2, 64, "中心名称"},
        {"level", JF_STRING, true, 1, 16, "层级"},
        {"parent_id", JF_INT, true, 1, INT64_MAX, "上级中心"},
        {0},
    };
    json_t *in;
    if (api_body(r, spec, &in))
        return;
    const char *level = json_string_value(json_object_get(in, "level"));
    int64_t parent_id = json_integer_value(json_object_get(in, "parent_id"));
    char path[CENTER_PATH_MAX];
    if (strcmp(level, "town") != 0 && strcmp(level, "village") != 0) {
        json_decref(in);
        api_fail(r, 400, "FIELD_ENUM", "level",
                 "下级中心的层级应为town（乡镇/街道）或village（村/社区）");
        return;
    }
    if (api_need_center(r, ROLE_ADMIN | ROLE_MANAGER, parent_id, path, sizeof(path), "parent_id")) {
        json_decref(in);
        return;
    }
    json_t *parent = accounts_center_get(api_db(r), parent_id);
    const char *plevel = parent ? json_string_value(json_object_get(parent, "level")) : "";
    bool fits = (strcmp(level, "town") == 0 && strcmp(plevel, "county") == 0) ||
                (strcmp(level, "village") == 0 && strcmp(plevel, "town") == 0);
    json_decref(parent);
    if (!fits) {
        json_decref(in);
        api_fail(r, 400, "CENTER_LEVEL", "level",
                 "层级不符：县级中心下设乡镇（街道）中心，乡镇中心下设村（社区）服务站");
        return;
    }
    center_ctx *c = xcalloc(1, sizeof(*c));
    c->in = in;
    c->parent_id = parent_id;
    api_write(r, create_tx, c, center_ctx_free);
}
