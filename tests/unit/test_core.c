/* Unit tests: roles, principal scoping, throttling, passwords and tokens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/principal.h"
#include "core/roles.h"
#include "core/throttle.h"
#include "service/auth.h"
#include "util/util.h"

static void test_roles_table(void **state)
{
    uint32_t seen = 0;
    for (int i = 0; i < role_count; i++) {
        const role_info *r = &role_table[i];
        assert_ptr_equal(role_by_code(r->code), r);
        assert_ptr_equal(role_by_bit(r->bit), r);
        assert_int_equal(seen & r->bit, 0); /* bits are distinct */
        seen |= r->bit;
        assert_true(strlen(r->name) > 0);
    }
    assert_int_equal(seen, ROLE_ALL_BITS);
    assert_null(role_by_code("root"));
    assert_true(role_by_code("kiosk")->device);
    assert_true(role_by_code("reviewer")->department);
    assert_false(role_by_code("clerk")->department);
}

static principal make(role_bit role, const char *path)
{
    principal p;
    memset(&p, 0, sizeof(p));
    p.kind = PRINCIPAL_USER;
    p.nroles = 1;
    p.roles[0].role = role;
    ystrlcpy(p.roles[0].center_path, path, sizeof(p.roles[0].center_path));
    p.role_mask = role;
    return p;
}

static void test_subtree_scope(void **state)
{
    principal town = make(ROLE_MANAGER, "/1/2/");
    assert_true(principal_can_at(&town, ROLE_MANAGER, "/1/2/"));
    assert_true(principal_can_at(&town, ROLE_MANAGER, "/1/2/7/"));
    assert_false(principal_can_at(&town, ROLE_MANAGER, "/1/"));
    assert_false(principal_can_at(&town, ROLE_MANAGER, "/1/3/"));
    /* "/1/2/" must not be taken as a prefix of "/1/23/". */
    assert_false(principal_can_at(&town, ROLE_MANAGER, "/1/23/"));
    /* Right place, wrong role. */
    assert_false(principal_can_at(&town, ROLE_ADMIN, "/1/2/"));
    assert_false(center_path_within("/1/", ""));
}

static void test_widest_role(void **state)
{
    principal p = make(ROLE_CLERK, "/1/2/5/");
    p.roles[1].role = ROLE_CLERK;
    ystrlcpy(p.roles[1].center_path, "/1/2/", sizeof(p.roles[1].center_path));
    p.nroles = 2;
    assert_string_equal(principal_widest(&p, ROLE_CLERK)->center_path, "/1/2/");
    assert_null(principal_widest(&p, ROLE_MANAGER));
}

static void test_throttle_window(void **state)
{
    throttle *t = throttle_new(4, 3, 1000);
    int64_t now = 10000;
    assert_false(throttle_blocked(t, "1.2.3.4", now));
    throttle_fail(t, "1.2.3.4", now);
    throttle_fail(t, "1.2.3.4", now + 10);
    assert_false(throttle_blocked(t, "1.2.3.4", now + 20));
    throttle_fail(t, "1.2.3.4", now + 30);
    assert_true(throttle_blocked(t, "1.2.3.4", now + 40));
    assert_false(throttle_blocked(t, "5.6.7.8", now + 40));
    /* The window passes. */
    assert_false(throttle_blocked(t, "1.2.3.4", now + 1000));
    throttle_fail(t, "1.2.3.4", now + 2000);
    throttle_fail(t, "1.2.3.4", now + 2001);
    throttle_fail(t, "1.2.3.4", now + 2002);
    throttle_clear(t, "1.2.3.4");
    assert_false(throttle_blocked(t, "1.2.3.4", now + 2003));
    throttle_free(t);
}

static void test_throttle_bounded(void **state)
{
    /* More keys than slots: old keys are evicted, memory stays fixed, newest counted. */
    throttle *t = throttle_new(2, 1, 100000);
    throttle_fail(t, "a", 1);
    throttle_fail(t, "b", 2);
    throttle_fail(t, "c", 3);
    assert_true(throttle_blocked(t, "c", 4));
    assert_true(throttle_blocked(t, "b", 4));
    assert_false(throttle_blocked(t, "a", 4)); /* evicted: the oldest window */
    throttle_free(t);
}

static void test_lockout_rule(void **state)
{
    assert_int_equal(auth_lock_until(4, 5, 900000, 1000), 0);
    assert_int_equal(auth_lock_until(5, 5, 900000, 1000), 901000);
    assert_int_equal(auth_lock_until(6, 5, 900000, 1000), 901000);
}

static void test_password_policy(void **state)
{
    yc_err e;
    assert_int_equal(auth_password_policy("abc123", "pw", &e), YC_EINVAL);
    assert_string_equal(e.code, "PASSWORD_WEAK");
    assert_string_equal(e.field, "pw");
    assert_int_equal(auth_password_policy("abcdefghij", "pw", &e), YC_EINVAL);
    assert_int_equal(auth_password_policy("1234567890", "pw", &e), YC_EINVAL);
    assert_int_equal(auth_password_policy("abcd1234", "pw", &e), 0);
    /* Characters, not bytes: 7 Chinese characters + 1 letter... still needs a digit. */
    assert_int_equal(auth_password_policy("政务服务中心a1", "pw", &e), 0);
}

static void test_password_hash(void **state)
{
    char hash[AUTH_HASH_MAX];
    assert_int_equal(auth_hash_password("Secret123", hash), 0);
    assert_true(strncmp(hash, "$argon2id$", 10) == 0);
    assert_true(auth_verify_password(hash, "Secret123"));
    assert_false(auth_verify_password(hash, "Secret124"));
    char hash2[AUTH_HASH_MAX];
    assert_int_equal(auth_hash_password("Secret123", hash2), 0);
    assert_string_not_equal(hash, hash2); /* salted */
}

static void test_tokens(void **state)
{
    char t1[AUTH_TOKEN_MAX], h1[65], t2[AUTH_TOKEN_MAX], h2[65], h3[65];
    auth_new_token(AUTH_DEVICE_PREFIX, t1, h1);
    auth_new_token(AUTH_DEVICE_PREFIX, t2, h2);
    assert_true(strncmp(t1, "ycd_", 4) == 0);
    assert_int_equal(strlen(t1), 4 + 43);
    assert_string_not_equal(t1, t2);
    auth_token_hash(t1, h3);
    assert_string_equal(h1, h3);
    assert_int_equal(strlen(h1), 64);
}

int main(void)
{
    if (auth_init())
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles_table),      cmocka_unit_test(test_subtree_scope),
        cmocka_unit_test(test_widest_role),      cmocka_unit_test(test_throttle_window),
        cmocka_unit_test(test_throttle_bounded), cmocka_unit_test(test_lockout_rule),
        cmocka_unit_test(test_password_policy),  cmocka_unit_test(test_password_hash),
        cmocka_unit_test(test_tokens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
