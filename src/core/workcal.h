/*
 * workcal.h - dates in China Standard Time and the working-day calendar (工作日历).
 *
 * DOMAIN.md §5: count from the day after the start day; skip weekends and national
 * holidays; count 调休 makeup Saturdays/Sundays as working days; a deadline that falls
 * on a non-working day moves to the next working day. The holiday calendar is data
 * (a national list per year plus per-center local overrides), never code: this module
 * holds no holiday at all. workcal_json.h loads the national data; share/holidays/cn.json
 * is the shipped copy.
 *
 * A date is a count of days since 1970-01-01 (day 0) on the CST calendar; it carries no
 * time of day and no zone, so "today" is workcal_date_from_ms(now) and nothing here
 * reads a clock.
 *
 * How a day is decided, first rule that applies wins:
 *   1. a local override (本中心临时闭厅 = off, 加班值守/延时服务日 = working);
 *   2. the national list (法定节假日 and 调休休息日 = off, 调休上班日 = working);
 *   3. the week: Monday to Friday working, Saturday and Sunday off.
 *
 * Calendar data covers WORKCAL_YEAR_MIN..WORKCAL_YEAR_MAX. The counting functions
 * return YC_ELIMIT for a date or result outside it rather than guess. Inside it, a year
 * whose national list was never loaded silently follows the week rule; callers that
 * care (deadlines beyond the last published year) ask workcal_year_loaded().
 *
 * Cost: one bit per day for each of the five inputs and for the result, plus a running
 * count per 64 days (about 30 KB a calendar), so is_working_day and
 * working_days_between are O(1) and add_working_days is O(log days) - the simulator
 * calls them millions of times. A change to one day recounts the running counts (a
 * few hundred additions). Readers take a const calendar and may share it between
 * threads; a change needs exclusive access (build a copy with workcal_clone, change
 * it, swap the pointer).
 */
#ifndef YC_WORKCAL_H
#define YC_WORKCAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Days since 1970-01-01, China Standard Time. */
typedef int32_t workcal_date;

/* Years the date helpers accept (four-digit years). */
#define WORKCAL_DATE_YEAR_MIN 1
#define WORKCAL_DATE_YEAR_MAX 9999
/* Years a calendar can hold data for and count across. */
#define WORKCAL_YEAR_MIN 2004
#define WORKCAL_YEAR_MAX 2100
/* "YYYY-MM-DD" plus the terminating NUL. */
#define WORKCAL_DATE_STRLEN 11

/* ---- Dates ---- */

/* 0 and *out = the date, or YC_EINVAL if y/m/d is not a real calendar date in
 * WORKCAL_DATE_YEAR_MIN..MAX (proleptic Gregorian: 2000 and 2024 are leap years, 1900
 * and 2100 are not). */
int workcal_date_from_ymd(int y, int m, int d, workcal_date *out);
/* Year, month (1-12) and day (1-31) of a date; any pointer may be NULL. */
void workcal_ymd(workcal_date date, int *y, int *m, int *d);
/* 1 = Monday ... 7 = Sunday. */
int workcal_weekday(workcal_date date);
/* The CST date of an instant given in milliseconds since the Unix epoch (UTC). */
workcal_date workcal_date_from_ms(int64_t unix_ms);
/* Strict "YYYY-MM-DD": exactly ten characters, zero-padded, a real date. 0 or
 * YC_EINVAL (s may be NULL). No spaces, no time part, no other separators. */
int workcal_parse(const char *s, workcal_date *out);
/* Writes "YYYY-MM-DD" into buf (size >= WORKCAL_DATE_STRLEN). 0, or YC_EINVAL if buf
 * is too small or the year is outside WORKCAL_DATE_YEAR_MIN..MAX (buf then holds ""
 * when size > 0). */
int workcal_format(workcal_date date, char *buf, size_t size);

/* ---- The calendar ---- */

typedef struct workcal workcal;

/* How a day is marked in the national list or a local override. */
enum workcal_kind {
    WORKCAL_CLEAR = 0, /* remove the mark: the next rule decides */
    WORKCAL_OFF = 1,   /* a day off (休息日) */
    WORKCAL_WORK = 2,  /* a working day (上班日) */
};

/* Which rule decided a day. */
enum workcal_source {
    WORKCAL_SRC_WEEK = 0,     /* Monday-Friday / Saturday-Sunday */
    WORKCAL_SRC_NATIONAL = 1, /* the national list */
    WORKCAL_SRC_LOCAL = 2,    /* a local override */
};

typedef struct workcal_day {
    bool working;
    int source;       /* enum workcal_source */
    const char *name; /* e.g. "春节" for a listed day, else NULL; owned by the calendar,
                         valid until it next changes */
} workcal_day;

/* An empty calendar: every day follows the week rule. Never NULL (allocation aborts). */
workcal *workcal_new(void);
/* A deep copy (national list, overrides, names, loaded years). */
workcal *workcal_clone(const workcal *cal);
void workcal_free(workcal *cal);

/* National list: mark date as WORKCAL_OFF or WORKCAL_WORK, or WORKCAL_CLEAR it. name (may
 * be NULL) is copied and shown by workcal_day_info. 0; YC_EINVAL for another kind;
 * YC_ELIMIT if date is outside WORKCAL_YEAR_MIN..MAX. */
int workcal_set_day(workcal *cal, workcal_date date, int kind, const char *name);
/* Local override for this center, same contract; it wins over the national list. */
int workcal_override(workcal *cal, workcal_date date, int kind, const char *name);
/* Remove the national marks of one year and its loaded flag (local overrides stay).
 * 0 or YC_ELIMIT. */
int workcal_clear_year(workcal *cal, int year);
/* Whether a year's national list has been loaded (workcal_json marks the years it
 * imports; code that builds a list by hand calls workcal_mark_loaded). */
bool workcal_year_loaded(const workcal *cal, int year);
int workcal_mark_loaded(workcal *cal, int year);
/* The last year with a loaded national list, or 0 if none. */
int workcal_last_loaded_year(const workcal *cal);

/* Whether date is a working day. Outside WORKCAL_YEAR_MIN..MAX only the week rule
 * applies (no data can exist there). */
bool workcal_is_working_day(const workcal *cal, workcal_date date);
/* The decision for one day and why. 0, or YC_ELIMIT outside the calendar's years (out is
 * then filled by the week rule). */
int workcal_day_info(const workcal *cal, workcal_date date, workcal_day *out);

/* Working days after start (期限 in 工作日). The start day itself is never counted:
 *   n >= 1: the n-th working day after start, so the result is a working day and
 *           workcal_working_days_between(start, result) == n;
 *   n == 0: start if it is a working day, else the next working day (a deadline of
 *           "today" on a day off moves to the next working day); the identity above
 *           then gives 0 or, for a start on a day off, 1;
 *   n < 0:  the |n|-th working day before start (filing "15 working days ahead");
 *           when start is a working day, working_days_between(result, start) == -n.
 * 0 and *out, or YC_ELIMIT if start or the result is outside WORKCAL_YEAR_MIN..MAX
 * (every n is accepted; a huge one simply runs off the calendar). */
int workcal_add_working_days(const workcal *cal, workcal_date start, int n, workcal_date *out);
/* The number of working days d with a < d <= b, negated when b < a (0 when equal).
 * 0 and *out, or YC_ELIMIT if a or b is outside WORKCAL_YEAR_MIN..MAX. */
int workcal_working_days_between(const workcal *cal, workcal_date a, workcal_date b, int *out);

/* Natural days (期限 in 日): start + n; if that is not a working day the deadline moves
 * to the next working day (n >= 0), or for n < 0 to the previous working day, so a
 * "no later than" date never lands after the natural one. 0 and *out, or YC_ELIMIT
 * outside the calendar's years. */
int workcal_add_natural_days(const workcal *cal, workcal_date start, int n, workcal_date *out);
/* The number of days d with a < d <= b (b - a; negative when b < a). */
int64_t workcal_natural_days_between(workcal_date a, workcal_date b);

#endif
