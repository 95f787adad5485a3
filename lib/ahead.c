/* ahead.c: a reader thread fills a ring of batches of copied rows; the caller takes them in order. */
#include "ahead.h"
#include "err.h"
#include "names.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * NBATCH batches, allocated once and reused: the thread fills one while the
 * caller reads another, so memory stays at a few batches however long the
 * input.  A batch ends after BATCH_ROWS rows or BATCH_BYTES of text.
 */
#define NBATCH 4
#define BATCH_ROWS 2048
#define BATCH_BYTES (1u << 19)
/* A batch grown past this by a huge record goes back to its usual size. */
#define BATCH_SHRINK (4 * (size_t)BATCH_BYTES)
#define NONE SIZE_MAX

/* A row in a batch: its fields and text by offset into the batch's buf. */
struct item {
	int st;
	long line, bad_line;
	size_t f0, nf;
	size_t raw, raw_len;		/* raw NONE: none */
	enum mp_format raw_fmt;
	size_t bad_field, bad_msg;	/* NONE: none */
	const char *file;
};

struct batch {
	struct item it[BATCH_ROWS];
	size_t n;
	mp_field *f;			/* into buf (moved with it) */
	size_t nf, fcap;
	char *buf;
	size_t len, cap;
	int eof;			/* the last batch */
	int full;			/* under mu: filled and not yet given back */
};

struct mp_ahead {
	mp_ahead_src fn;		/* the source */
	void *src;
	pthread_t tid;
	pthread_mutex_t mu;
	pthread_cond_t filled, emptied;	/* a batch is ready for the caller, for the thread */
	int stop;			/* under mu: stopped before the end */
	struct batch b[NBATCH];		/* the ring */
	size_t put;			/* the thread's next batch to fill */
	size_t take;			/* the caller's next batch to read */
	struct batch *cur;		/* being read, or NULL */
	size_t pos;
	int done;			/* the end was returned */
	mp_record rec;			/* the row handed out */
	mp_row_note note;
	mp_names names;			/* the input names, copied: they outlive the source's */
};

/* Make room for n more bytes of text; a move (a huge record) takes the fields' pointers along. */
static void
room(struct batch *b, size_t n)
{
	size_t need = b->len + n;

	if (need <= b->cap)
		return;
	for (size_t i = 0; i < b->nf; i++)
		b->f[i].s = (const char *)(uintptr_t)(b->f[i].s - b->buf);
	b->buf = mp_xgrow(b->buf, &b->cap, need < BATCH_BYTES + 4096 ? BATCH_BYTES + 4096 : need, 1);
	for (size_t i = 0; i < b->nf; i++)
		b->f[i].s = b->buf + (uintptr_t)b->f[i].s;
}

/* Copy n bytes and a NUL into the batch's text: their offset. */
static size_t
put(struct batch *b, const char *s, size_t n)
{
	size_t at;

	room(b, n + 1);
	at = b->len;
	memcpy(b->buf + at, s, n);
	b->buf[at + n] = '\0';
	b->len += n + 1;
	return at;
}

/*
 * The fields of rec into the batch.  Fields that lie one after another,
 * each NUL-terminated (as the reader splits a line without quotes), are
 * copied in one piece.
 */
static void
add_fields(struct batch *b, const mp_record *rec)
{
	size_t i, n = rec->n;

	if (b->nf + n > b->fcap)
		b->f = mp_xgrow(b->f, &b->fcap, b->nf + n < 32 * BATCH_ROWS ? 32 * BATCH_ROWS : b->nf + n, sizeof *b->f);
	if (n == 0)
		return;
	const mp_field *src = rec->f;
	const char *next = src[0].s;
	for (i = 0; i < n && src[i].s == next; i++)
		next += src[i].len + 1;
	if (i == n) {
		size_t at = put(b, src[0].s, (size_t)(next - src[0].s) - 1);	/* may move buf */
		const char *base = b->buf + at;
		mp_field *dst = b->f + b->nf;
		for (i = 0; i < n; i++) {
			size_t len = src[i].len;
			dst[i].s = base;
			dst[i].len = len;
			base += len + 1;
		}
		b->nf += n;
		return;
	}
	for (i = 0; i < n; i++, b->nf++) {
		size_t at = put(b, rec->f[i].s, rec->f[i].len);	/* may move the ones before */
		b->f[b->nf].s = b->buf + at;
		b->f[b->nf].len = rec->f[i].len;
	}
}

/* Copy one row out of the source's buffers into the batch. */
static void
add(mp_ahead *a, struct batch *b, int st, const mp_record *rec, const mp_row_note *note)
{
	struct item *it = &b->it[b->n++];

	it->st = st;
	it->line = rec->line;
	it->file = mp_names_at(&a->names, mp_names_add(&a->names, note->file));
	it->f0 = b->nf;
	it->nf = rec->n;
	add_fields(b, rec);
	/* The raw line is copied too: the source's buffer is reused. */
	it->raw = rec->raw ? put(b, rec->raw, rec->raw_len) : NONE;
	it->raw_len = rec->raw ? rec->raw_len : 0;
	it->raw_fmt = rec->raw_fmt;
	it->bad_field = it->bad_msg = NONE;
	it->bad_line = 0;
	if (st != MP_READ_OK) {
		const char *bf = note->bad_field, *bm = note->bad_msg;
		it->bad_line = note->bad_line;
		if (bf)
			it->bad_field = put(b, bf, strlen(bf));
		it->bad_msg = put(b, bm ? bm : "", bm ? strlen(bm) : 0);
	}
}

/* Fill one batch from the source. */
static void
fill(mp_ahead *a, struct batch *b)
{
	mp_record *rec;
	mp_row_note note;

	if (b->cap > BATCH_SHRINK) {
		free(b->buf);
		b->buf = NULL;
		b->cap = 0;
	}
	if (b->fcap > BATCH_SHRINK / sizeof *b->f) {
		free(b->f);
		b->f = NULL;
		b->fcap = 0;
	}
	b->n = b->nf = b->len = 0;
	b->eof = 0;
	while (b->n < BATCH_ROWS && b->len < BATCH_BYTES) {
		int st = a->fn(a->src, &rec, &note);
		if (st == MP_READ_EOF) {
			b->eof = 1;
			break;
		}
		if (st == MP_READ_ERR) {
			/* A failure ends the input: a last row (of no fields) that carries its message. */
			mp_record none = { .line = note.bad_line };
			add(a, b, st, &none, &note);
			b->eof = 1;
			break;
		}
		add(a, b, st, rec, &note);
	}
}

static void *
reader(void *arg)
{
	mp_ahead *a = arg;

	for (;;) {
		struct batch *b = &a->b[a->put];
		pthread_mutex_lock(&a->mu);
		while (b->full && !a->stop)
			pthread_cond_wait(&a->emptied, &a->mu);
		if (a->stop) {
			pthread_mutex_unlock(&a->mu);
			return NULL;
		}
		pthread_mutex_unlock(&a->mu);
		fill(a, b);
		int eof = b->eof;
		pthread_mutex_lock(&a->mu);
		b->full = 1;
		pthread_cond_signal(&a->filled);
		pthread_mutex_unlock(&a->mu);
		if (eof)
			return NULL;
		a->put = (a->put + 1) % NBATCH;
	}
}

int
mp_ahead_wanted(int on)
{
	const char *env = getenv("MPTOOLS_READ_THREAD");

	if (env && (*env == '0' || *env == '1'))
		return *env == '1';
	return on;
}

mp_ahead *
mp_ahead_start(mp_ahead_src fn, void *src)
{
	mp_ahead *a = mp_xcalloc(1, sizeof *a);

	a->fn = fn;
	a->src = src;
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->filled, NULL);
	pthread_cond_init(&a->emptied, NULL);
	if (pthread_create(&a->tid, NULL, reader, a) != 0) {
		pthread_mutex_destroy(&a->mu);
		pthread_cond_destroy(&a->filled);
		pthread_cond_destroy(&a->emptied);
		free(a);
		return NULL;
	}
	return a;
}

/* Give the batch read back to the thread and wait for the next; NULL after the last. */
static struct batch *
next_batch(mp_ahead *a)
{
	struct batch *b = a->cur;

	pthread_mutex_lock(&a->mu);
	if (b) {
		b->full = 0;
		pthread_cond_signal(&a->emptied);
		a->cur = NULL;
		a->take = (a->take + 1) % NBATCH;
		if (b->eof) {
			pthread_mutex_unlock(&a->mu);
			return NULL;
		}
	}
	b = &a->b[a->take];
	while (!b->full)
		pthread_cond_wait(&a->filled, &a->mu);
	pthread_mutex_unlock(&a->mu);
	a->cur = b;
	a->pos = 0;
	return b;
}

int
mp_ahead_next(mp_ahead *a, mp_record **rec, const mp_row_note **note)
{
	if (a->done)
		return MP_READ_EOF;
	while (!a->cur || a->pos == a->cur->n) {
		/* The last batch may be empty: its eof is seen once it is given back. */
		if (!next_batch(a)) {
			a->done = 1;
			return MP_READ_EOF;
		}
	}
	struct batch *b = a->cur;
	struct item *it = &b->it[a->pos++];
	a->rec.f = b->f ? b->f + it->f0 : NULL;	/* a batch of records with no fields has no array */
	a->rec.n = it->nf;
	a->rec.line = it->line;
	a->rec.raw = it->raw == NONE ? NULL : b->buf + it->raw;
	a->rec.raw_len = it->raw_len;
	a->rec.raw_fmt = it->raw_fmt;
	a->note.file = it->file;
	a->note.bad_line = it->bad_line;
	a->note.bad_field = it->bad_field == NONE ? NULL : b->buf + it->bad_field;
	a->note.bad_msg = it->bad_msg == NONE ? NULL : b->buf + it->bad_msg;
	if (it->st == MP_READ_ERR)
		a->done = 1;
	*rec = &a->rec;
	*note = &a->note;
	return it->st;
}

void
mp_ahead_stop(mp_ahead *a)
{
	if (!a)
		return;
	/* Before the end, the thread stops at its next batch. */
	pthread_mutex_lock(&a->mu);
	a->stop = 1;
	pthread_cond_signal(&a->emptied);
	pthread_mutex_unlock(&a->mu);
	pthread_join(a->tid, NULL);
	for (int i = 0; i < NBATCH; i++) {
		free(a->b[i].f);
		free(a->b[i].buf);
	}
	pthread_mutex_destroy(&a->mu);
	pthread_cond_destroy(&a->filled);
	pthread_cond_destroy(&a->emptied);
	mp_names_free(&a->names);
	free(a);
}
