/* mp-validate: pass valid episode rows through; report and reject the rest. */
#include "cli.h"
#include "err.h"
#include "input.h"
#include "mptime.h"
#include "schema.h"
#include "validate.h"
#include "vreport.h"
#include "vrows.h"
#include "writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_SCHEMA = MP_OPT_CMD,
	OPT_REJECTS,
	OPT_SKIP,
	OPT_WARN,
	OPT_LIST_RULES,
	OPT_NOW,
	OPT_MAX_OPEN_DAYS,
	OPT_YEAR,
	OPT_SSDA903,
	OPT_HEADER,
	OPT_FORMAT,
	OPT_SUMMARY,
};

static const struct option long_options[] = {
	MP_IO_LONGOPTS,
	MP_XLSX_LONGOPT,
	{ "schema", required_argument, NULL, OPT_SCHEMA },
	{ "rejects", required_argument, NULL, OPT_REJECTS },
	{ "skip", required_argument, NULL, OPT_SKIP },
	{ "warn", required_argument, NULL, OPT_WARN },
	{ "list-rules", no_argument, NULL, OPT_LIST_RULES },
	{ "now", required_argument, NULL, OPT_NOW },
	{ "max-open-days", required_argument, NULL, OPT_MAX_OPEN_DAYS },
	{ "year", required_argument, NULL, OPT_YEAR },
	{ "ssda903", no_argument, NULL, OPT_SSDA903 },
	{ "header", required_argument, NULL, OPT_HEADER },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "summary", no_argument, NULL, OPT_SUMMARY },
	{ "quiet", no_argument, NULL, 'q' },
	{ NULL, 0, NULL, 0 }
};

static void
usage(void)
{
	printf("Usage: mp-validate [OPTION]... [FILE]...\n"
	       "Check episode rows (the canonical stream, or the SSDA903 Missing table):\n"
	       "valid rows go to the output unchanged, each problem is reported on stderr\n"
	       "as FILE:LINE: FIELD: message [RULE].\n"
	       "\n"
	       "      --schema FILE     check against FILE instead of the shipped episode schema\n"
	       "      --ssda903         apply the SSDA903 Missing-table rules (automatic when the\n"
	       "                        header is exactly CHILD,DOB,MISSING,MIS_START,MIS_END)\n"
	       "      --header FILE     the SSDA903 Header table, for rules INT04 and INT13\n"
	       "      --year YYYY       collection year ending 31 March YYYY (default: from the data)\n"
	       "      --now TIME        the current time for the future and open_too_long rules\n"
	       "                        (default: the clock)\n"
	       "      --max-open-days N open_too_long: warn when open more than N days (default 30)\n"
	       "      --skip RULE       do not apply RULE (repeatable; comma lists allowed)\n"
	       "      --warn RULE       report RULE as a warning: the row still passes\n"
	       "      --list-rules      list the rules (id, level, set, description) and exit\n"
	       "      --rejects FILE    write every problem, with its row, to FILE as CSV\n"
	       "      --format FMT      messages as text (default) or json (one object a line)\n"
	       "      --summary         a table of rules and counts instead of one line a problem\n"
	       "  -q, --quiet           no per-problem messages on stderr (the count line stays)\n"
	       MP_XLSX_HELP
	       MP_IO_HELP
	       "\n"
	       "With no FILE, or when FILE is -, read standard input.\n"
	       "Exit status: 0 all rows passed, 1 a row was rejected or data could not be read,\n"
	       "2 usage error.\n");
}

/* The options, as given. */
struct opts {
	mp_io_opts io;
	mp_validate_opts vo;
	const char *schema_path, *rejects_path, *now_arg, *header_path;
	char *skips[64], *warns[64];	/* --skip and --warn lists, applied in order */
	int nskip, nwarn;
	int quiet, json, summary;
	int nfiles;
	char **files;
};

/* One run: its inputs, the validator, where its output and problems go, and the counts. */
struct run {
	mp_schema *schema;
	mp_input *in;
	const mp_record *header;
	mp_validator *v;
	mp_vreport *rep;
	struct mp_xlsx_sheet *passed_sheet;
	mp_writer *rejects;
	long read, passed, rejected;
};

static void
list_rules(void)
{
	for (size_t i = 0; i < mp_nrules; i++)
		printf("%s\t%s\t%s\t%s\n", mp_rules[i].id, mp_rules[i].level == MP_WARNING ? "warning" : "error",
		       mp_ruleset_name(mp_rules[i].set), mp_rules[i].description);
}

/* Check that each comma-separated rule id in arg exists (a usage error otherwise). */
static void
check_rules(const char *opt, const char *arg)
{
	char *copy = mp_xstrdup(arg), *save = NULL;

	for (char *id = strtok_r(copy, ",", &save); id; id = strtok_r(NULL, ",", &save))
		if (mp_rule_find(id) < 0)
			mp_usage_error("%s: unknown rule '%s' (see --list-rules)", opt, id);
	free(copy);
}

/* Apply each comma-separated rule id in arg with fn. */
static void
rule_list(mp_validator *v, char *arg, int (*fn)(mp_validator *, const char *))
{
	char *save = NULL;

	for (char *id = strtok_r(arg, ",", &save); id; id = strtok_r(NULL, ",", &save))
		fn(v, id);
}

/* Keep a --skip or --warn list (checked now, applied once the validator exists). */
static void
add_rules(const char *opt, char *arg, char **list, int *n)
{
	if (*n == 64)
		mp_usage_error("too many %s options", opt);
	check_rules(opt, arg);
	list[(*n)++] = arg;
}

/* The options into o (--list-rules lists and exits); the files are what is left. */
static void
parse_options(struct opts *o, int argc, char **argv)
{
	int opt;

	memset(o, 0, sizeof *o);
	o->vo = (mp_validate_opts){ .ssda903 = -1, .max_open_days = 30 };
	mp_io_defaults(&o->io);
	while ((opt = mp_getopt(argc, argv, MP_IO_SHORTOPTS "q", long_options)) != -1) {
		if (mp_io_option(&o->io, opt, optarg, usage))
			continue;
		switch (opt) {
		case OPT_SCHEMA: o->schema_path = optarg; break;
		case OPT_REJECTS: o->rejects_path = optarg; break;
		case OPT_SKIP: add_rules("--skip", optarg, o->skips, &o->nskip); break;
		case OPT_WARN: add_rules("--warn", optarg, o->warns, &o->nwarn); break;
		case OPT_LIST_RULES:
			list_rules();
			if (fflush(stdout) != 0 || ferror(stdout))
				mp_die(MP_EXIT_DATA, "write error:");
			exit(MP_EXIT_OK);
		case OPT_NOW: o->now_arg = optarg; break;
		case OPT_MAX_OPEN_DAYS: o->vo.max_open_days = mp_parse_long("--max-open-days", optarg, 0, 36500); break;
		case OPT_YEAR: o->vo.year = (int)mp_parse_long("--year", optarg, 1901, 2299); break;
		case OPT_SSDA903: o->vo.ssda903 = 1; break;
		case OPT_HEADER: o->header_path = optarg; break;
		case OPT_FORMAT:
			if (strcmp(optarg, "json") == 0)
				o->json = 1;
			else if (strcmp(optarg, "text") != 0)
				mp_usage_error("--format: '%s' is not text or json", optarg);
			break;
		case OPT_SUMMARY: o->summary = 1; break;
		case 'q': o->quiet = 1; break;
		default:
			mp_usage_error("unknown option");
		}
	}
	o->nfiles = argc - optind;
	o->files = argv + optind;
	mp_io_distinct(&o->io, o->rejects_path, o->schema_path, o->nfiles, o->files);
	mp_io_ready(&o->io);
	o->vo.now = mp_now_option(o->now_arg);
}

/* The schema, the input and its header, the validator with its rules; -1 when the schema cannot be read. */
static int
start(struct run *r, struct opts *o)
{
	memset(r, 0, sizeof *r);
	r->schema = o->schema_path ? mp_schema_load(o->schema_path) : mp_schema_default();
	if (!r->schema)
		return -1;
	o->vo.schema = r->schema;
	r->in = mp_input_open(o->nfiles, o->files, o->io.in_fmt, o->io.enc);
	if (!r->in)
		exit(MP_EXIT_DATA);	/* said */
	r->header = mp_input_header(r->in);
	r->rep = mp_vreport_new(r->header, o->quiet, o->json, o->summary);
	r->v = mp_validator_new(&o->vo, r->header, mp_input_name(r->in), mp_vreport_problem, r->rep);
	for (int i = 0; i < o->nskip; i++)
		rule_list(r->v, o->skips[i], mp_validator_skip);
	for (int i = 0; i < o->nwarn; i++)
		rule_list(r->v, o->warns[i], mp_validator_warn);
	if (o->header_path && !mp_validator_ssda903(r->v))
		mp_usage_error("--header applies to the SSDA903 Missing table (see --ssda903)");
	return 0;
}

/* With --xlsx, the passed rows' sheet comes first, then the rejects'; the rejects file (--rejects). */
static void
open_reports(struct run *r, struct opts *o)
{
	r->passed_sheet = mp_io_new_sheet(&o->io, "episodes");
	if (!o->rejects_path)
		return;
	r->rejects = mp_writer_open(o->rejects_path, MP_CSV, o->io.excel);
	mp_io_sheet(&o->io, r->rejects, "rejects");
	mp_vreport_rejects(r->rep, r->rejects);
}

/* Check the header, and load the --header table when its rules are on; -1 when no row can be checked. */
static int
check_header(struct run *r, const struct opts *o)
{
	if (mp_validator_header(r->v) != 0) {
		if (o->summary)
			mp_vreport_summary(r->rep);
		mp_warn("the header is not usable; no rows were checked");
		return -1;
	}
	if (o->header_path && mp_validator_rule_on(r->v, "INT04") + mp_validator_rule_on(r->v, "INT13") > 0 &&
	    mp_validator_load_header_table(r->v, o->header_path, o->io.in_fmt, o->io.enc) != 0)
		return -1;
	return 0;
}

/*
 * Every row of the input, as read (parsed ahead on a second thread), to the
 * validator; -1 when a later file cannot be read (said).
 */
static int
read_rows(mp_input *in, mp_vrows *vr)
{
	mp_record *rec;
	int st;

	mp_input_set_ahead(in, 1);
	while ((st = mp_input_next(in, &rec)) > 0) {
		if (st == MP_READ_BAD)
			mp_vrows_bad(vr, mp_input_name(in), mp_input_bad_line(in), mp_input_bad_field(in),
				     mp_input_bad_msg(in), rec);
		else
			mp_vrows_row(vr, mp_input_name(in), rec);
	}
	return st == MP_READ_ERR ? -1 : 0;
}

/* The rows: checked, the valid ones written to the output after the header. */
static void
check_rows(struct run *r, const struct opts *o)
{
	mp_writer *out = mp_writer_open(o->io.output, o->io.out_fmt, o->io.excel);
	mp_vrows *vr;

	mp_writer_sheet(out, r->passed_sheet);
	mp_writer_record(out, r->header);
	vr = mp_vrows_new(r->v, out);
	if (read_rows(r->in, vr) != 0)
		exit(MP_EXIT_DATA);
	mp_vrows_end(vr, &r->passed, &r->rejected);
	r->read = mp_input_count(r->in);
	mp_writer_close(out);
}

/* Close the outputs; the summary, the year note and the closing line. */
static void
finish(struct run *r, struct opts *o)
{
	int inferred, year = mp_validator_year(r->v, &inferred);

	mp_writer_close(r->rejects);
	r->rejects = NULL;
	mp_io_finish(&o->io);
	if (o->summary)
		mp_vreport_summary(r->rep);
	mp_vreport_year_note(r->rep, year, inferred);
	if (getenv("MP_VALIDATE_STATS")) {
		size_t ch, ep, bytes;
		mp_validator_stats(r->v, &ch, &ep, &bytes);
		mp_warn("state: %zu children, %zu episodes, %zu bytes", ch, ep, bytes);
	}
	mp_vreport_closing(r->rep, r->read, r->passed, r->rejected);
}

static void
end_run(struct run *r)
{
	mp_writer_close(r->rejects);
	mp_validator_free(r->v);
	mp_vreport_free(r->rep);
	mp_input_close(r->in);
	mp_schema_free(r->schema);
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct run r;
	int status = MP_EXIT_DATA;

	mp_start(argv);
	parse_options(&o, argc, argv);
	if (start(&r, &o) != 0)
		return MP_EXIT_DATA;
	open_reports(&r, &o);
	if (check_header(&r, &o) == 0) {
		check_rows(&r, &o);
		finish(&r, &o);
		status = r.rejected ? MP_EXIT_DATA : MP_EXIT_OK;
	}
	end_run(&r);
	return status;
}
