/*
 * db.h - the engine-neutral SQL interface every store module is written against.
 *
 * All SQL of the product lives in store/ and goes through these calls, so that a
 * PostgreSQL engine is one new file (db_pg.c) implementing this header. To keep SQL
 * portable, statements use $1, $2, ... placeholders (SQLite accepts them as named
 * parameters bound by position), INSERT ... RETURNING for new ids, integers for
 * instants (milliseconds since the epoch, UTC) and TEXT for strings.
 *
 * A db_conn belongs to one thread at a time. db_prepare caches statements per
 * connection keyed by the SQL string's address, so pass string literals.
 */
#ifndef YC_DB_H
#define YC_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct db_conn db_conn;
typedef struct db_stmt db_stmt;

enum { DB_DONE = 0, DB_ROW = 1 };

/* Error codes from db_step/db_exec, besides the YC_E* ones. */
#define DB_ECONSTRAINT (-20) /* unique / foreign key / check violated */
#define DB_EBUSY       (-21)

typedef enum { DB_WRITER, DB_READER } db_role;

/* Open a connection to the database at path (created if absent for the writer).
 * The writer runs with synchronous=FULL so that a commit is on disk when it returns. */
int db_open(const char *path, db_role role, db_conn **out);
void db_close(db_conn *c);

/* Run one or more statements without parameters. */
int db_exec(db_conn *c, const char *sql);
/* Prepared, cached statement; NULL on a syntax error (logged). Reset before reuse. */
db_stmt *db_prepare(db_conn *c, const char *sql);

/* An uncached statement for SQL built at run time (e.g. an UPDATE of the fields a
 * request names); free it with db_finalize. */
db_stmt *db_prepare_once(db_conn *c, const char *sql);
void db_finalize(db_stmt *st);

void db_bind_int(db_stmt *st, int idx, int64_t v);
void db_bind_text(db_stmt *st, int idx, const char *s); /* NULL binds NULL */
void db_bind_blob(db_stmt *st, int idx, const void *p, size_t n);
void db_bind_null(db_stmt *st, int idx);

/* DB_ROW, DB_DONE, or a negative error. */
int db_step(db_stmt *st);
/* Step a statement expected to return nothing; resets it. */
int db_run(db_stmt *st);
/* Clear bindings and rewind; call when done with the rows. */
void db_reset(db_stmt *st);

int64_t db_col_int(db_stmt *st, int col);
const char *db_col_text(db_stmt *st, int col); /* "" for NULL; valid until next step */
const void *db_col_blob(db_stmt *st, int col, size_t *n);
bool db_col_null(db_stmt *st, int col);

typedef enum { DB_T_NULL, DB_T_INT, DB_T_REAL, DB_T_TEXT, DB_T_BLOB } db_type;
db_type db_col_type(db_stmt *st, int col);
int db_col_count(db_stmt *st);
const char *db_col_name(db_stmt *st, int col);

int db_changes(db_conn *c);
/* The id of the row the connection's last INSERT added. For the hot inserts instead of
 * RETURNING, which makes SQLite open a temporary table for every statement (a page cache
 * each time: about a tenth of the writer's CPU in bench/hall_cycle.sh). */
int64_t db_last_insert_id(db_conn *c);
const char *db_errmsg(db_conn *c);

/* A number that changes whenever another connection has committed since the last call
 * (SQLite: PRAGMA data_version); -1 if the engine cannot tell, and then callers must not
 * cache what they read. */
int64_t db_change_counter(db_conn *c);

/* Count of statements stepped on this connection, for /metrics. */
uint64_t db_ops(db_conn *c);

/* Online, consistent copy of the database at src_path into dst_path while other
 * processes keep writing (SQLite backup API). progress(done, total, arg) may be NULL. */
int db_backup(const char *src_path, const char *dst_path,
              void (*progress)(int done, int total, void *arg), void *arg);

#endif
