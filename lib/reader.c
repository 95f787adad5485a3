/*
 * reader.c: the one record reader.  CSV via libcsv in strict mode (a line
 * with no quote and no stray CR split directly, by one SSE2 pass where
 * there is SSE2), TSV by hand; every record knows its line.  A reader reads
 * a descriptor as a stream (read, CP1252, the BOM) or a part of a regular
 * file (pread, for parallel parts): after the bytes come in, both take the
 * same path through the same code.  The per-line and per-record logic
 * (libcsv and its queue, the checks and their messages) is csvline.c.
 */
#include "reader.h"
#include "ahead.h"
#include "csvline.h"
#include "err.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define CHUNK (256 * 1024)
#define PAD 64			/* readable bytes after the data, for the fast split's 64-byte loads */
#define FAST_MAX (64 * 1024)	/* a line longer than this is found by memchr, not rescanned */

struct mp_reader {
	int fd;
	int own_fd;		/* close fd with the reader */
	char *name;
	enum mp_format fmt;
	enum mp_encoding enc;
	iconv_t cd;

	int part;		/* a part of a file: bytes [pos, end) by pread */
	off_t pos, end;
	int at_file_end;	/* the part ends where the file does */
	off_t raw_read;		/* bytes read from the input so far */
	int read_err;		/* errno of a read error, reported as a last bad record */

	char *raw;		/* bytes read, before conversion */
	char *in;		/* UTF-8 bytes not yet split into lines (PAD bytes spare) */
	size_t in_len, in_cap;
	size_t in_pos;		/* start of the bytes not yet fed */
	size_t nl_from;		/* in[in_pos, nl_from) is known to hold no newline */
	int eof;		/* no more bytes from fd */
	int finished;		/* parser finalised */
	int started;		/* BOM check done */
	size_t bom_held;	/* bytes of a BOM seen so far, before started */
	int cut_inside;		/* a part ended inside a record */

	mp_csvq c;		/* libcsv and the record queue; c.line is the line being fed */
	mp_recbuf fast;		/* a record split by the fast path (never queued) */
	long next_line;		/* line number of the next segment */

	mp_field *hdr;		/* the header's names (copies), NULL until it is read */
	size_t nhdr;
	mp_record hrec;		/* the header as returned: copies, valid for the reader's life */
	long count;

	int cur_dirty;
	mp_bad bad;
	mp_bad pend;	/* a quoting error, kept while the records before it are returned */
	mp_record out;

	mp_ahead *ahead;	/* reading ahead: rows come from its thread, */
	long given;		/* counted as handed out, */
	const mp_row_note *note;	/* and the last one's note */
};

static mp_reader *
reader_new(int fd, const char *name, enum mp_format fmt, enum mp_encoding enc)
{
	mp_reader *r = mp_xcalloc(1, sizeof *r);

	r->fd = fd;
	r->name = mp_xstrdup(name);
	r->fmt = fmt;
	r->enc = enc;
	r->cd = (iconv_t)-1;
	r->raw = mp_xmalloc(CHUNK);
	r->in = mp_xmalloc(CHUNK + PAD);
	r->in_cap = CHUNK;
	r->next_line = 1;
	mp_csvq_init(&r->c, fmt == MP_CSV);
	return r;
}

int
mp_open_input(const char *path, const char **name)
{
	if (!path || strcmp(path, "-") == 0) {
		*name = "stdin";
		return STDIN_FILENO;
	}
	*name = path;
	return open(path, O_RDONLY | O_CLOEXEC);
}

mp_reader *
mp_reader_open(const char *path, enum mp_format fmt, enum mp_encoding enc)
{
	int fd = mp_open_input(path, &path);

	return fd < 0 ? NULL : mp_reader_open_fd(fd, path, fmt, enc);
}

mp_reader *
mp_reader_open_fd(int fd, const char *path, enum mp_format fmt, enum mp_encoding enc)
{
	iconv_t cd = (iconv_t)-1;

	if (enc == MP_CP1252 && (cd = iconv_open("UTF-8", "CP1252")) == (iconv_t)-1) {
		int e = errno;
		if (fd != STDIN_FILENO)
			close(fd);
		errno = e;
		return NULL;
	}
	mp_reader *r = reader_new(fd, path, fmt, enc);
	r->own_fd = fd != STDIN_FILENO;
	r->cd = cd;
	return r;
}

/* Copy n names into the reader's header (for messages, the field count, mp_reader_column). */
static void
keep_header(mp_reader *r, const mp_field *f, size_t n, long line)
{
	r->nhdr = n;
	r->hdr = mp_xcalloc(n ? n : 1, sizeof *r->hdr);
	for (size_t i = 0; i < n; i++) {
		r->hdr[i].s = mp_xstrndup(f[i].s, f[i].len);
		r->hdr[i].len = f[i].len;
	}
	r->hrec = (mp_record){ .f = r->hdr, .n = n, .line = line, .raw_fmt = r->fmt };
}

mp_reader *
mp_reader_open_part(int fd, const char *name, enum mp_format fmt, off_t start, off_t end, const mp_record *header)
{
	mp_reader *r = reader_new(fd, name, fmt, MP_UTF8);
	struct stat sb;

	r->part = 1;
	r->pos = start;
	r->end = end;
	r->at_file_end = fstat(fd, &sb) != 0 || end >= sb.st_size;
	r->started = 1;		/* no BOM inside a file */
	keep_header(r, header->f, header->n, header->line);
	return r;
}

void
mp_reader_close(mp_reader *r)
{
	if (!r)
		return;
	mp_ahead_stop(r->ahead);
	if (r->own_fd)
		close(r->fd);
	mp_csvq_free(&r->c);
	free(r->fast.buf);
	free(r->fast.f);
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	for (size_t i = 0; i < r->nhdr; i++)
		free((char *)r->hdr[i].s);
	free(r->hdr);
	free((char *)r->hrec.raw);
	free(r->raw);
	free(r->in);
	free(r->name);
	free(r);
}

const char *mp_reader_name(const mp_reader *r) { return r->name; }
const char *mp_reader_bad_field(const mp_reader *r) { return r->ahead ? r->note->bad_field : r->bad.field; }
const char *mp_reader_bad_msg(const mp_reader *r) { return r->ahead ? r->note->bad_msg : r->bad.msg; }
long mp_reader_bad_line(const mp_reader *r) { return r->ahead ? r->note->bad_line : r->bad.line; }
long mp_reader_count(const mp_reader *r) { return r->ahead ? r->given : r->count; }
int mp_reader_cut_inside(const mp_reader *r) { return r->cut_inside; }
long mp_reader_lines(const mp_reader *r) { return r->next_line - 1; }

int
mp_reader_bad_kind(const mp_reader *r, long *x, long *y)
{
	*x = r->bad.x;
	*y = r->bad.y;
	return r->bad.kind;
}

size_t
mp_reader_msg_format(int kind, long x, long y, char *buf, size_t n)
{
	return mp_bad_format(kind, x, y, buf, n);
}

int
mp_reader_column(const mp_reader *r, const char *name)
{
	for (size_t i = 0; i < r->nhdr; i++)
		if (strcmp(r->hdr[i].s, name) == 0)
			return (int)i;
	return -1;
}

int
mp_reader_data_start(const mp_reader *r, off_t *off, long *line)
{
	const mp_csvq *c = &r->c;

	if (!r->hdr || r->part || r->enc != MP_UTF8 || r->read_err || c->qhead < c->qn || c->pending || c->have_bad)
		return -1;
	*off = r->raw_read - (off_t)(r->in_len - r->in_pos);
	*line = r->next_line;
	return 0;
}

static void
in_append(mp_reader *r, const char *s, size_t n)
{
	if (r->in_len + n > r->in_cap) {
		size_t cap = r->in_cap;
		while (cap < r->in_len + n)
			cap *= 2;
		r->in = mp_xrealloc(r->in, cap + PAD);
		r->in_cap = cap;
	}
	if (n)
		memcpy(r->in + r->in_len, s, n);
	r->in_len += n;
}

/* Append n bytes read to r->in, converting from CP1252 when asked. */
static void
take_bytes(mp_reader *r, char *p, size_t n)
{
	if (r->enc != MP_CP1252) {
		in_append(r, p, n);
		return;
	}
	/* CP1252 is one byte a character, so chunks convert independently. */
	char out[3 * CHUNK];
	while (n > 0) {
		char *op = out;
		size_t ol = sizeof out;
		if (iconv(r->cd, &p, &n, &op, &ol) == (size_t)-1 && errno != E2BIG) {
			/* 5 bytes have no CP1252 meaning; keep them visible as U+FFFD. */
			in_append(r, out, (size_t)(op - out));
			in_append(r, "\xEF\xBF\xBD", 3);
			p++;
			n--;
			continue;
		}
		in_append(r, out, (size_t)(op - out));
	}
}

/*
 * An Excel byte-order mark is not part of the first column's name.  A pipe
 * may deliver it a byte at a time: the bytes that could still be its start
 * are held back (r->bom_held) until it is whole, or proves not to be one.
 * Returns how many bytes of p[0..n) the mark used.
 */
static size_t
strip_bom(mp_reader *r, char *p, size_t n)
{
	static const char bom[3] = "\xEF\xBB\xBF";
	size_t k = 0;

	while (k < n && r->bom_held + k < 3 && p[k] == bom[r->bom_held + k])
		k++;
	if (r->bom_held + k == 3) {
		r->started = 1;
		r->bom_held = 0;
		return k;
	}
	if (k == n && n > 0) {
		r->bom_held += k;	/* all a start of the mark so far */
		return k;
	}
	/* Not a mark (or the input ended): the bytes held back were data. */
	r->started = 1;
	if (r->bom_held) {
		char held[3];
		memcpy(held, bom, r->bom_held);
		take_bytes(r, held, r->bom_held);
		r->bom_held = 0;
	}
	return 0;
}

/* Read up to n bytes into buf: from the stream, or the part's next bytes.  A read error ends the input (reported later). */
static size_t
read_some(mp_reader *r, char *buf, size_t n)
{
	ssize_t got;

	if (r->part && (off_t)n > r->end - r->pos)
		n = (size_t)(r->end - r->pos);
	do
		got = r->part ? (n ? pread(r->fd, buf, n, r->pos) : 0) : read(r->fd, buf, n);
	while (got < 0 && errno == EINTR);
	if (got < 0) {
		r->read_err = errno;
		got = 0;
	}
	r->pos += got;
	r->raw_read += got;
	return (size_t)got;
}

/* Read one chunk from the input into r->in, converting if asked.  0 at EOF. */
static int
fill(mp_reader *r)
{
	if (r->started && r->enc == MP_UTF8) {
		/* Nothing to convert: straight into r->in. */
		if (r->in_cap - r->in_len < CHUNK) {
			r->in_cap = r->in_len + CHUNK > 2 * r->in_cap ? r->in_len + CHUNK : 2 * r->in_cap;
			r->in = mp_xrealloc(r->in, r->in_cap + PAD);
		}
		size_t got = read_some(r, r->in + r->in_len, CHUNK);
		r->in_len += got;
		r->eof = got == 0;
		return got > 0;
	}
	size_t got = read_some(r, r->raw, CHUNK);
	size_t skip = r->started ? 0 : strip_bom(r, r->raw, got);
	if (got == 0) {
		r->eof = 1;
		return 0;
	}
	take_bytes(r, r->raw + skip, got - skip);
	return 1;
}

/* Feed one physical line (with its newline, if any) to the parser. */
static void
feed_line(mp_reader *r, char *s, size_t n)
{
	mp_csvq *c = &r->c;

	c->line = r->next_line++;
	/* One check of the whole line; fields are checked one by one only if it fails. */
	c->line_dirty = mp_utf8_invalid(s, n) >= 0;
	if (!c->pending)
		c->dirty = 0;
	c->dirty |= c->line_dirty;
	if (!c->pending) {
		size_t len = mp_line_len(s, n);
		if (r->fmt == MP_TSV) {
			if (len > 0) {	/* blank lines carry no record, as in CSV */
				mp_recbuf_split(mp_csvq_building(c), s, len, '\t', 1);
				mp_csvq_push(c);
			}
			return;
		}
		if (mp_blank_line(s, n))
			return;
		/*
		 * A line with no quote and no stray CR is a whole record whose
		 * fields are what lies between the commas: the same as libcsv
		 * gives (spaces kept), so split it directly, one copy a line
		 * instead of a callback a byte.  Lines with quotes go to libcsv.
		 */
		if (!memchr(s, '"', len) && !memchr(s, '\r', len)) {
			mp_recbuf_split(mp_csvq_building(c), s, len, ',', 0);
			mp_csvq_push(c);
			return;
		}
	}
	size_t first = c->qn;
	int fresh = !c->pending;
	if (mp_csvq_feed(c, s, n, &r->pend) && fresh && c->seg_records == 1 && !c->pending) {
		/* The record was this one line: it can be copied through as read. */
		c->q[first].raw = s;
		c->q[first].raw_len = mp_line_len(s, n);
	}
}

#ifdef __SSE2__
/* 64 bytes as four blocks, and the bits of those equal to c (bit i: byte i). */
static inline uint64_t
eq64(const __m128i v[4], char c)
{
	const __m128i k = _mm_set1_epi8(c);

	return (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v[0], k)) |
	       (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v[1], k)) << 16 |
	       (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v[2], k)) << 32 |
	       (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v[3], k)) << 48;
}

/* The bits of the bytes with the top bit set. */
static inline uint64_t
high64(const __m128i v[4])
{
	return (uint64_t)(unsigned)_mm_movemask_epi8(v[0]) | (uint64_t)(unsigned)_mm_movemask_epi8(v[1]) << 16 |
	       (uint64_t)(unsigned)_mm_movemask_epi8(v[2]) << 32 | (uint64_t)(unsigned)_mm_movemask_epi8(v[3]) << 48;
}

/*
 * A bit for each byte a plain line seldom has: a quote, a control byte (CR
 * and NUL among them) or one over 0x7f (below 0x20 as a signed byte).  A
 * chunk with none needs no closer look.
 */
static inline uint64_t
rare16(__m128i v)
{
	__m128i x = _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)), _mm_cmpeq_epi8(v, _mm_set1_epi8('"')));
	return (uint64_t)(unsigned)_mm_movemask_epi8(x);
}

static inline uint64_t
rare64(const __m128i v[4])
{
	return rare16(v[0]) | rare16(v[1]) << 16 | rare16(v[2]) << 32 | rare16(v[3]) << 48;
}

/*
 * The fields that end at the commas cm of the 64 bytes at chunk, into fp
 * on: NUL-terminated there; *sp is where the next field starts.  Returns
 * the end of fp.  Pointers, not indexes: a few instructions a comma fewer.
 */
static inline mp_field *
split_commas(char *chunk, uint64_t cm, mp_field *fp, char **sp)
{
	char *start = *sp;

	for (; cm; cm &= cm - 1) {
		char *q = chunk + __builtin_ctzll(cm);
		fp->s = start;
		fp->len = (size_t)(q - start);
		fp++;
		*q = '\0';
		start = q + 1;
	}
	*sp = start;
	return fp;
}

/*
 * The fast split of a CSV line: one pass of 64-byte chunks finds the
 * newline and the commas and notices anything libcsv must see (a quote, a
 * CR other than in CRLF) or that needs the UTF-8 check (*hi); the commas of
 * a chunk are taken in one loop (64 bytes, not 16: fewer loop ends for the
 * branch predictor to miss).  With copy, each chunk is copied there as it
 * is scanned; the fields are NUL-terminated on the way, in the copy or in
 * s itself (one pass over the bytes, not three; a line that proves not
 * simple gets its commas back).  Returns the line's length with its
 * newline (*e without its line end) and the fields in b->f, as they lie at
 * copy (or s); 0 when s[0..avail) holds no newline, or (*simple = 0) the
 * line is not simple.  s has 64 readable bytes past avail; copy has room
 * for avail + 64.
 */
static size_t
scan_line(mp_recbuf *b, char *s, char *copy, size_t avail, int *simple, size_t *e, int *hi)
{
	char *base = copy ? copy : s, *sp = base;	/* sp: where the field being read starts */
	/* Local copies: stores to the fields cannot then be taken to change them. */
	mp_field *f = b->f;
	size_t fcap = b->fcap, n = 0, ncr = 0, lastcr = 0;
	uint64_t h = 0;

	*simple = 1;
	for (size_t i = 0; i < avail; i += 64) {
		__m128i v[4];
		for (int k = 0; k < 4; k++)
			v[k] = _mm_loadu_si128((const __m128i *)(s + i + 16 * k));
		uint64_t valid = avail - i >= 64 ? ~0ull : (1ull << (avail - i)) - 1;
		uint64_t nl = eq64(v, '\n') & valid;
		uint64_t upto = nl ? (nl & -nl) - 1 : valid;
		uint64_t cm = eq64(v, ',') & upto;
		if (rare64(v) & upto) {	/* only then each kind is told apart */
			uint64_t cr = eq64(v, '\r') & upto;
			h |= (high64(v) | eq64(v, '\0')) & upto;
			if (eq64(v, '"') & upto) {
				*simple = 0;
				break;
			}
			if (cr) {
				ncr += (size_t)__builtin_popcountll(cr);
				lastcr = i + (size_t)(63 - __builtin_clzll(cr));
			}
		}
		if (copy)
			for (int k = 0; k < 4; k++)
				_mm_storeu_si128((__m128i *)(copy + i + 16 * k), v[k]);
		if (n + 65 > fcap) {	/* room for this chunk's fields and the last one */
			while (n + 65 > fcap)
				mp_fields_grow(&b->f, &b->fcap), fcap = b->fcap;
			f = b->f;
		}
		n = (size_t)(split_commas(base + i, cm, f + n, &sp) - f);
		if (!nl)
			continue;
		size_t pos = i + (size_t)__builtin_ctzll(nl), start = (size_t)(sp - base);
		*e = ncr == 1 && lastcr == pos - 1 ? pos - 1 : pos;	/* CRLF */
		if ((ncr && *e == pos) || ncr > 1 || start > *e) {
			*simple = 0;	/* a CR other than in CRLF: libcsv ends a record there */
			break;
		}
		f[n].s = sp;
		f[n++].len = *e - start;
		base[*e] = '\0';
		b->n = n;
		*hi = h != 0;
		return pos + 1;
	}
	/* Not taken: the general path reads s as it was. */
	for (size_t k = 0; !copy && k < n; k++)
		s[f[k].s - s + (ptrdiff_t)f[k].len] = ',';
	return 0;
}

/*
 * The next line by the fast split, into r->fast: 1 taken (r->fast.n 0: a
 * blank line), 0 not simple (the general path takes it), -1 no newline yet
 * in the bytes read.
 */
static int
fast_line(mp_reader *r)
{
	mp_recbuf *b = &r->fast;
	char *s = r->in + r->in_pos;
	size_t avail = r->in_len - r->in_pos, e = 0;
	int simple, hi = 0;

	/*
	 * A part's fields are NUL-terminated where they lie (its records have
	 * no raw line); otherwise in one copy of the line, and the line read
	 * stays the raw record.  Longer lines take the general path.
	 */
	char *copy = NULL;
	if (!r->part) {
		if (b->cap < FAST_MAX + 64)
			mp_recbuf_room(b, FAST_MAX + 64);
		copy = b->buf;
	}
	mp_recbuf_reset(b);
	size_t n = scan_line(b, s, copy, avail < FAST_MAX ? avail : FAST_MAX, &simple, &e, &hi);
	if (!n) {
		b->n = 0;
		return simple && avail < FAST_MAX ? -1 : 0;
	}
	r->in_pos += n;
	b->line = r->next_line++;
	if (e == 0) {
		b->n = 0;	/* a blank line carries no record */
		return 1;
	}
	if (copy) {
		b->len = e + 1;
		b->raw = s;
		b->raw_len = e;
	}
	b->viewed = 1;
	b->dirty = hi;
	return 1;
}

#else
static int
fast_line(mp_reader *r)
{
	(void)r;
	return 0;
}
#endif

/* Keep the partial line at the start of the buffer, then read more: 0 at the end of the input. */
static int
read_more(mp_reader *r)
{
	size_t pos = r->in_pos;

	if (pos > 0) {
		memmove(r->in, r->in + pos, r->in_len - pos);
		r->in_len -= pos;
		r->nl_from = r->nl_from > pos ? r->nl_from - pos : 0;
		r->in_pos = 0;
	}
	return !r->eof && fill(r);
}

static void
finish(mp_reader *r)
{
	if (r->in_len > r->in_pos) {
		/* A last line with no newline. */
		size_t pos = r->in_pos;
		r->in_pos = r->in_len;
		feed_line(r, r->in + pos, r->in_len - pos);
	}
	r->in_len = r->in_pos = r->nl_from = 0;
	r->finished = 1;
	if (r->fmt != MP_CSV)
		return;
	if (r->part && r->c.pending && !r->at_file_end) {
		/* The part was cut inside a record: the caller must not trust it. */
		r->cut_inside = 1;
		return;
	}
	mp_csvq_fini(&r->c, &r->pend);
}

/* Parse until a record is queued, a bad one is found, or the input ends. */
static void
parse_more(mp_reader *r)
{
	/* Keep a record still being built (a quoted field across lines). */
	mp_csvq_rewind(&r->c);
	while (r->c.qn == 0 && !r->c.have_bad && !r->finished) {
		size_t pos = r->in_pos;
		if (r->nl_from < pos)
			r->nl_from = pos;
		char *nl = r->nl_from < r->in_len ? memchr(r->in + r->nl_from, '\n', r->in_len - r->nl_from) : NULL;
		if (nl) {
			size_t n = (size_t)(nl - (r->in + pos)) + 1;
			r->in_pos += n;
			feed_line(r, r->in + pos, n);
			continue;
		}
		r->nl_from = r->in_len;
		if (!read_more(r))
			finish(r);
	}
}

/* The next record from the queue, or a bad record, or a read error, or EOF. */
static int
next_raw(mp_reader *r, mp_record **rec)
{
	mp_csvq *c = &r->c;

	if (c->qhead >= c->qn && !c->have_bad) {
		/* Between records, CSV lines without quotes are split directly, not queued. */
		while (r->fmt == MP_CSV && !c->pending && !r->finished && r->in_pos < r->in_len) {
			int got = fast_line(r);
			if (got > 0 && r->fast.n) {
				r->cur_dirty = r->fast.dirty;
				*rec = mp_recbuf_view(&r->fast, &r->out);
				r->out.raw_fmt = r->fmt;
				return MP_READ_OK;
			}
			if (got == 0 || (got < 0 && !read_more(r)))
				break;
		}
		parse_more(r);
	}
	if (c->qhead < c->qn) {
		r->cur_dirty = c->q[c->qhead].dirty;
		*rec = mp_recbuf_view(&c->q[c->qhead++], &r->out);
		r->out.raw_fmt = r->fmt;
		return MP_READ_OK;
	}
	if (c->have_bad) {
		c->have_bad = 0;
		r->bad = r->pend;	/* checks of the records before it may have used r->bad */
		r->cur_dirty = 1;
		*rec = mp_recbuf_view(&c->bad, &r->out);
		r->out.raw = NULL;
		return MP_READ_BAD;
	}
	if (r->read_err) {
		mp_bad_set(&r->bad, r->next_line, NULL, "read error: %s", strerror(r->read_err));
		r->read_err = 0;
		r->out = (mp_record){ .line = r->next_line, .raw_fmt = r->fmt };
		*rec = &r->out;
		return MP_READ_BAD;
	}
	return MP_READ_EOF;
}

const mp_record *
mp_reader_header(mp_reader *r)
{
	mp_record *rec;

	if (r->hdr)
		return &r->hrec;
	int st = next_raw(r, &rec);
	if (st == MP_READ_EOF)
		return NULL;
	if (st == MP_READ_OK && !mp_check_record(rec, r->cur_dirty, r->enc, NULL, 0, &r->bad))
		st = MP_READ_BAD;
	if (st == MP_READ_BAD)
		return NULL;
	keep_header(r, rec->f, rec->n, rec->line);
	if (rec->raw)
		r->hrec.raw = mp_xstrndup(rec->raw, rec->raw_len);
	r->hrec.raw_len = rec->raw_len;
	return &r->hrec;
}

static int
next_direct(mp_reader *r, mp_record **rec)
{
	int st = next_raw(r, rec);

	if (st == MP_READ_EOF)
		return st;
	r->count++;
	if (st == MP_READ_OK && !mp_check_record(*rec, r->cur_dirty, r->enc, r->hdr, r->nhdr, &r->bad))
		st = MP_READ_BAD;
	return st;
}

/* The read-ahead thread's source: the reader's own records, as without it. */
static int
ahead_source(void *p, mp_record **rec, mp_row_note *note)
{
	mp_reader *r = p;
	int st = next_direct(r, rec);

	note->file = r->name;
	if (st == MP_READ_BAD) {
		note->bad_line = r->bad.line;
		note->bad_field = r->bad.field;
		note->bad_msg = r->bad.msg;
	}
	return st;
}

void
mp_reader_set_ahead(mp_reader *r, int on)
{
	static const mp_row_note none = { .bad_msg = "" };

	if (r->ahead || r->part || !mp_ahead_wanted(on))
		return;
	if (!r->hdr && !mp_reader_header(r))
		return;		/* no header, or a bad one: nothing to read ahead */
	r->note = &none;
	r->ahead = mp_ahead_start(ahead_source, r);
}

int
mp_reader_next(mp_reader *r, mp_record **rec)
{
	if (!r->ahead)
		return next_direct(r, rec);
	int st = mp_ahead_next(r->ahead, rec, &r->note);
	if (st != MP_READ_EOF)
		r->given++;
	return st;
}
