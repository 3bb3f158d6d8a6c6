/*
 * i18n.c — languages, gettext and ICU formatting; see i18n.h.
 *
 * Three parts:
 *   1. Languages: codes, parsing, Accept-Language, negotiation (pure).
 *   2. Translation: gettext under a per-thread locale.
 *   3. Formatting: ICU dates (Gregorian and Umm al-Qura) and numbers, with a
 *      cache of ICU formatters per thread.
 */
#include "i18n/i18n.h"
#include "core/log.h"
#include "core/xalloc.h"

#include <libintl.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <unicode/udat.h>
#include <unicode/udatpg.h>
#include <unicode/unum.h>
#include <unicode/ustring.h>

#define I18N_DOMAIN "khibra"
#define I18N_TIME_ZONE "Asia/Riyadh"
#define I18N_RIYADH_OFFSET_SECONDS (3 * 3600) /* no daylight saving time */

struct language {
	const char *code;        /* ISO 639-1 */
	const char *dir;         /* HTML dir attribute */
	const char *native_name;
	const char *posix_locale;     /* for gettext (LC_MESSAGES) */
	const char *icu_gregorian;    /* ICU locale for Gregorian dates */
	const char *icu_hijri;        /* ICU locale for Umm al-Qura dates */
	const char *icu_number;       /* ICU locale for numbers */
};

/*
 * English uses en_GB in ICU for the day-month-year order ("Wednesday,
 * 25 November 2026", "15 Jumada II 1448 AH"), which reads like the Arabic
 * side; en_US would say "November 25, 2026".  ar_SA's default calendar is
 * Umm al-Qura, so Gregorian dates name the calendar explicitly.
 */
static const struct language languages[LANG_COUNT] = {
	[LANG_AR] = { "ar", "rtl", "العربية", "ar_SA.UTF-8",
		      "ar_SA@calendar=gregorian", "ar_SA@calendar=islamic-umalqura", "ar_SA" },
	[LANG_EN] = { "en", "ltr", "English", "en_US.UTF-8",
		      "en_GB@calendar=gregorian", "en_GB@calendar=islamic-umalqura", "en_GB" },
};

/* language_of: `l` if it is one of ours, else the default (never index out of range). */
static const struct language *language_of(enum lang l)
{
	return (unsigned)l < LANG_COUNT ? &languages[l] : &languages[LANG_DEFAULT];
}

const char *i18n_code(enum lang l) { return language_of(l)->code; }
const char *i18n_dir(enum lang l) { return language_of(l)->dir; }
const char *i18n_native_name(enum lang l) { return language_of(l)->native_name; }

/* ================================================================
 * 1. Languages
 * ================================================================ */

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static char lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c; }

#define I18N_CODE_MAX 64 /* longer "language codes" are junk */

/*
 * code_to_lang: the language of the code s[0..n): its primary subtag (letters
 * up to '-', '_', '.', '@' or the end) is "ar" or "en" in any case, and the
 * rest holds only the characters of tags and POSIX locale names.
 */
static bool code_to_lang(const char *s, size_t n, enum lang *out)
{
	if (n < 2 || n > I18N_CODE_MAX)
		return false;
	size_t primary = 0;
	while (primary < n && is_alpha(s[primary]))
		primary++;
	if (primary != 2)
		return false;
	for (size_t i = primary; i < n; i++) {
		char c = s[i];
		if (!is_alpha(c) && !is_digit(c) && !strchr("-_.@=", c))
			return false;
	}
	if (primary < n && !strchr("-_.@", s[primary]))
		return false;
	for (int l = 0; l < LANG_COUNT; l++) {
		if (lower(s[0]) == languages[l].code[0] && lower(s[1]) == languages[l].code[1]) {
			*out = (enum lang)l;
			return true;
		}
	}
	return false;
}

bool i18n_parse(const char *code, enum lang *out)
{
	if (!code)
		return false;
	return code_to_lang(code, strnlen(code, I18N_CODE_MAX + 1), out);
}

static bool is_ows(char c) { return c == ' ' || c == '\t'; }

/*
 * parse_qvalue: RFC 9110 §12.4.2 — "0" ["." 0*3DIGIT] / "1" ["." 0*3"0"], as
 * thousandths.  False if s[0..n) is anything else.
 */
static bool parse_qvalue(const char *s, size_t n, int *q)
{
	if (n == 0 || (s[0] != '0' && s[0] != '1'))
		return false;
	int value = (s[0] - '0') * 1000;
	if (n == 1) {
		*q = value;
		return true;
	}
	if (s[1] != '.' || n > 5)
		return false;
	int scale = 100;
	for (size_t i = 2; i < n; i++, scale /= 10) {
		if (!is_digit(s[i]) || (value == 1000 && s[i] != '0'))
			return false;
		value += (s[i] - '0') * scale;
	}
	*q = value;
	return true;
}

/* valid_range: RFC 4647 language-range — "*" or 1*8ALPHA *("-" 1*8alphanum). */
static bool valid_range(const char *s, size_t n)
{
	if (n == 1 && s[0] == '*')
		return true;
	size_t i = 0, run = 0;
	while (i < n && is_alpha(s[i]) && run < 8)
		i++, run++;
	if (run == 0)
		return false;
	while (i < n) {
		if (s[i] != '-')
			return false;
		i++;
		run = 0;
		while (i < n && (is_alpha(s[i]) || is_digit(s[i])) && run < 8)
			i++, run++;
		if (run == 0)
			return false;
	}
	return true;
}

/*
 * parse_accept_item: one element of an Accept-Language list, s[0..n):
 * language-range [OWS ";" OWS "q=" qvalue].  Unknown parameters are skipped;
 * a bad range or a bad or repeated q makes the whole element malformed.
 */
static bool parse_accept_item(const char *s, size_t n, const char **range, size_t *range_len,
			      int *q)
{
	size_t i = 0;
	while (i < n && is_ows(s[i]))
		i++;
	size_t start = i;
	while (i < n && !is_ows(s[i]) && s[i] != ';')
		i++;
	if (!valid_range(s + start, i - start))
		return false;
	*range = s + start;
	*range_len = i - start;
	*q = 1000;
	bool seen_q = false;
	for (;;) {
		while (i < n && is_ows(s[i]))
			i++;
		if (i == n)
			return true;
		if (s[i] != ';')
			return false;
		i++;
		while (i < n && is_ows(s[i]))
			i++;
		size_t name = i;
		while (i < n && s[i] != '=' && s[i] != ';' && !is_ows(s[i]))
			i++;
		size_t name_len = i - name;
		size_t value = i, value_len = 0;
		if (i < n && s[i] == '=') {
			value = ++i;
			while (i < n && s[i] != ';' && !is_ows(s[i]))
				i++;
			value_len = i - value;
		}
		if (name_len == 1 && lower(s[name]) == 'q') {
			if (seen_q || !parse_qvalue(s + value, value_len, q))
				return false;
			seen_q = true;
		}
	}
}

/*
 * i18n_accept_language: each of our languages gets the highest q of the
 * ranges naming it (by primary subtag: "ar-SA" names Arabic); a language no
 * range names gets the q of "*" (RFC 9110 §12.5.4: "*" matches every tag not
 * matched by another range), so "en;q=0, *" still refuses English.  The best
 * q above 0 wins; on equal q the range written first; when "*" alone decides
 * between languages, Arabic.
 */
bool i18n_accept_language(const char *header, enum lang *out)
{
	if (!header)
		return false;
	int q_of[LANG_COUNT], star_q = -1;
	size_t position_of[LANG_COUNT], star_position = 0, position = 0;
	for (int l = 0; l < LANG_COUNT; l++) {
		q_of[l] = -1;
		position_of[l] = 0;
	}
	const char *p = header;
	for (;;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		const char *range;
		size_t range_len;
		int q;
		if (parse_accept_item(p, n, &range, &range_len, &q)) {
			enum lang l;
			if (range_len == 1 && range[0] == '*') {
				if (q > star_q) {
					star_q = q;
					star_position = position;
				}
			} else if (code_to_lang(range, range_len, &l) && q > q_of[l]) {
				q_of[l] = q;
				position_of[l] = position;
			}
		}
		position++;
		if (!end)
			break;
		p = end + 1;
	}

	bool found = false;
	int best_q = 0;
	size_t best_position = 0;
	enum lang best = LANG_DEFAULT;
	for (int i = 0; i < LANG_COUNT; i++) {
		/* Visit the default language first so that it wins exact ties. */
		enum lang l = (enum lang)((LANG_DEFAULT + i) % LANG_COUNT);
		int q = q_of[l] >= 0 ? q_of[l] : star_q;
		size_t at = q_of[l] >= 0 ? position_of[l] : star_position;
		if (q <= 0)
			continue;
		if (!found || q > best_q || (q == best_q && at < best_position)) {
			found = true;
			best_q = q;
			best_position = at;
			best = l;
		}
	}
	if (found)
		*out = best;
	return found;
}

enum lang i18n_negotiate(const char *query, const char *cookie, const char *user_locale,
			 const char *accept_language)
{
	enum lang l;
	if (i18n_parse(query, &l) || i18n_parse(cookie, &l) || i18n_parse(user_locale, &l) ||
	    i18n_accept_language(accept_language, &l))
		return l;
	return LANG_DEFAULT;
}

/* ================================================================
 * 2. Translation
 *
 * glibc's gettext reads the LC_MESSAGES name of the *thread's* locale
 * (__current_locale_name), and its cache of found translations is keyed by
 * (domain, category, locale name, msgid), so switching with uselocale() per
 * call is both correct and thread-safe.  The LANGUAGE environment variable
 * would override the locale for every request: i18n_init removes it.
 * ================================================================ */

static locale_t lang_locale[LANG_COUNT];

static void format_caches_free_all(void);

/* set_error: one line in err (if the caller gave room for it). */
__attribute__((format(printf, 3, 4)))
static void set_error(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || !errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

bool i18n_init(const char *localedir, char *err, size_t errlen)
{
	for (int l = 0; l < LANG_COUNT; l++) {
		if (lang_locale[l]) {
			freelocale(lang_locale[l]);
			lang_locale[l] = (locale_t)0;
		}
	}
	if (!localedir || !*localedir) {
		set_error(err, errlen, "%s", "no locale directory given");
		return false;
	}
	unsetenv("LANGUAGE");
	/* gettext resolves a relative directory against the working directory
	 * of each lookup: bind the absolute path, in case the process moves. */
	char *absolute = realpath(localedir, NULL);
	bool bound = bindtextdomain(I18N_DOMAIN, absolute ? absolute : localedir) &&
		     bind_textdomain_codeset(I18N_DOMAIN, "UTF-8");
	free(absolute);
	if (!bound) {
		set_error(err, errlen, "cannot bind the text domain to %s", localedir);
		return false;
	}
	for (int l = 0; l < LANG_COUNT; l++) {
		lang_locale[l] = newlocale(LC_ALL_MASK, languages[l].posix_locale, (locale_t)0);
		if (!lang_locale[l]) {
			set_error(err, errlen, "locale %s is missing: run scripts/install-deps.sh",
				  languages[l].posix_locale);
			i18n_shutdown();
			return false;
		}
	}
	/* A missing catalog is not fatal (every string stays English), but say so. */
	for (int l = 0; l < LANG_COUNT; l++) {
		char *mo = xasprintf("%s/%s/LC_MESSAGES/%s.mo", localedir, languages[l].code,
				     I18N_DOMAIN);
		if (access(mo, R_OK) != 0)
			log_error("i18n", "no %s catalog at %s: run make", languages[l].code, mo);
		free(mo);
	}
	return true;
}

void i18n_shutdown(void)
{
	for (int l = 0; l < LANG_COUNT; l++) {
		if (lang_locale[l])
			freelocale(lang_locale[l]);
		lang_locale[l] = (locale_t)0;
	}
	format_caches_free_all();
}

/*
 * A page asks for dozens of translations; dgettext takes a read lock and
 * looks the string up by hash every time, which showed in profiles of the
 * home page.  Each thread keeps a small direct-mapped memo keyed by the
 * msgid's address: msgids are literals or strings of the loaded templates,
 * which live as long as the process, and catalogs never change while it runs.
 */
#define MEMO_SLOTS 512

struct memo_slot {
	const char *msgid;
	const char *translation;
};

static __thread struct memo_slot memo[LANG_COUNT][MEMO_SLOTS];

const char *i18n_gettext(enum lang l, const char *msgid)
{
	if (!msgid || !*msgid || (unsigned)l >= LANG_COUNT || !lang_locale[l])
		return msgid ? msgid : "";
	struct memo_slot *slot = &memo[l][((uintptr_t)msgid >> 3) % MEMO_SLOTS];
	if (slot->msgid == msgid)
		return slot->translation;
	locale_t previous = uselocale(lang_locale[l]);
	const char *s = dgettext(I18N_DOMAIN, msgid);
	uselocale(previous);
	slot->msgid = msgid;
	slot->translation = s;
	return s;
}

const char *i18n_ngettext(enum lang l, const char *singular, const char *plural, unsigned long n)
{
	if (!singular || !plural)
		return singular ? singular : plural ? plural : "";
	if ((unsigned)l >= LANG_COUNT || !lang_locale[l])
		return n == 1 ? singular : plural;
	locale_t previous = uselocale(lang_locale[l]);
	const char *s = dngettext(I18N_DOMAIN, singular, plural, n);
	uselocale(previous);
	return s;
}

/* ================================================================
 * 3. Formatting with ICU
 *
 * Opening an ICU formatter loads locale data and builds a pattern: slow next
 * to formatting, and a UDateFormat may not be shared between threads while
 * formatting.  So each thread opens its formatters on first use and keeps
 * them in a format_cache, freed by a pthread key destructor when the thread
 * exits.  Every cache is also on a global list so that i18n_shutdown can free
 * the lot; a generation counter tells a thread that its cache was freed.
 * ================================================================ */

enum { DATE_ONLY, DATE_AND_TIME, DATE_KINDS };

struct format_cache {
	struct format_cache *prev, *next;      /* all caches, under cache_lock */
	UDateFormat *gregorian[LANG_COUNT][DATE_KINDS];
	UDateFormat *hijri[LANG_COUNT];
	UNumberFormat *number[LANG_COUNT];
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct format_cache *cache_list;
static pthread_key_t cache_key;
static bool cache_key_live;
static atomic_uint cache_generation;
static __thread struct format_cache *thread_cache;
static __thread unsigned thread_cache_generation;

static void format_cache_close(struct format_cache *c)
{
	for (int l = 0; l < LANG_COUNT; l++) {
		for (int k = 0; k < DATE_KINDS; k++)
			if (c->gregorian[l][k])
				udat_close(c->gregorian[l][k]);
		if (c->hijri[l])
			udat_close(c->hijri[l]);
		if (c->number[l])
			unum_close(c->number[l]);
	}
	free(c);
}

static void cache_unlink(struct format_cache *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		cache_list = c->next;
	if (c->next)
		c->next->prev = c->prev;
}

/* format_cache_destroy: the pthread key destructor, at thread exit. */
static void format_cache_destroy(void *p)
{
	struct format_cache *c = p;
	pthread_mutex_lock(&cache_lock);
	cache_unlink(c);
	pthread_mutex_unlock(&cache_lock);
	format_cache_close(c);
}

static void format_caches_free_all(void)
{
	pthread_mutex_lock(&cache_lock);
	while (cache_list) {
		struct format_cache *c = cache_list;
		cache_unlink(c);
		format_cache_close(c);
	}
	/* Deleting the key means no destructor runs for the freed caches; glibc
	 * never hands a deleted key's old values to a new key. */
	if (cache_key_live) {
		pthread_key_delete(cache_key);
		cache_key_live = false;
	}
	atomic_fetch_add(&cache_generation, 1);
	pthread_mutex_unlock(&cache_lock);
}

/* format_cache_get: the calling thread's cache, created on first use. */
static struct format_cache *format_cache_get(void)
{
	if (thread_cache && thread_cache_generation == atomic_load(&cache_generation))
		return thread_cache;
	struct format_cache *c = xcalloc(1, sizeof *c);
	pthread_mutex_lock(&cache_lock);
	if (!cache_key_live && pthread_key_create(&cache_key, format_cache_destroy) == 0)
		cache_key_live = true;
	if (cache_key_live)
		pthread_setspecific(cache_key, c);
	c->next = cache_list;
	if (cache_list)
		cache_list->prev = c;
	cache_list = c;
	thread_cache_generation = atomic_load(&cache_generation);
	pthread_mutex_unlock(&cache_lock);
	thread_cache = c;
	return c;
}

/* append_uchars: s[0..n) as UTF-8 at the end of out. */
static void append_uchars(buf *out, const UChar *s, int32_t n)
{
	UErrorCode status = U_ZERO_ERROR;
	int32_t need = 0;
	u_strToUTF8(NULL, 0, &need, s, n, &status);
	if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status))
		return;
	if (need <= 0)
		return;
	buf_grow(out, (size_t)need);
	status = U_ZERO_ERROR;
	u_strToUTF8(out->data + out->len, need + 1, NULL, s, n, &status);
	if (U_FAILURE(status)) {
		out->data[out->len] = '\0';
		return;
	}
	out->len += (size_t)need;
	out->data[out->len] = '\0';
}

/*
 * date_format_open: a formatter for `locale` with the best pattern for the
 * CLDR skeleton (fields wanted, in no order: the locale decides order and
 * punctuation), in Asia/Riyadh.  NULL (logged) if ICU fails.
 */
static UDateFormat *date_format_open(const char *locale, const char *skeleton)
{
	UErrorCode status = U_ZERO_ERROR;
	UChar uskeleton[32], zone[32], pattern[128];
	u_charsToUChars(skeleton, uskeleton, (int32_t)strlen(skeleton) + 1);
	u_charsToUChars(I18N_TIME_ZONE, zone, (int32_t)sizeof I18N_TIME_ZONE);
	UDateTimePatternGenerator *generator = udatpg_open(locale, &status);
	int32_t pattern_len = 0;
	if (U_SUCCESS(status))
		pattern_len = udatpg_getBestPattern(generator, uskeleton, -1, pattern,
						    (int32_t)(sizeof pattern / sizeof pattern[0]),
						    &status);
	if (generator)
		udatpg_close(generator);
	UDateFormat *f = NULL;
	if (U_SUCCESS(status))
		f = udat_open(UDAT_PATTERN, UDAT_PATTERN, locale, zone, -1, pattern, pattern_len,
			      &status);
	if (U_FAILURE(status)) {
		log_error("i18n", "ICU cannot format dates for %s: %s", locale, u_errorName(status));
		if (f)
			udat_close(f);
		return NULL;
	}
	return f;
}

/*
 * ICU writes into a UChar array and says how long the result is; a result
 * longer than the array is an overflow error and the call is repeated with
 * room for it.  (A result that exactly fills the array is a success without
 * the NUL, which append_uchars does not need.)
 */
#define ICU_SMALL 128

/* format_udate: t formatted by f at the end of out; false if ICU failed. */
static bool format_udate(UDateFormat *f, time_t t, buf *out)
{
	UChar small[ICU_SMALL];
	UErrorCode status = U_ZERO_ERROR;
	UDate when = (UDate)t * 1000.0;
	int32_t n = udat_format(f, when, small, ICU_SMALL, NULL, &status);
	if (status == U_BUFFER_OVERFLOW_ERROR) {
		UChar *big = xcalloc((size_t)n + 1, sizeof *big);
		status = U_ZERO_ERROR;
		n = udat_format(f, when, big, n + 1, NULL, &status);
		if (U_SUCCESS(status))
			append_uchars(out, big, n);
		free(big);
		return U_SUCCESS(status);
	}
	if (U_FAILURE(status))
		return false;
	append_uchars(out, small, n);
	return true;
}

/* format_double: v formatted by f at the end of out; false if ICU failed. */
static bool format_double(UNumberFormat *f, double v, buf *out)
{
	UChar small[ICU_SMALL];
	UErrorCode status = U_ZERO_ERROR;
	int32_t n = unum_formatDouble(f, v, small, ICU_SMALL, NULL, &status);
	if (status == U_BUFFER_OVERFLOW_ERROR) {
		UChar *big = xcalloc((size_t)n + 1, sizeof *big);
		status = U_ZERO_ERROR;
		n = unum_formatDouble(f, v, big, n + 1, NULL, &status);
		if (U_SUCCESS(status))
			append_uchars(out, big, n);
		free(big);
		return U_SUCCESS(status);
	}
	if (U_FAILURE(status))
		return false;
	append_uchars(out, small, n);
	return true;
}

/* append_iso_date: the neutral fallback, "2026-11-25" (and " 14:30") in Riyadh. */
static void append_iso_date(time_t t, bool with_time, buf *out)
{
	time_t riyadh = t + I18N_RIYADH_OFFSET_SECONDS;
	struct tm tm;
	if (!gmtime_r(&riyadh, &tm))
		return;
	char s[64];
	size_t n = strftime(s, sizeof s, with_time ? "%Y-%m-%d %H:%M" : "%Y-%m-%d", &tm);
	buf_append(out, s, n);
}

void i18n_format_date(enum lang l, time_t t, bool with_time, buf *out)
{
	const struct language *lang = language_of(l);
	l = (enum lang)(lang - languages);
	struct format_cache *c = format_cache_get();
	int kind = with_time ? DATE_AND_TIME : DATE_ONLY;
	UDateFormat **f = &c->gregorian[l][kind];
	if (!*f)
		*f = date_format_open(lang->icu_gregorian, with_time ? "EEEEdMMMMyHm" : "EEEEdMMMMy");
	if (!*f || !format_udate(*f, t, out))
		append_iso_date(t, with_time, out);
}

void i18n_format_hijri(enum lang l, time_t t, buf *out)
{
	const struct language *lang = language_of(l);
	l = (enum lang)(lang - languages);
	struct format_cache *c = format_cache_get();
	UDateFormat **f = &c->hijri[l];
	if (!*f)
		*f = date_format_open(lang->icu_hijri, "GyMMMMd");
	/* No honest fallback: a Gregorian date here would be read as Hijri. */
	if (*f)
		format_udate(*f, t, out);
}

#define I18N_MAX_FRACTION_DIGITS 15 /* beyond this a double has no more digits */

void i18n_format_number(enum lang l, double v, int max_fraction_digits, buf *out)
{
	const struct language *lang = language_of(l);
	l = (enum lang)(lang - languages);
	if (max_fraction_digits < 0)
		max_fraction_digits = 0;
	if (max_fraction_digits > I18N_MAX_FRACTION_DIGITS)
		max_fraction_digits = I18N_MAX_FRACTION_DIGITS;
	struct format_cache *c = format_cache_get();
	UNumberFormat **f = &c->number[l];
	if (!*f) {
		UErrorCode status = U_ZERO_ERROR;
		*f = unum_open(UNUM_DECIMAL, NULL, 0, lang->icu_number, NULL, &status);
		if (U_FAILURE(status)) {
			log_error("i18n", "ICU cannot format numbers for %s: %s", lang->icu_number,
				  u_errorName(status));
			if (*f)
				unum_close(*f);
			*f = NULL;
		} else {
			unum_setAttribute(*f, UNUM_ROUNDING_MODE, UNUM_ROUND_HALFUP);
			unum_setAttribute(*f, UNUM_MIN_FRACTION_DIGITS, 0);
		}
	}
	if (*f) {
		unum_setAttribute(*f, UNUM_MAX_FRACTION_DIGITS, max_fraction_digits);
		if (format_double(*f, v, out))
			return;
	}
	/* Fallback: plain C formatting (the C locale never groups). */
	if (isfinite(v))
		buf_printf(out, "%.*f", max_fraction_digits, v);
}
