/*
 * h_session.c - log in, who am I, log out, change my password.
 *
 * Login verifies the argon2id hash on the HTTP worker thread (tens of milliseconds of
 * CPU) and only then hands a short write to the writer: the session row, or the failure
 * count, plus the action-log row. The lockout counts failures inside the transaction,
 * so parallel wrong guesses cannot slip past the limit.
 */
#include "api/handlers.h"
#include "core/mask.h"
#include "service/auth.h"
#include "store/accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct login_ctx {
    int64_t user_id;
    bool ok;
    char username[128];
    char token[AUTH_TOKEN_MAX];
    char token_hash[65];
    char csrf[AUTH_TOKEN_MAX];
    int64_t now, expires_at;
} login_ctx;

/* The session answer: user, csrf token, expiry. */
json_t *session_body(db_conn *c, int64_t user_id, const char *csrf, int64_t expires_at)
{
    json_t *u = accounts_user_json(c, user_id);
    if (!u)
        return NULL;
    size_t i;
    json_t *role;
    json_array_foreach(json_object_get(u, "roles"), i, role)
    {
        const role_info *ri = role_by_code(json_string_value(json_object_get(role, "role")));
        json_object_set_new(role, "role_name", json_string(ri ? ri->name : ""));
    }
    return json_pack("{s:o,s:s,s:I}", "user", u, "csrf_token", csrf, "expires_at",
                     (json_int_t)expires_at);
}

static void set_session_cookie(api_req *r, const char *token, int64_t max_age_s)
{
    char cookie[256];
    snprintf(cookie, sizeof(cookie), "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s",
             AUTH_COOKIE, token, (long long)max_age_s, api_cfg(r)->secure_cookie ? "; Secure" : "");
    api_set_cookie(r, cookie);
}

static int login_tx(db_conn *tx, api_req *r, void *arg)
{
    login_ctx *c = arg;
    const api_config *cfg = api_cfg(r);
    audit_actor a;
    api_actor(r, 0, 0, &a);
    a.kind = "user";
    a.id = c->user_id;
    a.name = c->username;
    if (!c->user_id) {
        /* What was typed names no account; people often type their ID number or mobile,
         * which the log keeps masked like any other (mask.h). */
        char *typed = mask_text(c->username);
        a.kind = "anonymous";
        a.name = typed;
        int rc = audit_append(tx, &a, "login_failed", "user", "", "未知用户名登录失败");
        free(typed);
        if (rc)
            return rc;
        api_fail(r, 401, "AUTH_INVALID_CREDENTIALS", "", "用户名或密码错误");
        return 0;
    }
    account_login cur;
    int rc = accounts_login_by_id(tx, c->user_id, &cur);
    if (rc)
        return rc;
    if (cur.locked_until > c->now) {
        /* Locked by a parallel attempt since the check on the worker thread: neither
         * this guess nor a right password may reset the lock. */
        api_fail(r, 429, "AUTH_LOCKED", "", "账号已锁定，请%lld分钟后再试",
                 (long long)((cur.locked_until - c->now) / 60000 + 1));
        return 0;
    }
    if (!c->ok) {
        int failed = (int)cur.failed_logins + 1;
        int64_t until = auth_lock_until(failed, cfg->max_failed_logins, cfg->lockout_ms, c->now);
        if ((rc = accounts_login_failed(tx, c->user_id, until ? 0 : failed, until)))
            return rc;
        char summary[128];
        snprintf(summary, sizeof(summary), "密码错误（第%d次）%s", failed,
                 until ? "，账号已锁定" : "");
        if ((rc = audit_append(tx, &a, until ? "login_locked" : "login_failed", "user", c->username,
                               summary)))
            return rc;
        if (until)
            api_fail(r, 429, "AUTH_LOCKED", "", "密码连续错误%d次，账号已锁定%lld分钟",
                     cfg->max_failed_logins, (long long)(cfg->lockout_ms / 60000));
        else
            api_fail(r, 401, "AUTH_INVALID_CREDENTIALS", "", "用户名或密码错误");
        return 0;
    }
    int64_t sid;
    rc = accounts_session_insert(tx, c->token_hash, c->user_id, c->csrf, api_client_addr(r), c->now,
                                 c->expires_at, &sid);
    if (!rc)
        rc = accounts_login_ok(tx, c->user_id);
    if (!rc)
        rc = audit_append(tx, &a, "login", "session", "", "登录成功");
    if (rc)
        return rc;
    json_t *body = session_body(tx, c->user_id, c->csrf, c->expires_at);
    if (!body)
        return YC_EDB;
    set_session_cookie(r, c->token, cfg->session_ttl_ms / 1000);
    api_reply_json(r, 201, body);
    return 0;
}

void h_session_create(api_req *r)
{
    static const jfield spec[] = {
        {"username", JF_STRING, true, 1, 64, "用户名"},
        {"password", JF_STRING, true, 1, 256, "密码"},
        {0},
    };
    json_t *in;
    if (api_body(r, spec, &in))
        return;
    const char *addr = api_client_addr(r);
    int64_t now = ytime_now_ms();
    if (throttle_blocked(api_login_throttle(r), addr, now)) {
        json_decref(in);
        api_fail(r, 429, "AUTH_THROTTLED", "", "登录失败次数过多，请10分钟后再试");
        return;
    }
    login_ctx *c = xcalloc(1, sizeof(*c));
    c->now = now;
    ystrlcpy(c->username, json_string_value(json_object_get(in, "username")), sizeof(c->username));
    const char *pw = json_string_value(json_object_get(in, "password"));
    account_login acc;
    int rc = accounts_login_by_username(api_db(r), c->username, &acc);
    if (rc == YC_ENOTFOUND) {
        /* Same work as a real check, so timing does not reveal which names exist. */
        auth_verify_dummy(pw);
        throttle_fail(api_login_throttle(r), addr, now);
    } else if (rc) {
        json_decref(in);
        free(c);
        api_fail(r, 503, "STORAGE_UNAVAILABLE", "", "数据库暂时不可用");
        return;
    } else if (acc.locked_until > now) {
        json_decref(in);
        free(c);
        api_fail(r, 429, "AUTH_LOCKED", "", "账号已锁定，请%lld分钟后再试",
                 (long long)((acc.locked_until - now) / 60000 + 1));
        return;
    } else {
        c->user_id = acc.id;
        c->ok = auth_verify_password(acc.password_hash, pw);
        if (!c->ok)
            throttle_fail(api_login_throttle(r), addr, now);
        else if (acc.disabled) {
            json_decref(in);
            free(c);
            api_fail(r, 403, "AUTH_DISABLED", "", "该账号已停用，请联系中心管理员");
            return;
        }
    }
    json_decref(in);
    if (c->ok) {
        char csrf_hash[65];
        auth_new_token("", c->token, c->token_hash);
        auth_new_token("", c->csrf, csrf_hash);
        c->expires_at = now + api_cfg(r)->session_ttl_ms;
    }
    api_write(r, login_tx, c, free);
}

void h_session_get(api_req *r)
{
    const principal *p = api_who(r);
    if (p->kind != PRINCIPAL_USER) {
        api_fail(r, 403, "FORBIDDEN", "", "设备令牌没有登录会话");
        return;
    }
    db_conn *db = api_db(r);
    json_t *body =
        session_body(db, p->id, p->csrf_token, accounts_session_expires(db, p->session_id));
    if (!body) {
        api_fail(r, 503, "STORAGE_UNAVAILABLE", "", "数据库暂时不可用");
        return;
    }
    api_reply_json(r, 200, body);
}

static int logout_tx(db_conn *tx, api_req *r, void *arg)
{
    const principal *p = api_who(r);
    audit_actor a;
    api_actor(r, 0, 0, &a);
    int rc = accounts_session_revoke(tx, p->session_id, ytime_now_ms());
    if (!rc)
        rc = audit_append(tx, &a, "logout", "session", "", "退出登录");
    if (rc)
        return rc;
    set_session_cookie(r, "", 0);
    api_reply_empty(r, 204);
    return 0;
}

void h_session_delete(api_req *r)
{
    if (api_who(r)->kind != PRINCIPAL_USER) {
        api_fail(r, 403, "FORBIDDEN", "", "设备令牌没有登录会话");
        return;
    }
    api_write(r, logout_tx, NULL, NULL);
}

typedef struct password_ctx {
    int64_t user_id;
    char hash[AUTH_HASH_MAX];
} password_ctx;

static int password_tx(db_conn *tx, api_req *r, void *arg)
{
    password_ctx *c = arg;
    const principal *p = api_who(r);
    int64_t now = ytime_now_ms();
    audit_actor a;
    api_actor(r, 0, 0, &a);
    int rc = accounts_user_set_password(tx, c->user_id, c->hash, false, now);
    if (!rc)
        rc = accounts_sessions_revoke_user(tx, c->user_id, p->session_id, now);
    if (!rc)
        rc = audit_append(tx, &a, "password_change", "user", p->name, "修改本人密码");
    if (rc)
        return rc;
    api_reply_empty(r, 204);
    return 0;
}

void h_session_password(api_req *r)
{
    static const jfield spec[] = {
        {"current_password", JF_STRING, true, 1, 256, "当前密码"},
        {"new_password", JF_STRING, true, 1, 256, "新密码"},
        {0},
    };
    const principal *p = api_who(r);
    if (p->kind != PRINCIPAL_USER) {
        api_fail(r, 403, "FORBIDDEN", "", "设备令牌没有密码");
        return;
    }
    json_t *in;
    if (api_body(r, spec, &in))
        return;
    const char *cur = json_string_value(json_object_get(in, "current_password"));
    const char *pw = json_string_value(json_object_get(in, "new_password"));
    account_login acc;
    yc_err e;
    password_ctx *c = NULL;
    if (accounts_login_by_id(api_db(r), p->id, &acc)) {
        api_fail(r, 503, "STORAGE_UNAVAILABLE", "", "数据库暂时不可用");
    } else if (!auth_verify_password(acc.password_hash, cur)) {
        api_fail(r, 400, "PASSWORD_MISMATCH", "current_password", "当前密码不正确");
    } else if (auth_password_policy(pw, "new_password", &e)) {
        api_fail_err(r, &e);
    } else if (strcmp(cur, pw) == 0) {
        api_fail(r, 400, "PASSWORD_REUSED", "new_password", "新密码不能与当前密码相同");
    } else {
        c = xcalloc(1, sizeof(*c));
        c->user_id = p->id;
        if (auth_hash_password(pw, c->hash)) {
            free(c);
            c = NULL;
            api_fail(r, 503, "SERVER_BUSY", "", "服务器繁忙，请稍后重试");
        }
    }
    json_decref(in);
    if (c)
        api_write(r, password_tx, c, free);
}
