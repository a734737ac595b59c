/*
 * store.c - writer thread with group commit, per-thread readers, migrations.
 *
 * Why a single writer: SQLite allows one writer at a time anyway; funnelling every
 * write through one thread turns lock contention into a queue and lets us pay one
 * fsync per batch. The batch size is bounded (MAX_BATCH) so one long batch does not
 * delay the first job's reply without limit.
 *
 * Durability without the writer waiting for the disk: the writer commits with
 * synchronous=NORMAL (SQLite appends the batch to the WAL file without an fsync) and
 * hands the committed batch to a sync thread, which fdatasync()s the WAL file and only
 * then runs the batch's done callbacks (the replies). So nothing is acknowledged before
 * it is on disk, as with synchronous=FULL, but the writer runs the next batch while
 * the disk flushes the last one (in bench/hall_cycle.sh the writer had waited for the
 * disk about half of each batch). One fdatasync covers every batch committed before it
 * began. Checkpoints keep SQLite's own syncs (WAL before, database after). Readers may
 * see a batch a moment before it is acknowledged; a power failure in that moment can
 * lose what they saw, never what a caller was told succeeded.
 */
#include "store/store.h"
#include "util/log.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_BATCH   512
#define MAX_READERS 64

struct store {
    char *path;
    db_conn *writer;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    store_job *head, *tail;
    bool stopping;
    int schema_version;

    /* The sync thread (see above): committed batches waiting for their fdatasync. */
    int wal_fd; /* -1: the writer commits with synchronous=FULL instead */
    pthread_t sync_thread;
    pthread_mutex_t sync_lock;
    pthread_cond_t sync_cond;
    struct synced *sync_head, *sync_tail;
    bool sync_stopping;

    pthread_mutex_t readers_lock;
    db_conn *readers[MAX_READERS];
    int nreaders;
    pthread_key_t reader_key;

    _Atomic uint64_t commits, jobs, max_batch, writer_ops;
};

static int migrate(store *s)
{
    db_conn *c = s->writer;
    if (db_exec(c,
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)"))
        return YC_EDB;
    db_stmt *q = db_prepare(c, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (!q || db_step(q) != DB_ROW)
        return YC_EDB;
    int have = (int)db_col_int(q, 0);
    db_reset(q);
    /* Versions may have gaps while branches are merged; the newest one counts. */
    int newest = store_migration_count ? store_migrations[store_migration_count - 1].version : 0;
    if (have > newest) {
        ylog_error("migrate", "database schema %d is newer than this program (%d)", have, newest);
        return YC_EDB;
    }
    /* Foreign keys off while migrating (outside any transaction, or the pragma does
     * nothing), so a migration can rebuild a table the documented way (new table, copy,
     * drop, rename); each migration's result is checked before it commits. */
    if (have < newest && db_exec(c, "PRAGMA foreign_keys=OFF"))
        return YC_EDB;
    for (int i = 0; i < store_migration_count; i++) {
        const store_migration *m = &store_migrations[i];
        if (m->version <= have)
            continue;
        if (db_exec(c, "BEGIN IMMEDIATE"))
            goto fail_out;
        if (db_exec(c, m->sql))
            goto fail;
        db_stmt *fk = db_prepare(c, "PRAGMA foreign_key_check");
        int fk_rc = fk ? db_step(fk) : YC_EDB;
        if (fk)
            db_reset(fk);
        if (fk_rc != DB_DONE) {
            ylog_error("migrate", "migration %d (%s) breaks a foreign key", m->version, m->name);
            goto fail;
        }
        db_stmt *ins = db_prepare(
            c, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)");
        if (!ins)
            goto fail;
        db_bind_int(ins, 1, m->version);
        db_bind_text(ins, 2, m->name);
        db_bind_int(ins, 3, ytime_now_ms());
        if (db_run(ins))
            goto fail;
        if (db_exec(c, "COMMIT"))
            goto fail;
        ylog_info("migrate", "applied migration %d (%s)", m->version, m->name);
        have = m->version;
    }
    if (db_exec(c, "PRAGMA foreign_keys=ON"))
        return YC_EDB;
    s->schema_version = have;
    return 0;
fail:
    db_exec(c, "ROLLBACK");
fail_out:
    db_exec(c, "PRAGMA foreign_keys=ON");
    return YC_EDB;
}

/* Run one of the batch's own statements, prepared once and cached (db_prepare keys on
 * the literal's address) rather than parsed by sqlite3_exec every time: on this thread,
 * the one every write waits for, parsing SAVEPOINT/RELEASE for each job cost ~7% of
 * its time. */
static int batch_sql(db_conn *c, const char *sql)
{
    db_stmt *st = db_prepare(c, sql);
    return st ? db_run(st) : YC_EDB;
}

/* Run the done callbacks of a batch: rcs[i] for job i, or fail (a failed sync). */
static void finish_batch(store_job *batch, const int *rcs, int fail)
{
    int i = 0;
    for (store_job *j = batch, *next; j; j = next, i++) {
        next = j->next; /* done() may free the job */
        j->next = NULL;
        if (j->done)
            j->done(j->arg, fail ? fail : rcs[i]);
    }
}

typedef struct synced {
    store_job *batch;
    int *rcs;
    struct synced *next;
} synced;

static void hand_to_sync(store *s, store_job *batch, const int *rcs, int n)
{
    synced *b = xcalloc(1, sizeof(*b));
    b->batch = batch;
    b->rcs = xcalloc((size_t)(n ? n : 1), sizeof(int));
    memcpy(b->rcs, rcs, (size_t)n * sizeof(int));
    pthread_mutex_lock(&s->sync_lock);
    if (s->sync_tail)
        s->sync_tail->next = b;
    else
        s->sync_head = b;
    s->sync_tail = b;
    pthread_cond_signal(&s->sync_cond);
    pthread_mutex_unlock(&s->sync_lock);
}

static void *sync_main(void *arg)
{
    store *s = arg;
    pthread_mutex_lock(&s->sync_lock);
    for (;;) {
        while (!s->sync_head && !s->sync_stopping)
            pthread_cond_wait(&s->sync_cond, &s->sync_lock);
        if (!s->sync_head)
            break;
        synced *list = s->sync_head; /* every batch committed so far */
        s->sync_head = s->sync_tail = NULL;
        pthread_mutex_unlock(&s->sync_lock);
        int fail = 0;
        if (fdatasync(s->wal_fd)) {
            /* Committed but perhaps not on disk: the callers are told it failed. */
            ylog_error("store", "fdatasync of the WAL failed: %s", strerror(errno));
            fail = YC_EDB;
        }
        for (synced *b = list, *next; b; b = next) {
            next = b->next;
            finish_batch(b->batch, b->rcs, fail);
            free(b->rcs);
            free(b);
        }
        pthread_mutex_lock(&s->sync_lock);
    }
    pthread_mutex_unlock(&s->sync_lock);
    return NULL;
}

/* Stop the sync thread once it has run the callbacks of everything handed to it. */
static void end_sync_thread(store *s)
{
    pthread_mutex_lock(&s->sync_lock);
    s->sync_stopping = true;
    pthread_cond_signal(&s->sync_cond);
    pthread_mutex_unlock(&s->sync_lock);
    pthread_join(s->sync_thread, NULL);
    close(s->wal_fd);
    s->wal_fd = -1;
}

/* Commit without SQLite's fsync and sync the WAL on the sync thread (see above). On any
 * failure the writer keeps synchronous=FULL. */
static void start_sync(store *s)
{
    s->wal_fd = -1;
    pthread_mutex_init(&s->sync_lock, NULL);
    pthread_cond_init(&s->sync_cond, NULL);
    size_t n = strlen(s->path) + 5;
    char *wal = xcalloc(1, n);
    snprintf(wal, n, "%s-wal", s->path);
    int fd = open(wal, O_RDONLY | O_CLOEXEC);
    free(wal);
    if (fd < 0) {
        ylog_warn("store", "no WAL file to sync (%s): commits stay synchronous=FULL",
                  strerror(errno));
        return;
    }
    s->wal_fd = fd;
    if (pthread_create(&s->sync_thread, NULL, sync_main, s)) {
        close(fd);
        s->wal_fd = -1;
        return;
    }
    if (db_exec(s->writer, "PRAGMA synchronous=NORMAL")) {
        ylog_warn("store", "cannot set synchronous=NORMAL: commits stay synchronous=FULL");
        end_sync_thread(s);
    }
}

static void stop_sync(store *s)
{
    if (s->wal_fd >= 0)
        end_sync_thread(s);
    pthread_mutex_destroy(&s->sync_lock);
    pthread_cond_destroy(&s->sync_cond);
}

static void run_batch(store *s, store_job *batch)
{
    int rcs[MAX_BATCH];
    int n = 0;
    bool began = batch_sql(s->writer, "BEGIN IMMEDIATE") == 0;
    bool ok = began;
    for (store_job *j = batch; j; j = j->next, n++) {
        rcs[n] = YC_EDB;
        if (!ok)
            continue;
        if (batch_sql(s->writer, "SAVEPOINT job")) {
            ok = false;
            continue;
        }
        rcs[n] = j->run(s->writer, j->arg);
        /* Some errors (disk full, I/O, out of memory) make SQLite roll back the whole
         * transaction by itself; the savepoint is then gone and ROLLBACK TO / RELEASE
         * fail. Had we gone on, the next jobs would each have run as their own
         * transaction (a SAVEPOINT outside one starts one) and been committed while
         * their callers were told the write failed. So: the batch fails as a whole. */
        if (rcs[n] < 0 && batch_sql(s->writer, "ROLLBACK TO job"))
            ok = false;
        if (ok && batch_sql(s->writer, "RELEASE job"))
            ok = false;
    }
    bool committed = ok && batch_sql(s->writer, "COMMIT") == 0;
    if (began && !committed)
        db_exec(s->writer, "ROLLBACK"); /* may have nothing to undo; logged if so */
    atomic_fetch_add(&s->jobs, (uint64_t)n);
    if (committed)
        atomic_fetch_add(&s->commits, 1);
    if ((uint64_t)n > atomic_load(&s->max_batch))
        atomic_store(&s->max_batch, (uint64_t)n);
    atomic_store(&s->writer_ops, db_ops(s->writer));
    if (!committed)
        for (int i = 0; i < n; i++)
            rcs[i] = YC_EDB;
    if (committed && s->wal_fd >= 0) /* replies once the WAL is on disk */
        hand_to_sync(s, batch, rcs, n);
    else /* synchronous=FULL (or a failure): on disk, or never will be */
        finish_batch(batch, rcs, 0);
}

static void *writer_main(void *arg)
{
    store *s = arg;
    pthread_mutex_lock(&s->lock);
    for (;;) {
        while (!s->head && !s->stopping)
            pthread_cond_wait(&s->cond, &s->lock);
        if (!s->head && s->stopping)
            break;
        store_job *batch = s->head, *last = s->head;
        int n = 1;
        while (last->next && n < MAX_BATCH) {
            last = last->next;
            n++;
        }
        s->head = last->next;
        if (!s->head)
            s->tail = NULL;
        last->next = NULL;
        pthread_mutex_unlock(&s->lock);
        run_batch(s, batch);
        pthread_mutex_lock(&s->lock);
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

int store_open(const char *path, store **out)
{
    store *s = xcalloc(1, sizeof(*s));
    s->path = xstrdup(path);
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->cond, NULL);
    pthread_mutex_init(&s->readers_lock, NULL);
    pthread_key_create(&s->reader_key, NULL);
    if (db_open(path, DB_WRITER, &s->writer))
        goto fail;
    if (migrate(s))
        goto fail;
    start_sync(s);
    if (pthread_create(&s->thread, NULL, writer_main, s)) {
        stop_sync(s);
        goto fail;
    }
    *out = s;
    return 0;
fail:
    db_close(s->writer);
    pthread_key_delete(s->reader_key);
    free(s->path);
    free(s);
    return YC_EDB;
}

void store_close(store *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    s->stopping = true;
    pthread_cond_signal(&s->cond);
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->thread, NULL);
    stop_sync(s);
    for (int i = 0; i < s->nreaders; i++)
        db_close(s->readers[i]);
    /* Checkpoint so the file is whole without its -wal companion. */
    db_exec(s->writer, "PRAGMA wal_checkpoint(TRUNCATE)");
    db_close(s->writer);
    pthread_key_delete(s->reader_key);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->cond);
    pthread_mutex_destroy(&s->readers_lock);
    free(s->path);
    free(s);
}

void store_submit(store *s, store_job *job)
{
    job->next = NULL;
    pthread_mutex_lock(&s->lock);
    if (s->tail)
        s->tail->next = job;
    else
        s->head = job;
    s->tail = job;
    pthread_cond_signal(&s->cond);
    pthread_mutex_unlock(&s->lock);
}

typedef struct sync_wait {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool finished;
    int rc;
    int (*run)(db_conn *, void *);
    void *arg;
} sync_wait;

static int sync_run(db_conn *tx, void *arg)
{
    sync_wait *w = arg;
    return w->run(tx, w->arg);
}

static void sync_done(void *arg, int rc)
{
    sync_wait *w = arg;
    pthread_mutex_lock(&w->lock);
    w->rc = rc;
    w->finished = true;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
}

int store_write_sync(store *s, int (*run)(db_conn *tx, void *arg), void *arg)
{
    sync_wait w = {.run = run, .arg = arg};
    pthread_mutex_init(&w.lock, NULL);
    pthread_cond_init(&w.cond, NULL);
    store_job job = {.run = sync_run, .done = sync_done, .arg = &w};
    store_submit(s, &job);
    pthread_mutex_lock(&w.lock);
    while (!w.finished)
        pthread_cond_wait(&w.cond, &w.lock);
    pthread_mutex_unlock(&w.lock);
    pthread_mutex_destroy(&w.lock);
    pthread_cond_destroy(&w.cond);
    return w.rc;
}

db_conn *store_reader(store *s)
{
    db_conn *c = pthread_getspecific(s->reader_key);
    if (c)
        return c;
    if (db_open(s->path, DB_READER, &c))
        return NULL;
    pthread_mutex_lock(&s->readers_lock);
    if (s->nreaders == MAX_READERS) {
        pthread_mutex_unlock(&s->readers_lock);
        ylog_error("store", "more than %d reader threads", MAX_READERS);
        db_close(c);
        return NULL;
    }
    s->readers[s->nreaders++] = c;
    pthread_mutex_unlock(&s->readers_lock);
    pthread_setspecific(s->reader_key, c);
    return c;
}

uint64_t store_reader_ops(store *s)
{
    uint64_t n = 0;
    pthread_mutex_lock(&s->readers_lock);
    for (int i = 0; i < s->nreaders; i++)
        n += db_ops(s->readers[i]);
    pthread_mutex_unlock(&s->readers_lock);
    return n;
}

void store_get_stats(store *s, store_stats *out)
{
    out->commits = atomic_load(&s->commits);
    out->jobs = atomic_load(&s->jobs);
    out->max_batch = atomic_load(&s->max_batch);
    out->db_ops = atomic_load(&s->writer_ops);
}

const char *store_path(store *s)
{
    return s->path;
}

int store_schema_version(store *s)
{
    return s->schema_version;
}
