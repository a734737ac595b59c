/*
 * h_catalog.h - helpers shared by the catalog handlers (h_catalog*.c, h_public.c).
 */
#ifndef YC_H_CATALOG_H
#define YC_H_CATALOG_H

#include "api/handlers.h"

/* Admin or manager with a root-center role: reviews, publishes, manages bundles. */
bool cat_is_manager(api_req *r);
/* May edit items of this department: a catalog manager, or the department's chief
 * representative or reviewer. */
bool cat_may_dept(api_req *r, int64_t department_id);
/* The request body as a JSON object of any shape. 0, or -1 after answering. */
int cat_doc_body(api_req *r, json_t **out);
/* Append an action-log row as the caller. */
int cat_log(db_conn *tx, api_req *r, const char *action, const char *type, const char *id,
            const char *summary);
/* 400 CATALOG_INVALID when doc breaks a rule (item = true: item, else bundle); basic
 * code / code must equal want when given. 0, or -1 after answering. */
int cat_check_doc(api_req *r, json_t *doc, bool item, const char *want);

#endif
