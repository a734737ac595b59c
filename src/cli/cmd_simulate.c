/*
 * cmd_simulate.c - `yichuang simulate`: a hall day simulated many times (core/hallsim,
 * calling tickets with the server's own queue policy), a report in Chinese with
 * staffing advice from Erlang C (or Erlang A), and what-if comparisons
 * (--open "社保:1:09:00-11:00": one more 社保 window from 9 to 11).
 *
 * Exit codes: 0 done, 1 the simulation failed (out of memory, threads), 2 bad
 * arguments or scenario file.
 */
#include "cli/cli.h"
#include "core/erlang.h"
#include "core/hallsim.h"
#include "core/hallsim_json.h"
#include "util/util.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "用法: yichuang simulate [场景文件.json] [--days N] [--seed S] [--threads T]\n"
    "                        [--open 业务线:窗口数:HH:MM-HH:MM]... [--erlang-a] [--json]\n"
    "模拟大厅的一天（按小时到达、各业务线办理时长、窗口及其业务、绿色通道与预约、\n"
    "过号、等不及离开），叫号规则与服务端相同。输出等候时间、服务水平、窗口利用率，\n"
    "以及按 Erlang C 计算的各业务线分时段窗口配置建议。\n"
    "  场景文件     默认 share/sim/county-hall.json（某县政务服务中心）\n"
    "  --days N     模拟天数（默认 100）\n"
    "  --seed S     随机种子（默认 1）：同一种子结果完全相同，与线程数无关\n"
    "  --threads T  线程数（默认为处理器数）\n"
    "  --open SPEC  假设分析：增开窗口，如 \"社保:1:09:00-11:00\" 表示 9 点到 11 点\n"
    "               多开 1 个社保窗口；可多次给出。输出增开前后的对比\n"
    "  --erlang-a   配置建议考虑等不及离开（Erlang A，用各业务线的耐心时间）\n"
    "  --json       以 JSON 输出结果（供脚本和基准测试使用）\n"
    "退出码：0 完成，1 模拟失败，2 参数或场景文件有误。\n";

typedef struct sim_args {
    const char *file;
    int64_t days, seed, threads;
    const char *open[16];
    int nopen;
    bool erlang_a, json;
} sim_args;

static int parse_args(int argc, char **argv, sim_args *a)
{
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    *a = (sim_args){.days = 100, .seed = 1, .threads = ncpu > 0 ? (ncpu < 64 ? ncpu : 64) : 1};
    for (int i = 1; i < argc; i++) {
        const char *k = argv[i];
        if (!strcmp(k, "--help") || !strcmp(k, "-h")) {
            fputs(usage, stdout);
            return 1;
        }
        if (!strcmp(k, "--erlang-a")) {
            a->erlang_a = true;
            continue;
        }
        if (!strcmp(k, "--json")) {
            a->json = true;
            continue;
        }
        bool is_opt = !strcmp(k, "--days") || !strcmp(k, "--seed") || !strcmp(k, "--threads") ||
                      !strcmp(k, "--open");
        if (is_opt && i + 1 >= argc) {
            fprintf(stderr, "yichuang: %s 需要一个值\n", k);
            return -1;
        }
        if (!strcmp(k, "--days") || !strcmp(k, "--threads") || !strcmp(k, "--seed")) {
            int64_t *dst = k[2] == 'd' ? &a->days : k[2] == 't' ? &a->threads : &a->seed;
            int64_t max = k[2] == 'd' ? 10000000 : k[2] == 't' ? 256 : INT64_MAX;
            if (yparse_i64(argv[++i], k[2] == 's' ? 0 : 1, max, dst)) {
                fprintf(stderr, "yichuang: %s 的值“%s”须是 %d 到 %lld 的整数\n", k, argv[i],
                        k[2] == 's' ? 0 : 1, (long long)max);
                return -1;
            }
        } else if (!strcmp(k, "--open")) {
            if (a->nopen >= (int)YC_ARRAY_LEN(a->open)) {
                fprintf(stderr, "yichuang: --open 最多 %d 个\n", (int)YC_ARRAY_LEN(a->open));
                return -1;
            }
            a->open[a->nopen++] = argv[++i];
        } else if (k[0] == '-' || a->file) {
            fprintf(stderr, "yichuang: 不认识的参数“%s”\n\n%s", k, usage);
            return -1;
        } else
            a->file = k;
    }
    return 0;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    ybuf b = {0};
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && b.len < (64u << 20))
        ybuf_add(&b, chunk, n);
    fclose(f);
    *len = b.len;
    return b.data ? ybuf_detach(&b) : xstrdup("");
}

/* Display width of UTF-8 text: CJK and full-width forms take two columns. */
static int width(const char *s)
{
    int w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x80)
            w++;
        else if ((*p & 0xC0) != 0x80)
            w += (*p >= 0xE0) ? 2 : 1;
    }
    return w;
}

static void cell(const char *s, int w)
{
    fputs(s, stdout);
    for (int i = width(s); i < w; i++)
        putchar(' ');
}

static void cellf(int w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void cellf(int w, const char *fmt, ...)
{
    char buf[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    cell(buf, w);
}

static void minutes(char *buf, size_t n, double s)
{
    snprintf(buf, n, "%.1f分", s / 60);
}

/* Windows serving line l during hour h (open at least half of it); a shared window
 * counts for the line's share of its work (hs_window_share). */
static double windows_in_hour(const hs_scenario *sc, int l, int h)
{
    double n = 0;
    for (int k = 0; k < sc->nwin; k++) {
        const hs_window *x = &sc->win[k];
        if (!(x->skills >> l & 1u))
            continue;
        int open = 0;
        for (int s = 0; s < x->nspan; s++) {
            int a = x->span[s].from_s > h * 3600 ? x->span[s].from_s : h * 3600;
            int b = x->span[s].to_s < (h + 1) * 3600 ? x->span[s].to_s : (h + 1) * 3600;
            open += b > a ? b - a : 0;
        }
        if (open >= 1800)
            n += hs_window_share(sc, k, l);
    }
    return n;
}

static void line_table(const hs_scenario *sc, const hs_result *r)
{
    double d = r->days;
    printf("\n【等候与服务水平】（每天平均；服务水平 = %.0f 分钟内叫号的比例，放弃者计入分母）\n",
           sc->target_wait_s / 60);
    const char *head[] = {"业务线",   "取号",     "办结", "平均等候", "P90等候",
                          "最长等候", "服务水平", "放弃", "过号",     "预估误差"};
    const int w[] = {12, 8, 8, 10, 10, 10, 10, 7, 7, 10};
    for (int i = 0; i < 10; i++)
        cell(head[i], w[i]);
    putchar('\n');
    for (int l = -1; l < sc->nline; l++) {
        int64_t arrived = 0, served = 0, gone = 0, noshow = 0;
        for (int k = 0; k < sc->nline; k++)
            if (l < 0 || k == l) {
                arrived += r->line[k].arrived;
                served += r->line[k].served;
                gone += r->line[k].abandoned;
                noshow += r->line[k].noshow;
            }
        char m[32], p[32], x[32], e[32];
        int li = l; /* -1: all lines, printed first */
        minutes(m, sizeof(m), hs_mean_wait_s(r, li));
        minutes(p, sizeof(p), hs_pct_wait_s(r, li, 0.9));
        minutes(x, sizeof(x), hs_max_wait_s(r, li));
        minutes(e, sizeof(e), hs_est_mae_s(r, li));
        cell(l < 0 ? "合计" : sc->line[l].name, w[0]);
        cellf(w[1], "%.1f", (double)arrived / d);
        cellf(w[2], "%.1f", (double)served / d);
        cell(m, w[3]);
        cell(p, w[4]);
        cell(x, w[5]);
        cellf(w[6], "%.1f%%", 100 * hs_service_level(r, li));
        cellf(w[7], "%.1f", (double)gone / d);
        cellf(w[8], "%.1f", (double)noshow / d);
        cell(e, w[9]);
        putchar('\n');
    }
    double mean, half;
    hs_wait_ci_s(r, &mean, &half);
    printf("全厅每日平均等候 %.2f 分钟（95%%置信区间 ±%.2f 分钟）；“预估误差”为取号时告知的预计等候"
           "与实际等候之差的平均绝对值。\n",
           mean / 60, half / 60);
}

static void window_table(const hs_scenario *sc, const hs_result *r)
{
    printf("\n【窗口利用率】（忙碌时间 / 开放时间，含午间和下班后延时办结）\n");
    cell("窗口", 22);
    cell("业务线", 28);
    cell("叫号/天", 10);
    cell("利用率", 8);
    putchar('\n');
    for (int k = 0; k < sc->nwin; k++) {
        char lines[256] = "";
        size_t off = 0;
        for (int l = 0; l < sc->nline; l++)
            if (sc->win[k].skills >> l & 1u)
                off += (size_t)snprintf(lines + off, off < sizeof(lines) ? sizeof(lines) - off : 0,
                                        "%s%s", off ? "/" : "", sc->line[l].name);
        cell(sc->win[k].name, 22);
        cell(lines, 28);
        cellf(10, "%.1f", (double)r->win_served[k] / r->days);
        cellf(8, "%.0f%%",
              r->win_open_ms[k] ? 100.0 * (double)r->win_busy_ms[k] / (double)r->win_open_ms[k]
                                : 0);
        putchar('\n');
    }
}

static void staffing(const hs_scenario *sc, const hs_result *r, bool use_a)
{
    printf("\n【窗口配置建议】（%s：%.0f%% 的人在 %.0f 分钟内叫号；按模拟中观测的每小时取号数和"
           "办理时长；开窗前取号的人计入开窗后的第一个小时）\n",
           use_a ? "Erlang A，考虑等不及离开" : "Erlang C", 100 * sc->target_level,
           sc->target_wait_s / 60);
    cell("业务线", 12);
    cell("时段", 14);
    cell("取号/时", 9);
    cell("办理", 9);
    cell("话务量", 8);
    cell("建议", 6);
    cell("现有", 6);
    putchar('\n');
    for (int l = 0; l < sc->nline; l++) {
        const hs_line_stats *x = &r->line[l];
        double mean_h = x->served ? (double)x->handle_sum_ms / (double)x->served / 1000
                                  : sc->line[l].service_mean_s;
        double carry = 0;
        for (int h = 0; h < 24; h++) {
            double lam = (double)x->arrived_hour[h] / r->days + carry;
            double have = windows_in_hour(sc, l, h);
            if (have <= 0) {
                carry = lam; /* waits for the windows to open */
                continue;
            }
            carry = 0;
            if (lam <= 0)
                continue;
            double hh = x->served_hour[h] >= 30
                            ? (double)x->handle_hour_ms[h] / (double)x->served_hour[h] / 1000
                            : mean_h;
            double a = lam * hh / 3600;
            int need = use_a && sc->line[l].patience_s > 0
                           ? erlang_a_agents(a, hh, sc->line[l].patience_s, sc->target_wait_s,
                                             sc->target_level, 500)
                           : erlang_c_agents(a, hh, sc->target_wait_s, sc->target_level, 1, 500);
            char span[32], need_s[16];
            snprintf(span, sizeof(span), "%02d:00-%02d:00", h, h + 1);
            if (need < 0)
                snprintf(need_s, sizeof(need_s), ">500");
            else
                snprintf(need_s, sizeof(need_s), "%d", need);
            cell(sc->line[l].name, 12);
            cell(span, 14);
            cellf(9, "%.1f", lam);
            cellf(9, "%.1f分", hh / 60);
            cellf(8, "%.2f", a);
            cell(need_s, 6);
            cellf(6, "%.1f", have);
            if (need > have + 0.49)
                printf("  缺 %.0f", ceil(need - have - 0.49));
            putchar('\n');
        }
    }
    printf("（共享窗口按各业务线的工作量（取号数×平均办理时长）分摊，如同时办综合受理和医保的"
           "窗口按两者工作量之比计入。）\n");
}

static json_t *result_json(const hs_scenario *sc, const hs_result *r)
{
    double mean, half;
    hs_wait_ci_s(r, &mean, &half);
    json_t *lines = json_array();
    for (int l = 0; l < sc->nline; l++)
        json_array_append_new(
            lines,
            json_pack("{s:s,s:f,s:f,s:f,s:f,s:f,s:f,s:f}", "name", sc->line[l].name,
                      "arrived_per_day", (double)r->line[l].arrived / r->days, "mean_wait_s",
                      hs_mean_wait_s(r, l), "p90_wait_s", hs_pct_wait_s(r, l, 0.9), "max_wait_s",
                      hs_max_wait_s(r, l), "service_level", hs_service_level(r, l),
                      "abandoned_per_day", (double)r->line[l].abandoned / r->days, "estimate_mae_s",
                      hs_est_mae_s(r, l)));
    json_t *wins = json_array();
    for (int k = 0; k < sc->nwin; k++)
        json_array_append_new(wins, json_pack("{s:s,s:f}", "name", sc->win[k].name, "utilization",
                                              r->win_open_ms[k] ? (double)r->win_busy_ms[k] /
                                                                      (double)r->win_open_ms[k]
                                                                : 0.0));
    return json_pack("{s:f,s:f,s:f,s:f,s:o,s:o}", "mean_wait_s", hs_mean_wait_s(r, -1),
                     "daily_mean_wait_s", mean, "ci95_s", half, "service_level",
                     hs_service_level(r, -1), "lines", lines, "windows", wins);
}

static void whatif_table(const hs_scenario *sc, const sim_args *a, const hs_result *b,
                         const hs_result *r)
{
    printf("\n【假设分析】增开：");
    for (int i = 0; i < a->nopen; i++)
        printf("%s%s", i ? "，" : "", a->open[i]);
    printf("（同一随机种子，前后对比）\n");
    cell("业务线", 12);
    cell("平均等候 前→后", 22);
    cell("P90等候 前→后", 22);
    cell("服务水平 前→后", 20);
    cell("放弃/天 前→后", 16);
    putchar('\n');
    for (int l = -1; l < sc->nline; l++) {
        int64_t g0 = 0, g1 = 0;
        for (int k = 0; k < sc->nline; k++)
            if (l < 0 || k == l) {
                g0 += b->line[k].abandoned;
                g1 += r->line[k].abandoned;
            }
        cell(l < 0 ? "合计" : sc->line[l].name, 12);
        cellf(22, "%.1f → %.1f 分", hs_mean_wait_s(b, l) / 60, hs_mean_wait_s(r, l) / 60);
        cellf(22, "%.1f → %.1f 分", hs_pct_wait_s(b, l, 0.9) / 60, hs_pct_wait_s(r, l, 0.9) / 60);
        cellf(20, "%.1f%% → %.1f%%", 100 * hs_service_level(b, l), 100 * hs_service_level(r, l));
        cellf(16, "%.1f → %.1f", (double)g0 / b->days, (double)g1 / r->days);
        putchar('\n');
    }
}

int cmd_simulate(int argc, char **argv)
{
    sim_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc)
        return rc < 0 ? 2 : 0;
    char defpath[1200];
    const char *path =
        a.file ? a.file : cli_share_path("sim/county-hall.json", defpath, sizeof(defpath));
    size_t len = 0;
    char *text = slurp(path, &len);
    if (!text) {
        fprintf(stderr, "yichuang: 无法读取场景文件 %s\n", path);
        return 2;
    }
    static hs_scenario sc, sc2;
    char err[512];
    rc = hs_scenario_parse(text, len, &sc, err, sizeof(err));
    free(text);
    if (rc) {
        fprintf(stderr, "yichuang: 场景文件 %s 有误：%s\n", path, err);
        return 2;
    }
    sc2 = sc;
    for (int i = 0; i < a.nopen; i++)
        if (hs_add_windows(&sc2, a.open[i], err, sizeof(err))) {
            fprintf(stderr, "yichuang: %s\n", err);
            return 2;
        }
    hs_result base, what;
    int64_t t0 = ytime_mono_ns();
    if (hs_run(&sc, (int)a.days, (uint64_t)a.seed, (int)a.threads, &base)) {
        fprintf(stderr, "yichuang: 模拟失败（内存或线程不足）\n");
        return 1;
    }
    double secs = (double)(ytime_mono_ns() - t0) / 1e9;
    if (a.nopen && hs_run(&sc2, (int)a.days, (uint64_t)a.seed, (int)a.threads, &what)) {
        hs_result_free(&base);
        fprintf(stderr, "yichuang: 模拟失败（内存或线程不足）\n");
        return 1;
    }
    if (a.json) {
        json_t *o =
            json_pack("{s:s,s:I,s:I,s:I,s:f,s:f,s:o}", "scenario", sc.name, "days",
                      (json_int_t)a.days, "seed", (json_int_t)a.seed, "threads",
                      (json_int_t)a.threads, "seconds", secs, "days_per_second",
                      secs > 0 ? (double)a.days / secs : 0.0, "result", result_json(&sc, &base));
        if (a.nopen)
            json_object_set_new(o, "whatif", result_json(&sc2, &what));
        char *s = json_dumps(o, JSON_INDENT(1) | JSON_REAL_PRECISION(8));
        puts(s);
        free(s);
        json_decref(o);
    } else {
        printf("一窗 大厅模拟：%s\n", sc.name);
        printf("模拟 %lld 天（随机种子 %lld，%lld 个线程），用时 %.2f 秒（每秒 %.0f 天）。\n",
               (long long)a.days, (long long)a.seed, (long long)a.threads, secs,
               secs > 0 ? (double)a.days / secs : 0.0);
        printf("业务线 %d 条，窗口 %d 个；叫号规则：绿色通道:预约:普通 = %u:%u:%u，每等 %lld "
               "分钟升一级，"
               "等满 %lld 分钟优先叫。\n",
               sc.nline, sc.nwin, sc.policy.weight[0], sc.policy.weight[1], sc.policy.weight[2],
               (long long)(sc.policy.aging_ms / 60000), (long long)(sc.policy.max_wait_ms / 60000));
        line_table(&sc, &base);
        window_table(&sc, &base);
        staffing(&sc, &base, a.erlang_a);
        if (a.nopen)
            whatif_table(&sc, &a, &base, &what);
    }
    hs_result_free(&base);
    if (a.nopen)
        hs_result_free(&what);
    return 0;
}
