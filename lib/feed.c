/* feed.c: a reader thread fills a ring of batches of copied rows; the caller takes them in order. */
#include "feed.h"
#include "err.h"

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
	mp_field *f;			/* s: an offset while filling, then a pointer */
	size_t nf, fcap;
	char *buf;
	size_t len, cap;
	int eof;			/* the last batch */
	int full;			/* under mu: filled and not yet given back */
};

struct mp_feed {
	mp_input *in;			/* the source: several files, */
	mp_reader *r;			/* or one reader past its header */
	int threaded;
	pthread_t tid;
	pthread_mutex_t mu;
	pthread_cond_t filled, emptied;	/* a batch is ready for the caller, for the thread */
	int stop;			/* under mu: closed before the end */
	struct batch *b;		/* the ring, NBATCH */
	size_t put;			/* the thread's next batch to fill */
	size_t take;			/* the caller's next batch to read */
	struct batch *cur;		/* being read, or NULL */
	size_t pos;
	int done;			/* the end was returned */
	mp_feed_row row;
	char **names;			/* input names, interned */
	size_t nnames;
};

/* The feed's copy of name (new when the input changes). */
static const char *
intern(mp_feed *f, const char *name)
{
	if (f->nnames && strcmp(f->names[f->nnames - 1], name) == 0)
		return f->names[f->nnames - 1];
	f->names = mp_xrealloc(f->names, (f->nnames + 1) * sizeof *f->names);
	f->names[f->nnames] = mp_xstrdup(name);
	return f->names[f->nnames++];
}

static int
source_next(mp_feed *f, mp_record **rec)
{
	return f->in ? mp_input_next(f->in, rec) : mp_reader_next(f->r, rec);
}

/* The reader of the row just read (for why it is bad). */
static mp_reader *
source_reader(const mp_feed *f)
{
	return f->in ? mp_input_reader(f->in) : f->r;
}

/* The name of the input the row just read came from. */
static const char *
source_name(mp_feed *f)
{
	return f->in ? intern(f, mp_input_name(f->in)) : f->names[0];
}

static size_t
put(struct batch *b, const char *s, size_t n)
{
	size_t at = b->len;

	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : BATCH_BYTES + 4096;
		while (b->len + n + 1 > cap)
			cap *= 2;
		b->buf = mp_xrealloc(b->buf, cap);
		b->cap = cap;
	}
	memcpy(b->buf + at, s, n);
	b->buf[at + n] = '\0';
	b->len += n + 1;
	return at;
}

/* Copy one row out of the reader's buffers into the batch. */
static void
add(mp_feed *f, struct batch *b, int st, const mp_record *rec)
{
	struct item *it = &b->it[b->n++];
	size_t i;

	it->st = st;
	it->line = rec->line;
	it->file = source_name(f);
	if (b->nf + rec->n > b->fcap) {
		size_t cap = b->fcap ? b->fcap : 32 * BATCH_ROWS;
		while (b->nf + rec->n > cap)
			cap *= 2;
		b->f = mp_xrealloc(b->f, cap * sizeof *b->f);
		b->fcap = cap;
	}
	it->f0 = b->nf;
	it->nf = rec->n;
	/*
	 * Fields that lie one after another, each NUL-terminated (as the reader
	 * splits a line without quotes), are copied in one piece.
	 */
	for (i = 1; i < rec->n; i++)
		if ((uintptr_t)rec->f[i].s != (uintptr_t)rec->f[i - 1].s + rec->f[i - 1].len + 1)
			break;
	if (rec->n > 0 && i == rec->n) {
		const char *first = rec->f[0].s;
		size_t span = (size_t)(rec->f[rec->n - 1].s - first) + rec->f[rec->n - 1].len;
		size_t base = put(b, first, span);
		for (i = 0; i < rec->n; i++) {
			b->f[b->nf].s = (const char *)(uintptr_t)(base + (size_t)(rec->f[i].s - first));
			b->f[b->nf++].len = rec->f[i].len;
		}
	} else {
		for (i = 0; i < rec->n; i++) {
			b->f[b->nf].s = (const char *)(uintptr_t)put(b, rec->f[i].s, rec->f[i].len);
			b->f[b->nf++].len = rec->f[i].len;
		}
	}
	/* The raw line is copied too: the reader's buffer is reused. */
	it->raw = rec->raw ? put(b, rec->raw, rec->raw_len) : NONE;
	it->raw_len = rec->raw ? rec->raw_len : 0;
	it->raw_fmt = rec->raw_fmt;
	it->bad_field = it->bad_msg = NONE;
	it->bad_line = 0;
	if (st == MP_READ_BAD) {
		mp_reader *r = source_reader(f);
		const char *bf = mp_reader_bad_field(r), *bm = mp_reader_bad_msg(r);
		it->bad_line = mp_reader_bad_line(r);
		if (bf)
			it->bad_field = put(b, bf, strlen(bf));
		it->bad_msg = put(b, bm ? bm : "", bm ? strlen(bm) : 0);
	}
}

/* Fill one batch from the source; the field offsets become pointers once the text no longer moves. */
static void
fill(mp_feed *f, struct batch *b)
{
	mp_record *rec;

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
		int st = source_next(f, &rec);
		if (st == MP_READ_EOF) {
			b->eof = 1;
			break;
		}
		add(f, b, st, rec);
	}
	for (size_t i = 0; i < b->nf; i++)
		b->f[i].s = b->buf + (uintptr_t)b->f[i].s;
}

static void *
reader(void *arg)
{
	mp_feed *f = arg;

	for (;;) {
		struct batch *b = &f->b[f->put];
		pthread_mutex_lock(&f->mu);
		while (b->full && !f->stop)
			pthread_cond_wait(&f->emptied, &f->mu);
		if (f->stop) {
			pthread_mutex_unlock(&f->mu);
			return NULL;
		}
		pthread_mutex_unlock(&f->mu);
		fill(f, b);
		int eof = b->eof;
		pthread_mutex_lock(&f->mu);
		b->full = 1;
		pthread_cond_signal(&f->filled);
		pthread_mutex_unlock(&f->mu);
		if (eof)
			return NULL;
		f->put = (f->put + 1) % NBATCH;
	}
}

static mp_feed *
start(mp_feed *f, int threaded)
{
	/* MPTOOLS_READ_THREAD=0 or 1 overrides the caller's choice (for measuring). */
	const char *env = getenv("MPTOOLS_READ_THREAD");
	if (env && (*env == '0' || *env == '1'))
		threaded = *env == '1';
	if (!threaded)
		return f;
	f->b = mp_xcalloc(NBATCH, sizeof *f->b);
	pthread_mutex_init(&f->mu, NULL);
	pthread_cond_init(&f->filled, NULL);
	pthread_cond_init(&f->emptied, NULL);
	f->threaded = pthread_create(&f->tid, NULL, reader, f) == 0;
	if (!f->threaded) {
		/* No thread: read as asked for instead. */
		pthread_mutex_destroy(&f->mu);
		pthread_cond_destroy(&f->filled);
		pthread_cond_destroy(&f->emptied);
		free(f->b);
		f->b = NULL;
	}
	return f;
}

mp_feed *
mp_feed_open(mp_input *in, int threaded)
{
	mp_feed *f = mp_xcalloc(1, sizeof *f);

	f->in = in;
	return start(f, threaded);
}

mp_feed *
mp_feed_open_reader(mp_reader *r, int threaded)
{
	mp_feed *f = mp_xcalloc(1, sizeof *f);

	f->r = r;
	intern(f, mp_reader_name(r));
	return start(f, threaded);
}

/* Give the batch read back to the thread and wait for the next; NULL after the last. */
static struct batch *
next_batch(mp_feed *f)
{
	struct batch *b = f->cur;

	pthread_mutex_lock(&f->mu);
	if (b) {
		b->full = 0;
		pthread_cond_signal(&f->emptied);
		f->cur = NULL;
		f->take = (f->take + 1) % NBATCH;
		if (b->eof) {
			pthread_mutex_unlock(&f->mu);
			return NULL;
		}
	}
	b = &f->b[f->take];
	while (!b->full)
		pthread_cond_wait(&f->filled, &f->mu);
	pthread_mutex_unlock(&f->mu);
	f->cur = b;
	f->pos = 0;
	return b;
}

/* Unthreaded: the reader's own record, valid until the next read. */
static int
next_direct(mp_feed *f, mp_feed_row **row)
{
	mp_feed_row *r = &f->row;
	mp_record *rec;
	int st = source_next(f, &rec);

	if (st == MP_READ_EOF) {
		f->done = 1;
		return 0;
	}
	r->st = st;
	r->rec = *rec;
	r->file = source_name(f);
	r->bad_line = 0;
	r->bad_field = r->bad_msg = NULL;
	if (st == MP_READ_BAD) {
		mp_reader *rd = source_reader(f);
		r->bad_line = mp_reader_bad_line(rd);
		r->bad_field = mp_reader_bad_field(rd);
		r->bad_msg = mp_reader_bad_msg(rd);
	}
	*row = r;
	return 1;
}

int
mp_feed_next(mp_feed *f, mp_feed_row **row)
{
	mp_feed_row *r = &f->row;

	if (f->done)
		return 0;
	if (!f->threaded)
		return next_direct(f, row);
	while (!f->cur || f->pos == f->cur->n) {
		/* The last batch may be empty: its eof is seen once it is given back. */
		if (!next_batch(f)) {
			f->done = 1;
			return 0;
		}
	}
	struct batch *b = f->cur;
	struct item *it = &b->it[f->pos++];
	r->st = it->st;
	r->rec.f = b->f ? b->f + it->f0 : NULL;	/* a batch of records with no fields has no array */
	r->rec.n = it->nf;
	r->rec.line = it->line;
	r->rec.raw = it->raw == NONE ? NULL : b->buf + it->raw;
	r->rec.raw_len = it->raw_len;
	r->rec.raw_fmt = it->raw_fmt;
	r->file = it->file;
	r->bad_line = it->bad_line;
	r->bad_field = it->bad_field == NONE ? NULL : b->buf + it->bad_field;
	r->bad_msg = it->bad_msg == NONE ? NULL : b->buf + it->bad_msg;
	*row = r;
	return 1;
}

void
mp_feed_close(mp_feed *f)
{
	if (!f)
		return;
	if (f->threaded) {
		/* Before the end, the thread stops at its next batch. */
		pthread_mutex_lock(&f->mu);
		f->stop = 1;
		pthread_cond_signal(&f->emptied);
		pthread_mutex_unlock(&f->mu);
		pthread_join(f->tid, NULL);
		for (int i = 0; i < NBATCH; i++) {
			free(f->b[i].f);
			free(f->b[i].buf);
		}
		free(f->b);
		pthread_mutex_destroy(&f->mu);
		pthread_cond_destroy(&f->filled);
		pthread_cond_destroy(&f->emptied);
	}
	for (size_t i = 0; i < f->nnames; i++)
		free(f->names[i]);
	free(f->names);
	free(f);
}
