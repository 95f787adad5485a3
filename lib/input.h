/* input.h: one record stream over several input files (each with its header). */
#ifndef MP_INPUT_H
#define MP_INPUT_H

#include "reader.h"

typedef struct mp_input mp_input;

/*
 * Open the files named (none: stdin; "-": stdin) and read the first
 * header.  Later files must have the same header.  NULL, the message
 * printed, if the first file cannot be opened or has no header.
 */
mp_input *mp_input_open(int nfiles, char **files, enum mp_format fmt, enum mp_encoding enc);
void mp_input_close(mp_input *in);

/*
 * Read ahead from now on, as mp_reader_set_ahead (a second thread parses
 * batches of rows, across the files; the same records and messages).
 */
void mp_input_set_ahead(mp_input *in, int on);

const mp_record *mp_input_header(const mp_input *in);
/*
 * Next record as mp_reader_next; MP_READ_BAD details via mp_input_bad_*.
 * MP_READ_ERR when a later file cannot be opened, has no header or another
 * header than the first: the message is printed (once), the input ends
 * there and the caller stops with status 1.
 */
int mp_input_next(mp_input *in, mp_record **rec);
/* Why the last record was MP_READ_BAD (mp_reader_bad_*). */
long mp_input_bad_line(const mp_input *in);
const char *mp_input_bad_field(const mp_input *in);
const char *mp_input_bad_msg(const mp_input *in);
/* The name of the file the last record came from (it stays where it is while the input is open). */
const char *mp_input_name(const mp_input *in);
/* Data records read across all files (handed out, when reading ahead). */
long mp_input_count(const mp_input *in);

#endif
