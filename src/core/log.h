/*
 * log.h — structured logs: one JSON object per line on standard error.
 *
 * log_error/log_info take a component ("db", "http", "mail") and a printf
 * message; the access log (http/server.c) writes its own richer lines through
 * log_line().  Messages are JSON-escaped here, so any text is safe to log.
 */
#ifndef KHIBRA_LOG_H
#define KHIBRA_LOG_H

void log_info(const char *component, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_error(const char *component, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* log_line: write one already-formed JSON line (no trailing newline needed). */
void log_line(const char *json);
/* log_set_quiet: silence info lines (tests, commands that print progress). */
void log_set_quiet(int quiet);

#endif
