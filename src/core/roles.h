/*
 * roles.h - who may act in the product (DOMAIN.md §1), as bits so a route's rule is
 * one mask. Pure data; no I/O.
 */
#ifndef YC_ROLES_H
#define YC_ROLES_H

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    ROLE_ADMIN = 1 << 0,      /* 系统管理员 */
    ROLE_MANAGER = 1 << 1,    /* 中心管理员 */
    ROLE_SUPERVISOR = 1 << 2, /* 电子监察 */
    ROLE_CHIEF_REP = 1 << 3,  /* 首席代表 */
    ROLE_REVIEWER = 1 << 4,   /* 后台审批人员 */
    ROLE_CLERK = 1 << 5,      /* 综合窗口受理人员 */
    ROLE_GUIDE = 1 << 6,      /* 导服人员 */
    ROLE_APPLICANT = 1 << 7,  /* 办事群众 */
    ROLE_KIOSK = 1 << 8,      /* 取号机 */
    ROLE_DISPLAY = 1 << 9,    /* 叫号屏 */
    ROLE_RATING_PAD = 1 << 10 /* 评价器 */
} role_bit;

#define ROLE_STAFF                                                                                 \
    (ROLE_ADMIN | ROLE_MANAGER | ROLE_SUPERVISOR | ROLE_CHIEF_REP | ROLE_REVIEWER | ROLE_CLERK |   \
     ROLE_GUIDE)
#define ROLE_DEVICES  (ROLE_KIOSK | ROLE_DISPLAY | ROLE_RATING_PAD)
#define ROLE_ANY_USER (ROLE_STAFF | ROLE_APPLICANT)
#define ROLE_ALL_BITS (ROLE_ANY_USER | ROLE_DEVICES)

typedef struct role_info {
    role_bit bit;
    const char *code; /* stable API code */
    const char *name; /* 中文 */
    bool device;      /* held by a device token, not a person */
    bool department;  /* scoped to a department as well as a center */
} role_info;

/* The table of all roles, in display order. */
extern const role_info role_table[];
extern const int role_count;

/* Lookup by code or bit; NULL if unknown. */
const role_info *role_by_code(const char *code);
const role_info *role_by_bit(role_bit bit);

#endif
