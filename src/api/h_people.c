/*
 * h_people.c - records of applicants (一人一档、一企一档 base): citizens by 身份证号,
 * enterprises by 统一社会信用代码, with a mobile number.
 *
 * Identifiers and mobiles are validated, then stored only encrypted, blind-indexed
 * and masked (service/pii.h). Every answer shows the masked form; a role that needs
 * the full value (clerks and reviewers handling a case) asks with ?reveal=ident or
 * ?reveal=mobile, and each reveal is written to the action log before it is answered.
 */
#include "api/handlers.h"
#include "core/ident.h"
#include "core/mask.h"
#include "core/workcal.h"
#include "service/pii.h"
#include "store/people.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REVEALERS (ROLE_CLERK | ROLE_REVIEWER | ROLE_CHIEF_REP)

/* Validate and normalize an identifier of a kind into out. 0, or -1 after answering. */
static int check_ident(api_req *r, const char *kind, const char *in, char *out, size_t size)
{
    yc_err e;
    int rc;
    if (!strcmp(kind, "citizen")) {
        ident_id_info info;
        rc = ident_check_id_number(in, workcal_date_from_ms(ytime_now_ms()), &info);
        if (!rc)
            ystrlcpy(out, info.number, size);
        else
            ident_fail(&e, rc, info.check, "ident");
    } else {
        ident_credit_info info;
        rc = ident_check_credit_code(in, &info);
        if (!rc)
            ystrlcpy(out, info.code, size);
        else
            ident_fail(&e, rc, info.check, "ident");
    }
    if (rc) {
        api_fail_err(r, &e);
        return -1;
    }
    return 0;
}

static int check_mobile(api_req *r, const char *m)
{
    yc_err e;
    if (ident_fail(&e, ident_check_mobile(m), 0, "mobile")) {
        api_fail_err(r, &e);
        return -1;
    }
    return 0;
}

void h_people_list(api_req *r)
{
    int limit;
    int64_t cursor;
    if (api_page(r, &limit, &cursor))
        return;
    const char *ident = api_query(r, "ident");
    const char *mobile = api_query(r, "mobile");
    const char *kind = api_query(r, "kind");
    if (kind && strcmp(kind, "citizen") && strcmp(kind, "enterprise")) {
        api_fail(r, 400, "FIELD_ENUM", "kind", "kind应为citizen（个人）或enterprise（企业）");
        return;
    }
    json_t *items;
    if (ident || mobile) {
        /* Exact lookup through the blind index; the value must be valid to match. */
        char norm[64], iidx[PII_INDEX_LEN], midx[PII_INDEX_LEN];
        if (ident) {
            ident_id_info id;
            ident_credit_info cc;
            if (!ident_check_id_number(ident, workcal_date_from_ms(ytime_now_ms()), &id))
                ystrlcpy(norm, id.number, sizeof(norm));
            else if (!ident_check_credit_code(ident, &cc))
                ystrlcpy(norm, cc.code, sizeof(norm));
            else {
                api_fail(r, 400, "IDENT_INVALID", "ident",
                         "证件号码不是有效的身份证号或统一社会信用代码");
                return;
            }
            pii_index("ident", norm, iidx);
        }
        if (mobile && check_mobile(r, mobile))
            return;
        if (mobile)
            pii_index("mobile", mobile, midx);
        items = people_find(api_db(r), ident ? iidx : NULL, mobile ? midx : NULL, limit);
    } else {
        items = people_list(api_db(r), kind, cursor, limit);
    }
    if (!items) {
        api_fail_db(r);
        return;
    }
    api_reply_json(r, 200, api_page_body(items, limit, "id"));
}

typedef struct person_ctx {
    json_t *in;
    int64_t id;
    char *ident_cipher, *mobile_cipher;
    char ident_index[PII_INDEX_LEN], mobile_index[PII_INDEX_LEN];
    char *ident_masked, *mobile_masked;
    bool reveal_ident, reveal_mobile;
} person_ctx;

static void person_ctx_free(void *p)
{
    person_ctx *c = p;
    json_decref(c->in);
    free(c->ident_cipher);
    free(c->mobile_cipher);
    free(c->ident_masked);
    free(c->mobile_masked);
    free(c);
}

static int log_person(db_conn *tx, api_req *r, const char *action, int64_t id, const char *summary)
{
    char idtext[32];
    snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
    audit_actor a;
    api_actor(r, 0, 0, &a);
    a.role = api_role_code(r, ROLE_STAFF);
    return audit_append(tx, &a, action, "person", idtext, summary);
}

static int create_tx(db_conn *tx, api_req *r, void *arg)
{
    person_ctx *c = arg;
    person_row row = {
        .kind = json_string_value(json_object_get(c->in, "kind")),
        .name = json_string_value(json_object_get(c->in, "name")),
        .ident_cipher = c->ident_cipher,
        .ident_index = c->ident_index,
        .ident_masked = c->ident_masked,
        .mobile_cipher = c->mobile_cipher ? c->mobile_cipher : "",
        .mobile_index = c->mobile_cipher ? c->mobile_index : "",
        .mobile_masked = c->mobile_masked ? c->mobile_masked : "",
    };
    int64_t id;
    int rc = people_insert(tx, &row, ytime_now_ms(), &id);
    if (rc == DB_ECONSTRAINT) {
        api_fail(r, 409, "PERSON_EXISTS", "ident", "该证件号码已建档，请直接查询使用");
        return rc;
    }
    char summary[160];
    snprintf(summary, sizeof(summary), "建档：%s %s", row.name, row.ident_masked);
    if (!rc)
        rc = log_person(tx, r, "person_create", id, summary);
    if (rc)
        return rc;
    json_t *o = people_get(tx, id);
    if (!o)
        return YC_EDB;
    api_reply_json(r, 201, o);
    return 0;
}

void h_people_create(api_req *r)
{
    static const jfield spec[] = {
        {"kind", JF_STRING, true, 1, 16, "类型"},
        {"name", JF_STRING, true, 1, 100, "姓名或名称"},
        {"ident", JF_STRING, true, 1, 32, "证件号码"},
        {"mobile", JF_STRING, false, 1, 16, "手机号码"},
        {0},
    };
    json_t *in;
    if (api_body(r, spec, &in))
        return;
    const char *kind = json_string_value(json_object_get(in, "kind"));
    if (strcmp(kind, "citizen") && strcmp(kind, "enterprise")) {
        json_decref(in);
        api_fail(r, 400, "FIELD_ENUM", "kind", "类型应为citizen（个人）或enterprise（企业）");
        return;
    }
    char ident[64];
    const char *mobile = json_string_value(json_object_get(in, "mobile"));
    if (check_ident(r, kind, json_string_value(json_object_get(in, "ident")), ident,
                    sizeof(ident)) ||
        (mobile && check_mobile(r, mobile))) {
        json_decref(in);
        return;
    }
    person_ctx *c = xcalloc(1, sizeof(*c));
    c->in = in;
    c->ident_cipher = pii_encrypt(ident);
    pii_index("ident", ident, c->ident_index);
    /* Enterprise codes are public registrations; ID numbers are masked. */
    c->ident_masked = !strcmp(kind, "citizen") ? mask_id_number(ident) : xstrdup(ident);
    if (mobile) {
        c->mobile_cipher = pii_encrypt(mobile);
        pii_index("mobile", mobile, c->mobile_index);
        c->mobile_masked = mask_phone(mobile);
    }
    json_object_del(in, "ident");
    json_object_del(in, "mobile");
    api_write(r, create_tx, c, person_ctx_free);
}

/* Add the clear values asked for to o. -1 if a value cannot be decrypted. */
static int reveal_into(db_conn *db, json_t *o, int64_t id, bool ident, bool mobile)
{
    json_t *sec = people_secrets(db, id);
    if (!sec)
        return -1;
    int rc = 0;
    const char *fields[2][2] = {{"ident_cipher", "ident"}, {"mobile_cipher", "mobile"}};
    bool want[2] = {ident, mobile};
    for (int i = 0; i < 2; i++) {
        const char *sealed = json_string_value(json_object_get(sec, fields[i][0]));
        if (!want[i] || !sealed || !*sealed)
            continue;
        char *clear = pii_decrypt(sealed);
        if (!clear) {
            rc = -1;
            continue;
        }
        json_object_set_new(o, fields[i][1], json_string(clear));
        free(clear);
    }
    json_decref(sec);
    return rc;
}

static int reveal_tx(db_conn *tx, api_req *r, void *arg)
{
    person_ctx *c = arg;
    int rc = log_person(tx, r, "person_reveal", c->id,
                        c->reveal_ident && c->reveal_mobile ? "查看完整证件号码和手机号码"
                        : c->reveal_ident                   ? "查看完整证件号码"
                                                            : "查看完整手机号码");
    if (rc)
        return rc;
    json_t *o = people_get(tx, c->id);
    if (!o)
        return YC_EDB;
    if (reveal_into(tx, o, c->id, c->reveal_ident, c->reveal_mobile)) {
        json_decref(o);
        api_fail(r, 500, "PII_KEY_MISMATCH", "", "无法解密该档案：数据目录中的密钥与加密时不一致");
        return YC_EIO;
    }
    api_reply_json(r, 200, o);
    return 0;
}

void h_people_get(api_req *r)
{
    int64_t id;
    if (api_param_id(r, 0, &id))
        return;
    const char *reveal = api_query(r, "reveal");
    bool ri = false, rm = false;
    if (reveal) {
        /* A comma-separated list of ident, mobile. */
        char buf[64];
        ystrlcpy(buf, reveal, sizeof(buf));
        for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
             tok = strtok_r(NULL, ",", &save)) {
            if (!strcmp(tok, "ident"))
                ri = true;
            else if (!strcmp(tok, "mobile"))
                rm = true;
            else {
                api_fail(r, 400, "FIELD_ENUM", "reveal",
                         "reveal只能是ident、mobile或两者（逗号分隔）");
                return;
            }
        }
        if (!(api_who(r)->role_mask & REVEALERS)) {
            api_fail(r, 403, "REVEAL_FORBIDDEN", "reveal",
                     "您的角色无权查看完整的证件号码或手机号码");
            return;
        }
    }
    json_t *o = people_get(api_db(r), id);
    if (!o) {
        api_fail(r, 404, "PERSON_NOT_FOUND", "", "档案不存在");
        return;
    }
    if (!ri && !rm) {
        api_reply_json(r, 200, o);
        return;
    }
    json_decref(o);
    person_ctx *c = xcalloc(1, sizeof(*c));
    c->id = id;
    c->reveal_ident = ri;
    c->reveal_mobile = rm;
    api_write(r, reveal_tx, c, person_ctx_free);
}

static int patch_tx(db_conn *tx, api_req *r, void *arg)
{
    person_ctx *c = arg;
    int rc = people_update(tx, c->id, json_string_value(json_object_get(c->in, "name")),
                           c->mobile_cipher, c->mobile_cipher ? c->mobile_index : NULL,
                           c->mobile_masked, ytime_now_ms());
    if (rc == YC_ENOTFOUND) {
        api_fail(r, 404, "PERSON_NOT_FOUND", "", "档案不存在");
        return rc;
    }
    if (!rc)
        rc = log_person(tx, r, "person_update", c->id,
                        c->mobile_cipher ? "修改档案（含手机号码）" : "修改档案");
    if (rc)
        return rc;
    json_t *o = people_get(tx, c->id);
    if (!o)
        return YC_EDB;
    api_reply_json(r, 200, o);
    return 0;
}

void h_people_patch(api_req *r)
{
    static const jfield spec[] = {
        {"name", JF_STRING, false, 1, 100, "姓名或名称"},
        {"mobile", JF_STRING, false, 1, 16, "手机号码"},
        {0},
    };
    int64_t id;
    json_t *in;
    if (api_param_id(r, 0, &id) || api_body(r, spec, &in))
        return;
    const char *mobile = json_string_value(json_object_get(in, "mobile"));
    if (mobile && check_mobile(r, mobile)) {
        json_decref(in);
        return;
    }
    if (!json_object_size(in)) {
        json_decref(in);
        api_fail(r, 400, "BODY_EMPTY", "", "没有要修改的内容");
        return;
    }
    person_ctx *c = xcalloc(1, sizeof(*c));
    c->in = in;
    c->id = id;
    if (mobile) {
        c->mobile_cipher = pii_encrypt(mobile);
        pii_index("mobile", mobile, c->mobile_index);
        c->mobile_masked = mask_phone(mobile);
    }
    json_object_del(in, "mobile");
    api_write(r, patch_tx, c, person_ctx_free);
}
