/* commands.h — the sub-commands of the khibra binary (cli/main.c). */
#ifndef KHIBRA_COMMANDS_H
#define KHIBRA_COMMANDS_H

#include "store/db.h"

int command_demo(db *d);

#endif
