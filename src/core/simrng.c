/*
 * simrng.c - xoshiro256** and distributions (see simrng.h).
 */
#include "core/simrng.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void simrng_seed(simrng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

uint64_t simrng_mix(uint64_t seed, uint64_t i)
{
    uint64_t x = seed ^ (i * 0xd1b54a32d192ed03ULL);
    splitmix64(&x);
    return splitmix64(&x);
}

/* The exponential by the ziggurat method (Marsaglia and Tsang 2000, laid out as in
 * Doornik 2005): 256 layers of equal area ZIG_V under e^-x. Layer i >= 1 is the
 * rectangle [0, x[i]) between heights e^-x[i] and e^-x[i+1]; layer 0 is the base
 * strip [0, ZIG_R) under e^-ZIG_R plus the tail beyond ZIG_R, as a rectangle of width
 * x[0] = ZIG_V / e^-ZIG_R. A draw picks a layer and a point in its rectangle; left of
 * x[i+1] the point is under the curve for sure (98.9% of draws), otherwise the wedge
 * is tested against e^-x, and the tail is ZIG_R plus an exponential (memorylessness).
 * The tables depend only on these constants and are built once at load time. */
#define ZIG_N 256
#define ZIG_R 7.69711747013104972
#define ZIG_V 3.949659822581572e-3

static double zig_x[ZIG_N + 1], zig_f[ZIG_N + 1];

__attribute__((constructor)) static void zig_init(void)
{
    zig_x[0] = ZIG_V / exp(-ZIG_R);
    zig_x[1] = ZIG_R;
    for (int i = 1; i < ZIG_N - 1; i++)
        zig_x[i + 1] = -log(exp(-zig_x[i]) + ZIG_V / zig_x[i]);
    zig_x[ZIG_N] = 0;
    for (int i = 0; i <= ZIG_N; i++)
        zig_f[i] = exp(-zig_x[i]);
}

/* A point in layer i's rectangle: x, or -1 when it may lie above the curve. */
static inline double zig_point(uint64_t b, int i)
{
    double x = (double)(b >> 11) * 0x1.0p-53 * zig_x[i]; /* bits apart from i's */
    return x < zig_x[i + 1] ? x : -1;
}

/* The rare draws: the tail, the wedge test, and drawing again. Out of line so that
 * the common path needs no stack frame. */
__attribute__((noinline)) static double exp1_edge(simrng *r, int i, uint64_t b)
{
    for (;;) {
        double x = (double)(b >> 11) * 0x1.0p-53 * zig_x[i];
        if (i == 0)
            return ZIG_R - log(1.0 - simrng_uniform(r));
        if (zig_f[i] + (zig_f[i + 1] - zig_f[i]) * simrng_uniform(r) < exp(-x))
            return x;
        b = simrng_u64(r);
        i = (int)(b & (ZIG_N - 1));
        if ((x = zig_point(b, i)) >= 0)
            return x;
    }
}

double simrng_exp(simrng *r, double mean)
{
    uint64_t b = simrng_u64(r);
    int i = (int)(b & (ZIG_N - 1));
    double x = zig_point(b, i);
    return mean * (x >= 0 ? x : exp1_edge(r, i, b));
}

double simrng_normal(simrng *r)
{
    for (;;) {
        double u = 2 * simrng_uniform(r) - 1, v = 2 * simrng_uniform(r) - 1;
        double s = u * u + v * v;
        if (s > 0 && s < 1)
            return u * sqrt(-2 * log(s) / s);
    }
}

double simrng_lognormal(simrng *r, double mean, double cv)
{
    if (cv <= 0)
        return mean;
    double s2 = log1p(cv * cv);
    double mu = log(mean) - s2 / 2;
    return exp(mu + sqrt(s2) * simrng_normal(r));
}

uint32_t simrng_poisson(simrng *r, double mean)
{
    if (mean <= 0)
        return 0;
    if (mean > 500) {
        double x = mean + sqrt(mean) * simrng_normal(r) + 0.5;
        return x < 0 ? 0 : (uint32_t)x;
    }
    double p = exp(-mean), f = p, u = simrng_uniform(r);
    uint32_t k = 0;
    while (u > f && k < 10000) {
        k++;
        p *= mean / k;
        f += p;
    }
    return k;
}
