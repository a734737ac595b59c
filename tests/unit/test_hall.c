/* Unit tests of the hall service's pure parts: the China-time service day, the policy
 * configuration made from a center's settings, and stored tickets as the queue policy
 * sees them (the server picks with the same qp_pick the simulator runs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "service/hall.h"
#include "service/hall_internal.h"

static void test_service_day_cst(void **state)
{
    char day[11];
    /* 2026-03-01T15:59:59Z is 23:59:59 in Beijing; one second later it is the 2nd. */
    hall_service_day(1772380799000LL, day);
    assert_string_equal(day, "2026-03-01");
    hall_service_day(1772380800000LL, day);
    assert_string_equal(day, "2026-03-02");
    hall_service_day(0, day);
    assert_string_equal(day, "1970-01-01");
}

static void test_policy_from_settings(void **state)
{
    hall_settings s = {.pattern = "5:0:1",
                       .aging_s = 120,
                       .max_wait_s = 900,
                       .rejoin_within_s = 600,
                       .recall_limit = 3};
    qp_config c;
    hall_policy_config(&s, &c);
    assert_int_equal(c.weight[QP_GREEN], 5);
    assert_int_equal(c.weight[QP_APPT], 0);
    assert_int_equal(c.weight[QP_NORMAL], 1);
    assert_int_equal(c.aging_ms, 120000);
    assert_int_equal(c.max_wait_ms, 900000);
    assert_int_equal(c.recall_limit, 3);
    assert_int_equal(c.rejoin_limit, 1);
    assert_int_equal(c.rejoin_within_ms, 600000);
    /* Rejoining goes to the back: the new place is now, whatever the first place. */
    qp_ticket t = {.arrived_ms = 1000, .state = QP_GONE, .noshows = 1, .only_window = -1};
    assert_int_equal(qp_rejoin(&c, &t, 5000, 9000), 0);
    assert_int_equal(t.arrived_ms, 9000);
    qp_noshow(&t);
    assert_int_equal(qp_rejoin(&c, &t, 10000, 11000), -1); /* only once */

    yc_err e;
    hall_settings bad = s;
    memcpy(bad.pattern, "0:0:0", 6);
    assert_int_equal(hall_settings_check(&bad, &e), YC_EINVAL);
    assert_string_equal(e.field, "pattern");
    assert_int_equal(hall_settings_check(&s, &e), 0);
}

static void test_rows_to_policy(void **state)
{
    hall_qrow rows[3] = {
        {.id = 7, .queued_at = 100, .prefix = 'A', .priority = "normal", .status = "waiting"},
        {.id = 8, .queued_at = 200, .prefix = 'A', .priority = "green", .status = "transferred"},
        {.id = 9,
         .queued_at = 50,
         .prefix = 'C',
         .priority = "green",
         .status = "waiting",
         .only_window_id = 4},
    };
    qp_ticket t[3];
    for (int i = 0; i < 3; i++)
        hall_qrow_to_qp(&rows[i], &t[i]);
    assert_int_equal(t[0].line, 0);
    assert_int_equal(t[2].line, 2);
    assert_int_equal(t[1].cls, QP_GREEN);
    assert_int_equal(t[1].state, QP_WAITING);
    assert_int_equal(t[2].only_window, 4);
    assert_int_equal(t[0].only_window, -1);
    qp_config c;
    hall_settings s = {.pattern = "3:2:1",
                       .aging_s = 600,
                       .max_wait_s = 3600,
                       .rejoin_within_s = 1800,
                       .recall_limit = 3};
    hall_policy_config(&s, &c);
    qp_rr rr = {0};
    /* Window 1 serves line A only: the green A ticket first; line C is not its. */
    qp_window w = {.id = 1, .skills = 1u << 0};
    assert_int_equal(qp_pick(&c, &w, &rr, t, 3, 300), 1);
    /* Window 4 serves A and C: the ticket sent to it (earliest green) first. */
    qp_window w4 = {.id = 4, .skills = (1u << 0) | (1u << 2)};
    qp_rr rr4 = {0};
    assert_int_equal(qp_pick(&c, &w4, &rr4, t, 3, 300), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_service_day_cst),
        cmocka_unit_test(test_policy_from_settings),
        cmocka_unit_test(test_rows_to_policy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
