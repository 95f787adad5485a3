/* tap.h: a minimal TAP producer for the C unit tests. */
#ifndef MP_TAP_H
#define MP_TAP_H

#include <stdio.h>
#include <string.h>

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

static int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}

#endif
