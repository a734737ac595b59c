/*
 * booking.h - SQL for appointments (预约): booking settings, bookings, and the facts
 * slot capacity is computed from (opening hours, the line's windows, handling times).
 * Mobiles arrive sealed and indexed (service/pii.h); nothing here sees them in clear.
 */
#ifndef YC_STORE_BOOKING_H
#define YC_STORE_BOOKING_H

#include "core/slots.h"
#include "store/db.h"

#include <jansson.h>

typedef struct booking_settings {
    int slot_min, horizon_days, book_pct, default_handle_min;
    int early_min, late_grace_min;
    int noshow_limit, noshow_window_days, suspend_days;
} booking_settings;

/* A center's settings, the defaults when it has none. 0 or < 0. */
int booking_settings_get(db_conn *c, int64_t center_id, booking_settings *out);
int booking_settings_put(db_conn *tx, int64_t center_id, const booking_settings *s, int64_t now);

/* Opening hours of a weekday (1 = Monday): 0, YC_ENOTFOUND when the center has none. */
int booking_hours(db_conn *c, int64_t center_id, int weekday, slots_hours *out);
/* The duty flags of the active windows serving line_id; returns how many (<= max), or
 * < 0 on error. */
int booking_line_windows(db_conn *c, int64_t line_id, slots_window *out, int max);
/* Mean handling minutes of tickets of line_id finished since since_ms, and how many. */
int booking_line_handling(db_conn *c, int64_t line_id, int64_t since_ms, double *mean_min,
                          int64_t *n);
/* Bookings holding a place per slot start of a line and day: object {"HH:MM": n}. */
json_t *booking_slot_taken(db_conn *c, int64_t line_id, const char *day);
int booking_slot_count(db_conn *c, int64_t line_id, const char *day, const char *start, int64_t *n);

typedef struct booking_new {
    int64_t center_id, line_id, person_id, replaces_id;
    const char *name, *ident_masked, *mobile_cipher, *mobile_index, *mobile_masked;
    const char *day, *slot_start, *slot_end;
    int64_t start_at, end_at;
    const char *code, *token, *channel, *created_by;
    int64_t now;
} booking_new;
/* DB_ECONSTRAINT when the code or token collides or the person already holds a booking
 * of that line that day. */
int booking_insert(db_conn *tx, const booking_new *b, int64_t *id_out);

/* One booking with its line and center names (mobile_cipher and mobile_index
 * included: callers strip them before answering). NULL when absent or on error. */
json_t *booking_get(db_conn *c, int64_t id);
json_t *booking_by_token(db_conn *c, const char *token);
json_t *booking_by_code(db_conn *c, const char *code);
/* Live bookings ('booked') of a person (by ident index via people) for day at a center,
 * earliest first. */
json_t *booking_for_checkin(db_conn *c, int64_t center_id, int64_t person_id, const char *day);
/* Bookings whose mobile index matches, of the person, newest first (at most limit). */
json_t *booking_of_person(db_conn *c, int64_t person_id, const char *mobile_index, int limit);
/* A center's bookings of a day, by slot. */
json_t *booking_of_day(db_conn *c, int64_t center_id, const char *day, int64_t line_id);

/* Move a booking from status from to status to (ticket_id > 0 links the ticket).
 * YC_ECONFLICT when it was not in from. */
int booking_set_status(db_conn *tx, int64_t id, const char *from, const char *to, int64_t ticket_id,
                       int64_t now);
/* The instants (end_at) of a person's no-shows; returns how many (<= max) or < 0. */
int booking_noshows(db_conn *c, int64_t person_id, int64_t *out, int max);
/* Mark every booking still 'booked' whose end + the center's grace has passed as a
 * no-show; *n receives how many. */
int booking_sweep_noshows(db_conn *tx, int64_t now, int64_t *n);

/* Tickets: link a ticket to its booking and/or attach a sealed mobile for notices. */
int booking_ticket_attach(db_conn *tx, int64_t ticket_id, int64_t booking_id,
                          const char *notify_cipher);
/* Waiting tickets of a center and day that carry a mobile and were not yet told their
 * turn is near: [{id, number, notify_cipher}]. */
json_t *booking_near_candidates(db_conn *c, int64_t center_id, const char *day);
int booking_ticket_near_sent(db_conn *tx, int64_t ticket_id);

/* Lines open for booking (active, with at least one window) with their center's name,
 * of one center or (center_id 0) all. */
json_t *booking_lines(db_conn *c, int64_t center_id);

#endif
