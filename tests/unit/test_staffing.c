/* Unit tests: core/staffing. Needed windows per hour against the Erlang C worked
 * example also in test_erlang (10 Erlangs, 180 s handling, 80% within 20 s -> 14),
 * the edges (no arrivals, load at or above the windows open, bad arguments), Erlang A
 * with patience, and the workload balance indicator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "core/staffing.h"

#define near(x, y, tol) assert_true(fabs((x) - (y)) <= (tol))

static const staffing_target T80_20 = {.target = 0.8, .wait_s = 20, .max_n = 100};

static void test_needed_erlang_c(void **state)
{
    (void)state;
    /* 200 arrivals an hour x 180 s = 10 Erlangs: 13 windows reach 79.6%, 14 reach 88.8%. */
    staffing_hour h = {.arrivals = 200, .handle_s = 180, .open = 13};
    assert_int_equal(staffing_hour_eval(&h, &T80_20), 0);
    near(h.load, 10, 1e-12);
    assert_int_equal(h.needed, 14);
    near(h.service_level, 0.7955947884177831, 1e-10);
    assert_true(h.shortfall);
    h.open = 14;
    assert_int_equal(staffing_hour_eval(&h, &T80_20), 0);
    assert_false(h.shortfall);
    near(h.service_level, 0.8883500191794669, 1e-10);
    /* Fractional window-hours: 13.5 windows open count as 13 for the service level
     * and are short of 14. */
    h.open = 13.5;
    assert_int_equal(staffing_hour_eval(&h, &T80_20), 0);
    assert_true(h.shortfall);
    near(h.service_level, 0.7955947884177831, 1e-10);
    /* The hall's default target: 80% within 15 min. 12 tickets of 10 min: 2 Erlangs. */
    staffing_target hall = {.target = 0.8, .wait_s = 900, .max_n = 50};
    staffing_hour g = {.arrivals = 12, .handle_s = 600, .open = 2};
    assert_int_equal(staffing_hour_eval(&g, &hall), 0);
    near(g.load, 2, 1e-12);
    assert_int_equal(g.needed, 3); /* 2 windows at 2 Erlangs: the queue never settles */
    assert_true(g.shortfall);
    near(g.service_level, 0, 0);
    g.arrivals = 6; /* 1 Erlang: 2 windows, P(wait) 1/3, SL = 1 - exp(-1.5) / 3 */
    assert_int_equal(staffing_hour_eval(&g, &hall), 0);
    assert_int_equal(g.needed, 2);
    assert_false(g.shortfall);
    near(g.service_level, 1 - exp(-1.5) / 3, 1e-12);
}

static void test_edges(void **state)
{
    (void)state;
    /* No arrivals: nothing needed, nothing short, even with no window open. */
    staffing_hour h = {.arrivals = 0, .handle_s = 300, .open = 0};
    assert_int_equal(staffing_hour_eval(&h, &T80_20), 0);
    assert_int_equal(h.needed, 0);
    near(h.load, 0, 0);
    near(h.service_level, 1, 0);
    assert_false(h.shortfall);
    /* Load above the windows open: service level 0, short. */
    staffing_hour o = {.arrivals = 40, .handle_s = 900, .open = 8}; /* 10 Erlangs */
    assert_int_equal(staffing_hour_eval(&o, &T80_20), 0);
    assert_true(o.needed > 10);
    near(o.service_level, 0, 0);
    assert_true(o.shortfall);
    /* Load exactly equal to the windows: still 0 and short. */
    o.open = 10;
    assert_int_equal(staffing_hour_eval(&o, &T80_20), 0);
    near(o.service_level, 0, 0);
    assert_true(o.shortfall);
    /* One arrival with no window open: one window needed. */
    staffing_hour one = {.arrivals = 1, .handle_s = 300, .open = 0};
    assert_int_equal(staffing_hour_eval(&one, &T80_20), 0);
    assert_int_equal(one.needed, 1);
    assert_true(one.shortfall);
    /* Beyond max_n: -1 and short. */
    staffing_target small = {.target = 0.8, .wait_s = 20, .max_n = 5};
    staffing_hour big = {.arrivals = 200, .handle_s = 180, .open = 50};
    assert_int_equal(staffing_hour_eval(&big, &small), 0);
    assert_int_equal(big.needed, -1);
    assert_true(big.shortfall);
    /* Bad arguments change nothing. */
    staffing_hour bad = {.arrivals = 3, .handle_s = 0, .open = 1, .needed = 77};
    assert_int_equal(staffing_hour_eval(&bad, &T80_20), -1);
    assert_int_equal(bad.needed, 77);
    bad.handle_s = 60;
    staffing_target t1 = {.target = 1, .wait_s = 20, .max_n = 10};
    assert_int_equal(staffing_hour_eval(&bad, &t1), -1);
    staffing_target t2 = {.target = 0.8, .wait_s = 0, .max_n = 10};
    assert_int_equal(staffing_hour_eval(&bad, &t2), -1);
    bad.arrivals = -1;
    assert_int_equal(staffing_hour_eval(&bad, &T80_20), -1);
}

static void test_needed_erlang_a(void **state)
{
    (void)state;
    /* Very patient applicants: Erlang A gives Erlang C's answer. */
    staffing_target patient = {.target = 0.8, .wait_s = 20, .patience_s = 180e6, .max_n = 100};
    staffing_hour h = {.arrivals = 200, .handle_s = 180, .open = 14};
    assert_int_equal(staffing_hour_eval(&h, &patient), 0);
    assert_int_equal(h.needed, 14);
    assert_false(h.shortfall);
    near(h.service_level, 0.8883500191794669, 1e-3);
    /* Impatient ones leave, so fewer windows reach the target, never more. */
    staffing_target impatient = {.target = 0.8, .wait_s = 20, .patience_s = 600, .max_n = 100};
    assert_int_equal(staffing_hour_eval(&h, &impatient), 0);
    assert_true(h.needed > 0 && h.needed <= 14);
    /* With abandonment the queue settles even when load >= windows. */
    staffing_hour o = {.arrivals = 40, .handle_s = 900, .open = 10};
    assert_int_equal(staffing_hour_eval(&o, &impatient), 0);
    assert_true(o.service_level > 0 && o.service_level < 0.8);
    assert_true(o.shortfall);
}

static void test_balance(void **state)
{
    (void)state;
    staffing_balance b;
    double even[] = {10, 10, 10};
    staffing_balance_of(even, 3, &b);
    assert_int_equal(b.n, 3);
    near(b.mean, 10, 0);
    near(b.cv, 0, 0);
    near(b.max_min, 1, 0);
    assert_int_equal(b.level, 0);
    assert_string_equal(staffing_level_code(b.level), "balanced");
    double two[] = {5, 15}; /* mean 10, sd 5 */
    staffing_balance_of(two, 2, &b);
    near(b.cv, 0.5, 1e-12);
    near(b.max_min, 3, 1e-12);
    assert_int_equal(b.level, 2);
    assert_string_equal(staffing_level_code(b.level), "very_uneven");
    double mild[] = {8, 10, 12}; /* sd sqrt(8/3) = 1.633, cv 0.163 */
    staffing_balance_of(mild, 3, &b);
    near(b.cv, sqrt(8.0 / 3) / 10, 1e-12);
    assert_int_equal(b.level, 1);
    assert_string_equal(staffing_level_code(b.level), "uneven");
    double idle[] = {0, 6};
    staffing_balance_of(idle, 2, &b);
    near(b.max_min, -1, 0);
    near(b.cv, 1, 1e-12);
    double zero[] = {0, 0};
    staffing_balance_of(zero, 2, &b);
    near(b.cv, 0, 0);
    assert_int_equal(b.level, 0);
    staffing_balance_of(NULL, 0, &b);
    assert_int_equal(b.n, 0);
    near(b.max_min, -1, 0);
    double single[] = {7};
    staffing_balance_of(single, 1, &b);
    assert_int_equal(b.level, 0);
}

static void test_day_start(void **state)
{
    (void)state;
    int64_t ms;
    int wd;
    /* 2026-03-02 00:00 +08:00 = 2026-03-01T16:00:00Z = 1772380800 s; a Monday. */
    assert_int_equal(staffing_day_start("2026-03-02", &ms, &wd), 0);
    assert_int_equal(ms, 1772380800000LL);
    assert_int_equal(wd, 1);
    assert_int_equal(staffing_day_start("1970-01-01", &ms, &wd), 0);
    assert_int_equal(ms, -8 * 3600 * 1000LL);
    assert_int_equal(wd, 4);
    assert_int_equal(staffing_day_start("2024-02-29", &ms, &wd), 0);
    assert_int_equal(wd, 4);
    assert_int_equal(staffing_day_start("2026-03-08", &ms, &wd), 0);
    assert_int_equal(wd, 7);
    assert_int_equal(staffing_day_start("2025-02-29", &ms, &wd), -1);
    assert_int_equal(staffing_day_start("2026-13-01", &ms, &wd), -1);
    assert_int_equal(staffing_day_start("2026-04-31", &ms, &wd), -1);
    assert_int_equal(staffing_day_start("2026-3-2", &ms, &wd), -1);
    assert_int_equal(staffing_day_start("2026-03-0x", &ms, &wd), -1);
    assert_int_equal(staffing_day_start(NULL, &ms, &wd), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_needed_erlang_c), cmocka_unit_test(test_edges),
        cmocka_unit_test(test_needed_erlang_a), cmocka_unit_test(test_balance),
        cmocka_unit_test(test_day_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
