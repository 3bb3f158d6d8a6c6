/*
 * config.h — settings from flags and KHIBRA_* environment variables.
 * A flag beats the environment, which beats the default.  A bad setting
 * stops start-up with one clear line.
 */
#ifndef KHIBRA_CONFIG_H
#define KHIBRA_CONFIG_H

#include "http/app.h"

/* config_load: fill cfg from the environment, then from argv (the options
 * after the sub-command).  Unknown options are errors unless listed in
 * `extra` (e.g. {"--email", "--name", NULL}), whose values go to extra_values. */
bool config_load(struct app_config *cfg, int argc, char **argv, const char *const *extra, const char **extra_values,
		 char *err, size_t errlen);
void config_free(struct app_config *cfg);

#endif
