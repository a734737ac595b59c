/*
 * h_kiosk.c - what the hall's devices need besides the queue itself: call
 * announcements as audio for displays without a Chinese browser voice, QR codes for
 * the kiosk's ticket slip, and the kiosk's item search that names the lines serving an
 * item.
 *
 * The voice route is keyed by a hall event id, not by free text: it speaks only the
 * sentence of a real call event (call, recall, callback) of that center, so a leaked
 * display token cannot turn the server into a general speech synthesizer, and every
 * answer for an event is the same (cacheable) sentence.
 */
#include "api/handlers.h"
#include "service/qrsvg.h"
#include "service/tts.h"
#include "store/catalog_search.h"
#include "store/catalog_store.h"
#include "store/hall.h"
#include "util/csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ voice */

typedef struct voice_find {
    int64_t want;
    char text[TTS_TEXT_MAX + 1];
    bool found, too_long;
} voice_find;

static void voice_event(int64_t id, int64_t center_id, const char *kind, const char *payload,
                        int64_t at, void *arg)
{
    voice_find *f = arg;
    if (id != f->want ||
        (strcmp(kind, "call") && strcmp(kind, "recall") && strcmp(kind, "callback")))
        return;
    json_t *o = json_loads(payload, 0, NULL);
    const char *text = json_string_value(json_object_get(o, "text"));
    if (text) {
        f->found = true;
        f->too_long = ystrlcpy(f->text, text, sizeof(f->text)) < 0;
    }
    json_decref(o);
}

void h_hall_voice(api_req *r)
{
    int64_t center_id, event_id;
    char path[CENTER_PATH_MAX];
    if (api_param_id(r, 0, &center_id) || api_param_id(r, 1, &event_id) ||
        api_need_center(r, ROLE_STAFF | ROLE_DISPLAY, center_id, path, sizeof(path), ""))
        return;
    voice_find f = {.want = event_id};
    if (hall_events_since(api_db(r), center_id, event_id - 1, 1, voice_event, &f) < 0) {
        api_fail_db(r);
        return;
    }
    if (!f.found || f.too_long) {
        api_fail(r, 404, "CALL_NOT_FOUND", "", "本中心没有这条叫号记录（事件%lld）",
                 (long long)event_id);
        return;
    }
    char *wav = NULL;
    size_t len = 0;
    yc_err e;
    yc_err_clear(&e);
    if (tts_wav(f.text, &wav, &len, &e)) {
        api_fail_err(r, &e);
        return;
    }
    api_reply_raw(r, 200, "audio/wav", wav, len);
}

/* ------------------------------------------------------------ QR */

/* A URL must point at this very site (the Host the request came to), so the endpoint
 * cannot stamp QR codes that send phones elsewhere. */
static bool own_url(api_req *r, const char *text)
{
    const char *rest = !strncmp(text, "https://", 8)  ? text + 8
                       : !strncmp(text, "http://", 7) ? text + 7
                                                      : NULL;
    const char *host = api_header(r, "Host");
    if (!rest || !host || !*host)
        return false;
    size_t n = strlen(host);
    return !strncmp(rest, host, n) && (rest[n] == '/' || rest[n] == '\0');
}

void h_qr_svg(api_req *r)
{
    const char *text = api_query(r, "text");
    size_t n = text ? strlen(text) : 0;
    if (!n) {
        api_fail(r, 400, "FIELD_REQUIRED", "text", "请提供二维码内容");
        return;
    }
    if (n > QRSVG_TEXT_MAX) {
        api_fail(r, 400, "FIELD_LENGTH", "text", "二维码内容最多%d字节", QRSVG_TEXT_MAX);
        return;
    }
    bool ctl = false;
    for (size_t i = 0; i < n; i++)
        ctl = ctl || (unsigned char)text[i] < 0x20 || text[i] == 0x7F;
    if (ctl || !csv_utf8_valid(text, n)) {
        api_fail(r, 400, "FIELD_FORMAT", "text", "二维码内容应为不含控制字符的文字");
        return;
    }
    if (strstr(text, "://") && !own_url(r, text)) {
        api_fail(r, 400, "QR_FOREIGN_URL", "text", "只能为本站的网址生成二维码");
        return;
    }
    ybuf out;
    ybuf_init(&out);
    if (qrsvg_make(text, &out) < 0) {
        ybuf_release(&out);
        api_fail(r, 400, "FIELD_FORMAT", "text", "无法为该内容生成二维码");
        return;
    }
    size_t len = out.len;
    api_reply_raw(r, 200, "image/svg+xml", ybuf_detach(&out), len);
}

/* ------------------------------------------------------------ kiosk search */

/* The active lines of lines whose item_ids hold item_id, as {id, prefix, name}. */
static json_t *lines_serving(json_t *lines, int64_t item_id)
{
    json_t *out = json_array();
    size_t i, j;
    json_t *l, *v;
    json_array_foreach(lines, i, l)
    {
        if (!json_is_true(json_object_get(l, "is_active")) &&
            json_integer_value(json_object_get(l, "is_active")) != 1)
            continue;
        json_array_foreach(json_object_get(l, "item_ids"), j, v)
        {
            if (json_integer_value(v) == item_id) {
                json_array_append_new(out,
                                      json_pack("{s:O,s:O,s:O}", "id", json_object_get(l, "id"),
                                                "prefix", json_object_get(l, "prefix"), "name",
                                                json_object_get(l, "name")));
                break;
            }
        }
    }
    return out;
}

void h_hall_kiosk_search(api_req *r)
{
    int64_t center_id;
    char path[CENTER_PATH_MAX];
    if (api_param_id(r, 0, &center_id) ||
        api_need_center(r, ROLE_STAFF | ROLE_KIOSK, center_id, path, sizeof(path), ""))
        return;
    const char *q = api_query(r, "q");
    size_t chars = 0;
    for (const char *s = q ? q : ""; *s; s++)
        chars += ((unsigned char)*s & 0xC0) != 0x80;
    if (!q || !*q || chars > 100 || strlen(q) > 400 || !csv_utf8_valid(q, strlen(q))) {
        api_fail(r, 400, "FIELD_LENGTH", "q", "请输入1至100个字的事项名称或关键词");
        return;
    }
    catsearch_query cq = {q, "", "", "", "", 20, 0};
    int64_t total = 0;
    bool capped = false;
    json_t *found = catsearch_run(api_db(r), &cq, &total, &capped);
    json_t *lines = found ? hall_lines_list(api_db(r), center_id) : NULL;
    if (!found || !lines) {
        json_decref(found);
        api_fail_db(r);
        return;
    }
    json_t *results = json_array();
    size_t i;
    json_t *hit;
    json_array_foreach(found, i, hit)
    {
        const char *kind = json_string_value(json_object_get(hit, "kind"));
        if (!kind || strcmp(kind, "item"))
            continue;
        json_t *it =
            catstore_item_by_code(api_db(r), json_string_value(json_object_get(hit, "code")));
        if (!it)
            continue;
        int64_t item_id = json_integer_value(json_object_get(it, "id"));
        json_array_append_new(
            results, json_pack("{s:O,s:O,s:O,s:I,s:o}", "code", json_object_get(hit, "code"),
                               "name", json_object_get(hit, "name"), "department",
                               json_object_get(hit, "department"), "item_id", (json_int_t)item_id,
                               "lines", lines_serving(lines, item_id)));
        json_decref(it);
    }
    json_decref(found);
    json_decref(lines);
    api_reply_json(r, 200, json_pack("{s:o}", "results", results));
}
