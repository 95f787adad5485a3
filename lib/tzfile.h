/* tzfile.h: a zone's clock changes, read from its TZif file (RFC 8536) and its rule. */
#ifndef MP_TZFILE_H
#define MP_TZFILE_H

#include <stddef.h>
#include <stdint.h>

/* From the instant at on, the offset is off seconds east of UTC. */
typedef struct mp_tztrans {
	int64_t at;
	int32_t off;
} mp_tztrans;

/* A zone as a list of offset changes, in time order. */
typedef struct mp_tzdata {
	int32_t initial;	/* the offset before the first change */
	mp_tztrans *t;
	size_t n;
} mp_tzdata;

/*
 * Read the TZif file at path: its explicit changes into z, and its footer
 * (a POSIX TZ string, "" when none) into rule (rulesz bytes).  Returns 0,
 * or -1 when the file cannot be read or is not a TZif file of version 2 or
 * later.  Free z->t with free().
 */
int mp_tzfile_load(const char *path, mp_tzdata *z, char *rule, size_t rulesz);

/* Parse a POSIX TZ rule ("GMT0BST,M3.5.0/1,M10.5.0"); 0, or -1 when not understood. */
typedef struct mp_tzrule {
	int32_t std, dst;	/* offsets east of UTC */
	int has_dst;
	/* kind 'J' (day 1-365, no 29 February), 'N' (day 0-365) or 'M' (month m, week w, weekday d) */
	struct mp_tzwhen { char kind; int m, w, d; int32_t secs; } start, end;
} mp_tzrule;
int mp_tzrule_parse(const char *s, mp_tzrule *r);

#endif
