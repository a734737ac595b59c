/*
 * sse.h - the hall event broadcaster behind GET /api/v1/hall/{center_id}/events
 * (sse.c). One per server: started with the server, stopped before MHD is stopped.
 */
#ifndef YC_API_SSE_H
#define YC_API_SSE_H

#include "store/store.h"

typedef struct hall_bus hall_bus;

/* heartbeat_ms: a comment line goes to a stream silent for that long. */
hall_bus *hall_bus_new(store *st, int64_t heartbeat_ms);
/* A hall write committed: read the new events now rather than within the second. */
void hall_bus_kick(hall_bus *b);
/* End every stream (their readers answer end-of-stream) and stop the thread. */
void hall_bus_stop(hall_bus *b);
/* Stop (if not yet) and free; call after MHD_stop_daemon. */
void hall_bus_free(hall_bus *b);

#endif
