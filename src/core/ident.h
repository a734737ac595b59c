/*
 * ident.h - validate the identifiers people type in (DOMAIN.md §9): 居民身份证号,
 * 统一社会信用代码 and mainland mobile numbers. Pure functions, no I/O, no clock:
 * "today" is passed in as a workcal_date (days since 1970-01-01, CST).
 *
 * Each rule has its own negative code, so the API can tell a person exactly what is
 * wrong: ident_reason_zh() gives the Chinese sentence, ident_reason_code() a stable
 * machine code, ident_message_zh() the sentence with the expected check character
 * ("身份证号校验位错误（应为X）"), and ident_fail() fills a yc_err (HTTP 400). Rules are
 * checked in the order listed below and the first one broken is reported.
 *
 * Input is taken as typed: no trimming, no full-width conversion. Lengths are counted in
 * characters (UTF-8 code points), so "１１０..." typed in full width is reported as a
 * character error, not as a wrong length.
 *
 * 居民身份证号 (GB 11643-1999):
 *   1. 18 characters                                        IDENT_E_ID_LENGTH
 *   2. 17 digits then a digit or X (x is accepted, stored X) IDENT_E_ID_CHARS
 *   3. the first two digits are a province-level code of GB/T 2260 (11-15, 21-23,
 *      31-37, 41-46, 50-54, 61-65), or 71 台湾, 81 香港, 82 澳门, or 83 (the 830000 used
 *      by 台湾居民居住证, which shares this number format)  IDENT_E_ID_REGION
 *      The remaining four region digits are not checked: codes are retired and
 *      renumbered over the years and an ID number keeps the code of its issue date.
 *      Foreign permanent residence cards (外国人永久居留身份证, starting with 9) are a
 *      different document and are rejected here.
 *   4. digits 7-14 are a real date YYYYMMDD                 IDENT_E_ID_BIRTH
 *   5. ... not after today                                   IDENT_E_ID_BIRTH_FUTURE
 *   6. ... not before 1900-01-01                             IDENT_E_ID_BIRTH_EARLY
 *   7. ISO 7064 MOD 11-2 check character                     IDENT_E_ID_CHECK
 *
 * 统一社会信用代码 (GB 32100-2015):
 *   1. 18 characters                                        IDENT_E_CC_LENGTH
 *   2. only 0-9 and A-H J-N P-R T-U W-Y (no I O Z S V)      IDENT_E_CC_CHARS
 *   3. letters upper case (a lower-case code is rejected, not converted; the message
 *      says so)                                             IDENT_E_CC_LOWERCASE
 *   4. char 1, 登记管理部门代码: 1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政, 6 旅游,
 *      7 宗教, 8 工会, 9 市场监管(工商), A 中央军委改革和编制办公室, N 农业, Y 其他
 *                                                            IDENT_E_CC_DEPT
 *   5. char 2, 机构类别代码: a digit 1-9 (the standard's table only uses digits; which
 *      digits each department uses is not enforced)         IDENT_E_CC_KIND
 *   6. chars 3-8, 登记管理机关行政区划码: six digits whose first two are a province
 *      code as for ID numbers (11-65) or 10 for central-level registration (100000);
 *      71/81/82/83 are not used here                        IDENT_E_CC_REGION
 *   7. char 18, the MOD 31 check character (GB 32100 weights 1 3 9 27 19 26 16 17 20 29
 *      25 13 8 24 10 30 28)                                  IDENT_E_CC_CHECK
 *   8. chars 9-17, 主体标识码: when they have the form of a GB 11714 organization code
 *      (8 characters then a digit or X as the 9th), its own MOD 11 check (weights
 *      3 7 9 10 5 8 4 2) must hold; any other form is accepted unchecked and
 *      info->org_code_checked says which                    IDENT_E_CC_ORG_CHECK
 *      Checked after rule 7 so that a single mistyped character is reported as the
 *      plainer "校验位错误"; a code that passes 7 and fails 8 is one whose embedded
 *      organization code is itself malformed. Callers that must accept such codes can
 *      treat IDENT_E_CC_ORG_CHECK as a warning: info is filled as for IDENT_OK
 *      (with org_code_checked false).
 *
 * Mobile numbers (mainland): 11 characters IDENT_E_MOBILE_LENGTH, all digits
 * IDENT_E_MOBILE_CHARS, starting with 1 and a second digit 3-9 IDENT_E_MOBILE_PREFIX.
 */
#ifndef YC_IDENT_H
#define YC_IDENT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/workcal.h"
#include "util/err.h"

enum ident_code {
    IDENT_OK = 0,
    IDENT_E_ID_LENGTH = -101,
    IDENT_E_ID_CHARS = -102,
    IDENT_E_ID_REGION = -103,
    IDENT_E_ID_BIRTH = -104,
    IDENT_E_ID_BIRTH_FUTURE = -105,
    IDENT_E_ID_BIRTH_EARLY = -106,
    IDENT_E_ID_CHECK = -107,
    IDENT_E_CC_LENGTH = -121,
    IDENT_E_CC_CHARS = -122,
    IDENT_E_CC_LOWERCASE = -123,
    IDENT_E_CC_DEPT = -124,
    IDENT_E_CC_KIND = -125,
    IDENT_E_CC_REGION = -126,
    IDENT_E_CC_CHECK = -127,
    IDENT_E_CC_ORG_CHECK = -128,
    IDENT_E_MOBILE_LENGTH = -141,
    IDENT_E_MOBILE_CHARS = -142,
    IDENT_E_MOBILE_PREFIX = -143,
};

enum ident_sex { IDENT_FEMALE = 0, IDENT_MALE = 1 };

typedef struct ident_id_info {
    /* Set once rule 2 holds: */
    char number[19]; /* the number, x written X */
    char region[7];  /* 6-digit 行政区划代码 */
    int sex;         /* enum ident_sex: odd 17th digit = male */
    char check;      /* the check character digits 1-17 call for ('0'-'9' or 'X') */
    /* Set once rule 4 holds: */
    workcal_date birth; /* 出生日期 */
    int birth_year, birth_month, birth_day;
} ident_id_info;

typedef struct ident_credit_info {
    /* Set once rule 3 holds: */
    char code[19];
    char dept;         /* 登记管理部门代码 */
    char kind;         /* 机构类别代码 */
    char region[7];    /* 登记管理机关行政区划码 (chars 3-8 as given) */
    char org_code[10]; /* 主体标识码 (组织机构代码), chars 9-17 */
    char check;        /* the check character chars 1-17 call for */
    /* Set by rule 8: chars 9-17 had the GB 11714 form and its check held. */
    bool org_code_checked;
} ident_credit_info;

/* Check a 居民身份证号. s may be NULL (a length error). today: the current CST date,
 * for the birth-date rule. out may be NULL; if given it is zeroed and then filled as
 * far as the rules got (see the field comments). IDENT_OK or an IDENT_E_ID_* code. */
int ident_check_id_number(const char *s, workcal_date today, ident_id_info *out);

/* Check a 统一社会信用代码. out as above. IDENT_OK or an IDENT_E_CC_* code. */
int ident_check_credit_code(const char *s, ident_credit_info *out);

/* Check a mainland mobile number. IDENT_OK or an IDENT_E_MOBILE_* code. */
int ident_check_mobile(const char *s);

/* The Chinese sentence for a code, e.g. "身份证号应为18位"; "" for IDENT_OK, a generic
 * sentence for an unknown code. Static strings. */
const char *ident_reason_zh(int code);
/* A stable machine code, e.g. "ID_NUMBER_LENGTH"; "OK" for IDENT_OK. Static strings. */
const char *ident_reason_code(int code);
/* ident_reason_zh, plus "（应为X）" for the two check-character codes when check is
 * not 0 (pass info.check). Always NUL-terminates buf when size > 0. */
void ident_message_zh(int code, char check, char *buf, size_t size);
/* Fill e (may be NULL) for an HTTP 400 naming field and return YC_EINVAL; for IDENT_OK
 * return 0 and leave e alone. */
int ident_fail(yc_err *e, int code, char check, const char *field);

#endif
