/*
 * page_static.c — pages whose content is the template itself: about the
 * platform, and the privacy notice.
 */
#include "web/pages.h"

void page_about(request *r)
{
	respond_page(r, 200, "about", page_ctx(r, N_("About the platform")));
}

void page_privacy(request *r)
{
	respond_page(r, 200, "privacy", page_ctx(r, N_("Privacy")));
}
