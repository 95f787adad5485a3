/*
 * rangeread.c: records from a byte range of a file, with the semantics of
 * reader.c (see rangeread.h): the per-line and per-record logic is
 * csvline.c, shared with reader.c.  Here are the pread of a range, the
 * in-place splitting, and the trial parses that find where to cut a file.
 */
#include "rangeread.h"
#include "csvline.h"
#include "err.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define BLOCK (1024 * 1024)
#define PAD 64		/* readable bytes after the data, for 16-byte loads */

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
	long next_line, first_line;

	mp_csvq c;		/* libcsv for lines with quotes; c.line is the line being read */
	int pending_at_end;

	mp_field *ff;		/* fields of a record split in place */
	size_t ffcap;

	mp_bad bad;
	mp_bad pend;	/* a quoting error, kept while the records before it are returned */
	mp_record out;
};

/* The message kinds are csvline.h's. */
_Static_assert((int)MP_RANGE_MSG_PLAIN == (int)MP_BAD_PLAIN && (int)MP_RANGE_MSG_QUOTE_AT == (int)MP_BAD_QUOTE_AT &&
	       (int)MP_RANGE_MSG_UNTERMINATED == (int)MP_BAD_UNTERMINATED, "message kinds as in csvline.h");

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
	mp_csvq_init(&r->c, fmt == MP_CSV);
	return r;
}

void
mp_range_close(mp_range_reader *r)
{
	if (!r)
		return;
	mp_csvq_free(&r->c);
	free(r->ff);
	free(r->buf);
	free(r);
}

const char *mp_range_bad_field(const mp_range_reader *r) { return r->bad.field; }
const char *mp_range_bad_msg(const mp_range_reader *r) { return r->bad.msg; }
long mp_range_bad_line(const mp_range_reader *r) { return r->bad.line; }
int mp_range_pending(const mp_range_reader *r) { return r->pending_at_end; }
long mp_range_lines(const mp_range_reader *r) { return r->next_line - r->first_line; }

int
mp_range_bad_kind(const mp_range_reader *r, long *x, long *y)
{
	*x = r->bad.x;
	*y = r->bad.y;
	return r->bad.kind;
}

size_t
mp_range_msg_format(int kind, long x, long y, char *buf, size_t n)
{
	return mp_bad_format(kind, x, y, buf, n);
}

/* Check encoding and shape as reader.c does; 0 (with the message set) when unusable. */
static int
check_record(mp_range_reader *r, const mp_record *rec)
{
	return mp_check_fields(rec, 1, MP_UTF8, r->hdr->f, r->hdr->n, &r->bad);
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
	size_t e = mp_line_len(s, n);

	r->c.line = r->next_line++;
	if (r->fmt == MP_CSV && (r->c.pending || memchr(s, '"', e) || memchr(s, '\r', e))) {
		/* Quoted fields, or a lone CR: libcsv, line by line, as reader.c. */
		if (r->c.pending || !mp_blank_line(s, n))
			mp_csvq_feed(&r->c, s, n, &r->pend);
		return 0;
	}
	if (e == 0)
		return 0;
	r->out.line = r->c.line;
	int valid = mp_utf8_invalid(s, e) < 0;	/* before the split writes its NULs */
	r->out.n = mp_split_fields(s, e, r->fmt == MP_TSV ? '\t' : ',', r->fmt == MP_TSV, &r->ff, &r->ffcap);
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
			if (n == r->ffcap)
				mp_fields_grow(&r->ff, &r->ffcap);
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
			if (n == r->ffcap)
				mp_fields_grow(&r->ff, &r->ffcap);
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
	if (r->c.pending && !r->at_file_end) {
		/* The range was cut inside a record: the caller must not trust it. */
		r->pending_at_end = 1;
		return;
	}
	mp_csvq_fini(&r->c, &r->pend);
}

int
mp_range_next(mp_range_reader *r, mp_record **rec)
{
	for (;;) {
		if (r->c.qhead < r->c.qn) {
			*rec = mp_recbuf_view(&r->c.q[r->c.qhead++], &r->out);
			return check_record(r, *rec) ? MP_READ_OK : MP_READ_BAD;
		}
		/* All queued records were taken: keep the one being built. */
		mp_csvq_rewind(&r->c);
		if (r->c.have_bad) {
			r->c.have_bad = 0;
			r->bad = r->pend;
			*rec = mp_recbuf_view(&r->c.bad, &r->out);
			return MP_READ_BAD;
		}
		if (r->finished)
			return MP_READ_EOF;
#ifdef __SSE2__
		if (r->fmt == MP_CSV && !r->c.pending && r->bpos < r->blen) {
			int simple, check = 0;
			size_t nf = 0;
			char *s = r->buf + r->bpos;
			size_t n = scan_line(r, s, r->blen - r->bpos, &simple, &nf, &check);
			if (n) {
				r->bpos += n;
				r->c.line = r->next_line++;
				if (nf == 0)
					continue;
				r->out.f = r->ff;
				r->out.n = nf;
				r->out.line = r->c.line;
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
	csv_set_space_func(&p, mp_csv_no_space);
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
