/* roster.h: the council's list of children and their status over time, for filling blank episode fields. */
#ifndef MP_ROSTER_H
#define MP_ROSTER_H

#include <stdint.h>
#include "episode.h"
#include "reader.h"

/* The columns a roster fills; child_id is its key. */
#define MP_ROSTER_NCOLS 8
extern const enum mp_col mp_roster_cols[MP_ROSTER_NCOLS];

typedef struct mp_roster mp_roster;
typedef struct mp_roster_entry mp_roster_entry;

/*
 * Read a roster through a roster map: map is a NAME in share/schemas/roster/
 * (NULL: "canonical", the canonical column names with from and to), or the
 * path of a map file (mp-map(5), with the columns @from and @to for the days
 * a row's status is in force).  A row that cannot be read is reported
 * (file:line: field: message) and counted in *rejected; *read counts the
 * rows read.  NULL after a message when the map or the file cannot be used;
 * *unknown_map is then set when map named no roster map.
 */
mp_roster *mp_roster_load(const char *path, const char *map, enum mp_format fmt, enum mp_encoding enc,
			  long *read, long *rejected, int *unknown_map);
void mp_roster_free(mp_roster *r);

/* Does any row of the roster give column c a value? */
int mp_roster_carries(const mp_roster *r, enum mp_col c);

/*
 * The row for child in force on local day (the one starting latest when
 * several are; a row with no from or to is open at that end), or NULL.
 * *known: the child is on the roster at all.
 */
const mp_roster_entry *mp_roster_find(const mp_roster *r, const char *child, size_t len, int64_t day,
				      int *known);
/* An entry's value for column c ("" when it has none). */
mp_field mp_roster_value(const mp_roster *r, const mp_roster_entry *e, enum mp_col c);

#endif
