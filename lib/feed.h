/* feed.h: records read ahead by a second thread, in batches, so parsing overlaps the caller's work. */
#ifndef MP_FEED_H
#define MP_FEED_H

#include "input.h"
#include "reader.h"

/* One row as read: a good record, or one the reader could not use. */
typedef struct mp_feed_row {
	int st;			/* MP_READ_OK or MP_READ_BAD */
	mp_record rec;		/* a copy: raw, when set, is copied too */
	const char *file;	/* the input it came from (valid until mp_feed_close) */
	long bad_line;		/* MP_READ_BAD: where, which column (or NULL) and why */
	const char *bad_field, *bad_msg;
} mp_feed_row;

typedef struct mp_feed mp_feed;

/*
 * Read in from now on through the feed.  threaded: a reader thread parses
 * batches of rows ahead (a few batches at most, so memory stays flat);
 * otherwise, or when no thread can be started, rows are read as asked for.
 * A read error or a later file's different header exits 1 from whichever
 * thread meets it, as mp_input does.
 */
mp_feed *mp_feed_open(mp_input *in, int threaded);
/*
 * The same over one reader whose header the caller has already read.  The
 * caller must not use r again until mp_feed_close; after it, r has been read
 * to the end (or, closed early, a few batches past the last row returned).
 */
mp_feed *mp_feed_open_reader(mp_reader *r, int threaded);
/*
 * Measured on 2,000,000 rows on a quiet 2-core machine (median of 5 wall
 * times, same thread vs read-ahead thread): mp-validate 1.64 s vs 1.08 s,
 * mp-import 2.13 s vs 1.33 s, mp-repeat 1.30 s vs 1.02 s; the thread costs
 * some CPU in copies and hand-offs.  The environment variable
 * MPTOOLS_READ_THREAD=0 (or 1) overrides the caller, for measuring.
 */

/* The next row, valid until the next call; 0 at the end of the input. */
int mp_feed_next(mp_feed *f, mp_feed_row **row);
/* Stop the reader thread and free everything. */
void mp_feed_close(mp_feed *f);

#endif
