/*
 * guide_bundle.c - see guide.h: the guide of a 一件事 bundle.
 */
#include "service/guide_html.h"
#include "core/catalog.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------ bundle guide */

static json_t *member(json_t *items, const char *code)
{
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) if (!strcmp(gh_str(it, "basic_code"), code)) return it;
    return NULL;
}

/* Name of a member item, or its code when not among member_items. */
static const char *member_name(json_t *items, const char *code)
{
    json_t *it = member(items, code);
    return it ? gh_str(it, "name") : code;
}

static void bundle_members(gh_doc *d, json_t *bundle, json_t *items)
{
    ybuf *b = &d->b;
    gh_section_open(d, "items", "包含事项");
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
            gh_url_seg(b, code);
            ybuf_adds(b, "\">");
            gh_esc(b, gh_str(it, "name"));
            ybuf_adds(b, "</a>");
        } else {
            gh_esc(b, it ? gh_str(it, "name") : code);
        }
        ybuf_adds(b, "<span class=\"g-code\">");
        gh_esc(b, code);
        ybuf_adds(b, "</span></td><td data-label=\"实施部门\">");
        gh_esc(b, it ? gh_str(it, "department") : "—");
        ybuf_adds(b, "</td><td data-label=\"办件类型\">");
        gh_esc(b, it ? gh_label("case_kind", gh_str(it, "case_kind")) : "—");
        ybuf_adds(b, "</td><td data-label=\"承诺时限\">");
        if (it)
            gh_limit_text(b, json_object_get(it, "promised_limit"));
        else
            ybuf_adds(b, "—");
        ybuf_adds(b, "</td></tr>\n");
    }
    ybuf_adds(b, "</tbody>\n</table>\n");
    gh_section_close(d);
}

static void bundle_form(gh_doc *d, json_t *bundle, json_t *items)
{
    ybuf *b = &d->b;
    json_t *ff = json_object_get(bundle, "form_fields");
    gh_section_open(d, "form", "一张表单");
    if (!json_array_size(ff)) {
        ybuf_adds(b, "<p class=\"g-none\">各事项分别填写申请表。</p>\n");
        gh_section_close(d);
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
        gh_esc(b, gh_str(f, "label"));
        ybuf_adds(b, "</td><td>");
        json_t *its = json_object_get(f, "items");
        if (!json_array_size(its))
            ybuf_adds(b, "全部事项");
        json_array_foreach(its, k, c)
        {
            if (k)
                ybuf_adds(b, "、");
            gh_esc(b, member_name(items, json_string_value(c) ? json_string_value(c) : ""));
        }
        ybuf_adds(b, "</td></tr>\n");
    }
    ybuf_adds(b, "</tbody>\n</table>\n");
    gh_section_close(d);
}

/* Materials of every member item, once per material name, with the items needing it. */
static void bundle_checklist(gh_doc *d, json_t *bundle, json_t *items)
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
            json_array_foreach(rows, j, r) if (!strcmp(gh_str(json_object_get(r, "m"), "name"),
                                                       gh_str(m, "name"))) row = r;
            if (!row) {
                row = json_pack("{s:O,s:[]}", "m", m, "items");
                json_array_append_new(rows, row);
            }
            json_array_append_new(json_object_get(row, "items"), json_string(gh_str(it, "name")));
        }
    }
    gh_section_open(d, "checklist", "合并材料清单");
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
        bool gov = !strcmp(gh_str(m, "source"), "government");
        ybuf_printf(b, "<tr%s><td class=\"g-num\">%zu</td><td class=\"g-mname\">",
                    gov ? " class=\"g-nosubmit\"" : "", i + 1);
        gh_esc(b, gh_str(m, "name"));
        if (json_is_false(json_object_get(m, "always")))
            ybuf_adds(b, "<span class=\"g-when\">视情形提交</span>");
        ybuf_adds(b, "</td><td data-label=\"材料类型\">");
        gh_esc(b, gh_label("kind", gh_str(m, "kind")));
        ybuf_printf(
            b, "</td><td class=\"g-num\" data-label=\"份数\">%lld</td><td data-label=\"来源\">",
            (long long)json_integer_value(json_object_get(m, "count")));
        if (gov)
            ybuf_adds(b, "<span class=\"g-badge\">免提交</span>政府部门核发");
        else
            gh_esc(b, gh_label("source", gh_str(m, "source")));
        ybuf_adds(b, "</td><td data-label=\"涉及事项\">");
        gh_join(b, json_object_get(r, "items"), NULL);
        ybuf_adds(b, "</td></tr>\n");
    }
    if (!json_array_size(rows))
        ybuf_adds(b, "<tr><td colspan=\"6\" class=\"g-none\">暂无</td></tr>\n");
    ybuf_adds(b, "</tbody>\n</table>\n");
    json_decref(rows);
    gh_section_close(d);
}

char *guide_bundle_html(json_t *bundle, json_t *member_items, int version, guide_layout layout,
                        size_t *len)
{
    gh_doc d = {{0}, layout, 0};
    ybuf *b = &d.b;
    ybuf code = {0}, page = {0}, title = {0}, actions = {0};
    gh_url_seg(&code, gh_str(bundle, "code"));
    ybuf_printf(&page, "/guide/bundles/%s", code.data ? code.data : "");
    ybuf_printf(&title, "%s - 一件事办事指南", gh_str(bundle, "name"));
    gh_head(&d, title.data, "guide-bundle");
    ybuf_printf(&actions,
                "<a href=\"/portal/\">搜索事项</a><a href=\"/portal/bundle.html?code=%s\">"
                "在线查看</a><a href=\"%s/print\">打印版</a>",
                code.data ? code.data : "", page.data);
    gh_topbar(&d, actions.data);
    ybuf_release(&actions);

    ybuf_adds(b, "<main class=\"g-sheet\">\n");
    gh_print_hint(&d, page.data);
    ybuf_adds(b, "<header class=\"g-title\">\n<p class=\"g-kicker\">“一件事”办事指南</p>\n<h1>");
    gh_esc(b, gh_str(bundle, "name"));
    ybuf_adds(b, "</h1>\n<p class=\"g-meta\">主题 ");
    gh_esc(b, gh_str(bundle, "theme"));
    ybuf_adds(b, " · 牵头部门 ");
    gh_esc(b, gh_str(bundle, "lead_department"));
    ybuf_adds(b, " · 承诺时限 ");
    gh_limit_text(b, json_object_get(bundle, "promised_limit"));
    ybuf_adds(b, "</p>\n</header>\n");

    gh_section_open(&d, "basic", "一件事基本信息");
    ybuf_adds(b, "<table class=\"g-kv\">\n<tbody>\n");
    gh_kv(b, "名称", gh_str(bundle, "name"));
    gh_kv(b, "编码", gh_str(bundle, "code"));
    gh_kv(b, "主题", gh_str(bundle, "theme"));
    gh_kv(b, "牵头部门", gh_str(bundle, "lead_department"));
    gh_kv_begin(b, "协办部门");
    if (json_array_size(json_object_get(bundle, "co_departments")))
        gh_join(b, json_object_get(bundle, "co_departments"), NULL);
    else
        ybuf_adds(b, "无");
    gh_kv_end(b);
    gh_kv(b, "办理结果", gh_str(bundle, "output"));
    gh_kv_begin(b, "承诺办结时限");
    gh_limit_text(b, json_object_get(bundle, "promised_limit"));
    gh_kv_end(b);
    gh_kv(b, "说明", gh_str(bundle, "description"));
    ybuf_adds(b, "</tbody>\n</table>\n");
    ybuf_adds(b, "<p class=\"g-note\">一次告知、一表申请、一窗受理、并联审批、一次办结："
                 "在综合窗口一次提交全部材料，由牵头部门统一出件。</p>\n");
    gh_section_close(&d);

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
        if (!lead && !strcmp(gh_str(it, "department"), gh_str(bundle, "lead_department")))
            lead = it;
    }
    if (!lead)
        lead = first;
    if (lead) {
        gh_section_open(&d, "place", "办理地点和咨询电话");
        ybuf_adds(b, "<table class=\"g-kv\">\n<tbody>\n");
        gh_kv(b, "办理地点", gh_str(lead, "place"));
        gh_kv(b, "办理时间", gh_str(lead, "hours"));
        gh_kv(b, "咨询电话", gh_str(lead, "consult_phone"));
        gh_kv(b, "投诉电话", gh_str(lead, "complaint_phone"));
        ybuf_adds(b, "</tbody>\n</table>\n");
        gh_section_close(&d);
    }
    ybuf_adds(b, "</main>\n");
    gh_footer(&d, version, NULL, "一件事编码", gh_str(bundle, "code"), page.data);
    ybuf_release(&code);
    ybuf_release(&page);
    ybuf_release(&title);
    return gh_finish(&d, len);
}
