/* slots.c - see slots.h. */
#include "core/slots.h"

#include <stdio.h>
#include <stdlib.h>

#define DAY_MS  (24LL * 3600 * 1000)
#define MIN_MS  (60LL * 1000)
#define CST_OFF (8LL * 3600 * 1000)

static bool serves(const slots_day *d, const slots_window *w, bool lunch)
{
    if (lunch && !w->duty_lunch)
        return false;
    if (d->working)
        return true;
    return d->holiday ? w->duty_holiday : w->duty_weekend;
}

static int serving(const slots_day *d, bool lunch)
{
    int n = 0;
    for (int i = 0; i < d->nwindows; i++)
        n += serves(d, &d->windows[i], lunch);
    return n;
}

static int segment(const slots_day *d, int from, int to, bool lunch, slots_slot *out, int n,
                   int max)
{
    int windows = serving(d, lunch);
    if (!windows)
        return n;
    double per = (double)d->slot_min / d->handle_min * d->book_pct / 100.0;
    for (int t = from; t + d->slot_min <= to && n < max; t += d->slot_min) {
        out[n].start = t;
        out[n].end = t + d->slot_min;
        out[n].windows = windows;
        out[n].capacity = (int)(windows * per + 1e-9);
        n++;
    }
    return n;
}

int slots_for_day(const slots_day *d, slots_slot *out, int max)
{
    const slots_hours *h = &d->hours;
    if (d->slot_min <= 0 || d->handle_min <= 0 || d->book_pct < 0 || max <= 0)
        return 0;
    int n = segment(d, h->am_open, h->am_close, false, out, 0, max);
    if (h->pm_open > h->am_close)
        n = segment(d, h->am_close, h->pm_open, true, out, n, max);
    return segment(d, h->pm_open > h->am_close ? h->pm_open : h->am_close, h->pm_close, false, out,
                   n, max);
}

int slots_parse_hm(const char *s)
{
    if (!s || s[0] < '0' || s[0] > '2' || s[1] < '0' || s[1] > '9' || s[2] != ':' || s[3] < '0' ||
        s[3] > '5' || s[4] < '0' || s[4] > '9' || s[5])
        return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    return h < 24 ? h * 60 + m : -1;
}

void slots_format_hm(int min, char out[6])
{
    if (min < 0 || min >= 24 * 60)
        min = 0;
    snprintf(out, 6, "%02d:%02d", min / 60, min % 60);
}

void slots_reminders(int64_t start_at, int64_t booked_at, int64_t *day_before, int64_t *before30)
{
    /* Midnight (China time) of the slot's day, minus 6 hours = 18:00 the day before. */
    int64_t local = start_at + CST_OFF;
    int64_t midnight = local - ((local % DAY_MS) + DAY_MS) % DAY_MS - CST_OFF;
    int64_t eve = midnight - 6 * 3600 * 1000LL;
    int64_t soon = start_at - 30 * MIN_MS;
    *day_before = eve > booked_at + MIN_MS ? eve : 0;
    *before30 = soon > booked_at + MIN_MS ? soon : 0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int64_t slots_suspended_until(const int64_t *noshows, int n, int64_t now, int limit,
                              int window_days, int suspend_days)
{
    if (limit <= 0 || n < limit)
        return 0;
    int64_t *t = malloc((size_t)n * sizeof(*t));
    if (!t)
        return 0;
    for (int i = 0; i < n; i++)
        t[i] = noshows[i];
    qsort(t, (size_t)n, sizeof(*t), cmp_i64);
    int64_t until = 0;
    for (int i = limit - 1; i < n; i++)
        if (t[i] - t[i - limit + 1] <= window_days * DAY_MS && t[i] <= now &&
            t[i] + suspend_days * DAY_MS > until)
            until = t[i] + suspend_days * DAY_MS;
    free(t);
    return until > now ? until : 0;
}
