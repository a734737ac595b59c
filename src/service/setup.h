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
    const char *holidays_path;  /* national holiday data to load, or NULL */
} setup_opts;

/* True if the database already has a root center. */
bool setup_done(store *st);
/* Create the root center, the first admin and (when o->holidays_path names a readable
 * file) the national holiday data, in one transaction. password_out (>= 32 bytes)
 * receives the password used (given or generated). *years gets the holiday years
 * loaded; when the file cannot be used, problem says why and init goes on without it
 * (working days then follow Monday-Friday until data is imported). */
int setup_init(store *st, const setup_opts *o, char *password_out, size_t size, int *years,
               char *problem, size_t psize);

/* Load the demo county from a JSON file (share/demo/county.json) into an initialized
 * database, all in one transaction; every demo account gets password_hash. The PII key
 * must be loaded (pii_init). On failure, problem says what was wrong, in Chinese. */
int setup_demo_file(store *st, const char *path, const char *password_hash, char *problem,
                    size_t size);

/* Import national holiday data (a JSON file in either layout workcal_json.h accepts)
 * into the database. Years already present are left alone unless replace is true.
 * 0, or < 0 with problem filled. *years receives the number of years imported. */
int setup_import_holidays(store *st, const char *path, bool replace, int *years, char *problem,
                          size_t size);

#endif
