/*
 * setup.h - first-time set-up of a database (`yichuang init`) and the demo county
 * (`yichuang demo`). Both write through the store's writer like any request, with
 * action-log rows, so a fresh database already verifies.
 */
#ifndef YC_SETUP_H
#define YC_SETUP_H

#include "store/store.h"

#include <stdbool.h>

typedef struct setup_opts {
    const char *center_name;    /* root 政务服务中心 */
    const char *admin_user;     /* "admin" */
    const char *admin_password; /* NULL: generate one (printed), must change at login */
} setup_opts;

/* True if the database already has a root center. */
bool setup_done(store *st);
/* Create the root center and the first admin. password_out (>= 32 bytes) receives the
 * password used (given or generated). */
int setup_init(store *st, const setup_opts *o, char *password_out, size_t size);

/* A demo login, for printing. */
typedef struct setup_login {
    const char *username;
    const char *role_name;
    const char *where;
} setup_login;

/* Load the demo county into an initialized database: towns, villages, one user per
 * role, devices. All demo users share demo_password. Returns 0 or < 0; *logins points
 * to a static table of n entries. */
int setup_demo(store *st, const char *demo_password, const setup_login **logins, int *n);

#endif
