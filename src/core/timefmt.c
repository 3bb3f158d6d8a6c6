/* timefmt.c — RFC 3339 times in Asia/Riyadh (see timefmt.h). */
#include "core/timefmt.h"

#include <stdio.h>
#include <time.h>

void time_rfc3339(int64_t t, char *out, size_t size)
{
	time_t local = (time_t)(t + RIYADH_UTC_OFFSET);
	struct tm tm;
	if (!gmtime_r(&local, &tm) || strftime(out, size, "%Y-%m-%dT%H:%M:%S+03:00", &tm) == 0)
		snprintf(out, size, "%s", "");
}

json_t *time_json(int64_t t)
{
	if (t <= 0)
		return json_null();
	char s[40];
	time_rfc3339(t, s, sizeof s);
	return json_string(s);
}
