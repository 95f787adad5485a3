/* vreport.c: mp-validate's problem lines (text or JSON), rejects rows, summary table and closing line. */
#include "vreport.h"
#include "err.h"
#include "rowname.h"
#include "utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mp_vreport {
	const mp_record *header;
	mp_writer *rejects;
	int quiet, json, summary;
	long warnings;
	long rows[256];		/* rows with a problem, per rule */
	const char *last_file[256];
	long last_line[256];
	unsigned char warned[256];	/* the rule was reported as a warning */
};

mp_vreport *
mp_vreport_new(const mp_record *header, int quiet, int json, int summary)
{
	mp_vreport *r = mp_xcalloc(1, sizeof *r);

	r->header = header;
	r->quiet = quiet;
	r->json = json;
	r->summary = summary;
	return r;
}

void
mp_vreport_free(mp_vreport *r)
{
	free(r);
}

void
mp_vreport_rejects(mp_vreport *r, mp_writer *w)
{
	r->rejects = w;
	mp_writer_str(w, "line");
	mp_writer_str(w, "field");
	mp_writer_str(w, "rule");
	mp_writer_str(w, "message");
	for (size_t i = 0; i < r->header->n; i++)
		mp_writer_field(w, r->header->f[i].s, r->header->f[i].len);
	mp_writer_end(w);
}

/* Write s as a JSON string (quotes included); bytes that are not UTF-8 become U+FFFD. */
static void
json_str(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	putc('"', fp);
	while (*p) {
		unsigned char c = *p;
		if (c == '"' || c == '\\') {
			putc('\\', fp);
			putc(c, fp);
			p++;
		} else if (c == '\n') {
			fputs("\\n", fp), p++;
		} else if (c == '\t') {
			fputs("\\t", fp), p++;
		} else if (c == '\r') {
			fputs("\\r", fp), p++;
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(fp, "\\u%04x", c), p++;
		} else if (c < 0x80) {
			putc(c, fp), p++;
		} else {
			size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
			if (n > 1 && strnlen((const char *)p, n) == n && mp_utf8_invalid((const char *)p, n) < 0) {
				fwrite(p, 1, n, fp);
				p += n;
			} else {
				fputs("\\ufffd", fp);
				p++;
			}
		}
	}
	putc('"', fp);
}

/* The problem's line on stderr: text, naming the row, or a JSON object. */
static void
problem_line(long line, const mp_problem *p, const mp_record *header, const mp_record *rec, int json)
{
	if (json) {
		fflush(stdout);
		fputs("{\"file\":", stderr);
		json_str(stderr, p->file);
		fprintf(stderr, ",\"line\":%ld,\"field\":", line);
		if (p->field)
			json_str(stderr, p->field);
		else
			fputs("null", stderr);
		fputs(",\"rule\":", stderr);
		json_str(stderr, p->id);
		fprintf(stderr, ",\"severity\":\"%s\",\"message\":", p->warning ? "warning" : "error");
		json_str(stderr, p->msg);
		fputs("}\n", stderr);
	} else {
		/* A row the reader could not split has no episode id to trust. */
		mp_row_msg(header, strcmp(p->id, "csv") ? rec : NULL, p->file, line, p->field, "%s%s [%s]",
			   p->warning ? "warning: " : "", p->msg, p->id);
	}
}

/* The problem's row in the rejects file: line, field, rule, message, then the row's fields. */
static void
reject_row(mp_writer *w, long line, const mp_problem *p, const mp_record *header, const mp_record *rec)
{
	size_t n = rec ? rec->n : 0;

	mp_writer_long(w, line);
	mp_writer_str(w, p->field);
	mp_writer_str(w, p->id);
	if (p->warning)
		mp_writer_printf(w, "warning: %s", p->msg);
	else
		mp_writer_str(w, p->msg);
	for (size_t i = 0; i < n; i++)
		mp_writer_field(w, rec->f[i].s, rec->f[i].len);
	for (size_t i = n; i < header->n; i++)
		mp_writer_str(w, NULL);
	mp_writer_end(w);
}

void
mp_vreport_problem(void *ctx, long line, const mp_problem *p, const mp_record *rec)
{
	mp_vreport *r = ctx;

	if (p->warning)
		r->warnings++;
	if (p->rule >= 0 && p->rule < 256 && (r->last_line[p->rule] != line || r->last_file[p->rule] != p->file)) {
		r->rows[p->rule]++;
		r->last_line[p->rule] = line;
		r->last_file[p->rule] = p->file;
		r->warned[p->rule] = (unsigned char)p->warning;
	}
	if (!r->quiet && !r->summary)
		problem_line(line, p, r->header, rec, r->json);
	if (r->rejects)
		reject_row(r->rejects, line, p, r->header, rec);
}

void
mp_vreport_summary(const mp_vreport *r)
{
	fflush(stdout);
	if (!r->json)
		fprintf(stderr, "%-22s %-8s %8s  %s\n", "rule", "level", "rows", "description");
	for (size_t i = 0; i < mp_nrules; i++) {
		if (!r->rows[i])
			continue;
		if (r->json) {
			fputs("{\"rule\":", stderr);
			json_str(stderr, mp_rules[i].id);
			fprintf(stderr, ",\"severity\":\"%s\",\"rows\":%ld,\"description\":",
				r->warned[i] ? "warning" : "error", r->rows[i]);
			json_str(stderr, mp_rules[i].description);
			fputs("}\n", stderr);
		} else {
			fprintf(stderr, "%-22s %-8s %8ld  %s\n", mp_rules[i].id, r->warned[i] ? "warning" : "error",
				r->rows[i], mp_rules[i].description);
		}
	}
}

void
mp_vreport_year_note(const mp_vreport *r, int year, int inferred)
{
	char note[200];

	if (!inferred || !(r->rows[mp_rule_find("570")] || r->rows[mp_rule_find("571")]))
		return;
	snprintf(note, sizeof note,
		 "note: the collection year 1 April %d to 31 March %d was taken from the data (--year to choose)",
		 year - 1, year);
	if (r->json) {
		fputs("{\"note\":", stderr);
		json_str(stderr, note + 6);
		fputs("}\n", stderr);
	} else {
		mp_warn("%s", note);
	}
}

void
mp_vreport_closing(const mp_vreport *r, long read, long passed, long rejected)
{
	if (r->json)
		fprintf(stderr, "{\"rows_read\":%ld,\"passed\":%ld,\"rejected\":%ld,\"warnings\":%ld}\n", read, passed,
			rejected, r->warnings);
	else if (r->warnings)
		mp_closing("%ld row{s} read, %ld passed, %ld rejected, %ld warning{s}", read, passed, rejected, r->warnings);
	else
		mp_closing("%ld row{s} read, %ld passed, %ld rejected", read, passed, rejected);
}
