/*
 * guide_html.c - see guide_html.h.
 */
#include "service/guide_html.h"
#include "core/catalog.h"

#include <stdio.h>
#include <string.h>

const char *gh_str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

void gh_esc(ybuf *b, const char *s)
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
void gh_url_seg(ybuf *b, const char *s)
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
const char *gh_label(const char *group, const char *code)
{
    const char *l = catalog_label(group, code);
    return l ? l : code ? code : "";
}

/* Strings of an array joined by "、". */
void gh_join(ybuf *b, json_t *a, const char *group)
{
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        if (i)
            ybuf_adds(b, "、");
        gh_esc(b, group ? gh_label(group, json_string_value(v)) : json_string_value(v));
    }
}

static const char *const numerals[] = {"一", "二", "三", "四",   "五",   "六",   "七",
                                       "八", "九", "十", "十一", "十二", "十三", "十四"};

void gh_section_open(gh_doc *d, const char *id, const char *title)
{
    const char *n = d->section < (int)YC_ARRAY_LEN(numerals) ? numerals[d->section] : "";
    d->section++;
    ybuf_printf(&d->b, "<section class=\"g-section\" id=\"%s\">\n<h2>%s、", id, n);
    gh_esc(&d->b, title);
    ybuf_adds(&d->b, "</h2>\n");
}

void gh_section_close(gh_doc *d)
{
    ybuf_adds(&d->b, "</section>\n");
}

/* <tr><th>label</th><td>escaped value</td></tr>; skipped when value is empty. */
void gh_kv(ybuf *b, const char *key, const char *value)
{
    if (!value || !*value)
        return;
    ybuf_adds(b, "<tr><th scope=\"row\">");
    gh_esc(b, key);
    ybuf_adds(b, "</th><td>");
    gh_esc(b, value);
    ybuf_adds(b, "</td></tr>\n");
}

/* Open a row whose value the caller writes; close with gh_kv_end. */
void gh_kv_begin(ybuf *b, const char *key)
{
    ybuf_adds(b, "<tr><th scope=\"row\">");
    gh_esc(b, key);
    ybuf_adds(b, "</th><td>");
}

void gh_kv_end(ybuf *b)
{
    ybuf_adds(b, "</td></tr>\n");
}

/* "20个工作日" from {value, unit}; 0 reads as 即办. */
void gh_limit_text(ybuf *b, json_t *limit)
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
    gh_esc(b, gh_label("unit", gh_str(limit, "unit")));
}

void gh_money(ybuf *b, json_int_t fen)
{
    ybuf_printf(b, "%lld.%02lld 元", (long long)(fen / 100), (long long)(fen % 100));
}

/* The page head: doctype to the opening of <main>. */
void gh_head(gh_doc *d, const char *title, const char *kind)
{
    ybuf *b = &d->b;
    ybuf_printf(b,
                "<!doctype html>\n<html lang=\"zh-CN\" class=\"guide-doc %s %s\">\n<head>\n"
                "<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<title>",
                d->layout == GUIDE_PRINT ? "layout-print" : "layout-page", kind);
    gh_esc(b, title);
    ybuf_adds(b, "</title>\n<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\n"
                 "<link rel=\"stylesheet\" href=\"/css/guide.css\">\n</head>\n<body>\n");
}

/* Site bar with actions (page layout only); actions is pre-built HTML of links. */
void gh_topbar(gh_doc *d, const char *actions)
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

void gh_print_hint(gh_doc *d, const char *page_path)
{
    if (d->layout != GUIDE_PRINT)
        return;
    ybuf_adds(&d->b, "<p class=\"g-print-hint g-screen-only\">打印版：请使用浏览器的“打印”功能，"
                     "纸张选择 A4。<a href=\"");
    ybuf_adds(&d->b, page_path);
    ybuf_adds(&d->b, "\">返回网页版</a></p>\n");
}

void gh_footer(gh_doc *d, int version, const char *published_on, const char *code_label,
               const char *code, const char *page_path)
{
    ybuf *b = &d->b;
    ybuf_printf(b, "<footer class=\"g-footer\">\n<p>第 %d 版", version);
    if (published_on && *published_on) {
        ybuf_adds(b, " · 发布日期 ");
        gh_esc(b, published_on);
    }
    ybuf_adds(b, " · ");
    gh_esc(b, code_label);
    ybuf_adds(b, " ");
    gh_esc(b, code);
    ybuf_adds(b, "</p>\n<p>本指南由事项目录自动生成，网上办事指南与纸质指南同源");
    if (d->layout == GUIDE_PRINT) {
        ybuf_adds(b, "；网上查看：");
        ybuf_adds(b, page_path); /* built from url_seg, nothing to escape */
    }
    ybuf_adds(b, "。</p>\n</footer>\n");
}

char *gh_finish(gh_doc *d, size_t *len)
{
    ybuf_adds(&d->b, "</body>\n</html>\n");
    if (len)
        *len = d->b.len;
    return ybuf_detach(&d->b);
}

/* Which situation options select a material ("问题：选项"), for materials that do not
 * always apply. */
void gh_material_situations(ybuf *b, json_t *item, const char *key)
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
                gh_esc(b, gh_str(q, "text"));
                ybuf_adds(b, "选“");
                gh_esc(b, gh_str(o, "text"));
                ybuf_adds(b, "”");
                first = false;
            }
        }
    }
    if (!first)
        ybuf_adds(b, "</span>");
}

bool gh_material_conditional(json_t *item, json_t *m)
{
    return json_is_object(json_object_get(item, "situations")) &&
           json_is_false(json_object_get(m, "always"));
}

void gh_mistakes(ybuf *b, json_t *m)
{
    json_t *v = json_object_get(m, "mistakes");
    if (json_is_string(v) && *json_string_value(v)) {
        ybuf_adds(b, "<span class=\"g-mistakes\">常见错误：");
        gh_esc(b, json_string_value(v));
        ybuf_adds(b, "</span>");
    } else if (json_is_array(v) && json_array_size(v)) {
        ybuf_adds(b, "<span class=\"g-mistakes\">常见错误：");
        gh_join(b, v, NULL);
        ybuf_adds(b, "</span>");
    }
}
