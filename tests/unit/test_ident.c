/* Unit tests: core/ident - 居民身份证号, 统一社会信用代码, mobile numbers.
 *
 * Valid ID numbers other than the standard's own example were made up for these tests
 * and their check characters computed with the GB 11643 algorithm (cross-checked with an
 * independent implementation); the credit codes are the standard's published example
 * and registrations published by the organizations themselves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/ident.h"
#include "core/workcal.h"
#include "util/err.h"
#include "util/util.h"

static workcal_date today; /* 2025-06-01 */

static int setup(void **state)
{
    return workcal_date_from_ymd(2025, 6, 1, &today);
}

typedef struct id_case {
    const char *s;
    int want;
} id_case;

static void test_id_valid(void **state)
{
    ident_id_info info;
    /* GB 11643-1999's own example: Beijing 朝阳区, born 1949-12-31, female. */
    assert_int_equal(ident_check_id_number("11010519491231002X", today, &info), IDENT_OK);
    assert_string_equal(info.number, "11010519491231002X");
    assert_string_equal(info.region, "110105");
    assert_int_equal(info.birth_year, 1949);
    assert_int_equal(info.birth_month, 12);
    assert_int_equal(info.birth_day, 31);
    workcal_date b;
    workcal_date_from_ymd(1949, 12, 31, &b);
    assert_int_equal(info.birth, b);
    assert_int_equal(info.sex, IDENT_FEMALE);
    assert_int_equal(info.check, 'X');

    /* Lower-case x is accepted and normalized. */
    assert_int_equal(ident_check_id_number("11010519491231002x", today, &info), IDENT_OK);
    assert_string_equal(info.number, "11010519491231002X");

    static const char *valid[] = {
        "440305200002291232", /* born on a leap day */
        "310115199001010010", "510107199912310070",
        "320106202402290084", "330106190001010092", /* 1900-01-01, the earliest accepted */
        "650102202506010033",                       /* born today */
        "810000198003150045",                       /* 港澳台居民居住证: 香港 */
        "830000198510200055",                       /* 台湾 */
        "710000197001010067",
    };
    for (size_t i = 0; i < YC_ARRAY_LEN(valid); i++)
        if (ident_check_id_number(valid[i], today, NULL) != IDENT_OK)
            fail_msg("rejected %s: %d", valid[i], ident_check_id_number(valid[i], today, NULL));

    assert_int_equal(ident_check_id_number("440305200002291232", today, &info), IDENT_OK);
    assert_int_equal(info.sex, IDENT_MALE); /* 17th digit 3 */
    assert_int_equal(ident_check_id_number("110105200001010040", today, &info), IDENT_OK);
    assert_int_equal(info.sex, IDENT_FEMALE); /* 17th digit 4 */
}

static void test_id_invalid(void **state)
{
    static const id_case cases[] = {
        {"", IDENT_E_ID_LENGTH},
        {"11010519491231002", IDENT_E_ID_LENGTH},
        {"11010519491231002X1", IDENT_E_ID_LENGTH},
        {"110105194912310", IDENT_E_ID_LENGTH}, /* an old 15-digit number */
        {"1101051949123100XX", IDENT_E_ID_CHARS},
        {"11010519491231002Y", IDENT_E_ID_CHARS},
        {"1101051949123l002X", IDENT_E_ID_CHARS},
        {" 1010519491231002X", IDENT_E_ID_CHARS},
        {"１１010519491231002X", IDENT_E_ID_CHARS}, /* full-width digits: 18 characters */
        {"000105199001010015", IDENT_E_ID_REGION},
        {"91010519900101001X", IDENT_E_ID_REGION},
        {"160105199001010011", IDENT_E_ID_REGION},
        {"720000197001010067", IDENT_E_ID_REGION},
        {"110105199902300015", IDENT_E_ID_BIRTH},        /* 30 February */
        {"110105199913010013", IDENT_E_ID_BIRTH},        /* month 13 */
        {"110105190002290011", IDENT_E_ID_BIRTH},        /* 1900 was not a leap year */
        {"110105202506020016", IDENT_E_ID_BIRTH_FUTURE}, /* tomorrow */
        {"110105203001010011", IDENT_E_ID_BIRTH_FUTURE},
        {"110105189912310015", IDENT_E_ID_BIRTH_EARLY},
        {"110105194912310021", IDENT_E_ID_CHECK},
        {"11010519491231002 ", IDENT_E_ID_CHARS},
        {"440305200002291233", IDENT_E_ID_CHECK},
        {"11010519491231020X", IDENT_E_ID_CHECK}, /* two digits swapped */
    };
    for (size_t i = 0; i < YC_ARRAY_LEN(cases); i++) {
        int rc = ident_check_id_number(cases[i].s, today, NULL);
        if (rc != cases[i].want)
            fail_msg("%s: got %d, want %d", cases[i].s, rc, cases[i].want);
    }
    assert_int_equal(ident_check_id_number(NULL, today, NULL), IDENT_E_ID_LENGTH);

    /* The check error carries the character that was expected. */
    ident_id_info info;
    assert_int_equal(ident_check_id_number("110105194912310021", today, &info), IDENT_E_ID_CHECK);
    assert_int_equal(info.check, 'X');
    char msg[128];
    ident_message_zh(IDENT_E_ID_CHECK, info.check, msg, sizeof(msg));
    assert_string_equal(msg, "身份证号校验位错误（应为X）");
    /* A birth date error leaves the later fields empty. */
    assert_int_equal(ident_check_id_number("110105199902300015", today, &info), IDENT_E_ID_BIRTH);
    assert_int_equal(info.birth_year, 0);
    assert_string_equal(info.region, "110105");
}

static void test_credit_valid(void **state)
{
    ident_credit_info info;
    /* GB 32100-2015's own example. */
    assert_int_equal(ident_check_credit_code("91350100M000100Y43", &info), IDENT_OK);
    assert_int_equal(info.dept, '9');
    assert_int_equal(info.kind, '1');
    assert_string_equal(info.region, "350100");
    assert_string_equal(info.org_code, "M000100Y4");
    assert_true(info.org_code_checked);
    assert_int_equal(info.check, '3');

    static const char *valid[] = {
        "91440300708461136T", /* 企业 */
        "914403001922038216", "91110108551385082Q",
        "91330100716105852F", "92110108MA00GTG727", /* 个体工商户 */
        "92500233MA60R5KW8M", "12100000470095016Q", /* 事业单位, central registration 100000 */
        "12310000425022547M", "53100000500019795A", /* 民政: 基金会 */
        "51310110501144395U",                       /* 民政: 社会团体 */
        "11140800558745220K",                       /* 机关 */
    };
    for (size_t i = 0; i < YC_ARRAY_LEN(valid); i++) {
        if (ident_check_credit_code(valid[i], &info) != IDENT_OK)
            fail_msg("rejected %s: %d", valid[i], ident_check_credit_code(valid[i], NULL));
        assert_true(info.org_code_checked);
    }
}

static void test_credit_invalid(void **state)
{
    static const id_case cases[] = {
        {"", IDENT_E_CC_LENGTH},
        {"91350100M000100Y4", IDENT_E_CC_LENGTH},
        {"91350100M000100Y433", IDENT_E_CC_LENGTH},
        {"91350100M000100I43", IDENT_E_CC_CHARS}, /* I, O, Z, S, V are never used */
        {"91350100M000100O43", IDENT_E_CC_CHARS},
        {"91350100M000100Z43", IDENT_E_CC_CHARS},
        {"91350100M000100S43", IDENT_E_CC_CHARS},
        {"91350100M000100V43", IDENT_E_CC_CHARS},
        {"91350100M000100Y4-", IDENT_E_CC_CHARS},
        {"91350100M000100y43", IDENT_E_CC_LOWERCASE},
        {"91350100m000100Y43", IDENT_E_CC_LOWERCASE},
        {"91350100M000100i43", IDENT_E_CC_CHARS}, /* lower-case and forbidden */
        {"B1350100M000100Y43", IDENT_E_CC_DEPT},
        {"01350100M000100Y43", IDENT_E_CC_DEPT},
        {"90350100M000100Y43", IDENT_E_CC_KIND},
        {"9A350100M000100Y43", IDENT_E_CC_KIND},
        {"9135A100M000100Y43", IDENT_E_CC_REGION},
        {"91990100M000100Y43", IDENT_E_CC_REGION},
        {"91710000M000100Y43", IDENT_E_CC_REGION},
        {"91350100M000100Y44", IDENT_E_CC_CHECK},
        {"91350100M000010Y43", IDENT_E_CC_CHECK}, /* two characters swapped */
        {"91440300708461136U", IDENT_E_CC_CHECK},
        /* Chars 9-17 end in a digit, so they must be a valid GB 11714 code; these two
         * have a correct overall check character but a wrong embedded one. */
        {"91350100M000100Y56", IDENT_E_CC_ORG_CHECK},
        {"913501001234567813", IDENT_E_CC_ORG_CHECK},
    };
    for (size_t i = 0; i < YC_ARRAY_LEN(cases); i++) {
        int rc = ident_check_credit_code(cases[i].s, NULL);
        if (rc != cases[i].want)
            fail_msg("%s: got %d, want %d", cases[i].s, rc, cases[i].want);
    }
    assert_int_equal(ident_check_credit_code(NULL, NULL), IDENT_E_CC_LENGTH);

    ident_credit_info info;
    assert_int_equal(ident_check_credit_code("91350100M000100Y44", &info), IDENT_E_CC_CHECK);
    assert_int_equal(info.check, '3');
    char msg[128];
    ident_message_zh(IDENT_E_CC_CHECK, info.check, msg, sizeof(msg));
    assert_string_equal(msg, "统一社会信用代码校验位错误（应为3）");

    /* Chars 9-17 not of the GB 11714 form (9th is a letter other than X) are accepted
     * unchecked, as long as the overall check holds. */
    assert_int_equal(ident_check_credit_code("91350100M000100YA3", &info), IDENT_E_CC_CHECK);
    assert_int_equal(ident_check_credit_code("91350100M000100YAM", &info), IDENT_OK);
    assert_false(info.org_code_checked);
}

static void test_mobile(void **state)
{
    assert_int_equal(ident_check_mobile("13812345678"), IDENT_OK);
    assert_int_equal(ident_check_mobile("19912345678"), IDENT_OK);
    assert_int_equal(ident_check_mobile("1381234567"), IDENT_E_MOBILE_LENGTH);
    assert_int_equal(ident_check_mobile("138123456789"), IDENT_E_MOBILE_LENGTH);
    assert_int_equal(ident_check_mobile(""), IDENT_E_MOBILE_LENGTH);
    assert_int_equal(ident_check_mobile(NULL), IDENT_E_MOBILE_LENGTH);
    assert_int_equal(ident_check_mobile("+8613812345"), IDENT_E_MOBILE_CHARS);
    assert_int_equal(ident_check_mobile("138-1234567"), IDENT_E_MOBILE_CHARS);
    assert_int_equal(ident_check_mobile("１3812345678"), IDENT_E_MOBILE_CHARS);
    assert_int_equal(ident_check_mobile("23812345678"), IDENT_E_MOBILE_PREFIX);
    assert_int_equal(ident_check_mobile("12812345678"), IDENT_E_MOBILE_PREFIX);
    assert_int_equal(ident_check_mobile("10086100861"), IDENT_E_MOBILE_PREFIX);
}

static void test_messages(void **state)
{
    static const int codes[] = {
        IDENT_E_ID_LENGTH,     IDENT_E_ID_CHARS,        IDENT_E_ID_REGION,
        IDENT_E_ID_BIRTH,      IDENT_E_ID_BIRTH_FUTURE, IDENT_E_ID_BIRTH_EARLY,
        IDENT_E_ID_CHECK,      IDENT_E_CC_LENGTH,       IDENT_E_CC_CHARS,
        IDENT_E_CC_LOWERCASE,  IDENT_E_CC_DEPT,         IDENT_E_CC_KIND,
        IDENT_E_CC_REGION,     IDENT_E_CC_CHECK,        IDENT_E_CC_ORG_CHECK,
        IDENT_E_MOBILE_LENGTH, IDENT_E_MOBILE_CHARS,    IDENT_E_MOBILE_PREFIX,
    };
    for (size_t i = 0; i < YC_ARRAY_LEN(codes); i++) {
        assert_true(codes[i] < 0);
        assert_true(strlen(ident_reason_zh(codes[i])) > 0);
        assert_string_not_equal(ident_reason_code(codes[i]), "IDENT_INVALID");
        for (size_t j = 0; j < i; j++) {
            assert_int_not_equal(codes[i], codes[j]);
            assert_string_not_equal(ident_reason_code(codes[i]), ident_reason_code(codes[j]));
            assert_string_not_equal(ident_reason_zh(codes[i]), ident_reason_zh(codes[j]));
        }
    }
    assert_string_equal(ident_reason_zh(IDENT_E_ID_LENGTH), "身份证号应为18位");
    assert_string_equal(ident_reason_zh(IDENT_E_ID_BIRTH), "身份证号出生日期无效");
    assert_string_equal(ident_reason_zh(IDENT_OK), "");
    assert_string_equal(ident_reason_code(-9999), "IDENT_INVALID");

    char msg[8];
    ident_message_zh(IDENT_E_ID_CHECK, 'X', msg, sizeof(msg)); /* truncated, terminated */
    assert_true(strlen(msg) < sizeof(msg));
    char full[128];
    ident_message_zh(IDENT_E_ID_LENGTH, 'X', full, sizeof(full)); /* no hint for others */
    assert_string_equal(full, "身份证号应为18位");

    yc_err e;
    yc_err_clear(&e);
    assert_int_equal(ident_fail(&e, IDENT_E_CC_CHECK, '3', "credit_code"), YC_EINVAL);
    assert_int_equal(e.status, 400);
    assert_string_equal(e.code, "CREDIT_CODE_CHECK");
    assert_string_equal(e.field, "credit_code");
    assert_string_equal(e.message, "统一社会信用代码校验位错误（应为3）");
    assert_int_equal(ident_fail(&e, IDENT_OK, 0, "x"), 0);
    assert_int_equal(ident_fail(NULL, IDENT_E_MOBILE_PREFIX, 0, "phone"), YC_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_id_valid),     cmocka_unit_test(test_id_invalid),
        cmocka_unit_test(test_credit_valid), cmocka_unit_test(test_credit_invalid),
        cmocka_unit_test(test_mobile),       cmocka_unit_test(test_messages),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
