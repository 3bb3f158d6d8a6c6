// fuzz-sources:
// fuzz-libs: libmicrohttpd
/*
 * multipart_fuzz.c — libFuzzer target for multipart/form-data bodies as
 * Khibra reads them: libmicrohttpd's post-processor, created on a real
 * connection exactly as http/server.c does (MHD_create_post_processor(conn,
 * 16 * 1024, …)), fed the body in the chunks MHD hands over, with a field
 * callback that keeps fields under Khibra's limits like server.c's
 * on_post_field (which is static, so its logic is copied here).
 *
 * MHD_create_post_processor needs a real MHD_Connection, so the first call
 * starts one daemon on a loopback port (kept for the process); each input is
 * sent as the body of "POST /upload" with Content-Type multipart/form-data;
 * boundary=KhibraFuzzBoundary over a socket to 127.0.0.1, and the answer is
 * read before the next input.  libmicrohttpd itself is not instrumented for
 * coverage, so only this file's branches guide the fuzzer; ASan still checks
 * every byte the callback is handed (it is copied and scanned here).
 *
 * Checked besides "no crash, no leak, no undefined behaviour": every field
 * the callback sees has a NUL-terminated key or none (an unquoted name gives
 * NULL; such a part is refused), chunks of one field arrive at
 * increasing offsets, and the request ends with at most LIMIT_FORM_FIELDS
 * fields, none longer than its limit.
 */
#include "core/limits.h"

#include "loopback.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BOUNDARY "KhibraFuzzBoundary"
#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

struct field {
	char *name;
	char *value;
	size_t len;
	bool upload;
	bool too_large;
	uint64_t next_off;
};

struct upload {
	struct MHD_PostProcessor *post;
	struct field fields[LIMIT_FORM_FIELDS];
	int nfields;
	bool form_error;
};

/* on_field: server.c's on_post_field, with fixed storage and checks. */
static enum MHD_Result on_field(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
				const char *content_type, const char *transfer_encoding, const char *data,
				uint64_t off, size_t size)
{
	(void)kind;
	(void)transfer_encoding;
	struct upload *u = cls;
	/* libmicrohttpd 0.9.75 passes key == NULL for a part whose name is not
	 * quoted (Content-Disposition: form-data; name=bio).  server.c's
	 * on_post_field calls xstrdup(key) on it and crashes: see the report
	 * of 2026-11 (issue 5 item 4).  Here, as in the proposed fix, such a
	 * part is a form error. */
	if (!key) {
		u->form_error = true;
		return MHD_YES;
	}
	(void)strlen(key);
	if (filename)
		(void)strlen(filename);
	if (content_type)
		(void)strlen(content_type);
	struct field *f = NULL;
	if (off > 0 && u->nfields > 0 && strcmp(u->fields[u->nfields - 1].name, key) == 0)
		f = &u->fields[u->nfields - 1];
	if (!f) {
		if (u->nfields >= LIMIT_FORM_FIELDS) {
			u->form_error = true;
			return MHD_YES;
		}
		f = &u->fields[u->nfields++];
		*f = (struct field){ .name = strdup(key), .value = strdup(""), .upload = filename != NULL };
		CHECK(f->name && f->value);
	}
	if (off > 0)
		CHECK(off >= f->next_off);
	f->next_off = off + size;
	size_t limit = f->upload ? LIMIT_UPLOAD_BYTES : LIMIT_FIELD_BYTES;
	if (f->too_large || f->len + size > limit) {
		f->too_large = true;
		u->form_error = true;
		return MHD_YES;
	}
	if (size) {
		char *grown = realloc(f->value, f->len + size + 1);
		CHECK(grown);
		f->value = grown;
		memcpy(f->value + f->len, data, size); /* ASan checks MHD's data */
		f->len += size;
		f->value[f->len] = '\0';
	}
	return MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	struct upload *u = *con_cls;
	if (!u)
		return;
	if (u->post)
		MHD_destroy_post_processor(u->post);
	CHECK(u->nfields <= LIMIT_FORM_FIELDS);
	for (int i = 0; i < u->nfields; i++) {
		CHECK(u->fields[i].len <= (u->fields[i].upload ? LIMIT_UPLOAD_BYTES : LIMIT_FIELD_BYTES));
		CHECK(u->fields[i].value[u->fields[i].len] == '\0');
		free(u->fields[i].name);
		free(u->fields[i].value);
	}
	free(u);
	*con_cls = NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	(void)cls;
	(void)url;
	(void)method;
	(void)version;
	struct upload *u = *con_cls;
	if (!u) {
		u = calloc(1, sizeof *u);
		CHECK(u);
		u->post = MHD_create_post_processor(conn, 16 * 1024, on_field, u);
		*con_cls = u;
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (u->post && MHD_post_process(u->post, upload_data, *upload_data_size) != MHD_YES)
			u->form_error = true;
		*upload_data_size = 0;
		return MHD_YES;
	}
	static char answer[] = "ok";
	struct MHD_Response *resp = MHD_create_response_from_buffer(2, answer, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret = MHD_queue_response(conn, u->form_error ? 422 : 200, resp);
	MHD_destroy_response(resp);
	return ret;
}

static uint16_t port;

static void start_daemon(void)
{
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, NULL,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		(size_t)LIMIT_HEADER_BYTES, MHD_OPTION_SOCK_ADDR,
		(const struct sockaddr *)&(struct sockaddr_in){ .sin_family = AF_INET,
								 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) },
		MHD_OPTION_END);
	CHECK(d);
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	CHECK(info && info->port);
	port = info->port;
	/* The daemon lives as long as the process. */
}

static bool send_all(int fd, const void *p, size_t len)
{
	const char *c = p;
	while (len > 0) {
		ssize_t n = send(fd, c, len, MSG_NOSIGNAL);
		if (n <= 0)
			return false;
		c += n;
		len -= (size_t)n;
	}
	return true;
}

/* One keep-alive connection for the whole run: opening a socket per input
 * (5,000 a second) filled the loopback's port space with TIME-WAIT entries
 * until connect() failed, which the run reported as a crash. */
static int conn_fd = -1;

/* read_reply: one HTTP response, headers and Content-Length body.  False when
 * the daemon closed the connection (then it is opened again). */
static bool read_reply(int fd)
{
	char buf[4096];
	size_t have = 0;
	char *end = NULL;
	while (!end) {
		if (have == sizeof buf - 1)
			return false;
		ssize_t n = recv(fd, buf + have, sizeof buf - 1 - have, 0);
		if (n <= 0)
			return false;
		have += (size_t)n;
		buf[have] = '\0';
		end = strstr(buf, "\r\n\r\n");
	}
	size_t body = 0;
	const char *cl = strcasestr(buf, "\r\ncontent-length:");
	if (cl)
		body = strtoul(cl + 17, NULL, 10);
	bool closing = strcasestr(buf, "\r\nconnection: close") != NULL;
	size_t got = have - (size_t)(end + 4 - buf);
	while (got < body) {
		ssize_t n = recv(fd, buf, sizeof buf, 0);
		if (n <= 0)
			return false;
		got += (size_t)n;
	}
	return !closing;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!port)
		start_daemon();
	if (size > LIMIT_FIELD_BYTES)
		return 0;
	char head[256];
	int n = snprintf(head, sizeof head,
			 "POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
			 "Content-Type: multipart/form-data; boundary=" BOUNDARY "\r\n"
			 "Content-Length: %zu\r\n\r\n",
			 size);
	for (int attempt = 0; attempt < 2; attempt++) {
		if (conn_fd < 0)
			conn_fd = loopback_connect(port, 0, "multipart_fuzz");
		/* The answer is read to its end, so this input is done before the next. */
		bool sent = send_all(conn_fd, head, (size_t)n) && send_all(conn_fd, data, size);
		bool kept = sent && read_reply(conn_fd);
		if (!kept) {
			close(conn_fd);
			conn_fd = -1;
		}
		if (sent)
			break;
	}
	return 0;
}
