/* rules_ssda903.c: the national return's (SSDA903) Missing-table rules, with the Department's numbers. */
#include "err.h"
#include "rules.h"

#include <stdio.h>
#include <string.h>

/* dd/mm/yyyy for a day number; a static buffer (four rotate). */
static const char *
day_show(int64_t day)
{
	static char buf[4][32];
	static int next;
	char *b = buf[next++ & 3];
	int y, m, d;

	mp_civil_from_days(day, &y, &m, &d);
	snprintf(b, sizeof buf[0], "%02d/%02d/%04d", d, m, y);
	return b;
}

int
mp_check_int04(const mp_rule_ctx *c)
{
	mp_field child = mp_rule_val(c, S_CHILD);

	if (!c->header_table || !child.len || c->hdr)
		return 0;
	return c->report(c, R_INT04, "CHILD", "child '%s' is not in the Header table (%s)", mp_show(child.s, child.len),
			 c->header_table);
}

int
mp_check_int13(const mp_rule_ctx *c)
{
	const mp_903_child *h = c->hdr;
	int64_t bd = c->day[S_DOB];

	if (!h || !c->day_ok[S_DOB] || h->dob == INT32_MIN || (h->dob == bd && (h->dob2 == INT32_MIN || h->dob2 == bd)))
		return 0;
	return c->report(c, R_INT13, "DOB", "%s differs from the Header table's date of birth (%s)", day_show(bd),
			 day_show(h->dob != bd ? h->dob : h->dob2));
}

int
mp_check_1006(const mp_rule_ctx *c)
{
	mp_field type = mp_rule_val(c, S_MISSING);

	if (!type.len || (type.len == 1 && (type.s[0] == 'M' || type.s[0] == 'A')))
		return 0;
	return c->report(c, R_1006, "MISSING", "'%s' is not M or A", mp_show(type.s, type.len));
}

int
mp_check_565(const mp_rule_ctx *c)
{
	if (mp_rule_val(c, S_MISSING).len || !mp_rule_val(c, S_MIS_START).len)
		return 0;
	return c->report(c, R_565, "MISSING", "the start date is given but MISSING is blank");
}

int
mp_check_566(const mp_rule_ctx *c)
{
	if (mp_rule_val(c, S_MISSING).len || !mp_rule_val(c, S_MIS_END).len)
		return 0;
	return c->report(c, R_566, "MISSING", "the end date is given but MISSING is blank");
}

int
mp_check_1004(const mp_rule_ctx *c)
{
	mp_field start = mp_rule_val(c, S_MIS_START);

	if (!start.len)
		return c->report(c, R_1004, "MIS_START", "the start date is blank");
	if (!c->day_ok[S_MIS_START])
		return c->report(c, R_1004, "MIS_START", "'%s' is not a valid dd/mm/yyyy date",
				 mp_show(start.s, start.len));
	return 0;
}

int
mp_check_564(const mp_rule_ctx *c)
{
	mp_field type = mp_rule_val(c, S_MISSING);

	if (mp_rule_val(c, S_MIS_START).len || type.len != 1 || !strchr("MAma", type.s[0]))
		return 0;
	return c->report(c, R_564, "MIS_START", "MISSING is '%s' but the start date is blank", mp_show(type.s, type.len));
}

int
mp_check_586(const mp_rule_ctx *c)
{
	mp_field start = mp_rule_val(c, S_MIS_START), dob = mp_rule_val(c, S_DOB);

	if (!c->day_ok[S_MIS_START] || !c->day_ok[S_DOB] || c->day[S_MIS_START] > c->day[S_DOB])
		return 0;
	return c->report(c, R_586, "MIS_START", "starts (%s) on or before the date of birth (%s)",
			 mp_show(start.s, start.len), mp_show(dob.s, dob.len));
}

int
mp_check_570(const mp_rule_ctx *c)
{
	mp_field start = mp_rule_val(c, S_MIS_START);

	if (!c->day_ok[S_MIS_START] || !c->year || c->day[S_MIS_START] <= mp_days_from_civil(c->year, 3, 31))
		return 0;
	return c->report(c, R_570, "MIS_START", "starts (%s) after the collection year ends (31/03/%04d)",
			 mp_show(start.s, start.len), c->year);
}

int
mp_check_1005(const mp_rule_ctx *c)
{
	mp_field end = mp_rule_val(c, S_MIS_END);

	if (!end.len || c->day_ok[S_MIS_END])
		return 0;
	return c->report(c, R_1005, "MIS_END", "'%s' is not a valid dd/mm/yyyy date", mp_show(end.s, end.len));
}

int
mp_check_567(const mp_rule_ctx *c)
{
	mp_field start = mp_rule_val(c, S_MIS_START), end = mp_rule_val(c, S_MIS_END);

	if (!c->day_ok[S_MIS_START] || !c->day_ok[S_MIS_END] || c->day[S_MIS_END] >= c->day[S_MIS_START])
		return 0;
	return c->report(c, R_567, "MIS_END", "ends (%s) before it starts (%s)", mp_show(end.s, end.len),
			 mp_show(start.s, start.len));
}

int
mp_check_571(const mp_rule_ctx *c)
{
	mp_field end = mp_rule_val(c, S_MIS_END);
	int64_t ed = c->day[S_MIS_END];

	if (!c->day_ok[S_MIS_END] || !c->year ||
	    (ed >= mp_days_from_civil(c->year - 1, 4, 1) && ed <= mp_days_from_civil(c->year, 3, 31)))
		return 0;
	return c->report(c, R_571, "MIS_END", "ends (%s) outside the collection year (01/04/%04d to 31/03/%04d)",
			 mp_show(end.s, end.len), c->year - 1, c->year);
}

int
mp_check_574(const mp_rule_ctx *c)
{
	const mp_903_ep *w = c->over574;
	char where[600];

	if (!w)
		return 0;
	mp_rule_where(c, w->line, w->file, where, sizeof where);
	if (w->open)
		return c->report(c, R_574, "MIS_START", "overlaps the episode on %s (from %s, still open)", where,
				 day_show(w->s));
	return c->report(c, R_574, "MIS_START", "overlaps the episode on %s (%s to %s)", where, day_show(w->s),
			 day_show(w->e));
}
