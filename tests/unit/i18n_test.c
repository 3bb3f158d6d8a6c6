/*
 * i18n_test.c — languages, Accept-Language, negotiation, gettext catalogs
 * (needs the compiled .mo files: KHIBRA_LOCALEDIR, default build/locale) and
 * ICU formatting of dates (Gregorian, Umm al-Qura) and numbers.
 */
#include "i18n/i18n.h"
#include "core/buf.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- helpers ---- */

static enum lang accept(const char *header, bool *ok)
{
	enum lang l = (enum lang)-1;
	*ok = i18n_accept_language(header, &l);
	return l;
}

#define ASSERT_ACCEPT(header, want)                                                        \
	do {                                                                               \
		bool ok_;                                                                  \
		enum lang got_ = accept(header, &ok_);                                     \
		cr_assert(ok_, "no language for \"%s\"", header);                          \
		cr_assert_eq(got_, want, "\"%s\" gave %s", header, i18n_code(got_));       \
	} while (0)

#define ASSERT_REFUSED(header)                                                             \
	do {                                                                               \
		bool ok_;                                                                  \
		accept(header, &ok_);                                                      \
		cr_assert(!ok_, "\"%s\" should find no language", header);                 \
	} while (0)

/* riyadh: the time_t of a wall-clock time in Asia/Riyadh (UTC+3, no DST). */
static time_t riyadh(int year, int month, int day, int hour, int minute)
{
	struct tm tm = { .tm_year = year - 1900, .tm_mon = month - 1, .tm_mday = day,
			 .tm_hour = hour, .tm_min = minute };
	return timegm(&tm) - 3 * 3600;
}

static const char *localedir(void)
{
	const char *dir = getenv("KHIBRA_LOCALEDIR");
	return dir && *dir ? dir : "build/locale";
}

static void init_catalogs(void)
{
	char err[256] = "";
	cr_assert(i18n_init(localedir(), err, sizeof err), "i18n_init: %s", err);
}

/* ---- languages ---- */

Test(i18n, codes_and_directions)
{
	cr_assert_str_eq(i18n_code(LANG_AR), "ar");
	cr_assert_str_eq(i18n_code(LANG_EN), "en");
	cr_assert_str_eq(i18n_dir(LANG_AR), "rtl");
	cr_assert_str_eq(i18n_dir(LANG_EN), "ltr");
	cr_assert_str_eq(i18n_native_name(LANG_AR), "العربية");
	cr_assert_str_eq(i18n_native_name(LANG_EN), "English");
	cr_assert_str_eq(i18n_code((enum lang)7), "ar", "out of range falls back to Arabic");
}

Test(i18n, parse_variants)
{
	static const struct { const char *code; enum lang want; } good[] = {
		{ "ar", LANG_AR }, { "AR", LANG_AR }, { "ar-SA", LANG_AR }, { "ar_SA", LANG_AR },
		{ "ar_SA.UTF-8", LANG_AR }, { "ar-Arab-SA", LANG_AR }, { "en", LANG_EN },
		{ "EN_us", LANG_EN }, { "en-GB", LANG_EN }, { "en_US.UTF-8@euro", LANG_EN },
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		enum lang l = (enum lang)-1;
		cr_assert(i18n_parse(good[i].code, &l), "\"%s\" should parse", good[i].code);
		cr_assert_eq(l, good[i].want, "\"%s\"", good[i].code);
	}
	static const char *const bad[] = {
		"", "a", "e", "fr", "fr-FR", "arabic", "eng", "ara", "ar SA", " ar", "ar\n",
		"ar;q=1", "en<script>", "*", "-ar", "ar\"", "\xd8\xb9\xd8\xb1",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		enum lang l = LANG_EN;
		cr_assert(!i18n_parse(bad[i], &l), "\"%s\" should not parse", bad[i]);
		cr_assert_eq(l, LANG_EN, "out is untouched on failure");
	}
	enum lang l;
	cr_assert(!i18n_parse(NULL, &l));
	char longer[200];
	memset(longer, 'a', sizeof longer - 1);
	memcpy(longer, "en-", 3);
	longer[sizeof longer - 1] = '\0';
	cr_assert(!i18n_parse(longer, &l), "absurdly long codes are junk");
}

/* ---- Accept-Language ---- */

Test(i18n, accept_language_q_values)
{
	ASSERT_ACCEPT("ar", LANG_AR);
	ASSERT_ACCEPT("en", LANG_EN);
	ASSERT_ACCEPT("ar-SA;q=0.8, en;q=0.9, *;q=0.1", LANG_EN);
	ASSERT_ACCEPT("en-US,en;q=0.9,ar;q=0.8", LANG_EN);
	ASSERT_ACCEPT("fr-FR,fr;q=0.9,ar;q=0.3,en;q=0.2", LANG_AR);
	ASSERT_ACCEPT("en;q=0.2, ar-SA", LANG_AR);
	ASSERT_ACCEPT("ar-SA;q=0.8, ar;q=0, en;q=0.5", LANG_AR); /* best range naming Arabic */
	ASSERT_ACCEPT("en;q=0.001", LANG_EN);
	ASSERT_ACCEPT("en;q=1.000", LANG_EN);
	ASSERT_ACCEPT("en;Q=0.7, ar;q=0.6", LANG_EN);             /* "q" is case-insensitive */
	ASSERT_ACCEPT("en \t; q=0.9 , ar ;q=0.8", LANG_EN);       /* optional whitespace */
	ASSERT_ACCEPT("en;level=1;q=0.9, ar;q=0.8", LANG_EN);     /* unknown parameters skipped */
}

Test(i18n, accept_language_ties_keep_order)
{
	ASSERT_ACCEPT("en;q=0.5, ar;q=0.5", LANG_EN);
	ASSERT_ACCEPT("ar;q=0.5, en;q=0.5", LANG_AR);
	ASSERT_ACCEPT("en-GB, ar", LANG_EN);
	ASSERT_ACCEPT("ar, en-GB", LANG_AR);
}

Test(i18n, accept_language_star_and_zero)
{
	ASSERT_ACCEPT("*", LANG_AR);
	ASSERT_ACCEPT("fr, *;q=0.5", LANG_AR);
	ASSERT_ACCEPT("en;q=0, *", LANG_AR);
	ASSERT_ACCEPT("ar;q=0, *", LANG_EN);           /* "*" covers only what is not named */
	ASSERT_ACCEPT("*;q=0.5, en;q=0.5", LANG_AR);   /* "*" came first */
	ASSERT_ACCEPT("*;q=0.1, en;q=0.2", LANG_EN);
	ASSERT_REFUSED("en;q=0");
	ASSERT_REFUSED("ar;q=0, en;q=0.000");
	ASSERT_REFUSED("ar;q=0, en;q=0, *");
	ASSERT_REFUSED("*;q=0");
	ASSERT_REFUSED("fr-FR, fr;q=0.9, de");
}

Test(i18n, accept_language_junk_is_ignored)
{
	/* Malformed elements drop out; the well-formed ones still count. */
	ASSERT_ACCEPT("en;q=0.5000, ar;q=0.1", LANG_AR);  /* four decimals */
	ASSERT_ACCEPT("en;q=1.001, ar;q=0.1", LANG_AR);
	ASSERT_ACCEPT("en;q=2, ar;q=0.1", LANG_AR);
	ASSERT_ACCEPT("en;q=-1, ar;q=0.1", LANG_AR);
	ASSERT_ACCEPT("en;q=, ar;q=0.1", LANG_AR);
	ASSERT_ACCEPT("en;q, ar;q=0.1", LANG_AR);
	ASSERT_ACCEPT("en;q=.5, ar;q=0.1", LANG_AR);
	ASSERT_ACCEPT("en;q=0.9;q=0.1, ar;q=0.1", LANG_AR); /* q twice */
	ASSERT_ACCEPT("en q=0.9, ar;q=0.1", LANG_AR);
	ASSERT_ACCEPT("e-n, en_US;q=0.9, ar;q=0.1", LANG_AR);
	ASSERT_ACCEPT("enenenenen, ar;q=0.1", LANG_AR);   /* subtag over 8 letters */
	ASSERT_ACCEPT(",,, ,en,,", LANG_EN);              /* empty elements are allowed */

	static const char *const junk[] = {
		"", " ", "\t", ",", ";;;", "=;,q", ";q=1", "q=1", "*;", "\"en\"", "ar\r\nX: y",
		"\xff\xfe\x80", "en;q=0.9\x00", "العربية", "-", "--,--", "a-", "*-*",
	};
	for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
		enum lang l;
		(void)i18n_accept_language(junk[i], &l); /* must simply not crash */
	}
	ASSERT_REFUSED("");
	ASSERT_REFUSED(";;;");
	ASSERT_REFUSED("\xff\xfe\x80");
	enum lang l;
	cr_assert(!i18n_accept_language(NULL, &l));

	/* A long header and random bytes: no crash, no out-of-bounds read (ASan). */
	size_t n = 100000;
	char *big = malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		big[i] = "ar;q=0.5,"[i % 9];
	big[n] = '\0';
	ASSERT_ACCEPT(big, LANG_AR);
	unsigned seed = 12345;
	for (int round = 0; round < 5000; round++) {
		char s[64];
		size_t len = (size_t)(rand_r(&seed) % (int)(sizeof s - 1));
		for (size_t i = 0; i < len; i++) {
			static const char alphabet[] = "aren-*;q=0.15, \t_,;;==x\xd8";
			s[i] = alphabet[rand_r(&seed) % (int)(sizeof alphabet - 1)];
		}
		s[len] = '\0';
		(void)i18n_accept_language(s, &l);
		(void)i18n_negotiate(s, s, s, s);
	}
	free(big);
}

/* ---- negotiation ---- */

Test(i18n, negotiate_precedence)
{
	cr_assert_eq(i18n_negotiate(NULL, NULL, NULL, NULL), LANG_AR);
	cr_assert_eq(i18n_negotiate("en", "ar", "ar", "ar"), LANG_EN, "query first");
	cr_assert_eq(i18n_negotiate("ar", "en", "en", "en"), LANG_AR, "query first");
	cr_assert_eq(i18n_negotiate(NULL, "en", "ar", "ar"), LANG_EN, "then the cookie");
	cr_assert_eq(i18n_negotiate(NULL, NULL, "en-GB", "ar"), LANG_EN, "then the user");
	cr_assert_eq(i18n_negotiate(NULL, NULL, NULL, "fr, en;q=0.5"), LANG_EN, "then the header");
	cr_assert_eq(i18n_negotiate("fr", "xx", "", "en"), LANG_EN, "bad values fall through");
	cr_assert_eq(i18n_negotiate("", "", "", "fr"), LANG_AR, "and Arabic at the end");
	cr_assert_eq(i18n_negotiate(NULL, NULL, NULL, "en;q=0"), LANG_AR);
}

/* ---- translation ---- */

Test(i18n, before_init_returns_msgid)
{
	cr_assert_str_eq(i18n_gettext(LANG_AR, "Log in"), "Log in");
	cr_assert_str_eq(i18n_ngettext(LANG_AR, "%lu hour", "%lu hours", 1), "%lu hour");
	cr_assert_str_eq(i18n_ngettext(LANG_AR, "%lu hour", "%lu hours", 5), "%lu hours");
}

Test(i18n, init_without_directory_fails_with_a_line)
{
	char err[128] = "";
	cr_assert(!i18n_init(NULL, err, sizeof err));
	cr_assert(strlen(err) > 0);
}

Test(i18n, translates_arabic_and_english)
{
	setenv("LANGUAGE", "fr", 1); /* would override the locale: init removes it */
	init_catalogs();
	cr_assert_str_eq(i18n_gettext(LANG_AR, "Log in"), "تسجيل الدخول");
	cr_assert_str_eq(i18n_gettext(LANG_AR, "Log out"), "تسجيل الخروج");
	cr_assert_str_eq(i18n_gettext(LANG_AR, "Khibra"), "خبرة");
	cr_assert_str_eq(i18n_gettext(LANG_EN, "Log in"), "Log in");
	cr_assert_str_eq(i18n_gettext(LANG_AR, "No such message here"), "No such message here");
	cr_assert_str_eq(i18n_gettext(LANG_AR, ""), "", "the empty msgid is not the header");
	cr_assert_str_eq(i18n_gettext(LANG_AR, "Log in"), "تسجيل الدخول", "cached");
	i18n_shutdown();
	cr_assert_str_eq(i18n_gettext(LANG_AR, "Log in"), "Log in", "after shutdown");
	init_catalogs(); /* and again */
	cr_assert_str_eq(i18n_gettext(LANG_AR, "Log in"), "تسجيل الدخول");
	i18n_shutdown();
}

/*
 * Plurals: the real catalogs hold no plural message yet, and whichever one
 * lands first may change.  So this test compiles its own small catalog with
 * msgfmt — taking the Plural-Forms line from po/ar.po, which is what is under
 * test — and points i18n_init at it.
 */
static char plural_dir[64];

static void write_plural_catalog(const char *lang, const char *plural_forms, const char *forms)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s.po", plural_dir, lang);
	FILE *f = fopen(path, "w");
	cr_assert(f);
	fprintf(f, "msgid \"\"\nmsgstr \"\"\n"
		   "\"Project-Id-Version: khibra-test\\n\"\n"
		   "\"PO-Revision-Date: 2026-01-01 00:00+0300\\n\"\n"
		   "\"Last-Translator: test\\n\"\n\"Language-Team: test\\n\"\n"
		   "\"Language: %s\\n\"\n\"MIME-Version: 1.0\\n\"\n"
		   "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
		   "\"Content-Transfer-Encoding: 8bit\\n\"\n"
		   "%s\n\nmsgid \"%%lu hour\"\nmsgid_plural \"%%lu hours\"\n%s",
		lang, plural_forms, forms);
	fclose(f);
	char *cmd = NULL;
	cr_assert(asprintf(&cmd, "mkdir -p %s/%s/LC_MESSAGES && msgfmt --check -o "
				 "%s/%s/LC_MESSAGES/khibra.mo %s/%s.po",
			   plural_dir, lang, plural_dir, lang, plural_dir, lang) > 0);
	cr_assert_eq(system(cmd), 0, "msgfmt failed (gettext is installed by install-deps.sh)");
	free(cmd);
}

/* plural_forms_line: the "Plural-Forms: …" header line of a .po file, as a PO string. */
static void plural_forms_line(const char *po, char *out, size_t size)
{
	FILE *f = fopen(po, "r");
	cr_assert(f, "cannot read %s (run the tests from the top of the tree)", po);
	char line[512];
	out[0] = '\0';
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "\"Plural-Forms:", 14) == 0) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(out, size, "%s", line);
			break;
		}
	fclose(f);
	cr_assert(out[0], "%s has no Plural-Forms header", po);
}

Test(i18n, arabic_has_six_plural_forms)
{
	strcpy(plural_dir, "/tmp/khibra-i18n-XXXXXX");
	cr_assert(mkdtemp(plural_dir));
	char forms_ar[512], forms_en[512];
	plural_forms_line("po/ar.po", forms_ar, sizeof forms_ar);
	plural_forms_line("po/en.po", forms_en, sizeof forms_en);
	cr_assert(strstr(forms_ar, "nplurals=6;"), "%s", forms_ar);
	write_plural_catalog("ar", forms_ar,
			     "msgstr[0] \"لا ساعات\"\nmsgstr[1] \"ساعة واحدة\"\n"
			     "msgstr[2] \"ساعتان\"\nmsgstr[3] \"%lu ساعات\"\n"
			     "msgstr[4] \"%lu ساعةً\"\nmsgstr[5] \"%lu ساعة\"\n");
	write_plural_catalog("en", forms_en, "msgstr[0] \"%lu hour\"\nmsgstr[1] \"%lu hours\"\n");
	char err[256] = "";
	cr_assert(i18n_init(plural_dir, err, sizeof err), "%s", err);

	static const struct { unsigned long n; const char *want; } forms[] = {
		{ 0, "لا ساعات" }, { 1, "ساعة واحدة" }, { 2, "ساعتان" }, { 3, "%lu ساعات" },
		{ 10, "%lu ساعات" }, { 11, "%lu ساعةً" }, { 99, "%lu ساعةً" }, { 100, "%lu ساعة" },
		{ 102, "%lu ساعة" }, { 103, "%lu ساعات" }, { 111, "%lu ساعةً" }, { 1000, "%lu ساعة" },
	};
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
		cr_assert_str_eq(i18n_ngettext(LANG_AR, "%lu hour", "%lu hours", forms[i].n),
				 forms[i].want, "n = %lu", forms[i].n);
	cr_assert_str_eq(i18n_ngettext(LANG_EN, "%lu hour", "%lu hours", 1), "%lu hour");
	cr_assert_str_eq(i18n_ngettext(LANG_EN, "%lu hour", "%lu hours", 0), "%lu hours");
	cr_assert_str_eq(i18n_ngettext(LANG_EN, "%lu hour", "%lu hours", 2), "%lu hours");
	i18n_shutdown();

	char *cmd = NULL;
	cr_assert(asprintf(&cmd, "rm -rf %s", plural_dir) > 0);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
}

#define TRANSLATE_ROUNDS 20000

struct translator {
	enum lang lang;
	pthread_barrier_t *start;
	int wrong;
};

static void *translate_many(void *arg)
{
	struct translator *t = arg;
	const char *want = t->lang == LANG_AR ? "تسجيل الدخول" : "Log in";
	const char *want_2 = t->lang == LANG_AR ? "تسجيل الخروج" : "Log out";
	pthread_barrier_wait(t->start);
	for (int i = 0; i < TRANSLATE_ROUNDS; i++) {
		if (strcmp(i18n_gettext(t->lang, "Log in"), want) != 0)
			t->wrong++;
		if (strcmp(i18n_gettext(t->lang, "Log out"), want_2) != 0)
			t->wrong++;
	}
	return NULL;
}

Test(i18n, threads_translate_independently)
{
	init_catalogs();
	pthread_barrier_t start;
	pthread_barrier_init(&start, NULL, 4);
	struct translator t[4] = {
		{ LANG_AR, &start, 0 }, { LANG_EN, &start, 0 },
		{ LANG_AR, &start, 0 }, { LANG_EN, &start, 0 },
	};
	pthread_t id[4];
	for (int i = 0; i < 4; i++)
		cr_assert_eq(pthread_create(&id[i], NULL, translate_many, &t[i]), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(id[i], NULL);
	pthread_barrier_destroy(&start);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(t[i].wrong, 0, "thread %d (%s) got %d wrong translations", i,
			     i18n_code(t[i].lang), t[i].wrong);
	i18n_shutdown();
}

/* ---- dates ---- */

static void assert_format(const char *got, const char *want)
{
	cr_assert_str_eq(got, want, "got \"%s\", want \"%s\"", got, want);
}

Test(i18n, gregorian_dates)
{
	time_t t = riyadh(2026, 11, 25, 14, 30);
	buf b = BUF_INIT;
	i18n_format_date(LANG_AR, t, false, &b);
	assert_format(b.data, "الأربعاء، ٢٥ نوفمبر ٢٠٢٦");
	buf_reset(&b);
	i18n_format_date(LANG_AR, t, true, &b);
	assert_format(b.data, "الأربعاء، ٢٥ نوفمبر ٢٠٢٦ في ١٤:٣٠");
	buf_reset(&b);
	i18n_format_date(LANG_EN, t, false, &b);
	assert_format(b.data, "Wednesday, 25 November 2026");
	buf_reset(&b);
	i18n_format_date(LANG_EN, t, true, &b);
	assert_format(b.data, "Wednesday, 25 November 2026 at 14:30");

	/* 22:30 UTC on the 24th is already the 25th in Riyadh. */
	buf_reset(&b);
	i18n_format_date(LANG_EN, riyadh(2026, 11, 25, 1, 30), true, &b);
	assert_format(b.data, "Wednesday, 25 November 2026 at 01:30");

	/* Formatting appends. */
	buf_reset(&b);
	buf_puts(&b, "On ");
	i18n_format_date(LANG_EN, riyadh(2026, 2, 18, 12, 0), false, &b);
	assert_format(b.data, "On Wednesday, 18 February 2026");
	buf_free(&b);
}

/*
 * Umm al-Qura dates cross-checked with the published calendar and the
 * Saudi announcements: 1 Ramadan 1445 = Monday 11 March 2024, 1 Ramadan 1446
 * = Saturday 1 March 2025, 1 Shawwal 1446 (Eid al-Fitr) = Sunday 30 March
 * 2025, 1 Muharram 1447 = Thursday 26 June 2025, 1 Ramadan 1447 = Wednesday
 * 18 February 2026.  25 November 2026 is 280 days after the last: nine Hijri
 * months (≈ 265.8 days) and 14 days → 15 Jumada al-Akhirah 1448.
 */
Test(i18n, umm_al_qura_dates)
{
	static const struct { int y, m, d; const char *ar, *en; } days[] = {
		{ 2024, 3, 11, "١ رمضان ١٤٤٥ هـ", "1 Ramadan 1445 AH" },
		{ 2025, 3, 1, "١ رمضان ١٤٤٦ هـ", "1 Ramadan 1446 AH" },
		{ 2025, 3, 30, "١ شوال ١٤٤٦ هـ", "1 Shawwal 1446 AH" },
		{ 2025, 6, 26, "١ محرم ١٤٤٧ هـ", "1 Muharram 1447 AH" },
		{ 2026, 2, 17, "٢٩ شعبان ١٤٤٧ هـ", "29 Shaʻban 1447 AH" },
		{ 2026, 2, 18, "١ رمضان ١٤٤٧ هـ", "1 Ramadan 1447 AH" },
		{ 2026, 11, 25, "١٥ جمادى الآخرة ١٤٤٨ هـ", "15 Jumada II 1448 AH" },
	};
	buf b = BUF_INIT;
	for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
		time_t t = riyadh(days[i].y, days[i].m, days[i].d, 12, 0);
		buf_reset(&b);
		i18n_format_hijri(LANG_AR, t, &b);
		assert_format(b.data, days[i].ar);
		buf_reset(&b);
		i18n_format_hijri(LANG_EN, t, &b);
		assert_format(b.data, days[i].en);
	}
	buf_free(&b);
}

/* ---- numbers ---- */

Test(i18n, numbers)
{
	static const struct { enum lang l; double v; int digits; const char *want; } cases[] = {
		{ LANG_AR, 1234567.891, 2, "١٬٢٣٤٬٥٦٧٫٨٩" },
		{ LANG_EN, 1234567.891, 2, "1,234,567.89" },
		{ LANG_AR, 12345, 0, "١٢٬٣٤٥" },
		{ LANG_EN, 12345, 0, "12,345" },
		{ LANG_EN, 1.5, 2, "1.5" },              /* no trailing zeros */
		{ LANG_EN, 2.5, 0, "3" },                /* half up */
		{ LANG_EN, 0.125, 2, "0.13" },
		{ LANG_AR, 0, 2, "٠" },
		{ LANG_EN, 3.14159, -4, "3" },           /* clamped to 0 … */
		{ LANG_EN, 0.1, 99, "0.1" },             /* … and to 15 */
		{ LANG_AR, -1234, 0, "\xd8\x9c-١٬٢٣٤" }, /* U+061C ARABIC LETTER MARK, then '-' */
		{ LANG_EN, -1234, 0, "-1,234" },
	};
	buf b = BUF_INIT;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_reset(&b);
		i18n_format_number(cases[i].l, cases[i].v, cases[i].digits, &b);
		assert_format(b.data, cases[i].want);
	}
	buf_free(&b);
}

/* ---- formatters in many threads, and after shutdown ---- */

struct formatter {
	pthread_barrier_t *start;
	int wrong;
};

static void *format_many(void *arg)
{
	struct formatter *f = arg;
	time_t t = riyadh(2026, 11, 25, 14, 30);
	buf b = BUF_INIT;
	pthread_barrier_wait(f->start);
	for (int i = 0; i < 200; i++) {
		buf_reset(&b);
		i18n_format_date(i % 2 ? LANG_AR : LANG_EN, t, i % 3 == 0, &b);
		i18n_format_hijri(LANG_AR, t, &b);
		i18n_format_number(LANG_AR, 1234.5, 1, &b);
		const char *want = i % 2 ? (i % 3 == 0 ? "الأربعاء، ٢٥ نوفمبر ٢٠٢٦ في ١٤:٣٠"
						    : "الأربعاء، ٢٥ نوفمبر ٢٠٢٦")
					 : (i % 3 == 0 ? "Wednesday, 25 November 2026 at 14:30"
						       : "Wednesday, 25 November 2026");
		buf expect = BUF_INIT;
		buf_puts(&expect, want);
		buf_puts(&expect, "١٥ جمادى الآخرة ١٤٤٨ هـ");
		buf_puts(&expect, "١٬٢٣٤٫٥");
		if (strcmp(b.data, expect.data) != 0)
			f->wrong++;
		buf_free(&expect);
	}
	buf_free(&b);
	return NULL;
}

Test(i18n, formatting_in_threads_then_shutdown)
{
	enum { THREADS = 6 };
	pthread_barrier_t start;
	pthread_barrier_init(&start, NULL, THREADS);
	struct formatter f[THREADS];
	pthread_t id[THREADS];
	for (int i = 0; i < THREADS; i++) {
		f[i] = (struct formatter){ &start, 0 };
		cr_assert_eq(pthread_create(&id[i], NULL, format_many, &f[i]), 0);
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(id[i], NULL);
	pthread_barrier_destroy(&start);
	for (int i = 0; i < THREADS; i++)
		cr_assert_eq(f[i].wrong, 0, "thread %d formatted %d wrong", i, f[i].wrong);

	/* This thread's formatters, then shutdown, then fresh ones. */
	buf b = BUF_INIT;
	i18n_format_number(LANG_EN, 1e6, 0, &b);
	assert_format(b.data, "1,000,000");
	i18n_shutdown();
	buf_reset(&b);
	i18n_format_number(LANG_EN, 1e6, 0, &b);
	assert_format(b.data, "1,000,000");
	i18n_shutdown();
	buf_free(&b);
}
