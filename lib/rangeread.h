/*
 * rangeread.h: records from a byte range of a regular file, for parsing one
 * file in several threads.  Each range reader has its own parser state and
 * gives the same records, and the same messages for bad ones, as
 * mp_reader (reader.h) over the whole file, provided the range starts at a
 * record boundary.  UTF-8 only (CP1252 input goes through mp_reader).
 * Unquoted CSV lines are split in place without libcsv; lines with quotes
 * go through libcsv in strict mode, as mp_reader does.  The line and
 * record logic and the messages are csvline.c's, shared with mp_reader.
 */
#ifndef MP_RANGEREAD_H
#define MP_RANGEREAD_H

#include <sys/types.h>
#include "reader.h"

typedef struct mp_range_reader mp_range_reader;

/*
 * Read fd's bytes [start, end) (pread: fd is shared, never moved), the
 * first byte being on line 'line'.  header gives the expected field count
 * and the column names for messages; it must outlive the reader.
 */
mp_range_reader *mp_range_open(int fd, const char *name, enum mp_format fmt, off_t start, off_t end,
			       long line, const mp_record *header);
void mp_range_close(mp_range_reader *r);

/* As mp_reader_next: MP_READ_OK, MP_READ_BAD (see the bad_* calls) or MP_READ_EOF. */
int mp_range_next(mp_range_reader *r, mp_record **rec);
const char *mp_range_bad_field(const mp_range_reader *r);
const char *mp_range_bad_msg(const mp_range_reader *r);
long mp_range_bad_line(const mp_range_reader *r);

/*
 * Two messages name further lines in their text (a quoting error found on a
 * later line of a record; an unterminated quote's lines).  For a caller
 * that numbers lines relative to the range and learns the base only later:
 * the kind of the last bad record's message and its line numbers, and the
 * message rebuilt with other numbers.
 */
enum { MP_RANGE_MSG_PLAIN, MP_RANGE_MSG_QUOTE_AT, MP_RANGE_MSG_UNTERMINATED };
int mp_range_bad_kind(const mp_range_reader *r, long *x, long *y);
size_t mp_range_msg_format(int kind, long x, long y, char *buf, size_t n);

/* After EOF: the range ended inside a record (so it did not end at a boundary). */
int mp_range_pending(const mp_range_reader *r);
/* After EOF: the physical lines the range held. */
long mp_range_lines(const mp_range_reader *r);

/*
 * The offset just after the header record of a regular file (after a BOM
 * and blank lines) and the line the data starts on.  -1 when the header
 * cannot be delimited safely (the caller then reads the file in one pass).
 */
int mp_range_header_end(int fd, enum mp_format fmt, off_t size, off_t *off, long *line);

/*
 * Cut [data, size) into at most n ranges that start at lines which look
 * like record starts: starts[0] = data, starts[k] the first line after
 * about k/n of the way that parses as nfields-field records for a while,
 * starts[count] = size.  Returns count.  The guess is checked afterwards:
 * a range that ends inside a record (mp_range_pending) means a cut fell
 * inside a quoted field.
 */
int mp_range_split(int fd, enum mp_format fmt, off_t data, off_t size, int n, size_t nfields, off_t *starts);

#endif
