/*
 * server.h — the HTTP server on libmicrohttpd.
 *
 * A thread pool over epoll; each request is read fully (within the limits of
 * core/limits.h), dispatched through the route table (route.h), answered
 * with security headers, logged as one JSON line and counted for /metrics.
 */
#ifndef KHIBRA_SERVER_H
#define KHIBRA_SERVER_H

#include "http/app.h"

#include <stdbool.h>

/* server_run: serve until SIGTERM or SIGINT, then let in-flight requests
 * finish (up to SHUTDOWN_GRACE_SECONDS) and return 0; 1 if it cannot start. */
int server_run(struct app *app);

/* server_start: serve in libmicrohttpd's own threads and return at once,
 * without touching signals (for tests/fuzz/request_fuzz.c).  listen_port 0
 * takes any free port; the one bound goes to *port.  NULL if it cannot
 * start.  server_stop ends it (requests still open are cut). */
struct MHD_Daemon;
struct MHD_Daemon *server_start(struct app *app, int *port);
void server_stop(struct MHD_Daemon *d);

/* now_us: monotonic microseconds, for timing. */
unsigned long long now_us(void);

#endif
