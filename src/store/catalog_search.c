/* catalog_search.c - see catalog_search.h. */
#include "store/catalog_search.h"
#include "store/rows.h"
#include "util/err.h"
#include "util/util.h"

#include <string.h>

int catsearch_del(db_conn *tx, const char *kind, const char *code)
{
    db_stmt *q = db_prepare(tx, "DELETE FROM catalog_search WHERE kind = $1 AND code = $2");
    if (!q)
        return YC_EDB;
    db_bind_text(q, 1, kind);
    db_bind_text(q, 2, code);
    int rc = db_run(q);
    return rc < 0 ? rc : 0;
}

int catsearch_put(db_conn *tx, const catsearch_doc *d)
{
    int rc = catsearch_del(tx, d->kind, d->code);
    if (rc)
        return rc;
    db_stmt *q = db_prepare(
        tx, "INSERT INTO catalog_search (kind, code, department, dept_short, domain, level,"
            " objects, summary, name, aliases, body)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)");
    if (!q)
        return YC_EDB;
    const char *v[] = {d->kind,    d->code,    d->department, d->dept_short, d->domain, d->level,
                       d->objects, d->summary, d->name,       d->aliases,    d->body};
    for (int i = 0; i < 11; i++)
        db_bind_text(q, i + 1, v[i] ? v[i] : "");
    rc = db_run(q);
    return rc < 0 ? rc : 0;
}

/* The filters, $3..$6; $1 the raw query (tiers), $2 the MATCH or LIKE pattern. */
#define FILTERS                                                                                    \
    " AND ($3 = '' OR department = $3 OR dept_short = $3) AND ($4 = '' OR domain = $4)"            \
    " AND ($5 = '' OR level = $5) AND ($6 = '' OR instr(objects, '|' || $6 || '|') > 0)"
#define TIER      " CASE WHEN instr(name, $1) > 0 THEN 0 WHEN instr(aliases, $1) > 0 THEN 1 ELSE 2 END"
#define FTS_WHERE " FROM catalog_search WHERE catalog_search MATCH $2" FILTERS
#define LIKE_WHERE                                                                                 \
    " FROM catalog_search WHERE (name LIKE $2 ESCAPE '\\' OR aliases LIKE $2 ESCAPE '\\'"          \
    " OR body LIKE $2 ESCAPE '\\')" FILTERS
#define COLS "SELECT kind, code, name, department, domain, summary"

static int64_t chars(const char *s)
{
    int64_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void bind_all(db_stmt *st, const catsearch_query *q, const char *pattern)
{
    db_bind_text(st, 1, q->q);
    db_bind_text(st, 2, pattern);
    db_bind_text(st, 3, q->department ? q->department : "");
    db_bind_text(st, 4, q->domain ? q->domain : "");
    db_bind_text(st, 5, q->level ? q->level : "");
    db_bind_text(st, 6, q->object ? q->object : "");
}

json_t *catsearch_run(db_conn *c, const catsearch_query *q, int64_t *total)
{
    bool fts = chars(q->q) >= 3;
    ybuf pat = {0};
    if (fts) {
        /* One phrase: the whole query as a substring. */
        ybuf_addc(&pat, '"');
        for (const char *p = q->q; *p; p++) {
            if (*p == '"')
                ybuf_addc(&pat, '"');
            ybuf_addc(&pat, *p);
        }
        ybuf_addc(&pat, '"');
    } else {
        ybuf_addc(&pat, '%');
        for (const char *p = q->q; *p; p++) {
            if (*p == '%' || *p == '_' || *p == '\\')
                ybuf_addc(&pat, '\\');
            ybuf_addc(&pat, *p);
        }
        ybuf_addc(&pat, '%');
    }
    db_stmt *n, *st;
    if (fts) {
        n = db_prepare(c, "SELECT COUNT(*)" FTS_WHERE);
        st = db_prepare(c, COLS FTS_WHERE " ORDER BY" TIER ", bm25(catalog_search, 0, 0, 0, 0,"
                                          " 0, 0, 0, 0, 10.0, 5.0, 1.0), kind DESC, code"
                                          " LIMIT $7 OFFSET $8");
    } else {
        n = db_prepare(c, "SELECT COUNT(*)" LIKE_WHERE);
        st = db_prepare(c, COLS LIKE_WHERE " ORDER BY" TIER ", length(name), kind DESC, code"
                                           " LIMIT $7 OFFSET $8");
    }
    json_t *out = NULL;
    if (!n || !st)
        goto done;
    bind_all(n, q, pat.data);
    if (db_step(n) != DB_ROW) {
        db_reset(n);
        goto done;
    }
    *total = db_col_int(n, 0);
    db_reset(n);
    bind_all(st, q, pat.data);
    db_bind_int(st, 7, q->limit);
    db_bind_int(st, 8, q->offset);
    out = rows_all(st, q->limit);
done:
    ybuf_release(&pat);
    return out;
}

static json_t *distinct(db_stmt *q)
{
    json_t *a = json_array();
    if (!q)
        return a;
    while (db_step(q) == DB_ROW)
        if (*db_col_text(q, 0))
            json_array_append_new(a, json_string(db_col_text(q, 0)));
    db_reset(q);
    return a;
}

json_t *catsearch_facets(db_conn *c)
{
    json_t *objects = json_array();
    db_stmt *q = db_prepare(c, "SELECT DISTINCT objects FROM catalog_search");
    while (q && db_step(q) == DB_ROW) {
        char buf[256];
        ystrlcpy(buf, db_col_text(q, 0), sizeof(buf));
        char *p = buf;
        while (*p) {
            char *e = strchr(p + 1, '|');
            if (!e)
                break;
            *e = '\0';
            if (p[1]) {
                bool seen = false;
                size_t i;
                json_t *v;
                json_array_foreach(objects, i, v) seen |= !strcmp(json_string_value(v), p + 1);
                if (!seen)
                    json_array_append_new(objects, json_string(p + 1));
            }
            *e = '|';
            p = e;
        }
    }
    if (q)
        db_reset(q);
    return json_pack(
        "{s:o,s:o,s:o,s:o}", "departments",
        distinct(db_prepare(c, "SELECT DISTINCT department FROM catalog_search ORDER BY 1")),
        "domains", distinct(db_prepare(c, "SELECT DISTINCT domain FROM catalog_search ORDER BY 1")),
        "levels", distinct(db_prepare(c, "SELECT DISTINCT level FROM catalog_search ORDER BY 1")),
        "objects", objects);
}
