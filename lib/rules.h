/*
 * rules.h: what a rule sees of one row (the context API), the rule indices
 * and the checks.  A check reads the context and reports through it; it
 * never sees the validator.  The table (lib/rules.c) names each rule's
 * check; validate.c fills the context and runs the checks in order.
 */
#ifndef MP_RULES_H
#define MP_RULES_H

#include <stdio.h>

#include "episode.h"
#include "history.h"
#include "mptime.h"
#include "ssda903.h"

/* Rule indices: mp_rules[R_X] is rule X (lib/rules.c). */
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

typedef struct mp_rule_ctx mp_rule_ctx;

/*
 * Report a problem with the row under check: rule (R_*), the field it is
 * about, the message.  Returns 1 when it counts as an error (not skipped,
 * not a warning).
 */
typedef int (*mp_rule_report_fn)(const mp_rule_ctx *c, int rule, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

struct mp_rule_ctx {
	/* The row; its values through mp_rule_val. */
	const mp_record *rec;
	const int *pos;		/* column (MP_COL_* or S_*) -> header position, -1 where absent */

	/* Episode set: the time columns decoded in the schema pass (have[T_*] where valid). */
	mp_time t[T_COUNT];
	int have[T_COUNT];
	/* SSDA903 set: the dates as day numbers (day_ok[S_*] where a valid dd/mm/yyyy). */
	int64_t day[S_COUNT];
	int day_ok[S_COUNT];

	/* What earlier rows say about this one. */
	const mp_hist_result *hist;	/* duplicate_episode, overlap: NULL when not looked up */
	const mp_903_ep *over574;	/* 574: the episode this one overlaps, or NULL */
	const mp_903_child *hdr;	/* INT04, INT13: the child in the Header table, or NULL */
	const char *header_table;	/* the Header table's name; NULL when none was loaded */

	/* The run. */
	int64_t now;		/* --now, UTC seconds */
	long max_open_days;
	int year;		/* collection year ending 31 March year; 0: none */
	char *const *files;	/* the inputs, for naming a line in another one */
	int cur;		/* files[cur] is the row's */

	mp_rule_report_fn report;
	void *sink;		/* the reporter's own state */
};

/* The field for a column of the rule set ("" with len 0 where absent). */
static inline mp_field
mp_rule_val(const mp_rule_ctx *c, int col)
{
	mp_field none = { "", 0 };
	int i = c->pos[col];
	return (i >= 0 && (size_t)i < c->rec->n) ? c->rec->f[i] : none;
}

/* "line N", or "FILE:N" when the line is in another input than the row's; into buf. */
static inline const char *
mp_rule_where(const mp_rule_ctx *c, long line, int file, char *buf, size_t size)
{
	if (file != c->cur && file >= 0 && c->files)
		snprintf(buf, size, "%s:%ld", c->files[file], line);
	else
		snprintf(buf, size, "line %ld", line);
	return buf;
}

/* The checks (a rule's check returns the errors it reported). */
int mp_check_end_before_start(const mp_rule_ctx *c);
int mp_check_future(const mp_rule_ctx *c);
int mp_check_start_before_dob(const mp_rule_ctx *c);
int mp_check_age_18(const mp_rule_ctx *c);
int mp_check_rhi_before_return(const mp_rule_ctx *c);
int mp_check_rhi_on_open(const mp_rule_ctx *c);
int mp_check_accepted_not_offered(const mp_rule_ctx *c);
int mp_check_reason_with_held(const mp_rule_ctx *c);
int mp_check_placement_not_lac(const mp_rule_ctx *c);
int mp_check_duplicate_episode(const mp_rule_ctx *c);
int mp_check_overlap(const mp_rule_ctx *c);
int mp_check_open_too_long(const mp_rule_ctx *c);

int mp_check_1004(const mp_rule_ctx *c);
int mp_check_1005(const mp_rule_ctx *c);
int mp_check_1006(const mp_rule_ctx *c);
int mp_check_564(const mp_rule_ctx *c);
int mp_check_565(const mp_rule_ctx *c);
int mp_check_566(const mp_rule_ctx *c);
int mp_check_567(const mp_rule_ctx *c);
int mp_check_570(const mp_rule_ctx *c);
int mp_check_571(const mp_rule_ctx *c);
int mp_check_574(const mp_rule_ctx *c);
int mp_check_586(const mp_rule_ctx *c);
int mp_check_int04(const mp_rule_ctx *c);
int mp_check_int13(const mp_rule_ctx *c);

#endif
