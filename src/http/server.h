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

/* now_us: monotonic microseconds, for timing. */
unsigned long long now_us(void);

#endif
