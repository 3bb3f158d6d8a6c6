/* log.c — JSON-lines logging; see log.h. */
#include "core/log.h"
#include "core/buf.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int quiet;

void log_set_quiet(int q) { quiet = q; }

/* log_line: one write(2) per line, so lines from many threads never
 * interleave (O_APPEND files and pipes take a whole write at once) and no
 * lock is held while the kernel works. */
void log_line(const char *json)
{
	size_t n = strlen(json);
	char small[1024];
	char *line = n + 1 <= sizeof small ? small : malloc(n + 1);
	if (!line)
		return;
	memcpy(line, json, n);
	line[n] = '\n';
	size_t off = 0;
	while (off < n + 1) {
		ssize_t w = write(STDERR_FILENO, line + off, n + 1 - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	if (line != small)
		free(line);
}

static void log_v(const char *level, const char *component, const char *fmt, va_list ap)
{
	buf msg = BUF_INIT;
	buf_vprintf(&msg, fmt, ap);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	json_t *o = json_pack("{s:f, s:s, s:s, s:s}",
			      "ts", (double)ts.tv_sec + (double)ts.tv_nsec / 1e9,
			      "level", level, "component", component, "msg", msg.data);
	char *line = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	if (line) {
		log_line(line);
		free(line);
	}
	json_decref(o);
	buf_free(&msg);
}

void log_info(const char *component, const char *fmt, ...)
{
	if (quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	log_v("info", component, fmt, ap);
	va_end(ap);
}

void log_error(const char *component, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_v("error", component, fmt, ap);
	va_end(ap);
}
