/* csvline.c: line splitting, libcsv feeding and record checks under reader.c. */
#include "csvline.h"
#include "err.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
rb_free(mp_recbuf *b)
{
	free(b->buf);
	free(b->f);
}

size_t
mp_tsv_unescape(char *s, size_t n)
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

mp_field *
mp_fields_grow(mp_field **f, size_t *fcap)
{
	*f = mp_xgrow(*f, fcap, *fcap + 1, sizeof **f);
	return *f;
}

size_t
mp_split_fields(char *s, size_t n, char sep, int unescape, mp_field **f, size_t *fcap)
{
	mp_field *ff = *f;
	size_t nf = 0;
	char *p = s, *end = s + n;

	for (;;) {
		char *q = memchr(p, sep, (size_t)(end - p));
		if (!q)
			q = end;
		if (nf == *fcap)
			ff = mp_fields_grow(f, fcap);
		size_t len = (size_t)(q - p);
		if (unescape)
			len = mp_tsv_unescape(p, len);
		p[len] = '\0';
		ff[nf].s = p;
		ff[nf++].len = len;
		if (q == end)
			return nf;
		p = q + 1;
	}
}

void
mp_recbuf_room(mp_recbuf *b, size_t len)
{
	b->buf = mp_xgrow(b->buf, &b->cap, len, 1);
}

/* Make room for one more field of len bytes. */
static void
rb_grow(mp_recbuf *b, size_t len)
{
	if (b->n == b->fcap)
		mp_fields_grow(&b->f, &b->fcap);
	if (b->len + len + 1 > b->cap)
		mp_recbuf_room(b, b->len + len + 1);
}

/* Append a field; its view holds the offset until mp_recbuf_view turns it into a pointer. */
static inline void
rb_add(mp_recbuf *b, const char *s, size_t len)
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

void
mp_bad_set(mp_bad *b, long line, const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b->msg, sizeof b->msg, fmt, ap);
	va_end(ap);
	b->field = field;
	b->line = line;
	b->kind = MP_MSG_PLAIN;
}

size_t
mp_bad_format(int kind, long x, long y, char *buf, size_t n)
{
	int k;

	if (kind == MP_MSG_QUOTE_AT)
		k = snprintf(buf, n, "bad quoting on line %ld: a quote inside an unquoted field, or text after a closing quote", x);
	else if (kind == MP_MSG_UNTERMINATED)
		k = snprintf(buf, n, "unterminated quoted field: a quote opened in the record starting here is never closed, so lines %ld-%ld could not be read", x, y);
	else
		k = snprintf(buf, n, "%s", "");
	return k < 0 ? 0 : (size_t)k;
}

/* A message that names lines, of a record starting at line. */
static void
bad_lines(mp_bad *b, long line, int kind, long x, long y)
{
	mp_bad_format(kind, x, y, b->msg, sizeof b->msg);
	b->field = NULL;
	b->line = line;
	b->kind = kind;
	b->x = x;
	b->y = y;
}

int
mp_check_fields(const mp_record *rec, int dirty, enum mp_encoding enc, const mp_field *hdr, size_t nhdr,
		mp_bad *bad)
{
	for (size_t i = 0; dirty && i < rec->n; i++) {
		long at = mp_utf8_invalid(rec->f[i].s, rec->f[i].len);
		if (at < 0)
			continue;
		const char *col = hdr && i < nhdr ? hdr[i].s : NULL;
		if (rec->f[i].s[at] == '\0')
			mp_bad_set(bad, rec->line, col, "NUL byte in field %zu at byte %ld", i + 1, at + 1);
		else if (enc == MP_UTF8)
			mp_bad_set(bad, rec->line, col,
				   "invalid UTF-8 in field %zu at byte %ld (if the file came from Excel, try --encoding cp1252)",
				   i + 1, at + 1);
		else
			mp_bad_set(bad, rec->line, col, "invalid character in field %zu at byte %ld", i + 1, at + 1);
		return 0;
	}
	if (hdr && rec->n != nhdr) {
		mp_bad_set(bad, rec->line, NULL, "expected %zu fields (as in the header), found %zu", nhdr, rec->n);
		return 0;
	}
	return 1;
}

int
mp_csv_no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void
csv_setup(mp_csvq *c)
{
	if (csv_init(&c->csv, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		mp_oom();	/* its only failure: no memory for its buffer */
	csv_set_space_func(&c->csv, mp_csv_no_space);
	/* libcsv grows a field's buffer by blk_size at a time: 128 bytes by default
	 * makes a huge quoted field cost a realloc every 128 bytes. */
	csv_set_blk_size(&c->csv, 64 * 1024);
}

void
mp_csvq_room(mp_csvq *c)
{
	if (c->qn == c->qcap) {
		size_t old = c->qcap;
		c->q = mp_xgrow(c->q, &c->qcap, c->qn + 1, sizeof *c->q);
		memset(c->q + old, 0, (c->qcap - old) * sizeof *c->q);
	}
}

void
mp_csvq_init(mp_csvq *c, int csv)
{
	memset(c, 0, sizeof *c);
	mp_csvq_room(c);
	c->use_csv = csv;
	if (csv)
		csv_setup(c);
}

void
mp_csvq_free(mp_csvq *c)
{
	if (c->use_csv)
		csv_free(&c->csv);
	for (size_t i = 0; i < c->qcap; i++)
		rb_free(&c->q[i]);
	rb_free(&c->bad);
	free(c->q);
}

static void
on_field(void *s, size_t len, void *data)
{
	mp_csvq *c = data;

	if (!c->pending) {
		c->pending = 1;
		c->rec_start = c->line;
	}
	rb_add(&c->q[c->qn], s ? s : "", s ? len : 0);
}

static void
on_record(int ch, void *data)
{
	mp_csvq *c = data;

	(void)ch;
	c->seg_records++;
	mp_csvq_push(c);
}

/* A quoting error: the fields read so far become the bad record; the parser starts again. */
static void
broken(mp_csvq *c, long at_line, mp_bad *bad)
{
	mp_recbuf *b = &c->q[c->qn];

	mp_recbuf_reset(&c->bad);
	for (size_t i = 0; i < b->n; i++)
		rb_add(&c->bad, b->buf + (uintptr_t)b->f[i].s, b->f[i].len);
	c->bad.line = c->pending ? c->rec_start : at_line;
	mp_recbuf_reset(b);
	if (at_line == c->bad.line)
		mp_bad_set(bad, c->bad.line, NULL,
			   "bad quoting: a quote inside an unquoted field, or text after a closing quote");
	else
		bad_lines(bad, c->bad.line, MP_MSG_QUOTE_AT, at_line, 0);
	c->have_bad = 1;
	c->pending = 0;
	c->dirty = 0;
	csv_free(&c->csv);
	csv_setup(c);
}

int
mp_csvq_feed(mp_csvq *c, const char *s, size_t n, mp_bad *bad)
{
	if (!c->pending) {
		c->pending = 1;
		c->rec_start = c->line;
	}
	/*
	 * libcsv trims spaces around unquoted fields unless told not to, and
	 * telling it costs a call a byte: do so only where a line has spaces
	 * or tabs to keep.
	 */
	csv_set_space_func(&c->csv, memchr(s, ' ', n) || memchr(s, '\t', n) ? mp_csv_no_space : NULL);
	c->seg_records = 0;
	if (csv_parse(&c->csv, s, n, on_field, on_record, c) < n) {
		broken(c, c->line, bad);
		return 0;
	}
	/*
	 * A bare CR ended a record and another began after it on this line (a
	 * quoted field still open, say): it is pending too, or the next line
	 * would be taken for the start of a record.  libcsv's state 0 is
	 * ROW_NOT_BEGUN.
	 */
	if (!c->pending && c->csv.pstate != 0) {
		c->pending = 1;
		c->rec_start = c->line;
	}
	return 1;
}

void
mp_csvq_fini(mp_csvq *c, mp_bad *bad)
{
	if (csv_fini(&c->csv, on_field, on_record, c) == 0)
		return;
	long start = c->pending ? c->rec_start : c->line;
	broken(c, start, bad);
	bad_lines(bad, start, MP_MSG_UNTERMINATED, start, c->line);
}
