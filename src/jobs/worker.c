/*
 * worker.c — the worker thread and its tick (worker.h).
 *
 * One worker per process.  It sleeps on a condition variable for the poll
 * interval, so jobs_worker_kick() (new mail queued) and jobs_worker_stop()
 * (SIGTERM) wake it at once.
 */
#include "jobs/worker.h"
#include "core/log.h"
#include "store/jobs.h"
#include "store/store.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t worker_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t worker_wake;
static pthread_t worker_thread;
static bool worker_running;
static atomic_bool worker_stop; /* read by jobs_tick outside the lock */
static bool worker_kicked;
static struct jobs_env worker_env;
static int worker_interval_ms;

void jobs_worker_name(char *out, size_t size)
{
	char host[64] = "localhost";
	gethostname(host, sizeof host - 1);
	host[sizeof host - 1] = '\0';
	snprintf(out, size, "%s:%ld", host, (long)getpid());
}

int jobs_tick(const struct jobs_env *env, int max_jobs, const atomic_bool *stop)
{
	db_conn *c = db_acquire(env->db);
	if (!c) {
		log_error("jobs", "no database connection; the jobs wait for the next tick");
		return 0;
	}
	int64_t now = time(NULL);
	int st = jobs_scan(c, now);
	if (st != DB_OK)
		log_error("jobs", "the reminder and nudge scan failed (%d)", st);
	int ran = 0;
	while (ran < max_jobs && !(stop && atomic_load(stop))) {
		int r = jobs_run_one(env, c, (int64_t)time(NULL));
		if (r <= 0)
			break;
		ran++;
	}
	db_release(c);
	return ran;
}

/* deadline_after: CLOCK_MONOTONIC now + ms, for pthread_cond_timedwait. */
static struct timespec deadline_after(int ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

static void *worker_main(void *arg)
{
	(void)arg;
	log_info("jobs", "worker %s started, every %d ms", worker_env.worker_id, worker_interval_ms);
	pthread_mutex_lock(&worker_lock);
	while (!atomic_load(&worker_stop)) {
		worker_kicked = false;
		pthread_mutex_unlock(&worker_lock);
		jobs_tick(&worker_env, 100, &worker_stop);
		pthread_mutex_lock(&worker_lock);
		struct timespec until = deadline_after(worker_interval_ms);
		while (!atomic_load(&worker_stop) && !worker_kicked)
			if (pthread_cond_timedwait(&worker_wake, &worker_lock, &until) != 0)
				break; /* the interval is over */
	}
	pthread_mutex_unlock(&worker_lock);
	log_info("jobs", "worker stopped");
	return NULL;
}

bool jobs_worker_start(const struct jobs_env *env, int interval_ms)
{
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&worker_wake, &attr);
	pthread_condattr_destroy(&attr);
	worker_env = *env;
	worker_interval_ms = interval_ms > 0 ? interval_ms : JOBS_DEFAULT_INTERVAL_MS;
	atomic_store(&worker_stop, false);
	worker_kicked = false;
	/* The thread inherits this mask: SIGTERM and SIGINT stay with the main
	 * thread's sigwait(). */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	int rc = pthread_create(&worker_thread, NULL, worker_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		pthread_cond_destroy(&worker_wake);
		return false;
	}
	pthread_mutex_lock(&worker_lock);
	worker_running = true;
	pthread_mutex_unlock(&worker_lock);
	return true;
}

void jobs_worker_kick(void)
{
	pthread_mutex_lock(&worker_lock);
	if (worker_running) {
		worker_kicked = true;
		pthread_cond_signal(&worker_wake);
	}
	pthread_mutex_unlock(&worker_lock);
}

void jobs_worker_stop(void)
{
	pthread_mutex_lock(&worker_lock);
	bool running = worker_running;
	if (running) {
		atomic_store(&worker_stop, true);
		pthread_cond_signal(&worker_wake);
	}
	pthread_mutex_unlock(&worker_lock);
	if (!running)
		return;
	pthread_join(worker_thread, NULL);
	pthread_mutex_lock(&worker_lock);
	worker_running = false;
	pthread_mutex_unlock(&worker_lock);
	pthread_cond_destroy(&worker_wake);
}
