/* pivot.h: a long export (record id, question, answer per row) turned into one record per id. */
#ifndef MP_PIVOT_H
#define MP_PIVOT_H

#include <stddef.h>
#include "reader.h"

typedef struct mp_pivot mp_pivot;

/*
 * A pivot over a long header whose record id, question and answer columns
 * are at idx[0], idx[1], idx[2].  The pivoted header is the other columns
 * (their values taken from a record's first row), then each question in
 * the order first met.
 */
mp_pivot *mp_pivot_new(const mp_record *header, const int idx[3]);

/*
 * One long row.  Returns 0; -1 with msg filled when the row has no record
 * id (the row is not used); 1 with msg filled when it answers a question
 * its record has already answered differently (the record is then bad).
 */
int mp_pivot_add(mp_pivot *p, const mp_record *rec, char *msg, size_t msgsz);

const mp_record *mp_pivot_header(const mp_pivot *p);
size_t mp_pivot_count(const mp_pivot *p);
/* Did record i answer a question two ways? */
int mp_pivot_bad(const mp_pivot *p, size_t i);
/* Record i (first-seen order); its line is the line of its first row. */
const mp_record *mp_pivot_record(mp_pivot *p, size_t i);

void mp_pivot_free(mp_pivot *p);

#endif
