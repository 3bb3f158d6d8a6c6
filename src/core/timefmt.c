/* timefmt.c — RFC 3339 times in Asia/Riyadh (see timefmt.h). */
#include "core/timefmt.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
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

void time_local_minute(int64_t t, char *out, size_t size)
{
	time_t local = (time_t)(t + RIYADH_UTC_OFFSET);
	struct tm tm;
	if (!gmtime_r(&local, &tm) || strftime(out, size, "%Y-%m-%dT%H:%M", &tm) == 0)
		snprintf(out, size, "%s", "");
}

void time_riyadh_date_clock(int64_t t, char date[16], char clock[8])
{
	time_t local = (time_t)(t + RIYADH_UTC_OFFSET);
	struct tm tm;
	if (!gmtime_r(&local, &tm) || !strftime(date, 16, "%Y-%m-%d", &tm) || !strftime(clock, 8, "%H:%M", &tm))
		date[0] = clock[0] = '\0';
}

/* shaped: s starts with `shape`, where 'd' is a decimal digit, 'T' is 'T',
 * 't' or a space, and any other character stands for itself; sscanf then
 * reads the numbers (it alone would take "+1" or " 1" for two digits). */
static bool shaped(const char *s, const char *shape)
{
	for (; *shape; s++, shape++) {
		if (*shape == 'd' ? !isdigit((unsigned char)*s)
		    : *shape == 'T' ? (*s != 'T' && *s != 't' && *s != ' ')
				    : *s != *shape)
			return false;
	}
	return true;
}

/* civil_utc: the fields as a UTC time, refused when timegm had to normalise
 * them (a day the month lacks, hour 24, …). */
static bool civil_utc(int y, int mo, int d, int h, int mi, int sec, int64_t *out)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi,
			 .tm_sec = sec };
	time_t t = timegm(&tm);
	if (t == (time_t)-1 || tm.tm_year != y - 1900 || tm.tm_mon != mo - 1 || tm.tm_mday != d || tm.tm_hour != h ||
	    tm.tm_min != mi || tm.tm_sec != sec)
		return false;
	*out = (int64_t)t;
	return true;
}

bool time_parse_rfc3339(const char *s, bool allow_local, int64_t *out)
{
	int y, mo, d, h, mi, sec = 0;
	if (!s || !shaped(s, "dddd-dd-ddTdd:dd") ||
	    sscanf(s, "%4d-%2d-%2d%*c%2d:%2d", &y, &mo, &d, &h, &mi) != 5)
		return false;
	const char *p = s + 16;
	if (shaped(p, ":dd")) {
		sec = (p[1] - '0') * 10 + (p[2] - '0');
		for (p += 3; *p == '.' && isdigit((unsigned char)p[1]);) /* the fraction is dropped */
			for (p++; isdigit((unsigned char)*p); p++)
				;
	}
	int offset;
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
		offset = 0;
	} else if ((*p == '+' || *p == '-') && shaped(p + 1, "dd:dd") && p[6] == '\0') {
		int oh = (p[1] - '0') * 10 + (p[2] - '0'), om = (p[4] - '0') * 10 + (p[5] - '0');
		if (oh > 23 || om > 59)
			return false;
		offset = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
	} else if (allow_local && *p == '\0') {
		offset = RIYADH_UTC_OFFSET;
	} else {
		return false;
	}
	int64_t t;
	if (y < 1900 || !civil_utc(y, mo, d, h, mi, sec == 60 ? 59 : sec, &t))
		return false;
	*out = t - offset;
	return true;
}

bool time_parse_date(const char *s, int64_t *out)
{
	int y, mo, d;
	int64_t t;
	if (!s || !shaped(s, "dddd-dd-dd") || s[10] != '\0' || sscanf(s, "%4d-%2d-%2d", &y, &mo, &d) != 3 || y < 1900 ||
	    !civil_utc(y, mo, d, 0, 0, 0, &t))
		return false;
	*out = t - RIYADH_UTC_OFFSET;
	return true;
}
