/*
 * h_devices.c - kiosks, hall displays and rating pads. Each holds a bearer token bound
 * to one center (and, for rating pads, a window) that lets it do only what that kind of
 * device does. The token is shown once, at creation; the database keeps its hash.
 */
#include "api/handlers.h"
#include "service/auth.h"
#include "store/accounts.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MANAGERS (ROLE_ADMIN | ROLE_MANAGER)

void h_devices_list(api_req *r)
{
    int limit;
    int64_t cursor;
    if (api_page(r, &limit, &cursor))
        return;
    json_t *items = accounts_devices_list(api_db(r), api_list_root(r, MANAGERS), cursor, limit);
    if (!items) {
        api_fail_db(r);
        return;
    }
    api_reply_json(r, 200, api_page_body(items, limit, "id"));
}

typedef struct device_ctx {
    json_t *in;
    int64_t id;
    int64_t center_id;
    char token[AUTH_TOKEN_MAX];
    char hash[65];
} device_ctx;

static void device_ctx_free(void *p)
{
    device_ctx *c = p;
    json_decref(c->in);
    sodium_memzero(c->token, sizeof(c->token));
    free(c);
}

static int create_tx(db_conn *tx, api_req *r, void *arg)
{
    device_ctx *c = arg;
    const char *kind = json_string_value(json_object_get(c->in, "kind"));
    const char *name = json_string_value(json_object_get(c->in, "name"));
    int64_t window_no = json_integer_value(json_object_get(c->in, "window_no"));
    int64_t id;
    int rc = accounts_device_insert(tx, kind, name, c->center_id, window_no, c->hash,
                                    ytime_now_ms(), &id);
    if (rc)
        return rc;
    char idtext[32], summary[256];
    snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
    snprintf(summary, sizeof(summary), "登记设备“%s”（%s）", name, role_by_code(kind)->name);
    audit_actor a;
    api_actor(r, 0, c->center_id, &a);
    a.role = api_role_code(r, MANAGERS);
    if ((rc = audit_append(tx, &a, "device_create", "device", idtext, summary)))
        return rc;
    json_t *o = accounts_device_get(tx, id);
    if (!o)
        return YC_EDB;
    json_object_del(o, "center_path");
    json_object_set_new(o, "token", json_string(c->token));
    api_reply_json(r, 201, o);
    return 0;
}

void h_devices_create(api_req *r)
{
    static const jfield spec[] = {
        {"kind", JF_STRING, true, 1, 16, "设备类型"},
        {"name", JF_STRING, true, 1, 64, "设备名称"},
        {"center_id", JF_INT, true, 1, INT64_MAX, "所属中心"},
        {"window_no", JF_INT, false, 1, 999, "窗口号"},
        {0},
    };
    json_t *in;
    if (api_body(r, spec, &in))
        return;
    const role_info *ri = role_by_code(json_string_value(json_object_get(in, "kind")));
    if (!ri || !ri->device) {
        json_decref(in);
        api_fail(r, 400, "FIELD_ENUM", "kind",
                 "设备类型应为kiosk（取号机）、display（叫号屏）或rating_pad（评价器）");
        return;
    }
    if (ri->bit == ROLE_RATING_PAD && !json_object_get(in, "window_no")) {
        json_decref(in);
        api_fail(r, 400, "FIELD_REQUIRED", "window_no", "评价器必须绑定窗口号");
        return;
    }
    int64_t center_id = json_integer_value(json_object_get(in, "center_id"));
    char path[CENTER_PATH_MAX];
    if (api_need_center(r, MANAGERS, center_id, path, sizeof(path), "center_id")) {
        json_decref(in);
        return;
    }
    device_ctx *c = xcalloc(1, sizeof(*c));
    c->in = in;
    c->center_id = center_id;
    auth_new_token(AUTH_DEVICE_PREFIX, c->token, c->hash);
    api_write(r, create_tx, c, device_ctx_free);
}

static int delete_tx(db_conn *tx, api_req *r, void *arg)
{
    device_ctx *c = arg;
    int rc = accounts_device_revoke(tx, c->id, ytime_now_ms());
    if (rc == YC_ENOTFOUND) {
        api_fail(r, 404, "DEVICE_NOT_FOUND", "", "设备不存在或已吊销");
        return rc;
    }
    if (rc)
        return rc;
    char idtext[32];
    snprintf(idtext, sizeof(idtext), "%lld", (long long)c->id);
    audit_actor a;
    api_actor(r, 0, c->center_id, &a);
    a.role = api_role_code(r, MANAGERS);
    if ((rc = audit_append(tx, &a, "device_revoke", "device", idtext, "吊销设备令牌")))
        return rc;
    api_reply_empty(r, 204);
    return 0;
}

void h_devices_delete(api_req *r)
{
    int64_t id;
    if (api_param_id(r, 0, &id))
        return;
    json_t *d = accounts_device_get(api_db(r), id);
    if (!d) {
        api_fail(r, 404, "DEVICE_NOT_FOUND", "", "设备不存在");
        return;
    }
    int64_t center_id = json_integer_value(json_object_get(d, "center_id"));
    bool allowed = principal_can_at(api_who(r), MANAGERS,
                                    json_string_value(json_object_get(d, "center_path")));
    json_decref(d);
    if (!allowed) {
        api_fail(r, 403, "CENTER_FORBIDDEN", "", "您无权管理该设备所属的中心");
        return;
    }
    device_ctx *c = xcalloc(1, sizeof(*c));
    c->id = id;
    c->center_id = center_id;
    api_write(r, delete_tx, c, device_ctx_free);
}

void h_device_self(api_req *r)
{
    const principal *p = api_who(r);
    if (p->kind != PRINCIPAL_DEVICE) {
        api_fail(r, 403, "FORBIDDEN", "", "此接口仅供设备使用");
        return;
    }
    json_t *d = accounts_device_get(api_db(r), p->id);
    if (!d) {
        api_fail_db(r);
        return;
    }
    json_object_del(d, "center_path");
    api_reply_json(r, 200, d);
}
