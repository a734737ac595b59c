/*
 * rows.h - turn result rows into JSON objects keyed by column name.
 *
 * Store functions that feed the API return rows this way instead of one C struct per
 * table. NULL columns become JSON null; integers stay integers (instants included:
 * the API layer renders *_at fields as RFC 3339). Integer columns named is_*,
 * disabled or must_change_password become booleans.
 */
#ifndef YC_ROWS_H
#define YC_ROWS_H

#include "store/db.h"

#include <jansson.h>

/* The current row as a new object. */
json_t *rows_object(db_stmt *st);
/* Step st to the end, collecting up to limit rows into a new array, then reset it.
 * Returns NULL on a database error. */
json_t *rows_all(db_stmt *st, int limit);
/* Step st to the end, collecting its first column (integers) into a new array, then
 * reset it. NULL on a database error. */
json_t *rows_ints(db_stmt *st);
/* Step once; the row as an object, or NULL when there is no row (st is reset). */
json_t *rows_one(db_stmt *st);

#endif
