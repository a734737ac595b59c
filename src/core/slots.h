/*
 * slots.h - appointment slots (预约时段): which slots a line offers on a day and how
 * many bookings each may take, when reminders go out, and the no-show rule. Pure: the
 * caller supplies the day's calendar facts, opening hours, windows and the clock.
 *
 * Capacity of a slot = floor(windows serving then x slot minutes / typical handling
 * minutes x book_pct / 100): the windows scheduled in that slot could serve that many
 * applicants, and book_pct of them are offered for booking, the rest stay for
 * walk-ins. Which windows serve: on a working day all of the line's windows in the
 * morning and afternoon, and only lunch-duty windows (午间值守) between; on a weekend
 * only weekend-duty windows, on a holiday only holiday-duty windows (延时/错时服务).
 */
#ifndef YC_SLOTS_H
#define YC_SLOTS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct slots_hours {
    int am_open, am_close, pm_open, pm_close; /* minutes after midnight, China time */
} slots_hours;

typedef struct slots_window {
    bool duty_lunch, duty_weekend, duty_holiday;
} slots_window;

typedef struct slots_day {
    bool working; /* a working day by the calendar (调休 Saturdays included) */
    bool holiday; /* a day off by the national list or a local override, not a plain weekend */
    slots_hours hours;
    const slots_window *windows;
    int nwindows;
    int slot_min;      /* 10..240 */
    double handle_min; /* typical handling time of the line, > 0 */
    int book_pct;      /* 0..100 */
} slots_day;

typedef struct slots_slot {
    int start, end; /* minutes after midnight */
    int windows;    /* windows serving during the slot */
    int capacity;   /* bookings the slot may take */
} slots_slot;

#define SLOTS_MAX 96

/* The slots of a day in time order (those with capacity 0 included, so a page can show
 * them as full), at most max. Returns how many. */
int slots_for_day(const slots_day *d, slots_slot *out, int max);

/* Parse "HH:MM" into minutes after midnight; -1 when malformed. */
int slots_parse_hm(const char *s);
/* Format minutes after midnight as "HH:MM". */
void slots_format_hm(int min, char out[6]);

/* When the reminders of a booking made at booked_at for a slot starting at start_at go
 * out: the day before at 18:00 China time, and 30 minutes before the start. A time
 * that is not after booked_at (plus one minute) is 0: that reminder is skipped. */
void slots_reminders(int64_t start_at, int64_t booked_at, int64_t *day_before, int64_t *before30);

/* The no-show rule: given the instants of a person's no-shows (any order), the end of
 * the booking suspension in force at now, or 0. limit no-shows within window_days
 * suspend booking for suspend_days from the last of them. */
int64_t slots_suspended_until(const int64_t *noshows, int n, int64_t now, int limit,
                              int window_days, int suspend_days);

#endif
