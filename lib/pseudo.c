/* pseudo.c: keyed pseudonyms with libsodium's HMAC-SHA-256; the key file checks. */
#include "pseudo.h"
#include "err.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct mp_pseudo {
	crypto_auth_hmacsha256_state keyed;	/* the state after the key: copied per value */
};

mp_pseudo *
mp_pseudo_new(const unsigned char *key, size_t len)
{
	mp_pseudo *p;

	if (sodium_init() < 0)
		return NULL;
	p = mp_xmalloc(sizeof *p);
	crypto_auth_hmacsha256_init(&p->keyed, key, len);
	return p;
}

void
mp_pseudo_free(mp_pseudo *p)
{
	if (!p)
		return;
	sodium_memzero(p, sizeof *p);
	free(p);
}

/* Read all of fd into buf (at most max bytes); returns the count, or -1 with errno. */
static ssize_t
read_all(int fd, unsigned char *buf, size_t max)
{
	size_t got = 0;

	while (got < max) {
		ssize_t n = read(fd, buf + got, max - got);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

mp_pseudo *
mp_pseudo_load(const char *path, char *msg, size_t msgsz)
{
	unsigned char buf[MP_PSEUDO_KEY_MAX + 3];
	mp_pseudo *p = NULL;
	struct stat st;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC)) < 0) {
		snprintf(msg, msgsz, "cannot open key file %s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0) {
		snprintf(msg, msgsz, "cannot read key file %s: %s", path, strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(msg, msgsz, "key file %s is a directory", path);
		goto out;
	}
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
		snprintf(msg, msgsz, "key file %s is not a regular file", path);
		goto out;
	}
	if (st.st_mode & (S_IRGRP | S_IROTH)) {
		snprintf(msg, msgsz, "key file %s is readable by group or others (mode %04o); run: chmod 600 %s",
			 path, (unsigned)(st.st_mode & 07777), path);
		goto out;
	}
	if ((n = read_all(fd, buf, sizeof buf)) < 0) {
		snprintf(msg, msgsz, "cannot read key file %s: %s", path, strerror(errno));
		goto out;
	}
	size_t len = (size_t)n;
	if (len > 0 && buf[len - 1] == '\n') {
		len--;
		if (len > 0 && buf[len - 1] == '\r')
			len--;
	}
	if (n == 0 || len == 0)
		snprintf(msg, msgsz, "key file %s is empty", path);
	else if (len < MP_PSEUDO_KEY_MIN)
		snprintf(msg, msgsz, "key file %s is too short: %zu bytes, at least %d are needed",
			 path, len, MP_PSEUDO_KEY_MIN);
	else if (len > MP_PSEUDO_KEY_MAX)
		snprintf(msg, msgsz, "key file %s is too long: over %d bytes (is it the right file?)",
			 path, MP_PSEUDO_KEY_MAX);
	else if (!(p = mp_pseudo_new(buf, len)))
		snprintf(msg, msgsz, "cannot initialise libsodium");
	sodium_memzero(buf, sizeof buf);
out:
	close(fd);
	return p;
}

void
mp_pseudo_hmac(const mp_pseudo *p, const char *domain, const char *value, size_t len,
	       unsigned char out[MP_HMAC_BYTES])
{
	crypto_auth_hmacsha256_state st = p->keyed;

	crypto_auth_hmacsha256_update(&st, (const unsigned char *)domain, strlen(domain) + 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)value, len);
	crypto_auth_hmacsha256_final(&st, out);
	sodium_memzero(&st, sizeof st);
}

void
mp_pseudo_make(const mp_pseudo *p, const char *domain, const char *value, size_t len, char *out)
{
	unsigned char mac[MP_HMAC_BYTES];

	mp_pseudo_hmac(p, domain, value, len, mac);
	mp_base32(mac, sizeof mac, out, MP_PSEUDO_LEN);
}

int
mp_hmac_sha256(const unsigned char *key, size_t keylen, const unsigned char *msg, size_t len,
	       unsigned char out[MP_HMAC_BYTES])
{
	crypto_auth_hmacsha256_state st;

	if (sodium_init() < 0)
		return -1;
	crypto_auth_hmacsha256_init(&st, key, keylen);
	crypto_auth_hmacsha256_update(&st, msg, len);
	crypto_auth_hmacsha256_final(&st, out);
	sodium_memzero(&st, sizeof st);
	return 0;
}

size_t
mp_base32(const unsigned char *in, size_t n, char *out, size_t outmax)
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
	unsigned acc = 0;
	int bits = 0;
	size_t o = 0;

	for (size_t i = 0; i < n && o < outmax; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5 && o < outmax) {
			bits -= 5;
			out[o++] = alphabet[(acc >> bits) & 31];
		}
		acc &= (1u << bits) - 1;
	}
	if (bits > 0 && o < outmax)
		out[o++] = alphabet[(acc << (5 - bits)) & 31];
	out[o] = '\0';
	return o;
}
