/*
 * rhidue.h: how the return home interview after each return stands at
 * --now: mp-rhi-due's work, and the decision mp-report's interviews
 * outstanding use too.
 *
 *	mp_rhidue *r = mp_rhidue_new(&opts, &cm);
 *	mp_alert_each(in, mp_rhidue_record, r);	// bad rows reported and counted
 *	if (mp_rhidue_decide(r, out, ncols) < 0) ...	// whose children cannot be told
 *	mp_rhidue_free(r);
 *
 * A return is decided once the whole input is read: whether its source
 * records interviews, whether the child went missing again and whose child
 * it is are known only then.  Memory: per child its id once and 8 bytes
 * (its latest start, for missing_again); per return kept, its output row:
 * with --all every return, else only the due and overdue ones the options
 * would list (a later fact can only take a return off the list).
 */
#ifndef MP_RHIDUE_H
#define MP_RHIDUE_H

#include <stdint.h>

#include "alert.h"
#include "episode.h"
#include "whose.h"

/* How an interview stands at --now. */
enum mp_rhi_status {
	MP_RHI_DUE, MP_RHI_OVERDUE, MP_RHI_HELD_IN_TIME, MP_RHI_HELD_LATE, MP_RHI_DECLINED, MP_RHI_NOT_HELD,
	MP_RHI_MISSING_AGAIN, MP_RHI_NOT_RECORDED
};
extern const char *const mp_rhi_status_names[];	/* "due", ..., "not_recorded" */

/*
 * The status after a returned episode from its row alone: held (in time or
 * late: an interview recorded after now had not happened yet), else the
 * status of its rhi_reason, else due or overdue against deadline.
 */
enum mp_rhi_status mp_rhi_row_status(const mp_episode *ep, mp_field reason, int64_t now, int64_t deadline);

/* No start seen yet (mp_rhi_note_start's starting value). */
#define MP_RHI_NO_START INT64_MIN

/* Keep in *latest the child's latest start of an episode needing an interview, not after now. */
static inline void
mp_rhi_note_start(int64_t *latest, int64_t start, int64_t now)
{
	if (start <= now && start > *latest)
		*latest = start;
}

/*
 * Whether a due or overdue interview is missing_again: the child started
 * another episode needing one after the return (end) and by now (latest,
 * as mp_rhi_note_start keeps it); the duty moves to the later return.
 */
static inline int
mp_rhi_missing_again(int64_t end, int64_t latest)
{
	return latest > end;	/* MP_RHI_NO_START never is */
}

typedef struct mp_rhidue_opts {
	int64_t now;
	long within;		/* hours after the return an interview is due */
	long due_within;	/* -1: not given */
	int overdue, all;
	unsigned types;		/* episode types needing an interview: bits 1 << enum mp_ep_type */
	const char *la;
	enum mp_children children;
} mp_rhidue_opts;

typedef struct mp_rhidue mp_rhidue;

mp_rhidue *mp_rhidue_new(const mp_rhidue_opts *o, const mp_colmap *cm);
void mp_rhidue_free(mp_rhidue *r);
/* One record (mp_alert_each's callback): a bad one is reported, file:line: field: message, and counted. */
void mp_rhidue_record(void *r, const char *file, const mp_record *rec);
/*
 * Decide every return kept and add those listed to out (ncols columns:
 * episode_id, child_id, returned, deadline, hours_left, status, approx,
 * care_status, placement, allocated[, rhi_held, rhi_reason]).  has_offered:
 * the input has an rhi_offered column (without it no source records
 * interviews).  0, or -1 with err set when whose children cannot be told.
 */
int mp_rhidue_decide(mp_rhidue *r, int has_offered, mp_rows *out, size_t ncols, char *err, size_t errsz);
/* Rows listed, not listed and rejected (after mp_rhidue_decide). */
void mp_rhidue_tally(const mp_rhidue *r, long *listed, long *unlisted, long *rejected);

#endif
