/*
 * export.c: the canonical episodes written as the SSDA903 Missing table
 * (one collection year, looked-after children, the national rules kept)
 * or as the standard safeguarding dataset's ssd_missing table.
 */
#include "export.h"
#include "alert.h"
#include "err.h"
#include "names.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One SSDA903 row kept until the whole stream is read. */
struct xrow {
	int64_t start_utc;	/* orders a child's episodes within a day */
	int64_t sday, eday;	/* local days of start and end (eday unused when open) */
	int64_t dob;		/* day of birth, or NO_DOB */
	size_t child, rec;	/* arena offsets: the child id; the fields as read */
	uint32_t child_len, nf;
	long line;
	int file;
	char type;		/* 'M' or 'A' */
	unsigned char open;	/* no MIS_END: open at the year's end, or ending after it */
	unsigned char rejected;
	size_t pos;		/* place in the written order */
};

#define NO_DOB INT64_MIN

struct mp_export {
	enum mp_export_format fmt;
	const mp_colmap *cm;
	mp_writer *out;
	mp_export_reject_fn reject;
	void *ctx;
	int64_t ys, ye;		/* first and last day of the collection year */
	struct xrow *rows;
	size_t n, cap;
	char *arena;
	size_t alen, acap;
	mp_names files;		/* the files rows came from */
	mp_export_counts c;
};

static const char *const ssda903_cols[] = { "CHILD", "DOB", "MISSING", "MIS_START", "MIS_END" };
static const char *const ssd_cols[] = {
	"miss_table_id", "miss_person_id", "miss_missing_episode_start_date", "miss_missing_episode_type",
	"miss_missing_episode_end_date", "miss_missing_rhi_offered", "miss_missing_rhi_accepted",
};

const int *
mp_export_required(enum mp_export_format fmt)
{
	static const int ssda903[] = { MP_COL_CHILD_ID, MP_COL_TYPE, MP_COL_START, MP_COL_END, MP_COL_CARE_STATUS, -1 };
	static const int ssd[] = { MP_COL_EPISODE_ID, MP_COL_CHILD_ID, MP_COL_TYPE, MP_COL_START, MP_COL_END, -1 };

	return fmt == MP_EXPORT_SSDA903 ? ssda903 : ssd;
}

mp_export *
mp_export_new(enum mp_export_format fmt, int year, const mp_colmap *cm, mp_writer *out,
	      mp_export_reject_fn reject, void *ctx)
{
	mp_export *x = mp_xcalloc(1, sizeof *x);
	const char *const *cols = fmt == MP_EXPORT_SSDA903 ? ssda903_cols : ssd_cols;
	size_t ncols = fmt == MP_EXPORT_SSDA903 ? 5 : 7;

	x->fmt = fmt;
	x->cm = cm;
	x->out = out;
	x->reject = reject;
	x->ctx = ctx;
	x->ys = mp_days_from_civil(year - 1, 4, 1);
	x->ye = mp_days_from_civil(year, 3, 31);
	for (size_t i = 0; i < ncols; i++)
		mp_writer_str(out, cols[i]);
	mp_writer_end(out);
	return x;
}

/* Report a row that cannot be exported. */
static void
reject(mp_export *x, const char *file, const mp_record *rec, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void
reject(mp_export *x, const char *file, const mp_record *rec, const char *field, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	x->c.rejected++;
	x->reject(x->ctx, file, rec->line, field, msg, rec);
}

/* dd/mm/yyyy for a day, into buf (16 bytes). */
static const char *
dmy(char *buf, int64_t day)
{
	int y, m, d;

	mp_civil_from_days(day, &y, &m, &d);
	snprintf(buf, 16, "%02d/%02d/%04d", d, m, y);
	return buf;
}

/* Decode a row (the one vocabulary: types, flags, dates, end after start); 0, or -1 after reporting it. */
static int
decode(mp_export *x, const char *file, const mp_record *rec, mp_episode *ep)
{
	const char *col;
	char msg[256];

	if (mp_episode_decode(x->cm, rec, ep, &col, msg, sizeof msg)) {
		reject(x, file, rec, col, "%s", msg);
		return -1;
	}
	return 0;
}

/* Copy n bytes into the arena; returns their offset. */
static size_t
keep(mp_export *x, const void *s, size_t n)
{
	size_t off = x->alen;

	x->arena = mp_xgrow(x->arena, &x->acap, x->alen + n, 1);
	if (n)
		memcpy(x->arena + off, s, n);
	x->alen += n;
	return off;
}

/* Keep one SSDA903 row (the fields as read, for a later rejection). */
static void
keep_row(mp_export *x, const char *file, const mp_record *rec, const struct xrow *r)
{
	x->rows = mp_xgrow(x->rows, &x->cap, x->n + 1, sizeof *x->rows);
	struct xrow *k = &x->rows[x->n++];
	*k = *r;
	mp_field child = mp_get(x->cm, rec, MP_COL_CHILD_ID);
	k->child = keep(x, child.s, child.len);
	k->child_len = (uint32_t)child.len;
	k->rec = x->alen;
	k->nf = (uint32_t)rec->n;
	for (size_t i = 0; i < rec->n; i++) {
		uint32_t len = (uint32_t)rec->f[i].len;
		keep(x, &len, sizeof len);
		keep(x, rec->f[i].s, len);
	}
	k->line = rec->line;
	k->file = (int)mp_names_add(&x->files, file);
}

static void
ssda903_row(mp_export *x, const char *file, const mp_record *rec)
{
	mp_field cs = mp_get(x->cm, rec, MP_COL_CARE_STATUS), dobf;
	struct xrow r = { .dob = NO_DOB };
	mp_episode ep;

	if (cs.len != 3 || memcmp(cs.s, "lac", 3) != 0) {
		x->c.not_lac++;
		return;
	}
	if (decode(x, file, rec, &ep))
		return;
	dobf = mp_get(x->cm, rec, MP_COL_DOB);
	if (dobf.len) {
		mp_time t;
		const char *why;
		if (mp_date_parse(dobf.s, dobf.len, &t, &why)) {
			reject(x, file, rec, "dob", "'%s': %s", mp_show(dobf.s, dobf.len), why);
			return;
		}
		r.dob = t.day;
	}
	r.sday = mp_local_day(&ep.start);
	r.eday = ep.has_end ? mp_local_day(&ep.end) : 0;
	if (r.sday > x->ye || (ep.has_end && r.eday < x->ys)) {
		x->c.outside++;
		return;
	}
	if (r.dob != NO_DOB && r.sday <= r.dob) {
		char s[16], b[16];
		reject(x, file, rec, "start", "starts (%s) on or before the date of birth (%s) [586]", dmy(s, r.sday),
		       dmy(b, r.dob));
		return;
	}
	r.start_utc = ep.start.utc;
	r.type = ep.type == MP_EP_MISSING ? 'M' : 'A';
	r.open = !ep.has_end || r.eday > x->ye;
	keep_row(x, file, rec, &r);
}

/* YYYY-MM-DD HH:MM:SS in local time (a date alone is its midnight). */
static size_t
ssd_time(char *buf, const mp_time *t)
{
	mp_time lt = *t;

	if (t->has_time)
		mp_utc_to_local(t->utc, &lt);
	else
		lt.h = lt.mi = lt.s = 0;
	return (size_t)snprintf(buf, 32, "%04d-%02d-%02d %02d:%02d:%02d", lt.y, lt.mo, lt.d, lt.h, lt.mi, lt.s);
}

static void
ssd_row(mp_export *x, const char *file, const mp_record *rec)
{
	static const char *const words[] = { "Missing", "Away", "Absent" };
	mp_episode ep;
	char buf[32];

	if (decode(x, file, rec, &ep))
		return;
	if (ep.id.len == 0) {
		reject(x, file, rec, "episode_id", "required value is empty");
		return;
	}
	mp_writer_field(x->out, ep.id.s, ep.id.len);
	mp_writer_field(x->out, ep.child.s, ep.child.len);
	mp_writer_field(x->out, buf, ssd_time(buf, &ep.start));
	mp_writer_str(x->out, words[ep.type]);
	mp_writer_field(x->out, buf, ep.has_end ? ssd_time(buf, &ep.end) : 0);
	mp_field f = mp_get(x->cm, rec, MP_COL_RHI_OFFERED);
	mp_writer_field(x->out, f.s, f.len);
	f = mp_get(x->cm, rec, MP_COL_RHI_ACCEPTED);
	mp_writer_field(x->out, f.s, f.len);
	mp_writer_end(x->out);
	x->c.written++;
}

void
mp_export_row(mp_export *x, const char *file, const mp_record *rec)
{
	if (x->fmt == MP_EXPORT_SSDA903)
		ssda903_row(x, file, rec);
	else
		ssd_row(x, file, rec);
}

/* qsort has no context argument: the rows being sorted. */
static const mp_export *sorting;

static int
child_cmp(const struct xrow *a, const struct xrow *b)
{
	size_t n = a->child_len < b->child_len ? a->child_len : b->child_len;
	int c = memcmp(sorting->arena + a->child, sorting->arena + b->child, n);

	if (c)
		return c;
	return (a->child_len > b->child_len) - (a->child_len < b->child_len);
}

/* The written order: child, then start, then input order. */
static int
written_cmp(const void *pa, const void *pb)
{
	const struct xrow *a = pa, *b = pb;
	int c = child_cmp(a, b);

	if (c)
		return c;
	if (a->start_utc != b->start_utc)
		return a->start_utc < b->start_utc ? -1 : 1;
	return (a->pos > b->pos) - (a->pos < b->pos);
}

/* The national order within a child (rule 574): end, or start where open; start; the written order. */
static int
national_cmp(const void *pa, const void *pb)
{
	const struct xrow *a = *(const struct xrow *const *)pa, *b = *(const struct xrow *const *)pb;
	int64_t ka = a->open ? a->sday : a->eday, kb = b->open ? b->sday : b->eday;

	if (ka != kb)
		return ka < kb ? -1 : 1;
	if (a->sday != b->sday)
		return a->sday < b->sday ? -1 : 1;
	return (a->pos > b->pos) - (a->pos < b->pos);
}

/* The fields of a kept row, as a record, for the reject function. */
static void
reject_kept(mp_export *x, struct xrow *r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
reject_kept(mp_export *x, struct xrow *r, const char *fmt, ...)
{
	mp_field *f = mp_xcalloc(r->nf ? r->nf : 1, sizeof *f);
	const char *p = x->arena + r->rec;
	mp_record rec = { .f = f, .n = r->nf, .line = r->line };
	char msg[512];
	va_list ap;

	for (uint32_t i = 0; i < r->nf; i++) {
		uint32_t len;
		memcpy(&len, p, sizeof len);
		f[i].s = p + sizeof len;
		f[i].len = len;
		p += sizeof len + len;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	r->rejected = 1;
	x->c.rejected++;
	x->reject(x->ctx, mp_names_at(&x->files, r->file), r->line, "start", msg, &rec);
	free(f);
}

/* Where another row is, for a message: "line N", or "FILE:N" from another file. */
static const char *
where(const mp_export *x, const struct xrow *of, const struct xrow *r)
{
	static char buf[512];

	if (of->file == r->file)
		snprintf(buf, sizeof buf, "line %ld", of->line);
	else
		snprintf(buf, sizeof buf, "%s:%ld", mp_names_at(&x->files, of->file), of->line);
	return buf;
}

/*
 * Rule 574 on one child's rows (national order): a row that starts while
 * the last row kept is open in the return, or before it ends, is rejected,
 * so the rows written never overlap as the national validator sees them.
 */
static void
overlaps(mp_export *x, struct xrow **v, size_t n)
{
	struct xrow *prev = NULL;
	char s[16], e[16];

	qsort(v, n, sizeof *v, national_cmp);
	for (size_t i = 0; i < n; i++) {
		struct xrow *r = v[i];
		if (prev && prev->open)
			reject_kept(x, r, "overlaps the episode on %s (from %s, open in the return) [574]",
				    where(x, prev, r), dmy(s, prev->sday));
		else if (prev && r->sday < prev->eday)
			reject_kept(x, r, "overlaps the episode on %s (%s to %s) [574]", where(x, prev, r),
				    dmy(s, prev->sday), dmy(e, prev->eday));
		else
			prev = r;
	}
}

static void
write_row(mp_export *x, const struct xrow *r)
{
	char buf[16];

	mp_writer_field(x->out, x->arena + r->child, r->child_len);
	mp_writer_str(x->out, r->dob != NO_DOB ? dmy(buf, r->dob) : "");
	mp_writer_field(x->out, &r->type, 1);
	mp_writer_str(x->out, dmy(buf, r->sday));
	mp_writer_str(x->out, r->open ? "" : dmy(buf, r->eday));
	mp_writer_end(x->out);
	x->c.written++;
}

void
mp_export_finish(mp_export *x)
{
	struct xrow **v;

	if (x->fmt != MP_EXPORT_SSDA903 || x->n == 0)
		return;
	for (size_t i = 0; i < x->n; i++)
		x->rows[i].pos = i;
	sorting = x;
	qsort(x->rows, x->n, sizeof *x->rows, written_cmp);
	v = mp_xmalloc(x->n * sizeof *v);
	for (size_t i = 0; i < x->n; i++) {
		x->rows[i].pos = i;
		v[i] = &x->rows[i];
	}
	for (size_t a = 0, b; a < x->n; a = b) {
		for (b = a + 1; b < x->n && child_cmp(&x->rows[a], &x->rows[b]) == 0; b++)
			;
		overlaps(x, v + a, b - a);
	}
	free(v);
	for (size_t i = 0; i < x->n; i++)
		if (!x->rows[i].rejected)
			write_row(x, &x->rows[i]);
}

void
mp_export_counts_get(const mp_export *x, mp_export_counts *c)
{
	*c = x->c;
}

void
mp_export_free(mp_export *x)
{
	if (!x)
		return;
	mp_names_free(&x->files);
	free(x->rows);
	free(x->arena);
	free(x);
}
