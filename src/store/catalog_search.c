/* catalog_search.c - see catalog_search.h. */
#include "store/catalog_search.h"
#include "store/rows.h"
#include "util/err.h"
#include "util/util.h"

#include <string.h>

static int run2(db_conn *tx, const char *sql, const char *a, const char *b)
{
    db_stmt *q = db_prepare(tx, sql);
    if (!q)
        return YC_EDB;
    db_bind_text(q, 1, a);
    db_bind_text(q, 2, b);
    int rc = db_run(q);
    return rc < 0 ? rc : 0;
}

int catsearch_del(db_conn *tx, const char *kind, const char *code)
{
    int rc = run2(tx,
                  "DELETE FROM catalog_search WHERE rowid IN"
                  " (SELECT rid FROM catalog_docs WHERE kind = $1 AND code = $2)",
                  kind, code);
    if (!rc)
        rc = run2(tx, "DELETE FROM catalog_grams WHERE kind = $1 AND code = $2", kind, code);
    if (!rc)
        rc = run2(tx, "DELETE FROM catalog_docs WHERE kind = $1 AND code = $2", kind, code);
    return rc;
}

static int64_t chars(const char *s)
{
    int64_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Byte length of the UTF-8 character at s (1 for a stray byte). */
static size_t clen(const char *s)
{
    size_t n = 1;
    while (s[n] && ((unsigned char)s[n] & 0xC0) == 0x80)
        n++;
    return n;
}

/* The 1- and 2-character grams of text (words split on spaces) into catalog_grams at tier;
 * a tier-1 gram already present at tier 0 is left out, so each gram names an entry once. */
static int put_grams(db_conn *tx, const char *text, int tier, int64_t nlen, const char *kind,
                     const char *code, int64_t rid)
{
    db_stmt *q =
        db_prepare(tx, "INSERT OR IGNORE INTO catalog_grams (gram, tier, nlen, kind, code, rid)"
                       " SELECT $1, $2, $3, $4, $5, $6 WHERE $2 = 0 OR NOT EXISTS (SELECT 1 FROM"
                       " catalog_grams WHERE gram = $1 AND tier = 0 AND nlen = $3 AND kind = $4"
                       " AND code = $5)");
    if (!q)
        return YC_EDB;
    for (const char *p = text; *p;) {
        size_t a = clen(p);
        if (*p == ' ' || *p == '\t') {
            p += a;
            continue;
        }
        size_t b = (p[a] && p[a] != ' ' && p[a] != '\t') ? clen(p + a) : 0;
        for (int len = 0; len < (b ? 2 : 1); len++) {
            char gram[16];
            size_t n = len ? a + b : a;
            if (n >= sizeof(gram))
                continue;
            memcpy(gram, p, n);
            gram[n] = '\0';
            db_bind_text(q, 1, gram);
            db_bind_int(q, 2, tier);
            db_bind_int(q, 3, nlen);
            db_bind_text(q, 4, kind);
            db_bind_text(q, 5, code);
            db_bind_int(q, 6, rid);
            if (db_run(q) < 0)
                return YC_EDB;
        }
        p += a;
    }
    return 0;
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
    if (rc < 0)
        return rc;
    /* SQLite-specific like the rest of this file: the rowid just given to the FTS row. */
    q = db_prepare(tx, "SELECT last_insert_rowid()");
    if (!q || db_step(q) != DB_ROW) {
        if (q)
            db_reset(q);
        return YC_EDB;
    }
    int64_t rid = db_col_int(q, 0);
    db_reset(q);
    int64_t nlen = chars(d->name ? d->name : "");
    q = db_prepare(tx, "INSERT INTO catalog_docs (rid, kind, code, nlen, department, dept_short,"
                       " domain, level, objects) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, rid);
    db_bind_int(q, 4, nlen);
    const char *w[] = {d->kind,       d->code,   NULL,     d->department,
                       d->dept_short, d->domain, d->level, d->objects};
    for (int i = 0; i < 8; i++)
        if (i != 2)
            db_bind_text(q, i + 2, w[i] ? w[i] : "");
    rc = db_run(q);
    if (rc < 0)
        return rc;
    rc = put_grams(tx, d->name ? d->name : "", 0, nlen, d->kind, d->code, rid);
    if (!rc)
        rc = put_grams(tx, d->aliases ? d->aliases : "", 1, nlen, d->kind, d->code, rid);
    return rc;
}

/* The filters over catalog_docs d, $3..$6; $2 the MATCH expression, the gram or nothing. */
#define FILTERS                                                                                    \
    " AND ($3 = '' OR d.department = $3 OR d.dept_short = $3) AND ($4 = '' OR d.domain = $4)"      \
    " AND ($5 = '' OR d.level = $5) AND ($6 = '' OR instr(d.objects, '|' || $6 || '|') > 0)"
#define COLS "SELECT s.kind, s.code, s.name, s.department, s.domain, s.summary"
/* Capped total: counting stops at CATSEARCH_TOTAL_CAP + 1 rows to tell "more". */
#define COUNT_OF(inner) "SELECT count(*) FROM (SELECT 1" inner " LIMIT $7)"

/* The FTS path: $2 the MATCH expression. */
#define FTS_FROM                                                                                   \
    " FROM catalog_search s JOIN catalog_docs d ON d.rid = s.rowid"                                \
    " WHERE s.catalog_search MATCH $2" FILTERS

static void bind_filters(db_stmt *st, const catsearch_query *q)
{
    db_bind_text(st, 3, q->department ? q->department : "");
    db_bind_text(st, 4, q->domain ? q->domain : "");
    db_bind_text(st, 5, q->level ? q->level : "");
    db_bind_text(st, 6, q->object ? q->object : "");
}

/* Split q on ASCII and ideographic spaces into up to 8 terms (copies in buf). */
static int split_terms(const char *q, char *buf, size_t size, const char **terms)
{
    int n = 0;
    ystrlcpy(buf, q, size);
    char *p = buf;
    while (*p && n < 8) {
        while (*p == ' ' || *p == '\t' || !strncmp(p, "\xE3\x80\x80", 3))
            p += (*p == ' ' || *p == '\t') ? 1 : 3;
        if (!*p)
            break;
        terms[n++] = p;
        while (*p && *p != ' ' && *p != '\t' && strncmp(p, "\xE3\x80\x80", 3))
            p++;
        if (*p == ' ' || *p == '\t')
            *p++ = '\0';
        else if (*p) {
            *p = '\0';
            p += 3;
        }
    }
    return n;
}

static void add_phrase(ybuf *b, const char *term)
{
    ybuf_addc(b, '"');
    for (const char *p = term; *p; p++) {
        if (*p == '"')
            ybuf_addc(b, '"');
        ybuf_addc(b, *p);
    }
    ybuf_addc(b, '"');
}

/* " AND col : "<fence>value<fence>"" onto b when the phrase is 3+ characters long. */
static void add_filter(ybuf *b, const char *cols, const char *fence, const char *value)
{
    if (!value || chars(value) + 2 * (int64_t)strlen(fence) < 3)
        return;
    ybuf phrase = {0};
    ybuf_adds(&phrase, fence);
    ybuf_adds(&phrase, value);
    ybuf_adds(&phrase, fence);
    ybuf_printf(b, " AND %s : ", cols);
    add_phrase(b, phrase.data);
    ybuf_release(&phrase);
}

/* Count (capped) with cnt, rows with st; both take $2 = key, $3..$6 filters, $7 cap. */
static json_t *run_pair(db_stmt *cnt, db_stmt *st, const catsearch_query *q, const char *key,
                        const char *pat, int64_t *total, bool *capped)
{
    if (!cnt || !st)
        return NULL;
    db_bind_text(cnt, 2, key);
    bind_filters(cnt, q);
    db_bind_int(cnt, 7, CATSEARCH_TOTAL_CAP + 1);
    if (pat)
        db_bind_text(cnt, 1, pat);
    if (db_step(cnt) != DB_ROW) {
        db_reset(cnt);
        return NULL;
    }
    *total = db_col_int(cnt, 0);
    db_reset(cnt);
    *capped = *total > CATSEARCH_TOTAL_CAP;
    if (*capped)
        *total = CATSEARCH_TOTAL_CAP;
    db_bind_text(st, 2, key);
    if (pat)
        db_bind_text(st, 1, pat);
    bind_filters(st, q);
    db_bind_int(st, 7, q->limit);
    db_bind_int(st, 8, q->offset);
    return rows_all(st, q->limit);
}

json_t *catsearch_run(db_conn *c, const catsearch_query *q, int64_t *total, bool *capped)
{
    char buf[512];
    const char *terms[8];
    int nterms = split_terms(q->q, buf, sizeof(buf), terms);
    int shortest = -1; /* the first term of one or two characters */
    for (int i = 0; i < nterms && shortest < 0; i++)
        if (chars(terms[i]) <= 2)
            shortest = i;
    *capped = false;
    if (!nterms) {
        /* No words: the filters alone, shortest names first. */
        db_stmt *n = db_prepare(c, COUNT_OF(" FROM catalog_docs d WHERE $2 = ''" FILTERS));
        db_stmt *st = db_prepare(
            c, COLS
            " FROM catalog_docs d JOIN catalog_search s ON s.rowid = d.rid WHERE $2 = ''" FILTERS
            " ORDER BY d.nlen, d.kind DESC, d.code LIMIT $7 OFFSET $8");
        return run_pair(n, st, q, "", NULL, total, capped);
    }
    if (shortest >= 0) {
        /* A short word: the gram index over names (tier 0) and aliases/keywords (tier 1),
         * walked in rank order; other words must also appear, in order, in one column. */
        ybuf pat = {0};
        ybuf_addc(&pat, '%');
        for (int i = 0; i < nterms; i++) {
            for (const char *p = terms[i]; *p; p++) {
                if (*p == '%' || *p == '_' || *p == '\\')
                    ybuf_addc(&pat, '\\');
                ybuf_addc(&pat, *p);
            }
            ybuf_addc(&pat, '%');
        }
        json_t *out;
        if (nterms == 1) {
            /* Without filters the count reads only the gram index. */
            bool filtered = (q->department && *q->department) || (q->domain && *q->domain) ||
                            (q->level && *q->level) || (q->object && *q->object);
            db_stmt *n =
                filtered ? db_prepare(c, COUNT_OF(" FROM catalog_grams g JOIN catalog_docs d"
                                                  " ON d.rid = g.rid WHERE g.gram = $2" FILTERS))
                         : db_prepare(c, COUNT_OF(" FROM catalog_grams g WHERE g.gram = $2"
                                                  " AND $3 || $4 || $5 || $6 = ''"));
            db_stmt *st = db_prepare(
                c, COLS " FROM catalog_grams g JOIN catalog_docs d ON d.rid = g.rid"
                        " JOIN catalog_search s ON s.rowid = g.rid WHERE g.gram = $2" FILTERS
                        " ORDER BY g.tier, g.nlen, g.kind DESC, g.code LIMIT $7 OFFSET $8");
            out = run_pair(n, st, q, terms[0], NULL, total, capped);
        } else {
#define SHORT_MANY                                                                                 \
    " FROM catalog_grams g JOIN catalog_docs d ON d.rid = g.rid"                                   \
    " JOIN catalog_search s ON s.rowid = g.rid WHERE g.gram = $2 AND (s.name LIKE $1 ESCAPE '\\'"  \
    " OR s.aliases LIKE $1 ESCAPE '\\' OR s.body LIKE $1 ESCAPE '\\')" FILTERS
            db_stmt *n = db_prepare(c, COUNT_OF(SHORT_MANY));
            db_stmt *st = db_prepare(c, COLS SHORT_MANY " ORDER BY g.tier, g.nlen, g.kind DESC,"
                                                        " g.code LIMIT $7 OFFSET $8");
            out = run_pair(n, st, q, terms[shortest], pat.data, total, capped);
        }
        ybuf_release(&pat);
        return out;
    }
    /* Every word of three characters or more: FTS5 trigram, every word as a phrase, all
     * required. Ranked by tier with one MATCH per tier (the first word in the name, in
     * aliases/keywords, elsewhere), each walked in index order and stopped after
     * offset + limit rows, so the work is bounded however many entries match. */
    ybuf all = {0}, t0 = {0}, t1 = {0}, t2 = {0}, first = {0};
    ybuf_adds(&all, "({name aliases body} : (");
    for (int i = 0; i < nterms; i++) {
        if (i)
            ybuf_addc(&all, ' ');
        add_phrase(&all, terms[i]);
    }
    ybuf_adds(&all, "))");
    /* Filters of 3+ characters narrow inside the index (trigrams: shorter ones cannot);
     * the exact comparisons of FILTERS still decide. */
    add_filter(&all, "{department dept_short}", "", q->department);
    add_filter(&all, "domain", "", q->domain);
    add_filter(&all, "level", "", q->level);
    add_filter(&all, "objects", "|", q->object);
    add_phrase(&first, terms[0]);
    ybuf_printf(&t0, "%s AND name : %s", all.data, first.data);
    ybuf_printf(&t1, "%s AND (aliases : %s NOT name : %s)", all.data, first.data, first.data);
    ybuf_printf(&t2, "%s NOT {name aliases} : %s", all.data, first.data);
    bool filtered = (q->department && *q->department) || (q->domain && *q->domain) ||
                    (q->level && *q->level) || (q->object && *q->object);
    /* Without filters the count reads only the FTS index, not the rows. */
    db_stmt *n =
        filtered
            ? db_prepare(c, COUNT_OF(FTS_FROM))
            : db_prepare(c, "SELECT count(*) FROM (SELECT 1 FROM catalog_search WHERE"
                            " catalog_search MATCH $2 AND $3 || $4 || $5 || $6 = '' LIMIT $7)");
    json_t *out = NULL;
    if (!n)
        goto done;
    db_bind_text(n, 2, all.data);
    bind_filters(n, q);
    db_bind_int(n, 7, CATSEARCH_TOTAL_CAP + 1);
    if (db_step(n) != DB_ROW) {
        db_reset(n);
        goto done;
    }
    *total = db_col_int(n, 0);
    *capped = *total > CATSEARCH_TOTAL_CAP;
    if (*capped)
        *total = CATSEARCH_TOTAL_CAP;
    db_reset(n);
    /* The tiers in turn, each in index order, until limit rows; offset skips across them. */
    out = json_array();
    const char *tiers[3] = {t0.data, t1.data, t2.data};
    int64_t skip = q->offset;
    for (int t = 0; t < 3 && (int)json_array_size(out) < q->limit; t++) {
        int64_t want = q->limit - (int64_t)json_array_size(out);
        db_stmt *st = db_prepare(c, COLS FTS_FROM " ORDER BY s.rowid LIMIT $7 OFFSET $8");
        if (!st)
            goto fail;
        db_bind_text(st, 2, tiers[t]);
        bind_filters(st, q);
        db_bind_int(st, 7, want);
        db_bind_int(st, 8, skip);
        json_t *rows = rows_all(st, (int)want);
        if (!rows)
            goto fail;
        bool got = json_array_size(rows) > 0;
        json_array_extend(out, rows);
        json_decref(rows);
        if (skip && !got) {
            /* This tier had at most skip rows: how many, to skip the rest in the next. */
            db_stmt *k = db_prepare(c, COUNT_OF(FTS_FROM));
            if (!k)
                goto fail;
            db_bind_text(k, 2, tiers[t]);
            bind_filters(k, q);
            db_bind_int(k, 7, skip);
            if (db_step(k) != DB_ROW) {
                db_reset(k);
                goto fail;
            }
            skip -= db_col_int(k, 0);
            db_reset(k);
        } else {
            skip = 0;
        }
    }
    goto done;
fail:
    json_decref(out);
    out = NULL;
done:
    ybuf_release(&all);
    ybuf_release(&t0);
    ybuf_release(&t1);
    ybuf_release(&t2);
    ybuf_release(&first);
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
    db_stmt *q = db_prepare(c, "SELECT DISTINCT objects FROM catalog_docs");
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
        distinct(db_prepare(c, "SELECT DISTINCT department FROM catalog_docs ORDER BY 1")),
        "domains", distinct(db_prepare(c, "SELECT DISTINCT domain FROM catalog_docs ORDER BY 1")),
        "levels", distinct(db_prepare(c, "SELECT DISTINCT level FROM catalog_docs ORDER BY 1")),
        "objects", objects);
}
