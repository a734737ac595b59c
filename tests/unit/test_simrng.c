/* Unit tests: core/simrng, the simulator's random numbers. The exponential (drawn by
 * the ziggurat method) must be an exponential: mean, variance, the whole distribution
 * (Kolmogorov-Smirnov against 1 - e^-x) and the far tail, which only the slow paths of
 * the method produce; and the same seed must give the same stream. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>

#include "core/simrng.h"

#define N 1000000

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void test_exponential(void **state)
{
    double *x = malloc(N * sizeof(*x));
    assert_non_null(x);
    simrng r;
    simrng_seed(&r, 12345);
    double sum = 0, sum2 = 0;
    int beyond_r = 0, beyond_12 = 0; /* the tail past the base strip (7.697), and far */
    for (int i = 0; i < N; i++) {
        x[i] = simrng_exp(&r, 2.0) / 2.0;
        assert_true(x[i] >= 0);
        sum += x[i];
        sum2 += x[i] * x[i];
        beyond_r += x[i] > 7.69711747013104972;
        beyond_12 += x[i] > 12;
    }
    double mean = sum / N, var = sum2 / N - mean * mean;
    print_message("exp(1): mean %.5f, variance %.5f, past 7.697: %d (expect %.0f)\n", mean, var,
                  beyond_r, N * exp(-7.69711747013104972));
    /* Standard errors: mean 0.001, variance about 0.003. */
    assert_true(fabs(mean - 1) < 0.005);
    assert_true(fabs(var - 1) < 0.015);
    double want_r = N * exp(-7.69711747013104972); /* about 454, sd 21 */
    assert_true(fabs(beyond_r - want_r) < 5 * sqrt(want_r));
    assert_true(beyond_12 < 30); /* expect 6 */
    qsort(x, N, sizeof(*x), cmp_double);
    double d = 0;
    for (int i = 0; i < N; i++) {
        double f = 1 - exp(-x[i]);
        double lo = f - (double)i / N, hi = (double)(i + 1) / N - f;
        d = fmax(d, fmax(lo, hi));
    }
    print_message("Kolmogorov-Smirnov D = %.6f (critical at 0.1%%: %.6f)\n", d, 1.95 / sqrt(N));
    assert_true(d < 1.95 / sqrt(N));
    free(x);
}

static void test_same_seed_same_stream(void **state)
{
    simrng a, b, c;
    simrng_seed(&a, simrng_mix(7, 3));
    simrng_seed(&b, simrng_mix(7, 3));
    simrng_seed(&c, simrng_mix(7, 4));
    int differ = 0;
    for (int i = 0; i < 1000; i++) {
        double x = simrng_exp(&a, 480), y = simrng_exp(&b, 480), z = simrng_exp(&c, 480);
        assert_true(x == y);
        differ += x != z;
    }
    assert_true(differ > 990);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exponential),
        cmocka_unit_test(test_same_seed_same_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
