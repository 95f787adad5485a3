/* feed.c: rows parsed ahead in batches by a reader thread, handed over under a mutex. */
#include "feed.h"
#include "err.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BATCH_ROWS 1024
#define BATCH_BYTES (1u << 20)
#define MAX_QUEUED 6

/* A row in a batch: fields and text by offset while the batch fills. */
struct item {
	int st;
	long line, bad_line;
	size_t f0, nf;
	size_t raw, raw_len;	/* raw == SIZE_MAX: none */
	enum mp_format raw_fmt;
	size_t bad_field, bad_msg;	/* SIZE_MAX: none */
	const char *file;
};

struct batch {
	struct batch *next;
	size_t n, nf, fcap, len, cap;
	int eof;
	struct item it[BATCH_ROWS];
	mp_field *f;
	char *buf;
};

struct mp_feed {
	mp_input *in;
	int threaded;
	pthread_t tid;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch *head, *tail, *spare;
	int queued;
	struct batch *cur;	/* being consumed */
	int done;		/* the end was returned */
	size_t pos;
	mp_row row;
	char **names;		/* input names, interned by the reader */
	size_t nnames;
};

/* The feed's copy of the current input's name (new when the input changes). */
static const char *
intern(mp_feed *f, const char *name)
{
	if (f->nnames && strcmp(f->names[f->nnames - 1], name) == 0)
		return f->names[f->nnames - 1];
	f->names = mp_xrealloc(f->names, (f->nnames + 1) * sizeof *f->names);
	f->names[f->nnames] = mp_xstrdup(name);
	return f->names[f->nnames++];
}

static size_t
put(struct batch *b, const char *s, size_t n)
{
	size_t at = b->len;

	if (b->len + n + 1 > b->cap) {
		while (b->len + n + 1 > b->cap)
			b->cap = b->cap ? b->cap * 2 : BATCH_BYTES + 4096;
		b->buf = mp_xrealloc(b->buf, b->cap);
	}
	memcpy(b->buf + at, s, n);
	b->buf[at + n] = '\0';
	b->len += n + 1;
	return at;
}

/* Copy one row from the input into the batch. */
static void
add(mp_feed *f, struct batch *b, int st, const mp_record *rec)
{
	struct item *it = &b->it[b->n++];
	mp_reader *r = mp_input_reader(f->in);

	it->st = st;
	it->line = rec->line;
	it->file = intern(f, mp_input_name(f->in));
	if (b->nf + rec->n > b->fcap) {
		while (b->nf + rec->n > b->fcap)
			b->fcap = b->fcap ? b->fcap * 2 : 32 * BATCH_ROWS;
		b->f = mp_xrealloc(b->f, b->fcap * sizeof *b->f);
	}
	it->f0 = b->nf;
	it->nf = rec->n;
	for (size_t i = 0; i < rec->n; i++) {
		b->f[b->nf].s = (const char *)(uintptr_t)put(b, rec->f[i].s, rec->f[i].len);
		b->f[b->nf++].len = rec->f[i].len;
	}
	it->raw = rec->raw ? put(b, rec->raw, rec->raw_len) : SIZE_MAX;
	it->raw_len = rec->raw_len;
	it->raw_fmt = rec->raw_fmt;
	it->bad_field = it->bad_msg = SIZE_MAX;
	it->bad_line = 0;
	if (st == MP_READ_BAD) {
		const char *bf = mp_reader_bad_field(r), *bm = mp_reader_bad_msg(r);
		it->bad_line = mp_reader_bad_line(r);
		if (bf)
			it->bad_field = put(b, bf, strlen(bf));
		it->bad_msg = put(b, bm ? bm : "", bm ? strlen(bm) : 0);
	}
}

/* Turn the field offsets into pointers, now that the text no longer moves. */
static void
settle(struct batch *b)
{
	for (size_t i = 0; i < b->nf; i++)
		b->f[i].s = b->buf + (uintptr_t)b->f[i].s;
}

static void *
reader(void *arg)
{
	mp_feed *f = arg;
	mp_record *rec;

	for (;;) {
		struct batch *b;
		pthread_mutex_lock(&f->mu);
		while (f->queued >= MAX_QUEUED)
			pthread_cond_wait(&f->cv, &f->mu);
		b = f->spare;
		if (b)
			f->spare = b->next;
		pthread_mutex_unlock(&f->mu);
		if (!b)
			b = mp_xcalloc(1, sizeof *b);
		b->n = b->nf = b->len = 0;
		b->eof = 0;
		b->next = NULL;
		while (b->n < BATCH_ROWS && b->len < BATCH_BYTES) {
			int st = mp_input_next(f->in, &rec);
			if (st == MP_READ_EOF) {
				b->eof = 1;
				break;
			}
			add(f, b, st, rec);
		}
		settle(b);
		pthread_mutex_lock(&f->mu);
		if (f->tail)
			f->tail->next = b;
		else
			f->head = b;
		f->tail = b;
		f->queued++;
		pthread_cond_broadcast(&f->cv);
		pthread_mutex_unlock(&f->mu);
		if (b->eof)
			return NULL;
	}
}

mp_feed *
mp_feed_open(mp_input *in, int threaded)
{
	mp_feed *f = mp_xcalloc(1, sizeof *f);

	f->in = in;
	if (threaded) {
		pthread_mutex_init(&f->mu, NULL);
		pthread_cond_init(&f->cv, NULL);
		f->threaded = pthread_create(&f->tid, NULL, reader, f) == 0;
		if (!f->threaded) {
			pthread_mutex_destroy(&f->mu);
			pthread_cond_destroy(&f->cv);
		}
	}
	return f;
}

/* Give a consumed batch back for reuse. */
static void
release(mp_feed *f, struct batch *b)
{
	pthread_mutex_lock(&f->mu);
	b->next = f->spare;
	f->spare = b;
	pthread_mutex_unlock(&f->mu);
}

int
mp_feed_next(mp_feed *f, mp_row **row)
{
	mp_row *r = &f->row;

	if (f->done)
		return 0;
	if (!f->threaded) {
		mp_record *rec;
		int st = mp_input_next(f->in, &rec);
		mp_reader *rd;
		if (st == MP_READ_EOF) {
			f->done = 1;
			return 0;
		}
		rd = mp_input_reader(f->in);
		r->st = st;
		r->rec = *rec;
		r->file = intern(f, mp_input_name(f->in));
		r->bad_line = st == MP_READ_BAD ? mp_reader_bad_line(rd) : 0;
		r->bad_field = st == MP_READ_BAD ? mp_reader_bad_field(rd) : NULL;
		r->bad_msg = st == MP_READ_BAD ? mp_reader_bad_msg(rd) : NULL;
		*row = r;
		return 1;
	}
	while (!f->cur || f->pos == f->cur->n) {
		if (f->cur) {
			int eof = f->cur->eof;
			release(f, f->cur);
			f->cur = NULL;
			if (eof) {
				f->done = 1;
				return 0;
			}
		}
		pthread_mutex_lock(&f->mu);
		while (!f->head)
			pthread_cond_wait(&f->cv, &f->mu);
		f->cur = f->head;
		f->head = f->head->next;
		if (!f->head)
			f->tail = NULL;
		f->queued--;
		pthread_cond_broadcast(&f->cv);
		pthread_mutex_unlock(&f->mu);
		f->pos = 0;
	}
	struct batch *b = f->cur;
	struct item *it = &b->it[f->pos++];
	r->st = it->st;
	r->rec.f = b->f + it->f0;
	r->rec.n = it->nf;
	r->rec.line = it->line;
	r->rec.raw = it->raw == SIZE_MAX ? NULL : b->buf + it->raw;
	r->rec.raw_len = it->raw == SIZE_MAX ? 0 : it->raw_len;
	r->rec.raw_fmt = it->raw_fmt;
	r->file = it->file;
	r->bad_line = it->bad_line;
	r->bad_field = it->bad_field == SIZE_MAX ? NULL : b->buf + it->bad_field;
	r->bad_msg = it->bad_msg == SIZE_MAX ? NULL : b->buf + it->bad_msg;
	*row = r;
	return 1;
}

static void
free_batches(struct batch *b)
{
	while (b) {
		struct batch *next = b->next;
		free(b->f);
		free(b->buf);
		free(b);
		b = next;
	}
}

void
mp_feed_close(mp_feed *f)
{
	if (!f)
		return;
	if (f->threaded) {
		/* Drain to the end so that the reader thread finishes. */
		mp_row *r;
		while (mp_feed_next(f, &r))
			;
		pthread_join(f->tid, NULL);
		free_batches(f->head);
		free_batches(f->spare);
		pthread_mutex_destroy(&f->mu);
		pthread_cond_destroy(&f->cv);
	}
	for (size_t i = 0; i < f->nnames; i++)
		free(f->names[i]);
	free(f->names);
	free(f);
}
