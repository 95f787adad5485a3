/* rhidue.c: how each return's interview stands at --now (mp-rhi-due; see rhidue.h). */
#include "rhidue.h"
#include "err.h"
#include "intern.h"
#include "mptime.h"
#include "rowname.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const mp_rhi_status_names[] = {
	"due", "overdue", "held_in_time", "held_late", "declined", "not_held", "missing_again", "not_recorded",
};

/* Reasons no interview was held, and the status each gives. */
static const struct {
	const char *code;
	enum mp_rhi_status st;
} reasons[] = {
	{ "declined_child", MP_RHI_DECLINED }, { "declined_parent", MP_RHI_DECLINED },
	{ "no_contact", MP_RHI_NOT_HELD }, { "custody", MP_RHI_NOT_HELD },
	{ "missing_again", MP_RHI_NOT_HELD }, { "other", MP_RHI_NOT_HELD },
};

/* Status from the reason code, or -1 when it is not one of ours. */
static int
reason_status(mp_field r)
{
	for (size_t i = 0; i < sizeof reasons / sizeof *reasons; i++)
		if (strlen(reasons[i].code) == r.len && memcmp(reasons[i].code, r.s, r.len) == 0)
			return (int)reasons[i].st;
	return -1;
}

enum mp_rhi_status
mp_rhi_row_status(const mp_episode *ep, mp_field reason, int64_t now, int64_t deadline)
{
	if (ep->has_rhi_held && ep->rhi_held.utc <= now) {
		mp_time lt;
		mp_utc_to_local(deadline, &lt);
		int in_time = ep->rhi_held.has_time ? ep->rhi_held.utc <= deadline
						    : mp_local_day(&ep->rhi_held) <= lt.day;
		return in_time ? MP_RHI_HELD_IN_TIME : MP_RHI_HELD_LATE;
	}
	int rst = reason.len ? reason_status(reason) : -1;	/* decoded: empty or a known reason */
	if (rst >= 0)
		return (enum mp_rhi_status)rst;
	return now > deadline ? MP_RHI_OVERDUE : MP_RHI_DUE;
}

/* A kept return: the output row (the columns, then source and responsible_la) and its state. */
enum { C_SOURCE = 12, C_RESP, C_NCOLS };

struct cand {
	int64_t dl, end;
	uint32_t child;
	enum mp_rhi_status st;
};

struct mp_rhidue {
	mp_rhidue_opts o;
	const mp_colmap *cm;
	long listed, unlisted, rejected;
	mp_rows *rows;		/* the kept returns' rows */
	struct cand *c;
	size_t nc, cc;
	mp_intern *children;
	int64_t *latest;	/* per child: its latest start needing an interview, not after now */
	size_t clatest;
	mp_intern *sources;
	unsigned char *records;	/* per source: some row records an interview fact */
	size_t crecords;
	mp_intern *resps;	/* the responsible councils of every return, kept or not */
	mp_la_seen la;
};

mp_rhidue *
mp_rhidue_new(const mp_rhidue_opts *o, const mp_colmap *cm)
{
	mp_rhidue *r = mp_xcalloc(1, sizeof *r);

	r->o = *o;
	r->cm = cm;
	r->rows = mp_rows_new(C_NCOLS);
	r->children = mp_intern_new();
	r->sources = mp_intern_new();
	r->resps = mp_intern_new();
	return r;
}

void
mp_rhidue_free(mp_rhidue *r)
{
	if (!r)
		return;
	mp_rows_free(r->rows);
	free(r->c);
	mp_intern_free(r->children);
	free(r->latest);
	mp_intern_free(r->sources);
	mp_intern_free(r->resps);
	free(r->records);
	mp_la_free(&r->la);
	free(r);
}

void
mp_rhidue_tally(const mp_rhidue *r, long *listed, long *unlisted, long *rejected)
{
	*listed = r->listed;
	*unlisted = r->unlisted;
	*rejected = r->rejected;
}

/* The child's index, its latest start set up when new. */
static uint32_t
child_index(mp_rhidue *r, mp_field child)
{
	int added;
	uint32_t id = mp_intern_add(r->children, child.s, child.len, &added);

	r->latest = mp_xgrow(r->latest, &r->clatest, (size_t)id + 1, sizeof *r->latest);
	if (added)
		r->latest[id] = MP_RHI_NO_START;
	return id;
}

/* Note whether the row's source records interviews (any interview fact set). */
static void
note_source(mp_rhidue *r, const mp_record *rec, const mp_episode *ep)
{
	mp_field src = mp_get(r->cm, rec, MP_COL_SOURCE);
	uint32_t id = mp_intern_add(r->sources, src.s, src.len, NULL);

	if (id >= r->crecords) {
		size_t old = r->crecords;
		r->records = mp_xgrow(r->records, &r->crecords, (size_t)id + 1, 1);
		memset(r->records + old, 0, r->crecords - old);
	}
	r->records[id] |= mp_get(r->cm, rec, MP_COL_RHI_OFFERED).len || mp_get(r->cm, rec, MP_COL_RHI_ACCEPTED).len ||
			  ep->has_rhi_held || mp_get(r->cm, rec, MP_COL_RHI_REASON).len;
}

/* An interview held before the return is a data error; 0, or -1 reported. */
static int
check_held(mp_rhidue *r, const char *file, const mp_record *rec, const mp_episode *ep)
{
	if (ep->has_end && ep->has_rhi_held &&
	    (ep->rhi_held.has_time && ep->end.has_time ? ep->rhi_held.utc < ep->end.utc
						       : mp_local_day(&ep->rhi_held) < mp_local_day(&ep->end))) {
		mp_field h = mp_get(r->cm, rec, MP_COL_RHI_HELD), e = mp_get(r->cm, rec, MP_COL_END);
		mp_row_msgc(r->cm, rec, file, rec->line, "rhi_held", "'%s' is before the return (end '%s')",
			    mp_show(h.s, h.len), mp_show(e.s, e.len));
		return -1;
	}
	return 0;
}

/* Whether a status is listed under the options (due_within counts from now). */
static int
shown(const mp_rhidue_opts *o, enum mp_rhi_status st, int64_t dl)
{
	if (st != MP_RHI_DUE && st != MP_RHI_OVERDUE)
		return o->all;
	if (!o->overdue && o->due_within < 0)
		return 1;
	return (o->overdue && st == MP_RHI_OVERDUE) ||
	       (o->due_within >= 0 && st == MP_RHI_DUE && dl - o->now <= (int64_t)o->due_within * 3600);
}

/* Keep a return: its output columns and what deciding it needs. */
static void
keep(mp_rhidue *r, const mp_record *rec, const mp_episode *ep, uint32_t child, enum mp_rhi_status st, int64_t dl)
{
	char buf[64];
	mp_rows *c = r->rows;

	r->c = mp_xgrow(r->c, &r->cc, r->nc + 1, sizeof *r->c);
	r->c[r->nc++] = (struct cand){ dl, ep->end.utc, child, st };
	mp_rows_begin(c, dl);
	mp_rows_field(c, ep->id.s, ep->id.len);
	mp_rows_field(c, ep->child.s, ep->child.len);
	mp_rows_field(c, buf, ep->end.has_time ? mp_time_format(buf, ep->end.utc) : mp_date_format(buf, ep->end.day));
	mp_rows_field(c, buf, mp_time_format(buf, dl));
	mp_rows_str(c, "");	/* hours_left, status: once decided */
	mp_rows_str(c, "");
	mp_rows_str(c, !ep->end.has_time || (ep->has_rhi_held && ep->rhi_held.utc <= r->o.now &&
					     !ep->rhi_held.has_time) ? "Y" : "N");
	static const enum mp_col tail[] = { MP_COL_CARE_STATUS, MP_COL_PLACEMENT, MP_COL_ALLOCATED };
	for (size_t i = 0; i < sizeof tail / sizeof *tail; i++) {
		mp_field f = mp_get(r->cm, rec, tail[i]);
		mp_rows_field(c, f.s, f.len);
	}
	if (st == MP_RHI_HELD_IN_TIME || st == MP_RHI_HELD_LATE)
		mp_rows_field(c, buf, ep->rhi_held.has_time ? mp_time_format(buf, ep->rhi_held.utc)
							  : mp_date_format(buf, ep->rhi_held.day));
	else
		mp_rows_str(c, "");
	mp_field reason = mp_get(r->cm, rec, MP_COL_RHI_REASON), f;
	mp_rows_field(c, reason.s, st == MP_RHI_DUE || st == MP_RHI_OVERDUE ? 0 : reason.len);
	f = mp_get(r->cm, rec, MP_COL_SOURCE);
	mp_rows_field(c, f.s, f.len);
	f = mp_get(r->cm, rec, MP_COL_RESPONSIBLE_LA);
	mp_rows_field(c, f.s, f.len);
}

void
mp_rhidue_record(void *ctx, const char *file, const mp_record *rec)
{
	mp_rhidue *r = ctx;
	const mp_rhidue_opts *o = &r->o;
	mp_episode ep;
	const char *col;
	char msg[256];

	if (mp_episode_decode(r->cm, rec, &ep, &col, msg, sizeof msg)) {
		mp_row_msgc(r->cm, rec, file, rec->line, col, "%s", msg);
		r->rejected++;
		return;
	}
	if (check_held(r, file, rec, &ep)) {
		r->rejected++;
		return;
	}
	mp_field la = mp_get(r->cm, rec, MP_COL_LA);
	mp_la_see(&r->la, la.s, la.len);
	note_source(r, rec, &ep);
	/* An episode of no known type is taken to need an interview: a due one is never hidden. */
	int elig = ep.type == MP_EP_OTHER || (o->types >> ep.type & 1);
	if (!elig) {
		r->unlisted++;
		return;
	}
	uint32_t child = child_index(r, ep.child);
	mp_rhi_note_start(&r->latest[child], ep.start.utc, o->now);
	/* Still open, or returned only after --now: no interview is due yet. */
	if (!ep.has_end || ep.end.utc > o->now) {
		r->unlisted++;
		return;
	}
	int64_t dl = mp_rhi_deadline(&ep.end, o->within);
	enum mp_rhi_status st = mp_rhi_row_status(&ep, mp_get(r->cm, rec, MP_COL_RHI_REASON), o->now, dl);
	mp_field resp = mp_get(r->cm, rec, MP_COL_RESPONSIBLE_LA);
	mp_intern_add(r->resps, resp.s, resp.len, NULL);
	if (shown(o, st, dl))
		keep(r, rec, &ep, child, st, dl);
	else
		r->unlisted++;	/* what is learnt later only takes returns off the list */
}

/* The status once the whole input is known. */
static enum mp_rhi_status
decided(const mp_rhidue *r, const struct cand *c, int has_offered, size_t i)
{
	size_t n;
	const char *src = mp_rows_cell(r->rows, i, C_SOURCE, &n);
	uint32_t id = mp_intern_find(r->sources, src, n);

	if (!has_offered || id == MP_INTERN_NONE || !r->records[id])
		return MP_RHI_NOT_RECORDED;
	if ((c->st == MP_RHI_DUE || c->st == MP_RHI_OVERDUE) && mp_rhi_missing_again(c->end, r->latest[c->child]))
		return MP_RHI_MISSING_AGAIN;
	return c->st;
}

int
mp_rhidue_decide(mp_rhidue *r, int has_offered, mp_rows *out, size_t ncols, char *err, size_t errsz)
{
	unsigned char *kept = mp_xmalloc(r->nc + 1);
	char buf[64];
	size_t n;

	const char *council = mp_la_council(&r->la, r->o.la);
	for (uint32_t id = 0; id < mp_intern_count(r->resps); id++) {
		/* Any return naming a council, listed or not, needs this council known. */
		const char *resp = mp_intern_key(r->resps, id, &n);
		if (mp_children_keep(r->o.children, council, resp, n) < 0) {
			mp_la_unknown_msg(&r->la, r->o.children, err, errsz);
			free(kept);
			return -1;
		}
	}
	mp_rows_whose(r->rows, C_RESP, r->o.children, council, kept);
	for (size_t i = 0; i < r->nc; i++) {
		struct cand *c = &r->c[i];
		c->st = decided(r, c, has_offered, i);
		if (!kept[i] || !shown(&r->o, c->st, c->dl)) {
			r->unlisted++;
			continue;
		}
		r->listed++;
		mp_rows_begin(out, c->dl);
		for (size_t k = 0; k < ncols; k++) {
			const char *f = mp_rows_cell(r->rows, i, k, &n);
			if (k == 4 && (c->st == MP_RHI_DUE || c->st == MP_RHI_OVERDUE))
				mp_rows_field(out, buf, mp_hours_format(buf, c->dl - r->o.now));
			else if (k == 5)
				mp_rows_str(out, mp_rhi_status_names[c->st]);
			else
				mp_rows_field(out, f, n);
		}
	}
	free(kept);
	return 0;
}
