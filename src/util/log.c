/* log.c - see log.h. */
#include "util/log.h"
#include "core/mask.h"
#include "util/util.h"

#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>

static ylog_level g_level = YLOG_INFO;
static FILE *g_file;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

void ylog_set_level(ylog_level lvl)
{
    g_level = lvl;
}

void ylog_set_file(FILE *f)
{
    g_file = f;
}

void ylog_json_line(const char *json)
{
    FILE *f = g_file ? g_file : stderr;
    pthread_mutex_lock(&g_lock);
    fputs(json, f);
    fputc('\n', f);
    fflush(f);
    pthread_mutex_unlock(&g_lock);
}

void ylog(ylog_level lvl, const char *event, const char *fmt, ...)
{
    static const char *names[] = {"debug", "info", "warn", "error"};
    if (lvl < g_level)
        return;
    ybuf msg = {0};
    va_list ap;
    va_start(ap, fmt);
    ybuf_vprintf(&msg, fmt, ap);
    va_end(ap);
    char *masked = mask_text(msg.data ? msg.data : "");
    char ts[40];
    ytime_rfc3339_cst(ytime_now_ms(), ts, sizeof(ts));
    json_t *o = json_pack("{s:s,s:s,s:s,s:s}", "ts", ts, "level", names[lvl], "event", event, "msg",
                          masked);
    char *line = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    if (line)
        ylog_json_line(line);
    free(line);
    json_decref(o);
    free(masked);
    ybuf_release(&msg);
}
