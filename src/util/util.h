/*
 * util.h - allocation that aborts on failure, bounded string buffers, small helpers.
 *
 * Allocation failure is not recoverable in a server that must never lose an
 * acknowledged write halfway, so x*alloc print a message and abort (git's xmalloc).
 * ybuf is a growable byte buffer (curl's dynbuf, git's strbuf): the only way code in
 * this project builds strings, so no fixed char[] is ever overrun.
 */
#ifndef YC_UTIL_H
#define YC_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define YC_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a fresh heap string; caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Growable buffer. Always NUL-terminated after any append. Zero-init is valid. */
typedef struct ybuf {
    char *data;
    size_t len;
    size_t cap;
} ybuf;

void ybuf_init(ybuf *b);
void ybuf_release(ybuf *b);
void ybuf_reset(ybuf *b);
void ybuf_add(ybuf *b, const void *p, size_t n);
void ybuf_adds(ybuf *b, const char *s);
void ybuf_addc(ybuf *b, char c);
void ybuf_printf(ybuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ybuf_vprintf(ybuf *b, const char *fmt, va_list ap);
/* Detach the string; the buffer is reset. Caller frees the result. */
char *ybuf_detach(ybuf *b);

/* Bounded copy that always terminates; returns -1 if truncated. */
int ystrlcpy(char *dst, const char *src, size_t size);

/* Lowercase hex of n bytes into out (size >= 2n+1). */
void yhex(const unsigned char *in, size_t n, char *out);

/* Parse a decimal int64 in [min,max] from the whole string; 0 or -1. */
int yparse_i64(const char *s, int64_t min, int64_t max, int64_t *out);

/* Wall clock (UTC) in milliseconds since the epoch. The only place the server reads
 * the clock; core/ takes time as a parameter instead. */
int64_t ytime_now_ms(void);
/* Monotonic clock in nanoseconds, for durations. */
int64_t ytime_mono_ns(void);

/* RFC 3339 in China Standard Time (UTC+8), e.g. 2026-03-02T09:15:00+08:00.
 * out must hold 32 bytes. */
void ytime_rfc3339_cst(int64_t ms, char *out, size_t size);

#endif
