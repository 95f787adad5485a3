/* tmpguard.c: temporary files of child data, removed however the program ends before they are renamed. */
#include "tmpguard.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Temporary files still to be removed if the program ends early.  The
 * signal handler reads this table, so a slot is published only once its
 * name is complete and cleared before the name is freed.
 */
#define NPENDING 16
static char *volatile pending_tmp[NPENDING];

void
mp_tmp_remove_all(void)
{
	for (size_t i = 0; i < NPENDING; i++)
		if (pending_tmp[i]) {
			unlink(pending_tmp[i]);
			pending_tmp[i] = NULL;
		}
}

/* Only async-signal-safe calls: unlink, sigaction, raise. */
static void
on_signal(int sig)
{
	struct sigaction dfl;

	for (size_t i = 0; i < NPENDING; i++)
		if (pending_tmp[i])
			unlink(pending_tmp[i]);
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	raise(sig);
}

/* Every signal that ends the program by default and can be caught (a signal ignored at start stays ignored). */
static const int fatal_signals[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGALRM, SIGTERM, SIGUSR1, SIGUSR2,
	SIGVTALRM, SIGPROF, SIGXCPU,
#ifdef SIGPOLL
	SIGPOLL,
#endif
};

static void
catch_signals(void)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigfillset(&sa.sa_mask);	/* one handler at a time */
	for (size_t i = 0; i < sizeof fatal_signals / sizeof *fatal_signals; i++)
		if (sigaction(fatal_signals[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			sigaction(fatal_signals[i], &sa, NULL);
}

void
mp_tmp_track(char *tmp, int add)
{
	static int registered;

	if (!registered) {
		registered = 1;
		atexit(mp_tmp_remove_all);
		catch_signals();
	}
	for (size_t i = 0; i < NPENDING; i++) {
		if (add && !pending_tmp[i]) {
			pending_tmp[i] = tmp;
			return;
		}
		if (!add && pending_tmp[i] == tmp) {
			pending_tmp[i] = NULL;
			return;
		}
	}
}

