/* metrics.c — see metrics.h. */
#include "http/metrics.h"
#include "core/xalloc.h"
#include "store/db.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_SERIES 512

static const double bucket_bounds[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5 };
#define BUCKETS (sizeof bucket_bounds / sizeof bucket_bounds[0])

struct series {
	const char *route; /* points into the static route table or a literal */
	const char *method;
	int status;
	unsigned long long count;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct series series[MAX_SERIES];
static int nseries;
static unsigned long long bucket_counts[BUCKETS];
static unsigned long long duration_count;
static double duration_sum;
static atomic_int inflight;
static time_t started;

void metrics_reset(void)
{
	pthread_mutex_lock(&lock);
	nseries = 0;
	memset(bucket_counts, 0, sizeof bucket_counts);
	duration_count = 0;
	duration_sum = 0;
	started = time(NULL);
	pthread_mutex_unlock(&lock);
}

void metrics_inflight(int delta)
{
	atomic_fetch_add(&inflight, delta);
}

void metrics_record(const char *route, const char *method, int status, double seconds)
{
	pthread_mutex_lock(&lock);
	if (!started)
		started = time(NULL);
	int i;
	for (i = 0; i < nseries; i++)
		if (series[i].status == status && strcmp(series[i].route, route) == 0 &&
		    strcmp(series[i].method, method) == 0)
			break;
	if (i == nseries && nseries < MAX_SERIES) {
		series[i].route = route;
		series[i].method = method;
		series[i].status = status;
		series[i].count = 0;
		nseries++;
	}
	if (i < nseries)
		series[i].count++;
	for (size_t b = 0; b < BUCKETS; b++)
		if (seconds <= bucket_bounds[b])
			bucket_counts[b]++;
	duration_count++;
	duration_sum += seconds;
	pthread_mutex_unlock(&lock);
}

void metrics_render(buf *out)
{
	pthread_mutex_lock(&lock);
	buf_puts(out, "# HELP khibra_http_requests_total HTTP requests by route pattern, method and status.\n"
		      "# TYPE khibra_http_requests_total counter\n");
	for (int i = 0; i < nseries; i++)
		buf_printf(out, "khibra_http_requests_total{route=\"%s\",method=\"%s\",status=\"%d\"} %llu\n",
			   series[i].route, series[i].method, series[i].status, series[i].count);
	buf_puts(out, "# HELP khibra_http_request_duration_seconds Time to answer a request.\n"
		      "# TYPE khibra_http_request_duration_seconds histogram\n");
	for (size_t b = 0; b < BUCKETS; b++)
		buf_printf(out, "khibra_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n", bucket_bounds[b],
			   bucket_counts[b]);
	buf_printf(out, "khibra_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n", duration_count);
	buf_printf(out, "khibra_http_request_duration_seconds_sum %.6f\n", duration_sum);
	buf_printf(out, "khibra_http_request_duration_seconds_count %llu\n", duration_count);
	time_t start = started;
	pthread_mutex_unlock(&lock);
	buf_printf(out, "# HELP khibra_http_requests_in_flight Requests being answered now.\n"
			"# TYPE khibra_http_requests_in_flight gauge\nkhibra_http_requests_in_flight %d\n",
		   atomic_load(&inflight));
	buf_printf(out, "# HELP khibra_db_seconds_total Time spent in the database.\n"
			"# TYPE khibra_db_seconds_total counter\nkhibra_db_seconds_total %.6f\n",
		   (double)db_time_total_us() / 1e6);
	buf_printf(out, "# HELP khibra_db_queries_total Database statements run.\n"
			"# TYPE khibra_db_queries_total counter\nkhibra_db_queries_total %llu\n",
		   (unsigned long long)db_queries_total());
	buf_printf(out, "# HELP khibra_process_start_time_seconds Start time of the process.\n"
			"# TYPE khibra_process_start_time_seconds gauge\nkhibra_process_start_time_seconds %lld\n",
		   (long long)start);
}
