/* vrows.c: rows through the validator, with the read-ahead the collection year and rule 574 need. */
#include "vrows.h"
#include "err.h"

#include <stdlib.h>
#include <string.h>

/* A row held while the rows before the checks are read: its bytes copied. */
struct kept {
	int bad;
	const char *file;	/* the input's name, where it stays while the input is read */
	char *bad_field, *bad_msg;
	long bad_line;
	mp_record rec;
	char *buf;
};

struct mp_vrows {
	mp_validator *v;
	mp_writer *out;
	size_t ahead;		/* rows to read before checking any (0: none) */
	int settled;		/* the rows read ahead were observed and checked */
	struct kept *kept;
	size_t n, cap;
	long passed, rejected;
};

mp_vrows *
mp_vrows_new(mp_validator *v, mp_writer *out)
{
	mp_vrows *r = mp_xcalloc(1, sizeof *r);

	r->v = v;
	r->out = out;
	r->ahead = mp_validator_lookahead(v);
	r->settled = r->ahead == 0;
	return r;
}

/* Check one row and send it to the output, or count it rejected. */
static void
check(mp_vrows *r, int bad, const char *file, long bad_line, const char *bad_field, const char *bad_msg,
      const mp_record *rec)
{
	mp_validator_set_file(r->v, file);
	if (bad) {
		mp_validator_bad_row(r->v, bad_line, bad_field, bad_msg, rec);
		r->rejected++;
	} else if (mp_validator_row(r->v, rec) > 0) {
		r->rejected++;
	} else {
		mp_writer_record(r->out, rec);
		r->passed++;
	}
}

static char *
dup_or_null(const char *s)
{
	return s ? mp_xstrdup(s) : NULL;
}

/* Copy a row: its fields, and its bytes as read, so a valid one is written through untouched. */
static void
keep(struct kept *k, const mp_record *rec)
{
	size_t total = 0, o = 0;

	for (size_t i = 0; i < rec->n; i++)
		total += rec->f[i].len + 1;
	k->buf = mp_xmalloc(total + (rec->raw ? rec->raw_len : 0));
	memset(&k->rec, 0, sizeof k->rec);
	if (rec->raw) {
		memcpy(k->buf + total, rec->raw, rec->raw_len);
		k->rec.raw = k->buf + total;
		k->rec.raw_len = rec->raw_len;
		k->rec.raw_fmt = rec->raw_fmt;
	}
	k->rec.n = rec->n;
	k->rec.line = rec->line;
	k->rec.f = mp_xcalloc(rec->n, sizeof *k->rec.f);
	for (size_t i = 0; i < rec->n; i++) {
		memcpy(k->buf + o, rec->f[i].s, rec->f[i].len);
		k->buf[o + rec->f[i].len] = '\0';
		k->rec.f[i].s = k->buf + o;
		k->rec.f[i].len = rec->f[i].len;
		o += rec->f[i].len + 1;
	}
}

/* The rows read ahead are all observed: settle the validator, then check them in order. */
static void
settle(mp_vrows *r)
{
	mp_validator_settle(r->v);
	for (size_t i = 0; i < r->n; i++) {
		struct kept *k = &r->kept[i];
		check(r, k->bad, k->file, k->bad_line, k->bad_field, k->bad_msg, &k->rec);
		free(k->bad_field);
		free(k->bad_msg);
		free(k->buf);
		free(k->rec.f);
	}
	free(r->kept);
	r->kept = NULL;
	r->n = r->cap = 0;
	r->settled = 1;
}

static void
row(mp_vrows *r, int bad, const char *file, long bad_line, const char *bad_field, const char *bad_msg,
    const mp_record *rec)
{
	struct kept *k;

	if (r->settled) {
		check(r, bad, file, bad_line, bad_field, bad_msg, rec);
		return;
	}
	r->kept = mp_xgrow(r->kept, &r->cap, r->n + 1, sizeof *r->kept);
	k = &r->kept[r->n++];
	k->bad = bad;
	k->file = file;
	k->bad_line = bad_line;
	k->bad_field = dup_or_null(bad_field);
	k->bad_msg = dup_or_null(bad_msg);
	keep(k, rec);
	mp_validator_set_file(r->v, file);
	if (!bad)
		mp_validator_observe(r->v, rec);
	if (r->n == r->ahead)
		settle(r);
}

void
mp_vrows_row(mp_vrows *r, const char *file, const mp_record *rec)
{
	row(r, 0, file, 0, NULL, NULL, rec);
}

void
mp_vrows_bad(mp_vrows *r, const char *file, long line, const char *field, const char *msg, const mp_record *rec)
{
	row(r, 1, file, line, field, msg, rec);
}

void
mp_vrows_end(mp_vrows *r, long *passed, long *rejected)
{
	if (!r->settled)
		settle(r);
	*passed = r->passed;
	*rejected = r->rejected;
	free(r);
}
