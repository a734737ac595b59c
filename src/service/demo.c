/*
 * demo.c - load the demo county (share/demo/county.json) into an initialized database.
 *
 * The county is data, not code: departments, centers with zones, windows and hours,
 * staff with roles, posts, windows and AB backups, items, authorizations granted by
 * chief representatives, applicants' records (encrypted like real ones) and notices.
 * Everything is written in one transaction with one action-log row, so a failed load
 * leaves the database as it was. A catalog.json next to the county file (the demo
 * catalog, service/catalog_svc.h format) is imported in the same transaction; its items
 * attach versions to the county's items of the same basic code.
 */
#include "core/workcal.h"
#include "core/mask.h"
#include "service/booking.h"
#include "service/catalog_svc.h"
#include "service/pii.h"
#include "service/setup.h"
#include "store/accounts.h"
#include "store/audit.h"
#include "store/notices.h"
#include "store/hall.h"
#include "store/org.h"
#include "store/people.h"
#include "util/log.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct demo_load {
    json_t *doc;
    json_t *catalog; /* may be NULL */
    const char *password_hash;
    json_t *ids; /* "dept:人社局", "center:county", "user:clerk", "staff:clerk", "item:..." */
    char problem[256];
    int nusers;
} demo_load;

static int64_t id_of(demo_load *d, const char *kind, const char *key)
{
    char k[160];
    snprintf(k, sizeof(k), "%s:%s", kind, key ? key : "");
    json_t *v = json_object_get(d->ids, k);
    if (!v)
        snprintf(d->problem, sizeof(d->problem), "演示数据引用了不存在的%s“%s”", kind,
                 key ? key : "");
    return v ? json_integer_value(v) : 0;
}

static void remember(demo_load *d, const char *kind, const char *key, int64_t id)
{
    char k[160];
    snprintf(k, sizeof(k), "%s:%s", kind, key);
    json_object_set_new(d->ids, k, json_integer(id));
}

static const char *str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static int load_centers(db_conn *tx, demo_load *d, int64_t now)
{
    static const char *const zone_cols[] = {"center_id", "kind", "name", "always_open", NULL};
    static const char *const win_cols[] = {
        "center_id",  "number",       "name",         "kind",   "domain", "department_id",
        "duty_lunch", "duty_weekend", "duty_holiday", "active", NULL};
    size_t i, k;
    json_t *c, *z, *w;
    json_array_foreach(json_object_get(d->doc, "centers"), i, c)
    {
        int64_t id = 1, zid, wid;
        int rc = 0;
        if (!json_is_true(json_object_get(c, "root"))) {
            int64_t parent = id_of(d, "center", str(c, "parent"));
            if (!parent)
                return YC_EINVAL;
            rc = accounts_center_insert(tx, parent, str(c, "level"), str(c, "name"), now, &id);
        }
        json_t *extra = json_pack("{s:s,s:s,s:s}", "address", str(c, "address"), "phone",
                                  str(c, "phone"), "region_code", str(c, "region_code"));
        if (!rc)
            rc = org_center_update(tx, id, extra, now);
        json_decref(extra);
        if (rc)
            return rc;
        remember(d, "center", str(c, "key"), id);
        json_array_foreach(json_object_get(c, "zones"), k, z)
        {
            json_object_set_new(z, "center_id", json_integer(id));
            if ((rc = org_insert(tx, "zones", zone_cols, z, now, 0, &zid)))
                return rc;
        }
        json_array_foreach(json_object_get(c, "windows"), k, w)
        {
            json_object_set_new(w, "center_id", json_integer(id));
            json_object_set_new(w, "active", json_true());
            if (json_object_get(w, "department")) {
                int64_t dept = id_of(d, "dept", str(w, "department"));
                if (!dept)
                    return YC_EINVAL;
                json_object_set_new(w, "department_id", json_integer(dept));
            }
            if ((rc = org_insert(tx, "windows", win_cols, w, now, 1, &wid)))
                return rc;
            char key[64];
            snprintf(key, sizeof(key), "%s#%lld", str(c, "key"),
                     (long long)json_integer_value(json_object_get(w, "number")));
            remember(d, "window", key, wid);
        }
        if ((rc = org_hours_set(tx, id, json_object_get(c, "hours"))))
            return rc;
    }
    return 0;
}

static int load_users(db_conn *tx, demo_load *d, int64_t now)
{
    static const char *const staff_cols[] = {"user_id",       "staff_no", "center_id",
                                             "department_id", "posts",    "window_id",
                                             "posted_since",  NULL};
    size_t i, k;
    json_t *u, *r;
    char since[WORKCAL_DATE_STRLEN];
    workcal_format(workcal_date_from_ms(now) - 800, since, sizeof(since)); /* > 2 years */
    json_array_foreach(json_object_get(d->doc, "users"), i, u)
    {
        int64_t uid, sid;
        int rc = accounts_user_insert(tx, str(u, "username"), str(u, "display_name"),
                                      d->password_hash, false, now, &uid);
        if (rc)
            return rc;
        remember(d, "user", str(u, "username"), uid);
        json_t *roles = json_array();
        json_array_foreach(json_object_get(u, "roles"), k, r)
        {
            json_t *role = json_pack("{s:s}", "role", str(r, "role"));
            if (json_object_get(r, "center"))
                json_object_set_new(role, "center_id",
                                    json_integer(id_of(d, "center", str(r, "center"))));
            if (json_object_get(r, "department"))
                json_object_set_new(role, "department_id",
                                    json_integer(id_of(d, "dept", str(r, "department"))));
            json_array_append_new(roles, role);
        }
        rc = d->problem[0] ? YC_EINVAL : accounts_roles_replace(tx, uid, roles);
        json_decref(roles);
        if (rc)
            return rc;
        json_t *s = json_object_get(u, "staff");
        if (!s)
            continue;
        json_t *row = json_pack("{s:I,s:s,s:I,s:s,s:s}", "user_id", (json_int_t)uid, "staff_no",
                                str(s, "staff_no"), "center_id",
                                (json_int_t)id_of(d, "center", str(s, "center")), "posts",
                                str(s, "posts"), "posted_since", since);
        if (json_object_get(s, "department"))
            json_object_set_new(row, "department_id",
                                json_integer(id_of(d, "dept", str(s, "department"))));
        if (json_object_get(s, "window")) {
            char key[64];
            snprintf(key, sizeof(key), "%s#%lld", str(s, "center"),
                     (long long)json_integer_value(json_object_get(s, "window")));
            json_object_set_new(row, "window_id", json_integer(id_of(d, "window", key)));
        }
        rc = d->problem[0] ? YC_EINVAL : org_insert(tx, "staff", staff_cols, row, now, 1, &sid);
        json_decref(row);
        if (rc)
            return rc;
        remember(d, "staff", str(u, "username"), sid);
        d->nusers++;
    }
    return 0;
}

static int load_links(db_conn *tx, demo_load *d, int64_t now)
{
    static const char *const backup_cols[] = {"backup_staff_id", NULL};
    static const char *const item_cols[] = {"basic_code", "name", "department_id", NULL};
    size_t i;
    json_t *b, *it, *g;
    json_array_foreach(json_object_get(d->doc, "backups"), i, b)
    {
        int64_t who = id_of(d, "staff", json_string_value(json_array_get(b, 0)));
        int64_t backup = id_of(d, "staff", json_string_value(json_array_get(b, 1)));
        if (!who || !backup)
            return YC_EINVAL;
        json_t *v = json_pack("{s:I}", "backup_staff_id", (json_int_t)backup);
        int rc = org_update(tx, "staff", backup_cols, v, now, who);
        json_decref(v);
        if (rc)
            return rc;
    }
    json_array_foreach(json_object_get(d->doc, "items"), i, it)
    {
        int64_t id, dept = id_of(d, "dept", str(it, "department"));
        if (!dept)
            return YC_EINVAL;
        json_object_set_new(it, "department_id", json_integer(dept));
        int rc = org_insert(tx, "items", item_cols, it, now, 0, &id);
        if (rc)
            return rc;
        remember(d, "item", str(it, "basic_code"), id);
    }
    char until[WORKCAL_DATE_STRLEN];
    workcal_format(workcal_date_from_ms(now) + 365, until, sizeof(until));
    json_array_foreach(json_object_get(d->doc, "authorizations"), i, g)
    {
        int64_t id, staff = id_of(d, "staff", str(g, "staff")),
                    item = id_of(d, "item", str(g, "item")),
                    chief = id_of(d, "user", str(g, "chief"));
        if (!staff || !item || !chief)
            return YC_EINVAL;
        int rc =
            org_authorization_insert(tx, staff, item, str(g, "action"), chief, now, until, &id);
        if (rc)
            return rc;
    }
    return 0;
}

static int load_people(db_conn *tx, demo_load *d, int64_t now)
{
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(d->doc, "people"), i, p)
    {
        const char *ident = str(p, "ident"), *mobile = str(p, "mobile");
        bool citizen = !strcmp(str(p, "kind"), "citizen");
        char iidx[PII_INDEX_LEN], midx[PII_INDEX_LEN];
        pii_index("ident", ident, iidx);
        pii_index("mobile", mobile, midx);
        person_row row = {str(p, "kind"),
                          str(p, "name"),
                          pii_encrypt(ident),
                          iidx,
                          citizen ? mask_id_number(ident) : xstrdup(ident),
                          pii_encrypt(mobile),
                          midx,
                          mask_phone(mobile)};
        int64_t id;
        int rc = people_insert(tx, &row, now, &id);
        free((char *)row.ident_cipher);
        free((char *)row.ident_masked);
        free((char *)row.mobile_cipher);
        free((char *)row.mobile_masked);
        if (rc)
            return rc;
    }
    json_t *n;
    json_array_foreach(json_object_get(d->doc, "notices"), i, n)
    {
        int64_t id, center = id_of(d, "center", str(n, "center"));
        if (!center)
            return YC_EINVAL;
        int rc = notices_insert(tx, center, str(n, "title"), str(n, "body"), 0, now, &id);
        if (rc)
            return rc;
    }
    return 0;
}

static int load_catalog(db_conn *tx, demo_load *d, int64_t now)
{
    cat_problems *p = xcalloc(1, sizeof(*p));
    int rc = 0;
    if (catsvc_check_catalog(tx, d->catalog, p)) {
        snprintf(d->problem, sizeof(d->problem), "演示目录有%d处问题，第一处：%.60s %.40s %.100s",
                 p->count + p->dropped, p->items[0].where, p->items[0].field, p->items[0].message);
        rc = YC_EINVAL;
    }
    free(p);
    catsvc_import_result res;
    if (!rc)
        rc = catsvc_import(tx, d->catalog, true, 0, now, &res);
    if (!rc)
        ylog_info("demo", "demo catalog: %d items created, %d updated, %d bundles", res.created,
                  res.updated, res.bundles);
    /* Every comprehensive window receives every item of its domain (a general window: all
     * items), granted by the departments' chief representatives: 综合窗口收件. */
    char until[WORKCAL_DATE_STRLEN];
    workcal_format(workcal_date_from_ms(now) + 365, until, sizeof(until));
    int64_t granted = 0;
    if (!rc)
        rc = org_grant_comprehensive_receive(tx, now, until, &granted);
    if (!rc)
        ylog_info("demo", "comprehensive windows: %lld receive grants", (long long)granted);
    return rc;
}

/* The hall's service lines (业务队列): each over the windows listed by number, serving
 * the published items of its domain, of its department, or (all_items) every item. */
static int load_lines(db_conn *tx, demo_load *d, int64_t now)
{
    size_t i, k, n;
    json_t *c, *l, *num;
    json_array_foreach(json_object_get(d->doc, "centers"), i, c)
    {
        int64_t center = id_of(d, "center", str(c, "key"));
        json_array_foreach(json_object_get(c, "lines"), k, l)
        {
            int64_t id;
            int rc = hall_line_insert(tx, center, str(l, "prefix"), str(l, "name"), now, &id);
            char lkey[64];
            snprintf(lkey, sizeof(lkey), "%s/%s", str(c, "key"), str(l, "prefix"));
            if (!rc)
                remember(d, "line", lkey, id);
            json_t *wins = json_array();
            json_array_foreach(json_object_get(l, "windows"), n, num)
            {
                char key[64];
                snprintf(key, sizeof(key), "%s#%lld", str(c, "key"),
                         (long long)json_integer_value(num));
                int64_t wid = id_of(d, "window", key);
                if (!wid) {
                    snprintf(d->problem, sizeof(d->problem), "业务队列%s：没有%s号窗口",
                             str(l, "name"), key);
                    rc = YC_EINVAL;
                }
                json_array_append_new(wins, json_integer(wid));
            }
            const char *dept = json_string_value(json_object_get(l, "department"));
            const char *domain = json_string_value(json_object_get(l, "domain"));
            json_t *items = NULL;
            if (!rc && (domain || dept || json_is_true(json_object_get(l, "all_items"))))
                items = hall_published_items(tx, domain, dept ? id_of(d, "dept", dept) : 0);
            if (!rc)
                rc = hall_line_set_windows(tx, id, wins);
            if (!rc && items)
                rc = hall_line_set_items(tx, id, items);
            json_decref(wins);
            json_decref(items);
            if (rc)
                return rc;
        }
    }
    return 0;
}

/* Bookings of the demo people, so 预约管理 and the kiosk's check-in have something to
 * show: each on the first day from its day offset (0 = today) with a free slot at or
 * after its start (the next slot not yet begun, for today), looking a week ahead. A
 * booking that finds no slot that week is left out, not an error. */
static int load_bookings(db_conn *tx, demo_load *d, int64_t now)
{
    static const audit_actor demo = {"system", 0, "yichuang", "", 0, 0, ""};
    hall_caller who = {.actor = &demo, .now = now};
    size_t i;
    json_t *b;
    int made = 0;
    json_array_foreach(json_object_get(d->doc, "bookings"), i, b)
    {
        json_t *p = json_array_get(json_object_get(d->doc, "people"),
                                   (size_t)json_integer_value(json_object_get(b, "person")));
        char key[64];
        snprintf(key, sizeof(key), "%s/%s", str(b, "center"), str(b, "line"));
        int64_t line = id_of(d, "line", key);
        if (!p || !line) {
            snprintf(d->problem, sizeof(d->problem), "演示预约%zu：没有这个人或业务队列（%s）", i,
                     key);
            return YC_EINVAL;
        }
        int64_t offset = json_integer_value(json_object_get(b, "day"));
        bool done = false;
        for (int64_t day = offset; day < offset + 7 && !done; day++) {
            json_t *slots = NULL;
            yc_err e;
            yc_err_clear(&e);
            char date[WORKCAL_DATE_STRLEN];
            workcal_format(workcal_date_from_ms(now) + (int)day, date, sizeof(date));
            int rc = booking_slots(tx, line, date, 1, now, &slots, &e);
            if (rc)
                return rc;
            json_t *list =
                json_object_get(json_array_get(json_object_get(slots, "days"), 0), "slots");
            size_t k;
            json_t *slot;
            json_array_foreach(list, k, slot)
            {
                if (done || !json_is_true(json_object_get(slot, "open")) ||
                    json_integer_value(json_object_get(slot, "available")) < 1 ||
                    strcmp(str(slot, "start"), str(b, "start")) < 0)
                    continue;
                booking_req rq = {.line_id = line,
                                  .date = date,
                                  .start = str(slot, "start"),
                                  .name = str(p, "name"),
                                  .id_number = str(p, "ident"),
                                  .mobile = str(p, "mobile"),
                                  .channel = str(b, "channel")};
                json_t *out = NULL;
                rc = booking_make(tx, &who, &rq, &out, &e);
                json_decref(out);
                if (rc && !e.code) {
                    json_decref(slots);
                    return rc;
                }
                done = rc == 0;
                made += done;
                break;
            }
            json_decref(slots);
        }
    }
    ylog_info("demo", "demo bookings: %d made", made);
    return 0;
}

static int demo_tx(db_conn *tx, void *arg)
{
    static const char *const dept_cols[] = {"name", "short_name", "credit_code", NULL};
    demo_load *d = arg;
    int64_t now = ytime_now_ms();
    size_t i;
    json_t *dep;
    json_array_foreach(json_object_get(d->doc, "departments"), i, dep)
    {
        int64_t id;
        int rc = org_insert(tx, "departments", dept_cols, dep, now, 0, &id);
        if (rc)
            return rc;
        remember(d, "dept", str(dep, "key"), id);
    }
    int rc = load_centers(tx, d, now);
    if (!rc)
        rc = load_users(tx, d, now);
    if (!rc)
        rc = load_links(tx, d, now);
    if (!rc)
        rc = load_people(tx, d, now);
    if (!rc && d->catalog)
        rc = load_catalog(tx, d, now);
    if (!rc)
        rc = load_lines(tx, d, now);
    if (!rc)
        rc = load_bookings(tx, d, now);
    if (rc)
        return rc;
    static const audit_actor cli = {"system", 0, "yichuang", "", 0, 0, ""};
    char summary[200];
    snprintf(summary, sizeof(summary), "载入演示县：%zu个部门、%zu个中心、%zu个账号",
             json_array_size(json_object_get(d->doc, "departments")),
             json_array_size(json_object_get(d->doc, "centers")),
             json_array_size(json_object_get(d->doc, "users")));
    return audit_append(tx, &cli, "demo_load", "center", "1", summary);
}

int setup_demo_file(store *st, const char *path, const char *password_hash, char *problem,
                    size_t size)
{
    json_error_t jerr;
    demo_load d = {0};
    d.doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!d.doc) {
        snprintf(problem, size, "无法读取演示数据 %s：第%d行 %s", path, jerr.line, jerr.text);
        return YC_EINVAL;
    }
    /* The demo catalog, if present, sits next to the county file. */
    char cpath[1024];
    const char *slash = strrchr(path, '/');
    snprintf(cpath, sizeof(cpath), "%.*scatalog.json", slash ? (int)(slash - path + 1) : 0, path);
    FILE *probe = fopen(cpath, "r");
    if (probe) {
        fclose(probe);
        d.catalog = json_load_file(cpath, JSON_REJECT_DUPLICATES, &jerr);
        if (!d.catalog) {
            snprintf(problem, size, "无法读取演示目录 %s：第%d行 %s", cpath, jerr.line, jerr.text);
            json_decref(d.doc);
            return YC_EINVAL;
        }
    }
    d.password_hash = password_hash;
    d.ids = json_object();
    int rc = store_write_sync(st, demo_tx, &d);
    if (rc)
        snprintf(problem, size, "%s", d.problem[0] ? d.problem : "写入演示数据失败（详见日志）");
    json_decref(d.ids);
    json_decref(d.doc);
    json_decref(d.catalog);
    return rc;
}
