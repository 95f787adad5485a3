/*
 * csvline.h: the line and record logic under mp_reader (reader.c): record
 * buffers, line splitting (CSV without quotes, TSV with its escapes),
 * libcsv in strict mode fed line by line with its record queue, and the
 * checks of a finished record (UTF-8, NUL, field count) and their
 * messages.  Internal to the library: commands use reader.h.
 */
#ifndef MP_CSVLINE_H
#define MP_CSVLINE_H

#include <csv.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "reader.h"

/* A record under construction or waiting in a queue. */
typedef struct mp_recbuf {
	char *buf;		/* field bytes, each NUL-terminated */
	size_t len, cap;
	mp_field *f;		/* until viewed, .s holds the offset into buf */
	size_t n, fcap;
	long line;		/* the line the record starts on */
	int dirty;		/* some byte was not plain UTF-8: check each field */
	int viewed;		/* f[].s are pointers now, not offsets */
	const char *raw;	/* the whole line, when the record is exactly one line */
	size_t raw_len;
} mp_recbuf;

/*
 * The small functions a line or a record passes through are inline here:
 * they are on the reader's fast path, once a line or a record.
 */

/* Empty b (keeping its memory). */
static inline void
mp_recbuf_reset(mp_recbuf *b)
{
	b->len = 0;
	b->n = 0;
	b->line = 0;
	b->dirty = 0;
	b->viewed = 0;
	b->raw = NULL;
	b->raw_len = 0;
}

/* Point the field views at the buffer and describe the record in *out. */
static inline mp_record *
mp_recbuf_view(mp_recbuf *b, mp_record *out)
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

/* Decode TSV escapes (\t \n \r \\) in place; other backslashes stay.  Returns the new length. */
size_t mp_tsv_unescape(char *s, size_t n);

/* Grow a field array of *fcap entries (doubling it); returns *f. */
mp_field *mp_fields_grow(mp_field **f, size_t *fcap);

/*
 * Split s[0..n) in place at sep into (*f)[0..), growing *f (*fcap entries)
 * as needed; each field is NUL-terminated, TSV escapes decoded when
 * unescape.  Returns the number of fields (at least 1).
 */
size_t mp_split_fields(char *s, size_t n, char sep, int unescape, mp_field **f, size_t *fcap);

/* Make room for len bytes in b->buf (the slow path of mp_recbuf_split). */
void mp_recbuf_room(mp_recbuf *b, size_t len);

/*
 * Make b (empty) the record in line s[0..len) (no line end): one copy, split
 * in place at sep, TSV escapes decoded when unescape; raw is the line.
 */
static inline void
mp_recbuf_split(mp_recbuf *b, const char *s, size_t len, char sep, int unescape)
{
	if (len + 1 > b->cap)
		mp_recbuf_room(b, len + 1);
	memcpy(b->buf, s, len);
	b->n = mp_split_fields(b->buf, len, sep, unescape, &b->f, &b->fcap);
	b->len = len + 1;
	b->viewed = 1;
	b->raw = s;
	b->raw_len = len;
}

/* The length of line s[0..n) without its LF or CRLF. */
static inline size_t
mp_line_len(const char *s, size_t n)
{
	if (n > 0 && s[n - 1] == '\n')
		n--;
	if (n > 0 && s[n - 1] == '\r')
		n--;
	return n;
}

/* A line of nothing but CR and LF (it carries no record). */
static inline int
mp_blank_line(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

/*
 * Why a record is bad.  kind (MP_MSG_*, reader.h) says whether the message
 * names further lines (x, and y): a caller that learns the line base only
 * later rebuilds it with mp_bad_format.
 */
typedef struct mp_bad {
	const char *field;	/* column name or NULL */
	long line;
	int kind;
	long x, y;
	char msg[256];
} mp_bad;

void mp_bad_set(mp_bad *b, long line, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The message of a kind that names lines x (and y). */
size_t mp_bad_format(int kind, long x, long y, char *buf, size_t n);

/*
 * The checks of a finished record: each field's UTF-8 (and NUL) when dirty,
 * then the field count against the header (hdr NULL: the header itself).
 * 0 with *bad set when the record cannot be used.
 */
int mp_check_fields(const mp_record *rec, int dirty, enum mp_encoding enc, const mp_field *hdr,
		    size_t nhdr, mp_bad *bad);

static inline int
mp_check_record(const mp_record *rec, int dirty, enum mp_encoding enc, const mp_field *hdr, size_t nhdr,
		mp_bad *bad)
{
	if (!dirty && (!hdr || rec->n == nhdr))
		return 1;
	return mp_check_fields(rec, dirty, enc, hdr, nhdr, bad);
}

/*
 * libcsv (strict, spaces kept) fed one physical line at a time, with the
 * queue of the records it finishes.  q[qn] is always the record being
 * built; q[qhead..qn) are finished.  A quoting error makes the fields read
 * so far the bad record (have_bad) and restarts the parser.
 */
typedef struct mp_csvq {
	struct csv_parser csv;
	int use_csv;		/* the parser was set up (CSV, not TSV) */
	long line;		/* the line being fed */
	int pending;		/* a record has started but not ended */
	long rec_start;		/* the line it started on */
	int dirty;		/* the record being built has suspicious bytes */
	int line_dirty;		/* so has the line being fed (a later record of it may hold them) */
	size_t seg_records;	/* records finished by the last mp_csvq_feed */
	mp_recbuf *q;
	size_t qn, qhead, qcap;
	mp_recbuf bad;
	int have_bad;
} mp_csvq;

/* csv: set up libcsv too (otherwise only the queue is used). */
void mp_csvq_init(mp_csvq *c, int csv);
void mp_csvq_free(mp_csvq *c);

static inline mp_recbuf *
mp_csvq_building(mp_csvq *c)
{
	return &c->q[c->qn];
}

/* Make q[qn] exist (the slow path of mp_csvq_push). */
void mp_csvq_room(mp_csvq *c);

/* The record being built is finished (it starts on c->line unless pending). */
static inline void
mp_csvq_push(mp_csvq *c)
{
	mp_recbuf *b = &c->q[c->qn];

	b->line = c->pending ? c->rec_start : c->line;
	b->dirty = c->dirty;
	/* A bare CR ends a record inside a line: the rest of the line is as suspect as it was. */
	c->dirty = c->line_dirty;
	c->pending = 0;
	if (++c->qn == c->qcap)
		mp_csvq_room(c);
	mp_recbuf_reset(&c->q[c->qn]);
}

/* All queued records were taken: keep the one being built, as q[0]. */
static inline void
mp_csvq_rewind(mp_csvq *c)
{
	if (c->qn > 0) {
		mp_recbuf tmp = c->q[0];
		c->q[0] = c->q[c->qn];
		c->q[c->qn] = tmp;
		c->qn = c->qhead = 0;
	}
}

/*
 * Feed line s[0..n) (with its line end) to libcsv.  0 on a quoting error:
 * the bad record and *bad are set.
 */
int mp_csvq_feed(mp_csvq *c, const char *s, size_t n, mp_bad *bad);

/* At the end of the input: a quote never closed makes the bad record. */
void mp_csvq_fini(mp_csvq *c, mp_bad *bad);

/* libcsv's space test that keeps every space (for other parsers of the same text). */
int mp_csv_no_space(unsigned char c);

#endif
