/* mp-rhi-due: return home interviews due, overdue, or (--all) how they closed. */
#include "alert.h"
#include "cli.h"
#include "episode.h"
#include "err.h"
#include "input.h"
#include "mptime.h"
#include "rowname.h"
#include "stats.h"
#include "whose.h"
#include "writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_NOW = MP_OPT_CMD,
	OPT_WITHIN,
	OPT_ALL,
	OPT_OVERDUE,
	OPT_DUE_WITHIN,
	OPT_RHI_TYPES,
	OPT_LA,
	OPT_CHILDREN,
};

static const struct option long_options[] = {
	MP_IO_LONGOPTS,
	MP_XLSX_LONGOPT,
	{ "now", required_argument, NULL, OPT_NOW },
	{ "within", required_argument, NULL, OPT_WITHIN },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "overdue", no_argument, NULL, OPT_OVERDUE },
	{ "due-within", required_argument, NULL, OPT_DUE_WITHIN },
	{ "rhi-types", required_argument, NULL, OPT_RHI_TYPES },
	{ "la", required_argument, NULL, OPT_LA },
	{ "children", required_argument, NULL, OPT_CHILDREN },
	{ NULL, 0, NULL, 0 }
};

static void
usage(void)
{
	printf("Usage: mp-rhi-due [OPTION]... [FILE]...\n"
	       "List the return home interviews still to be held after each return, soonest\n"
	       "deadline first; with --all, also those held, declined or not held.\n"
	       "\n"
	       "      --now DATETIME    the time to judge against (default: the clock)\n"
	       "      --within HOURS    hours after the return an interview is due (default 72)\n"
	       "      --overdue         list only interviews past their deadline\n"
	       "      --due-within HOURS\n"
	       "                        list only interviews due in HOURS or fewer (with\n"
	       "                        --overdue: those and the overdue ones)\n"
	       "      --all             also list the others: held_in_time, held_late,\n"
	       "                        declined, not_held, missing_again (the child went\n"
	       "                        missing again before an interview: the duty moves\n"
	       "                        to the later return), not_recorded (a source that\n"
	       "                        records no interview); adds the columns rhi_held\n"
	       "                        and rhi_reason\n"
	       "      --rhi-types TYPES episode types that need an interview (comma-separated:\n"
	       "                        missing, away, absent; default missing)\n"
	       "      --la CODE         this council (default: the one value of the la\n"
	       "                        column)\n"
	       "      --children WHOSE  own (default: responsible_la blank or --la),\n"
	       "                        placed-here (by other councils) or all\n"
	       MP_XLSX_HELP
	       MP_IO_HELP
	       "\n"
	       "With no FILE, or when FILE is -, read standard input.\n"
	       "Exit status: 0 something listed, 3 nothing listed, 1 a row was rejected or\n"
	       "data could not be read or written, 2 usage error.\n");
}

/* How an interview stands at --now. */
enum status {
	ST_DUE, ST_OVERDUE, ST_HELD_IN_TIME, ST_HELD_LATE, ST_DECLINED, ST_NOT_HELD, ST_MISSING_AGAIN, ST_NOT_RECORDED
};
static const char *const status_names[] = {
	"due", "overdue", "held_in_time", "held_late", "declined", "not_held", "missing_again", "not_recorded",
};

/* Reasons no interview was held, and the status each gives. */
static const struct {
	const char *code;
	enum status st;
} reasons[] = {
	{ "declined_child", ST_DECLINED }, { "declined_parent", ST_DECLINED },
	{ "no_contact", ST_NOT_HELD }, { "custody", ST_NOT_HELD },
	{ "missing_again", ST_NOT_HELD }, { "other", ST_NOT_HELD },
};

struct opts {
	int64_t now;
	long within;
	long due_within;	/* -1: not given */
	int overdue, all;
	unsigned types;
	const char *la;
	enum mp_children children;
};

struct tally {
	long listed, unlisted, rejected;
};

/*
 * Every return is decided once the whole input is read: whether its
 * source records interviews, whether the child went missing again, and
 * whose child it is are known only then.  A candidate is a row of cand
 * (the output columns, then the hidden ones below) and its state.
 */
enum { C_SOURCE = 12, C_RESP, C_NCOLS };

struct cand {
	int64_t dl, end;
	enum status st;
};

struct run {
	const struct opts *o;
	const mp_colmap *cm;
	struct tally t;
	mp_rows *cand;
	struct cand *c;
	size_t nc, cc;
	mp_keytimes *starts;	/* child -> starts of eligible episodes */
	mp_keytimes *recorders;	/* sources with a row that records an interview fact */
	mp_la_seen la;
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

/* The checks a row must pass; 0, or -1 reported. */
static int
check_record(struct run *r, const char *file, const mp_record *rec, const mp_episode *ep, int *rst)
{
	mp_field reason = mp_get(r->cm, rec, MP_COL_RHI_REASON);
	*rst = reason.len ? reason_status(reason) : -1;	/* decoded: empty or a known reason */
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

/* How the interview after a return stands at --now, from this row alone. */
static enum status
row_status(const struct opts *o, const mp_episode *ep, int rst, int64_t dl)
{
	/* An interview recorded after --now had not happened yet at --now. */
	if (ep->has_rhi_held && ep->rhi_held.utc <= o->now) {
		mp_time lt;
		mp_utc_to_local(dl, &lt);
		int in_time = ep->rhi_held.has_time ? ep->rhi_held.utc <= dl : mp_local_day(&ep->rhi_held) <= lt.day;
		return in_time ? ST_HELD_IN_TIME : ST_HELD_LATE;
	}
	if (rst >= 0)
		return (enum status)rst;
	return o->now > dl ? ST_OVERDUE : ST_DUE;
}

/* Keep a return as a candidate: its output columns and what deciding it needs. */
static void
add_candidate(struct run *r, const mp_record *rec, const mp_episode *ep, enum status st, int64_t dl)
{
	char buf[64];
	mp_rows *c = r->cand;

	if (r->nc == r->cc) {
		r->cc = r->cc ? 2 * r->cc : 64;
		r->c = mp_xrealloc(r->c, r->cc * sizeof *r->c);
	}
	r->c[r->nc++] = (struct cand){ dl, ep->end.utc, st };
	mp_rows_begin(c, dl);
	mp_rows_field(c, ep->id.s, ep->id.len);
	mp_rows_field(c, ep->child.s, ep->child.len);
	mp_rows_field(c, buf, ep->end.has_time ? mp_time_format(buf, ep->end.utc) : mp_date_format(buf, ep->end.day));
	mp_rows_field(c, buf, mp_time_format(buf, dl));
	mp_rows_str(c, "");	/* hours_left, status: once decided */
	mp_rows_str(c, "");
	mp_rows_str(c, !ep->end.has_time || (ep->has_rhi_held && ep->rhi_held.utc <= r->o->now &&
					     !ep->rhi_held.has_time) ? "Y" : "N");
	static const enum mp_col tail[] = { MP_COL_CARE_STATUS, MP_COL_PLACEMENT, MP_COL_ALLOCATED };
	for (size_t i = 0; i < sizeof tail / sizeof *tail; i++) {
		mp_field f = mp_get(r->cm, rec, tail[i]);
		mp_rows_field(c, f.s, f.len);
	}
	if (st == ST_HELD_IN_TIME || st == ST_HELD_LATE)
		mp_rows_field(c, buf, ep->rhi_held.has_time ? mp_time_format(buf, ep->rhi_held.utc)
							  : mp_date_format(buf, ep->rhi_held.day));
	else
		mp_rows_str(c, "");
	mp_field reason = mp_get(r->cm, rec, MP_COL_RHI_REASON), f;
	mp_rows_field(c, reason.s, st == ST_DUE || st == ST_OVERDUE ? 0 : reason.len);
	f = mp_get(r->cm, rec, MP_COL_SOURCE);
	mp_rows_field(c, f.s, f.len);
	f = mp_get(r->cm, rec, MP_COL_RESPONSIBLE_LA);
	mp_rows_field(c, f.s, f.len);
}

/* Read one record: note what the end needs; keep it when an interview may be due. */
static void
one_record(struct run *r, const char *file, const mp_record *rec)
{
	const struct opts *o = r->o;
	mp_episode ep;
	const char *col;
	char msg[256];
	int rst;

	if (mp_episode_decode(r->cm, rec, &ep, &col, msg, sizeof msg)) {
		mp_row_msgc(r->cm, rec, file, rec->line, col, "%s", msg);
		r->t.rejected++;
		return;
	}
	if (check_record(r, file, rec, &ep, &rst)) {
		r->t.rejected++;
		return;
	}
	mp_field la = mp_get(r->cm, rec, MP_COL_LA), src = mp_get(r->cm, rec, MP_COL_SOURCE);
	mp_la_see(&r->la, la.s, la.len);
	if (mp_get(r->cm, rec, MP_COL_RHI_OFFERED).len || mp_get(r->cm, rec, MP_COL_RHI_ACCEPTED).len ||
	    ep.has_rhi_held || mp_get(r->cm, rec, MP_COL_RHI_REASON).len)
		mp_keytimes_add(r->recorders, src.s, src.len, 0);
	/* An episode of no known type is taken to need an interview: a due one is never hidden. */
	int elig = ep.type == MP_EP_OTHER || (o->types >> ep.type & 1);
	if (elig)
		mp_keytimes_add(r->starts, ep.child.s, ep.child.len, ep.start.utc);
	/* Not a type needing one, still open, or returned only after --now: no interview is due yet. */
	if (!elig || !ep.has_end || ep.end.utc > o->now) {
		r->t.unlisted++;
		return;
	}
	int64_t dl = mp_rhi_deadline(&ep.end, o->within);
	add_candidate(r, rec, &ep, row_status(o, &ep, rst, dl), dl);
}

static void
each_record(void *ctx, const char *file, const mp_record *rec)
{
	one_record(ctx, file, rec);
}

/* Whether a decided status is listed under the options. */
static int
shown(const struct opts *o, enum status st, int64_t dl)
{
	if (st != ST_DUE && st != ST_OVERDUE)
		return o->all;
	if (!o->overdue && o->due_within < 0)
		return 1;
	return (o->overdue && st == ST_OVERDUE) ||
	       (o->due_within >= 0 && st == ST_DUE && dl - o->now <= (int64_t)o->due_within * 3600);
}

/* Decide every candidate and copy those listed into out; -1 when whose children cannot be told. */
static int
decide(struct run *r, int has_offered, mp_rows *out, size_t ncols)
{
	unsigned char *keep = mp_xmalloc(r->nc + 1);
	char buf[64];
	size_t n, nc;

	if (mp_rows_whose(r->cand, C_RESP, r->o->children, mp_la_council(&r->la, r->o->la), keep) < 0) {
		free(keep);
		return -1;
	}
	for (size_t i = 0; i < r->nc; i++) {
		struct cand *c = &r->c[i];
		const char *src = mp_rows_cell(r->cand, i, C_SOURCE, &n);
		const char *child = mp_rows_cell(r->cand, i, 1, &nc);
		if (!has_offered || !mp_keytimes_any(r->recorders, src, n, 0, 0))
			c->st = ST_NOT_RECORDED;
		else if ((c->st == ST_DUE || c->st == ST_OVERDUE) &&
			 mp_keytimes_any(r->starts, child, nc, c->end + 1, r->o->now))
			c->st = ST_MISSING_AGAIN;
		if (!keep[i] || !shown(r->o, c->st, c->dl)) {
			r->t.unlisted++;
			continue;
		}
		r->t.listed++;
		mp_rows_begin(out, c->dl);
		for (size_t k = 0; k < ncols; k++) {
			const char *f = mp_rows_cell(r->cand, i, k, &n);
			if (k == 4 && (c->st == ST_DUE || c->st == ST_OVERDUE))
				mp_rows_field(out, buf, mp_hours_format(buf, c->dl - r->o->now));
			else if (k == 5)
				mp_rows_str(out, status_names[c->st]);
			else
				mp_rows_field(out, f, n);
		}
	}
	free(keep);
	return 0;
}

/* Read the options into io and o; returns optind. */
static int
parse_options(int argc, char **argv, mp_io_opts *io, struct opts *o)
{
	const char *now_arg = NULL;
	int opt;

	while ((opt = mp_getopt(argc, argv, MP_IO_SHORTOPTS, long_options)) != -1) {
		if (mp_io_option(io, opt, optarg, usage))
			continue;
		switch (opt) {
		case OPT_NOW: now_arg = optarg; break;
		case OPT_WITHIN: o->within = mp_parse_long("--within", optarg, 1, 8760); break;
		case OPT_ALL: o->all = 1; break;
		case OPT_OVERDUE: o->overdue = 1; break;
		case OPT_DUE_WITHIN: o->due_within = mp_parse_long("--due-within", optarg, 0, 8760); break;
		case OPT_RHI_TYPES: o->types = mp_stats_types_option(optarg); break;
		case OPT_LA: o->la = mp_la_option(optarg); break;
		case OPT_CHILDREN: o->children = mp_children_option(optarg); break;
		default:
			mp_usage_error("unknown option");
		}
	}
	mp_io_distinct(io, NULL, NULL, argc - optind, argv + optind);
	if (o->all && (o->overdue || o->due_within >= 0))
		mp_usage_error("--all lists every interview; it cannot be combined with --overdue or --due-within");
	mp_io_ready(io);
	o->now = mp_alert_now(now_arg);
	return optind;
}

int
main(int argc, char **argv)
{
	static const char *const columns[] = {
		"episode_id", "child_id", "returned", "deadline", "hours_left", "status", "approx",
		"care_status", "placement", "allocated", "rhi_held", "rhi_reason",
	};
	static const int required[] = {
		MP_COL_EPISODE_ID, MP_COL_CHILD_ID, MP_COL_START, MP_COL_END, MP_COL_RHI_HELD, MP_COL_RHI_REASON, -1
	};
	struct opts o = { .within = 72, .due_within = -1, .types = 1u << MP_EP_MISSING, .children = MP_CHILDREN_OWN };
	mp_io_opts io;

	mp_start(argv);
	mp_io_defaults(&io);
	int first = parse_options(argc, argv, &io, &o);
	argc -= first;
	argv += first;

	mp_input *in = mp_input_open(argc, argv, io.in_fmt, io.enc);
	mp_colmap cm;
	mp_colmap_bind(&cm, mp_input_header(in));
	mp_colmap_require(&cm, mp_input_name(in), required);

	size_t ncols = o.all ? 12 : 10;
	struct run r = { .o = &o, .cm = &cm, .cand = mp_rows_new(C_NCOLS), .starts = mp_keytimes_new(),
			 .recorders = mp_keytimes_new() };
	r.t.rejected += mp_alert_each(in, each_record, &r);
	long read = mp_input_count(in);
	int has_offered = cm.idx[MP_COL_RHI_OFFERED] >= 0;
	if (!has_offered)
		mp_warn("warning: rhi_offered: no such column: no source records interviews, so no interview is "
			"listed as due (every return is not_recorded, listed with --all)");
	mp_rows *rows = mp_rows_new(ncols);
	char err[512] = "";
	int ok = decide(&r, has_offered, rows, ncols) == 0;
	if (ok) {
		mp_rows_emit(rows, columns, ncols, &io, "rhi-due");
		if (r.t.rejected)
			mp_closing("%ld row{s} read, %ld listed, %ld not listed, %ld rejected", read, r.t.listed,
				   r.t.unlisted, r.t.rejected);
	} else {
		mp_la_unknown_msg(&r.la, o.children, err, sizeof err);
		mp_warn("%s", err);
	}
	mp_rows_free(r.cand);
	free(r.c);
	mp_keytimes_free(r.starts);
	mp_keytimes_free(r.recorders);
	mp_la_free(&r.la);
	mp_rows_free(rows);
	mp_input_close(in);
	if (!ok || r.t.rejected)
		return MP_EXIT_DATA;
	return r.t.listed ? MP_EXIT_LISTED : MP_EXIT_NONE;
}
