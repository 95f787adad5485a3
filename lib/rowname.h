/* rowname.h: naming a row in a data message by its episode id and source line, not only by the stream's line. */
#ifndef MP_ROWNAME_H
#define MP_ROWNAME_H

#include <stddef.h>
#include "episode.h"
#include "reader.h"

/*
 * "episode ID (source line N)" for rec under header: the row's episode_id,
 * and the source_line mp-import wrote (the line of the file the row came
 * from), each where the stream has it.  "" when the row has neither.
 */
const char *mp_row_name(const mp_record *header, const mp_record *rec, char *buf, size_t sz);

/*
 * A data message naming the row:
 *   prog: FILE:LINE: episode ID (source line N): FIELD: message
 * FILE:LINE is the stream's (stdin:6 in a pipeline); the episode part is
 * left out when the row has no episode id and no source line, the field
 * part when field is NULL.  header or rec may be NULL (nothing to name).
 */
void mp_row_msg(const mp_record *header, const mp_record *rec, const char *file, long line, const char *field,
		const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* The same for a stream bound with mp_colmap_bind (episode_id and source_line found by it). */
void mp_row_msgc(const mp_colmap *cm, const mp_record *rec, const char *file, long line, const char *field,
		 const char *fmt, ...) __attribute__((format(printf, 6, 7)));

#endif
