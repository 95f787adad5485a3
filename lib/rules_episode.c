/* rules_episode.c: episode logic on the canonical stream (dates, ages, interviews, overlaps). */
#include "err.h"
#include "intern.h"
#include "rules.h"

#include <stdio.h>
#include <string.h>

static mp_pt
pt_of(const mp_time *t)
{
	mp_pt p = { t->utc, t->has_time };
	return p;
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

/* A small code for the episode type, for the duplicate check (the value itself, interned). */
static int
type_code(mp_validator *v, mp_field f)
{
	uint32_t id;

	if (!v->types)
		v->types = mp_intern_new();
	id = mp_intern_add(v->types, f.s, f.len, NULL);
	return id < 255 ? (int)id + 1 : 255;
}

/* Overlap and duplicate checks against the child's earlier rows. */
static int
history_rules(mp_validator *v, const mp_record *rec, const mp_time *t, const int *have)
{
	mp_field child = mp_get(&v->cm, rec, MP_COL_CHILD_ID);
	mp_field end = mp_get(&v->cm, rec, MP_COL_END);
	mp_hist_result res;
	mp_pt none = { 0, 1 };
	int errors = 0;

	if (!v->hist || !have[T_START] || child.len == 0 || (end.len > 0 && !have[T_END]))
		return 0;
	mp_history_add(v->hist, child.s, child.len, type_code(v, mp_get(&v->cm, rec, MP_COL_TYPE)),
		       pt_of(&t[T_START]), have[T_END] ? pt_of(&t[T_END]) : none, !have[T_END],
		       rec->line, v->cur, &res);
	if (res.dup)
		return mp_rule_report(v, R_DUPLICATE_EPISODE, rec->line, "start", rec,
				      "same child, type and start as the episode on %s",
				      mp_rule_where(v, res.dup_of.line, res.dup_of.file));
	for (int i = 0; i < res.nover; i++) {
		const mp_where *w = &res.over[i];
		if (w->open)
			errors += mp_rule_report(v, R_OVERLAP, rec->line, "start", rec,
						 "overlaps the episode on %s (from %s, still open)",
						 mp_rule_where(v, w->line, w->file), pt_show(w->start));
		else
			errors += mp_rule_report(v, R_OVERLAP, rec->line, "start", rec,
						 "overlaps the episode on %s (%s to %s)",
						 mp_rule_where(v, w->line, w->file), pt_show(w->start),
						 pt_show(w->end));
	}
	return errors;
}

int
mp_episode_rules(mp_validator *v, const mp_record *rec, const mp_time *t, const int *have)
{
	static const struct { int col, tc; const char *name; } timed[] = {
		{ MP_COL_START, T_START, "start" },
		{ MP_COL_END, T_END, "end" },
		{ MP_COL_RHI_HELD, T_RHI_HELD, "rhi_held" },
	};
	const mp_colmap *cm = &v->cm;
	mp_field end = mp_get(cm, rec, MP_COL_END);
	mp_field held = mp_get(cm, rec, MP_COL_RHI_HELD);
	int errors = 0;
	char nowbuf[40];

	char msg[400];
	if (have[T_START] && have[T_END] &&
	    mp_episode_order(&t[T_START], &t[T_END], mp_get(cm, rec, MP_COL_START), end, msg, sizeof msg))
		errors += mp_rule_report(v, R_END_BEFORE_START, rec->line, "end", rec, "%s", msg);
	if (!v->skip[R_FUTURE]) {
		mp_pt now = { v->o.now, 1 };
		for (size_t i = 0; i < sizeof timed / sizeof *timed; i++) {
			if (!have[timed[i].tc] || mp_pt_cmp(pt_of(&t[timed[i].tc]), now) <= 0)
				continue;
			mp_field f = mp_get(cm, rec, timed[i].col);
			mp_time_format(nowbuf, v->o.now);
			errors += mp_rule_report(v, R_FUTURE, rec->line, timed[i].name, rec,
						 "'%s' is in the future (now is %s)", mp_show(f.s, f.len), nowbuf);
		}
	}
	if (have[T_START] && have[T_DOB]) {
		mp_field dob = mp_get(cm, rec, MP_COL_DOB);
		if (t[T_START].day <= t[T_DOB].day)
			errors += mp_rule_report(v, R_START_BEFORE_DOB, rec->line, "start", rec,
						 "starts on or before the date of birth (%s)", mp_show(dob.s, dob.len));
		else if (t[T_START].day >= birthday_18(&t[T_DOB]))
			errors += mp_rule_report(v, R_AGE_18, rec->line, "start", rec,
						 "the child is 18 or over at the start (born %s)",
						 mp_show(dob.s, dob.len));
	}
	if (held.len > 0 && end.len == 0)
		errors += mp_rule_report(v, R_RHI_ON_OPEN, rec->line, "rhi_held", rec,
					 "a return interview is recorded but the episode has not ended");
	else if (have[T_RHI_HELD] && have[T_END] && mp_pt_cmp(pt_of(&t[T_RHI_HELD]), pt_of(&t[T_END])) < 0)
		errors += mp_rule_report(v, R_RHI_BEFORE_RETURN, rec->line, "rhi_held", rec,
					 "the return interview (%s) is before the return (%s)",
					 mp_show(held.s, held.len), mp_show(end.s, end.len));
	mp_field acc = mp_get(cm, rec, MP_COL_RHI_ACCEPTED);
	if (is(acc, "Y")) {
		mp_field off = mp_get(cm, rec, MP_COL_RHI_OFFERED);
		if (off.len == 0)
			errors += mp_rule_report(v, R_ACCEPTED_NOT_OFFERED, rec->line, "rhi_accepted", rec,
						 "accepted is Y but rhi_offered is empty");
		else if (!is(off, "Y"))
			errors += mp_rule_report(v, R_ACCEPTED_NOT_OFFERED, rec->line, "rhi_accepted", rec,
						 "accepted is Y but rhi_offered is '%s'", mp_show(off.s, off.len));
	}
	mp_field reason = mp_get(cm, rec, MP_COL_RHI_REASON);
	if (reason.len > 0 && held.len > 0)
		errors += mp_rule_report(v, R_REASON_WITH_HELD, rec->line, "rhi_reason", rec,
					 "'%s' says why no interview was held, but rhi_held is set",
					 mp_show(reason.s, reason.len));
	mp_field place = mp_get(cm, rec, MP_COL_PLACEMENT);
	mp_field care = mp_get(cm, rec, MP_COL_CARE_STATUS);
	if (place.len > 0 && care.len > 0 && !is(care, "lac"))
		errors += mp_rule_report(v, R_PLACEMENT_NOT_LAC, rec->line, "placement", rec,
					 "'%s' is set but care_status is '%s', not lac", mp_show(place.s, place.len),
					 mp_show(care.s, care.len));
	errors += history_rules(v, rec, t, have);
	if (have[T_START] && end.len == 0 && v->cm.idx[MP_COL_END] >= 0 && t[T_START].utc <= v->o.now) {
		int64_t days = (v->o.now - t[T_START].utc) / 86400;
		if (v->o.now - t[T_START].utc > (int64_t)v->o.max_open_days * 86400)
			errors += mp_rule_report(v, R_OPEN_TOO_LONG, rec->line, "end", rec,
						 "still open after %lld days (more than %ld)", (long long)days,
						 v->o.max_open_days);
	}
	return errors;
}
