/* repeat.c: a store of episodes by child: exact-key tables, 24-byte episodes, in-place grouping. */
#include "repeat.h"
#include "err.h"
#include "intern.h"
#include "lineno.h"
#include "mptime.h"
#include "writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The values carried per child from its latest row: care_status, placement, hoth. */
#define NVALS 3

/*
 * A child, 12 bytes (its id is the key of kidtab): its episodes, its latest
 * row (an index in eps, or with LAST_OTHER in others) and that row's values
 * (an id in vals).  After mp_repeat_finish, at is the first of its episodes.
 */
struct kid {
	uint32_t n, at, vals;
};
#define LAST_OTHER 0x80000000u
#define NO_ROW UINT32_MAX

/* A row of a type not counted, kept while it is a child's latest. */
struct other {
	int32_t day, sec;
	uint32_t where;
};

struct mp_repeat {
	mp_idmap *kidtab;	/* child id -> index in kids */
	struct kid *kids;
	size_t nkids, ckids;
	mp_ids ids;		/* the text ids of episodes */
	mp_intern *vals;	/* the values of a row, as one key: each length (4 bytes), then its bytes */
	mp_lineno where;
	mp_rep_ep *eps;
	size_t neps, ceps;
	struct other *others;
	size_t nothers, cothers;
	int finished;
};

mp_repeat *
mp_repeat_new(void)
{
	mp_repeat *r = mp_xcalloc(1, sizeof *r);

	r->kidtab = mp_idmap_new(sizeof(uint32_t));
	r->vals = mp_intern_new();
	return r;
}

void
mp_repeat_free(mp_repeat *r)
{
	if (!r)
		return;
	mp_idmap_free(r->kidtab);
	mp_array_free(r->kids, r->ckids * sizeof *r->kids);
	mp_ids_free(&r->ids);
	mp_intern_free(r->vals);
	mp_lineno_free(&r->where);
	mp_array_free(r->eps, r->ceps * sizeof *r->eps);
	mp_array_free(r->others, r->cothers * sizeof *r->others);
	free(r);
}

/* Room for one more of an array (grown by half: the large ones are the store). */
static void *
room(void *a, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return a;
	if (n >= LAST_OTHER - 1)
		mp_too_much("more than 2 billion episodes or children");
	size_t old = *cap;
	*cap = *cap ? *cap + *cap / 2 : 1024;
	return mp_array_grow(a, old * size, *cap * size);
}

/* The index of the child with this id, added if new. */
static uint32_t
child_of(mp_repeat *r, const char *id, size_t len)
{
	int added;
	uint32_t *k = mp_idmap_add(r->kidtab, id, len, &added);

	if (added) {
		r->kids = room(r->kids, &r->ckids, r->nkids, sizeof *r->kids);
		*k = (uint32_t)r->nkids;
		r->kids[*k] = (struct kid){ 0, NO_ROW, 0 };
		r->nkids++;
	}
	return *k;
}

/* A row's values as one key of the vals table. */
static uint32_t
vals_of(mp_repeat *r, const mp_field *v)
{
	char buf[256], *key = buf;
	size_t n = 0, need = 0;
	uint32_t id;

	for (int i = 0; i < NVALS; i++)
		need += 4 + v[i].len;
	if (need > sizeof buf)
		key = mp_xmalloc(need);
	for (int i = 0; i < NVALS; i++) {
		uint32_t len = (uint32_t)v[i].len;
		memcpy(key + n, &len, 4);
		memcpy(key + n + 4, v[i].s, v[i].len);
		n += 4 + v[i].len;
	}
	id = mp_intern_add(r->vals, key, n, NULL);
	if (key != buf)
		free(key);
	return id;
}

/* Value i of a vals key. */
static mp_field
val_get(const mp_repeat *r, uint32_t vals, int i)
{
	const char *p = mp_intern_key(r->vals, vals, NULL);
	mp_field f;
	uint32_t len;

	for (;;) {
		memcpy(&len, p, 4);
		if (i-- == 0)
			break;
		p += 4 + len;
	}
	f.s = p + 4;
	f.len = len;
	return f;
}

/* Does the row at (day, sec, where) come after the child's latest row (by start, then where read)? */
static int
is_latest(const mp_repeat *r, const struct kid *c, int32_t day, int32_t sec, uint32_t where)
{
	int64_t t = (int64_t)day * 86400 + sec, lt;
	uint32_t lw;

	if (c->at == NO_ROW)
		return 1;
	if (c->at & LAST_OTHER) {
		const struct other *o = &r->others[c->at & ~LAST_OTHER];
		lt = (int64_t)o->day * 86400 + o->sec, lw = o->where;
	} else {
		const mp_rep_ep *e = &r->eps[c->at];
		lt = (int64_t)e->day * 86400 + e->sec, lw = e->where;
	}
	return t > lt || (t == lt && where >= lw);
}

enum mp_rep_verdict
mp_repeat_count(mp_repeat *r, const mp_rep_opts *o, const mp_colmap *cols,
		const mp_record *rec, unsigned file, const char **col, char *msg, size_t msgsz)
{
	static const enum mp_col vcols[NVALS] = { MP_COL_CARE_STATUS, MP_COL_PLACEMENT, MP_COL_HOTH };
	mp_field v[NVALS];
	mp_episode ep;

	if (mp_episode_decode(cols, rec, &ep, col, msg, msgsz))
		return MP_REP_REJECTED;
	int64_t day = mp_local_day(&ep.start);	/* written with an offset: its UK date */
	if (o->as_of && (ep.start.utc > o->as_of_utc || day < o->from_day))
		return MP_REP_OUTSIDE;
	/* The UK date of the instant, so sec is within a day and the UK offset (fits the 20 bits). */
	int32_t sec = (int32_t)(ep.start.utc - day * 86400);
	uint32_t where = mp_lineno_put(&r->where, rec->line, (int)file);
	uint32_t c = child_of(r, ep.child.s, ep.child.len);
	int latest = is_latest(r, &r->kids[c], (int32_t)day, sec, where), counted = (o->types & (1u << ep.type)) != 0;

	/* The latest row of any type gives the child's values. */
	if (latest) {
		for (int i = 0; i < NVALS; i++)
			v[i] = mp_get(cols, rec, vcols[i]);
		r->kids[c].vals = vals_of(r, v);
	}
	if (!counted) {
		if (latest) {
			r->others = room(r->others, &r->cothers, r->nothers, sizeof *r->others);
			r->others[r->nothers] = (struct other){ (int32_t)day, sec, where };
			r->kids[c].at = LAST_OTHER | (uint32_t)r->nothers++;
		}
		return MP_REP_OTHER_TYPE;
	}
	r->eps = room(r->eps, &r->ceps, r->neps, sizeof *r->eps);
	r->eps[r->neps] = (mp_rep_ep){ .day = (int32_t)day, .sec = sec, .type = ep.type & 3,
				       .has_time = ep.start.has_time != 0, .where = where, .child = c,
				       .id = mp_ids_put(&r->ids, ep.id.s, ep.id.len) };
	if (latest)
		r->kids[c].at = (uint32_t)r->neps;
	r->neps++;
	r->kids[c].n++;
	return MP_REP_COUNTED;
}

static int64_t
utc_of(const mp_rep_ep *e)
{
	return (int64_t)e->day * 86400 + e->sec;
}

/* Order within a child: start, type, then where it was read. */
static int
ep_cmp(const void *pa, const void *pb)
{
	const mp_rep_ep *a = pa, *b = pb;
	int64_t ua = utc_of(a), ub = utc_of(b);

	if (ua != ub)
		return ua < ub ? -1 : 1;
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	return a->where < b->where ? -1 : a->where > b->where;
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

/*
 * Group the episodes by child in place (a counting sort that swaps each
 * episode straight into its child's range): kids[k].at becomes the first
 * of child k's.
 */
static void
group(mp_repeat *r)
{
	size_t pos = 0;

	for (size_t k = 0; k < r->nkids; k++) {
		r->kids[k].at = (uint32_t)pos;	/* the next place to fill */
		pos += r->kids[k].n;
	}
	pos = 0;
	for (size_t k = 0; k < r->nkids; k++) {
		size_t end = pos + r->kids[k].n;
		for (size_t i = r->kids[k].at; i < end; i = r->kids[k].at) {
			uint32_t c = r->eps[i].child;
			if (c != k) {
				mp_rep_ep x = r->eps[i];
				r->eps[i] = r->eps[r->kids[c].at];
				r->eps[r->kids[c].at] = x;
			}
			r->kids[c].at++;
		}
		r->kids[k].at = (uint32_t)pos;
		pos = end;
	}
}

size_t
mp_repeat_finish(mp_repeat *r, void (*dup)(void *ctx, unsigned kfile, unsigned long kline, unsigned dfile,
					   unsigned long dline), void *ctx)
{
	size_t dropped = 0;

	if (r->finished)
		return 0;
	r->finished = 1;
	mp_array_free(r->others, r->cothers * sizeof *r->others);	/* the latest rows' values are kept */
	r->others = NULL;
	r->nothers = r->cothers = 0;
	group(r);
	for (size_t k = 0; k < r->nkids; k++) {
		struct kid *c = &r->kids[k];
		mp_rep_ep *e = c->n ? r->eps + c->at : r->eps;	/* eps is NULL when no episode was kept */
		size_t o = 0;
		sort_eps(e, c->n);
		for (size_t i = 0; i < c->n; i++) {
			if (o > 0 && utc_of(&e[o - 1]) == utc_of(&e[i]) && e[o - 1].type == e[i].type) {
				long kl, dl;
				int kf, df;
				mp_lineno_get(&r->where, e[o - 1].where, &kl, &kf);
				mp_lineno_get(&r->where, e[i].where, &dl, &df);
				if (dup)
					dup(ctx, (unsigned)kf, (unsigned long)kl, (unsigned)df, (unsigned long)dl);
				dropped++;
				continue;
			}
			e[o++] = e[i];
		}
		c->n = (uint32_t)o;
	}
	return dropped;
}

/* After finish: the child's episodes in start order, duplicates removed. */
static const mp_rep_ep *
episodes(const mp_repeat *r, uint32_t child, size_t *n)
{
	*n = r->kids[child].n;
	return r->eps ? r->eps + r->kids[child].at : NULL;
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
		char nb[MP_IDS_BUF];
		size_t il;
		const char *id = mp_ids_get(&r->ids, e[i].id, nb, &il);
		b->s = mp_xgrow(b->s, &b->cap, len + il + 2, 1);
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
	size_t n = mp_time_format_as_given(buf, utc_of(e), e->day, e->has_time);

	mp_writer_field(w, buf, n);
}

static void
write_date(mp_writer *w, int64_t day)
{
	char buf[40];
	size_t n = mp_date_format(buf, day);

	mp_writer_field(w, buf, n);
}

/* A child listed: its index and its id (a word of the list's own mp_ids). */
struct listed {
	uint64_t id;
	uint32_t k;
};

struct list {
	struct listed *v;
	size_t n;
	unsigned char *mark;	/* bit per child: listed */
	mp_ids ids;
};

static void
write_child(mp_writer *w, const struct list *l, const struct listed *c)
{
	char buf[MP_IDS_BUF];
	size_t n;
	const char *id = mp_ids_get(&l->ids, c->id, buf, &n);

	mp_writer_field(w, id, n);
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

/* Each marked child's id, from the table of children. */
static void
take_id(void *ctx, const char *key, size_t n, void *rec)
{
	struct list *l = ctx;
	uint32_t k;

	memcpy(&k, rec, sizeof k);
	if (l->mark[k / 8] & (1u << (k % 8)))
		l->v[l->n++] = (struct listed){ mp_ids_put(&l->ids, key, n), k };
}

static const struct list *order_list;

/* Children by their ids, bytewise. */
static int
listed_cmp(const void *pa, const void *pb)
{
	return mp_ids_cmp(&order_list->ids, ((const struct listed *)pa)->id, ((const struct listed *)pb)->id);
}

/* The children with o->min episodes in a span, month or week, in id order. */
static void
listed(const mp_repeat *r, const mp_rep_opts *o, struct list *l)
{
	size_t nmark = 0;

	l->mark = mp_xcalloc(r->nkids / 8 + 1, 1);
	for (size_t k = 0; k < r->nkids; k++) {
		size_t n, first;
		const mp_rep_ep *e = episodes(r, (uint32_t)k, &n);
		if (n < (size_t)o->min)
			continue;
		/* With --as-of every episode kept is in the one span. */
		if (o->per != MP_PER_NONE ? mp_repeat_has_period(o->per, e, n, (size_t)o->min)
		    : o->as_of || mp_repeat_fullest(e, n, (int)o->window, &first) >= (size_t)o->min) {
			l->mark[k / 8] |= (unsigned char)(1u << (k % 8));
			nmark++;
		}
	}
	l->v = mp_xmalloc((nmark + 1) * sizeof *l->v);
	mp_idmap_each(r->kidtab, take_id, l);
	order_list = l;
	qsort(l->v, l->n, sizeof *l->v, listed_cmp);
	order_list = NULL;
}

/* A row for each month or week of child k holding o->min episodes. */
static void
write_periods(mp_writer *w, const mp_repeat *r, const mp_rep_opts *o, const struct list *l, const struct listed *c,
	      idbuf *b)
{
	size_t n;
	const mp_rep_ep *e = episodes(r, c->k, &n);

	for (size_t i = 0, j; i < n; i = j) {
		long key;
		char name[32];
		j = mp_repeat_period_run(o->per, e, n, i, &key);
		if (j - i < (size_t)o->min)
			continue;
		write_child(w, l, c);
		mp_writer_field(w, name, mp_repeat_period_name(name, o->per, key));
		mp_writer_long(w, (long)(j - i));
		write_ids(w, r, e + i, j - i, b);
		mp_writer_end(w);
	}
}

/* The row of child k: its fullest span of days (or the --as-of span) and its latest row's values. */
static void
write_span(mp_writer *w, const mp_repeat *r, const mp_rep_opts *o, const struct list *l, const struct listed *c,
	   idbuf *b)
{
	size_t n, first = 0, cnt;
	const mp_rep_ep *e = episodes(r, c->k, &n);
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
	write_child(w, l, c);
	mp_writer_long(w, (long)cnt);
	write_date(w, wstart);
	write_date(w, wend);
	write_start(w, &e[first]);
	write_start(w, &e[first + cnt - 1]);
	write_ids(w, r, e + first, cnt, b);
	for (int i = 0; i < NVALS; i++) {
		mp_field v = val_get(r, r->kids[c->k].vals, i);
		mp_writer_field(w, v.s, v.len);
	}
	mp_writer_end(w);
}

void
mp_repeat_write(const mp_repeat *r, const mp_rep_opts *o, mp_writer *w)
{
	struct list l = { NULL, 0, NULL, { NULL, 0, 0 } };
	idbuf b = { NULL, 0 };

	write_header(w, o->per);
	listed(r, o, &l);
	for (size_t i = 0; i < l.n; i++) {
		if (o->per != MP_PER_NONE)
			write_periods(w, r, o, &l, &l.v[i], &b);
		else
			write_span(w, r, o, &l, &l.v[i], &b);
	}
	free(b.s);
	free(l.v);
	free(l.mark);
	mp_ids_free(&l.ids);
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
