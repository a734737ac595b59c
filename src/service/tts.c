/*
 * tts.c - see tts.h: espeak-ng as a bounded child process, and an LRU of its WAVs.
 */
#include "service/tts.h"
#include "util/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int64_t now_ms(void)
{
    return ytime_mono_ns() / 1000000;
}

/* Write all of s to fd (a pipe; SIGPIPE is ignored by the server). */
static int write_all(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

int tts_run(const char *const argv[], const char *in_text, int timeout_ms, size_t max_out,
            ybuf *out)
{
    int in[2], outp[2];
    if (pipe2(in, O_CLOEXEC))
        return YC_EIO;
    if (pipe2(outp, O_CLOEXEC)) {
        close(in[0]);
        close(in[1]);
        return YC_EIO;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(outp[1]);
    if (rc) {
        close(in[1]);
        close(outp[0]);
        return YC_EIO;
    }
    /* The text is far below a pipe's capacity, so this cannot block on a live child. */
    int result = write_all(in[1], in_text, strlen(in_text)) ? YC_EIO : 0;
    close(in[1]);
    int64_t deadline = now_ms() + timeout_ms;
    char chunk[16384];
    while (!result) {
        int64_t left = deadline - now_ms();
        if (left <= 0) {
            result = YC_ELIMIT;
            break;
        }
        struct pollfd p = {outp[0], POLLIN, 0};
        int n = poll(&p, 1, (int)left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            result = YC_EIO;
            break;
        }
        if (n == 0)
            continue; /* the deadline check above ends it */
        ssize_t got = read(outp[0], chunk, sizeof(chunk));
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            result = YC_EIO;
            break;
        }
        if (got == 0)
            break; /* end of output */
        if (out->len + (size_t)got > max_out) {
            result = YC_ELIMIT;
            break;
        }
        ybuf_add(out, chunk, (size_t)got);
    }
    close(outp[0]);
    if (result)
        kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!result && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
        result = YC_EIO;
    return result;
}

/* ------------------------------------------------------------ the cache */

typedef struct tts_entry {
    char *text;
    char *wav;
    size_t len;
    uint64_t used; /* LRU clock */
} tts_entry;

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t synth_lock = PTHREAD_MUTEX_INITIALIZER;
static tts_entry cache[TTS_CACHE_SIZE];
static uint64_t clock_ticks;
static const char *program = "espeak-ng";

void tts_set_program(const char *p)
{
    program = p;
}

void tts_cache_clear(void)
{
    pthread_mutex_lock(&cache_lock);
    for (size_t i = 0; i < TTS_CACHE_SIZE; i++) {
        free(cache[i].text);
        free(cache[i].wav);
        memset(&cache[i], 0, sizeof(cache[i]));
    }
    pthread_mutex_unlock(&cache_lock);
}

static bool cache_get(const char *text, char **wav, size_t *len)
{
    bool hit = false;
    pthread_mutex_lock(&cache_lock);
    for (size_t i = 0; i < TTS_CACHE_SIZE; i++) {
        if (cache[i].text && !strcmp(cache[i].text, text)) {
            cache[i].used = ++clock_ticks;
            *wav = xmalloc(cache[i].len);
            memcpy(*wav, cache[i].wav, cache[i].len);
            *len = cache[i].len;
            hit = true;
            break;
        }
    }
    pthread_mutex_unlock(&cache_lock);
    return hit;
}

static void cache_put(const char *text, const char *wav, size_t len)
{
    pthread_mutex_lock(&cache_lock);
    size_t victim = 0;
    for (size_t i = 0; i < TTS_CACHE_SIZE; i++) {
        if (cache[i].text && !strcmp(cache[i].text, text)) {
            pthread_mutex_unlock(&cache_lock);
            return;
        }
        if (!cache[i].text || cache[i].used < cache[victim].used)
            victim = i;
        if (!cache[i].text)
            break;
    }
    tts_entry *v = &cache[victim];
    free(v->text);
    free(v->wav);
    v->text = xstrdup(text);
    v->wav = xmalloc(len);
    memcpy(v->wav, wav, len);
    v->len = len;
    v->used = ++clock_ticks;
    pthread_mutex_unlock(&cache_lock);
}

/* ------------------------------------------------------------ synthesis */

static void put_le32(char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (char)((v >> (8 * i)) & 0xFF);
}

/* espeak-ng --stdout cannot seek back, so its header carries placeholder sizes: set the
 * real ones (a plain 44-byte PCM header: "RIFF" size "WAVE" "fmt " ... "data" size). */
static bool wav_fix(char *w, size_t len)
{
    if (len <= 44 || memcmp(w, "RIFF", 4) || memcmp(w + 8, "WAVE", 4) || memcmp(w + 36, "data", 4))
        return false;
    put_le32(w + 4, (uint32_t)(len - 8));
    put_le32(w + 40, (uint32_t)(len - 44));
    return true;
}

int tts_wav(const char *text, char **wav, size_t *len, yc_err *e)
{
    size_t n = text ? strlen(text) : 0;
    if (!n || n > TTS_TEXT_MAX || !csv_utf8_valid(text, n))
        return yc_fail(e, YC_EINVAL, 400, "VOICE_TEXT", "text", "播报内容应为1至%d字节的文字",
                       TTS_TEXT_MAX);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)text[i] < 0x20 || text[i] == 0x7F)
            return yc_fail(e, YC_EINVAL, 400, "VOICE_TEXT", "text", "播报内容不能含控制字符");
    if (cache_get(text, wav, len))
        return 0;
    const char *const argv[] = {program, "-v", "cmn", "-s", "150", "--stdout", NULL};
    ybuf out;
    ybuf_init(&out);
    pthread_mutex_lock(&synth_lock);
    if (cache_get(text, wav, len)) { /* made while this thread waited its turn */
        pthread_mutex_unlock(&synth_lock);
        return 0;
    }
    int rc = tts_run(argv, text, TTS_TIMEOUT_MS, TTS_WAV_MAX, &out);
    pthread_mutex_unlock(&synth_lock);
    if (rc || !wav_fix(out.data, out.len)) {
        ybuf_release(&out);
        return yc_fail(e, rc ? rc : YC_EIO, 503, "VOICE_UNAVAILABLE", "",
                       "语音合成暂不可用，请稍后再试");
    }
    cache_put(text, out.data, out.len);
    *len = out.len;
    *wav = ybuf_detach(&out);
    return 0;
}
