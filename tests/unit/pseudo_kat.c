/* pseudo_kat: known-answer tests of the HMAC-SHA-256 and base32 behind mp-pseudo (TAP). */
#include "pseudo.h"

#include <stdio.h>
#include <string.h>

static int n, failed;

/* One TAP line: ok when got equals want. */
static void
check(const char *name, const char *got, const char *want)
{
	n++;
	if (strcmp(got, want) == 0) {
		printf("ok %d - %s\n", n, name);
		return;
	}
	failed++;
	printf("not ok %d - %s\n#   got:  %s\n#   want: %s\n", n, name, got, want);
}

static const char *
hex(const unsigned char *b, size_t len)
{
	static char out[2 * MP_HMAC_BYTES + 1];

	for (size_t i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
	return out;
}

/* HMAC of msg under key, in hex, against an RFC 4231 answer. */
static void
kat(const char *name, const unsigned char *key, size_t keylen, const char *msg, const char *want)
{
	unsigned char mac[MP_HMAC_BYTES];

	mp_hmac_sha256(key, keylen, (const unsigned char *)msg, strlen(msg), mac);
	check(name, hex(mac, sizeof mac), want);
}

int
main(void)
{
	unsigned char k1[20], k6[131];
	char b32[64];

	memset(k1, 0x0b, sizeof k1);
	memset(k6, 0xaa, sizeof k6);
	kat("RFC 4231 case 1", k1, sizeof k1, "Hi There",
	    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	kat("RFC 4231 case 2", (const unsigned char *)"Jefe", 4, "what do ya want for nothing?",
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	kat("RFC 4231 case 6 (key longer than a block)", k6, sizeof k6,
	    "Test Using Larger Than Block-Size Key - Hash Key First",
	    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
	kat("RFC 4231 case 7 (key and data longer than a block)", k6, sizeof k6,
	    "This is a test using a larger than block-size key and a larger than block-size data."
	    " The key needs to be hashed before being used by the HMAC algorithm.",
	    "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");

	/* RFC 4648 section 10, lowercase and without padding. */
	static const char *const b32in[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	static const char *const b32want[] = { "", "my", "mzxq", "mzxw6", "mzxw6yq", "mzxw6ytb", "mzxw6ytboi" };
	for (size_t i = 0; i < sizeof b32in / sizeof *b32in; i++) {
		char name[64];
		snprintf(name, sizeof name, "base32 of \"%s\"", b32in[i]);
		mp_base32((const unsigned char *)b32in[i], strlen(b32in[i]), b32, sizeof b32 - 1);
		check(name, b32, b32want[i]);
	}
	mp_base32((const unsigned char *)"foobar", 6, b32, 4);
	check("base32 cut to 4 characters", b32, "mzxw");

	/* The keyed state copied per value gives the HMAC of domain NUL value. */
	mp_pseudo *p = mp_pseudo_new((const unsigned char *)"Jefe", 4);
	unsigned char a[MP_HMAC_BYTES], b[MP_HMAC_BYTES];
	char pa[MP_PSEUDO_LEN + 1], want[MP_PSEUDO_LEN + 1];
	mp_pseudo_hmac(p, "what do ya want", " for nothing?", 13, a);
	mp_hmac_sha256((const unsigned char *)"Jefe", 4, (const unsigned char *)"what do ya want\0 for nothing?", 29, b);
	check("domain NUL value, keyed state reused", hex(a, sizeof a), hex(b, sizeof b));
	mp_pseudo_hmac(p, "what do ya want", " for nothing?", 13, a);
	check("the same value twice gives the same HMAC", hex(a, sizeof a), hex(b, sizeof b));
	mp_pseudo_make(p, "child_id", "C001", 4, pa);
	mp_pseudo_hmac(p, "child_id", "C001", 4, a);
	mp_base32(a, sizeof a, want, MP_PSEUDO_LEN);
	check("pseudonym is the first 16 base32 characters", pa, want);
	n++;
	if (strlen(pa) == MP_PSEUDO_LEN && strspn(pa, "abcdefghijklmnopqrstuvwxyz234567") == MP_PSEUDO_LEN)
		printf("ok %d - pseudonym has 16 lowercase base32 characters\n", n);
	else
		failed++, printf("not ok %d - pseudonym has 16 lowercase base32 characters: %s\n", n, pa);
	mp_pseudo_free(p);

	printf("1..%d\n", n);
	return failed != 0;
}
