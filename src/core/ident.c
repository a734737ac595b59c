/* ident.c - see ident.h. Table-driven: the weights and alphabets are the standards'
 * own tables, and every rule is one small function returning its code. */
#include "core/ident.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

/* Characters (UTF-8 code points) in s. */
static size_t utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* GB/T 2260 province-level codes (first two digits). */
static bool is_province(int p)
{
    return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) ||
           (p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65);
}

/* ---- 居民身份证号 ---- */

/* ISO 7064 MOD 11-2 over the first 17 digits. */
static char id_check_char(const char *s)
{
    static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char map[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (s[i] - '0') * weight[i];
    return map[sum % 11];
}

int ident_check_id_number(const char *s, workcal_date today, ident_id_info *out)
{
    ident_id_info tmp;
    ident_id_info *info = out ? out : &tmp;
    memset(info, 0, sizeof(*info));
    if (!s || utf8_len(s) != 18)
        return IDENT_E_ID_LENGTH;
    if (strlen(s) != 18)
        return IDENT_E_ID_CHARS;
    for (int i = 0; i < 17; i++)
        if (!is_digit(s[i]))
            return IDENT_E_ID_CHARS;
    if (!is_digit(s[17]) && s[17] != 'X' && s[17] != 'x')
        return IDENT_E_ID_CHARS;

    memcpy(info->number, s, 18);
    if (info->number[17] == 'x')
        info->number[17] = 'X';
    memcpy(info->region, s, 6);
    info->sex = (s[16] - '0') % 2 ? IDENT_MALE : IDENT_FEMALE;
    info->check = id_check_char(s);

    int province = (s[0] - '0') * 10 + (s[1] - '0');
    if (!is_province(province) && province != 71 && province != 81 && province != 82 &&
        province != 83)
        return IDENT_E_ID_REGION;

    int y = 0, m = 0, d = 0;
    for (int i = 6; i < 10; i++)
        y = y * 10 + (s[i] - '0');
    m = (s[10] - '0') * 10 + (s[11] - '0');
    d = (s[12] - '0') * 10 + (s[13] - '0');
    workcal_date birth;
    if (workcal_date_from_ymd(y, m, d, &birth) != 0)
        return IDENT_E_ID_BIRTH;
    info->birth = birth;
    info->birth_year = y;
    info->birth_month = m;
    info->birth_day = d;
    if (birth > today)
        return IDENT_E_ID_BIRTH_FUTURE;
    if (y < 1900)
        return IDENT_E_ID_BIRTH_EARLY;

    if (info->number[17] != info->check)
        return IDENT_E_ID_CHECK;
    return IDENT_OK;
}

/* ---- 统一社会信用代码 ---- */

/* GB 32100: the 31 characters, in value order 0..30. */
static const char cc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static int cc_value(char c)
{
    const char *p = c ? strchr(cc_alphabet, c) : NULL;
    return p ? (int)(p - cc_alphabet) : -1;
}

static char cc_check_char(const char *s)
{
    static const int weight[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += cc_value(s[i]) * weight[i];
    return cc_alphabet[(31 - sum % 31) % 31];
}

/* GB 11714 organization code (9 characters): letters count A=10 ... Z=35. Returns 1 if
 * the check holds, 0 if not, -1 if s does not have the form (9th not a digit or X). */
static int org_code_check(const char *s)
{
    static const int weight[8] = {3, 7, 9, 10, 5, 8, 4, 2};
    if (!is_digit(s[8]) && s[8] != 'X')
        return -1;
    int sum = 0;
    for (int i = 0; i < 8; i++) {
        char c = s[i];
        int v = is_digit(c) ? c - '0' : (c >= 'A' && c <= 'Z') ? c - 'A' + 10 : -1;
        if (v < 0)
            return -1;
        sum += v * weight[i];
    }
    int r = 11 - sum % 11;
    char want = r == 11 ? '0' : r == 10 ? 'X' : (char)('0' + r);
    return s[8] == want;
}

int ident_check_credit_code(const char *s, ident_credit_info *out)
{
    ident_credit_info tmp;
    ident_credit_info *info = out ? out : &tmp;
    memset(info, 0, sizeof(*info));
    if (!s || utf8_len(s) != 18)
        return IDENT_E_CC_LENGTH;
    if (strlen(s) != 18)
        return IDENT_E_CC_CHARS;
    bool lower = false;
    for (int i = 0; i < 18; i++) {
        char c = s[i];
        if (c >= 'a' && c <= 'z') {
            lower = true;
            c = (char)(c - 'a' + 'A');
        }
        if (cc_value(c) < 0)
            return IDENT_E_CC_CHARS;
    }
    if (lower)
        return IDENT_E_CC_LOWERCASE;

    memcpy(info->code, s, 18);
    info->dept = s[0];
    info->kind = s[1];
    memcpy(info->region, s + 2, 6);
    memcpy(info->org_code, s + 8, 9);
    info->check = cc_check_char(s);

    if (!strchr("123456789ANY", s[0]))
        return IDENT_E_CC_DEPT;
    if (s[1] < '1' || s[1] > '9')
        return IDENT_E_CC_KIND;
    for (int i = 2; i < 8; i++)
        if (!is_digit(s[i]))
            return IDENT_E_CC_REGION;
    int province = (s[2] - '0') * 10 + (s[3] - '0');
    if (province != 10 && !is_province(province))
        return IDENT_E_CC_REGION;
    if (s[17] != info->check)
        return IDENT_E_CC_CHECK;
    int org = org_code_check(s + 8);
    if (org == 0)
        return IDENT_E_CC_ORG_CHECK;
    info->org_code_checked = org == 1;
    return IDENT_OK;
}

/* ---- Mobile ---- */

int ident_check_mobile(const char *s)
{
    if (!s || utf8_len(s) != 11)
        return IDENT_E_MOBILE_LENGTH;
    for (int i = 0; i < 11; i++)
        if (!is_digit(s[i]))
            return IDENT_E_MOBILE_CHARS;
    if (s[0] != '1' || s[1] < '3')
        return IDENT_E_MOBILE_PREFIX;
    return IDENT_OK;
}

/* ---- Messages ---- */

typedef struct reason {
    int code;
    const char *machine;
    const char *zh;
} reason;

static const reason reasons[] = {
    {IDENT_OK, "OK", ""},
    {IDENT_E_ID_LENGTH, "ID_NUMBER_LENGTH", "身份证号应为18位"},
    {IDENT_E_ID_CHARS, "ID_NUMBER_CHARS", "身份证号前17位应为数字，最后一位应为数字或X"},
    {IDENT_E_ID_REGION, "ID_NUMBER_REGION", "身份证号前两位不是有效的省级行政区划代码"},
    {IDENT_E_ID_BIRTH, "ID_NUMBER_BIRTH", "身份证号出生日期无效"},
    {IDENT_E_ID_BIRTH_FUTURE, "ID_NUMBER_BIRTH_FUTURE", "身份证号出生日期晚于今天"},
    {IDENT_E_ID_BIRTH_EARLY, "ID_NUMBER_BIRTH_EARLY", "身份证号出生日期早于1900年"},
    {IDENT_E_ID_CHECK, "ID_NUMBER_CHECK", "身份证号校验位错误"},
    {IDENT_E_CC_LENGTH, "CREDIT_CODE_LENGTH", "统一社会信用代码应为18位"},
    {IDENT_E_CC_CHARS, "CREDIT_CODE_CHARS",
     "统一社会信用代码只能由数字和大写字母组成，且不含I、O、Z、S、V"},
    {IDENT_E_CC_LOWERCASE, "CREDIT_CODE_LOWERCASE", "统一社会信用代码中的字母应为大写"},
    {IDENT_E_CC_DEPT, "CREDIT_CODE_DEPT", "统一社会信用代码第1位（登记管理部门代码）无效"},
    {IDENT_E_CC_KIND, "CREDIT_CODE_KIND", "统一社会信用代码第2位（机构类别代码）无效"},
    {IDENT_E_CC_REGION, "CREDIT_CODE_REGION",
     "统一社会信用代码第3至8位（登记管理机关行政区划码）无效"},
    {IDENT_E_CC_CHECK, "CREDIT_CODE_CHECK", "统一社会信用代码校验位错误"},
    {IDENT_E_CC_ORG_CHECK, "CREDIT_CODE_ORG_CHECK",
     "统一社会信用代码第9至17位（组织机构代码）校验位错误"},
    {IDENT_E_MOBILE_LENGTH, "MOBILE_LENGTH", "手机号应为11位"},
    {IDENT_E_MOBILE_CHARS, "MOBILE_CHARS", "手机号应全部为数字"},
    {IDENT_E_MOBILE_PREFIX, "MOBILE_PREFIX", "手机号应以13至19开头"},
};

static const reason *find_reason(int code)
{
    for (size_t i = 0; i < YC_ARRAY_LEN(reasons); i++)
        if (reasons[i].code == code)
            return &reasons[i];
    return NULL;
}

const char *ident_reason_zh(int code)
{
    const reason *r = find_reason(code);
    return r ? r->zh : "号码格式无效";
}

const char *ident_reason_code(int code)
{
    const reason *r = find_reason(code);
    return r ? r->machine : "IDENT_INVALID";
}

void ident_message_zh(int code, char check, char *buf, size_t size)
{
    if ((code == IDENT_E_ID_CHECK || code == IDENT_E_CC_CHECK) && check)
        snprintf(buf, size, "%s（应为%c）", ident_reason_zh(code), check);
    else if (size > 0)
        ystrlcpy(buf, ident_reason_zh(code), size);
}

int ident_fail(yc_err *e, int code, char check, const char *field)
{
    if (code == IDENT_OK)
        return 0;
    char msg[160];
    ident_message_zh(code, check, msg, sizeof(msg));
    return yc_fail(e, YC_EINVAL, 400, ident_reason_code(code), field, "%s", msg);
}
