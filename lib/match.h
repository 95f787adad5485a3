/* match.h: a case-system episode stream and a police one reconciled into one stream (mp-match). */
#ifndef MP_MATCH_H
#define MP_MATCH_H

#include <stdint.h>
#include "reader.h"
#include "roster.h"
#include "writer.h"

enum mp_match_side { MP_SIDE_CASE, MP_SIDE_POLICE };

/* What the output's match column says of an episode. */
enum mp_match_class { MP_MATCH_BOTH, MP_MATCH_CASE_ONLY, MP_MATCH_POLICE_ONLY, MP_MATCH_NCLASSES };
extern const char *const mp_match_class_names[MP_MATCH_NCLASSES];

typedef struct mp_match mp_match;

mp_match *mp_match_new(void);
void mp_match_free(mp_match *m);

/*
 * Read one side's canonical stream from path ("-": standard input).  A row
 * that cannot be used (unreadable, or a start or end that is no time) is
 * reported as file:line: field: message and counted as rejected.  Returns
 * 0, or -1 after a message when the input cannot be opened, has no header
 * or lacks episode_id, child_id or start.
 */
int mp_match_read(mp_match *m, enum mp_match_side side, const char *path, enum mp_format fmt,
		  enum mp_encoding enc);

/*
 * Pair case and police records, each used once: the same police_ref first
 * (nearest starts first, however far apart), then the same child_id with
 * starts at most tolerance seconds apart, nearest first.  Ties go to the
 * case record, then the police record, earlier in its file.  A start given
 * as a date alone counts as noon of that day.
 */
void mp_match_pair(mp_match *m, int64_t tolerance);

typedef struct mp_match_out {
	mp_writer *out;
	mp_writer *conflicts;		/* NULL: differences are not listed */
	const mp_roster *roster;	/* NULL: no roster */
	unsigned only;			/* bit per class to write; 0 writes every class */
	/* A police-only episode whose child is not on the roster (id, child_id, police_ref). */
	void (*unrostered)(void *ctx, mp_field id, mp_field child, mp_field ref);
	void *ctx;
} mp_match_out;

typedef struct mp_match_counts {
	long read[2], rejected[2];	/* by side */
	long n[MP_MATCH_NCLASSES];	/* episodes of each class */
	long written;			/* rows written (--only may leave classes out) */
	long conflicts;			/* differences listed */
	long off_roster;		/* episodes whose child is on the roster with no row in force at the start */
} mp_match_counts;

/* Write the header and every episode: the case stream's order, then the police-only episodes. */
void mp_match_write(mp_match *m, const mp_match_out *o);
void mp_match_counts_get(const mp_match *m, mp_match_counts *c);

#endif
