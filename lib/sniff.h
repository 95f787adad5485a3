/* sniff.h: what an input's first bytes say: its form (byte-order mark, line ends), tab-separated or not UTF-8. */
#ifndef MP_SNIFF_H
#define MP_SNIFF_H

#include <stddef.h>
#include "reader.h"

typedef struct mp_form {
	int bom;	/* starts with a UTF-8 byte-order mark */
	int crlf;	/* its first line ends with CR LF */
} mp_form;

/*
 * Open path (NULL or "-": standard input) and learn its form.  Returns a
 * descriptor that reads every byte from the start (for a pipe, a copy fed
 * by a thread), or -1 with errno set.
 */
int mp_sniff_open(const char *path, mp_form *form);

typedef struct mp_sniff {
	int tsv;		/* the first line has tabs and no more commas than tabs */
	int not_utf8;		/* a byte sequence that is not UTF-8 */
	int mixed;		/* ... after valid UTF-8 beyond ASCII: neither encoding reads it all */
	long line;		/* where (1-based) */
	unsigned char byte;	/* the first bad byte */
} mp_sniff;

/*
 * Look at up to max bytes of the file open on fd, from its start, with
 * pread (the file position is left alone).  max 0: the whole file.
 * Returns 0, or -1 when fd cannot be read that way (a pipe).
 */
int mp_sniff_fd(int fd, size_t max, mp_sniff *s);

/* Does a header read as CSV look tab-separated (fewer fields than its tabs suggest)? */
int mp_sniff_header_tsv(const mp_record *header);

/* Is any field of rec not UTF-8?  (Why a record the reader refused was bad.) */
int mp_sniff_record_not_utf8(const mp_record *rec);

/*
 * Copy fd (a pipe: standard input) to an unlinked temporary file; returns
 * a descriptor at its start, or -1 with errno set.
 */
int mp_spool(int fd);

#endif
