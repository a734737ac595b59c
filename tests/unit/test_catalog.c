/* Unit tests: core/catalog against the shipped demo catalog (share/demo/catalog.json,
 * departments from share/demo/county.json) and against bad documents, one rule each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/catalog.h"
#include "util/util.h"

#ifndef YC_SOURCE_DIR
#error "YC_SOURCE_DIR must point at the source tree (see CMakeLists.txt)"
#endif

static json_t *catalog; /* share/demo/catalog.json */
static json_t *county;  /* share/demo/county.json */
static cat_problems probs;

static json_t *load(const char *path)
{
    json_error_t e;
    json_t *j = json_load_file(path, 0, &e);
    if (!j)
        fprintf(stderr, "%s:%d: %s\n", path, e.line, e.text);
    return j;
}

static bool dept_exists(void *arg, const char *name)
{
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(county, "departments"), i, d)
    {
        if (!strcmp(json_string_value(json_object_get(d, "short_name")), name) ||
            !strcmp(json_string_value(json_object_get(d, "name")), name))
            return true;
    }
    return false;
}

static json_t *find_item(const char *code)
{
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(catalog, "items"), i, it)
    {
        if (!strcmp(json_string_value(json_object_get(it, "basic_code")), code))
            return it;
    }
    return NULL;
}

static bool item_exists(void *arg, const char *code)
{
    return find_item(code) != NULL;
}

static int setup(void **state)
{
    catalog = load(YC_SOURCE_DIR "/share/demo/catalog.json");
    county = load(YC_SOURCE_DIR "/share/demo/county.json");
    return catalog && county ? 0 : -1;
}

static int teardown(void **state)
{
    json_decref(catalog);
    json_decref(county);
    return 0;
}

static void dump(void)
{
    for (int i = 0; i < probs.count; i++)
        fprintf(stderr, "  %s %s %s %s\n", probs.items[i].where, probs.items[i].field,
                probs.items[i].rule, probs.items[i].message);
}

/* Is there a problem with this where, field and rule? */
static bool has(const char *where, const char *field, const char *rule)
{
    for (int i = 0; i < probs.count; i++)
        if (!strcmp(probs.items[i].where, where) && !strcmp(probs.items[i].field, field) &&
            !strcmp(probs.items[i].rule, rule))
            return true;
    return false;
}

static bool has_rule(const char *rule)
{
    for (int i = 0; i < probs.count; i++)
        if (!strcmp(probs.items[i].rule, rule))
            return true;
    return false;
}

static int check(json_t *item)
{
    memset(&probs, 0, sizeof(probs));
    int n = catalog_check_item(item, "items[0]", 0, dept_exists, NULL, &probs);
    assert_int_equal(n, probs.count);
    return n;
}

static int check_bundle(json_t *b)
{
    memset(&probs, 0, sizeof(probs));
    return catalog_check_bundle(b, "bundles[0]", 0, dept_exists, item_exists, NULL, &probs);
}

/* A fresh copy of 食品经营许可, which has a two-level situation tree. */
static json_t *food(void)
{
    json_t *it = find_item("1102000002");
    assert_non_null(it);
    return json_deep_copy(it);
}

/* Walk a path like "situations.questions[1].options[0]". */
static json_t *at(json_t *root, const char *path)
{
    json_t *j = root;
    const char *p = path;
    while (*p && j) {
        if (*p == '.')
            p++;
        if (*p == '[') {
            char *end;
            long n = strtol(p + 1, &end, 10);
            j = json_array_get(j, (size_t)n);
            p = *end ? end + 1 : end;
            continue;
        }
        char key[64];
        size_t k = 0;
        while (*p && *p != '.' && *p != '[' && k < sizeof(key) - 1)
            key[k++] = *p++;
        key[k] = '\0';
        j = json_object_get(j, key);
    }
    assert_non_null(j);
    return j;
}

/* ---- The demo catalog ---- */

static void test_demo_items_valid(void **state)
{
    json_t *items = json_object_get(catalog, "items");
    assert_string_equal(json_string_value(json_object_get(catalog, "format")), "yichuang-catalog");
    assert_int_equal(json_integer_value(json_object_get(catalog, "format_version")), 1);
    assert_true(json_array_size(items) >= 55);
    size_t i;
    json_t *it;
    int total = 0, with_situations = 0, government = 0, materials = 0;
    json_array_foreach(items, i, it)
    {
        char where[32];
        snprintf(where, sizeof(where), "items[%zu]", i);
        memset(&probs, 0, sizeof(probs));
        int n = catalog_check_item(it, where, (int)i, dept_exists, NULL, &probs);
        if (n)
            dump();
        total += n;
        with_situations += json_is_object(json_object_get(it, "situations"));
        size_t k;
        json_t *m;
        json_array_foreach(json_object_get(it, "materials"), k, m)
        {
            materials++;
            government += !strcmp(json_string_value(json_object_get(m, "source")), "government");
        }
        /* Sorted by basic code, codes unique. */
        if (i > 0)
            assert_true(strcmp(json_string_value(
                                   json_object_get(json_array_get(items, i - 1), "basic_code")),
                               json_string_value(json_object_get(it, "basic_code"))) < 0);
    }
    assert_int_equal(total, 0);
    assert_true(with_situations >= 30);
    assert_true(government >= 50 && materials >= 200);
}

static void test_demo_domains_and_county(void **state)
{
    static const char *const domains[] = {"社保医保", "企业开办",   "建设项目",
                                          "公共服务", "不动产交易", "社会事务"};
    for (size_t d = 0; d < YC_ARRAY_LEN(domains); d++) {
        int n = 0;
        size_t i;
        json_t *it;
        json_array_foreach(json_object_get(catalog, "items"), i, it) n +=
            !strcmp(json_string_value(json_object_get(it, "domain")), domains[d]);
        assert_true(n >= 5);
    }
    size_t i;
    json_t *ci;
    json_array_foreach(json_object_get(county, "items"), i, ci)
    {
        json_t *it = find_item(json_string_value(json_object_get(ci, "basic_code")));
        assert_non_null(it);
        assert_true(json_equal(json_object_get(it, "name"), json_object_get(ci, "name")));
        assert_true(
            json_equal(json_object_get(it, "department"), json_object_get(ci, "department")));
    }
    /* "开饭店" finds 食品经营许可 through its aliases. */
    bool alias = false;
    json_t *a;
    json_array_foreach(json_object_get(find_item("1102000002"), "aliases"), i, a) alias |=
        !strcmp(json_string_value(a), "开饭店");
    assert_true(alias);
}

static void test_demo_bundles_valid(void **state)
{
    json_t *bundles = json_object_get(catalog, "bundles");
    assert_true(json_array_size(bundles) >= 3);
    static const char *const wanted[] = {"开办餐饮店", "新生儿出生一件事",
                                         "二手房转移登记及水电气过户"};
    int found = 0;
    size_t i;
    json_t *b;
    json_array_foreach(bundles, i, b)
    {
        char where[32];
        snprintf(where, sizeof(where), "bundles[%zu]", i);
        memset(&probs, 0, sizeof(probs));
        int n = catalog_check_bundle(b, where, (int)i, dept_exists, item_exists, NULL, &probs);
        if (n)
            dump();
        assert_int_equal(n, 0);
        for (size_t k = 0; k < YC_ARRAY_LEN(wanted); k++)
            found += !strcmp(json_string_value(json_object_get(b, "name")), wanted[k]);
    }
    assert_int_equal(found, 3);
}

/* Every path through every demo item's questions gives a checklist. */
static int walk(json_t *item, json_t *answers, const char *qkey, int depth)
{
    json_t *qs = json_object_get(json_object_get(item, "situations"), "questions");
    json_t *q = NULL, *v;
    size_t i;
    json_array_foreach(qs, i, v) if (!strcmp(json_string_value(json_object_get(v, "key")), qkey))
        q = v;
    assert_non_null(q);
    assert_true(depth < 10);
    int paths = 0;
    json_t *opt;
    json_array_foreach(json_object_get(q, "options"), i, opt)
    {
        json_object_set(answers, qkey, json_object_get(opt, "key"));
        const char *next = json_string_value(json_object_get(opt, "next"));
        if (next) {
            paths += walk(item, answers, next, depth + 1);
        } else {
            char problem[256] = "";
            json_t *list = catalog_checklist(item, answers, problem, sizeof(problem));
            if (!list)
                fail_msg("%s: %s", json_string_value(json_object_get(item, "name")), problem);
            assert_true(json_array_size(list) >= 1);
            json_decref(list);
            paths++;
        }
        json_object_del(answers, qkey);
    }
    return paths;
}

static void test_demo_checklists(void **state)
{
    size_t i;
    json_t *it;
    int paths = 0;
    json_array_foreach(json_object_get(catalog, "items"), i, it)
    {
        json_t *s = json_object_get(it, "situations");
        if (!json_is_object(s))
            continue;
        json_t *answers = json_object();
        paths += walk(it, answers, json_string_value(json_object_get(s, "start")), 0);
        json_decref(answers);
    }
    assert_true(paths >= 150);
}

/* ---- Codes, types, limits ---- */

static void test_codes(void **state)
{
    json_t *it = food();
    json_object_set_new(it, "basic_code", json_string("1102000002123"));
    json_object_set_new(it, "impl_code", json_string("1234567890123456789012345678901234567"));
    json_object_set_new(it, "handle_code", json_string(""));
    check(it);
    assert_true(has("items[0]", "basic_code", "LENGTH"));
    assert_true(has("items[0]", "impl_code", "LENGTH"));
    assert_int_equal(probs.count, 2); /* an empty handle code is fine */
    json_object_set_new(it, "basic_code", json_string("11020a0002"));
    json_object_set_new(it, "impl_code", json_string("123456789012345678901234567890123456"));
    json_object_del(it, "handle_code");
    check(it);
    assert_true(has("items[0]", "basic_code", "FORMAT"));
    assert_true(has("items[0]", "handle_code", "REQUIRED"));
    assert_int_equal(probs.count, 2);
    json_object_set_new(it, "basic_code", json_string(""));
    json_object_set_new(it, "handle_code", json_integer(5));
    check(it);
    assert_true(has("items[0]", "basic_code", "LENGTH"));
    assert_true(has("items[0]", "handle_code", "TYPE"));
    json_decref(it);
}

static void test_type_code(void **state)
{
    json_t *it = food();
    json_object_set_new(it, "type_code", json_string("99"));
    check(it);
    assert_true(has("items[0]", "type_code", "ENUM"));
    assert_int_equal(probs.count, 1);
    json_object_set_new(it, "type_code", json_string("20"));
    json_object_set_new(it, "level", json_string("省部级"));
    json_object_set_new(it, "service_object", json_pack("[s]", "外星人"));
    check(it);
    assert_true(has("items[0]", "level", "ENUM"));
    assert_true(has("items[0].service_object[0]", "", "ENUM"));
    json_decref(it);
}

static void test_limits(void **state)
{
    json_t *it = food();
    json_object_set_new(at(it, "promised_limit"), "value", json_integer(-1));
    check(it);
    assert_true(has("items[0].promised_limit", "value", "RANGE"));
    json_decref(it);

    it = food();
    json_object_set_new(at(it, "statutory_limit"), "unit", json_string("month"));
    check(it);
    assert_true(has("items[0].statutory_limit", "unit", "ENUM"));
    json_decref(it);

    it = food(); /* promised 12 > statutory 10, and the steps no longer add up */
    json_object_set_new(at(it, "promised_limit"), "value", json_integer(12));
    check(it);
    assert_true(has("items[0]", "promised_limit", "LIMITS"));
    assert_true(has("items[0]", "steps", "SHARES"));
    json_decref(it);

    it = food();
    json_object_set_new(it, "case_kind", json_string("instant"));
    check(it);
    assert_true(has("items[0]", "promised_limit", "LIMITS"));
    json_object_del(it, "statutory_limit");
    json_object_set_new(at(it, "promised_limit"), "days", json_integer(1));
    check(it);
    assert_true(has("items[0]", "statutory_limit", "REQUIRED"));
    assert_true(has("items[0].promised_limit", "days", "UNKNOWN_FIELD"));
    json_decref(it);

    it = food(); /* a promise case with a zero limit */
    json_object_set_new(at(it, "promised_limit"), "value", json_integer(0));
    check(it);
    assert_true(has("items[0]", "promised_limit", "LIMITS"));
    json_decref(it);
}

static void test_step_shares(void **state)
{
    json_t *it = food();
    json_t *steps = at(it, "steps");
    json_object_set_new(json_array_get(steps, 1), "share", json_integer(3));
    check(it);
    assert_true(has("items[0]", "steps", "SHARES"));
    assert_int_equal(probs.count, 1);
    json_object_set_new(json_array_get(steps, 1), "share", json_integer(2));
    json_object_set_new(json_array_get(steps, 0), "role", json_string("cook"));
    json_object_set_new(json_array_get(steps, 0), "note", json_string("x"));
    check(it);
    assert_true(has("items[0].steps[0]", "role", "ENUM"));
    assert_true(has("items[0].steps[0]", "note", "UNKNOWN_FIELD"));
    assert_false(has_rule("SHARES"));
    json_array_clear(steps);
    check(it);
    assert_true(has("items[0]", "steps", "REQUIRED"));
    json_decref(it);
}

static void test_department(void **state)
{
    json_t *it = food();
    json_object_set_new(it, "department", json_string("县外星局"));
    check(it);
    assert_true(has("items[0]", "department", "REFERENCE"));
    assert_int_equal(probs.count, 1);
    json_object_set_new(it, "department", json_string("县市场监督管理局")); /* full name */
    assert_int_equal(check(it), 0);
    json_decref(it);
}

/* ---- Situations ---- */

static void test_cycle(void **state)
{
    json_t *it = food();
    /* scope.hot goes back to apply: apply -> scope -> apply. agent stays reachable through
     * scope.retail and must not be reported unreachable. */
    json_t *hot = at(it, "situations.questions[1].options[0]");
    json_object_set_new(hot, "next", json_string("apply"));
    check(it);
    assert_true(has("items[0].situations", "questions", "CYCLE"));
    assert_false(has_rule("UNREACHABLE"));
    assert_int_equal(probs.count, 1);
    /* A question pointing at itself. */
    json_decref(it);
    it = food();
    json_object_set_new(at(it, "situations.questions[2].options[0]"), "next", json_string("agent"));
    check(it);
    assert_true(has("items[0].situations", "questions", "CYCLE"));
    json_decref(it);
}

static void test_unreachable(void **state)
{
    json_t *it = food();
    json_t *qs = at(it, "situations.questions");
    json_array_append_new(qs, json_pack("{s:s, s:s, s:[{s:s,s:s},{s:s,s:s}]}", "key", "orphan",
                                        "text", "孤立问题？", "options", "key", "a", "text", "甲",
                                        "key", "b", "text", "乙"));
    check(it);
    assert_true(has("items[0].situations", "questions", "UNREACHABLE"));
    assert_int_equal(probs.count, 1);
    json_object_set_new(at(it, "situations"), "start", json_string("nope"));
    check(it);
    assert_true(has("items[0].situations", "start", "REFERENCE"));
    json_decref(it);

    it = food(); /* a conditional material no answer chooses */
    json_object_set_new(at(it, "situations.questions[0].options[1]"), "materials", json_array());
    check(it);
    assert_true(has("items[0].materials[7]", "always", "UNREACHABLE"));
    assert_int_equal(probs.count, 1);
    json_decref(it);
}

static void test_situation_refs(void **state)
{
    json_t *it = food();
    json_t *opt = at(it, "situations.questions[0].options[0]");
    json_object_set_new(opt, "next", json_string("missing"));
    json_array_append_new(json_object_get(opt, "materials"), json_string("no_such"));
    json_object_set_new(opt, "weight", json_integer(1));
    json_object_set_new(at(it, "situations.questions[1]"), "key", json_string("apply"));
    check(it);
    assert_true(has("items[0].situations.questions[0].options[0]", "next", "REFERENCE"));
    assert_true(has("items[0].situations.questions[0].options[0]", "materials", "REFERENCE"));
    assert_true(has("items[0].situations.questions[0].options[0]", "weight", "UNKNOWN_FIELD"));
    assert_true(has("items[0].situations.questions[1]", "key", "DUPLICATE"));
    json_decref(it);

    it = food(); /* one option only */
    json_t *opts = at(it, "situations.questions[2].options");
    json_array_remove(opts, 1);
    check(it);
    assert_true(has("items[0].situations.questions[2]", "options", "RANGE"));
    json_decref(it);
}

/* ---- Materials, unknown fields, other parts ---- */

static void test_materials(void **state)
{
    json_t *it = food();
    json_t *ms = at(it, "materials");
    json_object_set_new(json_array_get(ms, 1), "key", json_string("food_form"));
    json_object_set_new(json_array_get(ms, 2), "count", json_integer(0));
    json_object_set_new(json_array_get(ms, 3), "source", json_string("neighbour"));
    json_object_set_new(json_array_get(ms, 4), "mistakes", json_pack("[s,i]", "ok", 3));
    json_object_set_new(json_array_get(ms, 5), "always", json_string("yes"));
    json_object_set_new(json_array_get(ms, 6), "colour", json_string("red"));
    check(it);
    assert_true(has("items[0].materials[1]", "key", "DUPLICATE"));
    assert_true(has("items[0].materials[2]", "count", "RANGE"));
    assert_true(has("items[0].materials[3]", "source", "ENUM"));
    assert_true(has("items[0].materials[4].mistakes[1]", "", "LENGTH"));
    assert_true(has("items[0].materials[5]", "always", "TYPE"));
    assert_true(has("items[0].materials[6]", "colour", "UNKNOWN_FIELD"));
    json_object_set_new(json_array_get(ms, 1), "key", json_string("Bad-Key"));
    check(it);
    assert_true(has("items[0].materials[1]", "key", "FORMAT"));
    json_array_clear(ms);
    check(it);
    assert_true(has("items[0]", "materials", "REQUIRED"));
    json_decref(it);
}

static void test_unknown_and_types(void **state)
{
    json_t *it = food();
    json_object_set_new(it, "colour", json_string("red"));
    json_object_set_new(at(it, "result"), "when", json_string("now"));
    json_object_set_new(
        it, "fees", json_pack("[{s:s,s:i,s:s}]", "name", "费", "amount_fen", -5, "basis", "依据"));
    json_object_set_new(it, "faq", json_pack("[{s:s}]", "q", "问？"));
    json_object_set_new(it, "visits", json_integer(9));
    json_object_set_new(it, "aliases", json_pack("[s,s]", "开饭店", "开饭店"));
    check(it);
    assert_true(has("items[0]", "colour", "UNKNOWN_FIELD"));
    assert_true(has("items[0].result", "when", "UNKNOWN_FIELD"));
    assert_true(has("items[0].fees[0]", "amount_fen", "RANGE"));
    assert_true(has("items[0].faq[0]", "a", "REQUIRED"));
    assert_true(has("items[0]", "visits", "RANGE"));
    assert_true(has("items[0].aliases[1]", "", "DUPLICATE"));
    json_decref(it);

    memset(&probs, 0, sizeof(probs));
    json_t *s = json_string("item");
    assert_int_equal(catalog_check_item(s, "x", 0, NULL, NULL, &probs), 1);
    assert_true(has("x", "", "TYPE"));
    json_decref(s);
}

static void test_problem_overflow(void **state)
{
    json_t *it = food();
    for (int i = 0; i < CAT_MAX_PROBLEMS + 10; i++) {
        char k[16];
        snprintf(k, sizeof(k), "x%d", i);
        json_object_set_new(it, k, json_true());
    }
    memset(&probs, 0, sizeof(probs));
    int n = catalog_check_item(it, "items[0]", 0, dept_exists, NULL, &probs);
    assert_int_equal(n, CAT_MAX_PROBLEMS + 10);
    assert_int_equal(probs.count, CAT_MAX_PROBLEMS);
    assert_int_equal(probs.dropped, 10);
    json_decref(it);
}

/* ---- Checklist ---- */

static bool listed(json_t *list, const char *key)
{
    size_t i;
    json_t *m;
    json_array_foreach(
        list, i, m) if (!strcmp(json_string_value(json_object_get(m, "key")), key)) return true;
    return false;
}

static void test_checklist(void **state)
{
    json_t *it = find_item("1102000002");
    char problem[256] = "";
    json_t *ans = json_pack("{s:s,s:s,s:s}", "apply", "new", "scope", "hot", "agent", "self");
    json_t *list = catalog_checklist(it, ans, problem, sizeof(problem));
    assert_non_null(list);
    assert_true(listed(list, "food_form") && listed(list, "business_license"));
    assert_true(listed(list, "layout") && listed(list, "kitchen_plan"));
    assert_false(listed(list, "change_note") || listed(list, "power_of_attorney"));
    json_decref(list);
    json_decref(ans);

    /* Answers off the path are ignored: change goes straight to agent. */
    ans = json_pack("{s:s,s:s,s:s}", "apply", "change", "scope", "hot", "agent", "agent");
    list = catalog_checklist(it, ans, problem, sizeof(problem));
    assert_non_null(list);
    assert_true(listed(list, "change_note") && listed(list, "power_of_attorney"));
    assert_false(listed(list, "kitchen_plan") || listed(list, "layout"));
    json_decref(list);
    json_decref(ans);

    /* A missing answer on the path. */
    ans = json_pack("{s:s}", "apply", "new");
    assert_null(catalog_checklist(it, ans, problem, sizeof(problem)));
    assert_string_equal(problem, "请回答：经营项目是否包括热食类或冷食类食品制售？");
    json_decref(ans);
    /* An unknown option is the same as no answer. */
    ans = json_pack("{s:s}", "apply", "sometimes");
    assert_null(catalog_checklist(it, ans, problem, sizeof(problem)));
    assert_string_equal(problem, "请回答：首次申请还是变更、延续？");
    json_decref(ans);
    assert_null(catalog_checklist(it, NULL, problem, sizeof(problem)));

    /* Without situations every material applies. */
    json_t *copy = food();
    json_object_del(copy, "situations");
    list = catalog_checklist(copy, NULL, problem, sizeof(problem));
    assert_int_equal(json_array_size(list), json_array_size(json_object_get(copy, "materials")));
    json_decref(list);
    json_decref(copy);
}

/* ---- Bundles ---- */

static json_t *bundle(void)
{
    return json_deep_copy(json_array_get(json_object_get(catalog, "bundles"), 0));
}

static void test_bundle_rules(void **state)
{
    json_t *b = bundle();
    json_object_set_new(b, "code", json_string("YJS000000000000000001"));
    json_object_set_new(b, "lead_department", json_string("县外星局"));
    json_array_append_new(json_object_get(b, "co_departments"), json_string("月球局"));
    json_array_append_new(json_object_get(b, "items"), json_string("9999999999"));
    json_t *ff = json_object_get(b, "form_fields");
    json_object_set_new(json_array_get(ff, 1), "key", json_string("enterprise_name"));
    json_array_append_new(json_object_get(json_array_get(ff, 2), "items"),
                          json_string("1101000001"));
    json_object_set_new(b, "extra", json_true());
    check_bundle(b);
    if (probs.count != 7)
        dump();
    assert_true(has("bundles[0]", "code", "LENGTH"));
    assert_true(has("bundles[0]", "lead_department", "REFERENCE"));
    assert_true(has("bundles[0]", "co_departments", "REFERENCE"));
    assert_true(has("bundles[0]", "items", "REFERENCE"));
    assert_true(has("bundles[0].form_fields[1]", "key", "DUPLICATE"));
    assert_true(has("bundles[0].form_fields[2]", "items", "REFERENCE"));
    assert_true(has("bundles[0]", "extra", "UNKNOWN_FIELD"));
    assert_int_equal(probs.count, 7);
    json_decref(b);

    b = bundle();
    json_object_set_new(b, "items", json_pack("[s]", "1102000001"));
    json_object_set_new(b, "form_fields", json_array());
    json_object_set_new(json_object_get(b, "promised_limit"), "unit", json_string("week"));
    check_bundle(b);
    assert_true(has("bundles[0]", "items", "REQUIRED"));
    assert_true(has("bundles[0].promised_limit", "unit", "ENUM"));
    json_decref(b);
}

static void test_labels(void **state)
{
    assert_string_equal(catalog_type_name("01"), "行政许可");
    assert_string_equal(catalog_type_name("20"), "公共服务");
    assert_null(catalog_type_name("99"));
    assert_string_equal(catalog_label("source", "government"), "政府部门核发（免提交）");
    assert_null(catalog_label("source", NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_items_valid),
        cmocka_unit_test(test_demo_domains_and_county),
        cmocka_unit_test(test_demo_bundles_valid),
        cmocka_unit_test(test_demo_checklists),
        cmocka_unit_test(test_codes),
        cmocka_unit_test(test_type_code),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_step_shares),
        cmocka_unit_test(test_department),
        cmocka_unit_test(test_cycle),
        cmocka_unit_test(test_unreachable),
        cmocka_unit_test(test_situation_refs),
        cmocka_unit_test(test_materials),
        cmocka_unit_test(test_unknown_and_types),
        cmocka_unit_test(test_problem_overflow),
        cmocka_unit_test(test_checklist),
        cmocka_unit_test(test_bundle_rules),
        cmocka_unit_test(test_labels),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
