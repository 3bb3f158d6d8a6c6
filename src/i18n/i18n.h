/*
 * i18n.h — languages, gettext and locale-aware formatting.
 *
 * Khibra speaks Arabic (the default, right-to-left) and English.  Messages are
 * English msgids translated through gettext catalogs (po/ar.po, po/en.po,
 * compiled to build/locale/LANG/LC_MESSAGES/khibra.mo).  The language is
 * chosen per request, so translation switches the calling thread's locale with
 * uselocale() around dgettext(): safe in a multithreaded server.
 */
#ifndef KHIBRA_I18N_H
#define KHIBRA_I18N_H

#include "core/buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

enum lang { LANG_AR = 0, LANG_EN = 1 };
#define LANG_COUNT 2
#define LANG_DEFAULT LANG_AR

/* i18n_init: bind the "khibra" text domain to `localedir` and create the
 * per-language locales.  Returns false (with a line in err) if a locale is
 * missing — scripts/install-deps.sh generates them. */
bool i18n_init(const char *localedir, char *err, size_t errlen);
/* i18n_shutdown: free the locales and every thread's ICU formatters.  Call it
 * once no other thread translates or formats any more (after the server's
 * workers have stopped); i18n_init may be called again afterwards. */
void i18n_shutdown(void);

const char *i18n_code(enum lang l);      /* "ar" / "en" */
const char *i18n_dir(enum lang l);       /* "rtl" / "ltr" */
const char *i18n_native_name(enum lang l); /* "العربية" / "English" */
/* i18n_parse: "ar", "ar-SA", "EN_us" … → language; false if not one we speak. */
bool i18n_parse(const char *code, enum lang *out);
/* i18n_accept_language: best supported language of an Accept-Language header,
 * honouring q-values; false if none is acceptable. */
bool i18n_accept_language(const char *header, enum lang *out);
/* i18n_negotiate: ?lang= beats the lang cookie beats the user's setting beats
 * Accept-Language beats Arabic.  Any argument may be NULL. */
enum lang i18n_negotiate(const char *query, const char *cookie, const char *user_locale,
			 const char *accept_language);

/* i18n_gettext / i18n_ngettext return the translation for language `l` (the
 * msgid itself when there is none, before i18n_init and after
 * i18n_shutdown).  The string lives in the loaded catalog for the rest of the
 * process: never free it.  n selects the plural form with the catalog's own
 * Plural-Forms rule (six forms in Arabic). */
/* i18n_gettext: the translation of msgid.  msgid must live as long as the
 * process (a literal, or a string of the loaded templates): translations are
 * memoised per thread by its address. */
const char *i18n_gettext(enum lang l, const char *msgid);
const char *i18n_ngettext(enum lang l, const char *singular, const char *plural, unsigned long n);

/* Locale-aware formatting (ICU).  Each appends to `out`; times are shown in
 * Asia/Riyadh.  These need no i18n_init.  Each thread keeps its own ICU
 * formatters, created on first use and freed when the thread exits.
 *
 * i18n_format_date: Gregorian, "الأربعاء، ٢٥ نوفمبر ٢٠٢٦" / "Wednesday,
 *   25 November 2026"; with_time adds 24-hour "HH:mm" ("… في ١٤:٣٠" /
 *   "… at 14:30").
 * i18n_format_hijri: the Umm al-Qura date, "١٥ جمادى الآخرة ١٤٤٨ هـ" /
 *   "15 Jumada II 1448 AH".
 * i18n_format_number: grouping and the language's digits ("١٢٬٣٤٥٫٦٧" /
 *   "12,345.67"); at most max_fraction_digits (0 … 15) after the point,
 *   rounding half up, trailing zeros dropped. */
void i18n_format_date(enum lang l, time_t t, bool with_time, buf *out);
void i18n_format_hijri(enum lang l, time_t t, buf *out);
void i18n_format_number(enum lang l, double v, int max_fraction_digits, buf *out);

/* N_: mark a string for extraction without translating it here. */
#define N_(s) (s)

#endif
