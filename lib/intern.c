/*
 * intern.c: byte-string keys to dense ids, in one open-addressing table that
 * compares keys; and mp_idmap, compact exact keys to small records.
 */
#define _GNU_SOURCE	/* mremap */
#include "intern.h"
#include "err.h"
#include "hash.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

struct mp_intern {
	uint32_t *slot;		/* id + 1, 0 when empty */
	uint32_t mask;		/* slots - 1 (a power of two) */
	uint32_t *hash;		/* per id: the key's hash (low 32 bits) */
	uint32_t *off;		/* per id: the key's offset in the arena; off[n] is the end */
	uint32_t n;		/* ids */
	size_t cap;		/* room in hash (off has one more) */
	char *arena;
	size_t used, size;
};

#ifndef MAP_POPULATE
#define MAP_POPULATE 0
#endif

/* A table's 32-bit (or 40-bit) capacity reached, said in the user's words: what was kept, and how much. */
static void __attribute__((noreturn))
too_many(const char *amount)
{
	mp_too_much("more than %s different ids or values of one kind (such as child ids) to keep", amount);
}

void *
mp_table_alloc(size_t bytes)
{
	void *p;

	if (bytes < (64u << 10))
		return mp_xcalloc(1, bytes);
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (p == MAP_FAILED)
		mp_oom();
	return p;
}

void
mp_table_free(void *p, size_t bytes)
{
	if (!p)
		return;
	if (bytes < (64u << 10))
		free(p);
	else
		munmap(p, bytes);
}

#define ARRAY_MMAP (64u << 10)

void *
mp_array_grow(void *p, size_t old_bytes, size_t new_bytes)
{
	void *q;

	if (new_bytes < ARRAY_MMAP)
		return mp_xrealloc(p, new_bytes);
#ifdef MREMAP_MAYMOVE
	if (old_bytes >= ARRAY_MMAP) {
		q = mremap(p, old_bytes, new_bytes, MREMAP_MAYMOVE);
		if (q == MAP_FAILED)
			mp_oom();
		return q;
	}
#endif
	q = mmap(NULL, new_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (q == MAP_FAILED)
		mp_oom();
	if (p)
		memcpy(q, p, old_bytes);
	mp_array_free(p, old_bytes);
	return q;
}

void
mp_array_free(void *p, size_t bytes)
{
	if (!p)
		return;
	if (bytes < ARRAY_MMAP)
		free(p);
	else
		munmap(p, bytes);
}

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
		t->hash = mp_xgrow(t->hash, &t->cap, (size_t)t->n + 1, sizeof *t->hash);
		t->off = mp_xrealloc(t->off, (t->cap + 1) * sizeof *t->off);
	}
	size_t need = t->used + n + 1;

	if (need > t->size) {
		if (need > (size_t)1 << 31)	/* doubled past 32-bit offsets */
			too_many("2 GiB of");
		t->arena = mp_xgrow(t->arena, &t->size, need < 4096 ? 4096 : need, 1);	/* from 4 KiB at once */
	}
}

uint32_t
mp_intern_add(mp_intern *t, const char *s, size_t n, int *added)
{
	return mp_intern_add_hashed(t, mp_intern_hash(s, n), s, n, added);
}

uint32_t
mp_intern_add_hashed(mp_intern *t, uint32_t h, const char *s, size_t n, int *added)
{
	uint32_t j = probe(t, h, s, n), id;

	if (added)
		*added = 0;
	if (t->slot[j])
		return t->slot[j] - 1;
	if (t->n == UINT32_MAX - 1)
		too_many("4 billion");
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
	return mp_intern_find_hashed(t, mp_intern_hash(s, n), s, n);
}

uint32_t
mp_intern_find_hashed(const mp_intern *t, uint32_t h, const char *s, size_t n)
{
	uint32_t j = probe(t, h, s, n);

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

/* ---- mp_idmap ---- */

#define IDM_PARTS 64
#define IDM_TEXT (1ULL << 63)		/* a text key: hash bits and arena offset follow */
#define IDM_HBITS 0x7FFFFFULL		/* 23 bits of hash, bits 40-62 of a text key */
#define IDM_OFF ((1ULL << 40) - 1)	/* arena offset, bits 0-39 */

struct idm_part {
	unsigned char *slot;	/* nslots slots of stride bytes: key, then record */
	uint32_t nslots, n;
};

struct mp_idmap {
	struct idm_part part[IDM_PARTS];
	size_t recsize, keysize, stride, count;
	mp_ids text;		/* the text keys */
};

/* A key as held: a number + 1 (never 0), or IDM_TEXT with hash bits (offset 0); h places it. */
typedef struct idm_key {
	uint64_t word, h;
	int text;
} idm_key;

/* Where a number goes: two multiplications, so that every bit of it moves the high bits that place it. */
static uint64_t
number_hash(uint64_t x)
{
	x *= 0x9E3779B97F4A7C15ULL;
	x ^= x >> 29;
	x *= 0xBF58476D1CE4E5B9ULL;
	return x ^ (x >> 32);
}

/* A plain decimal number of at most 18 digits (below 2^60), no leading zero. */
static int
as_number(const char *s, size_t n, uint64_t *v)
{
	uint64_t x = 0;

	if (n == 0 || n > 18 || (s[0] == '0' && n > 1))
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned char)s[i] - '0';
		if (d > 9)
			return 0;
		x = x * 10 + d;
	}
	*v = x;
	return 1;
}

static void
key_of(const char *s, size_t n, idm_key *k)
{
	uint64_t v;

	if (as_number(s, n, &v)) {
		k->word = v + 1;
		k->h = number_hash(k->word);
		k->text = 0;
	} else {
		k->h = mp_hash64(s, n);
		k->word = IDM_TEXT | (k->h & IDM_HBITS) << 40;
		k->text = 1;
	}
}

/* Does the key fit a table of 4-byte keys? */
static int
fits(const mp_idmap *m, const idm_key *k)
{
	return m->keysize == 8 || (!k->text && k->word <= UINT32_MAX);
}

static uint64_t
word_at(size_t keysize, const unsigned char *sl)
{
	if (keysize == 4) {
		uint32_t w;
		memcpy(&w, sl, 4);
		return w;
	}
	uint64_t w;
	memcpy(&w, sl, 8);
	return w;
}

static void
word_put(size_t keysize, unsigned char *sl, uint64_t w)
{
	if (keysize == 4) {
		uint32_t w32 = (uint32_t)w;
		memcpy(sl, &w32, 4);
	} else {
		memcpy(sl, &w, 8);
	}
}

/* The bytes of the text at arena offset off (its length in *n). */
static const char *
text_at(const mp_ids *a, uint64_t off, size_t *n)
{
	const unsigned char *p = (const unsigned char *)a->arena + off;
	size_t len = 0;

	for (int shift = 0;; shift += 7) {
		len |= (size_t)(*p & 0x7f) << shift;
		if (!(*p++ & 0x80))
			break;
	}
	*n = len;
	return (const char *)p;
}

/* Where a key's h falls: its part, and a first slot there (any slot count, not only powers of two). */
static struct idm_part *
part_of(const mp_idmap *m, uint64_t h)
{
	return (struct idm_part *)&m->part[h >> 58];
}

static uint32_t
home(const struct idm_part *p, uint64_t h)
{
	return (uint32_t)(((uint64_t)(uint32_t)(h >> 16) * p->nslots) >> 32);
}

/* The slot holding the key, or the empty slot where it would go. */
static unsigned char *
idm_probe(const mp_idmap *m, const idm_key *k, const char *s, size_t n)
{
	const struct idm_part *p = part_of(m, k->h);
	uint32_t j = home(p, k->h);

	for (;;) {
		unsigned char *sl = p->slot + (size_t)j * m->stride;
		uint64_t w = word_at(m->keysize, sl);
		size_t len;
		if (w == 0 || (!k->text && w == k->word))
			return sl;
		if (k->text && (w & ~IDM_OFF) == k->word) {
			const char *t = text_at(&m->text, w & IDM_OFF, &len);
			if (len == n && memcmp(t, s, n) == 0)
				return sl;
		}
		if (++j == p->nslots)
			j = 0;
	}
}

/* The h of a held key word. */
static uint64_t
held_hash(const mp_idmap *m, uint64_t w)
{
	size_t n;
	const char *t;

	if (!(w & IDM_TEXT))
		return number_hash(w);
	t = text_at(&m->text, w & IDM_OFF, &n);
	return mp_hash64(t, n);
}

/* Re-place the slots of part p into nslots slots of keysize-byte keys. */
static void
part_rebuild(mp_idmap *m, struct idm_part *p, uint32_t nslots, size_t keysize)
{
	size_t ostride = m->stride, nstride = keysize + m->recsize, okey = m->keysize;
	unsigned char *old = p->slot;
	uint32_t on = p->nslots;

	p->slot = mp_table_alloc((size_t)nslots * nstride);
	p->nslots = nslots;
	for (uint32_t i = 0; i < on; i++) {
		const unsigned char *sl = old + (size_t)i * ostride;
		uint64_t w = word_at(okey, sl);
		if (!w)
			continue;
		uint32_t j = home(p, held_hash(m, w));
		unsigned char *to = p->slot + (size_t)j * nstride;
		while (word_at(keysize, to)) {
			if (++j == nslots)
				j = 0;
			to = p->slot + (size_t)j * nstride;
		}
		if (keysize == okey) {
			memcpy(to, sl, nstride);
		} else {
			word_put(keysize, to, w);
			memcpy(to + keysize, sl + okey, m->recsize);
		}
	}
	mp_table_free(old, (size_t)on * ostride);
}

/* From 4-byte keys to 8, part by part. */
static void
widen(mp_idmap *m)
{
	for (int i = 0; i < IDM_PARTS; i++)
		part_rebuild(m, &m->part[i], m->part[i].nslots, 8);
	m->keysize = 8;
	m->stride = 8 + m->recsize;
}

mp_idmap *
mp_idmap_new(size_t recsize)
{
	mp_idmap *m = mp_xcalloc(1, sizeof *m);

	m->recsize = recsize;
	m->keysize = 4;
	m->stride = 4 + recsize;
	for (int i = 0; i < IDM_PARTS; i++) {
		m->part[i].nslots = 16;
		m->part[i].slot = mp_table_alloc(16 * m->stride);
	}
	return m;
}

void
mp_idmap_free(mp_idmap *m)
{
	if (!m)
		return;
	for (int i = 0; i < IDM_PARTS; i++)
		mp_table_free(m->part[i].slot, (size_t)m->part[i].nslots * m->stride);
	mp_ids_free(&m->text);
	free(m);
}

/* A copy of a text in the arena (its length, LEB128, then its bytes); its offset. */
static uint64_t
arena_text(mp_ids *a, const char *s, size_t n)
{
	uint64_t off = a->used;

	a->arena = mp_xgrow(a->arena, &a->size, a->used + n + 10, 1);
	if (off + n + 10 > IDM_OFF)
		too_many("a terabyte of");
	for (size_t len = n;; len >>= 7) {
		a->arena[a->used++] = (char)((len & 0x7f) | (len > 0x7f ? 0x80 : 0));
		if (len <= 0x7f)
			break;
	}
	memcpy(a->arena + a->used, s, n);
	a->used += n;
	return off;
}

void *
mp_idmap_add(mp_idmap *m, const char *s, size_t n, int *added)
{
	idm_key k;
	struct idm_part *p;
	unsigned char *sl;

	key_of(s, n, &k);
	if (!fits(m, &k))
		widen(m);
	p = part_of(m, k.h);
	sl = idm_probe(m, &k, s, n);
	*added = 0;
	if (word_at(m->keysize, sl))
		return sl + m->keysize;
	/* Grown before it passes 4/5 full: half as many slots again, part by part. */
	if ((uint64_t)(p->n + 1) * 5 > (uint64_t)p->nslots * 4) {
		if (p->nslots > UINT32_MAX / 3 * 2)	/* one of 64 parts full: 2.3 billion ids in it */
			too_many("2 billion");
		part_rebuild(m, p, p->nslots + p->nslots / 2, m->keysize);
		sl = idm_probe(m, &k, s, n);
	}
	word_put(m->keysize, sl, k.text ? k.word | arena_text(&m->text, s, n) : k.word);	/* its record is zero */
	p->n++;
	m->count++;
	*added = 1;
	return sl + m->keysize;
}

void *
mp_idmap_find(const mp_idmap *m, const char *s, size_t n)
{
	idm_key k;
	unsigned char *sl;

	key_of(s, n, &k);
	if (!fits(m, &k))
		return NULL;
	sl = idm_probe(m, &k, s, n);
	return word_at(m->keysize, sl) ? sl + m->keysize : NULL;
}

void
mp_idmap_prefetch(const mp_idmap *m, const char *s, size_t n)
{
	idm_key k;
	const struct idm_part *p;

	key_of(s, n, &k);
	p = part_of(m, k.h);
	__builtin_prefetch(p->slot + (size_t)home(p, k.h) * m->stride);
}

size_t
mp_idmap_count(const mp_idmap *m)
{
	return m->count;
}

size_t
mp_idmap_bytes(const mp_idmap *m)
{
	size_t b = mp_ids_bytes(&m->text);

	for (int i = 0; i < IDM_PARTS; i++)
		b += (size_t)m->part[i].nslots * m->stride;
	return b;
}

void
mp_idmap_each(const mp_idmap *m, void (*fn)(void *ctx, const char *key, size_t n, void *rec), void *ctx)
{
	char buf[MP_IDS_BUF];

	for (int i = 0; i < IDM_PARTS; i++)
		for (uint32_t j = 0; j < m->part[i].nslots; j++) {
			unsigned char *sl = m->part[i].slot + (size_t)j * m->stride;
			uint64_t w = word_at(m->keysize, sl);
			size_t n;
			const char *key;
			if (!w)
				continue;
			key = mp_ids_get(&m->text, (w & IDM_TEXT) ? w & (IDM_TEXT | IDM_OFF) : w, buf, &n);
			fn(ctx, key, n, sl + m->keysize);
		}
}

uint32_t
mp_intern_hash(const char *s, size_t n)
{
	return (uint32_t)mp_hash64(s, n);
}

void
mp_intern_prefetch_hash(const mp_intern *t, uint32_t h)
{
	__builtin_prefetch(&t->slot[h & t->mask]);
}

void
mp_intern_prefetch_entry(const mp_intern *t, uint32_t h)
{
	uint32_t e = t->slot[h & t->mask];

	if (e) {
		__builtin_prefetch(&t->hash[e - 1]);
		__builtin_prefetch(&t->off[e - 1]);
	}
}

/* ---- mp_ids ---- */

uint64_t
mp_ids_put(mp_ids *a, const char *s, size_t n)
{
	uint64_t v;

	if (as_number(s, n, &v))
		return v + 1;
	return IDM_TEXT | arena_text(a, s, n);
}

const char *
mp_ids_get(const mp_ids *a, uint64_t w, char *buf, size_t *n)
{
	if (w & IDM_TEXT)
		return text_at(a, w & IDM_OFF, n);
	*n = (size_t)snprintf(buf, MP_IDS_BUF, "%llu", (unsigned long long)(w - 1));
	return buf;
}

/* The digits of v. */
static int
ndigits(uint64_t v)
{
	int d = 1;

	while (v >= 10)
		v /= 10, d++;
	return d;
}

int
mp_ids_cmp(const mp_ids *a, uint64_t x, uint64_t y)
{
	char bx[MP_IDS_BUF], by[MP_IDS_BUF];
	size_t nx, ny;
	const char *sx, *sy;
	int c;

	if (!(x & IDM_TEXT) && !(y & IDM_TEXT)) {
		/* Two numbers: their digits compared as text, by padding the shorter with zeros. */
		uint64_t u = x - 1, v = y - 1;
		int du = ndigits(u), dv = ndigits(v);
		for (int d = du; d < dv; d++)
			u *= 10;
		for (int d = dv; d < du; d++)
			v *= 10;
		if (u != v)
			return u < v ? -1 : 1;
		return (du > dv) - (du < dv);
	}
	sx = mp_ids_get(a, x, bx, &nx);
	sy = mp_ids_get(a, y, by, &ny);
	c = memcmp(sx, sy, nx < ny ? nx : ny);
	if (c)
		return c < 0 ? -1 : 1;
	return (nx > ny) - (nx < ny);
}

void
mp_ids_free(mp_ids *a)
{
	free(a->arena);
	a->arena = NULL;
	a->used = a->size = 0;
}

size_t
mp_ids_bytes(const mp_ids *a)
{
	return a->size;
}
