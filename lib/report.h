/*
 * report.h: the monthly/annual report of mp-report, as a model of sections
 * and figures, rendered as plain text, Markdown or HTML.
 *
 *	mp_report_config cfg;
 *	mp_report_config_init(&cfg);	// then period, now, kind, options
 *	mp_report_data *d = mp_report_data_new(&cfg);
 *	if (mp_report_data_bind(d, header, err, sizeof err)) ...
 *	while (record) if (mp_report_data_add(d, rec, &col, msg, sizeof msg)) report file:line: col: msg;
 *	mp_report *r = mp_report_build(d);	// the sections, figures formatted
 *	mp_report_write_text(r, w);	// or _markdown, _html
 *	mp_report_free(r); mp_report_data_free(d);
 *
 * Every count and percentage about the period comes from mp_stats engines
 * (stats.h) configured as mp-stats would be for the same --from/--to,
 * --within and --repeat-min: by none (the totals), by month (the trend),
 * and by none grouped by care_status,placement; type; rhi_reason;
 * duration_band; age_band; sex; ethnicity; send.  What mp-stats cannot
 * count is tallied here: push and pull factors (a list column), children
 * with --repeat-min or more episodes in a calendar month over the whole
 * period and their Harm Outside the Home referrals, the time from return to
 * interview, and the state at --now (open episodes; interviews outstanding,
 * with mp-rhi-due's deadlines).
 */
#ifndef MP_REPORT_H
#define MP_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "reader.h"
#include "whose.h"
#include "writer.h"

enum mp_report_kind {
	MP_KIND_DAILY, MP_KIND_WEEKLY, MP_KIND_MONTHLY, MP_KIND_QUARTERLY, MP_KIND_ANNUAL, MP_KIND_CUSTOM
};
extern const char *const mp_report_kind_names[];	/* "daily", ..., "custom" */
int mp_report_kind_parse(const char *s);		/* -1 when unknown (custom is not accepted) */

/* What mp-validate's closing line said (its log, text or JSON, given as --validation). */
typedef struct mp_report_quality {
	int have;
	long read, rejected, warnings;
} mp_report_quality;

typedef struct mp_report_config {
	int64_t from_day, to_day;	/* the period, local days, inclusive */
	int64_t trend_from, trend_to;	/* the months of the trend (monthly reports: a year back) */
	int64_t prev_from, prev_to;	/* the previous period of the same length (mp_report_config_periods) */
	int64_t now;			/* --now, UTC seconds */
	enum mp_report_kind kind;
	long within_hours;		/* 72 */
	long repeat_min;		/* 3 */
	long repeat_window;		/* 0: a calendar month; else a span of that many days */
	unsigned rhi_types;		/* episode types needing an interview: bit (1 << enum mp_ep_type) */
	long suppress;			/* 0: none; else counts 1..N-1 are shown as [c] */
	int secondary;			/* with suppress: also hide the next smallest cell of a group (1) */
	int with_ids;
	const char *title;		/* NULL: the default title */
	const char *la;			/* this council (--la; NULL: the one value of the la column) */
	enum mp_children children;	/* whose children every figure counts (default own) */
	long recur_days;		/* going missing again within this many days of a return (30) */
	mp_report_quality quality;
} mp_report_config;

void mp_report_config_init(mp_report_config *cfg);
/*
 * Set the trend and the previous period from kind, from_day and to_day:
 * the previous month, financial quarter or April-March year for those
 * kinds, else as many days just before; the trend of a month's report is
 * the twelve months to it.
 */
void mp_report_config_periods(mp_report_config *cfg);

/*
 * Read a --validation log into q (the last closing line in it).  Returns 0,
 * or -1 with err set (a file that cannot be read, a rejects CSV, or no
 * "N rows read, N passed, N rejected" line).
 */
int mp_report_quality_read(const char *path, mp_report_quality *q, char *err, size_t errsz);

typedef struct mp_report_data mp_report_data;

mp_report_data *mp_report_data_new(const mp_report_config *cfg);
void mp_report_data_free(mp_report_data *d);
/* Bind the columns (child_id, type, start and dob are required); -1 with err naming the column. */
int mp_report_data_bind(mp_report_data *d, const mp_record *header, char *err, size_t errsz);
/* Count one record: 0, or -1 with *col and msg (the row is in no figure). */
int mp_report_data_add(mp_report_data *d, const mp_record *rec, const char **col, char *msg, size_t msgsz);
/*
 * After the last add: compute the figures.  0, or -1 with err set when the
 * council cannot be told (children placed here are in the input, and
 * neither --la nor a single la value says which council this is).
 */
int mp_report_data_finish(mp_report_data *d, char *err, size_t errsz);
/*
 * Bytes of the report's own state (children, the episodes kept for the
 * repeat rule, the tallies, the lists), not counting the engines'.
 */
size_t mp_report_data_memory(const mp_report_data *d);
/* Bytes of the engines' shared store of episodes (until mp_report_data_finish). */
size_t mp_report_data_store_memory(const mp_report_data *d);
/* Rows the reader itself could not use (ragged, quoting, encoding): for the data-quality line. */
void mp_report_data_bad_row(mp_report_data *d);

/* ---- the model ---- */

enum rp_block_kind { RP_PARA, RP_BULLET, RP_TABLE };
enum rp_chart { RP_CHART_NONE, RP_CHART_BARS2, RP_CHART_HBAR, RP_CHART_HIST };

typedef struct rp_cell {
	char *s;		/* the text shown */
	long v;			/* the number a chart draws; -1 none or suppressed */
	char *key;		/* HTML data-fig key of an mp-stats figure, or NULL */
} rp_cell;

typedef struct rp_table {
	char *caption;
	size_t ncols, nrows, crows;	/* crows: rows allocated */
	char **head;
	int *right;		/* per column: numbers, right-aligned */
	rp_cell *cells;		/* nrows x ncols */
	enum rp_chart chart;
	char *chart_title, *chart_desc;
	int line_after;		/* HIST: the --within line is after this row */
	size_t nbars;		/* HIST: the first nbars rows are drawn (the others are table rows only) */
	int *late;		/* HIST: per row, 1 when after the line */
	/* For secondary suppression (NULL: none): */
	int *part;		/* per column: its counts add up to a total shown elsewhere */
	int *rowpart;		/* per column: in each row, the counts of these columns add up */
	int *pct_of;		/* per column: the count column a percentage is built on, or -1 */
} rp_table;

typedef struct rp_block {
	enum rp_block_kind kind;
	char *text;
	rp_table *t;
} rp_block;

typedef struct rp_section {
	char *id, *title;
	rp_block *b;
	size_t nb, cb;
} rp_section;

typedef struct mp_report {
	char *title, *subtitle;
	char **front;		/* lines under the title: period, produced, privacy, suppression */
	size_t nfront;
	int with_ids;
	rp_section *s;
	size_t ns, cs;
	char **notes;		/* for stderr, not the document: one per column a figure needs and lacks */
	size_t nnotes, cnotes;
} mp_report;

/* Build the report from the data (call once, after mp_report_data_finish). */
mp_report *mp_report_build(mp_report_data *d);
void mp_report_free(mp_report *r);

/* Renderers: each writes the whole document through w (raw text). */
void mp_report_write_text(const mp_report *r, mp_writer *w);
void mp_report_write_markdown(const mp_report *r, mp_writer *w);
void mp_report_write_html(const mp_report *r, mp_writer *w);
/* The workbook renderer writes a file of its own: 0, or -1 with err filled. */
int mp_report_write_xlsx(const mp_report *r, const char *path, char *err, size_t errsz);

/*
 * A malloc'd copy of s safe in every format: line breaks, tabs and other
 * control characters shown escaped (\n, \x1B, \u009B), as mp_show does.
 * Every text the model holds has been through it.
 */
char *mp_report_clean(const char *s);

/* A day as "1 August 2024". */
size_t mp_report_long_date(char *buf, size_t sz, int64_t day);

#endif
