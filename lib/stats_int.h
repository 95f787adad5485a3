/*
 * stats_int.h: the inside of the mp_stats engine, shared by stats.c
 * (binding, decoding, counting, merging), stats_rows.c (the rows) and
 * stats_write.c (output).  Not for use outside those files.
 */
#ifndef MP_STATS_INT_H
#define MP_STATS_INT_H

#include "stats.h"
#include "episode.h"

enum { G_COLUMN, G_AGE, G_DURATION };

/* The key of a cell: the group values, then two hidden ones (source, responsible_la). */
#define NKEY (MP_STATS_MAX_GROUPS + 2)

/* Interned strings: value -> small id, in first-seen order. */
typedef struct strtab {
	char **s;
	size_t *len;
	size_t n, cap;
	uint32_t *slot;		/* id + 1, 0 empty */
	size_t nslot;
	uint32_t recent[64];	/* id + 1 of a value seen lately, by its length and end bytes (no hash) */
} strtab;

uint32_t mp_strtab_intern(strtab *t, const char *s, size_t len);
void mp_strtab_free(strtab *t);

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
	uint32_t *cslot;	/* cell index + 1 */
	size_t ncslot;
	size_t last;		/* index + 1 of the last cell used */
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
	size_t nnotes;
	long left_out;
	unsigned char *cell_inc;	/* per cell: counted (whose children) */
};

/* A local day from a time on the entry scale (a date alone: exact; a time: its UK local date). */
int64_t mp_stats_tday(uint64_t t, int date_only);

#endif
