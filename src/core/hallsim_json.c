/*
 * hallsim_json.c - scenarios: defaults and checks (hallsim.h), and scenario files
 * (hallsim_json.h).
 */
#include "core/hallsim_json.h"
#include "util/util.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

void hs_scenario_init(hs_scenario *sc)
{
    memset(sc, 0, sizeof(*sc));
    qp_config_default(&sc->policy);
    sc->target_wait_s = 15 * 60;
    sc->target_level = 0.8;
    sc->booking_noshow = 0.1;
    sc->booking_early_s = 10 * 60;
    sc->booking_late_s = 5 * 60;
    sc->call_noshow = 0.02;
    sc->call_rejoin = 0.5;
    sc->call_s = 30;
}

int hs_validate(const hs_scenario *sc, char *err, size_t errsize)
{
    if (sc->nline <= 0 || sc->nline > HS_MAX_LINES) {
        snprintf(err, errsize, "业务线数量须在 1 到 %d 之间", HS_MAX_LINES);
        return -1;
    }
    if (sc->nwin <= 0 || sc->nwin > HS_MAX_WINDOWS) {
        snprintf(err, errsize, "窗口数量须在 1 到 %d 之间", HS_MAX_WINDOWS);
        return -1;
    }
    for (int l = 0; l < sc->nline; l++) {
        const hs_line *x = &sc->line[l];
        if (!(x->service_mean_s > 0) || x->service_cv < 0 || x->patience_s < 0 ||
            x->green_share < 0 || x->green_share > 1) {
            snprintf(err, errsize, "业务线“%s”的办理时长、耐心或绿色通道比例不合理", x->name);
            return -1;
        }
        for (int h = 0; h < 24; h++)
            if (!(x->walkin[h] >= 0) || !(x->booked[h] >= 0) || x->walkin[h] > 1e5 ||
                x->booked[h] > 1e4) {
                snprintf(err, errsize, "业务线“%s”%d 时的到达数不合理", x->name, h);
                return -1;
            }
        bool served = false;
        for (int w = 0; w < sc->nwin; w++)
            served |= (sc->win[w].skills >> l & 1u) != 0;
        if (!served) {
            snprintf(err, errsize, "业务线“%s”没有任何窗口办理", x->name);
            return -1;
        }
    }
    for (int w = 0; w < sc->nwin; w++) {
        const hs_window *x = &sc->win[w];
        if (x->nspan <= 0 || x->nspan > HS_MAX_SPANS || !x->skills) {
            snprintf(err, errsize, "窗口“%s”没有开放时段或没有业务线", x->name);
            return -1;
        }
        for (int s = 0; s < x->nspan; s++)
            if (x->span[s].from_s < 0 || x->span[s].to_s > 86400 ||
                x->span[s].from_s >= x->span[s].to_s ||
                (s && x->span[s].from_s < x->span[s - 1].to_s)) {
                snprintf(err, errsize, "窗口“%s”的开放时段须按时间先后且不重叠", x->name);
                return -1;
            }
    }
    double shares[] = {sc->booking_noshow, sc->call_noshow, sc->call_rejoin, sc->target_level};
    for (size_t i = 0; i < sizeof(shares) / sizeof(shares[0]); i++)
        if (!(shares[i] >= 0 && shares[i] <= 1)) {
            snprintf(err, errsize, "比例须在 0 到 1 之间");
            return -1;
        }
    if (!(sc->target_wait_s > 0) || sc->call_s < 0 || sc->booking_early_s < 0 ||
        sc->booking_late_s < 0) {
        snprintf(err, errsize, "目标等待时间、叫号时长或预约提前/迟到时间不合理");
        return -1;
    }
    return 0;
}

int hs_parse_hhmm(const char *s, int32_t *out)
{
    if (!s || strlen(s) != 5 || s[2] != ':')
        return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9'))
            return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 24 || m > 59 || (h == 24 && m))
        return -1;
    *out = h * 3600 + m * 60;
    return 0;
}

/* "HH:MM-HH:MM" */
static int parse_span(const char *s, hs_span *sp)
{
    char a[6], b[6];
    if (!s || strlen(s) != 11 || s[5] != '-')
        return -1;
    memcpy(a, s, 5);
    a[5] = 0;
    memcpy(b, s + 6, 5);
    b[5] = 0;
    if (hs_parse_hhmm(a, &sp->from_s) || hs_parse_hhmm(b, &sp->to_s) || sp->from_s >= sp->to_s)
        return -1;
    return 0;
}

int hs_line_index(const hs_scenario *sc, const char *name)
{
    for (int l = 0; l < sc->nline; l++)
        if (!strcmp(sc->line[l].name, name))
            return l;
    return -1;
}

#define FAIL(...)                                                                                  \
    do {                                                                                           \
        snprintf(err, errsize, __VA_ARGS__);                                                       \
        goto fail;                                                                                 \
    } while (0)

/* An optional number in [lo, hi] at key of obj, scaled into *out. */
static int num(json_t *obj, const char *key, double lo, double hi, double scale, double *out,
               const char *where, char *err, size_t errsize)
{
    json_t *v = obj ? json_object_get(obj, key) : NULL;
    if (!v)
        return 0;
    if (!json_is_number(v) || !(json_number_value(v) >= lo && json_number_value(v) <= hi)) {
        snprintf(err, errsize, "%s.%s 须是 %g 到 %g 之间的数", where, key, lo, hi);
        return -1;
    }
    *out = json_number_value(v) * scale;
    return 0;
}

static int per_hour(json_t *obj, double out[24], const char *where, char *err, size_t errsize)
{
    if (!obj)
        return 0;
    if (!json_is_object(obj)) {
        snprintf(err, errsize, "%s 须是以小时为键的对象，如 {\"09\": 40}", where);
        return -1;
    }
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v)
    {
        int64_t h;
        if (yparse_i64(k[0] == '0' && k[1] ? k + 1 : k, 0, 23, &h)) {
            snprintf(err, errsize, "%s 的键“%s”不是 0 到 23 的小时", where, k);
            return -1;
        }
        if (!json_is_number(v) || !(json_number_value(v) >= 0 && json_number_value(v) <= 10000)) {
            snprintf(err, errsize, "%s.%s 须是 0 到 10000 之间的数", where, k);
            return -1;
        }
        out[h] = json_number_value(v);
    }
    return 0;
}

static int parse_line(json_t *j, int idx, hs_line *x, char *err, size_t errsize)
{
    char where[64];
    snprintf(where, sizeof(where), "lines[%d]", idx);
    const char *name = json_string_value(json_object_get(j, "name"));
    if (!json_is_object(j) || !name || !*name || strlen(name) >= HS_NAME)
        FAIL("%s 须有名称 name（不超过 %d 字节）", where, HS_NAME - 1);
    ystrlcpy(x->name, name, sizeof(x->name));
    const char *prefix = json_string_value(json_object_get(j, "prefix"));
    ystrlcpy(x->prefix, prefix ? prefix : "", sizeof(x->prefix));
    char sub[96];
    snprintf(sub, sizeof(sub), "%s.walkin_per_hour", where);
    if (per_hour(json_object_get(j, "walkin_per_hour"), x->walkin, sub, err, errsize))
        return -1;
    snprintf(sub, sizeof(sub), "%s.booked_per_hour", where);
    if (per_hour(json_object_get(j, "booked_per_hour"), x->booked, sub, err, errsize))
        return -1;
    if (num(j, "green_share", 0, 1, 1, &x->green_share, where, err, errsize) ||
        num(j, "patience_minutes", 0, 1440, 60, &x->patience_s, where, err, errsize))
        return -1;
    json_t *svc = json_object_get(j, "service");
    snprintf(sub, sizeof(sub), "%s.service", where);
    if (!json_is_object(svc) || !json_object_get(svc, "mean_minutes"))
        FAIL("%s 须给出办理时长 service.mean_minutes", where);
    if (num(svc, "mean_minutes", 0.01, 1440, 60, &x->service_mean_s, sub, err, errsize) ||
        num(svc, "cv", 0, 10, 1, &x->service_cv, sub, err, errsize))
        return -1;
    const char *dist = json_string_value(json_object_get(svc, "dist"));
    if (!dist || !strcmp(dist, "exp"))
        x->dist = HS_EXP;
    else if (!strcmp(dist, "lognormal"))
        x->dist = HS_LOGNORMAL;
    else if (!strcmp(dist, "fixed"))
        x->dist = HS_FIXED;
    else
        FAIL("%s.dist 只能是 exp、lognormal 或 fixed", sub);
    return 0;
fail:
    return -1;
}

static int parse_window(hs_scenario *sc, json_t *j, int idx, char *err, size_t errsize)
{
    const char *name = json_string_value(json_object_get(j, "name"));
    json_t *lines = json_object_get(j, "lines"), *hours = json_object_get(j, "hours");
    json_t *cnt = json_object_get(j, "count"), *ot = json_object_get(j, "overtime");
    if (!json_is_object(j) || !name || !*name || strlen(name) >= HS_NAME - 8)
        FAIL("windows[%d] 须有名称 name（不超过 %d 字节）", idx, HS_NAME - 9);
    hs_window w = {.overtime = true};
    if (!json_is_array(lines) || !json_array_size(lines))
        FAIL("窗口“%s”须列出办理的业务线 lines", name);
    size_t i;
    json_t *v;
    json_array_foreach(lines, i, v)
    {
        int l = json_is_string(v) ? hs_line_index(sc, json_string_value(v)) : -1;
        if (l < 0)
            FAIL("窗口“%s”的业务线“%s”不存在", name,
                 json_is_string(v) ? json_string_value(v) : "?");
        w.skills |= 1ull << l;
    }
    if (!json_is_array(hours) || !json_array_size(hours) || json_array_size(hours) > HS_MAX_SPANS)
        FAIL("窗口“%s”须有 1 到 %d 个开放时段 hours，如 \"09:00-12:00\"", name, HS_MAX_SPANS);
    json_array_foreach(hours, i, v)
    {
        if (parse_span(json_string_value(v), &w.span[w.nspan]))
            FAIL("窗口“%s”的时段“%s”格式应为 HH:MM-HH:MM", name,
                 json_is_string(v) ? json_string_value(v) : "?");
        w.nspan++;
    }
    if (ot && !json_is_boolean(ot))
        FAIL("窗口“%s”的 overtime 须是 true 或 false", name);
    if (ot)
        w.overtime = json_is_true(ot);
    json_int_t n = 1;
    if (cnt && (!json_is_integer(cnt) || (n = json_integer_value(cnt)) < 1 || n > HS_MAX_WINDOWS))
        FAIL("窗口“%s”的 count 须是 1 到 %d 的整数", name, HS_MAX_WINDOWS);
    for (json_int_t k = 0; k < n; k++) {
        if (sc->nwin >= HS_MAX_WINDOWS)
            FAIL("窗口总数超过 %d", HS_MAX_WINDOWS);
        hs_window *x = &sc->win[sc->nwin++];
        *x = w;
        if (n > 1)
            snprintf(x->name, sizeof(x->name), "%s-%d", name, (int)k + 1);
        else
            ystrlcpy(x->name, name, sizeof(x->name));
    }
    return 0;
fail:
    return -1;
}

int hs_scenario_parse(const char *text, size_t len, hs_scenario *sc, char *err, size_t errsize)
{
    hs_scenario_init(sc);
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        FAIL("不是有效的 JSON（第 %d 行第 %d 列：%s）", je.line, je.column, je.text);
    if (!json_is_object(root))
        FAIL("场景须是一个 JSON 对象");
    const char *name = json_string_value(json_object_get(root, "name"));
    ystrlcpy(sc->name, name ? name : "未命名场景", sizeof(sc->name));
    json_t *t = json_object_get(root, "target"), *p = json_object_get(root, "policy");
    json_t *b = json_object_get(root, "bookings"), *c = json_object_get(root, "calls");
    double aging = (double)sc->policy.aging_ms / 60000,
           maxw = (double)sc->policy.max_wait_ms / 60000;
    double recall = sc->policy.recall_limit, rl = sc->policy.rejoin_limit;
    double rw = (double)sc->policy.rejoin_within_ms / 60000;
    double rp = (double)sc->policy.rejoin_penalty_ms / 60000;
    if (num(t, "wait_minutes", 0.1, 1440, 60, &sc->target_wait_s, "target", err, errsize) ||
        num(t, "level", 0, 1, 1, &sc->target_level, "target", err, errsize) ||
        num(p, "aging_minutes", 0, 1440, 1, &aging, "policy", err, errsize) ||
        num(p, "max_wait_minutes", 0, 1440, 1, &maxw, "policy", err, errsize) ||
        num(p, "recall_limit", 0, 10, 1, &recall, "policy", err, errsize) ||
        num(p, "rejoin_limit", 0, 10, 1, &rl, "policy", err, errsize) ||
        num(p, "rejoin_within_minutes", 0, 1440, 1, &rw, "policy", err, errsize) ||
        num(p, "rejoin_penalty_minutes", 0, 1440, 1, &rp, "policy", err, errsize) ||
        num(b, "noshow", 0, 1, 1, &sc->booking_noshow, "bookings", err, errsize) ||
        num(b, "early_minutes", 0, 240, 60, &sc->booking_early_s, "bookings", err, errsize) ||
        num(b, "late_minutes", 0, 240, 60, &sc->booking_late_s, "bookings", err, errsize) ||
        num(c, "noshow", 0, 1, 1, &sc->call_noshow, "calls", err, errsize) ||
        num(c, "rejoin", 0, 1, 1, &sc->call_rejoin, "calls", err, errsize) ||
        num(c, "call_seconds", 0, 600, 1, &sc->call_s, "calls", err, errsize))
        goto fail;
    sc->policy.aging_ms = (int64_t)llround(aging * 60000);
    sc->policy.max_wait_ms = (int64_t)llround(maxw * 60000);
    sc->policy.recall_limit = (int)recall;
    sc->policy.rejoin_limit = (int)rl;
    sc->policy.rejoin_within_ms = (int64_t)llround(rw * 60000);
    sc->policy.rejoin_penalty_ms = (int64_t)llround(rp * 60000);
    json_t *pat = p ? json_object_get(p, "pattern") : NULL;
    if (pat && qp_parse_pattern(json_string_value(pat), &sc->policy))
        FAIL("policy.pattern 应形如 \"3:2:1\"（绿色通道:预约:普通 的叫号比例）");
    json_t *lines = json_object_get(root, "lines"), *wins = json_object_get(root, "windows");
    if (!json_is_array(lines) || !json_array_size(lines) || json_array_size(lines) > HS_MAX_LINES)
        FAIL("lines 须是 1 到 %d 条业务线的数组", HS_MAX_LINES);
    size_t i;
    json_t *v;
    json_array_foreach(lines, i, v)
    {
        if (parse_line(v, (int)i, &sc->line[sc->nline], err, errsize))
            goto fail;
        if (hs_line_index(sc, sc->line[sc->nline].name) >= 0)
            FAIL("业务线“%s”重复", sc->line[sc->nline].name);
        sc->nline++;
    }
    if (!json_is_array(wins) || !json_array_size(wins))
        FAIL("windows 须是窗口的数组");
    json_array_foreach(wins, i, v)
    {
        if (parse_window(sc, v, (int)i, err, errsize))
            goto fail;
    }
    json_decref(root);
    return hs_validate(sc, err, errsize);
fail:
    json_decref(root);
    return -1;
}

int hs_add_windows(hs_scenario *sc, const char *spec, char *err, size_t errsize)
{
    /* LINE:N:HH:MM-HH:MM, the line name may hold anything but ':'. */
    const char *c1 = spec ? strchr(spec, ':') : NULL;
    const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    char line[HS_NAME], count[8];
    hs_span sp;
    int64_t n;
    if (!c1 || !c2 || c1 == spec || (size_t)(c1 - spec) >= sizeof(line) ||
        (size_t)(c2 - c1 - 1) >= sizeof(count) || c2 == c1 + 1) {
        snprintf(err, errsize,
                 "--open 的格式应为 业务线:窗口数:HH:MM-HH:MM，如 社保:1:09:00-11:00");
        return -1;
    }
    memcpy(line, spec, (size_t)(c1 - spec));
    line[c1 - spec] = 0;
    memcpy(count, c1 + 1, (size_t)(c2 - c1 - 1));
    count[c2 - c1 - 1] = 0;
    int l = hs_line_index(sc, line);
    if (l < 0) {
        snprintf(err, errsize, "--open：场景中没有业务线“%s”", line);
        return -1;
    }
    if (yparse_i64(count, 1, 20, &n)) {
        snprintf(err, errsize, "--open：窗口数“%s”须是 1 到 20 的整数", count);
        return -1;
    }
    if (parse_span(c2 + 1, &sp)) {
        snprintf(err, errsize, "--open：时段“%s”格式应为 HH:MM-HH:MM", c2 + 1);
        return -1;
    }
    if (sc->nwin + n > HS_MAX_WINDOWS) {
        snprintf(err, errsize, "--open：窗口总数将超过 %d", HS_MAX_WINDOWS);
        return -1;
    }
    for (int k = 0; k < n; k++) {
        hs_window *x = &sc->win[sc->nwin++];
        memset(x, 0, sizeof(*x));
        snprintf(x->name, sizeof(x->name), "潮汐窗口%d", k + 1);
        x->skills = 1ull << l;
        x->nspan = 1;
        x->span[0] = sp;
        x->overtime = false;
    }
    return 0;
}
