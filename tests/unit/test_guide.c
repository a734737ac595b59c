/* Unit tests: guide pages (service/guide.c) rendered from fixture catalog documents. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalog.h"
#include "service/guide.h"

/* A 食品经营许可 item in the shape catalog_check_item accepts, with markup in the
 * name, a material, an option and the FAQ that must come out as text. */
static const char *const item_json =
    "{\"basic_code\":\"000133009000\",\"impl_code\":\"11410326MB1234567X000133009000\","
    "\"handle_code\":\"\",\"name\":\"食品经营许可<script>alert(1)</script>\","
    "\"aliases\":[\"开饭店\"],\"keywords\":[\"餐饮\"],\"type_code\":\"01\",\"level\":\"县级\","
    "\"department\":\"市场监管局\",\"domain\":\"企业开办\",\"service_object\":[\"自然人\","
    "\"法人\"],\"handling_forms\":[\"窗口\",\"网办\"],\"case_kind\":\"promise\","
    "\"statutory_limit\":{\"value\":20,\"unit\":\"working_day\"},"
    "\"promised_limit\":{\"value\":10,\"unit\":\"working_day\"},"
    "\"conditions\":[\"有与经营的食品品种相适应的经营场所\"],"
    "\"legal_basis\":[\"《中华人民共和国食品安全法》第三十五条\"],"
    "\"steps\":[{\"name\":\"受理\",\"share\":1,\"role\":\"clerk\"},"
    "{\"name\":\"审查\",\"share\":7,\"role\":\"reviewer\"},"
    "{\"name\":\"决定\",\"share\":2,\"role\":\"chief_rep\"}],"
    "\"special_procedures\":[{\"name\":\"经营场所现场核查\",\"kind\":\"inspection\","
    "\"max_days\":5}],\"visits\":1,\"cross_region\":\"province\","
    "\"result\":{\"name\":\"食品经营许可证\",\"kind\":\"certificate\",\"sample\":\"证照样本\"},"
    "\"fees\":[],\"place\":\"县政务服务中心一楼综合窗口\",\"hours\":\"工作日 9:00-17:00\","
    "\"consult_phone\":\"0379-12345678\",\"complaint_phone\":\"12345\","
    "\"faq\":[{\"q\":\"<b>需要</b>健康证吗？\",\"a\":\"从业人员应持有效健康证明。\"}],"
    "\"materials\":["
    "{\"key\":\"app_form\",\"name\":\"食品经营许可申请书\",\"kind\":\"original\","
    "\"form\":\"paper\",\"count\":1,\"requirement\":\"required\",\"source\":\"applicant\","
    "\"standard\":\"法定代表人签字；加盖公章。\",\"blank_form\":\"申请书.docx\","
    "\"sample\":\"申请书样表.pdf\",\"mistakes\":[\"漏签字\"]},"
    "{\"key\":\"license\",\"name\":\"营业执照\",\"kind\":\"e_certificate\","
    "\"form\":\"electronic\",\"count\":1,\"requirement\":\"required\","
    "\"source\":\"government\"},"
    "{\"key\":\"proxy\",\"name\":\"授权委托书\\\"><img src=x>\",\"kind\":\"original\","
    "\"form\":\"paper\",\"count\":1,\"requirement\":\"deferrable\",\"source\":\"applicant\","
    "\"always\":false}],"
    "\"situations\":{\"start\":\"q1\",\"questions\":["
    "{\"key\":\"q1\",\"text\":\"是否委托代理人办理？\",\"options\":["
    "{\"key\":\"self\",\"text\":\"本人办理\"},"
    "{\"key\":\"agent\",\"text\":\"委托<i>代理人</i>\",\"materials\":[\"proxy\"]}]}]}}";

static const char *const other_json =
    "{\"basic_code\":\"000133010000\",\"impl_code\":\"11410326MB1234567X000133010000\","
    "\"handle_code\":\"\",\"aliases\":[],\"keywords\":[],\"name\":"
    "\"公众聚集场所投入使用前消防安全检查\",\"type_code\":\"06\",\"level\":\"县级\","
    "\"department\":\"消防救援大队\",\"domain\":\"企业开办\",\"service_object\":[\"法人\"],"
    "\"handling_forms\":[\"窗口\"],\"case_kind\":\"promise\","
    "\"statutory_limit\":{\"value\":10,\"unit\":\"working_day\"},"
    "\"promised_limit\":{\"value\":5,\"unit\":\"working_day\"},\"conditions\":[],"
    "\"legal_basis\":[\"《中华人民共和国消防法》\"],"
    "\"steps\":[{\"name\":\"受理\",\"share\":1},{\"name\":\"检查\",\"share\":4}],"
    "\"visits\":1,\"cross_region\":\"none\","
    "\"result\":{\"name\":\"许可决定书\",\"kind\":\"approval\"},"
    "\"fees\":[{\"name\":\"工本费\",\"amount_fen\":1050,\"basis\":\"某价费字〔2020〕1号\"}],"
    "\"place\":\"县政务服务中心二楼\",\"hours\":\"工作日\",\"consult_phone\":\"119\","
    "\"complaint_phone\":\"12345\",\"materials\":["
    "{\"key\":\"license\",\"name\":\"营业执照\",\"kind\":\"e_certificate\","
    "\"form\":\"electronic\",\"count\":1,\"requirement\":\"required\","
    "\"source\":\"government\"},"
    "{\"key\":\"plan\",\"name\":\"消防安全制度\",\"kind\":\"copy\",\"form\":\"paper\","
    "\"count\":1,\"requirement\":\"required\",\"source\":\"applicant\"}]}";

static const char *const bundle_json =
    "{\"code\":\"YJS0001\",\"name\":\"开办餐饮店\",\"theme\":\"开办<u>企业</u>\","
    "\"lead_department\":\"市场监管局\",\"co_departments\":[\"消防救援大队\"],"
    "\"items\":[\"000133009000\",\"000133010000\"],"
    "\"form_fields\":[{\"key\":\"company\",\"label\":\"单位名称\",\"items\":[\"000133009000\","
    "\"000133010000\"]}],\"output\":\"食品经营许可证和消防检查合格证\","
    "\"promised_limit\":{\"value\":10,\"unit\":\"working_day\"}}";

static json_t *load(const char *text)
{
    json_error_t e;
    json_t *v = json_loads(text, 0, &e);
    if (!v)
        fail_msg("fixture: %s (line %d)", e.text, e.line);
    return v;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* The text between the section with this id and the next </section>. */
static char *section(const char *html, const char *id)
{
    char open[64];
    snprintf(open, sizeof(open), "id=\"%s\"", id);
    const char *a = strstr(html, open);
    if (!a)
        return NULL;
    const char *z = strstr(a, "</section>");
    return z ? strndup(a, (size_t)(z - a)) : NULL;
}

/* No markup we did not write: no script, no inline style or handler, no injected tags. */
static void assert_safe(const char *html)
{
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "<style"));
    assert_null(strstr(html, " style="));
    assert_null(strstr(html, " onclick"));
    assert_null(strstr(html, "<img"));
    assert_null(strstr(html, "<b>"));
    assert_null(strstr(html, "<i>"));
    assert_null(strstr(html, "<u>"));
    assert_int_equal(count(html, "<section"), count(html, "</section>"));
    assert_int_equal(count(html, "<table"), count(html, "</table>"));
    assert_int_equal(count(html, "<tr"), count(html, "</tr>"));
    assert_non_null(strstr(html, "<link rel=\"stylesheet\" href=\"/css/guide.css\">"));
    assert_true(strncmp(html, "<!doctype html>", 15) == 0);
    assert_non_null(strstr(html, "</html>\n"));
}

static void test_fixture_is_valid(void **state)
{
    static cat_problems probs;
    json_t *item = load(item_json), *other = load(other_json);
    memset(&probs, 0, sizeof(probs));
    catalog_check_item(item, "", 0, NULL, NULL, &probs);
    catalog_check_item(other, "", 1, NULL, NULL, &probs);
    for (int i = 0; i < probs.count; i++)
        print_error("%d %s %s %s\n", probs.items[i].item_index, probs.items[i].where,
                    probs.items[i].field, probs.items[i].message);
    assert_int_equal(probs.count, 0);
    json_decref(item);
    json_decref(other);
}

static void test_item_page(void **state)
{
    json_t *item = load(item_json);
    size_t len = 0;
    char *html = guide_item_html(item, 3, "2026-03-02", "县市场监督管理局", GUIDE_PAGE, &len);
    assert_non_null(html);
    assert_int_equal(len, strlen(html));
    assert_safe(html);
    /* every section, in order */
    static const char *const titles[] = {
        "一、事项基本信息",   "二、受理条件",       "三、设定依据",  "四、申请材料",
        "五、办理情形",       "六、办理流程",       "七、收费标准",  "八、办理时限",
        "九、办理地点和时间", "十、咨询和投诉电话", "十一、常见问题"};
    const char *at = html;
    for (size_t i = 0; i < sizeof(titles) / sizeof(titles[0]); i++) {
        const char *p = strstr(at, titles[i]);
        if (!p)
            fail_msg("missing or out of order: %s", titles[i]);
        at = p;
    }
    /* escaped text values */
    assert_non_null(strstr(html, "食品经营许可&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_non_null(strstr(html, "授权委托书&quot;&gt;&lt;img src=x&gt;"));
    assert_non_null(strstr(html, "&lt;b&gt;需要&lt;/b&gt;健康证吗？"));
    assert_non_null(strstr(html, "委托&lt;i&gt;代理人&lt;/i&gt;"));
    /* labels from catalog_label */
    assert_non_null(strstr(html, "行政许可"));
    assert_non_null(strstr(html, "承诺件"));
    assert_non_null(strstr(html, "全省通办"));
    assert_non_null(strstr(html, "县市场监督管理局"));
    /* materials: links, 免提交, situation note, standard and mistakes */
    char *mat = section(html, "materials");
    assert_non_null(mat);
    assert_non_null(strstr(mat, "href=\"/guide/items/000133009000/forms/app_form\""));
    assert_non_null(strstr(mat, "href=\"/guide/items/000133009000/samples/app_form\""));
    assert_null(strstr(mat, "/forms/license"));
    assert_non_null(strstr(mat, "免提交"));
    assert_non_null(strstr(mat, "class=\"g-nosubmit\""));
    assert_non_null(strstr(mat, "适用情形：是否委托代理人办理？选“委托&lt;i&gt;代理人&lt;/i&gt;”"));
    assert_non_null(strstr(mat, "法定代表人签字；加盖公章。"));
    assert_non_null(strstr(mat, "常见错误：漏签字"));
    assert_non_null(strstr(mat, "容缺"));
    free(mat);
    /* situations and the wizard link */
    char *sit = section(html, "situations");
    assert_non_null(sit);
    assert_non_null(strstr(sit, "是否委托代理人办理？"));
    assert_non_null(strstr(sit, "href=\"/portal/item.html?code=000133009000#wizard\""));
    free(sit);
    /* steps and the special procedure that does not count */
    char *steps = section(html, "steps");
    assert_non_null(steps);
    assert_non_null(strstr(steps, "7个工作日"));
    assert_non_null(strstr(steps, "后台审批"));
    assert_non_null(strstr(steps, "10个工作日"));
    assert_non_null(strstr(steps, "经营场所现场核查（现场勘验）：最长 5个工作日"));
    assert_non_null(strstr(steps, "不计入办结时限"));
    free(steps);
    char *lim = section(html, "limits");
    assert_non_null(strstr(lim, "法定办结时限</th><td>20个工作日"));
    assert_non_null(strstr(lim, "承诺办结时限</th><td>10个工作日"));
    free(lim);
    char *fees = section(html, "fees");
    assert_non_null(strstr(fees, "不收费"));
    free(fees);
    assert_non_null(strstr(html, "0379-12345678"));
    assert_non_null(strstr(html, "12345"));
    /* footer: version and published date; page chrome */
    assert_non_null(strstr(html, "第 3 版 · 发布日期 2026-03-02"));
    assert_non_null(strstr(html, "class=\"guide-doc layout-page guide-item\""));
    assert_non_null(strstr(html, "class=\"g-topbar\""));
    assert_non_null(strstr(html, "href=\"/guide/items/000133009000/print\""));
    free(html);
    json_decref(item);
}

static void test_item_print(void **state)
{
    json_t *item = load(item_json);
    size_t len = 0;
    char *html = guide_item_html(item, 3, NULL, NULL, GUIDE_PRINT, &len);
    assert_non_null(html);
    assert_safe(html);
    assert_non_null(strstr(html, "class=\"guide-doc layout-print guide-item\""));
    /* no site bar and no buttons on paper; addresses as text instead */
    assert_null(strstr(html, "g-topbar"));
    assert_null(strstr(html, "g-button"));
    assert_null(strstr(html, "href=\"/guide/items/000133009000/forms/"));
    assert_non_null(
        strstr(html, "空白表格和示例样表可在网上办事指南下载：/guide/items/000133009000"));
    assert_non_null(strstr(html, "<span>空白表格</span>"));
    assert_non_null(
        strstr(html, "在线回答问题可生成准确的材料清单：/portal/item.html?code=000133009000"));
    assert_non_null(strstr(html, "网上查看：/guide/items/000133009000"));
    assert_non_null(strstr(html, "g-print-hint g-screen-only"));
    /* the same sections as the page */
    assert_non_null(strstr(html, "四、申请材料"));
    assert_non_null(strstr(html, "十一、常见问题"));
    /* department falls back to the document's; no date given, none printed */
    assert_non_null(strstr(html, "市场监管局"));
    assert_non_null(strstr(html, "第 3 版 · 基本编码 000133009000"));
    assert_null(strstr(html, "发布日期"));
    free(html);
    json_decref(item);
}

static void test_item_without_situations(void **state)
{
    json_t *item = load(other_json);
    char *html = guide_item_html(item, 1, "2026-01-05", NULL, GUIDE_PAGE, NULL);
    assert_safe(html);
    assert_null(strstr(html, "办理情形"));
    assert_null(strstr(html, "/portal/item.html"));
    assert_non_null(strstr(html, "六、收费标准"));
    assert_non_null(strstr(html, "10.50 元"));
    assert_non_null(strstr(html, "某价费字〔2020〕1号"));
    assert_non_null(strstr(html, "无特别受理条件"));
    assert_non_null(strstr(html, "暂无。")); /* no FAQ */
    free(html);
    json_decref(item);
}

static void test_bundle(void **state)
{
    json_t *bundle = load(bundle_json);
    json_t *members = json_array();
    json_array_append_new(members, load(other_json)); /* order differs from the bundle's */
    json_array_append_new(members, load(item_json));
    size_t len = 0;
    char *html = guide_bundle_html(bundle, members, 2, GUIDE_PAGE, &len);
    assert_non_null(html);
    assert_safe(html);
    assert_non_null(strstr(html, "开办&lt;u&gt;企业&lt;/u&gt;"));
    assert_non_null(strstr(html, "牵头部门</th><td>市场监管局"));
    assert_non_null(strstr(html, "协办部门</th><td>消防救援大队"));
    assert_non_null(strstr(html, "食品经营许可证和消防检查合格证"));
    char *items = section(html, "items");
    assert_non_null(items);
    const char *a = strstr(items, "href=\"/guide/items/000133009000\"");
    const char *b = strstr(items, "href=\"/guide/items/000133010000\"");
    assert_non_null(a);
    assert_non_null(b);
    assert_true(a < b); /* bundle order */
    free(items);
    char *form = section(html, "form");
    assert_non_null(strstr(form, "单位名称"));
    assert_non_null(strstr(form, "食品经营许可&lt;script&gt;alert(1)&lt;/script&gt;、"
                                 "公众聚集场所投入使用前消防安全检查"));
    free(form);
    char *list = section(html, "checklist");
    assert_non_null(list);
    assert_int_equal(count(list, ">营业执照<"), 1); /* shared material once */
    assert_non_null(strstr(list, "消防安全制度"));
    assert_non_null(strstr(list, "食品经营许可申请书"));
    assert_non_null(strstr(list, "视情形提交"));
    assert_int_equal(count(list, "<tr"), 1 + 4); /* header + 4 distinct materials */
    free(list);
    /* place and phones of the lead department's member */
    assert_non_null(strstr(html, "县政务服务中心一楼综合窗口"));
    assert_non_null(strstr(html, "第 2 版 · 一件事编码 YJS0001"));
    free(html);

    html = guide_bundle_html(bundle, members, 2, GUIDE_PRINT, &len);
    assert_safe(html);
    assert_non_null(strstr(html, "layout-print guide-bundle"));
    assert_null(strstr(html, "href=\"/guide/items/"));
    assert_non_null(strstr(html, "网上查看：/guide/bundles/YJS0001"));
    free(html);

    /* a member missing from member_items is listed by its code */
    json_array_remove(members, 0);
    html = guide_bundle_html(bundle, members, 2, GUIDE_PAGE, &len);
    assert_safe(html);
    assert_non_null(strstr(html, "000133010000"));
    free(html);
    json_decref(members);
    json_decref(bundle);
}

static void test_forms(void **state)
{
    json_t *item = load(item_json);
    size_t len = 0;
    assert_null(guide_form_html(item, "nope", false, &len));
    assert_null(guide_form_html(item, NULL, true, &len));

    char *blank = guide_form_html(item, "app_form", false, &len);
    assert_non_null(blank);
    assert_int_equal(len, strlen(blank));
    assert_safe(blank);
    assert_non_null(strstr(blank, "form-blank"));
    assert_non_null(strstr(blank, "<h1>食品经营许可申请书"));
    assert_non_null(strstr(blank, "申请人姓名"));
    assert_non_null(strstr(blank, "公民身份号码"));
    assert_non_null(strstr(blank, "联系电话"));
    assert_non_null(strstr(blank, "食品经营许可申请书内容"));
    assert_non_null(strstr(blank, "<li>法定代表人签字</li>"));
    assert_non_null(strstr(blank, "<li>加盖公章</li>"));
    assert_null(strstr(blank, "样表"));
    assert_null(strstr(blank, "张三"));
    assert_non_null(strstr(blank, "食品经营许可&lt;script&gt;"));

    char *sample = guide_form_html(item, "app_form", true, &len);
    assert_non_null(sample);
    assert_safe(sample);
    assert_non_null(strstr(sample, "form-sample"));
    assert_non_null(strstr(sample, "class=\"f-stamp\""));
    assert_non_null(strstr(sample, "（样表）"));
    assert_non_null(strstr(sample, "<span class=\"f-filled\">张三</span>"));
    assert_non_null(strstr(sample, "11010519491231002X"));
    free(blank);
    free(sample);

    /* markup in a material name is text in the form too */
    char *proxy = guide_form_html(item, "proxy", false, &len);
    assert_safe(proxy);
    assert_non_null(strstr(proxy, "授权委托书&quot;&gt;&lt;img src=x&gt;"));
    free(proxy);

    /* a company-only item asks for the unit and its credit code */
    json_t *other = load(other_json);
    char *company = guide_form_html(other, "plan", true, &len);
    assert_non_null(strstr(company, "统一社会信用代码"));
    assert_non_null(strstr(company, "单位名称"));
    assert_null(strstr(company, "公民身份号码"));
    free(company);
    json_decref(other);
    json_decref(item);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_is_valid), cmocka_unit_test(test_item_page),
        cmocka_unit_test(test_item_print),       cmocka_unit_test(test_item_without_situations),
        cmocka_unit_test(test_bundle),           cmocka_unit_test(test_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
