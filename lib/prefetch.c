/* prefetch.c: a reader thread fills batches of copied records; the caller takes them in order. */
#include "prefetch.h"
#include "err.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NBATCH 4
#define BATCH_RECS 2048
#define BATCH_BYTES (512 * 1024)

typedef struct item {
	int st;
	long line;
	size_t f0, nf;
	long bad_line;
	size_t field_off, msg_off;	/* into the arena; field_off SIZE_MAX: no field */
} item;

typedef struct batch {
	item *it;
	size_t n;
	mp_field *f;
	size_t nf, fcap;
	char *arena;
	size_t alen, acap;
	int eof;
	int full;
} batch;

struct mp_prefetch {
	mp_reader *r;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t filled, emptied;
	batch b[NBATCH];
	size_t put, take;	/* next batch to fill, to read */
	batch *cur;
	size_t pos;
	int done;		/* the caller saw the end */
	mp_record out;
};

static size_t
acopy(batch *b, const char *s, size_t len)
{
	if (b->alen + len + 1 > b->acap) {
		size_t cap = b->acap ? b->acap : BATCH_BYTES;
		while (cap < b->alen + len + 1)
			cap *= 2;
		b->arena = mp_xrealloc(b->arena, cap);
		b->acap = cap;
	}
	size_t off = b->alen;
	memcpy(b->arena + off, s, len);
	b->arena[off + len] = '\0';
	b->alen += len + 1;
	return off;
}

/* Copy one record (and, for a bad one, why) into the batch. */
static void
add(mp_prefetch *p, batch *b, int st, const mp_record *rec)
{
	item *it = &b->it[b->n++];

	it->st = st;
	it->line = rec->line;
	it->f0 = b->nf;
	it->nf = rec->n;
	if (b->nf + rec->n > b->fcap) {
		b->fcap = 2 * (b->nf + rec->n) + 64;
		b->f = mp_xrealloc(b->f, b->fcap * sizeof *b->f);
	}
	/* Fields packed one after another (each NUL-terminated) are copied in one piece. */
	size_t i = 1;
	while (i < rec->n && rec->f[i].s == rec->f[i - 1].s + rec->f[i - 1].len + 1)
		i++;
	if (rec->n > 0 && i == rec->n) {
		const char *first = rec->f[0].s;
		size_t span = (size_t)(rec->f[rec->n - 1].s + rec->f[rec->n - 1].len - first);
		size_t base = acopy(b, first, span);
		for (i = 0; i < rec->n; i++) {
			b->f[b->nf].s = (const char *)(uintptr_t)(base + (size_t)(rec->f[i].s - first));
			b->f[b->nf].len = rec->f[i].len;
			b->nf++;
		}
	} else {
		for (i = 0; i < rec->n; i++) {
			b->f[b->nf].s = (const char *)(uintptr_t)acopy(b, rec->f[i].s, rec->f[i].len);
			b->f[b->nf].len = rec->f[i].len;
			b->nf++;
		}
	}
	if (st == MP_READ_BAD) {
		const char *field = mp_reader_bad_field(p->r);
		it->bad_line = mp_reader_bad_line(p->r);
		it->field_off = field ? acopy(b, field, strlen(field)) : SIZE_MAX;
		it->msg_off = acopy(b, mp_reader_bad_msg(p->r), strlen(mp_reader_bad_msg(p->r)));
	}
}

static void *
producer(void *arg)
{
	mp_prefetch *p = arg;
	int eof = 0;

	while (!eof) {
		pthread_mutex_lock(&p->mu);
		batch *b = &p->b[p->put];
		while (b->full)
			pthread_cond_wait(&p->emptied, &p->mu);
		pthread_mutex_unlock(&p->mu);
		b->n = b->nf = b->alen = 0;
		b->eof = 0;
		while (b->n < BATCH_RECS && b->alen < BATCH_BYTES) {
			mp_record *rec;
			int st = mp_reader_next(p->r, &rec);
			if (st == MP_READ_EOF) {
				eof = b->eof = 1;
				break;
			}
			add(p, b, st, rec);
		}
		pthread_mutex_lock(&p->mu);
		b->full = 1;
		p->put = (p->put + 1) % NBATCH;
		pthread_cond_signal(&p->filled);
		pthread_mutex_unlock(&p->mu);
	}
	return NULL;
}

mp_prefetch *
mp_prefetch_start(mp_reader *r)
{
	mp_prefetch *p = mp_xcalloc(1, sizeof *p);

	p->r = r;
	for (int i = 0; i < NBATCH; i++)
		p->b[i].it = mp_xcalloc(BATCH_RECS, sizeof *p->b[i].it);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->filled, NULL);
	pthread_cond_init(&p->emptied, NULL);
	if (pthread_create(&p->th, NULL, producer, p) != 0)
		mp_die(MP_EXIT_DATA, "cannot start the reading thread:");
	return p;
}

/* Give the current batch back and wait for the next; NULL after the last. */
static batch *
next_batch(mp_prefetch *p)
{
	pthread_mutex_lock(&p->mu);
	if (p->cur) {
		int eof = p->cur->eof;
		p->cur->full = 0;
		p->take = (p->take + 1) % NBATCH;
		pthread_cond_signal(&p->emptied);
		p->cur = NULL;
		if (eof) {
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
	}
	batch *b = &p->b[p->take];
	while (!b->full)
		pthread_cond_wait(&p->filled, &p->mu);
	pthread_mutex_unlock(&p->mu);
	/* The arena no longer moves: turn offsets into pointers. */
	for (size_t i = 0; i < b->nf; i++)
		b->f[i].s = b->arena + (uintptr_t)b->f[i].s;
	p->cur = b;
	p->pos = 0;
	return b;
}

int
mp_prefetch_next(mp_prefetch *p, mp_record **rec, long *line, const char **field, const char **msg)
{
	if (p->done)
		return MP_READ_EOF;
	while (!p->cur || p->pos == p->cur->n) {
		if (p->cur && p->cur->eof && p->pos == p->cur->n) {
			next_batch(p);
			p->done = 1;
			return MP_READ_EOF;
		}
		if (!next_batch(p)) {
			p->done = 1;
			return MP_READ_EOF;
		}
	}
	batch *b = p->cur;
	item *it = &b->it[p->pos++];
	p->out.f = b->f + it->f0;
	p->out.n = it->nf;
	p->out.line = it->line;
	*rec = &p->out;
	if (it->st == MP_READ_BAD) {
		*line = it->bad_line;
		*field = it->field_off == SIZE_MAX ? NULL : b->arena + it->field_off;
		*msg = b->arena + it->msg_off;
	}
	return it->st;
}

void
mp_prefetch_end(mp_prefetch *p)
{
	if (!p)
		return;
	/* Let the thread finish: drain what it still produces. */
	mp_record *rec;
	long line;
	const char *field, *msg;
	while (mp_prefetch_next(p, &rec, &line, &field, &msg) != MP_READ_EOF)
		;
	pthread_join(p->th, NULL);
	for (int i = 0; i < NBATCH; i++) {
		free(p->b[i].it);
		free(p->b[i].f);
		free(p->b[i].arena);
	}
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->filled);
	pthread_cond_destroy(&p->emptied);
	free(p);
}
