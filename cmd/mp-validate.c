/* mp-validate: pass valid episode rows through; report and reject the rest. */
#include "cli.h"
#include "episode.h"
#include "err.h"
#include "input.h"
#include "schema.h"
#include "validate.h"
#include "writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_SCHEMA = MP_OPT_CMD,
	OPT_REJECTS,
	OPT_QUIET,
	OPT_SKIP,
	OPT_WARN,
	OPT_LIST_RULES,
};

static const struct option long_options[] = {
	MP_IO_LONGOPTS,
	{ "schema", required_argument, NULL, OPT_SCHEMA },
	{ "rejects", required_argument, NULL, OPT_REJECTS },
	{ "skip", required_argument, NULL, OPT_SKIP },
	{ "warn", required_argument, NULL, OPT_WARN },
	{ "list-rules", no_argument, NULL, OPT_LIST_RULES },
	{ "quiet", no_argument, NULL, 'q' },
	{ NULL, 0, NULL, 0 }
};

static void
usage(void)
{
	printf("Usage: mp-validate [OPTION]... [FILE]...\n"
	       "Check canonical episode rows: valid rows go to the output unchanged,\n"
	       "each problem is reported on stderr as FILE:LINE: FIELD: message.\n"
	       "\n"
	       "      --schema FILE     check against FILE instead of the shipped episode schema\n"
	       "      --rejects FILE    write every problem, with its row, to FILE as CSV\n"
	       "      --skip RULE       do not apply RULE (repeatable; comma lists allowed)\n"
	       "      --warn RULE       report RULE as a warning: the row still passes\n"
	       "      --list-rules      list the rules with their ids and exit\n"
	       "  -q, --quiet           no per-problem messages on stderr (the count line stays)\n"
	       MP_IO_HELP
	       "\n"
	       "With no FILE, or when FILE is -, read standard input.\n"
	       "Exit status: 0 all rows passed, 1 a row was rejected or data could not be read,\n"
	       "2 usage error.\n");
}

struct run {
	const char *file;
	mp_writer *rejects;
	const mp_record *header;
	int quiet;
	long warnings;
};

static void
on_problem(void *ctx, long line, const mp_problem *p, const mp_record *rec)
{
	struct run *run = ctx;

	if (p->warning)
		run->warnings++;
	if (!run->quiet)
		mp_data_msg(run->file, line, p->field, "%s%s [%s]", p->warning ? "warning: " : "", p->msg, p->rule);
	if (run->rejects) {
		mp_writer_long(run->rejects, line);
		mp_writer_str(run->rejects, p->field);
		mp_writer_str(run->rejects, p->rule);
		mp_writer_str(run->rejects, p->msg);
		for (size_t i = 0; rec && i < rec->n; i++)
			mp_writer_field(run->rejects, rec->f[i].s, rec->f[i].len);
		mp_writer_end(run->rejects);
	}
}

static void
list_rules(void)
{
	for (size_t i = 0; i < mp_schema_nrules; i++)
		printf("%s\t%s%s\n", mp_schema_rules[i].id, mp_schema_rules[i].warning ? "(warning) " : "",
		       mp_schema_rules[i].desc);
}

/* Apply each comma-separated rule id in arg with fn, checking it exists. */
static void
rule_list(mp_validator *v, const char *opt, char *arg, int (*fn)(mp_validator *, const char *))
{
	for (char *id = strtok(arg, ","); id; id = strtok(NULL, ",")) {
		int known = 0;
		for (size_t i = 0; i < mp_schema_nrules; i++)
			known |= strcmp(mp_schema_rules[i].id, id) == 0;
		if (!known)
			mp_usage_error("%s: unknown rule '%s' (see --list-rules)", opt, id);
		fn(v, id);
	}
}

int
main(int argc, char **argv)
{
	mp_io_opts io;
	const char *schema_path = NULL, *rejects_path = NULL;
	char *skips[64], *warns[64];
	int nskip = 0, nwarn = 0, quiet = 0, opt;

	mp_set_progname(argv[0]);
	mp_io_defaults(&io);
	while ((opt = getopt_long(argc, argv, MP_IO_SHORTOPTS "q", long_options, NULL)) != -1) {
		if (mp_io_option(&io, opt, optarg, usage))
			continue;
		switch (opt) {
		case OPT_SCHEMA: schema_path = optarg; break;
		case OPT_REJECTS: rejects_path = optarg; break;
		case OPT_SKIP:
			if (nskip == 64)
				mp_usage_error("too many --skip options");
			skips[nskip++] = optarg;
			break;
		case OPT_WARN:
			if (nwarn == 64)
				mp_usage_error("too many --warn options");
			warns[nwarn++] = optarg;
			break;
		case OPT_LIST_RULES:
			list_rules();
			if (fflush(stdout) != 0)
				mp_die(MP_EXIT_DATA, "write error:");
			return MP_EXIT_OK;
		case 'q': quiet = 1; break;
		default:
			mp_usage_error("unknown option");
		}
	}
	argc -= optind;
	argv += optind;
	mp_io_ready(&io);

	mp_schema *schema = schema_path ? mp_schema_load(schema_path) : mp_schema_default();
	if (!schema)
		return MP_EXIT_DATA;
	mp_input *in = mp_input_open(argc, argv, io.in_fmt, io.enc);
	struct run run = { .file = mp_input_name(in), .header = mp_input_header(in), .quiet = quiet };
	mp_validator *v = mp_validator_new(schema, run.header, run.file, on_problem, &run);
	for (int i = 0; i < nskip; i++)
		rule_list(v, "--skip", skips[i], mp_validator_skip);
	for (int i = 0; i < nwarn; i++)
		rule_list(v, "--warn", warns[i], mp_validator_warn);
	if (mp_validator_header(v) != 0) {
		mp_warn("the header is not usable; no rows were checked");
		return MP_EXIT_DATA;
	}

	mp_writer *out = mp_writer_open(io.output, io.out_fmt, io.excel);
	if (rejects_path) {
		run.rejects = mp_writer_open(rejects_path, MP_CSV, io.excel);
		mp_writer_str(run.rejects, "line");
		mp_writer_str(run.rejects, "field");
		mp_writer_str(run.rejects, "rule");
		mp_writer_str(run.rejects, "message");
		for (size_t i = 0; i < run.header->n; i++)
			mp_writer_field(run.rejects, run.header->f[i].s, run.header->f[i].len);
		mp_writer_end(run.rejects);
	}
	mp_writer_record(out, run.header);

	long passed = 0, rejected = 0;
	mp_record *rec;
	int st;
	while ((st = mp_input_next(in, &rec)) != MP_READ_EOF) {
		run.file = mp_input_name(in);
		if (st == MP_READ_BAD) {
			mp_reader *r = mp_input_reader(in);
			mp_validator_bad_row(v, mp_reader_bad_line(r), mp_reader_bad_field(r), mp_reader_bad_msg(r), rec);
			rejected++;
			continue;
		}
		if (mp_validator_row(v, rec) > 0) {
			rejected++;
			continue;
		}
		mp_writer_record(out, rec);
		passed++;
	}
	long read = mp_input_count(in);
	mp_writer_close(out);
	mp_writer_close(run.rejects);
	if (run.warnings)
		mp_warn("%ld rows read, %ld passed, %ld rejected, %ld warnings", read, passed, rejected, run.warnings);
	else
		mp_warn("%ld rows read, %ld passed, %ld rejected", read, passed, rejected);
	mp_validator_free(v);
	mp_input_close(in);
	mp_schema_free(schema);
	return rejected ? MP_EXIT_DATA : MP_EXIT_OK;
}
