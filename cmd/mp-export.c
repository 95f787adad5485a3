/* mp-export: the episodes as the SSDA903 Missing table or the SSD table ssd_missing. */
#include "alert.h"
#include "cli.h"
#include "episode.h"
#include "err.h"
#include "export.h"
#include "input.h"
#include "writer.h"

#include <stdio.h>
#include <string.h>

enum {
	OPT_FORMAT = MP_OPT_CMD,
	OPT_YEAR,
	OPT_REJECTS,
};

static const struct option long_options[] = {
	MP_IO_LONGOPTS,
	MP_XLSX_LONGOPT,
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "year", required_argument, NULL, OPT_YEAR },
	{ "rejects", required_argument, NULL, OPT_REJECTS },
	{ "quiet", no_argument, NULL, 'q' },
	{ NULL, 0, NULL, 0 }
};

static void
usage(void)
{
	printf("Usage: mp-export --format ssda903|ssd [OPTION]... [FILE]...\n"
	       "Write the episodes as a return: the SSDA903 Missing table for one collection\n"
	       "year, or the standard safeguarding dataset's table ssd_missing.\n"
	       "\n"
	       "      --format FMT      ssda903: CHILD,DOB,MISSING,MIS_START,MIS_END, looked-after\n"
	       "                        children's episodes overlapping the year, by child then\n"
	       "                        start; ssd: ssd_missing, every episode, in input order\n"
	       "      --year YYYY       ssda903: the collection year ending 31 March YYYY\n"
	       "      --rejects FILE    write every rejected row, with its reason, to FILE as CSV\n"
	       "  -q, --quiet           no per-row messages on stderr (the count line stays)\n"
	       MP_XLSX_HELP
	       MP_IO_HELP
	       "\n"
	       "With no FILE, or when FILE is -, read standard input.\n"
	       "Exit status: 0 every row written or left out by the rules, 1 a row was\n"
	       "rejected or data could not be read or written, 2 usage error.\n");
}

struct rejects {
	mp_writer *w;		/* NULL: no --rejects */
	int quiet;
};

static void
on_reject(void *ctx, const char *file, long line, const char *field, const char *msg, const mp_record *rec)
{
	struct rejects *r = ctx;

	if (!r->quiet)
		mp_data_msg(file, line, field, "%s", msg);
	if (!r->w)
		return;
	mp_writer_str(r->w, file);
	mp_writer_long(r->w, line);
	mp_writer_str(r->w, field);
	mp_writer_str(r->w, msg);
	for (size_t i = 0; i < rec->n; i++)
		mp_writer_field(r->w, rec->f[i].s, rec->f[i].len);
	mp_writer_end(r->w);
}

static void
each_record(void *ctx, const char *file, const mp_record *rec)
{
	mp_export_row(ctx, file, rec);
}

/* What the options chose. */
struct settings {
	enum mp_export_format fmt;
	long year;		/* the collection year (ssda903) */
	const char *rejects_path;
};

/* The rejects file: where, why, then the input's own columns. */
static mp_writer *
open_rejects(const char *path, const mp_record *hdr, mp_io_opts *io)
{
	static const char *const cols[] = { "file", "line", "field", "message" };
	mp_writer *w = mp_writer_open(path, MP_CSV, io->excel);

	mp_io_sheet(io, w, "rejects");
	for (size_t i = 0; i < 4; i++)
		mp_writer_str(w, cols[i]);
	for (size_t i = 0; i < hdr->n; i++)
		mp_writer_field(w, hdr->f[i].s, hdr->f[i].len);
	mp_writer_end(w);
	return w;
}

/* The options, the outputs checked apart and the time zone set; returns the index of the first operand. */
static int
parse_options(int argc, char **argv, mp_io_opts *io, struct settings *st, struct rejects *rj)
{
	const char *format = NULL;
	int opt;

	while ((opt = mp_getopt(argc, argv, MP_IO_SHORTOPTS "q", long_options)) != -1) {
		if (mp_io_option(io, opt, optarg, usage))
			continue;
		switch (opt) {
		case OPT_FORMAT: format = optarg; break;
		case OPT_YEAR: st->year = mp_parse_long("--year", optarg, 1901, 2299); break;
		case OPT_REJECTS: st->rejects_path = optarg; break;
		case 'q': rj->quiet = 1; break;
		default:
			mp_usage_error("unknown option");
		}
	}
	if (!format)
		mp_usage_error("--format is required (ssda903 or ssd)");
	if (strcmp(format, "ssda903") == 0)
		st->fmt = MP_EXPORT_SSDA903;
	else if (strcmp(format, "ssd") == 0)
		st->fmt = MP_EXPORT_SSD;
	else
		mp_usage_error("--format: '%s' is not ssda903 or ssd", format);
	if (st->fmt == MP_EXPORT_SSDA903 && !st->year)
		mp_usage_error("--format ssda903 needs --year YYYY (the collection year ending 31 March YYYY)");
	if (st->fmt == MP_EXPORT_SSD && st->year)
		mp_usage_error("--year applies to --format ssda903 only");
	mp_io_distinct(io, st->rejects_path, NULL, argc - optind, argv + optind);
	mp_io_ready(io);
	return optind;
}

/*
 * Write the return (and the rejects) from every row of in.  Returns 0 and
 * the counts, or -1 when a later file could not be read (said): then
 * nothing is written.
 */
static int
export_rows(mp_input *in, const mp_colmap *cm, mp_io_opts *io, const struct settings *st, struct rejects *rj,
	    mp_export_counts *c)
{
	/* --xlsx: the return first, the rejects on a second sheet. */
	struct mp_xlsx_sheet *sheet = mp_io_new_sheet(io, st->fmt == MP_EXPORT_SSDA903 ? "ssda903" : "ssd_missing");
	if (st->rejects_path)
		rj->w = open_rejects(st->rejects_path, mp_input_header(in), io);
	mp_writer *out = mp_writer_open(io->output, io->out_fmt, io->excel);
	mp_writer_sheet(out, sheet);
	mp_export *x = mp_export_new(st->fmt, (int)st->year, cm, out, on_reject, rj);
	long bad = mp_alert_each(in, each_record, x);
	if (bad < 0) {	/* said: nothing is written */
		mp_writer_discard(out);
		mp_writer_discard(rj->w);
	} else {
		mp_export_finish(x);
		mp_writer_close(out);
		mp_writer_close(rj->w);
	}
	mp_export_counts_get(x, c);
	c->rejected += bad;
	mp_export_free(x);
	return bad < 0 ? -1 : 0;
}

int
main(int argc, char **argv)
{
	struct settings st = { MP_EXPORT_SSDA903, 0, NULL };
	struct rejects rj = { NULL, 0 };
	mp_export_counts c;
	mp_io_opts io;

	mp_start(argv);
	mp_io_defaults(&io);
	int first = parse_options(argc, argv, &io, &st, &rj);
	argc -= first;
	argv += first;

	mp_input *in = mp_input_open(argc, argv, io.in_fmt, io.enc);
	if (!in)
		return MP_EXIT_DATA;
	mp_colmap cm;
	mp_colmap_bind(&cm, mp_input_header(in));
	int failed = mp_colmap_require(&cm, mp_input_name(in), mp_export_required(st.fmt)) != 0 ||
		     export_rows(in, &cm, &io, &st, &rj, &c) != 0;
	if (!failed) {
		mp_io_finish(&io);
		if (c.rejected && st.fmt == MP_EXPORT_SSDA903)
			mp_closing("%ld row{s} read, %ld written, %ld not looked after, %ld outside the year, %ld rejected",
				mp_input_count(in), c.written, c.not_lac, c.outside, c.rejected);
		else if (c.rejected)
			mp_closing("%ld row{s} read, %ld written, %ld rejected", mp_input_count(in), c.written, c.rejected);
	}
	mp_input_close(in);
	return failed || c.rejected ? MP_EXIT_DATA : MP_EXIT_OK;
}
