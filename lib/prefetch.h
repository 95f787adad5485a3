/* prefetch.h: read an mp_reader's records on a second thread, in batches, while the caller works. */
#ifndef MP_PREFETCH_H
#define MP_PREFETCH_H

#include "reader.h"

typedef struct mp_prefetch mp_prefetch;

/*
 * Start reading r's data records (after its header) on a thread of their
 * own.  The reader must not be used by the caller until mp_prefetch_end.
 */
mp_prefetch *mp_prefetch_start(mp_reader *r);

/*
 * The next record, in file order, as mp_reader_next returns it; valid until
 * the next call.  For MP_READ_BAD, *line, *field and *msg say why (as
 * mp_reader_bad_line/_field/_msg would have).
 */
int mp_prefetch_next(mp_prefetch *p, mp_record **rec, long *line, const char **field, const char **msg);

/* Wait for the thread and free everything; the reader is the caller's again. */
void mp_prefetch_end(mp_prefetch *p);

#endif
