/* Unit tests: service/qrsvg (the SVG's structure, and a real decode by zbarimg of the
 * SVG's path rendered to a bitmap here, when zbar-tools is installed) and service/tts
 * (the bounded child process: output, stdin, timeout, output cap, failure; the WAV
 * header fix-up when espeak-ng is installed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "service/qrsvg.h"
#include "service/tts.h"

static bool have(const char *prog)
{
    const char *const argv[] = {"which", prog, NULL};
    ybuf out;
    ybuf_init(&out);
    int rc = tts_run(argv, "", 5000, 4096, &out);
    ybuf_release(&out);
    return rc == 0;
}

/* Render the SVG's path ("M x y h n v1 h-n z" runs) as a PGM, scale pixels a module. */
static void render_pgm(const char *svg, const char *file, int scale)
{
    int size = 0;
    assert_int_equal(sscanf(strstr(svg, "viewBox=\"0 0 "), "viewBox=\"0 0 %d", &size), 1);
    unsigned char *px = malloc((size_t)size * size * scale * scale);
    memset(px, 255, (size_t)size * size * scale * scale);
    const char *p = strstr(svg, " d=\"") + 4;
    int x, y, n, m, used;
    while (sscanf(p, "M%d %dh%dv1h-%dz%n", &x, &y, &n, &m, &used) == 4) {
        assert_int_equal(n, m);
        for (int yy = y * scale; yy < (y + 1) * scale; yy++)
            memset(px + (size_t)yy * size * scale + (size_t)x * scale, 0, (size_t)n * scale);
        p += used;
    }
    assert_int_equal(*p, '"');
    FILE *f = fopen(file, "wb");
    assert_non_null(f);
    fprintf(f, "P5\n%d %d\n255\n", size * scale, size * scale);
    fwrite(px, 1, (size_t)size * size * scale * scale, f);
    fclose(f);
    free(px);
}

static void test_qr_structure_and_decode(void **state)
{
    const char *texts[] = {
        "A001", "http://127.0.0.1:8080/hall/ticket.html?t=0123456789abcdef0123456789abcdef",
        "请到5号窗口办理"};
    bool zbar = have("zbarimg");
    if (!zbar)
        fprintf(stderr, "zbarimg not installed: decoding not checked (apt install zbar-tools)\n");
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        ybuf svg;
        ybuf_init(&svg);
        int w = qrsvg_make(texts[i], &svg);
        assert_true(w >= 21 && (w - 21) % 4 == 0);
        assert_non_null(strstr(svg.data, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert_non_null(strstr(svg.data, "M4 4h7v1h-7z")); /* the top-left finder */
        if (zbar) {
            char file[] = "/tmp/yc-qr-XXXXXX";
            int fd = mkstemp(file);
            assert_true(fd >= 0);
            close(fd);
            render_pgm(svg.data, file, 6);
            const char *const argv[] = {"zbarimg", "--raw", "-q", "-Sbinary", file, NULL};
            ybuf out;
            ybuf_init(&out);
            int rc = tts_run(argv, "", 10000, 4096, &out);
            unlink(file);
            assert_int_equal(rc, 0);
            while (out.len && out.data[out.len - 1] == '\n')
                out.data[--out.len] = '\0';
            assert_string_equal(out.data, texts[i]);
            ybuf_release(&out);
        }
        ybuf_release(&svg);
    }
    ybuf b;
    ybuf_init(&b);
    assert_int_equal(qrsvg_make("", &b), -1);
    char big[QRSVG_TEXT_MAX + 2];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(qrsvg_make(big, &b), -1);
    big[QRSVG_TEXT_MAX] = '\0';
    assert_true(qrsvg_make(big, &b) > 21);
    ybuf_release(&b);
}

static void test_run_bounded(void **state)
{
    ybuf out;
    ybuf_init(&out);
    /* stdin reaches the child, stdout comes back. */
    const char *const cat[] = {"cat", NULL};
    assert_int_equal(tts_run(cat, "请A001号", 5000, 4096, &out), 0);
    assert_string_equal(out.data, "请A001号");
    ybuf_reset(&out);
    /* No shell: a metacharacter is just an argument. */
    const char *const echo[] = {"echo", "a;b", "$(x)", NULL};
    assert_int_equal(tts_run(echo, "", 5000, 4096, &out), 0);
    assert_string_equal(out.data, "a;b $(x)\n");
    ybuf_reset(&out);
    /* Too slow: killed at the deadline. */
    int64_t t0 = ytime_mono_ns();
    const char *const slow[] = {"sleep", "10", NULL};
    assert_int_equal(tts_run(slow, "", 300, 4096, &out), YC_ELIMIT);
    assert_true(ytime_mono_ns() - t0 < 3000000000LL);
    /* Too much output: stopped at the cap. */
    const char *const flood[] = {"head", "-c", "1000000", "/dev/zero", NULL};
    assert_int_equal(tts_run(flood, "", 5000, 1000, &out), YC_ELIMIT);
    assert_true(out.len <= 1000);
    ybuf_reset(&out);
    /* Failure and absence. */
    const char *const fails[] = {"false", NULL};
    assert_int_equal(tts_run(fails, "", 5000, 4096, &out), YC_EIO);
    const char *const none[] = {"yc-no-such-program", NULL};
    assert_int_equal(tts_run(none, "", 5000, 4096, &out), YC_EIO);
    ybuf_release(&out);
}

static void test_wav(void **state)
{
    char *wav = NULL;
    size_t len = 0;
    yc_err e;
    assert_int_equal(tts_wav("", &wav, &len, &e), YC_EINVAL);
    assert_string_equal(e.code, "VOICE_TEXT");
    assert_int_equal(tts_wav("请\n到", &wav, &len, &e), YC_EINVAL);
    assert_int_equal(tts_wav("\xff\xfe", &wav, &len, &e), YC_EINVAL);
    char big[TTS_TEXT_MAX + 2];
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(tts_wav(big, &wav, &len, &e), YC_EINVAL);
    tts_set_program("yc-no-such-program");
    tts_cache_clear();
    assert_int_equal(tts_wav("请A001号到5号窗口办理", &wav, &len, &e), YC_EIO);
    assert_int_equal(e.status, 503);
    assert_string_equal(e.code, "VOICE_UNAVAILABLE");
    tts_set_program("espeak-ng");
    if (!have("espeak-ng")) {
        fprintf(stderr, "espeak-ng not installed: synthesis not checked\n");
        return;
    }
    assert_int_equal(tts_wav("请A001号到5号窗口办理", &wav, &len, &e), 0);
    assert_true(len > 20000);
    assert_memory_equal(wav, "RIFF", 4);
    uint32_t riff = (uint8_t)wav[4] | (uint8_t)wav[5] << 8 | (uint8_t)wav[6] << 16 |
                    (uint32_t)(uint8_t)wav[7] << 24;
    assert_int_equal(riff, len - 8);
    char *again = NULL;
    size_t len2 = 0;
    /* From the cache even when the program is gone. */
    tts_set_program("yc-no-such-program");
    assert_int_equal(tts_wav("请A001号到5号窗口办理", &again, &len2, &e), 0);
    assert_int_equal(len2, len);
    assert_memory_equal(again, wav, len);
    tts_set_program("espeak-ng");
    free(wav);
    free(again);
    tts_cache_clear();
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qr_structure_and_decode),
        cmocka_unit_test(test_run_bounded),
        cmocka_unit_test(test_wav),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
