/*
 * notices.h - SQL for center announcements (中心公告): short texts a center manager
 * posts for staff and the hall display.
 */
#ifndef YC_NOTICES_H
#define YC_NOTICES_H

#include "store/db.h"

#include <jansson.h>

int notices_insert(db_conn *tx, int64_t center_id, const char *title, const char *body,
                   int64_t created_by, int64_t now, int64_t *id_out);
/* Soft delete; YC_ENOTFOUND if absent or already deleted. */
int notices_delete(db_conn *tx, int64_t id, int64_t now);
/* One live announcement with its center's path; NULL if absent. */
json_t *notices_get(db_conn *c, int64_t id);
/* Live announcements of one center, newest first, ids < before (0 = newest). */
json_t *notices_list(db_conn *c, int64_t center_id, int64_t before, int limit);

#endif
