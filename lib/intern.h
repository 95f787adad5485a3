/*
 * intern.h: the one hash table of the library: byte-string keys, each
 * given a dense id (0, 1, 2, ... in order of first appearance).  Keys are
 * compared themselves, never by their hash alone, so two ids never share
 * a table entry.  Modelled on OpenBSD's ohash: open addressing, the hash
 * of each key kept to skip most comparisons, the keys in one arena.
 *
 * Memory per key: its bytes and a NUL, 4 bytes of arena offset, 4 of hash,
 * and a slot of 4 bytes at a load of at most 3/4 (about 14 bytes + key).
 */
#ifndef MP_INTERN_H
#define MP_INTERN_H

#include <stddef.h>
#include <stdint.h>

#define MP_INTERN_NONE UINT32_MAX

typedef struct mp_intern mp_intern;

mp_intern *mp_intern_new(void);
void mp_intern_free(mp_intern *t);

/* The id of the key s[0..n), added when new (*added set to 1, else 0; added may be NULL). */
uint32_t mp_intern_add(mp_intern *t, const char *s, size_t n, int *added);
/* The id of the key, or MP_INTERN_NONE. */
uint32_t mp_intern_find(const mp_intern *t, const char *s, size_t n);
/* The key of an id (NUL-terminated; its length in *n when n is not NULL). */
const char *mp_intern_key(const mp_intern *t, uint32_t id, size_t *n);
size_t mp_intern_count(const mp_intern *t);
/* Bytes held (tables and arena). */
size_t mp_intern_bytes(const mp_intern *t);
/* Start loading the slot of key s into the cache (call early, add later). */
void mp_intern_prefetch(const mp_intern *t, const char *s, size_t n);

#endif
