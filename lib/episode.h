/* episode.h: the canonical columns, bound to a stream's header, and decoded episodes. */
#ifndef MP_EPISODE_H
#define MP_EPISODE_H

#include "mptime.h"
#include "reader.h"

enum mp_col {
	MP_COL_EPISODE_ID, MP_COL_CHILD_ID, MP_COL_TYPE, MP_COL_START, MP_COL_END,
	MP_COL_DOB, MP_COL_SEX, MP_COL_ETHNICITY, MP_COL_SEND, MP_COL_CARE_STATUS,
	MP_COL_PLACEMENT, MP_COL_ALLOCATED, MP_COL_POLICE_REF, MP_COL_POLICE_RISK,
	MP_COL_RHI_OFFERED, MP_COL_RHI_ACCEPTED, MP_COL_RHI_HELD, MP_COL_RHI_REASON,
	MP_COL_PUSH_PULL, MP_COL_HOTH, MP_COL_SOURCE, MP_COL_LA, MP_COL_RESPONSIBLE_LA,
	MP_NCOLS
};

extern const char *const mp_col_names[MP_NCOLS];

/* Header index of each canonical column, -1 where the stream lacks it. */
typedef struct mp_colmap {
	int idx[MP_NCOLS];
	size_t nheader;
} mp_colmap;

void mp_colmap_bind(mp_colmap *m, const mp_record *header);
/* Exits 1 naming the first of cols (terminated by -1) missing from the header. */
void mp_colmap_require(const mp_colmap *m, const char *file, const int *cols);

/* The field for a canonical column ("" with len 0 where absent). */
static inline mp_field
mp_get(const mp_colmap *m, const mp_record *rec, enum mp_col c)
{
	mp_field none = { "", 0 };
	int i = m->idx[c];
	return (i >= 0 && (size_t)i < rec->n) ? rec->f[i] : none;
}

enum mp_ep_type { MP_EP_MISSING, MP_EP_AWAY, MP_EP_ABSENT, MP_EP_OTHER };

/* What the downstream commands need of one episode, decoded once. */
typedef struct mp_episode {
	mp_field id, child;
	enum mp_ep_type type;
	mp_time start, end, rhi_held;
	int has_end, has_rhi_held;
} mp_episode;

/*
 * Decode the id, child, type, start, end and rhi_held of a record.
 * Returns 0, or -1 with *col set to the bad column's name and msg filled.
 */
int mp_episode_decode(const mp_colmap *m, const mp_record *rec, mp_episode *ep,
		      const char **col, char *msg, size_t msgsz);

#endif
