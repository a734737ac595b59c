/*
 * input.c - checking what clients send: JSON bodies against a field spec, pagination,
 * and the shared shapes of answers (pages, times, actors).
 */
#include "api/internal.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *type_name(jf_type t)
{
    switch (t) {
    case JF_STRING:
        return "字符串";
    case JF_INT:
        return "整数";
    case JF_BOOL:
        return "布尔值（true/false）";
    case JF_ARRAY:
        return "数组";
    case JF_OBJECT:
        return "对象";
    }
    return "?";
}

static bool type_ok(json_t *v, jf_type t)
{
    switch (t) {
    case JF_STRING:
        return json_is_string(v);
    case JF_INT:
        return json_is_integer(v);
    case JF_BOOL:
        return json_is_boolean(v);
    case JF_ARRAY:
        return json_is_array(v);
    case JF_OBJECT:
        return json_is_object(v);
    }
    return false;
}

/* Characters (code points) in a valid UTF-8 string. */
static int64_t utf8_len(const char *s)
{
    int64_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

static bool has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t' && *s != '\r')
            return true;
    return false;
}

int api_check_object(json_t *o, const jfield *spec, const char *prefix, yc_err *e)
{
    char field[128];
    if (!json_is_object(o)) {
        /* "roles[0]." names the element "roles[0]". */
        size_t n = strlen(prefix);
        snprintf(field, sizeof(field), "%.*s", (int)(n && prefix[n - 1] == '.' ? n - 1 : n),
                 prefix);
        return yc_fail(e, -1, 400, "BODY_NOT_OBJECT", field, "%s应为JSON对象",
                       field[0] ? field : "请求体");
    }
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        const jfield *f = spec;
        while (f->name && strcmp(f->name, key) != 0)
            f++;
        snprintf(field, sizeof(field), "%s%s", prefix, key);
        if (!f->name)
            return yc_fail(e, -1, 400, "FIELD_UNKNOWN", field, "不认识的字段“%s”", field);
    }
    for (const jfield *f = spec; f->name; f++) {
        snprintf(field, sizeof(field), "%s%s", prefix, f->name);
        const char *label = f->label ? f->label : f->name;
        v = json_object_get(o, f->name);
        if (!v || json_is_null(v)) {
            if (f->required)
                return yc_fail(e, -1, 400, "FIELD_REQUIRED", field, "缺少必填项：%s", label);
            continue;
        }
        if (!type_ok(v, f->type))
            return yc_fail(e, -1, 400, "FIELD_TYPE", field, "%s应为%s", label, type_name(f->type));
        if (f->type == JF_STRING) {
            const char *s = json_string_value(v);
            int64_t n = utf8_len(s);
            if (has_control(s))
                return yc_fail(e, -1, 400, "FIELD_FORMAT", field, "%s含有不允许的控制字符", label);
            if (n < f->min || (f->max && n > f->max))
                return yc_fail(e, -1, 400, "FIELD_LENGTH", field, "%s长度应为%lld至%lld个字符",
                               label, (long long)f->min, (long long)f->max);
        } else if (f->type == JF_INT) {
            json_int_t n = json_integer_value(v);
            if (n < f->min || n > f->max)
                return yc_fail(e, -1, 400, "FIELD_RANGE", field, "%s应在%lld至%lld之间", label,
                               (long long)f->min, (long long)f->max);
        } else if (f->type == JF_ARRAY && f->max && (int64_t)json_array_size(v) > f->max) {
            return yc_fail(e, -1, 400, "FIELD_LENGTH", field, "%s最多%lld项", label,
                           (long long)f->max);
        }
    }
    return 0;
}

int api_body(api_req *r, const jfield *spec, json_t **out)
{
    json_error_t jerr;
    if (r->body.len == 0) {
        api_fail(r, 400, "BODY_REQUIRED", "", "请求体不能为空，应为JSON对象");
        return -1;
    }
    const char *ct = api_header(r, "Content-Type");
    /* application/json, optionally with parameters ("; charset=utf-8"). */
    if (!ct || strncasecmp(ct, "application/json", 16) != 0 ||
        (ct[16] && ct[16] != ';' && ct[16] != ' ' && ct[16] != '\t')) {
        api_fail(r, 415, "CONTENT_TYPE", "", "请求体应为JSON（Content-Type: application/json）");
        return -1;
    }
    /* DECODE_ANY: a bare 1 or "x" is valid JSON that is not an object (BODY_NOT_OBJECT). */
    json_t *o =
        json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (!o) {
        api_fail(r, 400, "BAD_JSON", "", "请求体不是有效的JSON（第%d行第%d列：%s）", jerr.line,
                 jerr.column, jerr.text);
        return -1;
    }
    yc_err e;
    if (api_check_object(o, spec, "", &e)) {
        json_decref(o);
        api_fail_err(r, &e);
        return -1;
    }
    *out = o;
    return 0;
}

int api_page(api_req *r, int *limit, int64_t *cursor)
{
    const char *l = api_query(r, "limit");
    const char *c = api_query(r, "cursor");
    int64_t v;
    *limit = 50;
    *cursor = 0;
    if (l) {
        if (yparse_i64(l, 1, 500, &v)) {
            api_fail(r, 400, "FIELD_RANGE", "limit", "limit应为1至500之间的整数");
            return -1;
        }
        *limit = (int)v;
    }
    if (c && *c) {
        if (yparse_i64(c, 0, INT64_MAX, &v)) {
            api_fail(r, 400, "FIELD_FORMAT", "cursor", "cursor无效");
            return -1;
        }
        *cursor = v;
    }
    return 0;
}

json_t *api_page_body(json_t *items, int limit, const char *id_key)
{
    json_t *next = json_null();
    size_t n = json_array_size(items);
    if ((int)n == limit && n > 0) {
        char buf[32];
        json_int_t id = json_integer_value(json_object_get(json_array_get(items, n - 1), id_key));
        snprintf(buf, sizeof(buf), "%lld", (long long)id);
        next = json_string(buf);
    }
    return json_pack("{s:o,s:o}", "items", items, "next", next);
}

json_t *api_times(json_t *o)
{
    if (json_is_array(o)) {
        size_t i;
        json_t *v;
        json_array_foreach(o, i, v) api_times(v);
    } else if (json_is_object(o)) {
        const char *k;
        json_t *v;
        json_object_foreach(o, k, v)
        {
            size_t n = strlen(k);
            if (((n > 3 && strcmp(k + n - 3, "_at") == 0) || strcmp(k, "at") == 0) &&
                json_is_integer(v)) {
                char ts[40];
                ytime_rfc3339_cst(json_integer_value(v), ts, sizeof(ts));
                json_object_set_new(o, k, json_string(ts));
            } else {
                api_times(v);
            }
        }
    }
    return o;
}

const char *api_role_code(api_req *r, uint32_t mask)
{
    const principal_role *pr = principal_widest(&r->who, mask);
    const role_info *ri = pr ? role_by_bit(pr->role) : NULL;
    return ri ? ri->code : "";
}

void api_actor(api_req *r, role_bit role, int64_t center_id, audit_actor *out)
{
    const role_info *ri = role ? role_by_bit(role) : NULL;
    memset(out, 0, sizeof(*out));
    out->kind = r->who.kind == PRINCIPAL_USER     ? "user"
                : r->who.kind == PRINCIPAL_DEVICE ? "device"
                                                  : "anonymous";
    out->id = r->who.id;
    out->name = r->who.name;
    out->role = ri ? ri->code : "";
    out->center_id = center_id;
    out->window_no = r->who.window_no;
    out->client_addr = r->client_addr;
}
