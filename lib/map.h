/* map.h: source maps (share/schemas/NAME.map): how a source's columns become canonical ones. */
#ifndef MP_MAP_H
#define MP_MAP_H

#include <stdint.h>
#include "episode.h"
#include "mptime.h"
#include "reader.h"

/* Map-only columns beyond the canonical ones: police pairing, roster periods (mp-match). */
enum {
	MP_MAP_EVENT = MP_NCOLS,	/* missing / found / episode */
	MP_MAP_NOTIFIED,		/* when the notification was made (ordering) */
	MP_MAP_FROM,			/* a roster row: first day its status is in force */
	MP_MAP_TO,			/* a roster row: last day its status is in force */
	MP_MAP_NCOLS
};

enum mp_event { MP_EV_NONE, MP_EV_MISSING, MP_EV_FOUND, MP_EV_EPISODE };

typedef struct mp_map mp_map;
typedef struct mp_binding mp_binding;

/* Load a map file; NULL after a message naming file:line on a syntax error. */
mp_map *mp_map_load(const char *path);
/* A shipped map by NAME (share/schemas/NAME.map) or a file path (contains '/' or ends .map). */
mp_map *mp_map_open(const char *name_or_path);
void mp_map_free(mp_map *m);

const char *mp_map_name(const mp_map *m);
const char *mp_map_desc(const mp_map *m);
const char *mp_map_path(const mp_map *m);
int mp_map_pairs(const mp_map *m);		/* the column notifications are paired by, or -1 */

/* Names of the shipped maps (sorted); *n set.  Free with mp_map_names_free. */
char **mp_map_names(size_t *n);
void mp_map_names_free(char **names, size_t n);

/* How many detect lines of m the header satisfies; -1 when any fails or m has none. */
int mp_map_detect(mp_map *m, const mp_record *header);

/*
 * Bind a map to a header: which source column feeds each canonical one.
 * Returns NULL after a message (file:1) when a required column has no source.
 */
mp_binding *mp_map_bind(mp_map *m, const mp_record *header, const char *file);
void mp_binding_free(mp_binding *b);

/* One line per map column no header column matched ("map NAME: no column for COL (looked for: ...)"). */
void mp_binding_unmatched(const mp_binding *b, void (*emit)(void *ctx, const char *s), void *ctx);

/* --dates: the order of numeric dates, overriding the map's "dates" line. */
void mp_map_set_dates(mp_map *m, int order);

/* Does the map read a long export (one row per question, pivoted)? */
int mp_map_is_long(const mp_map *m);
/* The long layout's record, question and answer columns in header (-1 each when not long); 0, or -1 after a message. */
int mp_map_long_columns(const mp_map *m, const mp_record *header, const char *file, int idx[3]);

/* The --check report for a binding, written as text lines to out. */
void mp_binding_report(const mp_binding *b, void (*line)(void *ctx, const char *s), void *ctx);

/* The name of header column i of the bound file. */
const char *mp_binding_column(const mp_binding *b, size_t i);

/* Header positions not used by the map (the extra columns), in header order. */
size_t mp_binding_extras(const mp_binding *b, const size_t **idx);

/* One source row, read through the map. */
typedef struct mp_row {
	mp_field v[MP_MAP_NCOLS];	/* canonical text (owned by the binding until the next row) */
	mp_time t[MP_MAP_NCOLS];	/* parsed times where has_t */
	unsigned char has_t[MP_MAP_NCOLS];
	enum mp_event event;
	long line;
	uint64_t plain;		/* bit c: v[c] needs no CSV quoting (a code, flag or date) */
} mp_row;

/* How bad a problem with one value is. */
enum {
	MP_PROBLEM_ERROR,	/* the row cannot be used */
	MP_PROBLEM_WARNING,	/* the value is used, but looks wrong */
	MP_PROBLEM_BLANKED,	/* --lenient: the value was left empty, the row kept */
	MP_PROBLEM_REFUSE	/* the whole file must be refused (its dates are month-first) */
};

/* A problem with one value: where, how bad (MP_PROBLEM_*), and why. */
typedef void (*mp_map_problem)(void *ctx, long line, const char *field, int level, const char *msg);

/*
 * Read rec through the binding into row (source_line set from rec->line).
 * Unreadable values are reported through problem; returns the number of
 * errors (0: row usable), or -1 after an MP_PROBLEM_REFUSE.  With lenient,
 * an unreadable value of a column that does not decide what the episode is
 * (dob, sex, ethnicity, ...; not start, end, rhi_held, the type or the ids)
 * is left empty (MP_PROBLEM_BLANKED) and the row kept.
 */
int mp_map_row(mp_binding *b, const mp_record *rec, mp_row *row, int lenient, mp_map_problem problem,
	       void *ctx);

/* Canonical columns that key a derived episode id (the map's "id" line). */
size_t mp_map_idkeys(const mp_map *m, const int **cols);

/*
 * The derived episode id: SOURCE-HHHHHHHHHHHHHHHH, the first 8 bytes of
 * BLAKE2b-128 over the source and the key values, each followed by 0x1F.
 * buf >= 96 bytes; returns the length.
 */
size_t mp_episode_id_derive(char *buf, const mp_field *source, const mp_field *keys, size_t nkeys);

/* Is every field of rec empty or blank? (Excel's trailing ",,,," rows.) */
int mp_record_blank(const mp_record *rec);

#endif
