/*
 * h_guide.c - the 办事指南 pages (no login): an item's or bundle's guide as a web page or
 * a printable A4 page, and a material's blank form or filled-in sample, rendered by
 * service/guide.c from the published documents.
 *
 * Each page is rendered once per published version and kept in memory. An address is
 * resolved to its page key (the published versions it shows) with indexed lookups, and
 * each worker thread memoizes that until the next commit (so a publish or a retire is
 * seen at once); a repeated request then costs a copy of the kept page. The key is also
 * the page's ETag, so a revalidating client gets 304.
 */
#include "api/h_catalog.h"
#include "core/workcal.h"
#include "service/catalog_svc.h"
#include "service/guide.h"
#include "store/catalog_store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ the page cache */

#define CACHE_SLOTS 8192 /* power of two */
#define CACHE_MAX   4096 /* entries before the cache starts over */

typedef struct page {
    char *key;
    char *html;
    size_t len;
} page;

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static page cache[CACHE_SLOTS];
static int cache_count;

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* A malloc'd copy of the cached page for key, or NULL. */
static char *cache_get(const char *key, size_t *len)
{
    char *out = NULL;
    pthread_mutex_lock(&cache_lock);
    for (uint64_t i = fnv(key) & (CACHE_SLOTS - 1); cache[i].key; i = (i + 1) & (CACHE_SLOTS - 1)) {
        if (!strcmp(cache[i].key, key)) {
            out = xmalloc(cache[i].len ? cache[i].len : 1);
            memcpy(out, cache[i].html, cache[i].len);
            *len = cache[i].len;
            break;
        }
    }
    pthread_mutex_unlock(&cache_lock);
    return out;
}

static void cache_put(const char *key, const char *html, size_t len)
{
    pthread_mutex_lock(&cache_lock);
    if (cache_count >= CACHE_MAX) { /* old versions pile up: start over */
        for (int i = 0; i < CACHE_SLOTS; i++) {
            free(cache[i].key);
            free(cache[i].html);
        }
        memset(cache, 0, sizeof(cache));
        cache_count = 0;
    }
    uint64_t i = fnv(key) & (CACHE_SLOTS - 1);
    while (cache[i].key && strcmp(cache[i].key, key))
        i = (i + 1) & (CACHE_SLOTS - 1);
    if (!cache[i].key) {
        cache[i].key = xstrdup(key);
        cache[i].html = xmalloc(len ? len : 1);
        memcpy(cache[i].html, html, len);
        cache[i].len = len;
        cache_count++;
    }
    pthread_mutex_unlock(&cache_lock);
}

/* ------------------------------------------------------------ per-thread key memo */

/*
 * Which page key a guide address resolved to, per worker thread (each has its own read
 * connection, so no locks). An entry answers only while nothing has been committed since
 * it was made (db_change_counter): a publish, a retire or an edit of a member item is a
 * commit, so the next request resolves the address again. A hit skips every query the
 * address needs (for a bundle page: the bundle, its document and each member's version).
 */
#define MEMO_SLOTS 64

typedef struct memo_entry {
    char path[160];
    char key[256];
} memo_entry;

typedef struct key_memo {
    db_conn *conn;
    int64_t version;
    memo_entry e[MEMO_SLOTS];
} key_memo;

static pthread_key_t memo_key;
static pthread_once_t memo_once = PTHREAD_ONCE_INIT;

static void memo_key_init(void)
{
    (void)pthread_key_create(&memo_key, free);
}

/* This thread's memo, emptied if anything was committed since it was last used; NULL if it
 * cannot be used (out of memory, or an engine that cannot tell about commits). */
static key_memo *thread_memo(api_req *r)
{
    (void)pthread_once(&memo_once, memo_key_init);
    key_memo *m = pthread_getspecific(memo_key);
    if (!m && (m = calloc(1, sizeof(*m))) && pthread_setspecific(memo_key, m) != 0) {
        free(m);
        m = NULL;
    }
    int64_t version = db_change_counter(api_db(r));
    if (!m || version < 0)
        return NULL;
    if (m->conn != api_db(r) || m->version != version) {
        memset(m->e, 0, sizeof(m->e));
        m->conn = api_db(r);
        m->version = version;
    }
    return m;
}

static memo_entry *memo_slot(key_memo *m, const char *path)
{
    return m ? &m->e[fnv(path) % MEMO_SLOTS] : NULL;
}

static void memo_put(key_memo *m, const char *path, const char *key)
{
    memo_entry *e = memo_slot(m, path);
    if (e && strlen(path) < sizeof(e->path) && strlen(key) < sizeof(e->key)) {
        ystrlcpy(e->path, path, sizeof(e->path));
        ystrlcpy(e->key, key, sizeof(e->key));
    }
}

/* ------------------------------------------------------------ serving */

/* Answer from the caches alone (304, or the kept page) if this address's key is memoized
 * and its page is kept; false if the caller must resolve the address. */
static bool serve_memo(api_req *r, key_memo *m)
{
    memo_entry *e = memo_slot(m, api_path(r));
    if (!e || !e->path[0] || strcmp(e->path, api_path(r)) != 0)
        return false;
    char etag[96];
    snprintf(etag, sizeof(etag), "\"g%016llx\"", (unsigned long long)fnv(e->key));
    const char *inm = api_header(r, "If-None-Match");
    size_t len = 0;
    char *html = NULL;
    if (!(inm && !strcmp(inm, etag)) && !(html = cache_get(e->key, &len)))
        return false;
    api_set_etag(r, etag);
    if (!html)
        api_reply_empty(r, 304);
    else
        api_reply_raw(r, 200, "text/html; charset=utf-8", html, len);
    return true;
}

typedef char *(*render_fn)(api_req *r, void *arg, size_t *len);

/* Answer with the page of key: 304 when the client has it, else from the cache, else
 * rendered (and kept). */
static void serve(api_req *r, const char *key, render_fn render, void *arg)
{
    char etag[96];
    snprintf(etag, sizeof(etag), "\"g%016llx\"", (unsigned long long)fnv(key));
    api_set_etag(r, etag);
    const char *inm = api_header(r, "If-None-Match");
    if (inm && !strcmp(inm, etag)) {
        api_reply_empty(r, 304);
        return;
    }
    size_t len = 0;
    char *html = cache_get(key, &len);
    if (!html) {
        html = render(r, arg, &len);
        if (!html)
            return; /* render answered */
        cache_put(key, html, len);
    }
    api_reply_raw(r, 200, "text/html; charset=utf-8", html, len);
}

static json_t *item_doc(api_req *r, const char *code)
{
    json_t *it = catstore_item_by_code(api_db(r), code);
    json_t *p =
        it ? catstore_published(api_db(r), json_integer_value(json_object_get(it, "id"))) : NULL;
    json_t *doc = p ? catsvc_parse(json_string_value(json_object_get(p, "document"))) : NULL;
    json_decref(p);
    json_decref(it);
    return doc;
}

typedef struct item_arg {
    const char *code;
    int version;
    int64_t published_at;
    guide_layout layout;
    const char *material; /* forms: the material key */
    bool sample;
} item_arg;

static char *render_item(api_req *r, void *p, size_t *len)
{
    item_arg *a = p;
    json_t *doc = item_doc(r, a->code);
    if (!doc) {
        api_fail_db(r);
        return NULL;
    }
    char day[WORKCAL_DATE_STRLEN], dept[128];
    workcal_format(workcal_date_from_ms(a->published_at), day, sizeof(day));
    catstore_department_name(
        api_db(r),
        catstore_department_id(api_db(r), json_string_value(json_object_get(doc, "department"))),
        dept, sizeof(dept));
    char *html = a->material ? guide_form_html(doc, a->material, a->sample, len)
                             : guide_item_html(doc, a->version, day, dept, a->layout, len);
    json_decref(doc);
    if (!html)
        api_fail(r, 404, "MATERIAL_NOT_FOUND", "", "该事项没有材料“%s”",
                 a->material ? a->material : "");
    return html;
}

/* Item pages; material = NULL for the guide itself. */
static void item_page(api_req *r, guide_layout layout, const char *material, bool sample)
{
    key_memo *m = thread_memo(r);
    if (serve_memo(r, m))
        return;
    item_arg a = {api_param(r, 0), 0, 0, layout, material, sample};
    a.version = catstore_published_version(api_db(r), a.code, &a.published_at);
    if (!a.version) {
        api_fail(r, 404, "ITEM_NOT_FOUND", "", "事项“%s”不存在或未发布", a.code);
        return;
    }
    if (material && strlen(material) > 40) {
        api_fail(r, 404, "MATERIAL_NOT_FOUND", "", "该事项没有这项材料");
        return;
    }
    ybuf key = {0};
    ybuf_printf(&key, "i|%s|%d|%d|%s|%d", a.code, a.version, (int)layout, material ? material : "",
                (int)sample);
    serve(r, key.data, render_item, &a);
    memo_put(m, api_path(r), key.data);
    ybuf_release(&key);
}

void h_guide_item(api_req *r)
{
    item_page(r, GUIDE_PAGE, NULL, false);
}

void h_guide_item_print(api_req *r)
{
    item_page(r, GUIDE_PRINT, NULL, false);
}

void h_guide_form(api_req *r)
{
    item_page(r, GUIDE_PAGE, api_param(r, 1), false);
}

void h_guide_sample(api_req *r)
{
    item_page(r, GUIDE_PAGE, api_param(r, 1), true);
}

typedef struct bundle_arg {
    const char *code;
    int version;
    guide_layout layout;
} bundle_arg;

static char *render_bundle(api_req *r, void *p, size_t *len)
{
    bundle_arg *a = p;
    json_t *b = catstore_bundle_by_code(api_db(r), a->code);
    json_t *pub =
        b ? catstore_bundle_published(api_db(r), json_integer_value(json_object_get(b, "id")))
          : NULL;
    json_t *doc = pub ? catsvc_parse(json_string_value(json_object_get(pub, "document"))) : NULL;
    json_decref(b);
    json_decref(pub);
    if (!doc) {
        api_fail_db(r);
        return NULL;
    }
    json_t *members = json_array();
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(doc, "items"), i, m)
    {
        json_t *d = item_doc(r, json_string_value(m));
        if (d)
            json_array_append_new(members, d);
    }
    char *html = guide_bundle_html(doc, members, a->version, a->layout, len);
    json_decref(members);
    json_decref(doc);
    if (!html)
        api_fail_db(r);
    return html;
}

static void bundle_page(api_req *r, guide_layout layout)
{
    key_memo *memo = thread_memo(r);
    if (serve_memo(r, memo))
        return;
    bundle_arg a = {api_param(r, 0), 0, layout};
    a.version = catstore_bundle_published_version(api_db(r), a.code);
    json_t *b = a.version ? catstore_bundle_by_code(api_db(r), a.code) : NULL;
    json_t *pub =
        b ? catstore_bundle_published(api_db(r), json_integer_value(json_object_get(b, "id")))
          : NULL;
    json_t *doc = pub ? catsvc_parse(json_string_value(json_object_get(pub, "document"))) : NULL;
    json_decref(b);
    json_decref(pub);
    if (!doc) {
        api_fail(r, 404, "BUNDLE_NOT_FOUND", "", "一件事“%s”不存在或未发布", a.code);
        return;
    }
    /* The page shows the member items too: their versions are part of the key. */
    ybuf key = {0};
    ybuf_printf(&key, "b|%s|%d|%d|", a.code, a.version, (int)layout);
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(doc, "items"), i, m)
        ybuf_printf(&key, "%d.", catstore_published_version(api_db(r), json_string_value(m), NULL));
    json_decref(doc);
    serve(r, key.data, render_bundle, &a);
    memo_put(memo, api_path(r), key.data);
    ybuf_release(&key);
}

void h_guide_bundle(api_req *r)
{
    bundle_page(r, GUIDE_PAGE);
}

void h_guide_bundle_print(api_req *r)
{
    bundle_page(r, GUIDE_PRINT);
}
