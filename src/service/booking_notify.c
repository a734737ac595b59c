/*
 * booking_notify.c - what the outbox worker runs beside sending (see booking.h): the
 * no-show sweep, and the "your turn is near" SMS (seed 000 item 7, 排队状态智能提醒) for
 * waiting tickets that carry a mobile.
 */
#include "core/mask.h"
#include "service/booking.h"
#include "service/hall_internal.h"
#include "service/outbox.h"
#include "service/pii.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>

#define NEAR_AHEAD 3 /* seed 000 item 7: notify when this many are ahead */
#define S(b, k)    json_string_value(json_object_get(b, k))

int booking_sweep(db_conn *tx, void *arg)
{
    (void)arg;
    int64_t n = 0;
    return booking_sweep_noshows(tx, ytime_now_ms(), &n);
}

int booking_ticket_notify(db_conn *tx, int64_t ticket_id, const char *mobile_cipher)
{
    return booking_ticket_attach(tx, ticket_id, 0, mobile_cipher);
}

int booking_notify_near(db_conn *tx, int64_t center_id, const char *day, int64_t now)
{
    json_t *cands = booking_near_candidates(tx, center_id, day);
    if (!cands)
        return YC_EDB;
    int rc = 0;
    size_t i;
    json_t *c;
    json_array_foreach(cands, i, c)
    {
        int64_t id = json_integer_value(json_object_get(c, "id"));
        json_t *t = hall_ticket_get(tx, id);
        if (!t || hall_ticket_position(tx, t, now)) {
            json_decref(t);
            rc = YC_EDB;
            break;
        }
        json_t *ahead = json_object_get(t, "people_ahead");
        if (json_is_integer(ahead) && json_integer_value(ahead) <= NEAR_AHEAD) {
            char ref[48], body[300];
            snprintf(ref, sizeof(ref), "ticket:%lld:near", (long long)id);
            snprintf(body, sizeof(body),
                     "【一窗】您的号码%s前面还有%lld人，请回到大厅留意叫号，过号需重新排队。",
                     S(t, "number"), (long long)json_integer_value(ahead));
            char *to = pii_decrypt(S(c, "notify_cipher"));
            char *masked = to ? mask_phone(to) : xstrdup("(无法解密)");
            free(to);
            rc = outbox_sms(tx, center_id, "turn_near", ref, S(c, "notify_cipher"), masked, body,
                            now, now);
            free(masked);
            if (!rc)
                rc = booking_ticket_near_sent(tx, id);
        }
        json_decref(t);
        if (rc)
            break;
    }
    json_decref(cands);
    return rc;
}
