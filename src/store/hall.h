/*
 * hall.h - SQL of the hall queue (排队叫号): service lines, tickets and their daily
 * numbering, window states, per-center settings and the append-only hall events.
 *
 * Reads return JSON rows (rows.h) or fill small structs; writes take the writer
 * connection of a store job. Errors: YC_ENOTFOUND, DB_ECONSTRAINT, YC_EDB.
 */
#ifndef YC_STORE_HALL_H
#define YC_STORE_HALL_H

#include "store/db.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* ---- service lines ---- */

/* Lines of a center, each with item_ids and window_ids arrays. */
json_t *hall_lines_list(db_conn *c, int64_t center_id);
/* One line with center_path, item_ids and window_ids; NULL if none. */
json_t *hall_line_get(db_conn *c, int64_t id);
int hall_line_insert(db_conn *tx, int64_t center_id, const char *prefix, const char *name,
                     int64_t now, int64_t *id_out);
/* Set any of prefix, name, active present in values. */
int hall_line_update(db_conn *tx, int64_t id, json_t *values, int64_t now);
/* Replace the items / windows of a line with the ids in arr. */
int hall_line_set_items(db_conn *tx, int64_t line_id, json_t *arr);
int hall_line_set_windows(db_conn *tx, int64_t line_id, json_t *arr);
/* Does window_id serve line_id? */
/* Ids of the items with a published version, of domain (NULL = any) and department
 * (0 = any): what a line serving a domain or a department's items maps to. */
json_t *hall_published_items(db_conn *c, const char *domain, int64_t department_id);
bool hall_window_serves(db_conn *c, int64_t window_id, int64_t line_id);
/* Bit (prefix - 'A') set for every active line the window serves. */
uint64_t hall_window_skills(db_conn *c, int64_t window_id);

/* ---- settings ---- */

typedef struct hall_settings {
    char pattern[32]; /* "3:2:1" green:appointment:normal */
    int64_t aging_s, max_wait_s, rejoin_within_s;
    int recall_limit;
} hall_settings;

/* The center's settings, or the defaults when none are stored. */
int hall_settings_get(db_conn *c, int64_t center_id, hall_settings *out);
int hall_settings_put(db_conn *tx, int64_t center_id, const hall_settings *s, int64_t now);

/* ---- tickets ---- */

/* Bump the counter of (center, day, prefix) and return the new serial. */
int hall_counter_next(db_conn *tx, int64_t center_id, const char *day, const char *prefix,
                      int64_t *serial);

typedef struct hall_ticket_new {
    int64_t center_id, line_id, serial, item_id;
    const char *day, *number, *priority, *source, *token, *taken_by;
    int64_t now;
} hall_ticket_new;
int hall_ticket_insert(db_conn *tx, const hall_ticket_new *t, int64_t *id_out);

/* One ticket with its line (prefix, line_name), window number and center_path. */
json_t *hall_ticket_get(db_conn *c, int64_t id);
json_t *hall_ticket_by_token(db_conn *c, const char *token);

/* A ticket as the queue rules need it. */
typedef struct hall_qrow {
    int64_t id, line_id, queued_at, front_at, only_window_id, window_id, noshow_at;
    int recalls, noshows;
    char prefix, priority[16], status[16];
} hall_qrow;
int hall_qrow_get(db_conn *c, int64_t ticket_id, hall_qrow *out);

/* Waiting tickets (waiting or transferred) of the center's day, on the lines window_id
 * serves (window_id 0: every line). Calls fn for each; stops early if fn returns < 0. */
int hall_queue_scan(db_conn *c, int64_t center_id, const char *day, int64_t window_id,
                    int (*fn)(const hall_qrow *row, void *arg), void *arg);

/* State changes of one ticket; YC_ECONFLICT when it is no longer in the state the
 * change starts from (another window was faster). */
int hall_ticket_call(db_conn *tx, int64_t id, int64_t window_id, int64_t now);
int hall_ticket_set_status(db_conn *tx, int64_t id, const char *from_status, const char *to_status,
                           int64_t window_id, int64_t now);
int hall_ticket_recall(db_conn *tx, int64_t id);
int hall_ticket_noshow(db_conn *tx, int64_t id, int64_t now);
int hall_ticket_rejoin(db_conn *tx, int64_t id, int64_t queued_at);
int hall_ticket_finish(db_conn *tx, int64_t id, int64_t window_id, int64_t item_id, int64_t now);
/* A parked ticket is ready: waiting again, at the front, for its window only. */
int hall_ticket_unpark(db_conn *tx, int64_t id, int64_t window_id, int64_t front_at);
int hall_ticket_transfer(db_conn *tx, int64_t id, int64_t line_id, int64_t only_window_id,
                         int64_t front_at);

/* Waiting tickets of a line today. */
int hall_line_waiting(db_conn *c, int64_t line_id, const char *day, int64_t *n);
/* Mean handling time (finished - started) of the line's last 20 finished tickets today,
 * in ms; 0 if none. */
int hall_line_handle_ms(db_conn *c, int64_t line_id, const char *day, double *ms);
/* Open windows serving the line, and how many of them have no ticket at the window. */
int hall_line_windows_open(db_conn *c, int64_t line_id, int *open, int *idle);

/* ---- windows ---- */

typedef struct hall_wstate {
    char state[16]; /* open, paused, closed ("closed" when there is no row) */
    int64_t current_ticket_id;
    int64_t rr[6];
} hall_wstate;
int hall_wstate_get(db_conn *c, int64_t window_id, hall_wstate *out);
int hall_wstate_put(db_conn *tx, int64_t window_id, int64_t center_id, const hall_wstate *w,
                    int64_t user_id, int64_t now);
/* Tickets parked in the window's hold pool. */
json_t *hall_window_held(db_conn *c, int64_t window_id);
/* The clerk's posted window (staff.window_id), or 0. */
int64_t hall_staff_window(db_conn *c, int64_t user_id);

/* ---- overview and statistics ---- */

/* Lines with today's waiting/taken/done counts and mean handling seconds. */
json_t *hall_stats_lines(db_conn *c, int64_t center_id, const char *day);
/* Windows of the center with state, current ticket number, today's served count and
 * mean handling seconds. */
json_t *hall_stats_windows(db_conn *c, int64_t center_id, const char *day);

/* Today's served count and mean handling seconds (-1 if none) of one window. */
int hall_window_figures(db_conn *c, int64_t window_id, const char *day, int64_t *served,
                        int64_t *avg_s);

/* ---- events ---- */

int hall_event_append(db_conn *tx, int64_t center_id, const char *kind, const char *payload,
                      int64_t now, int64_t *id_out);
/* Highest event id so far (0 if none). */
int64_t hall_event_last_id(db_conn *c);
/* Events with id > after_id (of one center, or of all when center_id is 0), oldest
 * first, up to limit: fn(id, center_id, kind, payload, at, arg) for each. Returns the
 * number delivered, or < 0. */
int hall_events_since(db_conn *c, int64_t center_id, int64_t after_id, int limit,
                      void (*fn)(int64_t id, int64_t center_id, const char *kind,
                                 const char *payload, int64_t at, void *arg),
                      void *arg);
/* The last n call events of the center, newest first, as JSON objects. */
json_t *hall_recent_calls(db_conn *c, int64_t center_id, int n);

#endif
