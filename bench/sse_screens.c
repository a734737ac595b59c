/*
 * bench/sse_screens.c - the screens of bench/sse_fanout.sh as one epoll loop in C, so
 * that on a small machine the clients take little of the CPU the server is measured
 * on (bench/sse_clients.mjs, the node version, needs four processes and most of a
 * 2-CPU machine for 1 000 screens at 600 events/s).
 *
 *   sse_screens HOST PORT CENTER TOKEN N OUTDIR
 *
 * Opens N streams GET /api/v1/hall/CENTER/events with the display's bearer token (as
 * HTTP/1.0, so the stream comes unchunked and blocks can be cut on blank lines),
 * writes OUTDIR/ready once all answered 200 text/event-stream, reads until
 * OUTDIR/stop appears plus GRACE_MS (2000), then writes OUTDIR/recv-0.bin (per event
 * received: id, receive time in ms since the epoch, as float64 arrays) and
 * OUTDIR/clients-0.json (per stream: events, first and last id, out of sequence) in
 * the format `sse_clients.mjs analyze` reads. The receive time is taken once per
 * epoll_wait return, before reading. "loop delay" (p99 and max) is how long each turn
 * of the loop spent reading and parsing: what a byte arriving meanwhile waited before
 * its turn, as the node version reports its event-loop delay.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct stream {
    int fd;
    int status; /* 0 until the headers are in, then the HTTP status */
    char buf[8192];
    size_t len;
    long events, first, last, out_of_sequence;
    int ended;
} stream;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static double *ids, *ats;
static size_t nrecv, cap;

static void push(double id, double at)
{
    if (nrecv == cap) {
        cap = cap ? cap * 2 : 1 << 20;
        ids = realloc(ids, cap * sizeof(double));
        ats = realloc(ats, cap * sizeof(double));
        if (!ids || !ats) {
            perror("realloc");
            exit(1);
        }
    }
    ids[nrecv] = id;
    ats[nrecv++] = at;
}

/* Consume whole "...\n\n" blocks of s->buf; events are blocks starting "id: ". */
static void parse(stream *s, double t)
{
    size_t off = 0;
    if (!s->status) {
        char *end = memmem(s->buf, s->len, "\r\n\r\n", 4);
        if (!end)
            return;
        s->status =
            (int)strtol(s->buf + 9, NULL, 10) * (strstr(s->buf, "text/event-stream") ? 1 : -1);
        off = (size_t)(end - s->buf) + 4;
    }
    for (;;) {
        char *blk = s->buf + off;
        char *end = memmem(blk, s->len - off, "\n\n", 2);
        if (!end)
            break;
        if (!strncmp(blk, "id: ", 4)) {
            long id = strtol(blk + 4, NULL, 10);
            if (s->last && id != s->last + 1)
                s->out_of_sequence++;
            if (!s->first)
                s->first = id;
            s->last = id;
            s->events++;
            push((double)id, t);
        }
        off = (size_t)(end - s->buf) + 2;
    }
    memmove(s->buf, s->buf + off, s->len - off);
    s->len -= off;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc != 7) {
        fprintf(stderr, "usage: sse_screens HOST PORT CENTER TOKEN N OUTDIR\n");
        return 2;
    }
    const char *host = argv[1], *center = argv[3], *token = argv[4], *outdir = argv[6];
    int port = (int)strtol(argv[2], NULL, 10), n = (int)strtol(argv[5], NULL, 10);
    double grace = getenv("GRACE_MS") ? atof(getenv("GRACE_MS")) : 2000;
    stream *st = calloc((size_t)n, sizeof(*st));
    int ep = epoll_create1(0);
    char req[1024];
    int rlen = snprintf(req, sizeof(req),
                        "GET /api/v1/hall/%s/events HTTP/1.0\r\nHost: %s:%d\r\n"
                        "Authorization: Bearer %s\r\nAccept: text/event-stream\r\n\r\n",
                        center, host, port, token);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, host, &sa.sin_addr);
    for (int i = 0; i < n; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
            write(fd, req, (size_t)rlen) != rlen) {
            fprintf(stderr, "sse_screens: stream %d: %s\n", i, strerror(errno));
            return 1;
        }
        fcntl(fd, F_SETFL, O_NONBLOCK);
        st[i].fd = fd;
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    }
    char path[1024];
    int ready = 0, opened = 0;
    double stop_at = 0, *late = NULL;
    size_t nlate = 0, late_cap = 0;
    struct epoll_event evs[256];
    for (;;) {
        int k = epoll_wait(ep, evs, 256, 50);
        double t = now_ms();
        for (int e = 0; e < k; e++) {
            stream *s = &st[evs[e].data.u32];
            for (;;) {
                ssize_t r = read(s->fd, s->buf + s->len, sizeof(s->buf) - s->len);
                if (r > 0) {
                    s->len += (size_t)r;
                    int had = s->status;
                    parse(s, t);
                    if (!had && s->status) {
                        if (s->status != 200) {
                            fprintf(stderr, "sse_screens: stream answered %d\n", s->status);
                            return 1;
                        }
                        opened++;
                    }
                    continue;
                }
                if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
                    s->ended = 1;
                    epoll_ctl(ep, EPOLL_CTL_DEL, s->fd, NULL);
                }
                break;
            }
        }
        if (k > 0) {
            if (nlate == late_cap) {
                late_cap = late_cap ? late_cap * 2 : 4096;
                late = realloc(late, late_cap * sizeof(double));
            }
            late[nlate++] = now_ms() - t;
        }
        if (!ready && opened == n) {
            snprintf(path, sizeof(path), "%s/ready", outdir);
            FILE *f = fopen(path, "w");
            if (f)
                fclose(f);
            ready = 1;
        }
        if (ready && !stop_at) {
            struct stat sb;
            snprintf(path, sizeof(path), "%s/stop", outdir);
            if (!stat(path, &sb))
                stop_at = t + grace;
        }
        if (stop_at && t >= stop_at)
            break;
    }
    snprintf(path, sizeof(path), "%s/recv-0.bin", outdir);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(ids, sizeof(double), nrecv, f) != nrecv ||
        fwrite(ats, sizeof(double), nrecv, f) != nrecv || fclose(f)) {
        perror(path);
        return 1;
    }
    qsort(late, nlate, sizeof(double), cmp_d);
    double p99 =
        nlate ? late[(size_t)(nlate * 0.99) < nlate ? (size_t)(nlate * 0.99) : nlate - 1] : 0;
    double mx = nlate ? late[nlate - 1] : 0;
    snprintf(path, sizeof(path), "%s/clients-0.json", outdir);
    f = fopen(path, "w");
    if (!f)
        return 1;
    fprintf(f, "{\"n\":%zu,\"loop_delay_p99_ms\":%.3f,\"loop_delay_max_ms\":%.3f,\"streams\":[",
            nrecv, p99, mx);
    for (int i = 0; i < n; i++)
        fprintf(
            f,
            "%s{\"events\":%ld,\"first\":%ld,\"last\":%ld,\"out_of_sequence\":%ld,\"status\":%d,"
            "\"ended\":%s}",
            i ? "," : "", st[i].events, st[i].first, st[i].last, st[i].out_of_sequence,
            st[i].status, st[i].ended ? "true" : "false");
    fprintf(f, "]}\n");
    return fclose(f) ? 1 : 0;
}
