/* scan.c: strict CSV split in place in large buffers; TSV and cp1252 fall back to mp_input. */
#include "scan.h"
#include "err.h"
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (1 << 20)

/* Where a field lies in the buffer while its record is being found. */
typedef struct span {
	size_t start, end;	/* content, without the quotes */
	int quoted, escaped;	/* in quotes; holds "" pairs */
} span;

struct mp_scan {
	mp_input *in;		/* the fallback, or NULL */
	const void *in_reader;	/* its reader, to notice a new file */
	char *in_name;
	unsigned in_file;

	char **files;
	int nfiles, cur;
	int fd;
	const char *name;
	char *buf;
	size_t len, cap, pos;	/* buf[pos, len) is not yet used */
	int eof, started;
	long line;		/* the physical line at buf[pos] */

	span *sp;
	mp_field *f;
	size_t fcap;
	mp_record rec;

	mp_record hdr;		/* a copy of the first file's header */
	int in_header;		/* reading a header: no field-count check */
	long count, done;

	const char *bad_field;
	char bad_msg[256];
	long bad_line;
};

/* Bytes that end an unquoted field. */
static unsigned char stop[256];

static void
set_bad(mp_scan *s, long line, const char *field, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
set_bad(mp_scan *s, long line, const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->bad_msg, sizeof s->bad_msg, fmt, ap);
	va_end(ap);
	s->bad_field = field;
	s->bad_line = line;
}

/* Read more of the file after what is kept; returns 0 at end of file. */
static int
fill(mp_scan *s)
{
	ssize_t got;

	if (s->eof)
		return 0;
	if (s->pos > 0) {
		memmove(s->buf, s->buf + s->pos, s->len - s->pos);
		s->len -= s->pos;
		s->pos = 0;
	}
	if (s->cap - s->len < CHUNK / 2) {
		s->cap *= 2;
		s->buf = mp_xrealloc(s->buf, s->cap);
	}
	do
		got = read(s->fd, s->buf + s->len, s->cap - s->len - 1);	/* one byte spare for a NUL */
	while (got < 0 && errno == EINTR);
	if (got < 0)
		mp_die(MP_EXIT_DATA, "%s: read error:", s->name);
	if (got == 0) {
		s->eof = 1;
		return 0;
	}
	if (!s->started) {
		s->started = 1;
		/* An Excel byte-order mark is not part of the first column's name. */
		if (s->len == 0 && got >= 3 && memcmp(s->buf, "\xEF\xBB\xBF", 3) == 0) {
			memmove(s->buf, s->buf + 3, (size_t)got - 3);
			got -= 3;
		}
	}
	s->len += (size_t)got;
	return 1;
}

static size_t
count_nl(const char *p, size_t n)
{
	size_t k = 0;
	const char *e = p + n;

	while (p < e && (p = memchr(p, '\n', (size_t)(e - p)))) {
		k++;
		p++;
	}
	return k;
}

enum { REC_OK, REC_MORE, REC_BADQUOTE, REC_UNTERMINATED, REC_BLANK };

/*
 * Find the record at buf[pos]: fill sp[], *nf, *end (just past its line
 * end) and *nl (newlines consumed).  REC_BADQUOTE: *end is the offset of
 * the bad byte.  REC_MORE: the buffer ends first.
 */
static int
find_record(mp_scan *s, size_t *nf, size_t *end, long *nl)
{
	const char *b = s->buf;
	size_t p = s->pos, n = s->len, k = 0;
	long lines = 0;

	if (p < n && (b[p] == '\n' || b[p] == '\r')) {
		/* A blank line (a lone CR ends a record in libcsv too). */
		*end = p + 1;
		*nl = b[p] == '\n';
		return REC_BLANK;
	}
	for (;;) {
		if (k == s->fcap) {
			s->fcap = s->fcap ? 2 * s->fcap : 64;
			s->sp = mp_xrealloc(s->sp, s->fcap * sizeof *s->sp);
			s->f = mp_xrealloc(s->f, s->fcap * sizeof *s->f);
		}
		span *f = &s->sp[k++];
		if (p < n && b[p] == '"') {
			size_t q = p + 1;
			f->quoted = 1;
			f->escaped = 0;
			f->start = q;
			for (;;) {
				const char *r = q < n ? memchr(b + q, '"', n - q) : NULL;
				if (!r)
					return s->eof ? REC_UNTERMINATED : REC_MORE;
				q = (size_t)(r - b);
				if (q + 1 >= n && !s->eof)
					return REC_MORE;
				if (q + 1 < n && b[q + 1] == '"') {
					f->escaped = 1;
					q += 2;
					continue;
				}
				break;
			}
			f->end = q;
			lines += (long)count_nl(b + f->start, q - f->start);
			p = q + 1;
			if (p < n && b[p] != ',' && b[p] != '\n' && b[p] != '\r') {
				*end = p;
				*nl = lines;
				*nf = k;
				return REC_BADQUOTE;
			}
		} else {
			f->quoted = f->escaped = 0;
			f->start = p;
			while (p < n && !stop[(unsigned char)b[p]])
				p++;
			f->end = p;
			if (p < n && b[p] == '"') {
				*end = p;
				*nl = lines;
				*nf = k;
				return REC_BADQUOTE;
			}
		}
		if (p >= n) {
			if (!s->eof)
				return REC_MORE;
			*end = n;
			break;
		}
		if (b[p] == ',') {
			p++;
			continue;
		}
		/* A record ends at LF, CR LF or a lone CR. */
		if (b[p] == '\r') {
			if (p + 1 >= n && !s->eof)
				return REC_MORE;
			if (p + 1 < n && b[p + 1] == '\n') {
				p++;
				lines++;
			}
		} else {
			lines++;
		}
		*end = p + 1;
		break;
	}
	*nf = k;
	*nl = lines;
	return REC_OK;
}

/* Turn the spans into NUL-terminated fields in place (quotes undone). */
static void
commit(mp_scan *s, size_t nf)
{
	char *b = s->buf;

	for (size_t i = 0; i < nf; i++) {
		span *sp = &s->sp[i];
		size_t len = sp->end - sp->start;
		if (sp->escaped) {
			size_t o = sp->start;
			for (size_t j = sp->start; j < sp->end; j++) {
				b[o++] = b[j];
				if (b[j] == '"')
					j++;
			}
			len = o - sp->start;
		}
		b[sp->start + len] = '\0';
		s->f[i].s = b + sp->start;
		s->f[i].len = len;
	}
	s->rec.f = s->f;
	s->rec.n = nf;
}

/* Check encoding and shape as mp_reader does; 0 (with the message set) when unusable. */
static int
check(mp_scan *s, int rawbad)
{
	if (rawbad) {
		/* Find the field, after unquoting, as mp_reader reports it. */
		for (size_t i = 0; i < s->rec.n; i++) {
			long at = mp_utf8_invalid(s->rec.f[i].s, s->rec.f[i].len);
			if (at < 0)
				continue;
			const char *col = i < s->hdr.n ? s->hdr.f[i].s : NULL;
			if (s->rec.f[i].s[at] == '\0')
				set_bad(s, s->rec.line, col, "NUL byte in field %zu at byte %ld", i + 1, at + 1);
			else
				set_bad(s, s->rec.line, col,
					"invalid UTF-8 in field %zu at byte %ld (if the file came from Excel, try --encoding cp1252)",
					i + 1, at + 1);
			return 0;
		}
		/* Only the end of the line was bad (a NUL after a CR, say). */
	}
	if (!s->in_header && s->rec.n != s->hdr.n) {
		set_bad(s, s->rec.line, NULL, "expected %zu fields (as in the header), found %zu", s->hdr.n, s->rec.n);
		return 0;
	}
	return 1;
}

/* The next record of the current file: MP_READ_OK, MP_READ_BAD or MP_READ_EOF. */
static int
next_record(mp_scan *s)
{
	size_t nf, end;
	long nl;

	for (;;) {
		if (s->pos >= s->len && !fill(s))
			return MP_READ_EOF;
		int st = find_record(s, &nf, &end, &nl);
		if (st == REC_MORE) {
			if (!fill(s) && s->pos >= s->len)
				return MP_READ_EOF;
			continue;
		}
		if (st == REC_BLANK) {
			s->line += nl;
			s->pos = end;
			continue;
		}
		s->rec.line = s->line;
		if (st == REC_BADQUOTE) {
			/* Resume on the line after the bad byte, as the line-fed parser does. */
			long at = s->line + nl;
			for (;;) {
				const char *e = memchr(s->buf + end, '\n', s->len - end);
				if (e) {
					end = (size_t)(e - s->buf) + 1;
					break;
				}
				if (s->eof) {
					end = s->len;
					break;
				}
				size_t off = end - s->pos;
				fill(s);
				end = s->pos + off;
			}
			set_bad(s, s->line, NULL,
				at == s->line ?
				"bad quoting: a quote inside an unquoted field, or text after a closing quote" :
				"bad quoting on line %ld: a quote inside an unquoted field, or text after a closing quote",
				at);
			s->line = at + 1;
			s->pos = end;
			s->rec.n = 0;
			return MP_READ_BAD;
		}
		if (st == REC_UNTERMINATED) {
			long last = s->line + (long)count_nl(s->buf + s->pos, s->len - s->pos);
			if (s->len > s->pos && s->buf[s->len - 1] == '\n')
				last--;
			set_bad(s, s->line, NULL,
				"unterminated quoted field: a quote opened in the record starting here is never closed, so lines %ld-%ld could not be read",
				s->line, last);
			s->pos = s->len;
			s->rec.n = 0;
			return MP_READ_BAD;
		}
		/* One pass over the raw bytes; fields are examined only when it fails. */
		int rawbad = mp_utf8_invalid(s->buf + s->pos, end - s->pos) >= 0;
		commit(s, nf);
		s->line += nl;
		s->pos = end;
		return check(s, rawbad) ? MP_READ_OK : MP_READ_BAD;
	}
}

/* Open input number i and read its header; exits 1 as mp_input does. */
static void
open_file(mp_scan *s, int i)
{
	const char *path = s->nfiles ? s->files[i] : "-";

	if (strcmp(path, "-") == 0) {
		s->fd = STDIN_FILENO;
		s->name = "stdin";
	} else if ((s->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		mp_die(MP_EXIT_DATA, "%s:", path);
	} else {
		s->name = path;
	}
	s->cur = i;
	s->len = s->pos = 0;
	s->eof = s->started = 0;
	s->line = 1;
	s->in_header = 1;
	int st = next_record(s);
	s->in_header = 0;
	if (st == MP_READ_EOF) {
		mp_data_msg(s->name, 0, NULL, "empty input: no header line");
		exit(MP_EXIT_DATA);
	}
	if (st == MP_READ_BAD) {
		mp_data_msg(s->name, s->bad_line, s->bad_field, "header: %s", s->bad_msg);
		exit(MP_EXIT_DATA);
	}
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

mp_scan *
mp_scan_open(int nfiles, char **files, enum mp_format fmt, enum mp_encoding enc)
{
	mp_scan *s = mp_xcalloc(1, sizeof *s);

	if (fmt != MP_CSV || enc != MP_UTF8) {
		s->in = mp_input_open(nfiles, files, fmt, enc);
		s->in_name = mp_xstrdup(mp_input_name(s->in));
		return s;
	}
	if (!stop[',']) {
		stop[','] = stop['\n'] = stop['\r'] = stop['"'] = 1;
	}
	s->files = files;
	s->nfiles = nfiles;
	s->cap = 2 * CHUNK;
	s->buf = mp_xmalloc(s->cap);
	open_file(s, 0);
	s->hdr.n = s->rec.n;
	s->hdr.line = s->rec.line;
	s->hdr.f = mp_xcalloc(s->rec.n ? s->rec.n : 1, sizeof *s->hdr.f);
	for (size_t i = 0; i < s->rec.n; i++) {
		s->hdr.f[i].s = mp_xstrndup(s->rec.f[i].s, s->rec.f[i].len);
		s->hdr.f[i].len = s->rec.f[i].len;
	}
	return s;
}

void
mp_scan_close(mp_scan *s)
{
	if (!s)
		return;
	if (s->in) {
		mp_input_close(s->in);
	} else {
		if (s->fd != STDIN_FILENO)
			close(s->fd);
		for (size_t i = 0; i < s->hdr.n; i++)
			free((char *)s->hdr.f[i].s);
		free(s->hdr.f);
	}
	free(s->in_name);
	free(s->buf);
	free(s->sp);
	free(s->f);
	free(s);
}

int
mp_scan_next(mp_scan *s, mp_record **rec)
{
	if (s->in) {
		int st = mp_input_next(s->in, rec);
		if (st != MP_READ_EOF && (mp_input_reader(s->in) != s->in_reader ||
					  strcmp(s->in_name, mp_input_name(s->in)) != 0)) {
			if (s->in_reader)
				s->in_file++;
			s->in_reader = mp_input_reader(s->in);
			free(s->in_name);
			s->in_name = mp_xstrdup(mp_input_name(s->in));
		}
		return st;
	}
	for (;;) {
		int st = next_record(s);
		if (st != MP_READ_EOF) {
			s->count++;
			*rec = &s->rec;
			return st;
		}
		if (s->cur + 1 >= s->nfiles)
			return MP_READ_EOF;
		if (s->fd != STDIN_FILENO)
			close(s->fd);
		s->done += s->count;
		s->count = 0;
		open_file(s, s->cur + 1);
		if (!same_header(&s->rec, &s->hdr)) {
			mp_data_msg(s->name, 1, NULL,
				    "header differs from the first file's (%s); inputs must have the same columns",
				    s->files[0]);
			exit(MP_EXIT_DATA);
		}
	}
}

const mp_record *mp_scan_header(const mp_scan *s) { return s->in ? mp_input_header(s->in) : &s->hdr; }
const char *mp_scan_name(const mp_scan *s) { return s->in ? mp_input_name(s->in) : s->name; }

unsigned
mp_scan_file(const mp_scan *s)
{
	return s->in ? s->in_file : (unsigned)s->cur;
}

const char *
mp_scan_bad_field(const mp_scan *s)
{
	return s->in ? mp_reader_bad_field(mp_input_reader(s->in)) : s->bad_field;
}

const char *
mp_scan_bad_msg(const mp_scan *s)
{
	return s->in ? mp_reader_bad_msg(mp_input_reader(s->in)) : s->bad_msg;
}

long
mp_scan_bad_line(const mp_scan *s)
{
	return s->in ? mp_reader_bad_line(mp_input_reader(s->in)) : s->bad_line;
}

long
mp_scan_count(const mp_scan *s)
{
	return s->in ? mp_input_count(s->in) : s->done + s->count;
}
