/*
 * hall.h - the hall queue's use cases (排队叫号): take a ticket, the window actions,
 * rejoin after a no-show, and the views screens read (queue, window, phone page).
 *
 * Writes run inside the caller's write transaction (a store job), so two windows
 * calling at once are two jobs the single writer runs one after the other: the second
 * sees the first's ticket already called. Which ticket a window calls next is the
 * shared queue policy (core/qpolicy.h), the same code the simulator runs. Every write
 * appends an action-log row and a hall event (the live screens' feed). Failures fill e
 * with a Chinese message and write nothing (the caller rolls back on < 0).
 */
#ifndef YC_SERVICE_HALL_H
#define YC_SERVICE_HALL_H

#include "core/qpolicy.h"
#include "store/audit.h"
#include "store/hall.h"
#include "util/err.h"

#include <jansson.h>

typedef struct hall_caller {
    const audit_actor *actor; /* action-log row of each write */
    int64_t user_id;          /* the person at the window, 0 for a device */
    int64_t now;              /* ms since the epoch */
} hall_caller;

/* The business date of instant ms in China Standard Time, "YYYY-MM-DD". */
void hall_service_day(int64_t ms, char out[11]);
/* The queue policy configuration of a center's settings. */
void hall_policy_config(const hall_settings *s, qp_config *c);
/* Check settings: 0, or < 0 with e filled. */
int hall_settings_check(const hall_settings *s, yc_err *e);

/* Take a ticket on line_id of center_id. priority: green, appointment or normal;
 * source: kiosk, guide or booking. *id_out: the new ticket's id (callers that answer
 * with the ticket read it, and its position with hall_ticket_position, after the commit
 * where they can, off the writer). */
int hall_take(db_conn *tx, const hall_caller *who, int64_t center_id, int64_t line_id,
              const char *priority, const char *source, int64_t item_id, int64_t *id_out,
              yc_err *e);

/* One window action (see docs/api.md): open, close, pause, resume, call, recall,
 * noshow, start, finish, transfer, hold, callback, ready, backoffice. in holds the body
 * (ticket_id, item_id, line_id, window_id, to_front, note; each optional). *out: the
 * window view after the action. */
int hall_window_act(db_conn *tx, const hall_caller *who, int64_t window_id, const char *action,
                    json_t *in, json_t **out, yc_err *e);
/* hall_window_act in two parts: the action (*ticket_id: the ticket it concerned, or 0),
 * and the answer, which may be read after the commit on any connection. */
int hall_window_do(db_conn *tx, const hall_caller *who, int64_t window_id, const char *action,
                   json_t *in, int64_t *ticket_id, yc_err *e);
/* The window view with "ticket": the ticket an action concerned (or null). NULL on a
 * database error. */
json_t *hall_window_answer(db_conn *c, int64_t window_id, int64_t ticket_id, int64_t now);
/* Is action one of the above? */
bool hall_action_known(const char *action);

/* A passed-over ticket (过号) comes back: once, to the back of its line. */
int hall_rejoin(db_conn *tx, const hall_caller *who, int64_t ticket_id, json_t **out, yc_err *e);

/* The ticket with people_ahead and estimated_wait_min (null when no window serving
 * its line is open), for the phone page and the kiosk slip. */
int hall_ticket_position(db_conn *c, json_t *ticket, int64_t now);

/* A window: its state, current ticket, hold pool and today's figures. NULL on error. */
json_t *hall_window_view(db_conn *c, int64_t window_id, int64_t now);
/* The hall at a glance for displays: lines with waiting counts, windows, recent calls
 * and the last event id to follow the live feed from. */
json_t *hall_queue_view(db_conn *c, int64_t center_id, int64_t now);

#endif
