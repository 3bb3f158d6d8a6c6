/*
 * timefmt.h — times as the API writes them: RFC 3339 in Asia/Riyadh, the
 * platform's zone, which keeps +03:00 all year (no daylight saving).
 */
#ifndef KHIBRA_TIMEFMT_H
#define KHIBRA_TIMEFMT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RIYADH_UTC_OFFSET (3 * 3600)

/* time_rfc3339: "2026-11-25T14:30:00+03:00" into out (at least 26 bytes);
 * "" when the time cannot be written. */
void time_rfc3339(int64_t t, char *out, size_t size);
/* time_json: the same as a JSON string, or JSON null when t <= 0 (unset). */
json_t *time_json(int64_t t);
/* time_local_minute: "2026-11-25T14:30" in Riyadh, as <input type=datetime-local>
 * shows it (at least 17 bytes); "" when the time cannot be written. */
void time_local_minute(int64_t t, char *out, size_t size);

/* time_riyadh_date_clock: "2026-11-25" and "14:30" in Riyadh, for messages. */
void time_riyadh_date_clock(int64_t t, char date[16], char clock[8]);

/* time_parse_rfc3339: "YYYY-MM-DDTHH:MM[:SS[.fraction]](Z|+HH:MM|-HH:MM)" →
 * Unix seconds ('t' or a space may stand for 'T', 'z' for 'Z'; a leap second
 * :60 reads as :59).  With allow_local, a time without an offset is Riyadh's
 * wall clock ("2026-12-04T08:00", from a datetime-local field).  The fields
 * are checked against the calendar: 2026-02-30 or 24:00 is refused. */
bool time_parse_rfc3339(const char *s, bool allow_local, int64_t *out);
/* time_parse_date: "YYYY-MM-DD" → midnight of that day in Riyadh. */
bool time_parse_date(const char *s, int64_t *out);

#endif
