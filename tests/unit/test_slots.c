/* Unit tests: core/slots. Slot capacity from windows and handling time, lunch, weekend
 * and holiday duty windows, reminder times around China midnight, and the no-show
 * suspension rule at its edges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/slots.h"

#define MIN_MS (60LL * 1000)
#define DAY_MS (24LL * 3600 * 1000)

static const slots_window WINS[] = {
    {.duty_lunch = true, .duty_weekend = false, .duty_holiday = false},
    {.duty_lunch = false, .duty_weekend = true, .duty_holiday = false},
    {.duty_lunch = false, .duty_weekend = false, .duty_holiday = false},
};

static slots_day base(void)
{
    slots_day d = {.working = true,
                   .hours = {9 * 60, 12 * 60, 13 * 60 + 30, 17 * 60},
                   .windows = WINS,
                   .nwindows = 3,
                   .slot_min = 30,
                   .handle_min = 10,
                   .book_pct = 50};
    return d;
}

static void test_working_day(void **state)
{
    (void)state;
    slots_day d = base();
    slots_slot s[SLOTS_MAX];
    int n = slots_for_day(&d, s, SLOTS_MAX);
    /* 09:00-12:00 six slots, lunch 12:00-13:30 three, 13:30-17:00 seven. */
    assert_int_equal(n, 16);
    assert_int_equal(s[0].start, 540);
    assert_int_equal(s[0].windows, 3);
    /* 3 windows x 30 min / 10 min = 9 served, half for booking: 4 (floor of 4.5). */
    assert_int_equal(s[0].capacity, 4);
    /* Lunch: only the lunch-duty window, 3 x 0.5 = 1 (floor of 1.5). */
    assert_int_equal(s[6].start, 720);
    assert_int_equal(s[6].windows, 1);
    assert_int_equal(s[6].capacity, 1);
    assert_int_equal(s[9].start, 810);
    assert_int_equal(s[15].end, 1020);
    /* A slot that does not fit before closing is not offered. */
    d.hours.pm_close = 17 * 60 + 20;
    assert_int_equal(slots_for_day(&d, s, SLOTS_MAX), 16);
    /* Capacity follows handling time and the booking share exactly. */
    d.handle_min = 30;
    d.book_pct = 100;
    slots_for_day(&d, s, SLOTS_MAX);
    assert_int_equal(s[0].capacity, 3);
    d.book_pct = 0;
    slots_for_day(&d, s, SLOTS_MAX);
    assert_int_equal(s[0].capacity, 0);
    /* No lunch break: the afternoon runs on from noon with every window. */
    d = base();
    d.hours.pm_open = d.hours.am_close;
    assert_int_equal(slots_for_day(&d, s, SLOTS_MAX), 16);
    assert_int_equal(s[6].windows, 3);
    /* Output bounded by max. */
    assert_int_equal(slots_for_day(&d, s, 4), 4);
}

static void test_days_off(void **state)
{
    (void)state;
    slots_day d = base();
    slots_slot s[SLOTS_MAX];
    d.working = false; /* a weekend: only the weekend-duty window, no lunch cover */
    int n = slots_for_day(&d, s, SLOTS_MAX);
    assert_int_equal(n, 13);
    assert_int_equal(s[0].windows, 1);
    assert_int_equal(s[0].capacity, 1);
    d.holiday = true; /* a holiday: nobody on holiday duty, no slots */
    assert_int_equal(slots_for_day(&d, s, SLOTS_MAX), 0);
    d.nwindows = 0;
    d.working = true;
    assert_int_equal(slots_for_day(&d, s, SLOTS_MAX), 0);
}

static void test_hm(void **state)
{
    (void)state;
    assert_int_equal(slots_parse_hm("09:30"), 570);
    assert_int_equal(slots_parse_hm("23:59"), 1439);
    assert_int_equal(slots_parse_hm("24:00"), -1);
    assert_int_equal(slots_parse_hm("9:30"), -1);
    assert_int_equal(slots_parse_hm("09:60"), -1);
    assert_int_equal(slots_parse_hm("09:300"), -1);
    assert_int_equal(slots_parse_hm(NULL), -1);
    char b[6];
    slots_format_hm(570, b);
    assert_string_equal(b, "09:30");
}

static void test_reminders(void **state)
{
    (void)state;
    /* 2026-12-03 09:00 China time = 2026-12-03T01:00Z = 1796259600000 ms. */
    int64_t start = 1796259600000LL;
    int64_t eve, soon;
    slots_reminders(start, start - 3 * DAY_MS, &eve, &soon);
    /* 18:00 China time on 12-02 = 10:00Z on 12-02. */
    assert_true(eve == start - 15 * 3600 * 1000LL);
    assert_true(soon == start - 30 * MIN_MS);
    /* Booked at 18:30 the evening before: no day-before reminder, still the 30-minute one. */
    slots_reminders(start, start - 14 * 3600 * 1000LL - 30 * MIN_MS, &eve, &soon);
    assert_true(eve == 0);
    assert_true(soon == start - 30 * MIN_MS);
    /* Booked 20 minutes before: neither. */
    slots_reminders(start, start - 20 * MIN_MS, &eve, &soon);
    assert_true(eve == 0 && soon == 0);
    /* A slot at 00:30 China time (16:30Z the day before) still gets 18:00 the day before. */
    int64_t late = start - 8 * 3600 * 1000LL - 30 * MIN_MS;
    slots_reminders(late, late - 5 * DAY_MS, &eve, &soon);
    assert_true(eve == late - 6 * 3600 * 1000LL - 30 * MIN_MS);
}

static void test_noshow_rule(void **state)
{
    (void)state;
    int64_t now = 100 * DAY_MS;
    int64_t t[4] = {now - 1 * DAY_MS, now - 20 * DAY_MS, now - 10 * DAY_MS, now - 90 * DAY_MS};
    /* Three within 30 days: suspended 30 days from the last one. */
    assert_true(slots_suspended_until(t, 4, now, 3, 30, 30) == now + 29 * DAY_MS);
    /* Two are not enough. */
    assert_true(slots_suspended_until(t, 2, now, 3, 30, 30) == 0);
    /* Three spread over more than 30 days do not count. */
    int64_t spread[3] = {now - 1 * DAY_MS, now - 20 * DAY_MS, now - 40 * DAY_MS};
    assert_true(slots_suspended_until(spread, 3, now, 3, 30, 30) == 0);
    /* A suspension that has run out is over. */
    int64_t old[3] = {now - 31 * DAY_MS, now - 32 * DAY_MS, now - 33 * DAY_MS};
    assert_true(slots_suspended_until(old, 3, now, 3, 30, 30) == 0);
    /* Limit 0 switches the rule off. */
    assert_true(slots_suspended_until(t, 4, now, 0, 30, 30) == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_working_day), cmocka_unit_test(test_days_off),
        cmocka_unit_test(test_hm),          cmocka_unit_test(test_reminders),
        cmocka_unit_test(test_noshow_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
