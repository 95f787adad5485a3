/* keytab.c: open addressing; a key of up to 16 bytes lives in its slot, so a lookup touches one cache line. */
#include "keytab.h"
#include "err.h"
#include "hash.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define INLINE 16

/* 32 bytes: the hash, the id (+1; 0 marks a free slot), and the key or its place in the arena. */
struct slot {
	uint64_t hash;
	uint32_t id1, len;
	union {
		char in[INLINE];
		size_t off;
	} k;
};

struct mp_keytab {
	struct slot *slot;
	size_t nslot;		/* a power of two, at least twice nkeys */
	size_t nkeys;
	char *arena;		/* keys longer than INLINE */
	size_t alen, acap;
};

/* n free slots; a large table asks for huge pages (fewer TLB misses on its random accesses). */
static struct slot *
new_slots(size_t n)
{
	size_t bytes = n * sizeof(struct slot), huge = 2u << 20;
	void *p;

	if (bytes < huge || posix_memalign(&p, huge, bytes) != 0)
		return mp_xcalloc(n, sizeof(struct slot));
#ifdef MADV_HUGEPAGE
	madvise(p, bytes, MADV_HUGEPAGE);	/* advice only: any failure leaves small pages */
#endif
	memset(p, 0, bytes);
	return p;
}

mp_keytab *
mp_keytab_new(void)
{
	mp_keytab *t = mp_xcalloc(1, sizeof *t);

	t->nslot = 1024;
	t->slot = new_slots(t->nslot);
	return t;
}

void
mp_keytab_free(mp_keytab *t)
{
	if (!t)
		return;
	free(t->slot);
	free(t->arena);
	free(t);
}

size_t
mp_keytab_count(const mp_keytab *t)
{
	return t->nkeys;
}

/* Double the slots and put every key back (its hash is kept, so no key is read). */
static void
grow(mp_keytab *t)
{
	size_t n = t->nslot * 2, mask = n - 1;
	struct slot *slot = new_slots(n);

	for (size_t i = 0; i < t->nslot; i++) {
		if (!t->slot[i].id1)
			continue;
		size_t k = t->slot[i].hash & mask;
		while (slot[k].id1)
			k = (k + 1) & mask;
		slot[k] = t->slot[i];
	}
	free(t->slot);
	t->slot = slot;
	t->nslot = n;
}

static int
same_key(const mp_keytab *t, const struct slot *e, const char *s, size_t len)
{
	if (e->len != len)
		return 0;
	return memcmp(len <= INLINE ? e->k.in : t->arena + e->k.off, s, len) == 0;
}

/* Fill a free slot with a new key and give it the next id. */
static uint32_t
add_key(mp_keytab *t, struct slot *e, uint64_t h, const char *s, size_t len)
{
	if (t->nkeys >= MP_KEY_NONE - 1)
		mp_die(MP_EXIT_DATA, "more than %lu distinct keys", (unsigned long)(MP_KEY_NONE - 1));
	if (len > UINT32_MAX)
		mp_die(MP_EXIT_DATA, "a key of %zu bytes is too long", len);
	e->hash = h;
	e->len = (uint32_t)len;
	e->id1 = (uint32_t)++t->nkeys;
	if (len <= INLINE) {
		memcpy(e->k.in, s, len);
		return e->id1 - 1;
	}
	if (t->alen + len > t->acap) {
		t->acap = t->acap ? t->acap * 2 : 65536;
		while (t->alen + len > t->acap)
			t->acap *= 2;
		t->arena = mp_xrealloc(t->arena, t->acap);
	}
	memcpy(t->arena + t->alen, s, len);
	e->k.off = t->alen;
	t->alen += len;
	return e->id1 - 1;
}

uint64_t
mp_keytab_hash(const char *s, size_t len)
{
	return mp_hash64(s, len);
}

void
mp_keytab_prefetch(const mp_keytab *t, uint64_t hash)
{
	__builtin_prefetch(&t->slot[hash & (t->nslot - 1)]);
}

uint32_t
mp_keytab_id(mp_keytab *t, const char *s, size_t len, int add)
{
	return len ? mp_keytab_id_hashed(t, mp_hash64(s, len), s, len, add) : MP_KEY_NONE;
}

uint32_t
mp_keytab_id_hashed(mp_keytab *t, uint64_t h, const char *s, size_t len, int add)
{
	if (len == 0)
		return MP_KEY_NONE;
	size_t mask = t->nslot - 1, k = h & mask;

	for (; t->slot[k].id1; k = (k + 1) & mask)
		if (t->slot[k].hash == h && same_key(t, &t->slot[k], s, len))
			return t->slot[k].id1 - 1;
	if (!add)
		return MP_KEY_NONE;
	uint32_t id = add_key(t, &t->slot[k], h, s, len);
	if (2 * t->nkeys > t->nslot)
		grow(t);
	return id;
}
