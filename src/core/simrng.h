/*
 * simrng.h - a seedable random number generator for the simulator: xoshiro256**
 * (Blackman and Vigna) seeded through splitmix64, with the distributions a hall needs.
 * The same seed gives the same stream on every machine; no global state, so each
 * simulated day (and thread) owns its generator.
 */
#ifndef YC_SIMRNG_H
#define YC_SIMRNG_H

#include <math.h>
#include <stdint.h>

typedef struct simrng {
    uint64_t s[4];
} simrng;

void simrng_seed(simrng *r, uint64_t seed);
/* A seed for stream i derived from a base seed (e.g. one per simulated day). */
uint64_t simrng_mix(uint64_t seed, uint64_t i);

/* The draws a simulation makes per event are inline (the simulator's inner loop). */
static inline uint64_t simrng_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t simrng_u64(simrng *r)
{
    uint64_t *s = r->s;
    uint64_t result = simrng_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = simrng_rotl(s[3], 45);
    return result;
}

/* Uniform in [0, 1) with 53 bits. */
static inline double simrng_uniform(simrng *r)
{
    return (double)(simrng_u64(r) >> 11) * 0x1.0p-53;
}

/* Exponential with the given mean (ziggurat: one random number and one multiplication
 * for 98.9% of the draws). */
double simrng_exp(simrng *r, double mean);
/* Standard normal (Marsaglia's polar method, no cached spare: stateless). */
double simrng_normal(simrng *r);
/* Lognormal with the given mean and coefficient of variation (sd / mean). */
double simrng_lognormal(simrng *r, double mean, double cv);
/* Poisson count with the given mean (inversion for small means, normal
 * approximation rounded for means above 500). */
uint32_t simrng_poisson(simrng *r, double mean);
#endif
