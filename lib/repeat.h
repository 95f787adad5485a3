/* repeat.h: episodes grouped by child, for repeat-missing thresholds (N+ episodes in a span). */
#ifndef MP_REPEAT_H
#define MP_REPEAT_H

#include <stddef.h>
#include <stdint.h>

#include "episode.h"
#include "writer.h"

/*
 * One kept episode, 24 bytes: its start as the UK date and the seconds from
 * that date's midnight UTC (exact: a UK offset keeps them within a day and
 * two hours), its id (an mp_ids word), its child and where it was read (an
 * mp_lineno number).
 */
typedef struct mp_rep_ep {
	int32_t day;		/* UK local start date, days since 1970-01-01 */
	signed int sec : 20;		/* start instant - day * 86400 */
	unsigned type : 2;	/* enum mp_ep_type */
	unsigned has_time : 1;	/* the start had a time of day */
	uint32_t where;
	uint32_t child;		/* index of the child */
	uint64_t id;
} mp_rep_ep;

typedef struct mp_repeat mp_repeat;

mp_repeat *mp_repeat_new(void);
void mp_repeat_free(mp_repeat *r);

/*
 * Group the episodes by child (in place), sort each child's by start (then
 * type and where it was read) and drop duplicates (same type and start
 * instant): for each, dup(ctx, file and line of the one kept, of the one
 * dropped) is called before it goes.  Once only.  Returns the number dropped.
 */
size_t mp_repeat_finish(mp_repeat *r, void (*dup)(void *ctx, unsigned kfile, unsigned long kline, unsigned dfile,
						  unsigned long dline), void *ctx);

/*
 * The fullest span of days consecutive calendar days among n episodes
 * sorted by day: *first is the index of its first episode and the return
 * value how many start within [day[first], day[first] + days - 1].  Ties
 * go to the earliest span.  0 when n is 0.
 */
size_t mp_repeat_fullest(const mp_rep_ep *e, size_t n, int days, size_t *first);

/* --per: a span of days (none), calendar months or ISO weeks. */
enum mp_rep_per { MP_PER_NONE, MP_PER_MONTH, MP_PER_WEEK };
/* The key of a day's month (y*12+m-1) or ISO week (y*64+w). */
long mp_repeat_period(enum mp_rep_per per, int64_t day);
/* Its name, YYYY-MM or YYYY-Www, in buf (32 bytes); returns the length. */
size_t mp_repeat_period_name(char *buf, enum mp_rep_per per, long key);
/* The end of the run of e[i..n) (sorted) in the period of e[i], whose key goes in *key. */
size_t mp_repeat_period_run(enum mp_rep_per per, const mp_rep_ep *e, size_t n, size_t i, long *key);
/* Does any month or week of e[0..n) (sorted) hold min episodes? */
int mp_repeat_has_period(enum mp_rep_per per, const mp_rep_ep *e, size_t n, size_t min);

/* What mp-repeat lists: the threshold, the span and the types counted. */
typedef struct mp_rep_opts {
	long min;		/* at least min episodes */
	long window;		/* in a span of window calendar days (per is MP_PER_NONE) */
	enum mp_rep_per per;	/* or in one calendar month or ISO week */
	unsigned types;		/* the types counted: bit 1 << enum mp_ep_type */
	int as_of;		/* only the span of window days ending at as_of_utc */
	int64_t as_of_utc;
	int64_t as_of_day, from_day;	/* that span's last and first UK dates */
} mp_rep_opts;

/* What became of a row; MP_REP_NVERDICTS sizes a tally. */
enum mp_rep_verdict { MP_REP_COUNTED, MP_REP_OTHER_TYPE, MP_REP_OUTSIDE, MP_REP_REJECTED, MP_REP_NVERDICTS };

/*
 * One row of a stream bound to cols, from input file number file: decoded
 * (MP_REP_REJECTED: the column in *col, the message in msg, for the caller
 * to report), left out if it starts outside the --as-of span, its values
 * kept if it is the child's latest row, then added if of a counted type.
 */
enum mp_rep_verdict mp_repeat_count(mp_repeat *r, const mp_rep_opts *o, const mp_colmap *cols,
				    const mp_record *rec, unsigned file, const char **col, char *msg, size_t msgsz);

/*
 * After finish: the header, then the children with o->min episodes in a
 * span (or in a month or week: a row for each such period), in id order.
 */
void mp_repeat_write(const mp_repeat *r, const mp_rep_opts *o, mp_writer *w);

/* ISO 8601 week of a day: *year is the week-numbering year, *week 1-53. */
void mp_iso_week(int64_t day, int *year, int *week);

#endif
