/*
 * h_public.c - the catalog as the public sees it, without logging in: search with
 * filters, the filter values, an item's published guide data, the situation checklist,
 * and a bundle with its member items. Only published, non-retired versions show.
 */
#include "api/h_catalog.h"
#include "core/workcal.h"
#include "service/catalog_svc.h"
#include "store/catalog_search.h"
#include "store/catalog_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t chars(const char *s)
{
    int64_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Copy s without leading/trailing ASCII and ideographic spaces. */
static void trim(const char *s, char *out, size_t size)
{
    while (*s == ' ' || *s == '\t' || !strncmp(s, "\xE3\x80\x80", 3))
        s += *s == ' ' || *s == '\t' ? 1 : 3;
    ystrlcpy(out, s, size);
    size_t n = strlen(out);
    for (;;) {
        if (n && (out[n - 1] == ' ' || out[n - 1] == '\t'))
            out[--n] = '\0';
        else if (n >= 3 && !strcmp(out + n - 3, "\xE3\x80\x80"))
            out[n -= 3] = '\0';
        else
            break;
    }
}

void h_public_search(api_req *r)
{
    char q[512];
    const char *raw = api_query(r, "q");
    trim(raw ? raw : "", q, sizeof(q));
    if (chars(q) > 100 || (raw && strlen(raw) >= sizeof(q))) {
        api_fail(r, 400, "FIELD_LENGTH", "q", "搜索词最多100个字");
        return;
    }
    int64_t limit = 20, offset = 0;
    const char *s;
    if ((s = api_query(r, "limit")) && yparse_i64(s, 1, 100, &limit)) {
        api_fail(r, 400, "FIELD_RANGE", "limit", "limit应为1至100之间的整数");
        return;
    }
    if ((s = api_query(r, "offset")) && yparse_i64(s, 0, 100000, &offset)) {
        api_fail(r, 400, "FIELD_RANGE", "offset", "offset应为非负整数");
        return;
    }
    catsearch_query cq = {q,
                          api_query(r, "department"),
                          api_query(r, "domain"),
                          api_query(r, "level"),
                          api_query(r, "object"),
                          (int)limit,
                          (int)offset};
    int64_t total = 0;
    bool capped = false;
    json_t *results = catsearch_run(api_db(r), &cq, &total, &capped);
    if (!results) {
        api_fail_db(r);
        return;
    }
    api_reply_json(r, 200,
                   json_pack("{s:o,s:I,s:b}", "results", results, "total", (json_int_t)total,
                             "total_capped", capped));
}

void h_public_facets(api_req *r)
{
    api_reply_json(r, 200, catsearch_facets(api_db(r)));
}

/* The published document of the item in path parameter 0, with its version row in
 * *row (caller decrefs both); NULL after a 404. */
static json_t *published_item(api_req *r, json_t **row)
{
    const char *code = api_param(r, 0);
    json_t *it = catstore_item_by_code(api_db(r), code);
    json_t *pub = it && json_is_null(json_object_get(it, "retired_at"))
                      ? catstore_published(api_db(r), json_integer_value(json_object_get(it, "id")))
                      : NULL;
    json_t *doc = pub ? catsvc_parse(json_string_value(json_object_get(pub, "document"))) : NULL;
    if (doc) {
        json_object_set(pub, "department", json_object_get(it, "department"));
        *row = pub;
    } else {
        json_decref(pub);
        api_fail(r, 404, "ITEM_NOT_FOUND", "", "事项“%s”不存在或未发布", code);
    }
    json_decref(it);
    return doc;
}

void h_public_item(api_req *r)
{
    json_t *row = NULL;
    json_t *doc = published_item(r, &row);
    if (!doc)
        return;
    char day[WORKCAL_DATE_STRLEN];
    workcal_format(workcal_date_from_ms(json_integer_value(json_object_get(row, "published_at"))),
                   day, sizeof(day));
    api_reply_json(r, 200,
                   json_pack("{s:o,s:O,s:s,s:O}", "item", doc, "version",
                             json_object_get(row, "version"), "published_on", day,
                             "department_name", json_object_get(row, "department")));
    json_decref(row);
}

void h_public_checklist(api_req *r)
{
    static const jfield spec[] = {{"answers", JF_OBJECT, true, 0, 0, "回答"}, {0}};
    json_t *row = NULL, *in;
    json_t *doc = published_item(r, &row);
    if (!doc)
        return;
    json_decref(row);
    if (api_body(r, spec, &in)) {
        json_decref(doc);
        return;
    }
    char problem[256], qkey[64] = "", field[96];
    json_t *list = catalog_checklist_at(doc, json_object_get(in, "answers"), problem,
                                        sizeof(problem), qkey, sizeof(qkey));
    json_decref(in);
    json_decref(doc);
    if (!list) {
        snprintf(field, sizeof(field), "answers.%s", qkey);
        api_fail(r, 400, "ANSWER_REQUIRED", field, "%s", problem);
        return;
    }
    api_reply_json(r, 200, json_pack("{s:o}", "materials", list));
}

void h_public_bundle(api_req *r)
{
    const char *code = api_param(r, 0);
    json_t *b = catstore_bundle_by_code(api_db(r), code);
    json_t *pub =
        b && json_is_null(json_object_get(b, "retired_at"))
            ? catstore_bundle_published(api_db(r), json_integer_value(json_object_get(b, "id")))
            : NULL;
    json_t *doc = pub ? catsvc_parse(json_string_value(json_object_get(pub, "document"))) : NULL;
    json_decref(b);
    if (!doc) {
        json_decref(pub);
        api_fail(r, 404, "BUNDLE_NOT_FOUND", "", "一件事“%s”不存在或未发布", code);
        return;
    }
    json_t *items = json_array();
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(doc, "items"), i, m)
    {
        json_t *it = catstore_item_by_code(api_db(r), json_string_value(m));
        json_t *p =
            it && json_is_null(json_object_get(it, "retired_at"))
                ? catstore_published(api_db(r), json_integer_value(json_object_get(it, "id")))
                : NULL;
        json_t *d = p ? catsvc_parse(json_string_value(json_object_get(p, "document"))) : NULL;
        if (d)
            json_array_append_new(items, d);
        json_decref(p);
        json_decref(it);
    }
    api_reply_json(r, 200,
                   json_pack("{s:o,s:O,s:o}", "bundle", doc, "version",
                             json_object_get(pub, "version"), "items", items));
    json_decref(pub);
}
