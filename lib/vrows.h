/*
 * vrows.h: rows through the validator, in input order: the first rows are
 * read ahead and observed where the rules need it (the collection year,
 * rule 574: mp_validator_lookahead), then every row is checked; a valid
 * row goes to the output as read, a rejected one only to the report.
 */
#ifndef MP_VROWS_H
#define MP_VROWS_H

#include "validate.h"
#include "writer.h"

typedef struct mp_vrows mp_vrows;

/* After mp_validator_header: rows checked by v, valid ones written to out. */
mp_vrows *mp_vrows_new(mp_validator *v, mp_writer *out);

/*
 * A row as read from file, and a row the reader could not use (its line,
 * field and why).  file is kept as given (not copied) until the row is
 * checked: a name that stays where it is while the input is read, as
 * mp_input_name's do.
 */
void mp_vrows_row(mp_vrows *r, const char *file, const mp_record *rec);
void mp_vrows_bad(mp_vrows *r, const char *file, long line, const char *field, const char *msg,
		  const mp_record *rec);

/* Check the rows still held (the input ended within the read-ahead), give the counts, free r. */
void mp_vrows_end(mp_vrows *r, long *passed, long *rejected);

#endif
