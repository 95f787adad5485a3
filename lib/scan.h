/* scan.h: a fast record stream for commands that aggregate big files (no copies). */
#ifndef MP_SCAN_H
#define MP_SCAN_H

#include "reader.h"

/*
 * The same records, lines and messages as mp_input (strict CSV, BOM
 * stripped, spaces kept, invalid UTF-8, NUL bytes and ragged rows
 * reported as MP_READ_BAD), but CSV in UTF-8 is split in place in big
 * buffers rather than copied field by field through libcsv: several times
 * faster for commands that read a few columns of millions of rows.  TSV
 * and cp1252 input go through mp_input unchanged.
 */
typedef struct mp_scan mp_scan;

/* As mp_input_open: none or "-" is stdin; exits 1 when a file cannot be opened or has no header. */
mp_scan *mp_scan_open(int nfiles, char **files, enum mp_format fmt, enum mp_encoding enc);
void mp_scan_close(mp_scan *s);

const mp_record *mp_scan_header(const mp_scan *s);
/* Next record; valid until the next call.  MP_READ_BAD: see mp_scan_bad_*. */
int mp_scan_next(mp_scan *s, mp_record **rec);
const char *mp_scan_name(const mp_scan *s);	/* the current file ("stdin" for -) */
unsigned mp_scan_file(const mp_scan *s);	/* its index among the inputs, from 0 */
const char *mp_scan_bad_field(const mp_scan *s);
const char *mp_scan_bad_msg(const mp_scan *s);
long mp_scan_bad_line(const mp_scan *s);
/* Data records read across all files (good and bad). */
long mp_scan_count(const mp_scan *s);

#endif
