/* Unit tests: util (buffers, parsing, time) and core/mask. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/mask.h"
#include "util/util.h"

static void test_ybuf_grows_and_terminates(void **state)
{
    ybuf b = {0};
    for (int i = 0; i < 1000; i++)
        ybuf_printf(&b, "%d,", i);
    assert_int_equal(strlen(b.data), b.len);
    assert_true(strncmp(b.data, "0,1,2,", 6) == 0);
    assert_true(strstr(b.data, ",999,") != NULL);
    ybuf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    ybuf_adds(&b, "中文");
    ybuf_addc(&b, '!');
    char *s = ybuf_detach(&b);
    assert_string_equal(s, "中文!");
    assert_null(b.data);
    free(s);
}

static void test_ystrlcpy_truncates(void **state)
{
    char buf[4];
    assert_int_equal(ystrlcpy(buf, "abc", sizeof(buf)), 0);
    assert_string_equal(buf, "abc");
    assert_int_equal(ystrlcpy(buf, "abcdef", sizeof(buf)), -1);
    assert_string_equal(buf, "abc");
}

static void test_parse_i64(void **state)
{
    int64_t v;
    assert_int_equal(yparse_i64("42", 0, 100, &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(yparse_i64("-5", -10, 10, &v), 0);
    assert_int_equal(v, -5);
    assert_int_equal(yparse_i64("101", 0, 100, &v), -1);
    assert_int_equal(yparse_i64("4x", 0, 100, &v), -1);
    assert_int_equal(yparse_i64("", 0, 100, &v), -1);
    assert_int_equal(yparse_i64(" 4", 0, 100, &v), -1);
    assert_int_equal(yparse_i64("+4", 0, 100, &v), -1);
    assert_int_equal(yparse_i64("99999999999999999999", 0, INT64_MAX, &v), -1);
}

static void test_rfc3339_is_china_time(void **state)
{
    char out[40];
    /* 2026-03-02T01:15:00Z is 09:15 in Beijing. */
    ytime_rfc3339_cst(1772414100000LL, out, sizeof(out));
    assert_string_equal(out, "2026-03-02T09:15:00+08:00");
    /* 16:00Z on Dec 31 is already New Year in Beijing. */
    ytime_rfc3339_cst(1767196800000LL, out, sizeof(out));
    assert_string_equal(out, "2026-01-01T00:00:00+08:00");
}

static void test_hex(void **state)
{
    unsigned char in[] = {0x00, 0xab, 0xff};
    char out[7];
    yhex(in, 3, out);
    assert_string_equal(out, "00abff");
}

static void check_mask(const char *in, const char *want)
{
    char *got = mask_text(in);
    assert_string_equal(got, want);
    free(got);
}

static void test_mask_text(void **state)
{
    check_mask("电话13812345678", "电话138****5678");
    check_mask("身份证110101199003071234。", "身份证110***********1234。");
    check_mask("11010119900307123X", "110***********123X");
    check_mask("id=11010119900307123x&p=1", "id=110***********123x&p=1");
    /* Not personal data: longer or shorter digit runs, numbers not starting with 1. */
    check_mask("订单123456789012", "订单123456789012");
    check_mask("23812345678", "23812345678");
    check_mask("1381234567890", "1381234567890");
    check_mask("A023号", "A023号");
    check_mask("", "");
    check_mask("两个13800000000和13900000000", "两个138****0000和139****0000");
}

static void test_mask_fields(void **state)
{
    char *s = mask_id_number("110101199003071234");
    assert_string_equal(s, "110***********1234");
    free(s);
    s = mask_phone("13812345678");
    assert_string_equal(s, "138****5678");
    free(s);
    s = mask_phone("123");
    assert_string_equal(s, "*23");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ybuf_grows_and_terminates),
        cmocka_unit_test(test_ystrlcpy_truncates),
        cmocka_unit_test(test_parse_i64),
        cmocka_unit_test(test_rfc3339_is_china_time),
        cmocka_unit_test(test_hex),
        cmocka_unit_test(test_mask_text),
        cmocka_unit_test(test_mask_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
