/* pseudo.h: keyed pseudonyms (HMAC-SHA-256, libsodium) and the key file that holds the secret. */
#ifndef MP_PSEUDO_H
#define MP_PSEUDO_H

#include <stddef.h>

#define MP_PSEUDO_KEY_MIN 32	/* bytes of key, after the final newline is trimmed */
#define MP_PSEUDO_KEY_MAX 4096	/* a larger file is not a key */
#define MP_PSEUDO_LEN 16	/* base32 characters of a pseudonym: 80 bits */
#define MP_HMAC_BYTES 32

typedef struct mp_pseudo mp_pseudo;

/*
 * Read the secret key from path and check it: it must open and be read
 * (a regular file or a pipe), must not be readable by group or others,
 * and must hold MP_PSEUDO_KEY_MIN to MP_PSEUDO_KEY_MAX bytes once one
 * final "\n" (or "\r\n") is trimmed.  The bytes are the key as they are.
 * Returns NULL with a message (naming the file) in msg on any problem.
 */
mp_pseudo *mp_pseudo_load(const char *path, char *msg, size_t msgsz);
/* A pseudonymiser from key bytes (any length; no checks).  NULL if libsodium cannot start. */
mp_pseudo *mp_pseudo_new(const unsigned char *key, size_t len);
/* Wipe the keyed state and free it. */
void mp_pseudo_free(mp_pseudo *p);

/* HMAC-SHA-256 under the key of: domain, one NUL byte, then value[0..len). */
void mp_pseudo_hmac(const mp_pseudo *p, const char *domain, const char *value, size_t len,
		    unsigned char out[MP_HMAC_BYTES]);

/*
 * The pseudonym of value in domain: the first MP_PSEUDO_LEN characters of
 * the lowercase RFC 4648 base32 form (no padding) of mp_pseudo_hmac.
 * out holds MP_PSEUDO_LEN + 1 bytes; it is NUL-terminated.
 */
void mp_pseudo_make(const mp_pseudo *p, const char *domain, const char *value, size_t len, char *out);

/* Plain HMAC-SHA-256 of msg under key (for known-answer tests); -1 if libsodium cannot start. */
int mp_hmac_sha256(const unsigned char *key, size_t keylen, const unsigned char *msg, size_t len,
		    unsigned char out[MP_HMAC_BYTES]);

/*
 * Lowercase RFC 4648 base32 of in[0..n), without padding, cut to at most
 * outmax characters; out gets a NUL after them.  Returns the length written.
 */
size_t mp_base32(const unsigned char *in, size_t n, char *out, size_t outmax);

#endif
