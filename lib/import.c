/* import.c: mp-import's run: sources sniffed and bound to a map, rows read, episodes written. */
#include "import.h"
#include "datefmt.h"
#include "episode.h"
#include "err.h"
#include "map.h"
#include "pair.h"
#include "pivot.h"
#include "sniff.h"
#include "writer.h"
#include "xml903.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One input: CSV/TSV through mp_reader, 903 XML, or a long export pivoted. */
typedef struct source {
	mp_reader *r;
	mp_xml903 *x;
	mp_pivot *pv;
	const char *name;
	enum mp_encoding enc;
	mp_binding *b;
	size_t *xidx;		/* per output extra column: its position here (SIZE_MAX: absent) */
	long lines, line_rejects;	/* long layout: rows read, and rows no record could use */
} source;

struct mp_import {
	mp_import_opts o;
	mp_io_opts io;
	mp_map *map;
	source *src;
	int nsrc;
	char **extra_names;
	size_t nextra, cextra;
	mp_writer *out, *rejects;
	mp_pairer *pairer;
	const char *file;	/* of the row being read */
	const mp_record *rec;
	long read, imported, paired, rejected, warnings, blanked, blank;
	const int *idkeys;
	size_t nidkeys;
	uint64_t plain;		/* of the row being written: columns that need no quoting */
};

static void
reject_line(mp_import *im, const char *file, long line, const char *field, const char *msg, const mp_field *raw,
	    size_t nraw)
{
	if (!im->o.quiet)
		mp_data_msg(file, line, field, "%s", msg);
	if (im->rejects) {
		mp_writer_str(im->rejects, file);
		mp_writer_long(im->rejects, line);
		mp_writer_str(im->rejects, field);
		mp_writer_str(im->rejects, msg);
		for (size_t i = 0; i < nraw; i++)
			mp_writer_field(im->rejects, raw[i].s, raw[i].len);
		mp_writer_end(im->rejects);
	}
}

/* A problem with one value of the current row (mp_map_problem). */
static void
on_problem(void *ctx, long line, const char *field, int level, const char *msg)
{
	mp_import *im = ctx;
	char buf[1200];

	switch (level) {
	case MP_PROBLEM_WARNING:
		im->warnings++;
		if (!im->o.quiet)
			mp_data_msg(im->file, line, field, "warning: %s", msg);
		break;
	case MP_PROBLEM_BLANKED:
		/* Kept, with the value left empty: the rejects file keeps the row as it was. */
		im->blanked++;
		snprintf(buf, sizeof buf, "left empty (--lenient): %s", msg);
		reject_line(im, im->file, line, field, buf, im->rec->f, im->rec->n);
		break;
	case MP_PROBLEM_REFUSE:
		mp_data_msg(im->file, line, field, "%s; the file is refused: its dates look month-first (US order), "
			    "so none is read day-first: if they are month-first, import it with --dates mdy", msg);
		break;
	default:
		reject_line(im, im->file, line, field, msg, im->rec->f, im->rec->n);
	}
}

/* Pairing could not use a notification. */
static void
on_reject(void *ctx, const char *file, long line, const char *field, const char *msg, const mp_field *raw, size_t nraw)
{
	mp_import *im = ctx;

	im->rejected++;
	reject_line(im, file, line, field, msg, raw, nraw);
}

/* Write one episode: canonical columns (deriving the id if needed), then extras. */
static void
on_episode(void *ctx, const mp_field *v, const mp_field *extras, size_t nextras, long nrows)
{
	mp_import *im = ctx;
	char id[128];

	im->imported++;
	im->paired += nrows - 1;
	for (int c = 0; c < MP_NCOLS; c++) {
		if (c == MP_COL_EPISODE_ID && v[c].len == 0) {
			mp_field keys[MP_NCOLS];
			for (size_t k = 0; k < im->nidkeys; k++)
				keys[k] = v[im->idkeys[k]];
			mp_writer_plain(im->out, id, mp_episode_id_derive(id, &v[MP_COL_SOURCE], keys, im->nidkeys));
		} else if ((im->plain >> c & 1) || v[c].len == 0)
			mp_writer_plain(im->out, v[c].s, v[c].len);
		else
			mp_writer_field(im->out, v[c].s, v[c].len);
	}
	if (!im->o.drop_extra)
		for (size_t i = 0; i < nextras; i++)
			mp_writer_field(im->out, extras[i].s, extras[i].len);
	mp_writer_end(im->out);
}

/* The shipped map whose detect lines the header satisfies best; NULL if none. */
static mp_map *
detect_map(const mp_record *header, const char *file)
{
	size_t n;
	char **names = mp_map_names(&n);
	mp_map *best = NULL;
	int best_score = -1;

	for (size_t i = 0; i < n; i++) {
		mp_map *m = mp_map_open(names[i]);
		int s = m ? mp_map_detect(m, header) : -1;
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

/* The one message for a file that is not UTF-8. */
static void
not_utf8_msg(const char *file, long line, int byte)
{
	if (byte >= 0)
		mp_data_msg(file, line, NULL, "not UTF-8 (byte 0x%02X): this looks like Windows-1252, as Excel saves CSV: "
			    "use --encoding cp1252 (or --detect)", (unsigned)byte);
	else
		mp_data_msg(file, line, NULL, "not UTF-8: this looks like Windows-1252, as Excel saves CSV: "
			    "use --encoding cp1252 (or --detect)");
}

static void
tsv_msg(const char *file)
{
	mp_data_msg(file, 1, NULL, "this looks tab-separated (the header line has tabs, not commas): "
		    "use --tsv-in (or --detect)");
}

/* Open a CSV or TSV input, sniffing its first bytes (all of them with --detect) where it can be read twice. */
static int
open_table(mp_import *im, source *s, const char *path)
{
	enum mp_format fmt = im->io.in_fmt;
	int stdin_ = strcmp(path, "-") == 0, fd = stdin_ ? (im->o.detect ? mp_spool(0) : 0) : open(path, O_RDONLY);
	mp_sniff sn;

	s->enc = im->io.enc;
	if (fd < 0) {
		mp_warn("%s:", stdin_ ? "stdin" : path);
		return -1;
	}
	if ((!stdin_ || im->o.detect) && mp_sniff_fd(fd, im->o.detect ? 0 : 65536, &sn) == 0) {
		const char *name = stdin_ ? "stdin" : path;
		if (sn.tsv && fmt == MP_CSV && !im->o.detect) {
			tsv_msg(name);
			close(fd);
			return -1;
		}
		if (sn.mixed && s->enc == MP_UTF8) {
			mp_data_msg(name, sn.line, NULL, "not UTF-8 (byte 0x%02X), though earlier lines are: the file mixes "
				    "encodings, so neither reads it whole; correct it at the source", (unsigned)sn.byte);
			close(fd);
			return -1;
		}
		if (sn.not_utf8 && s->enc == MP_UTF8 && !im->o.detect) {
			not_utf8_msg(name, sn.line, sn.byte);
			close(fd);
			return -1;
		}
		if (sn.tsv && fmt == MP_CSV)
			fmt = MP_TSV, mp_warn("%s: read as tab-separated (--detect)", name);
		if (sn.not_utf8 && s->enc == MP_UTF8)
			s->enc = MP_CP1252, mp_warn("%s: read as Windows-1252 (--detect)", name);
	}
	if (!(s->r = mp_reader_open_fd(fd, stdin_ ? "stdin" : path, fmt, s->enc))) {
		mp_warn("%s:", path);
		return -1;
	}
	s->name = mp_reader_name(s->r);
	return 0;
}

/* The header of a CSV/TSV source, or NULL after the one message that says why. */
static const mp_record *
table_header(mp_import *im, source *s)
{
	const mp_record *hdr = mp_reader_header(s->r);

	if (!hdr) {
		const char *bad = mp_reader_bad_msg(s->r);
		if (bad[0] && s->enc == MP_UTF8 && strstr(bad, "UTF-8"))
			not_utf8_msg(s->name, mp_reader_bad_line(s->r), -1);
		else if (bad[0])
			mp_data_msg(s->name, mp_reader_bad_line(s->r), NULL, "header: %s", bad);
		else
			mp_data_msg(s->name, 0, NULL, "no header: the input is empty");
		return NULL;
	}
	if (im->io.in_fmt == MP_CSV && mp_sniff_header_tsv(hdr)) {
		tsv_msg(s->name);
		return NULL;
	}
	return hdr;
}

/* A long export: every row read now and pivoted to one record per record id. */
static const mp_record *
pivot(mp_import *im, source *s, const mp_record *hdr)
{
	int idx[3];
	mp_record *rec;
	char msg[600];
	int st;

	if (mp_map_long_columns(im->map, hdr, s->name, idx) != 0)
		return NULL;
	s->pv = mp_pivot_new(hdr, idx);
	while ((st = mp_reader_next(s->r, &rec)) != MP_READ_EOF) {
		s->lines++;
		im->file = s->name;
		im->rec = rec;
		if (st == MP_READ_BAD) {
			if (s->enc == MP_UTF8 && mp_sniff_record_not_utf8(rec)) {
				not_utf8_msg(s->name, rec->line, -1);
				return NULL;
			}
			s->line_rejects++;
			reject_line(im, s->name, mp_reader_bad_line(s->r), mp_reader_bad_field(s->r), mp_reader_bad_msg(s->r),
				    rec->f, rec->n);
		} else if (!mp_record_blank(rec) && (st = mp_pivot_add(s->pv, rec, msg, sizeof msg)) != 0) {
			s->line_rejects += st < 0;	/* a bad record is counted when its turn comes */
			reject_line(im, s->name, rec->line, NULL, msg, rec->f, rec->n);
		}
	}
	return mp_pivot_header(s->pv);
}

/* Open one input and read its header: the map (when none yet) and the binding. */
static int
source_open(mp_import *im, source *s, const char *path)
{
	const mp_record *hdr;

	if (mp_looks_xml(path)) {
		if (!(s->x = mp_xml903_open(path))) {
			mp_warn("%s:", path);
			return -1;
		}
		s->name = path;
		hdr = mp_xml903_header(s->x);
	} else if (open_table(im, s, path) != 0 || !(hdr = table_header(im, s))) {
		return -1;
	}
	if (!hdr) {
		mp_data_msg(s->name, 0, NULL, "no header: the input is empty");
		return -1;
	}
	if (!im->map && !(im->map = detect_map(hdr, s->name))) {
		mp_data_msg(s->name, 1, NULL, "no shipped map recognises this header; name one with --map (see --list-maps)");
		return -1;
	}
	if (im->o.dates >= 0)
		mp_map_set_dates(im->map, im->o.dates);
	if (im->o.rejects && !im->o.check && !im->rejects) {
		im->rejects = mp_writer_open(im->o.rejects, MP_CSV, im->io.excel);
		mp_writer_str(im->rejects, "file");
		mp_writer_str(im->rejects, "line");
		mp_writer_str(im->rejects, "field");
		mp_writer_str(im->rejects, "message");
		for (size_t i = 0; i < hdr->n; i++)
			mp_writer_field(im->rejects, hdr->f[i].s, hdr->f[i].len);
		mp_writer_end(im->rejects);
	}
	if (s->r && mp_map_is_long(im->map) && !(hdr = pivot(im, s, hdr)))
		return -1;
	return (s->b = mp_map_bind(im->map, hdr, s->name)) ? 0 : -1;
}

/* Add a source's extra columns to the output's (the union over all files, first-seen order). */
static void
add_extras(mp_import *im, const mp_binding *b)
{
	const size_t *ex;
	size_t nex = mp_binding_extras(b, &ex);

	for (size_t k = 0; k < nex && !im->o.drop_extra; k++) {
		const char *name = mp_binding_column(b, ex[k]);
		size_t i;
		for (i = 0; i < im->nextra; i++)
			if (strcmp(im->extra_names[i], name) == 0)
				break;
		if (i == im->nextra) {
			im->extra_names = mp_xgrow(im->extra_names, &im->cextra, im->nextra + 1, sizeof *im->extra_names);
			im->extra_names[im->nextra++] = mp_xstrdup(name);
		}
	}
}

/* This source's position of each output extra column (SIZE_MAX: not in this file). */
static void
extra_positions(mp_import *im, source *s)
{
	const size_t *ex;
	size_t nex = mp_binding_extras(s->b, &ex);

	s->xidx = mp_xcalloc(im->nextra + 1, sizeof *s->xidx);
	for (size_t i = 0; i < im->nextra; i++) {
		s->xidx[i] = SIZE_MAX;
		for (size_t k = 0; k < nex; k++)
			if (strcmp(im->extra_names[i], mp_binding_column(s->b, ex[k])) == 0)
				s->xidx[i] = ex[k];
	}
}

/* An unmatched-column line; ctx: the file's name when there are several. */
static void
warn_line(void *ctx, const char *s)
{
	if (ctx)
		mp_warn("%s: %s", (const char *)ctx, s);
	else
		mp_warn("%s", s);
}

mp_import *
mp_import_open(const mp_import_opts *o, const mp_io_opts *io, char **files, int nfiles)
{
	mp_import *im = mp_xcalloc(1, sizeof *im);

	im->o = *o;
	im->io = *io;
	im->nsrc = nfiles;
	im->src = mp_xcalloc((size_t)nfiles + 1, sizeof *im->src);
	if (o->map && !(im->map = mp_map_open(o->map)))
		goto fail;	/* mp_map_load said why */
	for (int i = 0; i < nfiles; i++) {
		if (source_open(im, &im->src[i], files[i]) != 0)
			goto fail;
		if (!o->quiet && !o->check)
			mp_binding_unmatched(im->src[i].b, warn_line, nfiles > 1 ? (void *)im->src[i].name : NULL);
		add_extras(im, im->src[i].b);
	}
	for (int i = 0; i < nfiles; i++)
		extra_positions(im, &im->src[i]);
	im->nidkeys = mp_map_idkeys(im->map, &im->idkeys);
	return im;
fail:
	mp_import_abandon(im);	/* a --rejects file opened for an earlier source is not replaced */
	return NULL;
}

static void
check_line(void *ctx, const char *s)
{
	(void)ctx;
	printf("%s\n", s);
}

int
mp_import_check(mp_import *im)
{
	for (int i = 0; i < im->nsrc; i++) {
		source *s = &im->src[i];
		printf("%s: map %s (%s)\n", s->name, mp_map_name(im->map), mp_map_path(im->map));
		if (s->pv)
			printf("long layout: %ld rows pivoted into %zu records\n", s->lines, mp_pivot_count(s->pv));
		mp_binding_report(s->b, check_line, NULL);
	}
	if (fflush(stdout) != 0) {
		mp_warn("write error:");
		return -1;
	}
	return 0;
}

/* The output's header: canonical columns, then the extras. */
static void
write_header(mp_import *im)
{
	im->out = mp_writer_open(im->io.output, im->io.out_fmt, im->io.excel);
	for (int c = 0; c < MP_NCOLS; c++)
		mp_writer_str(im->out, mp_col_names[c]);
	for (size_t i = 0; i < im->nextra; i++) {
		/* A left-over column named like a canonical one must not be taken for it. */
		int clash = 0;
		for (int c = 0; c < MP_NCOLS; c++)
			clash |= strcmp(im->extra_names[i], mp_col_names[c]) == 0;
		if (clash)
			mp_writer_printf(im->out, "orig_%s", im->extra_names[i]);
		else
			mp_writer_str(im->out, im->extra_names[i]);
	}
	mp_writer_end(im->out);
	if (mp_map_pairs(im->map) >= 0)
		im->pairer = mp_pair_new(mp_map_pairs(im->map), on_episode, on_reject, im);
}

/* One good record through the map: paired, or written.  -1: the file is refused. */
static int
one_row(mp_import *im, source *s, const mp_record *rec, mp_row *row, mp_field *xf)
{
	int errors = mp_map_row(s->b, rec, row, im->o.lenient, on_problem, im);

	if (errors < 0)
		return -1;
	if (errors > 0) {
		im->rejected++;
		return 0;
	}
	if (im->pairer) {
		mp_pair_feed(im->pairer, row, s->name, rec, s->xidx, im->nextra);
		return 0;
	}
	for (size_t i = 0; i < im->nextra; i++) {
		if (s->xidx[i] < rec->n)
			xf[i] = rec->f[s->xidx[i]];
		else
			xf[i].s = "", xf[i].len = 0;
	}
	im->plain = row->plain;
	on_episode(im, row->v, xf, im->nextra, 1);
	im->plain = 0;
	return 0;
}

/* A record the reader could not use: rejected, or (not UTF-8) the file refused. */
static int
bad_row(mp_import *im, source *s, const mp_record *rec)
{
	if (s->x) {
		reject_line(im, s->name, rec->line, NULL, mp_xml903_bad_msg(s->x), rec->f, rec->n);
	} else if (s->enc == MP_UTF8 && mp_sniff_record_not_utf8(rec)) {
		not_utf8_msg(s->name, mp_reader_bad_line(s->r), -1);
		return -1;
	} else {
		reject_line(im, s->name, mp_reader_bad_line(s->r), mp_reader_bad_field(s->r), mp_reader_bad_msg(s->r),
			    rec->f, rec->n);
	}
	im->rejected++;
	return 0;
}

/* Every row of one source. */
static int
source_rows(mp_import *im, source *s)
{
	mp_row row;
	mp_record *rec;
	int st, rc = 0;
	mp_field *xf = mp_xcalloc(im->nextra + 1, sizeof *xf);
	size_t pi = 0;

	/* CSV and TSV are parsed on a second thread while this one maps and writes. */
	if (s->r && !s->pv)
		mp_reader_set_ahead(s->r, 1);
	im->file = s->name;
	for (;;) {
		if (s->pv && pi < mp_pivot_count(s->pv) && mp_pivot_bad(s->pv, pi)) {
			pi++;
			im->rejected++;	/* said when it was pivoted */
			continue;
		}
		if (s->pv)
			st = pi < mp_pivot_count(s->pv) ? (rec = (mp_record *)mp_pivot_record(s->pv, pi++), MP_READ_OK)
							 : MP_READ_EOF;
		else if (s->r)
			st = mp_reader_next(s->r, &rec);
		else
			st = mp_xml903_next(s->x, &rec);
		if (st == MP_READ_EOF)
			break;
		im->rec = rec;
		if (st == MP_READ_BAD)
			rc = bad_row(im, s, rec);
		else if (mp_record_blank(rec))
			im->blank++;
		else
			rc = one_row(im, s, rec, &row, xf);
		if (rc < 0)
			break;
	}
	free(xf);
	if (s->pv)
		im->read += (long)mp_pivot_count(s->pv) + s->line_rejects;
	else
		im->read += s->x ? mp_xml903_count(s->x) : mp_reader_count(s->r);
	im->rejected += s->line_rejects;
	return rc;
}

int
mp_import_rows(mp_import *im)
{
	write_header(im);
	for (int i = 0; i < im->nsrc; i++) {
		source *s = &im->src[i];
		if (s->pv && !im->o.quiet)
			mp_warn("%s: %ld rows of a long export pivoted into %zu records", s->name, s->lines,
				mp_pivot_count(s->pv));
		if (source_rows(im, s) != 0)
			return -1;
	}
	if (im->pairer)
		mp_pair_finish(im->pairer);
	return 0;
}

/* "N rows read, ..." (mp_closing gets each plural right) */
static void
count_line(const mp_import *im)
{
	char tail[200] = "";
	size_t o = 0;

	if (im->warnings)
		o += (size_t)snprintf(tail + o, sizeof tail - o, ", %ld warning{s}", im->warnings);
	if (im->blanked)
		o += (size_t)snprintf(tail + o, sizeof tail - o, ", %ld value{s} left empty (--lenient)", im->blanked);
	if (im->blank)
		snprintf(tail + o, sizeof tail - o, "; %ld blank row{s} skipped", im->blank);
	mp_closing("%ld row{s} read, %ld imported, %ld paired, %ld rejected%s", im->read - im->blank, im->imported,
		   im->paired, im->rejected, tail);
}

static void
free_import(mp_import *im);

int
mp_import_close(mp_import *im)
{
	int status = MP_EXIT_OK;

	if (im->out) {
		mp_pair_free(im->pairer);
		mp_writer_close(im->out);
		mp_writer_close(im->rejects);
		count_line(im);
		if (im->rejected)
			status = MP_EXIT_DATA;
	}
	free_import(im);
	return status;
}

void
mp_import_abandon(mp_import *im)
{
	mp_pair_free(im->pairer);
	mp_writer_discard(im->out);
	mp_writer_discard(im->rejects);
	free_import(im);
}

static void
free_import(mp_import *im)
{
	for (int i = 0; i < im->nsrc; i++) {
		source *s = &im->src[i];
		mp_binding_free(s->b);
		mp_pivot_free(s->pv);
		free(s->xidx);
		if (s->x)
			mp_xml903_close(s->x);
		else if (s->r)
			mp_reader_close(s->r);
	}
	for (size_t i = 0; i < im->nextra; i++)
		free(im->extra_names[i]);
	free(im->extra_names);
	free(im->src);
	mp_map_free(im->map);
	free(im);
}
