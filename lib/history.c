/* history.c: per-child episode intervals (overlap check) and starts (duplicate check). */
#include "history.h"
#include "intern.h"
#include "err.h"
#include "mptime.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* One remembered episode: 24 bytes. */
struct ep {
	int64_t s, e;
	uint32_t line;
	uint16_t file;
	uint8_t flags;
	uint8_t type;
};
enum { EP_OPEN = 1, EP_S_EXACT = 2, EP_E_EXACT = 4 };

/* A start seen, for children with many episodes (a hash set per child). */
struct dslot {
	int64_t s;
	uint32_t line;
	uint16_t file;
	uint8_t type;
	uint8_t used;		/* 1 + exactness */
};

/* The duplicate set of a child with many episodes. */
struct dset {
	struct dslot *d;
	uint32_t dn, dcap;
};

/* A child: 24 bytes, at the index of its id in the intern table. */
struct child {
	uint32_t n, cap;
	struct ep *v;
	struct dset *ds;	/* NULL until the child has DUP_HASH_FROM episodes */
};

/*
 * The children's episode arrays come from large blocks in size classes of
 * 2 << k episodes; a grown array's old block goes on its class's free list.
 */
#define NCLASS 27
#define ARENA (8u << 20)

struct arena {
	struct arena *next;
	size_t size;
};

struct mp_history {
	int dups, overlaps;
	mp_intern *ids;		/* child ids -> index in t */
	struct child *t;
	size_t cap, count, episodes, bytes;
	void *free_list[NCLASS];
	char *bump;
	size_t bump_left;
	struct arena *arenas;
};

#define HUGE_PAGE (2u << 20)

void *
mp_table_alloc(size_t bytes)
{
	void *p;

	if (bytes < HUGE_PAGE)
		return mp_xcalloc(1, bytes);
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		mp_die(MP_EXIT_DATA, "out of memory");
#ifdef MADV_HUGEPAGE
	madvise(p, bytes, MADV_HUGEPAGE);
#endif
	return p;
}

void
mp_table_free(void *p, size_t bytes)
{
	if (!p)
		return;
	if (bytes < HUGE_PAGE)
		free(p);
	else
		munmap(p, bytes);
}

static int
size_class(uint32_t cap)
{
	int k = 0;

	while ((2u << k) < cap)
		k++;
	return k;
}

/* An episode array of 2 << k entries. */
static struct ep *
ep_alloc(mp_history *h, int k)
{
	size_t bytes = (size_t)(2u << k) * sizeof(struct ep);
	void *p;

	if (h->free_list[k]) {
		p = h->free_list[k];
		h->free_list[k] = *(void **)p;
		return p;
	}
	if (bytes > ARENA / 4) {
		struct arena *a = mp_table_alloc(bytes + sizeof *a);
		a->next = h->arenas;
		a->size = bytes + sizeof *a;
		h->arenas = a;
		h->bytes += a->size;
		return (struct ep *)(void *)(a + 1);
	}
	if (h->bump_left < bytes) {
		struct arena *a = mp_table_alloc(ARENA);
		a->next = h->arenas;
		a->size = ARENA;
		h->arenas = a;
		h->bump = (char *)a + 64;
		h->bump_left = ARENA - 64;
		h->bytes += ARENA;
	}
	p = h->bump;	/* 16-byte aligned: sizes are multiples of 48 */
	h->bump += bytes;
	h->bump_left -= bytes;
	return p;
}

static void
ep_release(mp_history *h, struct ep *p, int k)
{
	*(void **)p = h->free_list[k];
	h->free_list[k] = p;
}

#define DUP_HASH_FROM 32

mp_history *
mp_history_new(int dups, int overlaps)
{
	mp_history *h = mp_xcalloc(1, sizeof *h);

	h->dups = dups;
	h->overlaps = overlaps;
	h->ids = mp_intern_new();
	return h;
}

void
mp_history_free(mp_history *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->count; i++)
		if (h->t[i].ds) {
			free(h->t[i].ds->d);
			free(h->t[i].ds);
		}
	free(h->t);
	mp_intern_free(h->ids);
	while (h->arenas) {
		struct arena *a = h->arenas;
		h->arenas = a->next;
		mp_table_free(a, a->size);
	}
	free(h);
}

void
mp_history_stats(const mp_history *h, size_t *children, size_t *episodes, size_t *bytes)
{
	*children = h->count;
	*episodes = h->episodes;
	*bytes = h->bytes + h->cap * sizeof *h->t + mp_intern_bytes(h->ids);	/* arenas, children, ids */
}

void
mp_history_prefetch(const mp_history *h, const char *child, size_t len)
{
	mp_intern_prefetch(h->ids, child, len);
}

/* The child (by its id itself), created when new. */
static struct child *
find_child(mp_history *h, const char *id, size_t len)
{
	int added;
	uint32_t k = mp_intern_add(h->ids, id, len, &added);

	if (added) {
		if (k == h->cap) {
			h->cap = h->cap ? 2 * h->cap : 1024;
			h->t = mp_xrealloc(h->t, h->cap * sizeof *h->t);
		}
		memset(&h->t[k], 0, sizeof h->t[k]);
		h->count++;
	}
	return &h->t[k];
}

static int64_t
local_day(int64_t utc)
{
	mp_time t;

	mp_utc_to_local(utc, &t);
	return t.day;
}

int
mp_pt_cmp(mp_pt a, mp_pt b)
{
	if (!a.exact || !b.exact) {
		int64_t da = local_day(a.v), db = local_day(b.v);
		return (da > db) - (da < db);
	}
	return (a.v > b.v) - (a.v < b.v);
}

static mp_pt
ep_start(const struct ep *e)
{
	mp_pt p = { e->s, (e->flags & EP_S_EXACT) != 0 };
	return p;
}

static mp_pt
ep_end(const struct ep *e)
{
	mp_pt p = { e->e, (e->flags & EP_E_EXACT) != 0 };
	return p;
}

static void
where(const struct ep *e, mp_where *w)
{
	w->line = e->line;
	w->file = e->file;
	w->start = ep_start(e);
	w->end = ep_end(e);
	w->open = (e->flags & EP_OPEN) != 0;
}

/* The national order: by end (start where open), then start. */
static int
key_cmp(const struct ep *a, const struct ep *b)
{
	int64_t ka = (a->flags & EP_OPEN) ? a->s : a->e;
	int64_t kb = (b->flags & EP_OPEN) ? b->s : b->e;

	if (ka != kb)
		return ka < kb ? -1 : 1;
	return (a->s > b->s) - (a->s < b->s);
}

/* Insert a start into the child's duplicate set (which has room). */
static void
dset_put(struct dslot *d, uint32_t cap, const struct ep *e)
{
	uint64_t k = (uint64_t)e->s * 0x9E3779B97F4A7C15ULL ^ e->type;
	uint32_t j = (uint32_t)(k >> 32) & (cap - 1);

	while (d[j].used)
		j = (j + 1) & (cap - 1);
	d[j].s = e->s;
	d[j].line = e->line;
	d[j].file = e->file;
	d[j].type = e->type;
	d[j].used = 1 + ((e->flags & EP_S_EXACT) != 0);
}

static void
dset_grow(mp_history *h, struct child *c)
{
	struct dset *ds = c->ds;
	uint32_t ocap = ds ? ds->dcap : 0, ncap = ocap ? ocap * 2 : 128;
	struct dslot *nd = mp_xcalloc(ncap, sizeof *nd);

	h->bytes += (size_t)(ncap - ocap) * sizeof *nd;
	if (ds) {
		for (uint32_t i = 0; i < ds->dcap; i++)
			if (ds->d[i].used) {
				struct ep e = { .s = ds->d[i].s, .line = ds->d[i].line, .file = ds->d[i].file,
						.type = ds->d[i].type,
						.flags = ds->d[i].used == 2 ? EP_S_EXACT : 0 };
				dset_put(nd, ncap, &e);
			}
		free(ds->d);
	} else {
		ds = c->ds = mp_xcalloc(1, sizeof *ds);
		h->bytes += sizeof *ds;
		for (uint32_t i = 0; i < c->n; i++)
			dset_put(nd, ncap, &c->v[i]);
		ds->dn = c->n;
	}
	ds->d = nd;
	ds->dcap = ncap;
}

/* An earlier episode of the child with the same type and start, or NULL. */
static int
find_dup(struct child *c, const struct ep *x, mp_where *w)
{
	uint8_t used = 1 + ((x->flags & EP_S_EXACT) != 0);

	if (!c->ds) {
		for (uint32_t i = c->n; i-- > 0;)
			if (c->v[i].s == x->s && c->v[i].type == x->type &&
			    (c->v[i].flags & EP_S_EXACT) == (x->flags & EP_S_EXACT)) {
				/* Duplicates are never added, so there is one match. */
				where(&c->v[i], w);
				return 1;
			}
		return 0;
	}
	uint64_t k = (uint64_t)x->s * 0x9E3779B97F4A7C15ULL ^ x->type;
	const struct dset *ds = c->ds;
	for (uint32_t j = (uint32_t)(k >> 32) & (ds->dcap - 1); ds->d[j].used; j = (j + 1) & (ds->dcap - 1))
		if (ds->d[j].s == x->s && ds->d[j].type == x->type && ds->d[j].used == used) {
			memset(w, 0, sizeof *w);
			w->line = ds->d[j].line;
			w->file = ds->d[j].file;
			return 1;
		}
	return 0;
}

void
mp_history_add(mp_history *h, const char *child, size_t len, int type, mp_pt start, mp_pt end,
	       int open, long line, int file, mp_hist_result *res)
{
	struct child *c = find_child(h, child, len);
	struct ep x;
	uint32_t p;

	memset(res, 0, sizeof *res);
	memset(&x, 0, sizeof x);
	x.s = start.v;
	x.e = open ? start.v : end.v;
	x.line = line > 0 && line < (long)UINT32_MAX ? (uint32_t)line : UINT32_MAX;
	x.file = (uint16_t)(file < 0 ? 0 : file > 65535 ? 65535 : file);
	x.type = (uint8_t)type;
	x.flags = (uint8_t)((open ? EP_OPEN : 0) | (start.exact ? EP_S_EXACT : 0) |
			    (open ? (start.exact ? EP_E_EXACT : 0) : (end.exact ? EP_E_EXACT : 0)));

	if (h->dups && find_dup(c, &x, &res->dup_of)) {
		res->dup = 1;
		return;
	}

	/* Where it goes: after every episode that does not sort after it. */
	if (c->n == 0 || key_cmp(&c->v[c->n - 1], &x) <= 0) {
		p = c->n;
	} else {
		uint32_t lo = 0, hi = c->n;
		while (lo < hi) {
			uint32_t mid = lo + (hi - lo) / 2;
			if (key_cmp(&c->v[mid], &x) <= 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		p = lo;
	}
	if (h->overlaps) {
		if (p > 0) {
			const struct ep *prev = &c->v[p - 1];
			if ((prev->flags & EP_OPEN) || mp_pt_cmp(start, ep_end(prev)) < 0) {
				where(prev, &res->over[res->nover]);
				res->over_later[res->nover++] = 0;
			}
		}
		if (p < c->n) {
			const struct ep *next = &c->v[p];
			if (open || mp_pt_cmp(ep_start(next), ep_end(&x)) < 0) {
				where(next, &res->over[res->nover]);
				res->over_later[res->nover++] = 1;
			}
		}
	}

	if (c->n == c->cap) {
		uint32_t ncap = c->cap ? c->cap * 2 : 2;
		struct ep *nv = ep_alloc(h, size_class(ncap));
		if (c->n)
			memcpy(nv, c->v, (size_t)c->n * sizeof *nv);
		if (c->v)
			ep_release(h, c->v, size_class(c->cap));
		c->v = nv;
		c->cap = ncap;
	}
	memmove(c->v + p + 1, c->v + p, (size_t)(c->n - p) * sizeof *c->v);
	c->v[p] = x;
	c->n++;
	h->episodes++;
	if (h->dups) {
		if (!c->ds) {
			if (c->n >= DUP_HASH_FROM)
				dset_grow(h, c);	/* built from the episodes, x included */
		} else {
			if ((c->ds->dn + 1) * 2 > c->ds->dcap)
				dset_grow(h, c);
			dset_put(c->ds->d, c->ds->dcap, &x);
			c->ds->dn++;
		}
	}
}
