/* Unit tests: core/hallsim, the hall day simulation, against queueing theory (an
 * M/M/c hall agrees with Erlang C, an impatient one with Erlang A), and its own
 * promises: reproducible by seed for any thread count, more windows wait less,
 * bookings and no-shows counted, open hours respected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "core/erlang.h"
#include "core/hallsim.h"

/* One line, c windows open round the clock, Poisson arrivals, exponential handling:
 * M/M/c (patience 0 = nobody leaves). */
static void mmc(hs_scenario *sc, int c, double per_hour, double handle_min, double patience_min)
{
    hs_scenario_init(sc);
    sc->call_noshow = 0;
    sc->nline = 1;
    snprintf(sc->line[0].name, HS_NAME, "社保");
    for (int h = 0; h < 24; h++)
        sc->line[0].walkin[h] = per_hour;
    sc->line[0].dist = HS_EXP;
    sc->line[0].service_mean_s = handle_min * 60;
    sc->line[0].patience_s = patience_min * 60;
    sc->nwin = c;
    for (int k = 0; k < c; k++) {
        snprintf(sc->win[k].name, HS_NAME, "%d号窗口", k + 1);
        sc->win[k].skills = 1;
        sc->win[k].nspan = 1;
        sc->win[k].span[0] = (hs_span){0, 86400};
        sc->win[k].overtime = true;
    }
}

static void test_mmc_vs_erlang_c(void **state)
{
    hs_scenario sc;
    mmc(&sc, 5, 22.5, 10, 0);   /* a = 3.75 Erlangs, occupancy 0.75 */
    sc.stats_from_s = 4 * 3600; /* a day starts empty: count from 4:00 on */
    char err[256];
    assert_int_equal(hs_validate(&sc, err, sizeof(err)), 0);
    hs_result r;
    assert_int_equal(hs_run(&sc, 1000, 7, 2, &r), 0);
    double a = 22.5 * 10 / 60.0;
    double asa = erlang_c_asa(5, a, 600), sl = erlang_c_service_level(5, a, 600, 900);
    double mean, half;
    hs_wait_ci_s(&r, &mean, &half);
    print_message("M/M/5: simulated mean wait %.1f s (+-%.1f), Erlang C %.1f s; service level "
                  "%.3f vs %.3f; utilization %.3f\n",
                  hs_mean_wait_s(&r, -1), half, asa, hs_service_level(&r, -1), sl,
                  (double)r.win_busy_ms[0] / (double)r.win_open_ms[0]);
    assert_true(fabs(hs_mean_wait_s(&r, -1) - asa) < 0.05 * asa);
    assert_true(fabs(mean - asa) < 3 * half + 0.03 * asa);
    assert_true(fabs(hs_service_level(&r, -1) - sl) < 0.01);
    int64_t busy = 0, open = 0;
    for (int k = 0; k < 5; k++) {
        busy += r.win_busy_ms[k];
        open += r.win_open_ms[k];
    }
    assert_true(fabs((double)busy / (double)open - a / 5) < 0.01);
    for (int k = 0; k < 5; k++) /* idle windows take turns: the load is balanced */
        assert_true(fabs((double)r.win_busy_ms[k] / (double)r.win_open_ms[k] - a / 5) < 0.03);
    assert_int_equal(r.line[0].abandoned, 0);
    assert_true(r.line[0].served > 1000 * 24 * 22.5 * 0.97);
    hs_result_free(&r);
}

static void test_impatient_vs_erlang_a(void **state)
{
    hs_scenario sc;
    mmc(&sc, 4, 30, 9, 10); /* a = 4.5 on 4 windows: overloaded, people give up */
    sc.stats_from_s = 2 * 3600;
    hs_result r;
    assert_int_equal(hs_run(&sc, 300, 11, 2, &r), 0);
    erlang_a_result e;
    assert_int_equal(erlang_a(4, 4.5, 540, 600, 900, &e), 0);
    double p_ab = (double)r.line[0].abandoned / (double)r.line[0].arrived; /* all day */
    print_message("M/M/4+M: abandoned %.4f vs Erlang A %.4f; mean wait of the served %.1f s vs "
                  "%.1f s; service level %.3f vs %.3f\n",
                  p_ab, e.p_abandon, hs_mean_wait_s(&r, -1), e.asa, hs_service_level(&r, -1),
                  e.service_level);
    assert_true(fabs(p_ab - e.p_abandon) < 0.1 * e.p_abandon);
    assert_true(fabs(hs_mean_wait_s(&r, -1) - e.asa) < 0.08 * e.asa);
    assert_true(fabs(hs_service_level(&r, -1) - e.service_level) < 0.02);
    hs_result_free(&r);
}

/* A small hall: two lines, a shared window, lunch, bookings and no-shows. */
static void small_hall(hs_scenario *sc)
{
    hs_scenario_init(sc);
    sc->nline = 2;
    snprintf(sc->line[0].name, HS_NAME, "社保");
    snprintf(sc->line[1].name, HS_NAME, "不动产");
    for (int h = 9; h < 17; h++) {
        sc->line[0].walkin[h] = h < 11 ? 30 : 12;
        sc->line[1].walkin[h] = 8;
        sc->line[0].booked[h] = 4;
    }
    sc->line[0].green_share = 0.1;
    sc->line[0].dist = HS_LOGNORMAL;
    sc->line[0].service_mean_s = 360;
    sc->line[0].service_cv = 0.6;
    sc->line[1].dist = HS_FIXED;
    sc->line[1].service_mean_s = 900;
    sc->line[0].patience_s = 3600;
    sc->call_noshow = 0.05;
    sc->nwin = 4;
    for (int k = 0; k < 4; k++) {
        snprintf(sc->win[k].name, HS_NAME, "%d号窗口", k + 1);
        sc->win[k].skills = k < 2 ? 1 : k == 2 ? 3 : 2;
        sc->win[k].nspan = 2;
        sc->win[k].span[0] = (hs_span){9 * 3600, 12 * 3600};
        sc->win[k].span[1] = (hs_span){13 * 3600 + 1800, 17 * 3600};
        sc->win[k].overtime = true;
    }
}

static void test_determinism(void **state)
{
    hs_scenario sc;
    small_hall(&sc);
    char err[256];
    assert_int_equal(hs_validate(&sc, err, sizeof(err)), 0);
    hs_result a, b, c;
    assert_int_equal(hs_run(&sc, 40, 99, 1, &a), 0);
    assert_int_equal(hs_run(&sc, 40, 99, 3, &b), 0);
    assert_int_equal(hs_run(&sc, 40, 100, 1, &c), 0);
    assert_memory_equal(a.line, b.line, sizeof(a.line));
    assert_memory_equal(a.win_busy_ms, b.win_busy_ms, sizeof(a.win_busy_ms));
    assert_memory_equal(a.day_wait_s, b.day_wait_s, 40 * sizeof(double));
    assert_true(memcmp(a.line, c.line, sizeof(a.line)) != 0);
    /* Everyone is accounted for; bookings came as appointments; no-shows happened
     * and some rejoined; a share of the estimates was near. */
    for (int l = 0; l < 2; l++) {
        const hs_line_stats *x = &a.line[l];
        assert_true(x->arrived + x->rejoined == x->served + x->abandoned + x->noshow);
    }
    print_message("appointments served %lld, green %lld, no-shows %lld, rejoined %lld\n",
                  (long long)a.line[0].served_cls[QP_APPT],
                  (long long)a.line[0].served_cls[QP_GREEN], (long long)a.line[0].noshow,
                  (long long)a.line[0].rejoined);
    /* 1280 slots, 10% never come, some give up over lunch (patience 1 hour). */
    assert_true(a.line[0].served_cls[QP_APPT] > 40 * 32 * 0.6);
    /* Priorities work: appointments and the green channel wait less than walk-ins. */
    double wc[3];
    for (int k = 0; k < 3; k++)
        wc[k] = (double)a.line[0].wait_cls_ms[k] / (double)a.line[0].served_cls[k];
    assert_true(wc[QP_GREEN] < wc[QP_NORMAL] && wc[QP_APPT] < wc[QP_NORMAL]);
    assert_true(a.line[0].served_cls[QP_GREEN] > 0);
    assert_int_equal(a.line[1].served_cls[QP_GREEN], 0);
    assert_true(a.line[0].noshow > 0 && a.line[0].rejoined > 0);
    assert_true(a.line[0].rejoined < a.line[0].noshow);
    assert_true(hs_est_mae_s(&a, -1) > 0);
    assert_true(hs_est_mae_s(&a, -1) < hs_mean_wait_s(&a, -1));
    /* Nobody is called over lunch or before nine: every window's busy time fits in
     * its open time. */
    for (int k = 0; k < 4; k++)
        assert_true(a.win_busy_ms[k] <= a.win_open_ms[k]);
    assert_true(hs_pct_wait_s(&a, 0, 0.9) <= hs_max_wait_s(&a, 0));
    assert_true(hs_pct_wait_s(&a, 0, 0.9) >= hs_mean_wait_s(&a, 0) * 0.5);
    hs_result_free(&a);
    hs_result_free(&b);
    hs_result_free(&c);
}

static void test_more_windows_wait_less(void **state)
{
    hs_scenario sc;
    small_hall(&sc);
    hs_result before, after;
    assert_int_equal(hs_run(&sc, 60, 5, 2, &before), 0);
    /* One more 社保 window from 9 to 11, the morning peak. */
    hs_window *x = &sc.win[sc.nwin++];
    memset(x, 0, sizeof(*x));
    snprintf(x->name, HS_NAME, "潮汐窗口");
    x->skills = 1;
    x->nspan = 1;
    x->span[0] = (hs_span){9 * 3600, 11 * 3600};
    assert_int_equal(hs_run(&sc, 60, 5, 2, &after), 0);
    print_message("社保 mean wait %.0f s -> %.0f s with a tidal window\n",
                  hs_mean_wait_s(&before, 0), hs_mean_wait_s(&after, 0));
    assert_true(hs_mean_wait_s(&after, 0) < 0.8 * hs_mean_wait_s(&before, 0));
    assert_true(hs_service_level(&after, 0) > hs_service_level(&before, 0));
    assert_true(after.win_busy_ms[4] > 0 && after.win_busy_ms[4] <= 60 * 2 * 3600 * 1000LL);
    hs_result_free(&before);
    hs_result_free(&after);
}

/* Work that runs past a span's end counts as open time, but only up to the next span
 * (which is open time anyway): one booking between 9:00 and 9:29, served for exactly
 * an hour by a window open 9:00-9:30 and 10:00-11:00. */
static void test_open_time(void **state)
{
    hs_scenario sc;
    hs_scenario_init(&sc);
    sc.call_noshow = sc.booking_noshow = 0;
    sc.booking_early_s = 0;
    sc.booking_late_s = 29 * 60;
    sc.nline = 1;
    snprintf(sc.line[0].name, HS_NAME, "企业开办");
    sc.line[0].booked[9] = 1;
    sc.line[0].dist = HS_FIXED;
    sc.line[0].service_mean_s = 3600;
    sc.nwin = 1;
    snprintf(sc.win[0].name, HS_NAME, "企业开办窗口");
    sc.win[0].skills = 1;
    sc.win[0].nspan = 2;
    sc.win[0].span[0] = (hs_span){9 * 3600, 9 * 3600 + 1800};
    sc.win[0].span[1] = (hs_span){10 * 3600, 11 * 3600};
    hs_result r;
    assert_int_equal(hs_run(&sc, 10, 3, 1, &r), 0);
    assert_int_equal(r.line[0].served, 10);
    assert_int_equal(r.line[0].served_cls[QP_APPT], 10);
    assert_int_equal(r.win_busy_ms[0], 10 * 3600 * 1000LL + 10); /* +1 ms per service */
    assert_int_equal(r.win_open_ms[0], 10 * 120 * 60 * 1000LL);
    assert_int_equal(hs_max_wait_s(&r, 0), 0);
    hs_result_free(&r);
}

/* The wait estimate follows the open hours: a booking that arrives at 12:00 sharp,
 * when the windows close for lunch until 13:30, is told 90 minutes and waits 90 (this
 * also checks that an idle window wakes after lunch by itself). */
static void test_estimate_hours(void **state)
{
    hs_scenario sc;
    hs_scenario_init(&sc);
    sc.call_noshow = sc.booking_noshow = 0;
    sc.booking_early_s = sc.booking_late_s = 0;
    sc.nline = 1;
    snprintf(sc.line[0].name, HS_NAME, "不动产登记");
    sc.line[0].booked[12] = 1;
    sc.line[0].dist = HS_FIXED;
    sc.line[0].service_mean_s = 600;
    sc.nwin = 1;
    snprintf(sc.win[0].name, HS_NAME, "不动产窗口");
    sc.win[0].skills = 1;
    sc.win[0].nspan = 2;
    sc.win[0].span[0] = (hs_span){9 * 3600, 12 * 3600};
    sc.win[0].span[1] = (hs_span){13 * 3600 + 1800, 17 * 3600};
    hs_result r;
    assert_int_equal(hs_run(&sc, 5, 1, 1, &r), 0);
    assert_int_equal(r.line[0].est_n, 5);
    assert_int_equal(r.line[0].est_err_sum_ms, 0);
    assert_int_equal(hs_mean_wait_s(&r, 0), 90 * 60);
    hs_result_free(&r);
    sc.line[0].booked[12] = 0;
    sc.line[0].booked[9] = 2; /* 9:00 and 9:30 */
    sc.line[0].service_mean_s = 3600;
    assert_int_equal(hs_run(&sc, 5, 1, 1, &r), 0);
    /* 9:00 told 0, waits 0; 9:30 told one handling time (60 min: how far the service
     * in progress has got is not known to the estimate), waits 30. */
    assert_int_equal(r.line[0].est_n, 10);
    assert_true(llabs(r.line[0].est_err_sum_ms - 5 * 30 * 60 * 1000LL) < 1000);
    hs_result_free(&r);
}

static void test_validate(void **state)
{
    hs_scenario sc;
    char err[256];
    small_hall(&sc);
    sc.win[0].span[1].from_s = 11 * 3600; /* overlaps the first span */
    assert_int_equal(hs_validate(&sc, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "1号窗口"));
    small_hall(&sc);
    for (int k = 0; k < sc.nwin; k++)
        sc.win[k].skills &= 1;
    sc.win[3].skills = 1;
    assert_int_equal(hs_validate(&sc, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "不动产"));
    small_hall(&sc);
    sc.line[0].service_mean_s = 0;
    assert_int_equal(hs_validate(&sc, err, sizeof(err)), -1);
    small_hall(&sc);
    sc.call_noshow = 1.5;
    assert_int_equal(hs_validate(&sc, err, sizeof(err)), -1);
    hs_result r;
    assert_int_equal(hs_run(&sc, 0, 1, 1, &r), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mmc_vs_erlang_c), cmocka_unit_test(test_impatient_vs_erlang_a),
        cmocka_unit_test(test_determinism),     cmocka_unit_test(test_more_windows_wait_less),
        cmocka_unit_test(test_open_time),       cmocka_unit_test(test_estimate_hours),
        cmocka_unit_test(test_validate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
