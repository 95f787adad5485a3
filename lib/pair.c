/* pair.c: the open episode of each police reference; a found notification closes it. */
#include "pair.h"
#include "err.h"
#include "intern.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A saved row: canonical values, extras and raw fields, all owned. */
typedef struct saved {
	char *v[MP_NCOLS];
	char **extra;
	size_t nextra;
	char **raw;
	size_t nraw;
	char *file;
	long line;
	int64_t order;		/* notification time, else the start or end */
	int64_t when;		/* the start (missing) or end (found) */
	int has_order;
} saved;

enum { ST_OPEN, ST_FOUND_WAITING };

typedef struct ent {
	uint32_t ref;		/* the reference's id in the pairer's table */
	int state;
	saved m;		/* the missing notification (ST_OPEN) */
	saved f;		/* the found one waiting for its missing (ST_FOUND_WAITING) */
	int64_t risk_order;	/* notification time of the risk grade taken */
	long nrows;
	struct ent *older, *newer;	/* first-seen order */
} ent;

struct mp_pairer {
	int key;
	mp_pair_emit emit;
	mp_pair_reject reject;
	void *ctx;
	mp_intern *refs;	/* every reference seen -> its id */
	struct ent **open;	/* by id: its entry, or NULL */
	size_t cap, n, peak;
	ent *first, *last;
};

mp_pairer *
mp_pair_new(int keycol, mp_pair_emit emit, mp_pair_reject reject, void *ctx)
{
	mp_pairer *p = mp_xcalloc(1, sizeof *p);
	p->key = keycol;
	p->emit = emit;
	p->reject = reject;
	p->ctx = ctx;
	p->refs = mp_intern_new();
	return p;
}

static void
saved_free(saved *s)
{
	for (int c = 0; c < MP_NCOLS; c++)
		free(s->v[c]);
	for (size_t i = 0; i < s->nextra; i++)
		free(s->extra[i]);
	free(s->extra);
	for (size_t i = 0; i < s->nraw; i++)
		free(s->raw[i]);
	free(s->raw);
	free(s->file);
	memset(s, 0, sizeof *s);
}

static void
save(saved *s, const mp_row *row, const char *file, const mp_record *rec, const size_t *extras, size_t nextras,
     int64_t when)
{
	saved_free(s);
	for (int c = 0; c < MP_NCOLS; c++)
		s->v[c] = mp_xstrndup(row->v[c].s, row->v[c].len);
	s->nextra = nextras;
	s->extra = mp_xcalloc(nextras + 1, sizeof *s->extra);
	for (size_t i = 0; i < nextras; i++)
		s->extra[i] = extras[i] < rec->n ? mp_xstrndup(rec->f[extras[i]].s, rec->f[extras[i]].len)
						 : mp_xstrdup("");
	s->nraw = rec->n;
	s->raw = mp_xcalloc(rec->n + 1, sizeof *s->raw);
	for (size_t i = 0; i < rec->n; i++)
		s->raw[i] = mp_xstrndup(rec->f[i].s, rec->f[i].len);
	s->file = mp_xstrdup(file);
	s->line = rec->line;
	s->when = when;
	s->has_order = row->has_t[MP_MAP_NOTIFIED];
	s->order = s->has_order ? row->t[MP_MAP_NOTIFIED].utc : when;
}

static void
reject_saved(mp_pairer *p, const saved *s, const char *msg)
{
	mp_field raw[s->nraw + 1];
	for (size_t i = 0; i < s->nraw; i++) {
		raw[i].s = s->raw[i];
		raw[i].len = strlen(s->raw[i]);
	}
	p->reject(p->ctx, s->file, s->line, NULL, msg, raw, s->nraw);
}

static void
reject_row(mp_pairer *p, const char *file, const mp_record *rec, const char *msg)
{
	p->reject(p->ctx, file, rec->line, NULL, msg, rec->f, rec->n);
}

/* The entry of reference k (h: its mp_intern_hash, also for add), or NULL. */
static ent *
lookup(const mp_pairer *p, mp_field k, uint32_t h)
{
	uint32_t id = mp_intern_find_hashed(p->refs, h, k.s, k.len);

	return id == MP_INTERN_NONE ? NULL : p->open[id];
}

/*
 * Forget the references closed since the table was made once they are two
 * thirds of it: a new table of the open ones, so that memory follows the
 * open references, not every one seen.
 */
static void
forget_closed(mp_pairer *p)
{
	size_t n = mp_intern_count(p->refs), len;
	mp_intern *t;

	if (n < 4096 || p->n * 3 > n)
		return;
	t = mp_intern_new();
	memset(p->open, 0, p->cap * sizeof *p->open);
	for (ent *e = p->first; e; e = e->newer) {
		const char *key = mp_intern_key(p->refs, e->ref, &len);
		e->ref = mp_intern_add(t, key, len, NULL);
		p->open[e->ref] = e;
	}
	mp_intern_free(p->refs);
	p->refs = t;
}

static ent *
add(mp_pairer *p, mp_field k, uint32_t h)
{
	size_t had = p->cap;
	uint32_t id;
	ent *e = mp_xcalloc(1, sizeof *e);

	forget_closed(p);
	id = mp_intern_add_hashed(p->refs, h, k.s, k.len, NULL);

	if (id >= had) {
		p->open = mp_xgrow(p->open, &p->cap, (size_t)id + 1, sizeof *p->open);
		memset(p->open + had, 0, (p->cap - had) * sizeof *p->open);
	}
	e->ref = id;
	p->open[id] = e;
	e->older = p->last;
	if (p->last)
		p->last->newer = e;
	else
		p->first = e;
	p->last = e;
	if (++p->n > p->peak)
		p->peak = p->n;
	return e;
}

static void
drop(mp_pairer *p, ent *e)
{
	p->open[e->ref] = NULL;
	if (e->older)
		e->older->newer = e->newer;
	else
		p->first = e->newer;
	if (e->newer)
		e->newer->older = e->older;
	else
		p->last = e->older;
	saved_free(&e->m);
	saved_free(&e->f);
	free(e);
	p->n--;
}

/* Emit the episode of an open entry, ended by end (may be NULL). */
static void
emit_ent(mp_pairer *p, ent *e, const char *end)
{
	mp_field v[MP_NCOLS], x[e->m.nextra + 1];
	for (int c = 0; c < MP_NCOLS; c++) {
		v[c].s = e->m.v[c];
		v[c].len = strlen(e->m.v[c]);
	}
	if (end) {
		v[MP_COL_END].s = end;
		v[MP_COL_END].len = strlen(end);
	}
	for (size_t i = 0; i < e->m.nextra; i++) {
		x[i].s = e->m.extra[i];
		x[i].len = strlen(e->m.extra[i]);
	}
	p->emit(p->ctx, v, x, e->m.nextra, e->nrows);
}

/* Fill the open episode's empty columns from a later notification (never the risk grade). */
static void
fill(ent *e, const mp_row *row)
{
	for (int c = 0; c < MP_NCOLS; c++)
		if (!e->m.v[c][0] && row->v[c].len && c != MP_COL_POLICE_RISK && c != MP_COL_END) {
			free(e->m.v[c]);
			e->m.v[c] = mp_xstrndup(row->v[c].s, row->v[c].len);
		}
}

/* Fill the open episode's empty extra columns from a later notification's. */
static void
fill_extras(ent *e, const mp_record *rec, const size_t *extras, size_t nextras)
{
	for (size_t i = 0; i < nextras && i < e->m.nextra; i++)
		if (!e->m.extra[i][0] && extras[i] < rec->n && rec->f[extras[i]].len) {
			free(e->m.extra[i]);
			e->m.extra[i] = mp_xstrndup(rec->f[extras[i]].s, rec->f[extras[i]].len);
		}
}

static void
fill_saved(ent *e, const saved *f)
{
	for (size_t i = 0; i < f->nextra && i < e->m.nextra; i++)
		if (!e->m.extra[i][0] && f->extra[i][0]) {
			free(e->m.extra[i]);
			e->m.extra[i] = mp_xstrdup(f->extra[i]);
		}
	for (int c = 0; c < MP_NCOLS; c++)
		if (!e->m.v[c][0] && f->v[c][0] && c != MP_COL_POLICE_RISK && c != MP_COL_END) {
			free(e->m.v[c]);
			e->m.v[c] = mp_xstrdup(f->v[c]);
		}
}

/* The notification being fed: its row, where it came from, and its extra columns. */
typedef struct note {
	const mp_row *row;
	const char *file;
	const mp_record *rec;
	const size_t *extras;
	size_t nextras;
} note;

/* A reference's first missing notification (or one after a found one that came too early). */
static void
open_ent(ent *e, const note *n, int64_t start)
{
	e->state = ST_OPEN;
	save(&e->m, n->row, n->file, n->rec, n->extras, n->nextras, start);
	e->risk_order = e->m.order;
	e->nrows = 1;
}

/* A further missing notification before the found one: an update (the later risk grade wins). */
static void
update_open(ent *e, const note *n, int64_t start)
{
	const mp_row *row = n->row;
	int64_t order = row->has_t[MP_MAP_NOTIFIED] ? row->t[MP_MAP_NOTIFIED].utc : start;

	if (row->v[MP_COL_POLICE_RISK].len && order >= e->risk_order) {
		free(e->m.v[MP_COL_POLICE_RISK]);
		e->m.v[MP_COL_POLICE_RISK] = mp_xstrndup(row->v[MP_COL_POLICE_RISK].s, row->v[MP_COL_POLICE_RISK].len);
		e->risk_order = order;
	}
	fill(e, row);
	fill_extras(e, n->rec, n->extras, n->nextras);
	e->nrows++;
}

static void
feed_missing(mp_pairer *p, mp_field k, const note *n)
{
	uint32_t h = mp_intern_hash(k.s, k.len);
	ent *e = lookup(p, k, h);

	if (!n->row->has_t[MP_COL_START]) {
		reject_row(p, n->file, n->rec, "missing notification without a time last seen");
		return;
	}
	int64_t start = n->row->t[MP_COL_START].utc;
	if (e && e->state == ST_OPEN) {
		update_open(e, n, start);
		return;
	}
	if (e && e->state == ST_FOUND_WAITING) {
		if (e->f.when >= start) {
			/* The found notification came first in the file: pair them now. */
			saved f = e->f;
			memset(&e->f, 0, sizeof e->f);
			save(&e->m, n->row, n->file, n->rec, n->extras, n->nextras, start);
			fill_saved(e, &f);
			e->nrows++;
			emit_ent(p, e, f.v[MP_COL_END]);
			saved_free(&f);
			drop(p, e);
			return;
		}
		reject_saved(p, &e->f, "found notification without a missing one before it");
		saved_free(&e->f);
		open_ent(e, n, start);
		return;
	}
	open_ent(add(p, k, h), n, start);
}

static void
feed_found(mp_pairer *p, mp_field k, const note *n)
{
	const mp_row *row = n->row;
	uint32_t h = mp_intern_hash(k.s, k.len);
	ent *e = lookup(p, k, h);
	char msg[300];

	if (!row->has_t[MP_COL_END]) {
		reject_row(p, n->file, n->rec, "found notification without a time found");
		return;
	}
	int64_t end = row->t[MP_COL_END].utc;
	if (e && e->state == ST_OPEN) {
		if (end < e->m.when) {
			snprintf(msg, sizeof msg, "found at %s, before the child was last seen (%s, line %ld)",
				 mp_show(row->v[MP_COL_END].s, row->v[MP_COL_END].len), e->m.v[MP_COL_START], e->m.line);
			reject_row(p, n->file, n->rec, msg);
			return;
		}
		fill(e, row);
		fill_extras(e, n->rec, n->extras, n->nextras);
		e->nrows++;
		char *endtext = mp_xstrndup(row->v[MP_COL_END].s, row->v[MP_COL_END].len);
		emit_ent(p, e, endtext);
		free(endtext);
		drop(p, e);
		return;
	}
	if (e) {
		reject_row(p, n->file, n->rec,
			   "found notification without a missing one (another found one is already waiting)");
		return;
	}
	e = add(p, k, h);
	e->state = ST_FOUND_WAITING;
	save(&e->f, row, n->file, n->rec, n->extras, n->nextras, end);
	e->nrows = 1;
}

void
mp_pair_feed(mp_pairer *p, const mp_row *row, const char *file, const mp_record *rec, const size_t *extras,
	     size_t nextras)
{
	mp_field k = row->v[p->key];
	note n = { row, file, rec, extras, nextras };

	if (row->event == MP_EV_EPISODE) {
		/* Missing and found on one row: an episode already. */
		mp_field none = { "", 0 }, x[nextras + 1];
		for (size_t i = 0; i < nextras; i++)
			x[i] = extras[i] < rec->n ? rec->f[extras[i]] : none;
		p->emit(p->ctx, row->v, x, nextras, 1);
		return;
	}
	if (k.len == 0) {
		reject_row(p, file, rec, "no police reference: a notification cannot be paired without one");
		return;
	}
	if (row->event == MP_EV_MISSING)
		feed_missing(p, k, &n);
	else
		feed_found(p, k, &n);
}

void
mp_pair_finish(mp_pairer *p)
{
	while (p->first) {
		ent *e = p->first;
		if (e->state == ST_OPEN)
			emit_ent(p, e, NULL);
		else
			reject_saved(p, &e->f, "found notification without a missing one");
		drop(p, e);
	}
}

size_t mp_pair_open(const mp_pairer *p) { return p->n; }
size_t mp_pair_peak(const mp_pairer *p) { return p->peak; }

void
mp_pair_free(mp_pairer *p)
{
	if (!p)
		return;
	while (p->first)
		drop(p, p->first);
	mp_intern_free(p->refs);
	free(p->open);
	free(p);
}
