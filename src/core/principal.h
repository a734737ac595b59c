/*
 * principal.h - who is asking: a person with roles, a device, or nobody.
 *
 * Each role a person holds is scoped to a center subtree (and, for department staff,
 * a department). Centers carry a path such as "/1/4/9/"; center B is inside the
 * subtree of center A when A's path is a prefix of B's. Pure data and checks.
 */
#ifndef YC_PRINCIPAL_H
#define YC_PRINCIPAL_H

#include "core/roles.h"

#include <stdbool.h>
#include <stdint.h>

#define PRINCIPAL_MAX_ROLES 16
#define CENTER_PATH_MAX     128

typedef enum { PRINCIPAL_ANON, PRINCIPAL_USER, PRINCIPAL_DEVICE } principal_kind;

typedef struct principal_role {
    role_bit role;
    int64_t center_id; /* 0 for roles without a center (applicant) */
    char center_path[CENTER_PATH_MAX];
    int64_t department_id; /* 0 if none */
} principal_role;

typedef struct principal {
    principal_kind kind;
    int64_t id; /* user or device id */
    char name[128];
    int64_t session_id;
    char csrf_token[80];
    bool must_change_password;
    int64_t window_no; /* devices bound to a window */
    int nroles;
    principal_role roles[PRINCIPAL_MAX_ROLES];
    uint32_t role_mask; /* OR of roles[].role */
} principal;

/* True if p holds a role in mask whose subtree contains the center at center_path (for a
 * device: whose center is that center). */
bool principal_can_at(const principal *p, uint32_t mask, const char *center_path);
/* The role in mask with the widest scope (shortest path); NULL if none. */
const principal_role *principal_widest(const principal *p, uint32_t mask);
/* True if path lies inside the subtree rooted at root_path. */
bool center_path_within(const char *path, const char *root_path);

#endif
