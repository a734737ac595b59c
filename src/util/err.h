/*
 * err.h - the one error path.
 *
 * Functions return 0 on success or a negative YC_E* code. When a failure must reach a
 * person or an HTTP client, the callee also fills a yc_err: HTTP status, a stable
 * UPPER_SNAKE code for machines, a Chinese sentence for people, and the input field at
 * fault. The API layer turns a yc_err into {"code","message","field"} unchanged.
 */
#ifndef YC_ERR_H
#define YC_ERR_H

#include <stddef.h>

enum {
    YC_OK = 0,
    YC_EINVAL = -1,    /* bad input */
    YC_ENOTFOUND = -2, /* no such object */
    YC_ECONFLICT = -3, /* unique or state conflict */
    YC_EPERM = -4,     /* not allowed */
    YC_EAUTH = -5,     /* not authenticated */
    YC_EDB = -6,       /* database failure */
    YC_EIO = -7,       /* file or network failure */
    YC_ELIMIT = -8,    /* throttled or too large */
};

typedef struct yc_err {
    int status;        /* HTTP status to answer with */
    const char *code;  /* stable machine code, static string */
    char message[512]; /* Chinese, for people */
    char field[128];   /* input field at fault, or "" */
} yc_err;

void yc_err_clear(yc_err *e);
/* Fill e (if not NULL) and return rc, so callers write `return yc_fail(...)`. */
int yc_fail(yc_err *e, int rc, int status, const char *code, const char *field, const char *fmt,
            ...) __attribute__((format(printf, 6, 7)));

#endif
