/* names.h: the names of the inputs rows came from, copied once a file for messages after the read. */
#ifndef MP_NAMES_H
#define MP_NAMES_H

#include <stddef.h>

/*
 * File names in the order met, one entry for each run of rows from one
 * file (a file read again after another is a new entry); each a copy, so
 * it outlives the input's name.  Zeroed is empty.
 */
typedef struct mp_names {
	char **v;
	size_t n, cap;
	const char *last;	/* the caller's pointer for v[n - 1] */
} mp_names;

/*
 * The index of name (never NULL): the last entry's when name is the
 * caller's pointer for it again (an input gives one pointer while a file is
 * read, so most rows cost one comparison, inline) or the same text, else a
 * new entry's.
 */
static inline size_t mp_names_add(mp_names *l, const char *name);
/* mp_names_add past the pointer test. */
size_t mp_names_add_text(mp_names *l, const char *name);

static inline size_t
mp_names_add(mp_names *l, const char *name)
{
	return name == l->last ? l->n - 1 : mp_names_add_text(l, name);
}

static inline const char *
mp_names_at(const mp_names *l, size_t i)
{
	return l->v[i];
}

void mp_names_free(mp_names *l);

#endif
