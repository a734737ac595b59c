/* workcal_json.c - see workcal_json.h.
 *
 * Two passes: the first walks the document, records every problem and collects the
 * days to set in a flat list; only when nothing is wrong does the second pass touch the
 * calendar. The second pass cannot fail (the first checked every date and year), which
 * is what makes the import all or nothing without copying the calendar.
 */
#include "core/workcal_json.h"
#include "util/err.h"
#include "util/util.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_BYTES 128
#define NYEARS         (WORKCAL_YEAR_MAX - WORKCAL_YEAR_MIN + 1)

typedef struct entry {
    workcal_date date;
    int kind; /* WORKCAL_OFF or WORKCAL_WORK */
    char name[NAME_MAX_BYTES + 1];
    char where[64];
} entry;

typedef struct ctx {
    const workcal *cal;
    unsigned flags;
    workcal_json_problems *out; /* may be NULL */
    int nproblems;
    entry *entries;
    size_t n, cap;
    bool in_import[NYEARS];
} ctx;

/* Copy a string from the document for display: printable ASCII only, bounded. */
static void shown(char *dst, size_t size, const char *src)
{
    size_t i = 0;
    for (; src && src[i] && i + 1 < size; i++) {
        unsigned char c = (unsigned char)src[i];
        dst[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    if (size)
        dst[i] = '\0';
}

static void problem(ctx *c, const char *where, const char *date, const char *field,
                    const char *rule, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void problem(ctx *c, const char *where, const char *date, const char *field,
                    const char *rule, const char *fmt, ...)
{
    c->nproblems++;
    workcal_json_problems *out = c->out;
    if (!out)
        return;
    if (out->count >= WORKCAL_JSON_MAX_PROBLEMS) {
        out->dropped++;
        return;
    }
    out->items = xrealloc(out->items, (size_t)(out->count + 1) * sizeof(*out->items));
    workcal_json_problem *p = &out->items[out->count++];
    memset(p, 0, sizeof(*p));
    ystrlcpy(p->where, where, sizeof(p->where));
    shown(p->date, sizeof(p->date), date);
    shown(p->field, sizeof(p->field), field);
    p->rule = rule;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->message, sizeof(p->message), fmt, ap);
    va_end(ap);
}

static void add_entry(ctx *c, workcal_date date, int kind, const char *name, const char *where)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 512;
        c->entries = xrealloc(c->entries, c->cap * sizeof(entry));
    }
    entry *e = &c->entries[c->n++];
    e->date = date;
    e->kind = kind;
    ystrlcpy(e->name, name, sizeof(e->name));
    ystrlcpy(e->where, where, sizeof(e->where));
}

/* A year named by the import: range, twice in this import, already in the calendar.
 * Returns true if its days should be collected. */
static bool claim_year(ctx *c, int64_t year, const char *where)
{
    if (year < WORKCAL_YEAR_MIN || year > WORKCAL_YEAR_MAX) {
        problem(c, where, "", "year", "YEAR_RANGE", "年份%lld超出支持范围（%d–%d）",
                (long long)year, WORKCAL_YEAR_MIN, WORKCAL_YEAR_MAX);
        return false;
    }
    int y = (int)year;
    if (c->in_import[y - WORKCAL_YEAR_MIN]) {
        problem(c, where, "", "year", "YEAR_DUPLICATE", "%d年在本次导入中出现了两次", y);
        return false;
    }
    c->in_import[y - WORKCAL_YEAR_MIN] = true;
    if (workcal_year_loaded(c->cal, y) && !(c->flags & WORKCAL_JSON_REPLACE)) {
        problem(c, where, "", "year", "YEAR_LOADED", "%d年的节假日已加载，如需替换请选择覆盖导入",
                y);
        return false;
    }
    return true;
}

static bool name_ok(const char *name)
{
    size_t n = strlen(name);
    return n > 0 && n <= NAME_MAX_BYTES;
}

/* ---- Layout (a): {"year": 2025, "days": [...]} ---- */

static void check_string(ctx *c, json_t *v, const char *where, const char *key)
{
    if (!json_is_string(v))
        problem(c, where, "", key, "TYPE", "%s应为字符串", key);
}

static void parse_day(ctx *c, json_t *day, int year, bool collect, const char *where)
{
    if (!json_is_object(day)) {
        problem(c, where, "", "days", "TYPE", "days中的每一项应为对象");
        return;
    }
    const char *key;
    json_t *v;
    json_object_foreach(day, key, v)
    {
        if (strcmp(key, "name") && strcmp(key, "date") && strcmp(key, "isOffDay")) {
            char k[32];
            shown(k, sizeof(k), key);
            problem(c, where, "", key, "UNKNOWN_FIELD", "不认识的字段%s", k);
        }
    }
    json_t *jname = json_object_get(day, "name"), *jdate = json_object_get(day, "date");
    json_t *joff = json_object_get(day, "isOffDay");
    bool ok = true;
    const char *date_s = json_is_string(jdate) ? json_string_value(jdate) : "";
    if (!jname || !jdate || !joff) {
        const char *miss = !jname ? "name" : !jdate ? "date" : "isOffDay";
        problem(c, where, date_s, miss, "MISSING_FIELD", "缺少字段%s", miss);
        return;
    }
    if (!json_is_string(jname)) {
        problem(c, where, date_s, "name", "TYPE", "name应为字符串");
        ok = false;
    } else if (!name_ok(json_string_value(jname))) {
        problem(c, where, date_s, "name", "NAME_MALFORMED", "name应为1到%d字节的文字",
                NAME_MAX_BYTES);
        ok = false;
    }
    if (!json_is_boolean(joff)) {
        problem(c, where, date_s, "isOffDay", "TYPE", "isOffDay应为true或false");
        ok = false;
    }
    workcal_date d = 0;
    if (!json_is_string(jdate)) {
        problem(c, where, "", "date", "TYPE", "date应为字符串");
        return;
    }
    char ds[16];
    shown(ds, sizeof(ds), date_s);
    if (workcal_parse(date_s, &d) != 0) {
        problem(c, where, date_s, "date", "DATE_MALFORMED",
                "日期“%s”无效，应为YYYY-MM-DD格式的真实日期", ds);
        return;
    }
    int y;
    workcal_ymd(d, &y, NULL, NULL);
    if (year && y != year) {
        problem(c, where, date_s, "date", "DATE_OUTSIDE_YEAR", "日期%s不在%d年内", ds, year);
        return;
    }
    if (!ok)
        return;
    int kind = json_is_true(joff) ? WORKCAL_OFF : WORKCAL_WORK;
    if (kind == WORKCAL_WORK && workcal_weekday(d) <= 5) {
        problem(c, where, date_s, "isOffDay", "WORKDAY_NOT_WEEKEND", "调休上班日%s不是周六或周日",
                ds);
        return;
    }
    if (collect)
        add_entry(c, d, kind, json_string_value(jname), where);
}

static void parse_year(ctx *c, json_t *obj, const char *where)
{
    if (!json_is_object(obj)) {
        problem(c, where, "", "", "TYPE", "每一年的数据应为对象");
        return;
    }
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        if (!strcmp(key, "year") || !strcmp(key, "days"))
            continue;
        if (!strcmp(key, "source") || !strcmp(key, "$schema") || !strcmp(key, "$id")) {
            check_string(c, v, where, key);
        } else if (!strcmp(key, "papers")) {
            bool ok = json_is_array(v);
            for (size_t i = 0; ok && i < json_array_size(v); i++)
                ok = json_is_string(json_array_get(v, i));
            if (!ok)
                problem(c, where, "", key, "TYPE", "papers应为字符串数组");
        } else {
            char k[32];
            shown(k, sizeof(k), key);
            problem(c, where, "", key, "UNKNOWN_FIELD", "不认识的字段%s", k);
        }
    }
    json_t *jyear = json_object_get(obj, "year"), *days = json_object_get(obj, "days");
    int year = 0;
    bool collect = false;
    if (!jyear) {
        problem(c, where, "", "year", "MISSING_FIELD", "缺少字段year");
    } else if (!json_is_integer(jyear)) {
        problem(c, where, "", "year", "TYPE", "year应为整数");
    } else {
        json_int_t y = json_integer_value(jyear);
        collect = claim_year(c, (int64_t)y, where);
        if (y >= WORKCAL_YEAR_MIN && y <= WORKCAL_YEAR_MAX)
            year = (int)y; /* still check dates against it when not collecting */
    }
    if (!days) {
        problem(c, where, "", "days", "MISSING_FIELD", "缺少字段days");
        return;
    }
    if (!json_is_array(days)) {
        problem(c, where, "", "days", "TYPE", "days应为数组");
        return;
    }
    size_t i;
    json_t *day;
    json_array_foreach(days, i, day)
    {
        char w[64];
        snprintf(w, sizeof(w), "%s.days[%zu]", where, i);
        parse_day(c, day, year, collect, w);
    }
}

/* ---- Layout (b): chinese-days ---- */

/* "Spring Festival,春节,4" -> the Chinese name (copied into zh, NAME_MAX_BYTES + 1
 * bytes), or false if s is not of that form. */
static bool split_value(const char *s, char *zh)
{
    const char *c1 = strchr(s, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
    if (!c1 || !c2 || strchr(c2 + 1, ',') || c1 == s)
        return false;
    size_t n = (size_t)(c2 - c1 - 1);
    int64_t days;
    if (n == 0 || n > NAME_MAX_BYTES || yparse_i64(c2 + 1, 1, 99, &days) != 0)
        return false;
    memcpy(zh, c1 + 1, n);
    zh[n] = '\0';
    return true;
}

static void parse_map(ctx *c, json_t *root, const char *field, int kind, bool years_seen[NYEARS])
{
    json_t *map = json_object_get(root, field);
    char where[64];
    if (!map) {
        if (kind != 0) /* inLieuDays is optional */
            problem(c, "$", "", field, "MISSING_FIELD", "缺少字段%s", field);
        return;
    }
    if (!json_is_object(map)) {
        problem(c, "$", "", field, "TYPE", "%s应为以日期为键的对象", field);
        return;
    }
    json_t *holidays = json_object_get(root, "holidays");
    const char *key;
    json_t *v;
    json_object_foreach(map, key, v)
    {
        char ds[16];
        shown(ds, sizeof(ds), key);
        snprintf(where, sizeof(where), "$.%s.%s", field, ds);
        workcal_date d;
        if (workcal_parse(key, &d) != 0) {
            problem(c, where, key, field, "DATE_MALFORMED",
                    "日期“%s”无效，应为YYYY-MM-DD格式的真实日期", ds);
            continue;
        }
        char zh[NAME_MAX_BYTES + 1];
        if (!json_is_string(v)) {
            problem(c, where, key, field, "TYPE", "%s的值应为字符串", ds);
            continue;
        }
        if (!split_value(json_string_value(v), zh)) {
            problem(c, where, key, field, "NAME_MALFORMED", "%s的值应为“英文名,中文名,天数”的形式",
                    ds);
            continue;
        }
        int y;
        workcal_ymd(d, &y, NULL, NULL);
        if (y < WORKCAL_YEAR_MIN || y > WORKCAL_YEAR_MAX) {
            problem(c, where, key, field, "YEAR_RANGE", "日期%s超出支持范围（%d–%d年）", ds,
                    WORKCAL_YEAR_MIN, WORKCAL_YEAR_MAX);
            continue;
        }
        if (kind == 0) {
            if (!json_is_object(holidays) || !json_object_get(holidays, key))
                problem(c, where, key, field, "IN_LIEU_NOT_HOLIDAY", "调休休息日%s不在holidays中",
                        ds);
            continue;
        }
        if (kind == WORKCAL_WORK && workcal_weekday(d) <= 5) {
            problem(c, where, key, field, "WORKDAY_NOT_WEEKEND", "调休上班日%s不是周六或周日", ds);
            continue;
        }
        years_seen[y - WORKCAL_YEAR_MIN] = true;
        add_entry(c, d, kind, zh, where);
    }
}

static void parse_chinese_days(ctx *c, json_t *root)
{
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
    {
        if (strcmp(key, "holidays") && strcmp(key, "workdays") && strcmp(key, "inLieuDays")) {
            char k[32];
            shown(k, sizeof(k), key);
            problem(c, "$", "", key, "UNKNOWN_FIELD", "不认识的字段%s", k);
        }
    }
    bool years[NYEARS] = {false};
    parse_map(c, root, "holidays", WORKCAL_OFF, years);
    parse_map(c, root, "workdays", WORKCAL_WORK, years);
    parse_map(c, root, "inLieuDays", 0, years);
    for (int y = WORKCAL_YEAR_MIN; y <= WORKCAL_YEAR_MAX; y++)
        if (years[y - WORKCAL_YEAR_MIN])
            claim_year(c, y, "$");
}

/* ---- Both ---- */

static int by_date(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    return strcmp(x->where, y->where);
}

static void check_duplicates(ctx *c)
{
    if (c->n < 2)
        return;
    qsort(c->entries, c->n, sizeof(entry), by_date);
    for (size_t i = 1; i < c->n; i++) {
        entry *a = &c->entries[i - 1], *b = &c->entries[i];
        if (a->date != b->date)
            continue;
        char ds[WORKCAL_DATE_STRLEN];
        workcal_format(b->date, ds, sizeof(ds));
        if (a->kind != b->kind)
            problem(c, b->where, ds, "date", "DATE_CONFLICT", "日期%s既是休息日又是调休上班日", ds);
        else
            problem(c, b->where, ds, "date", "DATE_DUPLICATE", "日期%s重复出现", ds);
    }
}

static void apply(workcal *cal, ctx *c)
{
    for (int y = WORKCAL_YEAR_MIN; y <= WORKCAL_YEAR_MAX; y++)
        if (c->in_import[y - WORKCAL_YEAR_MIN])
            workcal_clear_year(cal, y);
    for (size_t i = 0; i < c->n; i++) {
        int rc = workcal_set_day(cal, c->entries[i].date, c->entries[i].kind, c->entries[i].name);
        (void)rc; /* dates were range-checked in the first pass */
    }
    for (int y = WORKCAL_YEAR_MIN; y <= WORKCAL_YEAR_MAX; y++)
        if (c->in_import[y - WORKCAL_YEAR_MIN])
            workcal_mark_loaded(cal, y);
}

int workcal_json_import(workcal *cal, const char *text, size_t len, unsigned flags,
                        workcal_json_problems *problems)
{
    ctx c = {.cal = cal, .flags = flags, .out = problems};
    if (problems)
        memset(problems, 0, sizeof(*problems));
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        problem(&c, "$", "", "", "JSON_SYNTAX", "JSON格式错误（第%d行第%d列）：%s", jerr.line,
                jerr.column, jerr.text);
        goto done;
    }
    if (json_is_array(root)) {
        size_t i;
        json_t *obj;
        if (json_array_size(root) == 0)
            problem(&c, "$", "", "", "MISSING_FIELD", "没有任何年份的数据");
        json_array_foreach(root, i, obj)
        {
            char w[32];
            snprintf(w, sizeof(w), "$[%zu]", i);
            parse_year(&c, obj, w);
        }
    } else if (json_is_object(root) &&
               (json_object_get(root, "year") || json_object_get(root, "days"))) {
        parse_year(&c, root, "$");
    } else if (json_is_object(root) &&
               (json_object_get(root, "holidays") || json_object_get(root, "workdays") ||
                json_object_get(root, "inLieuDays"))) {
        parse_chinese_days(&c, root);
    } else {
        problem(&c, "$", "", "", "TYPE",
                "无法识别的节假日数据格式（应为按年的对象或数组，或chinese-days格式）");
    }
    check_duplicates(&c);
    if (c.nproblems == 0)
        apply(cal, &c);
done:
    json_decref(root);
    free(c.entries);
    return c.nproblems ? YC_EINVAL : 0;
}

void workcal_json_problems_release(workcal_json_problems *p)
{
    if (!p)
        return;
    free(p->items);
    memset(p, 0, sizeof(*p));
}
