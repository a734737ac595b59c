/*
 * handlers.h - every route handler, one file per resource (h_*.c), and the small
 * helpers they share. The route table (routes.c) maps method + path to these.
 */
#ifndef YC_HANDLERS_H
#define YC_HANDLERS_H

#include "api/api.h"

/* h_system.c */
void h_healthz(api_req *r);
void h_metrics(api_req *r);

/* h_session.c */
void h_session_create(api_req *r);
void h_session_get(api_req *r);
void h_session_delete(api_req *r);
void h_session_password(api_req *r);
json_t *session_body(db_conn *c, int64_t user_id, const char *csrf, int64_t expires_at);

/* h_users.c */
void h_users_list(api_req *r);
void h_users_create(api_req *r);
void h_users_get(api_req *r);
void h_users_patch(api_req *r);
void h_users_roles(api_req *r);
void h_users_password_reset(api_req *r);

/* h_centers.c */
void h_centers_list(api_req *r);
void h_centers_create(api_req *r);

/* h_devices.c */
void h_devices_list(api_req *r);
void h_devices_create(api_req *r);
void h_devices_delete(api_req *r);
void h_device_self(api_req *r);

/* h_notices.c */
void h_notices_list(api_req *r);
void h_notices_create(api_req *r);
void h_notices_get(api_req *r);
void h_notices_delete(api_req *r);

/* h_org.c */
void h_center_get(api_req *r);
void h_center_patch(api_req *r);
void h_zones_list(api_req *r);
void h_zones_create(api_req *r);
void h_hours_get(api_req *r);
void h_hours_put(api_req *r);
void h_departments_list(api_req *r);
void h_departments_create(api_req *r);
void h_windows_list(api_req *r);
void h_windows_create(api_req *r);
void h_windows_patch(api_req *r);

/* h_staff.c */
void h_staff_list(api_req *r);
void h_staff_create(api_req *r);
void h_staff_get(api_req *r);
void h_staff_patch(api_req *r);
void h_items_list(api_req *r);
void h_items_create(api_req *r);
void h_authorizations_list(api_req *r);
void h_authorizations_create(api_req *r);
void h_authorizations_delete(api_req *r);

/* h_people.c */
void h_people_list(api_req *r);
void h_people_create(api_req *r);
void h_people_get(api_req *r);
void h_people_patch(api_req *r);

/* h_calendar.c */
void h_calendar_year(api_req *r);
void h_calendar_import(api_req *r);
void h_calendar_overrides_list(api_req *r);
void h_calendar_overrides_create(api_req *r);
void h_calendar_overrides_delete(api_req *r);

/* h_catalog.c, h_catalog_more.c */
void h_catalog_items_list(api_req *r);
void h_catalog_items_create(api_req *r);
void h_catalog_item_get(api_req *r);
void h_catalog_version_get(api_req *r);
void h_catalog_version_create(api_req *r);
void h_catalog_version_put(api_req *r);
void h_catalog_version_submit(api_req *r);
void h_catalog_version_approve(api_req *r);
void h_catalog_version_publish(api_req *r);
void h_catalog_version_reject(api_req *r);
void h_catalog_item_retire(api_req *r);
void h_catalog_review(api_req *r);
void h_catalog_bundles_list(api_req *r);
void h_catalog_bundle_get(api_req *r);
void h_catalog_bundle_put(api_req *r);
void h_catalog_import(api_req *r);
void h_catalog_export(api_req *r);
void h_catalog_import_csv(api_req *r);
void h_catalog_export_csv(api_req *r);
void h_catalog_adjustments_list(api_req *r);
void h_catalog_adjustments_create(api_req *r);
void h_catalog_adjustment_report(api_req *r);
void h_catalog_adjustment_done(api_req *r);
void h_catalog_stats(api_req *r);

/* h_public.c */
void h_public_search(api_req *r);
void h_public_facets(api_req *r);
void h_public_item(api_req *r);
void h_public_checklist(api_req *r);
void h_public_bundle(api_req *r);

/* h_guide.c: 办事指南 pages (HTML) */
void h_guide_item(api_req *r);
void h_guide_item_print(api_req *r);
void h_guide_form(api_req *r);
void h_guide_sample(api_req *r);
void h_guide_bundle(api_req *r);
void h_guide_bundle_print(api_req *r);
/* h_hall.c, h_hall_window.c, sse.c: the hall queue */
void h_hall_lines_list(api_req *r);
void h_hall_lines_create(api_req *r);
void h_hall_lines_patch(api_req *r);
void h_hall_settings_get(api_req *r);
void h_hall_settings_put(api_req *r);
void h_hall_tickets_create(api_req *r);
void h_hall_ticket_get(api_req *r);
void h_hall_ticket_public(api_req *r);
void h_hall_ticket_rejoin(api_req *r);
void h_hall_window_get(api_req *r);
void h_hall_window_act(api_req *r);
void h_hall_queue(api_req *r);
void h_hall_stats(api_req *r);
void h_hall_events(api_req *r);
/* h_kiosk.c: call audio, QR codes, the kiosk's item search */
void h_hall_voice(api_req *r);
void h_hall_kiosk_search(api_req *r);
void h_qr_svg(api_req *r);
/* h_hall_staffing.c: 窗口调度 and tidal windows */
void h_hall_staffing(api_req *r);
void h_hall_tidal_open(api_req *r);
void h_hall_tidal_close(api_req *r);

/* h_audit.c */
void h_audit_list(api_req *r);
void h_audit_verify(api_req *r);

/* h_booking.c */
void h_booking_lines(api_req *r);
void h_booking_slots(api_req *r);
void h_bookings_create(api_req *r);
void h_bookings_lookup(api_req *r);
void h_booking_sms_code(api_req *r);
void h_booking_public(api_req *r);
void h_booking_public_cancel(api_req *r);
void h_booking_public_reschedule(api_req *r);
void h_hall_bookings_list(api_req *r);
void h_hall_bookings_create(api_req *r);
void h_hall_booking_cancel(api_req *r);
void h_hall_booking_reschedule(api_req *r);
void h_hall_checkin(api_req *r);
void h_booking_settings_get(api_req *r);
void h_booking_settings_put(api_req *r);
void h_outbox_list(api_req *r);
void h_hall_ticket_notify(api_req *r);
void h_hall_ticket_events(api_req *r);

/* scope.c: center checks shared by handlers.
 * Look up center_id's path; answer 404 (no such center) or 403 (outside every subtree
 * where the caller holds a role in mask) and return -1; else 0 with path filled. */
/* An object just loaded (it has "center_path"), or NULL if there is none: the object if the
 * caller holds a role in mask over its center; else NULL, the object released and the
 * answer given: 404 not_found_code/not_found_msg when there is none, and when it is out of
 * scope 403 CENTER_FORBIDDEN/forbidden_msg, or the same 404 if forbidden_msg is NULL (so
 * ids cannot be used to probe other centers). */
json_t *api_scoped(api_req *r, json_t *obj, uint32_t mask, const char *not_found_code,
                   const char *not_found_msg, const char *forbidden_msg);
int api_need_center(api_req *r, uint32_t mask, int64_t center_id, char *path, size_t size,
                    const char *field);
/* A kiosk device may act only at its own center (403 DEVICE_OTHER_CENTER naming what
 * it tried, doing, e.g. "取号"); anyone else as api_need_center with mask. 0, or -1
 * after answering. */
int api_need_kiosk_or_center(api_req *r, uint32_t mask, int64_t center_id, const char *doing);
/* The request's Idempotency-Key header into key ("" without one) and whose keys they
 * are into caller ("device:12" / "user:3"). 0, or -1 after answering 400. */
#define API_IDEM_MAX   80
#define API_CALLER_MAX 40
int api_idempotency(api_req *r, char key[API_IDEM_MAX], char caller[API_CALLER_MAX]);
/* The subtree to filter lists by: the path of the caller's widest role in mask. */
const char *api_list_root(api_req *r, uint32_t mask);
/* True when that widest role sits at a root center (sees rows without a center). */
bool api_root_scope(api_req *r, uint32_t mask);
/* In a PATCH body, null clears a field only where the column may be empty: answer 400
 * FIELD_TYPE for a null in any key not listed in nullable (NULL-terminated) and
 * return -1; else 0. */
int api_reject_nulls(api_req *r, json_t *in, const char *const *nullable);
/* Answer 503 for a failed read; returns -1. */
int api_fail_db(api_req *r);

#endif
