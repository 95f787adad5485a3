/*
 * reader.c: CSV via libcsv in strict mode, TSV by hand; every record knows
 * its line.  The per-line and per-record logic (splitting, libcsv and its
 * queue, the checks and their messages) is csvline.c, shared with
 * rangeread.c; here are the stream from a descriptor, CP1252, the BOM and
 * the raw pass-through lines.
 */
#include "reader.h"
#include "csvline.h"
#include "err.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (256 * 1024)

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
	size_t bom_held;	/* bytes of a BOM seen so far, before started */

	mp_csvq c;		/* libcsv and the record queue; c.line is the line being fed */
	long next_line;		/* line number of the next segment */

	mp_field *hdr;		/* the header's names (copies), NULL until it is read */
	size_t nhdr;
	long count;

	int cur_dirty;
	mp_bad bad;
	mp_bad pend;	/* a quoting error, kept while the records before it are returned */
	mp_record out;
};

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
	mp_csvq_init(&r->c, fmt == MP_CSV);
	return r;
}

void
mp_reader_close(mp_reader *r)
{
	if (!r)
		return;
	if (r->fd != STDIN_FILENO)
		close(r->fd);
	mp_csvq_free(&r->c);
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	for (size_t i = 0; i < r->nhdr; i++)
		free((char *)r->hdr[i].s);
	free(r->hdr);
	free(r->raw);
	free(r->in);
	free(r->name);
	free(r);
}

const char *mp_reader_name(const mp_reader *r) { return r->name; }
const char *mp_reader_bad_field(const mp_reader *r) { return r->bad.field; }
const char *mp_reader_bad_msg(const mp_reader *r) { return r->bad.msg; }
long mp_reader_bad_line(const mp_reader *r) { return r->bad.line; }
long mp_reader_count(const mp_reader *r) { return r->count; }

int
mp_reader_column(const mp_reader *r, const char *name)
{
	for (size_t i = 0; i < r->nhdr; i++)
		if (strcmp(r->hdr[i].s, name) == 0)
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

/* Read one chunk from the file into r->in, converting if asked.  0 at EOF. */
static int
fill(mp_reader *r)
{
	ssize_t got;

	do
		got = read(r->fd, r->raw, CHUNK);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		mp_die(MP_EXIT_DATA, "%s: read error:", r->name);
	size_t skip = r->started ? 0 : strip_bom(r, r->raw, (size_t)got);
	if (got == 0) {
		r->eof = 1;
		return 0;
	}
	take_bytes(r, r->raw + skip, (size_t)got - skip);
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
	if (r->fmt == MP_CSV)
		mp_csvq_fini(&r->c, &r->pend);
}

/* Parse until a record is queued, a bad one is found, or the input ends. */
static void
parse_more(mp_reader *r)
{
	/* Keep a record still being built (a quoted field across lines). */
	mp_csvq_rewind(&r->c);
	while (r->c.qn == 0 && !r->c.have_bad && !r->finished) {
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

/* The next record from the queue, or a bad record, or EOF. */
static int
next_raw(mp_reader *r, mp_record **rec)
{
	mp_csvq *c = &r->c;

	if (c->qhead >= c->qn && !c->have_bad)
		parse_more(r);
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
	return MP_READ_EOF;
}

const mp_record *
mp_reader_header(mp_reader *r)
{
	mp_record *rec;
	int st = next_raw(r, &rec);

	if (st == MP_READ_EOF)
		return NULL;
	if (st == MP_READ_OK && !mp_check_record(rec, r->cur_dirty, r->enc, NULL, 0, &r->bad))
		st = MP_READ_BAD;
	if (st == MP_READ_BAD)
		return NULL;
	r->nhdr = rec->n;
	r->hdr = mp_xcalloc(rec->n, sizeof *r->hdr);
	for (size_t i = 0; i < rec->n; i++) {
		r->hdr[i].s = mp_xstrndup(rec->f[i].s, rec->f[i].len);
		r->hdr[i].len = rec->f[i].len;
	}
	return rec;
}

int
mp_reader_next(mp_reader *r, mp_record **rec)
{
	int st = next_raw(r, rec);

	if (st == MP_READ_EOF)
		return st;
	r->count++;
	if (st == MP_READ_OK && !mp_check_record(*rec, r->cur_dirty, r->enc, r->hdr, r->nhdr, &r->bad))
		st = MP_READ_BAD;
	return st;
}
