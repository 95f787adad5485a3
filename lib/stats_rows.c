/*
 * stats_rows.c: the rows of the figures engine.  After every episode is in:
 * decide what the whole input says (the council, the sources that record
 * interviews, the columns never set), group each cell's entries by child,
 * add the cells into their rows, then walk every child's episodes (in
 * buckets of children, sorted by child and start) for the distinct-children
 * counts and the recurrence figures.
 */
#include "stats_int.h"
#include "err.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The count columns, in enum mp_stats_count order (the rows name them; the writer prints them). */
const char *const mp_stats_count_names[MP_ST_NCOUNTS] = {
	"episodes", "children", "missing", "away", "absent", "open", "rhi_eligible", "rhi_offered",
	"rhi_accepted", "rhi_held", "rhi_held_in_time", "over_24h", "repeat_children",
	"rhi_not_recorded", "rhi_pending", "rhi_offered_in_time", "rhi_offered_dated",
	"children_rhi_eligible", "children_offered", "children_accepted",
	"recur_returns", "recurred_30d", "recur_pending",
	"recur_returns_held", "recurred_30d_held", "recur_returns_not_held", "recurred_30d_not_held",
};

#define B(k) ((uint64_t)1 << (k))
#define MAX_ROWS 20000000	/* about 4.6 GB of rows: a mistake rather than a report */


/* ---- what the whole input says ---- */

/* The figures each optional column feeds: absent, and (when rows were read) empty on every row. */
static const struct {
	int col;
	const char *name;
	uint64_t absent, empty;
} col_figures[] = {
	{ MP_STATS_COL_END, "end",
	  B(MP_ST_OPEN) | B(MP_ST_RHI_ELIGIBLE) | B(MP_ST_RHI_OFFERED) | B(MP_ST_RHI_ACCEPTED) | B(MP_ST_RHI_HELD) |
	  B(MP_ST_RHI_HELD_IN_TIME) | B(MP_ST_OVER_24H) | B(MP_ST_RHI_NOT_RECORDED) | B(MP_ST_RHI_PENDING) |
	  B(MP_ST_RHI_OFFERED_IN_TIME) | B(MP_ST_RHI_OFFERED_DATED) | B(MP_ST_CHILDREN_RHI_ELIGIBLE) |
	  B(MP_ST_CHILDREN_OFFERED) | B(MP_ST_CHILDREN_ACCEPTED) | B(MP_ST_RECUR_RETURNS) | B(MP_ST_RECURRED) |
	  B(MP_ST_RECUR_PENDING) | B(MP_ST_RECUR_RETURNS_HELD) | B(MP_ST_RECURRED_HELD) |
	  B(MP_ST_RECUR_RETURNS_NOT_HELD) | B(MP_ST_RECURRED_NOT_HELD),
	  0 },	/* an end empty on every row: every episode is open, a fact */
	{ MP_STATS_COL_OFFERED, "rhi_offered",
	  B(MP_ST_RHI_OFFERED) | B(MP_ST_RHI_ACCEPTED) | B(MP_ST_RHI_HELD) | B(MP_ST_RHI_HELD_IN_TIME) |
	  B(MP_ST_RHI_PENDING) | B(MP_ST_RHI_OFFERED_IN_TIME) | B(MP_ST_RHI_OFFERED_DATED) |
	  B(MP_ST_CHILDREN_RHI_ELIGIBLE) | B(MP_ST_CHILDREN_OFFERED) | B(MP_ST_CHILDREN_ACCEPTED) |
	  B(MP_ST_RECUR_RETURNS_HELD) | B(MP_ST_RECURRED_HELD) | B(MP_ST_RECUR_RETURNS_NOT_HELD) |
	  B(MP_ST_RECURRED_NOT_HELD),
	  B(MP_ST_RHI_OFFERED) | B(MP_ST_CHILDREN_OFFERED) | B(MP_ST_RHI_OFFERED_IN_TIME) |
	  B(MP_ST_RHI_OFFERED_DATED) },
	{ MP_STATS_COL_ACCEPTED, "rhi_accepted", B(MP_ST_RHI_ACCEPTED) | B(MP_ST_CHILDREN_ACCEPTED),
	  B(MP_ST_RHI_ACCEPTED) | B(MP_ST_CHILDREN_ACCEPTED) },
	{ MP_STATS_COL_HELD, "rhi_held",
	  B(MP_ST_RHI_HELD) | B(MP_ST_RHI_HELD_IN_TIME) | B(MP_ST_RHI_PENDING) | B(MP_ST_RECUR_RETURNS_HELD) |
	  B(MP_ST_RECURRED_HELD) | B(MP_ST_RECUR_RETURNS_NOT_HELD) | B(MP_ST_RECURRED_NOT_HELD),
	  B(MP_ST_RHI_HELD) | B(MP_ST_RHI_HELD_IN_TIME) | B(MP_ST_RHI_PENDING) | B(MP_ST_RECUR_RETURNS_HELD) |
	  B(MP_ST_RECURRED_HELD) | B(MP_ST_RECUR_RETURNS_NOT_HELD) | B(MP_ST_RECURRED_NOT_HELD) },
	{ MP_STATS_COL_OFFERED_AT, "rhi_offered_at", B(MP_ST_RHI_OFFERED_IN_TIME) | B(MP_ST_RHI_OFFERED_DATED),
	  B(MP_ST_RHI_OFFERED_IN_TIME) | B(MP_ST_RHI_OFFERED_DATED) },
};

static void
add_note(mp_stats *st, const char *text)
{
	st->notes = mp_xgrow(st->notes, &st->cnotes, st->nnotes + 2, sizeof *st->notes);
	st->notes[st->nnotes++] = mp_xstrdup(text);
	st->notes[st->nnotes] = NULL;
}

/* The optional columns absent (empty: empty on every row), their figures added to st->unrecorded. */
static void
unrecorded_note(mp_stats *st, int empty)
{
	const int idx[MP_STATS_NCOLS] = { st->cm.idx[MP_COL_END], st->c_off, st->c_acc, st->cm.idx[MP_COL_RHI_HELD], st->c_offat };
	char note[1024], names[128] = "";
	uint64_t m = 0;
	int n = 0, every = 0;

	for (size_t i = 0; i < sizeof col_figures / sizeof *col_figures; i++) {
		int c = col_figures[i].col;
		if (empty ? idx[c] < 0 || !st->rows_seen || (st->seen >> c & 1) || !col_figures[i].empty : idx[c] >= 0)
			continue;
		n += snprintf(names + n, sizeof names - n, "%s%s", n ? ", " : "", col_figures[i].name);
		m |= empty ? col_figures[i].empty : col_figures[i].absent;
		every |= !empty && c == MP_STATS_COL_OFFERED;
	}
	if (!n)
		return;
	n = snprintf(note, sizeof note, "warning: %s: %s%s", names, empty ? "empty on every row" : "no such column",
		     every ? " (every eligible episode is counted in rhi_not_recorded)" : "");
	const char *sep = "; not recorded, left empty: ";
	for (int k = 0; k < MP_ST_NCOUNTS && (size_t)n < sizeof note - 40; k++)
		if ((m & B(k)) && !(st->unrecorded & B(k))) {
			n += snprintf(note + n, sizeof note - n, "%s%s", sep, mp_stats_count_names[k]);
			sep = ", ";
		}
	st->unrecorded |= m;
	add_note(st, note);
}

/* The counts not recorded, and a note naming the columns responsible. */
static void
find_unrecorded(mp_stats *st)
{
	char note[512];

	unrecorded_note(st, 0);
	unrecorded_note(st, 1);
	for (int g = 0; g < st->cfg.ngroups; g++)
		if (st->gkind[g] == G_COLUMN && st->rows_seen && !(st->gseen >> g & 1)) {
			snprintf(note, sizeof note, "warning: %s: empty on every row: every episode is in its blank group (--group)",
				 st->gname[g]);
			add_note(st, note);
		}
}

/* Which cells count (whose children) and which record interviews. */
static int
classify_cells(mp_stats *st, fin *f)
{
	int ng = st->cfg.ngroups;
	const strtab *resp = &st->gval[ng + 1];
	unsigned char *keep = mp_xcalloc(resp->n + 1, 1);

	st->council = mp_la_council(&st->la, st->cfg.la);
	for (size_t i = 0; i < resp->n; i++) {
		int k = mp_children_keep(st->cfg.children, st->council, mp_strtab_str(resp, (uint32_t)i),
					 mp_strtab_len(resp, (uint32_t)i));
		if (k < 0) {
			mp_la_unknown_msg(&st->la, st->cfg.children, st->error, sizeof st->error);
			free(keep);
			return -1;
		}
		keep[i] = (unsigned char)k;
	}
	f->inc = mp_xcalloc(st->ncells + 1, 1);
	f->rec = mp_xcalloc(st->ncells + 1, 1);
	for (size_t i = 0; i < st->ncells; i++) {
		const cell *c = &st->cells[i];
		f->inc[i] = keep[c->gid[ng + 1]];
		f->rec[i] = st->c_off >= 0 && st->src_rec[c->gid[ng]];
		if (!f->inc[i])
			st->left_out += c->n[MP_ST_EPISODES];
	}
	free(keep);
	return 0;
}

/* ---- sorting ---- */

static inline int
ent_less(const ent *a, const ent *b)
{
	uint64_t x = a->w0 >> 8, y = b->w0 >> 8;
	return x != y ? x < y : a->w1 < b->w1;
}

/*
 * The child key mixed by a bijection of its 56 bits: distinct children stay
 * distinct, and the key's bytes are spread evenly (a packed id has ten
 * values a byte), so that a radix pass splits any set of entries well.
 */
uint64_t
mp_stats_mix56(uint64_t k)
{
	const uint64_t m = ((uint64_t)1 << 56) - 1;

	k = k * 0x9e3779b97f4a7c15ULL & m;	/* odd: a bijection modulo 2^56 */
	k ^= k >> 29;
	k = k * 0xbf58476d1ce4e5b9ULL & m;
	k ^= k >> 32;
	return k;
}

/*
 * One in-place American-flag pass of a[0..n) by byte b of the key, cell[]
 * (when not NULL) moved along: bucket k is a[start[k]] to a[start[k + 1]].
 */
static void
flag_pass(ent *a, long *cell, size_t n, int b, size_t start[257])
{
	size_t next[256];

	memset(start, 0, 257 * sizeof *start);
	for (size_t i = 0; i < n; i++)
		start[mp_stats_kbyte(&a[i], b) + 1]++;
	for (int k = 0; k < 256; k++)
		start[k + 1] += start[k];
	memcpy(next, start, sizeof next);
	for (unsigned k = 0; k < 256; k++)
		while (next[k] < start[k + 1]) {
			ent v = a[next[k]];
			long vc = cell ? cell[next[k]] : 0;
			unsigned kb;
			while ((kb = mp_stats_kbyte(&v, b)) != k) {
				size_t to = next[kb]++;
				ent t = a[to];
				a[to] = v;
				v = t;
				if (cell) {
					long tc = cell[to];
					cell[to] = vc;
					vc = tc;
				}
			}
			if (cell)
				cell[next[k]] = vc;
			a[next[k]++] = v;
		}
}

/* In-place MSD radix sort of entries (and their cells) by child, then start, from byte b on. */
void
mp_stats_sort_ents(ent *a, long *cell, size_t n, int b)
{
	size_t start[257];

	for (; n > 48 && b < 15; b++) {
		flag_pass(a, cell, n, b, start);
		if (start[mp_stats_kbyte(&a[0], b) + 1] - start[mp_stats_kbyte(&a[0], b)] == n)
			continue;	/* all alike in this byte */
		for (int k = 0; k < 256; k++)
			if (start[k + 1] - start[k] > 1)
				mp_stats_sort_ents(a + start[k], cell + start[k], start[k + 1] - start[k], b + 1);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		ent v = a[i];
		long vc = cell[i];
		size_t j = i;
		for (; j > 0 && ent_less(&v, &a[j - 1]); j--) {
			a[j] = a[j - 1];
			cell[j] = cell[j - 1];
		}
		a[j] = v;
		cell[j] = vc;
	}
}

/* A run's child keys mixed and its entries grouped by the top byte of the key, in order. */
static void
group_run(run *r)
{
	size_t start[257];

	for (size_t i = 0; i < r->n; i++)
		r->e[i].w0 = mp_stats_mix56(r->e[i].w0 >> 8) << 8 | (r->e[i].w0 & 0xff);
	flag_pass(r->e, NULL, r->n, 0, start);
}

/*
 * In-place MSD radix sort of durations from the byte at shift down (an
 * American-flag pass a level): no second array, which for the largest cell
 * would be a tenth of a report's memory at its peak.
 */
static void
sort_u32(uint32_t *a, size_t n, int shift)
{
	size_t start[257], next[256];

	if (n < 48) {
		for (size_t i = 1; i < n; i++) {
			uint32_t v = a[i];
			size_t j = i;
			for (; j > 0 && a[j - 1] > v; j--)
				a[j] = a[j - 1];
			a[j] = v;
		}
		return;
	}
	memset(start, 0, sizeof start);
	for (size_t i = 0; i < n; i++)
		start[(a[i] >> shift & 0xff) + 1]++;
	for (int k = 0; k < 256; k++)
		start[k + 1] += start[k];
	memcpy(next, start, sizeof next);
	for (unsigned k = 0; k < 256; k++)
		while (next[k] < start[k + 1]) {
			uint32_t v = a[next[k]];
			unsigned kb = v >> shift & 0xff;
			if (kb == k) {
				next[k]++;
			} else {
				a[next[k]] = a[next[kb]];
				a[next[kb]++] = v;
			}
		}
	for (int k = 0; shift && k < 256; k++)
		if (start[k + 1] - start[k] > 1)
			sort_u32(a + start[k], start[k + 1] - start[k], shift - 8);
}

struct sort_job {
	mp_stats *st;
	size_t from, step;
};

static void *
sort_cells(void *arg)
{
	struct sort_job *j = arg;
	mp_stats *st = j->st;
	for (size_t i = j->from; i < st->ncells; i += j->step) {
		cell *c = &st->cells[i];
		for (size_t r = 0; r < c->nruns; r++)
			group_run(&c->runs[r]);
		sort_u32(c->dur, c->ndur, 24);
	}
	if (j->from == 0)
		for (size_t r = 0; r < st->noutside; r++)
			group_run(&st->outside[r]);
	return NULL;
}

/* Sort every cell's durations and group its entries, shared among threads. */
static void
sort_all(mp_stats *st, int nthreads)
{
	struct sort_job job[64];

	if (nthreads < 1)
		nthreads = 1;
	if ((size_t)nthreads > st->ncells)
		nthreads = st->ncells ? (int)st->ncells : 1;
	if (nthreads > 64)
		nthreads = 64;
	for (int t = 0; t < nthreads; t++)
		job[t] = (struct sort_job){ st, (size_t)t, (size_t)nthreads };
	mp_stats_run_parts(sort_cells, job, sizeof *job, nthreads);
}

/* ---- medians ---- */

long
mp_stats_median_tenths(uint64_t twice_median_secs)
{
	/* hours x 10 = m2 / (2 * 3600) x 10 = m2 / 720 */
	return (long)((twice_median_secs + 360) / 720);
}

/* The k-th smallest (from 0) of the union of sorted duration arrays: a search on the value. */
static uint32_t
kth_duration(cell *const *cs, size_t ncs, size_t k)
{
	uint64_t lo = 0, hi = UINT32_MAX;

	while (lo < hi) {
		uint64_t mid = (lo + hi) / 2;
		size_t count = 0;
		for (size_t i = 0; i < ncs; i++) {
			size_t a = 0, b = cs[i]->ndur;
			while (a < b) {		/* values <= mid in this array */
				size_t m = (a + b) / 2;
				if (cs[i]->dur[m] <= mid)
					a = m + 1;
				else
					b = m;
			}
			count += a;
		}
		if (count > k)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (uint32_t)lo;
}

static long
median_of(cell *const *cs, size_t ncs)
{
	size_t n = 0;

	for (size_t i = 0; i < ncs; i++)
		n += cs[i]->ndur;
	if (n == 0)
		return -1;
	if (ncs == 1) {
		const uint32_t *d = cs[0]->dur;
		return mp_stats_median_tenths(n % 2 ? 2 * (uint64_t)d[n / 2] : (uint64_t)d[n / 2 - 1] + d[n / 2]);
	}
	uint64_t hi = kth_duration(cs, ncs, n / 2);
	uint64_t lo = n % 2 ? hi : kth_duration(cs, ncs, n / 2 - 1);
	return mp_stats_median_tenths(lo + hi);
}

/* ---- rows ---- */

/* Comparison of two group-id tuples for the row order (the engine: per thread). */
static _Thread_local const mp_stats *sort_st;
static int
cmp_combo(const void *a, const void *b)
{
	const uint32_t *x = a, *y = b;
	for (int g = 0; g < sort_st->cfg.ngroups; g++) {
		if (x[g] == y[g])
			continue;
		if (sort_st->gkind[g] != G_COLUMN)
			return x[g] < y[g] ? -1 : 1;
		const strtab *t = &sort_st->gval[g];
		size_t la = mp_strtab_len(t, x[g]), lb = mp_strtab_len(t, y[g]);
		int c = memcmp(mp_strtab_str(t, x[g]), mp_strtab_str(t, y[g]), la < lb ? la : lb);
		if (c)
			return c;
		return la < lb ? -1 : 1;
	}
	return 0;
}

/* The group combinations of the counted cells, sorted and distinct; returns how many. */
static size_t
find_combos(mp_stats *st, const fin *f, uint32_t **out)
{
	int ng = st->cfg.ngroups;
	size_t n = 0, ncombo = 0;
	uint32_t *combo = mp_xmalloc((st->ncells + 1) * (ng + 1) * sizeof *combo);

	*out = combo;
	if (ng == 0)
		return 1;
	for (size_t i = 0; i < st->ncells; i++)
		if (f->inc[i])
			memcpy(combo + n++ * ng, st->cells[i].gid, ng * sizeof *combo);
	sort_st = st;
	qsort(combo, n, ng * sizeof *combo, cmp_combo);
	for (size_t i = 0; i < n; i++)
		if (ncombo == 0 || memcmp(combo + (ncombo - 1) * ng, combo + i * ng, ng * sizeof *combo) != 0)
			memmove(combo + ncombo++ * ng, combo + i * ng, ng * sizeof *combo);
	return ncombo;
}

/* The periods: from --from (or the first counted) to --to (or the last counted); 0 when none. */
static size_t
find_periods(mp_stats *st, const fin *f, int64_t *p0)
{
	enum mp_period by = st->cfg.by;
	int64_t minp = 0, maxp = 0, p1;
	int any = 0;

	for (size_t i = 0; i < st->ncells; i++)
		if (f->inc[i]) {
			if (!any || st->cells[i].period < minp)
				minp = st->cells[i].period;
			if (!any || st->cells[i].period > maxp)
				maxp = st->cells[i].period;
			any = 1;
		}
	if (by == MP_BY_NONE) {
		*p0 = 0;
		return 1;
	}
	*p0 = st->cfg.has_from ? mp_period_key(by, st->cfg.from_day) : minp;
	p1 = st->cfg.has_to ? mp_period_key(by, st->cfg.to_day) : maxp;
	if (!any && st->cfg.has_from != st->cfg.has_to) {
		if (st->cfg.has_from)
			p1 = *p0;
		else
			*p0 = p1;
	}
	if (!any && !st->cfg.has_from && !st->cfg.has_to)
		return 0;
	return p1 >= *p0 ? (size_t)(p1 - *p0 + 1) : 0;
}

/* Label every row and give it its days and group values. */
static void
label_rows(mp_stats *st, const fin *f, const uint32_t *combo)
{
	enum mp_period by = st->cfg.by;
	int ng = st->cfg.ngroups, any = 0;
	int64_t minday = 0, maxday = 0;

	for (size_t i = 0; i < st->ncells; i++)
		if (f->inc[i] && st->cells[i].n[MP_ST_EPISODES]) {
			if (!any || st->cells[i].minday < minday)
				minday = st->cells[i].minday;
			if (!any || st->cells[i].maxday > maxday)
				maxday = st->cells[i].maxday;
			any = 1;
		}
	for (size_t ci = 0; ci < f->ncombo; ci++) {
		const uint32_t *gid = combo + ci * ng;
		for (size_t pi = 0; pi < f->nper; pi++) {
			mp_stats_row *row = &st->rows[pi * f->ncombo + ci];
			int64_t key = f->p0 + (int64_t)pi;
			mp_period_label(by, key, row->period);
			mp_period_days(by, key, &row->first_day, &row->last_day);
			if (st->cfg.has_from && row->first_day < st->cfg.from_day)
				row->first_day = st->cfg.from_day;
			if (st->cfg.has_to && row->last_day > st->cfg.to_day)
				row->last_day = st->cfg.to_day;
			if (by == MP_BY_NONE) {
				/* One period: from --from (or the first start) to --to (or the last). */
				row->first_day = st->cfg.has_from ? st->cfg.from_day : minday;
				row->last_day = st->cfg.has_to ? st->cfg.to_day : maxday;
			}
			for (int g = 0; g < ng; g++)
				row->group[g] = mp_strtab_str(&st->gval[g], gid[g]);
			row->median_tenths = -1;
		}
		if (st->cfg.total) {
			mp_stats_row *row = &st->rows[f->nper * f->ncombo + ci];
			snprintf(row->period, sizeof row->period, "total");
			row->is_total = 1;
			if (f->nper) {
				row->first_day = st->rows[ci].first_day;
				row->last_day = st->rows[(f->nper - 1) * f->ncombo + ci].last_day;
			}
			for (int g = 0; g < ng; g++)
				row->group[g] = mp_strtab_str(&st->gval[g], gid[g]);
			row->median_tenths = -1;
		}
	}
}

/* A cell's counts into a row: a source that records no interview gives only rhi_not_recorded. */
static void
add_counts(long *n, const cell *c, int rec)
{
	static const int always[] = { MP_ST_EPISODES, MP_ST_MISSING, MP_ST_AWAY, MP_ST_ABSENT, MP_ST_OPEN,
				      MP_ST_RHI_ELIGIBLE, MP_ST_OVER_24H };
	static const int interview[] = { MP_ST_RHI_OFFERED, MP_ST_RHI_ACCEPTED, MP_ST_RHI_HELD,
					 MP_ST_RHI_HELD_IN_TIME, MP_ST_RHI_PENDING, MP_ST_RHI_OFFERED_IN_TIME,
					 MP_ST_RHI_OFFERED_DATED };

	for (size_t i = 0; i < sizeof always / sizeof *always; i++)
		n[always[i]] += c->n[always[i]];
	if (!rec) {
		n[MP_ST_RHI_NOT_RECORDED] += c->n[MP_ST_RHI_ELIGIBLE];
		return;
	}
	for (size_t i = 0; i < sizeof interview / sizeof *interview; i++)
		n[interview[i]] += c->n[interview[i]];
}

/* Each counted cell's rows; their counts; the medians over each row's cells. */
static void
fill_rows(mp_stats *st, fin *f, const uint32_t *combo)
{
	size_t nrows = st->nrows;
	size_t *first = mp_xcalloc(nrows + 2, sizeof *first);
	cell **cs = mp_xcalloc(2 * st->ncells + 1, sizeof *cs);

	f->row = mp_xmalloc((st->ncells + 1) * sizeof *f->row);
	f->trow = mp_xmalloc((st->ncells + 1) * sizeof *f->trow);
	sort_st = st;
	for (size_t i = 0; i < st->ncells; i++) {
		const cell *c = &st->cells[i];
		f->row[i] = f->trow[i] = UINT32_MAX;
		if (!f->inc[i])
			continue;
		const uint32_t *g = st->cfg.ngroups
			? bsearch(c->gid, combo, f->ncombo, st->cfg.ngroups * sizeof *combo, cmp_combo) : combo;
		size_t ci = (size_t)(g - combo) / (st->cfg.ngroups ? (size_t)st->cfg.ngroups : 1);
		f->row[i] = (uint32_t)((size_t)(c->period - f->p0) * f->ncombo + ci);
		if (st->cfg.total)
			f->trow[i] = (uint32_t)(f->nper * f->ncombo + ci);
		add_counts(st->rows[f->row[i]].n, c, f->rec[i]);
		first[f->row[i] + 1]++;
		if (st->cfg.total) {
			add_counts(st->rows[f->trow[i]].n, c, f->rec[i]);
			first[f->trow[i] + 1]++;
		}
	}
	for (size_t r = 0; r < nrows; r++)
		first[r + 1] += first[r];
	size_t *at = mp_xmalloc((nrows + 1) * sizeof *at);
	memcpy(at, first, (nrows + 1) * sizeof *at);
	for (size_t i = 0; i < st->ncells; i++) {
		if (f->row[i] != UINT32_MAX)
			cs[at[f->row[i]]++] = &st->cells[i];
		if (f->trow[i] != UINT32_MAX)
			cs[at[f->trow[i]]++] = &st->cells[i];
	}
	for (size_t r = 0; r < nrows && !st->external; r++)	/* a store's engine: the store finds them */
		st->rows[r].median_tenths = median_of(cs + first[r], first[r + 1] - first[r]);
	free(at);
	free(first);
	free(cs);
}

/* ---- every child's episodes: distinct children and recurrence ---- */

/* The counts of row r: a thread's tally, or the row itself. */
static inline long *
row_n(mp_stats *st, tally *acc, uint32_t r)
{
	return acc ? acc[r] : st->rows[r].n;
}

static int
cmp_hit(const void *a, const void *b)
{
	const hit *x = a, *y = b;
	return (x->row > y->row) - (x->row < y->row);
}

/* Children, repeat children and children with an eligible, offered, accepted episode, per row. */
static void
child_rows(mp_stats *st, tally *acc, const ent *e, const long *cell, size_t m, hit *hits)
{
	const fin *f = &st->fin;
	size_t nh = 0;

	for (size_t i = 0; i < m; i++) {
		long c = cell[i];
		if (c < 0 || !f->inc[c])
			continue;
		unsigned fl = f->rec[c] ? (unsigned)(e[i].w0 & (F_ELIG | F_OFF | F_ACC)) : 0;
		hits[nh++] = (hit){ f->row[c], fl };
		if (f->trow[c] != UINT32_MAX)
			hits[nh++] = (hit){ f->trow[c], fl };
	}
	if (nh > 16) {
		qsort(hits, nh, sizeof *hits, cmp_hit);
	} else {
		for (size_t i = 1; i < nh; i++) {
			hit v = hits[i];
			size_t j = i;
			for (; j > 0 && hits[j - 1].row > v.row; j--)
				hits[j] = hits[j - 1];
			hits[j] = v;
		}
	}
	for (size_t i = 0; i < nh;) {
		size_t j = i;
		unsigned fl = 0;
		for (; j < nh && hits[j].row == hits[i].row; j++)
			fl |= hits[j].flags;
		long *n = row_n(st, acc, hits[i].row);
		n[MP_ST_CHILDREN]++;
		n[MP_ST_REPEAT_CHILDREN] += (long)(j - i) >= st->cfg.repeat_min;
		n[MP_ST_CHILDREN_RHI_ELIGIBLE] += (fl & F_ELIG) != 0;
		n[MP_ST_CHILDREN_OFFERED] += (fl & F_OFF) != 0;
		n[MP_ST_CHILDREN_ACCEPTED] += (fl & F_ACC) != 0;
		i = j;
	}
}

static uint64_t ent_start(const ent *e) { return e->w1 >> D_BITS; }

/* The return of episode e on the entry scale. */
static uint64_t
ent_end(const ent *e)
{
	uint64_t d = e->w1 & (((uint64_t)1 << D_BITS) - 1);
	int64_t dur = (int64_t)(d ^ ((uint64_t)1 << (D_BITS - 1))) - ((int64_t)1 << (D_BITS - 1));
	return (uint64_t)((int64_t)ent_start(e) + dur);
}

/*
 * Whether another of the child's episodes (e, by start) starts within
 * days of the return at end of episode i, not before it: in elapsed time
 * when both have a time of day, else in calendar days.
 */
static int
recurs(const ent *e, size_t m, size_t i, uint64_t end, int edate, long days)
{
	uint64_t lo = end > 2 * 86400 ? end - 2 * 86400 : 0, hi = end + (uint64_t)(days + 2) * 86400;
	size_t a = 0, b = m;

	while (a < b) {		/* the first episode that may start late enough */
		size_t mid = (a + b) / 2;
		if (ent_start(&e[mid]) < lo)
			a = mid + 1;
		else
			b = mid;
	}
	for (size_t j = a; j < m && ent_start(&e[j]) <= hi; j++) {
		uint64_t s = ent_start(&e[j]);
		int sdate = (e[j].w0 & F_SDATE) != 0;
		if (j == i)
			continue;
		if (!edate && !sdate) {
			if (s >= end && s - end <= (uint64_t)days * 86400)
				return 1;
		} else {
			int64_t ds = mp_stats_tday(s, sdate), de = mp_stats_tday(end, edate);
			if (ds >= de && ds - de <= days)
				return 1;
		}
	}
	return 0;
}

/* The recurrence counts of one row for a return (pending: too recent). */
static void
count_recur(long *n, int pending, int found, int rec, int held)
{
	if (pending) {
		n[MP_ST_RECUR_PENDING]++;
		return;
	}
	n[MP_ST_RECUR_RETURNS]++;
	n[MP_ST_RECURRED] += found;
	if (!rec)
		return;
	n[held ? MP_ST_RECUR_RETURNS_HELD : MP_ST_RECUR_RETURNS_NOT_HELD]++;
	n[held ? MP_ST_RECURRED_HELD : MP_ST_RECURRED_NOT_HELD] += found;
}

/* Recurrence after each of the child's eligible returns. */
static void
child_recurrence(mp_stats *st, tally *acc, const ent *e, const long *cell, size_t m)
{
	const fin *f = &st->fin;
	long days = st->cfg.recur_days;

	for (size_t i = 0; i < m; i++) {
		long c = cell[i];
		unsigned fl = (unsigned)(e[i].w0 & 0xff);
		if (c < 0 || !f->inc[c] || !(fl & F_ELIG))
			continue;
		uint64_t end = ent_end(&e[i]);
		int edate = (fl & F_EDATE) != 0;
		int pending = edate ? f->now_day <= mp_stats_tday(end, 1) + days
				    : (int64_t)end + days * 86400 > f->now_t;
		int found = !pending && !(fl & F_LONG) && recurs(e, m, i, end, edate, days);
		int held = (fl & F_HELD) != 0;
		count_recur(row_n(st, acc, f->row[c]), pending, found, f->rec[c], held);
		if (f->trow[c] != UINT32_MAX)
			count_recur(row_n(st, acc, f->trow[c]), pending, found, f->rec[c], held);
	}
}

void
mp_stats_child(mp_stats *st, tally *acc, const ent *e, const long *cell, size_t m, hit *hits)
{
	child_rows(st, acc, e, cell, m, hits);
	if (!st->cfg.no_recurrence)
		child_recurrence(st, acc, e, cell, m);
}

void
mp_stats_bucket_room(bucket *bk, size_t n)
{
	size_t need = bk->n + n, cap = bk->cap;

	bk->e = mp_xgrow(bk->e, &cap, need, sizeof *bk->e);
	bk->cell = mp_xgrow(bk->cell, &bk->cap, need, sizeof *bk->cell);
	bk->hits = mp_xgrow(bk->hits, &bk->hcap, 2 * need, sizeof *bk->hits);
}

void
mp_stats_bucket_free(bucket *bk)
{
	free(bk->e);
	free(bk->cell);
	free(bk->hits);
}

/* The first entry of a run (grouped by the key's top byte) whose top byte is b or more. */
static size_t
run_seek(const run *r, unsigned b)
{
	size_t lo = 0, hi = r->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (mp_stats_kbyte(&r->e[mid], 0) < b)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Take a run's entries whose key's top byte is b (from *pos on: the run is grouped by that byte). */
static void
take_bucket(bucket *bk, const run *r, size_t *pos, unsigned b, long cell)
{
	size_t i = *pos;

	while (i < r->n && mp_stats_kbyte(&r->e[i], 0) == b)
		i++;
	if (i == *pos)
		return;	/* none: and no pointer arithmetic on an empty run's or bucket's NULL (UBSan) */
	mp_stats_bucket_room(bk, i - *pos);
	memcpy(bk->e + bk->n, r->e + *pos, (i - *pos) * sizeof *bk->e);
	for (size_t k = *pos; k < i; k++)
		bk->cell[bk->n++] = cell;
	*pos = i;
}

int
mp_stats_walk_threads(size_t ntally, int nthreads)
{
	/* Each thread but the first keeps its own tallies: not when they would be large. */
	if (nthreads < 1 || ntally * sizeof(tally) > ((size_t)64 << 20))
		return 1;
	return nthreads > 64 ? 64 : nthreads;
}

void
mp_stats_run_parts(void *(*fn)(void *), void *parts, size_t size, int n)
{
	pthread_t tid[64];
	int started[64] = { 0 };
	char *p = parts;

	for (int t = 1; t < n; t++)
		started[t] = pthread_create(&tid[t], NULL, fn, p + t * size) == 0;
	fn(p);
	for (int t = 1; t < n; t++)
		if (started[t])
			pthread_join(tid[t], NULL);
		else
			fn(p + t * size);
}

void
mp_stats_tally_add(mp_stats *st, tally *acc)
{
	if (!acc)
		return;
	for (size_t r = 0; r < st->nrows; r++)
		for (int k = 0; k < MP_ST_NCOUNTS; k++)
			st->rows[r].n[k] += acc[r][k];
	free(acc);
}

/* One thread's share of a walk over an engine's own runs: the buckets b0 to b1 - 1. */
struct walk_part {
	mp_stats *st;
	unsigned b0, b1;
	tally *acc;
};

/*
 * Walk the children of buckets b0 to b1 - 1: the bucket's entries of every
 * run gathered and sorted by child and start, small enough to stay in the
 * cache, then each child's counted.
 */
static void *
walk_part(void *arg)
{
	struct walk_part *w = arg;
	mp_stats *st = w->st;
	bucket bk = { 0 };
	size_t nr = st->noutside;

	for (size_t i = 0; i < st->ncells; i++)
		nr += st->cells[i].nruns;
	size_t *pos = mp_xcalloc(nr + 1, sizeof *pos);
	size_t k = 0;
	for (size_t i = 0; i < st->ncells; i++)
		for (size_t r = 0; r < st->cells[i].nruns; r++)
			pos[k++] = run_seek(&st->cells[i].runs[r], w->b0);
	for (size_t r = 0; r < st->noutside; r++)
		pos[k++] = run_seek(&st->outside[r], w->b0);
	for (unsigned b = w->b0; b < w->b1; b++) {
		k = 0;
		bk.n = 0;
		for (size_t i = 0; i < st->ncells; i++)
			for (size_t r = 0; r < st->cells[i].nruns; r++)
				take_bucket(&bk, &st->cells[i].runs[r], &pos[k++], b, (long)i);
		for (size_t r = 0; r < st->noutside; r++)
			take_bucket(&bk, &st->outside[r], &pos[k++], b, -1);
		mp_stats_sort_ents(bk.e, bk.cell, bk.n, 1);
		for (size_t i = 0, j; i < bk.n; i = j) {
			j = mp_stats_child_end(&bk, i);
			mp_stats_child(st, w->acc, bk.e + i, bk.cell + i, j - i, bk.hits);
		}
	}
	free(pos);
	mp_stats_bucket_free(&bk);
	return NULL;
}

/* Walk every child's episodes, bucket by bucket (the top byte of the mixed child key), in threads. */
static void
walk_children(mp_stats *st, int nthreads)
{
	struct walk_part part[64];
	int n = mp_stats_walk_threads(st->nrows, nthreads);

	for (int t = 0; t < n; t++)
		part[t] = (struct walk_part){ st, (unsigned)(256 * t / n), (unsigned)(256 * (t + 1) / n),
					      t ? mp_xcalloc(st->nrows + 1, sizeof(tally)) : NULL };
	mp_stats_run_parts(walk_part, part, sizeof *part, n);
	for (int t = 1; t < n; t++)
		mp_stats_tally_add(st, part[t].acc);
}

/* ---- finishing ---- */

int
mp_stats_prepare(mp_stats *st, int nthreads)
{
	fin *f = &st->fin;
	uint32_t *combo;

	if (classify_cells(st, f))
		return -1;
	find_unrecorded(st);
	sort_all(st, nthreads);
	f->nper = find_periods(st, f, &f->p0);
	f->ncombo = find_combos(st, f, &combo);
	if (f->ncombo && f->nper > MAX_ROWS / f->ncombo) {
		snprintf(st->error, sizeof st->error, "%zu periods x %zu group combinations would be more than %d "
			 "rows: use fewer or coarser periods or groups", f->nper, f->ncombo, MAX_ROWS);
		free(combo);
		return -1;
	}
	st->nrows = f->nper * f->ncombo + (st->cfg.total ? f->ncombo : 0);
	st->rows = mp_xcalloc(st->nrows + 1, sizeof *st->rows);
	f->now_t = st->cfg.now + T_BASE;
	f->now_day = mp_stats_tday((uint64_t)f->now_t, 0);
	label_rows(st, f, combo);
	fill_rows(st, f, combo);
	free(combo);
	return 0;
}

void
mp_stats_complete(mp_stats *st)
{
	fin *f = &st->fin;

	if (st->cfg.no_recurrence)
		st->unrecorded |= B(MP_ST_RECUR_RETURNS) | B(MP_ST_RECURRED) | B(MP_ST_RECUR_PENDING) |
				  B(MP_ST_RECUR_RETURNS_HELD) | B(MP_ST_RECURRED_HELD) |
				  B(MP_ST_RECUR_RETURNS_NOT_HELD) | B(MP_ST_RECURRED_NOT_HELD);
	st->cell_inc = f->inc;
	f->inc = NULL;
	free(f->rec);
	free(f->row);
	free(f->trow);
	f->rec = NULL;
	f->row = f->trow = NULL;
}

int
mp_stats_finish(mp_stats *st, int nthreads)
{
	if (st->finished)
		return st->failed ? -1 : 0;
	st->finished = 1;
	if (mp_stats_prepare(st, nthreads)) {
		st->failed = 1;
		mp_stats_complete(st);
		return -1;
	}
	walk_children(st, nthreads);
	mp_stats_complete(st);
	return 0;
}

size_t mp_stats_nrows(const mp_stats *st) { return st->nrows; }
const mp_stats_row *mp_stats_row_at(const mp_stats *st, size_t i) { return &st->rows[i]; }
int mp_stats_ngroups(const mp_stats *st) { return st->cfg.ngroups; }
const char *mp_stats_group_name(const mp_stats *st, int i) { return st->gname[i]; }
const char *mp_stats_error(const mp_stats *st) { return st->error; }
long mp_stats_left_out(const mp_stats *st) { return st->left_out; }
const char *mp_stats_la(const mp_stats *st) { return st->council ? st->council : ""; }

int
mp_stats_recorded(const mp_stats *st, enum mp_stats_count k)
{
	return !(st->unrecorded & B(k));
}

const char *
mp_stats_note(const mp_stats *st, size_t i)
{
	return i < st->nnotes ? st->notes[i] : NULL;
}

const char *
mp_stats_unrecorded_source(const mp_stats *st, size_t i, long *eligible)
{
	int ng = st->cfg.ngroups;
	const strtab *src = &st->gval[ng];

	for (size_t s = 0; s < src->n; s++) {
		if (st->c_off >= 0 && st->src_rec[s])
			continue;
		*eligible = 0;
		for (size_t c = 0; c < st->ncells; c++)
			if (st->cells[c].gid[ng] == s && st->cell_inc && st->cell_inc[c])
				*eligible += st->cells[c].n[MP_ST_RHI_ELIGIBLE];
		if (i-- == 0)
			return mp_strtab_str(src, s);
	}
	return NULL;
}
