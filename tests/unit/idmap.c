/* idmap: exact keys (numbers held as numbers, text as bytes), mp_ids and the uniq store (lib/intern.h, lib/uniq.h), as TAP. */
#include "err.h"
#include "intern.h"
#include "tap.h"
#include "uniq.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Keys that look alike but differ: each its own record. */
static void
alike(void)
{
	static const char *const keys[] = { "7", "07", "007", "7 ", " 7", "+7", "-7", "7x", "0", "00", "",
		"999999999999999999", "0999999999999999999", "1000000000000000000", "4294967294",
		"4294967295", "4294967296", "18446744073709551616", "18446744073709551615" };
	size_t n = sizeof keys / sizeof *keys;
	mp_idmap *m = mp_idmap_new(4);
	int added, ok = 1;

	for (size_t i = 0; i < n; i++) {
		uint32_t *r = mp_idmap_add(m, keys[i], strlen(keys[i]), &added);
		ok &= added && *r == 0;
		*r = (uint32_t)i + 1;
	}
	TAP_OK(ok && mp_idmap_count(m) == n, "%zu distinct keys, each added once", n);
	ok = 1;
	for (size_t i = 0; i < n; i++) {
		uint32_t *r = mp_idmap_find(m, keys[i], strlen(keys[i]));
		ok &= r && *r == i + 1;
		r = mp_idmap_add(m, keys[i], strlen(keys[i]), &added);
		ok &= !added && *r == i + 1;
	}
	TAP_OK(ok, "each found again with its own record (text keys widened the table on the way)");
	TAP_OK(mp_idmap_find(m, "70", 2) == NULL && mp_idmap_find(m, "x7", 2) == NULL, "absent keys not found");
	mp_idmap_free(m);
}

/* Keys with a NUL byte and long keys compare by their bytes and length. */
static void
bytes(void)
{
	mp_idmap *m = mp_idmap_new(8);
	char longkey[300];
	int added;

	memset(longkey, 'k', sizeof longkey);
	mp_idmap_add(m, "a\0b", 3, &added);
	TAP_OK(added, "a NUL b added");
	mp_idmap_add(m, "a\0c", 3, &added);
	TAP_OK(added, "a NUL c is another key");
	mp_idmap_add(m, "a", 1, &added);
	TAP_OK(added, "a is another key");
	mp_idmap_add(m, longkey, sizeof longkey, &added);
	mp_idmap_add(m, longkey, sizeof longkey - 1, &added);
	TAP_OK(added, "a 300-byte key and its 299-byte prefix are two keys");
	TAP_OK(mp_idmap_find(m, longkey, sizeof longkey) != NULL, "the 300-byte key is found");
	mp_idmap_free(m);
}

struct sum {
	uint64_t keys, recs;
	size_t n;
};

static void
add_up(void *ctx, const char *key, size_t n, void *rec)
{
	struct sum *s = ctx;
	uint32_t r;
	char buf[32];

	memcpy(&r, rec, sizeof r);
	if (n < sizeof buf) {
		memcpy(buf, key, n);
		buf[n] = '\0';
		s->keys += strtoull(buf, NULL, 10);
	}
	s->recs += r;
	s->n++;
}

/* A million keys through many growths, numbers then text (the table widens midway). */
static void
many(void)
{
	mp_idmap *m = mp_idmap_new(4);
	char buf[32];
	int added, ok = 1;
	struct sum s = { 0, 0, 0 };

	for (uint32_t i = 0; i < 1000000; i++) {
		int len = i < 600000 ? snprintf(buf, sizeof buf, "%llu", i * 7919ULL) : snprintf(buf, sizeof buf, "k%u", i);
		uint32_t *r = mp_idmap_add(m, buf, (size_t)len, &added);
		ok &= added;
		*r = i;
	}
	for (uint32_t i = 0; i < 1000000; i += 999) {
		int len = i < 600000 ? snprintf(buf, sizeof buf, "%llu", i * 7919ULL) : snprintf(buf, sizeof buf, "k%u", i);
		uint32_t *r = mp_idmap_find(m, buf, (size_t)len);
		ok &= r && *r == i;
	}
	TAP_OK(ok && mp_idmap_count(m) == 1000000, "a million keys added and found with their records");
	mp_idmap_each(m, add_up, &s);
	TAP_OK(s.n == 1000000 && s.recs == 999999ULL * 1000000 / 2 && s.keys == 7919ULL * 599999 * 600000 / 2,
	       "each record visited once, numbers given back as their digits");
	TAP_OK(mp_idmap_bytes(m) < 1000000 * 24, "under 24 bytes a key held (%zu bytes)", mp_idmap_bytes(m));
	mp_idmap_free(m);
}

/* Where a value was first seen, across files read in turn (one of them twice). */
static void
uniq(void)
{
	mp_uniq *u = mp_uniq_new();
	long line;
	int file;

	TAP_OK(mp_uniq_seen(u, "10", 2, 2, 0, &line, &file) == 0, "10 new at a:2");
	TAP_OK(mp_uniq_seen(u, "11", 2, 9, 0, &line, &file) == 0, "11 new at a:9");
	TAP_OK(mp_uniq_seen(u, "E1", 2, 2, 1, &line, &file) == 0, "E1 new at b:2");
	TAP_OK(mp_uniq_seen(u, "12", 2, 3, 0, &line, &file) == 0, "12 new at a:3 (a read again)");
	TAP_OK(mp_uniq_seen(u, "11", 2, 5, 1, &line, &file) == 1 && line == 9 && file == 0, "11 again: a:9 (got %d:%ld)",
	       file, line);
	TAP_OK(mp_uniq_seen(u, "E1", 2, 4, 0, &line, &file) == 1 && line == 2 && file == 1, "E1 again: b:2 (got %d:%ld)",
	       file, line);
	TAP_OK(mp_uniq_seen(u, "12", 2, 7, 2, &line, &file) == 1 && line == 3 && file == 0, "12 again: a:3 (got %d:%ld)",
	       file, line);
	TAP_OK(mp_uniq_seen(u, "10", 2, 7, 2, &line, &file) == 1 && line == 2 && file == 0, "10 again: a:2 (got %d:%ld)",
	       file, line);
	TAP_OK(mp_uniq_seen(u, "010", 3, 8, 2, &line, &file) == 0, "010 is not 10");
	mp_uniq_free(u);
}

/* Ids in bytewise order, numbers held as numbers among them. */
static void
order(void)
{
	static const char *const sorted[] = { "", "0", "00", "01", "1", "10", "100", "1000000000000000000", "11",
		"19", "2", "20", "9", "90", "900", "999999999999999999", "A", "a" };
	size_t n = sizeof sorted / sizeof *sorted;
	mp_ids ids = { NULL, 0, 0 };
	uint64_t w[32];
	int ok = 1;

	for (size_t i = 0; i < n; i++)
		w[i] = mp_ids_put(&ids, sorted[i], strlen(sorted[i]));
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			int c = mp_ids_cmp(&ids, w[i], w[j]), want = (i > j) - (i < j);
			if ((c > 0) - (c < 0) != want) {
				ok = 0;
				printf("# %s vs %s: %d\n", sorted[i], sorted[j], c);
			}
		}
	TAP_OK(ok, "%zu ids compared pairwise in byte order", n);
	ok = 1;
	for (size_t i = 0; i < n; i++) {
		char buf[MP_IDS_BUF];
		size_t len;
		const char *s = mp_ids_get(&ids, w[i], buf, &len);
		ok &= len == strlen(sorted[i]) && memcmp(s, sorted[i], len) == 0;
	}
	TAP_OK(ok, "each id given back as it was");
	mp_ids_free(&ids);
}

int
main(void)
{
	mp_set_progname("idmap");
	alike();
	bytes();
	many();
	uniq();
	order();
	return tap_done();
}
