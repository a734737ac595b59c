/* roles.c - see roles.h. */
#include "core/roles.h"

#include <string.h>

const role_info role_table[] = {
    {ROLE_ADMIN, "admin", "系统管理员", false, false},
    {ROLE_MANAGER, "manager", "中心管理员", false, false},
    {ROLE_SUPERVISOR, "supervisor", "电子监察", false, false},
    {ROLE_CHIEF_REP, "chief_rep", "首席代表", false, true},
    {ROLE_REVIEWER, "reviewer", "后台审批人员", false, true},
    {ROLE_CLERK, "clerk", "综合窗口受理人员", false, false},
    {ROLE_GUIDE, "guide", "导服人员", false, false},
    {ROLE_APPLICANT, "applicant", "办事群众", false, false},
    {ROLE_KIOSK, "kiosk", "取号机", true, false},
    {ROLE_DISPLAY, "display", "叫号屏", true, false},
    {ROLE_RATING_PAD, "rating_pad", "评价器", true, false},
};

const int role_count = (int)(sizeof(role_table) / sizeof(role_table[0]));

const role_info *role_by_code(const char *code)
{
    for (int i = 0; i < role_count; i++)
        if (strcmp(role_table[i].code, code) == 0)
            return &role_table[i];
    return NULL;
}

const role_info *role_by_bit(role_bit bit)
{
    for (int i = 0; i < role_count; i++)
        if (role_table[i].bit == bit)
            return &role_table[i];
    return NULL;
}
