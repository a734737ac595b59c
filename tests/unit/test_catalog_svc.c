/* Unit tests: the catalog's canonical document form (export -> import -> export must
 * be byte-identical) and the catalog routes' matching. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "service/catalog_svc.h"

static void test_canonical_order(void **state)
{
    (void)state;
    json_t *doc =
        json_loads("{\"materials\":[{\"source\":\"applicant\",\"key\":\"a\",\"name\":\"表\"}],"
                   "\"name\":\"食品经营许可\",\"zz\":1,\"basic_code\":\"1102000002\","
                   "\"promised_limit\":{\"unit\":\"working_day\",\"value\":5}}",
                   0, NULL);
    assert_non_null(doc);
    char *text = catsvc_text(doc);
    assert_string_equal(text, "{\"basic_code\":\"1102000002\",\"name\":\"食品经营许可\","
                              "\"promised_limit\":{\"value\":5,\"unit\":\"working_day\"},"
                              "\"materials\":[{\"key\":\"a\",\"name\":\"表\",\"source\":"
                              "\"applicant\"}],\"zz\":1}");
    /* Stable: the canonical text of the canonical text is itself. */
    json_t *again = catsvc_parse(text);
    char *text2 = catsvc_text(again);
    assert_string_equal(text, text2);
    /* The input is not changed. */
    assert_string_equal(json_object_iter_key(json_object_iter(doc)), "materials");
    free(text);
    free(text2);
    json_decref(again);
    json_decref(doc);
    assert_null(catsvc_parse("{broken"));
    assert_null(catsvc_parse("{\"a\":1,\"a\":2}")); /* duplicate keys are refused */
}

static void test_catalog_routes(void **state)
{
    (void)state;
    char *params[API_MAX_PARAMS];
    int n = 0;
    bool known;
    int i = router_match("POST", "/api/v1/catalog/items/1102000002/versions/2/submit", params, &n,
                         &known);
    assert_true(i >= 0);
    assert_string_equal(api_routes[i].pattern, "/api/v1/catalog/items/{code}/versions/{n}/submit");
    assert_int_equal(n, 2);
    assert_string_equal(params[0], "1102000002");
    assert_string_equal(params[1], "2");
    free(params[0]);
    free(params[1]);
    i = router_match("POST", "/api/v1/catalog/import", params, &n, &known);
    assert_true(i >= 0);
    assert_string_equal(api_routes[i].pattern, "/api/v1/catalog/import");
    i = router_match("GET", "/api/v1/public/items/1102000002", params, &n, &known);
    assert_true(i >= 0);
    assert_true(api_routes[i].flags & ROUTE_PUBLIC);
    free(params[0]);
    i = router_match("DELETE", "/api/v1/catalog/items/1102000002", params, &n, &known);
    assert_int_equal(i, -1);
    assert_true(known);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canonical_order),
        cmocka_unit_test(test_catalog_routes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
