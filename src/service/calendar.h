/*
 * calendar.h - the working-day calendar as the product uses it: national holiday data
 * kept in the database (holiday_years, holiday_days) plus each center's local
 * overrides (calendar_overrides: 闭厅 closed, 值守 duty), turned into a workcal
 * (core/workcal.h) for counting.
 */
#ifndef YC_CALENDAR_H
#define YC_CALENDAR_H

#include "core/workcal.h"
#include "core/workcal_json.h"
#include "store/db.h"

#include <stdbool.h>

/* The calendar of center_id (0 = national data only). NULL on a database error.
 * Caller frees with workcal_free. */
workcal *calendar_load(db_conn *c, int64_t center_id);

/* Check an import (text in either layout of workcal_json.h) against the years already
 * in the database; on success *out holds a calendar with exactly the imported years.
 * replace allows years already present. 0 or YC_EINVAL with problems filled. */
int calendar_parse_import(db_conn *c, const char *text, size_t len, bool replace, workcal **out,
                          workcal_json_problems *problems);

/* Write the years of an imported calendar to the database (replacing those years).
 * Runs inside a write transaction. *years receives how many were written. */
int calendar_store_import(db_conn *tx, const workcal *imported, const char *source, int64_t now,
                          int *years);

#endif
