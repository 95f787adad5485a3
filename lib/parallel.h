/*
 * parallel.h: every row of the inputs handed to a caller's callback, in
 * parallel parts when the input is one large regular UTF-8 file, else as
 * one stream (mp_input).  Each part has its own state (the caller's fork
 * of its context) and its own message log; once every part is known to
 * have started and ended at record boundaries, the parts' states are
 * merged into the context in file order and their messages printed in file
 * order with their real line numbers, so the output and the messages are
 * those of one sequential pass.  A cut that proves wrong (a quoted field
 * across it) makes the whole input be read again as one stream.
 */
#ifndef MP_PARALLEL_H
#define MP_PARALLEL_H

#include "reader.h"

/* One part (or the stream) being read: where a row's messages go. */
typedef struct mp_part mp_part;

/* What the row callback made of a good record. */
enum mp_row_verdict {
	MP_ROW_USED = 0,	/* counted */
	MP_ROW_SKIPPED = 1,	/* good, but not counted (outside a range asked for) */
	MP_ROW_REJECTED = 2	/* unusable: the callback said why with mp_part_msg */
};

typedef struct mp_rows_ops {
	/* Bind ctx to the header's columns; nonzero with err set when it cannot be used. */
	int (*bind)(void *ctx, const mp_record *header, char *err, size_t errsz);
	/*
	 * One good record of a part whose state is state (ctx itself for the
	 * first part).  In a parallel part rec->line counts from the part's
	 * first line: give it to mp_part_msg, which prints the file's line.
	 */
	enum mp_row_verdict (*row)(void *state, mp_part *p, const mp_record *rec);
	/* A new state for another part, bound as ctx is. */
	void *(*fork)(void *ctx);
	/* Add a part's state into ctx and free it. */
	void (*merge)(void *ctx, void *state);
	/* Free a part's state unmerged. */
	void (*drop)(void *state);
	/* Make ctx as it was before bind (a parallel read was abandoned). */
	void (*reset)(void *ctx);
} mp_rows_ops;

typedef struct mp_rows_result {
	long read, used, skipped, rejected;	/* read = used + skipped + rejected */
	int parts;				/* parts read in parallel (1: one stream) */
} mp_rows_result;

/*
 * Read files (none, or "-": stdin) through ops.  threads: the parts for one
 * regular file (0: the number of processors, at most 8, and only for files
 * of 4 MB or more).  A bad record (ragged, quoting, encoding) is reported
 * and counted as rejected without reaching ops->row.  Returns 0; -1 when the
 * header could not be bound (the message printed, naming the file).  Files
 * that cannot be opened or have no header exit 1, as mp_input does.
 */
int mp_read_rows(int nfiles, char **files, enum mp_format fmt, enum mp_encoding enc, int threads,
		 const mp_rows_ops *ops, void *ctx, mp_rows_result *res);

/* The threads mp_read_rows uses for threads (0: the default), for the caller's own parallel steps. */
int mp_read_threads(int threads);

/* A data message about a row of part p: "prog: file:line: field: message", in file order. */
void mp_part_msg(mp_part *p, long line, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
