/* writer.h: CSV/TSV output with minimal quoting, Excel-safe mode, atomic -o FILE. */
#ifndef MP_WRITER_H
#define MP_WRITER_H

#include <stddef.h>
#include "reader.h"

typedef struct mp_writer mp_writer;

/*
 * Open path for writing (NULL or "-" for stdout).  A named file is written
 * to a temporary file beside it and renamed into place by mp_writer_close,
 * so a failed run leaves the old file alone.  New files are created mode
 * 0600 (less the umask); an existing file keeps its mode.  excel: UTF-8 BOM,
 * CRLF and formula-looking fields prefixed with '.
 *
 * Errors: the first failure (a file that cannot be opened or created, a
 * write error, a full disk, a file-size limit, a closed pipe) is said once
 * ("write error on NAME: ...", nothing for a closed pipe), then the
 * program's policy runs (mp_writer_on_failure).  Every command's is
 * mp_start's: the program stops there, status 1, so a command checks
 * nothing a writer returns.  Without a policy (a unit test), as stdio's
 * ferror: the failure is kept, nothing more is written, mp_writer_open
 * returns NULL, mp_writer_error and mp_writer_close report it.
 */
mp_writer *mp_writer_open(const char *path, enum mp_format fmt, int excel);
/* Nonzero once a failure was met (and said). */
int mp_writer_error(const mp_writer *w);
/*
 * The program's policy after a failure is said (quiet: a closed pipe, said
 * by nobody), for every writer: a command stops there (mp_start sets this,
 * see cli.h), so fn does not return; without one the failure only stays in
 * the writer.
 */
void mp_writer_on_failure(void (*fn)(int quiet));

/*
 * Write in an input's form (call before the first field; ignored with
 * excel): CRLF line ends, a UTF-8 byte-order mark, or CP1252 instead of
 * UTF-8 (a character CP1252 lacks is written '?').  CP1252 that cannot be
 * written here (iconv) is a failure (above): -1 without a policy.
 */
int mp_writer_form(mp_writer *w, int crlf, int bom, enum mp_encoding enc);

void mp_writer_field(mp_writer *w, const char *s, size_t len);
/* A field known to need no quoting (a code, flag, number or date): CSV copies it as is. */
void mp_writer_plain(mp_writer *w, const char *s, size_t len);
/*
 * n fields at once, s[0..len) being their CSV text as this writer writes it
 * (fields without a comma, quote, CR or LF, joined by commas: a stretch of a
 * CSV line read without quotes).  Only when mp_writer_takes_csv says the
 * writer needs no field one by one (CSV, no --excel, no --xlsx sheet).
 */
int mp_writer_takes_csv(const mp_writer *w);
void mp_writer_csv_fields(mp_writer *w, const char *s, size_t len, size_t n);
void mp_writer_str(mp_writer *w, const char *s);		/* NULL writes an empty field */
void mp_writer_printf(mp_writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void mp_writer_long(mp_writer *w, long v);
void mp_writer_end(mp_writer *w);				/* ends the record */
void mp_writer_record(mp_writer *w, const mp_record *rec);	/* all fields, then end */
/* Raw bytes, not a field (for text outputs such as reports and digests). */
void mp_writer_raw(mp_writer *w, const char *s, size_t len);
void mp_writer_rawf(mp_writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Flush, close and rename into place; frees w.  A failure, now or before,
 * leaves a named file as it was (-1 without a policy).
 */
int mp_writer_close(mp_writer *w);

/* --xlsx: also write every field and row written from now on to this sheet. */
struct mp_xlsx_sheet;
void mp_writer_sheet(mp_writer *w, struct mp_xlsx_sheet *sheet);


/* Abandon the output: a named file is not replaced (its temp is removed); frees w. */
void mp_writer_discard(mp_writer *w);

/* For commands that do their own formatting: the underlying stream name. */
const char *mp_writer_name(const mp_writer *w);

#endif
