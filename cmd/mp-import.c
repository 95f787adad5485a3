/* mp-import: read a council's export or police notifications through a source map into episodes. */
#include "cli.h"
#include "episode.h"
#include "err.h"
#include "feed.h"
#include "map.h"
#include "pair.h"
#include "reader.h"
#include "writer.h"
#include "xml903.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_MAP = MP_OPT_CMD,
	OPT_LIST_MAPS,
	OPT_CHECK,
	OPT_REJECTS,
	OPT_LENIENT,
	OPT_DROP_EXTRA,
};

static const struct option long_options[] = {
	MP_IO_LONGOPTS,
	{ "map", required_argument, NULL, OPT_MAP },
	{ "list-maps", no_argument, NULL, OPT_LIST_MAPS },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "rejects", required_argument, NULL, OPT_REJECTS },
	{ "lenient", no_argument, NULL, OPT_LENIENT },
	{ "drop-extra", no_argument, NULL, OPT_DROP_EXTRA },
	{ "quiet", no_argument, NULL, 'q' },
	{ NULL, 0, NULL, 0 }
};

static void
usage(void)
{
	printf("Usage: mp-import [OPTION]... [FILE]...\n"
	       "       mp-import --list-maps\n"
	       "       mp-import [--map NAME|FILE] --check [FILE]...\n"
	       "Read a council's export, police notifications or the SSDA903 return (CSV, TSV\n"
	       "or 903 XML) through a source map and write the canonical episode stream.\n"
	       "\n"
	       "      --map NAME|FILE   read through the shipped map NAME or the map in FILE\n"
	       "                        (default: recognise the source by its header)\n"
	       "      --list-maps       list the shipped maps and exit\n"
	       "      --check           report which source columns feed which canonical ones,\n"
	       "                        and which are left over; import nothing\n"
	       "      --rejects FILE    write every rejected row, with its reason, to FILE as CSV\n"
	       "      --lenient         import unreadable values as empty fields, with a warning\n"
	       "      --drop-extra      leave out the source columns the map does not use\n"
	       "  -q, --quiet           no per-row messages on stderr (the count line stays)\n"
	       MP_IO_HELP
	       "\n"
	       "With no FILE, or when FILE is -, read standard input.\n"
	       "Exit status: 0 every row imported, 1 a row was rejected or data could not be read,\n"
	       "2 usage error.\n");
}

struct run {
	mp_writer *out, *rejects;
	const mp_map *map;
	const char *file;
	const mp_record *rec;	/* the row being read */
	int quiet, drop_extra, row_rejected;
	long read, imported, paired, rejected, warnings, blank;
	const int *idkeys;
	size_t nidkeys;
	int fast;		/* plain CSV out: rows built here, written in one piece */
	uint32_t plain;		/* of the row being written: columns that need no quoting */
	char *rb;
	size_t rlen, rcap;
};

/* Does s hold a comma, quote, CR or LF?  Eight bytes at a time. */
static inline int
csv_special(const char *s, size_t len)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t w, x = 0;
		memcpy(&w, s + i, 8);
		static const uint64_t cs[4] = { 0x2c2c2c2c2c2c2c2cULL, 0x2222222222222222ULL,
						 0x0a0a0a0a0a0a0a0aULL, 0x0d0d0d0d0d0d0d0dULL };
		for (int k = 0; k < 4; k++) {
			uint64_t v = w ^ cs[k];
			x |= (v - ones) & ~v & highs;
		}
		if (x)
			return 1;
	}
	for (; i < len; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			return 1;
	return 0;
}

/* Append one CSV field to the row being built (minimal quoting, as mp_writer does). */
static void
rfield(struct run *run, const char *s, size_t len)
{
	if (run->rlen + 2 * len + 4 > run->rcap) {
		run->rcap = 2 * (run->rlen + 2 * len + 4);
		run->rb = mp_xrealloc(run->rb, run->rcap);
	}
	char *o = run->rb + run->rlen;
	if (run->rlen)
		*o++ = ',';
	if (!csv_special(s, len)) {
		memcpy(o, s, len);
		o += len;
	} else {
		*o++ = '"';
		for (size_t i = 0; i < len; i++) {
			if (s[i] == '"')
				*o++ = '"';
			*o++ = s[i];
		}
		*o++ = '"';
	}
	run->rlen = (size_t)(o - run->rb);
}

/* A field known to need no quoting. */
static inline void
rplain(struct run *run, const char *s, size_t len)
{
	if (run->rlen + len + 2 > run->rcap) {
		run->rcap = 2 * (run->rlen + len + 2);
		run->rb = mp_xrealloc(run->rb, run->rcap);
	}
	char *o = run->rb + run->rlen;
	if (run->rlen)
		*o++ = ',';
	memcpy(o, s, len);
	run->rlen = (size_t)(o + len - run->rb);
}

/* One output field, through the row buffer or the writer. */
static inline void
out_field(struct run *run, const char *s, size_t len)
{
	if (run->fast)
		rfield(run, s, len);
	else
		mp_writer_field(run->out, s, len);
}

static void
reject_line(struct run *run, const char *file, long line, const char *field, const char *msg, const mp_field *raw,
	    size_t nraw)
{
	if (!run->quiet)
		mp_data_msg(file, line, field, "%s", msg);
	if (run->rejects) {
		mp_writer_str(run->rejects, file);
		mp_writer_long(run->rejects, line);
		mp_writer_str(run->rejects, field);
		mp_writer_str(run->rejects, msg);
		for (size_t i = 0; i < nraw; i++)
			mp_writer_field(run->rejects, raw[i].s, raw[i].len);
		mp_writer_end(run->rejects);
	}
}

/* A problem with one value of the current row. */
static void
on_problem(void *ctx, long line, const char *field, int warning, const char *msg)
{
	struct run *run = ctx;

	if (warning) {
		run->warnings++;
		if (!run->quiet)
			mp_data_msg(run->file, line, field, "warning: %s", msg);
		return;
	}
	reject_line(run, run->file, line, field, msg, run->rec->f, run->rec->n);
}

/* Pairing could not use a notification. */
static void
on_reject(void *ctx, const char *file, long line, const char *field, const char *msg, const mp_field *raw, size_t nraw)
{
	struct run *run = ctx;

	run->rejected++;
	reject_line(run, file, line, field, msg, raw, nraw);
}

/* Write one episode: canonical columns (deriving the id if needed), then extras. */
static void
on_episode(void *ctx, const mp_field *v, const mp_field *extras, size_t nextras, long nrows)
{
	struct run *run = ctx;
	char id[128];

	run->imported++;
	run->paired += nrows - 1;
	for (int c = 0; c < MP_NCOLS; c++) {
		if (c == MP_COL_EPISODE_ID && v[c].len == 0) {
			mp_field keys[MP_NCOLS];
			for (size_t k = 0; k < run->nidkeys; k++)
				keys[k] = v[run->idkeys[k]];
			size_t n = mp_episode_id_derive(id, &v[MP_COL_SOURCE], keys, run->nidkeys);
			out_field(run, id, n);
			continue;
		}
		if (run->fast && (run->plain >> c & 1))
			rplain(run, v[c].s, v[c].len);
		else
			out_field(run, v[c].s, v[c].len);
	}
	if (!run->drop_extra)
		for (size_t i = 0; i < nextras; i++)
			out_field(run, extras[i].s, extras[i].len);
	if (run->fast) {
		mp_writer_raw(run->out, run->rb, run->rlen);
		run->rlen = 0;
	}
	mp_writer_end(run->out);
}

static void
list_maps(void)
{
	size_t n;
	char **names = mp_map_names(&n);

	for (size_t i = 0; i < n; i++) {
		mp_map *m = mp_map_open(names[i]);
		if (!m)
			exit(MP_EXIT_DATA);
		printf("%s\t%s\n", names[i], mp_map_desc(m));
		mp_map_free(m);
	}
	mp_map_names_free(names, n);
	if (fflush(stdout) != 0)
		mp_die(MP_EXIT_DATA, "write error:");
}

/* The shipped map whose detect lines the header satisfies best; NULL if none. */
static mp_map *
detect(const mp_record *header, const char *file)
{
	size_t n;
	char **names = mp_map_names(&n);
	mp_map *best = NULL;
	int best_score = -1;

	for (size_t i = 0; i < n; i++) {
		mp_map *m = mp_map_open(names[i]);
		if (!m)
			exit(MP_EXIT_DATA);
		int s = mp_map_detect(m, header);
		if (s > best_score) {
			mp_map_free(best);
			best = m;
			best_score = s;
		} else {
			mp_map_free(m);
		}
	}
	mp_map_names_free(names, n);
	if (best_score < 0) {
		mp_map_free(best);
		return NULL;
	}
	mp_warn("%s: using map %s (recognised by its header)", file, mp_map_name(best));
	return best;
}

static void
check_line(void *ctx, const char *s)
{
	(void)ctx;
	printf("%s\n", s);
}

/* One input: CSV/TSV through mp_reader, or 903 XML. */
typedef struct source {
	mp_reader *r;
	mp_xml903 *x;
	const char *name;
} source;

static int
source_open(source *s, const char *path, const mp_io_opts *io)
{
	memset(s, 0, sizeof *s);
	if (mp_looks_xml(path)) {
		if (!(s->x = mp_xml903_open(path)))
			return -1;
		s->name = path;
		return 0;
	}
	if (!(s->r = mp_reader_open(path, io->in_fmt, io->enc)))
		return -1;
	s->name = mp_reader_name(s->r);
	return 0;
}

int
main(int argc, char **argv)
{
	mp_io_opts io;
	const char *map_arg = NULL, *rejects_path = NULL;
	int check = 0, lenient = 0, opt;
	struct run run = { 0 };

	mp_start(argv);
	mp_io_defaults(&io);
	while ((opt = mp_getopt(argc, argv, MP_IO_SHORTOPTS "q", long_options)) != -1) {
		if (mp_io_option(&io, opt, optarg, usage))
			continue;
		switch (opt) {
		case OPT_MAP: map_arg = optarg; break;
		case OPT_LIST_MAPS:
			list_maps();
			return MP_EXIT_OK;
		case OPT_CHECK: check = 1; break;
		case OPT_REJECTS: rejects_path = optarg; break;
		case OPT_LENIENT: lenient = 1; break;
		case OPT_DROP_EXTRA: run.drop_extra = 1; break;
		case 'q': run.quiet = 1; break;
		default:
			mp_usage_error("unknown option");
		}
	}
	argc -= optind;
	argv += optind;
	mp_io_distinct(&io, rejects_path, NULL, argc, argv);
	mp_io_ready(&io);

	mp_map *map = NULL;
	if (map_arg && !(map = mp_map_open(map_arg))) {
		if (strchr(map_arg, '/') || strstr(map_arg, ".map"))
			return MP_EXIT_DATA;	/* mp_map_load said why */
		mp_usage_error("--map: unknown map '%s' (see --list-maps)", map_arg);
	}

	char *stdin_only[] = { "-" };
	if (argc == 0) {
		argc = 1;
		argv = stdin_only;
	}

	mp_pairer *pairer = NULL;
	int status = MP_EXIT_OK;

	/* First every header: the map, each file's binding, and the extra columns of all files. */
	source *srcs = mp_xcalloc((size_t)argc, sizeof *srcs);
	mp_binding **binds = mp_xcalloc((size_t)argc, sizeof *binds);
	char **extra_names = NULL;
	size_t nextra_out = 0;
	for (int fi = 0; fi < argc; fi++) {
		source *src = &srcs[fi];
		if (source_open(src, argv[fi], &io) != 0)
			mp_die(MP_EXIT_DATA, "%s:", argv[fi]);
		const mp_record *hdr = src->x ? mp_xml903_header(src->x) : mp_reader_header(src->r);
		if (!hdr) {
			if (src->r && mp_reader_bad_msg(src->r)[0])
				mp_data_msg(src->name, mp_reader_bad_line(src->r), NULL, "header: %s", mp_reader_bad_msg(src->r));
			else
				mp_data_msg(src->name, 0, NULL, "no header: the input is empty");
			exit(MP_EXIT_DATA);
		}
		if (!map && !(map = detect(hdr, src->name))) {
			mp_data_msg(src->name, 1, NULL,
				    "no shipped map recognises this header; name one with --map (see --list-maps)");
			exit(MP_EXIT_DATA);
		}
		if (!(binds[fi] = mp_map_bind(map, hdr, src->name)))
			exit(MP_EXIT_DATA);
		if (check) {
			printf("%s: map %s (%s)\n", src->name, mp_map_name(map), mp_map_path(map));
			mp_binding_report(binds[fi], check_line, NULL);
			continue;
		}
		if (fi == 0 && rejects_path) {
			run.rejects = mp_writer_open(rejects_path, MP_CSV, io.excel);
			mp_writer_str(run.rejects, "file");
			mp_writer_str(run.rejects, "line");
			mp_writer_str(run.rejects, "field");
			mp_writer_str(run.rejects, "message");
			for (size_t i = 0; i < hdr->n; i++)
				mp_writer_field(run.rejects, hdr->f[i].s, hdr->f[i].len);
			mp_writer_end(run.rejects);
		}
		const size_t *ex;
		size_t nex = mp_binding_extras(binds[fi], &ex);
		for (size_t k = 0; k < nex && !run.drop_extra; k++) {
			size_t i;
			for (i = 0; i < nextra_out; i++)
				if (strcmp(extra_names[i], hdr->f[ex[k]].s) == 0)
					break;
			if (i == nextra_out) {
				extra_names = mp_xrealloc(extra_names, (nextra_out + 1) * sizeof *extra_names);
				extra_names[nextra_out++] = mp_xstrndup(hdr->f[ex[k]].s, hdr->f[ex[k]].len);
			}
		}
	}

	if (!check) {
		run.map = map;
		run.nidkeys = mp_map_idkeys(map, &run.idkeys);
		run.out = mp_writer_open(io.output, io.out_fmt, io.excel);
		run.fast = io.out_fmt == MP_CSV && !io.excel;
		for (int c = 0; c < MP_NCOLS; c++)
			mp_writer_str(run.out, mp_col_names[c]);
		for (size_t i = 0; i < nextra_out; i++) {
			/* A left-over column named like a canonical one must not be taken for it. */
			int clash = 0;
			for (int c = 0; c < MP_NCOLS; c++)
				clash |= strcmp(extra_names[i], mp_col_names[c]) == 0;
			if (clash)
				mp_writer_printf(run.out, "orig_%s", extra_names[i]);
			else
				mp_writer_str(run.out, extra_names[i]);
		}
		mp_writer_end(run.out);
		if (mp_map_pairs(map) >= 0)
			pairer = mp_pair_new(mp_map_pairs(map), on_episode, on_reject, &run);
	}

	/* Then the rows, file by file. */
	for (int fi = 0; fi < argc && !check; fi++) {
		source *src = &srcs[fi];
		mp_binding *b = binds[fi];
		run.file = src->name;
		/* This file's position of each output extra column (SIZE_MAX: not in this file). */
		size_t *xidx = mp_xcalloc(nextra_out + 1, sizeof *xidx);
		const size_t *ex;
		size_t nex = mp_binding_extras(b, &ex);
		for (size_t i = 0; i < nextra_out; i++) {
			xidx[i] = SIZE_MAX;
			for (size_t k = 0; k < nex; k++)
				if (strcmp(extra_names[i], mp_binding_column(b, ex[k])) == 0)
					xidx[i] = ex[k];
		}

		mp_row row;
		mp_record *rec;
		int st;
		mp_field *xf = mp_xcalloc(nextra_out + 1, sizeof *xf);
		/* CSV and TSV are parsed on a second thread while this one maps and writes. */
		mp_feed *feed = src->r ? mp_feed_open_reader(src->r, 1) : NULL;
		for (;;) {
			mp_feed_row *fr = NULL;
			if (feed)
				st = mp_feed_next(feed, &fr) ? fr->st : MP_READ_EOF;
			else
				st = mp_xml903_next(src->x, &rec);
			if (st == MP_READ_EOF)
				break;
			if (fr)
				rec = &fr->rec;
			run.rec = rec;
			if (st == MP_READ_BAD) {
				run.rejected++;
				if (src->x)
					reject_line(&run, src->name, rec->line, NULL, mp_xml903_bad_msg(src->x), rec->f, rec->n);
				else
					reject_line(&run, src->name, fr->bad_line, fr->bad_field, fr->bad_msg, rec->f, rec->n);
				continue;
			}
			if (mp_record_blank(rec)) {
				run.blank++;
				continue;
			}
			if (mp_map_row(b, rec, &row, lenient, on_problem, &run) > 0) {
				run.rejected++;
				continue;
			}
			if (pairer) {
				mp_pair_feed(pairer, &row, src->name, rec, xidx, nextra_out);
				continue;
			}
			for (size_t i = 0; i < nextra_out; i++) {
				if (xidx[i] < rec->n)
					xf[i] = rec->f[xidx[i]];
				else
					xf[i].s = "", xf[i].len = 0;
			}
			run.plain = row.plain;
			on_episode(&run, row.v, xf, nextra_out, 1);
			run.plain = 0;
		}
		mp_feed_close(feed);
		run.read += src->x ? mp_xml903_count(src->x) : mp_reader_count(src->r);
		free(xf);
		free(xidx);
	}
	for (int fi = 0; fi < argc; fi++) {
		mp_binding_free(binds[fi]);
		if (srcs[fi].x)
			mp_xml903_close(srcs[fi].x);
		else
			mp_reader_close(srcs[fi].r);
	}
	free(binds);
	free(srcs);
	if (check) {
		mp_map_free(map);
		if (fflush(stdout) != 0)
			mp_die(MP_EXIT_DATA, "write error:");
		return MP_EXIT_OK;
	}
	if (pairer) {
		mp_pair_finish(pairer);
		mp_pair_free(pairer);
	}
	mp_writer_close(run.out);
	mp_writer_close(run.rejects);
	long read = run.read - run.blank;
	char tail[160] = "";
	size_t o = 0;
	if (run.warnings)
		o += (size_t)snprintf(tail + o, sizeof tail - o, ", %ld warning{s}", run.warnings);
	if (run.blank)
		snprintf(tail + o, sizeof tail - o, "; %ld blank row{s} skipped", run.blank);
	mp_closing("%ld row{s} read, %ld imported, %ld paired, %ld rejected%s", read, run.imported, run.paired,
		run.rejected, tail);
	if (run.rejected)
		status = MP_EXIT_DATA;
	for (size_t i = 0; i < nextra_out; i++)
		free(extra_names[i]);
	free(extra_names);
	mp_map_free(map);
	free(run.rb);
	return status;
}
