/* export.h: canonical episodes as the returns councils submit (SSDA903 Missing table, SSD ssd_missing). */
#ifndef MP_EXPORT_H
#define MP_EXPORT_H

#include <stddef.h>
#include "episode.h"
#include "writer.h"

enum mp_export_format {
	MP_EXPORT_SSDA903,	/* CHILD,DOB,MISSING,MIS_START,MIS_END for one collection year */
	MP_EXPORT_SSD		/* Data to Insight's standard safeguarding dataset: ssd_missing */
};

/* A row that cannot be exported: where it is, the field and why, and its fields as read. */
typedef void (*mp_export_reject_fn)(void *ctx, const char *file, long line, const char *field,
				    const char *msg, const mp_record *rec);

typedef struct mp_export_counts {
	long written;		/* rows written */
	long not_lac;		/* ssda903: care_status not lac */
	long outside;		/* ssda903: no day in the collection year */
	long rejected;		/* reported through the reject function */
} mp_export_counts;

typedef struct mp_export mp_export;

/*
 * An export of the episodes of a stream bound by cm to out.  year is the
 * collection year ending 31 March year (ssda903 only).  Rows that cannot
 * be exported go to reject.  The header is written at once.
 */
mp_export *mp_export_new(enum mp_export_format fmt, int year, const mp_colmap *cm, mp_writer *out,
			 mp_export_reject_fn reject, void *ctx);
/* The canonical columns the format cannot do without (terminated by -1). */
const int *mp_export_required(enum mp_export_format fmt);

/* One canonical row from file: ssd writes it at once; ssda903 keeps it until mp_export_finish. */
void mp_export_row(mp_export *x, const char *file, const mp_record *rec);
/* ssda903: sort by child then start, apply the national rules, write. */
void mp_export_finish(mp_export *x);
void mp_export_counts_get(const mp_export *x, mp_export_counts *c);
void mp_export_free(mp_export *x);

#endif
