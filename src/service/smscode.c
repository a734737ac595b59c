/* smscode.c - see smscode.h. */
#include "service/smscode.h"
#include "core/ident.h"
#include "core/mask.h"
#include "service/outbox.h"
#include "service/pii.h"
#include "store/smscode.h"
#include "util/util.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void code_hash(int64_t id, const char *code, char out[PII_INDEX_LEN])
{
    char v[40];
    snprintf(v, sizeof(v), "%lld:%s", (long long)id, code);
    pii_index("smscode", v, out);
    sodium_memzero(v, sizeof(v));
}

/* The newest code row of mobile for purpose (index: the mobile's blind index, out):
 * 1 found, 0 none, < 0 error. */
static int newest(db_conn *tx, const char *mobile, const char *purpose, char index[PII_INDEX_LEN],
                  smscode_row *row)
{
    pii_index("mobile", mobile, index);
    return smscode_row_newest(tx, index, purpose, row);
}

int smscode_send(db_conn *tx, const char *mobile, const char *purpose, int64_t now,
                 smscode_sent *out, yc_err *e)
{
    memset(out, 0, sizeof(*out));
    int rc = ident_check_mobile(mobile);
    if (rc)
        return ident_fail(e, rc, 0, "mobile");
    char index[PII_INDEX_LEN];
    smscode_row last;
    int found = newest(tx, mobile, purpose, index, &last);
    if (found < 0)
        return YC_EDB;
    if (found && now - last.created_at < SMSCODE_GAP_MS)
        return yc_fail(e, YC_EINVAL, 429, "SMS_TOO_SOON", "mobile",
                       "验证码已发送，请%lld秒后再重新获取",
                       (long long)((SMSCODE_GAP_MS - (now - last.created_at) + 999) / 1000));
    int64_t today = smscode_row_count_since(tx, index, purpose, now - 24LL * 3600 * 1000);
    if (today < 0)
        return YC_EDB;
    if (today >= SMSCODE_DAY_MAX)
        return yc_fail(e, YC_EINVAL, 429, "SMS_DAY_LIMIT", "mobile",
                       "这个手机号码24小时内获取验证码已达%d次，请明天再试", SMSCODE_DAY_MAX);
    for (int i = 0; i < 6; i++)
        out->code[i] = (char)('0' + randombytes_uniform(10));
    out->expires_at = now + SMSCODE_TTL_MS;
    char hash[PII_INDEX_LEN], ref[48], body[160];
    if ((rc = smscode_row_add(tx, index, purpose, now, out->expires_at, &out->id)))
        return rc;
    code_hash(out->id, out->code, hash);
    snprintf(ref, sizeof(ref), "sms_code:%lld", (long long)out->id);
    snprintf(body, sizeof(body), "【一窗】验证码%s，%d分钟内有效，用于网上预约办事。请勿告诉他人。",
             out->code, SMSCODE_TTL_MS / 60000);
    char *cipher = pii_encrypt(mobile), *masked = mask_phone(mobile);
    rc = cipher && masked ? smscode_row_set_hash(tx, out->id, hash) : YC_EDB;
    if (!rc)
        rc = outbox_sms(tx, 0, "sms_code", ref, cipher, masked, body, now, now);
    if (masked)
        ystrlcpy(out->mobile_masked, masked, sizeof(out->mobile_masked));
    free(cipher);
    free(masked);
    sodium_memzero(body, sizeof(body));
    return rc;
}

static bool six_digits(const char *s)
{
    if (!s || strlen(s) != 6)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

int smscode_check(db_conn *tx, const char *mobile, const char *purpose, const char *code,
                  int64_t now, bool *recorded, yc_err *e)
{
    *recorded = false;
    if (!six_digits(code))
        return yc_fail(e, YC_EINVAL, 400, "SMS_CODE_FORMAT", "sms_code", "短信验证码应为6位数字");
    char index[PII_INDEX_LEN];
    smscode_row row;
    int found = newest(tx, mobile, purpose, index, &row);
    if (found < 0)
        return YC_EDB;
    if (!found || now >= row.expires_at)
        return yc_fail(e, YC_EINVAL, 400, "SMS_CODE_NONE", "sms_code",
                       "验证码已失效或未获取，请重新获取短信验证码");
    if (row.attempts >= SMSCODE_MAX_TRIES)
        return yc_fail(e, YC_EINVAL, 400, "SMS_CODE_LOCKED", "sms_code",
                       "验证码输错次数过多，请重新获取");
    char hash[PII_INDEX_LEN];
    code_hash(row.id, code, hash);
    if (strlen(row.code_hash) != strlen(hash) ||
        sodium_memcmp(row.code_hash, hash, strlen(hash)) != 0) {
        if (smscode_row_bump(tx, row.id))
            return YC_EDB;
        *recorded = true;
        int left = (int)(SMSCODE_MAX_TRIES - row.attempts - 1);
        if (left <= 0)
            return yc_fail(e, YC_EINVAL, 400, "SMS_CODE_LOCKED", "sms_code",
                           "验证码输错次数过多，请重新获取");
        return yc_fail(e, YC_EINVAL, 400, "SMS_CODE_WRONG", "sms_code",
                       "短信验证码不正确，还可以再试%d次", left);
    }
    return 0;
}
