/* rules.h: internals shared by validate.c, rules_episode.c and rules_ssda903.c. */
#ifndef MP_RULES_H
#define MP_RULES_H

#include "episode.h"
#include "history.h"
#include "mptime.h"
#include "validate.h"

/* Rule indices: the order of mp_rules[] in validate.c. */
enum {
	R_CSV, R_HEADER, R_COLUMN,
	R_REQUIRED, R_CODE, R_FORMAT, R_UNIQUE,
	R_END_BEFORE_START, R_FUTURE, R_START_BEFORE_DOB, R_AGE_18, R_RHI_BEFORE_RETURN,
	R_RHI_ON_OPEN, R_ACCEPTED_NOT_OFFERED, R_REASON_WITH_HELD, R_PLACEMENT_NOT_LAC,
	R_DUPLICATE_EPISODE, R_OVERLAP, R_OPEN_TOO_LONG,
	R_1004, R_1005, R_1006, R_564, R_565, R_566, R_567, R_570, R_571, R_574, R_586,
	R_INT04, R_INT13,
	R_COUNT
};

/* The canonical time columns decoded in the schema pass. */
enum { T_START, T_END, T_DOB, T_RHI_HELD, T_COUNT };

/* The 903 Missing columns. */
enum { S_CHILD, S_DOB, S_MISSING, S_MIS_START, S_MIS_END, S_COUNT };
extern const char *const mp_ssda903_cols[S_COUNT];

/* A child in the 903 Header table (by the index of its id in htids). */
struct hdr_child {
	int32_t dob;		/* day number; INT32_MIN when blank or not a date */
	int32_t dob2;		/* a second, different date of birth, or INT32_MIN */
};

struct mp_validator {
	mp_validate_opts o;
	const mp_record *header;
	mp_report_fn report;
	void *ctx;
	unsigned char skip[R_COUNT], warn[R_COUNT];
	int ssda903;

	/* files seen, for naming an earlier row's file */
	char **files;
	int nfiles, cur;

	/* episode mode */
	int *col_field;		/* header position -> schema field index or -1 */
	int *col_time;		/* header position -> T_* or -1 */
	int *col_vocab;		/* header position -> enum mp_col checked by the vocabulary, or -1 */
	mp_colmap cm;
	int ucol[4];		/* header positions of unique columns (-1 ends) */
	struct mp_uniq *uniq[3];	/* per unique column: the values seen, and where first */

	/* both modes */
	mp_history *hist;
	struct mp_intern *types;	/* the type values seen, for the duplicate check */

	/* SSDA903 mode */
	int sc[S_COUNT];	/* header positions of the 903 columns */
	int year, year_inferred;
	long year_votes[2][400];	/* [0] ends, [1] starts; index year - 1900 */
	struct mp_intern *htids;
	struct hdr_child *ht;
	size_t htcap, htcount;
	/* 574: every row of the table, observed before any is checked */
	struct ep574 {
		uint32_t child;		/* index in ids574 */
		int32_t s, e;		/* days; e = s when open */
		int32_t other;		/* the row it overlaps (index), or -1 */
		uint32_t line;
		uint16_t file;
		uint8_t open, used;	/* used: child, start and end readable */
	} *e574;
	size_t n574, c574, next574;
	struct mp_intern *ids574;
	int have_header_table;
	char *header_table_name;
};

/* Report a problem unless the rule is skipped; returns 1 when it counts as an error. */
int mp_rule_report(mp_validator *v, int rule, long line, const char *field, const mp_record *rec,
		   const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* "line N", or "FILE:N" when it was in another input; a static buffer (two rotate). */
const char *mp_rule_where(const mp_validator *v, long line, int file);

/* The episode-logic rules for a row whose time columns were decoded (have[T_*]). */
int mp_episode_rules(mp_validator *v, const mp_record *rec, const mp_time *t, const int *have);

/* The SSDA903 rules for one row of the Missing table. */
int mp_ssda903_row(mp_validator *v, const mp_record *rec);
/* Parse a 903 date (d/m/yyyy, one or two digits for day and month); 0 and *day, or -1. */
int mp_ssda903_date(const char *s, size_t len, int64_t *day);
/* The collection year (ending 31 March) that a day falls in. */
int mp_collection_year(int64_t day);

#endif
