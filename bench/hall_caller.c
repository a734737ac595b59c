/*
 * bench/hall_caller.c - the caller of bench/sse_fanout.sh in C: `hall_load.mjs caller`
 * (same arguments, same semantics, same output) as one epoll loop, so that on a small
 * machine the load generator takes little of the CPU the server is measured on.
 *
 *   hall_caller URL SETUP.json SECONDS RATE OUT.json      (URL: http://127.0.0.1:PORT)
 *
 * The clerks of SETUP.json (bench/hall_load.mjs setup) log in first, one after the
 * other (argon2id); then the file $READY_FILE (if set) is made and the clock starts.
 * RATE tickets a second, paced from one timer: at tick i (due at t0 + i/RATE) the first
 * window not busy, looking from window k (k advances every tick), gets ticket i: take
 * at the kiosk (line i mod LINES, kiosk token) -> call -> finish by the window's clerk,
 * one request after the other on the window's own keep-alive connection. A tick with
 * every window busy is skipped. Ticks stop after SECONDS; the windows' chains then run
 * out. Writes {seconds, sent, skipped_all_windows_busy, calls, calls_per_s,
 * call: {n, p50_ms, p99_ms, max_ms}, other_statuses: {"what status code": n}, cpu_s}:
 * calls are the call requests answered 200; the call latency is from its first byte
 * sent to its answer's last byte read; cpu_s is this process's user+system CPU.
 *
 *   hall_caller cycle URL SETUP.json SECONDS TAKERS OUT.json
 *
 * The load of bench/hall_cycle.sh, `hall_load.mjs cycle` in C (same semantics, same
 * output): each window's clerk loops call -> start -> finish on its own connection (a
 * call on an empty queue, 409 QUEUE_EMPTY, is counted and retried 2 ms later); TAKERS
 * kiosk loops take tickets, lines in turn, while fewer than 4 a window wait (else they
 * look again 1 ms later). No new loop round starts after SECONDS; chains under way
 * finish. Writes {seconds, cycles, cycles_per_s, take/call/start/finish: {n, p50_ms,
 * p99_ms, max_ms}, queue_empty_retries, quota_full, other_statuses, taken: [[id,
 * number]], finished: [id], cpu_s}.
 *
 * The answers are MHD's: HTTP/1.1 with Content-Length (a chunked answer is an error).
 * Built by sse_fanout.sh and hall_cycle.sh with cc -O2 ... -ljansson.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define CLERK_PW  "Work2026pass"
#define TIMER_TAG UINT32_MAX

enum stage { IDLE, TAKE, CALL, START, FINISH };

typedef struct window {
    int64_t id;
    int fd;
    char cookie[1024], csrf[128];
    enum stage stage;
    char out[2048];
    size_t out_len, out_off;
    char *in;
    size_t in_len, in_cap;
    int64_t ticket;
    double call_t0;
    double t0;      /* cycle mode: this request's first byte */
    double wake_at; /* cycle mode: idle until then (a retry's pause) */
    int taker;      /* cycle mode: a kiosk loop, not a window */
} window;

typedef struct answer {
    int status;
    const char *headers; /* within the window's input buffer, not NUL-terminated */
    size_t headers_len;
    json_t *body; /* NULL when not JSON */
} answer;

static struct sockaddr_in server;
static char host[128];
static const char *kiosk_token;
static json_t *other;
static double *lat;
static size_t nlat, lat_cap;

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "hall_caller: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(1);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void connect_window(window *w)
{
    w->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (w->fd < 0 || connect(w->fd, (struct sockaddr *)&server, sizeof(server)))
        die("connect: %s", strerror(errno));
    setsockopt(w->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/* Queue a request on w: POST path with a JSON body, as the kiosk (bearer) or as the
 * window's clerk (cookie and CSRF token); neither before the clerk's login. */
static void put_request(window *w, const char *path, const char *body, int as_kiosk)
{
    char auth[1400] = "";
    if (as_kiosk)
        snprintf(auth, sizeof(auth), "Authorization: Bearer %s\r\n", kiosk_token);
    else if (w->cookie[0])
        snprintf(auth, sizeof(auth), "Cookie: %s\r\nX-CSRF-Token: %s\r\n", w->cookie, w->csrf);
    int n = snprintf(w->out, sizeof(w->out),
                     "POST %s HTTP/1.1\r\nHost: %s\r\n%sContent-Type: application/json\r\n"
                     "Content-Length: %zu\r\nConnection: keep-alive\r\n\r\n%s",
                     path, host, auth, strlen(body), body);
    if (n < 0 || (size_t)n >= sizeof(w->out))
        die("request too long");
    w->out_len = (size_t)n;
    w->out_off = 0;
    w->in_len = 0;
}

/* Send what is left of w's request; 0 when all is sent, 1 when the socket is full. */
static int flush_request(window *w)
{
    while (w->out_off < w->out_len) {
        ssize_t k = send(w->fd, w->out + w->out_off, w->out_len - w->out_off, MSG_NOSIGNAL);
        if (k < 0 && errno == EAGAIN)
            return 1;
        if (k < 0 && errno != EINTR)
            die("send: %s", strerror(errno));
        if (k > 0)
            w->out_off += (size_t)k;
    }
    return 0;
}

/* The value of header name in a block of headers, into out (empty if absent). */
static void header_value(const char *h, size_t len, const char *name, char *out, size_t cap)
{
    size_t nl = strlen(name);
    out[0] = '\0';
    for (const char *p = h, *end = h + len; p < end;) {
        const char *eol = memmem(p, (size_t)(end - p), "\r\n", 2);
        if (!eol)
            eol = end;
        if ((size_t)(eol - p) > nl && p[nl] == ':' && !strncasecmp(p, name, nl)) {
            const char *v = p + nl + 1;
            while (v < eol && *v == ' ')
                v++;
            size_t n = (size_t)(eol - v) < cap - 1 ? (size_t)(eol - v) : cap - 1;
            memcpy(out, v, n);
            out[n] = '\0';
            return;
        }
        p = eol + 2;
    }
}

/* The answer in w's input buffer, if it is whole: 1 with *a filled, else 0. */
static int parse_answer(window *w, answer *a)
{
    char *end = w->in_len ? memmem(w->in, w->in_len, "\r\n\r\n", 4) : NULL;
    if (!end)
        return 0;
    char v[64];
    size_t hl = (size_t)(end - w->in) + 2;
    header_value(w->in, hl, "Transfer-Encoding", v, sizeof(v));
    if (v[0])
        die("unexpected Transfer-Encoding: %s", v);
    header_value(w->in, hl, "Content-Length", v, sizeof(v));
    size_t body_len = v[0] ? (size_t)strtoull(v, NULL, 10) : 0;
    const char *body = end + 4;
    if (w->in_len < (size_t)(body - w->in) + body_len)
        return 0;
    if (w->in_len > (size_t)(body - w->in) + body_len)
        die("more bytes than the answer");
    a->status = (int)strtol(w->in + 9, NULL, 10);
    a->headers = w->in;
    a->headers_len = hl;
    a->body = json_loadb(body, body_len, 0, NULL);
    return 1;
}

/* Read what has arrived on w (on a blocking socket: until the answer is whole); 1 with
 * *a filled once a whole answer is in, else 0. */
static int read_answer(window *w, answer *a)
{
    for (;;) {
        if (parse_answer(w, a))
            return 1;
        if (w->in_cap - w->in_len < 4096) {
            w->in_cap = w->in_cap ? w->in_cap * 2 : 16384;
            w->in = realloc(w->in, w->in_cap);
            if (!w->in)
                die("out of memory");
        }
        ssize_t k = recv(w->fd, w->in + w->in_len, w->in_cap - w->in_len - 1, 0);
        if (k == 0)
            die("window %lld: the server closed the connection", (long long)w->id);
        if (k < 0 && errno == EAGAIN)
            return 0;
        if (k < 0 && errno != EINTR)
            die("recv: %s", strerror(errno));
        if (k > 0)
            w->in_len += (size_t)k;
        w->in[w->in_len] = '\0';
    }
}

/* One request on w's (blocking) connection, for the logins. */
static void blocking_request(window *w, const char *path, const char *body, answer *a)
{
    put_request(w, path, body, 0);
    flush_request(w);
    read_answer(w, a);
}

static void login(window *w, const char *username)
{
    char body[256];
    answer a;
    snprintf(body, sizeof(body), "{\"username\":\"%s\",\"password\":\"%s\"}", username, CLERK_PW);
    w->cookie[0] = '\0';
    blocking_request(w, "/api/v1/session", body, &a);
    char cookie[1024];
    header_value(a.headers, a.headers_len, "Set-Cookie", cookie, sizeof(cookie));
    const char *csrf = json_string_value(json_object_get(a.body, "csrf_token"));
    char *semi = strchr(cookie, ';');
    if (semi)
        *semi = '\0';
    if (a.status != 201 || strncmp(cookie, "yc_session=", 11) || !csrf)
        die("login %s: %d %.*s", username, a.status, (int)w->in_len, w->in);
    snprintf(w->cookie, sizeof(w->cookie), "%s", cookie);
    snprintf(w->csrf, sizeof(w->csrf), "%s", csrf);
    json_decref(a.body);
}

static void note(const char *what, const answer *a)
{
    const char *code = json_string_value(json_object_get(a->body, "code"));
    char key[128];
    snprintf(key, sizeof(key), "%s %d %s", what, a->status, code ? code : "");
    json_int_t n = json_integer_value(json_object_get(other, key));
    json_object_set_new(other, key, json_integer(n + 1));
}

static size_t ncalls;

/* w's answer is in: the next request of its chain, or the window is free again. */
static void advance(window *w, const answer *a)
{
    char path[128], body[64];
    if (w->stage == TAKE) {
        if (a->status != 201) {
            note("take", a);
            w->stage = IDLE;
            return;
        }
        snprintf(path, sizeof(path), "/api/v1/hall/windows/%lld/call", (long long)w->id);
        put_request(w, path, "{}", 0);
        w->stage = CALL;
        w->call_t0 = now_ms();
    } else if (w->stage == CALL) {
        if (a->status != 200) {
            note("call", a);
            w->stage = IDLE;
            return;
        }
        if (nlat == lat_cap) {
            lat_cap = lat_cap ? lat_cap * 2 : 4096;
            lat = realloc(lat, lat_cap * sizeof(*lat));
            if (!lat)
                die("out of memory");
        }
        lat[nlat++] = now_ms() - w->call_t0;
        json_t *cur = json_object_get(a->body, "current");
        w->ticket = json_integer_value(json_object_get(cur, "id"));
        if (!w->ticket)
            die("call answered 200 without current.id");
        ncalls++;
        snprintf(path, sizeof(path), "/api/v1/hall/windows/%lld/finish", (long long)w->id);
        snprintf(body, sizeof(body), "{\"ticket_id\":%lld}", (long long)w->ticket);
        put_request(w, path, body, 0);
        w->stage = FINISH;
    } else {
        if (a->status != 200)
            note("finish", a);
        w->stage = IDLE;
    }
}

static void want_write(int ep, window *w, uint32_t i, int on)
{
    struct epoll_event ev = {.events = EPOLLIN | (on ? EPOLLOUT : 0), .data.u32 = i};
    epoll_ctl(ep, EPOLL_CTL_MOD, w->fd, &ev);
}

static void start_request(int ep, window *w, uint32_t i)
{
    if (flush_request(w))
        want_write(ep, w, i, 1);
}

/* An epoll event on w's connection: send what is left, and read; 1 with *a filled
 * once the answer to w's request is whole. */
static int event_answer(int ep, window *w, uint32_t i, uint32_t events, answer *a)
{
    if ((events & EPOLLOUT) && !flush_request(w))
        want_write(ep, w, i, 0);
    return (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) && w->stage != IDLE && read_answer(w, a);
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pct(const double *s, size_t n, double p)
{
    size_t i = (size_t)((double)n * p);
    return s[i < n ? i : n - 1];
}

/* ------------------------------------------------------------ cycle mode */

typedef struct series {
    double *v;
    size_t n, cap;
} series;

static void series_add(series *s, double x)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 4096;
        s->v = realloc(s->v, s->cap * sizeof(*s->v));
        if (!s->v)
            die("out of memory");
    }
    s->v[s->n++] = x;
}

static json_t *series_summary(series *s)
{
    if (!s->n)
        return json_pack("{s:i,s:n,s:n,s:n}", "n", 0, "p50_ms", "p99_ms", "max_ms");
    qsort(s->v, s->n, sizeof(*s->v), cmp_d);
    return json_pack("{s:I,s:f,s:f,s:f}", "n", (json_int_t)s->n, "p50_ms", pct(s->v, s->n, 0.5),
                     "p99_ms", pct(s->v, s->n, 0.99), "max_ms", s->v[s->n - 1]);
}

static void connect_to(const char *url)
{
    int port = 0;
    char addr[64];
    if (sscanf(url, "http://%63[0-9.]:%d", addr, &port) != 2)
        die("URL must be http://IPV4:PORT");
    server.sin_family = AF_INET;
    server.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, addr, &server.sin_addr) != 1)
        die("bad address %s", addr);
    snprintf(host, sizeof(host), "%s:%d", addr, port);
}

/* SETUP.json of bench/hall_load.mjs setup: the kiosk token (into kiosk_token), the
 * windows, lines and the clerk of each window. */
static json_t *load_setup(const char *file, json_t **wids, json_t **lines, json_t **clerks)
{
    json_error_t jerr;
    json_t *cfg = json_load_file(file, 0, &jerr);
    if (!cfg)
        die("%s: %s", file, jerr.text);
    kiosk_token = json_string_value(json_object_get(cfg, "kiosk_token"));
    *wids = json_object_get(cfg, "window_ids");
    *lines = json_object_get(cfg, "line_ids");
    *clerks = json_object_get(cfg, "clerks");
    size_t nw = json_array_size(*wids);
    if (!kiosk_token || !nw || !json_array_size(*lines) || json_array_size(*clerks) != nw)
        die("%s: needs kiosk_token, window_ids, line_ids and one clerk per window", file);
    other = json_object();
    return cfg;
}

/* Window c goes on with its ticket: start or finish it. */
static void ticket_action(int ep, window *c, uint32_t i, enum stage st)
{
    char path[128], body[64];
    snprintf(path, sizeof(path), "/api/v1/hall/windows/%lld/%s", (long long)c->id,
             st == START ? "start" : "finish");
    snprintf(body, sizeof(body), "{\"ticket_id\":%lld}", (long long)c->ticket);
    put_request(c, path, body, 0);
    c->stage = st;
    c->t0 = now_ms();
    start_request(ep, c, i);
}

static int cycle_main(int argc, char **argv)
{
    if (argc != 7)
        die("usage: hall_caller cycle URL SETUP.json SECONDS TAKERS OUT.json");
    connect_to(argv[2]);
    double seconds = strtod(argv[4], NULL);
    int takers = (int)strtol(argv[5], NULL, 10);
    const char *out = argv[6];
    json_t *wids, *lines, *clerks;
    load_setup(argv[3], &wids, &lines, &clerks);
    if (takers < 1)
        die("TAKERS must be >= 1");
    size_t nw = json_array_size(wids), nl = json_array_size(lines), nc = nw + (size_t)takers;
    window *cs = calloc(nc, sizeof(*cs));
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (!cs || ep < 0)
        die("setup: %s", strerror(errno));
    for (size_t i = 0; i < nc; i++) {
        window *c = &cs[i];
        connect_window(c);
        if (i < nw) {
            c->id = json_integer_value(json_array_get(wids, i));
            login(c, json_string_value(json_array_get(clerks, i)));
        } else {
            c->taker = 1;
            c->id = (int64_t)(i - nw); /* the first line this kiosk takes */
        }
        fcntl(c->fd, F_SETFL, O_NONBLOCK);
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
        epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
    }
    series lat[4] = {{0}}; /* take, call, start, finish */
    json_t *taken = json_array(), *finished = json_array();
    long waiting = 0, empty = 0;
    int quota_full = 0;
    double t0 = now_ms(), end = t0 + seconds * 1000;
    size_t busy = 0;
    char path[128], body[64];
    /* Start c's next loop round at now, if it may: a take, or a call. */
#define NEXT_ROUND(c, i)                                                                           \
    do {                                                                                           \
        (c)->stage = IDLE;                                                                         \
        if (now_ms() >= end || ((c)->taker && quota_full))                                         \
            break;                                                                                 \
        if ((c)->taker) {                                                                          \
            if (waiting >= 4 * (long)nw) {                                                         \
                (c)->wake_at = now_ms() + 1;                                                       \
                break;                                                                             \
            }                                                                                      \
            waiting++;                                                                             \
            snprintf(body, sizeof(body), "{\"line_id\":%lld}",                                     \
                     (long long)json_integer_value(json_array_get(lines, (size_t)(c)->id % nl)));  \
            (c)->id++;                                                                             \
            put_request((c), "/api/v1/hall/1/tickets", body, 1);                                   \
            (c)->stage = TAKE;                                                                     \
        } else {                                                                                   \
            snprintf(path, sizeof(path), "/api/v1/hall/windows/%lld/call", (long long)(c)->id);    \
            put_request((c), path, "{}", 0);                                                       \
            (c)->stage = CALL;                                                                     \
        }                                                                                          \
        (c)->t0 = now_ms();                                                                        \
        busy++;                                                                                    \
        start_request(ep, (c), (i));                                                               \
    } while (0)
    for (size_t i = 0; i < nc; i++)
        NEXT_ROUND(&cs[i], (uint32_t)i);
    struct epoll_event evs[64];
    for (;;) {
        /* Loops pausing for a retry: due ones start; the nearest sets the wait. */
        double now = now_ms(), next = -1;
        for (size_t i = 0; i < nc; i++) {
            window *c = &cs[i];
            if (c->stage != IDLE || !c->wake_at)
                continue;
            if (c->wake_at <= now) {
                c->wake_at = 0;
                NEXT_ROUND(c, (uint32_t)i);
            } else if (next < 0 || c->wake_at < next) {
                next = c->wake_at;
            }
        }
        if (!busy && next < 0)
            break;
        int wait = next < 0 ? -1 : (int)(next - now_ms() + 0.999);
        int n = epoll_wait(ep, evs, 64, busy ? (wait < 0 ? -1 : wait) : (wait < 0 ? 0 : wait));
        if (n < 0 && errno != EINTR)
            die("epoll_wait: %s", strerror(errno));
        for (int e = 0; e < n; e++) {
            uint32_t i = evs[e].data.u32;
            window *c = &cs[i];
            answer a;
            if (!event_answer(ep, c, i, evs[e].events, &a))
                continue;
            busy--;
            double ms = now_ms() - c->t0;
            enum stage st = c->stage;
            int ok = a.status == (st == TAKE ? 201 : 200);
            if (ok)
                series_add(&lat[st == TAKE ? 0 : st == CALL ? 1 : st == START ? 2 : 3], ms);
            const char *code = json_string_value(json_object_get(a.body, "code"));
            if (st == TAKE) {
                if (ok) {
                    json_array_append_new(taken, json_pack("[O,O]", json_object_get(a.body, "id"),
                                                           json_object_get(a.body, "number")));
                } else {
                    waiting--;
                    if (code && !strcmp(code, "TICKET_QUOTA_FULL"))
                        quota_full = 1;
                    note("take", &a);
                }
                NEXT_ROUND(c, i);
            } else if (st == CALL && !ok) {
                if (code && !strcmp(code, "QUEUE_EMPTY")) {
                    empty++;
                    c->stage = IDLE;
                    c->wake_at = now_ms() + 2;
                } else {
                    note("call", &a);
                    NEXT_ROUND(c, i);
                }
            } else if (st == CALL) {
                waiting--;
                c->ticket =
                    json_integer_value(json_object_get(json_object_get(a.body, "current"), "id"));
                if (!c->ticket)
                    die("call answered 200 without current.id");
                ticket_action(ep, c, i, START);
                busy++;
            } else if (st == START && ok) {
                ticket_action(ep, c, i, FINISH);
                busy++;
            } else {
                if (ok)
                    json_array_append_new(finished, json_integer(c->ticket));
                else
                    note(st == START ? "start" : "finish", &a);
                NEXT_ROUND(c, i);
            }
            json_decref(a.body);
        }
    }
#undef NEXT_ROUND
    double secs = (now_ms() - t0) / 1000;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    size_t cycles = json_array_size(finished);
    json_t *res = json_pack(
        "{s:f,s:I,s:f,s:o,s:o,s:o,s:o,s:I,s:b,s:o,s:o,s:o,s:f}", "seconds", secs, "cycles",
        (json_int_t)cycles, "cycles_per_s", (double)cycles / secs, "take", series_summary(&lat[0]),
        "call", series_summary(&lat[1]), "start", series_summary(&lat[2]), "finish",
        series_summary(&lat[3]), "queue_empty_retries", (json_int_t)empty, "quota_full", quota_full,
        "other_statuses", other, "taken", taken, "finished", finished, "cpu_s", cpu);
    if (!res || json_dump_file(res, out, JSON_COMPACT))
        die("cannot write %s", out);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "cycle"))
        return cycle_main(argc, argv);
    if (argc != 6)
        die("usage: hall_caller URL SETUP.json SECONDS RATE OUT.json\n"
            "       hall_caller cycle URL SETUP.json SECONDS TAKERS OUT.json");
    const char *out = argv[5];
    double seconds = strtod(argv[3], NULL), rate = strtod(argv[4], NULL);
    if (rate <= 0)
        die("RATE must be > 0");
    connect_to(argv[1]);

    json_t *wids, *lines, *clerks;
    load_setup(argv[2], &wids, &lines, &clerks);
    size_t nw = json_array_size(wids), nl = json_array_size(lines);

    /* The clerk posted at each window logs in on the window's connection. */
    window *ws = calloc(nw, sizeof(*ws));
    int ep = epoll_create1(EPOLL_CLOEXEC), tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    if (!ws || ep < 0 || tfd < 0)
        die("setup: %s", strerror(errno));
    for (size_t i = 0; i < nw; i++) {
        window *w = &ws[i];
        w->id = json_integer_value(json_array_get(wids, i));
        connect_window(w);
        login(w, json_string_value(json_array_get(clerks, i)));
        fcntl(w->fd, F_SETFL, O_NONBLOCK);
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
        epoll_ctl(ep, EPOLL_CTL_ADD, w->fd, &ev);
    }
    struct epoll_event tev = {.events = EPOLLIN, .data.u32 = TIMER_TAG};
    epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &tev);
    const char *ready = getenv("READY_FILE");
    if (ready) { /* logged in; the clock starts */
        FILE *f = fopen(ready, "w");
        if (!f || fclose(f))
            die("%s: %s", ready, strerror(errno));
    }

    double t0 = now_ms();
    size_t tick = 0, k = 0, sent = 0, skipped = 0, busy = 0;
    int ticking = 1;
    struct epoll_event evs[64];
    while (ticking || busy) {
        /* Every tick due by now, as the node caller: checked against the end first. */
        while (ticking) {
            double now = now_ms();
            if (now - t0 >= seconds * 1000) {
                ticking = 0;
                break;
            }
            double due = t0 + (double)tick * 1000 / rate;
            if (due > now) {
                struct itimerspec its = {0}; /* due is on the CLOCK_MONOTONIC scale */
                its.it_value.tv_sec = (time_t)(due / 1000);
                its.it_value.tv_nsec = (long)((due - (double)its.it_value.tv_sec * 1000) * 1e6);
                timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, NULL);
                break;
            }
            window *free_w = NULL;
            uint32_t fi = 0;
            for (size_t j = 0; j < nw && !free_w; j++) {
                fi = (uint32_t)((j + k) % nw);
                if (ws[fi].stage == IDLE)
                    free_w = &ws[fi];
            }
            k++;
            if (!free_w) {
                skipped++;
            } else {
                char body[64];
                snprintf(body, sizeof(body), "{\"line_id\":%lld}",
                         (long long)json_integer_value(json_array_get(lines, tick % nl)));
                sent++;
                busy++;
                free_w->stage = TAKE;
                put_request(free_w, "/api/v1/hall/1/tickets", body, 1);
                start_request(ep, free_w, fi);
            }
            tick++;
        }
        if (!ticking && !busy)
            break;
        int n = epoll_wait(ep, evs, 64, -1);
        if (n < 0 && errno != EINTR)
            die("epoll_wait: %s", strerror(errno));
        for (int e = 0; e < n; e++) {
            uint32_t i = evs[e].data.u32;
            if (i == TIMER_TAG) {
                uint64_t x;
                if (read(tfd, &x, sizeof(x)) < 0 && errno != EAGAIN)
                    die("timerfd: %s", strerror(errno));
                continue;
            }
            window *w = &ws[i];
            answer a;
            if (!event_answer(ep, w, i, evs[e].events, &a))
                continue;
            advance(w, &a);
            json_decref(a.body);
            if (w->stage == IDLE)
                busy--;
            else
                start_request(ep, w, i);
        }
    }

    double secs = (now_ms() - t0) / 1000;
    qsort(lat, nlat, sizeof(*lat), cmp_d);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    json_t *call =
        nlat ? json_pack("{s:I,s:f,s:f,s:f}", "n", (json_int_t)nlat, "p50_ms", pct(lat, nlat, 0.5),
                         "p99_ms", pct(lat, nlat, 0.99), "max_ms", lat[nlat - 1])
             : json_pack("{s:i,s:n,s:n,s:n}", "n", 0, "p50_ms", "p99_ms", "max_ms");
    json_t *res = json_pack("{s:f,s:I,s:I,s:I,s:f,s:o,s:O,s:f}", "seconds", secs, "sent",
                            (json_int_t)sent, "skipped_all_windows_busy", (json_int_t)skipped,
                            "calls", (json_int_t)ncalls, "calls_per_s", (double)ncalls / secs,
                            "call", call, "other_statuses", other, "cpu_s", cpu);
    if (!res || json_dump_file(res, out, JSON_COMPACT))
        die("cannot write %s", out);
    return 0;
}
