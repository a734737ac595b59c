/*
 * staffing.c - see staffing.h.
 */
#include "core/staffing.h"
#include "core/erlang.h"

#include <math.h>
#include <string.h>

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int staffing_day_start(const char *day, int64_t *ms, int *weekday)
{
    if (!day || strlen(day) != 10 || day[4] != '-' || day[7] != '-')
        return -1;
    int v[8], k = 0;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7)
            continue;
        if (day[i] < '0' || day[i] > '9')
            return -1;
        v[k++] = day[i] - '0';
    }
    int y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3], m = v[4] * 10 + v[5], d = v[6] * 10 + v[7];
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
        return -1;
    int64_t days = days_from_civil(y, m, d);
    *ms = (days * 86400 - 8 * 3600) * 1000;
    /* 1970-01-01 was a Thursday (4). */
    *weekday = (int)((days + 3) % 7) + 1;
    return 0;
}

int staffing_hour_eval(staffing_hour *h, const staffing_target *t)
{
    if (!h || !t || h->arrivals < 0 || !(h->handle_s > 0) || !(h->open >= 0) ||
        !(t->target > 0 && t->target < 1) || !(t->wait_s > 0) || !(t->patience_s >= 0) ||
        t->max_n < 1)
        return -1;
    double a = h->arrivals * h->handle_s / 3600.0;
    int open = (int)floor(h->open + 1e-9);
    h->load = a;
    if (h->arrivals == 0) {
        h->needed = 0;
        h->service_level = 1;
        h->shortfall = false;
        return 0;
    }
    if (t->patience_s > 0) {
        h->needed = erlang_a_agents(a, h->handle_s, t->patience_s, t->wait_s, t->target, t->max_n);
        erlang_a_result r;
        if (open > 0 && erlang_a(open, a, h->handle_s, t->patience_s, t->wait_s, &r) == 0)
            h->service_level = r.service_level;
        else
            h->service_level = 0;
    } else {
        h->needed = erlang_c_agents(a, h->handle_s, t->wait_s, t->target, 1, t->max_n);
        h->service_level = open > 0 ? erlang_c_service_level(open, a, h->handle_s, t->wait_s) : 0;
    }
    h->shortfall = h->needed < 0 || h->open + 1e-9 < h->needed;
    return 0;
}

void staffing_balance_of(const double *v, int n, staffing_balance *out)
{
    *out = (staffing_balance){.n = n < 0 ? 0 : n, .max_min = -1};
    if (n <= 0)
        return;
    double sum = 0, mx = v[0], mn = v[0];
    for (int i = 0; i < n; i++) {
        sum += v[i];
        mx = v[i] > mx ? v[i] : mx;
        mn = v[i] < mn ? v[i] : mn;
    }
    double mean = sum / n, ss = 0;
    for (int i = 0; i < n; i++)
        ss += (v[i] - mean) * (v[i] - mean);
    out->mean = mean;
    out->max = mx;
    out->min = mn;
    out->cv = mean > 0 ? sqrt(ss / n) / mean : 0;
    out->max_min = mn > 0 ? mx / mn : -1;
    out->level = n < 2 ? 0 : out->cv < 0.15 ? 0 : out->cv < 0.35 ? 1 : 2;
}

const char *staffing_level_code(int level)
{
    return level <= 0 ? "balanced" : level == 1 ? "uneven" : "very_uneven";
}
