/*
 * metrics.h — request counters and latency histogram for GET /metrics.
 *
 * Counted in memory per process (each app server behind a load balancer is
 * scraped on its own, as Prometheus expects).  Series are keyed by the route
 * pattern, not the raw path, so their number stays bounded.
 */
#ifndef KHIBRA_METRICS_H
#define KHIBRA_METRICS_H

#include "core/buf.h"

void metrics_record(const char *route, const char *method, int status, double seconds);
void metrics_inflight(int delta);
/* metrics_render: Prometheus text exposition format 0.0.4. */
void metrics_render(buf *out);
void metrics_reset(void);

#endif
