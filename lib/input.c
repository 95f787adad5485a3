/* input.c: concatenate files with matching headers into one stream. */
#include "input.h"
#include "err.h"

#include <stdlib.h>
#include <string.h>

struct mp_input {
	char **files;
	int nfiles, cur;
	enum mp_format fmt;
	enum mp_encoding enc;
	mp_reader *r;
	mp_record hdr;		/* a copy of the first header */
	long done;		/* records of files already closed */
};

static const mp_record *
open_next(mp_input *in)
{
	const char *name = in->nfiles ? in->files[in->cur] : "-";
	const mp_record *h;

	if (!(in->r = mp_reader_open(name, in->fmt, in->enc)))
		mp_die(MP_EXIT_DATA, "%s:", name);
	h = mp_reader_header(in->r);
	if (!h) {
		if (*mp_reader_bad_msg(in->r))
			mp_data_msg(mp_reader_name(in->r), mp_reader_bad_line(in->r), mp_reader_bad_field(in->r),
				    "header: %s", mp_reader_bad_msg(in->r));
		else
			mp_data_msg(mp_reader_name(in->r), 0, NULL, "empty input: no header line");
		exit(MP_EXIT_DATA);
	}
	return h;
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
	h = open_next(in);
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
	mp_reader_close(in->r);
	for (size_t i = 0; i < in->hdr.n; i++)
		free((char *)in->hdr.f[i].s);
	free(in->hdr.f);
	free(in);
}

const mp_record *mp_input_header(const mp_input *in) { return &in->hdr; }
mp_reader *mp_input_reader(const mp_input *in) { return in->r; }
const char *mp_input_name(const mp_input *in) { return mp_reader_name(in->r); }
long mp_input_count(const mp_input *in) { return in->done + mp_reader_count(in->r); }

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

int
mp_input_next(mp_input *in, mp_record **rec)
{
	for (;;) {
		int st = mp_reader_next(in->r, rec);
		if (st != MP_READ_EOF)
			return st;
		if (in->cur + 1 >= in->nfiles)
			return MP_READ_EOF;
		in->done += mp_reader_count(in->r);
		mp_reader_close(in->r);
		in->cur++;
		const mp_record *h = open_next(in);
		if (!same_header(h, &in->hdr)) {
			mp_data_msg(mp_reader_name(in->r), 1, NULL,
				    "header differs from the first file's (%s); inputs must have the same columns",
				    in->files[0]);
			exit(MP_EXIT_DATA);
		}
	}
}
