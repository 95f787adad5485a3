/* hash.h: the one string hash for the hash tables of the library. */
#ifndef MP_HASH_H
#define MP_HASH_H

#include <stddef.h>
#include <stdint.h>

/*
 * FNV-1a over the bytes, then a final mix so that the low bits (used for
 * table slots) depend on every byte.  Never 0, so 0 can mark an empty slot.
 * Not keyed: for tables, never for anything an attacker must not predict.
 */
static inline uint64_t
mp_hash64(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h ? h : 1;
}

#endif
