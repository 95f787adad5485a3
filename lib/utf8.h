/* utf8.h: UTF-8 validity, as the readers check every field. */
#ifndef MP_UTF8_H
#define MP_UTF8_H

#include <stddef.h>

/* Check that s[0..len) is UTF-8 without NUL; returns the offset of the first bad byte or -1. */
long mp_utf8_invalid(const char *s, size_t len);

#endif
