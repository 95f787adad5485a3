/*
 * sniff.c: learn a file's form without taking its bytes from the reader.
 * A file is peeked at with pread; a pipe's first bytes are read, then a
 * thread passes them and the rest on through a pipe of our own.
 */
#include "sniff.h"
#include "err.h"

#include <stdio.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#define PEEK 65536

static struct copier {
	int from, to;
	char buf[PEEK];
	size_t len;
} cp;

static void
judge(const char *s, size_t n, mp_form *form)
{
	const char *nl = memchr(s, '\n', n);

	form->bom = n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0;
	form->crlf = nl && nl > s && nl[-1] == '\r';
}

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The copying thread: the peeked bytes, then the rest, until either end stops. */
static void *
copy(void *arg)
{
	sigset_t pipe;
	ssize_t n;

	(void)arg;
	/* A reader that stops early gives EPIPE here, not a signal to the process. */
	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe, NULL);
	if (write_all(cp.to, cp.buf, cp.len) == 0)
		while ((n = read(cp.from, cp.buf, sizeof cp.buf)) != 0) {
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 || write_all(cp.to, cp.buf, (size_t)n) < 0)
				break;
		}
	close(cp.to);
	return NULL;
}

/* A pipe or terminal: read the first line (or PEEK bytes), then copy. */
static int
peek_stream(int fd, mp_form *form)
{
	int p[2];
	ssize_t n;

	cp.len = 0;
	while (cp.len < sizeof cp.buf && !memchr(cp.buf, '\n', cp.len)) {
		n = read(fd, cp.buf + cp.len, sizeof cp.buf - cp.len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		cp.len += (size_t)n;
	}
	judge(cp.buf, cp.len, form);
	if (pipe(p) != 0)
		return -1;
	cp.from = fd;
	cp.to = p[1];
	pthread_t thr;
	if ((errno = pthread_create(&thr, NULL, copy, NULL)) != 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	/* It ends with its input, or with our end of the pipe when the process exits. */
	pthread_detach(thr);
	return p[0];
}

int
mp_sniff_open(const char *path, mp_form *form)
{
	char buf[PEEK];
	int fd = STDIN_FILENO;
	off_t at;
	ssize_t n;

	if (path && strcmp(path, "-") != 0 && (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if ((at = lseek(fd, 0, SEEK_CUR)) >= 0) {
		do
			n = pread(fd, buf, sizeof buf, at);
		while (n < 0 && errno == EINTR);
		if (n >= 0) {
			judge(buf, (size_t)n, form);
			return fd;
		}
	}
	return peek_stream(fd, form);
}

/* Tab-separated or not UTF-8: the one message naming the option (mp-import). */

/* The offset of the first byte that is not UTF-8, or -1; NUL bytes (a different problem) are passed over. */
static long
not_utf8_at(const char *s, size_t len)
{
	size_t o = 0;

	for (;;) {
		long bad = mp_utf8_invalid(s + o, len - o);
		if (bad < 0)
			return -1;
		if (s[o + (size_t)bad] != '\0')
			return (long)o + bad;
		o += (size_t)bad + 1;
	}
}

/* The first line of buf: more tabs than commas (and at least one tab)? */
static int
first_line_tsv(const char *buf, size_t n)
{
	size_t tabs = 0, commas = 0;

	for (size_t i = 0; i < n && buf[i] != '\n'; i++)
		tabs += buf[i] == '\t', commas += buf[i] == ',';
	return tabs > 0 && tabs >= commas;
}

/* pread all of n bytes at off (fewer only at the end of the file); -1 on error. */
static ssize_t
read_at(int fd, char *buf, size_t n, off_t off)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = pread(fd, buf + got, n - got, off + (off_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

int
mp_sniff_fd(int fd, size_t max, mp_sniff *s)
{
	enum { CHUNK = 1 << 20 };
	char *buf = mp_xmalloc(CHUNK);
	size_t keep = 0;	/* bytes of a sequence cut by the last chunk, moved to the front */
	off_t off = 0;
	long line = 1;

	memset(s, 0, sizeof *s);
	for (;;) {
		size_t want = CHUNK - keep;
		if (max && (size_t)off + want > max)
			want = max > (size_t)off ? max - (size_t)off : 0;
		ssize_t r = want ? read_at(fd, buf + keep, want, off) : 0;
		if (r < 0) {
			free(buf);
			return -1;
		}
		int eof = (size_t)r < want, last = eof || (max && (size_t)off + (size_t)r >= max);
		size_t n = keep + (size_t)r, o = 0;
		if (off == 0) {
			o = n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
			s->tsv = first_line_tsv(buf + o, n - o);
		}
		off += r;
		long bad = not_utf8_at(buf + o, n - o);
		/* A sequence cut by the end of the chunk is read again with the next one. */
		if (bad >= 0 && !last && (size_t)bad + 4 > n - o) {
			for (size_t i = o; i < o + (size_t)bad; i++)
				line += buf[i] == '\n', s->mixed |= (unsigned char)buf[i] >= 0x80;
			keep = n - o - (size_t)bad;
			memmove(buf, buf + o + (size_t)bad, keep);
			continue;
		}
		if (bad >= 0 && (eof || (size_t)bad + 4 <= n - o)) {
			s->not_utf8 = 1;
			s->byte = (unsigned char)buf[o + (size_t)bad];
			for (size_t i = o; i < o + (size_t)bad; i++)
				line += buf[i] == '\n', s->mixed |= (unsigned char)buf[i] >= 0x80;
			s->line = line;
			break;
		}
		for (size_t i = o; i < n; i++)
			line += buf[i] == '\n', s->mixed |= (unsigned char)buf[i] >= 0x80;
		keep = 0;
		if (last)
			break;
	}
	free(buf);
	s->mixed &= s->not_utf8;
	return 0;
}

int
mp_sniff_header_tsv(const mp_record *header)
{
	size_t tabs = 0;

	for (size_t i = 0; i < header->n; i++)
		for (size_t k = 0; k < header->f[i].len; k++)
			tabs += header->f[i].s[k] == '\t';
	return tabs > 0 && tabs + 1 > header->n;
}

int
mp_sniff_record_not_utf8(const mp_record *rec)
{
	for (size_t i = 0; i < rec->n; i++)
		if (rec->f[i].s && not_utf8_at(rec->f[i].s, rec->f[i].len) >= 0)
			return 1;
	return 0;
}

int
mp_spool(int fd)
{
	char tmpl[] = "/tmp/mp-import-XXXXXX", buf[65536];
	const char *dir = getenv("TMPDIR");
	char path[4096];

	snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/tmp", tmpl + 5);
	int out = mkstemp(path);
	if (out < 0)
		return -1;
	unlink(path);
	for (;;) {
		ssize_t r = read(fd, buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto fail;
		if (r == 0)
			break;
		for (ssize_t o = 0; o < r;) {
			ssize_t w = write(out, buf + o, (size_t)(r - o));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				goto fail;
			o += w;
		}
	}
	if (lseek(out, 0, SEEK_SET) == 0)
		return out;
fail:;
	int e = errno;
	close(out);
	errno = e;
	return -1;
}
