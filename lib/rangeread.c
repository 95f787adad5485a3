/* rangeread.c: records from a byte range of a file, with the semantics of reader.c (see rangeread.h). */
#include "rangeread.h"
#include "err.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define BLOCK (1024 * 1024)
#define PAD 64		/* readable bytes after the data, for 16-byte loads */

/* A record built by libcsv (a copy of its fields). */
typedef struct recbuf {
	char *buf;
	size_t len, cap;
	size_t *off, *flen;
	mp_field *f;
	size_t n, fcap;
	long line;
} recbuf;

struct mp_range_reader {
	int fd;
	const char *name;
	enum mp_format fmt;
	off_t pos, end;		/* next byte to read from the file; end of the range */
	int at_file_end;	/* the range ends at the end of the file */
	const mp_record *hdr;

	char *buf;		/* bytes read, [bpos, blen) not yet consumed; one spare byte */
	size_t bpos, blen, bcap;
	int eof, finished;
	long line, next_line, first_line;

	struct csv_parser csv;
	int pending;
	long rec_start;
	recbuf *q;		/* finished records; q[qn] is being built */
	size_t qn, qhead, qcap;
	recbuf bad;
	int have_bad;
	int pending_at_end;

	mp_field *ff;		/* fields of a record split in place */
	size_t ffcap;

	const char *bad_field;
	char bad_msg[256];
	long bad_line;
	int bad_kind;		/* MP_RANGE_MSG_*: a message naming lines */
	long bad_x, bad_y;
	mp_record out;
};

static void
rb_add(recbuf *b, const char *s, size_t len)
{
	if (b->n == b->fcap) {
		b->fcap = b->fcap ? 2 * b->fcap : 32;
		b->off = mp_xrealloc(b->off, b->fcap * sizeof *b->off);
		b->flen = mp_xrealloc(b->flen, b->fcap * sizeof *b->flen);
		b->f = mp_xrealloc(b->f, b->fcap * sizeof *b->f);
	}
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + len + 1)
			cap *= 2;
		b->buf = mp_xrealloc(b->buf, cap);
		b->cap = cap;
	}
	if (len)
		memcpy(b->buf + b->len, s, len);
	b->buf[b->len + len] = '\0';
	b->off[b->n] = b->len;
	b->flen[b->n] = len;
	b->n++;
	b->len += len + 1;
}

static void
rb_reset(recbuf *b)
{
	b->len = b->n = 0;
	b->line = 0;
}

static void
rb_free(recbuf *b)
{
	free(b->buf);
	free(b->off);
	free(b->flen);
	free(b->f);
}

static mp_record *
rb_view(recbuf *b, mp_record *out)
{
	for (size_t i = 0; i < b->n; i++) {
		b->f[i].s = b->buf + b->off[i];
		b->f[i].len = b->flen[i];
	}
	out->f = b->f;
	out->n = b->n;
	out->line = b->line;
	return out;
}

static recbuf *
building(mp_range_reader *r)
{
	if (r->qn == r->qcap) {
		size_t old = r->qcap;
		r->qcap = r->qcap ? 2 * r->qcap : 8;
		r->q = mp_xrealloc(r->q, r->qcap * sizeof *r->q);
		memset(r->q + old, 0, (r->qcap - old) * sizeof *r->q);
	}
	return &r->q[r->qn];
}

static void
on_field(void *s, size_t len, void *data)
{
	mp_range_reader *r = data;
	recbuf *b = building(r);

	if (!r->pending) {
		r->pending = 1;
		r->rec_start = r->line;
	}
	rb_add(b, s ? s : "", s ? len : 0);
}

static void
on_record(int c, void *data)
{
	mp_range_reader *r = data;
	recbuf *b = building(r);

	(void)c;
	b->line = r->pending ? r->rec_start : r->line;
	r->qn++;
	rb_reset(building(r));
	r->pending = 0;
}

static int
no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void
csv_setup(mp_range_reader *r)
{
	if (csv_init(&r->csv, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		mp_die(MP_EXIT_DATA, "cannot initialise the CSV parser");
	csv_set_space_func(&r->csv, no_space);
}

mp_range_reader *
mp_range_open(int fd, const char *name, enum mp_format fmt, off_t start, off_t end, long line,
	      const mp_record *header)
{
	mp_range_reader *r = mp_xcalloc(1, sizeof *r);
	struct stat sb;

	r->fd = fd;
	r->name = name;
	r->fmt = fmt;
	r->pos = start;
	r->end = end;
	r->at_file_end = fstat(fd, &sb) != 0 || end >= sb.st_size;
	r->hdr = header;
	r->bcap = BLOCK;
	r->buf = mp_xmalloc(r->bcap + PAD);
	r->next_line = r->first_line = line;
	if (fmt == MP_CSV)
		csv_setup(r);
	return r;
}

void
mp_range_close(mp_range_reader *r)
{
	if (!r)
		return;
	if (r->fmt == MP_CSV)
		csv_free(&r->csv);
	for (size_t i = 0; i < r->qcap; i++)
		rb_free(&r->q[i]);
	rb_free(&r->bad);
	free(r->q);
	free(r->ff);
	free(r->buf);
	free(r);
}

const char *mp_range_bad_field(const mp_range_reader *r) { return r->bad_field; }
const char *mp_range_bad_msg(const mp_range_reader *r) { return r->bad_msg; }
long mp_range_bad_line(const mp_range_reader *r) { return r->bad_line; }
int mp_range_pending(const mp_range_reader *r) { return r->pending_at_end; }
long mp_range_lines(const mp_range_reader *r) { return r->next_line - r->first_line; }

int
mp_range_bad_kind(const mp_range_reader *r, long *x, long *y)
{
	*x = r->bad_x;
	*y = r->bad_y;
	return r->bad_kind;
}

size_t
mp_range_msg_format(int kind, long x, long y, char *buf, size_t n)
{
	int k;

	if (kind == MP_RANGE_MSG_QUOTE_AT)
		k = snprintf(buf, n, "bad quoting on line %ld: a quote inside an unquoted field, or text after a closing quote", x);
	else if (kind == MP_RANGE_MSG_UNTERMINATED)
		k = snprintf(buf, n, "unterminated quoted field: a quote opened in the record starting here is never closed, so lines %ld-%ld could not be read", x, y);
	else
		k = snprintf(buf, n, "%s", "");
	return k < 0 ? 0 : (size_t)k;
}

static void set_bad(mp_range_reader *r, long line, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
set_bad(mp_range_reader *r, long line, const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->bad_msg, sizeof r->bad_msg, fmt, ap);
	va_end(ap);
	r->bad_field = field;
	r->bad_line = line;
	r->bad_kind = MP_RANGE_MSG_PLAIN;
}

/* The same messages as reader.c for a quoting error. */
static void
csv_broken(mp_range_reader *r, long at_line)
{
	recbuf *b = building(r);

	rb_reset(&r->bad);
	for (size_t i = 0; i < b->n; i++)
		rb_add(&r->bad, b->buf + b->off[i], b->flen[i]);
	r->bad.line = r->pending ? r->rec_start : at_line;
	rb_reset(b);
	if (at_line == r->bad.line) {
		set_bad(r, r->bad.line, NULL, "bad quoting: a quote inside an unquoted field, or text after a closing quote");
	} else {
		set_bad(r, r->bad.line, NULL, "%s", "");
		mp_range_msg_format(MP_RANGE_MSG_QUOTE_AT, at_line, 0, r->bad_msg, sizeof r->bad_msg);
		r->bad_kind = MP_RANGE_MSG_QUOTE_AT;
		r->bad_x = at_line;
	}
	r->have_bad = 1;
	r->pending = 0;
	csv_free(&r->csv);
	csv_setup(r);
}

static int
blank_line(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

/* Check encoding and shape as reader.c does; 0 (with the message set) when unusable. */
static int
check_record(mp_range_reader *r, const mp_record *rec)
{
	for (size_t i = 0; i < rec->n; i++) {
		long at = mp_utf8_invalid(rec->f[i].s, rec->f[i].len);
		if (at < 0)
			continue;
		const char *col = i < r->hdr->n ? r->hdr->f[i].s : NULL;
		if (rec->f[i].s[at] == '\0')
			set_bad(r, rec->line, col, "NUL byte in field %zu at byte %ld", i + 1, at + 1);
		else
			set_bad(r, rec->line, col,
				"invalid UTF-8 in field %zu at byte %ld (if the file came from Excel, try --encoding cp1252)",
				i + 1, at + 1);
		return 0;
	}
	if (rec->n != r->hdr->n) {
		set_bad(r, rec->line, NULL, "expected %zu fields (as in the header), found %zu", r->hdr->n, rec->n);
		return 0;
	}
	return 1;
}

/* Decode TSV escapes in place, as reader.c. */
static size_t
tsv_unescape(char *s, size_t n)
{
	size_t i, o;

	if (!memchr(s, '\\', n))
		return n;
	for (i = o = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			char c = s[i + 1];
			char d = c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c == '\\' ? '\\' : 0;
			if (d) {
				s[o++] = d;
				i++;
				continue;
			}
		}
		s[o++] = s[i];
	}
	return o;
}

/* Split s[0..n) in place at sep into r->ff (NUL-terminating each field). */
static size_t
split(mp_range_reader *r, char *s, size_t n, char sep, int unescape)
{
	size_t nf = 0;
	char *p = s, *end = s + n;

	for (;;) {
		char *q = memchr(p, sep, (size_t)(end - p));
		if (!q)
			q = end;
		if (nf == r->ffcap) {
			r->ffcap = r->ffcap ? 2 * r->ffcap : 32;
			r->ff = mp_xrealloc(r->ff, r->ffcap * sizeof *r->ff);
		}
		size_t len = (size_t)(q - p);
		if (unescape)
			len = tsv_unescape(p, len);
		p[len] = '\0';
		r->ff[nf].s = p;
		r->ff[nf++].len = len;
		if (q == end)
			break;
		p = q + 1;
	}
	return nf;
}

/*
 * One physical line: 1 with *rec set to a good record split in place, 2
 * with *rec set to one that check_record must look at, 0 for none (a blank
 * line, or libcsv has taken the line and may have queued records or a bad
 * one).
 */
static int
take_line(mp_range_reader *r, char *s, size_t n, mp_record **rec)
{
	size_t e = n;

	r->line = r->next_line++;
	if (e > 0 && s[e - 1] == '\n')
		e--;
	if (e > 0 && s[e - 1] == '\r')
		e--;
	if (r->fmt == MP_TSV) {
		if (e == 0)
			return 0;
	} else if (r->pending || memchr(s, '"', e) || memchr(s, '\r', e)) {
		/* Quoted fields, or a lone CR: libcsv, line by line, as reader.c. */
		if (!r->pending) {
			if (blank_line(s, n))
				return 0;
			r->pending = 1;
			r->rec_start = r->line;
		}
		size_t done = csv_parse(&r->csv, s, n, on_field, on_record, r);
		if (done < n)
			csv_broken(r, r->line);
		return 0;
	} else if (e == 0) {
		return 0;
	}
	r->out.line = r->line;
	int valid = mp_utf8_invalid(s, e) < 0;	/* before the split writes its NULs */
	r->out.n = split(r, s, e, r->fmt == MP_TSV ? '\t' : ',', r->fmt == MP_TSV);
	r->out.f = r->ff;
	*rec = &r->out;
	return valid && r->out.n == r->hdr->n ? 1 : 2;
}

#ifdef __SSE2__
/*
 * The fast path for CSV: one pass of 16-byte blocks over a line that
 * finds the newline and the commas, and notices anything libcsv must see
 * (a quote, a CR other than in CRLF) or that needs a UTF-8 check.  Returns
 * the line's length with its newline, 0 when there is no newline in
 * avail (or the line is not simple: *simple = 0).  The fields are split
 * in place into r->ff.
 */
static size_t
scan_line(mp_range_reader *r, char *s, size_t avail, int *simple, size_t *nf, int *check)
{
	const __m128i nlv = _mm_set1_epi8('\n'), cmv = _mm_set1_epi8(','), qv = _mm_set1_epi8('"');
	const __m128i crv = _mm_set1_epi8('\r'), zv = _mm_setzero_si128();
	size_t start = 0, n = 0, ncr = 0, lastcr = 0;
	int hi = 0;

	*simple = 1;
	for (size_t i = 0; i < avail; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(s + i));
		unsigned valid = avail - i >= 16 ? 0xffffu : (1u << (avail - i)) - 1;
		unsigned nl = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, nlv)) & valid;
		unsigned upto = nl ? (nl & -nl) - 1 : valid;
		unsigned cm = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, cmv)) & upto;
		unsigned q = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, qv)) & upto;
		unsigned cr = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, crv)) & upto;
		hi |= (_mm_movemask_epi8(v) | _mm_movemask_epi8(_mm_cmpeq_epi8(v, zv))) & upto;
		if (q) {
			*simple = 0;
			return 0;
		}
		if (cr) {
			ncr += (size_t)__builtin_popcount(cr);
			lastcr = i + (size_t)(31 - __builtin_clz(cr));
		}
		while (cm) {
			size_t pos = i + (size_t)__builtin_ctz(cm);
			if (n == r->ffcap) {
				r->ffcap = r->ffcap ? 2 * r->ffcap : 32;
				r->ff = mp_xrealloc(r->ff, r->ffcap * sizeof *r->ff);
			}
			r->ff[n].s = s + start;
			r->ff[n++].len = pos - start;
			start = pos + 1;
			cm &= cm - 1;
		}
		if (nl) {
			size_t pos = i + (size_t)__builtin_ctz(nl), e = pos;
			if (ncr == 1 && lastcr == pos - 1)
				e--;		/* CRLF */
			else if (ncr) {
				*simple = 0;
				return 0;
			}
			if (e == 0) {
				*nf = 0;	/* a blank line */
				return pos + 1;
			}
			if (start > e) {
				/* Cannot happen: a comma after the CR was flagged above. */
				*simple = 0;
				return 0;
			}
			if (n == r->ffcap) {
				r->ffcap = r->ffcap ? 2 * r->ffcap : 32;
				r->ff = mp_xrealloc(r->ff, r->ffcap * sizeof *r->ff);
			}
			r->ff[n].s = s + start;
			r->ff[n++].len = e - start;
			/* Only now, with the whole line found, terminate the fields in place. */
			for (size_t k = 0; k < n; k++)
				s[r->ff[k].s - s + (ptrdiff_t)r->ff[k].len] = '\0';
			*nf = n;
			*check = hi != 0;
			return pos + 1;
		}
	}
	return 0;
}
#endif

/* Read more of the range into the buffer; 0 when the range is done. */
static int
fill(mp_range_reader *r)
{
	if (r->pos >= r->end)
		return 0;
	memmove(r->buf, r->buf + r->bpos, r->blen - r->bpos);
	r->blen -= r->bpos;
	r->bpos = 0;
	if (r->blen == r->bcap) {
		r->bcap *= 2;
		r->buf = mp_xrealloc(r->buf, r->bcap + PAD);
	}
	size_t want = r->bcap - r->blen;
	if ((off_t)want > r->end - r->pos)
		want = (size_t)(r->end - r->pos);
	ssize_t got;
	do
		got = pread(r->fd, r->buf + r->blen, want, r->pos);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		mp_die(MP_EXIT_DATA, "%s: read error:", r->name);
	if (got == 0) {
		r->end = r->pos;
		return 0;
	}
	r->blen += (size_t)got;
	r->pos += got;
	return 1;
}

static void
finish(mp_range_reader *r)
{
	r->finished = 1;
	if (r->fmt != MP_CSV)
		return;
	if (r->pending && !r->at_file_end) {
		/* The range was cut inside a record: the caller must not trust it. */
		r->pending_at_end = 1;
		return;
	}
	if (csv_fini(&r->csv, on_field, on_record, r) != 0) {
		long start = r->pending ? r->rec_start : r->line;
		csv_broken(r, start);
		set_bad(r, start, NULL, "%s", "");
		mp_range_msg_format(MP_RANGE_MSG_UNTERMINATED, start, r->line, r->bad_msg, sizeof r->bad_msg);
		r->bad_kind = MP_RANGE_MSG_UNTERMINATED;
		r->bad_x = start;
		r->bad_y = r->line;
	}
}

int
mp_range_next(mp_range_reader *r, mp_record **rec)
{
	for (;;) {
		if (r->qhead < r->qn) {
			*rec = rb_view(&r->q[r->qhead++], &r->out);
			return check_record(r, *rec) ? MP_READ_OK : MP_READ_BAD;
		}
		if (r->qn > 0) {
			/* All queued records were taken: keep the one being built. */
			recbuf tmp = r->q[0];
			r->q[0] = r->q[r->qn];
			r->q[r->qn] = tmp;
			r->qn = r->qhead = 0;
		}
		if (r->have_bad) {
			r->have_bad = 0;
			*rec = rb_view(&r->bad, &r->out);
			return MP_READ_BAD;
		}
		if (r->finished)
			return MP_READ_EOF;
#ifdef __SSE2__
		if (r->fmt == MP_CSV && !r->pending && r->bpos < r->blen) {
			int simple, check = 0;
			size_t nf = 0;
			char *s = r->buf + r->bpos;
			size_t n = scan_line(r, s, r->blen - r->bpos, &simple, &nf, &check);
			if (n) {
				r->bpos += n;
				r->line = r->next_line++;
				if (nf == 0)
					continue;
				r->out.f = r->ff;
				r->out.n = nf;
				r->out.line = r->line;
				*rec = &r->out;
				if (!check && nf == r->hdr->n)
					return MP_READ_OK;
				/* Check each field's UTF-8 and the field count, as reader.c does. */
				return check_record(r, *rec) ? MP_READ_OK : MP_READ_BAD;
			}
			if (simple && r->pos < r->end) {
				/* No newline yet: read more and scan again. */
				if (fill(r))
					continue;
			}
		}
#endif
		char *nl = r->bpos < r->blen ? memchr(r->buf + r->bpos, '\n', r->blen - r->bpos) : NULL;
		size_t n;
		if (nl) {
			n = (size_t)(nl - (r->buf + r->bpos)) + 1;
		} else if (fill(r)) {
			continue;
		} else if (r->bpos < r->blen) {
			n = r->blen - r->bpos;	/* a last line with no newline */
		} else {
			finish(r);
			continue;
		}
		char *s = r->buf + r->bpos;
		r->bpos += n;
		int got = take_line(r, s, n, rec);
		if (got == 1)
			return MP_READ_OK;
		if (got == 2)
			return check_record(r, *rec) ? MP_READ_OK : MP_READ_BAD;
	}
}

int
mp_range_header_end(int fd, enum mp_format fmt, off_t size, off_t *off, long *line)
{
	char buf[65536];
	off_t pos = 0;
	long ln = 1;
	int started = 0, quoted = 0;

	for (;;) {
		ssize_t got = pread(fd, buf, sizeof buf, pos);
		if (got < 0)
			return -1;
		if (got == 0) {
			*off = size;
			*line = ln;
			return 0;
		}
		size_t i = 0;
		if (pos == 0 && got >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
			i = 3;
		for (; i < (size_t)got; i++) {
			char c = buf[i];
			if (c == '\n') {
				ln++;
				if (started && !quoted) {
					*off = pos + (off_t)i + 1;
					*line = ln;
					return 0;
				}
			} else if (c == '"' && fmt == MP_CSV) {
				started = 1;
				quoted = !quoted;
			} else if (c == '\r') {
				/* A CR not before LF ends a record in libcsv: leave that to reader.c. */
				if (i + 1 < (size_t)got ? buf[i + 1] != '\n' : 1)
					return -1;
			} else {
				started = 1;
			}
		}
		pos += got;
	}
}

/* Field and record counts of a trial parse. */
struct trial {
	size_t fields, records, want;
	int ok;
};

static void
trial_field(void *s, size_t len, void *data)
{
	(void)s;
	(void)len;
	((struct trial *)data)->fields++;
}

static void
trial_record(int c, void *data)
{
	struct trial *t = data;

	(void)c;
	if (t->fields != t->want)
		t->ok = 0;
	t->fields = 0;
	t->records++;
}

/* Does the text from a candidate cut parse as whole records of nfields fields? */
static int
plausible(const char *s, size_t n, size_t nfields)
{
	struct csv_parser p;
	struct trial t = { 0, 0, nfields, 1 };

	/* Only whole lines: stop at the last newline. */
	while (n > 0 && s[n - 1] != '\n')
		n--;
	if (n == 0 || csv_init(&p, CSV_STRICT | CSV_APPEND_NULL) != 0)
		return 0;
	csv_set_space_func(&p, no_space);
	if (csv_parse(&p, s, n, trial_field, trial_record, &t) != n)
		t.ok = 0;
	csv_free(&p);
	return t.ok && t.records > 0;
}

int
mp_range_split(int fd, enum mp_format fmt, off_t data, off_t size, int n, size_t nfields, off_t *starts)
{
	int count = 0;
	off_t len = size - data;
	char *win = mp_xmalloc(BLOCK);

	starts[count++] = data;
	for (int k = 1; k < n; k++) {
		off_t at = data + len / n * k;
		if (at <= starts[count - 1])
			continue;
		/* Try the lines after 'at' until one starts a plausible run of records. */
		off_t cut = -1;
		for (int tries = 0; tries < 64 && at < size && cut < 0; tries++) {
			ssize_t got = pread(fd, win, BLOCK, at);
			if (got <= 0)
				break;
			char *nl = memchr(win, '\n', (size_t)got);
			if (!nl)
				break;
			off_t cand = at + (nl - win) + 1;
			size_t rest = (size_t)got - (size_t)(nl - win) - 1;
			if (fmt == MP_TSV || plausible(nl + 1, rest < 65536 ? rest : 65536, nfields))
				cut = cand;
			at = cand;
		}
		if (cut > starts[count - 1] && cut < size)
			starts[count++] = cut;
	}
	starts[count] = size;
	free(win);
	return count;
}
