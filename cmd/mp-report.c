/* mp-report: the monthly, annual, weekly or daily report of missing episodes, as text, Markdown or HTML. */
#include "alert.h"
#include "cli.h"
#include "err.h"
#include "input.h"
#include "mptime.h"
#include "period.h"
#include "report.h"
#include "rowname.h"
#include "stats.h"
#include "writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_FROM = MP_OPT_CMD,
	OPT_TO,
	OPT_MONTH,
	OPT_FY,
	OPT_NOW,
	OPT_FORMAT,
	OPT_KIND,
	OPT_WITH_IDS,
	OPT_SUPPRESS,
	OPT_REPEAT_MIN,
	OPT_WITHIN,
	OPT_VALIDATION,
	OPT_TITLE,
	OPT_LA,
	OPT_REPEAT_WINDOW,
	OPT_RHI_TYPES,
	OPT_SECONDARY,
	OPT_QUARTER,
	OPT_CHILDREN,
	OPT_RECUR_DAYS,
};

static const struct option long_options[] = {
	MP_IO_LONGOPTS,
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "month", required_argument, NULL, OPT_MONTH },
	{ "fy", required_argument, NULL, OPT_FY },
	{ "quarter", required_argument, NULL, OPT_QUARTER },
	{ "now", required_argument, NULL, OPT_NOW },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "kind", required_argument, NULL, OPT_KIND },
	{ "with-ids", no_argument, NULL, OPT_WITH_IDS },
	{ "suppress", required_argument, NULL, OPT_SUPPRESS },
	{ "repeat-min", required_argument, NULL, OPT_REPEAT_MIN },
	{ "within", required_argument, NULL, OPT_WITHIN },
	{ "validation", required_argument, NULL, OPT_VALIDATION },
	{ "title", required_argument, NULL, OPT_TITLE },
	{ "la", required_argument, NULL, OPT_LA },
	{ "repeat-window", required_argument, NULL, OPT_REPEAT_WINDOW },
	{ "rhi-types", required_argument, NULL, OPT_RHI_TYPES },
	{ "secondary", required_argument, NULL, OPT_SECONDARY },
	{ "children", required_argument, NULL, OPT_CHILDREN },
	{ "recur-days", required_argument, NULL, OPT_RECUR_DAYS },
	{ NULL, 0, NULL, 0 }
};

static void
usage(void)
{
	printf("Usage: mp-report [OPTION]... [FILE]...\n"
	       "Write the report councils write by hand from canonical episode rows: the\n"
	       "headline, care status, return home interviews, repeat missing, durations,\n"
	       "push and pull factors, groups, who is missing now and data quality.\n"
	       "\n"
	       "      --from DATE       the period: episodes starting on or after DATE\n"
	       "      --to DATE         ... and on or before DATE (default: the day of --now)\n"
	       "      --month YYYY-MM   the period is that calendar month\n"
	       "      --fy YYYY-YY      the period is that April-to-March year (e.g. 2024-25)\n"
	       "      --quarter YYYY-YYQN  the period is that financial quarter (2024-25Q1 is\n"
	       "                        April to June 2024)\n"
	       "      --now DATETIME    the time the state is judged at (default: the clock)\n"
	       "      --kind KIND       daily, weekly, monthly (default), quarterly or annual:\n"
	       "                        the sections, and the period when none is given\n"
	       "      --format FMT      text (default; 80 columns), markdown, html or xlsx\n"
	       "                        (xlsx: a workbook with native charts; needs -o FILE)\n"
	       "      --with-ids        add child-level lists (for the team's own use)\n"
	       "      --suppress N      show counts from 1 to N-1 (and percentages built on\n"
	       "                        them) as [c]\n"
	       "      --secondary on|off with --suppress, also hide the next smallest cell of a\n"
	       "                        group with one hidden cell (default on)\n"
	       "      --repeat-min N    repeat missing: N or more episodes (default 3) ...\n"
	       "      --repeat-window W ... in a calendar month (month, the default) or within\n"
	       "                        W days\n"
	       "      --rhi-types LIST  episode types needing an interview (default missing;\n"
	       "                        missing,away,absent for every type)\n"
	       "      --within HOURS    an interview is in time within HOURS of the return\n"
	       "                        (default 72)\n"
	       "      --validation FILE mp-validate's --rejects file or its log, for the\n"
	       "                        data-quality line\n"
	       "      --title TEXT      the report's title\n"
	       "      --la CODE         this council (default: the one value of the la column),\n"
	       "                        shown under the title\n"
	       "      --children WHOSE  own (default), placed-here or all: the children every\n"
	       "                        figure counts; with own, children placed here by other\n"
	       "                        councils have a section of their own\n"
	       "      --recur-days N    recurrence: missing again within N days of a return\n"
	       "                        (default 30)\n"
	       "  -t, --tsv             read TSV instead of CSV (--tsv-in is the same)\n"
	       "  -e, --encoding ENC    input encoding: utf-8 (default) or cp1252\n"
	       "  -o, --output FILE     write to FILE (replaced only when the run succeeds)\n"
	       "      --tz ZONE         local time zone (default Europe/London)\n"
	       "  -h, --help            show this help and exit\n"
	       "  -V, --version         show the version and exit\n"
	       "\n"
	       "With no FILE, or when FILE is -, read standard input.\n"
	       "Exit status: 0 the report was written from every row, 1 a row was rejected\n"
	       "(the report is still written without it) or data could not be read, 2 usage\n"
	       "error.\n");
}

/* --month YYYY-MM. */
static void
month_option(const char *arg, int64_t *from, int64_t *to)
{
	int y, m;
	char extra;

	if (strlen(arg) != 7 || sscanf(arg, "%4d-%2d%c", &y, &m, &extra) != 2 || arg[4] != '-' || y < 1900 ||
	    m < 1 || m > 12)
		mp_usage_error("--month: '%s': expected YYYY-MM, such as 2025-02", arg);
	*from = mp_days_from_civil(y, m, 1);
	*to = mp_days_from_civil(y, m, mp_days_in_month(y, m));
}

/* --fy YYYY-YY: 1 April YYYY to 31 March of the next year. */
static void
fy_option(const char *arg, int64_t *from, int64_t *to)
{
	int y, yy;
	char extra;

	if (strlen(arg) != 7 || sscanf(arg, "%4d-%2d%c", &y, &yy, &extra) != 2 || arg[4] != '-' || y < 1900)
		mp_usage_error("--fy: '%s': expected YYYY-YY, such as 2024-25", arg);
	if (yy != (y + 1) % 100)
		mp_usage_error("--fy: '%s': the second year must follow the first (%d-%02d)", arg, y, (y + 1) % 100);
	*from = mp_days_from_civil(y, 4, 1);
	*to = mp_days_from_civil(y + 1, 3, 31);
}

/* --quarter YYYY-YYQN (or "YYYY-YY QN"): the council's financial quarter, April-June being Q1. */
static void
quarter_option(const char *arg, int64_t *from, int64_t *to)
{
	int y, yy, q, n = 0;
	if (sscanf(arg, "%4d-%2d%*[ ]Q%1d%n", &y, &yy, &q, &n) != 3 && sscanf(arg, "%4d-%2dQ%1d%n", &y, &yy, &q, &n) != 3)
		n = 0;
	if (!n || arg[n] || arg[4] != '-' || y < 1900 || q < 1 || q > 4)
		mp_usage_error("--quarter: '%s': expected YYYY-YYQN, such as 2024-25Q1", arg);
	if (yy != (y + 1) % 100)
		mp_usage_error("--quarter: '%s': the second year must follow the first (%d-%02d)", arg, y, (y + 1) % 100);
	int m = 4 + 3 * (q - 1), fy = y + (m > 12);
	m = (m - 1) % 12 + 1;
	*from = mp_days_from_civil(fy, m, 1);
	*to = mp_days_from_civil(fy, m + 2, mp_days_in_month(fy, m + 2));
}

/* The default period of a kind, before the local day of --now. */
static void
kind_period(enum mp_report_kind kind, int64_t today, int64_t *from, int64_t *to)
{
	int y, m, d;

	mp_civil_from_days(today, &y, &m, &d);
	switch (kind) {
	case MP_KIND_DAILY:
		*from = *to = today - 1;
		break;
	case MP_KIND_WEEKLY:
		/* The last whole week, Monday to Sunday. */
		*to = today - mp_weekday(today);
		*from = *to - 6;
		break;
	case MP_KIND_QUARTERLY: {
		/* The last financial quarter that has ended: quarters start in April, July, October, January. */
		int qm = ((m - 1) / 3) * 3 + 1;	/* the calendar quarter's first month is a financial one */
		int py = y, pm = qm - 3;
		if (pm < 1)
			pm += 12, py--;
		*from = mp_days_from_civil(py, pm, 1);
		*to = mp_days_from_civil(py, pm + 2, mp_days_in_month(py, pm + 2));
		break;
	}
	case MP_KIND_ANNUAL: {
		int fy = m >= 4 ? y - 1 : y - 2;
		*from = mp_days_from_civil(fy, 4, 1);
		*to = mp_days_from_civil(fy + 1, 3, 31);
		break;
	}
	default:
		if (--m == 0)
			m = 12, y--;
		*from = mp_days_from_civil(y, m, 1);
		*to = mp_days_from_civil(y, m, mp_days_in_month(y, m));
	}
}

/* What the options said, before the period is resolved. */
struct opts {
	mp_io_opts io;
	mp_report_config cfg;
	int kind, format, has_from, has_to, has_month, has_fy, has_quarter;
	const char *from_arg, *to_arg, *now_arg, *validation;
	int64_t from, to;
};

/* --format. */
static int
format_option(const char *arg)
{
	static const char *const names[] = { "text", "markdown", "html", "xlsx" };
	for (int i = 0; i < 4; i++)
		if (strcmp(arg, names[i]) == 0)
			return i;
	if (strcmp(arg, "md") == 0)
		return 1;
	mp_usage_error("--format: unknown format '%s' (text, markdown, html or xlsx)", arg);
}

/* The options that choose the period; 0 when opt is not one. */
static int
period_option(struct opts *o, int opt, const char *arg)
{
	switch (opt) {
	case OPT_FROM:
		o->has_from = 1;
		o->from = mp_parse_day("--from", arg);
		o->from_arg = arg;
		return 1;
	case OPT_TO:
		o->has_to = 1;
		o->to = mp_parse_day("--to", arg);
		o->to_arg = arg;
		return 1;
	case OPT_MONTH: o->has_month = 1; month_option(arg, &o->from, &o->to); return 1;
	case OPT_FY: o->has_fy = 1; fy_option(arg, &o->from, &o->to); return 1;
	case OPT_QUARTER: o->has_quarter = 1; quarter_option(arg, &o->from, &o->to); return 1;
	case OPT_NOW: o->now_arg = arg; return 1;
	case OPT_KIND:
		if ((o->kind = mp_report_kind_parse(arg)) < 0)
			mp_usage_error("--kind: unknown kind '%s' (daily, weekly, monthly, quarterly or annual)", arg);
		return 1;
	}
	return 0;
}

/* The options of the figures and the document. */
static void
report_option(struct opts *o, int opt, const char *arg)
{
	mp_report_config *cfg = &o->cfg;
	switch (opt) {
	case OPT_FORMAT: o->format = format_option(arg); break;
	case OPT_WITH_IDS: cfg->with_ids = 1; break;
	case OPT_SUPPRESS: cfg->suppress = mp_parse_long("--suppress", arg, 2, 1000000); break;
	case OPT_REPEAT_MIN: cfg->repeat_min = mp_parse_long("--repeat-min", arg, 1, 1000000); break;
	case OPT_REPEAT_WINDOW:
		cfg->repeat_window = strcmp(arg, "month") == 0 ? 0 : mp_parse_long("--repeat-window", arg, 1, 3660);
		break;
	case OPT_RHI_TYPES:
		cfg->rhi_types = mp_rhi_types_option(arg);	/* the message every command gives */
		break;
	case OPT_SECONDARY:
		if (strcmp(arg, "on") != 0 && strcmp(arg, "off") != 0)
			mp_usage_error("--secondary: '%s': expected on or off", arg);
		cfg->secondary = strcmp(arg, "on") == 0;
		break;
	case OPT_WITHIN: cfg->within_hours = mp_parse_long("--within", arg, 1, 8760); break;
	case OPT_VALIDATION: o->validation = arg; break;
	case OPT_TITLE:
		if (!*arg)
			mp_usage_error("--title: an empty title");
		cfg->title = arg;
		break;
	case OPT_LA:
		if (!*arg)
			mp_usage_error("--la: an empty name");
		cfg->la = arg;
		break;
	case OPT_CHILDREN: {
		int c = mp_children_parse(arg);
		if (c < 0)
			mp_usage_error("--children: '%s': expected own, placed-here or all", arg);
		cfg->children = (enum mp_children)c;
		break;
	}
	case OPT_RECUR_DAYS: cfg->recur_days = mp_parse_long("--recur-days", arg, 1, 3660); break;
	default: mp_usage_error("unknown option");
	}
}

/* Check the period options against each other and --now; set the kind and the period. */
static void
resolve_period(struct opts *o)
{
	mp_report_config *cfg = &o->cfg;
	if (o->has_month + o->has_fy + o->has_quarter + (o->has_from || o->has_to) > 1)
		mp_usage_error("give one period: --month, --quarter, --fy, or --from and --to");
	if (o->has_to && !o->has_from)
		mp_usage_error("--to needs --from");
	if (cfg->with_ids && cfg->suppress)
		mp_usage_error("--with-ids lists children, --suppress is for reports that leave the council: "
			       "choose one");
	cfg->now = mp_now_option(o->now_arg);
	mp_time lt;
	mp_utc_to_local(cfg->now, &lt);
	if (o->has_from && !o->has_to)
		o->to = lt.day;
	if (o->has_from && o->from > o->to) {
		if (o->has_to)
			mp_usage_error("--from %s is after --to %s", o->from_arg, o->to_arg);
		mp_usage_error("--from %s is after the day of --now", o->from_arg);
	}
	cfg->kind = o->kind >= 0 ? (enum mp_report_kind)o->kind
		    : o->has_fy ? MP_KIND_ANNUAL
		    : o->has_quarter ? MP_KIND_QUARTERLY
		    : o->has_from ? MP_KIND_CUSTOM : MP_KIND_MONTHLY;
	if (!o->has_from && !o->has_month && !o->has_fy && !o->has_quarter)
		kind_period(cfg->kind, lt.day, &o->from, &o->to);
	cfg->from_day = o->from;
	cfg->to_day = o->to;
	mp_report_config_periods(cfg);
}

/* Feed every row to the report; returns the rows rejected, *read the rows read. */
static long
read_rows(mp_report_data *d, int argc, char **argv, const mp_io_opts *io, long *read)
{
	mp_input *in = mp_input_open(argc, argv, io->in_fmt, io->enc);
	if (!in)
		exit(MP_EXIT_DATA);	/* said */
	char err[512], msg[512];
	if (mp_report_data_bind(d, mp_input_header(in), err, sizeof err)) {
		mp_data_msg(mp_input_name(in), 1, NULL, "%s", err);
		exit(MP_EXIT_DATA);
	}
	mp_record *rec;
	long rejected = 0;
	int s;
	*read = 0;
	while ((s = mp_input_next(in, &rec)) > 0) {
		const char *col = NULL;
		++*read;
		if (s == MP_READ_BAD) {
			mp_alert_bad_record(in);
			mp_report_data_bad_row(d);
			rejected++;
		} else if (mp_report_data_add(d, rec, &col, msg, sizeof msg)) {
			mp_row_msg(mp_input_header(in), rec, mp_input_name(in), rec->line, col, "%s", msg);
			mp_report_data_bad_row(d);
			rejected++;
		}
	}
	if (s == MP_READ_ERR)
		exit(MP_EXIT_DATA);	/* a later file could not be read (said) */
	mp_input_close(in);
	return rejected;
}

static void
write_report(const mp_report *r, const struct opts *o)
{
	if (o->format == 3) {
		char err[512];
		if (mp_report_write_xlsx(r, o->io.output, err, sizeof err) != 0)
			mp_die(MP_EXIT_DATA, "%s", err);
		return;
	}
	mp_writer *out = mp_writer_open(o->io.output, MP_CSV, 0);
	if (o->format == 0)
		mp_report_write_text(r, out);
	else if (o->format == 1)
		mp_report_write_markdown(r, out);
	else
		mp_report_write_html(r, out);
	mp_writer_close(out);
}

int
main(int argc, char **argv)
{
	struct opts o = { .kind = -1, .from_arg = "", .to_arg = "" };
	int opt;

	mp_start(argv);
	mp_io_defaults(&o.io);
	mp_report_config_init(&o.cfg);
	while ((opt = mp_getopt(argc, argv, MP_IO_SHORTOPTS, long_options)) != -1) {
		if (opt == MP_OPT_TSV_OUT)
			mp_usage_error("--tsv-out: mp-report writes a report, not a table (see --format)");
		if (opt == MP_OPT_EXCEL)
			mp_usage_error("--excel: mp-report writes a report, not CSV for Excel (see --format)");
		if (!mp_io_option(&o.io, opt, optarg, usage) && !period_option(&o, opt, optarg))
			report_option(&o, opt, optarg);
	}
	argc -= optind;
	argv += optind;
	mp_io_distinct(&o.io, NULL, o.validation, argc, argv);
	mp_io_ready(&o.io);
	if (o.format == 3 && (!o.io.output || strcmp(o.io.output, "-") == 0))
		mp_usage_error("--format xlsx writes a workbook: give -o FILE");
	resolve_period(&o);
	char err[512];
	if (o.validation && mp_report_quality_read(o.validation, &o.cfg.quality, err, sizeof err))
		mp_die(MP_EXIT_DATA, "--validation: %s", err);

	mp_report_data *d = mp_report_data_new(&o.cfg);
	long read, rejected = read_rows(d, argc, argv, &o.io, &read);
	if (mp_report_data_finish(d, err, sizeof err))
		mp_die(MP_EXIT_DATA, "%s", err);
	mp_report *r = mp_report_build(d);
	for (size_t i = 0; i < r->nnotes; i++)
		mp_warn("%s", r->notes[i]);
	write_report(r, &o);
	mp_report_free(r);
	mp_report_data_free(d);
	if (rejected)
		mp_closing("%ld row{s} read, %ld reported on, %ld rejected", read, read - rejected, rejected);
	return rejected ? MP_EXIT_DATA : MP_EXIT_OK;
}
