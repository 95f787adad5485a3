/*
 * ssda903.h: the national return's (SSDA903) Missing table outside the
 * checks: its columns and dates, the collection year, the Header table
 * (for INT04 and INT13) and the national order rule 574 is checked in.
 */
#ifndef MP_SSDA903_H
#define MP_SSDA903_H

#include <stddef.h>
#include <stdint.h>
#include "reader.h"

/* The Missing table's columns. */
enum { S_CHILD, S_DOB, S_MISSING, S_MIS_START, S_MIS_END, S_COUNT };
extern const char *const mp_ssda903_cols[S_COUNT];

/* Parse a 903 date (d/m/yyyy, one or two digits for day and month); 0 and *day, or -1. */
int mp_ssda903_date(const char *s, size_t len, int64_t *day);
/* The collection year (ending 31 March) that a day falls in. */
int mp_collection_year(int64_t day);

/* A child in the Header table. */
typedef struct mp_903_child {
	int32_t dob;		/* day number; INT32_MIN when blank or not a date */
	int32_t dob2;		/* a second, different date of birth, or INT32_MIN */
} mp_903_child;

/* One row of the Missing table, as rule 574 orders them. */
typedef struct mp_903_ep {
	uint32_t child;		/* index of the child's id */
	int32_t s, e;		/* days; e = s when open */
	int32_t other;		/* the row it overlaps (index), or -1 */
	uint32_t line;
	uint16_t file;
	uint8_t open, used;	/* used: child, start and end readable */
} mp_903_ep;

typedef struct mp_903 mp_903;

mp_903 *mp_903_new(void);
void mp_903_free(mp_903 *m);

/* Load the Header table (columns CHILD and DOB); 0, or -1 after a message. */
int mp_903_load_header(mp_903 *m, const char *path, enum mp_format fmt, enum mp_encoding enc);
/* The Header table's name, NULL when none was loaded; a child's entry there, or NULL. */
const char *mp_903_header_name(const mp_903 *m);
const mp_903_child *mp_903_child_find(const mp_903 *m, const char *id, size_t len);

/* Count a row's dates toward the collection year; the year most end dates (else start dates) fall in, or 0. */
void mp_903_vote(mp_903 *m, mp_field start, mp_field end);
int mp_903_voted_year(const mp_903 *m);

/*
 * 574, as the national validator applies it: each child's episodes sorted
 * by end (start where open), then start, then file order; where the
 * previous one is still open or ends after this one starts, this one (the
 * later in that order) is reported, naming the other.  Every row is
 * observed first, in file order; after mp_903_settle, mp_903_next gives
 * each row's verdict, in the same order: the episode it overlaps, or NULL.
 */
void mp_903_observe(mp_903 *m, mp_field child, mp_field start, mp_field end, long line, int file);
void mp_903_settle(mp_903 *m);
const mp_903_ep *mp_903_next(mp_903 *m);

/* Bytes held for the Header table. */
size_t mp_903_bytes(const mp_903 *m);

#endif
