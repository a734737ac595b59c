/* Unit tests: the writer's batch (store.c run_batch) when a job's error makes SQLite
 * roll back the whole transaction by itself, as SQLITE_FULL, SQLITE_IOERR or
 * SQLITE_NOMEM do. An explicit ROLLBACK inside the job stands in for that error.
 * Every job of such a batch must be reported failed AND nothing of it may be on disk:
 * a job told "failed" whose write is committed anyway makes the caller retry and write
 * twice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "util/util.h"

typedef struct job_arg {
    const char *key; /* NULL: this job fails and takes the transaction down */
    int rc;
} job_arg;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int pending;

static int put(db_conn *tx, void *p)
{
    job_arg *a = p;
    if (!a->key) {
        db_exec(tx, "ROLLBACK");
        return YC_EDB;
    }
    db_stmt *q = db_prepare(tx, "INSERT INTO meta (key, value) VALUES ($1, 'x')");
    if (!q)
        return YC_EDB;
    db_bind_text(q, 1, a->key);
    return db_run(q);
}

static void done(void *p, int rc)
{
    pthread_mutex_lock(&lock);
    ((job_arg *)p)->rc = rc;
    pending--;
    pthread_cond_signal(&cond);
    pthread_mutex_unlock(&lock);
}

static int hold_writer(db_conn *tx, void *p)
{
    usleep(200 * 1000);
    return 0;
}

static int count_keys(store *st)
{
    db_conn *c = store_reader(st);
    db_stmt *q = db_prepare(c, "SELECT count(*) FROM meta WHERE key LIKE 'batch-%'");
    assert_non_null(q);
    assert_int_equal(db_step(q), DB_ROW);
    int n = (int)db_col_int(q, 0);
    db_reset(q);
    return n;
}

static void test_transaction_lost_mid_batch(void **state)
{
    char dir[] = "/tmp/yc-unit-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof(path), "%s/t.db", dir);
    store *st;
    assert_int_equal(store_open(path, &st), 0);

    /* A job that keeps the writer busy, so that the next three form one batch. */
    store_job hold = {.run = hold_writer};
    store_submit(st, &hold);
    usleep(50 * 1000);
    job_arg a[3] = {{"batch-1", 1}, {NULL, 1}, {"batch-3", 1}};
    store_job j[3];
    pending = 3;
    for (int i = 0; i < 3; i++) {
        j[i] = (store_job){.run = put, .done = done, .arg = &a[i]};
        store_submit(st, &j[i]);
    }
    pthread_mutex_lock(&lock);
    while (pending)
        pthread_cond_wait(&cond, &lock);
    pthread_mutex_unlock(&lock);

    for (int i = 0; i < 3; i++)
        assert_true(a[i].rc < 0);        /* all told: not written */
    assert_int_equal(count_keys(st), 0); /* and indeed nothing is */

    /* The writer goes on working afterwards. */
    job_arg ok = {"batch-ok", 1};
    assert_int_equal(store_write_sync(st, put, &ok), 0);
    assert_int_equal(count_keys(st), 1);

    store_close(st);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transaction_lost_mid_batch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
