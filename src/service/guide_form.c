/*
 * guide_form.c - see guide.h: a material's blank form and filled-in sample.
 */
#include "service/guide_html.h"
#include "core/catalog.h"

#include <stdio.h>
#include <string.h>

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
    gh_esc(b, key);
    ybuf_adds(b, "</th><td>");
    if (sample && value) {
        ybuf_adds(b, "<span class=\"f-filled\">");
        gh_esc(b, value);
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
            gh_esc(b, part);
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
                       v) if (material_key && !strcmp(gh_str(v, "key"), material_key)) m = v;
    if (!m)
        return NULL;
    gh_doc d = {{0}, GUIDE_PRINT, 0};
    ybuf *b = &d.b;
    ybuf title = {0}, code = {0};
    gh_url_seg(&code, gh_str(item, "basic_code"));
    ybuf_printf(&title, "%s%s - %s", gh_str(m, "name"), sample ? "（样表）" : "（空白表格）",
                gh_str(item, "name"));
    gh_head(&d, title.data, sample ? "guide-form form-sample" : "guide-form form-blank");
    ybuf_adds(b, "<main class=\"g-sheet f-sheet\">\n");
    ybuf_printf(b,
                "<p class=\"g-print-hint g-screen-only\">请使用浏览器的“打印”功能，纸张选择 A4。"
                "<a href=\"/guide/items/%s\">返回办事指南</a></p>\n",
                code.data ? code.data : "");
    if (sample)
        ybuf_adds(b, "<p class=\"f-stamp\" aria-label=\"样表\">样表</p>\n"
                     "<p class=\"f-sample-note\">样表：仅供填写参考，请勿直接提交。</p>\n");
    ybuf_adds(b, "<header class=\"g-title f-title\">\n<h1>");
    gh_esc(b, gh_str(m, "name"));
    if (sample)
        ybuf_adds(b, "<span class=\"f-mark\">（样表）</span>");
    ybuf_adds(b, "</h1>\n<p class=\"g-meta\">事项：");
    gh_esc(b, gh_str(item, "name"));
    ybuf_adds(b, " · 受理部门：");
    gh_esc(b, gh_str(item, "department"));
    ybuf_adds(b, "</p>\n</header>\n<table class=\"f-table\">\n<tbody>\n");
    bool company = serves(item, "法人") && !serves(item, "自然人");
    form_row(b, "申请事项", gh_str(item, "name"), true, false);
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
    ybuf_printf(&title2, "%s内容", gh_str(m, "name"));
    form_row(b, title2.data, "按实际情况如实填写本材料要求的各项内容。", sample, true);
    ybuf_release(&title2);
    gh_kv_begin(b, "提交份数");
    ybuf_printf(b, "%lld 份（", (long long)json_integer_value(json_object_get(m, "count")));
    gh_esc(b, gh_label("kind", gh_str(m, "kind")));
    ybuf_adds(b, "，");
    gh_esc(b, gh_label("form", gh_str(m, "form")));
    ybuf_adds(b, "）");
    gh_kv_end(b);
    ybuf_adds(b, "</tbody>\n</table>\n");
    standard_lines(b, gh_str(m, "standard"));
    gh_mistakes(b, m);
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
    return gh_finish(&d, len);
}
