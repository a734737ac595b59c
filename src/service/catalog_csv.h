/*
 * catalog_csv.h - the catalog document (docs/catalog-format.md) as CSV, one file per
 * table: items.csv, materials.csv, questions.csv, options.csv, steps.csv,
 * special_procedures.csv, fees.csv, faq.csv, bundles.csv, bundle_items.csv,
 * bundle_fields.csv. Pure: texts in, jansson document out, and back.
 *
 * Conversion is exact for valid documents: write then read gives an equal document
 * (json_equal), given the normalizations documented in docs/catalog-format.md (an
 * empty cell is an absent optional field; an item's arrays are always present).
 */
#ifndef YC_CATALOG_CSV_H
#define YC_CATALOG_CSV_H

#include <jansson.h>
#include <stddef.h>

#include "core/catalog.h"

typedef struct catalog_csv_file {
    const char *name; /* e.g. "items.csv" */
    const char *text; /* UTF-8, a BOM is skipped; catalog_csv_write's are malloc'd */
    size_t len;
} catalog_csv_file;

/* The catalog document {"format","format_version","items","bundles"} from the files
 * (any subset of the tables; a missing file has no rows). NULL when anything is wrong,
 * with every problem in *out as (file, line, field, rule, Chinese message): syntax,
 * unknown or missing columns, wrong column count, non-integers, rows referring to an
 * unknown item/bundle/question, duplicate keys, unknown file names. The document is not
 * checked against the catalog rules; see catalog_csv_read_checked. */
json_t *catalog_csv_read(const catalog_csv_file *files, int nfiles, cat_problems *out);

/* catalog_csv_read, then catalog_check_item / catalog_check_bundle on every item and
 * bundle, with each problem's file and line set to the row it comes from. A bundle's
 * member exists when it is in the files or item_exists (may be NULL) says so. */
json_t *catalog_csv_read_checked(const catalog_csv_file *files, int nfiles, cat_department_fn dept,
                                 bool (*item_exists)(void *arg, const char *basic_code), void *arg,
                                 cat_problems *out);

/* catalog_csv_read, then check(doc, arg, out) (which appends problems with `where`
 * paths such as "items[3].steps[1]", e.g. catsvc_check_catalog), with each problem's
 * file and line set to the row it comes from. NULL when anything is wrong. */
json_t *catalog_csv_read_placed(const catalog_csv_file *files, int nfiles,
                                int (*check)(json_t *doc, void *arg, cat_problems *out), void *arg,
                                cat_problems *out);

/* The files of a (valid) catalog document, every table with its header, in the order
 * above; *files is malloc'd, free it with catalog_csv_files_free. 0, or -1 when the
 * document holds something CSV cannot carry exactly (a list element with ";" or an
 * empty one, a line list element with a line break, a wrong type). */
int catalog_csv_write(json_t *doc, catalog_csv_file **files, int *nfiles);
void catalog_csv_files_free(catalog_csv_file *files, int nfiles);

#endif
