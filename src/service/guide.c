/*
 * guide.c - see guide.h. One builder per document; small helpers append escaped text,
 * labelled rows and numbered sections to a ybuf. The page and print layouts share every
 * section; they differ in the chrome around them (site bar and buttons on the page, a
 * compact title block and plain-text addresses instead of buttons on paper) and in the
 * root class guide.css keys the A4 sheet on.
 */
#include "service/guide.h"
#include "core/catalog.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------ small helpers */

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static void esc(ybuf *b, const char *s)
{
    if (!s)
        return;
    const char *run = s;
    for (const char *p = s; *p; p++) {
        const char *rep = NULL;
        switch (*p) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            continue;
        }
        ybuf_add(b, run, (size_t)(p - run));
        ybuf_adds(b, rep);
        run = p + 1;
    }
    ybuf_adds(b, run);
}

/* A path segment for an href: anything but [A-Za-z0-9_-] percent-encoded. */
static void url_seg(ybuf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
            *p == '_' || *p == '-') {
            ybuf_addc(b, (char)*p);
        } else {
            ybuf_addc(b, '%');
            ybuf_addc(b, hex[*p >> 4]);
            ybuf_addc(b, hex[*p & 15]);
        }
    }
}

/* Label of a code, or the code itself (escaped by the caller) when unknown. */
static const char *label(const char *group, const char *code)
{
    const char *l = catalog_label(group, code);
    return l ? l : code ? code : "";
}

/* Strings of an array joined by "、". */
static void join(ybuf *b, json_t *a, const char *group)
{
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        if (i)
            ybuf_adds(b, "、");
        esc(b, group ? label(group, json_string_value(v)) : json_string_value(v));
    }
}

static const char *const numerals[] = {"一", "二", "三", "四",   "五",   "六",   "七",
                                       "八", "九", "十", "十一", "十二", "十三", "十四"};

typedef struct doc {
    ybuf b;
    guide_layout layout;
    int section;
} doc;

static void section_open(doc *d, const char *id, const char *title)
{
    const char *n = d->section < (int)YC_ARRAY_LEN(numerals) ? numerals[d->section] : "";
    d->section++;
    ybuf_printf(&d->b, "<section class=\"g-section\" id=\"%s\">\n<h2>%s、", id, n);
    esc(&d->b, title);
    ybuf_adds(&d->b, "</h2>\n");
}

static void section_close(doc *d)
{
    ybuf_adds(&d->b, "</section>\n");
}

/* <tr><th>label</th><td>escaped value</td></tr>; skipped when value is empty. */
static void kv(ybuf *b, const char *key, const char *value)
{
    if (!value || !*value)
        return;
    ybuf_adds(b, "<tr><th scope=\"row\">");
    esc(b, key);
    ybuf_adds(b, "</th><td>");
    esc(b, value);
    ybuf_adds(b, "</td></tr>\n");
}

/* Open a row whose value the caller writes; close with kv_end. */
static void kv_begin(ybuf *b, const char *key)
{
    ybuf_adds(b, "<tr><th scope=\"row\">");
    esc(b, key);
    ybuf_adds(b, "</th><td>");
}

static void kv_end(ybuf *b)
{
    ybuf_adds(b, "</td></tr>\n");
}

/* "20个工作日" from {value, unit}; 0 reads as 即办. */
static void limit_text(ybuf *b, json_t *limit)
{
    if (!json_is_object(limit)) {
        ybuf_adds(b, "—");
        return;
    }
    json_int_t v = json_integer_value(json_object_get(limit, "value"));
    if (v == 0) {
        ybuf_adds(b, "即办（当场办结）");
        return;
    }
    ybuf_printf(b, "%lld", (long long)v);
    esc(b, label("unit", str(limit, "unit")));
}

static void money(ybuf *b, json_int_t fen)
{
    ybuf_printf(b, "%lld.%02lld 元", (long long)(fen / 100), (long long)(fen % 100));
}

/* The page head: doctype to the opening of <main>. */
static void head(doc *d, const char *title, const char *kind)
{
    ybuf *b = &d->b;
    ybuf_printf(b,
                "<!doctype html>\n<html lang=\"zh-CN\" class=\"guide-doc %s %s\">\n<head>\n"
                "<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<title>",
                d->layout == GUIDE_PRINT ? "layout-print" : "layout-page", kind);
    esc(b, title);
    ybuf_adds(b, "</title>\n<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\n"
                 "<link rel=\"stylesheet\" href=\"/css/guide.css\">\n</head>\n<body>\n");
}

/* Site bar with actions (page layout only); actions is pre-built HTML of links. */
static void topbar(doc *d, const char *actions)
{
    if (d->layout != GUIDE_PAGE)
        return;
    ybuf_adds(
        &d->b,
        "<header class=\"g-topbar\">\n<a class=\"g-brand\" href=\"/portal/\">"
        "<span class=\"g-brand-mark\" aria-hidden=\"true\"></span>"
        "<span class=\"g-brand-name\">一窗</span><span class=\"g-brand-text\">政务服务</span></a>\n"
        "<nav class=\"g-actions\" aria-label=\"指南操作\">");
    ybuf_adds(&d->b, actions);
    ybuf_adds(&d->b, "</nav>\n</header>\n");
}

static void print_hint(doc *d, const char *page_path)
{
    if (d->layout != GUIDE_PRINT)
        return;
    ybuf_adds(&d->b, "<p class=\"g-print-hint g-screen-only\">打印版：请使用浏览器的“打印”功能，"
                     "纸张选择 A4。<a href=\"");
    ybuf_adds(&d->b, page_path);
    ybuf_adds(&d->b, "\">返回网页版</a></p>\n");
}

static void footer(doc *d, int version, const char *published_on, const char *code_label,
                   const char *code, const char *page_path)
{
    ybuf *b = &d->b;
    ybuf_printf(b, "<footer class=\"g-footer\">\n<p>第 %d 版", version);
    if (published_on && *published_on) {
        ybuf_adds(b, " · 发布日期 ");
        esc(b, published_on);
    }
    ybuf_adds(b, " · ");
    esc(b, code_label);
    ybuf_adds(b, " ");
    esc(b, code);
    ybuf_adds(b, "</p>\n<p>本指南由事项目录自动生成，网上办事指南与纸质指南同源");
    if (d->layout == GUIDE_PRINT) {
        ybuf_adds(b, "；网上查看：");
        ybuf_adds(b, page_path); /* built from url_seg, nothing to escape */
    }
    ybuf_adds(b, "。</p>\n</footer>\n");
}

static char *finish(doc *d, size_t *len)
{
    ybuf_adds(&d->b, "</body>\n</html>\n");
    if (len)
        *len = d->b.len;
    return ybuf_detach(&d->b);
}

/* Which situation options select a material ("问题：选项"), for materials that do not
 * always apply. */
static void material_situations(ybuf *b, json_t *item, const char *key)
{
    json_t *qs = json_object_get(json_object_get(item, "situations"), "questions");
    size_t i, k, j;
    json_t *q, *o, *mk;
    bool first = true;
    json_array_foreach(qs, i, q)
    {
        json_array_foreach(json_object_get(q, "options"), k, o)
        {
            json_array_foreach(json_object_get(o, "materials"), j, mk)
            {
                if (strcmp(json_string_value(mk) ? json_string_value(mk) : "", key))
                    continue;
                ybuf_adds(b, first ? "<span class=\"g-when\">适用情形：" : "；");
                esc(b, str(q, "text"));
                ybuf_adds(b, "选“");
                esc(b, str(o, "text"));
                ybuf_adds(b, "”");
                first = false;
            }
        }
    }
    if (!first)
        ybuf_adds(b, "</span>");
}

static bool material_conditional(json_t *item, json_t *m)
{
    return json_is_object(json_object_get(item, "situations")) &&
           json_is_false(json_object_get(m, "always"));
}

static void mistakes(ybuf *b, json_t *m)
{
    json_t *v = json_object_get(m, "mistakes");
    if (json_is_string(v) && *json_string_value(v)) {
        ybuf_adds(b, "<span class=\"g-mistakes\">常见错误：");
        esc(b, json_string_value(v));
        ybuf_adds(b, "</span>");
    } else if (json_is_array(v) && json_array_size(v)) {
        ybuf_adds(b, "<span class=\"g-mistakes\">常见错误：");
        join(b, v, NULL);
        ybuf_adds(b, "</span>");
    }
}

/* ------------------------------------------------------------ item guide */

static void item_basic(doc *d, json_t *item, const char *department_name)
{
    ybuf *b = &d->b;
    section_open(d, "basic", "事项基本信息");
    ybuf_adds(b, "<table class=\"g-kv\">\n<tbody>\n");
    kv(b, "事项名称", str(item, "name"));
    kv(b, "基本编码", str(item, "basic_code"));
    kv(b, "实施编码", str(item, "impl_code"));
    kv(b, "业务办理项编码", str(item, "handle_code"));
    kv(b, "事项类型", label("type", str(item, "type_code")));
    kv(b, "行使层级", label("level", str(item, "level")));
    kv(b, "实施部门",
       department_name && *department_name ? department_name : str(item, "department"));
    kv(b, "所属领域", label("domain", str(item, "domain")));
    kv_begin(b, "服务对象");
    join(b, json_object_get(item, "service_object"), "object");
    kv_end(b);
    kv_begin(b, "办理形式");
    join(b, json_object_get(item, "handling_forms"), "handling");
    kv_end(b);
    kv(b, "办件类型", label("case_kind", str(item, "case_kind")));
    kv_begin(b, "到现场次数");
    ybuf_printf(b, "%lld 次", (long long)json_integer_value(json_object_get(item, "visits")));
    kv_end(b);
    kv(b, "通办范围", label("cross_region", str(item, "cross_region")));
    json_t *res = json_object_get(item, "result");
    kv_begin(b, "办理结果");
    esc(b, str(res, "name"));
    if (*str(res, "kind")) {
        ybuf_adds(b, "（");
        esc(b, label("result", str(res, "kind")));
        ybuf_adds(b, "）");
    }
    kv_end(b);
    kv(b, "结果样本", str(res, "sample"));
    json_t *aliases = json_object_get(item, "aliases");
    if (json_array_size(aliases)) {
        kv_begin(b, "又称");
        join(b, aliases, NULL);
        kv_end(b);
    }
    ybuf_adds(b, "</tbody>\n</table>\n");
    section_close(d);
}

static void string_list(doc *d, json_t *a, const char *empty)
{
    if (!json_array_size(a)) {
        ybuf_adds(&d->b, "<p class=\"g-none\">");
        esc(&d->b, empty);
        ybuf_adds(&d->b, "</p>\n");
        return;
    }
    ybuf_adds(&d->b, "<ol class=\"g-list\">\n");
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        ybuf_adds(&d->b, "<li>");
        esc(&d->b, json_string_value(v));
        ybuf_adds(&d->b, "</li>\n");
    }
    ybuf_adds(&d->b, "</ol>\n");
}

static void item_materials(doc *d, json_t *item, const char *code_seg)
{
    ybuf *b = &d->b;
    json_t *ms = json_object_get(item, "materials");
    section_open(d, "materials", "申请材料");
    if (json_is_object(json_object_get(item, "situations")))
        ybuf_adds(b, "<p class=\"g-note\">标注“适用情形”的材料只在相应情形下提交；"
                     "回答情形问题可得到您需要提交的准确清单（见“办理情形”）。</p>\n");
    if (d->layout == GUIDE_PRINT)
        ybuf_printf(b,
                    "<p class=\"g-note\">空白表格和示例样表可在网上办事指南下载："
                    "/guide/items/%s</p>\n",
                    code_seg);
    ybuf_adds(b, "<table class=\"g-table g-materials\">\n<thead><tr>"
                 "<th scope=\"col\" class=\"g-num\">序号</th><th scope=\"col\">材料名称</th>"
                 "<th scope=\"col\">材料类型</th><th scope=\"col\">形式</th>"
                 "<th scope=\"col\" class=\"g-num\">份数</th><th scope=\"col\">必要性</th>"
                 "<th scope=\"col\">来源</th><th scope=\"col\">受理标准</th>"
                 "<th scope=\"col\">表格与样表</th></tr></thead>\n<tbody>\n");
    size_t i;
    json_t *m;
    json_array_foreach(ms, i, m)
    {
        const char *key = str(m, "key");
        bool gov = !strcmp(str(m, "source"), "government");
        ybuf_adds(b, "<tr id=\"m-");
        esc(b, key);
        ybuf_printf(b, "\"%s><td class=\"g-num\">%zu</td><td class=\"g-mname\">",
                    gov ? " class=\"g-nosubmit\"" : "", i + 1);
        esc(b, str(m, "name"));
        if (material_conditional(item, m))
            material_situations(b, item, key);
        ybuf_adds(b, "</td><td data-label=\"材料类型\">");
        esc(b, label("kind", str(m, "kind")));
        ybuf_adds(b, "</td><td data-label=\"形式\">");
        esc(b, label("form", str(m, "form")));
        ybuf_printf(
            b, "</td><td class=\"g-num\" data-label=\"份数\">%lld</td><td data-label=\"必要性\">",
            (long long)json_integer_value(json_object_get(m, "count")));
        const char *req = str(m, "requirement");
        ybuf_printf(b, "<span class=\"g-req g-req-%s\">",
                    !strcmp(req, "required")     ? "required"
                    : !strcmp(req, "deferrable") ? "deferrable"
                                                 : "optional");
        esc(b, label("requirement", req));
        ybuf_adds(b, "</span></td><td data-label=\"来源\">");
        if (gov)
            ybuf_adds(b, "<span class=\"g-badge\">免提交</span>政府部门核发，"
                         "窗口通过电子证照库调取");
        else
            esc(b, label("source", str(m, "source")));
        ybuf_adds(b, "</td><td class=\"g-wrap\" data-label=\"受理标准\">");
        esc(b, *str(m, "standard") ? str(m, "standard") : "—");
        mistakes(b, m);
        ybuf_adds(b, "</td><td class=\"g-files\" data-label=\"表格与样表\">");
        bool any = false;
        if (*str(m, "blank_form")) {
            any = true;
            if (d->layout == GUIDE_PAGE) {
                ybuf_printf(b, "<a class=\"g-link\" href=\"/guide/items/%s/forms/", code_seg);
                url_seg(b, key);
                ybuf_adds(b, "\">空白表格</a>");
            } else {
                ybuf_adds(b, "<span>空白表格</span>");
            }
        }
        if (*str(m, "sample")) {
            any = true;
            if (d->layout == GUIDE_PAGE) {
                ybuf_printf(b, "<a class=\"g-link\" href=\"/guide/items/%s/samples/", code_seg);
                url_seg(b, key);
                ybuf_adds(b, "\">示例样表</a>");
            } else {
                ybuf_adds(b, "<span>示例样表</span>");
            }
        }
        if (!any)
            ybuf_adds(b, "—");
        ybuf_adds(b, "</td></tr>\n");
    }
    ybuf_adds(b, "</tbody>\n</table>\n");
    section_close(d);
}

static const char *material_name(json_t *item, const char *key)
{
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(item, "materials"), i,
                       m) if (!strcmp(str(m, "key"), key)) return str(m, "name");
    return key;
}

static const char *question_text(json_t *qs, const char *key)
{
    size_t i;
    json_t *q;
    json_array_foreach(qs, i, q) if (key && !strcmp(str(q, "key"), key)) return str(q, "text");
    return NULL;
}

static void item_situations(doc *d, json_t *item, const char *code_seg)
{
    ybuf *b = &d->b;
    json_t *s = json_object_get(item, "situations");
    if (!json_is_object(s))
        return;
    json_t *qs = json_object_get(s, "questions");
    section_open(d, "situations", "办理情形");
    ybuf_adds(b, "<p class=\"g-note\">本事项按以下情形确定需要提交的材料。</p>\n");
    if (d->layout == GUIDE_PAGE) {
        ybuf_printf(b,
                    "<p><a class=\"g-button\" href=\"/portal/item.html?code=%s#wizard\">"
                    "回答问题，生成我的材料清单</a></p>\n",
                    code_seg);
    } else {
        ybuf_printf(b,
                    "<p class=\"g-note\">在线回答问题可生成准确的材料清单："
                    "/portal/item.html?code=%s</p>\n",
                    code_seg);
    }
    ybuf_adds(b, "<ol class=\"g-questions\">\n");
    size_t i, k, j;
    json_t *q, *o, *mk;
    json_array_foreach(qs, i, q)
    {
        ybuf_adds(b, "<li class=\"g-question\"><p class=\"g-qtext\">");
        esc(b, str(q, "text"));
        ybuf_adds(b, "</p>\n<ul class=\"g-options\">\n");
        json_array_foreach(json_object_get(q, "options"), k, o)
        {
            ybuf_adds(b, "<li><span class=\"g-otext\">");
            esc(b, str(o, "text"));
            ybuf_adds(b, "</span>");
            json_t *oms = json_object_get(o, "materials");
            if (json_array_size(oms)) {
                ybuf_adds(b, "：需提交");
                json_array_foreach(oms, j, mk)
                {
                    ybuf_adds(b, j ? "、“" : "“");
                    esc(b, material_name(item, json_string_value(mk) ? json_string_value(mk) : ""));
                    ybuf_adds(b, "”");
                }
            }
            const char *next = question_text(qs, json_string_value(json_object_get(o, "next")));
            if (next) {
                ybuf_adds(b, "<span class=\"g-next\">（接着回答：");
                esc(b, next);
                ybuf_adds(b, "）</span>");
            }
            ybuf_adds(b, "</li>\n");
        }
        ybuf_adds(b, "</ul>\n</li>\n");
    }
    ybuf_adds(b, "</ol>\n");
    section_close(d);
}

static void item_steps(doc *d, json_t *item)
{
    ybuf *b = &d->b;
    json_t *prom = json_object_get(item, "promised_limit");
    const char *unit = label("unit", str(prom, "unit"));
    section_open(d, "steps", "办理流程");
    ybuf_adds(b, "<table class=\"g-table g-steps\">\n<thead><tr>"
                 "<th scope=\"col\" class=\"g-num\">步骤</th><th scope=\"col\">环节</th>"
                 "<th scope=\"col\">岗位</th><th scope=\"col\">时限</th></tr></thead>\n<tbody>\n");
    size_t i;
    json_t *s;
    json_int_t sum = 0;
    json_array_foreach(json_object_get(item, "steps"), i, s)
    {
        json_int_t share = json_integer_value(json_object_get(s, "share"));
        sum += share;
        ybuf_printf(b, "<tr><td class=\"g-num\">%zu</td><td>", i + 1);
        esc(b, str(s, "name"));
        ybuf_adds(b, "</td><td>");
        esc(b, *str(s, "role") ? label("role", str(s, "role")) : "—");
        ybuf_adds(b, "</td><td>");
        if (share == 0) {
            ybuf_adds(b, "当场");
        } else {
            ybuf_printf(b, "%lld", (long long)share);
            esc(b, unit);
        }
        ybuf_adds(b, "</td></tr>\n");
    }
    ybuf_adds(b,
              "</tbody>\n<tfoot><tr><th scope=\"row\" colspan=\"3\">合计（承诺办结时限）</th><td>");
    if (sum == 0) {
        ybuf_adds(b, "当场办结");
    } else {
        ybuf_printf(b, "%lld", (long long)sum);
        esc(b, unit);
    }
    ybuf_adds(b, "</td></tr></tfoot>\n</table>\n");
    json_t *sps = json_object_get(item, "special_procedures");
    if (json_array_size(sps)) {
        ybuf_adds(b, "<h3>特别程序</h3>\n<p class=\"g-note\">以下特别程序所需时间不计入办结时限。"
                     "</p>\n<ul class=\"g-list g-special\">\n");
        json_array_foreach(sps, i, s)
        {
            ybuf_adds(b, "<li>");
            esc(b, str(s, "name"));
            ybuf_adds(b, "（");
            esc(b, label("special", str(s, "kind")));
            ybuf_printf(b, "）：最长 %lld",
                        (long long)json_integer_value(json_object_get(s, "max_days")));
            esc(b, unit);
            ybuf_adds(b, "，<strong>不计入办结时限</strong></li>\n");
        }
        ybuf_adds(b, "</ul>\n");
    }
    section_close(d);
}

static void item_fees(doc *d, json_t *item)
{
    ybuf *b = &d->b;
    json_t *fees = json_object_get(item, "fees");
    section_open(d, "fees", "收费标准");
    if (!json_array_size(fees)) {
        ybuf_adds(b, "<p class=\"g-none\">不收费。</p>\n");
        section_close(d);
        return;
    }
    ybuf_adds(b, "<table class=\"g-table\">\n<thead><tr><th scope=\"col\">收费项目</th>"
                 "<th scope=\"col\">金额</th><th scope=\"col\">收费依据</th></tr></thead>\n"
                 "<tbody>\n");
    size_t i;
    json_t *f;
    json_array_foreach(fees, i, f)
    {
        ybuf_adds(b, "<tr><td>");
        esc(b, str(f, "name"));
        ybuf_adds(b, "</td><td class=\"g-money\">");
        money(b, json_integer_value(json_object_get(f, "amount_fen")));
        ybuf_adds(b, "</td><td class=\"g-wrap\">");
        esc(b, str(f, "basis"));
        ybuf_adds(b, "</td></tr>\n");
    }
    ybuf_adds(b, "</tbody>\n</table>\n");
    section_close(d);
}

static void item_limits(doc *d, json_t *item)
{
    ybuf *b = &d->b;
    section_open(d, "limits", "办理时限");
    ybuf_adds(b, "<table class=\"g-kv\">\n<tbody>\n");
    kv(b, "办件类型", label("case_kind", str(item, "case_kind")));
    kv_begin(b, "法定办结时限");
    limit_text(b, json_object_get(item, "statutory_limit"));
    kv_end(b);
    kv_begin(b, "承诺办结时限");
    limit_text(b, json_object_get(item, "promised_limit"));
    kv_end(b);
    ybuf_adds(b, "</tbody>\n</table>\n");
    if (json_array_size(json_object_get(item, "special_procedures")))
        ybuf_adds(b, "<p class=\"g-note\">听证、检验检测、鉴定、专家评审、现场勘验等特别程序"
                     "所需时间不计入上述时限。</p>\n");
    section_close(d);
}

static void item_place(doc *d, json_t *item)
{
    ybuf *b = &d->b;
    section_open(d, "place", "办理地点和时间");
    ybuf_adds(b, "<table class=\"g-kv\">\n<tbody>\n");
    kv(b, "办理地点", str(item, "place"));
    kv(b, "办理时间", str(item, "hours"));
    ybuf_adds(b, "</tbody>\n</table>\n");
    section_close(d);
    section_open(d, "phones", "咨询和投诉电话");
    ybuf_adds(b, "<table class=\"g-kv\">\n<tbody>\n");
    kv(b, "咨询电话", str(item, "consult_phone"));
    kv(b, "投诉电话", str(item, "complaint_phone"));
    ybuf_adds(b, "</tbody>\n</table>\n");
    section_close(d);
}

static void item_faq(doc *d, json_t *item)
{
    ybuf *b = &d->b;
    json_t *faq = json_object_get(item, "faq");
    section_open(d, "faq", "常见问题");
    if (!json_array_size(faq)) {
        ybuf_adds(b, "<p class=\"g-none\">暂无。</p>\n");
        section_close(d);
        return;
    }
    ybuf_adds(b, "<dl class=\"g-faq\">\n");
    size_t i;
    json_t *f;
    json_array_foreach(faq, i, f)
    {
        ybuf_adds(b, "<div class=\"g-faq-item\"><dt>问：");
        esc(b, str(f, "q"));
        ybuf_adds(b, "</dt><dd>答：");
        esc(b, str(f, "a"));
        ybuf_adds(b, "</dd></div>\n");
    }
    ybuf_adds(b, "</dl>\n");
    section_close(d);
}

char *guide_item_html(json_t *item, int version, const char *published_on,
                      const char *department_name, guide_layout layout, size_t *len)
{
    doc d = {{0}, layout, 0};
    ybuf *b = &d.b;
    ybuf code = {0}, page = {0}, title = {0};
    url_seg(&code, str(item, "basic_code"));
    ybuf_printf(&page, "/guide/items/%s", code.data ? code.data : "");
    ybuf_printf(&title, "%s - 办事指南", str(item, "name"));
    head(&d, title.data, "guide-item");

    ybuf actions = {0};
    ybuf_adds(&actions, "<a href=\"/portal/\">搜索事项</a>");
    if (json_is_object(json_object_get(item, "situations")))
        ybuf_printf(&actions, "<a href=\"/portal/item.html?code=%s#wizard\">生成材料清单</a>",
                    code.data);
    ybuf_printf(&actions, "<a href=\"%s/print\">打印版</a>", page.data);
    topbar(&d, actions.data);
    ybuf_release(&actions);

    ybuf_adds(b, "<main class=\"g-sheet\">\n");
    print_hint(&d, page.data);
    ybuf_adds(b, "<header class=\"g-title\">\n<p class=\"g-kicker\">办事指南</p>\n<h1>");
    esc(b, str(item, "name"));
    ybuf_adds(b, "</h1>\n<p class=\"g-meta\">");
    esc(b, department_name && *department_name ? department_name : str(item, "department"));
    ybuf_adds(b, " · ");
    esc(b, label("case_kind", str(item, "case_kind")));
    ybuf_adds(b, " · 承诺时限 ");
    limit_text(b, json_object_get(item, "promised_limit"));
    ybuf_adds(b, " · 基本编码 ");
    esc(b, str(item, "basic_code"));
    ybuf_adds(b, "</p>\n</header>\n");

    item_basic(&d, item, department_name);
    section_open(&d, "conditions", "受理条件");
    string_list(&d, json_object_get(item, "conditions"), "无特别受理条件。");
    section_close(&d);
    section_open(&d, "basis", "设定依据");
    string_list(&d, json_object_get(item, "legal_basis"), "—");
    section_close(&d);
    item_materials(&d, item, code.data ? code.data : "");
    item_situations(&d, item, code.data ? code.data : "");
    item_steps(&d, item);
    item_fees(&d, item);
    item_limits(&d, item);
    item_place(&d, item);
    item_faq(&d, item);
    ybuf_adds(b, "</main>\n");
    footer(&d, version, published_on, "基本编码", str(item, "basic_code"), page.data);
    ybuf_release(&code);
    ybuf_release(&page);
    ybuf_release(&title);
    return finish(&d, len);
}

/* ------------------------------------------------------------ bundle guide */

static json_t *member(json_t *items, const char *code)
{
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) if (!strcmp(str(it, "basic_code"), code)) return it;
    return NULL;
}

/* Name of a member item, or its code when not among member_items. */
static const char *member_name(json_t *items, const char *code)
{
    json_t *it = member(items, code);
    return it ? str(it, "name") : code;
}

static void bundle_members(doc *d, json_t *bundle, json_t *items)
{
    ybuf *b = &d->b;
    section_open(d, "items", "包含事项");
    ybuf_adds(b, "<table class=\"g-table g-members\">\n<thead><tr><th scope=\"col\" "
                 "class=\"g-num\">序号</th>"
                 "<th scope=\"col\">事项名称</th><th scope=\"col\">实施部门</th>"
                 "<th scope=\"col\">办件类型</th><th scope=\"col\">承诺时限</th></tr></thead>\n"
                 "<tbody>\n");
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(bundle, "items"), i, c)
    {
        const char *code = json_string_value(c) ? json_string_value(c) : "";
        json_t *it = member(items, code);
        ybuf_printf(b, "<tr><td class=\"g-num\">%zu</td><td>", i + 1);
        if (it && d->layout == GUIDE_PAGE) {
            ybuf_adds(b, "<a href=\"/guide/items/");
            url_seg(b, code);
            ybuf_adds(b, "\">");
            esc(b, str(it, "name"));
            ybuf_adds(b, "</a>");
        } else {
            esc(b, it ? str(it, "name") : code);
        }
        ybuf_adds(b, "<span class=\"g-code\">");
        esc(b, code);
        ybuf_adds(b, "</span></td><td data-label=\"实施部门\">");
        esc(b, it ? str(it, "department") : "—");
        ybuf_adds(b, "</td><td data-label=\"办件类型\">");
        esc(b, it ? label("case_kind", str(it, "case_kind")) : "—");
        ybuf_adds(b, "</td><td data-label=\"承诺时限\">");
        if (it)
            limit_text(b, json_object_get(it, "promised_limit"));
        else
            ybuf_adds(b, "—");
        ybuf_adds(b, "</td></tr>\n");
    }
    ybuf_adds(b, "</tbody>\n</table>\n");
    section_close(d);
}

static void bundle_form(doc *d, json_t *bundle, json_t *items)
{
    ybuf *b = &d->b;
    json_t *ff = json_object_get(bundle, "form_fields");
    section_open(d, "form", "一张表单");
    if (!json_array_size(ff)) {
        ybuf_adds(b, "<p class=\"g-none\">各事项分别填写申请表。</p>\n");
        section_close(d);
        return;
    }
    ybuf_adds(b, "<p class=\"g-note\">以下信息在一张合并表单中只填写一次，"
                 "由牵头部门分送各协办部门。</p>\n"
                 "<table class=\"g-table\">\n<thead><tr><th scope=\"col\">填写项</th>"
                 "<th scope=\"col\">共用事项</th></tr></thead>\n<tbody>\n");
    size_t i, k;
    json_t *f, *c;
    json_array_foreach(ff, i, f)
    {
        ybuf_adds(b, "<tr><td>");
        esc(b, str(f, "label"));
        ybuf_adds(b, "</td><td>");
        json_t *its = json_object_get(f, "items");
        if (!json_array_size(its))
            ybuf_adds(b, "全部事项");
        json_array_foreach(its, k, c)
        {
            if (k)
                ybuf_adds(b, "、");
            esc(b, member_name(items, json_string_value(c) ? json_string_value(c) : ""));
        }
        ybuf_adds(b, "</td></tr>\n");
    }
    ybuf_adds(b, "</tbody>\n</table>\n");
    section_close(d);
}

/* Materials of every member item, once per material name, with the items needing it. */
static void bundle_checklist(doc *d, json_t *bundle, json_t *items)
{
    ybuf *b = &d->b;
    json_t *rows = json_array(); /* [{m, items:[names]}] in first-seen order */
    size_t i, k;
    json_t *c, *m;
    json_array_foreach(json_object_get(bundle, "items"), i, c)
    {
        json_t *it = member(items, json_string_value(c) ? json_string_value(c) : "");
        if (!it)
            continue;
        json_array_foreach(json_object_get(it, "materials"), k, m)
        {
            json_t *row = NULL, *r;
            size_t j;
            json_array_foreach(rows, j, r) if (!strcmp(str(json_object_get(r, "m"), "name"),
                                                       str(m, "name"))) row = r;
            if (!row) {
                row = json_pack("{s:O,s:[]}", "m", m, "items");
                json_array_append_new(rows, row);
            }
            json_array_append_new(json_object_get(row, "items"), json_string(str(it, "name")));
        }
    }
    section_open(d, "checklist", "合并材料清单");
    ybuf_adds(b, "<p class=\"g-note\">多个事项共用的材料只需提交一次。"
                 "标注“视情形提交”的材料是否需要，以各事项的情形为准。</p>\n"
                 "<table class=\"g-table g-materials g-checklist\">\n<thead><tr>"
                 "<th scope=\"col\" class=\"g-num\">序号</th><th scope=\"col\">材料名称</th>"
                 "<th scope=\"col\">材料类型</th><th scope=\"col\" class=\"g-num\">份数</th>"
                 "<th scope=\"col\">来源</th><th scope=\"col\">涉及事项</th></tr></thead>\n"
                 "<tbody>\n");
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        m = json_object_get(r, "m");
        bool gov = !strcmp(str(m, "source"), "government");
        ybuf_printf(b, "<tr%s><td class=\"g-num\">%zu</td><td class=\"g-mname\">",
                    gov ? " class=\"g-nosubmit\"" : "", i + 1);
        esc(b, str(m, "name"));
        if (json_is_false(json_object_get(m, "always")))
            ybuf_adds(b, "<span class=\"g-when\">视情形提交</span>");
        ybuf_adds(b, "</td><td data-label=\"材料类型\">");
        esc(b, label("kind", str(m, "kind")));
        ybuf_printf(
            b, "</td><td class=\"g-num\" data-label=\"份数\">%lld</td><td data-label=\"来源\">",
            (long long)json_integer_value(json_object_get(m, "count")));
        if (gov)
            ybuf_adds(b, "<span class=\"g-badge\">免提交</span>政府部门核发");
        else
            esc(b, label("source", str(m, "source")));
        ybuf_adds(b, "</td><td data-label=\"涉及事项\">");
        join(b, json_object_get(r, "items"), NULL);
        ybuf_adds(b, "</td></tr>\n");
    }
    if (!json_array_size(rows))
        ybuf_adds(b, "<tr><td colspan=\"6\" class=\"g-none\">暂无</td></tr>\n");
    ybuf_adds(b, "</tbody>\n</table>\n");
    json_decref(rows);
    section_close(d);
}

char *guide_bundle_html(json_t *bundle, json_t *member_items, int version, guide_layout layout,
                        size_t *len)
{
    doc d = {{0}, layout, 0};
    ybuf *b = &d.b;
    ybuf code = {0}, page = {0}, title = {0}, actions = {0};
    url_seg(&code, str(bundle, "code"));
    ybuf_printf(&page, "/guide/bundles/%s", code.data ? code.data : "");
    ybuf_printf(&title, "%s - 一件事办事指南", str(bundle, "name"));
    head(&d, title.data, "guide-bundle");
    ybuf_printf(&actions,
                "<a href=\"/portal/\">搜索事项</a><a href=\"/portal/bundle.html?code=%s\">"
                "在线查看</a><a href=\"%s/print\">打印版</a>",
                code.data ? code.data : "", page.data);
    topbar(&d, actions.data);
    ybuf_release(&actions);

    ybuf_adds(b, "<main class=\"g-sheet\">\n");
    print_hint(&d, page.data);
    ybuf_adds(b, "<header class=\"g-title\">\n<p class=\"g-kicker\">“一件事”办事指南</p>\n<h1>");
    esc(b, str(bundle, "name"));
    ybuf_adds(b, "</h1>\n<p class=\"g-meta\">主题 ");
    esc(b, str(bundle, "theme"));
    ybuf_adds(b, " · 牵头部门 ");
    esc(b, str(bundle, "lead_department"));
    ybuf_adds(b, " · 承诺时限 ");
    limit_text(b, json_object_get(bundle, "promised_limit"));
    ybuf_adds(b, "</p>\n</header>\n");

    section_open(&d, "basic", "一件事基本信息");
    ybuf_adds(b, "<table class=\"g-kv\">\n<tbody>\n");
    kv(b, "名称", str(bundle, "name"));
    kv(b, "编码", str(bundle, "code"));
    kv(b, "主题", str(bundle, "theme"));
    kv(b, "牵头部门", str(bundle, "lead_department"));
    kv_begin(b, "协办部门");
    if (json_array_size(json_object_get(bundle, "co_departments")))
        join(b, json_object_get(bundle, "co_departments"), NULL);
    else
        ybuf_adds(b, "无");
    kv_end(b);
    kv(b, "办理结果", str(bundle, "output"));
    kv_begin(b, "承诺办结时限");
    limit_text(b, json_object_get(bundle, "promised_limit"));
    kv_end(b);
    kv(b, "说明", str(bundle, "description"));
    ybuf_adds(b, "</tbody>\n</table>\n");
    ybuf_adds(b, "<p class=\"g-note\">一次告知、一表申请、一窗受理、并联审批、一次办结："
                 "在综合窗口一次提交全部材料，由牵头部门统一出件。</p>\n");
    section_close(&d);

    bundle_members(&d, bundle, member_items);
    bundle_form(&d, bundle, member_items);
    bundle_checklist(&d, bundle, member_items);

    /* Place and phones come from the lead department's member (or the first). */
    json_t *lead = NULL, *first = NULL, *c;
    size_t i;
    json_array_foreach(json_object_get(bundle, "items"), i, c)
    {
        json_t *it = member(member_items, json_string_value(c) ? json_string_value(c) : "");
        if (!it)
            continue;
        if (!first)
            first = it;
        if (!lead && !strcmp(str(it, "department"), str(bundle, "lead_department")))
            lead = it;
    }
    if (!lead)
        lead = first;
    if (lead) {
        section_open(&d, "place", "办理地点和咨询电话");
        ybuf_adds(b, "<table class=\"g-kv\">\n<tbody>\n");
        kv(b, "办理地点", str(lead, "place"));
        kv(b, "办理时间", str(lead, "hours"));
        kv(b, "咨询电话", str(lead, "consult_phone"));
        kv(b, "投诉电话", str(lead, "complaint_phone"));
        ybuf_adds(b, "</tbody>\n</table>\n");
        section_close(&d);
    }
    ybuf_adds(b, "</main>\n");
    footer(&d, version, NULL, "一件事编码", str(bundle, "code"), page.data);
    ybuf_release(&code);
    ybuf_release(&page);
    ybuf_release(&title);
    return finish(&d, len);
}

/* ------------------------------------------------------------ forms and samples */

static bool serves(json_t *item, const char *object)
{
    size_t i;
    json_t *v;
    json_array_foreach(
        json_object_get(item, "service_object"), i,
        v) if (!strcmp(json_string_value(v) ? json_string_value(v) : "", object)) return true;
    return false;
}

/* One form row: label, value (sample) or an empty line to write on. */
static void form_row(ybuf *b, const char *key, const char *value, bool sample, bool tall)
{
    ybuf_printf(b, "<tr%s><th scope=\"row\">", tall ? " class=\"f-tall\"" : "");
    esc(b, key);
    ybuf_adds(b, "</th><td>");
    if (sample && value) {
        ybuf_adds(b, "<span class=\"f-filled\">");
        esc(b, value);
        ybuf_adds(b, "</span>");
    }
    ybuf_adds(b, "</td></tr>\n");
}

/* The standard's clauses ("；" or "。" separated) as the lines to fill. */
static void standard_lines(ybuf *b, const char *standard)
{
    if (!*standard)
        return;
    ybuf_adds(b, "<section class=\"f-notes\">\n<h2>填写要求</h2>\n<ol>\n");
    const char *p = standard;
    while (*p) {
        const char *a = strstr(p, "；"), *c = strstr(p, "。");
        const char *end = a && (!c || a < c) ? a : c;
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n) {
            char *part = xstrndup(p, n);
            ybuf_adds(b, "<li>");
            esc(b, part);
            ybuf_adds(b, "</li>\n");
            free(part);
        }
        p += n + (end ? strlen("；") : 0); /* both separators are 3 bytes in UTF-8 */
    }
    ybuf_adds(b, "</ol>\n</section>\n");
}

char *guide_form_html(json_t *item, const char *material_key, bool sample, size_t *len)
{
    json_t *m = NULL, *v;
    size_t i;
    json_array_foreach(json_object_get(item, "materials"), i,
                       v) if (material_key && !strcmp(str(v, "key"), material_key)) m = v;
    if (!m)
        return NULL;
    doc d = {{0}, GUIDE_PRINT, 0};
    ybuf *b = &d.b;
    ybuf title = {0}, code = {0};
    url_seg(&code, str(item, "basic_code"));
    ybuf_printf(&title, "%s%s - %s", str(m, "name"), sample ? "（样表）" : "（空白表格）",
                str(item, "name"));
    head(&d, title.data, sample ? "guide-form form-sample" : "guide-form form-blank");
    ybuf_adds(b, "<main class=\"g-sheet f-sheet\">\n");
    ybuf_printf(b,
                "<p class=\"g-print-hint g-screen-only\">请使用浏览器的“打印”功能，纸张选择 A4。"
                "<a href=\"/guide/items/%s\">返回办事指南</a></p>\n",
                code.data ? code.data : "");
    if (sample)
        ybuf_adds(b, "<p class=\"f-stamp\" aria-label=\"样表\">样表</p>\n"
                     "<p class=\"f-sample-note\">样表：仅供填写参考，请勿直接提交。</p>\n");
    ybuf_adds(b, "<header class=\"g-title f-title\">\n<h1>");
    esc(b, str(m, "name"));
    if (sample)
        ybuf_adds(b, "<span class=\"f-mark\">（样表）</span>");
    ybuf_adds(b, "</h1>\n<p class=\"g-meta\">事项：");
    esc(b, str(item, "name"));
    ybuf_adds(b, " · 受理部门：");
    esc(b, str(item, "department"));
    ybuf_adds(b, "</p>\n</header>\n<table class=\"f-table\">\n<tbody>\n");
    bool company = serves(item, "法人") && !serves(item, "自然人");
    form_row(b, "申请事项", str(item, "name"), true, false);
    if (company) {
        form_row(b, "单位名称", "某某商贸有限公司", sample, false);
        form_row(b, "统一社会信用代码", "91410326MA9G000001", sample, false);
        form_row(b, "法定代表人", "张三", sample, false);
        form_row(b, "法定代表人身份证件号码", "11010519491231002X", sample, false);
    } else {
        form_row(b, "申请人姓名", "张三", sample, false);
        form_row(b, "公民身份号码", "11010519491231002X", sample, false);
    }
    form_row(b, "联系电话", "13800000000", sample, false);
    form_row(b, "联系地址", "某某县城关镇人民路 1 号", sample, false);
    if (serves(item, "自然人") || !company)
        form_row(b, "代理人姓名及证件号码（委托办理时填写）", "（本人办理，不填）", sample, false);
    ybuf title2 = {0};
    ybuf_printf(&title2, "%s内容", str(m, "name"));
    form_row(b, title2.data, "按实际情况如实填写本材料要求的各项内容。", sample, true);
    ybuf_release(&title2);
    kv_begin(b, "提交份数");
    ybuf_printf(b, "%lld 份（", (long long)json_integer_value(json_object_get(m, "count")));
    esc(b, label("kind", str(m, "kind")));
    ybuf_adds(b, "，");
    esc(b, label("form", str(m, "form")));
    ybuf_adds(b, "）");
    kv_end(b);
    ybuf_adds(b, "</tbody>\n</table>\n");
    standard_lines(b, str(m, "standard"));
    mistakes(b, m);
    ybuf_adds(b, "<section class=\"f-sign\">\n<p>本人承诺：以上所填信息及所附材料真实、有效，"
                 "如有虚假，愿承担相应法律责任。</p>\n"
                 "<p class=\"f-sign-line\"><span>申请人（签字或盖章）：");
    if (sample)
        ybuf_adds(b, "<span class=\"f-filled\">张三</span>");
    ybuf_adds(b, "</span><span>日期：");
    if (sample)
        ybuf_adds(b, "<span class=\"f-filled\">2026年3月2日</span>");
    else
        ybuf_adds(b, "　　年　　月　　日");
    ybuf_adds(b, "</span></p>\n</section>\n</main>\n");
    ybuf_release(&title);
    ybuf_release(&code);
    return finish(&d, len);
}
