/*
 * ahead.h: read-ahead, the engine behind mp_reader_set_ahead and
 * mp_input_set_ahead (internal to reader.c and input.c; read through those).
 * A second thread takes rows from a source and copies them into batches,
 * so parsing overlaps the caller's work.
 */
#ifndef MP_AHEAD_H
#define MP_AHEAD_H

#include "reader.h"

/* What the source says of a row besides its record (valid until its next call). */
typedef struct mp_row_note {
	const char *file;	/* the input the row came from (where it stays while that input is read) */
	long bad_line;		/* MP_READ_BAD or MP_READ_ERR: where, which column (or NULL) and why */
	const char *bad_field, *bad_msg;
} mp_row_note;

/*
 * The source: the next row as mp_reader_next gives it, or MP_READ_ERR (a
 * failure that ends the input, its message in the note, not yet printed).
 */
typedef int (*mp_ahead_src)(void *src, mp_record **rec, mp_row_note *note);

typedef struct mp_ahead mp_ahead;

/*
 * Whether to read ahead when the caller asks for on: the environment
 * variable MPTOOLS_READ_THREAD=0 (or 1) overrides it, for measuring.
 */
int mp_ahead_wanted(int on);
/* Start the thread over src; NULL when it cannot start (read directly instead). */
mp_ahead *mp_ahead_start(mp_ahead_src fn, void *src);
/*
 * The next row in order and its note, valid until the next call; the note's
 * file stays valid until mp_ahead_stop.  MP_READ_EOF at the end, and from
 * then on; MP_READ_ERR is the last row.
 */
int mp_ahead_next(mp_ahead *a, mp_record **rec, const mp_row_note **note);
/* Stop the thread (at its next batch, when it has not reached the end) and free everything. */
void mp_ahead_stop(mp_ahead *a);

#endif
