/* reader.h: CSV (libcsv, strict) and TSV record streams that know their lines. */
#ifndef MP_READER_H
#define MP_READER_H

#include <stddef.h>

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
	MP_READ_EOF = 0,
	MP_READ_OK = 1,
	MP_READ_BAD = 2		/* a record that cannot be used: see mp_reader_bad_* */
};

typedef struct mp_reader mp_reader;

/* Open path ("-" or NULL for stdin).  NULL with errno set on failure. */
mp_reader *mp_reader_open(const char *path, enum mp_format fmt, enum mp_encoding enc);
/* Read from an open descriptor (taken over: closed by mp_reader_close); name is for messages. */
mp_reader *mp_reader_open_fd(int fd, const char *name, enum mp_format fmt, enum mp_encoding enc);
void mp_reader_close(mp_reader *r);

/* The name messages use for this input ("-" is shown as "stdin"). */
const char *mp_reader_name(const mp_reader *r);

/*
 * Read the header (the first record).  Returns NULL for an input with no
 * header at all (empty, or only blank lines); exits 1 on a read error.  A
 * header that is itself malformed is reported and NULL returned with
 * mp_reader_bad_msg set.
 */
const mp_record *mp_reader_header(mp_reader *r);

/*
 * Next data record.  MP_READ_BAD: a ragged row, bad quoting, invalid UTF-8 or
 * a NUL byte; *rec is what could be read (may have 0 fields) and
 * mp_reader_bad_field/_msg say why.  I/O errors exit 1 with a message.
 */
int mp_reader_next(mp_reader *r, mp_record **rec);

const char *mp_reader_bad_field(const mp_reader *r);	/* column name or NULL */
const char *mp_reader_bad_msg(const mp_reader *r);
long mp_reader_bad_line(const mp_reader *r);

/* Data records returned so far (good and bad, not the header). */
long mp_reader_count(const mp_reader *r);

/* Index of a header column by exact name, or -1. */
int mp_reader_column(const mp_reader *r, const char *name);

/* Check that s[0..len) is UTF-8 without NUL; returns the offset of the first bad byte or -1. */
long mp_utf8_invalid(const char *s, size_t len);

#endif
