/* alert.c: hours as text, --now, bad records and sortable output rows. */
#include "alert.h"
#include "err.h"
#include "mptime.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t
mp_hours_format(char *buf, int64_t secs)
{
	/* Tenths of an hour, rounded towards minus infinity. */
	int64_t t = secs >= 0 ? secs / 360 : -((-secs + 359) / 360);

	if (t < 0)
		return (size_t)sprintf(buf, "-%lld.%lld", (long long)(-t / 10), (long long)(-t % 10));
	return (size_t)sprintf(buf, "%lld.%lld", (long long)(t / 10), (long long)(t % 10));
}

void
mp_alert_bad_record(mp_input *in)
{
	mp_data_msg(mp_input_name(in), mp_input_bad_line(in), mp_input_bad_field(in), "%s", mp_input_bad_msg(in));
}

/*
 * Rows live in one growing buffer: each field is its length (a uint32_t,
 * copied unaligned) then its bytes.  A row knows where its fields start.
 */
struct row {
	int64_t key;
	size_t seq;
	size_t off;
};

struct mp_rows {
	size_t ncols, n, cap, nf;
	struct row *rows;
	char *buf;
	size_t len, bufcap;
};

mp_rows *
mp_rows_new(size_t ncols)
{
	mp_rows *rs = mp_xcalloc(1, sizeof *rs);

	rs->ncols = ncols;
	return rs;
}

static void
fill_missing(mp_rows *rs)
{
	while (rs->n > 0 && rs->nf < rs->ncols)
		mp_rows_field(rs, "", 0);
}

void
mp_rows_begin(mp_rows *rs, int64_t key)
{
	struct row *r;

	fill_missing(rs);
	rs->rows = mp_xgrow(rs->rows, &rs->cap, rs->n + 1, sizeof *rs->rows);
	r = &rs->rows[rs->n];
	r->key = key;
	r->seq = rs->n;
	r->off = rs->len;
	rs->n++;
	rs->nf = 0;
}

void
mp_rows_field(mp_rows *rs, const char *s, size_t len)
{
	assert(rs->n > 0 && rs->nf < rs->ncols);	/* a caller's bug: a field outside a row */
	if (!s)
		len = 0;
	if (len > UINT32_MAX)
		mp_too_much("a field of %zu bytes: a field this command lists must be under 4 GiB", len);
	uint32_t n = (uint32_t)len;
	rs->buf = mp_xgrow(rs->buf, &rs->bufcap, rs->len + sizeof n + len, 1);
	memcpy(rs->buf + rs->len, &n, sizeof n);
	if (len)
		memcpy(rs->buf + rs->len + sizeof n, s, len);
	rs->len += sizeof n + len;
	rs->nf++;
}

void
mp_rows_str(mp_rows *rs, const char *s)
{
	mp_rows_field(rs, s, s ? strlen(s) : 0);
}

size_t
mp_rows_count(const mp_rows *rs)
{
	return rs->n;
}

static int
cmp_row(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

void
mp_rows_sort(mp_rows *rs)
{
	fill_missing(rs);
	if (rs->n > 1)
		qsort(rs->rows, rs->n, sizeof *rs->rows, cmp_row);
}

void
mp_rows_write(mp_rows *rs, mp_writer *w)
{
	fill_missing(rs);
	for (size_t i = 0; i < rs->n; i++) {
		const char *p = rs->buf + rs->rows[i].off;
		for (size_t k = 0; k < rs->ncols; k++) {
			uint32_t len;
			memcpy(&len, p, sizeof len);
			mp_writer_field(w, p + sizeof len, len);
			p += sizeof len + len;
		}
		mp_writer_end(w);
	}
}

void
mp_rows_free(mp_rows *rs)
{
	if (!rs)
		return;
	free(rs->rows);
	free(rs->buf);
	free(rs);
}

int64_t
mp_rhi_deadline(const mp_time *end, long within)
{
	int64_t utc, day = end->day + (within + 23) / 24;
	int off, y, m, d;

	if (end->has_time)
		return end->utc + (int64_t)within * 3600;
	mp_civil_from_days(day, &y, &m, &d);
	if (mp_local_to_utc(y, m, d, 23, 59, 0, &utc, &off) < 0)
		utc = day * 86400 + 86340;	/* no zone skips 23:59; a fallback only */
	return utc;
}

long
mp_alert_each(mp_input *in, void (*fn)(void *ctx, const char *file, const mp_record *rec), void *ctx)
{
	mp_record *rec;
	long rejected = 0;
	int st;

	while ((st = mp_input_next(in, &rec)) > 0) {
		if (st == MP_READ_BAD) {
			mp_alert_bad_record(in);
			rejected++;
			continue;
		}
		fn(ctx, mp_input_name(in), rec);
	}
	return st == MP_READ_ERR ? -1 : rejected;
}

void
mp_rows_emit(mp_rows *rs, const char *const *columns, size_t ncols, mp_io_opts *io, const char *sheet)
{
	mp_rows_sort(rs);
	mp_writer *out = mp_writer_open(io->output, io->out_fmt, io->excel);
	mp_io_sheet(io, out, sheet);
	for (size_t i = 0; i < ncols; i++)
		mp_writer_str(out, columns[i]);
	mp_writer_end(out);
	mp_rows_write(rs, out);
	mp_writer_close(out);
	mp_io_finish(io);
}

const char *
mp_rows_cell(const mp_rows *rs, size_t i, size_t col, size_t *len)
{
	const char *p = rs->buf + rs->rows[i].off;
	uint32_t n;

	for (size_t k = 0;; k++) {
		memcpy(&n, p, sizeof n);
		if (k == col)
			break;
		p += sizeof n + n;
	}
	*len = n;
	return p + sizeof n;
}

/* ---- keys with times ---- */

struct kt_entry {
	size_t off, len;
	int64_t t;
};

struct mp_keytimes {
	struct kt_entry *e;
	size_t n, cap;
	char *arena;
	size_t alen, acap;
	int sorted;
};

static _Thread_local const char *kt_arena;

static int
kt_cmp_key(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);
	return c ? c : (an > bn) - (an < bn);
}

static int
kt_cmp(const void *a, const void *b)
{
	const struct kt_entry *x = a, *y = b;
	int c = kt_cmp_key(kt_arena + x->off, x->len, kt_arena + y->off, y->len);
	return c ? c : (x->t > y->t) - (x->t < y->t);
}

mp_keytimes *
mp_keytimes_new(void)
{
	return mp_xcalloc(1, sizeof(mp_keytimes));
}

void
mp_keytimes_add(mp_keytimes *kt, const char *key, size_t n, int64_t t)
{
	kt->e = mp_xgrow(kt->e, &kt->cap, kt->n + 1, sizeof *kt->e);
	/* Keys often repeat in runs (one source, one child's episodes): share the bytes. */
	struct kt_entry *last = kt->n ? &kt->e[kt->n - 1] : NULL;
	if (last && last->len == n && memcmp(kt->arena + last->off, key, n) == 0) {
		kt->e[kt->n++] = (struct kt_entry){ last->off, n, t };
		kt->sorted = 0;
		return;
	}
	kt->arena = mp_xgrow(kt->arena, &kt->acap, kt->alen + n + 1, 1);
	memcpy(kt->arena + kt->alen, key, n);
	kt->e[kt->n++] = (struct kt_entry){ kt->alen, n, t };
	kt->alen += n;
	kt->sorted = 0;
}

int
mp_keytimes_any(mp_keytimes *kt, const char *key, size_t n, int64_t from, int64_t to)
{
	if (!kt->sorted) {
		kt_arena = kt->arena;
		if (kt->n > 1)	/* qsort of no array is undefined */
			qsort(kt->e, kt->n, sizeof *kt->e, kt_cmp);
		kt->sorted = 1;
	}
	size_t a = 0, b = kt->n;
	while (a < b) {		/* the first entry not before (key, from) */
		size_t m = (a + b) / 2;
		int c = kt_cmp_key(kt->arena + kt->e[m].off, kt->e[m].len, key, n);
		if (c < 0 || (c == 0 && kt->e[m].t < from))
			a = m + 1;
		else
			b = m;
	}
	return a < kt->n && kt_cmp_key(kt->arena + kt->e[a].off, kt->e[a].len, key, n) == 0 && kt->e[a].t <= to;
}

void
mp_keytimes_free(mp_keytimes *kt)
{
	if (!kt)
		return;
	free(kt->e);
	free(kt->arena);
	free(kt);
}

long
mp_rows_whose(const mp_rows *rs, size_t col, enum mp_children mode, const char *la, unsigned char *keep)
{
	long kept = 0;
	size_t n;

	for (size_t i = 0; i < rs->n; i++) {
		const char *resp = mp_rows_cell(rs, i, col, &n);
		int k = mp_children_keep(mode, la, resp, n);
		if (k < 0)
			return -1;
		keep[i] = (unsigned char)k;
		kept += k;
	}
	return kept;
}

mp_rows *
mp_rows_select(const mp_rows *src, const unsigned char *keep, size_t ncols)
{
	mp_rows *rs = mp_rows_new(ncols);
	size_t n;

	for (size_t i = 0; i < src->n; i++) {
		if (!keep[i])
			continue;
		mp_rows_begin(rs, src->rows[i].key);
		for (size_t k = 0; k < ncols; k++) {
			const char *f = mp_rows_cell(src, i, k, &n);
			mp_rows_field(rs, f, n);
		}
	}
	return rs;
}
