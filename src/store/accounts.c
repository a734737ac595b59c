/* accounts.c - see accounts.h. */
#include "store/accounts.h"
#include "store/rows.h"
#include "util/err.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------- centers */

int accounts_center_path(db_conn *c, int64_t center_id, char *path, size_t size)
{
    db_stmt *q = db_prepare(c, "SELECT path FROM centers WHERE id = $1");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, center_id);
    int rc = db_step(q);
    if (rc == DB_ROW)
        ystrlcpy(path, db_col_text(q, 0), size);
    db_reset(q);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : YC_ENOTFOUND;
}

int accounts_center_insert(db_conn *tx, int64_t parent_id, const char *level, const char *name,
                           int64_t now, int64_t *id_out)
{
    char parent_path[CENTER_PATH_MAX] = "/";
    if (parent_id) {
        int rc = accounts_center_path(tx, parent_id, parent_path, sizeof(parent_path));
        if (rc)
            return rc;
    }
    db_stmt *ins = db_prepare(tx, "INSERT INTO centers (parent_id, level, name, created_at)"
                                  " VALUES ($1, $2, $3, $4) RETURNING id");
    db_stmt *upd = db_prepare(tx, "UPDATE centers SET path = $1 WHERE id = $2");
    if (!ins || !upd)
        return YC_EDB;
    if (parent_id)
        db_bind_int(ins, 1, parent_id);
    db_bind_text(ins, 2, level);
    db_bind_text(ins, 3, name);
    db_bind_int(ins, 4, now);
    int rc = db_step(ins);
    int64_t id = rc == DB_ROW ? db_col_int(ins, 0) : 0;
    db_reset(ins);
    if (rc != DB_ROW)
        return rc < 0 ? rc : YC_EDB;
    char path[CENTER_PATH_MAX];
    if (snprintf(path, sizeof(path), "%s%lld/", parent_path, (long long)id) >= (int)sizeof(path))
        return YC_EINVAL; /* nesting deeper than any real hierarchy */
    db_bind_text(upd, 1, path);
    db_bind_int(upd, 2, id);
    rc = db_run(upd);
    if (!rc)
        *id_out = id;
    return rc;
}

json_t *accounts_centers_list(db_conn *c, const char *root_path, int64_t after_id, int limit)
{
    db_stmt *q = db_prepare(c, "SELECT id, parent_id, level, name, path, address, phone,"
                               " region_code, created_at FROM centers"
                               " WHERE id > $1 AND ($2 IS NULL OR path LIKE $2 || '%')"
                               " ORDER BY id LIMIT $3");
    if (!q)
        return NULL;
    db_bind_int(q, 1, after_id);
    db_bind_text(q, 2, root_path);
    db_bind_int(q, 3, limit);
    return rows_all(q, limit);
}

json_t *accounts_center_get(db_conn *c, int64_t id)
{
    db_stmt *q = db_prepare(c, "SELECT id, parent_id, level, name, path, address, phone,"
                               " region_code, created_at FROM centers WHERE id = $1");
    if (!q)
        return NULL;
    db_bind_int(q, 1, id);
    return rows_one(q);
}

/* ---------------------------------------------------------------- users */

static int load_login(db_stmt *q, account_login *out)
{
    int rc = db_step(q);
    if (rc == DB_ROW) {
        out->id = db_col_int(q, 0);
        ystrlcpy(out->password_hash, db_col_text(q, 1), sizeof(out->password_hash));
        out->disabled = db_col_int(q, 2) != 0;
        out->must_change_password = db_col_int(q, 3) != 0;
        out->failed_logins = db_col_int(q, 4);
        out->locked_until = db_col_int(q, 5);
    }
    db_reset(q);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : YC_ENOTFOUND;
}

int accounts_login_by_username(db_conn *c, const char *username, account_login *out)
{
    db_stmt *q = db_prepare(c, "SELECT id, password_hash, disabled, must_change_password,"
                               " failed_logins, locked_until FROM users WHERE username = $1");
    if (!q)
        return YC_EDB;
    db_bind_text(q, 1, username);
    return load_login(q, out);
}

int accounts_login_by_id(db_conn *c, int64_t id, account_login *out)
{
    db_stmt *q = db_prepare(c, "SELECT id, password_hash, disabled, must_change_password,"
                               " failed_logins, locked_until FROM users WHERE id = $1");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, id);
    return load_login(q, out);
}

int accounts_user_insert(db_conn *tx, const char *username, const char *display_name,
                         const char *password_hash, bool must_change, int64_t now, int64_t *id_out)
{
    db_stmt *q = db_prepare(tx, "INSERT INTO users (username, display_name, password_hash,"
                                " must_change_password, created_at, updated_at)"
                                " VALUES ($1, $2, $3, $4, $5, $5) RETURNING id");
    if (!q)
        return YC_EDB;
    db_bind_text(q, 1, username);
    db_bind_text(q, 2, display_name);
    db_bind_text(q, 3, password_hash);
    db_bind_int(q, 4, must_change);
    db_bind_int(q, 5, now);
    int rc = db_step(q);
    if (rc == DB_ROW)
        *id_out = db_col_int(q, 0);
    db_reset(q);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : YC_EDB;
}

int accounts_user_update(db_conn *tx, int64_t id, const char *display_name, int disabled,
                         int64_t now)
{
    db_stmt *q = db_prepare(tx, "UPDATE users SET display_name = COALESCE($1, display_name),"
                                " disabled = CASE WHEN $2 < 0 THEN disabled ELSE $2 END,"
                                " updated_at = $3 WHERE id = $4");
    if (!q)
        return YC_EDB;
    db_bind_text(q, 1, display_name);
    db_bind_int(q, 2, disabled);
    db_bind_int(q, 3, now);
    db_bind_int(q, 4, id);
    int rc = db_run(q);
    if (!rc && db_changes(tx) == 0)
        return YC_ENOTFOUND;
    return rc;
}

int accounts_user_set_password(db_conn *tx, int64_t id, const char *hash, bool must_change,
                               int64_t now)
{
    db_stmt *q = db_prepare(tx, "UPDATE users SET password_hash = $1, must_change_password = $2,"
                                " failed_logins = 0, locked_until = 0, updated_at = $3"
                                " WHERE id = $4");
    if (!q)
        return YC_EDB;
    db_bind_text(q, 1, hash);
    db_bind_int(q, 2, must_change);
    db_bind_int(q, 3, now);
    db_bind_int(q, 4, id);
    int rc = db_run(q);
    if (!rc && db_changes(tx) == 0)
        return YC_ENOTFOUND;
    return rc;
}

int accounts_login_failed(db_conn *tx, int64_t id, int64_t failed, int64_t locked_until)
{
    db_stmt *q =
        db_prepare(tx, "UPDATE users SET failed_logins = $1, locked_until = $2 WHERE id = $3");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, failed);
    db_bind_int(q, 2, locked_until);
    db_bind_int(q, 3, id);
    return db_run(q);
}

int accounts_login_ok(db_conn *tx, int64_t id)
{
    db_stmt *q = db_prepare(tx, "UPDATE users SET failed_logins = 0, locked_until = 0"
                                " WHERE id = $1 AND (failed_logins <> 0 OR locked_until <> 0)");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, id);
    return db_run(q);
}

int accounts_roles_replace(db_conn *tx, int64_t user_id, json_t *roles)
{
    db_stmt *del = db_prepare(tx, "DELETE FROM user_roles WHERE user_id = $1");
    db_stmt *ins = db_prepare(tx, "INSERT INTO user_roles (user_id, role, center_id, department_id)"
                                  " VALUES ($1, $2, $3, $4)");
    if (!del || !ins)
        return YC_EDB;
    db_bind_int(del, 1, user_id);
    int rc = db_run(del);
    size_t i;
    json_t *r;
    json_array_foreach(roles, i, r)
    {
        if (rc)
            break;
        json_t *center = json_object_get(r, "center_id");
        json_t *dept = json_object_get(r, "department_id");
        db_bind_int(ins, 1, user_id);
        db_bind_text(ins, 2, json_string_value(json_object_get(r, "role")));
        if (json_is_integer(center))
            db_bind_int(ins, 3, json_integer_value(center));
        if (json_is_integer(dept))
            db_bind_int(ins, 4, json_integer_value(dept));
        rc = db_run(ins);
    }
    return rc;
}

static json_t *user_roles_json(db_conn *c, int64_t user_id)
{
    db_stmt *q = db_prepare(c, "SELECT r.role, r.center_id, c.name AS center_name,"
                               " r.department_id FROM user_roles r"
                               " LEFT JOIN centers c ON c.id = r.center_id"
                               " WHERE r.user_id = $1 ORDER BY r.id");
    if (!q)
        return NULL;
    db_bind_int(q, 1, user_id);
    json_t *roles = rows_all(q, PRINCIPAL_MAX_ROLES);
    size_t i;
    json_t *role;
    json_array_foreach(roles, i, role)
    {
        const role_info *ri = role_by_code(json_string_value(json_object_get(role, "role")));
        json_object_set_new(role, "role_name", json_string(ri ? ri->name : ""));
    }
    return roles;
}

json_t *accounts_user_json(db_conn *c, int64_t id)
{
    db_stmt *q = db_prepare(c, "SELECT id, username, display_name, disabled, must_change_password,"
                               " created_at, updated_at FROM users WHERE id = $1");
    if (!q)
        return NULL;
    db_bind_int(q, 1, id);
    json_t *u = rows_one(q);
    if (!u)
        return NULL;
    json_t *roles = user_roles_json(c, id);
    json_object_set_new(u, "roles", roles ? roles : json_array());
    return u;
}

json_t *accounts_users_list(db_conn *c, const char *root_path, const char *q_text, int64_t after_id,
                            int limit)
{
    db_stmt *q = db_prepare(
        c, "SELECT u.id FROM users u WHERE u.id > $1"
           " AND ($2 IS NULL OR EXISTS (SELECT 1 FROM user_roles r JOIN centers c ON c.id ="
           " r.center_id WHERE r.user_id = u.id AND c.path LIKE $2 || '%'))"
           " AND ($3 IS NULL OR instr(u.username, $3) > 0 OR instr(u.display_name, $3) > 0)"
           " ORDER BY u.id LIMIT $4");
    if (!q)
        return NULL;
    db_bind_int(q, 1, after_id);
    db_bind_text(q, 2, root_path);
    db_bind_text(q, 3, q_text);
    db_bind_int(q, 4, limit);
    int64_t ids[500];
    int n = 0, rc;
    while (n < limit && n < 500 && (rc = db_step(q)) == DB_ROW)
        ids[n++] = db_col_int(q, 0);
    db_reset(q);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        json_t *u = accounts_user_json(c, ids[i]);
        if (u)
            json_array_append_new(arr, u);
    }
    return arr;
}

bool accounts_user_within(db_conn *c, int64_t user_id, const char *root_path)
{
    /* At least one role, and every role, inside the subtree: an account with no role
     * belongs to no center, so only the root's managers reach it (see the caller). */
    db_stmt *q = db_prepare(c, "SELECT COUNT(*), COALESCE(SUM(c.path IS NULL OR"
                               " substr(c.path, 1, length($2)) <> $2), 0) FROM user_roles r"
                               " LEFT JOIN centers c ON c.id = r.center_id WHERE r.user_id = $1");
    if (!q)
        return false;
    db_bind_int(q, 1, user_id);
    db_bind_text(q, 2, root_path);
    bool ok = db_step(q) == DB_ROW && db_col_int(q, 0) > 0 && db_col_int(q, 1) == 0;
    db_reset(q);
    return ok;
}

bool accounts_user_has_role(db_conn *c, int64_t user_id, const char *role)
{
    db_stmt *q = db_prepare(c, "SELECT 1 FROM user_roles WHERE user_id = $1 AND role = $2");
    if (!q)
        return true; /* fail closed: callers refuse when the user may hold it */
    db_bind_int(q, 1, user_id);
    db_bind_text(q, 2, role);
    bool has = db_step(q) != DB_DONE;
    db_reset(q);
    return has;
}

/* ---------------------------------------------------------------- sessions */

int accounts_session_insert(db_conn *tx, const char *token_hash, int64_t user_id, const char *csrf,
                            const char *client_addr, int64_t now, int64_t expires_at,
                            int64_t *id_out)
{
    db_stmt *q = db_prepare(tx, "INSERT INTO sessions (token_hash, user_id, csrf_token,"
                                " client_addr, created_at, expires_at)"
                                " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id");
    if (!q)
        return YC_EDB;
    db_bind_text(q, 1, token_hash);
    db_bind_int(q, 2, user_id);
    db_bind_text(q, 3, csrf);
    db_bind_text(q, 4, client_addr);
    db_bind_int(q, 5, now);
    db_bind_int(q, 6, expires_at);
    int rc = db_step(q);
    if (rc == DB_ROW)
        *id_out = db_col_int(q, 0);
    db_reset(q);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : YC_EDB;
}

int accounts_session_revoke(db_conn *tx, int64_t session_id, int64_t now)
{
    db_stmt *q =
        db_prepare(tx, "UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, now);
    db_bind_int(q, 2, session_id);
    return db_run(q);
}

int accounts_sessions_revoke_user(db_conn *tx, int64_t user_id, int64_t keep_id, int64_t now)
{
    db_stmt *q = db_prepare(tx, "UPDATE sessions SET revoked_at = $1 WHERE user_id = $2"
                                " AND id <> $3 AND revoked_at IS NULL");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, now);
    db_bind_int(q, 2, user_id);
    db_bind_int(q, 3, keep_id);
    return db_run(q);
}

static int load_roles(db_conn *c, principal *p)
{
    db_stmt *q = db_prepare(c, "SELECT r.role, COALESCE(r.center_id, 0), COALESCE(c.path, ''),"
                               " COALESCE(r.department_id, 0) FROM user_roles r"
                               " LEFT JOIN centers c ON c.id = r.center_id WHERE r.user_id = $1"
                               " ORDER BY r.id");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, p->id);
    int rc;
    p->nroles = 0;
    p->role_mask = 0;
    while ((rc = db_step(q)) == DB_ROW && p->nroles < PRINCIPAL_MAX_ROLES) {
        const role_info *ri = role_by_code(db_col_text(q, 0));
        if (!ri || ri->device)
            continue;
        principal_role *r = &p->roles[p->nroles++];
        r->role = ri->bit;
        r->center_id = db_col_int(q, 1);
        ystrlcpy(r->center_path, db_col_text(q, 2), sizeof(r->center_path));
        r->department_id = db_col_int(q, 3);
        p->role_mask |= ri->bit;
    }
    db_reset(q);
    return rc < 0 ? rc : 0;
}

int accounts_session_load(db_conn *c, const char *token_hash, int64_t now, principal *p,
                          int64_t *expires_at)
{
    db_stmt *q = db_prepare(c, "SELECT s.id, s.csrf_token, u.id, u.username,"
                               " u.must_change_password, s.expires_at FROM sessions s"
                               " JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1"
                               " AND s.revoked_at IS NULL AND s.expires_at > $2"
                               " AND u.disabled = 0");
    if (!q)
        return YC_EDB;
    db_bind_text(q, 1, token_hash);
    db_bind_int(q, 2, now);
    int rc = db_step(q);
    if (rc == DB_ROW) {
        p->kind = PRINCIPAL_USER;
        p->session_id = db_col_int(q, 0);
        ystrlcpy(p->csrf_token, db_col_text(q, 1), sizeof(p->csrf_token));
        p->id = db_col_int(q, 2);
        ystrlcpy(p->name, db_col_text(q, 3), sizeof(p->name));
        p->must_change_password = db_col_int(q, 4) != 0;
        *expires_at = db_col_int(q, 5);
    }
    db_reset(q);
    if (rc != DB_ROW)
        return rc < 0 ? rc : YC_EAUTH;
    return load_roles(c, p);
}

int64_t accounts_session_expires(db_conn *c, int64_t session_id)
{
    db_stmt *q = db_prepare(c, "SELECT expires_at FROM sessions WHERE id = $1");
    if (!q)
        return 0;
    db_bind_int(q, 1, session_id);
    int64_t v = db_step(q) == DB_ROW ? db_col_int(q, 0) : 0;
    db_reset(q);
    return v;
}

/* ---------------------------------------------------------------- devices */

int accounts_device_insert(db_conn *tx, const char *kind, const char *name, int64_t center_id,
                           int64_t window_no, const char *token_hash, int64_t now, int64_t *id_out)
{
    db_stmt *q = db_prepare(tx, "INSERT INTO devices (kind, name, center_id, window_no,"
                                " token_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)"
                                " RETURNING id");
    if (!q)
        return YC_EDB;
    db_bind_text(q, 1, kind);
    db_bind_text(q, 2, name);
    db_bind_int(q, 3, center_id);
    if (window_no > 0)
        db_bind_int(q, 4, window_no);
    db_bind_text(q, 5, token_hash);
    db_bind_int(q, 6, now);
    int rc = db_step(q);
    if (rc == DB_ROW)
        *id_out = db_col_int(q, 0);
    db_reset(q);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : YC_EDB;
}

int accounts_device_revoke(db_conn *tx, int64_t id, int64_t now)
{
    db_stmt *q =
        db_prepare(tx, "UPDATE devices SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, now);
    db_bind_int(q, 2, id);
    int rc = db_run(q);
    if (!rc && db_changes(tx) == 0)
        return YC_ENOTFOUND;
    return rc;
}

json_t *accounts_device_get(db_conn *c, int64_t id)
{
    db_stmt *q = db_prepare(
        c, "SELECT d.id, d.kind, d.name, d.center_id, c.name AS center_name, d.window_no,"
           " c.path AS center_path, d.created_at, d.revoked_at FROM devices d"
           " JOIN centers c ON c.id = d.center_id WHERE d.id = $1");
    if (!q)
        return NULL;
    db_bind_int(q, 1, id);
    return rows_one(q);
}

json_t *accounts_devices_list(db_conn *c, const char *root_path, int64_t after_id, int limit)
{
    db_stmt *q = db_prepare(
        c, "SELECT d.id, d.kind, d.name, d.center_id, c.name AS center_name, d.window_no,"
           " d.created_at, d.revoked_at FROM devices d JOIN centers c ON c.id = d.center_id"
           " WHERE d.id > $1 AND ($2 IS NULL OR c.path LIKE $2 || '%') ORDER BY d.id LIMIT $3");
    if (!q)
        return NULL;
    db_bind_int(q, 1, after_id);
    db_bind_text(q, 2, root_path);
    db_bind_int(q, 3, limit);
    return rows_all(q, limit);
}

int accounts_device_load(db_conn *c, const char *token_hash, principal *p)
{
    db_stmt *q = db_prepare(c, "SELECT d.id, d.kind, d.name, d.center_id, c.path,"
                               " COALESCE(d.window_no, 0) FROM devices d"
                               " JOIN centers c ON c.id = d.center_id"
                               " WHERE d.token_hash = $1 AND d.revoked_at IS NULL");
    if (!q)
        return YC_EDB;
    db_bind_text(q, 1, token_hash);
    int rc = db_step(q);
    if (rc == DB_ROW) {
        const role_info *ri = role_by_code(db_col_text(q, 1));
        p->kind = PRINCIPAL_DEVICE;
        p->id = db_col_int(q, 0);
        ystrlcpy(p->name, db_col_text(q, 2), sizeof(p->name));
        p->nroles = 1;
        p->roles[0].role = ri ? ri->bit : 0;
        p->roles[0].center_id = db_col_int(q, 3);
        ystrlcpy(p->roles[0].center_path, db_col_text(q, 4), sizeof(p->roles[0].center_path));
        p->roles[0].department_id = 0;
        p->role_mask = p->roles[0].role;
        p->window_no = db_col_int(q, 5);
    }
    db_reset(q);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : YC_EAUTH;
}
