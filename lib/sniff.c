/*
 * sniff.c: learn a file's form without taking its bytes from the reader.
 * A file is peeked at with pread; a pipe's first bytes are read, then a
 * thread passes them and the rest on through a pipe of our own.
 */
#include "sniff.h"

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
