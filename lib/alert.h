/*
 * alert.h: what the daily alert commands (mp-rhi-due, mp-open) share, and
 * the saying of a record the reader could not use (every row-at-a-time command).
 */
#ifndef MP_ALERT_H
#define MP_ALERT_H

#include <stddef.h>
#include <stdint.h>
#include "input.h"
#include "mptime.h"
#include "cli.h"
#include "whose.h"
#include "writer.h"

/*
 * Exit statuses of the alert commands.  1 and 2 keep their meaning across
 * mptools (data or I/O problem; usage), so a broken feed can never pass
 * for "nothing to report": "nothing listed" has a status of its own.
 */
enum {
	MP_EXIT_LISTED = 0,	/* at least one row listed, no data problem */
	MP_EXIT_NONE = 3	/* nothing listed, no data problem */
};

/*
 * Hours in secs as text with one decimal, rounded down to the tenth of an
 * hour (so -60 s is "-0.1" and 359 s is "0.0").  Returns the length; buf
 * needs 32 bytes.
 */
size_t mp_hours_format(char *buf, int64_t secs);


/*
 * When the return home interview after a return at end is due: the return
 * plus within hours of elapsed time; for a return with a date only, 23:59
 * local time ceil(within/24) days on (an approximation: mp-rhi-due says so).
 */
int64_t mp_rhi_deadline(const mp_time *end, long within);

/* Report the current bad record of in (ragged, quoting, encoding). */
void mp_alert_bad_record(mp_input *in);

/*
 * Read every record of in: those the reader cannot use are reported and
 * counted; each other one is passed to fn with the name of its file.
 * Returns the number rejected, or -1 when a later file could not be read
 * (the message printed: the caller stops with status 1).
 */
long mp_alert_each(mp_input *in, void (*fn)(void *ctx, const char *file, const mp_record *rec), void *ctx);

/* Output rows kept in memory until they can be sorted. */
typedef struct mp_rows mp_rows;

mp_rows *mp_rows_new(size_t ncols);
/* Start a row with its sort key; fields follow with mp_rows_field/_str (missing ones are empty). */
void mp_rows_begin(mp_rows *rs, int64_t key);
void mp_rows_field(mp_rows *rs, const char *s, size_t len);
void mp_rows_str(mp_rows *rs, const char *s);
size_t mp_rows_count(const mp_rows *rs);
/* Field col of row i (in the order the rows were begun; call before mp_rows_sort). */
const char *mp_rows_cell(const mp_rows *rs, size_t i, size_t col, size_t *len);
/*
 * Whose child each row is, by the responsible council in field col:
 * keep[i] = mp_children_keep (whose.h).  Returns the rows kept, or -1
 * when some row names a council and this council (la) is unknown.
 */
long mp_rows_whose(const mp_rows *rs, size_t col, enum mp_children mode, const char *la, unsigned char *keep);
/* A new set of the rows of src with keep[i] set: their keys and first ncols fields, in the order begun. */
mp_rows *mp_rows_select(const mp_rows *src, const unsigned char *keep, size_t ncols);
/* Sort by key, ties in the order the rows were added. */
void mp_rows_sort(mp_rows *rs);
/* Write every row (each with ncols fields) to w. */
void mp_rows_write(mp_rows *rs, mp_writer *w);
/* Sort the rows and write them under a header of ncols column names to io's output (and --xlsx sheet). */
void mp_rows_emit(mp_rows *rs, const char *const *columns, size_t ncols, mp_io_opts *io, const char *sheet);
void mp_rows_free(mp_rows *rs);

/*
 * Keys (child ids, sources), each with times, gathered in one pass and asked
 * about after it: has a key a time in [from, to]?  Used for "the child
 * started a later episode" and "the source records interviews".
 */
typedef struct mp_keytimes mp_keytimes;

mp_keytimes *mp_keytimes_new(void);
void mp_keytimes_add(mp_keytimes *kt, const char *key, size_t n, int64_t t);
/* Once every time is added: 1 when key has a time in [from, to], else 0. */
int mp_keytimes_any(mp_keytimes *kt, const char *key, size_t n, int64_t from, int64_t to);
void mp_keytimes_free(mp_keytimes *kt);

#endif
