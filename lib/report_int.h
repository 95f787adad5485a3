/*
 * report_int.h: what the parts of mp-report share (not a public interface):
 * the data gathered from the rows (report.c) and read by the builder of the
 * model (report_build.c).
 */
#ifndef MP_REPORT_INT_H
#define MP_REPORT_INT_H

#include "report.h"
#include "episode.h"
#include "intern.h"
#include "stats.h"

enum {
	E_AGE,		/* first: it checks the most (dob) */
	E_TOTAL, E_MONTH, E_TREND, E_CARE, E_CARE1, E_TYPE, E_REASON, E_DUR, E_SEX, E_ETH, E_SEND,
	E_PREV,		/* the totals of the previous period of the same length */
	E_PLACED,	/* the totals of children placed here by other councils */
	E_FQ,		/* the financial quarters of the period */
	NENG
};

#define NHIST 7

/*
 * The report's own state, kept small (the episodes themselves are kept
 * once, by the engines' store, whose walk also makes the repeat figure):
 * per child 16 bytes and its id in an mp_idmap (8 bytes more with
 * --with-ids, to list it); per open episode at --now 8 bytes, per return
 * waiting for an interview 16, or a listed row with --with-ids.
 */
typedef struct rchild {
	int64_t latest;		/* its latest start needing an interview, not after --now (rhidue.h) */
	int32_t first_hoth;	/* first local day of an episode with hoth = Y; INT32_MAX: none */
	uint32_t pend;		/* 1 + the place in d->due of the return it waits on, or 0 */
} rchild;

/* The repeat figure (report_repeat.c): children reaching --repeat-min by the rule in use. */
typedef struct rrepeat_row {
	uint32_t child;
	int32_t first, last;	/* the month, or the span */
	uint32_t n;		/* episodes in it */
	uint8_t hoth;		/* referred by its end */
} rrepeat_row;

typedef struct report_repeat {
	long children, hoth;		/* over the period */
	long *m_children, *m_hoth;	/* calendar-month rule: per month of the period */
	size_t nmonths;
	int64_t first_key;
	rrepeat_row *rows;		/* with --with-ids: sorted by child id, then span */
	size_t nrows, crows;
} report_repeat;

struct report_repeat_part;	/* a thread's share of the walk (report_repeat.c) */


typedef struct rfactor {
	char *name;
	size_t len;		/* of name: compared on every episode's factors */
	uint16_t g;
	long episodes;
} rfactor;

/*
 * Rows are tallied by group: the source (which may record no interviews)
 * and the responsible council (whose child: own or placed here).  Both are
 * judged once the input is read (the engine knows the sources that record
 * nothing and the council), so the report keeps its own tallies per group.
 */
typedef struct rgroup {
	char *source, *resp;
	size_t source_len, resp_len;	/* compared on every row */
	long eligible;		/* eligible episodes of the period */
	long due, overdue, due24;	/* interviews outstanding at --now */
	long again;		/* returns followed by another episode before an interview (missing_again) */
	long hist[NHIST], date_in, date_late;	/* interviews held, by time after the return */
	long held_before;	/* held before the return: a data error */
	long fac_episodes;	/* episodes of the period with a factor recorded */
} rgroup;

/* An open or outstanding episode listed with --with-ids. */
typedef struct rlisted {
	char *episode, *care, *placement;
	uint32_t child;
	uint16_t g;
	uint8_t approx;
	int64_t key, a, b;	/* sort key; open: start; due: end, deadline */
} rlisted;

/* The listed episodes of one kind, in the order read. */
typedef struct rlist {
	rlisted *v;
	size_t n, cap;
} rlist;

/*
 * A return with no interview held and no reason recorded at --now is
 * outstanding unless missing_again (rhidue.h), known once the child's
 * latest start is: all wait in due[], one a child in the place rchild.pend
 * names (a later one takes that place when the latest start has passed it:
 * it is missing_again then), others (overlapping episodes) after it.
 */
enum { DUE_LATER, DUE_24, DUE_OVER };	/* not yet due, due within 24 hours, overdue */

typedef struct rdue {
	int64_t end;		/* the return (UTC) */
	uint32_t child;
	uint16_t g;
	uint8_t cls;		/* DUE_* */
} rdue;

/* Open episodes at --now: the child and whether looked after. */
typedef struct ropen {
	uint32_t child;
	uint16_t g;
	uint8_t lac, over24;
} ropen;

struct mp_report_data {
	mp_report_config cfg;
	mp_stats *e[NENG];
	mp_stats_store *store;	/* the engines' episodes, kept once */
	mp_colmap cm;
	mp_idmap *kidtab;	/* child id -> its number (uint32_t), the place of its rchild */
	rchild *ch;		/* by number (mp_array_grow: room not yet used takes no memory) */
	size_t nch, cch;
	uint64_t *idw;		/* with --with-ids: by number, the word keeping its id (mp_ids) */
	size_t cidw;
	mp_ids ids;
	report_repeat rep[2];	/* the repeat figure of the period and the previous one (after finish) */
	struct report_repeat_part *rparts;	/* while the store's walk makes it */
	int nrparts;
	rfactor *fac;
	size_t nfac, cfac;
	rgroup *grp;
	size_t ngrp, cgrp;
	size_t last_grp;	/* the group of the last row: rows of a file often share it */
	ropen *open;
	size_t nopen, copen;
	rdue *due;		/* the returns waiting, decided by mp_report_data_finish */
	size_t ndue, cdue;
	rlist lopen, ldue;	/* with --with-ids */
	long bad_rows;
	int no_dob;		/* no dob column: no age bands */
	long rows;		/* rows counted (good) */
	int match_col;		/* mp-match's column match, or -1 */
	long matched[4];	/* rows both, case_only, police_only, other */
	long periods;		/* episodes in the period */
	int64_t first_day, last_day;	/* the first and last start in the input (any period) */
	uint64_t seen;		/* bit 1 << enum mp_col: a row has a value there */
	uint64_t noted;		/* columns already named in a note */
	const char *council;	/* this council, after finish ("" unknown) */
};

/*
 * The repeat figures are made in the store's walk: begin before the
 * store's finish (nparts: its threads), end after it.
 */
void report_repeat_begin(mp_report_data *d, int nparts);
void report_repeat_end(mp_report_data *d);
void report_repeat_free(report_repeat *rf);

/* Whether group g's children are counted under mode (after mp_report_data_finish). */
int report_group_kept(const mp_report_data *d, size_t g, enum mp_children mode);
/* Whether group g's source records interview facts (after mp_report_data_finish). */
int report_group_recorded(const mp_report_data *d, size_t g);

/* Engine e (E_*), or the one standing in for it; NULL when the report does not need it. */
mp_stats *report_engine(const mp_report_data *d, int e);

/* The configuration of engine e (E_*) of the report. */
void report_stats_config(const mp_report_config *cfg, int e, mp_stats_config *sc);

/* The id of child number c (with --with-ids): in buf (MP_IDS_BUF bytes) or the report's; its length in *n. */
static inline const char *
rchild_id(const mp_report_data *d, uint32_t c, char *buf, size_t *n)
{
	return mp_ids_get(&d->ids, d->idw[c], buf, n);
}

#endif
