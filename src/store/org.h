/*
 * org.h - SQL for the organization: zones, departments, windows, staff, items (the
 * minimal part the authorizations need), authorizations and opening hours.
 *
 * Reads return JSON rows (rows.h); writes take the writer connection of a store job.
 * Errors: YC_ENOTFOUND, DB_ECONSTRAINT (unique/foreign key), YC_EDB.
 */
#ifndef YC_ORG_H
#define YC_ORG_H

#include "store/db.h"

#include <jansson.h>

/* Insert a row into table from a flat JSON object of column -> value (strings,
 * integers, booleans, null). Only the names in `columns` that values holds are
 * written; the others take their SQL default. Adds created_at (and updated_at when
 * with_updated) = now. Returns the new id. */
int org_insert(db_conn *tx, const char *table, const char *const *columns, json_t *values,
               int64_t now, int with_updated, int64_t *id_out);
/* Update the given columns of one row from values (only keys present in values).
 * YC_ENOTFOUND when no row has that id. */
int org_update(db_conn *tx, const char *table, const char *const *columns, json_t *values,
               int64_t now, int64_t id);

/* Center extras: address, phone, region code (NULL = unchanged). */
int org_center_update(db_conn *tx, int64_t id, json_t *values, int64_t now);

json_t *org_zones_list(db_conn *c, int64_t center_id);
json_t *org_departments_list(db_conn *c, int64_t after_id, int limit);
json_t *org_department_get(db_conn *c, int64_t id);

json_t *org_windows_list(db_conn *c, int64_t center_id);
/* One window with its center's path (center_path). */
json_t *org_window_get(db_conn *c, int64_t id);
/* Counts for the town minimum: comprehensive (general + domain), certificate,
 * consultation windows that are active. */
int org_window_counts(db_conn *c, int64_t center_id, int *comprehensive, int *certificate,
                      int *consult);

json_t *org_staff_list(db_conn *c, const char *root_path, int64_t after_id, int limit);
/* One staff member with center_path and username. */
json_t *org_staff_get(db_conn *c, int64_t id);

json_t *org_items_list(db_conn *c, int64_t after_id, int limit);
json_t *org_item_get(db_conn *c, int64_t id);

/* Authorizations of a staff member (live first); with_revoked includes revoked ones. */
json_t *org_authorizations_list(db_conn *c, int64_t staff_id, int with_revoked);
json_t *org_authorization_get(db_conn *c, int64_t id);
/* 综合窗口收件: grant `receive` for every published item to every staff member posted at
 * an active comprehensive window (a general window: every item; a domain window: the
 * items of its domain), each grant by a chief representative of the item's department;
 * existing live grants are kept. Used to set up a hall (the demo county). *granted is the
 * number of new grants. */
int org_grant_comprehensive_receive(db_conn *tx, int64_t now, const char *expires_on,
                                    int64_t *granted);
int org_authorization_insert(db_conn *tx, int64_t staff_id, int64_t item_id, const char *action,
                             int64_t granted_by, int64_t now, const char *expires_on,
                             int64_t *id_out);
int org_authorization_revoke(db_conn *tx, int64_t id, int64_t now);

/* Opening hours: array of {weekday, am_open, am_close, pm_open, pm_close}. */
json_t *org_hours_get(db_conn *c, int64_t center_id);
/* Replace a center's hours with the (validated) array. */
int org_hours_set(db_conn *tx, int64_t center_id, json_t *days);

#endif
