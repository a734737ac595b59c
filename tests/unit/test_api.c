/* Unit tests: the router and the JSON body checker. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"

static void test_router_params(void **state)
{
    char *params[API_MAX_PARAMS];
    int n = 0;
    bool known;
    int i = router_match("GET", "/api/v1/users/42", params, &n, &known);
    assert_true(i >= 0);
    assert_string_equal(api_routes[i].pattern, "/api/v1/users/{id}");
    assert_int_equal(n, 1);
    assert_string_equal(params[0], "42");
    free(params[0]);

    i = router_match("POST", "/api/v1/users/42/password-reset", params, &n, &known);
    assert_true(i >= 0);
    assert_string_equal(api_routes[i].pattern, "/api/v1/users/{id}/password-reset");
    free(params[0]);

    /* HEAD is served by the GET route. */
    i = router_match("HEAD", "/healthz", params, &n, &known);
    assert_true(i >= 0);
}

static void test_router_misses(void **state)
{
    char *params[API_MAX_PARAMS];
    int n = 0;
    bool known;
    assert_int_equal(router_match("GET", "/api/v1/nothing", params, &n, &known), -1);
    assert_false(known);
    /* Known path, wrong method: the caller answers 405. */
    assert_int_equal(router_match("PATCH", "/api/v1/users", params, &n, &known), -1);
    assert_true(known);
    /* Empty parameter and trailing slash do not match. */
    assert_int_equal(router_match("GET", "/api/v1/users/", params, &n, &known), -1);
    assert_int_equal(router_match("GET", "/api/v1/users/1/", params, &n, &known), -1);
}

static void test_routes_have_rules(void **state)
{
    for (int i = 0; i < api_route_count; i++) {
        const api_route *r = &api_routes[i];
        /* Every route is either public or names who may call it. */
        assert_true((r->flags & ROUTE_PUBLIC) || r->roles != 0);
        assert_true(strlen(r->summary) > 0);
        for (int k = 0; k < i; k++)
            assert_false(!strcmp(api_routes[k].method, r->method) &&
                         !strcmp(api_routes[k].pattern, r->pattern));
    }
}

static const jfield spec[] = {
    {"name", JF_STRING, true, 2, 4, "名称"},
    {"count", JF_INT, false, 1, 10, "数量"},
    {"on", JF_BOOL, false, 0, 0, "开关"},
    {0},
};

static const char *check(const char *json)
{
    static yc_err e;
    json_t *o = json_loads(json, 0, NULL);
    assert_non_null(o);
    int rc = api_check_object(o, spec, "", &e);
    json_decref(o);
    return rc ? e.code : "OK";
}

static void test_body_checker(void **state)
{
    assert_string_equal(check("{\"name\":\"窗口\"}"), "OK");
    assert_string_equal(check("{\"name\":\"窗口一二\",\"count\":10,\"on\":true}"), "OK");
    assert_string_equal(check("{}"), "FIELD_REQUIRED");
    assert_string_equal(check("{\"name\":null}"), "FIELD_REQUIRED");
    assert_string_equal(check("{\"name\":\"窗\"}"), "FIELD_LENGTH");
    assert_string_equal(check("{\"name\":\"窗口一二三\"}"), "FIELD_LENGTH");
    assert_string_equal(check("{\"name\":1}"), "FIELD_TYPE");
    assert_string_equal(check("{\"name\":\"ab\",\"count\":11}"), "FIELD_RANGE");
    assert_string_equal(check("{\"name\":\"ab\",\"count\":1.5}"), "FIELD_TYPE");
    assert_string_equal(check("{\"name\":\"ab\",\"on\":1}"), "FIELD_TYPE");
    assert_string_equal(check("{\"name\":\"ab\",\"extra\":1}"), "FIELD_UNKNOWN");
    assert_string_equal(check("{\"name\":\"a\\u0001b\"}"), "FIELD_FORMAT");
    assert_string_equal(check("[1]"), "BODY_NOT_OBJECT");
}

static void test_error_names_field(void **state)
{
    yc_err e;
    json_t *o = json_loads("{\"name\":\"ab\",\"bogus\":true}", 0, NULL);
    assert_int_equal(api_check_object(o, spec, "roles[2].", &e), -1);
    assert_string_equal(e.field, "roles[2].bogus");
    assert_int_equal(e.status, 400);
    assert_non_null(strstr(e.message, "不认识"));
    json_decref(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_router_params),     cmocka_unit_test(test_router_misses),
        cmocka_unit_test(test_routes_have_rules), cmocka_unit_test(test_body_checker),
        cmocka_unit_test(test_error_names_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
