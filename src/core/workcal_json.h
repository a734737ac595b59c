/*
 * workcal_json.h - load the national holiday list (法定节假日与调休安排) into a workcal
 * from JSON text the caller has read. Parsing only: no file or network access here.
 *
 * Two layouts, told apart by their shape:
 *
 * (a) Per year (the layout of share/holidays/cn.json and of NateScarlet/holiday-cn):
 *       {"year": 2025, "days": [{"name": "春节", "date": "2025-01-28", "isOffDay": true},
 *                               {"name": "春节", "date": "2025-01-26", "isOffDay": false}]}
 *     or a JSON array of such objects. isOffDay true = a day off (holiday or 调休休息日),
 *     false = a makeup working day (调休上班日). Optional keys accepted for provenance:
 *     "source" (string), and holiday-cn's "$schema", "$id" (strings) and "papers"
 *     (array of strings, the State Council notices). Any other key is an error.
 *
 * (b) The npm package chinese-days (dist/chinese-days.json, dist/years/YYYY.json):
 *       {"holidays":   {"2025-01-28": "Spring Festival,春节,4", ...},
 *        "workdays":   {"2025-01-26": "Spring Festival,春节,4", ...},
 *        "inLieuDays": {"2025-02-03": "Spring Festival,春节,4", ...}}
 *     holidays are days off, workdays are makeup working days, inLieuDays (调休休息日) must
 *     each also appear in holidays and add nothing else. A value is "English name,中文名,
 *     法定天数"; the Chinese name is kept. The years imported are those the dates fall in.
 *
 * Rules checked (rule code in brackets): JSON syntax, including a key given twice
 * [JSON_SYNTAX]; the shape and every type [TYPE]; required keys [MISSING_FIELD];
 * unknown keys [UNKNOWN_FIELD]; year within WORKCAL_YEAR_MIN..MAX [YEAR_RANGE]; a
 * strict YYYY-MM-DD date [DATE_MALFORMED] inside the stated year [DATE_OUTSIDE_YEAR];
 * a date listed twice in a year [DATE_DUPLICATE] or both off and working [DATE_CONFLICT];
 * a makeup working day that is not a Saturday or Sunday [WORKDAY_NOT_WEEKEND]; a name
 * that is empty or over 128 bytes, or a chinese-days value not of its three-part form
 * [NAME_MALFORMED]; an inLieuDays date missing from holidays [IN_LIEU_NOT_HOLIDAY]; a
 * year given twice in one import [YEAR_DUPLICATE]; a year already loaded in the calendar
 * without WORKCAL_JSON_REPLACE [YEAR_LOADED].
 *
 * All or nothing: on any problem the calendar is left exactly as it was and every
 * problem found (up to WORKCAL_JSON_MAX_PROBLEMS) is reported. On success each imported
 * year's national list is replaced by the import (a year being replaced is cleared
 * first, so days dropped from the new data do not linger) and the year is marked
 * loaded; local overrides are never touched.
 */
#ifndef YC_WORKCAL_JSON_H
#define YC_WORKCAL_JSON_H

#include <stddef.h>

#include "core/workcal.h"

/* Allow replacing years that are already loaded (a newer file at reload). Without it a
 * loaded year is a YEAR_LOADED problem. */
#define WORKCAL_JSON_REPLACE 1u

#define WORKCAL_JSON_MAX_PROBLEMS 100

typedef struct workcal_json_problem {
    char where[64];    /* location in the document, e.g. "$[1].days[3]",
                          "$.holidays.2025-02-30", "$" */
    char date[16];     /* the date involved as written (non-ASCII shown as '?'), or "" */
    char field[16];    /* the key at fault: "year", "days", "date", "name", "isOffDay",
                          "holidays", ..., or "" for the whole document */
    const char *rule;  /* stable machine code, see above; static string */
    char message[256]; /* Chinese, for people */
} workcal_json_problem;

typedef struct workcal_json_problems {
    workcal_json_problem *items; /* count entries, heap; release with the function below */
    int count;
    int dropped; /* further problems not recorded beyond WORKCAL_JSON_MAX_PROBLEMS */
} workcal_json_problems;

/* Import len bytes of JSON text (need not be NUL-terminated) into cal. flags: 0 or
 * WORKCAL_JSON_REPLACE. problems may be NULL; if given, *problems is overwritten (pass a
 * zeroed or released struct) and the caller releases it afterwards either way. Returns
 * 0, or YC_EINVAL with at least one problem recorded and cal unchanged. */
int workcal_json_import(workcal *cal, const char *text, size_t len, unsigned flags,
                        workcal_json_problems *problems);

void workcal_json_problems_release(workcal_json_problems *p);

#endif
