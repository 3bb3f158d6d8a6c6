/*
 * pages.h — handlers of the HTML pages.  Each renders a template from
 * templates/ through respond_page(); forms post back to the same address and
 * are shown again, with the reasons, when something needs fixing.
 */
#ifndef KHIBRA_PAGES_H
#define KHIBRA_PAGES_H

#include "http/request.h"

void page_home(request *r);
void page_about(request *r);
void page_privacy(request *r);
/* page_home_cache_free: drop the visitors' cached home pages (at shutdown). */
void page_home_cache_free(void);

void page_login_form(request *r);
void page_login(request *r);
void page_register_form(request *r);
void page_register(request *r);
void page_logout(request *r);
void page_forgot_form(request *r);
void page_forgot(request *r);
void page_reset_form(request *r);
void page_reset(request *r);
void page_verify_form(request *r);
void page_verify(request *r);

void page_account(request *r);
void page_dashboard(request *r);
void page_token_create(request *r);
void page_token_revoke(request *r);
void page_session_revoke(request *r);
void page_resend_verification(request *r);

/* page_ctx: a new page context with its translated title. */
json_t *page_ctx(request *r, const char *title_msgid);
/* page_form_ctx: page_ctx for a page with a form: also the CSRF token. */
json_t *page_form_ctx(request *r, const char *title_msgid);
/* page_number: a count to show, in the page language's digits and grouping
 * ("١٬٢٣٤" / "1,234") — never for values that go back into forms or links. */
json_t *page_number(request *r, int64_t v);
/* page_safe_next: `next` if it is a local path ("/x", not "//x"), else fallback. */
const char *page_safe_next(const char *next, const char *fallback);

#endif
