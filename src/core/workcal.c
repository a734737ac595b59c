/* workcal.c - see workcal.h.
 *
 * Every input is a bitmap over the days 2004-01-01..2100-12-31 (35429 days, 554 words):
 * national off/work, local off/work and the weekend. The result bitmap `work` is
 * recomputed word by word from them, and rank[w] counts the working days before word w.
 * Counting working days in a range is then two ranks and two popcounts; finding the
 * k-th working day is a binary search over rank and a bit select inside one word.
 * The trade-off: a change to one day costs a pass over rank (554 additions) instead of
 * O(1), which is nothing next to the millions of reads the simulator makes.
 *
 * Names ("春节", "停电闭厅") live in a small interned pool; each side (national, local)
 * keeps a sorted array of (date, name index), searched by bisection.
 */
#include "core/workcal.h"
#include "util/err.h"
#include "util/util.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WC_BASE   12418 /* 2004-01-01 */
#define WC_NDAYS  35429 /* through 2100-12-31 */
#define WC_NWORDS ((WC_NDAYS + 63) / 64)
#define WC_NYEARS (WORKCAL_YEAR_MAX - WORKCAL_YEAR_MIN + 1)

/* ---- Dates (Howard Hinnant's civil calendar algorithms) ---- */

static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

int workcal_date_from_ymd(int y, int m, int d, workcal_date *out)
{
    if (y < WORKCAL_DATE_YEAR_MIN || y > WORKCAL_DATE_YEAR_MAX || m < 1 || m > 12 || d < 1 ||
        d > days_in_month(y, m))
        return YC_EINVAL;
    *out = (workcal_date)days_from_civil(y, m, d);
    return 0;
}

void workcal_ymd(workcal_date date, int *y, int *m, int *d)
{
    int64_t z = (int64_t)date + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t dd = doy - (153 * mp + 2) / 5 + 1;
    int64_t mm = mp < 10 ? mp + 3 : mp - 9;
    int64_t yy = yoe + era * 400 + (mm <= 2);
    if (y)
        *y = (int)yy;
    if (m)
        *m = (int)mm;
    if (d)
        *d = (int)dd;
}

int workcal_weekday(workcal_date date)
{
    /* 1970-01-01 was a Thursday. */
    int r = (int)(((int64_t)date + 3) % 7);
    return (r < 0 ? r + 7 : r) + 1;
}

workcal_date workcal_date_from_ms(int64_t unix_ms)
{
    const int64_t day = 86400000, cst = 8 * 3600000;
    int64_t t = unix_ms + cst;
    int64_t q = t / day;
    if (t % day < 0)
        q--;
    return (workcal_date)q;
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int workcal_parse(const char *s, workcal_date *out)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return YC_EINVAL;
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 0 || m < 0 || d < 0)
        return YC_EINVAL;
    return workcal_date_from_ymd(y, m, d, out);
}

int workcal_format(workcal_date date, char *buf, size_t size)
{
    int y, m, d;
    if (size > 0)
        buf[0] = '\0';
    workcal_ymd(date, &y, &m, &d);
    if (size < WORKCAL_DATE_STRLEN || y < WORKCAL_DATE_YEAR_MIN || y > WORKCAL_DATE_YEAR_MAX)
        return YC_EINVAL;
    snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
    return 0;
}

/* ---- Names ---- */

typedef struct day_name {
    workcal_date date;
    int name; /* index into workcal.names */
} day_name;

typedef struct name_map {
    day_name *items;
    size_t len, cap;
} name_map;

struct workcal {
    uint64_t nat_off[WC_NWORDS], nat_work[WC_NWORDS];
    uint64_t loc_off[WC_NWORDS], loc_work[WC_NWORDS];
    uint64_t weekend[WC_NWORDS];
    uint64_t work[WC_NWORDS + 1]; /* the result; one spare zero word for rank lookups */
    int32_t rank[WC_NWORDS + 1];  /* working days before word w; rank[WC_NWORDS] = all */
    bool loaded[WC_NYEARS];
    name_map nat_names, loc_names;
    char **names; /* interned, never removed: a few dozen distinct names at most */
    size_t nnames;
};

static int intern(workcal *cal, const char *name)
{
    for (size_t i = 0; i < cal->nnames; i++)
        if (strcmp(cal->names[i], name) == 0)
            return (int)i;
    cal->names = xrealloc(cal->names, (cal->nnames + 1) * sizeof(char *));
    cal->names[cal->nnames] = xstrdup(name);
    return (int)cal->nnames++;
}

/* Index of the first entry with date >= d. */
static size_t name_find(const name_map *nm, workcal_date d)
{
    size_t lo = 0, hi = nm->len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (nm->items[mid].date < d)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static const char *name_get(const workcal *cal, const name_map *nm, workcal_date d)
{
    size_t i = name_find(nm, d);
    return i < nm->len && nm->items[i].date == d ? cal->names[nm->items[i].name] : NULL;
}

/* Set (name != NULL) or remove (name == NULL) the name of date d. */
static void name_put(workcal *cal, name_map *nm, workcal_date d, const char *name)
{
    size_t i = name_find(nm, d);
    bool present = i < nm->len && nm->items[i].date == d;
    if (!name || !*name) {
        if (present) {
            memmove(&nm->items[i], &nm->items[i + 1], (nm->len - i - 1) * sizeof(day_name));
            nm->len--;
        }
        return;
    }
    int idx = intern(cal, name);
    if (present) {
        nm->items[i].name = idx;
        return;
    }
    if (nm->len == nm->cap) {
        nm->cap = nm->cap ? nm->cap * 2 : 64;
        nm->items = xrealloc(nm->items, nm->cap * sizeof(day_name));
    }
    memmove(&nm->items[i + 1], &nm->items[i], (nm->len - i) * sizeof(day_name));
    nm->items[i].date = d;
    nm->items[i].name = idx;
    nm->len++;
}

/* ---- Bitmaps ---- */

static bool bit(const uint64_t *words, int i)
{
    return (words[i >> 6] >> (i & 63)) & 1;
}

static void put_bit(uint64_t *words, int i, bool on)
{
    uint64_t mask = (uint64_t)1 << (i & 63);
    if (on)
        words[i >> 6] |= mask;
    else
        words[i >> 6] &= ~mask;
}

static uint64_t valid_mask(int w)
{
    int rest = WC_NDAYS - w * 64;
    return rest >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << rest) - 1;
}

/* Recompute the result word w from the inputs. */
static void compute_word(workcal *cal, int w)
{
    uint64_t national = cal->nat_work[w] | (~cal->nat_off[w] & ~cal->weekend[w]);
    cal->work[w] = (cal->loc_work[w] | (~cal->loc_off[w] & national)) & valid_mask(w);
}

static void recount(workcal *cal, int from_word)
{
    for (int w = from_word; w < WC_NWORDS; w++)
        cal->rank[w + 1] = cal->rank[w] + __builtin_popcountll(cal->work[w]);
}

/* Working days with index < i, for 0 <= i <= WC_NDAYS. */
static int32_t count_before(const workcal *cal, int i)
{
    int w = i >> 6;
    uint64_t below = ((uint64_t)1 << (i & 63)) - 1;
    return cal->rank[w] + __builtin_popcountll(cal->work[w] & below);
}

/* Position of the set bit of rank k (0-based) in x, which has more than k set bits:
 * halve the word six times by popcount instead of clearing up to 63 bits one by one. */
static int select_bit(uint64_t x, int k)
{
    int pos = 0;
    for (int width = 32; width >= 1; width >>= 1) {
        uint64_t low = x & (((uint64_t)1 << width) - 1);
        int c = __builtin_popcountll(low);
        if (k >= c) {
            k -= c;
            x >>= width;
            pos += width;
        } else {
            x = low;
        }
    }
    return pos;
}

/* Index of the working day of rank r (0-based), or -1 if there are not that many.
 * Deadlines are mostly a few weeks out, so the word is searched for by galloping from
 * the word of the start day (hint) rather than bisecting all 554 words. */
static int select_rank(const workcal *cal, int64_t r, int hint)
{
    if (r < 0 || r >= cal->rank[WC_NWORDS])
        return -1;
    /* Find lo <= w <= hi bracketing the last word whose rank is <= r. */
    int lo, hi, step = 1;
    if (cal->rank[hint] <= r) {
        lo = hint;
        hi = hint + 1;
        while (hi < WC_NWORDS && cal->rank[hi] <= r) {
            lo = hi;
            step *= 2;
            hi = lo + step;
        }
        if (hi > WC_NWORDS - 1)
            hi = WC_NWORDS - 1;
    } else {
        hi = hint - 1;
        lo = hint - 1;
        while (lo > 0 && cal->rank[lo] > r) {
            hi = lo - 1;
            step *= 2;
            lo = lo - step > 0 ? lo - step : 0;
        }
    }
    while (lo < hi) {
        int mid = lo + (hi - lo + 1) / 2;
        if (cal->rank[mid] <= r)
            lo = mid;
        else
            hi = mid - 1;
    }
    assert(cal->rank[lo] <= r && r < cal->rank[lo + 1]);
    return lo * 64 + select_bit(cal->work[lo], (int)(r - cal->rank[lo]));
}

static int index_of(workcal_date d)
{
    int64_t i = (int64_t)d - WC_BASE;
    return i >= 0 && i < WC_NDAYS ? (int)i : -1;
}

/* ---- Calendar ---- */

workcal *workcal_new(void)
{
    assert(days_from_civil(WORKCAL_YEAR_MIN, 1, 1) == WC_BASE);
    assert(days_from_civil(WORKCAL_YEAR_MAX + 1, 1, 1) - WC_BASE == WC_NDAYS);
    workcal *cal = xcalloc(1, sizeof(*cal));
    for (int i = 0; i < WC_NDAYS; i++)
        if (workcal_weekday(WC_BASE + i) >= 6)
            put_bit(cal->weekend, i, true);
    for (int w = 0; w < WC_NWORDS; w++)
        compute_word(cal, w);
    recount(cal, 0);
    return cal;
}

static void name_map_copy(name_map *dst, const name_map *src)
{
    dst->len = dst->cap = src->len;
    dst->items = src->len ? xmalloc(src->len * sizeof(day_name)) : NULL;
    if (src->len)
        memcpy(dst->items, src->items, src->len * sizeof(day_name));
}

workcal *workcal_clone(const workcal *cal)
{
    workcal *c = xmalloc(sizeof(*c));
    memcpy(c, cal, sizeof(*c));
    name_map_copy(&c->nat_names, &cal->nat_names);
    name_map_copy(&c->loc_names, &cal->loc_names);
    c->names = cal->nnames ? xmalloc(cal->nnames * sizeof(char *)) : NULL;
    for (size_t i = 0; i < cal->nnames; i++)
        c->names[i] = xstrdup(cal->names[i]);
    return c;
}

void workcal_free(workcal *cal)
{
    if (!cal)
        return;
    free(cal->nat_names.items);
    free(cal->loc_names.items);
    for (size_t i = 0; i < cal->nnames; i++)
        free(cal->names[i]);
    free(cal->names);
    free(cal);
}

static int mark(workcal *cal, bool local, workcal_date date, int kind, const char *name)
{
    if (kind != WORKCAL_CLEAR && kind != WORKCAL_OFF && kind != WORKCAL_WORK)
        return YC_EINVAL;
    int i = index_of(date);
    if (i < 0)
        return YC_ELIMIT;
    put_bit(local ? cal->loc_off : cal->nat_off, i, kind == WORKCAL_OFF);
    put_bit(local ? cal->loc_work : cal->nat_work, i, kind == WORKCAL_WORK);
    name_put(cal, local ? &cal->loc_names : &cal->nat_names, date,
             kind == WORKCAL_CLEAR ? NULL : name);
    compute_word(cal, i >> 6);
    recount(cal, i >> 6);
    return 0;
}

int workcal_set_day(workcal *cal, workcal_date date, int kind, const char *name)
{
    return mark(cal, false, date, kind, name);
}

int workcal_override(workcal *cal, workcal_date date, int kind, const char *name)
{
    return mark(cal, true, date, kind, name);
}

int workcal_clear_year(workcal *cal, int year)
{
    workcal_date first, last;
    if (year < WORKCAL_YEAR_MIN || year > WORKCAL_YEAR_MAX)
        return YC_ELIMIT;
    workcal_date_from_ymd(year, 1, 1, &first);
    workcal_date_from_ymd(year, 12, 31, &last);
    for (workcal_date d = first; d <= last; d++) {
        int i = index_of(d);
        put_bit(cal->nat_off, i, false);
        put_bit(cal->nat_work, i, false);
    }
    size_t a = name_find(&cal->nat_names, first), b = name_find(&cal->nat_names, last + 1);
    if (b > a) {
        memmove(&cal->nat_names.items[a], &cal->nat_names.items[b],
                (cal->nat_names.len - b) * sizeof(day_name));
        cal->nat_names.len -= b - a;
    }
    for (int w = index_of(first) >> 6; w <= index_of(last) >> 6; w++)
        compute_word(cal, w);
    recount(cal, index_of(first) >> 6);
    cal->loaded[year - WORKCAL_YEAR_MIN] = false;
    return 0;
}

bool workcal_year_loaded(const workcal *cal, int year)
{
    return year >= WORKCAL_YEAR_MIN && year <= WORKCAL_YEAR_MAX &&
           cal->loaded[year - WORKCAL_YEAR_MIN];
}

int workcal_mark_loaded(workcal *cal, int year)
{
    if (year < WORKCAL_YEAR_MIN || year > WORKCAL_YEAR_MAX)
        return YC_ELIMIT;
    cal->loaded[year - WORKCAL_YEAR_MIN] = true;
    return 0;
}

int workcal_last_loaded_year(const workcal *cal)
{
    for (int y = WORKCAL_YEAR_MAX; y >= WORKCAL_YEAR_MIN; y--)
        if (cal->loaded[y - WORKCAL_YEAR_MIN])
            return y;
    return 0;
}

bool workcal_is_working_day(const workcal *cal, workcal_date date)
{
    int i = index_of(date);
    if (i < 0)
        return workcal_weekday(date) <= 5;
    return bit(cal->work, i);
}

int workcal_day_info(const workcal *cal, workcal_date date, workcal_day *out)
{
    int i = index_of(date);
    out->working = workcal_weekday(date) <= 5;
    out->source = WORKCAL_SRC_WEEK;
    out->name = NULL;
    if (i < 0)
        return YC_ELIMIT;
    out->working = bit(cal->work, i);
    if (bit(cal->loc_off, i) || bit(cal->loc_work, i)) {
        out->source = WORKCAL_SRC_LOCAL;
        out->name = name_get(cal, &cal->loc_names, date);
    } else if (bit(cal->nat_off, i) || bit(cal->nat_work, i)) {
        out->source = WORKCAL_SRC_NATIONAL;
        out->name = name_get(cal, &cal->nat_names, date);
    }
    return 0;
}

/* *out = the day of rank r, or YC_ELIMIT when it is off the calendar. near: a day
 * index close to the answer, to start the search from. */
static int day_of_rank(const workcal *cal, int64_t r, int near, workcal_date *out)
{
    int i = select_rank(cal, r, near >> 6);
    if (i < 0)
        return YC_ELIMIT;
    *out = WC_BASE + i;
    return 0;
}

int workcal_add_working_days(const workcal *cal, workcal_date start, int n, workcal_date *out)
{
    int i = index_of(start);
    if (i < 0)
        return YC_ELIMIT;
    if (n == 0) {
        if (bit(cal->work, i)) {
            *out = start;
            return 0;
        }
        return day_of_rank(cal, count_before(cal, i), i, out);
    }
    if (n > 0)
        return day_of_rank(cal, (int64_t)count_before(cal, i + 1) + n - 1, i, out);
    return day_of_rank(cal, (int64_t)count_before(cal, i) + n, i, out);
}

int workcal_working_days_between(const workcal *cal, workcal_date a, workcal_date b, int *out)
{
    int ia = index_of(a), ib = index_of(b);
    if (ia < 0 || ib < 0)
        return YC_ELIMIT;
    *out = count_before(cal, ib + 1) - count_before(cal, ia + 1);
    return 0;
}

int workcal_add_natural_days(const workcal *cal, workcal_date start, int n, workcal_date *out)
{
    if (index_of(start) < 0)
        return YC_ELIMIT;
    int64_t target = (int64_t)start + n;
    if (target < WC_BASE || target >= WC_BASE + WC_NDAYS)
        return YC_ELIMIT;
    int i = (int)(target - WC_BASE);
    if (bit(cal->work, i)) {
        *out = (workcal_date)target;
        return 0;
    }
    int64_t before = count_before(cal, i);
    return day_of_rank(cal, n >= 0 ? before : before - 1, i, out);
}

int64_t workcal_natural_days_between(workcal_date a, workcal_date b)
{
    return (int64_t)b - a;
}
