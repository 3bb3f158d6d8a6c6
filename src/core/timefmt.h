/*
 * timefmt.h — times as the API writes them: RFC 3339 in Asia/Riyadh, the
 * platform's zone, which keeps +03:00 all year (no daylight saving).
 */
#ifndef KHIBRA_TIMEFMT_H
#define KHIBRA_TIMEFMT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define RIYADH_UTC_OFFSET (3 * 3600)

/* time_rfc3339: "2026-11-25T14:30:00+03:00" into out (at least 26 bytes);
 * "" when the time cannot be written. */
void time_rfc3339(int64_t t, char *out, size_t size);
/* time_json: the same as a JSON string, or JSON null when t <= 0 (unset). */
json_t *time_json(int64_t t);

#endif
