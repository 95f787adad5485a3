/* uniq.h: the values of a unique column (episode_id) seen so far, and where each was first. */
#ifndef MP_UNIQ_H
#define MP_UNIQ_H

#include <stddef.h>

/*
 * Values are compared themselves (an mp_idmap: numbers as numbers, other
 * values as bytes), never by a hash alone.  Where a value was first seen
 * takes 4 bytes (lineno.h).
 */
typedef struct mp_uniq mp_uniq;

mp_uniq *mp_uniq_new(void);
void mp_uniq_free(mp_uniq *u);

/*
 * Remember value s[0..n) of the row at line of file (an index the caller
 * gives; rows of one file come in order of line).  Returns 0 when new, 1
 * when seen before, with where in *first_line and *first_file.
 */
int mp_uniq_seen(mp_uniq *u, const char *s, size_t n, long line, int file, long *first_line, int *first_file);

/* Start loading the value's slot into the cache (call early, mp_uniq_seen later). */
void mp_uniq_prefetch(const mp_uniq *u, const char *s, size_t n);

/* Bytes held. */
size_t mp_uniq_bytes(const mp_uniq *u);

#endif
