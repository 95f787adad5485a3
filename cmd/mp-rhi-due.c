/* mp-rhi-due: return home interviews due, overdue, or (--all) how they closed. */
#include "alert.h"
#include "cli.h"
#include "episode.h"
#include "err.h"
#include "input.h"
#include "mptime.h"
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
};

static const struct option long_options[] = {
	MP_IO_LONGOPTS,
	MP_XLSX_LONGOPT,
	{ "now", required_argument, NULL, OPT_NOW },
	{ "within", required_argument, NULL, OPT_WITHIN },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "overdue", no_argument, NULL, OPT_OVERDUE },
	{ "due-within", required_argument, NULL, OPT_DUE_WITHIN },
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
	       "      --all             also list closed interviews: held_in_time, held_late,\n"
	       "                        declined, not_held (adds the columns rhi_held and\n"
	       "                        rhi_reason)\n"
	       MP_XLSX_HELP
	       MP_IO_HELP
	       "\n"
	       "With no FILE, or when FILE is -, read standard input.\n"
	       "Exit status: 0 something listed, 3 nothing listed, 1 a row was rejected or\n"
	       "data could not be read or written, 2 usage error.\n");
}

/* How an interview stands at --now. */
enum status { ST_DUE, ST_OVERDUE, ST_HELD_IN_TIME, ST_HELD_LATE, ST_DECLINED, ST_NOT_HELD };
static const char *const status_names[] = {
	"due", "overdue", "held_in_time", "held_late", "declined", "not_held",
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
#define REASON_LIST "declined_child, declined_parent, no_contact, custody, missing_again, other"

struct opts {
	int64_t now;
	long within;
	long due_within;	/* -1: not given */
	int overdue, all;
};

struct tally {
	long listed, unlisted, rejected;
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

/* Decide one record; add it to rows when it is listed. */
static void
one_record(const struct opts *o, const mp_colmap *cm, const char *file, const mp_record *rec,
	   mp_rows *rows, struct tally *t)
{
	mp_episode ep;
	const char *col;
	char msg[256], buf[64];
	int64_t dl, dl_day;
	enum status st;
	int approx;

	if (mp_episode_decode(cm, rec, &ep, &col, msg, sizeof msg)) {
		mp_data_msg(file, rec->line, col, "%s", msg);
		t->rejected++;
		return;
	}
	if (ep.id.len == 0) {
		mp_data_msg(file, rec->line, "episode_id", "required value is empty");
		t->rejected++;
		return;
	}
	mp_field reason = mp_get(cm, rec, MP_COL_RHI_REASON);
	int rst = reason.len ? reason_status(reason) : -1;
	if (reason.len && rst < 0) {
		mp_data_msg(file, rec->line, "rhi_reason", "'%s': not a known reason (" REASON_LIST ")",
			    mp_show(reason.s, reason.len));
		t->rejected++;
		return;
	}
	/* Still open, or returned only after --now: no interview is due yet. */
	if (!ep.has_end || ep.end.utc > o->now) {
		t->unlisted++;
		return;
	}
	if (ep.has_rhi_held && (ep.rhi_held.has_time && ep.end.has_time
				    ? ep.rhi_held.utc < ep.end.utc
				    : mp_local_day(&ep.rhi_held) < mp_local_day(&ep.end))) {
		mp_field h = mp_get(cm, rec, MP_COL_RHI_HELD), e = mp_get(cm, rec, MP_COL_END);
		mp_data_msg(file, rec->line, "rhi_held", "'%s' is before the return (end '%s')",
			    mp_show(h.s, h.len), mp_show(e.s, e.len));
		t->rejected++;
		return;
	}
	dl = mp_rhi_deadline(&ep.end, o->within);
	{
		mp_time lt;
		mp_utc_to_local(dl, &lt);
		dl_day = lt.day;
	}
	approx = !ep.end.has_time;
	/* An interview recorded after --now had not happened yet at --now. */
	if (ep.has_rhi_held && ep.rhi_held.utc <= o->now) {
		int in_time = ep.rhi_held.has_time ? ep.rhi_held.utc <= dl : mp_local_day(&ep.rhi_held) <= dl_day;
		st = in_time ? ST_HELD_IN_TIME : ST_HELD_LATE;
		approx |= !ep.rhi_held.has_time;
	} else if (rst >= 0) {
		st = (enum status)rst;
	} else {
		st = o->now > dl ? ST_OVERDUE : ST_DUE;
	}

	int show;
	if (st == ST_DUE || st == ST_OVERDUE) {
		if (o->overdue || o->due_within >= 0)
			show = (o->overdue && st == ST_OVERDUE) ||
			       (o->due_within >= 0 && st == ST_DUE && dl - o->now <= (int64_t)o->due_within * 3600);
		else
			show = 1;
	} else {
		show = o->all;
	}
	if (!show) {
		t->unlisted++;
		return;
	}
	t->listed++;

	mp_rows_begin(rows, dl);
	mp_rows_field(rows, ep.id.s, ep.id.len);
	mp_rows_field(rows, ep.child.s, ep.child.len);
	mp_rows_field(rows, buf, ep.end.has_time ? mp_time_format(buf, ep.end.utc) : mp_date_format(buf, ep.end.day));
	mp_rows_field(rows, buf, mp_time_format(buf, dl));
	if (st == ST_DUE || st == ST_OVERDUE)
		mp_rows_field(rows, buf, mp_hours_format(buf, dl - o->now));
	else
		mp_rows_str(rows, "");
	mp_rows_str(rows, status_names[st]);
	mp_rows_str(rows, approx ? "Y" : "N");
	mp_field f = mp_get(cm, rec, MP_COL_CARE_STATUS);
	mp_rows_field(rows, f.s, f.len);
	f = mp_get(cm, rec, MP_COL_PLACEMENT);
	mp_rows_field(rows, f.s, f.len);
	f = mp_get(cm, rec, MP_COL_ALLOCATED);
	mp_rows_field(rows, f.s, f.len);
	if (o->all) {
		if (st == ST_HELD_IN_TIME || st == ST_HELD_LATE)
			mp_rows_field(rows, buf, ep.rhi_held.has_time ? mp_time_format(buf, ep.rhi_held.utc)
								      : mp_date_format(buf, ep.rhi_held.day));
		else
			mp_rows_str(rows, "");
		mp_rows_field(rows, reason.s, st == ST_DUE || st == ST_OVERDUE ? 0 : reason.len);
	}
}

/* What mp_alert_each hands each usable record to. */
struct each {
	const struct opts *o;
	const mp_colmap *cm;
	mp_rows *rows;
	struct tally *t;
};

static void
each_record(void *ctx, const char *file, const mp_record *rec)
{
	struct each *e = ctx;
	one_record(e->o, e->cm, file, rec, e->rows, e->t);
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
	struct opts o = { .within = 72, .due_within = -1 };
	struct tally t = { 0, 0, 0 };
	const char *now_arg = NULL;
	mp_io_opts io;
	int opt;

	mp_start(argv);
	mp_io_defaults(&io);
	while ((opt = mp_getopt(argc, argv, MP_IO_SHORTOPTS, long_options)) != -1) {
		if (mp_io_option(&io, opt, optarg, usage))
			continue;
		switch (opt) {
		case OPT_NOW: now_arg = optarg; break;
		case OPT_WITHIN: o.within = mp_parse_long("--within", optarg, 1, 8760); break;
		case OPT_ALL: o.all = 1; break;
		case OPT_OVERDUE: o.overdue = 1; break;
		case OPT_DUE_WITHIN: o.due_within = mp_parse_long("--due-within", optarg, 0, 8760); break;
		default:
			mp_usage_error("unknown option");
		}
	}
	argc -= optind;
	argv += optind;
	mp_io_distinct(&io, NULL, NULL, argc, argv);
	if (o.all && (o.overdue || o.due_within >= 0))
		mp_usage_error("--all lists every interview; it cannot be combined with --overdue or --due-within");
	mp_io_ready(&io);
	o.now = mp_alert_now(now_arg);

	mp_input *in = mp_input_open(argc, argv, io.in_fmt, io.enc);
	mp_colmap cm;
	mp_colmap_bind(&cm, mp_input_header(in));
	mp_colmap_require(&cm, mp_input_name(in), required);

	size_t ncols = o.all ? 12 : 10;
	mp_rows *rows = mp_rows_new(ncols);
	struct each e = { &o, &cm, rows, &t };
	t.rejected += mp_alert_each(in, each_record, &e);
	long read = mp_input_count(in);
	mp_rows_emit(rows, columns, ncols, &io);
	if (t.rejected)
		mp_closing("%ld row{s} read, %ld listed, %ld not listed, %ld rejected", read, t.listed, t.unlisted,
			t.rejected);
	mp_rows_free(rows);
	mp_input_close(in);
	if (t.rejected)
		return MP_EXIT_DATA;
	return t.listed ? MP_EXIT_LISTED : MP_EXIT_NONE;
}
