/* Unit tests: store (migrations, group commit, readers, backup) and the action log's
 * hash chain, on real SQLite files in a temporary directory. */
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

#include "store/accounts.h"
#include "store/audit.h"
#include "store/notices.h"
#include "store/store.h"
#include "util/util.h"

typedef struct fixture {
    char dir[64];
    char path[128];
    store *st;
} fixture;

static int setup(void **state)
{
    fixture *f = xcalloc(1, sizeof(*f));
    ystrlcpy(f->dir, "/tmp/yc-unit-XXXXXX", sizeof(f->dir));
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
    if (store_open(f->path, &f->st))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    store_close(f->st);
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        return -1;
    free(f);
    return 0;
}

static const audit_actor actor = {"user", 7, "tester", "admin", 0, 0, "127.0.0.1"};

static int make_center(db_conn *tx, void *arg)
{
    int64_t id;
    return accounts_center_insert(tx, 0, "county", "测试县政务服务中心", 1, &id);
}

static void test_migrations_applied(void **state)
{
    fixture *f = *state;
    assert_int_equal(store_schema_version(f->st),
                     store_migrations[store_migration_count - 1].version);
    /* Reopening applies nothing new and keeps the version. */
    store *again;
    store_close(f->st);
    assert_int_equal(store_open(f->path, &again), 0);
    assert_int_equal(store_schema_version(again),
                     store_migrations[store_migration_count - 1].version);
    f->st = again;
}

typedef struct job_arg {
    int n;
    bool fail;
} job_arg;

static int insert_notice(db_conn *tx, void *arg)
{
    job_arg *a = arg;
    int64_t id;
    char title[32];
    snprintf(title, sizeof(title), "n%d", a->n);
    int rc = notices_insert(tx, 1, title, "body", 0, 1, &id);
    if (!rc)
        rc = audit_append(tx, &actor, "notice_create", "notice", title, "t");
    return a->fail ? YC_EINVAL : rc;
}

static int count_rows(store *st, const char *sql)
{
    db_conn *c = store_reader(st);
    db_stmt *q = db_prepare(c, sql);
    assert_non_null(q);
    assert_int_equal(db_step(q), DB_ROW);
    int n = (int)db_col_int(q, 0);
    db_reset(q);
    return n;
}

static void test_failed_job_rolls_back_alone(void **state)
{
    fixture *f = *state;
    assert_int_equal(store_write_sync(f->st, make_center, NULL), 0);
    job_arg ok = {1, false}, bad = {2, true};
    assert_int_equal(store_write_sync(f->st, insert_notice, &ok), 0);
    assert_int_equal(store_write_sync(f->st, insert_notice, &bad), YC_EINVAL);
    assert_int_equal(count_rows(f->st, "SELECT COUNT(*) FROM announcements"), 1);
    assert_int_equal(count_rows(f->st, "SELECT COUNT(*) FROM audit_log"), 1);
}

typedef struct batch_state {
    pthread_mutex_t lock;
    int done, ok;
} batch_state;

typedef struct async_job {
    store_job job;
    job_arg arg;
    batch_state *bs;
} async_job;

static int async_run(db_conn *tx, void *p)
{
    async_job *j = p;
    return insert_notice(tx, &j->arg);
}

static void async_done(void *p, int rc)
{
    async_job *j = p;
    pthread_mutex_lock(&j->bs->lock);
    j->bs->done++;
    if (rc == 0)
        j->bs->ok++;
    pthread_mutex_unlock(&j->bs->lock);
}

static void test_group_commit_batches(void **state)
{
    fixture *f = *state;
    assert_int_equal(store_write_sync(f->st, make_center, NULL), 0);
    enum { N = 2000 };
    async_job *jobs = xcalloc(N, sizeof(*jobs));
    batch_state bs = {PTHREAD_MUTEX_INITIALIZER, 0, 0};
    for (int i = 0; i < N; i++) {
        jobs[i].arg.n = i;
        jobs[i].arg.fail = (i % 100) == 0; /* 20 jobs fail and must leave no trace */
        jobs[i].bs = &bs;
        jobs[i].job.run = async_run;
        jobs[i].job.done = async_done;
        jobs[i].job.arg = &jobs[i];
        store_submit(f->st, &jobs[i].job);
    }
    for (;;) {
        pthread_mutex_lock(&bs.lock);
        int d = bs.done;
        pthread_mutex_unlock(&bs.lock);
        if (d == N)
            break;
        usleep(1000);
    }
    assert_int_equal(bs.ok, N - 20);
    assert_int_equal(count_rows(f->st, "SELECT COUNT(*) FROM announcements"), N - 20);
    store_stats s;
    store_get_stats(f->st, &s);
    /* Queued all at once: far fewer commits than jobs. */
    assert_true(s.commits < (uint64_t)N / 2);
    assert_true(s.max_batch > 1);
    audit_report rep;
    assert_int_equal(audit_verify(store_reader(f->st), &rep), 0);
    assert_true(rep.ok);
    assert_int_equal(rep.rows, N - 20);
    free(jobs);
}

static int append_rows(db_conn *tx, void *arg)
{
    for (int i = 0; i < 5; i++) {
        char s[64];
        snprintf(s, sizeof(s), "第%d步 电话13812345678", i);
        int rc = audit_append(tx, &actor, "step", "thing", "1", s);
        if (rc)
            return rc;
    }
    return 0;
}

static void tamper(fixture *f, const char *sql)
{
    /* Someone with the file: a separate connection, triggers dropped first. */
    db_conn *c;
    assert_int_equal(db_open(f->path, DB_WRITER, &c), 0);
    assert_int_equal(db_exec(c, "DROP TRIGGER IF EXISTS audit_log_no_update;"
                                "DROP TRIGGER IF EXISTS audit_log_no_delete;"),
                     0);
    assert_int_equal(db_exec(c, sql), 0);
    db_close(c);
}

static audit_report verify(fixture *f)
{
    audit_report rep;
    db_conn *c;
    assert_int_equal(db_open(f->path, DB_READER, &c), 0);
    assert_int_equal(audit_verify(c, &rep), 0);
    db_close(c);
    return rep;
}

static void test_audit_masks_and_verifies(void **state)
{
    fixture *f = *state;
    assert_int_equal(store_write_sync(f->st, append_rows, NULL), 0);
    audit_report rep = verify(f);
    assert_true(rep.ok);
    assert_int_equal(rep.rows, 5);
    assert_int_equal(count_rows(f->st, "SELECT COUNT(*) FROM audit_log WHERE summary LIKE "
                                       "'%138****5678%'"),
                     5);
    /* The program itself cannot edit or delete rows. */
    db_conn *c;
    assert_int_equal(db_open(f->path, DB_WRITER, &c), 0);
    assert_true(db_exec(c, "UPDATE audit_log SET summary = 'x' WHERE seq = 2") < 0);
    assert_true(db_exec(c, "DELETE FROM audit_log WHERE seq = 2") < 0);
    db_close(c);
}

static void test_audit_detects_edit(void **state)
{
    fixture *f = *state;
    assert_int_equal(store_write_sync(f->st, append_rows, NULL), 0);
    tamper(f, "UPDATE audit_log SET summary = '改过了' WHERE seq = 3");
    audit_report rep = verify(f);
    assert_false(rep.ok);
    assert_int_equal(rep.first_bad_seq, 3);
    assert_int_equal(rep.rows, 2);
}

static void test_audit_detects_delete(void **state)
{
    fixture *f = *state;
    assert_int_equal(store_write_sync(f->st, append_rows, NULL), 0);
    tamper(f, "DELETE FROM audit_log WHERE seq = 2");
    audit_report rep = verify(f);
    assert_false(rep.ok);
    assert_int_equal(rep.first_bad_seq, 2);
}

static void test_audit_detects_reorder(void **state)
{
    fixture *f = *state;
    assert_int_equal(store_write_sync(f->st, append_rows, NULL), 0);
    /* Swap rows 2 and 4 wholesale (content and hashes): seq stays dense. */
    tamper(f, "UPDATE audit_log SET seq = -2 WHERE seq = 2;"
              "UPDATE audit_log SET seq = 2 WHERE seq = 4;"
              "UPDATE audit_log SET seq = 4 WHERE seq = -2;");
    audit_report rep = verify(f);
    assert_false(rep.ok);
    assert_int_equal(rep.first_bad_seq, 2);
}

static void test_audit_detects_truncation(void **state)
{
    fixture *f = *state;
    assert_int_equal(store_write_sync(f->st, append_rows, NULL), 0);
    tamper(f, "DELETE FROM audit_log WHERE seq = 5");
    audit_report rep = verify(f);
    assert_false(rep.ok);
    assert_int_equal(rep.first_bad_seq, 5);
}

static void test_params_bind_by_number(void **state)
{
    /* "$2" before "$1" in the text must still bind by number, as in PostgreSQL. */
    fixture *f = *state;
    db_conn *c = store_reader(f->st);
    db_stmt *q = db_prepare(c, "SELECT $2 || '-' || $1, $1 + 0");
    assert_non_null(q);
    db_bind_text(q, 1, "a");
    db_bind_text(q, 2, "b");
    assert_int_equal(db_step(q), DB_ROW);
    assert_string_equal(db_col_text(q, 0), "b-a");
    db_reset(q);
}

static void test_backup_copy(void **state)
{
    fixture *f = *state;
    assert_int_equal(store_write_sync(f->st, append_rows, NULL), 0);
    char out[160];
    snprintf(out, sizeof(out), "%s/backup.db", f->dir);
    assert_int_equal(db_backup(f->path, out, NULL, NULL), 0);
    db_conn *c;
    assert_int_equal(db_open(out, DB_READER, &c), 0);
    audit_report rep;
    assert_int_equal(audit_verify(c, &rep), 0);
    assert_true(rep.ok);
    assert_int_equal(rep.rows, 5);
    db_close(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_migrations_applied, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_job_rolls_back_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_group_commit_batches, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_masks_and_verifies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_detects_edit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_detects_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_detects_reorder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_detects_truncation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_params_bind_by_number, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backup_copy, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
