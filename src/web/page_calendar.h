/*
 * page_calendar.h — the personal calendar page and the private iCalendar
 * feed (routes section "calendar").
 */
#ifndef KHIBRA_PAGE_CALENDAR_H
#define KHIBRA_PAGE_CALENDAR_H

#include "http/request.h"

void page_calendar(request *r);              /* GET /calendar?month=YYYY-MM */
void page_calendar_feed(request *r);         /* POST /calendar/feed: make or replace the link */
void page_calendar_feed_revoke(request *r);  /* POST /calendar/feed/revoke */
void page_calendar_ics(request *r);          /* GET /calendar/{token}.ics, no cookies needed */

#endif
