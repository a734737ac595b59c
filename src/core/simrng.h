/*
 * simrng.h - a seedable random number generator for the simulator: xoshiro256**
 * (Blackman and Vigna) seeded through splitmix64, with the distributions a hall needs.
 * The same seed gives the same stream on every machine; no global state, so each
 * simulated day (and thread) owns its generator.
 */
#ifndef YC_SIMRNG_H
#define YC_SIMRNG_H

#include <stdint.h>

typedef struct simrng {
    uint64_t s[4];
} simrng;

void simrng_seed(simrng *r, uint64_t seed);
/* A seed for stream i derived from a base seed (e.g. one per simulated day). */
uint64_t simrng_mix(uint64_t seed, uint64_t i);
uint64_t simrng_u64(simrng *r);
/* Uniform in [0, 1) with 53 bits. */
double simrng_uniform(simrng *r);
/* Exponential with the given mean. */
double simrng_exp(simrng *r, double mean);
/* Standard normal (Marsaglia's polar method, no cached spare: stateless). */
double simrng_normal(simrng *r);
/* Lognormal with the given mean and coefficient of variation (sd / mean). */
double simrng_lognormal(simrng *r, double mean, double cv);
/* Poisson count with the given mean (inversion for small means, normal
 * approximation rounded for means above 500). */
uint32_t simrng_poisson(simrng *r, double mean);
/* Next arrival at or after t (seconds) of a Poisson process whose rate per hour is
 * per_hour[h] during hour h (0..23) of the day; returns a time >= 86400 when no
 * arrival comes before midnight. */
double simrng_next_arrival(simrng *r, const double per_hour[24], double t);

#endif
