/* input.c: concatenate files with matching headers into one stream, read directly or ahead. */
#include "input.h"
#include "ahead.h"
#include "err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mp_input {
	char **files;
	int nfiles, cur;
	enum mp_format fmt;
	enum mp_encoding enc;
	mp_reader *r;
	const char *name;	/* its name: in files[] or a literal, so it never moves */
	mp_record hdr;		/* a copy of the first header */
	long done;		/* records of files already closed */
	int failed;		/* a file could not be read: MP_READ_ERR from now on */
	mp_row_note err;	/* why, until it is printed */
	char errmsg[512];
	mp_ahead *ahead;	/* reading ahead: rows come from its thread, */
	long given;		/* counted as handed out, */
	const mp_row_note *note;	/* and the last one's note */
	mp_row_note first;	/* the note before the first row */
	char *first_name;
	int said;		/* the failure was printed */
};

static const char *
file_name(const mp_input *in)
{
	return in->nfiles ? in->files[in->cur] : "-";
}

/* Fail with a message for later (the caller's thread prints it, in order). */
static const mp_record *
fail(mp_input *in, const char *file, long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(in->errmsg, sizeof in->errmsg, fmt, ap);
	va_end(ap);
	in->err = (mp_row_note){ .file = file, .bad_line = line, .bad_msg = in->errmsg };
	in->failed = 1;
	return NULL;
}

/* Open the current file and read its header; NULL (in->err says why) when it cannot be. */
static const mp_record *
open_next(mp_input *in)
{
	const char *name = file_name(in);
	const mp_record *h;

	if (!(in->r = mp_reader_open(name, in->fmt, in->enc)))
		return fail(in, name, 0, "%s", strerror(errno));
	/* The reader's name ("stdin" for "-"), held where it stays for the read-ahead's sake. */
	in->name = strcmp(mp_reader_name(in->r), name) == 0 ? name : "stdin";
	if ((h = mp_reader_header(in->r)))
		return h;
	if (*mp_reader_bad_msg(in->r)) {
		fail(in, mp_reader_name(in->r), mp_reader_bad_line(in->r), "header: %s", mp_reader_bad_msg(in->r));
		in->err.bad_field = mp_reader_bad_field(in->r);
		return NULL;
	}
	return fail(in, mp_reader_name(in->r), 0, "empty input: no header line");
}

static void
say(const mp_row_note *n)
{
	mp_data_msg(n->file, n->bad_line, n->bad_field, "%s", n->bad_msg);
}

mp_input *
mp_input_open(int nfiles, char **files, enum mp_format fmt, enum mp_encoding enc)
{
	mp_input *in = mp_xcalloc(1, sizeof *in);
	const mp_record *h;

	in->files = files;
	in->nfiles = nfiles;
	in->fmt = fmt;
	in->enc = enc;
	if (!(h = open_next(in))) {
		say(&in->err);
		mp_input_close(in);
		return NULL;
	}
	in->hdr.n = h->n;
	in->hdr.line = h->line;
	in->hdr.f = mp_xcalloc(h->n, sizeof *in->hdr.f);
	for (size_t i = 0; i < h->n; i++) {
		in->hdr.f[i].s = mp_xstrndup(h->f[i].s, h->f[i].len);
		in->hdr.f[i].len = h->f[i].len;
	}
	return in;
}

void
mp_input_close(mp_input *in)
{
	if (!in)
		return;
	mp_ahead_stop(in->ahead);
	free(in->first_name);
	mp_reader_close(in->r);
	for (size_t i = 0; i < in->hdr.n; i++)
		free((char *)in->hdr.f[i].s);
	free(in->hdr.f);
	free(in);
}

const mp_record *mp_input_header(const mp_input *in) { return &in->hdr; }

const char *
mp_input_name(const mp_input *in)
{
	if (in->ahead)
		return in->note->file;
	return in->r ? in->name : file_name(in);	/* the reader's name, where it stays */
}

long
mp_input_count(const mp_input *in)
{
	if (in->ahead)
		return in->given;
	return in->done + (in->r ? mp_reader_count(in->r) : 0);
}

long
mp_input_bad_line(const mp_input *in)
{
	return in->ahead ? in->note->bad_line : mp_reader_bad_line(in->r);
}

const char *
mp_input_bad_field(const mp_input *in)
{
	return in->ahead ? in->note->bad_field : mp_reader_bad_field(in->r);
}

const char *
mp_input_bad_msg(const mp_input *in)
{
	return in->ahead ? in->note->bad_msg : mp_reader_bad_msg(in->r);
}

static int
same_header(const mp_record *a, const mp_record *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (a->f[i].len != b->f[i].len || memcmp(a->f[i].s, b->f[i].s, a->f[i].len) != 0)
			return 0;
	return 1;
}

/* The next record across the files; MP_READ_ERR (in->err, not printed) when a later file fails. */
static int
next_direct(mp_input *in, mp_record **rec)
{
	if (in->failed)
		return MP_READ_ERR;
	for (;;) {
		int st = mp_reader_next(in->r, rec);
		if (st != MP_READ_EOF)
			return st;
		if (in->cur + 1 >= in->nfiles)
			return MP_READ_EOF;
		in->done += mp_reader_count(in->r);
		mp_reader_close(in->r);
		in->r = NULL;
		in->cur++;
		const mp_record *h = open_next(in);
		if (!h)
			return MP_READ_ERR;
		if (!same_header(h, &in->hdr)) {
			fail(in, mp_reader_name(in->r), 1,
			     "header differs from the first file's (%s); inputs must have the same columns", in->files[0]);
			return MP_READ_ERR;
		}
	}
}

/* The read-ahead thread's source: the same records and failures. */
static int
ahead_source(void *p, mp_record **rec, mp_row_note *note)
{
	mp_input *in = p;
	int st = next_direct(in, rec);

	if (st == MP_READ_ERR) {
		*note = in->err;
		return st;
	}
	note->file = in->name;
	if (st == MP_READ_BAD) {
		note->bad_line = mp_reader_bad_line(in->r);
		note->bad_field = mp_reader_bad_field(in->r);
		note->bad_msg = mp_reader_bad_msg(in->r);
	}
	return st;
}

void
mp_input_set_ahead(mp_input *in, int on)
{
	if (in->ahead || !mp_ahead_wanted(on))
		return;
	in->given = mp_input_count(in);
	in->first_name = mp_xstrdup(mp_input_name(in));
	in->first = (mp_row_note){ .file = in->first_name, .bad_msg = "" };
	in->note = &in->first;	/* until the first row */
	in->ahead = mp_ahead_start(ahead_source, in);
}

int
mp_input_next(mp_input *in, mp_record **rec)
{
	int st;

	if (in->said)
		return MP_READ_ERR;
	if (!in->ahead) {
		if ((st = next_direct(in, rec)) == MP_READ_ERR)
			say(&in->err);
	} else if ((st = mp_ahead_next(in->ahead, rec, &in->note)) != MP_READ_EOF) {
		in->given += st != MP_READ_ERR;
		if (st == MP_READ_ERR)
			say(in->note);
	}
	in->said = st == MP_READ_ERR;
	return st;
}
