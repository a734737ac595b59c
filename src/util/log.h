/*
 * log.h - structured JSON log lines on stderr (or a file).
 *
 * One JSON object per line so that log shippers need no parser of their own. Every
 * string passed through ylog_* is run through mask_text() first: an ID number or a
 * mobile number never reaches a log in clear.
 */
#ifndef YC_LOG_H
#define YC_LOG_H

#include <stdio.h>

typedef enum { YLOG_DEBUG, YLOG_INFO, YLOG_WARN, YLOG_ERROR } ylog_level;

void ylog_set_level(ylog_level lvl);
/* Send log lines to f (default stderr). Not thread-safe; call at start-up. */
void ylog_set_file(FILE *f);
void ylog(ylog_level lvl, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Write one pre-built JSON object as a line (the access log). */
void ylog_json_line(const char *json);

#define ylog_info(ev, ...)  ylog(YLOG_INFO, ev, __VA_ARGS__)
#define ylog_warn(ev, ...)  ylog(YLOG_WARN, ev, __VA_ARGS__)
#define ylog_error(ev, ...) ylog(YLOG_ERROR, ev, __VA_ARGS__)

#endif
