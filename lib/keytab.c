/* keytab.c: open addressing over the strings' hashes; the strings live in one arena. */
#include "keytab.h"
#include "err.h"
#include "hash.h"

#include <stdlib.h>
#include <string.h>

struct key {
	uint64_t hash;
	size_t off, len;
};

struct mp_keytab {
	struct key *keys;	/* by id */
	size_t nkeys, ckeys;
	uint32_t *slot;		/* id + 1, or 0 for a free slot */
	size_t nslot;		/* a power of two, at least twice nkeys */
	char *arena;
	size_t alen, acap;
};

mp_keytab *
mp_keytab_new(void)
{
	mp_keytab *t = mp_xcalloc(1, sizeof *t);

	t->nslot = 1024;
	t->slot = mp_xcalloc(t->nslot, sizeof *t->slot);
	return t;
}

void
mp_keytab_free(mp_keytab *t)
{
	if (!t)
		return;
	free(t->keys);
	free(t->slot);
	free(t->arena);
	free(t);
}

size_t
mp_keytab_count(const mp_keytab *t)
{
	return t->nkeys;
}

/* Double the slots and put every id back. */
static void
grow(mp_keytab *t)
{
	size_t n = t->nslot * 2, mask = n - 1;
	uint32_t *slot = mp_xcalloc(n, sizeof *slot);

	for (size_t id = 0; id < t->nkeys; id++) {
		size_t k = t->keys[id].hash & mask;
		while (slot[k])
			k = (k + 1) & mask;
		slot[k] = (uint32_t)id + 1;
	}
	free(t->slot);
	t->slot = slot;
	t->nslot = n;
}

/* Copy a new key into the arena and give it the next id. */
static uint32_t
add_key(mp_keytab *t, uint64_t h, const char *s, size_t len)
{
	if (t->nkeys >= MP_KEY_NONE - 1)
		mp_die(MP_EXIT_DATA, "more than %lu distinct keys", (unsigned long)(MP_KEY_NONE - 1));
	if (t->alen + len > t->acap) {
		t->acap = t->acap ? t->acap * 2 : 65536;
		while (t->alen + len > t->acap)
			t->acap *= 2;
		t->arena = mp_xrealloc(t->arena, t->acap);
	}
	memcpy(t->arena + t->alen, s, len);
	if (t->nkeys == t->ckeys) {
		t->ckeys = t->ckeys ? t->ckeys * 2 : 1024;
		t->keys = mp_xrealloc(t->keys, t->ckeys * sizeof *t->keys);
	}
	t->keys[t->nkeys] = (struct key){ h, t->alen, len };
	t->alen += len;
	return (uint32_t)t->nkeys++;
}

uint32_t
mp_keytab_id(mp_keytab *t, const char *s, size_t len, int add)
{
	if (len == 0)
		return MP_KEY_NONE;
	uint64_t h = mp_hash64(s, len);
	size_t mask = t->nslot - 1, k = h & mask;

	for (; t->slot[k]; k = (k + 1) & mask) {
		const struct key *e = &t->keys[t->slot[k] - 1];
		if (e->hash == h && e->len == len && memcmp(t->arena + e->off, s, len) == 0)
			return t->slot[k] - 1;
	}
	if (!add)
		return MP_KEY_NONE;
	uint32_t id = add_key(t, h, s, len);
	t->slot[k] = id + 1;
	if (2 * t->nkeys > t->nslot)
		grow(t);
	return id;
}
