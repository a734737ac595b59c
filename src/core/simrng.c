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
