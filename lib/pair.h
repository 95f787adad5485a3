/* pair.h: police missing and found notifications paired into episodes by reference. */
#ifndef MP_PAIR_H
#define MP_PAIR_H

#include "map.h"

typedef struct mp_pairer mp_pairer;

/* An episode made of nrows notifications; extras as the first missing row had them. */
typedef void (*mp_pair_emit)(void *ctx, const mp_field *v, const mp_field *extras, size_t nextras, long nrows);
/* A notification that cannot be paired: its file, line, raw fields and why. */
typedef void (*mp_pair_reject)(void *ctx, const char *file, long line, const char *field, const char *msg,
			       const mp_field *raw, size_t nraw);

mp_pairer *mp_pair_new(int keycol, mp_pair_emit emit, mp_pair_reject reject, void *ctx);

/*
 * One notification (row read through the map; rec its raw record; extras
 * the positions of the unused columns).  Episodes are emitted as soon as
 * they close; state is kept only for references with an open episode or
 * a found notification still waiting for its missing one.
 */
void mp_pair_feed(mp_pairer *p, const mp_row *row, const char *file, const mp_record *rec, const size_t *extras,
		  size_t nextras);

/* End of input: open episodes are emitted (no end), unmatched founds rejected. */
void mp_pair_finish(mp_pairer *p);

/* References holding state now, and the most at any time. */
size_t mp_pair_open(const mp_pairer *p);
size_t mp_pair_peak(const mp_pairer *p);

void mp_pair_free(mp_pairer *p);

#endif
