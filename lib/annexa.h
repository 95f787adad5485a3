/*
 * annexa.h: Ofsted's Annex A List 8: for each looked-after child, the
 * missing and absent episodes in the 12 months to a date, and the return
 * interview after the last missing one.
 */
#ifndef MP_ANNEXA_H
#define MP_ANNEXA_H

#include <stddef.h>
#include <stdint.h>
#include "episode.h"
#include "reader.h"
#include "writer.h"

/* The four List 8 columns, with their Annex A header names. */
enum { MP_ANNEXA_MISSING, MP_ANNEXA_ABSENT, MP_ANNEXA_OFFERED, MP_ANNEXA_ACCEPTED, MP_ANNEXA_NCOLS };
extern const char *const mp_annexa_columns[MP_ANNEXA_NCOLS];

/* The first day of the 12 calendar months ending on the day as_of (both local days). */
int64_t mp_annexa_window_start(int64_t as_of);

typedef struct mp_annexa mp_annexa;

mp_annexa *mp_annexa_new(int64_t as_of);
void mp_annexa_free(mp_annexa *a);

/*
 * Count one canonical episode (cm binds its stream) if it starts in the
 * window.  Returns 0, or -1 with *field and msg set for a row that cannot
 * be used.
 */
int mp_annexa_episode(mp_annexa *a, const mp_colmap *cm, const mp_record *rec, const char **field, char *msg,
		      size_t msgsz);

/*
 * The List 8's child column: the one named name, or else the first whose
 * name matches /child.*id/i.  -1 when there is none.
 */
int mp_annexa_id_column(const mp_record *header, const char *name);

/* Where the list already has each of the four columns (names compared loosely), else -1. */
void mp_annexa_find_columns(const mp_record *header, int idx[MP_ANNEXA_NCOLS]);

/* The list's header with the four columns added at the end where absent. */
void mp_annexa_write_header(mp_writer *w, const mp_record *header, const int idx[MP_ANNEXA_NCOLS]);

/*
 * One list row written with the child's four values (filled in place or
 * added at the end); the child is marked as listed.  Returns 0, or -1 when
 * the row has no child id (the four values are left blank).
 */
int mp_annexa_write_row(mp_annexa *a, mp_writer *w, const mp_record *rec, int idcol,
			const int idx[MP_ANNEXA_NCOLS]);

/*
 * Each child with episodes in the window who is not on the list and is
 * looked after (care_status lac on one of them; every such child when the
 * stream has no care_status): fn gets the id, the counts and the line of
 * the child's first episode in the window.  Returns how many.
 */
long mp_annexa_unlisted(const mp_annexa *a,
			void (*fn)(void *ctx, mp_field child, long missing, long absent, long line),
			void *ctx);

#endif
