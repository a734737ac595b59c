/*
 * hall_internal.h - pieces shared by service/hall.c and service/hall_window.c.
 */
#ifndef YC_SERVICE_HALL_INTERNAL_H
#define YC_SERVICE_HALL_INTERNAL_H

#include "service/hall.h"

/* enum qp_class of a priority code. */
int hall_qp_class(const char *priority);
/* A stored ticket as the queue policy sees it. Lines are numbered by prefix letter
 * (A = 0 ... Z = 25), which is unique per center and below QP_MAX_LINES. */
void hall_qrow_to_qp(const hall_qrow *r, qp_ticket *t);
/* Append a hall event (steals payload). */
int hall_emit(db_conn *tx, int64_t center_id, const char *kind, json_t *payload, int64_t now);
/* Append the action-log row of a ticket (or, with ticket_id 0, window) change. */
int hall_audit(db_conn *tx, const hall_caller *who, const char *action, int64_t ticket_id,
               const char *summary);

#endif
