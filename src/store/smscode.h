/*
 * smscode.h - SQL for SMS verification codes (短信验证码); the rules are in
 * service/smscode.c.
 */
#ifndef YC_STORE_SMSCODE_H
#define YC_STORE_SMSCODE_H

#include "store/db.h"

/* A code row as the rules need it. */
typedef struct smscode_row {
    int64_t id, attempts, created_at, expires_at;
    char code_hash[72];
} smscode_row;

/* Insert a code row; *id the new row's id. The hash is set later (it covers the id). */
int smscode_row_add(db_conn *tx, const char *mobile_index, const char *purpose, int64_t now,
                    int64_t expires_at, int64_t *id);
int smscode_row_set_hash(db_conn *tx, int64_t id, const char *code_hash);
/* The newest code of a mobile and purpose: 1 found, 0 none, < 0 error. */
int smscode_row_newest(db_conn *c, const char *mobile_index, const char *purpose, smscode_row *out);
/* Codes sent to a mobile for a purpose since `since`. -1 on error. */
int64_t smscode_row_count_since(db_conn *c, const char *mobile_index, const char *purpose,
                                int64_t since);
int smscode_row_bump(db_conn *tx, int64_t id);

#endif
