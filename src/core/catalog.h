/*
 * catalog.h - the item catalog's rules (事项目录, DOMAIN.md §3, docs/catalog-format.md):
 * checking item and bundle documents, and turning a situation's answers into the exact
 * material checklist. Pure: documents are jansson values the caller parsed; what the
 * rules need from outside (which departments exist) comes through a callback.
 */
#ifndef YC_CATALOG_H
#define YC_CATALOG_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#define CAT_MAX_PROBLEMS 200

typedef struct cat_problem {
    char where[256];   /* e.g. "items[3].steps[1]" */
    char field[48];    /* e.g. "share" */
    const char *rule;  /* stable code: REQUIRED, TYPE, LENGTH, FORMAT, ENUM, RANGE, DUPLICATE,
                          SHARES, LIMITS, REFERENCE, CYCLE, UNREACHABLE, UNKNOWN_FIELD */
    char message[256]; /* Chinese */
    int item_index;    /* index of the item/bundle in its array, -1 if none */
    char file[40];     /* CSV imports: the file the problem is in ("" otherwise) */
    int line;          /* CSV imports: 1-based line of the row (0 if none) */
} cat_problem;

typedef struct cat_problems {
    cat_problem items[CAT_MAX_PROBLEMS];
    int count;
    int dropped;
} cat_problems;

/* Does a department of this name exist? */
typedef bool (*cat_department_fn)(void *arg, const char *name);

/* Check one item document; problems are appended with `where` as their prefix.
 * Returns the number of problems added. */
int catalog_check_item(json_t *item, const char *where, int index, cat_department_fn dept,
                       void *arg, cat_problems *out);
/* Check one bundle; item_exists tells whether a basic code is in the catalog. */
int catalog_check_bundle(json_t *bundle, const char *where, int index, cat_department_fn dept,
                         bool (*item_exists)(void *arg, const char *basic_code), void *arg,
                         cat_problems *out);

/* The checklist for a set of answers {question_key: option_key}: an array of the
 * item's material objects that apply, in the item's order. Answers must follow the
 * question path from `start`; the first wrong or missing answer stops with *problem
 * set (Chinese) and NULL returned. An item without situations returns every material. */
json_t *catalog_checklist(json_t *item, json_t *answers, char *problem, size_t size);
/* The same; qkey_out (may be NULL) receives the key of the question that stopped it. */
json_t *catalog_checklist_at(json_t *item, json_t *answers, char *problem, size_t size,
                             char *qkey_out, size_t qsize);

/* Chinese names for codes, for guides. NULL if unknown. */
const char *catalog_type_name(const char *type_code);
const char *catalog_label(const char *group, const char *code);

#endif
