/* setup.c - see setup.h. */
#include "service/setup.h"
#include "service/auth.h"
#include "service/calendar.h"
#include "store/accounts.h"
#include "store/audit.h"
#include "util/util.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const audit_actor cli_actor = {"system", 0, "yichuang", "", 0, 0, ""};

bool setup_done(store *st)
{
    db_conn *c = store_reader(st);
    db_stmt *q = c ? db_prepare(c, "SELECT COUNT(*) FROM centers") : NULL;
    bool done = q && db_step(q) == DB_ROW && db_col_int(q, 0) > 0;
    if (q)
        db_reset(q);
    return done;
}

typedef struct init_ctx {
    const setup_opts *o;
    char hash[AUTH_HASH_MAX];
    bool must_change;
    workcal *holidays; /* may be NULL */
    int years;
} init_ctx;

static int init_tx(db_conn *tx, void *arg)
{
    init_ctx *c = arg;
    int64_t now = ytime_now_ms(), center, user;
    int rc = accounts_center_insert(tx, 0, "county", c->o->center_name, now, &center);
    if (!rc)
        rc = accounts_user_insert(tx, c->o->admin_user, "系统管理员", c->hash, c->must_change, now,
                                  &user);
    if (rc)
        return rc;
    json_t *roles = json_pack("[{s:s,s:I}]", "role", "admin", "center_id", (json_int_t)center);
    rc = accounts_roles_replace(tx, user, roles);
    json_decref(roles);
    if (!rc && c->holidays)
        rc = calendar_store_import(tx, c->holidays, c->o->holidays_path, now, &c->years);
    char summary[200];
    snprintf(summary, sizeof(summary), "初始化数据库，创建中心与系统管理员，导入节假日数据%d年",
             c->years);
    if (!rc)
        rc = audit_append(tx, &cli_actor, "init", "center", "1", summary);
    return rc;
}

/* Read a file into b; 0 or YC_EIO. */
static int read_file(const char *path, ybuf *b)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return YC_EIO;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        ybuf_add(b, chunk, n);
    fclose(f);
    return 0;
}

/* Parse a holiday file against the database's years. 0 with *out, or < 0 with problem. */
static int parse_holidays(store *st, const char *path, bool replace, workcal **out, char *problem,
                          size_t size)
{
    ybuf text = {0};
    if (read_file(path, &text)) {
        snprintf(problem, size, "无法读取节假日数据文件 %s", path);
        return YC_EIO;
    }
    workcal_json_problems problems = {0};
    int rc = calendar_parse_import(store_reader(st), text.data ? text.data : "", text.len, replace,
                                   out, &problems);
    ybuf_release(&text);
    if (rc) {
        const workcal_json_problem *p = problems.count ? &problems.items[0] : NULL;
        snprintf(problem, size, "节假日数据有%d处问题，未导入任何内容；第一处：%s %s %s",
                 problems.count + problems.dropped, p ? p->where : "", p ? p->date : "",
                 p ? p->message : "");
    }
    workcal_json_problems_release(&problems);
    return rc;
}

int setup_init(store *st, const setup_opts *o, char *password_out, size_t size, int *years,
               char *problem, size_t psize)
{
    init_ctx c = {.o = o};
    problem[0] = '\0';
    if (o->holidays_path &&
        parse_holidays(st, o->holidays_path, false, &c.holidays, problem, psize))
        c.holidays = NULL;
    if (o->admin_password) {
        ystrlcpy(password_out, o->admin_password, size);
    } else {
        /* 12 characters from an alphabet without look-alikes, plus a digit. */
        static const char alphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        char pw[16];
        for (int i = 0; i < 12; i++)
            pw[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
        pw[12] = (char)('2' + randombytes_uniform(8));
        pw[13] = '\0';
        ystrlcpy(password_out, pw, size);
        c.must_change = true;
    }
    int rc = auth_hash_password(password_out, c.hash) ? YC_EIO : store_write_sync(st, init_tx, &c);
    workcal_free(c.holidays);
    *years = c.years;
    return rc;
}

/* ------------------------------------------------------------ holidays */

typedef struct holiday_ctx {
    workcal *cal;
    const char *source;
    int years;
} holiday_ctx;

static int holidays_tx(db_conn *tx, void *arg)
{
    holiday_ctx *h = arg;
    int rc = calendar_store_import(tx, h->cal, h->source, ytime_now_ms(), &h->years);
    if (rc)
        return rc;
    char summary[160];
    snprintf(summary, sizeof(summary), "导入节假日数据%d年（%s）", h->years, h->source);
    return audit_append(tx, &cli_actor, "calendar_import", "calendar", "", summary);
}

int setup_import_holidays(store *st, const char *path, bool replace, int *years, char *problem,
                          size_t size)
{
    holiday_ctx h = {NULL, path, 0};
    *years = 0;
    int rc = parse_holidays(st, path, replace, &h.cal, problem, size);
    if (rc)
        return rc;
    rc = store_write_sync(st, holidays_tx, &h);
    workcal_free(h.cal);
    if (rc)
        snprintf(problem, size, "写入节假日数据失败");
    *years = h.years;
    return rc;
}
