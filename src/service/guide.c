/*
 * guide.c - see guide.h: the item guide. One builder per document; the helpers of
 * guide_html.h append escaped text, labelled rows and numbered sections to a ybuf. The page and
 * print layouts share every section; they differ in the chrome around them (site bar and buttons on
 * the page, a compact title block and plain-text addresses instead of buttons on paper) and in the
 * root class guide.css keys the A4 sheet on.
 */
#include "service/guide.h"
#include "service/guide_html.h"
#include "core/catalog.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>
/* ------------------------------------------------------------ item guide */

static void item_basic(gh_doc *d, json_t *item, const char *department_name)
{
    ybuf *b = &d->b;
    gh_section_open(d, "basic", "事项基本信息");
    ybuf_adds(b, "<table class=\"g-kv\">\n<tbody>\n");
    gh_kv(b, "事项名称", gh_str(item, "name"));
    gh_kv(b, "基本编码", gh_str(item, "basic_code"));
    gh_kv(b, "实施编码", gh_str(item, "impl_code"));
    gh_kv(b, "业务办理项编码", gh_str(item, "handle_code"));
    gh_kv(b, "事项类型", gh_label("type", gh_str(item, "type_code")));
    gh_kv(b, "行使层级", gh_label("level", gh_str(item, "level")));
    gh_kv(b, "实施部门",
          department_name && *department_name ? department_name : gh_str(item, "department"));
    gh_kv(b, "所属领域", gh_label("domain", gh_str(item, "domain")));
    gh_kv_begin(b, "服务对象");
    gh_join(b, json_object_get(item, "service_object"), "object");
    gh_kv_end(b);
    gh_kv_begin(b, "办理形式");
    gh_join(b, json_object_get(item, "handling_forms"), "handling");
    gh_kv_end(b);
    gh_kv(b, "办件类型", gh_label("case_kind", gh_str(item, "case_kind")));
    gh_kv_begin(b, "到现场次数");
    ybuf_printf(b, "%lld 次", (long long)json_integer_value(json_object_get(item, "visits")));
    gh_kv_end(b);
    gh_kv(b, "通办范围", gh_label("cross_region", gh_str(item, "cross_region")));
    json_t *res = json_object_get(item, "result");
    gh_kv_begin(b, "办理结果");
    gh_esc(b, gh_str(res, "name"));
    if (*gh_str(res, "kind")) {
        ybuf_adds(b, "（");
        gh_esc(b, gh_label("result", gh_str(res, "kind")));
        ybuf_adds(b, "）");
    }
    gh_kv_end(b);
    gh_kv(b, "结果样本", gh_str(res, "sample"));
    json_t *aliases = json_object_get(item, "aliases");
    if (json_array_size(aliases)) {
        gh_kv_begin(b, "又称");
        gh_join(b, aliases, NULL);
        gh_kv_end(b);
    }
    ybuf_adds(b, "</tbody>\n</table>\n");
    gh_section_close(d);
}

static void string_list(gh_doc *d, json_t *a, const char *empty)
{
    if (!json_array_size(a)) {
        ybuf_adds(&d->b, "<p class=\"g-none\">");
        gh_esc(&d->b, empty);
        ybuf_adds(&d->b, "</p>\n");
        return;
    }
    ybuf_adds(&d->b, "<ol class=\"g-list\">\n");
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        ybuf_adds(&d->b, "<li>");
        gh_esc(&d->b, json_string_value(v));
        ybuf_adds(&d->b, "</li>\n");
    }
    ybuf_adds(&d->b, "</ol>\n");
}

static void item_materials(gh_doc *d, json_t *item, const char *code_seg)
{
    ybuf *b = &d->b;
    json_t *ms = json_object_get(item, "materials");
    gh_section_open(d, "materials", "申请材料");
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
        const char *key = gh_str(m, "key");
        bool gov = !strcmp(gh_str(m, "source"), "government");
        ybuf_adds(b, "<tr id=\"m-");
        gh_esc(b, key);
        ybuf_printf(b, "\"%s><td class=\"g-num\">%zu</td><td class=\"g-mname\">",
                    gov ? " class=\"g-nosubmit\"" : "", i + 1);
        gh_esc(b, gh_str(m, "name"));
        if (gh_material_conditional(item, m))
            gh_material_situations(b, item, key);
        ybuf_adds(b, "</td><td data-label=\"材料类型\">");
        gh_esc(b, gh_label("kind", gh_str(m, "kind")));
        ybuf_adds(b, "</td><td data-label=\"形式\">");
        gh_esc(b, gh_label("form", gh_str(m, "form")));
        ybuf_printf(
            b, "</td><td class=\"g-num\" data-label=\"份数\">%lld</td><td data-label=\"必要性\">",
            (long long)json_integer_value(json_object_get(m, "count")));
        const char *req = gh_str(m, "requirement");
        ybuf_printf(b, "<span class=\"g-req g-req-%s\">",
                    !strcmp(req, "required")     ? "required"
                    : !strcmp(req, "deferrable") ? "deferrable"
                                                 : "optional");
        gh_esc(b, gh_label("requirement", req));
        ybuf_adds(b, "</span></td><td data-label=\"来源\">");
        if (gov)
            ybuf_adds(b, "<span class=\"g-badge\">免提交</span>政府部门核发，"
                         "窗口通过电子证照库调取");
        else
            gh_esc(b, gh_label("source", gh_str(m, "source")));
        ybuf_adds(b, "</td><td class=\"g-wrap\" data-label=\"受理标准\">");
        gh_esc(b, *gh_str(m, "standard") ? gh_str(m, "standard") : "—");
        gh_mistakes(b, m);
        ybuf_adds(b, "</td><td class=\"g-files\" data-label=\"表格与样表\">");
        bool any = false;
        if (*gh_str(m, "blank_form")) {
            any = true;
            if (d->layout == GUIDE_PAGE) {
                ybuf_printf(b, "<a class=\"g-link\" href=\"/guide/items/%s/forms/", code_seg);
                gh_url_seg(b, key);
                ybuf_adds(b, "\">空白表格</a>");
            } else {
                ybuf_adds(b, "<span>空白表格</span>");
            }
        }
        if (*gh_str(m, "sample")) {
            any = true;
            if (d->layout == GUIDE_PAGE) {
                ybuf_printf(b, "<a class=\"g-link\" href=\"/guide/items/%s/samples/", code_seg);
                gh_url_seg(b, key);
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
    gh_section_close(d);
}

static const char *material_name(json_t *item, const char *key)
{
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(item, "materials"), i,
                       m) if (!strcmp(gh_str(m, "key"), key)) return gh_str(m, "name");
    return key;
}

static const char *question_text(json_t *qs, const char *key)
{
    size_t i;
    json_t *q;
    json_array_foreach(qs, i, q) if (key && !strcmp(gh_str(q, "key"), key)) return gh_str(q,
                                                                                          "text");
    return NULL;
}

static void item_situations(gh_doc *d, json_t *item, const char *code_seg)
{
    ybuf *b = &d->b;
    json_t *s = json_object_get(item, "situations");
    if (!json_is_object(s))
        return;
    json_t *qs = json_object_get(s, "questions");
    gh_section_open(d, "situations", "办理情形");
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
        gh_esc(b, gh_str(q, "text"));
        ybuf_adds(b, "</p>\n<ul class=\"g-options\">\n");
        json_array_foreach(json_object_get(q, "options"), k, o)
        {
            ybuf_adds(b, "<li><span class=\"g-otext\">");
            gh_esc(b, gh_str(o, "text"));
            ybuf_adds(b, "</span>");
            json_t *oms = json_object_get(o, "materials");
            if (json_array_size(oms)) {
                ybuf_adds(b, "：需提交");
                json_array_foreach(oms, j, mk)
                {
                    ybuf_adds(b, j ? "、“" : "“");
                    gh_esc(b,
                           material_name(item, json_string_value(mk) ? json_string_value(mk) : ""));
                    ybuf_adds(b, "”");
                }
            }
            const char *next = question_text(qs, json_string_value(json_object_get(o, "next")));
            if (next) {
                ybuf_adds(b, "<span class=\"g-next\">（接着回答：");
                gh_esc(b, next);
                ybuf_adds(b, "）</span>");
            }
            ybuf_adds(b, "</li>\n");
        }
        ybuf_adds(b, "</ul>\n</li>\n");
    }
    ybuf_adds(b, "</ol>\n");
    gh_section_close(d);
}

static void item_steps(gh_doc *d, json_t *item)
{
    ybuf *b = &d->b;
    json_t *prom = json_object_get(item, "promised_limit");
    const char *unit = gh_label("unit", gh_str(prom, "unit"));
    gh_section_open(d, "steps", "办理流程");
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
        gh_esc(b, gh_str(s, "name"));
        ybuf_adds(b, "</td><td>");
        gh_esc(b, *gh_str(s, "role") ? gh_label("role", gh_str(s, "role")) : "—");
        ybuf_adds(b, "</td><td>");
        if (share == 0) {
            ybuf_adds(b, "当场");
        } else {
            ybuf_printf(b, "%lld", (long long)share);
            gh_esc(b, unit);
        }
        ybuf_adds(b, "</td></tr>\n");
    }
    ybuf_adds(b,
              "</tbody>\n<tfoot><tr><th scope=\"row\" colspan=\"3\">合计（承诺办结时限）</th><td>");
    if (sum == 0) {
        ybuf_adds(b, "当场办结");
    } else {
        ybuf_printf(b, "%lld", (long long)sum);
        gh_esc(b, unit);
    }
    ybuf_adds(b, "</td></tr></tfoot>\n</table>\n");
    json_t *sps = json_object_get(item, "special_procedures");
    if (json_array_size(sps)) {
        ybuf_adds(b, "<h3>特别程序</h3>\n<p class=\"g-note\">以下特别程序所需时间不计入办结时限。"
                     "</p>\n<ul class=\"g-list g-special\">\n");
        json_array_foreach(sps, i, s)
        {
            ybuf_adds(b, "<li>");
            gh_esc(b, gh_str(s, "name"));
            ybuf_adds(b, "（");
            gh_esc(b, gh_label("special", gh_str(s, "kind")));
            ybuf_printf(b, "）：最长 %lld",
                        (long long)json_integer_value(json_object_get(s, "max_days")));
            gh_esc(b, unit);
            ybuf_adds(b, "，<strong>不计入办结时限</strong></li>\n");
        }
        ybuf_adds(b, "</ul>\n");
    }
    gh_section_close(d);
}

static void item_fees(gh_doc *d, json_t *item)
{
    ybuf *b = &d->b;
    json_t *fees = json_object_get(item, "fees");
    gh_section_open(d, "fees", "收费标准");
    if (!json_array_size(fees)) {
        ybuf_adds(b, "<p class=\"g-none\">不收费。</p>\n");
        gh_section_close(d);
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
        gh_esc(b, gh_str(f, "name"));
        ybuf_adds(b, "</td><td class=\"g-money\">");
        gh_money(b, json_integer_value(json_object_get(f, "amount_fen")));
        ybuf_adds(b, "</td><td class=\"g-wrap\">");
        gh_esc(b, gh_str(f, "basis"));
        ybuf_adds(b, "</td></tr>\n");
    }
    ybuf_adds(b, "</tbody>\n</table>\n");
    gh_section_close(d);
}

static void item_limits(gh_doc *d, json_t *item)
{
    ybuf *b = &d->b;
    gh_section_open(d, "limits", "办理时限");
    ybuf_adds(b, "<table class=\"g-kv\">\n<tbody>\n");
    gh_kv(b, "办件类型", gh_label("case_kind", gh_str(item, "case_kind")));
    gh_kv_begin(b, "法定办结时限");
    gh_limit_text(b, json_object_get(item, "statutory_limit"));
    gh_kv_end(b);
    gh_kv_begin(b, "承诺办结时限");
    gh_limit_text(b, json_object_get(item, "promised_limit"));
    gh_kv_end(b);
    ybuf_adds(b, "</tbody>\n</table>\n");
    if (json_array_size(json_object_get(item, "special_procedures")))
        ybuf_adds(b, "<p class=\"g-note\">听证、检验检测、鉴定、专家评审、现场勘验等特别程序"
                     "所需时间不计入上述时限。</p>\n");
    gh_section_close(d);
}

static void item_place(gh_doc *d, json_t *item)
{
    ybuf *b = &d->b;
    gh_section_open(d, "place", "办理地点和时间");
    ybuf_adds(b, "<table class=\"g-kv\">\n<tbody>\n");
    gh_kv(b, "办理地点", gh_str(item, "place"));
    gh_kv(b, "办理时间", gh_str(item, "hours"));
    ybuf_adds(b, "</tbody>\n</table>\n");
    gh_section_close(d);
    gh_section_open(d, "phones", "咨询和投诉电话");
    ybuf_adds(b, "<table class=\"g-kv\">\n<tbody>\n");
    gh_kv(b, "咨询电话", gh_str(item, "consult_phone"));
    gh_kv(b, "投诉电话", gh_str(item, "complaint_phone"));
    ybuf_adds(b, "</tbody>\n</table>\n");
    gh_section_close(d);
}

static void item_faq(gh_doc *d, json_t *item)
{
    ybuf *b = &d->b;
    json_t *faq = json_object_get(item, "faq");
    gh_section_open(d, "faq", "常见问题");
    if (!json_array_size(faq)) {
        ybuf_adds(b, "<p class=\"g-none\">暂无。</p>\n");
        gh_section_close(d);
        return;
    }
    ybuf_adds(b, "<dl class=\"g-faq\">\n");
    size_t i;
    json_t *f;
    json_array_foreach(faq, i, f)
    {
        ybuf_adds(b, "<div class=\"g-faq-item\"><dt>问：");
        gh_esc(b, gh_str(f, "q"));
        ybuf_adds(b, "</dt><dd>答：");
        gh_esc(b, gh_str(f, "a"));
        ybuf_adds(b, "</dd></div>\n");
    }
    ybuf_adds(b, "</dl>\n");
    gh_section_close(d);
}

char *guide_item_html(json_t *item, int version, const char *published_on,
                      const char *department_name, guide_layout layout, size_t *len)
{
    gh_doc d = {{0}, layout, 0};
    ybuf *b = &d.b;
    ybuf code = {0}, page = {0}, title = {0};
    gh_url_seg(&code, gh_str(item, "basic_code"));
    ybuf_printf(&page, "/guide/items/%s", code.data ? code.data : "");
    ybuf_printf(&title, "%s - 办事指南", gh_str(item, "name"));
    gh_head(&d, title.data, "guide-item");

    ybuf actions = {0};
    ybuf_adds(&actions, "<a href=\"/portal/\">搜索事项</a>");
    if (json_is_object(json_object_get(item, "situations")))
        ybuf_printf(&actions, "<a href=\"/portal/item.html?code=%s#wizard\">生成材料清单</a>",
                    code.data);
    ybuf_printf(&actions, "<a href=\"%s/print\">打印版</a>", page.data);
    gh_topbar(&d, actions.data);
    ybuf_release(&actions);

    ybuf_adds(b, "<main class=\"g-sheet\">\n");
    gh_print_hint(&d, page.data);
    ybuf_adds(b, "<header class=\"g-title\">\n<p class=\"g-kicker\">办事指南</p>\n<h1>");
    gh_esc(b, gh_str(item, "name"));
    ybuf_adds(b, "</h1>\n<p class=\"g-meta\">");
    gh_esc(b, department_name && *department_name ? department_name : gh_str(item, "department"));
    ybuf_adds(b, " · ");
    gh_esc(b, gh_label("case_kind", gh_str(item, "case_kind")));
    ybuf_adds(b, " · 承诺时限 ");
    gh_limit_text(b, json_object_get(item, "promised_limit"));
    ybuf_adds(b, " · 基本编码 ");
    gh_esc(b, gh_str(item, "basic_code"));
    ybuf_adds(b, "</p>\n</header>\n");

    item_basic(&d, item, department_name);
    gh_section_open(&d, "conditions", "受理条件");
    string_list(&d, json_object_get(item, "conditions"), "无特别受理条件。");
    gh_section_close(&d);
    gh_section_open(&d, "basis", "设定依据");
    string_list(&d, json_object_get(item, "legal_basis"), "—");
    gh_section_close(&d);
    item_materials(&d, item, code.data ? code.data : "");
    item_situations(&d, item, code.data ? code.data : "");
    item_steps(&d, item);
    item_fees(&d, item);
    item_limits(&d, item);
    item_place(&d, item);
    item_faq(&d, item);
    ybuf_adds(b, "</main>\n");
    gh_footer(&d, version, published_on, "基本编码", gh_str(item, "basic_code"), page.data);
    ybuf_release(&code);
    ybuf_release(&page);
    ybuf_release(&title);
    return gh_finish(&d, len);
}
