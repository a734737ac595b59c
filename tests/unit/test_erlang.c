/* Unit tests: core/erlang. Erlang B and C against published table values and values
 * computed independently in exact rational arithmetic (Python fractions, the textbook
 * sum-of-terms formula); Erlang A against its limits (patience -> infinity is Erlang
 * C; patience = handling time makes the hall an M/M/infinity queue, whose head count
 * is Poisson) and against the identity between its two abandonment derivations. The
 * hall simulator checks Erlang A against simulation too (test_hallsim). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "core/erlang.h"

#define near(x, y, tol) assert_true(fabs((x) - (y)) <= (tol))

static void test_erlang_b(void **state)
{
    /* Erlang B tables (e.g. ITU-T E.800 companion tables): 10 circuits carry 5.08
     * Erlangs and 20 circuits 13.18 Erlangs at 2% blocking. */
    near(erlang_b(10, 5.084), 0.0200, 1e-4);
    near(erlang_b(20, 13.182), 0.0200, 1e-4);
    near(erlang_b(10, 5), 0.018384570336648132, 1e-12); /* exact: 0.0183845703366 */
    near(erlang_b(0, 3), 1, 0);
    near(erlang_b(5, 0), 0, 0);
    /* 5000 servers: no overflow, finite and in range. */
    double b = erlang_b(5000, 4900);
    assert_true(b > 0 && b < 0.05);
    assert_true(isnan(erlang_b(-1, 1)));
}

static void test_erlang_c(void **state)
{
    /* 10 Erlangs on 12 windows: P(wait) = 0.4494 (exact 0.449388224298...). */
    near(erlang_c(12, 10), 0.44938822429827086, 1e-12);
    near(erlang_c(11, 10), 0.6821182046893324, 1e-12);
    near(erlang_c(15, 10), 0.10204236700798801, 1e-12);
    near(erlang_c(2, 1), 1.0 / 3, 1e-12);
    /* The standard call-centre worked example: 100 calls per 30 min, 3 min handling
     * (10 Erlangs), target 80% answered in 20 s: 13 agents reach 79.6%, 14 agents
     * 88.8% with P(wait) 17.4% and ASA 7.8 s -> 14 agents. */
    near(erlang_c(14, 10), 0.17413193359504983, 1e-12);
    near(erlang_c_service_level(14, 10, 180, 20), 0.8883500191794669, 1e-10);
    near(erlang_c_service_level(13, 10, 180, 20), 0.7955947884177831, 1e-10);
    near(erlang_c_asa(14, 10, 180), 7.835937011777243, 1e-8);
    near(erlang_c_asa(12, 10, 180), 40.44494018684438, 1e-8);
    assert_int_equal(erlang_c_agents(10, 180, 20, 0.8, 1, 100), 14);
    assert_int_equal(erlang_c_agents(10, 180, 20, 0.8, 0.70, 100), 15); /* occupancy cap */
    assert_int_equal(erlang_c_agents(0, 180, 20, 0.8, 1, 100), 0);
    assert_int_equal(erlang_c_agents(500, 180, 20, 0.8, 1, 100), -1);
    /* Large halls stay exact: 1000 Erlangs on 1040 servers (exact 0.1404538949545). */
    near(erlang_c(1040, 1000), 0.14045389495454796, 1e-9);
    near(erlang_c(105, 100), 0.5157074268123087, 1e-10);
    /* Overload and edges. */
    near(erlang_c(10, 10), 1, 0);
    near(erlang_c(10, 12), 1, 0);
    near(erlang_c_service_level(10, 12, 180, 20), 0, 0);
    assert_true(isinf(erlang_c_asa(10, 12, 180)));
    near(erlang_occupancy(12, 10), 10.0 / 12, 1e-15);
    near(erlang_occupancy(8, 10), 1, 0);
}

static void test_erlang_a_limits(void **state)
{
    /* Patience a million times the handling time: Erlang C. */
    erlang_a_result r;
    assert_int_equal(erlang_a(14, 10, 180, 180e6, 20, &r), 0);
    near(r.p_wait, erlang_c(14, 10), 1e-5);
    near(r.service_level, erlang_c_service_level(14, 10, 180, 20), 1e-5);
    near(r.asa, erlang_c_asa(14, 10, 180), 1e-3);
    near(r.p_abandon, 0, 1e-6);
    near(r.occupancy, 10.0 / 14, 1e-5);

    /* Patience = handling time: everyone present leaves at rate mu, the head count is
     * Poisson(a), P(wait) = P(N >= n), abandonment = E[(N - n)+] / a. */
    int n = 8;
    double a = 6, pk = exp(-a), below = 0, tail_excess = 0;
    for (int k = 0; k < 200; k++) {
        if (k < n)
            below += pk;
        else
            tail_excess += (k - n) * pk;
        pk *= a / (k + 1);
    }
    assert_int_equal(erlang_a(n, a, 10, 10, 5, &r), 0);
    near(r.p_wait, 1 - below, 1e-10);
    near(r.p_abandon, tail_excess / a, 1e-10);
    /* With abandonment the queue can be overloaded and still finite. */
    assert_int_equal(erlang_a(10, 15, 10, 20, 5, &r), 0);
    assert_true(r.p_wait > 0.9 && r.p_wait < 1);
    assert_true(r.p_abandon > 1.0 / 3 - 0.05); /* at least the excess load gives up */
    assert_true(r.p_abandon < 0.5);
    assert_true(r.occupancy > 0.95 && r.occupancy <= 1);
    near(r.occupancy * 10, 15 * (1 - r.p_abandon), 1e-6); /* carried load */
    assert_int_equal(erlang_a(0, 1, 1, 1, 1, &r), -1);
    assert_int_equal(erlang_a(3, 1, 1, 0, 1, &r), -1);
}

/* The service level at a threshold far beyond any wait is the share served; a longer
 * patience means fewer abandon, but more wait; more windows always help. */
static void test_erlang_a_shape(void **state)
{
    erlang_a_result r, r2;
    assert_int_equal(erlang_a(12, 11, 10, 15, 1e4, &r), 0);
    near(r.service_level, 1 - r.p_abandon, 1e-8);
    double prev = 0;
    for (double t = 0; t <= 30; t += 5) {
        assert_int_equal(erlang_a(12, 11, 10, 15, t, &r), 0);
        assert_true(r.service_level >= prev - 1e-12);
        prev = r.service_level;
    }
    assert_int_equal(erlang_a(12, 11, 10, 15, 5, &r), 0);
    assert_int_equal(erlang_a(12, 11, 10, 60, 5, &r2), 0);
    assert_true(r2.p_abandon < r.p_abandon);
    assert_true(r2.mean_wait > r.mean_wait);
    assert_int_equal(erlang_a(13, 11, 10, 15, 5, &r2), 0);
    assert_true(r2.service_level > r.service_level && r2.p_abandon < r.p_abandon);
    /* Erlang A never needs more windows than Erlang C for the same target. */
    int na = erlang_a_agents(10, 180, 600, 20, 0.8, 100);
    assert_true(na > 0 && na <= 14);
    assert_int_equal(erlang_a_agents(10, 180, 180e6, 20, 0.8, 100), 14);
    /* A thousand Erlangs: finite and sane. */
    assert_int_equal(erlang_a(1000, 1000, 10, 20, 1, &r), 0);
    assert_true(r.p_wait > 0.1 && r.p_wait < 1 && r.p_abandon < 0.05);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_erlang_b),
        cmocka_unit_test(test_erlang_c),
        cmocka_unit_test(test_erlang_a_limits),
        cmocka_unit_test(test_erlang_a_shape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
