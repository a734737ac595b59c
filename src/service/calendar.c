/* calendar.c - see calendar.h. */
#include "service/calendar.h"
#include "store/calendar_store.h"
#include "util/err.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct load_ctx {
    workcal *cal;
    int rc;
} load_ctx;

static void on_year(void *arg, int year)
{
    load_ctx *l = arg;
    if (!l->rc)
        l->rc = workcal_mark_loaded(l->cal, year);
}

static void on_day(void *arg, const char *date, bool is_off, const char *name)
{
    load_ctx *l = arg;
    workcal_date d;
    if (!l->rc && !workcal_parse(date, &d))
        l->rc = workcal_set_day(l->cal, d, is_off ? WORKCAL_OFF : WORKCAL_WORK, name);
}

static void on_override(void *arg, const char *date, bool closed, const char *reason)
{
    load_ctx *l = arg;
    workcal_date d;
    if (!l->rc && !workcal_parse(date, &d))
        l->rc = workcal_override(l->cal, d, closed ? WORKCAL_OFF : WORKCAL_WORK, reason);
}

workcal *calendar_load(db_conn *c, int64_t center_id)
{
    load_ctx l = {workcal_new(), 0};
    int rc = calstore_each_year(c, on_year, &l);
    if (!rc)
        rc = calstore_each_day(c, on_day, &l);
    if (!rc && center_id)
        rc = calstore_each_override(c, center_id, on_override, &l);
    if (rc || l.rc) {
        workcal_free(l.cal);
        return NULL;
    }
    return l.cal;
}

int calendar_parse_import(db_conn *c, const char *text, size_t len, bool replace, workcal **out,
                          workcal_json_problems *problems)
{
    workcal *fresh = workcal_new();
    int rc = workcal_json_import(fresh, text, len, 0, problems);
    if (rc) {
        workcal_free(fresh);
        return rc;
    }
    if (!replace) {
        /* Years already in the database need an explicit replace. */
        for (int y = WORKCAL_YEAR_MIN; y <= WORKCAL_YEAR_MAX; y++) {
            if (!workcal_year_loaded(fresh, y) || !calstore_year_exists(c, y))
                continue;
            if (problems->count < WORKCAL_JSON_MAX_PROBLEMS) {
                problems->items = xrealloc(problems->items, (size_t)(problems->count + 1) *
                                                                sizeof(*problems->items));
                workcal_json_problem *p = &problems->items[problems->count++];
                memset(p, 0, sizeof(*p));
                snprintf(p->where, sizeof(p->where), "$");
                ystrlcpy(p->field, "year", sizeof(p->field));
                p->rule = "YEAR_LOADED";
                snprintf(p->message, sizeof(p->message),
                         "%d年的节假日数据已存在；如需覆盖，请加参数 replace=1", y);
            }
            rc = YC_EINVAL;
        }
    }
    if (rc) {
        workcal_free(fresh);
        return rc;
    }
    *out = fresh;
    return 0;
}

int calendar_store_import(db_conn *tx, const workcal *imported, const char *source, int64_t now,
                          int *years)
{
    *years = 0;
    for (int y = WORKCAL_YEAR_MIN; y <= WORKCAL_YEAR_MAX; y++) {
        if (!workcal_year_loaded(imported, y))
            continue;
        int rc = calstore_year_replace(tx, y, source, now);
        if (rc)
            return rc;
        workcal_date d, end;
        workcal_date_from_ymd(y, 1, 1, &d);
        workcal_date_from_ymd(y, 12, 31, &end);
        for (; d <= end; d++) {
            workcal_day info;
            if (workcal_day_info(imported, d, &info) || info.source != WORKCAL_SRC_NATIONAL)
                continue;
            char date[WORKCAL_DATE_STRLEN];
            workcal_format(d, date, sizeof(date));
            if ((rc = calstore_day_insert(tx, date, y, !info.working, info.name ? info.name : "")))
                return rc;
        }
        (*years)++;
    }
    return 0;
}
