/* match.c: both streams held packed in memory, paired by key groups, written as one stream. */
#include "match.h"
#include "episode.h"
#include "err.h"
#include "intern.h"
#include "mptime.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

const char *const mp_match_class_names[MP_MATCH_NCLASSES] = { "both", "case_only", "police_only" };

#define NONE MP_INTERN_NONE
#define NO_START INT64_MIN

/*
 * What pairing needs of one record, and where its fields are kept in the
 * side's arena: the CSV line as read when it has no quote or CR (written
 * out again in stretches, never split until then), else its fields packed.
 */
struct rec {
	uint64_t off;		/* the line, or the fields each NUL-terminated one after the other */
	int64_t t;		/* start (UTC seconds; a date alone counts as local noon), NO_START when none */
	uint32_t raw;		/* the line's length, or 0 when the fields are packed */
	uint32_t ref, child;	/* ids in the shared key tables, NONE when empty */
	uint32_t partner;	/* the paired record of the other side, or NONE */
};

struct side {
	char *file;
	char **names;
	size_t nnames;
	mp_colmap cols;
	char *arena;
	size_t alen, acap;
	struct rec *r;
	size_t n, cap;
	long read, rejected;
};

struct mp_match {
	struct side s[2];
	mp_intern *refs, *kids;
	mp_match_counts counts;
};

mp_match *
mp_match_new(void)
{
	mp_match *m = mp_xcalloc(1, sizeof *m);

	m->refs = mp_intern_new();
	m->kids = mp_intern_new();
	return m;
}

void
mp_match_free(mp_match *m)
{
	if (!m)
		return;
	for (int k = 0; k < 2; k++) {
		struct side *s = &m->s[k];
		for (size_t i = 0; i < s->nnames; i++)
			free(s->names[i]);
		free(s->names);
		free(s->file);
		free(s->arena);
		free(s->r);
	}
	mp_intern_free(m->refs);
	mp_intern_free(m->kids);
	free(m);
}

/* ---- reading ---- */

/* A start or end as an instant; -1 with *why when it is no time. */
static int
when(mp_field f, int64_t *t, const char **why)
{
	mp_time tm;

	if (mp_time_parse(f.s, f.len, &tm, why) != 0)
		return -1;
	*t = tm.utc;
	if (!tm.has_time) {
		int off;
		int64_t noon;
		if (mp_local_to_utc(tm.y, tm.mo, tm.d, 12, 0, 0, &noon, &off) >= 0)
			*t = noon;
	}
	return 0;
}

/* Room for need more bytes in the arena; where they go. */
static char *
arena_room(struct side *s, size_t need)
{
	s->arena = mp_xgrow(s->arena, &s->acap, s->alen + need, 1);
	return s->arena + s->alen;
}

/* Keep a record's fields in the arena: its line when it can be written out as it is, else packed. */
static void
keep(struct side *s, const mp_record *rec, struct rec *r)
{
	size_t need = 0;

	r->off = s->alen;
	if (rec->raw && rec->raw_fmt == MP_CSV && rec->raw_len && rec->raw_len < UINT32_MAX &&
	    !memchr(rec->raw, '"', rec->raw_len) && !memchr(rec->raw, '\r', rec->raw_len)) {
		memcpy(arena_room(s, rec->raw_len), rec->raw, rec->raw_len);
		s->alen += rec->raw_len;
		r->raw = (uint32_t)rec->raw_len;
		return;
	}
	for (size_t i = 0; i < rec->n; i++)
		need += rec->f[i].len + 1;
	char *p = arena_room(s, need);
	for (size_t i = 0; i < rec->n; i++) {
		memcpy(p, rec->f[i].s, rec->f[i].len);
		p += rec->f[i].len;
		*p++ = '\0';
	}
	s->alen += need;
	r->raw = 0;
}

/*
 * The n fields of a line without quotes (so exactly n - 1 commas, as the
 * reader found), as views into it: not NUL-terminated.  Sixteen bytes at a
 * time where SSE2 is there.
 */
static void
split_line(const char *p, size_t len, mp_field *f, size_t n)
{
	const char *start = p, *q = p, *end = p + len;
	size_t i = 0;

#ifdef __SSE2__
	const __m128i comma = _mm_set1_epi8(',');
	for (; end - q >= 16 && i + 1 < n; q += 16) {
		unsigned mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)q), comma));
		for (; mask && i + 1 < n; mask &= mask - 1) {
			const char *c = q + __builtin_ctz(mask);
			f[i++] = (mp_field){ start, (size_t)(c - start) };
			start = c + 1;
		}
	}
#endif
	for (; q < end && i + 1 < n; q++)
		if (*q == ',') {
			f[i++] = (mp_field){ start, (size_t)(q - start) };
			start = q + 1;
		}
	f[i] = (mp_field){ start, (size_t)(end - start) };
}

/*
 * A key's id, NONE for an empty key; h is its hash, already prefetched.  The
 * case stream is read first and adds its keys; a police key the case stream
 * lacks can pair with nothing, so it is only looked up (NONE when absent),
 * which keeps the tables to the case stream's keys.
 */
static uint32_t
key_id(mp_intern *t, enum mp_match_side side, uint32_t h, mp_field k)
{
	if (!k.len)
		return NONE;
	if (side == MP_SIDE_CASE)
		return mp_intern_add_hashed(t, h, k.s, k.len, NULL);
	return mp_intern_find_hashed(t, h, k.s, k.len);
}

/* Keep one good record; -1 after a message when its start or end is unreadable. */
static int
add_record(mp_match *m, enum mp_match_side side, const mp_record *rec)
{
	struct side *s = &m->s[side];
	static const enum mp_col times[] = { MP_COL_START, MP_COL_END };
	struct rec r = { .t = NO_START, .partner = NONE };
	const char *why;

	for (int k = 0; k < 2; k++) {
		mp_field f = mp_get(&s->cols, rec, times[k]);
		int64_t t;
		if (f.len == 0)
			continue;
		if (when(f, &t, &why) != 0) {
			mp_data_msg(s->file, rec->line, mp_col_names[times[k]], "'%s': %s", mp_show(f.s, f.len), why);
			return -1;
		}
		if (k == 0)
			r.t = t;
	}
	keep(s, rec, &r);
	r.ref = r.child = NONE;		/* set by key_ids */
	s->r = mp_xgrow(s->r, &s->cap, s->n + 1, sizeof *s->r);
	s->r[s->n++] = r;
	return 0;
}

/* Bind the header; -1 after a message when a required column is missing. */
static int
take_header(struct side *s, const mp_record *h)
{
	static const enum mp_col need[] = { MP_COL_EPISODE_ID, MP_COL_CHILD_ID, MP_COL_START };

	mp_colmap_bind(&s->cols, h);
	for (size_t k = 0; k < sizeof need / sizeof *need; k++)
		if (s->cols.idx[need[k]] < 0) {
			mp_data_msg(s->file, 1, mp_col_names[need[k]], "required column is missing from the header");
			return -1;
		}
	s->nnames = h->n;
	s->names = mp_xcalloc(h->n + 1, sizeof *s->names);
	for (size_t i = 0; i < h->n; i++)
		s->names[i] = mp_xstrndup(h->f[i].s, h->f[i].len);
	return 0;
}

int
mp_match_read(mp_match *m, enum mp_match_side side, const char *path, enum mp_format fmt, enum mp_encoding enc)
{
	struct side *s = &m->s[side];
	mp_reader *rd = mp_reader_open(path, fmt, enc);

	if (!rd) {
		mp_warn("%s:", path);
		return -1;
	}
	s->file = mp_xstrdup(mp_reader_name(rd));
	const mp_record *h = mp_reader_header(rd);
	if (!h) {
		const char *why = mp_reader_bad_msg(rd);
		mp_data_msg(s->file, 1, NULL, "%s", why && *why ? why : "no header: the input is empty");
		mp_reader_close(rd);
		return -1;
	}
	if (take_header(s, h) != 0) {
		mp_reader_close(rd);
		return -1;
	}
	mp_record *rec;
	int st;
	mp_reader_set_ahead(rd, 1);
	while ((st = mp_reader_next(rd, &rec)) != MP_READ_EOF) {
		s->read++;
		if (st == MP_READ_BAD) {
			mp_data_msg(s->file, mp_reader_bad_line(rd), mp_reader_bad_field(rd), "%s", mp_reader_bad_msg(rd));
			s->rejected++;
		} else if (add_record(m, side, rec) != 0) {
			s->rejected++;
		}
	}
	mp_reader_close(rd);
	return 0;
}

/* ---- pairing ---- */

/* One record in a key group: sorted by start, then side, then file order. */
struct item {
	int64_t t;
	uint32_t idx;
	uint8_t side;
};

/* A run of items of one side at one instant, still to be paired (lo .. hi). */
struct node {
	int64_t t;
	uint32_t lo, hi;
	uint32_t prev, next;	/* neighbours in the group's order, NONE at the ends */
	uint32_t ver;		/* bumped whenever lo moves */
	uint8_t side;
};

/* A candidate: adjacent nodes of different sides, keyed by distance, then file order. */
struct cand {
	int64_t d;
	uint32_t cidx, pidx;	/* the first case and police records of the two nodes */
	uint32_t a, b;		/* left and right node */
	uint32_t aver, bver;
};

struct pairer {
	mp_match *m;
	struct item *it;
	struct node *nd;
	size_t ncap;
	struct cand *heap;
	size_t nheap, hcap;
	int64_t tol;
};

static int
item_cmp(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;

	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	if (a->side != b->side)
		return a->side < b->side ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Sort a group's items: by insertion when it is small (most are), without qsort's set-up. */
static void
sort_items(struct item *it, size_t n)
{
	if (n > 16) {
		qsort(it, n, sizeof *it, item_cmp);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		struct item x = it[i];
		size_t j = i;
		for (; j > 0 && item_cmp(&it[j - 1], &x) > 0; j--)
			it[j] = it[j - 1];
		it[j] = x;
	}
}

static int
cand_less(const struct cand *x, const struct cand *y)
{
	if (x->d != y->d)
		return x->d < y->d;
	if (x->cidx != y->cidx)
		return x->cidx < y->cidx;
	return x->pidx < y->pidx;
}

static void
heap_push(struct pairer *p, struct cand c)
{
	p->heap = mp_xgrow(p->heap, &p->hcap, p->nheap + 1, sizeof *p->heap);
	size_t i = p->nheap++;
	while (i > 0 && cand_less(&c, &p->heap[(i - 1) / 2])) {
		p->heap[i] = p->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	p->heap[i] = c;
}

static struct cand
heap_pop(struct pairer *p)
{
	struct cand top = p->heap[0], last = p->heap[--p->nheap];
	size_t i = 0, n = p->nheap;

	for (;;) {
		size_t k = 2 * i + 1;
		if (k >= n)
			break;
		if (k + 1 < n && cand_less(&p->heap[k + 1], &p->heap[k]))
			k++;
		if (!cand_less(&p->heap[k], &last))
			break;
		p->heap[i] = p->heap[k];
		i = k;
	}
	if (n)
		p->heap[i] = last;
	return top;
}

static void
link_pair(mp_match *m, uint32_t c, uint32_t q)
{
	m->s[MP_SIDE_CASE].r[c].partner = q;
	m->s[MP_SIDE_POLICE].r[q].partner = c;
}

/* Offer nodes a and b (adjacent, a first) as a candidate if they are of different sides and near enough. */
static void
offer(struct pairer *p, uint32_t a, uint32_t b)
{
	if (a == NONE || b == NONE)
		return;
	const struct node *x = &p->nd[a], *y = &p->nd[b];
	if (x->side == y->side || y->t - x->t > p->tol)
		return;
	const struct node *c = x->side == MP_SIDE_CASE ? x : y, *q = x->side == MP_SIDE_CASE ? y : x;
	heap_push(p, (struct cand){ y->t - x->t, p->it[c->lo].idx, p->it[q->lo].idx, a, b, x->ver, y->ver });
}

/*
 * Items at one instant pair off in file order; what is left (one side only)
 * becomes one node.  Returns the number of nodes made from it[0 .. n).
 */
static size_t
make_nodes(struct pairer *p, struct item *it, size_t n)
{
	size_t nn = 0;

	for (size_t a = 0; a < n;) {
		size_t b = a, nc = 0;
		while (b < n && it[b].t == it[a].t)
			nc += it[b++].side == MP_SIDE_CASE;
		size_t np = b - a - nc, k = nc < np ? nc : np;
		for (size_t i = 0; i < k; i++)
			link_pair(p->m, it[a + i].idx, it[a + nc + i].idx);
		if (nc != np) {
			uint32_t lo = (uint32_t)(nc > np ? a + k : a + nc + k);
			p->nd[nn] = (struct node){ it[a].t, lo, (uint32_t)(nc > np ? a + nc : b),
						   nn ? (uint32_t)nn - 1 : NONE, NONE, 0, nc > np ? 0 : 1 };
			if (nn)
				p->nd[nn - 1].next = (uint32_t)nn;
			nn++;
		}
		a = b;
	}
	return nn;
}

/* Take a node out of the order, and offer its neighbours to each other. */
static void
unlink_node(struct pairer *p, uint32_t k)
{
	struct node *x = &p->nd[k];

	if (x->prev != NONE)
		p->nd[x->prev].next = x->next;
	if (x->next != NONE)
		p->nd[x->next].prev = x->prev;
	offer(p, x->prev, x->next);
}

/* Nearest first within one key group: it[0 .. n), sorted by item_cmp. */
static void
pair_group(struct pairer *p, struct item *it, size_t n)
{
	p->nd = mp_xgrow(p->nd, &p->ncap, n, sizeof *p->nd);
	p->it = it;
	size_t nn = make_nodes(p, it, n);
	p->nheap = 0;
	for (size_t k = 0; k + 1 < nn; k++)
		offer(p, (uint32_t)k, (uint32_t)k + 1);
	while (p->nheap) {
		struct cand c = heap_pop(p);
		struct node *x = &p->nd[c.a], *y = &p->nd[c.b];
		if (x->lo == x->hi || y->lo == y->hi || x->next != c.b)
			continue;		/* a node emptied, or no longer adjacent */
		if (x->ver != c.aver || y->ver != c.bver) {
			offer(p, c.a, c.b);	/* a first record moved on: key again */
			continue;
		}
		struct node *cn = x->side == MP_SIDE_CASE ? x : y, *qn = x->side == MP_SIDE_CASE ? y : x;
		link_pair(p->m, it[cn->lo].idx, it[qn->lo].idx);
		x->lo++, x->ver++, y->lo++, y->ver++;
		if (x->lo == x->hi)
			unlink_node(p, c.a);
		if (y->lo == y->hi)
			unlink_node(p, c.b);
		/* Other candidates of these nodes are now stale and are keyed again when they come up. */
		if (x->lo < x->hi && y->lo < y->hi)
			offer(p, c.a, c.b);
	}
}

/* The group key of a record for a pass: its reference, or its child; NONE leaves it out. */
static uint32_t
group_of(const struct rec *r, int by_ref)
{
	if (r->partner != NONE)
		return NONE;
	if (by_ref)
		return r->ref;
	return r->t != NO_START ? r->child : NONE;
}

static int
unpaired(const mp_match *m, const struct item *it)
{
	return m->s[it->side].r[it->idx].partner == NONE;
}

/*
 * Left over in a reference group (it[0 .. n), the undated last): each record
 * with no start takes the first record of the other side still unpaired.
 */
static void
pair_undated(mp_match *m, const struct item *it, size_t n)
{
	size_t q[2] = { 0, 0 };

	for (size_t i = 0; i < n; i++) {
		if (it[i].t != INT64_MAX || !unpaired(m, &it[i]))
			continue;
		int o = !it[i].side;
		while (q[o] < n && (it[q[o]].side != o || !unpaired(m, &it[q[o]])))
			q[o]++;
		if (q[o] == n)
			continue;
		if (o == MP_SIDE_POLICE)
			link_pair(m, it[i].idx, it[q[o]].idx);
		else
			link_pair(m, it[q[o]].idx, it[i].idx);
	}
}

/* Items of every group with records on both sides, grouped (counting sort by key). */
static struct item *
gather(mp_match *m, int by_ref, size_t ngroups, size_t **startp)
{
	uint32_t *cnt[2];
	size_t *start = mp_xcalloc(ngroups + 1, sizeof *start);

	for (int s = 0; s < 2; s++) {
		cnt[s] = mp_xcalloc(ngroups + 1, sizeof *cnt[s]);
		for (size_t i = 0; i < m->s[s].n; i++) {
			uint32_t g = group_of(&m->s[s].r[i], by_ref);
			if (g != NONE)
				cnt[s][g]++;
		}
	}
	for (size_t g = 0; g < ngroups; g++)
		start[g + 1] = start[g] + (cnt[0][g] && cnt[1][g] ? cnt[0][g] + cnt[1][g] : 0);
	struct item *it = mp_xmalloc((start[ngroups] + 1) * sizeof *it);
	/* cnt[0] now counts the items placed; UINT32_MAX marks a group left out. */
	for (size_t g = 0; g < ngroups; g++)
		cnt[0][g] = start[g + 1] > start[g] ? 0 : UINT32_MAX;
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < m->s[s].n; i++) {
			const struct rec *r = &m->s[s].r[i];
			uint32_t g = group_of(r, by_ref);
			if (g == NONE || cnt[0][g] == UINT32_MAX)
				continue;
			/* Undated records (by reference only) go last in their group, out of the way. */
			int64_t t = r->t == NO_START ? INT64_MAX : r->t;
			it[start[g] + cnt[0][g]++] = (struct item){ t, (uint32_t)i, (uint8_t)s };
		}
	free(cnt[0]);
	free(cnt[1]);
	*startp = start;
	return it;
}

/* One pass: by reference (no limit on the distance) or by child (within tol). */
static void
pair_pass(mp_match *m, int by_ref, int64_t tol)
{
	size_t ngroups = mp_intern_count(by_ref ? m->refs : m->kids), *start;
	struct item *it = gather(m, by_ref, ngroups, &start);
	struct pairer p = { .m = m, .tol = tol };

	for (size_t g = 0; g < ngroups; g++) {
		size_t n = start[g + 1] - start[g];
		if (n == 0)
			continue;
		struct item *gi = it + start[g];
		if (n == 2) {	/* the usual group, one record a side: paired unless too far apart by child */
			const struct item *c = gi[0].side == MP_SIDE_CASE ? &gi[0] : &gi[1], *q = c == gi ? &gi[1] : gi;
			if (by_ref || (c->t > q->t ? c->t - q->t : q->t - c->t) <= tol)
				link_pair(m, c->idx, q->idx);
			continue;
		}
		sort_items(gi, n);
		size_t dated = n;
		while (dated > 0 && gi[dated - 1].t == INT64_MAX)
			dated--;
		pair_group(&p, gi, dated);
		if (dated < n)
			pair_undated(m, gi, n);
	}
	free(p.nd);
	free(p.heap);
	free(it);
	free(start);
}

/*
 * Field col of a kept record (a view into the arena, not NUL-terminated when
 * the line was kept); f has room for col + 2 fields.
 */
static mp_field
field_at(const struct side *s, const struct rec *r, int col, mp_field *f)
{
	const char *p = s->arena + r->off;

	if (r->raw) {
		split_line(p, r->raw, f, (size_t)col + 2 < s->nnames ? (size_t)col + 2 : s->nnames);
		return f[col];
	}
	for (; col > 0; col--)
		p += strlen(p) + 1;
	return (mp_field){ p, strlen(p) };
}

/* How far ahead key_ids reads a record, starts loading its key's slot, then the key the slot holds. */
#define AHEAD_LINE 24
#define AHEAD_KEY 16
#define AHEAD_ENTRY 8

/* Does a record take part in a pass: all by reference, by child only those still unpaired that have a start? */
static int
in_pass(const struct rec *r, int by_ref)
{
	return by_ref || (r->partner == NONE && r->t != NO_START);
}

/*
 * The reference or child ids of a side's records (by child: only those the
 * reference pass left unpaired, as only they are grouped by child), the case
 * side first (it adds the keys).  The records are taken in file order, and
 * each key's line, slot and first entry start loading some records ahead, so
 * that a lookup seldom waits for memory.
 */
static void
key_ids(mp_match *m, enum mp_match_side side, int by_ref)
{
	struct side *s = &m->s[side];
	int col = s->cols.idx[by_ref ? MP_COL_POLICE_REF : MP_COL_CHILD_ID];
	mp_intern *t = by_ref ? m->refs : m->kids;
	mp_field key[AHEAD_KEY], *f;
	uint32_t h[AHEAD_KEY];

	if (col < 0)
		return;
	f = mp_xcalloc((size_t)col + 2, sizeof *f);
	for (size_t i = 0; i < s->n + AHEAD_KEY; i++) {
		if (i + AHEAD_LINE < s->n)
			__builtin_prefetch(s->arena + s->r[i + AHEAD_LINE].off);
		if (i >= AHEAD_KEY && in_pass(&s->r[i - AHEAD_KEY], by_ref)) {
			struct rec *r = &s->r[i - AHEAD_KEY];
			uint32_t id = key_id(t, side, h[i % AHEAD_KEY], key[i % AHEAD_KEY]);
			*(by_ref ? &r->ref : &r->child) = id;
		}
		if (i >= AHEAD_ENTRY && i - AHEAD_ENTRY < s->n && in_pass(&s->r[i - AHEAD_ENTRY], by_ref))
			mp_intern_prefetch_entry(t, h[(i - AHEAD_ENTRY) % AHEAD_KEY]);
		if (i < s->n && in_pass(&s->r[i], by_ref)) {
			key[i % AHEAD_KEY] = field_at(s, &s->r[i], col, f);
			h[i % AHEAD_KEY] = mp_intern_hash(key[i % AHEAD_KEY].s, key[i % AHEAD_KEY].len);
			mp_intern_prefetch_hash(t, h[i % AHEAD_KEY]);
		}
	}
	free(f);
}

void
mp_match_pair(mp_match *m, int64_t tolerance)
{
	key_ids(m, MP_SIDE_CASE, 1);
	key_ids(m, MP_SIDE_POLICE, 1);
	pair_pass(m, 1, INT64_MAX / 4);
	key_ids(m, MP_SIDE_CASE, 0);
	key_ids(m, MP_SIDE_POLICE, 0);
	pair_pass(m, 0, tolerance);
}

/* ---- writing ---- */

enum kind { K_COLUMN, K_MATCH, K_POLICE_ID };

/* One output column: a canonical or extra column of either side, or one of ours. */
struct ocol {
	char *name;
	enum kind kind;
	int canon;		/* enum mp_col, or -1 for an extra column */
	int src[2];		/* its position in each side's header, or -1 */
};

struct layout {
	struct ocol *c;
	size_t n, cap;
	int pos[MP_NCOLS];	/* output position of each canonical column, or -1 */
};

static void
add_col(struct layout *L, const char *name, enum kind kind, int canon, int case_i, int police_i)
{
	L->c = mp_xgrow(L->c, &L->cap, L->n + 1, sizeof *L->c);
	L->c[L->n] = (struct ocol){ mp_xstrdup(name), kind, canon, { case_i, police_i } };
	if (canon >= 0)
		L->pos[canon] = (int)L->n;
	L->n++;
}

/* Is header position i of a side bound to a canonical column? */
static int
is_canonical(const struct side *s, size_t i)
{
	for (int c = 0; c < MP_NCOLS; c++)
		if (s->cols.idx[c] == (int)i)
			return 1;
	return 0;
}

/* Would an extra column's name be taken for one of ours or a canonical one? */
static int
clashes(const char *name)
{
	if (strcmp(name, "match") == 0 || strcmp(name, "police_episode_id") == 0)
		return 1;
	for (int c = 0; c < MP_NCOLS; c++)
		if (strcmp(name, mp_col_names[c]) == 0)
			return 1;
	return 0;
}

/* Extra columns of both sides, case first; one of the same name on both sides is one column. */
static void
add_extras(const mp_match *m, struct layout *L)
{
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < m->s[s].nnames; i++) {
			if (is_canonical(&m->s[s], i))
				continue;
			const char *h = m->s[s].names[i];
			char *name = mp_xmalloc(strlen(h) + 6);
			sprintf(name, "%s%s", clashes(h) ? "orig_" : "", h);
			size_t j;
			for (j = 0; j < L->n; j++)
				if (L->c[j].canon < 0 && L->c[j].kind == K_COLUMN && strcmp(L->c[j].name, name) == 0)
					break;
			if (j < L->n && L->c[j].src[s] < 0)
				L->c[j].src[s] = (int)i;
			else
				add_col(L, name, K_COLUMN, -1, s == 0 ? (int)i : -1, s == 1 ? (int)i : -1);
			free(name);
		}
}

/* Canonical columns either side (or the roster) has, ours, then the extra columns. */
static void
build_layout(const mp_match *m, const mp_roster *roster, struct layout *L)
{
	memset(L, 0, sizeof *L);
	for (int c = 0; c < MP_NCOLS; c++) {
		int ci = m->s[0].cols.idx[c], pi = m->s[1].cols.idx[c];
		L->pos[c] = -1;
		if (ci >= 0 || pi >= 0 || (roster && mp_roster_carries(roster, (enum mp_col)c)))
			add_col(L, mp_col_names[c], K_COLUMN, c, ci, pi);
	}
	add_col(L, "match", K_MATCH, -1, -1, -1);
	add_col(L, "police_episode_id", K_POLICE_ID, -1, -1, -1);
	add_extras(m, L);
}

static void
free_layout(struct layout *L)
{
	for (size_t j = 0; j < L->n; j++)
		free(L->c[j].name);
	free(L->c);
}

/* The fields of a side's record being written, and its line when it was kept as read. */
struct fields {
	mp_field *f;
	const char *line, *end;	/* NULL when the fields were packed */
};

/* A record's fields: views into its line, or its packed fields. */
static void
unpack(const struct side *s, const struct rec *r, struct fields *fs)
{
	const char *p = s->arena + r->off;

	fs->line = fs->end = NULL;
	if (r->raw) {
		split_line(p, r->raw, fs->f, s->nnames);
		fs->line = p;
		fs->end = p + r->raw;
		return;
	}
	for (size_t i = 0; i < s->nnames; i++) {
		size_t n = strlen(p);
		fs->f[i] = (mp_field){ p, n };
		p += n + 1;
	}
}

/* Parse a time column's value; 0 when it is no time. */
static int
parse_time(mp_field f, mp_time *t)
{
	const char *why;

	if (f.len == 0 || mp_time_parse(f.s, f.len, t, &why) != 0)
		return 0;
	t->day = mp_local_day(t);	/* a written offset may name another date than the UK's */
	return 1;
}

/* Do two values of column c say the same?  Times: the same instant, or the same day where one is a date. */
static int
same_value(int c, mp_field a, mp_field b)
{
	mp_time x, y;

	if (a.len == b.len && memcmp(a.s, b.s, a.len) == 0)
		return 1;
	if (c != MP_COL_START && c != MP_COL_END && c != MP_COL_RHI_HELD)
		return 0;
	if (!parse_time(a, &x) || !parse_time(b, &y))
		return 0;
	if (!x.has_time || !y.has_time)
		return x.day == y.day;
	return x.utc == y.utc;
}

/* Is end not before start (by day where either is a date alone)?  Unknown counts as yes. */
static int
not_before(mp_field end, mp_field start)
{
	mp_time e, s;

	if (!parse_time(end, &e) || !parse_time(start, &s))
		return 1;
	if (!e.has_time || !s.has_time)
		return e.day >= s.day;
	return e.utc >= s.utc;
}

/* What writing one episode needs. */
struct wstate {
	mp_match *m;
	const mp_match_out *o;
	struct layout L;
	struct fields fs[2];	/* the case and police records' fields */
	mp_field *cf, *pf, *v;	/* fs[0].f, fs[1].f; output values */
	int spans;		/* the writer takes stretches of lines as they were read */
};

static const mp_field none = { "", 0 };

static mp_field
from(const mp_field *f, int i)
{
	return f && i >= 0 ? f[i] : none;
}

/* Columns a both row takes from the police record where the case record has no value. */
static int
fillable(int c)
{
	return c == MP_COL_POLICE_REF || c == MP_COL_POLICE_RISK || c == MP_COL_START || c == MP_COL_END;
}

static void
conflict(struct wstate *w, int c, mp_field a, mp_field b)
{
	mp_writer *cw = w->o->conflicts;

	w->m->counts.conflicts++;
	if (!cw)
		return;
	mp_field cid = from(w->cf, w->m->s[0].cols.idx[MP_COL_EPISODE_ID]);
	mp_field pid = from(w->pf, w->m->s[1].cols.idx[MP_COL_EPISODE_ID]);
	mp_field child = from(w->cf, w->m->s[0].cols.idx[MP_COL_CHILD_ID]);
	mp_writer_field(cw, cid.s, cid.len);
	mp_writer_field(cw, pid.s, pid.len);
	mp_writer_field(cw, child.s, child.len);
	mp_writer_str(cw, mp_col_names[c]);
	mp_writer_field(cw, a.s, a.len);
	mp_writer_field(cw, b.s, b.len);
	mp_writer_end(cw);
}

/* A both row: the case record, its gaps filled from the police record, differences listed. */
static void
merge_both(struct wstate *w)
{
	const struct layout *L = &w->L;

	for (size_t j = 0; j < L->n; j++) {
		const struct ocol *oc = &L->c[j];
		if (oc->kind != K_COLUMN)
			continue;
		mp_field a = from(w->cf, oc->src[0]), b = from(w->pf, oc->src[1]);
		w->v[j] = oc->src[0] < 0 ? b : a;
		if (oc->canon < 0 || oc->src[0] < 0 || b.len == 0)
			continue;
		if (a.len == 0 && fillable(oc->canon))
			w->v[j] = b;
		else if (a.len && oc->canon != MP_COL_EPISODE_ID && oc->canon != MP_COL_SOURCE &&
			 !same_value(oc->canon, a, b))
			conflict(w, oc->canon, a, b);
	}
	/* An end taken from the police must not come before the start kept. */
	int e = L->pos[MP_COL_END], s = L->pos[MP_COL_START];
	if (e >= 0 && L->c[e].src[0] >= 0 && w->cf[L->c[e].src[0]].len == 0 && w->v[e].len &&
	    !not_before(w->v[e], w->v[s])) {
		conflict(w, MP_COL_END, none, w->v[e]);
		w->v[e] = none;
	}
}

/* A row from one side only. */
static void
copy_side(struct wstate *w, int side, const mp_field *f)
{
	for (size_t j = 0; j < w->L.n; j++)
		if (w->L.c[j].kind == K_COLUMN)
			w->v[j] = from(f, w->L.c[j].src[side]);
}

/* Blank fields from the roster row in force on day; says so when a police-only child is not on it. */
static void
fill_roster(struct wstate *w, int64_t day, int police_only)
{
	const mp_roster *ro = w->o->roster;
	const struct layout *L = &w->L;
	mp_field child = w->v[L->pos[MP_COL_CHILD_ID]];
	int known = 0;
	const mp_roster_entry *e = child.len ? mp_roster_find(ro, child.s, child.len, day, &known) : NULL;

	if (!known) {
		if (police_only && w->o->unrostered) {
			int r = L->pos[MP_COL_POLICE_REF];
			w->o->unrostered(w->o->ctx, w->v[L->pos[MP_COL_EPISODE_ID]], child, r >= 0 ? w->v[r] : none);
		}
		return;
	}
	if (!e) {
		w->m->counts.off_roster++;
		return;
	}
	for (int k = 0; k < MP_ROSTER_NCOLS; k++) {
		int j = L->pos[mp_roster_cols[k]];
		if (j >= 0 && w->v[j].len == 0)
			w->v[j] = mp_roster_value(ro, e, mp_roster_cols[k]);
	}
}

/* The local day an episode starts (its case record's start, else the police one's), or INT64_MIN. */
static int64_t
start_day(const struct wstate *w, const struct rec *c, const struct rec *p)
{
	mp_time t;
	int side = c && c->t != NO_START ? 0 : p && p->t != NO_START ? 1 : -1;

	if (side < 0 || !parse_time(w->fs[side].f[w->m->s[side].cols.idx[MP_COL_START]], &t))
		return INT64_MIN;
	return t.day;
}

/* The line kept as read that value v lies in, or NULL. */
static const struct fields *
line_of(const struct wstate *w, mp_field v)
{
	for (int k = 0; k < 2; k++)
		if (w->fs[k].line && v.s >= w->fs[k].line && v.s + v.len <= w->fs[k].end)
			return &w->fs[k];
	return NULL;
}

/* Write the output values: neighbouring fields of a line kept as read go out as one stretch of it. */
static void
put_row(struct wstate *w)
{
	mp_writer *out = w->o->out;
	const mp_field *v = w->v;
	size_t n = w->L.n;

	for (size_t j = 0, k; j < n; j = k + 1) {
		const struct fields *fs = w->spans ? line_of(w, v[j]) : NULL;
		k = j;
		if (!fs) {
			mp_writer_field(out, v[j].s, v[j].len);
			continue;
		}
		while (k + 1 < n && v[k + 1].s == v[k].s + v[k].len + 1 && v[k + 1].s + v[k + 1].len <= fs->end)
			k++;
		mp_writer_csv_fields(out, v[j].s, (size_t)(v[k].s + v[k].len - v[j].s), k - j + 1);
	}
	mp_writer_end(out);
}

/* Build, count and (unless --only leaves it out) write one episode. */
static void
emit(struct wstate *w, enum mp_match_class cls, const struct rec *c, const struct rec *p)
{
	mp_match *m = w->m;
	const struct layout *L = &w->L;

	w->fs[0].line = w->fs[1].line = NULL;
	if (c)
		unpack(&m->s[0], c, &w->fs[0]);
	if (p)
		unpack(&m->s[1], p, &w->fs[1]);
	if (cls == MP_MATCH_BOTH)
		merge_both(w);
	else
		copy_side(w, c ? 0 : 1, c ? w->cf : w->pf);
	for (size_t j = 0; j < L->n; j++)
		if (L->c[j].kind == K_MATCH)
			w->v[j] = (mp_field){ mp_match_class_names[cls], strlen(mp_match_class_names[cls]) };
		else if (L->c[j].kind == K_POLICE_ID)
			w->v[j] = p ? from(w->pf, m->s[1].cols.idx[MP_COL_EPISODE_ID]) : none;
	if (w->o->roster)
		fill_roster(w, start_day(w, c, p), cls == MP_MATCH_POLICE_ONLY);
	m->counts.n[cls]++;
	if (w->o->only && !(w->o->only & 1u << cls))
		return;
	m->counts.written++;
	put_row(w);
}

/* Distances, in case records, at which a partner's record and then its fields are fetched ahead. */
#define AHEAD_REC 16
#define AHEAD_FIELDS 8

/*
 * Every case record, paired or not.  The police records of both rows come
 * in no order: the record of a partner a few rows ahead, and the fields of
 * one nearer, start loading early, so that writing does not wait for memory
 * at each row.  (In a function of its own, GCC 12 drops the prefetches as
 * having no effect.)
 */
static void
write_case_side(struct wstate *w)
{
	const struct side *cs = &w->m->s[0], *ps = &w->m->s[1];

	for (size_t i = 0; i < cs->n; i++) {
		const struct rec *c = &cs->r[i];
		if (i + AHEAD_REC < cs->n && cs->r[i + AHEAD_REC].partner != NONE)
			__builtin_prefetch(&ps->r[cs->r[i + AHEAD_REC].partner]);
		if (i + AHEAD_FIELDS < cs->n && cs->r[i + AHEAD_FIELDS].partner != NONE) {
			const struct rec *q = &ps->r[cs->r[i + AHEAD_FIELDS].partner];
			for (size_t k = 0; k < (q->raw ? q->raw : 256); k += 64)
				__builtin_prefetch(ps->arena + q->off + k);
		}
		if (c->partner != NONE)
			emit(w, MP_MATCH_BOTH, c, &ps->r[c->partner]);
		else
			emit(w, MP_MATCH_CASE_ONLY, c, NULL);
	}
}

void
mp_match_write(mp_match *m, const mp_match_out *o)
{
	struct wstate w = { .m = m, .o = o, .spans = mp_writer_takes_csv(o->out) };
	static const char *const chead[] = { "case_episode_id", "police_episode_id", "child_id", "column",
					     "case_value", "police_value" };

	build_layout(m, o->roster, &w.L);
	for (int k = 0; k < 2; k++)
		w.fs[k].f = mp_xcalloc(m->s[k].nnames + 1, sizeof *w.fs[k].f);
	w.cf = w.fs[0].f;
	w.pf = w.fs[1].f;
	w.v = mp_xcalloc(w.L.n, sizeof *w.v);
	for (size_t j = 0; j < w.L.n; j++)
		mp_writer_str(o->out, w.L.c[j].name);
	mp_writer_end(o->out);
	if (o->conflicts) {
		for (size_t k = 0; k < sizeof chead / sizeof *chead; k++)
			mp_writer_str(o->conflicts, chead[k]);
		mp_writer_end(o->conflicts);
	}
	write_case_side(&w);
	const struct side *ps = &m->s[1];
	for (size_t i = 0; i < ps->n; i++)
		if (ps->r[i].partner == NONE)
			emit(&w, MP_MATCH_POLICE_ONLY, NULL, &ps->r[i]);
	free_layout(&w.L);
	for (int k = 0; k < 2; k++)
		free(w.fs[k].f);
	free(w.v);
}

void
mp_match_counts_get(const mp_match *m, mp_match_counts *c)
{
	*c = m->counts;
	for (int s = 0; s < 2; s++) {
		c->read[s] = m->s[s].read;
		c->rejected[s] = m->s[s].rejected;
	}
}
