/* repeat.c: a store of episodes by child: one arena for strings, hash tables, in-place grouping. */
#include "repeat.h"
#include "err.h"
#include "mptime.h"
#include "writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Open-addressing table of arena strings.  A slot holds the first 8 bytes
 * of its key, so most lookups touch one cache line: keys of up to 8 bytes
 * (most child ids) never need the arena.
 */
typedef struct slot {
	uint64_t pre;		/* the key's first 8 bytes, zero-padded */
	uint32_t idx1;		/* entry index + 1; 0: empty */
	uint32_t len;
} slot;

typedef struct strtab {
	slot *slot;
	size_t cap, n;
} strtab;

struct mp_repeat {
	char *arena;
	size_t alen, acap;

	mp_rep_child *kids;
	size_t nkids, ckids;
	strtab kidtab;		/* slot: child index + 1 */

	uint32_t *valoff;	/* interned values: arena offsets */
	uint32_t *vallen;
	size_t nvals, cvals;
	strtab valtab;		/* slot: value index + 1 */

	mp_rep_ep *eps;
	size_t neps, ceps;

	int finished;
};

static uint64_t
prefix(const char *s, size_t n)
{
	uint64_t w = 0;

	memcpy(&w, s, n < 8 ? n : 8);
	return w;
}

/* The first 8 bytes and the length through a 64-bit mixer; FNV-1a over the rest. */
static uint32_t
hash_bytes(const char *s, size_t n)
{
	uint64_t h = prefix(s, n) ^ ((uint64_t)n << 56);

	for (size_t i = 8; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return (uint32_t)h;
}

/* Copy bytes into the arena, NUL-terminated; returns the offset. */
static uint32_t
arena_put(mp_repeat *r, const char *s, size_t n)
{
	if (r->alen + n + 1 > r->acap) {
		size_t cap = r->acap ? r->acap : 1 << 16;
		while (cap < r->alen + n + 1)
			cap *= 2;
		if (cap > UINT32_MAX)
			mp_die(1, "more than 4 GB of ids: too much input for one run");
		r->arena = mp_xrealloc(r->arena, cap);
		r->acap = cap;
	}
	uint32_t off = (uint32_t)r->alen;
	memcpy(r->arena + r->alen, s, n);
	r->arena[r->alen + n] = '\0';
	r->alen += n + 1;
	return off;
}

mp_repeat *
mp_repeat_new(void)
{
	mp_repeat *r = mp_xcalloc(1, sizeof *r);

	arena_put(r, "", 0);	/* offset 0 is the empty string */
	return r;
}

void
mp_repeat_free(mp_repeat *r)
{
	if (!r)
		return;
	free(r->arena);
	free(r->kids);
	free(r->kidtab.slot);
	free(r->valoff);
	free(r->vallen);
	free(r->valtab.slot);
	free(r->eps);
	free(r);
}

/* The string of entry e of a table (children or values). */
static const char *
entry(const mp_repeat *r, int kids, uint32_t e)
{
	return r->arena + (kids ? r->kids[e].idoff : r->valoff[e]);
}

/* Double a table, re-placing its entries. */
static void
tab_grow(mp_repeat *r, strtab *t, int kids)
{
	size_t cap = t->cap ? 2 * t->cap : 1024;
	slot *sl = mp_xcalloc(cap, sizeof *sl);

	for (size_t i = 0; i < t->cap; i++) {
		if (!t->slot[i].idx1)
			continue;
		size_t j = hash_bytes(entry(r, kids, t->slot[i].idx1 - 1), t->slot[i].len) & (cap - 1);
		while (sl[j].idx1)
			j = (j + 1) & (cap - 1);
		sl[j] = t->slot[i];
	}
	free(t->slot);
	t->slot = sl;
	t->cap = cap;
}

/* Find s in t, or add it as entry t->n (the caller then records its string). */
static uint32_t
tab_find(mp_repeat *r, strtab *t, int kids, const char *s, size_t n, int *added)
{
	if (2 * (t->n + 1) > t->cap)
		tab_grow(r, t, kids);
	uint64_t pre = prefix(s, n);
	size_t j = hash_bytes(s, n) & (t->cap - 1);
	while (t->slot[j].idx1) {
		slot *sl = &t->slot[j];
		if (sl->pre == pre && sl->len == n && (n <= 8 || memcmp(entry(r, kids, sl->idx1 - 1) + 8, s + 8, n - 8) == 0)) {
			*added = 0;
			return sl->idx1 - 1;
		}
		j = (j + 1) & (t->cap - 1);
	}
	if (t->n >= UINT32_MAX - 1 || n > UINT32_MAX)
		mp_die(1, "too many distinct values");
	t->slot[j].pre = pre;
	t->slot[j].idx1 = (uint32_t)t->n + 1;
	t->slot[j].len = (uint32_t)n;
	*added = 1;
	return (uint32_t)t->n++;
}

uint32_t
mp_repeat_child(mp_repeat *r, const char *id, size_t len)
{
	int added;
	uint32_t k = tab_find(r, &r->kidtab, 1, id, len, &added);

	if (added) {
		if (r->nkids == r->ckids) {
			r->ckids = r->ckids ? 2 * r->ckids : 1024;
			r->kids = mp_xrealloc(r->kids, r->ckids * sizeof *r->kids);
		}
		mp_rep_child *c = &r->kids[k];
		memset(c, 0, sizeof *c);
		c->idoff = arena_put(r, id, len);
		c->idlen = (uint32_t)len;
		c->last_utc = INT64_MIN;
		r->nkids++;
	}
	return k;
}

/* The arena offset of value s, interned. */
static uint32_t
intern(mp_repeat *r, const char *s, size_t n)
{
	int added;
	uint32_t k;

	if (n == 0)
		return 0;
	/* Care statuses and flags are a handful of short codes: look at them first. */
	for (size_t i = 0; i < r->nvals && i < 16; i++)
		if (r->vallen[i] == n && memcmp(r->arena + r->valoff[i], s, n) == 0)
			return r->valoff[i];
	k = tab_find(r, &r->valtab, 0, s, n, &added);
	if (added) {
		if (r->nvals == r->cvals) {
			r->cvals = r->cvals ? 2 * r->cvals : 64;
			r->valoff = mp_xrealloc(r->valoff, r->cvals * sizeof *r->valoff);
			r->vallen = mp_xrealloc(r->vallen, r->cvals * sizeof *r->vallen);
		}
		r->valoff[k] = arena_put(r, s, n);
		r->vallen[k] = (uint32_t)n;
		r->nvals++;
	}
	return r->valoff[k];
}

void
mp_repeat_seen(mp_repeat *r, uint32_t child, int64_t utc, unsigned file, unsigned long line,
	       const char *const *vals, const size_t *lens)
{
	mp_rep_child *c = &r->kids[child];

	if (utc < c->last_utc ||
	    (utc == c->last_utc && (file < c->last_file || (file == c->last_file && line < c->last_line))))
		return;
	c->last_utc = utc;
	c->last_file = (uint16_t)file;
	c->last_line = (uint32_t)line;
	for (int i = 0; i < MP_REP_NVALS; i++)
		c->val[i] = intern(r, vals[i], lens[i]);
}

void
mp_repeat_add(mp_repeat *r, uint32_t child, const char *id, size_t idlen, int type,
	      int64_t utc, int32_t day, int has_time, unsigned file, unsigned long line)
{
	if (r->neps == r->ceps) {
		r->ceps = r->ceps ? 2 * r->ceps : 4096;
		r->eps = mp_xrealloc(r->eps, r->ceps * sizeof *r->eps);
	}
	mp_rep_ep *e = &r->eps[r->neps++];
	e->utc = utc;
	e->child = child;
	e->day = day;
	e->idoff = arena_put(r, id, idlen);
	e->line = line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
	e->file = (uint16_t)file;
	e->type = (uint8_t)type;
	e->has_time = (uint8_t)(has_time != 0);
	e->spare = 0;
	r->kids[child].n++;
}

/* Order within a child: start, type, then where it was read. */
static int
ep_cmp(const void *pa, const void *pb)
{
	const mp_rep_ep *a = pa, *b = pb;

	if (a->utc != b->utc)
		return a->utc < b->utc ? -1 : 1;
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if (a->file != b->file)
		return a->file < b->file ? -1 : 1;
	return a->line < b->line ? -1 : a->line > b->line;
}

static void
sort_eps(mp_rep_ep *e, size_t n)
{
	if (n > 24) {
		qsort(e, n, sizeof *e, ep_cmp);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		mp_rep_ep x = e[i];
		size_t j = i;
		while (j > 0 && ep_cmp(&e[j - 1], &x) > 0) {
			e[j] = e[j - 1];
			j--;
		}
		e[j] = x;
	}
}

size_t
mp_repeat_finish(mp_repeat *r, void (*dup)(void *ctx, const mp_rep_ep *kept, const mp_rep_ep *dropped),
		 void *ctx)
{
	size_t dropped = 0, pos = 0;
	uint32_t *next;

	if (r->finished)
		return 0;
	r->finished = 1;
	/* A counting sort by child: bucket starts, then one scatter into a new array. */
	next = mp_xmalloc((r->nkids + 1) * sizeof *next);
	for (size_t k = 0; k < r->nkids; k++) {
		r->kids[k].first = (uint32_t)pos;
		next[k] = (uint32_t)pos;
		pos += r->kids[k].n;
	}
	mp_rep_ep *to = mp_xmalloc((r->neps ? r->neps : 1) * sizeof *to);
	for (size_t i = 0; i < r->neps; i++)
		to[next[r->eps[i].child]++] = r->eps[i];
	free(r->eps);
	r->eps = to;
	r->ceps = r->neps;
	free(next);
	for (size_t k = 0; k < r->nkids; k++) {
		mp_rep_child *c = &r->kids[k];
		mp_rep_ep *e = r->eps + c->first;
		size_t o = 0;
		sort_eps(e, c->n);
		for (size_t i = 0; i < c->n; i++) {
			if (o > 0 && e[o - 1].utc == e[i].utc && e[o - 1].type == e[i].type) {
				if (dup)
					dup(ctx, &e[o - 1], &e[i]);
				dropped++;
				continue;
			}
			e[o++] = e[i];
		}
		c->n = (uint32_t)o;
	}
	return dropped;
}

enum mp_rep_verdict
mp_repeat_count(mp_repeat *r, const mp_rep_opts *o, const mp_colmap *cols,
		const mp_record *rec, unsigned file, const char **col, char *msg, size_t msgsz)
{
	static const enum mp_col vcols[MP_REP_NVALS] = { MP_COL_CARE_STATUS, MP_COL_PLACEMENT, MP_COL_HOTH };
	const char *vs[MP_REP_NVALS];
	size_t vl[MP_REP_NVALS];
	mp_episode ep;

	if (mp_episode_decode(cols, rec, &ep, col, msg, msgsz))
		return MP_REP_REJECTED;
	int64_t day = mp_local_day(&ep.start);	/* written with an offset: its UK date */
	if (o->as_of && (ep.start.utc > o->as_of_utc || day < o->from_day))
		return MP_REP_OUTSIDE;
	for (int v = 0; v < MP_REP_NVALS; v++) {
		mp_field f = mp_get(cols, rec, vcols[v]);
		vs[v] = f.s, vl[v] = f.len;
	}
	uint32_t line = rec->line > UINT32_MAX ? UINT32_MAX : (uint32_t)rec->line;
	uint32_t c = mp_repeat_child(r, ep.child.s, ep.child.len);
	/* The latest row of any type gives the child's values. */
	mp_repeat_seen(r, c, ep.start.utc, file, line, vs, vl);
	if (!(o->types & (1u << ep.type)))
		return MP_REP_OTHER_TYPE;
	mp_repeat_add(r, c, ep.id.s, ep.id.len, (int)ep.type, ep.start.utc, (int32_t)day, ep.start.has_time,
		      file, line);
	return MP_REP_COUNTED;
}

size_t mp_repeat_nchildren(const mp_repeat *r) { return r->nkids; }
const mp_rep_child *mp_repeat_get(const mp_repeat *r, uint32_t child) { return &r->kids[child]; }
const char *mp_repeat_str(const mp_repeat *r, uint32_t off) { return r->arena + off; }

const mp_rep_ep *
mp_repeat_episodes(const mp_repeat *r, uint32_t child, size_t *n)
{
	*n = r->kids[child].n;
	return r->eps ? r->eps + r->kids[child].first : NULL;
}

static const mp_repeat *order_store;

static int
child_cmp(const void *pa, const void *pb)
{
	const mp_rep_child *a = &order_store->kids[*(const uint32_t *)pa];
	const mp_rep_child *b = &order_store->kids[*(const uint32_t *)pb];
	size_t n = a->idlen < b->idlen ? a->idlen : b->idlen;
	int c = memcmp(order_store->arena + a->idoff, order_store->arena + b->idoff, n);

	if (c)
		return c;
	return a->idlen < b->idlen ? -1 : a->idlen > b->idlen;
}

void
mp_repeat_sort(const mp_repeat *r, uint32_t *children, size_t n)
{
	order_store = r;
	qsort(children, n, sizeof *children, child_cmp);
	order_store = NULL;
}

size_t
mp_repeat_fullest(const mp_rep_ep *e, size_t n, int days, size_t *first)
{
	size_t best = 0, j = 0;

	*first = 0;
	for (size_t i = 0; i < n; i++) {
		if (j < i)
			j = i;
		while (j < n && (int64_t)e[j].day - e[i].day < days)
			j++;
		if (j - i > best) {
			best = j - i;
			*first = i;
		}
	}
	return best;
}

/* The ids of a row's episodes, joined by ';', grown as needed. */
typedef struct idbuf {
	char *s;
	size_t cap;
} idbuf;

static void
write_ids(mp_writer *w, const mp_repeat *r, const mp_rep_ep *e, size_t n, idbuf *b)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		const char *id = r->arena + e[i].idoff;
		size_t il = strlen(id);
		if (len + il + 2 > b->cap) {
			b->cap = (len + il + 2) * 2;
			b->s = mp_xrealloc(b->s, b->cap);
		}
		if (i)
			b->s[len++] = ';';
		memcpy(b->s + len, id, il);
		len += il;
	}
	mp_writer_field(w, b->s ? b->s : "", len);
}

/* A start as it was given: a date alone stays a date, seconds are kept. */
static void
write_start(mp_writer *w, const mp_rep_ep *e)
{
	char buf[40];
	size_t n = mp_time_format_as_given(buf, e->utc, e->day, e->has_time);

	mp_writer_field(w, buf, n);
}

static void
write_date(mp_writer *w, int64_t day)
{
	char buf[40];
	size_t n = mp_date_format(buf, day);

	mp_writer_field(w, buf, n);
}

static void
write_child(mp_writer *w, const mp_repeat *r, uint32_t k)
{
	mp_writer_field(w, r->arena + r->kids[k].idoff, r->kids[k].idlen);
}

static void
write_header(mp_writer *w, enum mp_rep_per per)
{
	static const char *const head_span[] = { "child_id", "episodes", "window_start", "window_end", "first_start",
						 "last_start", "episode_ids", "care_status", "placement", "hoth", NULL };
	const char *const head_per[] = { "child_id", per == MP_PER_WEEK ? "week" : "month", "episodes", "episode_ids",
					 NULL };

	for (const char *const *h = per != MP_PER_NONE ? head_per : head_span; *h; h++)
		mp_writer_str(w, *h);
	mp_writer_end(w);
}

/* The children with o->min episodes in a span, month or week, in id order, into order; how many. */
static size_t
listed(const mp_repeat *r, const mp_rep_opts *o, uint32_t *order)
{
	size_t nlist = 0;

	for (size_t k = 0; k < r->nkids; k++) {
		size_t n, first;
		const mp_rep_ep *e = mp_repeat_episodes(r, (uint32_t)k, &n);
		if (n < (size_t)o->min)
			continue;
		/* With --as-of every episode kept is in the one span. */
		if (o->per != MP_PER_NONE ? mp_repeat_has_period(o->per, e, n, (size_t)o->min)
		    : o->as_of || mp_repeat_fullest(e, n, (int)o->window, &first) >= (size_t)o->min)
			order[nlist++] = (uint32_t)k;
	}
	mp_repeat_sort(r, order, nlist);
	return nlist;
}

/* A row for each month or week of child k holding o->min episodes. */
static void
write_periods(mp_writer *w, const mp_repeat *r, const mp_rep_opts *o, uint32_t k, idbuf *b)
{
	size_t n;
	const mp_rep_ep *e = mp_repeat_episodes(r, k, &n);

	for (size_t i = 0, j; i < n; i = j) {
		long key;
		char name[32];
		j = mp_repeat_period_run(o->per, e, n, i, &key);
		if (j - i < (size_t)o->min)
			continue;
		write_child(w, r, k);
		mp_writer_field(w, name, mp_repeat_period_name(name, o->per, key));
		mp_writer_long(w, (long)(j - i));
		write_ids(w, r, e + i, j - i, b);
		mp_writer_end(w);
	}
}

/* The row of child k: its fullest span of days (or the --as-of span) and its latest row's values. */
static void
write_span(mp_writer *w, const mp_repeat *r, const mp_rep_opts *o, uint32_t k, idbuf *b)
{
	size_t n, first = 0, cnt;
	const mp_rep_ep *e = mp_repeat_episodes(r, k, &n);
	int64_t wstart, wend;

	if (o->as_of) {
		cnt = n;
		wstart = o->from_day;
		wend = o->as_of_day;
	} else {
		cnt = mp_repeat_fullest(e, n, (int)o->window, &first);
		wstart = e[first].day;
		wend = wstart + o->window - 1;
	}
	if (cnt < (size_t)o->min)
		return;
	write_child(w, r, k);
	mp_writer_long(w, (long)cnt);
	write_date(w, wstart);
	write_date(w, wend);
	write_start(w, &e[first]);
	write_start(w, &e[first + cnt - 1]);
	write_ids(w, r, e + first, cnt, b);
	for (int i = 0; i < MP_REP_NVALS; i++)
		mp_writer_str(w, r->arena + r->kids[k].val[i]);
	mp_writer_end(w);
}

void
mp_repeat_write(const mp_repeat *r, const mp_rep_opts *o, mp_writer *w)
{
	uint32_t *order = mp_xmalloc((r->nkids + 1) * sizeof *order);
	idbuf b = { NULL, 0 };

	write_header(w, o->per);
	size_t nlist = listed(r, o, order);
	for (size_t i = 0; i < nlist; i++) {
		if (o->per != MP_PER_NONE)
			write_periods(w, r, o, order[i], &b);
		else
			write_span(w, r, o, order[i], &b);
	}
	free(b.s);
	free(order);
}

void
mp_iso_week(int64_t day, int *year, int *week)
{
	int y, m, d;
	/* The week belongs to the year of its Thursday. */
	int64_t thu = day - mp_weekday(day) + 4;

	mp_civil_from_days(thu, &y, &m, &d);
	*year = y;
	*week = (int)((thu - mp_days_from_civil(y, 1, 1)) / 7 + 1);
}

size_t
mp_repeat_memory(const mp_repeat *r)
{
	return r->acap + r->ckids * sizeof *r->kids + (r->kidtab.cap + r->valtab.cap) * sizeof(slot) +
	       r->cvals * 2 * sizeof(uint32_t) + r->ceps * sizeof *r->eps;
}

long
mp_repeat_period(enum mp_rep_per per, int64_t day)
{
	int y, m, d;

	if (per == MP_PER_MONTH) {
		mp_civil_from_days(day, &y, &m, &d);
		return (long)y * 12 + (m - 1);
	}
	mp_iso_week(day, &y, &m);
	return (long)y * 64 + m;
}

size_t
mp_repeat_period_name(char *buf, enum mp_rep_per per, long key)
{
	if (per == MP_PER_MONTH)
		return (size_t)snprintf(buf, 32, "%04ld-%02ld", key / 12, key % 12 + 1);
	return (size_t)snprintf(buf, 32, "%04ld-W%02ld", key / 64, key % 64);
}

size_t
mp_repeat_period_run(enum mp_rep_per per, const mp_rep_ep *e, size_t n, size_t i, long *key)
{
	size_t j = i + 1;

	*key = mp_repeat_period(per, e[i].day);
	while (j < n && mp_repeat_period(per, e[j].day) == *key)
		j++;
	return j;
}

int
mp_repeat_has_period(enum mp_rep_per per, const mp_rep_ep *e, size_t n, size_t min)
{
	long key;

	for (size_t i = 0, j; i < n; i = j)
		if ((j = mp_repeat_period_run(per, e, n, i, &key)) - i >= min)
			return 1;
	return 0;
}
