/* util.c - see util.h. */
#include "util/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void die_oom(size_t n)
{
    fprintf(stderr, "yichuang: out of memory allocating %zu bytes\n", n);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die_oom(n);
    return p;
}

void *xcalloc(size_t count, size_t n)
{
    void *p = calloc(count ? count : 1, n ? n : 1);
    if (!p)
        die_oom(count * n);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        die_oom(n);
    return q;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *xasprintf(const char *fmt, ...)
{
    ybuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    ybuf_vprintf(&b, fmt, ap);
    va_end(ap);
    return ybuf_detach(&b);
}

void ybuf_init(ybuf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void ybuf_release(ybuf *b)
{
    free(b->data);
    ybuf_init(b);
}

void ybuf_reset(ybuf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static void ybuf_grow(ybuf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
}

void ybuf_add(ybuf *b, const void *p, size_t n)
{
    ybuf_grow(b, n);
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void ybuf_adds(ybuf *b, const char *s)
{
    ybuf_add(b, s, strlen(s));
}

void ybuf_addc(ybuf *b, char c)
{
    ybuf_add(b, &c, 1);
}

void ybuf_vprintf(ybuf *b, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return;
    ybuf_grow(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void ybuf_printf(ybuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ybuf_vprintf(b, fmt, ap);
    va_end(ap);
}

char *ybuf_detach(ybuf *b)
{
    char *s = b->data ? b->data : xstrdup("");
    ybuf_init(b);
    return s;
}

int ystrlcpy(char *dst, const char *src, size_t size)
{
    if (size == 0)
        return -1;
    size_t n = strlen(src);
    int rc = 0;
    if (n >= size) {
        n = size - 1;
        rc = -1;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
    return rc;
}

void yhex(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

int yparse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
    if (!s || !*s)
        return -1;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return -1;
    if (!(s[0] >= '0' && s[0] <= '9') && s[0] != '-')
        return -1;
    *out = v;
    return 0;
}

int64_t ytime_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t ytime_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void ytime_rfc3339_cst(int64_t ms, char *out, size_t size)
{
    /* China Standard Time has had no daylight saving since 1991: a fixed +8h offset
     * is exact for every date the product handles, whatever the server's TZ is. */
    time_t t = (time_t)(ms / 1000) + 8 * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}
