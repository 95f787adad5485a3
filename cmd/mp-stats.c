/* mp-stats: the counts councils report (episodes, children, RHIs, durations), by period and group. */
#include "alert.h"
#include "cli.h"
#include "err.h"
#include "parallel.h"
#include "stats.h"
#include "writer.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_BY = MP_OPT_CMD,
	OPT_GROUP,
	OPT_FROM,
	OPT_TO,
	OPT_WITHIN,
	OPT_REPEAT_MIN,
	OPT_PERCENT,
	OPT_TOTAL,
	OPT_PRETTY,
	OPT_THREADS,
	OPT_RHI_TYPES,
	OPT_NOW,
	OPT_OFFER_WITHIN,
	OPT_RECUR_DAYS,
	OPT_LA,
	OPT_CHILDREN,
};

static const struct option long_options[] = {
	MP_IO_LONGOPTS,
	MP_XLSX_LONGOPT,
	{ "by", required_argument, NULL, OPT_BY },
	{ "group", required_argument, NULL, OPT_GROUP },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "within", required_argument, NULL, OPT_WITHIN },
	{ "repeat-min", required_argument, NULL, OPT_REPEAT_MIN },
	{ "percent", no_argument, NULL, OPT_PERCENT },
	{ "total", no_argument, NULL, OPT_TOTAL },
	{ "pretty", no_argument, NULL, OPT_PRETTY },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "rhi-types", required_argument, NULL, OPT_RHI_TYPES },
	{ "now", required_argument, NULL, OPT_NOW },
	{ "offer-within", required_argument, NULL, OPT_OFFER_WITHIN },
	{ "recur-days", required_argument, NULL, OPT_RECUR_DAYS },
	{ "la", required_argument, NULL, OPT_LA },
	{ "children", required_argument, NULL, OPT_CHILDREN },
	{ NULL, 0, NULL, 0 }
};

static void
usage(void)
{
	printf("Usage: mp-stats [OPTION]... [FILE]...\n"
	       "Count episodes, children, return home interviews and durations of canonical\n"
	       "episode rows, one row per period (and group), in one pass.\n"
	       "\n"
	       "      --by PERIOD       day, week, month (default), quarter, year, fy\n"
	       "                        (April to March), fq (its quarters, April to June\n"
	       "                        being Q1) or none (one row)\n"
	       "      --group COLS      also split by these columns (comma-separated; any\n"
	       "                        column, or the derived age_band and duration_band)\n"
	       "      --from DATE       count episodes starting on or after DATE\n"
	       "      --to DATE         count episodes starting on or before DATE\n"
	       "      --rhi-types TYPES episode types that need a return home interview\n"
	       "                        (comma-separated: missing, away, absent; default\n"
	       "                        missing)\n"
	       "      --within HOURS    an RHI is in time when held within HOURS of the\n"
	       "                        return (default 72)\n"
	       "      --offer-within HOURS\n"
	       "                        an offer is in time when made within HOURS of the\n"
	       "                        return (default 72)\n"
	       "      --now DATETIME    the time to judge against (default: the clock): an\n"
	       "                        RHI not yet due, a return too recent for recurrence\n"
	       "      --recur-days N    recurrence: another episode starting within N days\n"
	       "                        of a return (default 30)\n"
	       "      --la CODE         this council (default: the one value of the la\n"
	       "                        column)\n"
	       "      --children WHOSE  own (default: responsible_la blank or --la),\n"
	       "                        placed-here (by other councils) or all\n"
	       "      --repeat-min N    a repeat child has at least N episodes in the row\n"
	       "                        (default 3)\n"
	       "      --percent         add the percentage columns (*_pct)\n"
	       "      --total           add a total row (period \"total\") per group\n"
	       "      --pretty          print an aligned table for a terminal\n"
	       "      --threads N       read a single regular file in N parts in parallel\n"
	       "                        (default: the number of processors, at most 8, for\n"
	       "                        files of 4 MB or more)\n"
	       MP_XLSX_HELP
	       MP_IO_HELP
	       "\n"
	       "With no FILE, or when FILE is -, read standard input.\n"
	       "Exit status: 0 every row counted, 1 a row was rejected or data could not be\n"
	       "read, 2 usage error.\n");
}

/* Split --group into cfg->groups, checking the names. */
static void
group_option(mp_stats_config *cfg, char *arg)
{
	char *save = NULL;

	if (!*arg || strstr(arg, ",,") || *arg == ',' || arg[strlen(arg) - 1] == ',')
		mp_usage_error("--group: an empty column name");
	for (char *p = arg;; p = NULL) {
		char *name = strtok_r(p, ",", &save);
		if (!name)
			break;
		for (int g = 0; g < cfg->ngroups; g++)
			if (strcmp(cfg->groups[g], name) == 0)
				mp_usage_error("--group: column '%s' given twice", name);
		if (cfg->ngroups == MP_STATS_MAX_GROUPS)
			mp_usage_error("--group: at most %d columns", MP_STATS_MAX_GROUPS);
		cfg->groups[cfg->ngroups++] = name;
	}
}

/* What each part of the input counts into: the engine (the command's own, or a fork for a thread). */
struct sink {
	mp_stats *st;
	const mp_stats_config *cfg;
};

static int
sink_bind(void *ctx, const mp_record *header, char *err, size_t errsz)
{
	return mp_stats_bind(((struct sink *)ctx)->st, header, err, errsz);
}

static enum mp_row_verdict
sink_row(void *state, mp_part *p, const mp_record *rec)
{
	const char *col = NULL;
	char msg[512];

	switch (mp_stats_add_record(((struct sink *)state)->st, rec, &col, msg, sizeof msg)) {
	case MP_STATS_COUNTED:
		return MP_ROW_USED;
	case MP_STATS_OUTSIDE:
		return MP_ROW_SKIPPED;
	default:
		mp_part_msg(p, rec->line, col, "%s", msg);
		return MP_ROW_REJECTED;
	}
}

static void *
sink_fork(void *ctx)
{
	struct sink *s = ctx, *f = mp_xmalloc(sizeof *f);

	*f = (struct sink){ mp_stats_fork(s->st), s->cfg };
	return f;
}

static void
sink_merge(void *ctx, void *state)
{
	mp_stats_merge(((struct sink *)ctx)->st, ((struct sink *)state)->st);
	free(state);
}

static void
sink_drop(void *state)
{
	mp_stats_free(((struct sink *)state)->st);
	free(state);
}

static void
sink_reset(void *ctx)
{
	struct sink *s = ctx;

	mp_stats_free(s->st);
	s->st = mp_stats_new(s->cfg);
}

static const mp_rows_ops sink_ops = { sink_bind, sink_row, sink_fork, sink_merge, sink_drop, sink_reset };

/* What the options say beyond the engine's configuration. */
struct opts {
	int percent, pretty, threads;
};

/* Read the options into io, cfg and o; returns optind. */
static int
parse_options(int argc, char **argv, mp_io_opts *io, mp_stats_config *cfg, struct opts *o)
{
	const char *from_arg = "", *to_arg = "", *now_arg = NULL;
	int opt, by;

	while ((opt = mp_getopt(argc, argv, MP_IO_SHORTOPTS, long_options)) != -1) {
		if (mp_io_option(io, opt, optarg, usage))
			continue;
		switch (opt) {
		case OPT_BY:
			if ((by = mp_period_parse(optarg)) < 0)
				mp_usage_error("--by: unknown period '%s' (day, week, month, quarter, year, fy, fq or none)",
					       optarg);
			cfg->by = (enum mp_period)by;
			break;
		case OPT_GROUP: group_option(cfg, optarg); break;
		case OPT_FROM:
			cfg->has_from = 1;
			cfg->from_day = mp_parse_day("--from", optarg);
			from_arg = optarg;
			break;
		case OPT_TO:
			cfg->has_to = 1;
			cfg->to_day = mp_parse_day("--to", optarg);
			to_arg = optarg;
			break;
		case OPT_WITHIN: cfg->within_hours = mp_parse_long("--within", optarg, 1, 8760); break;
		case OPT_REPEAT_MIN: cfg->repeat_min = mp_parse_long("--repeat-min", optarg, 1, 1000000); break;
		case OPT_PERCENT: o->percent = 1; break;
		case OPT_TOTAL: cfg->total = 1; break;
		case OPT_PRETTY: o->pretty = 1; break;
		case OPT_THREADS: o->threads = (int)mp_parse_long("--threads", optarg, 1, 64); break;
		case OPT_RHI_TYPES: cfg->rhi_types = mp_rhi_types_option(optarg); break;
		case OPT_NOW: now_arg = optarg; break;
		case OPT_OFFER_WITHIN: cfg->offer_within_hours = mp_parse_long("--offer-within", optarg, 1, 8760); break;
		case OPT_RECUR_DAYS: cfg->recur_days = mp_parse_long("--recur-days", optarg, 1, 3660); break;
		case OPT_LA: cfg->la = mp_la_option(optarg); break;
		case OPT_CHILDREN: cfg->children = mp_children_option(optarg); break;
		default:
			mp_usage_error("unknown option");
		}
	}
	mp_io_distinct(io, NULL, NULL, argc - optind, argv + optind);
	mp_io_ready(io);
	cfg->now = mp_now_option(now_arg);
	if (cfg->has_from && cfg->has_to && cfg->from_day > cfg->to_day)
		mp_usage_error("--from %s is after --to %s", from_arg, to_arg);
	if (o->pretty && io->excel)
		mp_usage_error("--pretty writes a table for a terminal, not CSV for Excel: drop --excel");
	if (o->pretty && io->xlsx)
		mp_usage_error("--pretty writes a table for a terminal; --xlsx needs the rows: give one of them");
	return optind;
}

int
main(int argc, char **argv)
{
	mp_io_opts io;
	mp_stats_config cfg;
	struct opts o = { 0, 0, 0 };

	mp_start(argv);
#ifdef M_MMAP_THRESHOLD
	/*
	 * The per-period arrays grow by reallocation: as mappings (not heap
	 * blocks) they grow in place with mremap, and capacity not yet used
	 * takes no memory.
	 */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#endif
	mp_io_defaults(&io);
	mp_stats_config_init(&cfg);
	int first = parse_options(argc, argv, &io, &cfg, &o);
	argc -= first;
	argv += first;

	struct sink sk = { mp_stats_new(&cfg), &cfg };
	mp_rows_result t;
	if (mp_read_rows(argc, argv, io.in_fmt, io.enc, o.threads, &sink_ops, &sk, &t) != 0)
		exit(MP_EXIT_DATA);
	mp_stats *st = sk.st;
	if (mp_stats_finish(st, mp_read_threads(o.threads)) != 0) {
		mp_warn("%s", mp_stats_error(st));
		mp_stats_free(st);
		return MP_EXIT_DATA;
	}
	for (size_t i = 0; mp_stats_note(st, i); i++)
		mp_warn("%s", mp_stats_note(st, i));

	mp_writer *out = mp_writer_open(io.output, io.out_fmt, io.excel);
	mp_io_sheet(&io, out, "stats");
	if (o.pretty)
		mp_stats_write_pretty(st, out, o.percent);
	else
		mp_stats_write(st, out, o.percent);
	mp_writer_close(out);
	mp_io_finish(&io);
	long left = mp_stats_left_out(st);
	if (t.rejected) {
		if (left)
			mp_closing("%ld row{s} read, %ld counted, %ld outside the range, %ld left out by --children %s, "
				   "%ld rejected", t.read, t.used - left, t.skipped, left, mp_children_names[cfg.children],
				   t.rejected);
		else
			mp_closing("%ld row{s} read, %ld counted, %ld outside the range, %ld rejected", t.read, t.used,
				   t.skipped, t.rejected);
	}
	mp_stats_free(st);
	return t.rejected ? MP_EXIT_DATA : MP_EXIT_OK;
}
