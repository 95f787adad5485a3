/* lineno.c: files and lines numbered on across runs of rows. */
#include "lineno.h"
#include "err.h"

#include <stdlib.h>

uint32_t
mp_lineno_put(mp_lineno *l, long line, int file)
{
	uint64_t w;

	if (l->nrun == 0 || l->run[l->nrun - 1].file != file) {
		l->run = mp_xgrow(l->run, &l->caprun, l->nrun + 1, sizeof *l->run);
		l->run[l->nrun].base = l->last;
		l->run[l->nrun++].file = file;
	}
	w = (uint64_t)l->run[l->nrun - 1].base + (uint64_t)(line > 0 ? line : 0);
	if (w >= UINT32_MAX)
		w = UINT32_MAX;
	if (w > l->last)
		l->last = (uint32_t)w;
	return (uint32_t)w;
}

/* The last run whose base is below w holds it. */
void
mp_lineno_get(const mp_lineno *l, uint32_t w, long *line, int *file)
{
	size_t lo = 0, hi = l->nrun;

	if (l->nrun == 0) {
		*line = w, *file = 0;
		return;
	}
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->run[mid].base < w)
			lo = mid;
		else
			hi = mid;
	}
	*file = l->run[lo].file;
	*line = (long)(w - l->run[lo].base);
}

size_t
mp_lineno_bytes(const mp_lineno *l)
{
	return l->caprun * sizeof *l->run;
}

void
mp_lineno_free(mp_lineno *l)
{
	free(l->run);
	l->run = NULL;
	l->nrun = l->caprun = 0;
}
