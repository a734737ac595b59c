/* outbox.c - see outbox.h. */
#include "service/outbox.h"
#include "service/pii.h"
#include "util/log.h"
#include "util/util.h"

#define CURL_DISABLE_TYPECHECK /* calls go through the pointers below */
#include <curl/curl.h>
#include <dlfcn.h>
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------ senders */

struct outbox_sender {
    int kind; /* 0 file, 1 webhook */
    FILE *file;
    CURL *curl;
    char url[512];
    char secret[128];
    int timeout_ms;
};

outbox_sender *outbox_sender_file(const char *path)
{
    FILE *f = fopen(path, "a");
    if (!f) {
        fprintf(stderr, "yichuang: 无法打开发件记录文件 %s：%s\n", path, strerror(errno));
        return NULL;
    }
    outbox_sender *s = xcalloc(1, sizeof(*s));
    s->file = f;
    return s;
}

/* libcurl is loaded when a webhook sender is made, not linked: the file sender (the
 * default) then costs no TLS and HTTP libraries in every process (about 4 MB resident
 * for the server, and the load time of every command). */
static struct {
    void *lib;
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    void (*easy_reset)(CURL *);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    const char *(*easy_strerror)(CURLcode);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} C;

static void curl_load_once(void)
{
    void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!lib)
        return;
    struct {
        void **slot;
        const char *name;
    } syms[] = {
        {(void **)&C.global_init, "curl_global_init"},
        {(void **)&C.easy_init, "curl_easy_init"},
        {(void **)&C.easy_cleanup, "curl_easy_cleanup"},
        {(void **)&C.easy_reset, "curl_easy_reset"},
        {(void **)&C.easy_setopt, "curl_easy_setopt"},
        {(void **)&C.easy_perform, "curl_easy_perform"},
        {(void **)&C.easy_getinfo, "curl_easy_getinfo"},
        {(void **)&C.easy_strerror, "curl_easy_strerror"},
        {(void **)&C.slist_append, "curl_slist_append"},
        {(void **)&C.slist_free_all, "curl_slist_free_all"},
    };
    for (size_t i = 0; i < YC_ARRAY_LEN(syms); i++)
        if (!(*syms[i].slot = dlsym(lib, syms[i].name))) {
            dlclose(lib);
            return;
        }
    C.global_init(CURL_GLOBAL_DEFAULT);
    C.lib = lib;
}

outbox_sender *outbox_sender_webhook(const char *url, const char *secret, int timeout_ms)
{
    if (strncmp(url, "http://", 7) && strncmp(url, "https://", 8)) {
        fprintf(stderr, "yichuang: 短信网关地址“%s”应以http://或https://开头\n", url);
        return NULL;
    }
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, curl_load_once);
    if (!C.lib) {
        fprintf(stderr, "yichuang: webhook发送需要libcurl（Debian软件包libcurl4）：%s\n",
                dlerror() ? dlerror() : "无法载入libcurl.so.4");
        return NULL;
    }
    outbox_sender *s = xcalloc(1, sizeof(*s));
    s->kind = 1;
    s->curl = C.easy_init();
    ystrlcpy(s->url, url, sizeof(s->url));
    ystrlcpy(s->secret, secret ? secret : "", sizeof(s->secret));
    s->timeout_ms = timeout_ms > 0 ? timeout_ms : 10000;
    if (!s->curl) {
        free(s);
        return NULL;
    }
    return s;
}

void outbox_sender_free(outbox_sender *s)
{
    if (!s)
        return;
    if (s->file)
        fclose(s->file);
    if (s->curl)
        C.easy_cleanup(s->curl);
    sodium_memzero(s->secret, sizeof(s->secret));
    free(s);
}

static int send_file(outbox_sender *s, const outbox_msg *m, char *err, size_t errsize)
{
    char at[40];
    ytime_rfc3339_cst(ytime_now_ms(), at, sizeof(at));
    json_t *o = json_pack("{s:s,s:I,s:s,s:s,s:s,s:s,s:s}", "at", at, "id", (json_int_t)m->id,
                          "channel", m->channel, "topic", m->topic, "ref", m->ref, "to",
                          m->to_masked, "body", m->body);
    char *line = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    int rc = line && fprintf(s->file, "%s\n", line) > 0 && fflush(s->file) == 0 &&
                     fsync(fileno(s->file)) == 0
                 ? 0
                 : -1;
    if (rc)
        snprintf(err, errsize, "write failed: %s", strerror(errno));
    free(line);
    return rc;
}

static size_t discard(char *p, size_t size, size_t n, void *arg)
{
    (void)p;
    (void)arg;
    return size * n;
}

static int send_webhook(outbox_sender *s, const outbox_msg *m, char *err, size_t errsize)
{
    json_t *o =
        json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)m->id, "channel", m->channel,
                  "topic", m->topic, "ref", m->ref, "to", m->to, "body", m->body);
    char *body = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (!body) {
        snprintf(err, errsize, "out of memory");
        return -1;
    }
    char idem[300], sig[200];
    snprintf(idem, sizeof(idem), "Idempotency-Key: %s", m->ref);
    struct curl_slist *h = C.slist_append(NULL, "Content-Type: application/json");
    h = C.slist_append(h, idem);
    if (s->secret[0]) {
        unsigned char mac[crypto_auth_hmacsha256_BYTES];
        crypto_auth_hmacsha256_state st;
        crypto_auth_hmacsha256_init(&st, (const unsigned char *)s->secret, strlen(s->secret));
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, strlen(body));
        crypto_auth_hmacsha256_final(&st, mac);
        char hex[2 * sizeof(mac) + 1];
        yhex(mac, sizeof(mac), hex);
        snprintf(sig, sizeof(sig), "X-Yichuang-Signature: sha256=%s", hex);
        h = C.slist_append(h, sig);
    }
    CURL *c = s->curl;
    C.easy_reset(c);
    C.easy_setopt(c, CURLOPT_URL, s->url);
    C.easy_setopt(c, CURLOPT_POST, 1L);
    C.easy_setopt(c, CURLOPT_POSTFIELDS, body);
    C.easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    C.easy_setopt(c, CURLOPT_HTTPHEADER, h);
    C.easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)s->timeout_ms);
    C.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    C.easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    CURLcode cc = C.easy_perform(c);
    long status = 0;
    C.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    C.slist_free_all(h);
    free(body);
    if (cc != CURLE_OK) {
        snprintf(err, errsize, "%s", C.easy_strerror(cc));
        return -1;
    }
    if (status < 200 || status > 299) {
        snprintf(err, errsize, "gateway answered HTTP %ld", status);
        return -1;
    }
    return 0;
}

int outbox_send(outbox_sender *s, const outbox_msg *m, char *err, size_t errsize)
{
    err[0] = '\0';
    return s->kind ? send_webhook(s, m, err, errsize) : send_file(s, m, err, errsize);
}

/* ------------------------------------------------------------ queueing */

int outbox_sms(db_conn *tx, int64_t center_id, const char *topic, const char *ref,
               const char *to_cipher, const char *to_masked, const char *body, int64_t due_at,
               int64_t now)
{
    outbox_new m = {.channel = "sms",
                    .topic = topic,
                    .ref = ref,
                    .center_id = center_id,
                    .to_cipher = to_cipher,
                    .to_masked = to_masked,
                    .body = body,
                    .due_at = due_at,
                    .now = now};
    return outbox_put(tx, &m, NULL);
}

/* ------------------------------------------------------------ the worker */

typedef struct mark_arg {
    int64_t id, retry_at, now;
    bool sent;
    const char *error;
} mark_arg;

static int mark_tx(db_conn *tx, void *arg)
{
    mark_arg *a = arg;
    return outbox_mark(tx, a->id, a->sent, a->error, a->retry_at, a->now);
}

static int64_t backoff_ms(const outbox_config *cfg, int64_t attempts)
{
    int64_t ms = (int64_t)cfg->retry_s * 1000;
    for (int64_t i = 0; i < attempts && ms < 3600 * 1000; i++)
        ms *= 2;
    return ms < 3600 * 1000 ? ms : 3600 * 1000;
}

static int send_one(store *st, const outbox_config *cfg, json_t *row)
{
    const char *sealed = json_string_value(json_object_get(row, "to_cipher"));
    char *to = sealed ? pii_decrypt(sealed) : NULL;
    int64_t attempts = json_integer_value(json_object_get(row, "attempts"));
    outbox_msg m = {.id = json_integer_value(json_object_get(row, "id")),
                    .channel = json_string_value(json_object_get(row, "channel")),
                    .topic = json_string_value(json_object_get(row, "topic")),
                    .ref = json_string_value(json_object_get(row, "ref")),
                    .to = to,
                    .to_masked = json_string_value(json_object_get(row, "to_masked")),
                    .body = json_string_value(json_object_get(row, "body"))};
    char err[256] = "";
    int rc = -1;
    if (!to)
        snprintf(err, sizeof(err), "recipient cannot be decrypted (key changed or tampered)");
    else
        rc = outbox_send(cfg->sender, &m, err, sizeof(err));
    free(to);
    int64_t now = ytime_now_ms();
    mark_arg a = {.id = m.id, .sent = rc == 0, .error = err, .now = now};
    if (rc && sealed && attempts + 1 < cfg->max_attempts && strncmp(err, "recipient", 9))
        a.retry_at = now + backoff_ms(cfg, attempts);
    if (rc)
        ylog_warn("outbox", "message %lld (%s to %s) not sent: %s%s", (long long)m.id, m.topic,
                  m.to_masked, err, a.retry_at ? "; will retry" : "; giving up");
    return store_write_sync(st, mark_tx, &a);
}

static int sweep_tx(db_conn *tx, void *arg)
{
    const outbox_config *cfg = arg;
    return cfg->sweep(tx, NULL);
}

int outbox_pass(store *st, const outbox_config *cfg)
{
    if (cfg->sweep && store_write_sync(st, sweep_tx, (void *)cfg))
        return YC_EDB;
    json_t *due = outbox_due(store_reader(st), ytime_now_ms(), 100);
    if (!due)
        return YC_EDB;
    size_t i;
    json_t *row;
    int n = 0;
    json_array_foreach(due, i, row)
    {
        if (send_one(st, cfg, row)) {
            json_decref(due);
            return YC_EDB;
        }
        n++;
    }
    json_decref(due);
    return n;
}

struct outbox_worker {
    store *st;
    outbox_config cfg;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
};

static void *worker_main(void *arg)
{
    outbox_worker *w = arg;
    int64_t last_sweep = 0;
    pthread_mutex_lock(&w->mu);
    while (!w->stop) {
        pthread_mutex_unlock(&w->mu);
        /* The sweep is a write: every 30 polls (30 s by default) is often enough for
         * rules measured in minutes. */
        outbox_config cfg = w->cfg;
        int64_t now = ytime_now_ms();
        if (now - last_sweep >= 30LL * w->cfg.poll_ms)
            last_sweep = now;
        else
            cfg.sweep = NULL;
        int n = outbox_pass(w->st, &cfg);
        if (n < 0)
            ylog_warn("outbox", "pass failed (database error); trying again");
        pthread_mutex_lock(&w->mu);
        if (w->stop || n == 100) /* a full batch: go on at once */
            continue;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        int64_t ns = ts.tv_nsec + (int64_t)w->cfg.poll_ms * 1000000;
        ts.tv_sec += (time_t)(ns / 1000000000);
        ts.tv_nsec = (long)(ns % 1000000000);
        pthread_cond_timedwait(&w->cv, &w->mu, &ts);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

int outbox_worker_start(store *st, const outbox_config *cfg, outbox_worker **out)
{
    outbox_worker *w = xcalloc(1, sizeof(*w));
    w->st = st;
    w->cfg = *cfg;
    if (w->cfg.poll_ms <= 0)
        w->cfg.poll_ms = 1000;
    if (w->cfg.retry_s <= 0)
        w->cfg.retry_s = 30;
    if (w->cfg.max_attempts <= 0)
        w->cfg.max_attempts = 8;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    if (pthread_create(&w->thread, NULL, worker_main, w)) {
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->cv);
        free(w);
        return YC_EDB;
    }
    *out = w;
    return 0;
}

void outbox_worker_stop(outbox_worker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stop = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    free(w);
}
