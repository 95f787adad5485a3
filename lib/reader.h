/* reader.h: CSV (libcsv, strict) and TSV record streams that know their lines. */
#ifndef MP_READER_H
#define MP_READER_H

#include <stddef.h>
#include <sys/types.h>
#include "utf8.h"

enum mp_format { MP_CSV = 0, MP_TSV = 1 };
enum mp_encoding { MP_UTF8 = 0, MP_CP1252 = 1 };

/* One field: s is NUL-terminated, len is authoritative. */
typedef struct mp_field {
	const char *s;
	size_t len;
} mp_field;

/* One record; valid until the next mp_reader_next call. */
typedef struct mp_record {
	mp_field *f;
	size_t n;
	long line;	/* physical line the record starts on (1-based) */
	/*
	 * The record's bytes as read, without the line end, when it was one
	 * whole line (NULL otherwise): lets a filter copy a valid row through
	 * untouched and cheaply (see mp_writer_record).
	 */
	const char *raw;
	size_t raw_len;
	enum mp_format raw_fmt;
} mp_record;

enum mp_read_status {
	MP_READ_ERR = -1,	/* mp_input: a later file cannot be read; the message is printed */
	MP_READ_EOF = 0,
	MP_READ_OK = 1,
	MP_READ_BAD = 2		/* a record that cannot be used: see mp_reader_bad_* */
};

typedef struct mp_reader mp_reader;

/*
 * The descriptor to read path from: standard input for NULL or "-" (*name
 * "stdin"), else path opened (*name path).  -1 with errno on failure.
 */
int mp_open_input(const char *path, const char **name);
/* Open path ("-" or NULL for stdin).  NULL with errno set on failure. */
mp_reader *mp_reader_open(const char *path, enum mp_format fmt, enum mp_encoding enc);
/* Read from an open descriptor (taken over: closed by mp_reader_close); name is for messages. */
mp_reader *mp_reader_open_fd(int fd, const char *name, enum mp_format fmt, enum mp_encoding enc);
/*
 * A part of a regular UTF-8 file, for reading one file in parallel: bytes
 * [start, end) of fd (read with pread, so fd is shared and never moved;
 * not closed), start being at a record boundary after the header, which
 * gives the expected fields and column names (copied).  Records count
 * lines from 1 at start; messages that name further lines say which
 * (mp_reader_bad_kind).  The same records, checks and messages as a reader
 * of the whole file, by the same code; but a part's records have no raw
 * line (its lines without quotes are split where they were read).
 */
mp_reader *mp_reader_open_part(int fd, const char *name, enum mp_format fmt, off_t start, off_t end,
			       const mp_record *header);
void mp_reader_close(mp_reader *r);

/* The name messages use for this input ("-" is shown as "stdin"). */
const char *mp_reader_name(const mp_reader *r);

/*
 * Read the header (the first record), valid for the reader's life.  Returns
 * NULL for an input with no header at all (empty, or only blank lines) or a
 * read error (mp_reader_bad_msg says which).  A header that is itself
 * malformed gives NULL with mp_reader_bad_msg set.
 */
const mp_record *mp_reader_header(mp_reader *r);

/*
 * Next data record.  MP_READ_BAD: a ragged row, bad quoting, invalid UTF-8 or
 * a NUL byte; *rec is what could be read (may have 0 fields) and
 * mp_reader_bad_field/_msg say why.  A read error is a last bad record of
 * no fields whose message names the error; the input ends after it.
 */
int mp_reader_next(mp_reader *r, mp_record **rec);

/*
 * Read ahead from now on (on: 1; 0 changes nothing): a second thread parses
 * batches of rows ahead (a few batches at most, so memory stays flat) and
 * mp_reader_next hands them out, the same records and messages as without
 * it.  The header is read first if it has not been.  Not for parts.  The
 * environment variable MPTOOLS_READ_THREAD=0 (or 1) overrides on, for
 * measuring.  Measured on 2,000,000 rows on a quiet 2-core machine (median
 * of 5 wall times, without vs with): mp-validate 1.64 s vs 1.08 s,
 * mp-import 2.13 s vs 1.33 s, mp-repeat 1.30 s vs 1.02 s; the thread costs
 * some CPU in copies and hand-offs.
 */
void mp_reader_set_ahead(mp_reader *r, int on);

const char *mp_reader_bad_field(const mp_reader *r);	/* column name or NULL */
const char *mp_reader_bad_msg(const mp_reader *r);
long mp_reader_bad_line(const mp_reader *r);

/* Data records returned so far (good and bad, not the header). */
long mp_reader_count(const mp_reader *r);

/*
 * After the header of a regular UTF-8 file: the offset of the first byte
 * after it and the line that byte is on.  -1 when the data does not start
 * at a line of its own (a bare CR in the header's line, a read error).
 */
int mp_reader_data_start(const mp_reader *r, off_t *off, long *line);

/*
 * Two messages name further lines in their text (a quoting error found on
 * a later line of a record; an unterminated quote's lines).  For a caller
 * that learns a part's first line only later: the kind of the last bad
 * record's message and the lines it names, and the message rebuilt with
 * other numbers (MP_MSG_PLAIN: the message names no line).
 */
enum { MP_MSG_PLAIN, MP_MSG_QUOTE_AT, MP_MSG_UNTERMINATED };
int mp_reader_bad_kind(const mp_reader *r, long *x, long *y);
size_t mp_reader_msg_format(int kind, long x, long y, char *buf, size_t n);

/* After the end of a part: it ended inside a record (so it was not cut at a record boundary). */
int mp_reader_cut_inside(const mp_reader *r);
/* The physical lines read so far. */
long mp_reader_lines(const mp_reader *r);

/* Index of a header column by exact name, or -1. */
int mp_reader_column(const mp_reader *r, const char *name);

#endif
