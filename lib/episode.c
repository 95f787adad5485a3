/* episode.c: binding canonical names to header positions; decoding the time fields. */
#include "episode.h"
#include "err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const mp_col_names[MP_NCOLS] = {
	"episode_id", "child_id", "type", "start", "end", "dob", "sex", "ethnicity", "send",
	"care_status", "placement", "allocated", "police_ref", "police_risk", "rhi_offered",
	"rhi_accepted", "rhi_held", "rhi_reason", "push_pull", "hoth", "source", "la",
	"responsible_la",
};

void
mp_colmap_bind(mp_colmap *m, const mp_record *header)
{
	for (int c = 0; c < MP_NCOLS; c++) {
		m->idx[c] = -1;
		for (size_t i = 0; i < header->n; i++)
			if (strcmp(header->f[i].s, mp_col_names[c]) == 0) {
				m->idx[c] = (int)i;
				break;
			}
	}
	m->nheader = header->n;
}

void
mp_colmap_require(const mp_colmap *m, const char *file, const int *cols)
{
	for (; *cols >= 0; cols++)
		if (m->idx[*cols] < 0) {
			mp_data_msg(file, 1, mp_col_names[*cols], "required column is missing from the header");
			exit(MP_EXIT_DATA);
		}
}

static int
decode_time(const mp_colmap *m, const mp_record *rec, enum mp_col c, mp_time *t, int *has,
	    const char **col, char *msg, size_t msgsz)
{
	mp_field f = mp_get(m, rec, c);
	const char *why;

	*has = 0;
	if (f.len == 0)
		return 0;
	if (mp_time_parse(f.s, f.len, t, &why)) {
		*col = mp_col_names[c];
		snprintf(msg, msgsz, "'%s': %s", mp_show(f.s, f.len), why);
		return -1;
	}
	*has = 1;
	return 0;
}

int
mp_episode_decode(const mp_colmap *m, const mp_record *rec, mp_episode *ep,
		  const char **col, char *msg, size_t msgsz)
{
	mp_field type;
	int has_start;

	memset(ep, 0, sizeof *ep);
	ep->id = mp_get(m, rec, MP_COL_EPISODE_ID);
	ep->child = mp_get(m, rec, MP_COL_CHILD_ID);
	if (ep->child.len == 0) {
		*col = "child_id";
		snprintf(msg, msgsz, "required value is empty");
		return -1;
	}
	type = mp_get(m, rec, MP_COL_TYPE);
	if (type.len == 7 && memcmp(type.s, "missing", 7) == 0)
		ep->type = MP_EP_MISSING;
	else if (type.len == 4 && memcmp(type.s, "away", 4) == 0)
		ep->type = MP_EP_AWAY;
	else if (type.len == 6 && memcmp(type.s, "absent", 6) == 0)
		ep->type = MP_EP_ABSENT;
	else
		ep->type = MP_EP_OTHER;
	if (decode_time(m, rec, MP_COL_START, &ep->start, &has_start, col, msg, msgsz))
		return -1;
	if (!has_start) {
		*col = "start";
		snprintf(msg, msgsz, "required value is empty");
		return -1;
	}
	if (decode_time(m, rec, MP_COL_END, &ep->end, &ep->has_end, col, msg, msgsz))
		return -1;
	if (decode_time(m, rec, MP_COL_RHI_HELD, &ep->rhi_held, &ep->has_rhi_held, col, msg, msgsz))
		return -1;
	return 0;
}
