/*
 * page_account.h — account pages added beside those of pages.h (page_account.c).
 */
#ifndef KHIBRA_PAGE_ACCOUNT_H
#define KHIBRA_PAGE_ACCOUNT_H

#include "http/request.h"

/* POST /account/language (form: locale=ar|en): save the person's language. */
void page_account_language(request *r);

#endif
