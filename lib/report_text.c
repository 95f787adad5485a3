/* report_text.c: the report as plain text for e-mail (80 columns) and as Markdown. */
#include "report.h"
#include "err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WIDTH 80

/* Characters (not bytes) of a UTF-8 string. */
static size_t
ulen(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static void
spaces(mp_writer *w, size_t n)
{
	while (n--)
		mp_writer_raw(w, " ", 1);
}

/* Write text wrapped at WIDTH, the first line after first, the others after indent spaces. */
static void
wrap(mp_writer *w, const char *text, const char *first, size_t indent)
{
	size_t col = ulen(first);
	const char *p = text;
	int start = 1;

	mp_writer_raw(w, first, strlen(first));
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		const char *e = p;
		while (*e && *e != ' ')
			e++;
		size_t wl = 0;
		for (const char *q = p; q < e; q++)
			wl += ((unsigned char)*q & 0xC0) != 0x80;
		if (!start && col + 1 + wl > WIDTH) {
			mp_writer_raw(w, "\n", 1);
			spaces(w, indent);
			col = indent;
			start = 1;
		}
		if (!start) {
			mp_writer_raw(w, " ", 1);
			col++;
		}
		mp_writer_raw(w, p, (size_t)(e - p));
		col += wl;
		start = 0;
		p = e;
	}
	mp_writer_raw(w, "\n", 1);
}

/* Append n copies of c to the line buffer. */
static void
put(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	*buf = mp_xgrow(*buf, cap, *len + n + 1, 1);
	memcpy(*buf + *len, s, n);
	*len += n;
}

static void
text_table(mp_writer *w, const rp_table *t)
{
	size_t *wd = mp_xcalloc(t->ncols, sizeof *wd);
	char *line = NULL;
	size_t cap = 0;

	for (size_t j = 0; j < t->ncols; j++)
		wd[j] = ulen(t->head[j]);
	for (size_t i = 0; i < t->nrows; i++)
		for (size_t j = 0; j < t->ncols; j++) {
			size_t l = ulen(t->cells[i * t->ncols + j].s);
			if (l > wd[j])
				wd[j] = l;
		}
	if (t->caption)
		mp_writer_rawf(w, "  %s\n", t->caption);
	for (size_t i = 0; i <= t->nrows + 1; i++) {
		/* i == 0: the heads; 1: the rule; then the rows.  No trailing spaces. */
		size_t len = 0;
		for (size_t j = 0; j < t->ncols; j++) {
			const char *s = i == 0 ? t->head[j] : i == 1 ? NULL : t->cells[(i - 2) * t->ncols + j].s;
			size_t l = s ? ulen(s) : wd[j];
			put(&line, &len, &cap, "  ", 2);
			if (t->right[j] && s)
				for (size_t k = l; k < wd[j]; k++)
					put(&line, &len, &cap, " ", 1);
			if (s)
				put(&line, &len, &cap, s, strlen(s));
			else
				for (size_t k = 0; k < wd[j]; k++)
					put(&line, &len, &cap, "-", 1);
			if (!t->right[j] || !s)
				for (size_t k = l; k < wd[j]; k++)
					put(&line, &len, &cap, " ", 1);
		}
		while (len && line[len - 1] == ' ')
			len--;
		put(&line, &len, &cap, "\n", 1);
		mp_writer_raw(w, line, len);
	}
	if (!t->nrows)
		mp_writer_rawf(w, "  (none)\n");
	free(line);
	free(wd);
}

void
mp_report_write_text(const mp_report *r, mp_writer *w)
{
	size_t tl = ulen(r->title);
	wrap(w, r->title, "", 0);
	for (size_t i = 0; i < (tl > WIDTH ? WIDTH : tl); i++)
		mp_writer_raw(w, "=", 1);
	mp_writer_raw(w, "\n", 1);
	if (r->subtitle)
		wrap(w, r->subtitle, "", 0);
	mp_writer_raw(w, "\n", 1);
	for (size_t i = 0; i < r->nfront; i++)
		wrap(w, r->front[i], "", 0);
	for (size_t i = 0; i < r->ns; i++) {
		const rp_section *s = &r->s[i];
		char head[256];
		int n = snprintf(head, sizeof head, "%zu. %s", i + 1, s->title);
		mp_writer_rawf(w, "\n%s\n", head);
		for (int k = 0; k < n && k < WIDTH; k++)
			mp_writer_raw(w, "-", 1);
		mp_writer_raw(w, "\n", 1);
		for (size_t j = 0; j < s->nb; j++) {
			const rp_block *b = &s->b[j];
			/* A blank line between blocks, except between bullets. */
			if (j && !(b->kind == RP_BULLET && s->b[j - 1].kind == RP_BULLET))
				mp_writer_raw(w, "\n", 1);
			switch (b->kind) {
			case RP_PARA:
				wrap(w, b->text, "", 0);
				break;
			case RP_BULLET:
				wrap(w, b->text, "  - ", 4);
				break;
			case RP_TABLE:
				text_table(w, b->t);
				break;
			}
		}
	}
}

/* Markdown: a cell with | and leading/trailing specials escaped. */
static void
md_text(mp_writer *w, const char *s)
{
	for (; *s; s++) {
		if (*s == '|' || *s == '*' || *s == '_' || *s == '\\' || *s == '`' || *s == '[' || *s == ']' ||
		    *s == '<')
			mp_writer_raw(w, "\\", 1);
		mp_writer_raw(w, s, 1);
	}
}

void
mp_report_write_markdown(const mp_report *r, mp_writer *w)
{
	mp_writer_raw(w, "# ", 2);
	md_text(w, r->title);
	mp_writer_raw(w, "\n\n", 2);
	if (r->subtitle) {
		md_text(w, r->subtitle);
		mp_writer_raw(w, "\n\n", 2);
	}
	for (size_t i = 0; i < r->nfront; i++) {
		if (i == 2 && r->with_ids)
			mp_writer_raw(w, "**", 2);
		md_text(w, r->front[i]);
		if (i == 2 && r->with_ids)
			mp_writer_raw(w, "**", 2);
		mp_writer_raw(w, i + 1 < r->nfront ? "  \n" : "\n", i + 1 < r->nfront ? 3 : 1);
	}
	for (size_t i = 0; i < r->ns; i++) {
		const rp_section *s = &r->s[i];
		mp_writer_rawf(w, "\n## %zu. ", i + 1);
		md_text(w, s->title);
		mp_writer_raw(w, "\n", 1);
		for (size_t j = 0; j < s->nb; j++) {
			const rp_block *b = &s->b[j];
			const rp_table *t = b->t;
			switch (b->kind) {
			case RP_PARA:
				mp_writer_raw(w, "\n", 1);
				md_text(w, b->text);
				mp_writer_raw(w, "\n", 1);
				break;
			case RP_BULLET:
				if (!j || s->b[j - 1].kind != RP_BULLET)
					mp_writer_raw(w, "\n", 1);
				mp_writer_raw(w, "- ", 2);
				md_text(w, b->text);
				mp_writer_raw(w, "\n", 1);
				break;
			case RP_TABLE:
				if (t->caption) {
					mp_writer_raw(w, "\n**", 3);
					md_text(w, t->caption);
					mp_writer_raw(w, "**\n", 3);
				}
				mp_writer_raw(w, "\n|", 2);
				for (size_t c = 0; c < t->ncols; c++) {
					mp_writer_raw(w, " ", 1);
					md_text(w, t->head[c]);
					mp_writer_raw(w, " |", 2);
				}
				mp_writer_raw(w, "\n|", 2);
				for (size_t c = 0; c < t->ncols; c++)
					mp_writer_rawf(w, "%s|", t->right[c] ? " ---: " : " --- ");
				mp_writer_raw(w, "\n", 1);
				for (size_t k = 0; k < t->nrows; k++) {
					mp_writer_raw(w, "|", 1);
					for (size_t c = 0; c < t->ncols; c++) {
						mp_writer_raw(w, " ", 1);
						md_text(w, t->cells[k * t->ncols + c].s);
						mp_writer_raw(w, " |", 2);
					}
					mp_writer_raw(w, "\n", 1);
				}
				if (!t->nrows)
					mp_writer_raw(w, "\n(none)\n", 8);
				break;
			}
		}
	}
}
