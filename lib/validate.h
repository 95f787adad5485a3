/* validate.h: the rule engine behind mp-validate: schema checks, episode logic, the SSDA903 rules. */
#ifndef MP_VALIDATE_H
#define MP_VALIDATE_H

#include <stddef.h>
#include <stdint.h>
#include "reader.h"
#include "schema.h"

/* Which input a rule applies to. */
enum mp_ruleset {
	MP_RS_ANY,		/* every input */
	MP_RS_EPISODE,		/* the canonical episode stream */
	MP_RS_SSDA903,		/* the national return's Missing table */
	MP_RS_SSDA903_HEADER	/* the same, with --header (the Header table) */
};

/* How a rule is reported by default. */
enum mp_level {
	MP_ERROR,		/* the row is rejected */
	MP_WARNING		/* reported, but the row passes */
};

struct mp_rule_ctx;

/*
 * One rule (lib/rules.c holds the table, mp_rules[R_X] for rule X): a
 * stable id, shown in every message and in the rejects file; its check,
 * run on every row of its set, or NULL where the check is made elsewhere
 * (the reader, the header or the schema pass in validate.c).
 */
typedef struct mp_rule {
	const char *id;
	const char *description;
	enum mp_level level;
	enum mp_ruleset set;
	int (*check)(const struct mp_rule_ctx *c);	/* returns the errors it reported */
	int order;		/* when its check runs in a row (lower first, then table order):
				   the order of one row's messages */
} mp_rule;

extern const mp_rule mp_rules[];
extern const size_t mp_nrules;
/* Index of a rule id in mp_rules, or -1. */
int mp_rule_find(const char *id);
const char *mp_ruleset_name(enum mp_ruleset s);

/* One problem found in a row. */
typedef struct mp_problem {
	int rule;		/* index in mp_rules (R_*) */
	const char *id;		/* mp_rules[rule].id */
	const char *file;	/* the input the row came from */
	const char *field;	/* column name, or NULL for the whole row */
	char msg[512];
	int warning;
} mp_problem;

/*
 * Called for every problem.  line is the row's line; a problem that a
 * later row reveals in an earlier one is reported with the later row's
 * line and rec, and its message names the earlier line.  rec is NULL for
 * problems with the header.
 */
typedef void (*mp_report_fn)(void *ctx, long line, const mp_problem *p, const mp_record *rec);

typedef struct mp_validate_opts {
	const mp_schema *schema;	/* the canonical schema (episode mode) */
	int ssda903;		/* -1: when the header is exactly the 903 Missing columns; 1: always */
	int64_t now;		/* UTC seconds, for the future and open_too_long rules */
	long max_open_days;	/* open_too_long threshold */
	int year;		/* collection year ending 31 March year; 0: from the data */
} mp_validate_opts;

typedef struct mp_validator mp_validator;

mp_validator *mp_validator_new(const mp_validate_opts *o, const mp_record *header, const char *file,
			       mp_report_fn report, void *ctx);
void mp_validator_free(mp_validator *v);

/* Switch a rule off, or make it a warning; -1 if the id is unknown. */
int mp_validator_skip(mp_validator *v, const char *id);
int mp_validator_warn(mp_validator *v, const char *id);
int mp_validator_rule_on(const mp_validator *v, const char *id);

/* 1 when the SSDA903 Missing rules apply (decided from the header and options). */
int mp_validator_ssda903(const mp_validator *v);

/*
 * Load the 903 Header table (columns CHILD and DOB) for INT04 and INT13.
 * Returns 0, or -1 after a message.
 */
int mp_validator_load_header_table(mp_validator *v, const char *path, enum mp_format fmt,
				   enum mp_encoding enc);

/*
 * Check the header: a missing required column or a name given twice is
 * reported (rule "header") and -1 returned; an unknown column that looks
 * like a misspelt one is a warning (rule "column").
 */
int mp_validator_header(mp_validator *v);

/*
 * Rows to read ahead before checking any: feed them to mp_validator_observe,
 * then call mp_validator_settle.  SIZE_MAX (the whole table) for SSDA903
 * rule 574, which reports the episode later in the child's national order
 * whatever the file order; MP_YEAR_LOOKAHEAD when the collection year comes
 * from the data (the year in which most end dates fall, start dates when no
 * row has an end; ties go to the later year); else 0.
 */
#define MP_YEAR_LOOKAHEAD 10000
size_t mp_validator_lookahead(const mp_validator *v);
int mp_validator_needs_year(const mp_validator *v);
void mp_validator_observe(mp_validator *v, const mp_record *rec);
int mp_validator_settle(mp_validator *v);
/* The collection year in use (0: none), and whether it came from the data. */
int mp_validator_year(const mp_validator *v, int *inferred);

/*
 * The input now being read (for messages that name another file's line).
 * A name given again at the same address is taken to be the same name
 * (mp_input_name's stay where they are while their input is read).
 */
void mp_validator_set_file(mp_validator *v, const char *file);

/* Check one row; returns the number of errors (warnings not counted). */
int mp_validator_row(mp_validator *v, const mp_record *rec);
/* Report a row the reader could not use (ragged, bad quoting, encoding). */
void mp_validator_bad_row(mp_validator *v, long line, const char *field, const char *msg, const mp_record *rec);

/* Children and episodes remembered, and the bytes that takes. */
void mp_validator_stats(const mp_validator *v, size_t *children, size_t *episodes, size_t *bytes);

#endif
