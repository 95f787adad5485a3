/* reader.c: CSV via libcsv in strict mode, TSV by hand; every record knows its line. */
#include "reader.h"
#include "err.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (256 * 1024)

/* A record under construction or waiting in the queue. */
typedef struct recbuf {
	char *buf;		/* field bytes, each NUL-terminated */
	size_t len, cap;
	mp_field *f;		/* while building, .s holds the offset into buf */
	size_t n, fcap;
	long line;
	int dirty;		/* some byte was not plain UTF-8: check each field */
	int viewed;		/* f[].s are pointers now, not offsets */
	const char *raw;	/* the whole line, when the record is exactly one line */
	size_t raw_len;
} recbuf;

struct mp_reader {
	int fd;
	char *name;
	enum mp_format fmt;
	enum mp_encoding enc;
	iconv_t cd;

	char *raw;		/* bytes read, before conversion */
	char *in;		/* UTF-8 bytes not yet split into lines */
	size_t in_len, in_cap;
	size_t in_pos;		/* start of the bytes not yet fed */
	int eof;		/* no more bytes from fd */
	int finished;		/* parser finalised */
	int started;		/* BOM check done */

	struct csv_parser csv;
	long line;		/* line of the segment being fed */
	long next_line;		/* line number of the next segment */
	int pending;		/* a record has started but not ended */
	long rec_start;
	int dirty;		/* the record being built has suspicious bytes */
	size_t seg_records;	/* records completed in the segment being fed */

	recbuf *q;		/* queue of finished records; q[qn] is being built */
	size_t qn, qhead, qcap;
	recbuf bad;		/* a malformed record, returned as MP_READ_BAD */
	int have_bad;

	char **hdr;
	size_t nhdr;
	int have_hdr;
	long count;

	int cur_dirty;
	const char *bad_field;
	char bad_msg[256];
	long bad_line;
	mp_record out;
};

static void
rb_reset(recbuf *b)
{
	b->len = 0;
	b->n = 0;
	b->line = 0;
	b->dirty = 0;
	b->viewed = 0;
	b->raw = NULL;
	b->raw_len = 0;
}

/* Make room for one more field of len bytes. */
static void
rb_grow(recbuf *b, size_t len)
{
	if (b->n == b->fcap) {
		b->fcap = b->fcap ? 2 * b->fcap : 32;
		b->f = mp_xrealloc(b->f, b->fcap * sizeof *b->f);
	}
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + len + 1)
			cap *= 2;
		b->buf = mp_xrealloc(b->buf, cap);
		b->cap = cap;
	}
}

/* Append a field; its view holds the offset until rb_view turns it into a pointer. */
static inline void
rb_add(recbuf *b, const char *s, size_t len)
{
	if (b->n == b->fcap || b->len + len + 1 > b->cap)
		rb_grow(b, len);
	char *dst = b->buf + b->len;
	if (len)
		memcpy(dst, s, len);
	dst[len] = '\0';
	b->f[b->n].s = (const char *)(uintptr_t)b->len;
	b->f[b->n].len = len;
	b->n++;
	b->len += len + 1;
}

static void
rb_free(recbuf *b)
{
	free(b->buf);
	free(b->f);
}

/* Point the field views at the buffer (it may have moved while growing). */
static mp_record *
rb_view(recbuf *b, mp_record *out)
{
	if (!b->viewed) {
		for (size_t i = 0; i < b->n; i++)
			b->f[i].s = b->buf + (uintptr_t)b->f[i].s;
		b->viewed = 1;
	}
	out->f = b->f;
	out->n = b->n;
	out->line = b->line;
	out->raw = b->raw;
	out->raw_len = b->raw_len;
	return out;
}

static recbuf *
building(mp_reader *r)
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
	mp_reader *r = data;

	if (!r->pending) {
		r->pending = 1;
		r->rec_start = r->line;
	}
	rb_add(&r->q[r->qn], s ? s : "", s ? len : 0);
}

static void
on_record(int c, void *data)
{
	mp_reader *r = data;
	recbuf *b = building(r);

	(void)c;
	b->line = r->pending ? r->rec_start : r->line;
	b->dirty = r->dirty;
	r->qn++;
	r->seg_records++;
	rb_reset(building(r));
	r->pending = 0;
	r->dirty = 0;
}

static int
no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void
csv_setup(mp_reader *r)
{
	if (csv_init(&r->csv, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		mp_die(MP_EXIT_DATA, "cannot initialise the CSV parser");
	csv_set_space_func(&r->csv, no_space);
}

mp_reader *
mp_reader_open(const char *path, enum mp_format fmt, enum mp_encoding enc)
{
	int fd;

	if (!path || strcmp(path, "-") == 0) {
		fd = STDIN_FILENO;
		path = "stdin";
	} else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		return NULL;
	}
	return mp_reader_open_fd(fd, path, fmt, enc);
}

mp_reader *
mp_reader_open_fd(int fd, const char *path, enum mp_format fmt, enum mp_encoding enc)
{
	mp_reader *r;

	r = mp_xcalloc(1, sizeof *r);
	r->fd = fd;
	r->name = mp_xstrdup(path);
	r->fmt = fmt;
	r->enc = enc;
	r->cd = (iconv_t)-1;
	if (enc == MP_CP1252) {
		r->cd = iconv_open("UTF-8", "CP1252");
		if (r->cd == (iconv_t)-1)
			mp_die(MP_EXIT_DATA, "cannot convert from CP1252 (iconv):");
	}
	r->raw = mp_xmalloc(CHUNK);
	r->in = mp_xmalloc(CHUNK);
	r->in_cap = CHUNK;
	r->next_line = 1;
	building(r);	/* q[0] exists before the first field arrives */
	if (fmt == MP_CSV)
		csv_setup(r);
	return r;
}

void
mp_reader_close(mp_reader *r)
{
	if (!r)
		return;
	if (r->fd != STDIN_FILENO)
		close(r->fd);
	if (r->fmt == MP_CSV)
		csv_free(&r->csv);
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	for (size_t i = 0; i < r->qcap; i++)
		rb_free(&r->q[i]);
	rb_free(&r->bad);
	for (size_t i = 0; i < r->nhdr; i++)
		free(r->hdr[i]);
	free(r->hdr);
	free(r->q);
	free(r->raw);
	free(r->in);
	free(r->name);
	free(r);
}

const char *mp_reader_name(const mp_reader *r) { return r->name; }
const char *mp_reader_bad_field(const mp_reader *r) { return r->bad_field; }
const char *mp_reader_bad_msg(const mp_reader *r) { return r->bad_msg; }
long mp_reader_bad_line(const mp_reader *r) { return r->bad_line; }
long mp_reader_count(const mp_reader *r) { return r->count; }

int
mp_reader_column(const mp_reader *r, const char *name)
{
	for (size_t i = 0; i < r->nhdr; i++)
		if (strcmp(r->hdr[i], name) == 0)
			return (int)i;
	return -1;
}

static void
in_append(mp_reader *r, const char *s, size_t n)
{
	if (r->in_len + n > r->in_cap) {
		size_t cap = r->in_cap ? r->in_cap : CHUNK;
		while (cap < r->in_len + n)
			cap *= 2;
		r->in = mp_xrealloc(r->in, cap);
		r->in_cap = cap;
	}
	if (n)
		memcpy(r->in + r->in_len, s, n);
	r->in_len += n;
}

/* Read one chunk from the file into r->in, converting if asked.  0 at EOF. */
static int
fill(mp_reader *r)
{
	ssize_t got;
	char *p;
	size_t n;

	do
		got = read(r->fd, r->raw, CHUNK);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		mp_die(MP_EXIT_DATA, "%s: read error:", r->name);
	if (got == 0) {
		r->eof = 1;
		return 0;
	}
	p = r->raw;
	n = (size_t)got;
	if (!r->started) {
		r->started = 1;
		/* An Excel byte-order mark is not part of the first column's name. */
		if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
			p += 3;
			n -= 3;
		}
	}
	if (r->enc == MP_CP1252) {
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
	} else {
		in_append(r, p, n);
	}
	return 1;
}

static int
blank_line(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

/* Report a malformed record starting at line; parsing resumes on the next line. */
static void
set_bad(mp_reader *r, long line, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
set_bad(mp_reader *r, long line, const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->bad_msg, sizeof r->bad_msg, fmt, ap);
	va_end(ap);
	r->bad_field = field;
	r->bad_line = line;
}

/* A quoting error: the fields read so far become the bad record. */
static void
csv_broken(mp_reader *r, long at_line)
{
	recbuf *b = building(r);

	rb_reset(&r->bad);
	for (size_t i = 0; i < b->n; i++)
		rb_add(&r->bad, b->buf + (uintptr_t)b->f[i].s, b->f[i].len);
	r->bad.line = r->pending ? r->rec_start : at_line;
	rb_reset(b);
	set_bad(r, r->bad.line, NULL,
		at_line == r->bad.line ?
		"bad quoting: a quote inside an unquoted field, or text after a closing quote" :
		"bad quoting on line %ld: a quote inside an unquoted field, or text after a closing quote",
		at_line);
	r->have_bad = 1;
	r->pending = 0;
	csv_free(&r->csv);
	csv_setup(r);
}

/* Decode TSV escapes (\t \n \r \\) in place; other backslashes stay as they are. */
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

static void
tsv_line(mp_reader *r, char *s, size_t n)
{
	recbuf *b = building(r);
	char *p = s, *end = s + n, *tab;

	if (n > 0 && s[n - 1] == '\n')
		n--, end--;
	if (n > 0 && s[n - 1] == '\r')
		n--, end--;
	if (n == 0)
		return;		/* blank lines carry no record, as in CSV */
	for (;;) {
		tab = memchr(p, '\t', (size_t)(end - p));
		size_t len = (size_t)((tab ? tab : end) - p);
		rb_add(b, p, len);
		char *dst = b->buf + (uintptr_t)b->f[b->n - 1].s;
		size_t nlen = tsv_unescape(dst, len);
		dst[nlen] = '\0';
		b->f[b->n - 1].len = nlen;
		if (!tab)
			break;
		p = tab + 1;
	}
	b->line = r->line;
	b->dirty = r->dirty;
	r->dirty = 0;
	r->qn++;
	rb_reset(building(r));
}

/*
 * A line with no quote and no stray CR is a whole record whose fields are
 * what lies between the commas: the same as libcsv gives (spaces kept), so
 * split it directly, one copy a line instead of a callback a byte.  Lines
 * with quotes go to libcsv.  Returns 0 when the line is not plain.
 */
static int
plain_line(mp_reader *r, const char *s, size_t n)
{
	size_t len = n;

	if (len && s[len - 1] == '\n')
		len--;
	if (len && s[len - 1] == '\r')
		len--;
	if (memchr(s, '"', len) || memchr(s, '\r', len))
		return 0;
	recbuf *b = &r->q[r->qn];
	if (len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < len + 1)
			cap *= 2;
		b->buf = mp_xrealloc(b->buf, cap);
		b->cap = cap;
	}
	memcpy(b->buf, s, len);
	b->buf[len] = '\0';
	char *p = b->buf, *end = b->buf + len;
	for (;;) {
		char *comma = memchr(p, ',', (size_t)(end - p));
		if (b->n == b->fcap)
			rb_grow(b, 0);
		b->f[b->n].s = (const char *)(uintptr_t)(p - b->buf);
		b->f[b->n].len = (size_t)((comma ? comma : end) - p);
		b->n++;
		if (!comma)
			break;
		*comma = '\0';
		p = comma + 1;
	}
	b->len = len + 1;
	b->line = r->line;
	b->dirty = r->dirty;
	b->raw = s;
	b->raw_len = len;
	r->dirty = 0;
	r->qn++;
	rb_reset(building(r));
	return 1;
}

/* Feed one physical line (with its newline, if any) to the parser. */
static void
feed_line(mp_reader *r, char *s, size_t n)
{
	int whole;
	size_t first = r->qn;

	r->line = r->next_line++;
	/* One check of the whole line; fields are checked one by one only if it fails. */
	if (mp_utf8_invalid(s, n) >= 0)
		r->dirty = 1;
	if (r->fmt == MP_TSV) {
		tsv_line(r, s, n);
		whole = r->qn == first + 1;
	} else {
		if (!r->pending) {
			if (blank_line(s, n))
				return;
			if (plain_line(r, s, n))
				return;
			r->pending = 1;
			r->rec_start = r->line;
		}
		whole = 0;
		int fresh = r->pending && r->rec_start == r->line && building(r)->n == 0;
		/*
		 * libcsv trims spaces around unquoted fields unless told not to,
		 * and telling it costs a call a byte: do so only where a line has
		 * spaces or tabs to keep.
		 */
		csv_set_space_func(&r->csv, memchr(s, ' ', n) || memchr(s, '\t', n) ? no_space : NULL);
		r->seg_records = 0;
		size_t done = csv_parse(&r->csv, s, n, on_field, on_record, r);
		if (done < n) {
			csv_broken(r, r->line);
			return;
		}
		whole = fresh && r->seg_records == 1 && !r->pending;
	}
	if (whole) {
		recbuf *b = &r->q[first];
		size_t len = n;
		if (len && s[len - 1] == '\n')
			len--;
		if (len && s[len - 1] == '\r')
			len--;
		b->raw = s;
		b->raw_len = len;
	}
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
	r->in_len = r->in_pos = 0;
	r->finished = 1;
	if (r->fmt == MP_CSV && csv_fini(&r->csv, on_field, on_record, r) != 0) {
		long start = r->pending ? r->rec_start : r->line;
		csv_broken(r, start);
		set_bad(r, start, NULL,
			"unterminated quoted field: a quote opened in the record starting here is never closed, so lines %ld-%ld could not be read",
			start, r->line);
	}
}

/* Parse until a record is queued, a bad one is found, or the input ends. */
static void
parse_more(mp_reader *r)
{
	/* Keep a record still being built (a quoted field across lines). */
	if (r->qn > 0) {
		recbuf tmp = r->q[0];
		r->q[0] = r->q[r->qn];
		r->q[r->qn] = tmp;
	}
	r->qn = r->qhead = 0;
	while (r->qn == 0 && !r->have_bad && !r->finished) {
		char *nl;
		size_t pos = r->in_pos;
		if (pos < r->in_len && (nl = memchr(r->in + pos, '\n', r->in_len - pos))) {
			size_t n = (size_t)(nl - (r->in + pos)) + 1;
			r->in_pos += n;
			feed_line(r, r->in + pos, n);
			continue;
		}
		/* Keep the partial line, then read more. */
		if (pos > 0) {
			memmove(r->in, r->in + pos, r->in_len - pos);
			r->in_len -= pos;
			r->in_pos = 0;
		}
		if (!r->eof && fill(r))
			continue;
		finish(r);
	}
}

long
mp_utf8_invalid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		/* Fast path: eight ASCII bytes with no NUL. */
		if (i + 8 <= len) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (!(w & 0x8080808080808080ULL) &&
			    !((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL)) {
				i += 8;
				continue;
			}
		}
		unsigned c = s[i];
		if (c == 0)
			return (long)i;
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t need;
		unsigned min;
		if (c >= 0xC2 && c <= 0xDF)
			need = 1, min = 0x80;
		else if (c >= 0xE0 && c <= 0xEF)
			need = 2, min = 0x800;
		else if (c >= 0xF0 && c <= 0xF4)
			need = 3, min = 0x10000;
		else
			return (long)i;
		unsigned cp = c & (0x3F >> need);
		for (size_t k = 1; k <= need; k++) {
			if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
				return (long)i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return (long)i;
		i += need + 1;
	}
	return -1;
}

/* Check encoding and shape; set the bad message and return 0 when unusable. */
static int
check_record(mp_reader *r, const mp_record *rec, int dirty)
{
	for (size_t i = 0; dirty && i < rec->n; i++) {
		long at = mp_utf8_invalid(rec->f[i].s, rec->f[i].len);
		if (at < 0)
			continue;
		const char *col = i < r->nhdr ? r->hdr[i] : NULL;
		if (rec->f[i].s[at] == '\0')
			set_bad(r, rec->line, col, "NUL byte in field %zu at byte %ld", i + 1, at + 1);
		else if (r->enc == MP_UTF8)
			set_bad(r, rec->line, col,
				"invalid UTF-8 in field %zu at byte %ld (if the file came from Excel, try --encoding cp1252)",
				i + 1, at + 1);
		else
			set_bad(r, rec->line, col, "invalid character in field %zu at byte %ld", i + 1, at + 1);
		return 0;
	}
	if (r->have_hdr && rec->n != r->nhdr) {
		set_bad(r, rec->line, NULL, "expected %zu fields (as in the header), found %zu", r->nhdr, rec->n);
		return 0;
	}
	return 1;
}

/* The next record from the queue, or a bad record, or EOF. */
static int
next_raw(mp_reader *r, mp_record **rec)
{
	if (r->qhead >= r->qn && !r->have_bad)
		parse_more(r);
	if (r->qhead < r->qn) {
		r->cur_dirty = r->q[r->qhead].dirty;
		*rec = rb_view(&r->q[r->qhead++], &r->out);
		r->out.raw_fmt = r->fmt;
		return MP_READ_OK;
	}
	if (r->have_bad) {
		r->have_bad = 0;
		r->cur_dirty = 1;
		*rec = rb_view(&r->bad, &r->out);
		r->out.raw = NULL;
		return MP_READ_BAD;
	}
	return MP_READ_EOF;
}

const mp_record *
mp_reader_header(mp_reader *r)
{
	mp_record *rec;
	int st = next_raw(r, &rec);

	if (st == MP_READ_EOF)
		return NULL;
	if (st == MP_READ_OK && !check_record(r, rec, r->cur_dirty))
		st = MP_READ_BAD;
	if (st == MP_READ_BAD)
		return NULL;
	r->nhdr = rec->n;
	r->hdr = mp_xcalloc(rec->n, sizeof *r->hdr);
	for (size_t i = 0; i < rec->n; i++)
		r->hdr[i] = mp_xstrndup(rec->f[i].s, rec->f[i].len);
	r->have_hdr = 1;
	return rec;
}

int
mp_reader_next(mp_reader *r, mp_record **rec)
{
	int st = next_raw(r, rec);

	if (st == MP_READ_EOF)
		return st;
	r->count++;
	if (st == MP_READ_OK && !check_record(r, *rec, r->cur_dirty))
		st = MP_READ_BAD;
	return st;
}
