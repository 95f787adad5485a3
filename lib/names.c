/* names.c: input names kept once a run of rows (names.h). */
#include "names.h"
#include "err.h"

#include <stdlib.h>
#include <string.h>

/* mp_names_add without the pointer test: the same text as the last entry, or a new copy. */
size_t
mp_names_add_text(mp_names *l, const char *name)
{
	l->last = name;
	if (l->n && strcmp(l->v[l->n - 1], name) == 0)
		return l->n - 1;
	l->v = mp_xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
	l->v[l->n] = mp_xstrdup(name);
	return l->n++;
}

void
mp_names_free(mp_names *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	*l = (mp_names){ 0 };
}
