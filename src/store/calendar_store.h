/*
 * calendar_store.h - SQL for national holiday data and local calendar overrides.
 * Dates are 'YYYY-MM-DD' strings (China Standard Time), which sort and compare as
 * dates in every engine.
 */
#ifndef YC_CALENDAR_STORE_H
#define YC_CALENDAR_STORE_H

#include "store/db.h"

#include <jansson.h>
#include <stdbool.h>

int calstore_each_year(db_conn *c, void (*fn)(void *arg, int year), void *arg);
int calstore_each_day(db_conn *c,
                      void (*fn)(void *arg, const char *date, bool is_off, const char *name),
                      void *arg);
int calstore_each_override(db_conn *c, int64_t center_id,
                           void (*fn)(void *arg, const char *date, bool closed, const char *reason),
                           void *arg);
bool calstore_year_exists(db_conn *c, int year);
/* Drop a year's days and (re)record the year. */
int calstore_year_replace(db_conn *tx, int year, const char *source, int64_t now);
int calstore_day_insert(db_conn *tx, const char *date, int year, bool is_off, const char *name);
json_t *calstore_years(db_conn *c);

/* Overrides: list one center's (dates from..to inclusive), insert, delete. */
json_t *calstore_overrides(db_conn *c, int64_t center_id, const char *from, const char *to);
int calstore_override_insert(db_conn *tx, int64_t center_id, const char *date, const char *kind,
                             const char *reason, int64_t created_by, int64_t now, int64_t *id);
/* The override with its center's path; NULL if absent. */
json_t *calstore_override_get(db_conn *c, int64_t id);
/* Is center_id closed (闭厅 override) on date? 1 with the reason in reason, 0 if not,
 * < 0 on error. */
int calstore_closed_on(db_conn *c, int64_t center_id, const char *date, char *reason, size_t size);
int calstore_override_delete(db_conn *tx, int64_t id);

#endif
