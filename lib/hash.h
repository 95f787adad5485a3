/* hash.h: the one string hash for the hash tables of the library. */
#ifndef MP_HASH_H
#define MP_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * Eight bytes at a time (a multiply and a shift each: keys such as a
 * cell's ids or a child's id are 8 to 24 bytes), the tail and the length
 * last, then a final mix so that the low bits (used for table slots)
 * depend on every byte.  Never 0, so 0 can mark an empty slot.  Not keyed:
 * for tables, never for anything an attacker must not predict.
 */
static inline uint64_t
mp_hash64(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL, w;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	w = 0;
	for (size_t k = 0; i + k < n; k++)
		w |= (uint64_t)(unsigned char)s[i + k] << (8 * k);
	h = (h ^ w ^ (uint64_t)n << 56) * 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h ? h : 1;
}

#endif
