/* feed.h: an mp_input read ahead by a second thread, so parsing overlaps checking. */
#ifndef MP_FEED_H
#define MP_FEED_H

#include "input.h"
#include "reader.h"

/* One row as read: a good record, or one the reader could not use. */
typedef struct mp_row {
	int st;			/* MP_READ_OK or MP_READ_BAD */
	mp_record rec;
	const char *file;	/* the input it came from (valid until mp_feed_close) */
	long bad_line;		/* MP_READ_BAD: where, which column (or NULL) and why */
	const char *bad_field, *bad_msg;
} mp_row;

typedef struct mp_feed mp_feed;

/*
 * Read in from now on through the feed.  threaded: a reader thread parses
 * batches of rows ahead (a few batches at most, so memory stays flat);
 * otherwise, or when no thread can be started, rows are read as asked for.
 * A read error or a later file's different header exits 1 from whichever
 * thread meets it, as mp_input does.
 */
mp_feed *mp_feed_open(mp_input *in, int threaded);
/* The next row, valid until the next call; 0 at the end of the input. */
int mp_feed_next(mp_feed *f, mp_row **row);
/* Stop the reader thread (after the end) and free everything. */
void mp_feed_close(mp_feed *f);

#endif
