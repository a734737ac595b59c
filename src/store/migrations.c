/*
 * migrations.c - the schema, as numbered migrations compiled into the binary.
 *
 * Applied in order at start-up (store.c), each in its own transaction. Never edit a
 * migration that has shipped; add a new one. Instants are INTEGER milliseconds since
 * the epoch (UTC). The SQL is kept portable; SQLite-only parts (triggers) are marked.
 */
#include "store/store.h"

const store_migration store_migrations[] = {
    {1, "platform",
     "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"

     /* 中心: county -> town -> village. path is '/1/4/9/' so a subtree is a prefix. */
     "CREATE TABLE centers ("
     " id INTEGER PRIMARY KEY,"
     " parent_id INTEGER REFERENCES centers(id),"
     " level TEXT NOT NULL CHECK (level IN ('county','town','village')),"
     " name TEXT NOT NULL,"
     " path TEXT NOT NULL DEFAULT '',"
     " created_at INTEGER NOT NULL);"
     "CREATE UNIQUE INDEX centers_name ON centers(parent_id, name);"

     "CREATE TABLE users ("
     " id INTEGER PRIMARY KEY,"
     " username TEXT NOT NULL UNIQUE,"
     " display_name TEXT NOT NULL,"
     " password_hash TEXT NOT NULL,"
     " disabled INTEGER NOT NULL DEFAULT 0,"
     " must_change_password INTEGER NOT NULL DEFAULT 0,"
     " failed_logins INTEGER NOT NULL DEFAULT 0,"
     " locked_until INTEGER NOT NULL DEFAULT 0,"
     " created_at INTEGER NOT NULL,"
     " updated_at INTEGER NOT NULL);"

     "CREATE TABLE user_roles ("
     " id INTEGER PRIMARY KEY,"
     " user_id INTEGER NOT NULL REFERENCES users(id),"
     " role TEXT NOT NULL,"
     " center_id INTEGER REFERENCES centers(id),"
     " department_id INTEGER);"
     "CREATE INDEX user_roles_user ON user_roles(user_id);"
     "CREATE INDEX user_roles_center ON user_roles(center_id);"

     /* Only a hash of the session token is stored: a copy of the database does not
      * let anyone log in. */
     "CREATE TABLE sessions ("
     " id INTEGER PRIMARY KEY,"
     " token_hash TEXT NOT NULL UNIQUE,"
     " user_id INTEGER NOT NULL REFERENCES users(id),"
     " csrf_token TEXT NOT NULL,"
     " client_addr TEXT NOT NULL DEFAULT '',"
     " created_at INTEGER NOT NULL,"
     " expires_at INTEGER NOT NULL,"
     " revoked_at INTEGER);"
     "CREATE INDEX sessions_user ON sessions(user_id);"

     "CREATE TABLE devices ("
     " id INTEGER PRIMARY KEY,"
     " kind TEXT NOT NULL CHECK (kind IN ('kiosk','display','rating_pad')),"
     " name TEXT NOT NULL,"
     " center_id INTEGER NOT NULL REFERENCES centers(id),"
     " window_no INTEGER,"
     " token_hash TEXT NOT NULL UNIQUE,"
     " created_at INTEGER NOT NULL,"
     " revoked_at INTEGER);"

     "CREATE TABLE announcements ("
     " id INTEGER PRIMARY KEY,"
     " center_id INTEGER NOT NULL REFERENCES centers(id),"
     " title TEXT NOT NULL,"
     " body TEXT NOT NULL,"
     " created_by INTEGER REFERENCES users(id),"
     " created_at INTEGER NOT NULL,"
     " deleted_at INTEGER);"
     "CREATE INDEX announcements_center ON announcements(center_id, id);"

     /* 操作日志: append-only, hash-chained (service/audit.c). */
     "CREATE TABLE audit_log ("
     " seq INTEGER PRIMARY KEY,"
     " at INTEGER NOT NULL,"
     " actor_kind TEXT NOT NULL,"
     " actor_id INTEGER,"
     " actor_name TEXT NOT NULL DEFAULT '',"
     " role TEXT NOT NULL DEFAULT '',"
     " center_id INTEGER,"
     " window_no INTEGER,"
     " client_addr TEXT NOT NULL DEFAULT '',"
     " action TEXT NOT NULL,"
     " object_type TEXT NOT NULL DEFAULT '',"
     " object_id TEXT NOT NULL DEFAULT '',"
     " summary TEXT NOT NULL DEFAULT '',"
     " prev_hash TEXT NOT NULL,"
     " hash TEXT NOT NULL);"
     "CREATE INDEX audit_center ON audit_log(center_id, seq);"
     /* SQLite-only: refuse edits and deletes from inside the program. Someone with the
      * file can drop these; the hash chain is what catches that. */
     "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
     " BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"
     "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
     " BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"},
};

const int store_migration_count = (int)(sizeof(store_migrations) / sizeof(store_migrations[0]));
