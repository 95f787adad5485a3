/*
 * stats_int.h: the inside of the mp_stats engine, shared by stats.c
 * (binding, decoding, counting, merging), stats_rows.c (the rows) and
 * stats_write.c (output).  Not for use outside those files.
 */
#ifndef MP_STATS_INT_H
#define MP_STATS_INT_H

#include "intern.h"
#include "stats.h"
#include "episode.h"

enum { G_COLUMN, G_AGE, G_DURATION };

/* The key of a cell: the group values, then two hidden ones (source, responsible_la). */
#define NKEY (MP_STATS_MAX_GROUPS + 2)

/*
 * Interned strings: value -> small id, in first-seen order: the library's
 * table (intern.h, made at the first value), with the few values a column
 * repeats on every row (sources, groups) found first by their length and
 * end bytes, without hashing.  A zeroed strtab is empty.
 */
typedef struct strtab {
	mp_intern *tab;
	size_t n;
	struct {
		const char *s;	/* in the table: forgotten when a value is added (the table may move) */
		uint32_t len, id;
	} recent[64];		/* values seen lately (s NULL: none) */
} strtab;

uint32_t mp_strtab_intern(strtab *t, const char *s, size_t len);
void mp_strtab_free(strtab *t);

/* Value id (NUL-terminated; valid until the next value is added). */
static inline const char *
mp_strtab_str(const strtab *t, uint32_t id)
{
	return mp_intern_key(t->tab, id, NULL);
}

static inline size_t
mp_strtab_len(const strtab *t, uint32_t id)
{
	size_t n;
	mp_intern_key(t->tab, id, &n);
	return n;
}

/*
 * One episode as the rows need it, 16 bytes: w0 is the child key (56 bits,
 * see child_key in stats.c) << 8 | flags; w1 is the start << 30 | the
 * duration (signed, 30 bits).  Times are seconds from 1900-01-01 UTC; a
 * date alone is its day * 86400 on that scale (F_SDATE, F_EDATE say so).
 */
typedef struct ent {
	uint64_t w0, w1;
} ent;

enum {
	F_ELIG = 1,	/* eligible: returned, of a type needing an interview */
	F_OFF = 2,	/* eligible and offered */
	F_ACC = 4,	/* eligible and accepted */
	F_HELD = 8,	/* eligible, an interview held */
	F_RET = 16,	/* returned (an end) */
	F_SDATE = 32,	/* the start is a date alone */
	F_EDATE = 64,	/* the end is a date alone */
	F_LONG = 128	/* the duration did not fit: no recurrence is looked for */
};
#define T_BASE 2208988800LL		/* seconds from 1900-01-01 to 1970-01-01 */
#define T_BITS 34
#define D_BITS 30
#define D_HELD ((int64_t)1 << (D_BITS - 1))	/* an entry holds durations under this (else F_LONG) */

/*
 * A growing array of entries; a cell holds one per engine merged into it.
 * The finish mixes their child keys and groups them by the key's top byte.
 */
typedef struct run {
	ent *e;
	size_t n, cap;
} run;

/* One (period, group values, source, responsible_la) combination and what it counted. */
typedef struct cell {
	int64_t period;
	uint32_t gid[NKEY];
	long n[MP_ST_NCOUNTS];
	int64_t minday, maxday;		/* first and last start day counted */
	run *runs;
	size_t nruns;
	uint32_t *dur;			/* seconds, per returned episode with times */
	size_t ndur, cdur;
} cell;

/* Everything a cell needs to be counted, worked out once. */
typedef struct fin {
	unsigned char *inc, *rec;	/* per cell: counted (whose children), its source records interviews */
	uint32_t *row, *trow;		/* per cell: its period row and its total row (or UINT32_MAX) */
	int64_t p0;
	size_t nper, ncombo;
	int64_t now_t, now_day;		/* --now on the entry scale, and its local day */
} fin;

/* A row an episode of a child counts in, with its interview flags. */
typedef struct hit {
	uint32_t row;
	unsigned flags;
} hit;

/* A walk's buffers: one bucket's entries, their cells, the rows a child counts in. */
typedef struct bucket {
	ent *e;
	long *cell;	/* a cell, or -1: outside from/to (only ever "another episode") */
	hit *hits;	/* two per entry */
	size_t n, cap, hcap;
} bucket;

/* Row counts a walk adds, one array a thread (NULL: straight into the rows). */
typedef long tally[MP_ST_NCOUNTS];

struct mp_stats {
	mp_stats_config cfg;
	char *la_given;
	char *gname[MP_STATS_MAX_GROUPS];
	int gkind[MP_STATS_MAX_GROUPS];
	int gidx[MP_STATS_MAX_GROUPS];
	int need_age, need_dur;
	int bound;
	mp_colmap cm;			/* the canonical columns, for mp_episode_decode */
	int c_off, c_acc, c_reason, c_offat, c_src, c_la, c_resp;

	strtab gval[NKEY];		/* [ngroups]: sources, [ngroups + 1]: responsible_la values */
	unsigned char *src_rec;		/* per source: some row records an interview fact */
	size_t nsrc_rec;
	strtab longid;
	mp_la_seen la;
	unsigned seen;			/* bits 1 << MP_STATS_COL_*: set on some row */
	unsigned gseen;			/* bits 1 << group: set on some row */
	long rows_seen;

	cell *cells;
	size_t ncells, ccells;
	mp_intern *celltab;	/* a cell's key (period, ids) -> its index */
	uint32_t recent[256];	/* index + 1 of a cell used lately, by its ids (see cell_get) */
	run *outside;		/* episodes outside from/to: only ever "another episode" */
	size_t noutside;

	/* Known after mp_stats_finish. */
	mp_stats_row *rows;
	size_t nrows;
	int finished, failed;
	char error[512];
	const char *council;
	uint64_t unrecorded;		/* bits 1 << count */
	char **notes;
	size_t nnotes, cnotes;
	long left_out;
	unsigned char *cell_inc;	/* per cell: counted (whose children) */
	fin fin;			/* between mp_stats_prepare and mp_stats_complete */
	int external;			/* counts only: a store (stats_store.c) keeps the entries, and
					   the durations they hold (its cells keep only longer ones) */
	const mp_stats *lead;		/* a store's first engine, which interns sources and councils
					   and sees la for all (NULL: this engine does) */
	uint32_t last_src, last_resp;	/* the ids of the last row's (for the engines it leads) */
};

/* Where mp_stats_count put an episode: a cell (>= 0), or outside from/to. */
enum { AT_OUTSIDE_KEPT = -1, AT_OUTSIDE = -2 };

/* The episode with its times on UK local dates: ep itself, or *fixed (fe its episode). */
const mp_stats_ep *mp_stats_localise(const mp_stats_ep *ep, mp_stats_ep *fixed, mp_episode *fe);
/*
 * Check, note and count one episode on local dates (mp_stats_add without
 * keeping its entry): MP_STATS_COUNTED (*at: its cell), MP_STATS_OUTSIDE
 * (*at: AT_OUTSIDE, or AT_OUTSIDE_KEPT when the recurrence needs it as
 * another episode), or MP_STATS_BAD.
 */
int mp_stats_count(mp_stats *st, const mp_stats_ep *ep, long *at, const char **col, char *msg, size_t msgsz);
/*
 * The same for an engine st->lead leads, after the lead counted the
 * episode: no check and no note of the row (the lead's are copied by
 * mp_stats_follow_finish), nothing at all outside from/to, rec's groups
 * taken into ep only within.
 */
int mp_stats_follow(mp_stats *st, const mp_record *rec, mp_stats_ep *ep, long *at);
/* What the lead noted of every row, copied; colseen[i]: column i set on some row the lead counted. */
void mp_stats_follow_finish(mp_stats *st, const unsigned char *colseen, size_t ncol);
/* Whether st counts what it counted in cell (after mp_stats_prepare): not outside, one of its children. */
static inline int
mp_stats_counts(const mp_stats *st, long cell)
{
	return cell >= 0 && st->fin.inc[cell];
}

/* The entry of an episode on local dates, keyed by the store's child number. */
void mp_stats_entry(const mp_stats *st, uint32_t child, const mp_stats_ep *ep, ent *out);

/*
 * mp_stats_finish in three steps, for a store that walks the children of
 * several engines at once: prepare the rows; count each child's entries
 * (sorted by start; cell[i] the cell of e[i], or -1 outside) into tally
 * (NULL: the rows); complete.
 */
int mp_stats_prepare(mp_stats *st, int nthreads);
void mp_stats_child(mp_stats *st, tally *acc, const ent *e, const long *cell, size_t m, hit *hits);
void mp_stats_complete(mp_stats *st);

/* The walk's tools: the child key of an entry mixed (a bijection), byte b of the sort key, the sort. */
uint64_t mp_stats_mix56(uint64_t k);
/* A median of durations in tenths of hours, rounded half up, from twice the median in seconds. */
long mp_stats_median_tenths(uint64_t twice_median_secs);
void mp_stats_sort_ents(ent *a, long *cell, size_t n, int b);

/* Byte b (0: most significant) of an entry's sort key: the child (56 bits), then w1. */
static inline unsigned
mp_stats_kbyte(const ent *e, int b)
{
	return (unsigned)(b < 7 ? e->w0 >> (56 - 8 * b) : e->w1 >> (56 - 8 * (b - 7))) & 0xff;
}

/* In a bucket sorted by child, the end of the child's entries that begin at i. */
static inline size_t
mp_stats_child_end(const bucket *bk, size_t i)
{
	uint64_t kid = bk->e[i].w0 >> 8;
	size_t j = i + 1;

	while (j < bk->n && bk->e[j].w0 >> 8 == kid)
		j++;
	return j;
}
/* Room in bk for n more entries. */
void mp_stats_bucket_room(bucket *bk, size_t n);
void mp_stats_bucket_free(bucket *bk);
/* Threads for a walk: how many (1 when the tallies would be too big), and fn on each part. */
int mp_stats_walk_threads(size_t ntally, int nthreads);
void mp_stats_run_parts(void *(*fn)(void *), void *parts, size_t size, int n);
/* Add a thread's tallies into the rows, and free them. */
void mp_stats_tally_add(mp_stats *st, tally *acc);

/* A local day from a time on the entry scale (a date alone: exact; a time: its UK local date). */
int64_t mp_stats_tday(uint64_t t, int date_only);

#endif
