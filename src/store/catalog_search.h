/*
 * catalog_search.h - the public search index over published items and bundles.
 *
 * SQLite-specific (FTS5 with the trigram tokenizer, so any Chinese substring of three
 * or more characters matches; shorter queries fall back to LIKE). This file is the
 * only user of the catalog_search table: a PostgreSQL engine would implement the same
 * calls over a plain table with pg_trgm indexes.
 *
 * Ranking: a hit in the name first, then in aliases/keywords, then in material names
 * and FAQ; inside a tier by bm25, then by code.
 */
#ifndef YC_CATALOG_SEARCH_H
#define YC_CATALOG_SEARCH_H

#include "store/db.h"

#include <jansson.h>

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

/* [{kind, code, name, department, domain, summary}], *total = all matches. */
json_t *catsearch_run(db_conn *c, const catsearch_query *q, int64_t *total);
/* {departments, domains, levels, objects}: the distinct values in the index. */
json_t *catsearch_facets(db_conn *c);

#endif
