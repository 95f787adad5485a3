/* uniq.c: values seen once, by exact key, with a 4-byte "where" each. */
#include "uniq.h"
#include "err.h"
#include "intern.h"

#include <stdint.h>
#include <stdlib.h>

/*
 * A run of rows from one file: its lines are held as base + line.  A new
 * run starts whenever the file changes, at the previous run's base plus
 * the last line it held, so runs never share a number.
 */
struct run {
	uint32_t base;
	int file;
};

struct mp_uniq {
	mp_idmap *seen;		/* value -> where (uint32_t) */
	struct run *run;
	size_t nrun, caprun;
	uint32_t last;		/* the largest number held so far */
};

mp_uniq *
mp_uniq_new(void)
{
	mp_uniq *u = mp_xcalloc(1, sizeof *u);

	u->seen = mp_idmap_new(sizeof(uint32_t));
	return u;
}

void
mp_uniq_free(mp_uniq *u)
{
	if (!u)
		return;
	mp_idmap_free(u->seen);
	free(u->run);
	free(u);
}

/* The number held for line of file (UINT32_MAX past the range: lines beyond 4 billion). */
static uint32_t
where_of(mp_uniq *u, long line, int file)
{
	uint64_t w;

	if (u->nrun == 0 || u->run[u->nrun - 1].file != file) {
		if (u->nrun == u->caprun) {
			u->caprun = u->caprun ? 2 * u->caprun : 8;
			u->run = mp_xrealloc(u->run, u->caprun * sizeof *u->run);
		}
		u->run[u->nrun].base = u->last;
		u->run[u->nrun++].file = file;
	}
	w = (uint64_t)u->run[u->nrun - 1].base + (uint64_t)(line > 0 ? line : 0);
	if (w >= UINT32_MAX)
		w = UINT32_MAX;
	if (w > u->last)
		u->last = (uint32_t)w;
	return (uint32_t)w;
}

/* The file and line a held number stands for: the last run whose base is below it. */
static void
where_back(const mp_uniq *u, uint32_t w, long *line, int *file)
{
	size_t lo = 0, hi = u->nrun;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (u->run[mid].base < w)
			lo = mid;
		else
			hi = mid;
	}
	*file = u->run[lo].file;
	*line = (long)(w - u->run[lo].base);
}

int
mp_uniq_seen(mp_uniq *u, const char *s, size_t n, long line, int file, long *first_line, int *first_file)
{
	int added;
	uint32_t *rec = mp_idmap_add(u->seen, s, n, &added);

	if (!added) {
		where_back(u, *rec, first_line, first_file);
		return 1;
	}
	*rec = where_of(u, line, file);
	return 0;
}

void
mp_uniq_prefetch(const mp_uniq *u, const char *s, size_t n)
{
	mp_idmap_prefetch(u->seen, s, n);
}

size_t
mp_uniq_bytes(const mp_uniq *u)
{
	return mp_idmap_bytes(u->seen) + u->caprun * sizeof *u->run;
}
