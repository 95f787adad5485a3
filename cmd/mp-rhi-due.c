/* mp-rhi-due: return home interviews due, overdue, or (--all) how they closed. */
#include "alert.h"
#include "cli.h"
#include "episode.h"
#include "err.h"
#include "input.h"
#include "mptime.h"
#include "rhidue.h"
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

/* Read the options into io and o; returns optind. */
static int
parse_options(int argc, char **argv, mp_io_opts *io, mp_rhidue_opts *o)
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
		case OPT_RHI_TYPES: o->types = mp_rhi_types_option(optarg); break;
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
	o->now = mp_now_option(now_arg);
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
	mp_rhidue_opts o = { .within = 72, .due_within = -1, .types = 1u << MP_EP_MISSING,
			     .children = MP_CHILDREN_OWN };
	mp_io_opts io;
	long listed, unlisted, rejected;
	char err[512];

	mp_start(argv);
	mp_io_defaults(&io);
	int first = parse_options(argc, argv, &io, &o);
	mp_input *in = mp_input_open(argc - first, argv + first, io.in_fmt, io.enc);
	if (!in)
		return MP_EXIT_DATA;
	mp_colmap cm;
	mp_colmap_bind(&cm, mp_input_header(in));
	if (mp_colmap_require(&cm, mp_input_name(in), required) != 0) {
		mp_input_close(in);
		return MP_EXIT_DATA;
	}
	mp_rhidue *r = mp_rhidue_new(&o, &cm);
	long bad = mp_alert_each(in, mp_rhidue_record, r);
	if (bad < 0) {
		mp_rhidue_free(r);
		mp_input_close(in);
		return MP_EXIT_DATA;
	}
	int has_offered = cm.idx[MP_COL_RHI_OFFERED] >= 0;
	if (!has_offered)
		mp_warn("warning: rhi_offered: no such column: no source records interviews, so no interview is "
			"listed as due (every return is not_recorded, listed with --all)");
	size_t ncols = o.all ? 12 : 10;
	mp_rows *rows = mp_rows_new(ncols);
	int ok = mp_rhidue_decide(r, has_offered, rows, ncols, err, sizeof err) == 0;
	mp_rhidue_tally(r, &listed, &unlisted, &rejected);
	rejected += bad;
	if (ok) {
		mp_rows_emit(rows, columns, ncols, &io, "rhi-due");
		if (rejected)
			mp_closing("%ld row{s} read, %ld listed, %ld not listed, %ld rejected", mp_input_count(in),
				   listed, unlisted, rejected);
	} else {
		mp_warn("%s", err);
	}
	mp_rhidue_free(r);
	mp_rows_free(rows);
	mp_input_close(in);
	if (!ok || rejected)
		return MP_EXIT_DATA;
	return listed ? MP_EXIT_LISTED : MP_EXIT_NONE;
}
