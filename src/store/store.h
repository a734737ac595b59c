/*
 * store.h - the database as the rest of the product sees it.
 *
 * One writer connection owned by a writer thread, and one reader connection per
 * thread that asks for one. Writes are jobs: a function run inside a transaction on
 * the writer thread. The writer takes every job waiting, runs each in its own
 * savepoint (one failing job does not undo the others), and commits the batch with a
 * single fsync -- group commit. A job's done callback runs only after that commit is
 * on disk, so a reply sent from it never acknowledges a write that could be lost.
 */
#ifndef YC_STORE_H
#define YC_STORE_H

#include "store/db.h"
#include "util/err.h"

#include <stdint.h>

typedef struct store store;

typedef struct store_job store_job;
struct store_job {
    /* Runs on the writer thread inside the batch transaction; returns 0 or < 0.
     * On < 0 everything the job wrote is rolled back. */
    int (*run)(db_conn *tx, void *arg);
    /* Runs once the commit is on disk (rc = run's result, or YC_EDB if the commit or
     * its sync failed), on the store's sync thread (or the writer's when the commit
     * failed or the store syncs with synchronous=FULL). Must not block. */
    void (*done)(void *arg, int rc);
    void *arg;
    store_job *next; /* owned by the queue */
};

typedef struct store_stats {
    uint64_t commits;   /* batches committed */
    uint64_t jobs;      /* jobs run */
    uint64_t max_batch; /* largest batch so far */
    uint64_t db_ops;    /* statements stepped on the writer */
} store_stats;

/* Open (creating if needed) the database at path, apply pending migrations, start
 * the writer thread. */
int store_open(const char *path, store **out);
/* Finish every queued job, stop the writer, close all connections. */
void store_close(store *s);

/* Queue a job; returns at once. */
void store_submit(store *s, store_job *job);
/* Queue a job and wait until it is committed (or failed); returns run's result. */
int store_write_sync(store *s, int (*run)(db_conn *tx, void *arg), void *arg);

/* This thread's reader connection (opened on first use, closed by store_close). */
db_conn *store_reader(store *s);
/* Sum of statements stepped on reader connections, for /metrics. */
uint64_t store_reader_ops(store *s);

void store_get_stats(store *s, store_stats *out);
const char *store_path(store *s);
/* Schema version applied (number of migrations). */
int store_schema_version(store *s);

/* Migrations, compiled in (migrations.c). */
typedef struct store_migration {
    int version;
    const char *name;
    const char *sql;
} store_migration;
extern const store_migration store_migrations[];
extern const int store_migration_count;

#endif
