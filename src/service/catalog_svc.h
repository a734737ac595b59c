/*
 * catalog_svc.h - the item catalog as the product runs it: documents checked against
 * the catalog's rules (core/catalog.h) and the database (departments, existing items),
 * stored in a canonical key order, versions published and retired with the search index
 * kept in step, whole-catalog import (all-or-nothing) and export, and the per-center
 * statistics of issue 5.
 */
#ifndef YC_CATALOG_SVC_H
#define YC_CATALOG_SVC_H

#include "core/catalog.h"
#include "service/catalog_csv.h"
#include "store/db.h"
#include "store/store.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#define CATALOG_FORMAT         "yichuang-catalog"
#define CATALOG_FORMAT_VERSION 1

/* A deep copy of a document with the keys of every object in the catalog's fixed
 * order (export -> import -> export is byte-identical because of it). */
json_t *catsvc_canonical(json_t *doc);
/* Canonical compact text of a document (malloc'd). */
char *catsvc_text(json_t *doc);
/* Parse a stored document; NULL if broken. */
json_t *catsvc_parse(const char *text);

/* cat_department_fn over a db_conn passed as arg. */
bool catsvc_department_exists(void *db, const char *name);

/* Check one item or bundle (bundles: member items must be published). */
int catsvc_check_item(db_conn *c, json_t *doc, cat_problems *out);
int catsvc_check_bundle(db_conn *c, json_t *doc, cat_problems *out);
/* The 400 body {code: CATALOG_INVALID, message, field, problems: [...]}. file may be
 * NULL (then problems carry no file). */
json_t *catsvc_invalid_body(const cat_problems *p, const char *file);

/* Check a whole catalog document: its envelope, every item and bundle, codes repeated
 * across the file, bundles' members (in the file or already published), items whose
 * open version an import would overtake. Returns the number of problems. */
int catsvc_check_catalog(db_conn *c, json_t *doc, cat_problems *out);

typedef struct catsvc_import_result {
    int created, updated, unchanged, bundles;
} catsvc_import_result;
/* Apply a checked catalog (apply = false: only count, on any connection). Items with
 * the same basic_code get a new published version unless the published document is
 * already identical; new codes become new items. */
int catsvc_import(db_conn *c, json_t *doc, bool apply, int64_t user, int64_t now,
                  catsvc_import_result *res);

/* The columns a version copies from its document; department_id resolved. */
typedef struct catsvc_meta {
    const char *name, *domain, *type_code, *case_kind;
    int64_t department_id;
} catsvc_meta;
void catsvc_meta_of(db_conn *c, json_t *doc, catsvc_meta *m);

/* Publish version (now in status from) of an item: the previous published version is
 * retired, the identity row and the search index follow. YC_ECONFLICT if the version
 * is not in `from`. */
int catsvc_publish(db_conn *tx, int64_t item_id, int version, const char *from, int64_t user,
                   int64_t now);
/* Retire the item's published version (the item leaves export and search). */
int catsvc_retire(db_conn *tx, int64_t item_id, const char *note, int64_t user, int64_t now);
/* Index a published bundle document. */
int catsvc_index_bundle(db_conn *tx, json_t *bundle);

/* The command line's import of a catalog file: checked and applied in one write
 * transaction with one action-log row. On problems returns YC_EINVAL with *report set
 * to one line per problem (malloc'd, Chinese); on other failures a one-line report. */
int catsvc_import_file(store *st, const char *path, catsvc_import_result *res, char **report);

/* The catalog document of everything published (contract: sorted by code). */
json_t *catsvc_export(db_conn *c);

/* A catalog document from its CSV files (docs/catalog-format.md, section 7), checked as
 * catsvc_check_catalog checks a document, with every problem's file and line set to
 * the row it comes from. NULL when anything is wrong (problems in *out). */
json_t *catsvc_csv_read(db_conn *c, const catalog_csv_file *files, int nfiles, cat_problems *out);

/* The command line's import of a directory of CSV files: every *.csv in dir is read (a
 * name outside the layout is a problem), then as catsvc_import_file, one line per
 * problem with its file and line. */
int catsvc_import_csv_dir(store *st, const char *dir, catsvc_import_result *res, char **report);

/* catsvc_export as CSV files (free with catalog_csv_files_free). 0; YC_EINVAL when the
 * catalog holds something CSV cannot carry exactly; YC_EDB on a database failure. */
int catsvc_export_csv(db_conn *c, catalog_csv_file **files, int *nfiles);

/* {items, published, comprehensive_items, comprehensive_share, materials,
 * no_submit_materials, no_submit_share} for a center; NULL on a database error. */
json_t *catsvc_stats(db_conn *c, int64_t center_id, int64_t now);

#endif
