/*
 * whose.h: whose children a figure or a list counts.  A council counts its
 * own children (responsible_la blank, or this council) apart from children
 * placed in its area by other councils (responsible_la another council).
 * This council is --la, else the one value of the data's la column; both
 * are known only once the input is read, so callers keep responsible_la
 * and decide at the end.
 */
#ifndef MP_WHOSE_H
#define MP_WHOSE_H

#include <stddef.h>

enum mp_children { MP_CHILDREN_OWN, MP_CHILDREN_PLACED_HERE, MP_CHILDREN_ALL };

/* "own", "placed-here", "all" -> the enum; -1 when unknown. */
int mp_children_parse(const char *arg);
extern const char *const mp_children_names[];	/* indexed by enum mp_children */

/* The la values of a stream: the first non-empty one, and whether another differs. */
typedef struct mp_la_seen {
	char *first;
	char *other;		/* a second value, for the message */
} mp_la_seen;

void mp_la_see(mp_la_seen *s, const char *v, size_t n);
/* Add what src saw into dst; src is emptied. */
void mp_la_merge(mp_la_seen *dst, mp_la_seen *src);
void mp_la_free(mp_la_seen *s);

/* This council: given (--la, when not NULL), else the one la value seen; NULL when unknown. */
const char *mp_la_council(const mp_la_seen *s, const char *given);

/*
 * Whether a child whose responsible council is resp[0..n) is counted under
 * mode, this council being la (NULL: unknown): 1 yes, 0 no, -1 cannot tell
 * (resp is set and la is unknown).  Council codes compare without regard
 * to ASCII case or surrounding spaces.
 */
int mp_children_keep(enum mp_children mode, const char *la, const char *resp, size_t n);

/* Why the council is unknown, for an error message naming the la column and --la. */
void mp_la_unknown_msg(const mp_la_seen *s, enum mp_children mode, char *buf, size_t bufsz);

#endif
