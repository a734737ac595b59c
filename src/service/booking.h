/*
 * booking.h - appointments (预约) as use cases: the slots a line offers, booking,
 * cancelling and rescheduling (by the applicant with phone + ID, or by phone staff),
 * check-in at the kiosk turning a booking into a priority ticket, the late and no-show
 * policy, and the SMS the outbox sends about them (confirmation, the evening before,
 * 30 minutes before, cancellation, and "your turn is near" for tickets).
 *
 * Writes run inside the caller's write transaction (a store job on the single writer),
 * which is what makes capacity safe: the count of a slot's bookings and the insert
 * of a new one happen with no other write in between. Failures fill e with a Chinese
 * message and a stable code and write nothing (the caller rolls back on < 0).
 */
#ifndef YC_SERVICE_BOOKING_H
#define YC_SERVICE_BOOKING_H

#include "service/hall.h"
#include "store/booking.h"

typedef struct booking_req {
    int64_t line_id;
    const char *date;  /* YYYY-MM-DD */
    const char *start; /* HH:MM, a slot start */
    const char *name, *id_number, *mobile;
    const char *channel; /* portal | phone | window */
} booking_req;

/* The slots of line_id for days days from date from: {line, days:[{date, weekday,
 * working, note, slots:[{start, end, capacity, taken, available, open}]}]}. open is
 * false for a slot already begun or outside the booking horizon. */
int booking_slots(db_conn *c, int64_t line_id, const char *from, int days, int64_t now,
                  json_t **out, yc_err *e);

/* Book; *out is the booking as the applicant sees it (booking_public). */
int booking_make(db_conn *tx, const hall_caller *who, const booking_req *rq, json_t **out,
                 yc_err *e);
/* Cancel a booking that is still booked (before its slot ends). */
int booking_cancel(db_conn *tx, const hall_caller *who, int64_t id, json_t **out, yc_err *e);
/* Move a booked booking to another slot of the same line: the old one becomes
 * 'rescheduled', a new one with a new code replaces it. */
int booking_reschedule(db_conn *tx, const hall_caller *who, int64_t id, const char *date,
                       const char *start, json_t **out, yc_err *e);
/* Check in at center_id with a booking code (or the token of its QR link) or an ID
 * number: *out is the ticket (as hall_take gives it) plus booking {code, slot_start,
 * slot_end, late}. */
int booking_checkin(db_conn *tx, const hall_caller *who, int64_t center_id, const char *code,
                    const char *id_number, json_t **out, yc_err *e);

/* Remove from b, in place, what only the server may see (mobile cipher and index,
 * person id, center path); returns b (NULL stays NULL). */
json_t *booking_public(json_t *b);

/* The applicant's bookings found by ID number and mobile (both must match). */
int booking_lookup(db_conn *c, const char *id_number, const char *mobile, json_t **out, yc_err *e);

/* Outbox worker sweep: bookings whose slot and grace passed become no-shows. */
int booking_sweep(db_conn *tx, void *arg);

/* After a call on a center's queue: queue "your turn is near" for waiting tickets that
 * carry a mobile and now have at most 3 people ahead (once per ticket). */
int booking_notify_near(db_conn *tx, int64_t center_id, const char *day, int64_t now);

/* Seal and attach a mobile to a ticket for that notice. */
int booking_ticket_notify(db_conn *tx, int64_t ticket_id, const char *mobile_cipher);

#endif
