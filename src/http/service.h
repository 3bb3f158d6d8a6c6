/*
 * service.h — the operational endpoints outside /api/v1: health, metrics and
 * the static assets compiled into the binary.
 */
#ifndef KHIBRA_SERVICE_H
#define KHIBRA_SERVICE_H

#include "http/request.h"

void service_healthz(request *r);
void service_metrics(request *r);
void service_static(request *r);
/* static_init: compute the ETags of the embedded assets (once, at start). */
void static_init(void);

#endif
