/* catalog_store.c - see catalog_store.h. */
#include "store/catalog_store.h"
#include "store/rows.h"
#include "util/err.h"
#include "util/util.h"

#include <string.h>

static int done(int rc)
{
    return rc == DB_DONE ? 0 : rc < 0 ? rc : YC_EDB;
}

int64_t catstore_department_id(db_conn *c, const char *name)
{
    db_stmt *q = db_prepare(c, "SELECT id FROM departments WHERE name = $1 OR short_name = $1"
                               " ORDER BY (name = $1) DESC, id LIMIT 1");
    if (!q || !name || !*name)
        return 0;
    db_bind_text(q, 1, name);
    int64_t id = db_step(q) == DB_ROW ? db_col_int(q, 0) : 0;
    db_reset(q);
    return id;
}

void catstore_department_name(db_conn *c, int64_t id, char *buf, size_t size)
{
    db_stmt *q = db_prepare(c, "SELECT name FROM departments WHERE id = $1");
    buf[0] = '\0';
    if (!q)
        return;
    db_bind_int(q, 1, id);
    if (db_step(q) == DB_ROW)
        ystrlcpy(buf, db_col_text(q, 0), size);
    db_reset(q);
}

/* ------------------------------------------------------------ items */

json_t *catstore_item_by_code(db_conn *c, const char *code)
{
    db_stmt *q = db_prepare(c, "SELECT i.id, i.basic_code, i.name, i.department_id,"
                               " d.name AS department, i.retired_at FROM items i"
                               " JOIN departments d ON d.id = i.department_id"
                               " WHERE i.basic_code = $1");
    if (!q)
        return NULL;
    db_bind_text(q, 1, code);
    return rows_one(q);
}

int catstore_item_insert(db_conn *tx, const char *code, const char *name, int64_t department_id,
                         int64_t now, int64_t *id)
{
    db_stmt *q = db_prepare(tx, "INSERT INTO items (basic_code, name, department_id, created_at)"
                                " VALUES ($1, $2, $3, $4) RETURNING id");
    if (!q)
        return YC_EDB;
    db_bind_text(q, 1, code);
    db_bind_text(q, 2, name);
    db_bind_int(q, 3, department_id);
    db_bind_int(q, 4, now);
    int rc = db_step(q);
    if (rc == DB_ROW)
        *id = db_col_int(q, 0);
    db_reset(q);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : YC_EDB;
}

int catstore_item_touch(db_conn *tx, int64_t item_id, const char *name, int64_t department_id,
                        int retired, int64_t now)
{
    db_stmt *q = db_prepare(tx, "UPDATE items SET name = COALESCE($2, name),"
                                " department_id = CASE WHEN $3 > 0 THEN $3 ELSE department_id END,"
                                " retired_at = CASE WHEN $4 = 1 THEN $5 ELSE NULL END"
                                " WHERE id = $1");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, item_id);
    db_bind_text(q, 2, name);
    db_bind_int(q, 3, department_id);
    db_bind_int(q, 4, retired);
    db_bind_int(q, 5, now);
    return done(db_run(q));
}

/* Shared by the list and its count: p = published version, l = latest version. */
#define ITEMS_FROM                                                                                 \
    " FROM items i JOIN departments d ON d.id = i.department_id"                                   \
    " LEFT JOIN item_versions p ON p.item_id = i.id AND p.status = 'published'"                    \
    " LEFT JOIN item_versions l ON l.item_id = i.id AND l.version ="                               \
    "  (SELECT MAX(version) FROM item_versions m WHERE m.item_id = i.id)"                          \
    " WHERE ($1 = '' OR i.basic_code LIKE $1 || '%' OR COALESCE(l.name, i.name) LIKE"              \
    "  '%' || $1 || '%')"                                                                          \
    " AND ($2 = '' OR EXISTS (SELECT 1 FROM item_versions s WHERE s.item_id = i.id"                \
    "  AND s.status = $2))"                                                                        \
    " AND ($3 = 0 OR i.department_id = $3)"                                                        \
    " AND ($4 = '' OR COALESCE(p.domain, l.domain, '') = $4)"

static void bind_filter(db_stmt *q, const catstore_filter *f)
{
    db_bind_text(q, 1, f->q ? f->q : "");
    db_bind_text(q, 2, f->status ? f->status : "");
    db_bind_int(q, 3, f->department_id);
    db_bind_text(q, 4, f->domain ? f->domain : "");
}

json_t *catstore_items_list(db_conn *c, const catstore_filter *f, int64_t *total)
{
    db_stmt *n = db_prepare(c, "SELECT COUNT(*)" ITEMS_FROM);
    db_stmt *q = db_prepare(
        c, "SELECT i.basic_code, COALESCE(p.name, l.name, i.name) AS name, d.name AS department,"
           " i.department_id, COALESCE(p.domain, l.domain, '') AS domain,"
           " COALESCE(p.type_code, l.type_code, '') AS type_code,"
           " COALESCE(p.case_kind, l.case_kind, '') AS case_kind,"
           " p.version AS published_version, l.version AS latest_version,"
           " l.status AS latest_status" ITEMS_FROM " ORDER BY i.basic_code LIMIT $5 OFFSET $6");
    if (!n || !q)
        return NULL;
    bind_filter(n, f);
    if (db_step(n) != DB_ROW) {
        db_reset(n);
        return NULL;
    }
    *total = db_col_int(n, 0);
    db_reset(n);
    bind_filter(q, f);
    db_bind_int(q, 5, f->limit);
    db_bind_int(q, 6, f->offset);
    return rows_all(q, f->limit);
}

#define VERSION_COLS                                                                               \
    "v.version, v.status, v.note, v.name, v.department_id, v.domain, v.created_by,"                \
    " (SELECT display_name FROM users u WHERE u.id = v.created_by) AS created_by_name,"            \
    " v.created_at, v.updated_at, v.submitted_at, v.reviewed_at, v.published_at, v.retired_at"

json_t *catstore_versions(db_conn *c, int64_t item_id)
{
    db_stmt *q = db_prepare(c, "SELECT " VERSION_COLS " FROM item_versions v"
                               " WHERE v.item_id = $1 ORDER BY v.version");
    if (!q)
        return NULL;
    db_bind_int(q, 1, item_id);
    return rows_all(q, 100000);
}

json_t *catstore_version(db_conn *c, int64_t item_id, int version)
{
    db_stmt *q = db_prepare(c, "SELECT " VERSION_COLS ", v.document FROM item_versions v"
                               " WHERE v.item_id = $1 AND v.version = $2");
    if (!q)
        return NULL;
    db_bind_int(q, 1, item_id);
    db_bind_int(q, 2, version);
    return rows_one(q);
}

json_t *catstore_published(db_conn *c, int64_t item_id)
{
    db_stmt *q = db_prepare(c, "SELECT " VERSION_COLS ", v.document FROM item_versions v"
                               " WHERE v.item_id = $1 AND v.status = 'published'");
    if (!q)
        return NULL;
    db_bind_int(q, 1, item_id);
    return rows_one(q);
}

int catstore_published_version(db_conn *c, const char *code, int64_t *at)
{
    db_stmt *q =
        db_prepare(c, "SELECT v.version, v.published_at FROM items i"
                      " JOIN item_versions v ON v.item_id = i.id AND v.status = 'published'"
                      " WHERE i.basic_code = $1 AND i.retired_at IS NULL");
    if (!q)
        return 0;
    db_bind_text(q, 1, code);
    int v = 0;
    if (db_step(q) == DB_ROW) {
        v = (int)db_col_int(q, 0);
        if (at)
            *at = db_col_int(q, 1);
    }
    db_reset(q);
    return v;
}

int catstore_bundle_published_version(db_conn *c, const char *code)
{
    db_stmt *q = db_prepare(c, "SELECT v.version FROM bundles b JOIN bundle_versions v"
                               " ON v.bundle_id = b.id AND v.status = 'published'"
                               " WHERE b.code = $1 AND b.retired_at IS NULL");
    if (!q)
        return 0;
    db_bind_text(q, 1, code);
    int v = db_step(q) == DB_ROW ? (int)db_col_int(q, 0) : 0;
    db_reset(q);
    return v;
}

static int one_int(db_stmt *q, int64_t item_id)
{
    if (!q)
        return 0;
    db_bind_int(q, 1, item_id);
    int v = db_step(q) == DB_ROW ? (int)db_col_int(q, 0) : 0;
    db_reset(q);
    return v;
}

int catstore_open_version(db_conn *c, int64_t item_id)
{
    return one_int(db_prepare(c, "SELECT version FROM item_versions WHERE item_id = $1"
                                 " AND status IN ('draft', 'submitted', 'reviewed')"),
                   item_id);
}

int catstore_max_version(db_conn *c, int64_t item_id)
{
    return one_int(
        db_prepare(c, "SELECT COALESCE(MAX(version), 0) FROM item_versions WHERE item_id = $1"),
        item_id);
}

int catstore_version_insert(db_conn *tx, int64_t item_id, int version, const char *status,
                            const char *document, const catstore_meta *m, int64_t user, int64_t now)
{
    db_stmt *q = db_prepare(
        tx, "INSERT INTO item_versions (item_id, version, status, document, name, department_id,"
            " domain, type_code, case_kind, created_by, created_at, updated_at, published_by,"
            " published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11,"
            " CASE WHEN $3 = 'published' THEN $10 END, CASE WHEN $3 = 'published' THEN $11 END)");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, item_id);
    db_bind_int(q, 2, version);
    db_bind_text(q, 3, status);
    db_bind_text(q, 4, document);
    db_bind_text(q, 5, m->name);
    db_bind_int(q, 6, m->department_id);
    db_bind_text(q, 7, m->domain ? m->domain : "");
    db_bind_text(q, 8, m->type_code ? m->type_code : "");
    db_bind_text(q, 9, m->case_kind ? m->case_kind : "");
    if (user)
        db_bind_int(q, 10, user);
    else
        db_bind_null(q, 10);
    db_bind_int(q, 11, now);
    return done(db_run(q));
}

int catstore_version_replace(db_conn *tx, int64_t item_id, int version, const char *document,
                             const catstore_meta *m, int64_t now)
{
    db_stmt *q = db_prepare(tx, "UPDATE item_versions SET document = $3, name = $4,"
                                " department_id = $5, domain = $6, type_code = $7, case_kind = $8,"
                                " updated_at = $9"
                                " WHERE item_id = $1 AND version = $2 AND status = 'draft'");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, item_id);
    db_bind_int(q, 2, version);
    db_bind_text(q, 3, document);
    db_bind_text(q, 4, m->name);
    db_bind_int(q, 5, m->department_id);
    db_bind_text(q, 6, m->domain ? m->domain : "");
    db_bind_text(q, 7, m->type_code ? m->type_code : "");
    db_bind_text(q, 8, m->case_kind ? m->case_kind : "");
    db_bind_int(q, 9, now);
    int rc = done(db_run(q));
    return rc ? rc : db_changes(tx) == 1 ? 0 : YC_ECONFLICT;
}

int catstore_version_move(db_conn *tx, int64_t item_id, int version, const char *from,
                          const char *to, const char *note, int64_t user, int64_t now)
{
    db_stmt *q = db_prepare(
        tx, "UPDATE item_versions SET status = $4, note = COALESCE($5, note), updated_at = $7,"
            " submitted_by = CASE $4 WHEN 'submitted' THEN $6 WHEN 'draft' THEN NULL"
            "  ELSE submitted_by END,"
            " submitted_at = CASE $4 WHEN 'submitted' THEN $7 WHEN 'draft' THEN NULL"
            "  ELSE submitted_at END,"
            " reviewed_by = CASE $4 WHEN 'reviewed' THEN $6 WHEN 'draft' THEN NULL"
            "  ELSE reviewed_by END,"
            " reviewed_at = CASE $4 WHEN 'reviewed' THEN $7 WHEN 'draft' THEN NULL"
            "  ELSE reviewed_at END,"
            " published_by = CASE $4 WHEN 'published' THEN $6 ELSE published_by END,"
            " published_at = CASE $4 WHEN 'published' THEN $7 ELSE published_at END,"
            " retired_by = CASE $4 WHEN 'retired' THEN $6 ELSE retired_by END,"
            " retired_at = CASE $4 WHEN 'retired' THEN $7 ELSE retired_at END"
            " WHERE item_id = $1 AND version = $2 AND status = $3");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, item_id);
    db_bind_int(q, 2, version);
    db_bind_text(q, 3, from);
    db_bind_text(q, 4, to);
    db_bind_text(q, 5, note);
    if (user)
        db_bind_int(q, 6, user);
    else
        db_bind_null(q, 6);
    db_bind_int(q, 7, now);
    int rc = done(db_run(q));
    return rc ? rc : db_changes(tx) == 1 ? 0 : YC_ECONFLICT;
}

json_t *catstore_open_versions(db_conn *c)
{
    db_stmt *q = db_prepare(
        c, "SELECT i.basic_code, " VERSION_COLS ", d.name AS department FROM item_versions v"
           " JOIN items i ON i.id = v.item_id JOIN departments d ON d.id = v.department_id"
           " WHERE v.status IN ('draft', 'submitted', 'reviewed') ORDER BY v.updated_at, v.id");
    return q ? rows_all(q, 100000) : NULL;
}

/* ------------------------------------------------------------ bundles */

json_t *catstore_bundle_by_code(db_conn *c, const char *code)
{
    db_stmt *q =
        db_prepare(c, "SELECT id, code, name, created_at, retired_at FROM bundles WHERE code = $1");
    if (!q)
        return NULL;
    db_bind_text(q, 1, code);
    return rows_one(q);
}

json_t *catstore_bundles_list(db_conn *c)
{
    db_stmt *q = db_prepare(c, "SELECT b.code, b.name, v.version, v.published_at FROM bundles b"
                               " JOIN bundle_versions v ON v.bundle_id = b.id"
                               " AND v.status = 'published' ORDER BY b.code");
    return q ? rows_all(q, 100000) : NULL;
}

json_t *catstore_bundle_versions(db_conn *c, int64_t bundle_id)
{
    db_stmt *q = db_prepare(c, "SELECT version, status, created_by, created_at, published_at,"
                               " retired_at FROM bundle_versions WHERE bundle_id = $1"
                               " ORDER BY version");
    if (!q)
        return NULL;
    db_bind_int(q, 1, bundle_id);
    return rows_all(q, 100000);
}

json_t *catstore_bundle_published(db_conn *c, int64_t bundle_id)
{
    db_stmt *q = db_prepare(c, "SELECT version, status, published_at, document"
                               " FROM bundle_versions WHERE bundle_id = $1"
                               " AND status = 'published'");
    if (!q)
        return NULL;
    db_bind_int(q, 1, bundle_id);
    return rows_one(q);
}

int catstore_bundle_put(db_conn *tx, const char *code, const char *name, const char *document,
                        int64_t user, int64_t now, int *version_out)
{
    db_stmt *up = db_prepare(tx, "INSERT INTO bundles (code, name, created_at) VALUES ($1, $2, $3)"
                                 " ON CONFLICT (code) DO UPDATE SET name = $2, retired_at = NULL");
    db_stmt *id = db_prepare(tx, "SELECT id FROM bundles WHERE code = $1");
    db_stmt *ret = db_prepare(tx, "UPDATE bundle_versions SET status = 'retired', retired_at = $2"
                                  " WHERE bundle_id = $1 AND status = 'published'");
    db_stmt *ins = db_prepare(
        tx, "INSERT INTO bundle_versions (bundle_id, version, status, document, created_by,"
            " created_at, published_at) SELECT $1, COALESCE(MAX(version), 0) + 1, 'published',"
            " $2, $3, $4, $4 FROM bundle_versions WHERE bundle_id = $1 RETURNING version");
    if (!up || !id || !ret || !ins)
        return YC_EDB;
    db_bind_text(up, 1, code);
    db_bind_text(up, 2, name);
    db_bind_int(up, 3, now);
    int rc = done(db_run(up));
    if (rc)
        return rc;
    db_bind_text(id, 1, code);
    int64_t bid = db_step(id) == DB_ROW ? db_col_int(id, 0) : 0;
    db_reset(id);
    if (!bid)
        return YC_EDB;
    db_bind_int(ret, 1, bid);
    db_bind_int(ret, 2, now);
    if ((rc = done(db_run(ret))))
        return rc;
    db_bind_int(ins, 1, bid);
    db_bind_text(ins, 2, document);
    if (user)
        db_bind_int(ins, 3, user);
    else
        db_bind_null(ins, 3);
    db_bind_int(ins, 4, now);
    rc = db_step(ins);
    if (rc == DB_ROW)
        *version_out = (int)db_col_int(ins, 0);
    db_reset(ins);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : YC_EDB;
}

/* ------------------------------------------------------------ export, stats */

json_t *catstore_published_documents(db_conn *c, const char *kind)
{
    db_stmt *q;
    if (!strcmp(kind, "bundle"))
        q = db_prepare(c, "SELECT b.code, v.document, v.version, v.published_at FROM bundles b"
                          " JOIN bundle_versions v ON v.bundle_id = b.id AND v.status = 'published'"
                          " WHERE b.retired_at IS NULL ORDER BY b.code");
    else
        q = db_prepare(c, "SELECT i.basic_code AS code, v.document, v.version, v.published_at"
                          " FROM items i JOIN item_versions v ON v.item_id = i.id"
                          " AND v.status = 'published' WHERE i.retired_at IS NULL"
                          " ORDER BY i.basic_code");
    return q ? rows_all(q, 10000000) : NULL;
}

int64_t catstore_comprehensive_items(db_conn *c, int64_t center_id, const char *today)
{
    db_stmt *q = db_prepare(
        c, "SELECT COUNT(*) FROM items i WHERE i.retired_at IS NULL AND EXISTS"
           " (SELECT 1 FROM item_versions v WHERE v.item_id = i.id AND v.status = 'published')"
           " AND EXISTS (SELECT 1 FROM authorizations a JOIN staff s ON s.id = a.staff_id"
           "  JOIN windows w ON w.id = s.window_id WHERE a.item_id = i.id"
           "  AND a.revoked_at IS NULL AND a.expires_on >= $2"
           "  AND a.action IN ('receive', 'accept') AND w.center_id = $1 AND w.active = 1"
           "  AND w.kind IN ('general', 'domain'))");
    if (!q)
        return -1;
    db_bind_int(q, 1, center_id);
    db_bind_text(q, 2, today);
    int64_t n = db_step(q) == DB_ROW ? db_col_int(q, 0) : -1;
    db_reset(q);
    return n;
}

/* ------------------------------------------------------------ adjustments */

int catstore_adjustment_insert(db_conn *tx, json_t *row, int64_t user, int64_t now, int64_t *id)
{
    db_stmt *q = db_prepare(
        tx, "INSERT INTO catalog_adjustments (basic_code, department_id, kind, rule_title,"
            " rule_published_on, report_due, publish_due, note, status, created_by, created_at)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10) RETURNING id");
    if (!q)
        return YC_EDB;
    const char *cols[] = {"basic_code",        "",           "kind",        "rule_title",
                          "rule_published_on", "report_due", "publish_due", "note"};
    for (int i = 0; i < 8; i++) {
        if (i == 1) {
            json_int_t d = json_integer_value(json_object_get(row, "department_id"));
            if (d)
                db_bind_int(q, 2, d);
            else
                db_bind_null(q, 2);
            continue;
        }
        const char *s = json_string_value(json_object_get(row, cols[i]));
        db_bind_text(q, i + 1, s ? s : "");
    }
    db_bind_int(q, 9, user);
    db_bind_int(q, 10, now);
    int rc = db_step(q);
    if (rc == DB_ROW)
        *id = db_col_int(q, 0);
    db_reset(q);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : YC_EDB;
}

#define ADJ_COLS                                                                                   \
    "SELECT a.id, a.basic_code, a.department_id, d.name AS department, a.kind, a.rule_title,"      \
    " a.rule_published_on, a.report_due, a.publish_due, a.note, a.status, a.created_at,"           \
    " a.reported_at, a.done_at FROM catalog_adjustments a"                                         \
    " LEFT JOIN departments d ON d.id = a.department_id"

json_t *catstore_adjustments_list(db_conn *c, const char *status)
{
    db_stmt *q = db_prepare(c, ADJ_COLS " WHERE ($1 = '' OR a.status = $1)"
                                        " ORDER BY a.status = 'done', a.publish_due, a.id");
    if (!q)
        return NULL;
    db_bind_text(q, 1, status ? status : "");
    return rows_all(q, 100000);
}

json_t *catstore_adjustment_get(db_conn *c, int64_t id)
{
    db_stmt *q = db_prepare(c, ADJ_COLS " WHERE a.id = $1");
    if (!q)
        return NULL;
    db_bind_int(q, 1, id);
    return rows_one(q);
}

int catstore_adjustment_move(db_conn *tx, int64_t id, const char *to, int64_t user, int64_t now)
{
    db_stmt *q =
        db_prepare(tx, "UPDATE catalog_adjustments SET status = $2,"
                       " reported_by = CASE WHEN $2 = 'reported' THEN $3 ELSE reported_by END,"
                       " reported_at = CASE WHEN $2 = 'reported' THEN $4 ELSE reported_at END,"
                       " done_by = CASE WHEN $2 = 'done' THEN $3 ELSE done_by END,"
                       " done_at = CASE WHEN $2 = 'done' THEN $4 ELSE done_at END"
                       " WHERE id = $1 AND ((status = 'open' AND $2 IN ('reported', 'done'))"
                       "  OR (status = 'reported' AND $2 = 'done'))");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, id);
    db_bind_text(q, 2, to);
    db_bind_int(q, 3, user);
    db_bind_int(q, 4, now);
    int rc = done(db_run(q));
    return rc ? rc : db_changes(tx) == 1 ? 0 : YC_ECONFLICT;
}
