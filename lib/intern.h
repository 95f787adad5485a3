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

/*
 * mp_ids: ids kept in 8 bytes each, exactly: a plain decimal number (as
 * mp_idmap has them) as itself, any other id as bytes in an arena.
 */
typedef struct mp_ids {
	char *arena;
	size_t used, size;
} mp_ids;
#define MP_IDS_BUF 24

/* The word that keeps the id s[0..n) (never 0). */
uint64_t mp_ids_put(mp_ids *a, const char *s, size_t n);
/* The id a word keeps: in buf (MP_IDS_BUF bytes) for a number, else in the arena; its length in *n. */
const char *mp_ids_get(const mp_ids *a, uint64_t w, char *buf, size_t *n);
/* The byte order of the ids two words keep (<0, 0, >0), as memcmp then length would give. */
int mp_ids_cmp(const mp_ids *a, uint64_t x, uint64_t y);
void mp_ids_free(mp_ids *a);
size_t mp_ids_bytes(const mp_ids *a);

/*
 * Zeroed memory for a large table, straight from the system from 64 KiB (a
 * freed one leaves no hole in the heap) with its pages populated at once:
 * for tables that are filled as soon as made.  Free with mp_table_free.
 */
void *mp_table_alloc(size_t bytes);
void mp_table_free(void *p, size_t bytes);

/*
 * A growable array's memory: from the system from 64 KiB, grown by moving
 * its pages where the system can (mremap), never holding two copies; pages
 * not yet written take no memory.  p may be NULL (old_bytes 0).  Free with
 * mp_array_free.
 */
void *mp_array_grow(void *p, size_t old_bytes, size_t new_bytes);
void mp_array_free(void *p, size_t bytes);

/*
 * mp_idmap: exact keys to small fixed-size records, for sets of millions of
 * ids kept a few bytes over their record each.  A key that is a plain
 * decimal number (digits only, no leading zero, at most 18 of them) is held
 * as that number: two such keys are equal exactly when their numbers are, so
 * this is still a comparison of the keys themselves.  Other keys are held as
 * bytes in an arena.  The record lies beside the key in its slot.  While
 * every key is a number below 2^32 - 1 a slot holds 4 bytes of key, then 8
 * (the table is widened once).  The table is cut into 64 parts by hash,
 * each grown by half when 4/5 full, so that growing never holds two copies
 * of the whole table and the load stays between 0.53 and 0.8.
 */
typedef struct mp_idmap mp_idmap;

/* recsize: bytes of record a key, a multiple of 4 (at most 64). */
mp_idmap *mp_idmap_new(size_t recsize);
void mp_idmap_free(mp_idmap *m);
/*
 * The record of key s[0..n), added (zeroed, *added set to 1, else 0) when
 * new.  4-byte aligned; valid until the next add.
 */
void *mp_idmap_add(mp_idmap *m, const char *s, size_t n, int *added);
/* The record of the key, or NULL. */
void *mp_idmap_find(const mp_idmap *m, const char *s, size_t n);
/* Start loading the key's slot into the cache (call early, add later). */
void mp_idmap_prefetch(const mp_idmap *m, const char *s, size_t n);
size_t mp_idmap_count(const mp_idmap *m);
/* Bytes held (slots and arena). */
size_t mp_idmap_bytes(const mp_idmap *m);
/*
 * Every record, in no particular order: fn(ctx, key, keylen, rec); the key
 * is in a buffer valid during the call.
 */
void mp_idmap_each(const mp_idmap *m, void (*fn)(void *ctx, const char *key, size_t n, void *rec), void *ctx);

/*
 * A lookup in two steps, for a caller with other work to do while the slot
 * loads: the key's hash, mp_intern_prefetch_hash, then mp_intern_add_hashed
 * (as mp_intern_add, given the hash) or mp_intern_find_hashed.
 */
uint32_t mp_intern_hash(const char *s, size_t n);
void mp_intern_prefetch_hash(const mp_intern *t, uint32_t h);
uint32_t mp_intern_add_hashed(mp_intern *t, uint32_t h, const char *s, size_t n, int *added);
uint32_t mp_intern_find_hashed(const mp_intern *t, uint32_t h, const char *s, size_t n);
/*
 * Some time after mp_intern_prefetch_hash (the slot is loaded by now): start
 * loading the hash and place of the key the slot holds, so that the lookup
 * that follows waits for memory once at most (for the key's bytes).
 */
void mp_intern_prefetch_entry(const mp_intern *t, uint32_t h);

#endif
