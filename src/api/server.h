/*
 * server.h - the HTTP server: libmicrohttpd with a pool of epoll worker threads.
 *
 * Lifecycle: api_server_start binds and serves; on SIGTERM the caller runs
 * api_server_quiesce (stop accepting), api_server_drain (wait for requests in
 * flight, including writes waiting for their commit), then api_server_stop.
 */
#ifndef YC_SERVER_H
#define YC_SERVER_H

#include "api/api.h"

int api_server_start(store *st, const api_config *cfg, api_server **out);
int api_server_port(api_server *s);
void api_server_quiesce(api_server *s);
/* Wait until no request is in flight or timeout_ms passes; returns requests left. */
int api_server_drain(api_server *s, int timeout_ms);
void api_server_stop(api_server *s);

#endif
