/* Unit tests: personal identifiers at rest (encryption, blind index). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "service/auth.h"
#include "service/pii.h"

static const unsigned char key1[32] = {1, 2, 3};
static const unsigned char key2[32] = {9, 9, 9};

static void test_round_trip(void **state)
{
    pii_init_key(key1);
    char *sealed = pii_encrypt("110105194912310021");
    assert_null(strstr(sealed, "110105")); /* nothing of the value shows */
    char *clear = pii_decrypt(sealed);
    assert_string_equal(clear, "110105194912310021");
    free(clear);
    /* Fresh nonce each time: equal values do not give equal ciphertexts. */
    char *again = pii_encrypt("110105194912310021");
    assert_string_not_equal(sealed, again);
    free(again);
    free(sealed);
}

static void test_tamper_and_wrong_key(void **state)
{
    pii_init_key(key1);
    char *sealed = pii_encrypt("13812345678");
    char *bad = strdup(sealed);
    bad[strlen(bad) / 2] = bad[strlen(bad) / 2] == 'A' ? 'B' : 'A';
    assert_null(pii_decrypt(bad));
    assert_null(pii_decrypt("not base64 at all!"));
    assert_null(pii_decrypt(""));
    pii_init_key(key2);
    assert_null(pii_decrypt(sealed));
    free(bad);
    free(sealed);
}

static void test_blind_index(void **state)
{
    char a[PII_INDEX_LEN], b[PII_INDEX_LEN], c[PII_INDEX_LEN], d[PII_INDEX_LEN];
    pii_init_key(key1);
    pii_index("ident", "110105194912310021", a);
    pii_index("ident", "110105194912310021", b);
    pii_index("mobile", "110105194912310021", c);
    assert_string_equal(a, b);     /* equal values match */
    assert_string_not_equal(a, c); /* kinds are separated */
    pii_init_key(key2);
    pii_index("ident", "110105194912310021", d);
    assert_string_not_equal(a, d); /* depends on the key */
    assert_int_equal(strlen(a), 64);
}

int main(void)
{
    if (auth_init())
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_tamper_and_wrong_key),
        cmocka_unit_test(test_blind_index),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
