/*
 * catalog_store.h - SQL for the item catalog (migration 3): item versions, bundles and
 * their versions, adjustment requests, and what stats and export read. The search index
 * (SQLite FTS5) is apart in catalog_search.h.
 *
 * Reads return JSON rows (rows.h); documents come back as JSON text in "document".
 * Writes take the writer connection of a store job. Errors: YC_ENOTFOUND, YC_ECONFLICT
 * (a version not in the expected state), DB_ECONSTRAINT, YC_EDB.
 */
#ifndef YC_CATALOG_STORE_H
#define YC_CATALOG_STORE_H

#include "store/db.h"

#include <jansson.h>
#include <stdint.h>

/* The columns a version copies from its document for lists and filters. */
typedef struct catstore_meta {
    const char *name;
    int64_t department_id;
    const char *domain;
    const char *type_code;
    const char *case_kind;
} catstore_meta;

/* Department id by full name or short name; 0 if none. */
int64_t catstore_department_id(db_conn *c, const char *name);
/* Department name by id ("" if none), into buf. */
void catstore_department_name(db_conn *c, int64_t id, char *buf, size_t size);

/* ---- items ---- */
/* {id, basic_code, name, department_id, department, retired_at} or NULL. */
json_t *catstore_item_by_code(db_conn *c, const char *code);
int catstore_item_insert(db_conn *tx, const char *code, const char *name, int64_t department_id,
                         int64_t now, int64_t *id);
/* After a publish: the identity row follows the published version. retired: 1 sets
 * retired_at = now, 0 clears it. */
int catstore_item_touch(db_conn *tx, int64_t item_id, const char *name, int64_t department_id,
                        int retired, int64_t now);

typedef struct catstore_filter {
    const char *q;         /* code prefix or name substring; "" = any */
    const char *status;    /* a version status some version has; "" = any */
    int64_t department_id; /* 0 = any */
    const char *domain;    /* "" = any */
    int limit, offset;
} catstore_filter;
/* Items with published/latest versions (contract row shape); *total = all matches. */
json_t *catstore_items_list(db_conn *c, const catstore_filter *f, int64_t *total);

/* Versions of an item, oldest first, without documents. */
json_t *catstore_versions(db_conn *c, int64_t item_id);
/* One version with its document text; NULL if none. */
json_t *catstore_version(db_conn *c, int64_t item_id, int version);
/* The published version (with document) or NULL. */
json_t *catstore_published(db_conn *c, int64_t item_id);
/* The published version number of a non-retired item by code (0 if none) and its
 * published_at in *at (may be NULL). */
int catstore_published_version(db_conn *c, const char *code, int64_t *at);
/* The same for a bundle. */
int catstore_bundle_published_version(db_conn *c, const char *code);
/* Number of the open (draft/submitted/reviewed) version, 0 if none; highest version. */
int catstore_open_version(db_conn *c, int64_t item_id);
int catstore_max_version(db_conn *c, int64_t item_id);

int catstore_version_insert(db_conn *tx, int64_t item_id, int version, const char *status,
                            const char *document, const catstore_meta *m, int64_t user,
                            int64_t now);
/* Replace a draft's document; YC_ECONFLICT if the version is not a draft. */
int catstore_version_replace(db_conn *tx, int64_t item_id, int version, const char *document,
                             const catstore_meta *m, int64_t now);
/* Move a version from status `from` to `to`, stamping who/when of the new status
 * (to "draft" = rejected: clears the submit/review stamps). note NULL keeps the note.
 * YC_ECONFLICT when the version is not in `from`. */
int catstore_version_move(db_conn *tx, int64_t item_id, int version, const char *from,
                          const char *to, const char *note, int64_t user, int64_t now);

/* Open versions (draft/submitted/reviewed) of every item, oldest change first. */
json_t *catstore_open_versions(db_conn *c);

/* ---- bundles ---- */
/* {id, code, name, retired_at} or NULL. */
json_t *catstore_bundle_by_code(db_conn *c, const char *code);
/* Published bundles {code, name, version, published_at}, by code. */
json_t *catstore_bundles_list(db_conn *c);
json_t *catstore_bundle_versions(db_conn *c, int64_t bundle_id);
json_t *catstore_bundle_published(db_conn *c, int64_t bundle_id);
/* Publish a new version (creating the bundle if needed, retiring the previous one). */
int catstore_bundle_put(db_conn *tx, const char *code, const char *name, const char *document,
                        int64_t user, int64_t now, int *version_out);

/* ---- export, stats ---- */
/* Published documents {code, document, version, published_at} by code: kind "item" or
 * "bundle". */
json_t *catstore_published_documents(db_conn *c, const char *kind);
/* Published items receivable at an active comprehensive (general/domain) window of the
 * center: a live receive/accept authorization, not expired on `today`, of staff posted
 * there. */
int64_t catstore_comprehensive_items(db_conn *c, int64_t center_id, const char *today);

/* ---- adjustments ---- */
int catstore_adjustment_insert(db_conn *tx, json_t *row, int64_t user, int64_t now, int64_t *id);
json_t *catstore_adjustments_list(db_conn *c, const char *status);
json_t *catstore_adjustment_get(db_conn *c, int64_t id);
/* open -> reported (report) or open/reported -> done (done). YC_ECONFLICT otherwise. */
int catstore_adjustment_move(db_conn *tx, int64_t id, const char *to, int64_t user, int64_t now);

#endif
