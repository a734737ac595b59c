/*
 * catalog.c - see catalog.h. The rules are tables where they can be (field specs,
 * enumerations); what crosses fields (shares, limits, the situation graph) is code.
 */
#include "core/catalog.h"
#include "util/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------ labels */

static const char *const labels[][3] = {
    {"type", "01", "行政许可"},
    {"type", "02", "行政处罚"},
    {"type", "03", "行政强制"},
    {"type", "04", "行政征收"},
    {"type", "05", "行政给付"},
    {"type", "06", "行政检查"},
    {"type", "07", "行政确认"},
    {"type", "08", "行政奖励"},
    {"type", "09", "行政裁决"},
    {"type", "10", "其他行政权力"},
    {"type", "20", "公共服务"},
    {"case_kind", "instant", "即办件"},
    {"case_kind", "promise", "承诺件"},
    {"unit", "working_day", "个工作日"},
    {"unit", "natural_day", "个自然日"},
    {"kind", "original", "原件"},
    {"kind", "copy", "复印件"},
    {"kind", "e_certificate", "电子证照"},
    {"form", "paper", "纸质"},
    {"form", "electronic", "电子"},
    {"requirement", "required", "必要"},
    {"requirement", "optional", "非必要"},
    {"requirement", "deferrable", "容缺"},
    {"source", "applicant", "申请人自备"},
    {"source", "government", "政府部门核发（免提交）"},
    {"cross_region", "none", "否"},
    {"cross_region", "province", "全省通办"},
    {"cross_region", "national", "跨省通办"},
    {"special", "hearing", "听证"},
    {"special", "testing", "检验检测"},
    {"special", "appraisal", "鉴定"},
    {"special", "expert_review", "专家评审"},
    {"special", "inspection", "现场勘验"},
    {"result", "certificate", "证照"},
    {"result", "approval", "批文"},
    {"result", "record", "备案/登记"},
    {"result", "payment", "给付"},
    {"result", "other", "其他"},
    {"level", "国家级", "国家级"},
    {"level", "省级", "省级"},
    {"level", "市级", "市级"},
    {"level", "县级", "县级"},
    {"level", "乡级", "乡级"},
    {"level", "村级", "村级"},
    {"object", "自然人", "自然人"},
    {"object", "法人", "法人"},
    {"handling", "窗口", "窗口"},
    {"handling", "网办", "网办"},
    {"handling", "邮寄", "邮寄"},
    {"handling", "自助", "自助"},
    {"domain", "社保医保", "社保医保"},
    {"domain", "企业开办", "企业开办"},
    {"domain", "建设项目", "建设项目"},
    {"domain", "公共服务", "公共服务"},
    {"domain", "不动产交易", "不动产交易"},
    {"domain", "社会事务", "社会事务"},
    {"role", "clerk", "综合窗口"},
    {"role", "reviewer", "后台审批"},
    {"role", "chief_rep", "首席代表"},
};

const char *catalog_label(const char *group, const char *code)
{
    if (!code)
        return NULL;
    for (size_t i = 0; i < YC_ARRAY_LEN(labels); i++)
        if (!strcmp(labels[i][0], group) && !strcmp(labels[i][1], code))
            return labels[i][2];
    return NULL;
}

const char *catalog_type_name(const char *type_code)
{
    return catalog_label("type", type_code);
}

/* ------------------------------------------------------------ problems */

typedef struct checker {
    cat_problems *out;
    const char *where;
    int index;
    int added;
} checker;

static void add(checker *c, const char *sub, const char *field, const char *rule, const char *fmt,
                ...) __attribute__((format(printf, 5, 6)));

static void add(checker *c, const char *sub, const char *field, const char *rule, const char *fmt,
                ...)
{
    c->added++;
    if (c->out->count >= CAT_MAX_PROBLEMS) {
        c->out->dropped++;
        return;
    }
    cat_problem *p = &c->out->items[c->out->count++];
    snprintf(p->where, sizeof(p->where), "%s%s", c->where ? c->where : "", sub ? sub : "");
    p->file[0] = '\0';
    p->line = 0;
    ystrlcpy(p->field, field ? field : "", sizeof(p->field));
    p->rule = rule;
    p->item_index = c->index;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->message, sizeof(p->message), fmt, ap);
    va_end(ap);
}

static int64_t chars(const char *s)
{
    int64_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

/* A code of digits and capitals, 1..max characters (0 allowed when empty_ok). */
static void check_code(checker *c, json_t *o, const char *field, const char *label, int max,
                       bool empty_ok)
{
    json_t *v = json_object_get(o, field);
    if (!json_is_string(v)) {
        add(c, "", field, v ? "TYPE" : "REQUIRED", "缺少%s（应为字符串）", label);
        return;
    }
    const char *s = json_string_value(v);
    size_t n = strlen(s);
    if ((!n && !empty_ok) || n > (size_t)max) {
        add(c, "", field, "LENGTH", "%s应为1至%d位", label, max);
        return;
    }
    for (const char *p = s; *p; p++) {
        if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z'))) {
            add(c, "", field, "FORMAT", "%s只能包含数字和大写字母", label);
            return;
        }
    }
}

/* A string of min..max characters. Returns the value or NULL. */
static const char *check_str(checker *c, json_t *o, const char *sub, const char *field,
                             const char *label, int min, int max, bool required)
{
    json_t *v = json_object_get(o, field);
    if (!v) {
        if (required)
            add(c, sub, field, "REQUIRED", "缺少%s", label);
        return NULL;
    }
    if (!json_is_string(v)) {
        add(c, sub, field, "TYPE", "%s应为字符串", label);
        return NULL;
    }
    const char *s = json_string_value(v);
    int64_t n = chars(s);
    if (n < min || n > max) {
        add(c, sub, field, "LENGTH", "%s长度应为%d至%d个字符", label, min, max);
        return NULL;
    }
    return s;
}

static const char *check_enum(checker *c, json_t *o, const char *sub, const char *field,
                              const char *label, const char *group)
{
    const char *s = check_str(c, o, sub, field, label, 1, 40, true);
    if (s && !catalog_label(group, s)) {
        add(c, sub, field, "ENUM", "%s“%s”不是规定的取值", label, s);
        return NULL;
    }
    return s;
}

static json_int_t check_int(checker *c, json_t *o, const char *sub, const char *field,
                            const char *label, json_int_t min, json_int_t max, bool *ok)
{
    json_t *v = json_object_get(o, field);
    *ok = false;
    if (!json_is_integer(v)) {
        add(c, sub, field, v ? "TYPE" : "REQUIRED", "%s应为整数", label);
        return 0;
    }
    json_int_t n = json_integer_value(v);
    if (n < min || n > max) {
        add(c, sub, field, "RANGE", "%s应在%lld至%lld之间", label, (long long)min, (long long)max);
        return 0;
    }
    *ok = true;
    return n;
}

/* An array of strings (each 1..max characters); min_items at least. */
static json_t *check_strings(checker *c, json_t *o, const char *pre, const char *field,
                             const char *label, int max, size_t min_items, const char *group)
{
    json_t *a = json_object_get(o, field);
    if (!json_is_array(a)) {
        add(c, pre, field, a ? "TYPE" : "REQUIRED", "%s应为字符串数组", label);
        return NULL;
    }
    if (json_array_size(a) < min_items)
        add(c, pre, field, "REQUIRED", "%s至少应有%zu项", label, min_items);
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        char sub[96];
        snprintf(sub, sizeof(sub), "%s.%s[%zu]", pre, field, i);
        if (!json_is_string(v) || chars(json_string_value(v)) < 1 ||
            chars(json_string_value(v)) > max) {
            add(c, sub, "", "LENGTH", "%s第%zu项应为1至%d个字符的字符串", label, i + 1, max);
            continue;
        }
        if (group && !catalog_label(group, json_string_value(v)))
            add(c, sub, "", "ENUM", "%s“%s”不是规定的取值", label, json_string_value(v));
        for (size_t k = 0; k < i; k++)
            if (json_equal(json_array_get(a, k), v))
                add(c, sub, "", "DUPLICATE", "%s“%s”重复", label, json_string_value(v));
    }
    return a;
}

static void check_unknown(checker *c, json_t *o, const char *sub, const char *const *known)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v)
    {
        size_t i = 0;
        while (known[i] && strcmp(known[i], k))
            i++;
        if (!known[i])
            add(c, sub, k, "UNKNOWN_FIELD", "不认识的字段“%s”", k);
    }
}

/* {value, unit}; returns value or -1. */
static json_int_t check_limit(checker *c, json_t *o, const char *field, const char *label,
                              const char **unit)
{
    static const char *const known[] = {"value", "unit", NULL};
    json_t *l = json_object_get(o, field);
    char sub[96];
    snprintf(sub, sizeof(sub), ".%s", field);
    *unit = NULL;
    if (!json_is_object(l)) {
        add(c, "", field, l ? "TYPE" : "REQUIRED", "%s应为{value, unit}", label);
        return -1;
    }
    check_unknown(c, l, sub, known);
    bool ok;
    json_int_t v = check_int(c, l, sub, "value", label, 0, 365, &ok);
    *unit = check_enum(c, l, sub, "unit", "时限单位", "unit");
    return ok ? v : -1;
}

/* ------------------------------------------------------------ materials, situations */

static json_t *check_materials(checker *c, json_t *item)
{
    static const char *const known[] = {"key",         "name",   "kind",     "form",       "count",
                                        "requirement", "source", "standard", "blank_form", "sample",
                                        "mistakes",    "always", NULL};
    json_t *a = json_object_get(item, "materials");
    if (!json_is_array(a) || !json_array_size(a)) {
        add(c, "", "materials", "REQUIRED", "至少应有一项申请材料");
        return NULL;
    }
    size_t i;
    json_t *m;
    json_array_foreach(a, i, m)
    {
        char sub[96];
        bool ok;
        snprintf(sub, sizeof(sub), ".materials[%zu]", i);
        if (!json_is_object(m)) {
            add(c, sub, "", "TYPE", "材料应为对象");
            continue;
        }
        check_unknown(c, m, sub, known);
        const char *key = check_str(c, m, sub, "key", "材料编号", 1, 20, true);
        for (const char *p = key ? key : ""; *p; p++) {
            if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')) {
                add(c, sub, "key", "FORMAT", "材料编号只能包含小写字母、数字和下划线");
                break;
            }
        }
        for (size_t k = 0; key && k < i; k++)
            if (!strcmp(key, json_string_value(json_object_get(json_array_get(a, k), "key")) ?: ""))
                add(c, sub, "key", "DUPLICATE", "材料编号“%s”重复", key);
        check_str(c, m, sub, "name", "材料名称", 1, 100, true);
        check_enum(c, m, sub, "kind", "材料类型", "kind");
        check_enum(c, m, sub, "form", "材料形式", "form");
        check_int(c, m, sub, "count", "份数", 1, 20, &ok);
        check_enum(c, m, sub, "requirement", "必要性", "requirement");
        check_enum(c, m, sub, "source", "来源", "source");
        check_str(c, m, sub, "standard", "受理标准", 0, 500, false);
        check_str(c, m, sub, "blank_form", "空白表格", 0, 100, false);
        check_str(c, m, sub, "sample", "示例样表", 0, 100, false);
        if (json_object_get(m, "mistakes"))
            check_strings(c, m, sub, "mistakes", "常见错误", 200, 0, NULL);
        json_t *always = json_object_get(m, "always");
        if (always && !json_is_boolean(always))
            add(c, sub, "always", "TYPE", "always应为true或false");
    }
    return a;
}

static bool material_exists(json_t *materials, const char *key)
{
    size_t i;
    json_t *m;
    json_array_foreach(
        materials, i,
        m) if (!strcmp(json_string_value(json_object_get(m, "key")) ?: "", key)) return true;
    return false;
}

static int question_index(json_t *questions, const char *key)
{
    size_t i;
    json_t *q;
    json_array_foreach(questions, i,
                       q) if (key && !strcmp(json_string_value(json_object_get(q, "key")) ?: "",
                                             key)) return (int)i;
    return -1;
}

/* Depth-first walk from q: colors 0 unseen, 1 on the path, 2 done. The walk goes on
 * after a cycle is found so that every reachable question is colored. */
static bool has_cycle(json_t *questions, int q, char *color)
{
    bool cycle = false;
    color[q] = 1;
    size_t i;
    json_t *opt;
    json_array_foreach(json_object_get(json_array_get(questions, (size_t)q), "options"), i, opt)
    {
        int n = question_index(questions, json_string_value(json_object_get(opt, "next")));
        if (n < 0)
            continue;
        if (color[n] == 1)
            cycle = true;
        else if (color[n] == 0 && has_cycle(questions, n, color))
            cycle = true;
    }
    color[q] = 2;
    return cycle;
}

static void check_situations(checker *c, json_t *item, json_t *materials)
{
    json_t *s = json_object_get(item, "situations");
    if (!s || json_is_null(s))
        return;
    static const char *const known[] = {"start", "questions", NULL};
    static const char *const qknown[] = {"key", "text", "options", NULL};
    static const char *const oknown[] = {"key", "text", "materials", "next", NULL};
    if (!json_is_object(s)) {
        add(c, "", "situations", "TYPE", "情形应为对象或null");
        return;
    }
    check_unknown(c, s, ".situations", known);
    json_t *qs = json_object_get(s, "questions");
    if (!json_is_array(qs) || !json_array_size(qs) || json_array_size(qs) > 50) {
        add(c, ".situations", "questions", "REQUIRED", "情形应有1至50个问题");
        return;
    }
    size_t i, k;
    json_t *q, *o;
    json_array_foreach(qs, i, q)
    {
        char sub[96];
        snprintf(sub, sizeof(sub), ".situations.questions[%zu]", i);
        if (!json_is_object(q)) {
            add(c, sub, "", "TYPE", "问题应为对象");
            continue;
        }
        check_unknown(c, q, sub, qknown);
        const char *key = check_str(c, q, sub, "key", "问题编号", 1, 20, true);
        if (key && question_index(qs, key) != (int)i)
            add(c, sub, "key", "DUPLICATE", "问题编号“%s”重复", key);
        check_str(c, q, sub, "text", "问题", 1, 100, true);
        json_t *opts = json_object_get(q, "options");
        if (!json_is_array(opts) || json_array_size(opts) < 2 || json_array_size(opts) > 6) {
            add(c, sub, "options", "RANGE", "每个问题应有2至6个选项");
            continue;
        }
        json_array_foreach(opts, k, o)
        {
            char osub[128];
            snprintf(osub, sizeof(osub), "%s.options[%zu]", sub, k);
            if (!json_is_object(o)) {
                add(c, osub, "", "TYPE", "选项应为对象");
                continue;
            }
            check_unknown(c, o, osub, oknown);
            const char *okey = check_str(c, o, osub, "key", "选项编号", 1, 20, true);
            for (size_t j = 0; okey && j < k; j++)
                if (!strcmp(okey, json_string_value(json_object_get(json_array_get(opts, j), "key"))
                                      ?: ""))
                    add(c, osub, "key", "DUPLICATE", "选项编号“%s”重复", okey);
            check_str(c, o, osub, "text", "选项", 1, 100, true);
            json_t *next = json_object_get(o, "next");
            if (next && !json_is_null(next) &&
                (!json_is_string(next) || question_index(qs, json_string_value(next)) < 0))
                add(c, osub, "next", "REFERENCE", "下一问题“%s”不存在",
                    json_is_string(next) ? json_string_value(next) : "?");
            json_t *ms = json_object_get(o, "materials");
            size_t j;
            json_t *mk;
            if (ms && !json_is_array(ms))
                add(c, osub, "materials", "TYPE", "选项的材料应为材料编号数组");
            json_array_foreach(ms, j, mk) if (!json_is_string(mk) ||
                                              !material_exists(materials, json_string_value(mk)))
                add(c, osub, "materials", "REFERENCE", "材料“%s”不存在",
                    json_is_string(mk) ? json_string_value(mk) : "?");
        }
    }
    const char *start = json_string_value(json_object_get(s, "start"));
    int root = question_index(qs, start);
    if (root < 0) {
        add(c, ".situations", "start", "REFERENCE", "起始问题“%s”不存在", start ? start : "");
        return;
    }
    size_t n = json_array_size(qs);
    char *color = xcalloc(n, 1);
    if (has_cycle(qs, root, color))
        add(c, ".situations", "questions", "CYCLE", "情形问题之间存在循环");
    for (i = 0; i < n; i++)
        if (!color[i])
            add(c, ".situations", "questions", "UNREACHABLE", "问题“%s”从起始问题无法到达",
                json_string_value(json_object_get(json_array_get(qs, i), "key")) ?: "?");
    free(color);
    /* A material shown only when chosen ("always": false) must be chosen by some answer. */
    json_t *m;
    json_array_foreach(materials, i, m)
    {
        const char *mkey = json_string_value(json_object_get(m, "key"));
        if (!mkey || !json_is_false(json_object_get(m, "always")))
            continue;
        bool chosen = false;
        json_array_foreach(qs, k, q)
        {
            size_t j, l;
            json_t *opt, *mk;
            json_array_foreach(json_object_get(q, "options"), j, opt)
                json_array_foreach(json_object_get(opt, "materials"), l, mk) chosen |=
                json_is_string(mk) && !strcmp(json_string_value(mk), mkey);
        }
        if (!chosen) {
            char sub[96];
            snprintf(sub, sizeof(sub), ".materials[%zu]", i);
            add(c, sub, "always", "UNREACHABLE", "材料“%s”不会被任何情形选中", mkey);
        }
    }
}

/* ------------------------------------------------------------ items */

int catalog_check_item(json_t *item, const char *where, int index, cat_department_fn dept,
                       void *arg, cat_problems *out)
{
    static const char *const known[] = {"basic_code",
                                        "impl_code",
                                        "handle_code",
                                        "name",
                                        "aliases",
                                        "keywords",
                                        "type_code",
                                        "level",
                                        "department",
                                        "domain",
                                        "service_object",
                                        "handling_forms",
                                        "case_kind",
                                        "statutory_limit",
                                        "promised_limit",
                                        "conditions",
                                        "legal_basis",
                                        "steps",
                                        "special_procedures",
                                        "visits",
                                        "cross_region",
                                        "result",
                                        "fees",
                                        "place",
                                        "hours",
                                        "consult_phone",
                                        "complaint_phone",
                                        "faq",
                                        "materials",
                                        "situations",
                                        NULL};
    checker c = {out, where, index, 0};
    if (!json_is_object(item)) {
        add(&c, "", "", "TYPE", "事项应为JSON对象");
        return c.added;
    }
    check_unknown(&c, item, "", known);
    check_code(&c, item, "basic_code", "基本编码", 12, false);
    check_code(&c, item, "impl_code", "实施编码", 36, false);
    check_code(&c, item, "handle_code", "业务办理项编码", 50, true);
    check_str(&c, item, "", "name", "事项名称", 1, 100, true);
    check_strings(&c, item, "", "aliases", "别名", 30, 0, NULL);
    check_strings(&c, item, "", "keywords", "关键词", 30, 0, NULL);
    check_enum(&c, item, "", "type_code", "事项类型", "type");
    check_enum(&c, item, "", "level", "行使层级", "level");
    check_enum(&c, item, "", "domain", "领域", "domain");
    const char *d = check_str(&c, item, "", "department", "实施部门", 1, 64, true);
    if (d && dept && !dept(arg, d))
        add(&c, "", "department", "REFERENCE", "实施部门“%s”不存在", d);
    check_strings(&c, item, "", "service_object", "服务对象", 10, 1, "object");
    check_strings(&c, item, "", "handling_forms", "办理形式", 10, 1, "handling");
    const char *kind = check_enum(&c, item, "", "case_kind", "办件类型", "case_kind");
    const char *su, *pu;
    json_int_t stat = check_limit(&c, item, "statutory_limit", "法定办结时限", &su);
    json_int_t prom = check_limit(&c, item, "promised_limit", "承诺办结时限", &pu);
    if (kind && !strcmp(kind, "instant") && (stat > 0 || prom > 0))
        add(&c, "", "promised_limit", "LIMITS", "即办件的办结时限应为0");
    if (kind && !strcmp(kind, "promise") && prom == 0)
        add(&c, "", "promised_limit", "LIMITS", "承诺件的承诺时限应大于0");
    if (su && pu && !strcmp(su, pu) && prom > stat && stat >= 0)
        add(&c, "", "promised_limit", "LIMITS", "承诺时限（%lld）不应超过法定时限（%lld）",
            (long long)prom, (long long)stat);
    check_strings(&c, item, "", "conditions", "受理条件", 500, 0, NULL);
    check_strings(&c, item, "", "legal_basis", "设定依据", 500, 1, NULL);

    static const char *const step_known[] = {"name", "share", "role", NULL};
    json_t *steps = json_object_get(item, "steps");
    size_t i;
    json_t *v;
    if (!json_is_array(steps) || !json_array_size(steps)) {
        add(&c, "", "steps", "REQUIRED", "至少应有一个办理环节");
    } else {
        json_int_t sum = 0;
        bool all_ok = true;
        json_array_foreach(steps, i, v)
        {
            char sub[96];
            bool ok;
            snprintf(sub, sizeof(sub), ".steps[%zu]", i);
            if (!json_is_object(v)) {
                add(&c, sub, "", "TYPE", "环节应为对象");
                all_ok = false;
                continue;
            }
            check_unknown(&c, v, sub, step_known);
            check_str(&c, v, sub, "name", "环节名称", 1, 20, true);
            sum += check_int(&c, v, sub, "share", "环节时限", 0, 365, &ok);
            all_ok &= ok;
            if (json_object_get(v, "role"))
                check_enum(&c, v, sub, "role", "环节岗位", "role");
        }
        if (all_ok && prom >= 0 && sum != prom)
            add(&c, "", "steps", "SHARES", "各环节时限之和（%lld）应等于承诺时限（%lld）",
                (long long)sum, (long long)prom);
    }
    static const char *const sp_known[] = {"name", "kind", "max_days", NULL};
    json_t *sps = json_object_get(item, "special_procedures");
    if (sps && !json_is_array(sps))
        add(&c, "", "special_procedures", "TYPE", "特别程序应为数组");
    json_array_foreach(sps, i, v)
    {
        char sub[96];
        bool ok;
        snprintf(sub, sizeof(sub), ".special_procedures[%zu]", i);
        if (!json_is_object(v)) {
            add(&c, sub, "", "TYPE", "特别程序应为对象");
            continue;
        }
        check_unknown(&c, v, sub, sp_known);
        check_str(&c, v, sub, "name", "特别程序名称", 1, 30, true);
        check_enum(&c, v, sub, "kind", "特别程序类型", "special");
        check_int(&c, v, sub, "max_days", "特别程序时限", 1, 365, &ok);
    }
    bool ok;
    check_int(&c, item, "", "visits", "到现场次数", 0, 5, &ok);
    check_enum(&c, item, "", "cross_region", "通办范围", "cross_region");
    static const char *const result_known[] = {"name", "kind", "sample", NULL};
    json_t *res = json_object_get(item, "result");
    if (!json_is_object(res)) {
        add(&c, "", "result", res ? "TYPE" : "REQUIRED", "缺少办理结果");
    } else {
        check_unknown(&c, res, ".result", result_known);
        check_str(&c, res, ".result", "name", "办理结果名称", 1, 100, true);
        check_enum(&c, res, ".result", "kind", "办理结果类型", "result");
        check_str(&c, res, ".result", "sample", "结果样本", 0, 100, false);
    }
    static const char *const fee_known[] = {"name", "amount_fen", "basis", NULL};
    json_t *fees = json_object_get(item, "fees");
    if (!json_is_array(fees))
        add(&c, "", "fees", fees ? "TYPE" : "REQUIRED", "收费应为数组（不收费为[]）");
    json_array_foreach(fees, i, v)
    {
        char sub[96];
        snprintf(sub, sizeof(sub), ".fees[%zu]", i);
        if (!json_is_object(v)) {
            add(&c, sub, "", "TYPE", "收费项目应为对象");
            continue;
        }
        check_unknown(&c, v, sub, fee_known);
        check_str(&c, v, sub, "name", "收费项目", 1, 50, true);
        check_int(&c, v, sub, "amount_fen", "收费金额（分）", 0, 100000000, &ok);
        check_str(&c, v, sub, "basis", "收费依据", 1, 300, true);
    }
    check_str(&c, item, "", "place", "办理地点", 1, 200, true);
    check_str(&c, item, "", "hours", "办理时间", 1, 100, true);
    check_str(&c, item, "", "consult_phone", "咨询电话", 1, 40, true);
    check_str(&c, item, "", "complaint_phone", "投诉电话", 1, 40, true);
    static const char *const faq_known[] = {"q", "a", NULL};
    json_t *faq = json_object_get(item, "faq");
    if (faq && !json_is_array(faq))
        add(&c, "", "faq", "TYPE", "常见问题应为数组");
    json_array_foreach(faq, i, v)
    {
        char sub[96];
        snprintf(sub, sizeof(sub), ".faq[%zu]", i);
        if (!json_is_object(v)) {
            add(&c, sub, "", "TYPE", "常见问题应为{q, a}");
            continue;
        }
        check_unknown(&c, v, sub, faq_known);
        check_str(&c, v, sub, "q", "问题", 1, 200, true);
        check_str(&c, v, sub, "a", "解答", 1, 2000, true);
    }
    json_t *materials = check_materials(&c, item);
    if (materials)
        check_situations(&c, item, materials);
    return c.added;
}

/* ------------------------------------------------------------ bundles */

int catalog_check_bundle(json_t *b, const char *where, int index, cat_department_fn dept,
                         bool (*item_exists)(void *arg, const char *basic_code), void *arg,
                         cat_problems *out)
{
    static const char *const known[] = {"code",
                                        "name",
                                        "theme",
                                        "aliases",
                                        "keywords",
                                        "lead_department",
                                        "co_departments",
                                        "items",
                                        "form_fields",
                                        "output",
                                        "promised_limit",
                                        "description",
                                        NULL};
    checker c = {out, where, index, 0};
    if (!json_is_object(b)) {
        add(&c, "", "", "TYPE", "一件事应为JSON对象");
        return c.added;
    }
    check_unknown(&c, b, "", known);
    check_code(&c, b, "code", "一件事编码", 20, false);
    check_str(&c, b, "", "name", "名称", 1, 50, true);
    check_str(&c, b, "", "theme", "主题", 1, 30, true);
    check_strings(&c, b, "", "aliases", "别名", 30, 0, NULL);
    check_strings(&c, b, "", "keywords", "关键词", 30, 0, NULL);
    const char *lead = check_str(&c, b, "", "lead_department", "牵头部门", 1, 64, true);
    if (lead && dept && !dept(arg, lead))
        add(&c, "", "lead_department", "REFERENCE", "牵头部门“%s”不存在", lead);
    json_t *co = check_strings(&c, b, "", "co_departments", "协办部门", 64, 0, NULL);
    size_t i;
    json_t *v;
    json_array_foreach(co, i, v) if (json_is_string(v) && dept && !dept(arg, json_string_value(v)))
        add(&c, "", "co_departments", "REFERENCE", "协办部门“%s”不存在", json_string_value(v));
    json_t *items = check_strings(&c, b, "", "items", "包含事项", 12, 2, NULL);
    json_array_foreach(items, i, v) if (json_is_string(v) && item_exists &&
                                        !item_exists(arg, json_string_value(v)))
        add(&c, "", "items", "REFERENCE", "事项“%s”不在目录中", json_string_value(v));
    static const char *const ff_known[] = {"key", "label", "items", NULL};
    json_t *ff = json_object_get(b, "form_fields");
    if (!json_is_array(ff))
        add(&c, "", "form_fields", ff ? "TYPE" : "REQUIRED", "合并表单字段应为数组");
    json_array_foreach(ff, i, v)
    {
        char sub[96];
        snprintf(sub, sizeof(sub), ".form_fields[%zu]", i);
        if (!json_is_object(v)) {
            add(&c, sub, "", "TYPE", "表单字段应为对象");
            continue;
        }
        check_unknown(&c, v, sub, ff_known);
        const char *fkey = check_str(&c, v, sub, "key", "字段编号", 1, 40, true);
        for (size_t j = 0; fkey && j < i; j++)
            if (!strcmp(fkey,
                        json_string_value(json_object_get(json_array_get(ff, j), "key")) ?: ""))
                add(&c, sub, "key", "DUPLICATE", "字段编号“%s”重复", fkey);
        check_str(&c, v, sub, "label", "字段名称", 1, 40, true);
        json_t *fitems = json_object_get(v, "items");
        if (fitems && !json_is_array(fitems))
            add(&c, sub, "items", "TYPE", "字段所属事项应为基本编码数组");
        size_t k;
        json_t *code;
        json_array_foreach(fitems, k, code)
        {
            bool member = false;
            size_t j;
            json_t *m;
            json_array_foreach(items, j, m) member |= json_equal(m, code);
            if (!member)
                add(&c, sub, "items", "REFERENCE", "字段所属事项“%s”不在本一件事中",
                    json_is_string(code) ? json_string_value(code) : "?");
        }
    }
    check_str(&c, b, "", "output", "办理结果", 1, 200, true);
    const char *unit;
    check_limit(&c, b, "promised_limit", "承诺办结时限", &unit);
    check_str(&c, b, "", "description", "说明", 0, 2000, false);
    return c.added;
}

/* ------------------------------------------------------------ checklist */

json_t *catalog_checklist(json_t *item, json_t *answers, char *problem, size_t size)
{
    return catalog_checklist_at(item, answers, problem, size, NULL, 0);
}

json_t *catalog_checklist_at(json_t *item, json_t *answers, char *problem, size_t size,
                             char *qkey_out, size_t qsize)
{
    json_t *materials = json_object_get(item, "materials");
    json_t *s = json_object_get(item, "situations");
    json_t *chosen = json_object(); /* material keys selected */
    json_t *result = NULL;
    if (json_is_object(s)) {
        json_t *qs = json_object_get(s, "questions");
        int q = question_index(qs, json_string_value(json_object_get(s, "start")));
        int guard = 0;
        while (q >= 0 && guard++ < 50) {
            json_t *question = json_array_get(qs, (size_t)q);
            const char *qkey = json_string_value(json_object_get(question, "key"));
            const char *ans = json_string_value(json_object_get(answers, qkey));
            json_t *opt = NULL, *o;
            size_t i;
            json_array_foreach(
                json_object_get(question, "options"), i,
                o) if (ans && !strcmp(json_string_value(json_object_get(o, "key")) ?: "", ans))
                opt = o;
            if (!opt) {
                snprintf(problem, size, "请回答：%s",
                         json_string_value(json_object_get(question, "text")) ?: "");
                if (qkey_out)
                    ystrlcpy(qkey_out, qkey ? qkey : "", qsize);
                goto done;
            }
            json_t *mk;
            json_array_foreach(json_object_get(opt, "materials"), i, mk)
                json_object_set_new(chosen, json_string_value(mk), json_true());
            q = question_index(qs, json_string_value(json_object_get(opt, "next")));
        }
    }
    result = json_array();
    size_t i;
    json_t *m;
    json_array_foreach(materials, i, m)
    {
        json_t *always = json_object_get(m, "always");
        bool applies = !json_is_object(s) || !always || json_is_true(always) ||
                       json_object_get(chosen, json_string_value(json_object_get(m, "key")));
        if (applies)
            json_array_append(result, m);
    }
done:
    json_decref(chosen);
    return result;
}
