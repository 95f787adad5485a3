/* mp-repeat: children with N or more episodes starting within a span of days, a month or a week. */
#include "alert.h"
#include "cli.h"
#include "episode.h"
#include "err.h"
#include "input.h"
#include "mptime.h"
#include "names.h"
#include "repeat.h"
#include "rowname.h"
#include "writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_MIN = MP_OPT_CMD,
	OPT_WINDOW,
	OPT_AS_OF,
	OPT_PER,
	OPT_TYPE,
};

static const struct option long_options[] = {
	MP_IO_LONGOPTS,
	MP_XLSX_LONGOPT,
	{ "min", required_argument, NULL, OPT_MIN },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ "as-of", required_argument, NULL, OPT_AS_OF },
	{ "per", required_argument, NULL, OPT_PER },
	{ "type", required_argument, NULL, OPT_TYPE },
	{ NULL, 0, NULL, 0 }
};

static void
usage(void)
{
	printf("Usage: mp-repeat [OPTION]... [FILE]...\n"
	       "List children with at least N episodes starting within DAYS consecutive\n"
	       "calendar days (UK local start dates), or within a calendar month or ISO week.\n"
	       "\n"
	       "      --min N           at least N episodes (default 3)\n"
	       "      --window DAYS     a span of DAYS calendar days (default 90)\n"
	       "      --as-of DATETIME  only the span of DAYS days ending at DATETIME (or now)\n"
	       "      --per month|week  one row per child and calendar month or ISO week\n"
	       "      --type TYPE       count only episodes of TYPE: missing, away, absent\n"
	       "                        (repeatable; comma lists allowed; default all)\n"
	       MP_XLSX_HELP
	       MP_IO_HELP
	       "\n"
	       "With no FILE, or when FILE is -, read standard input.\n"
	       "Exit status: 0 success (listed or not), 1 a row was rejected or data could not\n"
	       "be read, 2 usage error.\n");
}

/* Where a duplicate was read: the kept row and the dropped one. */
struct dup {
	uint16_t kfile, dfile;
	uint32_t kline, dline;
};

/* What mp-repeat asks for. */
struct opts {
	mp_io_opts io;
	mp_rep_opts rep;
};

/* What reading found: the inputs' names (by file index), duplicates, a tally of the rows. */
struct run {
	mp_names files;
	struct dup *dups;
	size_t ndups, cdups;
	long n[MP_REP_NVERDICTS];
	long read;
};

/* Parse a --type argument (a comma list) into the mask. */
static void
parse_types(unsigned *mask, char *arg)
{
	char *save = NULL;
	int any = 0;

	for (char *t = strtok_r(arg, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		int k;
		for (k = 0; k < 3; k++)
			if (strcmp(t, mp_ep_type_names[k]) == 0)
				break;
		if (k == 3)
			mp_usage_error("--type: unknown type '%s' (missing, away or absent)", t);
		*mask |= 1u << k;
		any = 1;
	}
	if (!any)
		mp_usage_error("--type: no type given (missing, away or absent)");
}

/* --as-of: the span is [as_of_day - window + 1, as_of_day], up to the instant. */
static void
parse_as_of(mp_rep_opts *o, const char *as_of)
{
	mp_time t;
	const char *why;

	o->as_of = 1;
	if (strcmp(as_of, "now") == 0) {
		if (mp_now_parse(NULL, &o->as_of_utc, &why) != 0)
			mp_usage_error("--as-of: %s", why);
		mp_utc_to_local(o->as_of_utc, &t);
		o->as_of_day = t.day;
	} else {
		if (mp_time_parse(as_of, strlen(as_of), &t, &why) != 0)
			mp_usage_error("--as-of: '%s': %s", as_of, why);
		o->as_of_utc = t.utc;
		o->as_of_day = t.day;
		if (t.has_offset) {
			mp_time l;
			mp_utc_to_local(t.utc, &l);
			o->as_of_day = l.day;
		}
		if (!t.has_time) {
			/* A date alone: the whole of that day. */
			int64_t next;
			int off, y, m, d;
			mp_civil_from_days(o->as_of_day + 1, &y, &m, &d);
			mp_local_to_utc(y, m, d, 0, 0, 0, &next, &off);
			o->as_of_utc = next - 1;
		}
	}
	o->from_day = o->as_of_day - o->window + 1;
}

/* The options into o; returns the operands (the input files), their number in *nfiles. */
static char **
parse_options(int argc, char **argv, struct opts *o, int *nfiles)
{
	mp_rep_opts *r = &o->rep;
	const char *as_of = NULL;
	int window_set = 0, opt;

	*r = (mp_rep_opts){ .min = 3, .window = 90, .per = MP_PER_NONE };
	mp_io_defaults(&o->io);
	while ((opt = mp_getopt(argc, argv, MP_IO_SHORTOPTS, long_options)) != -1) {
		if (mp_io_option(&o->io, opt, optarg, usage))
			continue;
		switch (opt) {
		case OPT_MIN:
			r->min = mp_parse_long("--min", optarg, 1, 1000000);
			break;
		case OPT_WINDOW:
			r->window = mp_parse_long("--window", optarg, 1, 36525);
			window_set = 1;
			break;
		case OPT_AS_OF:
			as_of = optarg;
			break;
		case OPT_PER:
			if (strcmp(optarg, "month") == 0)
				r->per = MP_PER_MONTH;
			else if (strcmp(optarg, "week") == 0)
				r->per = MP_PER_WEEK;
			else
				mp_usage_error("--per: '%s' is not month or week", optarg);
			break;
		case OPT_TYPE:
			parse_types(&r->types, optarg);
			break;
		default:
			mp_usage_error("unknown option");
		}
	}
	argc -= optind;
	argv += optind;
	mp_io_distinct(&o->io, NULL, NULL, argc, argv);
	if (r->per != MP_PER_NONE && window_set)
		mp_usage_error("--per and --window cannot be combined (a month or week is the span)");
	if (r->per != MP_PER_NONE && as_of)
		mp_usage_error("--per and --as-of cannot be combined");
	if (argc > 65535)
		mp_usage_error("too many input files (at most 65535)");
	if (!r->types)
		r->types = 7;
	mp_io_ready(&o->io);
	if (as_of)
		parse_as_of(r, as_of);
	*nfiles = argc;
	return argv;
}

/* What read_episodes hands each usable record to. */
struct reading {
	mp_repeat *st;
	const mp_rep_opts *o;
	mp_colmap cols;
	struct run *run;
};

static void
count_record(void *arg, const char *file, const mp_record *rec)
{
	struct reading *r = arg;
	unsigned fileno = (unsigned)mp_names_add(&r->run->files, file);
	const char *col;
	char msg[256];
	enum mp_rep_verdict v = mp_repeat_count(r->st, r->o, &r->cols, rec, fileno, &col, msg, sizeof msg);

	if (v == MP_REP_REJECTED)
		mp_row_msgc(&r->cols, rec, file, rec->line, col, "%s", msg);
	r->run->n[v]++;
}

/* Every row into the store, a message for each rejected; the tally in run. */
static void
read_episodes(mp_input *in, mp_repeat *st, const mp_rep_opts *o, struct run *run)
{
	static const int required[] = { MP_COL_EPISODE_ID, MP_COL_CHILD_ID, MP_COL_TYPE, MP_COL_START, -1 };
	struct reading r = { .st = st, .o = o, .run = run };

	mp_colmap_bind(&r.cols, mp_input_header(in));
	if (mp_colmap_require(&r.cols, mp_input_name(in), required) != 0)
		exit(MP_EXIT_DATA);	/* said */
	mp_input_set_ahead(in, 1);	/* parse ahead on a second thread */
	long bad = mp_alert_each(in, count_record, &r);
	if (bad < 0)
		exit(MP_EXIT_DATA);	/* a later file could not be read (said) */
	run->n[MP_REP_REJECTED] += bad;
	run->read = mp_input_count(in);
}

static void
on_dup(void *ctx, unsigned kfile, unsigned long kline, unsigned dfile, unsigned long dline)
{
	struct run *run = ctx;

	run->dups = mp_xgrow(run->dups, &run->cdups, run->ndups + 1, sizeof *run->dups);
	run->dups[run->ndups++] = (struct dup){ kfile, dfile, kline, dline };
}

static int
dup_cmp(const void *pa, const void *pb)
{
	const struct dup *a = pa, *b = pb;

	if (a->dfile != b->dfile)
		return a->dfile < b->dfile ? -1 : 1;
	return a->dline < b->dline ? -1 : a->dline > b->dline;
}

/* Group the store, dropping duplicates: a warning for each, in the order they were read. */
static void
warn_duplicates(mp_repeat *st, struct run *run)
{
	mp_repeat_finish(st, on_dup, run);
	if (run->ndups)		/* qsort's base must not be NULL */
		qsort(run->dups, run->ndups, sizeof *run->dups, dup_cmp);
	for (size_t i = 0; i < run->ndups; i++) {
		const struct dup *d = &run->dups[i];
		if (d->kfile == d->dfile)
			mp_data_msg(mp_names_at(&run->files, d->dfile), d->dline, "start",
				    "warning: duplicate of line %lu (same child_id, type and start): counted once",
				    (unsigned long)d->kline);
		else
			mp_data_msg(mp_names_at(&run->files, d->dfile), d->dline, "start",
				    "warning: duplicate of %s:%lu (same child_id, type and start): counted once",
				    mp_names_at(&run->files, d->kfile), (unsigned long)d->kline);
	}
}

static void
write_rows(const mp_repeat *st, struct opts *o)
{
	mp_writer *out = mp_writer_open(o->io.output, o->io.out_fmt, o->io.excel);

	mp_io_sheet(&o->io, out, "repeat");
	mp_repeat_write(st, &o->rep, out);
	mp_writer_close(out);
	mp_io_finish(&o->io);
}

/* The closing count line; a duplicate was added, then dropped, so is not counted. */
static void
closing(const mp_rep_opts *o, const struct run *run)
{
	long counted = run->n[MP_REP_COUNTED] - (long)run->ndups;
	char types[64];
	size_t n = 0;

	types[0] = '\0';
	for (int k = 0; k < 3; k++)
		if (o->types & (1u << k))
			n += (size_t)snprintf(types + n, sizeof types - n, "%s%s", n ? ", " : "", mp_ep_type_names[k]);
	if (o->as_of)
		mp_closing("%ld row{s} read: %ld counted (%s), %ld of other types, %ld outside the window, "
			   "%zu duplicate{s}, %ld rejected", run->read, counted, types, run->n[MP_REP_OTHER_TYPE],
			   run->n[MP_REP_OUTSIDE], run->ndups, run->n[MP_REP_REJECTED]);
	else
		mp_closing("%ld row{s} read: %ld counted (%s), %ld of other types, %zu duplicate{s}, %ld rejected",
			   run->read, counted, types, run->n[MP_REP_OTHER_TYPE], run->ndups, run->n[MP_REP_REJECTED]);
}

static void
run_free(struct run *run)
{
	mp_names_free(&run->files);
	free(run->dups);
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct run run = { 0 };
	int nfiles;

	mp_start(argv);
	argv = parse_options(argc, argv, &o, &nfiles);
	mp_input *in = mp_input_open(nfiles, argv, o.io.in_fmt, o.io.enc);
	if (!in)
		return MP_EXIT_DATA;
	mp_repeat *st = mp_repeat_new();
	read_episodes(in, st, &o.rep, &run);
	warn_duplicates(st, &run);
	write_rows(st, &o);
	closing(&o.rep, &run);
	run_free(&run);
	mp_repeat_free(st);
	mp_input_close(in);
	return run.n[MP_REP_REJECTED] ? MP_EXIT_DATA : MP_EXIT_OK;
}
