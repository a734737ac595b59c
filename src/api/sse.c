/*
 * sse.c - the hall's live feed: GET /api/v1/hall/{center_id}/events as server-sent
 * events, for hall displays, window workstations and back-office reviewers.
 *
 * The phone page behind a ticket's QR follows GET /api/v1/hall/t/{token}/events: the
 * same stream with every event reduced to its id ("event: hall", empty data), its cue
 * to ask for its own ticket's position; it learns nothing of other applicants.
 *
 * One broadcaster thread per server reads new rows of hall_events (the append-only
 * table every hall write adds to in its own transaction) and keeps the latest RING of
 * them, already formatted, in memory. It wakes when a hall write commits (kicked from
 * the write's done callback, api_notify_hall) and once a second in any case, so events
 * written some other way are not missed either.
 *
 * Each stream is an MHD callback response. Its reader copies the events it has not yet
 * sent from the ring; with nothing to send it suspends its connection, and the
 * broadcaster resumes it when an event of its center arrives or a heartbeat is due. A
 * waiting screen thus costs no thread and no polling, and one event costs one read of
 * the database whatever the number of screens. A stream that is behind the ring (it
 * resumes from an old Last-Event-ID) catches up from the database first.
 *
 * Event ids come from one writer committing in order, so the ids a reader can see only
 * ever grow: "everything after id N" is a complete answer, which is what lets a client
 * resume from Last-Event-ID without missing an event.
 */
#include "api/handlers.h"
#include "api/internal.h"
#include "api/sse.h"
#include "store/hall.h"
#include "util/log.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RING         4096
#define CATCHUP_ROWS 500
/* The broadcaster's coalescing window (see wake_gap_ms): 1 ms per WAKE_STREAMS_PER_MS
 * streams, at least WAKE_GAP_MIN_MS and at most WAKE_GAP_MAX_MS. */
#define WAKE_GAP_MIN_MS     5
#define WAKE_GAP_MAX_MS     20
#define WAKE_STREAMS_PER_MS 100

typedef struct ring_ev {
    int64_t id, center_id;
    char *text; /* "id: N\nevent: kind\ndata: {...}\n\n", formatted once for all streams */
    size_t len;
} ring_ev;

typedef struct sse_sub sse_sub;
struct sse_sub {
    hall_bus *bus;
    struct MHD_Connection *conn;
    int64_t center_id, last_id, last_write_ms;
    ybuf out;
    size_t off;
    bool suspended, started;
    bool brief; /* the public phone page: ids and kinds, no payloads */
    sse_sub *prev, *next;
};

struct hall_bus {
    store *st;
    pthread_t thread;
    bool running;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool kicked, stopping;
    int64_t heartbeat_ms;
    ring_ev ring[RING]; /* circular, ids ascending from ring[head] */
    size_t head, n;
    int64_t last_id;      /* newest id read */
    int64_t covered_from; /* every event with covered_from < id <= last_id is in the ring */
    sse_sub *subs;
    size_t nsubs;
    struct MHD_Connection **wake; /* the broadcaster's list of connections to resume */
    int64_t last_wake_ms;         /* when the broadcaster last resumed streams */
    size_t wake_cap;
};

static void format_event(ybuf *b, int64_t id, const char *kind, const char *payload)
{
    ybuf_printf(b, "id: %lld\nevent: %s\ndata: %s\n\n", (long long)id, kind, payload);
}

/* What the public phone page gets of an event: that something happened in its hall,
 * and its id to resume from; it then asks for its own ticket's position. */
static void format_brief(ybuf *b, int64_t id)
{
    ybuf_printf(b, "id: %lld\nevent: hall\ndata: {}\n\n", (long long)id);
}

/* ------------------------------------------------------------ broadcaster */

typedef struct fresh {
    ring_ev *ev;
    size_t n, cap;
} fresh;

static void collect_fresh(int64_t id, int64_t center_id, const char *kind, const char *payload,
                          int64_t at, void *arg)
{
    fresh *f = arg;
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 16;
        f->ev = xrealloc(f->ev, f->cap * sizeof(*f->ev));
    }
    ybuf b = {0};
    format_event(&b, id, kind, payload);
    size_t len = b.len;
    f->ev[f->n++] = (ring_ev){id, center_id, ybuf_detach(&b), len};
}

static void ring_push(hall_bus *b, ring_ev ev)
{
    if (b->n == RING) {
        ring_ev *old = &b->ring[b->head];
        b->covered_from = old->id;
        free(old->text);
        b->head = (b->head + 1) % RING;
        b->n--;
    }
    b->ring[(b->head + b->n) % RING] = ev;
    b->n++;
    b->last_id = ev.id;
}

static void resume(sse_sub *s)
{
    if (s->suspended) {
        s->suspended = false;
        MHD_resume_connection(s->conn);
    }
}

/* The suspended streams that fresh events (or a due heartbeat) concern, marked awake
 * and listed in b->wake; called with the bus locked. Resuming is left to the caller,
 * after unlocking: each MHD_resume_connection signals the connection's MHD thread (a
 * syscall), and a thousand of them under the lock would hold up every stream's reader
 * meanwhile. A stream marked awake cannot go away before it is resumed: MHD neither
 * reads nor closes a suspended connection, and hall_bus_stop joins this thread before
 * MHD is stopped. */
static size_t list_wakes(hall_bus *b, const fresh *f, int64_t now)
{
    if (b->wake_cap < b->nsubs) {
        b->wake_cap = b->nsubs * 2;
        b->wake = xrealloc(b->wake, b->wake_cap * sizeof(*b->wake));
    }
    size_t n = 0;
    for (sse_sub *s = b->subs; s; s = s->next) {
        if (!s->suspended)
            continue;
        bool wake = now - s->last_write_ms >= b->heartbeat_ms;
        for (size_t i = 0; i < f->n && !wake; i++)
            wake = f->ev[i].center_id == s->center_id;
        if (wake) {
            s->suspended = false;
            b->wake[n++] = s->conn;
        }
    }
    return n;
}

/* How long after a wake-up the next one waits. A wake-up costs every stream it concerns
 * a resume, a read callback and a send: about 2-3 us of server CPU per stream on the
 * 2-CPU bench machine, most of it the kernel's send (bench/RESULTS.md section 7). A fixed
 * window would let that cost grow with the number of screens; this one grows with them
 * instead, so a busy hall's fan-out stays near a quarter of a core at most (1 000 streams:
 * 10 ms, at most 100 wake-ups a second), while a hall of a few hundred screens keeps the
 * 5 ms window. The price is latency: an event in a busy spell waits up to the window. */
static int64_t wake_gap_ms(size_t nsubs)
{
    int64_t gap = (int64_t)(nsubs / WAKE_STREAMS_PER_MS);
    if (gap < WAKE_GAP_MIN_MS)
        return WAKE_GAP_MIN_MS;
    return gap < WAKE_GAP_MAX_MS ? gap : WAKE_GAP_MAX_MS;
}

static void *bus_main(void *arg)
{
    hall_bus *b = arg;
    db_conn *db = store_reader(b->st);
    pthread_mutex_lock(&b->lock);
    while (!b->stopping) {
        if (!b->kicked) {
            /* Once a second, or twice per heartbeat when that is shorter, so a
             * heartbeat is never more than half an interval late. */
            int64_t tick = b->heartbeat_ms / 2 < 1000 ? b->heartbeat_ms / 2 : 1000;
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            int64_t ns = ts.tv_nsec + tick * 1000000;
            ts.tv_sec += (time_t)(ns / 1000000000);
            ts.tv_nsec = (long)(ns % 1000000000);
            pthread_cond_timedwait(&b->cond, &b->lock, &ts);
        }
        b->kicked = false;
        if (b->stopping)
            break;
        /* Coalesce: within the gap (wake_gap_ms) of the last wake-up, wait it out so a
         * busy hall's events reach each screen in one resume and one write rather than
         * one each. An event after a quiet spell goes out at once; a busy one waits at
         * most the gap. */
        for (int64_t due = b->last_wake_ms + wake_gap_ms(b->nsubs);
             !b->stopping && ytime_now_ms() < due;) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            int64_t ns = ts.tv_nsec + (due - ytime_now_ms()) * 1000000;
            ts.tv_sec += (time_t)(ns / 1000000000);
            ts.tv_nsec = (long)(ns % 1000000000);
            pthread_cond_timedwait(&b->cond, &b->lock, &ts);
        }
        b->kicked = false;
        if (b->stopping)
            break;
        int64_t after = b->last_id;
        pthread_mutex_unlock(&b->lock);
        fresh f = {0};
        int got;
        do {
            size_t before = f.n;
            got = db ? hall_events_since(db, 0, after, 1000, collect_fresh, &f) : -1;
            if (f.n > before)
                after = f.ev[f.n - 1].id;
        } while (got == 1000);
        int64_t now = ytime_now_ms();
        pthread_mutex_lock(&b->lock);
        for (size_t i = 0; i < f.n; i++)
            ring_push(b, f.ev[i]);
        size_t nwake = list_wakes(b, &f, now);
        free(f.ev);
        if (nwake) {
            b->last_wake_ms = now;
            pthread_mutex_unlock(&b->lock);
            for (size_t i = 0; i < nwake; i++)
                MHD_resume_connection(b->wake[i]);
            pthread_mutex_lock(&b->lock);
        }
    }
    pthread_mutex_unlock(&b->lock);
    return NULL;
}

hall_bus *hall_bus_new(store *st, int64_t heartbeat_ms)
{
    hall_bus *b = xcalloc(1, sizeof(*b));
    b->st = st;
    b->heartbeat_ms = heartbeat_ms > 0 ? heartbeat_ms : 15000;
    pthread_mutex_init(&b->lock, NULL);
    pthread_cond_init(&b->cond, NULL);
    db_conn *db = store_reader(st);
    b->last_id = db ? hall_event_last_id(db) : 0;
    b->covered_from = b->last_id;
    if (pthread_create(&b->thread, NULL, bus_main, b) == 0)
        b->running = true;
    else
        ylog_error("sse", "cannot start the hall event broadcaster");
    return b;
}

void hall_bus_kick(hall_bus *b)
{
    if (!b)
        return;
    pthread_mutex_lock(&b->lock);
    b->kicked = true;
    pthread_cond_signal(&b->cond);
    pthread_mutex_unlock(&b->lock);
}

void hall_bus_stop(hall_bus *b)
{
    if (!b)
        return;
    pthread_mutex_lock(&b->lock);
    b->stopping = true;
    pthread_cond_signal(&b->cond);
    for (sse_sub *s = b->subs; s; s = s->next)
        resume(s); /* their readers now end the streams */
    pthread_mutex_unlock(&b->lock);
    if (b->running)
        pthread_join(b->thread, NULL);
    b->running = false;
}

void hall_bus_free(hall_bus *b)
{
    if (!b)
        return;
    hall_bus_stop(b);
    for (size_t i = 0; i < b->n; i++)
        free(b->ring[(b->head + i) % RING].text);
    pthread_mutex_destroy(&b->lock);
    pthread_cond_destroy(&b->cond);
    free(b->wake);
    free(b);
}

/* ------------------------------------------------------------ streams */

typedef struct catchup {
    sse_sub *s;
    int n;
} catchup;

static void add_catchup(int64_t id, int64_t center_id, const char *kind, const char *payload,
                        int64_t at, void *arg)
{
    catchup *c = arg;
    if (c->s->brief)
        format_brief(&c->s->out, id);
    else
        format_event(&c->s->out, id, kind, payload);
    c->s->last_id = id;
    c->n++;
}

/* First index in the ring with id > after. */
static size_t ring_after(hall_bus *b, int64_t after)
{
    size_t lo = 0, hi = b->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (b->ring[(b->head + mid) % RING].id <= after)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Fill s->out with what s has not been sent; called with the bus locked. May unlock
 * and relock around a database catch-up. */
static void fill(hall_bus *b, sse_sub *s)
{
    if (s->last_id < b->covered_from) {
        int64_t covered = b->covered_from;
        pthread_mutex_unlock(&b->lock);
        db_conn *db = store_reader(b->st);
        catchup c = {s, 0};
        int rc = db ? hall_events_since(db, s->center_id, s->last_id, CATCHUP_ROWS, add_catchup, &c)
                    : -1;
        pthread_mutex_lock(&b->lock);
        if (rc >= 0 && rc < CATCHUP_ROWS && s->last_id < covered)
            s->last_id = covered; /* nothing more of this center up to the ring */
        if (rc < 0)
            ylog_warn("sse", "catch-up read failed");
        if (s->out.len || rc < 0)
            return;
    }
    for (size_t i = ring_after(b, s->last_id); i < b->n && s->out.len < 64 * 1024; i++) {
        ring_ev *ev = &b->ring[(b->head + i) % RING];
        if (ev->center_id == s->center_id && s->brief)
            format_brief(&s->out, ev->id);
        else if (ev->center_id == s->center_id)
            ybuf_add(&s->out, ev->text, ev->len);
        s->last_id = ev->id;
    }
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    sse_sub *s = cls;
    hall_bus *b = s->bus;
    pthread_mutex_lock(&b->lock);
    if (b->stopping) {
        pthread_mutex_unlock(&b->lock);
        return MHD_CONTENT_READER_END_OF_STREAM;
    }
    if (s->off >= s->out.len) {
        ybuf_reset(&s->out);
        s->off = 0;
        if (!s->started) {
            ybuf_adds(&s->out, "retry: 3000\n\n"); /* also sends the headers at once */
            s->started = true;
        }
        fill(b, s);
        if (!s->out.len && ytime_now_ms() - s->last_write_ms >= b->heartbeat_ms)
            ybuf_adds(&s->out, ": heartbeat\n\n");
        if (!s->out.len) {
            s->suspended = true;
            MHD_suspend_connection(s->conn);
            pthread_mutex_unlock(&b->lock);
            return 0;
        }
    }
    size_t n = s->out.len - s->off;
    if (n > max)
        n = max;
    memcpy(buf, s->out.data + s->off, n);
    s->off += n;
    s->last_write_ms = ytime_now_ms();
    pthread_mutex_unlock(&b->lock);
    return (ssize_t)n;
}

static void stream_free(void *cls)
{
    sse_sub *s = cls;
    hall_bus *b = s->bus;
    pthread_mutex_lock(&b->lock);
    if (s->prev)
        s->prev->next = s->next;
    else
        b->subs = s->next;
    if (s->next)
        s->next->prev = s->prev;
    b->nsubs--;
    pthread_mutex_unlock(&b->lock);
    ybuf_release(&s->out);
    free(s);
}

/* Start a stream of center_id's events after last_id for request r. */
static void start_stream(api_req *r, int64_t center_id, int64_t last, bool brief)
{
    hall_bus *b = r->srv->bus;
    sse_sub *s = xcalloc(1, sizeof(*s));
    s->bus = b;
    s->conn = r->conn;
    s->center_id = center_id;
    s->last_id = last;
    s->brief = brief;
    s->last_write_ms = ytime_now_ms();
    struct MHD_Response *resp =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024, stream_read, s, stream_free);
    if (!resp) {
        free(s);
        api_fail(r, 503, "STREAM_UNAVAILABLE", "", "暂时无法建立实时连接，请稍后重试");
        return;
    }
    pthread_mutex_lock(&b->lock);
    s->next = b->subs;
    if (b->subs)
        b->subs->prev = s;
    b->subs = s;
    b->nsubs++;
    pthread_mutex_unlock(&b->lock);
    MHD_add_response_header(resp, "Content-Type", "text/event-stream; charset=utf-8");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "X-Accel-Buffering", "no");
    r->resp_file = resp;
    r->status = 200;
    r->answered = true;
}

/* Where a stream starts: after Last-Event-ID (or ?last_event_id=), else from now. 0, or
 * -1 after answering 400. */
static int start_id(api_req *r, int64_t *last)
{
    const char *from = api_header(r, "Last-Event-ID");
    if (!from)
        from = api_query(r, "last_event_id");
    if (from && yparse_i64(from, 0, INT64_MAX, last)) {
        api_fail(r, 400, "FIELD_FORMAT", "last_event_id", "Last-Event-ID应为非负整数");
        return -1;
    }
    if (!from)
        *last = hall_event_last_id(api_db(r)); /* from now on */
    return 0;
}

void h_hall_events(api_req *r)
{
    int64_t center_id, last;
    char path[CENTER_PATH_MAX];
    if (api_param_id(r, 0, &center_id) ||
        api_need_center(r, ROLE_STAFF | ROLE_DISPLAY | ROLE_RATING_PAD, center_id, path,
                        sizeof(path), "") ||
        start_id(r, &last))
        return;
    start_stream(r, center_id, last, false);
}

void h_hall_ticket_events(api_req *r)
{
    const char *token = api_param(r, 0);
    json_t *t = token && strlen(token) == 32 ? hall_ticket_by_token(api_db(r), token) : NULL;
    if (!t) {
        api_fail(r, 404, "TICKET_NOT_FOUND", "", "找不到这张号票，请核对二维码");
        return;
    }
    int64_t center_id = json_integer_value(json_object_get(t, "center_id")), last;
    json_decref(t);
    if (start_id(r, &last))
        return;
    start_stream(r, center_id, last, true);
}
