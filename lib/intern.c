/* intern.c: byte-string keys to dense ids, in one open-addressing table that compares keys. */
#include "intern.h"
#include "err.h"
#include "hash.h"

#include <stdlib.h>
#include <string.h>

struct mp_intern {
	uint32_t *slot;		/* id + 1, 0 when empty */
	uint32_t mask;		/* slots - 1 (a power of two) */
	uint32_t *hash;		/* per id: the key's hash (low 32 bits) */
	uint32_t *off;		/* per id: the key's offset in the arena; off[n] is the end */
	uint32_t n, cap;	/* ids, and room in hash/off */
	char *arena;
	size_t used, size;
};

mp_intern *
mp_intern_new(void)
{
	mp_intern *t = mp_xcalloc(1, sizeof *t);

	t->mask = 63;
	t->slot = mp_xcalloc(64, sizeof *t->slot);
	t->cap = 32;
	t->hash = mp_xmalloc(t->cap * sizeof *t->hash);
	t->off = mp_xmalloc((t->cap + 1) * sizeof *t->off);
	t->off[0] = 0;
	return t;
}

void
mp_intern_free(mp_intern *t)
{
	if (!t)
		return;
	free(t->slot);
	free(t->hash);
	free(t->off);
	free(t->arena);
	free(t);
}

static int
same(const mp_intern *t, uint32_t id, const char *s, size_t n)
{
	return t->off[id + 1] - t->off[id] - 1 == n && memcmp(t->arena + t->off[id], s, n) == 0;
}

/* The slot holding the key, or the empty slot where it would go. */
static uint32_t
probe(const mp_intern *t, uint32_t h, const char *s, size_t n)
{
	uint32_t j = h & t->mask;

	for (uint32_t e; (e = t->slot[j]); j = (j + 1) & t->mask)
		if (t->hash[e - 1] == h && same(t, e - 1, s, n))
			break;
	return j;
}

static void
grow_slots(mp_intern *t)
{
	uint32_t mask = t->mask * 2 + 1;
	uint32_t *slot = mp_xcalloc((size_t)mask + 1, sizeof *slot);

	for (uint32_t id = 0; id < t->n; id++) {
		uint32_t j = t->hash[id] & mask;
		while (slot[j])
			j = (j + 1) & mask;
		slot[j] = id + 1;
	}
	free(t->slot);
	t->slot = slot;
	t->mask = mask;
}

/* Room for one more key of n bytes. */
static void
reserve(mp_intern *t, size_t n)
{
	if (t->n == t->cap) {
		t->cap *= 2;
		t->hash = mp_xrealloc(t->hash, t->cap * sizeof *t->hash);
		t->off = mp_xrealloc(t->off, ((size_t)t->cap + 1) * sizeof *t->off);
	}
	if (t->used + n + 1 > t->size) {
		t->size = t->size ? t->size * 2 : 4096;
		while (t->used + n + 1 > t->size)
			t->size *= 2;
		if (t->size > UINT32_MAX)
			mp_die(MP_EXIT_DATA, "more than 4 GiB of distinct keys");
		t->arena = mp_xrealloc(t->arena, t->size);
	}
}

uint32_t
mp_intern_add(mp_intern *t, const char *s, size_t n, int *added)
{
	uint32_t h = (uint32_t)mp_hash64(s, n), j = probe(t, h, s, n), id;

	if (added)
		*added = 0;
	if (t->slot[j])
		return t->slot[j] - 1;
	if (t->n == UINT32_MAX - 1)
		mp_die(MP_EXIT_DATA, "more than 4 billion distinct keys");
	reserve(t, n);
	id = t->n++;
	memcpy(t->arena + t->used, s, n);
	t->arena[t->used + n] = '\0';
	t->used += n + 1;
	t->off[id + 1] = (uint32_t)t->used;
	t->hash[id] = h;
	t->slot[j] = id + 1;
	if ((uint64_t)t->n * 4 > (uint64_t)(t->mask + 1) * 3)
		grow_slots(t);
	if (added)
		*added = 1;
	return id;
}

uint32_t
mp_intern_find(const mp_intern *t, const char *s, size_t n)
{
	uint32_t j = probe(t, (uint32_t)mp_hash64(s, n), s, n);

	return t->slot[j] ? t->slot[j] - 1 : MP_INTERN_NONE;
}

const char *
mp_intern_key(const mp_intern *t, uint32_t id, size_t *n)
{
	if (n)
		*n = t->off[id + 1] - t->off[id] - 1;
	return t->arena + t->off[id];
}

size_t
mp_intern_count(const mp_intern *t)
{
	return t->n;
}

size_t
mp_intern_bytes(const mp_intern *t)
{
	return ((size_t)t->mask + 1) * sizeof *t->slot + t->cap * (sizeof *t->hash + sizeof *t->off) + t->size;
}

void
mp_intern_prefetch(const mp_intern *t, const char *s, size_t n)
{
	__builtin_prefetch(&t->slot[(uint32_t)mp_hash64(s, n) & t->mask]);
}
