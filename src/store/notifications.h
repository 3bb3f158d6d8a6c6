/*
 * notifications.h — in-app notifications.  A row keeps a `kind` and its
 * `params` (a JSON object) rather than text, so that it is rendered in the
 * reader's language when shown (auth/notify.h renders and sends them).
 * Conventions as in store.h.
 */
#ifndef KHIBRA_STORE_NOTIFICATIONS_H
#define KHIBRA_STORE_NOTIFICATIONS_H

#include "store/store.h"

struct notification_record {
	int64_t id;
	int64_t user_id;
	char *kind;
	char *params;      /* JSON object text */
	char *link;        /* local path, may be "" */
	int64_t created_at;
	int64_t read_at;   /* 0 while unread */
};
void notification_records_free(struct notification_record *list, int count);

int store_notification_create(db_conn *c, int64_t user_id, const char *kind, const char *params_json,
			      const char *link, int64_t now, int64_t *id);
/* store_notifications_list: the person's notifications, newest first, after
 * `cursor` (the last id already shown; 0 for the newest).  At most `limit`;
 * *more says whether more follow. */
int store_notifications_list(db_conn *c, int64_t user_id, int64_t cursor, int limit,
			     struct notification_record **out, int *count, bool *more);
int store_notifications_unread(db_conn *c, int64_t user_id, int64_t *count);
/* store_notifications_mark_read: mark the person's unread notifications
 * among `ids` read — all of them when ids is NULL.  Others' ids are ignored.
 * *changed (may be NULL) gets how many changed. */
int store_notifications_mark_read(db_conn *c, int64_t user_id, const int64_t *ids, int nids, int64_t now,
				  int64_t *changed);

#endif
