/*
 * throttle.h - count failures per key (a client address) in a sliding window, to slow
 * down password guessing across many accounts from one place. Per-account lockout is
 * separate (users.failed_logins); this one protects against spraying.
 *
 * Fixed-size table, oldest entry evicted when full: bounded memory whatever an
 * attacker sends. Time is passed in. Thread-safe.
 */
#ifndef YC_THROTTLE_H
#define YC_THROTTLE_H

#include <stdbool.h>
#include <stdint.h>

typedef struct throttle throttle;

throttle *throttle_new(int slots, int max_failures, int64_t window_ms);
void throttle_free(throttle *t);
/* True while key has max_failures or more failures within the window before now. */
bool throttle_blocked(throttle *t, const char *key, int64_t now);
void throttle_fail(throttle *t, const char *key, int64_t now);
void throttle_clear(throttle *t, const char *key);

#endif
