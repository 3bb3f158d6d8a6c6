/* commands.h — the sub-commands of the khibra binary (cli/main.c). */
#ifndef KHIBRA_COMMANDS_H
#define KHIBRA_COMMANDS_H

#include "store/db.h"

/* command_demo: load the demo data set; `data_dir` holds uploaded files and keys. */
int command_demo(db *d, const char *data_dir);

#endif
