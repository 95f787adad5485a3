/* input.h: one record stream over several input files (each with its header). */
#ifndef MP_INPUT_H
#define MP_INPUT_H

#include "reader.h"

typedef struct mp_input mp_input;

/*
 * Open the files named (none: stdin; "-": stdin) and read the first
 * header.  Later files must have the same header.  Exits 1 if a file
 * cannot be opened or has no header.
 */
mp_input *mp_input_open(int nfiles, char **files, enum mp_format fmt, enum mp_encoding enc);
void mp_input_close(mp_input *in);

const mp_record *mp_input_header(const mp_input *in);
/* Next record as mp_reader_next; MP_READ_BAD details via mp_input_reader. */
int mp_input_next(mp_input *in, mp_record **rec);
/* The reader of the current file (for its name and error details). */
mp_reader *mp_input_reader(const mp_input *in);
const char *mp_input_name(const mp_input *in);
/* Data records read across all files. */
long mp_input_count(const mp_input *in);

#endif
