/* mp-open: the episodes still open at --now, longest missing first, with alert dates. */
#include "alert.h"
#include "calendar.h"
#include "cli.h"
#include "episode.h"
#include "err.h"
#include "input.h"
#include "mptime.h"
#include "rowname.h"
#include "writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_NOW = MP_OPT_CMD,
	OPT_SLT_HOURS,
	OPT_STRATEGY_DAYS,
	OPT_HOLIDAYS,
	OPT_LA,
	OPT_CHILDREN,
};

static const struct option long_options[] = {
	MP_IO_LONGOPTS,
	MP_XLSX_LONGOPT,
	{ "now", required_argument, NULL, OPT_NOW },
	{ "slt-hours", required_argument, NULL, OPT_SLT_HOURS },
	{ "strategy-days", required_argument, NULL, OPT_STRATEGY_DAYS },
	{ "holidays", required_argument, NULL, OPT_HOLIDAYS },
	{ "la", required_argument, NULL, OPT_LA },
	{ "children", required_argument, NULL, OPT_CHILDREN },
	{ NULL, 0, NULL, 0 }
};

static void
usage(void)
{
	printf("Usage: mp-open [OPTION]... [FILE]...\n"
	       "List the episodes still open at --now, longest missing first, with the\n"
	       "senior-leadership alert and the date a strategy meeting is due by.\n"
	       "\n"
	       "      --now DATETIME    the time to judge against (default: the clock)\n"
	       "      --slt-hours HOURS\n"
	       "                        hours missing that make an allocated child a\n"
	       "                        senior-leadership alert (default 24)\n"
	       "      --strategy-days N\n"
	       "                        working days after the start's date by which the\n"
	       "                        strategy meeting is due (default 3)\n"
	       "      --holidays FILE   bank holidays, YYYY-MM-DD a line, instead of the\n"
	       "                        shipped list\n"
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

struct opts {
	int64_t now;
	long slt_hours, strategy_days;
	int hol_first, hol_last;
	int warned_range;
	const char *la;
	enum mp_children children;
	mp_la_seen seen;	/* the la column's values */
};

struct tally {
	long listed, unlisted, rejected, warnings;
};

/* Warn once when a date falls outside the years the holiday list covers. */
static void
check_year(struct opts *o, int64_t day)
{
	int y, m, d;

	mp_civil_from_days(day, &y, &m, &d);
	if (o->warned_range || (y >= o->hol_first && y <= o->hol_last))
		return;
	o->warned_range = 1;
	if (o->hol_first)
		mp_warn("warning: bank holidays are known for %d to %d only; strategy_meeting_by in %d "
			"skips weekends only", o->hol_first, o->hol_last, y);
	else
		mp_warn("warning: the bank holiday list is empty; strategy_meeting_by skips weekends only");
}

/* Decide one record; add it to rows when the episode is open at --now. */
static void
one_record(struct opts *o, const mp_colmap *cm, const char *file, const mp_record *rec,
	   mp_rows *rows, struct tally *t)
{
	mp_episode ep;
	const char *col;
	char msg[256], buf[64];
	const char *slt;

	/*
	 * A row at fault is rejected, as by every command; but one that is open
	 * at --now with good id, child, start and end is listed all the same
	 * (counted as with a problem): a missing child is never hidden.
	 */
	int bad = mp_episode_decode(cm, rec, &ep, &col, msg, sizeof msg) != 0;
	if (bad)
		mp_row_msgc(cm, rec, file, rec->line, col, "%s", msg);
	if (ep.bad & (1u << MP_COL_EPISODE_ID | 1u << MP_COL_CHILD_ID | 1u << MP_COL_START | 1u << MP_COL_END)) {
		t->rejected++;
		return;
	}
	/* Not started yet, or ended by --now. */
	if (ep.start.utc > o->now || (ep.has_end && ep.end.utc <= o->now)) {
		if (bad)
			t->rejected++;
		else
			t->unlisted++;
		return;
	}
	t->warnings += bad;
	int64_t missing = o->now - ep.start.utc;
	mp_field alloc = mp_get(cm, rec, MP_COL_ALLOCATED);
	if (ep.bad & (1u << MP_COL_ALLOCATED))
		slt = "";	/* not known */
	else
		slt = alloc.len == 1 && alloc.s[0] == 'Y' && missing >= (int64_t)o->slt_hours * 3600 ? "Y" : "N";
	int64_t day = mp_local_day(&ep.start);
	int64_t by = mp_add_working_days(day, (int)o->strategy_days);
	check_year(o, day);
	check_year(o, by);
	t->listed++;

	mp_rows_begin(rows, ep.start.utc);
	mp_rows_field(rows, ep.id.s, ep.id.len);
	mp_rows_field(rows, ep.child.s, ep.child.len);
	mp_rows_field(rows, buf, ep.start.has_time ? mp_time_format(buf, ep.start.utc) : mp_date_format(buf, ep.start.day));
	mp_rows_field(rows, buf, mp_hours_format(buf, missing));
	mp_rows_str(rows, slt);
	mp_rows_field(rows, buf, mp_date_format(buf, by));
	static const enum mp_col tail[] = { MP_COL_CARE_STATUS, MP_COL_PLACEMENT, MP_COL_ALLOCATED, MP_COL_POLICE_RISK };
	for (size_t i = 0; i < sizeof tail / sizeof *tail; i++) {
		mp_field f = mp_get(cm, rec, tail[i]);
		mp_rows_field(rows, f.s, f.len);
	}
	mp_rows_str(rows, ep.start.has_time ? "N" : "Y");
	mp_field resp = mp_get(cm, rec, MP_COL_RESPONSIBLE_LA), la = mp_get(cm, rec, MP_COL_LA);
	mp_rows_field(rows, resp.s, resp.len);	/* hidden: whose child, decided at the end */
	mp_la_see(&o->seen, la.s, la.len);
}

/* What mp_alert_each hands each usable record to. */
struct each {
	struct opts *o;
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

/* Read the options into io, o and *holidays; returns optind. */
static int
parse_options(int argc, char **argv, mp_io_opts *io, struct opts *o, const char **holidays)
{
	const char *now_arg = NULL;
	int opt;

	while ((opt = mp_getopt(argc, argv, MP_IO_SHORTOPTS, long_options)) != -1) {
		if (mp_io_option(io, opt, optarg, usage))
			continue;
		switch (opt) {
		case OPT_NOW: now_arg = optarg; break;
		case OPT_SLT_HOURS: o->slt_hours = mp_parse_long("--slt-hours", optarg, 0, 8760); break;
		case OPT_STRATEGY_DAYS: o->strategy_days = mp_parse_long("--strategy-days", optarg, 0, 365); break;
		case OPT_HOLIDAYS:
			if (!*optarg)
				mp_usage_error("--holidays needs a file name");
			*holidays = optarg;
			break;
		case OPT_LA: o->la = mp_la_option(optarg); break;
		case OPT_CHILDREN: o->children = mp_children_option(optarg); break;
		default:
			mp_usage_error("unknown option");
		}
	}
	mp_io_distinct(io, NULL, NULL, argc - optind, argv + optind);
	mp_io_ready(io);
	o->now = mp_now_option(now_arg);
	return optind;
}

int
main(int argc, char **argv)
{
	static const char *const columns[] = {
		"episode_id", "child_id", "start", "hours_missing", "slt_alert", "strategy_meeting_by",
		"care_status", "placement", "allocated", "police_risk", "approx",
	};
	static const int required[] = { MP_COL_EPISODE_ID, MP_COL_CHILD_ID, MP_COL_START, MP_COL_END, MP_COL_ALLOCATED, -1 };
	struct opts o = { .slt_hours = 24, .strategy_days = 3, .children = MP_CHILDREN_OWN };
	struct tally t = { 0, 0, 0, 0 };
	const char *holidays = NULL;
	mp_io_opts io;

	mp_start(argv);
	mp_io_defaults(&io);
	int first = parse_options(argc, argv, &io, &o, &holidays);
	argc -= first;
	argv += first;
	if (mp_holidays_load(holidays) != 0)
		return MP_EXIT_DATA;
	mp_holidays_range(&o.hol_first, &o.hol_last);

	mp_input *in = mp_input_open(argc, argv, io.in_fmt, io.enc);
	if (!in)
		return MP_EXIT_DATA;
	mp_colmap cm;
	mp_colmap_bind(&cm, mp_input_header(in));
	mp_colmap_need(&cm, 0);	/* the start and the end */
	if (mp_colmap_require(&cm, mp_input_name(in), required) != 0) {
		mp_input_close(in);
		return MP_EXIT_DATA;
	}

	size_t ncols = sizeof columns / sizeof *columns;
	mp_rows *all = mp_rows_new(ncols + 1);
	struct each e = { &o, &cm, all, &t };
	long bad = mp_alert_each(in, each_record, &e);
	if (bad < 0) {
		mp_rows_free(all);
		mp_la_free(&o.seen);
		mp_input_close(in);
		return MP_EXIT_DATA;
	}
	t.rejected += bad;
	long read = mp_input_count(in);
	unsigned char *keep = mp_xmalloc(mp_rows_count(all) + 1);
	long kept = mp_rows_whose(all, ncols, o.children, mp_la_council(&o.seen, o.la), keep);
	if (kept < 0) {
		char err[512];
		mp_la_unknown_msg(&o.seen, o.children, err, sizeof err);
		mp_warn("%s", err);
		mp_rows_free(all);
		free(keep);
		mp_la_free(&o.seen);
		mp_input_close(in);
		return MP_EXIT_DATA;
	}
	t.unlisted += t.listed - kept;
	t.listed = kept;
	mp_rows *rows = mp_rows_select(all, keep, ncols);
	mp_rows_free(all);
	free(keep);
	mp_la_free(&o.seen);
	mp_rows_emit(rows, columns, ncols, &io, "open");
	if (t.rejected || t.warnings) {
		char with[64] = "";
		if (t.warnings)
			snprintf(with, sizeof with, " (%ld with a problem)", t.warnings);
		mp_closing("%ld row{s} read, %ld listed%s, %ld not listed, %ld rejected", read, t.listed, with,
			t.unlisted, t.rejected);
	}
	mp_rows_free(rows);
	mp_input_close(in);
	if (t.rejected || t.warnings)
		return MP_EXIT_DATA;
	return t.listed ? MP_EXIT_LISTED : MP_EXIT_NONE;
}
