/* grow: mp_xgrow and mp_xgrow_half (lib/err.h), the one way arrays grow, as TAP. */
#include "err.h"
#include "tap.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* From nothing: 16 elements, doubled until enough. */
static void
from_zero(void)
{
	size_t cap = 0;
	long *v = mp_xgrow(NULL, &cap, 1, sizeof *v);

	TAP_OK(v != NULL && cap == 16, "from 0 for 1 element: 16 (got %zu)", cap);
	v[cap - 1] = 7;
	free(v);
	cap = 0;
	v = mp_xgrow(NULL, &cap, 1000, sizeof *v);
	TAP_OK(v != NULL && cap == 1024, "from 0 for 1000 elements: 1024 (got %zu)", cap);
	v[cap - 1] = 7;
	free(v);
	cap = 0;
	char *b = mp_xgrow_half(NULL, &cap, 3, 1);
	TAP_OK(b != NULL && cap == 16, "by half from 0 for 3 bytes: 16 (got %zu)", cap);
	free(b);
}

/* Each growth doubles (or adds half), a need far above in several steps at once. */
static void
steps(void)
{
	size_t cap = 0, n, ok = 1;
	int *v = NULL;

	for (n = 0; n < 100000; n++) {
		size_t before = cap;
		v = mp_xgrow(v, &cap, n + 1, sizeof *v);
		ok &= cap >= n + 1 && (before == cap || before == 0 || cap == 2 * before);
		v[n] = (int)n;
	}
	TAP_OK(ok && cap == 131072, "one at a time to 100000: doubled each time, ends at 131072 (got %zu)", cap);
	for (n = 0; n < 100000 && v[n] == (int)n; n++)
		;
	TAP_OK(n == 100000, "values kept across 13 growths");
	size_t at_once = 0;
	free(mp_xgrow(NULL, &at_once, 100000, sizeof *v));
	TAP_OK(at_once == cap, "100000 at once: the same capacity as one at a time (got %zu)", at_once);
	v = mp_xgrow(v, &cap, 1000000, sizeof *v);
	TAP_OK(cap == 1048576, "need far above cap: doubled until enough, 1048576 (got %zu)", cap);
	for (n = 0; n < 100000 && v[n] == (int)n; n++)
		;
	TAP_OK(n == 100000, "values kept when grown far above");
	free(v);

	cap = 100;
	v = mp_xgrow_half(mp_xmalloc(100 * sizeof *v), &cap, 101, sizeof *v);
	TAP_OK(cap == 150, "by half: 100 to 150 (got %zu)", cap);
	v = mp_xgrow_half(v, &cap, 1000, sizeof *v);
	TAP_OK(cap == 1135, "by half, need far above: 150, 225, 337, 505, 757, 1135 (got %zu)", cap);
	free(v);
}

/* Enough already: the same memory back, the capacity untouched. */
static void
enough(void)
{
	size_t cap = 64;
	char *b = mp_xmalloc(cap);

	memcpy(b, "kept", 5);
	char *c = mp_xgrow(b, &cap, 64, 1);
	TAP_OK(c == b && cap == 64, "need == cap: no realloc");
	c = mp_xgrow_half(b, &cap, 10, 1);
	TAP_OK(c == b && cap == 64 && strcmp(c, "kept") == 0, "need below cap: no realloc, values kept");
	c = mp_xgrow(b, &cap, 0, 1);
	TAP_OK(c == b && cap == 64, "need 0: no realloc");
	free(c);
}

/* A growth asked of a child process (tap_exits). */
struct grow_case {
	size_t need, size;
	int half;
};

static void
grow_past(void *arg)
{
	const struct grow_case *c = arg;
	size_t cap = 0;

	mp_set_progname("grow");
	free(c->half ? mp_xgrow_half(NULL, &cap, c->need, c->size) : mp_xgrow(NULL, &cap, c->need, c->size));
}

/* A size past SIZE_MAX: exit 1 with the out-of-memory message, never a short block. */
static void
overflow(size_t need, size_t size, int half, const char *what)
{
	struct grow_case c = { need, size, half };

	tap_exits(grow_past, &c, 1, "grow: out of memory\n", what);
}

int
main(void)
{
	from_zero();
	steps();
	enough();
	overflow(SIZE_MAX / 8 + 1, 8, 0, "need * size past SIZE_MAX");
	overflow(SIZE_MAX / 2, 4, 1, "by half, need * size past SIZE_MAX");
	return tap_done();
}
