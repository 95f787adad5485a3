/* rules.c: the rule table: every rule's id, description, level, set and check, one entry each. */
#include "rules.h"
#include "validate.h"

#include <string.h>

/*
 * The order of the table is the order of --list-rules and --summary.  The
 * order of one row's messages is the checks' order: table order within
 * the episode set; the SSDA903 checks run by .order (field by field, as
 * the national validator reports them).
 */
const mp_rule mp_rules[R_COUNT] = {
	/* The reader checks these: a row it cannot split never reaches the rules. */
	[R_CSV] = { "csv", "the row cannot be read: bad quoting, wrong number of fields, bad encoding",
		    MP_ERROR, MP_RS_ANY, NULL },
	/* Checked once, on the header, before any row (mp_validator_header). */
	[R_HEADER] = { "header", "the header lacks a required column or names a column twice",
		       MP_ERROR, MP_RS_ANY, NULL },
	[R_COLUMN] = { "column", "an unknown column looks like a misspelt known one (it passes through unchecked)",
		       MP_WARNING, MP_RS_ANY, NULL },
	/* The schema pass checks these, column by column, decoding the times the checks below read. */
	[R_REQUIRED] = { "required", "a required value is empty", MP_ERROR, MP_RS_EPISODE, NULL },
	[R_CODE] = { "code", "a value is not one of the column's codes", MP_ERROR, MP_RS_EPISODE, NULL },
	[R_FORMAT] = { "format", "a value is not a valid date, date-time, Y/N flag, number or pattern",
		       MP_ERROR, MP_RS_EPISODE, NULL },
	[R_UNIQUE] = { "unique", "a value that must be unique in the stream (episode_id) appears again",
		       MP_ERROR, MP_RS_EPISODE, NULL },

	[R_END_BEFORE_START] = { "end_before_start", "the episode ends before it starts",
				 MP_ERROR, MP_RS_EPISODE, mp_check_end_before_start },
	[R_FUTURE] = { "future", "start, end or rhi_held is after --now", MP_ERROR, MP_RS_EPISODE, mp_check_future },
	[R_START_BEFORE_DOB] = { "start_before_dob", "the episode starts on or before the date of birth",
				 MP_ERROR, MP_RS_EPISODE, mp_check_start_before_dob },
	[R_AGE_18] = { "age_18", "the child is 18 or over at the start", MP_WARNING, MP_RS_EPISODE, mp_check_age_18 },
	[R_RHI_BEFORE_RETURN] = { "rhi_before_return", "the return interview is before the return",
				  MP_ERROR, MP_RS_EPISODE, mp_check_rhi_before_return },
	[R_RHI_ON_OPEN] = { "rhi_on_open", "a return interview is recorded on an episode that has not ended",
			    MP_ERROR, MP_RS_EPISODE, mp_check_rhi_on_open },
	[R_ACCEPTED_NOT_OFFERED] = { "accepted_not_offered", "rhi_accepted is Y but rhi_offered is not Y",
				     MP_ERROR, MP_RS_EPISODE, mp_check_accepted_not_offered },
	[R_REASON_WITH_HELD] = { "reason_with_held", "rhi_reason (why none was held) is set while rhi_held is set",
				 MP_ERROR, MP_RS_EPISODE, mp_check_reason_with_held },
	[R_PLACEMENT_NOT_LAC] = { "placement_not_lac", "placement is set for a child whose care_status is not lac",
				  MP_ERROR, MP_RS_EPISODE, mp_check_placement_not_lac },
	[R_DUPLICATE_EPISODE] = { "duplicate_episode", "an earlier row has the same child, type and start",
				  MP_ERROR, MP_RS_EPISODE, mp_check_duplicate_episode },
	[R_OVERLAP] = { "overlap", "the child's episodes overlap (the national return's ordering)",
			MP_ERROR, MP_RS_EPISODE, mp_check_overlap },
	[R_OPEN_TOO_LONG] = { "open_too_long", "the episode has been open longer than --max-open-days",
			      MP_WARNING, MP_RS_EPISODE, mp_check_open_too_long },

	[R_1004] = { "1004", "MIS_START is blank or not a valid dd/mm/yyyy date", MP_ERROR, MP_RS_SSDA903,
		     mp_check_1004, 5 },
	[R_1005] = { "1005", "MIS_END is given but is not a valid dd/mm/yyyy date", MP_ERROR, MP_RS_SSDA903,
		     mp_check_1005, 9 },
	[R_1006] = { "1006", "MISSING is given but is not M or A", MP_ERROR, MP_RS_SSDA903, mp_check_1006, 2 },
	[R_564] = { "564", "MISSING is M or A but MIS_START is blank", MP_ERROR, MP_RS_SSDA903, mp_check_564, 6 },
	[R_565] = { "565", "MIS_START is given but MISSING is blank", MP_ERROR, MP_RS_SSDA903, mp_check_565, 3 },
	[R_566] = { "566", "MIS_END is given but MISSING is blank", MP_ERROR, MP_RS_SSDA903, mp_check_566, 4 },
	[R_567] = { "567", "MIS_END is before MIS_START", MP_ERROR, MP_RS_SSDA903, mp_check_567, 10 },
	[R_570] = { "570", "MIS_START is after the end of the collection year", MP_ERROR, MP_RS_SSDA903,
		    mp_check_570, 8 },
	[R_571] = { "571", "MIS_END is before the start or after the end of the collection year",
		    MP_ERROR, MP_RS_SSDA903, mp_check_571, 11 },
	[R_574] = { "574", "an episode starts while the child's previous one is open, or before it ends",
		    MP_ERROR, MP_RS_SSDA903, mp_check_574, 12 },
	[R_586] = { "586", "MIS_START is on or before the date of birth", MP_ERROR, MP_RS_SSDA903,
		    mp_check_586, 7 },
	[R_INT04] = { "INT04", "the child is not in the Header table (--header)", MP_ERROR, MP_RS_SSDA903_HEADER,
		      mp_check_int04, 0 },
	[R_INT13] = { "INT13", "DOB differs from the child's DOB in the Header table (--header)",
		      MP_ERROR, MP_RS_SSDA903_HEADER, mp_check_int13, 1 },
};
const size_t mp_nrules = sizeof mp_rules / sizeof *mp_rules;

int
mp_rule_find(const char *id)
{
	for (size_t i = 0; i < mp_nrules; i++)
		if (strcmp(mp_rules[i].id, id) == 0)
			return (int)i;
	return -1;
}

const char *
mp_ruleset_name(enum mp_ruleset s)
{
	switch (s) {
	case MP_RS_ANY: return "any";
	case MP_RS_EPISODE: return "episode";
	case MP_RS_SSDA903: return "ssda903";
	case MP_RS_SSDA903_HEADER: return "ssda903+header";
	}
	return "?";
}
