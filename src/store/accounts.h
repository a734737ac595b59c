/*
 * accounts.h - SQL for people, their roles and sessions, devices and centers.
 *
 * Writers take the writer connection of a store job (tx); readers any connection.
 * Functions return 0 / DB_ROW-less results as documented, or a negative code.
 */
#ifndef YC_ACCOUNTS_H
#define YC_ACCOUNTS_H

#include "core/principal.h"
#include "store/db.h"

#include <jansson.h>

/* --- centers --- */
/* Path of a center ("/1/4/"); YC_ENOTFOUND if absent. */
int accounts_center_path(db_conn *c, int64_t center_id, char *path, size_t size);
/* New center under parent (0 = a root); sets its path. */
int accounts_center_insert(db_conn *tx, int64_t parent_id, const char *level, const char *name,
                           int64_t now, int64_t *id_out);
json_t *accounts_centers_list(db_conn *c, const char *root_path, int64_t after_id, int limit);
json_t *accounts_center_get(db_conn *c, int64_t id);

/* --- users --- */
typedef struct account_login {
    int64_t id;
    char password_hash[160];
    bool disabled;
    bool must_change_password;
    int64_t failed_logins;
    int64_t locked_until;
} account_login;

int accounts_login_by_username(db_conn *c, const char *username, account_login *out);
int accounts_login_by_id(db_conn *c, int64_t id, account_login *out);
int accounts_user_insert(db_conn *tx, const char *username, const char *display_name,
                         const char *password_hash, bool must_change, int64_t now, int64_t *id_out);
/* display_name NULL = unchanged; disabled < 0 = unchanged. YC_ENOTFOUND if absent. */
int accounts_user_update(db_conn *tx, int64_t id, const char *display_name, int disabled,
                         int64_t now);
int accounts_user_set_password(db_conn *tx, int64_t id, const char *hash, bool must_change,
                               int64_t now);
int accounts_login_failed(db_conn *tx, int64_t id, int64_t failed, int64_t locked_until);
int accounts_login_ok(db_conn *tx, int64_t id);
/* Replace all roles of a user with the JSON array [{role, center_id, department_id}]
 * (already validated). */
int accounts_roles_replace(db_conn *tx, int64_t user_id, json_t *roles);
/* A user as the API shows it, with roles; NULL if absent. */
json_t *accounts_user_json(db_conn *c, int64_t id);
/* Users holding a role in root_path's subtree (NULL = all), ids > after_id, optional
 * substring q on username/display name. */
json_t *accounts_users_list(db_conn *c, const char *root_path, const char *q, int64_t after_id,
                            int limit);
/* The centers of a user's roles all lie inside root_path (users without roles too). */
bool accounts_user_within(db_conn *c, int64_t user_id, const char *root_path);
/* The user holds role (a code) at some center. */
bool accounts_user_has_role(db_conn *c, int64_t user_id, const char *role);

/* --- sessions --- */
int accounts_session_insert(db_conn *tx, const char *token_hash, int64_t user_id, const char *csrf,
                            const char *client_addr, int64_t now, int64_t expires_at,
                            int64_t *id_out);
int accounts_session_revoke(db_conn *tx, int64_t session_id, int64_t now);
/* Revoke every live session of a user except keep_id (0 = none). */
int accounts_sessions_revoke_user(db_conn *tx, int64_t user_id, int64_t keep_id, int64_t now);
/* Fill p from a live session; YC_EAUTH if none. */
int accounts_session_load(db_conn *c, const char *token_hash, int64_t now, principal *p,
                          int64_t *expires_at);
int64_t accounts_session_expires(db_conn *c, int64_t session_id);

/* --- devices --- */
int accounts_device_insert(db_conn *tx, const char *kind, const char *name, int64_t center_id,
                           int64_t window_no, const char *token_hash, int64_t now, int64_t *id_out);
int accounts_device_revoke(db_conn *tx, int64_t id, int64_t now);
json_t *accounts_device_get(db_conn *c, int64_t id);
json_t *accounts_devices_list(db_conn *c, const char *root_path, int64_t after_id, int limit);
int accounts_device_load(db_conn *c, const char *token_hash, principal *p);

#endif
