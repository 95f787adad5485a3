/*
 * libFuzzer target: the parallel reader against the sequential one.  The
 * input (after a first byte that picks CSV or TSV and 1-4 parts) is read by
 * mp_read_rows twice: as one stream, and cut into parallel parts.  Both must
 * give the same records (line and fields) in the same order, the same
 * messages for bad ones and the same counts.  The callback writes a message
 * for every record: every verdict and its line, in order, are compared.
 */
#define _GNU_SOURCE
#include "parallel.h"
#include "err.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* The records a part (or the stream) saw, as bytes. */
struct par_log {
	char *s;
	size_t len, cap;
};

static void
par_put(struct par_log *l, const void *p, size_t n)
{
	if (n == 0)
		return;
	if (l->len + n > l->cap) {
		l->cap = (l->len + n) * 2 + 64;
		l->s = realloc(l->s, l->cap);
	}
	memcpy(l->s + l->len, p, n);
	l->len += n;
}

static int
par_bind(void *ctx, const mp_record *h, char *err, size_t errsz)
{
	return 0;
}

static enum mp_row_verdict
par_row(void *state, mp_part *p, const mp_record *rec)
{
	struct par_log *l = state;

	/*
	 * In a part, rec->line counts from the part's start: the record's line
	 * is compared through a message, which gets the file's line number.
	 */
	char hex[2 * 64 + 1];
	size_t h = 0;
	for (size_t i = 0; i < rec->n && h + 2 < sizeof hex; i++)
		for (size_t k = 0; k < rec->f[i].len && h + 2 < sizeof hex; k++)
			h += (size_t)snprintf(hex + h, sizeof hex - h, "%02x", (unsigned char)rec->f[i].s[k]);
	hex[h] = '\0';
	mp_part_msg(p, rec->line, NULL, "record of %zu fields: %s", rec->n, hex);
	par_put(l, &rec->n, sizeof rec->n);
	for (size_t i = 0; i < rec->n; i++) {
		if (rec->f[i].s[rec->f[i].len] != '\0')
			__builtin_trap();	/* fields are NUL-terminated */
		par_put(l, &rec->f[i].len, sizeof rec->f[i].len);
		par_put(l, rec->f[i].s, rec->f[i].len);
	}
	/* A verdict of the caller's, with a message: it must come out in file order too. */
	if (rec->n > 0 && rec->f[0].len == 1 && rec->f[0].s[0] == 'R') {
		mp_part_msg(p, rec->line, "x", "rejected by the caller");
		return MP_ROW_REJECTED;
	}
	return rec->n > 1 && rec->f[1].len == 0 ? MP_ROW_SKIPPED : MP_ROW_USED;
}

static void *
par_fork(void *ctx)
{
	return calloc(1, sizeof(struct par_log));
}

static void
par_merge(void *ctx, void *state)
{
	struct par_log *l = state;

	par_put(ctx, l->s, l->len);
	free(l->s);
	free(l);
}

static void
par_drop(void *state)
{
	free(((struct par_log *)state)->s);
	free(state);
}

static void
par_reset(void *ctx)
{
	((struct par_log *)ctx)->len = 0;
}

static const mp_rows_ops par_ops = { par_bind, par_row, par_fork, par_merge, par_drop, par_reset };

/* The sanitizers report on the real stderr, not into a captured one (absent without them). */
extern void __sanitizer_set_report_fd(void *fd) __attribute__((weak));

/* One read of path, its records into *l and its messages (stderr) into *msgs. */
static void
par_read_all(char *path, enum mp_format fmt, int threads, struct par_log *l, struct par_log *msgs, mp_rows_result *res)
{
	int efd = memfd_create("stderr", 0), saved = dup(2);
	char buf[4096];
	ssize_t got;

	fflush(stderr);
	dup2(efd, 2);
	mp_read_rows(1, &path, fmt, MP_UTF8, threads, &par_ops, l, res);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	lseek(efd, 0, SEEK_SET);
	while ((got = read(efd, buf, sizeof buf)) > 0)
		par_put(msgs, buf, (size_t)got);
	close(efd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	if (!init) {
		mp_set_progname("fuzz");
		if (__sanitizer_set_report_fd)
			__sanitizer_set_report_fd((void *)(intptr_t)dup(2));
		init = 1;
	}
	if (size < 1)
		return 0;
	enum mp_format fmt = data[0] & 1 ? MP_TSV : MP_CSV;
	int threads = 1 + (data[0] >> 1) % 4;
	int fd = memfd_create("fuzz", 0);
	if (fd < 0 || write(fd, data + 1, size - 1) != (ssize_t)(size - 1))
		return 0;
	/* mp_read_rows exits (as a command should) on an input with no header: skip those. */
	lseek(fd, 0, SEEK_SET);
	mp_reader *r = mp_reader_open_fd(dup(fd), "fuzz", fmt, MP_UTF8);
	int has_header = mp_reader_header(r) != NULL;
	mp_reader_close(r);
	if (has_header) {
		char path[64];
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
		struct par_log seq = { 0 }, par = { 0 }, mseq = { 0 }, mpar = { 0 };
		mp_rows_result rs, rp;
		par_read_all(path, fmt, 0, &seq, &mseq, &rs);	/* small: one stream */
		par_read_all(path, fmt, threads, &par, &mpar, &rp);
		if (seq.len != par.len || (seq.len && memcmp(seq.s, par.s, seq.len) != 0))
			__builtin_trap();	/* different records */
		if (mseq.len != mpar.len || (mseq.len && memcmp(mseq.s, mpar.s, mseq.len) != 0))
			__builtin_trap();	/* different messages */
		if (rs.read != rp.read || rs.used != rp.used || rs.skipped != rp.skipped || rs.rejected != rp.rejected)
			__builtin_trap();	/* different counts */
		free(seq.s);
		free(par.s);
		free(mseq.s);
		free(mpar.s);
	}
	close(fd);
	return 0;
}
