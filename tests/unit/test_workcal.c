/* Unit tests: core/workcal (dates, the working-day calendar) and core/workcal_json
 * (importing the national holiday list), against the shipped share/holidays/cn.json. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/workcal.h"
#include "core/workcal_json.h"
#include "util/err.h"
#include "util/util.h"

#ifndef YC_SOURCE_DIR
#error "YC_SOURCE_DIR must point at the source tree (see CMakeLists.txt)"
#endif

#define CN_JSON YC_SOURCE_DIR "/share/holidays/cn.json"

/* The national calendar loaded from cn.json once for the whole group. */
static workcal *national;
static char *cn_text;
static size_t cn_len;
static int last_year; /* last year in cn.json */

static workcal_date D(const char *s)
{
    workcal_date d = 0;
    if (workcal_parse(s, &d) != 0)
        fail_msg("bad date in test: %s", s);
    return d;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    ybuf b = {0};
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        ybuf_add(&b, chunk, n);
    fclose(f);
    *len = b.len;
    return ybuf_detach(&b);
}

static int setup(void **state)
{
    cn_text = read_file(CN_JSON, &cn_len);
    if (!cn_text) {
        fprintf(stderr, "cannot read %s\n", CN_JSON);
        return -1;
    }
    national = workcal_new();
    workcal_json_problems p = {0};
    int rc = workcal_json_import(national, cn_text, cn_len, 0, &p);
    for (int i = 0; i < p.count; i++)
        fprintf(stderr, "%s %s %s %s\n", p.items[i].where, p.items[i].field, p.items[i].rule,
                p.items[i].message);
    workcal_json_problems_release(&p);
    last_year = workcal_last_loaded_year(national);
    return rc;
}

static int teardown(void **state)
{
    workcal_free(national);
    free(cn_text);
    return 0;
}

/* ---- Dates ---- */

static void test_date_ymd(void **state)
{
    workcal_date d;
    assert_int_equal(workcal_date_from_ymd(1970, 1, 1, &d), 0);
    assert_int_equal(d, 0);
    assert_int_equal(workcal_date_from_ymd(2004, 1, 1, &d), 0);
    assert_int_equal(d, 12418);
    assert_int_equal(workcal_date_from_ymd(1969, 12, 31, &d), 0);
    assert_int_equal(d, -1);
    /* Leap years: every 4th, not centuries, except every 400th. */
    assert_int_equal(workcal_date_from_ymd(2024, 2, 29, &d), 0);
    assert_int_equal(workcal_date_from_ymd(2000, 2, 29, &d), 0);
    assert_int_equal(workcal_date_from_ymd(2023, 2, 29, &d), YC_EINVAL);
    assert_int_equal(workcal_date_from_ymd(1900, 2, 29, &d), YC_EINVAL);
    assert_int_equal(workcal_date_from_ymd(2100, 2, 29, &d), YC_EINVAL);
    assert_int_equal(workcal_date_from_ymd(2025, 4, 31, &d), YC_EINVAL);
    assert_int_equal(workcal_date_from_ymd(2025, 13, 1, &d), YC_EINVAL);
    assert_int_equal(workcal_date_from_ymd(2025, 0, 1, &d), YC_EINVAL);
    assert_int_equal(workcal_date_from_ymd(2025, 1, 0, &d), YC_EINVAL);
    assert_int_equal(workcal_date_from_ymd(0, 1, 1, &d), YC_EINVAL);
    assert_int_equal(workcal_date_from_ymd(10000, 1, 1, &d), YC_EINVAL);

    /* Round trip over the whole supported span, through every month end. */
    workcal_date first, last;
    assert_int_equal(workcal_date_from_ymd(1, 1, 1, &first), 0);
    assert_int_equal(workcal_date_from_ymd(9999, 12, 31, &last), 0);
    int py = 0, pm = 12, pd = 31;
    workcal_ymd(first - 1, &py, &pm, &pd);
    for (workcal_date x = first; x <= last; x++) {
        int y, m, dd;
        workcal_ymd(x, &y, &m, &dd);
        bool next_day = y == py && m == pm && dd == pd + 1;
        bool next_month = y == py && m == pm + 1 && dd == 1;
        bool next_year = y == py + 1 && m == 1 && dd == 1 && pm == 12 && pd == 31;
        if (!(next_day || next_month || next_year))
            fail_msg("calendar breaks at %d-%d-%d after %d-%d-%d", y, m, dd, py, pm, pd);
        workcal_date back;
        assert_int_equal(workcal_date_from_ymd(y, m, dd, &back), 0);
        assert_int_equal(back, x);
        py = y, pm = m, pd = dd;
    }
    assert_int_equal(py, 9999);
}

static void test_weekday(void **state)
{
    assert_int_equal(workcal_weekday(0), 4); /* 1970-01-01, Thursday */
    assert_int_equal(workcal_weekday(-1), 3);
    assert_int_equal(workcal_weekday(-7), 4);
    assert_int_equal(workcal_weekday(D("2025-01-27")), 1);
    assert_int_equal(workcal_weekday(D("2024-02-04")), 7);
    assert_int_equal(workcal_weekday(D("2024-02-18")), 7);
    assert_int_equal(workcal_weekday(D("2024-10-12")), 6);
    assert_int_equal(workcal_weekday(D("2100-12-31")), 5);
    assert_int_equal(workcal_weekday(D("1900-01-01")), 1);
}

static void test_parse_format(void **state)
{
    workcal_date d;
    assert_int_equal(workcal_parse("2025-01-27", &d), 0);
    char buf[WORKCAL_DATE_STRLEN];
    assert_int_equal(workcal_format(d, buf, sizeof(buf)), 0);
    assert_string_equal(buf, "2025-01-27");
    assert_int_equal(workcal_format(D("0001-01-01"), buf, sizeof(buf)), 0);
    assert_string_equal(buf, "0001-01-01");

    static const char *bad[] = {
        "",
        "2025-1-27",
        "2025/01/27",
        " 2025-01-27",
        "2025-01-27 ",
        "2025-01-27T00:00",
        "20250127",
        "2025-02-30",
        "2025-13-01",
        "0000-01-01",
        "+025-01-01",
        "2025-0a-01",
        "2025--1-01",
        "２０２５-01-27",
        "2025-01-2",
    };
    for (size_t i = 0; i < YC_ARRAY_LEN(bad); i++)
        if (workcal_parse(bad[i], &d) != YC_EINVAL)
            fail_msg("accepted \"%s\"", bad[i]);
    assert_int_equal(workcal_parse(NULL, &d), YC_EINVAL);

    char small[10] = "x";
    assert_int_equal(workcal_format(D("2025-01-27"), small, sizeof(small)), YC_EINVAL);
    assert_string_equal(small, "");
    assert_int_equal(workcal_format(D("0001-01-01") - 1, buf, sizeof(buf)), YC_EINVAL);
}

static void test_date_from_ms(void **state)
{
    /* 2025-01-26T16:00:00Z is midnight in Beijing. */
    int64_t midnight = (int64_t)D("2025-01-27") * 86400000 - 8 * 3600000;
    assert_int_equal(workcal_date_from_ms(midnight), D("2025-01-27"));
    assert_int_equal(workcal_date_from_ms(midnight - 1), D("2025-01-26"));
    assert_int_equal(workcal_date_from_ms(midnight + 86400000 - 1), D("2025-01-27"));
    assert_int_equal(workcal_date_from_ms(0), 0);            /* 08:00 CST */
    assert_int_equal(workcal_date_from_ms(-8 * 3600000), 0); /* 00:00 CST */
    assert_int_equal(workcal_date_from_ms(-8 * 3600000 - 1), -1);
}

/* ---- The calendar without data: the week rule ---- */

static void test_week_rule(void **state)
{
    workcal *cal = workcal_new();
    workcal_date fri = D("2025-03-07"), out;
    assert_true(workcal_is_working_day(cal, fri));
    assert_false(workcal_is_working_day(cal, fri + 1));
    assert_false(workcal_is_working_day(cal, fri + 2));
    assert_int_equal(workcal_add_working_days(cal, fri, 1, &out), 0);
    assert_int_equal(out, fri + 3);
    assert_int_equal(workcal_add_working_days(cal, fri, 5, &out), 0);
    assert_int_equal(out, fri + 7);
    assert_int_equal(workcal_add_working_days(cal, fri + 1, 0, &out), 0);
    assert_int_equal(out, fri + 3);
    int n;
    assert_int_equal(workcal_working_days_between(cal, fri, fri + 7, &n), 0);
    assert_int_equal(n, 5);
    assert_int_equal(workcal_working_days_between(cal, fri + 7, fri, &n), 0);
    assert_int_equal(n, -5);
    assert_int_equal(workcal_working_days_between(cal, fri, fri, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(workcal_last_loaded_year(cal), 0);
    assert_false(workcal_year_loaded(cal, 2025));
    workcal_free(cal);
}

/* ---- The shipped national data ---- */

static void assert_off(const workcal *cal, const char *from, const char *to)
{
    for (workcal_date d = D(from); d <= D(to); d++)
        if (workcal_is_working_day(cal, d)) {
            char s[WORKCAL_DATE_STRLEN];
            workcal_format(d, s, sizeof(s));
            fail_msg("%s should be a day off", s);
        }
}

static void assert_makeup(const workcal *cal, const char *date, int weekday)
{
    assert_int_equal(workcal_weekday(D(date)), weekday);
    if (!workcal_is_working_day(cal, D(date)))
        fail_msg("%s should be a makeup working day", date);
}

static void test_shipped_data_covers(void **state)
{
    for (int y = WORKCAL_YEAR_MIN; y <= last_year; y++)
        assert_true(workcal_year_loaded(national, y));
    assert_true(last_year >= 2026);
    assert_false(workcal_year_loaded(national, last_year + 1));
}

static void test_holidays_2024(void **state)
{
    /* 春节: off Sat 10 - Sat 17 February; makeup Sunday 4 and Sunday 18 February. */
    assert_true(workcal_is_working_day(national, D("2024-02-09")));
    assert_off(national, "2024-02-10", "2024-02-17");
    assert_makeup(national, "2024-02-04", 7);
    assert_makeup(national, "2024-02-18", 7);
    /* 国庆节: off 1-7 October; makeup Sunday 29 September and Saturday 12 October. */
    assert_off(national, "2024-10-01", "2024-10-07");
    assert_makeup(national, "2024-09-29", 7);
    assert_makeup(national, "2024-10-12", 6);
    assert_true(workcal_is_working_day(national, D("2024-10-08")));
    assert_false(workcal_is_working_day(national, D("2024-10-13"))); /* an ordinary Sunday */

    workcal_date out;
    assert_int_equal(workcal_add_working_days(national, D("2024-02-08"), 1, &out), 0);
    assert_int_equal(out, D("2024-02-09"));
    assert_int_equal(workcal_add_working_days(national, D("2024-02-09"), 1, &out), 0);
    assert_int_equal(out, D("2024-02-18"));
    assert_int_equal(workcal_add_working_days(national, D("2024-02-08"), 20, &out), 0);
    assert_int_equal(out, D("2024-03-13"));
    /* The statutory 20 working days across National Day. */
    assert_int_equal(workcal_add_working_days(national, D("2024-09-27"), 20, &out), 0);
    assert_int_equal(out, D("2024-10-30"));
    int n;
    assert_int_equal(workcal_working_days_between(national, D("2024-09-27"), D("2024-10-30"), &n),
                     0);
    assert_int_equal(n, 20);
}

static void test_holidays_2025(void **state)
{
    /* 春节: off 28 January - 4 February; makeup Sunday 26 January, Saturday 8 February. */
    assert_off(national, "2025-01-28", "2025-02-04");
    assert_makeup(national, "2025-01-26", 7);
    assert_makeup(national, "2025-02-08", 6);
    /* 国庆节 and 中秋: off 1-8 October; makeup Sunday 28 September, Saturday 11 October. */
    assert_off(national, "2025-10-01", "2025-10-08");
    assert_makeup(national, "2025-09-28", 7);
    assert_makeup(national, "2025-10-11", 6);

    workcal_date out;
    assert_int_equal(workcal_add_working_days(national, D("2025-01-27"), 1, &out), 0);
    assert_int_equal(out, D("2025-02-05"));
    assert_int_equal(workcal_add_working_days(national, D("2025-01-24"), 1, &out), 0);
    assert_int_equal(out, D("2025-01-26")); /* the makeup Sunday counts */
    assert_int_equal(workcal_add_working_days(national, D("2025-01-26"), 2, &out), 0);
    assert_int_equal(out, D("2025-02-05"));
    assert_int_equal(workcal_add_working_days(national, D("2025-09-26"), 5, &out), 0);
    assert_int_equal(out, D("2025-10-10"));
    /* n = 0: a working start stays, a holiday start moves to the next working day. */
    assert_int_equal(workcal_add_working_days(national, D("2025-01-27"), 0, &out), 0);
    assert_int_equal(out, D("2025-01-27"));
    assert_int_equal(workcal_add_working_days(national, D("2025-01-28"), 0, &out), 0);
    assert_int_equal(out, D("2025-02-05"));
    /* n < 0: working days before the start. */
    assert_int_equal(workcal_add_working_days(national, D("2025-02-05"), -1, &out), 0);
    assert_int_equal(out, D("2025-01-27"));
    assert_int_equal(workcal_add_working_days(national, D("2025-02-05"), -2, &out), 0);
    assert_int_equal(out, D("2025-01-26"));
    assert_int_equal(workcal_add_working_days(national, D("2025-02-01"), -1, &out), 0);
    assert_int_equal(out, D("2025-01-27"));

    int n;
    assert_int_equal(workcal_working_days_between(national, D("2025-01-27"), D("2025-02-05"), &n),
                     0);
    assert_int_equal(n, 1);
    assert_int_equal(workcal_working_days_between(national, D("2025-01-24"), D("2025-02-08"), &n),
                     0);
    assert_int_equal(n, 6); /* 26, 27 January; 5, 6, 7, 8 February */

    workcal_day info;
    assert_int_equal(workcal_day_info(national, D("2025-01-29"), &info), 0);
    assert_false(info.working);
    assert_int_equal(info.source, WORKCAL_SRC_NATIONAL);
    assert_string_equal(info.name, "春节");
    assert_int_equal(workcal_day_info(national, D("2025-10-06"), &info), 0);
    assert_string_equal(info.name, "中秋");
    assert_int_equal(workcal_day_info(national, D("2025-01-26"), &info), 0);
    assert_true(info.working);
    assert_int_equal(info.source, WORKCAL_SRC_NATIONAL);
    assert_int_equal(workcal_day_info(national, D("2025-03-08"), &info), 0);
    assert_false(info.working);
    assert_int_equal(info.source, WORKCAL_SRC_WEEK);
    assert_null(info.name);
}

static void test_holidays_2020_extension(void **state)
{
    /* The 2020 Spring Festival holiday was extended to 2 February; the makeup Saturday
     * 1 February was cancelled. The data must say so. */
    assert_off(national, "2020-01-24", "2020-02-02");
    assert_true(workcal_is_working_day(national, D("2020-02-03")));
}

static void test_natural_days(void **state)
{
    workcal_date out;
    /* Lands on a holiday: moves to the next working day. */
    assert_int_equal(workcal_add_natural_days(national, D("2025-01-20"), 10, &out), 0);
    assert_int_equal(out, D("2025-02-05"));
    assert_int_equal(workcal_add_natural_days(national, D("2025-09-30"), 1, &out), 0);
    assert_int_equal(out, D("2025-10-09"));
    /* Lands on a makeup Sunday: a working day, stays. */
    assert_int_equal(workcal_add_natural_days(national, D("2025-09-21"), 7, &out), 0);
    assert_int_equal(out, D("2025-09-28"));
    /* Lands on an ordinary weekday. */
    assert_int_equal(workcal_add_natural_days(national, D("2025-03-03"), 10, &out), 0);
    assert_int_equal(out, D("2025-03-13"));
    /* Backwards: never after the natural date. */
    assert_int_equal(workcal_add_natural_days(national, D("2025-02-10"), -8, &out), 0);
    assert_int_equal(out, D("2025-01-27"));
    assert_int_equal(workcal_natural_days_between(D("2025-01-01"), D("2025-12-31")), 364);
    assert_int_equal(workcal_natural_days_between(D("2025-12-31"), D("2025-01-01")), -364);
}

static void test_local_overrides(void **state)
{
    workcal *cal = workcal_clone(national);
    workcal_date out;
    /* A closure on the first day after the holiday (停电闭厅). */
    assert_int_equal(workcal_override(cal, D("2025-02-05"), WORKCAL_OFF, "停电闭厅"), 0);
    assert_int_equal(workcal_add_working_days(cal, D("2025-01-27"), 1, &out), 0);
    assert_int_equal(out, D("2025-02-06"));
    workcal_day info;
    assert_int_equal(workcal_day_info(cal, D("2025-02-05"), &info), 0);
    assert_false(info.working);
    assert_int_equal(info.source, WORKCAL_SRC_LOCAL);
    assert_string_equal(info.name, "停电闭厅");
    /* A duty day inside the national holiday wins over the national list. */
    assert_int_equal(workcal_override(cal, D("2025-01-30"), WORKCAL_WORK, "春节值班"), 0);
    assert_int_equal(workcal_add_working_days(cal, D("2025-01-27"), 1, &out), 0);
    assert_int_equal(out, D("2025-01-30"));
    assert_int_equal(workcal_add_working_days(cal, D("2025-01-27"), 2, &out), 0);
    assert_int_equal(out, D("2025-02-06"));
    /* An ordinary Saturday opened for a campaign. */
    assert_int_equal(workcal_override(cal, D("2025-03-08"), WORKCAL_WORK, NULL), 0);
    assert_true(workcal_is_working_day(cal, D("2025-03-08")));
    assert_int_equal(workcal_day_info(cal, D("2025-03-08"), &info), 0);
    assert_null(info.name);

    /* The national calendar it was cloned from is untouched. */
    assert_true(workcal_is_working_day(national, D("2025-02-05")));
    assert_false(workcal_is_working_day(national, D("2025-01-30")));
    assert_false(workcal_is_working_day(national, D("2025-03-08")));

    /* Clearing an override restores the national rule. */
    assert_int_equal(workcal_override(cal, D("2025-01-30"), WORKCAL_CLEAR, NULL), 0);
    assert_false(workcal_is_working_day(cal, D("2025-01-30")));
    assert_int_equal(workcal_day_info(cal, D("2025-01-30"), &info), 0);
    assert_int_equal(info.source, WORKCAL_SRC_NATIONAL);
    assert_string_equal(info.name, "春节");

    /* Re-importing the national list (replace) keeps local overrides. */
    workcal_json_problems p = {0};
    assert_int_equal(workcal_json_import(cal, cn_text, cn_len, WORKCAL_JSON_REPLACE, &p), 0);
    workcal_json_problems_release(&p);
    assert_false(workcal_is_working_day(cal, D("2025-02-05")));

    assert_int_equal(workcal_override(cal, D("2025-02-05"), 7, NULL), YC_EINVAL);
    assert_int_equal(workcal_override(cal, D("2101-01-03"), WORKCAL_OFF, NULL), YC_ELIMIT);
    workcal_free(cal);
}

static void test_limits(void **state)
{
    workcal_date out;
    int n;
    assert_int_equal(workcal_add_working_days(national, D("2003-12-31"), 1, &out), YC_ELIMIT);
    assert_int_equal(workcal_add_working_days(national, D("2101-01-01"), 1, &out), YC_ELIMIT);
    assert_int_equal(workcal_add_working_days(national, D("2100-12-29"), 5, &out), YC_ELIMIT);
    assert_int_equal(workcal_add_working_days(national, D("2100-12-30"), 1, &out), 0);
    assert_int_equal(out, D("2100-12-31"));
    assert_int_equal(workcal_add_working_days(national, D("2025-01-27"), INT_MAX, &out), YC_ELIMIT);
    assert_int_equal(workcal_add_working_days(national, D("2025-01-27"), INT_MIN, &out), YC_ELIMIT);
    /* 2004-01-01 was 元旦 and 2004-01-02 the first working day: nothing before it. */
    assert_int_equal(workcal_add_working_days(national, D("2004-01-02"), -1, &out), YC_ELIMIT);
    assert_int_equal(workcal_add_working_days(national, D("2004-01-01"), 0, &out), 0);
    assert_int_equal(out, D("2004-01-02"));
    assert_int_equal(workcal_working_days_between(national, D("2003-12-31"), D("2025-01-01"), &n),
                     YC_ELIMIT);
    assert_int_equal(workcal_add_natural_days(national, D("2100-12-31"), 1, &out), YC_ELIMIT);
    assert_int_equal(workcal_add_natural_days(national, D("2025-01-01"), INT_MAX, &out), YC_ELIMIT);
    assert_int_equal(workcal_set_day(national, D("2003-12-31"), WORKCAL_OFF, NULL), YC_ELIMIT);
    assert_int_equal(workcal_clear_year(national, 2101), YC_ELIMIT);
    assert_int_equal(workcal_mark_loaded(national, 2003), YC_ELIMIT);
    /* Outside the data years only the week rule can apply. */
    assert_true(workcal_is_working_day(national, D("2003-12-31")));
    assert_false(workcal_is_working_day(national, D("2101-01-01")));
    workcal_day info;
    assert_int_equal(workcal_day_info(national, D("1999-10-01"), &info), YC_ELIMIT);
    assert_true(info.working); /* a Friday */
    /* Across the whole span: every working day from 2004 to 2100. */
    assert_int_equal(workcal_working_days_between(national, D("2004-01-01"), D("2100-12-31"), &n),
                     0);
    workcal_date back;
    assert_int_equal(workcal_add_working_days(national, D("2004-01-01"), n, &back), 0);
    assert_int_equal(back, D("2100-12-31"));
}

/* ---- Properties, against a naive model built straight from the file ---- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rng(void)
{
    /* xorshift64*: fixed seed, so the test is the same on every run. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}

/* One byte per day 2004-01-01..2100-12-31: 1 = working, from cn.json read with jansson
 * directly and the week rule - no code shared with workcal beyond date parsing. */
static unsigned char *naive_model(workcal_date *base, int *ndays)
{
    *base = D("2004-01-01");
    *ndays = D("2100-12-31") - *base + 1;
    unsigned char *m = xmalloc((size_t)*ndays);
    for (int i = 0; i < *ndays; i++) {
        int wd = (int)(((int64_t)*base + i + 3) % 7); /* 0 = Monday */
        m[i] = wd < 5;
    }
    json_error_t err;
    json_t *root = json_loadb(cn_text, cn_len, 0, &err);
    assert_non_null(root);
    size_t i, j;
    json_t *year, *day;
    json_array_foreach(root, i, year)
    {
        json_array_foreach(json_object_get(year, "days"), j, day)
        {
            workcal_date d = D(json_string_value(json_object_get(day, "date")));
            m[d - *base] = !json_is_true(json_object_get(day, "isOffDay"));
        }
    }
    json_decref(root);
    return m;
}

static void test_matches_naive_model(void **state)
{
    workcal_date base;
    int ndays;
    unsigned char *m = naive_model(&base, &ndays);
    for (int i = 0; i < ndays; i++)
        if (workcal_is_working_day(national, base + i) != (bool)m[i]) {
            char s[WORKCAL_DATE_STRLEN];
            workcal_format(base + i, s, sizeof(s));
            fail_msg("%s: calendar and file disagree", s);
        }

    /* add_working_days against walking day by day. */
    workcal_date last;
    assert_int_equal(workcal_date_from_ymd(last_year, 12, 31, &last), 0);
    for (int k = 0; k < 20000; k++) {
        workcal_date start = base + (workcal_date)(rng() % (uint64_t)(last - base + 1));
        int n = (int)(rng() % 61);
        workcal_date got;
        assert_int_equal(workcal_add_working_days(national, start, n, &got), 0);
        workcal_date want = start;
        if (n == 0) {
            while (!m[want - base])
                want++;
        } else {
            for (int left = n; left > 0;)
                if (m[++want - base])
                    left--;
        }
        if (got != want) {
            char s[WORKCAL_DATE_STRLEN];
            workcal_format(start, s, sizeof(s));
            fail_msg("%s + %d working days: got %d, want %d", s, n, got, want);
        }
        /* add then measure gives n back; n = 0 on a day off moved one working day on. */
        int between;
        assert_int_equal(workcal_working_days_between(national, start, got, &between), 0);
        assert_int_equal(between, n == 0 && !m[start - base] ? 1 : n);
        if (n >= 1)
            assert_true(workcal_is_working_day(national, got));
        /* And back: from a working day, -n lands where between counts n again. */
        if (n >= 1 && m[start - base] && start - base > 200) {
            workcal_date before;
            assert_int_equal(workcal_add_working_days(national, start, -n, &before), 0);
            assert_true(workcal_is_working_day(national, before));
            assert_int_equal(workcal_working_days_between(national, before, start, &between), 0);
            assert_int_equal(between, n);
        }
        /* Natural days: n days on, then forward to a working day. */
        workcal_date nat;
        assert_int_equal(workcal_add_natural_days(national, start, n, &nat), 0);
        workcal_date nat_want = start + n;
        while (!m[nat_want - base])
            nat_want++;
        assert_int_equal(nat, nat_want);
    }

    /* working_days_between against counting, for random pairs either way round. */
    for (int k = 0; k < 2000; k++) {
        workcal_date a = base + (workcal_date)(rng() % (uint64_t)ndays);
        workcal_date b = a + (workcal_date)(rng() % 801) - 400;
        if (b < base || b >= base + ndays)
            continue;
        int want = 0;
        for (workcal_date d = (a < b ? a : b) + 1; d <= (a < b ? b : a); d++)
            want += m[d - base];
        if (b < a)
            want = -want;
        int got;
        assert_int_equal(workcal_working_days_between(national, a, b, &got), 0);
        assert_int_equal(got, want);
    }
    free(m);
}

static void test_clone_and_clear_year(void **state)
{
    workcal *cal = workcal_clone(national);
    assert_int_equal(workcal_clear_year(cal, 2025), 0);
    assert_false(workcal_year_loaded(cal, 2025));
    assert_true(workcal_year_loaded(cal, 2024));
    assert_true(workcal_is_working_day(cal, D("2025-01-28")));  /* a Tuesday again */
    assert_false(workcal_is_working_day(cal, D("2025-01-26"))); /* a Sunday again */
    workcal_day info;
    assert_int_equal(workcal_day_info(cal, D("2025-01-28"), &info), 0);
    assert_null(info.name);
    assert_int_equal(workcal_day_info(cal, D("2024-02-10"), &info), 0);
    assert_string_equal(info.name, "春节");
    assert_false(workcal_is_working_day(cal, D("2026-01-01")));
    workcal_free(cal);
}

/* ---- JSON import ---- */

/* dist/years/2025.json of the npm package chinese-days 1.5.7, verbatim. */
static const char chinese_days_2025[] = "{"
                                        "\"holidays\": {"
                                        "\"2025-01-01\": \"New Year's Day,元旦,1\","
                                        "\"2025-01-28\": \"Spring Festival,春节,4\","
                                        "\"2025-01-29\": \"Spring Festival,春节,4\","
                                        "\"2025-01-30\": \"Spring Festival,春节,4\","
                                        "\"2025-01-31\": \"Spring Festival,春节,4\","
                                        "\"2025-02-01\": \"Spring Festival,春节,4\","
                                        "\"2025-02-02\": \"Spring Festival,春节,4\","
                                        "\"2025-02-03\": \"Spring Festival,春节,4\","
                                        "\"2025-02-04\": \"Spring Festival,春节,4\","
                                        "\"2025-04-04\": \"Tomb-sweeping Day,清明,1\","
                                        "\"2025-04-05\": \"Tomb-sweeping Day,清明,1\","
                                        "\"2025-04-06\": \"Tomb-sweeping Day,清明,1\","
                                        "\"2025-05-01\": \"Labour Day,劳动节,2\","
                                        "\"2025-05-02\": \"Labour Day,劳动节,2\","
                                        "\"2025-05-03\": \"Labour Day,劳动节,2\","
                                        "\"2025-05-04\": \"Labour Day,劳动节,2\","
                                        "\"2025-05-05\": \"Labour Day,劳动节,2\","
                                        "\"2025-05-31\": \"Dragon Boat Festival,端午,1\","
                                        "\"2025-06-01\": \"Dragon Boat Festival,端午,1\","
                                        "\"2025-06-02\": \"Dragon Boat Festival,端午,1\","
                                        "\"2025-10-01\": \"National Day,国庆节,3\","
                                        "\"2025-10-02\": \"National Day,国庆节,3\","
                                        "\"2025-10-03\": \"National Day,国庆节,3\","
                                        "\"2025-10-04\": \"National Day,国庆节,3\","
                                        "\"2025-10-05\": \"National Day,国庆节,3\","
                                        "\"2025-10-06\": \"Mid-autumn Festival,中秋,1\","
                                        "\"2025-10-07\": \"National Day,国庆节,3\","
                                        "\"2025-10-08\": \"National Day,国庆节,3\""
                                        "},"
                                        "\"workdays\": {"
                                        "\"2025-01-26\": \"Spring Festival,春节,4\","
                                        "\"2025-02-08\": \"Spring Festival,春节,4\","
                                        "\"2025-04-27\": \"Labour Day,劳动节,2\","
                                        "\"2025-09-28\": \"National Day,国庆节,3\","
                                        "\"2025-10-11\": \"National Day,国庆节,3\""
                                        "},"
                                        "\"inLieuDays\": {"
                                        "\"2025-02-03\": \"Spring Festival,春节,4\","
                                        "\"2025-02-04\": \"Spring Festival,春节,4\","
                                        "\"2025-05-05\": \"Labour Day,劳动节,2\","
                                        "\"2025-10-07\": \"National Day,国庆节,3\","
                                        "\"2025-10-08\": \"National Day,国庆节,3\""
                                        "}"
                                        "}";

/* Both layouts describe the same year identically. */
static void test_import_chinese_days_layout(void **state)
{
    workcal *cal = workcal_new();
    workcal_json_problems p = {0};
    int rc = workcal_json_import(cal, chinese_days_2025, strlen(chinese_days_2025), 0, &p);
    for (int i = 0; i < p.count; i++)
        fprintf(stderr, "%s %s %s\n", p.items[i].where, p.items[i].rule, p.items[i].message);
    assert_int_equal(rc, 0);
    assert_int_equal(p.count, 0);
    workcal_json_problems_release(&p);
    assert_true(workcal_year_loaded(cal, 2025));
    assert_false(workcal_year_loaded(cal, 2024));
    for (workcal_date d = D("2025-01-01"); d <= D("2025-12-31"); d++)
        assert_int_equal(workcal_is_working_day(cal, d), workcal_is_working_day(national, d));
    workcal_day info;
    assert_int_equal(workcal_day_info(cal, D("2025-10-06"), &info), 0);
    assert_string_equal(info.name, "中秋");
    assert_int_equal(workcal_day_info(cal, D("2025-01-26"), &info), 0);
    assert_string_equal(info.name, "春节");
    assert_true(info.working);
    workcal_free(cal);
}

static void test_import_holiday_cn_keys(void **state)
{
    /* A single year object with the provenance keys NateScarlet/holiday-cn writes. */
    static const char doc[] =
        "{\"$schema\": \"https://example.org/schema.json\", \"$id\": \"2025.json\","
        " \"year\": 2025, \"papers\": [\"https://www.gov.cn/zhengce/content/202411/"
        "content_6986382.htm\"], \"days\": ["
        " {\"name\": \"元旦\", \"date\": \"2025-01-01\", \"isOffDay\": true},"
        " {\"name\": \"春节\", \"date\": \"2025-01-26\", \"isOffDay\": false}]}";
    workcal *cal = workcal_new();
    assert_int_equal(workcal_json_import(cal, doc, strlen(doc), 0, NULL), 0);
    assert_false(workcal_is_working_day(cal, D("2025-01-01")));
    assert_true(workcal_is_working_day(cal, D("2025-01-26")));
    assert_true(workcal_year_loaded(cal, 2025));
    workcal_free(cal);
}

/* Everything observable about a calendar, to prove a failed import changed nothing. */
static void assert_same(const workcal *a, const workcal *b)
{
    for (int y = WORKCAL_YEAR_MIN; y <= WORKCAL_YEAR_MAX; y++)
        assert_int_equal(workcal_year_loaded(a, y), workcal_year_loaded(b, y));
    for (workcal_date d = D("2004-01-01"); d <= D("2100-12-31"); d++) {
        workcal_day x, y;
        workcal_day_info(a, d, &x);
        workcal_day_info(b, d, &y);
        if (x.working != y.working || x.source != y.source ||
            (x.name == NULL) != (y.name == NULL) || (x.name && strcmp(x.name, y.name) != 0)) {
            char s[WORKCAL_DATE_STRLEN];
            workcal_format(d, s, sizeof(s));
            fail_msg("%s changed", s);
        }
    }
}

typedef struct bad_case {
    const char *doc;
    const char *rule;  /* the first problem's rule */
    const char *where; /* and where, or NULL to skip */
    const char *field;
} bad_case;

#define DAY(d, off)   "{\"name\": \"测试\", \"date\": \"" d "\", \"isOffDay\": " off "}"
#define YEAR(y, days) "{\"year\": " y ", \"days\": [" days "]}"

static const bad_case bad_cases[] = {
    {"[" YEAR("2027", DAY("2027-01-01", "true")) ",", "JSON_SYNTAX", "$", ""},
    {"{\"year\": 2027, \"year\": 2028, \"days\": []}", "JSON_SYNTAX", "$", ""},
    {"[" YEAR("2027", DAY("2027-02-30", "true")) "]", "DATE_MALFORMED", "$[0].days[0]", "date"},
    {"[" YEAR("2027", DAY("2027-2-3", "true")) "]", "DATE_MALFORMED", "$[0].days[0]", "date"},
    {"[" YEAR("2027", DAY("2027-01-01", "true") "," DAY("2026-10-01", "true")) "]",
     "DATE_OUTSIDE_YEAR", "$[0].days[1]", "date"},
    {"[" YEAR("2027", DAY("2027-01-01", "true")) "," YEAR("2027", DAY("2027-01-02", "true")) "]",
     "YEAR_DUPLICATE", "$[1]", "year"},
    {"[" YEAR("2025", DAY("2025-01-01", "true")) "]", "YEAR_LOADED", "$[0]", "year"},
    {"[" YEAR("2101", "") "]", "YEAR_RANGE", "$[0]", "year"},
    {"[" YEAR("\"2027\"", DAY("2027-01-01", "true")) "]", "TYPE", "$[0]", "year"},
    {"[" YEAR("2027.0", DAY("2027-01-01", "true")) "]", "TYPE", "$[0]", "year"},
    {"[" YEAR("2027", DAY("2027-01-01", "\"true\"")) "]", "TYPE", "$[0].days[0]", "isOffDay"},
    {"[{\"year\": 2027, \"days\": {}}]", "TYPE", "$[0]", "days"},
    {"[{\"year\": 2027, \"days\": [7]}]", "TYPE", "$[0].days[0]", "days"},
    {"[{\"year\": 2027, \"days\": [{\"name\": 5, \"date\": \"2027-01-01\", \"isOffDay\": true}]}]",
     "TYPE", "$[0].days[0]", "name"},
    {"[{\"year\": 2027, \"days\": [{\"name\": \"\", \"date\": \"2027-01-01\", \"isOffDay\": "
     "true}]}]",
     "NAME_MALFORMED", "$[0].days[0]", "name"},
    {"[{\"year\": 2027, \"days\": [{\"date\": \"2027-01-01\", \"isOffDay\": true}]}]",
     "MISSING_FIELD", "$[0].days[0]", "name"},
    {"[{\"days\": []}]", "MISSING_FIELD", "$[0]", "year"},
    {"[{\"year\": 2027}]", "MISSING_FIELD", "$[0]", "days"},
    {"[{\"year\": 2027, \"days\": [], \"region\": \"cn\"}]", "UNKNOWN_FIELD", "$[0]", "region"},
    {"[{\"year\": 2027, \"days\": [{\"name\": \"元旦\", \"date\": \"2027-01-01\", \"isOffDay\": "
     "true, \"kind\": 1}]}]",
     "UNKNOWN_FIELD", "$[0].days[0]", "kind"},
    {"[" YEAR("2027", DAY("2027-01-01", "true") "," DAY("2027-01-01", "true")) "]",
     "DATE_DUPLICATE", "$[0].days[1]", "date"},
    {"[" YEAR("2027", DAY("2027-01-02", "true") "," DAY("2027-01-02", "false")) "]",
     "DATE_CONFLICT", "$[0].days[1]", "date"},
    {"[" YEAR("2027", DAY("2027-01-04", "false")) "]", "WORKDAY_NOT_WEEKEND", "$[0].days[0]",
     "isOffDay"},
    {"[{\"year\": 2027, \"papers\": \"x\", \"days\": []}]", "TYPE", "$[0]", "papers"},
    {"[]", "MISSING_FIELD", "$", ""},
    {"{\"foo\": 1}", "TYPE", "$", ""},
    {"{\"holidays\": {\"2027-01-01\": \"New Year's Day,元旦,1\"}, \"workdays\": {}, \"extra\": 1}",
     "UNKNOWN_FIELD", "$", "extra"},
    {"{\"holidays\": {\"2027-01-01\": \"元旦\"}, \"workdays\": {}}", "NAME_MALFORMED",
     "$.holidays.2027-01-01", "holidays"},
    {"{\"holidays\": {\"2027-01-01\": 1}, \"workdays\": {}}", "TYPE", "$.holidays.2027-01-01",
     "holidays"},
    {"{\"holidays\": {\"2027-13-01\": \"New Year's Day,元旦,1\"}, \"workdays\": {}}",
     "DATE_MALFORMED", "$.holidays.2027-13-01", "holidays"},
    {"{\"holidays\": {}, \"workdays\": {}, \"inLieuDays\": {\"2027-01-01\": \"x,元旦,1\"}}",
     "IN_LIEU_NOT_HOLIDAY", "$.inLieuDays.2027-01-01", "inLieuDays"},
    {"{\"holidays\": {\"2027-01-02\": \"a,元旦,1\"}, \"workdays\": {\"2027-01-02\": \"a,元旦,1\"}}",
     "DATE_CONFLICT", NULL, "date"},
    {"{\"holidays\": {\"2025-01-01\": \"a,元旦,1\"}, \"workdays\": {}}", "YEAR_LOADED", "$",
     "year"},
    {"{\"holidays\": [], \"workdays\": {}}", "TYPE", "$", "holidays"},
    {"{\"holidays\": {}}", "MISSING_FIELD", "$", "workdays"},
};

static void test_import_errors_change_nothing(void **state)
{
    /* A calendar with 2025 loaded and one local override. */
    workcal *cal = workcal_new();
    assert_int_equal(
        workcal_json_import(cal, chinese_days_2025, strlen(chinese_days_2025), 0, NULL), 0);
    assert_int_equal(workcal_override(cal, D("2025-03-03"), WORKCAL_OFF, "闭厅"), 0);
    workcal *before = workcal_clone(cal);

    for (size_t i = 0; i < YC_ARRAY_LEN(bad_cases); i++) {
        const bad_case *c = &bad_cases[i];
        workcal_json_problems p = {0};
        int rc = workcal_json_import(cal, c->doc, strlen(c->doc), 0, &p);
        if (rc != YC_EINVAL || p.count < 1)
            fail_msg("case %zu accepted: %s", i, c->doc);
        if (strcmp(p.items[0].rule, c->rule) != 0)
            fail_msg("case %zu: rule %s, want %s (%s)", i, p.items[0].rule, c->rule,
                     p.items[0].message);
        if (c->where && strcmp(p.items[0].where, c->where) != 0)
            fail_msg("case %zu: where %s, want %s", i, p.items[0].where, c->where);
        if (strcmp(p.items[0].field, c->field) != 0)
            fail_msg("case %zu: field %s, want %s", i, p.items[0].field, c->field);
        assert_true(strlen(p.items[0].message) > 0);
        workcal_json_problems_release(&p);
        /* Without a problem list too. */
        assert_int_equal(workcal_json_import(cal, c->doc, strlen(c->doc), 0, NULL), YC_EINVAL);
    }
    assert_same(cal, before);

    /* All or nothing: a good year next to a bad one loads neither. */
    static const char mixed[] = "[" YEAR("2027", DAY("2027-01-01", "true")) "," YEAR(
        "2028", DAY("2028-01-01", "true") "," DAY("2028-02-30", "true")) "]";
    workcal_json_problems p = {0};
    assert_int_equal(workcal_json_import(cal, mixed, strlen(mixed), 0, &p), YC_EINVAL);
    assert_int_equal(p.count, 1);
    assert_string_equal(p.items[0].date, "2028-02-30");
    assert_string_equal(p.items[0].message, "日期“2028-02-30”无效，应为YYYY-MM-DD格式的真实日期");
    workcal_json_problems_release(&p);
    assert_false(workcal_year_loaded(cal, 2027));
    assert_same(cal, before);

    /* Every problem is reported, not just the first. */
    static const char many[] = "[{\"year\": 2027, \"extra\": 1, \"days\": [" DAY(
        "2027-02-30", "true") "," DAY("2027-01-04", "false") "," DAY("2026-01-01", "true") "]}]";
    assert_int_equal(workcal_json_import(cal, many, strlen(many), 0, &p), YC_EINVAL);
    assert_int_equal(p.count, 4);
    assert_string_equal(p.items[0].rule, "UNKNOWN_FIELD");
    assert_string_equal(p.items[1].rule, "DATE_MALFORMED");
    assert_string_equal(p.items[2].rule, "WORKDAY_NOT_WEEKEND");
    assert_string_equal(p.items[3].rule, "DATE_OUTSIDE_YEAR");
    workcal_json_problems_release(&p);

    /* The problem list is bounded. */
    ybuf b = {0};
    ybuf_adds(&b, "{\"year\": 2027, \"days\": [");
    for (int i = 0; i < 150; i++)
        ybuf_printf(&b, "%s{\"name\": \"x\", \"date\": \"2027-02-%02d\", \"isOffDay\": true}",
                    i ? "," : "", 30 + i);
    ybuf_adds(&b, "]}");
    assert_int_equal(workcal_json_import(cal, b.data, b.len, 0, &p), YC_EINVAL);
    assert_int_equal(p.count, WORKCAL_JSON_MAX_PROBLEMS);
    assert_int_equal(p.dropped, 150 - WORKCAL_JSON_MAX_PROBLEMS);
    workcal_json_problems_release(&p);
    ybuf_release(&b);
    assert_same(cal, before);

    workcal_free(before);
    workcal_free(cal);
}

static void test_import_replace(void **state)
{
    workcal *cal = workcal_new();
    assert_int_equal(workcal_json_import(cal, cn_text, cn_len, 0, NULL), 0);
    /* Loading the same file again is refused without the flag... */
    workcal_json_problems p = {0};
    assert_int_equal(workcal_json_import(cal, cn_text, cn_len, 0, &p), YC_EINVAL);
    assert_int_equal(p.count, last_year - WORKCAL_YEAR_MIN + 1); /* one per year */
    assert_string_equal(p.items[0].rule, "YEAR_LOADED");
    workcal_json_problems_release(&p);
    /* ...and a replacement drops the days the new data no longer lists. */
    static const char doc[] = YEAR("2025", DAY("2025-03-03", "true"));
    assert_int_equal(workcal_json_import(cal, doc, strlen(doc), WORKCAL_JSON_REPLACE, NULL), 0);
    assert_false(workcal_is_working_day(cal, D("2025-03-03")));
    assert_true(workcal_is_working_day(cal, D("2025-01-28")));
    assert_false(workcal_is_working_day(cal, D("2025-01-26")));
    assert_false(workcal_is_working_day(cal, D("2024-02-12"))); /* other years stay */
    assert_true(workcal_year_loaded(cal, 2025));
    workcal_free(cal);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_ymd),
        cmocka_unit_test(test_weekday),
        cmocka_unit_test(test_parse_format),
        cmocka_unit_test(test_date_from_ms),
        cmocka_unit_test(test_week_rule),
        cmocka_unit_test(test_shipped_data_covers),
        cmocka_unit_test(test_holidays_2024),
        cmocka_unit_test(test_holidays_2025),
        cmocka_unit_test(test_holidays_2020_extension),
        cmocka_unit_test(test_natural_days),
        cmocka_unit_test(test_local_overrides),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_matches_naive_model),
        cmocka_unit_test(test_clone_and_clear_year),
        cmocka_unit_test(test_import_chinese_days_layout),
        cmocka_unit_test(test_import_holiday_cn_keys),
        cmocka_unit_test(test_import_errors_change_nothing),
        cmocka_unit_test(test_import_replace),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
