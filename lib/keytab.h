/* keytab.h: strings interned to dense ids (0, 1, 2, ... in order of first sight). */
#ifndef MP_KEYTAB_H
#define MP_KEYTAB_H

#include <stddef.h>
#include <stdint.h>

#define MP_KEY_NONE UINT32_MAX

typedef struct mp_keytab mp_keytab;

mp_keytab *mp_keytab_new(void);
void mp_keytab_free(mp_keytab *t);

/* The id of s[0..len), adding it when add is set; MP_KEY_NONE when absent (or len is 0). */
uint32_t mp_keytab_id(mp_keytab *t, const char *s, size_t len, int add);
/*
 * The same in two steps, for a caller with other work to do meanwhile:
 * mp_keytab_prefetch starts loading the slot of a hash (a large table's
 * lookup is one cache miss), mp_keytab_id_hashed finishes the lookup.
 */
uint64_t mp_keytab_hash(const char *s, size_t len);
void mp_keytab_prefetch(const mp_keytab *t, uint64_t hash);
uint32_t mp_keytab_id_hashed(mp_keytab *t, uint64_t hash, const char *s, size_t len, int add);
/* How many distinct strings have ids. */
size_t mp_keytab_count(const mp_keytab *t);

#endif
