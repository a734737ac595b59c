/*
 * catalog_csv_tables.c - the CSV tables of the catalog (docs/catalog-format.md): every
 * column with its kind and the JSON path it carries.
 */
#include "service/catalog_csv_internal.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

#define C(n, k)                                                                                    \
    {                                                                                              \
        n, k, n                                                                                    \
    }
static const col item_cols[] = {
    C("basic_code", K_STR),
    C("impl_code", K_STR),
    C("handle_code", K_STR),
    C("name", K_STR),
    C("aliases", K_LIST),
    C("keywords", K_LIST),
    C("type_code", K_STR),
    C("level", K_STR),
    C("department", K_STR),
    C("domain", K_STR),
    C("service_object", K_LIST),
    C("handling_forms", K_LIST),
    C("case_kind", K_STR),
    {"statutory_limit", K_INT, "statutory_limit.value"},
    {"statutory_unit", K_STR, "statutory_limit.unit"},
    {"promised_limit", K_INT, "promised_limit.value"},
    {"promised_unit", K_STR, "promised_limit.unit"},
    C("conditions", K_LINES),
    C("legal_basis", K_LINES),
    C("steps", K_ARRAY),
    C("special_procedures", K_ARRAY),
    C("visits", K_INT),
    C("cross_region", K_STR),
    {"result_name", K_STR, "result.name"},
    {"result_kind", K_STR, "result.kind"},
    {"result_sample", K_OPT, "result.sample"},
    C("fees", K_ARRAY),
    C("place", K_STR),
    C("hours", K_STR),
    C("consult_phone", K_STR),
    C("complaint_phone", K_STR),
    C("faq", K_ARRAY),
    C("materials", K_ARRAY),
    {"situations_start", K_OPT, "situations.start"},
};
static const col material_cols[] = {
    C("item", K_REF),        C("key", K_STR),    C("name", K_STR),
    C("kind", K_STR),        C("form", K_STR),   C("count", K_INT),
    C("requirement", K_STR), C("source", K_STR), C("standard", K_OPT),
    C("blank_form", K_OPT),  C("sample", K_OPT), C("mistakes", K_OPTLINES),
    C("always", K_BOOL),
};
static const col question_cols[] = {C("item", K_REF), C("key", K_STR), C("text", K_STR),
                                    C("options", K_ARRAY)};
static const col option_cols[] = {C("item", K_REF), C("question", K_REF),   C("key", K_STR),
                                  C("text", K_STR), C("materials", K_LIST), C("next", K_OPT)};
static const col step_cols[] = {C("item", K_REF), C("name", K_STR), C("share", K_INT),
                                C("role", K_OPT)};
static const col special_cols[] = {C("item", K_REF), C("name", K_STR), C("kind", K_STR),
                                   C("max_days", K_INT)};
static const col fee_cols[] = {C("item", K_REF), C("name", K_STR), C("amount_fen", K_INT),
                               C("basis", K_STR)};
static const col faq_cols[] = {C("item", K_REF), C("q", K_STR), C("a", K_STR)};
static const col bundle_cols[] = {
    C("code", K_STR),
    C("name", K_STR),
    C("theme", K_STR),
    C("aliases", K_LIST),
    C("keywords", K_LIST),
    C("lead_department", K_STR),
    C("co_departments", K_LIST),
    C("items", K_ARRAY),
    C("form_fields", K_ARRAY),
    C("output", K_STR),
    {"promised_limit", K_INT, "promised_limit.value"},
    {"promised_unit", K_STR, "promised_limit.unit"},
    C("description", K_OPT),
};
static const col bundle_item_cols[] = {C("bundle", K_REF), {"item", K_STR, NULL}};
static const col bundle_field_cols[] = {C("bundle", K_REF), C("key", K_STR), C("label", K_STR),
                                        C("items", K_LIST)};
#undef C

#define T(f, c, top, d, a, k)                                                                      \
    {                                                                                              \
        f, c, (int)YC_ARRAY_LEN(c), top, d, a, k                                                   \
    }
const table catalog_csv_tables[CATALOG_CSV_NTABLES] = {
    T("items.csv", item_cols, "items", 0, NULL, "basic_code"),
    T("materials.csv", material_cols, "items", 1, "materials", "key"),
    T("questions.csv", question_cols, "items", 1, "situations.questions", "key"),
    T("options.csv", option_cols, "items", 2, "options", "key"),
    T("steps.csv", step_cols, "items", 1, "steps", NULL),
    T("special_procedures.csv", special_cols, "items", 1, "special_procedures", NULL),
    T("fees.csv", fee_cols, "items", 1, "fees", NULL),
    T("faq.csv", faq_cols, "items", 1, "faq", NULL),
    T("bundles.csv", bundle_cols, "bundles", 0, NULL, "code"),
    T("bundle_items.csv", bundle_item_cols, "bundles", 1, "items", ""),
    T("bundle_fields.csv", bundle_field_cols, "bundles", 1, "form_fields", "key"),
};
#undef T

/* ------------------------------------------------------------ paths */

/* The value at a one- or two-part path ("a" or "a.b"). */
json_t *catalog_csv_path_get(json_t *o, const char *path)
{
    const char *dot = strchr(path, '.');
    if (!dot)
        return json_object_get(o, path);
    char head[48];
    snprintf(head, sizeof(head), "%.*s", (int)(dot - path), path);
    return json_object_get(json_object_get(o, head), dot + 1);
}

void catalog_csv_path_set(json_t *o, const char *path, json_t *v)
{
    const char *dot = strchr(path, '.');
    if (!dot) {
        json_object_set_new(o, path, v);
        return;
    }
    char head[48];
    snprintf(head, sizeof(head), "%.*s", (int)(dot - path), path);
    json_t *sub = json_object_get(o, head);
    if (!json_is_object(sub)) {
        sub = json_object();
        json_object_set_new(o, head, sub);
    }
    json_object_set_new(sub, dot + 1, v);
}
