/*
 * tts.h - call announcements as audio: Mandarin speech from espeak-ng (`-v cmn`), as
 * WAV bytes, for hall displays whose browser has no Chinese voice.
 *
 * The synthesizer runs as a child process started with posix_spawnp (argv, no shell);
 * the text goes to its stdin, never on its command line, so no text can become an
 * option. Each run is bounded: text length (TTS_TEXT_MAX bytes), wall time
 * (TTS_TIMEOUT_MS, then SIGKILL), output size (TTS_WAV_MAX). One synthesis runs at a
 * time; results are kept in a small in-memory LRU keyed by the text (the same call
 * sentences recur all day: "请A001号到5号窗口办理").
 */
#ifndef YC_TTS_H
#define YC_TTS_H

#include "util/err.h"
#include "util/util.h"

#include <stddef.h>

#define TTS_TEXT_MAX   200
#define TTS_TIMEOUT_MS 5000
#define TTS_WAV_MAX    (4u << 20)
#define TTS_CACHE_SIZE 32

/* Run argv (argv[0] looked up in PATH) with in_text on stdin; collect its stdout into
 * out (at most max_out bytes), waiting up to timeout_ms. 0 when it exited with status 0;
 * YC_ELIMIT on timeout or too much output (the child is killed); YC_EIO when it could
 * not start or failed. */
int tts_run(const char *const argv[], const char *in_text, int timeout_ms, size_t max_out,
            ybuf *out);

/* The WAV of text spoken in Mandarin: a malloc'd copy in *wav (caller frees), *len.
 * Errors fill e: 400 VOICE_TEXT for empty, too long or non-text input; 503
 * VOICE_UNAVAILABLE when espeak-ng is missing, fails or times out. */
int tts_wav(const char *text, char **wav, size_t *len, yc_err *e);

/* Which program tts_wav runs (default "espeak-ng"); for tests. Not thread-safe: call
 * before serving. */
void tts_set_program(const char *program);

/* Empty the cache (tests). */
void tts_cache_clear(void);

#endif
