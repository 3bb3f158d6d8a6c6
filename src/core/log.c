/* log.c — JSON-lines logging; see log.h. */
#include "core/log.h"
#include "core/buf.h"

#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int quiet;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void log_set_quiet(int q) { quiet = q; }

void log_line(const char *json)
{
	pthread_mutex_lock(&log_lock);
	fputs(json, stderr);
	fputc('\n', stderr);
	pthread_mutex_unlock(&log_lock);
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
