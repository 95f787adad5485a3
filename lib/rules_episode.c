/* rules_episode.c: episode logic on the canonical stream (dates, ages, interviews, overlaps). */
#include "err.h"
#include "rules.h"

#include <stdio.h>
#include <string.h>

static mp_pt
pt_of(const mp_time *t)
{
	mp_pt p = { t->utc, t->has_time };
	return p;
}

/* mp_pt_cmp, without the call where both are exact (most rows, every row of --now) */
static inline int
pt_cmp(mp_pt a, mp_pt b)
{
	if (a.exact && b.exact)
		return (a.v > b.v) - (a.v < b.v);
	return mp_pt_cmp(a, b);
}

/* A remembered point as text: a local date-time, or a date where no time was given. */
static const char *
pt_show(mp_pt p)
{
	static char buf[4][40];
	static int next;
	char *b = buf[next++ & 3];

	if (p.exact) {
		mp_time_format(b, p.v);
	} else {
		mp_time t;
		mp_utc_to_local(p.v, &t);
		mp_date_format(b, t.day);
	}
	return b;
}

static int
is(mp_field f, const char *s)
{
	size_t n = strlen(s);
	return f.len == n && memcmp(f.s, s, n) == 0;
}

/* The day of the 18th birthday (29 February: 1 March in other years). */
static int64_t
birthday_18(const mp_time *dob)
{
	int y = dob->y + 18, m = dob->mo, d = dob->d;

	if (m == 2 && d == 29 && mp_days_in_month(y, 2) == 28)
		m = 3, d = 1;
	return mp_days_from_civil(y, m, d);
}

int
mp_check_end_before_start(const mp_rule_ctx *c)
{
	char msg[400];

	if (!c->have[T_START] || !c->have[T_END] ||
	    !mp_episode_order(&c->t[T_START], &c->t[T_END], mp_rule_val(c, MP_COL_START), mp_rule_val(c, MP_COL_END),
			      msg, sizeof msg))
		return 0;
	return c->report(c, R_END_BEFORE_START, "end", "%s", msg);
}

int
mp_check_future(const mp_rule_ctx *c)
{
	static const struct { int col, tc; const char *name; } timed[] = {
		{ MP_COL_START, T_START, "start" },
		{ MP_COL_END, T_END, "end" },
		{ MP_COL_RHI_HELD, T_RHI_HELD, "rhi_held" },
	};
	mp_pt now = { c->now, 1 };
	char nowbuf[40];
	int errors = 0;

	for (size_t i = 0; i < sizeof timed / sizeof *timed; i++) {
		if (!c->have[timed[i].tc] || pt_cmp(pt_of(&c->t[timed[i].tc]), now) <= 0)
			continue;
		mp_field f = mp_rule_val(c, timed[i].col);
		mp_time_format(nowbuf, c->now);
		errors += c->report(c, R_FUTURE, timed[i].name, "'%s' is in the future (now is %s)", mp_show(f.s, f.len),
				    nowbuf);
	}
	return errors;
}

int
mp_check_start_before_dob(const mp_rule_ctx *c)
{
	if (!c->have[T_START] || !c->have[T_DOB] || c->t[T_START].day > c->t[T_DOB].day)
		return 0;
	mp_field dob = mp_rule_val(c, MP_COL_DOB);
	return c->report(c, R_START_BEFORE_DOB, "start", "starts on or before the date of birth (%s)",
			 mp_show(dob.s, dob.len));
}

int
mp_check_age_18(const mp_rule_ctx *c)
{
	if (!c->have[T_START] || !c->have[T_DOB] || c->t[T_START].day <= c->t[T_DOB].day ||
	    c->t[T_START].day < birthday_18(&c->t[T_DOB]))
		return 0;
	mp_field dob = mp_rule_val(c, MP_COL_DOB);
	return c->report(c, R_AGE_18, "start", "the child is 18 or over at the start (born %s)", mp_show(dob.s, dob.len));
}

int
mp_check_rhi_on_open(const mp_rule_ctx *c)
{
	if (!mp_rule_val(c, MP_COL_RHI_HELD).len || mp_rule_val(c, MP_COL_END).len)
		return 0;
	return c->report(c, R_RHI_ON_OPEN, "rhi_held", "a return interview is recorded but the episode has not ended");
}

int
mp_check_rhi_before_return(const mp_rule_ctx *c)
{
	/* an interview on an open episode is rhi_on_open's */
	if (!c->have[T_RHI_HELD] || !c->have[T_END] || pt_cmp(pt_of(&c->t[T_RHI_HELD]), pt_of(&c->t[T_END])) >= 0)
		return 0;
	mp_field held = mp_rule_val(c, MP_COL_RHI_HELD), end = mp_rule_val(c, MP_COL_END);
	return c->report(c, R_RHI_BEFORE_RETURN, "rhi_held", "the return interview (%s) is before the return (%s)",
			 mp_show(held.s, held.len), mp_show(end.s, end.len));
}

int
mp_check_accepted_not_offered(const mp_rule_ctx *c)
{
	if (!is(mp_rule_val(c, MP_COL_RHI_ACCEPTED), "Y"))
		return 0;
	mp_field off = mp_rule_val(c, MP_COL_RHI_OFFERED);
	if (is(off, "Y"))
		return 0;
	if (off.len == 0)
		return c->report(c, R_ACCEPTED_NOT_OFFERED, "rhi_accepted", "accepted is Y but rhi_offered is empty");
	return c->report(c, R_ACCEPTED_NOT_OFFERED, "rhi_accepted", "accepted is Y but rhi_offered is '%s'",
			 mp_show(off.s, off.len));
}

int
mp_check_reason_with_held(const mp_rule_ctx *c)
{
	mp_field reason = mp_rule_val(c, MP_COL_RHI_REASON);

	if (!reason.len || !mp_rule_val(c, MP_COL_RHI_HELD).len)
		return 0;
	return c->report(c, R_REASON_WITH_HELD, "rhi_reason", "'%s' says why no interview was held, but rhi_held is set",
			 mp_show(reason.s, reason.len));
}

int
mp_check_placement_not_lac(const mp_rule_ctx *c)
{
	mp_field place = mp_rule_val(c, MP_COL_PLACEMENT), care;

	if (!place.len || !(care = mp_rule_val(c, MP_COL_CARE_STATUS)).len || is(care, "lac"))
		return 0;
	return c->report(c, R_PLACEMENT_NOT_LAC, "placement", "'%s' is set but care_status is '%s', not lac",
			 mp_show(place.s, place.len), mp_show(care.s, care.len));
}

int
mp_check_duplicate_episode(const mp_rule_ctx *c)
{
	char where[600];

	if (!c->hist || !c->hist->dup)
		return 0;
	return c->report(c, R_DUPLICATE_EPISODE, "start", "same child, type and start as the episode on %s",
			 mp_rule_where(c, c->hist->dup_of.line, c->hist->dup_of.file, where, sizeof where));
}

int
mp_check_overlap(const mp_rule_ctx *c)
{
	char where[600];
	int errors = 0;

	/* a duplicate is not placed among the child's episodes: it has no neighbours */
	if (!c->hist || c->hist->dup)
		return 0;
	for (int i = 0; i < c->hist->nover; i++) {
		const mp_where *w = &c->hist->over[i];
		mp_rule_where(c, w->line, w->file, where, sizeof where);
		if (w->open)
			errors += c->report(c, R_OVERLAP, "start", "overlaps the episode on %s (from %s, still open)", where,
					    pt_show(w->start));
		else
			errors += c->report(c, R_OVERLAP, "start", "overlaps the episode on %s (%s to %s)", where,
					    pt_show(w->start), pt_show(w->end));
	}
	return errors;
}

int
mp_check_open_too_long(const mp_rule_ctx *c)
{
	/* open: the stream has an end column and it is empty here */
	if (!c->have[T_START] || c->have[T_END] || c->pos[MP_COL_END] < 0 || mp_rule_val(c, MP_COL_END).len)
		return 0;
	int64_t open = c->now - c->t[T_START].utc;
	if (open < 0 || open <= (int64_t)c->max_open_days * 86400)
		return 0;
	return c->report(c, R_OPEN_TOO_LONG, "end", "still open after %lld days (more than %ld)",
			 (long long)(open / 86400), c->max_open_days);
}
