/* jobs_cmd.h — `khibra jobs`: the job queue for operators (jobs_cmd.c). */
#ifndef KHIBRA_JOBS_CMD_H
#define KHIBRA_JOBS_CMD_H

/* command_jobs: `khibra jobs [--db URL]` lists pending and dead jobs, one
 * line each; `khibra jobs run --once [--db URL] [--data DIR]` runs one tick
 * of the worker (scan, then the due jobs) and exits.  argv starts after
 * "jobs".  Returns the exit status. */
int command_jobs(int argc, char **argv);

#endif
