/*
 * parallel.c: one input's rows through a caller's callbacks, in parallel
 * parts of a regular file (threads, each with its own state and message
 * log) or as one stream.  See parallel.h.
 */
#include "parallel.h"
#include "err.h"
#include "input.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_PARTS 64
#define PARALLEL_MIN ((off_t)4 << 20)	/* smaller files are read as one stream */
#define TRIAL_BYTES (64 * 1024)		/* what a candidate cut is tried on */
#define CUT_TRIES 64			/* lines tried after each candidate */

struct mp_part {
	const char *name;
	const mp_rows_ops *ops;
	void *state;
	long n[3];		/* rows by verdict */
	/*
	 * Buffered (a part of a file): messages go to a temporary file with
	 * line numbers relative to the part, printed once the part's first
	 * line is known.  failed: the log could not be written.
	 */
	int buffered, failed;
	FILE *log;
	/* The part's bytes and, after reading, what they held. */
	int fd;
	enum mp_format fmt;
	const mp_record *header;
	off_t start, end;
	long lines;
	int pending;		/* the part ended inside a record: a cut was wrong */
};

/* Append one message to the part's log (kind and x, y: a message naming lines, reader.h). */
static void
log_put(mp_part *p, long line, const char *field, const char *msg, int kind, long x, long y)
{
	if (p->failed)
		return;
	if (!p->log && !(p->log = tmpfile())) {
		p->failed = 1;
		return;
	}
	size_t fl = field ? strlen(field) + 1 : 0, ml = strlen(msg) + 1;
	fwrite(&line, sizeof line, 1, p->log);
	fwrite(&kind, sizeof kind, 1, p->log);
	fwrite(&x, sizeof x, 1, p->log);
	fwrite(&y, sizeof y, 1, p->log);
	fwrite(&fl, sizeof fl, 1, p->log);
	if (fl)
		fwrite(field, 1, fl, p->log);
	fwrite(&ml, sizeof ml, 1, p->log);
	if (fwrite(msg, 1, ml, p->log) != ml)
		p->failed = 1;
}

/* Read one message back; 0 at the end. */
static int
log_get(FILE *f, long *line, int *kind, long *x, long *y, char *field, size_t fsz, int *has_field, char *msg,
	size_t msz)
{
	size_t fl, ml;

	if (fread(line, sizeof *line, 1, f) != 1 || fread(kind, sizeof *kind, 1, f) != 1 ||
	    fread(x, sizeof *x, 1, f) != 1 || fread(y, sizeof *y, 1, f) != 1 || fread(&fl, sizeof fl, 1, f) != 1 ||
	    fl > fsz || fread(field, 1, fl, f) != fl || fread(&ml, sizeof ml, 1, f) != 1 || ml > msz ||
	    fread(msg, 1, ml, f) != ml)
		return 0;
	*has_field = fl > 0;
	return 1;
}

/* Make the log readable from its start; 0 when it cannot be (the part's messages are lost). */
static int
log_rewind(mp_part *p)
{
	if (p->failed || (p->log && (fflush(p->log) != 0 || ferror(p->log))))
		return 0;
	if (p->log)
		rewind(p->log);
	return 1;
}

/* Print the part's messages with line numbers from base (the part's first line). */
static void
log_flush(mp_part *p, long base)
{
	long line, x, y;
	int kind, has_field;
	char field[4096], msg[4096];

	if (!p->log)
		return;
	while (log_get(p->log, &line, &kind, &x, &y, field, sizeof field, &has_field, msg, sizeof msg)) {
		if (kind != MP_MSG_PLAIN)
			mp_reader_msg_format(kind, base + x - 1, base + y - 1, msg, sizeof msg);
		mp_data_msg(p->name, base + line - 1, has_field ? field : NULL, "%s", msg);
	}
	fclose(p->log);
	p->log = NULL;
}

static void
report(mp_part *p, long line, const char *field, const char *msg, int kind, long x, long y)
{
	if (p->buffered)
		log_put(p, line, field, msg, kind, x, y);
	else
		mp_data_msg(p->name, line, field, "%s", msg);
}

void
mp_part_msg(mp_part *p, long line, const char *field, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	report(p, line, field, msg, MP_MSG_PLAIN, 0, 0);
}

/* One record as read: a bad one is reported here, a good one goes to the caller. */
static void
take(mp_part *p, int st, const mp_record *rec, long bad_line, const char *bad_field, const char *bad_msg,
     int kind, long x, long y)
{
	if (st == MP_READ_BAD) {
		report(p, bad_line, bad_field, bad_msg, kind, x, y);
		p->n[MP_ROW_REJECTED]++;
		return;
	}
	enum mp_row_verdict v = p->ops->row(p->state, p, rec);
	p->n[v]++;
}

/* The single-threaded path: any inputs, pipes, CP1252. */
static int
run_stream(int nfiles, char **files, enum mp_format fmt, enum mp_encoding enc, mp_part *p)
{
	mp_input *in = mp_input_open(nfiles, files, fmt, enc);
	char err[256];
	mp_record *rec;
	int s;

	if (!in)
		return -1;
	p->name = mp_input_name(in);
	if (p->ops->bind(p->state, mp_input_header(in), err, sizeof err)) {
		mp_data_msg(mp_input_name(in), 1, NULL, "%s", err);
		mp_input_close(in);
		return -1;
	}
	while ((s = mp_input_next(in, &rec)) > 0) {
		p->name = mp_input_name(in);
		take(p, s, rec, mp_input_bad_line(in), mp_input_bad_field(in), mp_input_bad_msg(in), MP_MSG_PLAIN,
		     0, 0);
	}
	mp_input_close(in);
	return s == MP_READ_ERR ? -1 : 0;
}

static void *
run_part(void *arg)
{
	mp_part *p = arg;
	mp_reader *r = mp_reader_open_part(p->fd, p->name, p->fmt, p->start, p->end, p->header);
	mp_record *rec;
	long x = 0, y = 0;
	int s;

	while ((s = mp_reader_next(r, &rec)) != MP_READ_EOF) {
		int kind = s == MP_READ_BAD ? mp_reader_bad_kind(r, &x, &y) : MP_MSG_PLAIN;
		take(p, s, rec, mp_reader_bad_line(r), mp_reader_bad_field(r), mp_reader_bad_msg(r), kind, x, y);
	}
	p->pending = mp_reader_cut_inside(r);
	p->lines = mp_reader_lines(r);
	mp_reader_close(r);
	return NULL;
}

/*
 * Do the records from offset cand on look like rows of the header's width?
 * Read by the reader itself, as the part would be: every record in the
 * first TRIAL_BYTES but the last (which the window may cut) must be good.
 * Only a guess: a wrong cut is caught after reading (mp_reader_cut_inside).
 */
static int
plausible(int fd, enum mp_format fmt, off_t cand, off_t size, const mp_record *h)
{
	off_t end = size - cand > TRIAL_BYTES ? cand + TRIAL_BYTES : size;
	mp_reader *r = mp_reader_open_part(fd, "", fmt, cand, end, h);
	mp_record *rec;
	int st, prev = MP_READ_EOF, good = 0, ok = 1;

	while (ok && (st = mp_reader_next(r, &rec)) != MP_READ_EOF) {
		ok = prev != MP_READ_BAD;
		good += st == MP_READ_OK;
		prev = st;
	}
	mp_reader_close(r);
	return ok && (good > 1 || (good == 1 && prev == MP_READ_OK));
}

/* The first line start after at that starts a plausible run of records, or -1. */
static off_t
next_cut(int fd, enum mp_format fmt, off_t at, off_t size, const mp_record *h, char *win, size_t winsz)
{
	for (int tries = 0; tries < CUT_TRIES && at < size; tries++) {
		ssize_t got = pread(fd, win, winsz, at);
		char *nl = got > 0 ? memchr(win, '\n', (size_t)got) : NULL;
		if (!nl)
			return -1;
		off_t cand = at + (nl - win) + 1;
		/* TSV has no quotes: every line starts a record. */
		if (cand < size && (fmt == MP_TSV || plausible(fd, fmt, cand, size, h)))
			return cand;
		at = cand;
	}
	return -1;
}

/* Cut [data, size) into at most n parts at record starts: starts[0..count], count returned. */
static int
find_cuts(int fd, enum mp_format fmt, off_t data, off_t size, int n, const mp_record *h, off_t *starts)
{
	size_t winsz = 1 << 20;
	char *win = mp_xmalloc(winsz);
	int count = 0;

	starts[count++] = data;
	for (int k = 1; k < n; k++) {
		off_t at = data + (size - data) / n * k;
		if (at <= starts[count - 1])
			continue;
		off_t cut = next_cut(fd, fmt, at, size, h, win, winsz);
		if (cut > starts[count - 1] && cut < size)
			starts[count++] = cut;
	}
	starts[count] = size;
	free(win);
	return count;
}

/* Read the parts, the first in this thread; a part whose thread cannot start is read here too. */
static void
run_parts(mp_part *parts, int n)
{
	pthread_t tid[MAX_PARTS];
	int started[MAX_PARTS] = { 0 };

	for (int i = 1; i < n; i++)
		started[i] = pthread_create(&tid[i], NULL, run_part, &parts[i]) == 0;
	run_part(&parts[0]);
	for (int i = 1; i < n; i++)
		if (started[i])
			pthread_join(tid[i], NULL);
		else
			run_part(&parts[i]);
}

/*
 * Merge the parts in file order, or (a cut proved wrong, a log could not
 * be written) drop them all: 1 when merged.
 */
static int
merge_parts(mp_part *parts, int n, long line, void *ctx, mp_rows_result *res)
{
	int ok = 1;

	for (int i = 0; i < n; i++)
		ok &= !parts[i].pending && log_rewind(&parts[i]);
	for (int i = 0; i < n; i++) {
		if (ok) {
			log_flush(&parts[i], line);
			line += parts[i].lines;
			res->used += parts[i].n[MP_ROW_USED];
			res->skipped += parts[i].n[MP_ROW_SKIPPED];
			res->rejected += parts[i].n[MP_ROW_REJECTED];
			if (i)
				parts[i].ops->merge(ctx, parts[i].state);
			continue;
		}
		if (parts[i].log)
			fclose(parts[i].log);
		if (i)
			parts[i].ops->drop(parts[i].state);
	}
	return ok;
}

/* Cut the data of fd (from data, on line 'line') into parts and read them: 1 done, 0 read it as a stream. */
static int
split_and_run(int fd, const char *path, enum mp_format fmt, const mp_record *h, off_t data, long line,
	      int nthreads, const mp_rows_ops *ops, void *ctx, mp_rows_result *res)
{
	struct stat sb;
	off_t starts[MAX_PARTS + 1];

	if (fstat(fd, &sb) != 0)
		return 0;
	int n = find_cuts(fd, fmt, data, sb.st_size, nthreads, h, starts);
	mp_part *parts = mp_xcalloc((size_t)n, sizeof *parts);
	for (int i = 0; i < n; i++)
		parts[i] = (mp_part){ .name = path, .ops = ops, .state = i ? ops->fork(ctx) : ctx, .buffered = 1,
				      .fd = fd, .fmt = fmt, .header = h, .start = starts[i], .end = starts[i + 1] };
	run_parts(parts, n);
	int ok = merge_parts(parts, n, line, ctx, res);
	if (ok)
		res->parts = n;
	free(parts);
	return ok;
}

/*
 * The parallel path for one regular UTF-8 file.  1 done, 0 when the file
 * should be read as one stream instead (ctx as before), -1 when the header
 * could not be bound (reported).
 */
static int
run_parallel(const char *path, enum mp_format fmt, int nthreads, const mp_rows_ops *ops, void *ctx,
	     mp_rows_result *res)
{
	mp_reader *hr = mp_reader_open(path, fmt, MP_UTF8);
	char err[256];
	off_t data;
	long line;
	int ok = 0;

	if (!hr)
		return 0;	/* the stream path reports it */
	const mp_record *h = mp_reader_header(hr);
	if (!h || mp_reader_data_start(hr, &data, &line) != 0) {
		mp_reader_close(hr);
		return 0;	/* no header, or one the stream path must read */
	}
	if (ops->bind(ctx, h, err, sizeof err)) {
		mp_data_msg(path, 1, NULL, "%s", err);
		mp_reader_close(hr);
		return -1;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ok = split_and_run(fd, path, fmt, h, data, line, nthreads, ops, ctx, res);
		close(fd);
	}
	mp_reader_close(hr);
	if (!ok)
		ops->reset(ctx);
	return ok;
}

int
mp_read_threads(int threads)
{
	if (threads > 0)
		return threads > MAX_PARTS ? MAX_PARTS : threads;
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

int
mp_read_rows(int nfiles, char **files, enum mp_format fmt, enum mp_encoding enc, int threads,
	     const mp_rows_ops *ops, void *ctx, mp_rows_result *res)
{
	struct stat sb;
	int nthreads = mp_read_threads(threads);
	int parallel = nfiles == 1 && strcmp(files[0], "-") != 0 && enc == MP_UTF8 &&
		       stat(files[0], &sb) == 0 && S_ISREG(sb.st_mode) && (threads || sb.st_size >= PARALLEL_MIN);

	memset(res, 0, sizeof *res);
	res->parts = 1;
	int done = parallel ? run_parallel(files[0], fmt, nthreads, ops, ctx, res) : 0;
	if (done == 0) {
		mp_part p = { .name = "-", .ops = ops, .state = ctx };
		if (run_stream(nfiles, files, fmt, enc, &p) != 0)
			return -1;
		res->used = p.n[MP_ROW_USED];
		res->skipped = p.n[MP_ROW_SKIPPED];
		res->rejected = p.n[MP_ROW_REJECTED];
	}
	if (done < 0)
		return -1;
	res->read = res->used + res->skipped + res->rejected;
	return 0;
}
