/*
 * erlang.h - queueing formulas for staffing advice (issue 6, "windows that follow
 * demand"): how many windows a line needs in an hour to meet a service target such as
 * "80% called within 15 minutes".
 *
 * Erlang C (M/M/n, nobody leaves): traffic a = arrivals per unit time x mean handling
 * time (in Erlangs), n windows. Computed through the Erlang B recursion
 * B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)), C = n B / (n - a (1 - B)), which never
 * forms a factorial or a power and stays accurate for thousands of servers.
 *
 * Erlang A (M/M/n+M, Palm's model with impatience): applicants give up after an
 * exponential patience with mean `patience` (same unit as the handling time). Solved
 * as the birth-death chain it is: state k applicants in the hall, births at rate
 * lambda, deaths at min(k, n) mu + max(0, k - n) theta; the stationary distribution is
 * built by the ratio recursion in scaled form and truncated where its terms fall
 * below 1e-16 of the peak. The chance to be called within t is the probability that
 * the pure-death chain ahead of an arrival empties in time, by uniformization.
 *
 * Times: any unit, the same for handle, t and patience.
 */
#ifndef YC_ERLANG_H
#define YC_ERLANG_H

/* Erlang B blocking probability for n servers and a Erlangs (n >= 0, a >= 0). */
double erlang_b(int n, double a);
/* Probability an arrival waits (Erlang C); 1 when n <= a (the queue grows). */
double erlang_c(int n, double a);
/* P(wait <= t) for n servers, a Erlangs, mean handling time `handle`. 0 if n <= a. */
double erlang_c_service_level(int n, double a, double handle, double t);
/* Average speed of answer: mean wait over all arrivals. Infinity if n <= a. */
double erlang_c_asa(int n, double a, double handle);
/* Occupancy a / n, capped at 1. */
double erlang_occupancy(int n, double a);
/* Smallest n with service level >= target (0..1) within t, at least ceil(a) + (a>0),
 * and with occupancy <= max_occupancy (1 = no cap). 0 for a == 0; -1 if more than
 * max_n would be needed. */
int erlang_c_agents(double a, double handle, double t, double target, double max_occupancy,
                    int max_n);

typedef struct erlang_a_result {
    double p_wait;        /* an arrival finds all n busy */
    double p_abandon;     /* an arrival gives up before being called */
    double asa;           /* mean wait of the applicants eventually called */
    double mean_wait;     /* mean time in queue over all arrivals (Little: E[Q] / lambda) */
    double service_level; /* P(called within t) over all arrivals */
    double occupancy;     /* mean busy windows / n */
} erlang_a_result;

/* Erlang A for n servers, a Erlangs, mean handling `handle`, mean patience `patience`
 * (> 0), service-level threshold t. 0, or -1 on bad arguments or when the queue
 * would settle at millions waiting (hopelessly understaffed). */
int erlang_a(int n, double a, double handle, double patience, double t, erlang_a_result *r);
/* Smallest n whose Erlang A service level (called within t, over all arrivals) reaches
 * target; -1 beyond max_n. */
int erlang_a_agents(double a, double handle, double patience, double t, double target, int max_n);

#endif
