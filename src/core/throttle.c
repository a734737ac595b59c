/* throttle.c - see throttle.h. Linear probing over a small table; at a few thousand
 * slots a scan on insert is cheaper than the login's argon2id by orders of magnitude. */
#include "core/throttle.h"
#include "util/util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct slot {
    char key[64];
    int count;
    int64_t first; /* start of the window */
} slot;

struct throttle {
    pthread_mutex_t lock;
    int nslots, max;
    int64_t window;
    slot *slots;
};

throttle *throttle_new(int slots, int max_failures, int64_t window_ms)
{
    throttle *t = xcalloc(1, sizeof(*t));
    pthread_mutex_init(&t->lock, NULL);
    t->nslots = slots;
    t->max = max_failures;
    t->window = window_ms;
    t->slots = xcalloc((size_t)slots, sizeof(slot));
    return t;
}

void throttle_free(throttle *t)
{
    if (!t)
        return;
    pthread_mutex_destroy(&t->lock);
    free(t->slots);
    free(t);
}

static slot *find(throttle *t, const char *key)
{
    for (int i = 0; i < t->nslots; i++)
        if (t->slots[i].key[0] && strcmp(t->slots[i].key, key) == 0)
            return &t->slots[i];
    return NULL;
}

bool throttle_blocked(throttle *t, const char *key, int64_t now)
{
    pthread_mutex_lock(&t->lock);
    slot *s = find(t, key);
    bool blocked = s && now - s->first < t->window && s->count >= t->max;
    pthread_mutex_unlock(&t->lock);
    return blocked;
}

void throttle_fail(throttle *t, const char *key, int64_t now)
{
    pthread_mutex_lock(&t->lock);
    slot *s = find(t, key);
    if (!s) {
        /* Free slot, else the one whose window started longest ago. */
        s = &t->slots[0];
        for (int i = 0; i < t->nslots; i++) {
            if (!t->slots[i].key[0]) {
                s = &t->slots[i];
                break;
            }
            if (t->slots[i].first < s->first)
                s = &t->slots[i];
        }
        ystrlcpy(s->key, key, sizeof(s->key));
        s->count = 0;
        s->first = now;
    }
    if (now - s->first >= t->window) {
        s->count = 0;
        s->first = now;
    }
    s->count++;
    pthread_mutex_unlock(&t->lock);
}

void throttle_clear(throttle *t, const char *key)
{
    pthread_mutex_lock(&t->lock);
    slot *s = find(t, key);
    if (s)
        memset(s, 0, sizeof(*s));
    pthread_mutex_unlock(&t->lock);
}
