/* A list of user-facing messages collected while working (data-file problems, warnings). */
#ifndef SR_MSGS_H
#define SR_MSGS_H

struct sr_msgs {
	char **v;
	int n;
};

void sr_msgs_add(struct sr_msgs *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sr_msgs_free(struct sr_msgs *m);

#endif
