/* history.c: per-child episode intervals (overlap check) and starts (duplicate check). */
#include "history.h"
#include "intern.h"
#include "err.h"
#include "mptime.h"

#include <stdlib.h>
#include <string.h>

/*
 * One remembered episode: 16 bytes.  Its start and end are seconds from
 * EPOCH in 32 bits (December 1931 to January 2068); an episode with a time
 * outside that range keeps both in the history's table of wide times, s
 * then being its index there (EP_WIDE).
 */
struct ep {
	int32_t s, e;
	uint32_t line;
	uint16_t file;
	uint8_t type;
	uint8_t flags;
};
enum { EP_OPEN = 1, EP_S_EXACT = 2, EP_E_EXACT = 4, EP_WIDE = 8 };
#define EPOCH INT64_C(946684800)	/* 2000-01-01T00:00Z */

struct wide {
	int64_t s, e;
};

/*
 * A start seen, for children with many episodes (a hash set per child, of
 * numbers: one mp_idmap of packed keys for all of them made mp-validate of
 * children with 100 episodes each half as slow again).
 */
struct dslot {
	int64_t s;
	uint32_t line;
	uint16_t file;
	uint8_t type;
	uint8_t used;		/* 1 + exactness */
};

/*
 * A child with BIG episodes or more: its sorted episodes in an array of its
 * own, and the set of its starts for the duplicate check.
 */
#define BIG 32
struct big {
	struct ep *v;
	size_t cap;		/* in the padding a uint32_t left: still 32 bytes */
	struct dslot *d;
	uint32_t dn, dcap;
};

/*
 * A child, the record of its id in the table: n episodes, sorted in the
 * national order.  Below BIG they are a block of exactly n in the pool (at
 * index at); from BIG, at is the index of its struct big.
 */
struct child {
	uint32_t at, n;
};

/*
 * The pool: chunks of CHUNK episodes, handed out in blocks of 1 to BIG - 1;
 * a child's block is replaced by one a size larger at each episode, the old
 * one going on its size's free list (most are taken again at once, by the
 * next child to grow to that size), so the pool holds hardly more than the
 * episodes.
 */
#define CHUNK_BITS 17	/* 2 MiB */
#define CHUNK (1u << CHUNK_BITS)
#define NONE UINT32_MAX

struct mp_history {
	int dups, overlaps;
	mp_idmap *kids;		/* child id -> struct child */
	size_t count, episodes;
	struct ep **chunk;
	uint32_t nchunk, top;	/* next free index of the last chunk */
	uint32_t free_list[BIG];
	struct big *big;
	uint32_t nbig;
	size_t capbig;
	size_t bigbytes;
	struct wide *wide;
	uint32_t nwide;
	size_t capwide;
};

static struct ep *
at(const mp_history *h, uint32_t i)
{
	return &h->chunk[i >> CHUNK_BITS][i & (CHUNK - 1)];
}

/* A block of n (1 to BIG - 1) episodes: its index. */
static uint32_t
block_alloc(mp_history *h, uint32_t n)
{
	uint32_t i = h->free_list[n];

	if (i != NONE) {
		memcpy(&h->free_list[n], at(h, i), sizeof(uint32_t));
		return i;
	}
	if (h->nchunk == 0 || h->top + n > CHUNK) {
		if (h->nchunk == (1u << (32 - CHUNK_BITS)) - 1)
			mp_too_much("more than 4 billion episodes");
		/* one pointer more per 2 MiB chunk: 16 reallocs for 2 million episodes */
		h->chunk = mp_xrealloc(h->chunk, (h->nchunk + 1) * sizeof *h->chunk);
		h->chunk[h->nchunk++] = mp_table_alloc(CHUNK * sizeof(struct ep));
		h->top = 0;
	}
	i = (h->nchunk - 1) << CHUNK_BITS | h->top;
	h->top += n;
	return i;
}

static void
block_release(mp_history *h, uint32_t i, uint32_t n)
{
	memcpy(at(h, i), &h->free_list[n], sizeof(uint32_t));
	h->free_list[n] = i;
}

mp_history *
mp_history_new(int dups, int overlaps)
{
	mp_history *h = mp_xcalloc(1, sizeof *h);

	h->dups = dups;
	h->overlaps = overlaps;
	h->kids = mp_idmap_new(sizeof(struct child));
	for (int k = 0; k < BIG; k++)
		h->free_list[k] = NONE;
	return h;
}

void
mp_history_free(mp_history *h)
{
	if (!h)
		return;
	for (uint32_t i = 0; i < h->nbig; i++) {
		free(h->big[i].v);
		free(h->big[i].d);
	}
	free(h->big);
	for (uint32_t i = 0; i < h->nchunk; i++)
		mp_table_free(h->chunk[i], CHUNK * sizeof(struct ep));
	free(h->chunk);
	free(h->wide);
	mp_idmap_free(h->kids);
	free(h);
}

void
mp_history_stats(const mp_history *h, size_t *children, size_t *episodes, size_t *bytes)
{
	*children = h->count;
	*episodes = h->episodes;
	/* the pool as far as it was used, the big children, wide times, the children's table */
	*bytes = (h->nchunk ? (size_t)(h->nchunk - 1) * CHUNK + h->top : 0) * sizeof(struct ep) + h->bigbytes +
		 (size_t)h->capbig * sizeof *h->big + (size_t)h->capwide * sizeof *h->wide + mp_idmap_bytes(h->kids);
}

void
mp_history_prefetch(const mp_history *h, const char *child, size_t len)
{
	mp_idmap_prefetch(h->kids, child, len);
}


int
mp_pt_cmp(mp_pt a, mp_pt b)
{
	if (!a.exact || !b.exact) {
		int64_t da = mp_utc_local_day(a.v), db = mp_utc_local_day(b.v);
		return (da > db) - (da < db);
	}
	return (a.v > b.v) - (a.v < b.v);
}

/* An episode's start and end (end = start where open). */
static int64_t
ep_s(const mp_history *h, const struct ep *e)
{
	return (e->flags & EP_WIDE) ? h->wide[e->s].s : EPOCH + e->s;
}

static int64_t
ep_e(const mp_history *h, const struct ep *e)
{
	return (e->flags & EP_WIDE) ? h->wide[e->s].e : EPOCH + e->e;
}

static mp_pt
ep_start(const mp_history *h, const struct ep *e)
{
	mp_pt p = { ep_s(h, e), (e->flags & EP_S_EXACT) != 0 };
	return p;
}

static mp_pt
ep_end(const mp_history *h, const struct ep *e)
{
	mp_pt p = { ep_e(h, e), (e->flags & EP_E_EXACT) != 0 };
	return p;
}

static void
where(const mp_history *h, const struct ep *e, mp_where *w)
{
	w->line = e->line;
	w->file = e->file;
	w->start = ep_start(h, e);
	w->end = ep_end(h, e);
	w->open = (e->flags & EP_OPEN) != 0;
}

/* The national order: by end (start where open), then start. */
static int
key_cmp(const mp_history *h, const struct ep *a, const struct ep *b)
{
	int64_t ka = (a->flags & EP_OPEN) ? ep_s(h, a) : ep_e(h, a);
	int64_t kb = (b->flags & EP_OPEN) ? ep_s(h, b) : ep_e(h, b);
	int64_t sa = ep_s(h, a), sb = ep_s(h, b);

	if (ka != kb)
		return ka < kb ? -1 : 1;
	return (sa > sb) - (sa < sb);
}

/* The slot of a start in a duplicate set of cap (a power of two) slots. */
static uint32_t
dset_home(int64_t s, int type, uint32_t cap)
{
	uint64_t k = (uint64_t)s * 0x9E3779B97F4A7C15ULL ^ (uint64_t)type;

	return (uint32_t)(k >> 32) & (cap - 1);
}

/* Insert a start into a duplicate set (which has room). */
static void
dset_put(struct dslot *d, uint32_t cap, const struct dslot *x)
{
	uint32_t j = dset_home(x->s, x->type, cap);

	while (d[j].used)
		j = (j + 1) & (cap - 1);
	d[j] = *x;
}

static void
dslot_of(const mp_history *h, const struct ep *e, struct dslot *x)
{
	x->s = ep_s(h, e);
	x->line = e->line;
	x->file = e->file;
	x->type = e->type;
	x->used = 1 + ((e->flags & EP_S_EXACT) != 0);
}

/* Room for one more start in a big child's set (half full at most). */
static void
dset_room(mp_history *h, struct big *b)
{
	uint32_t ncap = b->dcap ? b->dcap * 2 : 128;
	struct dslot *nd;

	if ((b->dn + 1) * 2 <= b->dcap)
		return;
	nd = mp_xcalloc(ncap, sizeof *nd);
	for (uint32_t i = 0; i < b->dcap; i++)
		if (b->d[i].used)
			dset_put(nd, ncap, &b->d[i]);
	free(b->d);
	h->bigbytes += (size_t)(ncap - b->dcap) * sizeof *nd;
	b->d = nd;
	b->dcap = ncap;
}

static struct ep *
child_eps(const mp_history *h, const struct child *c)
{
	return c->n >= BIG ? h->big[c->at].v : at(h, c->at);
}

/* An earlier episode of the child with the same type and start: 1 and where it is. */
static int
find_dup(const mp_history *h, const struct child *c, const struct ep *x, mp_where *w)
{
	const struct ep *v = child_eps(h, c);
	int64_t s = ep_s(h, x);

	if (c->n < BIG) {
		for (uint32_t i = c->n; i-- > 0;)
			if (ep_s(h, &v[i]) == s && v[i].type == x->type &&
			    (v[i].flags & EP_S_EXACT) == (x->flags & EP_S_EXACT)) {
				/* Duplicates are never added, so there is one match. */
				where(h, &v[i], w);
				return 1;
			}
		return 0;
	}
	const struct big *b = &h->big[c->at];
	uint8_t used = 1 + ((x->flags & EP_S_EXACT) != 0);
	for (uint32_t j = dset_home(s, x->type, b->dcap); b->d[j].used; j = (j + 1) & (b->dcap - 1))
		if (b->d[j].s == s && b->d[j].type == x->type && b->d[j].used == used) {
			memset(w, 0, sizeof *w);
			w->line = b->d[j].line;
			w->file = b->d[j].file;
			return 1;
		}
	return 0;
}

/* The child's BIG - 1 episodes and x (at p) into an array of their own, with their set of starts. */
static void
to_big(mp_history *h, struct child *c, const struct ep *x, uint32_t p)
{
	const struct ep *from = at(h, c->at);
	struct big *b;

	h->big = mp_xgrow(h->big, &h->capbig, (size_t)h->nbig + 1, sizeof *h->big);
	b = &h->big[h->nbig];
	memset(b, 0, sizeof *b);
	b->cap = 2 * BIG;
	b->v = mp_xmalloc(b->cap * sizeof *b->v);
	h->bigbytes += b->cap * sizeof *b->v;
	memcpy(b->v, from, p * sizeof *from);
	b->v[p] = *x;
	memcpy(b->v + p + 1, from + p, (c->n - p) * sizeof *from);
	block_release(h, c->at, c->n);
	c->at = h->nbig++;
	if (h->dups) {
		for (uint32_t i = 0; i <= c->n; i++) {
			struct dslot d;
			dset_room(h, b);
			dslot_of(h, &b->v[i], &d);
			dset_put(b->d, b->dcap, &d);
			b->dn++;
		}
	}
}

/* x into the child's episodes at p. */
static void
child_insert(mp_history *h, struct child *c, const struct ep *x, uint32_t p)
{
	if (c->n + 1 < BIG) {
		uint32_t nb = block_alloc(h, c->n + 1);
		struct ep *to = at(h, nb);
		if (c->n) {
			const struct ep *from = at(h, c->at);
			memcpy(to, from, p * sizeof *to);
			memcpy(to + p + 1, from + p, (c->n - p) * sizeof *to);
			block_release(h, c->at, c->n);
		}
		to[p] = *x;
		c->at = nb;
	} else if (c->n + 1 == BIG) {
		to_big(h, c, x, p);
	} else {
		struct big *b = &h->big[c->at];
		size_t was = b->cap;
		if (c->n == b->cap && b->cap > UINT32_MAX / 3)
			mp_too_much("more than a billion episodes of one child");
		b->v = mp_xgrow_half(b->v, &b->cap, (size_t)c->n + 1, sizeof *b->v);
		h->bigbytes += (b->cap - was) * sizeof *b->v;
		memmove(b->v + p + 1, b->v + p, (size_t)(c->n - p) * sizeof *b->v);
		b->v[p] = *x;
		if (h->dups) {
			struct dslot d;
			dset_room(h, b);
			dslot_of(h, x, &d);
			dset_put(b->d, b->dcap, &d);
			b->dn++;
		}
	}
	c->n++;
}

/* An episode as kept: its times in 32 bits where they fit, else in the wide table. */
static void
pack(mp_history *h, struct ep *x, mp_pt start, mp_pt end, int open, int type, long line, int file)
{
	int64_t s = start.v, e = open ? start.v : end.v;

	memset(x, 0, sizeof *x);
	x->line = line > 0 && line < (long)UINT32_MAX ? (uint32_t)line : UINT32_MAX;
	x->file = (uint16_t)(file < 0 ? 0 : file > 65535 ? 65535 : file);
	x->type = (uint8_t)type;
	x->flags = (uint8_t)((open ? EP_OPEN : 0) | (start.exact ? EP_S_EXACT : 0) |
			     (open ? (start.exact ? EP_E_EXACT : 0) : (end.exact ? EP_E_EXACT : 0)));
	if (s - EPOCH >= INT32_MIN && s - EPOCH <= INT32_MAX && e - EPOCH >= INT32_MIN && e - EPOCH <= INT32_MAX) {
		x->s = (int32_t)(s - EPOCH);
		x->e = (int32_t)(e - EPOCH);
		return;
	}
	if (h->nwide == h->capwide && h->capwide > INT32_MAX / 2)
		mp_too_much("more than a billion episodes outside 1931-2068");
	h->wide = mp_xgrow(h->wide, &h->capwide, (size_t)h->nwide + 1, sizeof *h->wide);
	h->wide[h->nwide].s = s;
	h->wide[h->nwide].e = e;
	x->s = (int32_t)h->nwide++;
	x->flags |= EP_WIDE;
}

/* The episodes of v[0..n) that x overlaps, as neighbours of its place p. */
static void
overlaps(const mp_history *h, const struct ep *v, uint32_t n, uint32_t p, const struct ep *x, mp_pt start,
	 int open, mp_hist_result *res)
{
	if (p > 0) {
		const struct ep *prev = &v[p - 1];
		if ((prev->flags & EP_OPEN) || mp_pt_cmp(start, ep_end(h, prev)) < 0) {
			where(h, prev, &res->over[res->nover]);
			res->over_later[res->nover++] = 0;
		}
	}
	if (p < n) {
		const struct ep *next = &v[p];
		if (open || mp_pt_cmp(ep_start(h, next), ep_end(h, x)) < 0) {
			where(h, next, &res->over[res->nover]);
			res->over_later[res->nover++] = 1;
		}
	}
}

void
mp_history_add(mp_history *h, const char *child, size_t len, int type, mp_pt start, mp_pt end,
	       int open, long line, int file, mp_hist_result *res)
{
	int added;
	struct child *c = mp_idmap_add(h->kids, child, len, &added);
	const struct ep *v;
	struct ep x;
	uint32_t p;

	h->count += added;
	memset(res, 0, sizeof *res);
	pack(h, &x, start, end, open, type, line, file);
	if (h->dups && c->n && find_dup(h, c, &x, &res->dup_of)) {
		res->dup = 1;
		if (x.flags & EP_WIDE)
			h->nwide--;	/* not kept */
		return;
	}
	/* Where it goes: after every episode that does not sort after it. */
	v = c->n ? child_eps(h, c) : NULL;
	if (c->n == 0 || key_cmp(h, &v[c->n - 1], &x) <= 0) {
		p = c->n;
	} else {
		uint32_t lo = 0, hi = c->n;
		while (lo < hi) {
			uint32_t mid = lo + (hi - lo) / 2;
			if (key_cmp(h, &v[mid], &x) <= 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		p = lo;
	}
	if (h->overlaps)
		overlaps(h, v, c->n, p, &x, start, open, res);
	child_insert(h, c, &x, p);
	h->episodes++;
}
