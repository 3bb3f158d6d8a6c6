/*
 * demo_messages.h — a short Arabic exchange on one demo application and one
 * demo help request (demo_messages.c).
 */
#ifndef KHIBRA_DEMO_MESSAGES_H
#define KHIBRA_DEMO_MESSAGES_H

#include "store/db.h"

#include <stdint.h>

/* demo_messages: idempotent (a thread that holds messages is left alone);
 * needs the sealing key loaded (the help-request demo loads it), so run it
 * after demo_help.  0 on success. */
int demo_messages(db_conn *c, int64_t now);

#endif
