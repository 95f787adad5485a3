/*
 * episode.h: the episode vocabulary: the canonical columns, their codes and
 * the messages for bad values, bound to a stream's header; and the one
 * decoder every command reads episodes with, so that a row gets the same
 * verdict and the same message from every command.
 */
#ifndef MP_EPISODE_H
#define MP_EPISODE_H

#include <stdint.h>
#include "mptime.h"
#include "reader.h"
#include "schema.h"

enum mp_col {
	MP_COL_EPISODE_ID, MP_COL_CHILD_ID, MP_COL_TYPE, MP_COL_START, MP_COL_END,
	MP_COL_DOB, MP_COL_SEX, MP_COL_ETHNICITY, MP_COL_SEND, MP_COL_CARE_STATUS,
	MP_COL_PLACEMENT, MP_COL_ALLOCATED, MP_COL_POLICE_REF, MP_COL_POLICE_RISK,
	MP_COL_RHI_OFFERED, MP_COL_RHI_ACCEPTED, MP_COL_RHI_HELD, MP_COL_RHI_REASON,
	MP_COL_PUSH_PULL, MP_COL_HOTH, MP_COL_SOURCE, MP_COL_LA, MP_COL_RESPONSIBLE_LA,
	MP_COL_RHI_OFFERED_AT, MP_COL_LOCATION, MP_COL_FOUND_LOCATION, MP_COL_SOURCE_LINE,
	MP_NCOLS
};

/*
 * One canonical column: its kind (schema.h's types), whether a value is
 * required, its codes (code and list columns) and the
 * pattern its values (or list items) follow, as text for messages.  The
 * shipped share/schemas/episode.schema says the same (a unit test checks).
 */
typedef struct mp_code {
	const char *s;
	size_t len;
} mp_code;

typedef struct mp_colspec {
	const char *name;
	enum mp_type type;
	int required;
	const mp_code *codes;	/* ends with { NULL, 0 } */
	const char *pattern;
} mp_colspec;

extern const mp_colspec mp_vocab[MP_NCOLS];
extern const char *const mp_col_names[MP_NCOLS];

/* The episode types, in the order of the type column's codes. */
enum mp_ep_type { MP_EP_MISSING, MP_EP_AWAY, MP_EP_ABSENT, MP_EP_OTHER };
extern const char *const mp_ep_type_names[3];
/* "missing,away" -> bits 1 << enum mp_ep_type in *types; -1 on an unknown or empty name. */
int mp_ep_types_parse(const char *arg, unsigned *types);

/* How the decoder's fast path checks a column (episode.c). */
enum mp_check { MP_CK_FLAG, MP_CK_CODE, MP_CK_STRING, MP_CK_PATTERN, MP_CK_OTHER, MP_CK_TIME, MP_CK_NKINDS };

/* The codes a column may have for the decoder's perfect hash (more: looked up one by one). */
#define MP_PLAN_CODES 8

/* One column the decoder's fast path checks. */
struct mp_colplan {
	short col, idx;			/* canonical column, header index */
	unsigned char required;
	unsigned char dfa;		/* MP_CK_PATTERN: which pattern (episode.c) */
	unsigned char mult;		/* MP_CK_CODE: the perfect hash's multiplier, 0 when none was found */
	unsigned char date;		/* MP_CK_TIME: a date alone (not a date-time) */
	unsigned char keep;		/* MP_CK_TIME: the command uses the value (mp_colmap_need) */
	unsigned short alt;		/* MP_CK_FLAG: the third good value as the decoder reads it (0: empty; or Y again) */
	short toff, hoff;		/* MP_CK_TIME: where in mp_episode the value and its has_ flag go (hoff -1: none) */
	signed char slot[16];		/* MP_CK_CODE: hash -> code index, -1 none */
	/* MP_CK_CODE (with mult): each code's length and its bytes as the decoder compares them */
	unsigned char clen[MP_PLAN_CODES];
	uint64_t cw[MP_PLAN_CODES][2];
};

/* Header index of each canonical column, -1 where the stream lacks it. */
typedef struct mp_colmap {
	int idx[MP_NCOLS];
	size_t nheader;
	/* The columns the decoder checks, grouped by kind: kind k is plan[end[k - 1]] to plan[end[k]]. */
	struct mp_colplan plan[MP_NCOLS];
	int end[MP_CK_NKINDS];
	int nplan;
	unsigned need;		/* 1 << MP_COL_X: the dates whose values the command uses (mp_colmap_need) */
} mp_colmap;

/* Bind to a header: every column the header has is checked and its value kept. */
void mp_colmap_bind(mp_colmap *m, const mp_record *header);
/*
 * The dates and date-times a command uses (1 << MP_COL_X; start and end
 * always, the verdict compares them): the others are still checked, the
 * same verdict, but not kept (their has_ flags stay 0).
 */
void mp_colmap_need(mp_colmap *m, unsigned cols);
/* 0, or -1 after a message naming the first of cols (terminated by -1) missing from the header. */
int mp_colmap_require(const mp_colmap *m, const char *file, const int *cols);

/* The field for a canonical column ("" with len 0 where absent). */
static inline mp_field
mp_get(const mp_colmap *m, const mp_record *rec, enum mp_col c)
{
	mp_field none = { "", 0 };
	int i = m->idx[c];
	return (i >= 0 && (size_t)i < rec->n) ? rec->f[i] : none;
}

/* What the commands need of one episode, decoded once. */
typedef struct mp_episode {
	mp_field id, child;
	enum mp_ep_type type;
	mp_time start, end, rhi_held, dob, offered_at;
	int has_end, has_rhi_held, has_dob, has_offered_at;
	int offered, accepted;	/* rhi_offered, rhi_accepted: 1 for Y, else 0 */
	unsigned bad;		/* 1 << MP_COL_X for each column at fault */
} mp_episode;

/* What is wrong with a value (mp-validate's rules are named after these). */
enum mp_fault { MP_FAULT_NONE, MP_FAULT_REQUIRED, MP_FAULT_CODE, MP_FAULT_FORMAT, MP_FAULT_ORDER };

/*
 * Check one value of canonical column c; a date or date-time is parsed
 * into *t (may be NULL).  Returns MP_FAULT_NONE, or the fault with msg
 * filled ("'wandered' is not one of: missing, away, absent").
 */
enum mp_fault mp_vocab_check(enum mp_col c, const char *s, size_t len, mp_time *t, char *msg, size_t msgsz);
/* 1 when a schema field says exactly what the vocabulary says of column c. */
int mp_vocab_matches(enum mp_col c, const mp_schema_field *f);

/*
 * The end before the start (by instant when both have a time of day, else
 * by UK local date): MP_FAULT_ORDER with msg filled, else MP_FAULT_NONE.
 */
enum mp_fault mp_episode_order(const mp_time *start, const mp_time *end, mp_field start_text, mp_field end_text,
			       char *msg, size_t msgsz);

/*
 * Decode a record: every canonical column the header has is checked in
 * column order, then the end against the start.  Returns 0, or -1 with
 * *col set to the first bad column's name and msg filled: that is the
 * row's verdict in every command.  The other columns are decoded all the
 * same (ep->bad says which failed), for a command that must still show a
 * row with a fault (mp-open never hides a missing child).
 */
int mp_episode_decode(const mp_colmap *m, const mp_record *rec, mp_episode *ep,
		      const char **col, char *msg, size_t msgsz);

/*
 * The decoder's fast path alone: 0 when every canonical column is good and
 * the end is not before the start (ep decoded as mp_episode_decode would),
 * -1 when the row must be looked at column by column (mp_vocab_check).
 * For a checker with messages of its own (mp-validate): a good row costs
 * one pass of tight loops, not a call a column.
 */
int mp_episode_fast(const mp_colmap *m, const mp_record *rec, mp_episode *ep);

#endif
