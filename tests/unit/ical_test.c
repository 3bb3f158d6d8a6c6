/*
 * ical_test.c — the iCalendar document (domain/ical.h): parsed back with
 * libical, times in UTC, stable UIDs, escaping of commas, semicolons, new
 * lines and Arabic text, cleaning of bad bytes, and an empty calendar.
 */
#include "domain/ical.h"

#include <criterion/criterion.h>
#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>

#define T0 1796360400 /* 2026-12-04T08:00:00+03:00 = 05:00Z */

static const struct ical_calendar cal = { .name = "خبرة: تقويمي", .lang = "ar", .now = T0 - 86400 };

/* parse: the text parsed back, asserted to be a VCALENDAR. */
static icalcomponent *parse(const char *text)
{
	icalcomponent *root = icalparser_parse_string(text);
	cr_assert_not_null(root, "libical could not parse:\n%s", text);
	cr_assert_eq(icalcomponent_isa(root), ICAL_VCALENDAR_COMPONENT);
	return root;
}

static icalcomponent *first_event(icalcomponent *root)
{
	icalcomponent *ev = icalcomponent_get_first_component(root, ICAL_VEVENT_COMPONENT);
	cr_assert_not_null(ev, "no VEVENT");
	return ev;
}

Test(ical, an_event_parses_back_with_utc_times)
{
	struct ical_event e = { .uid = "shift-7@khibra.example", .summary = "قافلة طبية", .location = "الرياض",
				.description = "الدور: طبيب أسنان", .url = "https://khibra.example/opportunities/3",
				.starts_at = T0, .ends_at = T0 + 6 * 3600, .sequence = 4 };
	char *text = ical_render(&cal, &e, 1);
	cr_assert(strstr(text, "PRODID:-//Khibra//Khibra//AR\r\n"));
	cr_assert(strstr(text, "VERSION:2.0\r\n"));
	cr_assert(strstr(text, "CALSCALE:GREGORIAN\r\n"));
	cr_assert(strstr(text, "METHOD:PUBLISH\r\n"));
	cr_assert(strstr(text, "X-WR-TIMEZONE:Asia/Riyadh\r\n"));
	cr_assert(strstr(text, "DTSTART:20261204T050000Z\r\n"), "%s", text);
	cr_assert(strstr(text, "DTEND:20261204T110000Z\r\n"), "%s", text);
	cr_assert_null(strstr(text, "TZID"), "no TZID without a VTIMEZONE");

	icalcomponent *root = parse(text);
	icalcomponent *ev = first_event(root);
	cr_assert_str_eq(icalcomponent_get_uid(ev), "shift-7@khibra.example");
	icaltimetype start = icalcomponent_get_dtstart(ev);
	cr_assert(icaltime_is_utc(start));
	cr_assert_eq((int64_t)icaltime_as_timet(start), T0);
	cr_assert_eq((int64_t)icaltime_as_timet(icalcomponent_get_dtend(ev)), T0 + 6 * 3600);
	cr_assert_str_eq(icalcomponent_get_summary(ev), "قافلة طبية");
	cr_assert_str_eq(icalcomponent_get_location(ev), "الرياض");
	cr_assert_eq(icalcomponent_get_sequence(ev), 4);
	cr_assert_eq(icalcomponent_get_status(ev), ICAL_STATUS_CONFIRMED);
	icalproperty *url = icalcomponent_get_first_property(ev, ICAL_URL_PROPERTY);
	cr_assert_str_eq(icalproperty_get_url(url), "https://khibra.example/opportunities/3");
	icalproperty *summary = icalcomponent_get_first_property(ev, ICAL_SUMMARY_PROPERTY);
	icalparameter *language = icalproperty_get_first_parameter(summary, ICAL_LANGUAGE_PARAMETER);
	cr_assert_str_eq(icalparameter_get_language(language), "ar");
	icalcomponent_free(root);
	free(text);
}

Test(ical, the_same_input_gives_the_same_uids_and_text)
{
	struct ical_event e[2] = {
		{ .uid = "shift-1@h", .summary = "a", .starts_at = T0, .ends_at = T0 + 3600 },
		{ .uid = "session-9@h", .summary = "b", .starts_at = T0 + 7200, .ends_at = T0 + 9000 },
	};
	char *one = ical_render(&cal, e, 2), *two = ical_render(&cal, e, 2);
	cr_assert_str_eq(one, two);
	icalcomponent *root = parse(one);
	cr_assert_eq(icalcomponent_count_components(root, ICAL_VEVENT_COMPONENT), 2);
	icalcomponent *ev = first_event(root);
	cr_assert_str_eq(icalcomponent_get_uid(ev), "shift-1@h");
	ev = icalcomponent_get_next_component(root, ICAL_VEVENT_COMPONENT);
	cr_assert_str_eq(icalcomponent_get_uid(ev), "session-9@h");
	icalcomponent_free(root);
	free(one);
	free(two);
}

Test(ical, commas_semicolons_new_lines_and_long_arabic_text_survive)
{
	const char *summary = "فحص، أسنان, وقلب; ومعدة\\ثم \"سطر\"\nسطر ثانٍ: مرحباً بكم في القافلة الطبية في القرية النائية جداً جداً جداً";
	struct ical_event e = { .uid = "shift-2@h", .summary = summary, .location = "حي النخيل, شارع ١; مبنى ٢",
				.description = "a\nb", .starts_at = T0, .ends_at = T0 + 60 };
	char *text = ical_render(&cal, &e, 1);
	cr_assert(strstr(text, "\\,"), "comma escaped: %s", text);
	cr_assert(strstr(text, "\\;"), "semicolon escaped: %s", text);
	cr_assert(strstr(text, "\\n"), "new line escaped: %s", text);
	/* Lines are folded at 75 octets without splitting a UTF-8 character. */
	for (const char *line = text; *line;) {
		const char *end = strstr(line, "\r\n");
		cr_assert_not_null(end);
		cr_assert_leq(end - line, 75, "line too long: %.*s", (int)(end - line), line);
		if (end > line)
			cr_assert_neq((unsigned char)end[-1] & 0xC0, 0xC0, "a line ends inside a UTF-8 character");
		if (line[0] == ' ')
			cr_assert_neq((unsigned char)line[1] & 0xC0, 0x80, "a folded line starts inside a UTF-8 character");
		line = end + 2;
	}
	icalcomponent *root = parse(text);
	icalcomponent *ev = first_event(root);
	cr_assert_str_eq(icalcomponent_get_summary(ev), summary);
	cr_assert_str_eq(icalcomponent_get_location(ev), "حي النخيل, شارع ١; مبنى ٢");
	cr_assert_str_eq(icalcomponent_get_description(ev), "a\nb");
	icalcomponent_free(root);
	free(text);
}

Test(ical, bad_bytes_and_control_characters_are_cleaned)
{
	char *clean = ical_clean_text("a\x01\rb\tc\xff\xC0\x80z\xED\xA0\x80");
	cr_assert_str_eq(clean, "ab c\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDz\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	free(clean);
	char *long_text = malloc(3 * ICAL_TEXT_MAX);
	for (int i = 0; i < 3 * ICAL_TEXT_MAX - 2; i += 2)
		memcpy(long_text + i, "\xD8\xA8", 2); /* ب */
	long_text[3 * ICAL_TEXT_MAX - 2] = '\0';
	clean = ical_clean_text(long_text);
	cr_assert_eq(strlen(clean), ICAL_TEXT_MAX);
	free(clean);
	struct ical_event e = { .uid = "u\r\n1", .summary = long_text, .url = "https://x/a b\r\n", .starts_at = T0,
				.ends_at = T0 - 5, .cancelled = true };
	char *text = ical_render(&cal, &e, 1);
	icalcomponent *root = parse(text);
	icalcomponent *ev = first_event(root);
	cr_assert_str_eq(icalcomponent_get_uid(ev), "u\n1");
	cr_assert_eq(icalcomponent_get_status(ev), ICAL_STATUS_CANCELLED);
	cr_assert_null(icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY), "no DTEND before DTSTART");
	cr_assert_str_eq(icalproperty_get_url(icalcomponent_get_first_property(ev, ICAL_URL_PROPERTY)), "https://x/ab");
	icalcomponent_free(root);
	free(text);
	free(long_text);
}

Test(ical, an_empty_calendar_is_valid)
{
	char *text = ical_render(&cal, NULL, 0);
	icalcomponent *root = parse(text);
	cr_assert_eq(icalcomponent_count_components(root, ICAL_VEVENT_COMPONENT), 0);
	icalproperty *name = icalcomponent_get_first_property(root, ICAL_X_PROPERTY);
	cr_assert_not_null(name);
	cr_assert_str_eq(icalproperty_get_x_name(name), "X-WR-CALNAME");
	cr_assert_str_eq(icalproperty_get_x(name), "خبرة: تقويمي");
	icalcomponent_free(root);
	free(text);
}

Test(ical, uids_name_the_host_of_the_public_address)
{
	char uid[ICAL_UID_MAX];
	ical_uid("shift", 12, "https://khibra.example:8443/base", uid, sizeof uid);
	cr_assert_str_eq(uid, "shift-12@khibra.example");
	ical_uid("session", 3, "http://user@127.0.0.1:8080", uid, sizeof uid);
	cr_assert_str_eq(uid, "session-3@127.0.0.1");
	ical_uid("shift", 1, NULL, uid, sizeof uid);
	cr_assert_str_eq(uid, "shift-1@khibra");
}
