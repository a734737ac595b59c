/*
 * hall_staffing.h - SQL behind the staffing advice (窗口调度) and the tidal windows
 * (潮汐窗口): the day's tickets, the window state history from the hall events, the
 * line's recent handling times, and the line mapping of a tidal window.
 */
#ifndef YC_STORE_HALL_STAFFING_H
#define YC_STORE_HALL_STAFFING_H

#include "store/db.h"

#include <jansson.h>
#include <stdint.h>

/* One ticket of the day as the staffing figures need it (0 for a missing time). */
typedef struct hall_sticket {
    int64_t line_id, taken_at, started_at, finished_at, served_by;
    int done;
} hall_sticket;

/* Every ticket of the center's service day: fn for each, in taking order. */
int hall_staffing_tickets(db_conn *c, int64_t center_id, const char *day,
                          void (*fn)(const hall_sticket *t, void *arg), void *arg);

/* Mean handling time (ms) of the line's last n finished tickets finished before
 * `before` (ms), and how many there were (0: *ms is 0). */
int hall_staffing_history_ms(db_conn *c, int64_t line_id, int64_t before, int n, double *ms,
                             int *count);

/* The window state events (window_open, window_close, window_pause, window_resume) of
 * the center before `until`, oldest first: fn(window_id, kind, at) for each. */
int hall_staffing_window_events(db_conn *c, int64_t center_id, int64_t until,
                                void (*fn)(int64_t window_id, const char *kind, int64_t at,
                                           void *arg),
                                void *arg);

/* Windows of the center: id, number, name, kind, is_active, state (closed when no
 * row), current_ticket_id, line_ids (the lines it serves). */
json_t *hall_staffing_windows(db_conn *c, int64_t center_id);

/* ---- tidal windows ---- */

/* The first active window of kind 'tidal' of the center that is closed and has no
 * ticket, by number; 0 when none. */
int64_t hall_tidal_free(db_conn *c, int64_t center_id);
/* The lines a window serves (array of ids). */
json_t *hall_window_line_ids(db_conn *c, int64_t window_id);
/* Take the window off every line; *removed: how many mappings went. */
int hall_window_lines_clear(db_conn *tx, int64_t window_id, int *removed);
/* Map the window to the line (no-op when already mapped). */
int hall_window_line_add(db_conn *tx, int64_t window_id, int64_t line_id);

#endif
