/*
 * stats_store.c: one store of episodes for several engines bound to the
 * same header (mp-report's breakdowns, see stats.h).  Each engine counts an
 * episode in its cell as it comes; the store keeps the episode's entry once
 * (12 bytes) and each engine's cell of it in as few bytes as the engine's
 * cells need (half a byte while an engine has at most 14 cells, then one,
 * two or four); the finish
 * walks every child's episodes once for all the engines.  An entry is 12
 * bytes, not the engines' 16 (stats_int.h): the caller numbers the
 * children, so the key is the number (24 bits) beside the flags; the walk
 * widens a bucket's entries as it takes them.
 */
#include "stats_int.h"
#include "err.h"
#include "mptime.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ENGINES 32
#define MAX_CHILD ((1u << 24) - 1)	/* children numbered 0 to this */

/* An entry as kept: the child's number and the entry's flags (w0 of stats_int.h's ent), then its w1. */
typedef struct sent {
	uint32_t cf;		/* child << 8 | flags */
	uint32_t w1lo, w1hi;
} sent;

/*
 * Each engine's cell of every entry, in as few bits as its cells need (from
 * 4: most engines of a report have a dozen cells or fewer): the top two
 * values of a width say "not this engine's" and "outside".
 */
typedef struct cellvec {
	void *v;
	int width;	/* bits: 4, 8, 16 or 32 */
} cellvec;

struct mp_stats_store {
	mp_stats *eng[MAX_ENGINES];
	int neng;
	int gcol[MAX_ENGINES * MP_STATS_MAX_GROUPS];	/* the followers' group columns */
	int ngcol;
	unsigned char *colseen;	/* [column]: set on some row the lead counted */
	size_t ncol;
	sent *e;
	size_t n, cap;
	uint32_t too_many;	/* a child numbered past MAX_CHILD (its number + 1): the finish fails */
	cellvec cv[MAX_ENGINES];
	mp_stats_visit_fn *visit;	/* told each child's episodes in the walk (mp_stats_store_visit) */
	void *visit_arg;
	int visit_eng[MAX_ENGINES];	/* the store's number of the visit's engine j */
	int nvisit;
};

static uint32_t
cv_none(int width)
{
	return width == 32 ? UINT32_MAX : (1u << width) - 1;
}

/* The bytes of room for cap values of width bits. */
static size_t
cv_bytes(int width, size_t cap)
{
	return (cap * (size_t)width + 7) / 8;
}

static uint32_t
cv_get(const cellvec *c, size_t i)
{
	switch (c->width) {
	case 4: return ((const uint8_t *)c->v)[i / 2] >> (i % 2 * 4) & 15;
	case 8: return ((const uint8_t *)c->v)[i];
	case 16: return ((const uint16_t *)c->v)[i];
	default: return ((const uint32_t *)c->v)[i];
	}
}

static void
cv_put(cellvec *c, size_t i, uint32_t v)
{
	uint8_t *b;

	switch (c->width) {
	case 4:
		b = &((uint8_t *)c->v)[i / 2];
		*b = (uint8_t)((*b & (0xf0 >> (i % 2 * 4))) | v << (i % 2 * 4));
		break;
	case 8: ((uint8_t *)c->v)[i] = (uint8_t)v; break;
	case 16: ((uint16_t *)c->v)[i] = (uint16_t)v; break;
	default: ((uint32_t *)c->v)[i] = v; break;
	}
}

/* Widen c (n values, room for cap) to the next width, its codes moved to the new top values. */
static void
cv_widen(cellvec *c, size_t n, size_t cap)
{
	cellvec w = { mp_xmalloc(cv_bytes(c->width * 2, cap)), c->width * 2 };
	uint32_t none = cv_none(c->width), wnone = cv_none(w.width);

	for (size_t i = 0; i < n; i++) {
		uint32_t v = cv_get(c, i);
		cv_put(&w, i, v >= none - 1 ? wnone - (none - v) : v);
	}
	free(c->v);
	*c = w;
}

/* p, n bytes, grown to m with the new bytes 0. */
static unsigned char *
realloc_zero(unsigned char *p, size_t n, size_t m)
{
	p = mp_xrealloc(p, m);
	memset(p + n, 0, m - n);
	return p;
}

mp_stats_store *
mp_stats_store_new(void)
{
	return mp_xcalloc(1, sizeof(mp_stats_store));
}

void
mp_stats_store_attach(mp_stats_store *sto, mp_stats *st)
{
	assert(sto->neng < MAX_ENGINES && sto->n == 0 && st->bound);
	/* One entry serves every engine: its flags depend on the types needing an interview. */
	assert(sto->neng == 0 || st->cfg.rhi_types == sto->eng[0]->cfg.rhi_types);
	st->external = 1;
	st->lead = sto->neng ? sto->eng[0] : NULL;
	/* A follower is checked by the lead: it may check no more (dob is the lead's). */
	assert(!st->lead || !st->need_age || st->lead->need_age);
	for (int g = 0; st->lead && g < st->cfg.ngroups; g++) {
		if (st->gkind[g] != G_COLUMN)
			continue;
		sto->gcol[sto->ngcol++] = st->gidx[g];
		if ((size_t)st->gidx[g] >= sto->ncol) {
			sto->colseen = realloc_zero(sto->colseen, sto->ncol, (size_t)st->gidx[g] + 1);
			sto->ncol = (size_t)st->gidx[g] + 1;
		}
	}
	sto->cv[sto->neng].width = 4;
	sto->eng[sto->neng++] = st;
}

void
mp_stats_store_free(mp_stats_store *sto)
{
	if (!sto)
		return;
	free(sto->e);
	free(sto->colseen);
	for (int k = 0; k < sto->neng; k++)
		free(sto->cv[k].v);
	free(sto);
}

size_t
mp_stats_store_memory(const mp_stats_store *sto)
{
	size_t n = sizeof *sto + sto->cap * sizeof *sto->e;

	for (int k = 0; k < sto->neng; k++)
		n += cv_bytes(sto->cv[k].width, sto->cap);
	return n;
}

/* Room for one more entry. */
static void
store_room(mp_stats_store *sto)
{
	if (sto->n < sto->cap)
		return;
	/* By half: the entries are most of a report's memory. */
	sto->e = mp_xgrow_half(sto->e, &sto->cap, sto->n + 1, sizeof *sto->e);
	for (int k = 0; k < sto->neng; k++)
		sto->cv[k].v = mp_xrealloc(sto->cv[k].v, cv_bytes(sto->cv[k].width, sto->cap));
}

int
mp_stats_store_add(mp_stats_store *sto, const mp_record *rec, mp_stats_ep *ep, uint32_t child, const char **col,
		   char *msg, size_t msgsz)
{
	long at[MAX_ENGINES];
	mp_stats_ep fixed;
	mp_episode fe;
	/* ep itself, or the copy on UK local dates: the followers write their groups into it. */
	mp_stats_ep *lep = mp_stats_localise(ep, &fixed, &fe) == ep ? ep : &fixed;

	/* The first engine checks and notes the row for all; the others count it where it is theirs. */
	int r = mp_stats_count(sto->eng[0], lep, &at[0], col, msg, msgsz);
	if (r == MP_STATS_BAD)
		return MP_STATS_BAD;
	for (int i = 0; i < sto->ngcol; i++) {
		size_t c = (size_t)sto->gcol[i];
		if (!sto->colseen[c] && c < rec->n && rec->f[c].len)
			sto->colseen[c] = 1;
	}
	int keep = at[0] != AT_OUTSIDE;
	for (int k = 1; k < sto->neng; k++) {
		mp_stats_follow(sto->eng[k], rec, lep, &at[k]);
		keep |= at[k] != AT_OUTSIDE;
	}
	if (!keep)
		return r;
	if (child > MAX_CHILD) {
		if (!sto->too_many)
			sto->too_many = child + 1;
		return r;
	}
	store_room(sto);
	ent w;
	mp_stats_entry(sto->eng[0], child, lep, &w);
	sto->e[sto->n] = (sent){ child << 8 | (uint32_t)(w.w0 & 0xff), (uint32_t)w.w1, (uint32_t)(w.w1 >> 32) };
	for (int k = 0; k < sto->neng; k++) {
		cellvec *c = &sto->cv[k];
		uint32_t none = cv_none(c->width);
		while (at[k] >= 0 && (uint64_t)at[k] >= none - 1) {
			cv_widen(c, sto->n, sto->cap);
			none = cv_none(c->width);
		}
		cv_put(c, sto->n, at[k] >= 0 ? (uint32_t)at[k] : at[k] == AT_OUTSIDE_KEPT ? none - 1 : none);
	}
	sto->n++;
	return r;
}

void
mp_stats_store_visit(mp_stats_store *sto, mp_stats *const *eng, int n, mp_stats_visit_fn *fn, void *arg)
{
	assert(n <= (int)(sizeof(unsigned) * 8));
	sto->visit = fn;
	sto->visit_arg = arg;
	sto->nvisit = 0;
	for (int j = 0; j < n; j++)
		for (int k = 0; k < sto->neng; k++)
			if (sto->eng[k] == eng[j])
				sto->visit_eng[sto->nvisit++] = k;
	assert(sto->nvisit == n);	/* every engine named is attached */
}

/* ---- the walk ---- */

/* One thread's share of the walk: the buckets b0 to b1 - 1, a tally an engine. */
struct part {
	mp_stats_store *sto;
	const size_t *start;
	unsigned b0, b1;
	int index;
	tally *acc[MAX_ENGINES];
	mp_stats_seen *seen;	/* a child's episodes told to the visit */
	size_t cseen;
};

/* The UK local day an entry's start falls on (the entry holds it on its scale, stats_int.h). */
static int64_t
ent_day(const ent *e)
{
	int64_t s = (int64_t)(e->w1 >> D_BITS);

	if (e->w0 & F_SDATE)
		return s / 86400 - T_BASE / 86400;	/* a date alone: its day's seconds */
	return mp_utc_local_day(s - T_BASE);
}

/* Tell the visit a child's entries e[0..m) (idx: their places), which of its engines count each. */
static void
visit_child(struct part *p, const ent *e, const long *idx, size_t m)
{
	const mp_stats_store *sto = p->sto;

	p->seen = mp_xgrow(p->seen, &p->cseen, m, sizeof *p->seen);
	for (size_t i = 0; i < m; i++) {
		unsigned counted = 0;
		for (int j = 0; j < sto->nvisit; j++) {
			int k = sto->visit_eng[j];
			const cellvec *c = &sto->cv[k];
			uint32_t v = cv_get(c, (size_t)idx[i]);
			if (v < cv_none(c->width) - 1 && mp_stats_counts(sto->eng[k], (long)v))
				counted |= 1u << j;
		}
		p->seen[i] = (mp_stats_seen){ ent_day(&e[i]), counted };
	}
	sto->visit(sto->visit_arg, p->index, sto->e[idx[0]].cf >> 8, p->seen, m);
}

/* One child's entries e[0..m) (idx: their places in the store) counted by every engine that holds them. */
static void
count_child(struct part *p, const ent *e, const long *idx, size_t m, bucket *sub)
{
	mp_stats_store *sto = p->sto;

	sub->n = 0;
	mp_stats_bucket_room(sub, m);
	for (int k = 0; k < sto->neng; k++) {
		const cellvec *c = &sto->cv[k];
		uint32_t none = cv_none(c->width);
		size_t n = 0;
		for (size_t i = 0; i < m; i++) {
			uint32_t v = cv_get(c, (size_t)idx[i]);
			if (v == none)
				continue;
			sub->e[n] = e[i];
			sub->cell[n++] = v == none - 1 ? -1 : (long)v;
		}
		if (n)
			mp_stats_child(sto->eng[k], p->acc[k], sub->e, sub->cell, n, sub->hits);
	}
	if (sto->visit)
		visit_child(p, e, idx, m);
}

static void *
walk_part(void *arg)
{
	struct part *p = arg;
	bucket bk = { 0 }, sub = { 0 };

	for (unsigned b = p->b0; b < p->b1; b++) {
		size_t m = p->start[b + 1] - p->start[b];
		bk.n = 0;
		mp_stats_bucket_room(&bk, m);
		for (size_t i = 0; i < m; i++) {
			const sent *s = &p->sto->e[p->start[b] + i];
			bk.e[i] = (ent){ mp_stats_mix56((s->cf >> 8) + 1) << 8 | (s->cf & 0xff),
					 (uint64_t)s->w1hi << 32 | s->w1lo };
			bk.cell[i] = (long)(p->start[b] + i);
		}
		bk.n = m;
		mp_stats_sort_ents(bk.e, bk.cell, bk.n, 1);
		for (size_t i = 0, j; i < bk.n; i = j) {
			j = mp_stats_child_end(&bk, i);
			count_child(p, bk.e + i, bk.cell + i, j - i, &sub);
		}
	}
	mp_stats_bucket_free(&bk);
	mp_stats_bucket_free(&sub);
	free(p->seen);
	return NULL;
}

/* Swap entries i and j, and every engine's cells of them. */
static void
swap_entries(mp_stats_store *sto, size_t i, size_t j)
{
	sent t = sto->e[i];

	sto->e[i] = sto->e[j];
	sto->e[j] = t;
	for (int k = 0; k < sto->neng; k++) {
		cellvec *c = &sto->cv[k];
		uint32_t v = cv_get(c, i);
		cv_put(c, i, cv_get(c, j));
		cv_put(c, j, v);
	}
}

/* The bucket of an entry: the top byte of its mixed child key (the walk's ent). */
static unsigned
bucket_of(const sent *e)
{
	return (unsigned)(mp_stats_mix56((e->cf >> 8) + 1) >> 48) & 0xff;
}

/*
 * The entries grouped in place by bucket (bucket b: from start[b] to
 * start[b + 1]), so that a bucket's cells lie together too.
 */
static void
group_entries(mp_stats_store *sto, size_t start[257])
{
	size_t next[256];

	memset(start, 0, 257 * sizeof *start);
	for (size_t i = 0; i < sto->n; i++)
		start[bucket_of(&sto->e[i]) + 1]++;
	for (int b = 0; b < 256; b++)
		start[b + 1] += start[b];
	memcpy(next, start, sizeof next);
	for (unsigned b = 0; b < 256; b++)
		while (next[b] < start[b + 1]) {
			size_t i = next[b];
			unsigned kb = bucket_of(&sto->e[i]);
			if (kb == b)
				next[b]++;
			else
				swap_entries(sto, i, next[kb]++);
		}
}

/* Walk every child's episodes once for every engine, in threads. */
static void
walk(mp_stats_store *sto, int nthreads)
{
	struct part part[64];
	size_t start[257];
	size_t rows = 0;

	for (int k = 0; k < sto->neng; k++)
		rows += sto->eng[k]->nrows;
	int n = mp_stats_walk_threads(rows, nthreads);
	group_entries(sto, start);
	for (int t = 0; t < n; t++) {
		part[t] = (struct part){ sto, start, (unsigned)(256 * t / n), (unsigned)(256 * (t + 1) / n), t, { 0 },
					 NULL, 0 };
		for (int k = 0; t && k < sto->neng; k++)
			part[t].acc[k] = mp_xcalloc(sto->eng[k]->nrows + 1, sizeof(tally));
	}
	mp_stats_run_parts(walk_part, part, sizeof *part, n);
	for (int t = 1; t < n; t++)
		for (int k = 0; k < sto->neng; k++)
			mp_stats_tally_add(sto->eng[k], part[t].acc[k]);
}

/* ---- medians ---- */

/*
 * An engine's medians come from the durations its entries hold (and the
 * few longer ones its cells keep), not from a copy of them: each median is
 * selected a byte at a time, from the top, by a sweep over the entries
 * counting the durations that agree so far in a histogram.  A sweep serves
 * up to MEDIAN_QUERIES ranks (two a row with an even count).
 */
#define MEDIAN_QUERIES 512

struct query {
	uint32_t prefix, mask;	/* the bytes of the value found so far */
	size_t rank;		/* from 0, among the values agreeing with prefix */
	size_t hist[256];
};

struct select {
	size_t *n;		/* values a row: the first sweep counts them */
	int32_t *q;		/* a row's first query this round, or -1 */
	struct query *qs;
	int shift, counting;
};

/* A duration of row r (UINT32_MAX: none). */
static void
select_value(struct select *m, uint32_t r, uint32_t v)
{
	if (r == UINT32_MAX)
		return;
	if (m->counting) {
		m->n[r]++;
		return;
	}
	if (m->q[r] < 0)
		return;	/* not a row of this round */
	struct query *q = &m->qs[m->q[r]], *end = q + 1 + (m->n[r] % 2 == 0);	/* one rank, or two */
	for (; q < end; q++)
		if ((v & q->mask) == q->prefix)
			q->hist[v >> m->shift & 0xff]++;
}

/* Every duration engine k counts, with its rows. */
static void
select_sweep(const mp_stats_store *sto, int k, struct select *m)
{
	const mp_stats *st = sto->eng[k];
	const fin *f = &st->fin;
	const cellvec *c = &sto->cv[k];
	uint32_t none = cv_none(c->width);

	for (size_t i = 0; i < sto->n; i++) {
		const sent *e = &sto->e[i];
		if ((e->cf & (F_RET | F_SDATE | F_EDATE | F_LONG)) != F_RET)
			continue;	/* open, a date alone, or a duration its cell keeps */
		uint32_t v = cv_get(c, i);
		if (v >= none - 1 || !f->inc[v])
			continue;
		uint32_t d = e->w1lo & (((uint32_t)1 << D_BITS) - 1);	/* never negative: the end is not before the start */
		select_value(m, f->row[v], d);
		select_value(m, f->trow[v], d);
	}
	for (size_t ci = 0; ci < st->ncells; ci++)
		for (size_t j = 0; f->inc[ci] && j < st->cells[ci].ndur; j++) {
			select_value(m, f->row[ci], st->cells[ci].dur[j]);
			select_value(m, f->trow[ci], st->cells[ci].dur[j]);
		}
}

/* Select the ranks of the queries qs[0..nq), a byte a sweep. */
static void
select_ranks(const mp_stats_store *sto, int k, struct select *m, size_t nq)
{
	for (m->shift = 24; m->shift >= 0; m->shift -= 8) {
		for (size_t i = 0; i < nq; i++)
			memset(m->qs[i].hist, 0, sizeof m->qs[i].hist);
		select_sweep(sto, k, m);
		for (size_t i = 0; i < nq; i++) {
			struct query *q = &m->qs[i];
			unsigned b = 0;
			for (; b < 255 && q->rank >= q->hist[b]; b++)
				q->rank -= q->hist[b];
			q->prefix |= (uint32_t)b << m->shift;
			q->mask |= (uint32_t)0xff << m->shift;
		}
	}
}

/* The medians of engine k's rows (after its mp_stats_prepare). */
static void
store_medians(const mp_stats_store *sto, int k)
{
	mp_stats *st = sto->eng[k];
	struct select m = { mp_xcalloc(st->nrows + 1, sizeof *m.n), mp_xmalloc((st->nrows + 1) * sizeof *m.q),
			    mp_xmalloc(MEDIAN_QUERIES * sizeof *m.qs), 0, 1 };

	select_sweep(sto, k, &m);
	m.counting = 0;
	for (size_t r = 0; r < st->nrows; r++)
		m.q[r] = -1;
	for (size_t r0 = 0, r; r0 < st->nrows; r0 = r) {
		size_t nq = 0;
		for (r = r0; r < st->nrows && nq + 2 <= MEDIAN_QUERIES; r++) {
			if (!m.n[r])
				continue;	/* no duration: no median (-1, as the rows are made) */
			m.q[r] = (int32_t)nq;
			m.qs[nq++] = (struct query){ .rank = m.n[r] / 2 };
			if (m.n[r] % 2 == 0)
				m.qs[nq++] = (struct query){ .rank = m.n[r] / 2 - 1 };
		}
		select_ranks(sto, k, &m, nq);
		for (size_t i = r0; i < r; i++) {
			if (m.q[i] < 0)
				continue;
			uint64_t hi = m.qs[m.q[i]].prefix, lo = m.n[i] % 2 ? hi : m.qs[m.q[i] + 1].prefix;
			st->rows[i].median_tenths = mp_stats_median_tenths(lo + hi);
			m.q[i] = -1;
		}
	}
	free(m.n);
	free(m.q);
	free(m.qs);
}

int
mp_stats_store_finish(mp_stats_store *sto, int nthreads, char *err, size_t errsz)
{
	int failed = 0;

	if (sto->too_many) {
		snprintf(err, errsz, "too many children: more than %u different child ids in one input; "
				     "report on part of it at a time (a council, a year)", MAX_CHILD + 1);
		failed = 1;
	}
	for (int k = 0; k < sto->neng; k++) {
		mp_stats *st = sto->eng[k];
		if (k)
			mp_stats_follow_finish(st, sto->colseen, sto->ncol);
		st->finished = 1;
		if (!failed && mp_stats_prepare(st, nthreads)) {
			snprintf(err, errsz, "%s", st->error);
			failed = 1;
		}
		st->failed = failed;
	}
	for (int k = 0; !failed && k < sto->neng; k++)
		if (!sto->eng[k]->cfg.no_median)
			store_medians(sto, k);
	if (!failed)
		walk(sto, nthreads);
	for (int k = 0; k < sto->neng; k++)
		mp_stats_complete(sto->eng[k]);
	/* The entries are counted: their memory is the report's again. */
	free(sto->e);
	sto->e = NULL;
	sto->n = sto->cap = 0;
	return failed ? -1 : 0;
}
