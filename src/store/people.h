/*
 * people.h - SQL for applicants' records (一人一档、一企一档 base). Callers pass values
 * already encrypted and indexed (service/pii.h); nothing here sees them in clear.
 */
#ifndef YC_PEOPLE_H
#define YC_PEOPLE_H

#include "store/db.h"

#include <jansson.h>

typedef struct person_row {
    const char *kind; /* citizen | enterprise */
    const char *name;
    const char *ident_cipher, *ident_index, *ident_masked;
    const char *mobile_cipher, *mobile_index, *mobile_masked; /* "" when none */
} person_row;

/* DB_ECONSTRAINT when the identifier is already on file. */
int people_insert(db_conn *tx, const person_row *p, int64_t now, int64_t *id_out);
/* Change name and/or mobile (fields NULL = unchanged). */
int people_update(db_conn *tx, int64_t id, const char *name, const char *mobile_cipher,
                  const char *mobile_index, const char *mobile_masked, int64_t now);
/* Masked view (no ciphertexts); NULL if absent. */
json_t *people_get(db_conn *c, int64_t id);
/* The ciphertexts of one person ({ident_cipher, mobile_cipher}); NULL if absent. */
json_t *people_secrets(db_conn *c, int64_t id);
/* Exact lookup by blind index of the identifier or of the mobile (one of them). */
json_t *people_find(db_conn *c, const char *ident_index, const char *mobile_index, int limit);
json_t *people_list(db_conn *c, const char *kind, int64_t after_id, int limit);

#endif
