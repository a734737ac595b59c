/*
 * catalog_search.h - the public search index over published items and bundles.
 *
 * Three tables, used only here: catalog_search (SQLite FTS5 with the trigram tokenizer,
 * so any Chinese substring of three or more characters matches), catalog_docs (a plain
 * table, one row per entry with its filter columns, keyed by the FTS rowid) and
 * catalog_grams (plain, indexed: every 1- and 2-character gram of the name, tier 0, and
 * of the aliases/keywords, tier 1). A PostgreSQL engine would keep the last two as they
 * are and use pg_trgm indexes instead of the FTS table.
 *
 * Words of three characters or more: FTS5, every word required, in any of name,
 * aliases/keywords, material names and FAQ; ranked by tier (the first word in the name,
 * then in aliases/keywords, then elsewhere), inside a tier in index order.
 * A word of one or two characters: looked up in catalog_grams (names, aliases and
 * keywords only: not material names or FAQ), ranked by tier, then shorter names first,
 * items before bundles, then by code; the other words of the query must also appear,
 * in order, in one column.
 * Every query does bounded work: rows are walked in rank order and stopped after
 * offset + limit, and the total is counted up to CATSEARCH_TOTAL_CAP.
 */
#ifndef YC_CATALOG_SEARCH_H
#define YC_CATALOG_SEARCH_H

#include "store/db.h"

#include <jansson.h>
#include <stdbool.h>

typedef struct catsearch_doc {
    const char *kind; /* "item" or "bundle" */
    const char *code;
    const char *department; /* full name */
    const char *dept_short;
    const char *domain;
    const char *level;
    const char *objects; /* "|自然人|法人|" */
    const char *summary;
    const char *name;
    const char *aliases; /* aliases and keywords, space separated */
    const char *body;    /* material names and FAQ */
} catsearch_doc;

/* Replace the row of (kind, code). */
int catsearch_put(db_conn *tx, const catsearch_doc *d);
int catsearch_del(db_conn *tx, const char *kind, const char *code);

typedef struct catsearch_query {
    const char *q;          /* trimmed, 1..100 characters */
    const char *department; /* full or short name, "" = any */
    const char *domain, *level, *object;
    int limit, offset;
} catsearch_query;

/* Totals stop counting here: *total = CATSEARCH_TOTAL_CAP and *capped = true when more match. */
#define CATSEARCH_TOTAL_CAP 1000

/* [{kind, code, name, department, domain, summary}], *total = the matches (capped). */
json_t *catsearch_run(db_conn *c, const catsearch_query *q, int64_t *total, bool *capped);
/* {departments, domains, levels, objects}: the distinct values in the index. */
json_t *catsearch_facets(db_conn *c);

#endif
