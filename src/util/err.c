/* err.c - see err.h. */
#include "util/err.h"
#include "util/util.h"

#include <stdarg.h>
#include <stdio.h>

void yc_err_clear(yc_err *e)
{
    e->status = 0;
    e->code = NULL;
    e->message[0] = '\0';
    e->field[0] = '\0';
}

int yc_fail(yc_err *e, int rc, int status, const char *code, const char *field, const char *fmt,
            ...)
{
    if (!e)
        return rc;
    e->status = status;
    e->code = code;
    ystrlcpy(e->field, field ? field : "", sizeof(e->field));
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof(e->message), fmt, ap);
    va_end(ap);
    return rc;
}
