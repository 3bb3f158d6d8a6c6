/*
 * limits.h — every hard limit in Khibra, named, in one place.
 */
#ifndef KHIBRA_LIMITS_H
#define KHIBRA_LIMITS_H

#define LIMIT_BODY_BYTES        (1024u * 1024u)        /* JSON or form body: 1 MiB → 413 */
#define LIMIT_UPLOAD_BYTES      (10u * 1024u * 1024u)  /* one multipart upload: 10 MiB → 413 */
#define LIMIT_MULTIPART_BYTES   (LIMIT_UPLOAD_BYTES + 64u * 1024u) /* whole multipart body */
#define LIMIT_HEADER_BYTES      (16u * 1024u)          /* all header lines of a request → 431 */
/* libmicrohttpd's memory per connection: it holds the request line and the
 * header lines while they are read, plus about 65 bytes of MHD's own
 * bookkeeping per line, so it is MHD's ceiling.  Measured with 0.9.75: one
 * header line of up to ~127 KiB, or ~120 KiB in 100 lines, meets Khibra's own
 * 431 (server.c, any block over LIMIT_HEADER_BYTES); past that MHD answers
 * its bare 431 (no security headers, no JSON) and closes — MHD has no hook
 * for it.  A legal block (≤ 16 KiB) reaches Khibra unless it has more than
 * ~1700 lines.  The cost is this much (mostly untouched) memory per open
 * connection. */
#define LIMIT_CONNECTION_MEMORY (8u * LIMIT_HEADER_BYTES)
#define LIMIT_URI_BYTES         2048u
#define LIMIT_FORM_FIELDS       64                     /* fields in one form */
#define LIMIT_FIELD_BYTES       (64u * 1024u)          /* one form field */
#define LIMIT_ROUTE_PARAMS      4                      /* {id} parameters in one path */

#define LIMIT_EMAIL_BYTES       254
#define LIMIT_NAME_BYTES        120
#define LIMIT_PASSWORD_MIN      10                     /* characters (code points) */
#define LIMIT_PASSWORD_MAX      256
#define LIMIT_TOKEN_NAME_BYTES  80

#define PAGE_DEFAULT_LIMIT      20
#define PAGE_MAX_LIMIT          100

#define SESSION_IDLE_SECONDS     (7 * 24 * 3600)       /* idle expiry */
#define SESSION_ABSOLUTE_SECONDS (30 * 24 * 3600)      /* absolute expiry */
#define SESSION_TOUCH_SECONDS    300                   /* refresh last_seen at most this often */
#define EMAIL_TOKEN_SECONDS      (24 * 3600)           /* verification link lifetime */
#define RESET_TOKEN_SECONDS      3600                  /* password-reset link lifetime */

#define RATE_WINDOW_SECONDS      (15 * 60)
#define RATE_LOGIN_PER_ACCOUNT   10                    /* failed logins per account per window */
#define RATE_LOGIN_PER_ADDRESS   50                    /* failed logins per address per window */
#define RATE_REGISTER_WINDOW     3600
#define RATE_REGISTER_PER_ADDRESS 100
#define RATE_RESET_PER_ADDRESS   20                    /* reset e-mails per address per hour */

#define SHUTDOWN_GRACE_SECONDS   10                    /* in-flight requests get this long */

#endif
