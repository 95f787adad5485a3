/*
 * stats.h: the figures councils report, per period and group.
 *
 * The engine behind mp-stats; mp-report computes every figure through it.
 * Feed it episodes (raw records, or already decoded), then read the rows:
 *
 *	mp_stats_config cfg;
 *	mp_stats_config_init(&cfg);
 *	cfg.by = MP_BY_MONTH;			// and groups, from/to, within, ...
 *	mp_stats *st = mp_stats_new(&cfg);
 *	if (mp_stats_bind(st, header, file, err, sizeof err)) ... // columns
 *	while (record) switch (mp_stats_add_record(st, rec, &col, msg, sizeof msg)) {
 *	case MP_STATS_COUNTED: case MP_STATS_OUTSIDE: break;
 *	case MP_STATS_BAD: report file:rec->line: col: msg; break;
 *	}
 *	mp_stats_finish(st, 1);
 *	for (size_t i = 0; i < mp_stats_nrows(st); i++) use mp_stats_row_at(st, i);
 *	mp_stats_free(st);
 *
 * Parallel use: each thread feeds its own mp_stats_fork() of a bound
 * engine; mp_stats_merge() then adds a fork's figures into the parent (the
 * distinct-children sets merge; durations concatenate), exactly as if one
 * engine had seen every record.  Apart from the fork/merge pair, an engine
 * is used by one thread at a time; different engines may run in parallel.
 *
 * Definitions (the man page mp-stats(1) states them for users; "eligible"
 * is an episode with an end whose type is in cfg.rhi_types):
 *   episodes          episodes starting in the period (UK local date of start)
 *   children          distinct child_id among those episodes
 *   missing/away/absent  episodes of each type
 *   open              episodes with no end
 *   rhi_eligible      eligible episodes (they need a return home interview)
 *   rhi_offered       eligible episodes with rhi_offered = Y
 *   rhi_accepted      eligible episodes with rhi_accepted = Y
 *   rhi_held          eligible episodes with an rhi_held date
 *   rhi_held_in_time  of those, held not before the return and within
 *                     cfg.within_hours of it (elapsed time; a date alone
 *                     compares calendar days: held on the day of the return
 *                     or up to within_hours/24 whole days after)
 *   median_hours      median duration of returned episodes whose start and
 *                     end both have a time of day (even count: mean of the
 *                     two middle values), in tenths of hours, rounded half up
 *   over_24h          returned episodes certainly longer than 24 hours (a
 *                     date alone is taken at the time that makes the episode
 *                     shortest)
 *   repeat_children   children with at least cfg.repeat_min episodes in the row
 *   rhi_not_recorded  eligible episodes of a source that records no interview
 *                     fact (no row of that source, in the whole input, has
 *                     rhi_offered, rhi_accepted, rhi_held or rhi_reason set;
 *                     every source when there is no rhi_offered column)
 *   rhi_pending       recorded eligible episodes with no rhi_held, returned
 *                     less than within_hours before cfg.now (not yet due)
 *   rhi_offered_in_time  offered, with an rhi_offered_at not before the return
 *                     and within cfg.offer_within_hours of it (dates: days)
 *   rhi_offered_dated offered eligible episodes with an rhi_offered_at
 *   children_rhi_eligible, children_offered, children_accepted
 *                     distinct children with a recorded eligible, an offered,
 *                     an accepted episode in the row
 *   recur_returns     eligible returns with cfg.recur_days behind them at
 *                     cfg.now; recur_pending: those too recent
 *   recurred_30d      of recur_returns, those followed by another episode of
 *                     the same child (any type, any row, even outside
 *                     from/to) starting within recur_days of the return (not
 *                     before it; dates alone compare calendar days)
 *   recur_returns_held, recurred_30d_held, recur_returns_not_held,
 *   recurred_30d_not_held  the same, split by an rhi_held being recorded
 *                     (not-recorded sources are in neither half)
 * With cfg.children, only the council's own children (or those placed here
 * by others) are counted; the council is cfg.la, or the one value of the la
 * column.  A count whose column is absent, or empty on every row, is "not
 * recorded" (mp_stats_recorded is 0; written empty) and mp_stats_note says so.
 *
 * Rows: every period from cfg.from_day (or the first seen) to cfg.to_day (or
 * the last seen), times every combination of group values seen, in period
 * order, then group order (byte order; derived bands in band order); then,
 * with cfg.total, one "total" row per combination.  Memory: 16 bytes per
 * episode (child key, times, flags) and 4 per timed returned episode.
 */
#ifndef MP_STATS_H
#define MP_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "episode.h"
#include "mptime.h"
#include "period.h"
#include "reader.h"
#include "whose.h"
#include "writer.h"

#define MP_STATS_MAX_GROUPS 8

/* Derived group columns (not read from the input). */
#define MP_STATS_AGE_BAND "age_band"		/* under 1, 1-4, 5-9, 10-15, 16+, unknown */
#define MP_STATS_DURATION_BAND "duration_band"	/* under 6h, 6-24h, 1-3 days, over 3 days, open, unknown */

typedef struct mp_stats_config {
	enum mp_period by;		/* default MP_BY_MONTH */
	int ngroups;
	const char *groups[MP_STATS_MAX_GROUPS];	/* column names (or the derived ones) */
	int has_from, has_to;
	int64_t from_day, to_day;	/* local days, inclusive (see mptime.h) */
	long within_hours;		/* default 72 */
	long repeat_min;		/* default 3 */
	int total;			/* add the total rows (period "total") */
	unsigned rhi_types;		/* types needing an interview: bits 1 << enum mp_ep_type; default missing */
	int64_t now;			/* UTC; default: the clock when the config was made */
	long offer_within_hours;	/* default 72 */
	long recur_days;		/* default 30 */
	int no_recurrence;		/* 1: the recurrence counts are not wanted (left not recorded), so
					   no episode outside from/to is kept for them (default 0) */
	int no_median;			/* 1: median_hours is not wanted (always -1), so no duration
					   is kept (default 0) */
	const char *la;			/* this council (NULL: the one value of the la column) */
	enum mp_children children;	/* default MP_CHILDREN_OWN */
} mp_stats_config;

/* The defaults (now 0): 72 hours, repeats from 3, missing episodes need an interview, 30 days, own children. */
extern const mp_stats_config mp_stats_defaults;
/* The defaults, and now the clock's. */
void mp_stats_config_init(mp_stats_config *cfg);

/* The counts of one row, in output order (median_hours is written before over_24h). */
enum mp_stats_count {
	MP_ST_EPISODES, MP_ST_CHILDREN, MP_ST_MISSING, MP_ST_AWAY, MP_ST_ABSENT, MP_ST_OPEN,
	MP_ST_RHI_ELIGIBLE, MP_ST_RHI_OFFERED, MP_ST_RHI_ACCEPTED, MP_ST_RHI_HELD,
	MP_ST_RHI_HELD_IN_TIME, MP_ST_OVER_24H, MP_ST_REPEAT_CHILDREN,
	MP_ST_RHI_NOT_RECORDED, MP_ST_RHI_PENDING, MP_ST_RHI_OFFERED_IN_TIME, MP_ST_RHI_OFFERED_DATED,
	MP_ST_CHILDREN_RHI_ELIGIBLE, MP_ST_CHILDREN_OFFERED, MP_ST_CHILDREN_ACCEPTED,
	MP_ST_RECUR_RETURNS, MP_ST_RECURRED, MP_ST_RECUR_PENDING,
	MP_ST_RECUR_RETURNS_HELD, MP_ST_RECURRED_HELD, MP_ST_RECUR_RETURNS_NOT_HELD, MP_ST_RECURRED_NOT_HELD,
	MP_ST_NCOUNTS
};

typedef struct mp_stats_row {
	char period[MP_PERIOD_LABEL_MAX];	/* label, or "total" */
	int is_total;
	int64_t first_day, last_day;		/* the days the row covers: its period's, within --from/--to;
						   for MP_BY_NONE and total rows without them, the first
						   and last start counted (both 0 when none was) */
	const char *group[MP_STATS_MAX_GROUPS];	/* the group values (never NULL; may be "") */
	long n[MP_ST_NCOUNTS];
	long median_tenths;			/* median hours x 10, or -1 when there is none */
} mp_stats_row;

/*
 * Percentages that --percent adds: name, numerator, denominator; the
 * denominator is den minus less[0] and less[1] (-1: nothing).
 */
typedef struct mp_stats_pct {
	const char *name;
	enum mp_stats_count num, den;
	int less[2];
} mp_stats_pct;
extern const mp_stats_pct mp_stats_pcts[];
extern const size_t mp_stats_npcts;

/*
 * One decoded episode, for callers that decode themselves: the decoder's
 * episode (which must outlive the mp_stats_add call; a time written with an
 * offset counts on its UK local date) and what the engine adds to it.
 */
typedef struct mp_stats_ep {
	const mp_episode *e;
	int rhi_facts;			/* any of rhi_offered, rhi_accepted, rhi_held, rhi_reason set */
	unsigned present;		/* bits 1 << MP_STATS_COL_*: those columns set in this row */
	mp_field source, responsible_la, la;
	int has_dob;
	int64_t dob_day;		/* local day of the date of birth */
	mp_field group[MP_STATS_MAX_GROUPS];	/* values of the non-derived group columns */
} mp_stats_ep;

/* Optional columns whose absence (or emptiness on every row) leaves figures not recorded. */
enum { MP_STATS_COL_END, MP_STATS_COL_OFFERED, MP_STATS_COL_ACCEPTED, MP_STATS_COL_HELD,
       MP_STATS_COL_OFFERED_AT, MP_STATS_NCOLS };

typedef struct mp_stats mp_stats;

#define MP_STATS_ALL_TYPES 7u	/* missing, away and absent */

mp_stats *mp_stats_new(const mp_stats_config *cfg);
void mp_stats_free(mp_stats *st);

/*
 * Resolve the columns against a header.  Required: child_id, type, start
 * (and dob for age_band); end, rhi_offered, rhi_accepted, rhi_held,
 * rhi_reason, rhi_offered_at, source, la and responsible_la are read when
 * present.  Returns -1 with err set (no column for a --group
 * name, or a required column missing) naming the column.
 */
int mp_stats_bind(mp_stats *st, const mp_record *header, char *err, size_t errsz);

enum { MP_STATS_COUNTED = 0, MP_STATS_OUTSIDE = 1, MP_STATS_BAD = -1 };

/*
 * Decode and count one record.  MP_STATS_OUTSIDE: a good record whose start
 * falls outside --from/--to.  MP_STATS_BAD: *col (column name) and msg say
 * why; nothing was counted.
 */
int mp_stats_add_record(mp_stats *st, const mp_record *rec, const char **col, char *msg, size_t msgsz);
/*
 * The halves of mp_stats_add_record, for callers that feed one record to
 * several engines bound to the same header (mp-report): decode it once with
 * mp_episode_decode, then for each engine take the engine's view of it
 * (mp_stats_episode) and count it with mp_stats_add.
 */
void mp_stats_groups(const mp_stats *st, const mp_record *rec, mp_stats_ep *ep);
/*
 * The engine's view of an episode mp_episode_decode decoded from rec (groups
 * and the columns beyond the vocabulary included; e itself is kept, not
 * copied): 0, or MP_STATS_BAD.
 */
int mp_stats_episode(const mp_stats *st, const mp_episode *e, const mp_record *rec, mp_stats_ep *ep,
		     const char **col, char *msg, size_t msgsz);
/* Count a decoded episode (group values in ep->group, derived ones computed). */
int mp_stats_add(mp_stats *st, const mp_stats_ep *ep, const char **col, char *msg, size_t msgsz);

/*
 * A store of episodes shared by engines bound to the same header, for a
 * caller that counts each episode in several engines (mp-report's
 * breakdowns): each engine counts an episode in its cell as it comes, the
 * store keeps the episode once (12 bytes, and half a byte or more an engine),
 * and its finish walks every child's episodes once for all the engines.
 * Attach engines bound and not yet fed (the store does not own them; each
 * must outlive it, and all must need an interview for the same types);
 * then add every episode through the store, and finish through it.
 */
typedef struct mp_stats_store mp_stats_store;
mp_stats_store *mp_stats_store_new(void);
void mp_stats_store_attach(mp_stats_store *sto, mp_stats *st);
/*
 * Count one episode in every engine: ep is the first engine's view
 * (mp_stats_episode); each other engine's groups are taken from rec.
 * child is the caller's number for the child (the same for every episode
 * of the child, and only for them): the store keys its episodes by it, and
 * a visit (below) is told it.  Numbers past 2^24 - 1 are too many: the
 * finish fails.
 * Returns the first engine's verdict (mp_stats_add's).
 */
int mp_stats_store_add(mp_stats_store *sto, const mp_record *rec, mp_stats_ep *ep, uint32_t child,
		       const char **col, char *msg, size_t msgsz);

/* An episode of a child as the store's walk meets them (mp_stats_store_visit). */
typedef struct mp_stats_seen {
	int64_t day;		/* the UK local day of its start */
	unsigned counted;	/* bit j: the visit's engine j counts it (in its period, one of its children) */
} mp_stats_seen;

/*
 * Called by the finish's walk for every child with an episode kept, its
 * episodes in order of start (part: the walk's thread, under the nthreads
 * given to the finish; calls of one part come from one thread).
 */
typedef void mp_stats_visit_fn(void *arg, int part, uint32_t child, const mp_stats_seen *ep, size_t n);
/* Have the finish call fn for each child, telling which of the attached engines eng[0..n) count each episode. */
void mp_stats_store_visit(mp_stats_store *sto, mp_stats *const *eng, int n, mp_stats_visit_fn *fn, void *arg);
/* mp_stats_finish of every engine; -1 with err set as the first to fail says. */
int mp_stats_store_finish(mp_stats_store *sto, int nthreads, char *err, size_t errsz);
void mp_stats_store_free(mp_stats_store *sto);
/* Bytes the store holds (its entries and cells, room to grow included). */
size_t mp_stats_store_memory(const mp_stats_store *sto);

/* A new empty engine with the same configuration and binding (for a thread). */
mp_stats *mp_stats_fork(const mp_stats *st);
/* Add everything src counted into dst, and free src. */
void mp_stats_merge(mp_stats *dst, mp_stats *src);

/*
 * Compute the rows (nthreads > 1 shares the work); call once, after all
 * adds.  Returns 0, or -1 when the council cannot be told (cfg.children
 * needs it, some responsible_la is set, and there is no cfg.la and not
 * exactly one la value) or the output would have too many rows:
 * mp_stats_error says why.
 */
int mp_stats_finish(mp_stats *st, int nthreads);
const char *mp_stats_error(const mp_stats *st);
/* Episodes in range left out by cfg.children (after finish). */
long mp_stats_left_out(const mp_stats *st);
/* 1 when count k could be computed from the input's columns (after finish). */
int mp_stats_recorded(const mp_stats *st, enum mp_stats_count k);
/*
 * Notes for the user, after finish, i from 0 until NULL: one per column that
 * is absent or empty on every row, naming it and the figures left empty.
 */
const char *mp_stats_note(const mp_stats *st, size_t i);
/* Sources that record no interview fact, i from 0 until NULL; *eligible: their eligible episodes counted. */
const char *mp_stats_unrecorded_source(const mp_stats *st, size_t i, long *eligible);
/* The council the figures are about ("" when unknown), after finish. */
const char *mp_stats_la(const mp_stats *st);
/*
 * Percentage p of a row: 1 with *num and *den set, 0 when a count it needs
 * is not recorded (then the cell is empty).
 */
int mp_stats_pct_of(const mp_stats *st, const mp_stats_row *row, size_t p, long *num, long *den);
/* The rows are one array, valid until mp_stats_free: &mp_stats_row_at(st, 0)[i] is row i. */
size_t mp_stats_nrows(const mp_stats *st);
const mp_stats_row *mp_stats_row_at(const mp_stats *st, size_t i);
int mp_stats_ngroups(const mp_stats *st);
const char *mp_stats_group_name(const mp_stats *st, int i);
extern const char *const mp_stats_count_names[MP_ST_NCOUNTS];	/* "episodes", ... */

/* num/den as a percentage with one decimal (rounded half up) into buf (>= 24 bytes); "" when den is 0. */
const char *mp_stats_pct_format(long num, long den, char *buf);
/* median_tenths as hours with one decimal ("" for -1) into buf (>= 24 bytes). */
const char *mp_stats_hours_format(long tenths, char *buf);

/* Write the header and every row as CSV/TSV through w (percent: add the _pct columns). */
void mp_stats_write(const mp_stats *st, mp_writer *w, int percent);
/* The same as an aligned table for a terminal (raw text through w). */
void mp_stats_write_pretty(const mp_stats *st, mp_writer *w, int percent);

#endif
