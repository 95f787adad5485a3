/* history.h: what mp-validate remembers of each child, for the overlap and duplicate checks. */
#ifndef MP_HISTORY_H
#define MP_HISTORY_H

#include <stddef.h>
#include <stdint.h>

/*
 * A point in time: v is seconds since the epoch (UTC) when exact is set or
 * the value is a date-time; for a date alone v is that day's local midnight
 * and exact is 0, so comparisons with it are made by calendar day.  The
 * national return's dates are stored as day numbers with exact set (they
 * are compared as whole days throughout).
 */
typedef struct mp_pt {
	int64_t v;
	int exact;
} mp_pt;

/* Where an earlier episode came from. */
typedef struct mp_where {
	long line;
	int file;		/* index given to mp_history_add */
	mp_pt start, end;
	int open;
} mp_where;

/* What adding one episode found. */
typedef struct mp_hist_result {
	int dup;		/* same child, type and start as dup_of */
	mp_where dup_of;
	int nover;		/* 0..2 overlapping neighbours in the national order */
	mp_where over[2];
	int over_later[2];	/* 1: the national return flags the other (earlier) row */
} mp_hist_result;

typedef struct mp_history mp_history;

/* dups: detect duplicates; overlaps: keep intervals for the overlap check. */
mp_history *mp_history_new(int dups, int overlaps);
void mp_history_free(mp_history *h);

/*
 * Add one episode of child (its id, compared itself), type (a small code), start, end (ignored
 * when open).  A duplicate is reported and not added; otherwise it is placed
 * in the child's episodes, ordered as the national return orders them (by
 * end, or start where open, then start, then arrival), and its neighbours
 * there are checked: an overlap is where the earlier one is still open or
 * the later one starts before the earlier one ends.
 */
void mp_history_add(mp_history *h, const char *child, size_t len, int type, mp_pt start, mp_pt end,
		    int open, long line, int file, mp_hist_result *res);

/* Start loading the child's slot into the cache (call early, add later). */
void mp_history_prefetch(const mp_history *h, const char *child, size_t len);

/* Compare two points (by calendar day when either is a date alone). */
int mp_pt_cmp(mp_pt a, mp_pt b);

/* Children seen, episodes kept, and bytes of memory held. */
void mp_history_stats(const mp_history *h, size_t *children, size_t *episodes, size_t *bytes);

#endif
