/* uniq.c: values seen, by exact key, with a 4-byte "where" each. */
#include "uniq.h"
#include "err.h"
#include "intern.h"
#include "lineno.h"

#include <stdint.h>
#include <stdlib.h>

struct mp_uniq {
	mp_idmap *seen;		/* value -> where it was first (mp_lineno) */
	mp_lineno where;
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
	mp_lineno_free(&u->where);
	free(u);
}

int
mp_uniq_seen(mp_uniq *u, const char *s, size_t n, long line, int file, long *first_line, int *first_file)
{
	int added;
	uint32_t *rec = mp_idmap_add(u->seen, s, n, &added);

	if (!added) {
		mp_lineno_get(&u->where, *rec, first_line, first_file);
		return 1;
	}
	*rec = mp_lineno_put(&u->where, line, file);
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
	return mp_idmap_bytes(u->seen) + mp_lineno_bytes(&u->where);
}
