/*
 * catalog_csv_internal.h - the column lists shared by the CSV reader (catalog_csv.c)
 * and writer (catalog_csv_write.c): each table's columns map to JSON paths in the
 * row's object. Not for use outside src/service/catalog_csv*.c.
 */
#ifndef YC_CATALOG_CSV_INTERNAL_H
#define YC_CATALOG_CSV_INTERNAL_H

#include <jansson.h>
#include <stddef.h>

typedef enum {
    K_STR,      /* string, always present (may be empty) */
    K_OPT,      /* string, absent when the cell is empty */
    K_INT,      /* integer */
    K_LIST,     /* array of strings separated by ";" (empty cell: []) */
    K_LINES,    /* array of strings, one per line (empty cell: []) */
    K_OPTLINES, /* as K_LINES, absent when the cell is empty */
    K_BOOL,     /* true / false, absent when the cell is empty */
    K_REF,      /* the parent's key (item basic code, bundle code, question key) */
    K_ARRAY,    /* no column: an empty array created in the row's object */
} kind;

typedef struct col {
    const char *name;
    kind k;
    const char *path; /* "name" or "result.name" */
} col;

typedef struct table {
    const char *file;
    const col *cols;
    int ncols;
    const char *top;   /* "items" or "bundles": the list the row or its parent is in */
    int depth;         /* 0: the row is an item/bundle; 1: a child; 2: an option */
    const char *array; /* where a child goes in its parent */
    const char *key;   /* the row's key for duplicate checks (NULL: none) */
} table;

/* items, materials, questions, options, steps, special_procedures, fees, faq, bundles,
 * bundle_items, bundle_fields: the order of the files catalog_csv_write makes. */
#define CATALOG_CSV_NTABLES 11
extern const table catalog_csv_tables[CATALOG_CSV_NTABLES];

/* The value at a one- or two-part path ("a" or "a.b"), or NULL. */
json_t *catalog_csv_path_get(json_t *o, const char *path);
/* Set (stealing v) at such a path, making the intermediate object. */
void catalog_csv_path_set(json_t *o, const char *path, json_t *v);

#endif
