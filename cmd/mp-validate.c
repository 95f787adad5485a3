/* mp-validate: pass valid episode rows through; report and reject the rest. */
#include "cli.h"
#include "err.h"
#include "feed.h"
#include "input.h"
#include "mptime.h"
#include "rowname.h"
#include "schema.h"
#include "validate.h"
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

struct run {
	const mp_record *header;
	mp_writer *rejects;
	int quiet, json, summary;
	long warnings;
	long rows[256];		/* rows with a problem, per rule */
	const char *last_file[256];
	long last_line[256];
	unsigned char warned[256];	/* the rule was reported as a warning */
};

/* Write s as a JSON string (quotes included); bytes that are not UTF-8 become U+FFFD. */
static void
json_str(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	putc('"', fp);
	while (*p) {
		unsigned char c = *p;
		if (c == '"' || c == '\\') {
			putc('\\', fp);
			putc(c, fp);
			p++;
		} else if (c == '\n') {
			fputs("\\n", fp), p++;
		} else if (c == '\t') {
			fputs("\\t", fp), p++;
		} else if (c == '\r') {
			fputs("\\r", fp), p++;
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(fp, "\\u%04x", c), p++;
		} else if (c < 0x80) {
			putc(c, fp), p++;
		} else {
			size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
			if (n > 1 && strnlen((const char *)p, n) == n && mp_utf8_invalid((const char *)p, n) < 0) {
				fwrite(p, 1, n, fp);
				p += n;
			} else {
				fputs("\\ufffd", fp);
				p++;
			}
		}
	}
	putc('"', fp);
}

static void
on_problem(void *ctx, long line, const mp_problem *p, const mp_record *rec)
{
	struct run *run = ctx;

	if (p->warning)
		run->warnings++;
	if (p->rule >= 0 && p->rule < 256 && (run->last_line[p->rule] != line || run->last_file[p->rule] != p->file)) {
		run->rows[p->rule]++;
		run->last_line[p->rule] = line;
		run->last_file[p->rule] = p->file;
		run->warned[p->rule] = (unsigned char)p->warning;
	}
	if (!run->quiet && !run->summary) {
		if (run->json) {
			fflush(stdout);
			fputs("{\"file\":", stderr);
			json_str(stderr, p->file);
			fprintf(stderr, ",\"line\":%ld,\"field\":", line);
			if (p->field)
				json_str(stderr, p->field);
			else
				fputs("null", stderr);
			fputs(",\"rule\":", stderr);
			json_str(stderr, p->id);
			fprintf(stderr, ",\"severity\":\"%s\",\"message\":", p->warning ? "warning" : "error");
			json_str(stderr, p->msg);
			fputs("}\n", stderr);
		} else {
			/* A row the reader could not split has no episode id to trust. */
			mp_row_msg(run->header, strcmp(p->id, "csv") ? rec : NULL, p->file, line, p->field, "%s%s [%s]",
				   p->warning ? "warning: " : "", p->msg, p->id);
		}
	}
	if (run->rejects) {
		size_t n = rec ? rec->n : 0;
		mp_writer_long(run->rejects, line);
		mp_writer_str(run->rejects, p->field);
		mp_writer_str(run->rejects, p->id);
		if (p->warning)
			mp_writer_printf(run->rejects, "warning: %s", p->msg);
		else
			mp_writer_str(run->rejects, p->msg);
		for (size_t i = 0; i < n; i++)
			mp_writer_field(run->rejects, rec->f[i].s, rec->f[i].len);
		for (size_t i = n; i < run->header->n; i++)
			mp_writer_str(run->rejects, NULL);
		mp_writer_end(run->rejects);
	}
}

static void
list_rules(void)
{
	for (size_t i = 0; i < mp_nrules; i++)
		printf("%s\t%s\t%s\t%s\n", mp_rules[i].id, mp_rules[i].level == MP_WARNING ? "warning" : "error",
		       mp_ruleset_name(mp_rules[i].set), mp_rules[i].description);
}

/* The --summary table: rules that found something, in list order. */
static void
print_summary(const struct run *run)
{
	fflush(stdout);
	if (!run->json)
		fprintf(stderr, "%-22s %-8s %8s  %s\n", "rule", "level", "rows", "description");
	for (size_t i = 0; i < mp_nrules; i++) {
		if (!run->rows[i])
			continue;
		if (run->json) {
			fputs("{\"rule\":", stderr);
			json_str(stderr, mp_rules[i].id);
			fprintf(stderr, ",\"severity\":\"%s\",\"rows\":%ld,\"description\":",
				run->warned[i] ? "warning" : "error", run->rows[i]);
			json_str(stderr, mp_rules[i].description);
			fputs("}\n", stderr);
		} else {
			fprintf(stderr, "%-22s %-8s %8ld  %s\n", mp_rules[i].id, run->warned[i] ? "warning" : "error",
				run->rows[i], mp_rules[i].description);
		}
	}
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

/* A record kept while the collection year is worked out. */
struct saved {
	int st;
	char *file, *bad_field, *bad_msg;
	long bad_line;
	mp_record rec;
	char *buf;
};

static void
save(struct saved *s, const mp_feed_row *row)
{
	const mp_record *rec = &row->rec;
	size_t total = 0, o = 0;

	s->st = row->st;
	s->file = mp_xstrdup(row->file);
	s->bad_field = row->bad_field ? mp_xstrdup(row->bad_field) : NULL;
	s->bad_msg = row->bad_msg ? mp_xstrdup(row->bad_msg) : NULL;
	s->bad_line = row->bad_line;
	for (size_t i = 0; i < rec->n; i++)
		total += rec->f[i].len + 1;
	s->buf = mp_xmalloc(total + (rec->raw ? rec->raw_len : 0));
	if (rec->raw) {
		/* the row as read, so a valid one is written through untouched */
		memcpy(s->buf + total, rec->raw, rec->raw_len);
		s->rec.raw = s->buf + total;
		s->rec.raw_len = rec->raw_len;
		s->rec.raw_fmt = rec->raw_fmt;
	}
	s->rec.n = rec->n;
	s->rec.line = rec->line;
	s->rec.f = mp_xcalloc(rec->n, sizeof *s->rec.f);
	for (size_t i = 0; i < rec->n; i++) {
		memcpy(s->buf + o, rec->f[i].s, rec->f[i].len);
		s->buf[o + rec->f[i].len] = '\0';
		s->rec.f[i].s = s->buf + o;
		s->rec.f[i].len = rec->f[i].len;
		o += rec->f[i].len + 1;
	}
}

struct counts {
	long passed, rejected;
};

/* Check one record and send it to the output or count it rejected. */
static void
process(mp_validator *v, mp_writer *out, struct counts *c, int st, const mp_record *rec, const char *file,
	long bad_line, const char *bad_field, const char *bad_msg)
{
	mp_validator_set_file(v, file);
	if (st == MP_READ_BAD) {
		mp_validator_bad_row(v, bad_line, bad_field, bad_msg, rec);
		c->rejected++;
	} else if (mp_validator_row(v, rec) > 0) {
		c->rejected++;
	} else {
		mp_writer_record(out, rec);
		c->passed++;
	}
}

int
main(int argc, char **argv)
{
	mp_io_opts io;
	const char *schema_path = NULL, *rejects_path = NULL, *now_arg = NULL, *header_path = NULL;
	char *skips[64], *warns[64];
	int nskip = 0, nwarn = 0, opt;
	mp_validate_opts vo = { .ssda903 = -1, .max_open_days = 30 };
	struct run run;
	const char *why;

	memset(&run, 0, sizeof run);
	mp_start(argv);
	mp_io_defaults(&io);
	while ((opt = mp_getopt(argc, argv, MP_IO_SHORTOPTS "q", long_options)) != -1) {
		if (mp_io_option(&io, opt, optarg, usage))
			continue;
		switch (opt) {
		case OPT_SCHEMA: schema_path = optarg; break;
		case OPT_REJECTS: rejects_path = optarg; break;
		case OPT_SKIP:
			if (nskip == 64)
				mp_usage_error("too many --skip options");
			check_rules("--skip", optarg);
			skips[nskip++] = optarg;
			break;
		case OPT_WARN:
			if (nwarn == 64)
				mp_usage_error("too many --warn options");
			check_rules("--warn", optarg);
			warns[nwarn++] = optarg;
			break;
		case OPT_LIST_RULES:
			list_rules();
			if (fflush(stdout) != 0 || ferror(stdout))
				mp_die(MP_EXIT_DATA, "write error:");
			return MP_EXIT_OK;
		case OPT_NOW: now_arg = optarg; break;
		case OPT_MAX_OPEN_DAYS: vo.max_open_days = mp_parse_long("--max-open-days", optarg, 0, 36500); break;
		case OPT_YEAR: vo.year = (int)mp_parse_long("--year", optarg, 1901, 2299); break;
		case OPT_SSDA903: vo.ssda903 = 1; break;
		case OPT_HEADER: header_path = optarg; break;
		case OPT_FORMAT:
			if (strcmp(optarg, "json") == 0)
				run.json = 1;
			else if (strcmp(optarg, "text") != 0)
				mp_usage_error("--format: '%s' is not text or json", optarg);
			break;
		case OPT_SUMMARY: run.summary = 1; break;
		case 'q': run.quiet = 1; break;
		default:
			mp_usage_error("unknown option");
		}
	}
	argc -= optind;
	argv += optind;
	mp_io_distinct(&io, rejects_path, schema_path, argc, argv);
	mp_io_ready(&io);
	if (mp_now_parse(now_arg, &vo.now, &why) != 0)
		mp_usage_error("--now: '%s': %s", now_arg, why);

	mp_schema *schema = schema_path ? mp_schema_load(schema_path) : mp_schema_default();
	if (!schema)
		return MP_EXIT_DATA;
	vo.schema = schema;
	mp_input *in = mp_input_open(argc, argv, io.in_fmt, io.enc);
	run.header = mp_input_header(in);
	mp_validator *v = mp_validator_new(&vo, run.header, mp_input_name(in), on_problem, &run);
	for (int i = 0; i < nskip; i++)
		rule_list(v, skips[i], mp_validator_skip);
	for (int i = 0; i < nwarn; i++)
		rule_list(v, warns[i], mp_validator_warn);
	if (header_path && !mp_validator_ssda903(v))
		mp_usage_error("--header applies to the SSDA903 Missing table (see --ssda903)");

	struct mp_xlsx_sheet *passed_sheet = mp_io_new_sheet(&io, "episodes");
	if (rejects_path) {
		run.rejects = mp_writer_open(rejects_path, MP_CSV, io.excel);
		mp_io_sheet(&io, run.rejects, "rejects");
		mp_writer_str(run.rejects, "line");
		mp_writer_str(run.rejects, "field");
		mp_writer_str(run.rejects, "rule");
		mp_writer_str(run.rejects, "message");
		for (size_t i = 0; i < run.header->n; i++)
			mp_writer_field(run.rejects, run.header->f[i].s, run.header->f[i].len);
		mp_writer_end(run.rejects);
	}
	int bad_header = mp_validator_header(v) != 0;
	if (bad_header) {
		if (run.summary)
			print_summary(&run);
		mp_warn("the header is not usable; no rows were checked");
	} else if (header_path && mp_validator_rule_on(v, "INT04") + mp_validator_rule_on(v, "INT13") > 0 &&
		   mp_validator_load_header_table(v, header_path, io.in_fmt, io.enc) != 0) {
		bad_header = 1;
	}
	if (bad_header) {
		mp_writer_close(run.rejects);
		mp_validator_free(v);
		mp_input_close(in);
		mp_schema_free(schema);
		return MP_EXIT_DATA;
	}

	mp_writer *out = mp_writer_open(io.output, io.out_fmt, io.excel);
	mp_writer_sheet(out, passed_sheet);
	mp_writer_record(out, run.header);

	struct counts c = { 0, 0 };
	mp_feed *feed = mp_feed_open(in, 1);
	mp_feed_row *row;

	/* Read ahead when the rules need it: the collection year, rule 574. */
	size_t ahead = mp_validator_lookahead(v);
	if (ahead) {
		struct saved *sv = NULL;
		size_t ns = 0, cap = 0;
		while (ns < ahead && mp_feed_next(feed, &row)) {
			if (ns == cap) {
				cap = cap ? 2 * cap : 1024;
				sv = mp_xrealloc(sv, cap * sizeof *sv);
			}
			save(&sv[ns++], row);
			mp_validator_set_file(v, row->file);
			if (row->st != MP_READ_BAD)
				mp_validator_observe(v, &row->rec);
		}
		mp_validator_settle(v);
		for (size_t i = 0; i < ns; i++) {
			process(v, out, &c, sv[i].st, &sv[i].rec, sv[i].file, sv[i].bad_line, sv[i].bad_field,
				sv[i].bad_msg);
			free(sv[i].file);
			free(sv[i].bad_field);
			free(sv[i].bad_msg);
			free(sv[i].buf);
			free(sv[i].rec.f);
		}
		free(sv);
	}
	while (mp_feed_next(feed, &row))
		process(v, out, &c, row->st, &row->rec, row->file, row->bad_line, row->bad_field, row->bad_msg);
	mp_feed_close(feed);
	long read = mp_input_count(in);
	mp_writer_close(out);
	mp_writer_close(run.rejects);
	mp_io_finish(&io);

	if (run.summary)
		print_summary(&run);
	int inferred, year = mp_validator_year(v, &inferred);
	if (inferred && (run.rows[mp_rule_find("570")] || run.rows[mp_rule_find("571")])) {
		char note[200];
		snprintf(note, sizeof note,
			 "note: the collection year 1 April %d to 31 March %d was taken from the data (--year to choose)",
			 year - 1, year);
		if (run.json) {
			fputs("{\"note\":", stderr);
			json_str(stderr, note + 6);
			fputs("}\n", stderr);
		} else {
			mp_warn("%s", note);
		}
	}
	if (getenv("MP_VALIDATE_STATS")) {
		size_t ch, ep, bytes;
		mp_validator_stats(v, &ch, &ep, &bytes);
		mp_warn("state: %zu children, %zu episodes, %zu bytes", ch, ep, bytes);
	}
	if (run.json)
		fprintf(stderr, "{\"rows_read\":%ld,\"passed\":%ld,\"rejected\":%ld,\"warnings\":%ld}\n", read, c.passed,
			c.rejected, run.warnings);
	else if (run.warnings)
		mp_closing("%ld row{s} read, %ld passed, %ld rejected, %ld warning{s}", read, c.passed, c.rejected, run.warnings);
	else
		mp_closing("%ld row{s} read, %ld passed, %ld rejected", read, c.passed, c.rejected);
	mp_validator_free(v);
	mp_input_close(in);
	mp_schema_free(schema);
	return c.rejected ? MP_EXIT_DATA : MP_EXIT_OK;
}
