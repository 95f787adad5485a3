/* tap.h: a minimal TAP producer for the C unit tests. */
#ifndef MP_TAP_H
#define MP_TAP_H

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int tap_n, tap_failed;

#define TAP_OK(cond, ...) do { \
	tap_n++; \
	if (cond) { printf("ok %d - ", tap_n); } \
	else { tap_failed++; printf("not ok %d - ", tap_n); } \
	printf(__VA_ARGS__); putchar('\n'); \
} while (0)

#define TAP_STREQ(got, want, ...) do { \
	const char *g_ = (got), *w_ = (want); \
	int same_ = strcmp(g_, w_) == 0; \
	TAP_OK(same_, __VA_ARGS__); \
	if (!same_) printf("#   got:  '%s'\n#   want: '%s'\n", g_, w_); \
} while (0)

/*
 * Run fn(arg) in a child process, its stderr kept: does it exit with
 * status, having said exactly msg?  For what the library does when it
 * cannot go on (out of memory, too much input).
 */
static inline void
tap_exits(void (*fn)(void *), void *arg, int status, const char *msg, const char *what)
{
	int fd[2], st;
	char got[400] = "";
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	fflush(stdout);	/* the child exits through exit(): no TAP line twice */
	if (pipe(fd) != 0 || (pid = fork()) < 0) {
		TAP_OK(0, "%s: pipe or fork failed", what);
		return;
	}
	if (pid == 0) {
		dup2(fd[1], 2);
		fn(arg);
		_exit(0);
	}
	close(fd[1]);
	while (len < sizeof got - 1 && (n = read(fd[0], got + len, sizeof got - 1 - len)) > 0)
		len += (size_t)n;
	got[len] = '\0';
	close(fd[0]);
	waitpid(pid, &st, 0);
	TAP_OK(WIFEXITED(st) && WEXITSTATUS(st) == status, "%s: exit %d", what, status);
	TAP_STREQ(got, msg, "%s: the message", what);
}

static int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}

#endif
