/*
 * report_xlsx.c: the report as an Excel workbook: a contents sheet (title,
 * period, council, what every measure is a share of), one sheet per
 * section with its text and tables as typed cells, and the charts of the
 * other formats as native Excel charts the analyst can restyle.  The
 * figures are the model's own strings, so suppression is exactly that of
 * the text and HTML reports.
 */
#include "report.h"
#include "err.h"
#include "xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#define MAXW 60

struct sheet {
	mp_xlsx *x;
	lxw_worksheet *ws;
	char name[64];
	unsigned row;
	unsigned char width[64];	/* fitted widths of the first columns */
	struct para { unsigned row; char *text; } *paras;	/* laid out once widths are known */
	size_t npara, cpara;
};

#define PARA_COLS 8	/* text blocks span this many columns, wrapped */

static size_t
chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static void
fit(struct sheet *sh, unsigned col, size_t w)
{
	if (col >= sizeof sh->width)
		return;
	if (w > MAXW)
		w = MAXW;
	if (w > sh->width[col])
		sh->width[col] = (unsigned char)w;
}

/* "1,234" as the number 1234: the model writes counts for reading. */
static const char *
plain_number(const char *s, char *buf, size_t bufsz)
{
	size_t n = 0;
	int digits = 0, commas = 0;

	for (const char *p = s; *p; p++) {
		if (*p == ',') {
			commas++;
			continue;
		}
		if ((*p < '0' || *p > '9') && *p != '.' && *p != '-' && *p != '%')
			return s;
		digits += *p >= '0' && *p <= '9';
		if (n + 1 >= bufsz)
			return s;
		buf[n++] = *p;
	}
	buf[n] = '\0';
	return commas && digits ? buf : s;
}

static void
text_row(struct sheet *sh, const char *text, enum mp_xlsx_style st)
{
	mp_xlsx_write_styled(sh->x, sh->ws, sh->row++, 0, text, st);
}

/* A native chart for a table the other formats draw, placed to its right. */
static void
chart_for(struct sheet *sh, const rp_table *t, unsigned first_row)
{
	lxw_workbook *wb = mp_xlsx_workbook(sh->x);
	uint8_t type = t->chart == RP_CHART_HBAR ? LXW_CHART_BAR : LXW_CHART_COLUMN;
	lxw_chart *ch = workbook_add_chart(wb, type);
	unsigned last = first_row + (unsigned)t->nrows;	/* the header is first_row */
	size_t nseries = t->chart == RP_CHART_BARS2 ? 2 : 1;

	if (!ch || t->nrows == 0 || t->ncols < 2)
		return;
	for (size_t k = 0; k < nseries && 1 + k < t->ncols; k++) {
		lxw_chart_series *s = chart_add_series(ch, NULL, NULL);
		chart_series_set_categories(s, sh->name, first_row + 1, 0, last, 0);
		chart_series_set_values(s, sh->name, first_row + 1, (lxw_col_t)(1 + k), last, (lxw_col_t)(1 + k));
		chart_series_set_name_range(s, sh->name, first_row, (lxw_col_t)(1 + k));
		chart_series_set_labels(s);
	}
	chart_title_set_name(ch, t->chart_title ? t->chart_title : t->caption ? t->caption : "");
	if (nseries == 1)
		chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
	else
		chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
	if (t->chart == RP_CHART_HBAR)
		chart_axis_set_reverse(ch->y_axis);	/* the first row at the top, as in the table */
	lxw_chart_options o = { .x_scale = 1.5, .y_scale = 1.3 };
	worksheet_insert_chart_opt(sh->ws, first_row, (lxw_col_t)(t->ncols + 1), ch, &o);
}

static void
table_rows(struct sheet *sh, const rp_table *t, int chart)
{
	char buf[64];

	if (t->caption)
		text_row(sh, t->caption, MP_XS_BOLD);
	unsigned head = sh->row;
	for (size_t c = 0; c < t->ncols; c++) {
		const char *h = t->head[c][0] == '>' ? t->head[c] + 1 : t->head[c];
		mp_xlsx_write_styled(sh->x, sh->ws, head, (unsigned)c, h, MP_XS_BOLD);
		fit(sh, (unsigned)c, chars(h) + 1);
	}
	sh->row++;
	for (size_t r = 0; r < t->nrows; r++, sh->row++)
		for (size_t c = 0; c < t->ncols; c++) {
			const char *s = t->cells[r * t->ncols + c].s;
			if (!s)
				continue;
			const char *v = c > 0 ? plain_number(s, buf, sizeof buf) : s;
			/* The first column names the row: text, whatever it looks like. */
			mp_xlsx_write_cell(sh->x, sh->ws, sh->row, (unsigned)c, c == 0 ? "label_id" : NULL, v,
					   strlen(v));
			fit(sh, (unsigned)c, chars(s) + 1);
		}
	if (chart)
		chart_for(sh, t, head);
	/* Leave room under a chart before the next block. */
	if (chart && sh->row < head + 20)
		sh->row = head + 20;
	sh->row++;
}

/* One section's sheet (already added as sh->ws): title, text and tables in order. */
static void
section_sheet(struct sheet *sh, const rp_section *s)
{
	int chart_first_table = strcmp(s->id, "rhi") == 0;	/* boards compare the interview measures */

	text_row(sh, s->title, MP_XS_HEADING);
	sh->row++;
	for (size_t i = 0; i < s->nb; i++) {
		const rp_block *b = &s->b[i];
		if (b->kind == RP_TABLE) {
			table_rows(sh, b->t, b->t->chart != RP_CHART_NONE || chart_first_table);
			chart_first_table = 0;
			continue;
		}
		char *line = mp_xasprintf("%s%s", b->kind == RP_BULLET ? "\xE2\x80\xA2 " : "", b->text);
		sh->paras = mp_xgrow(sh->paras, &sh->cpara, sh->npara + 1, sizeof *sh->paras);
		sh->paras[sh->npara++] = (struct para){ sh->row, line };
		sh->row += 2;
	}
	/* Printed as the other formats are: A4 landscape, one page wide. */
	worksheet_set_paper(sh->ws, 9);
	worksheet_set_landscape(sh->ws);
	worksheet_fit_to_pages(sh->ws, 1, 0);
	/* Tables keep their fitted widths; text spans PARA_COLS columns, wrapped, rows tall enough. */
	double across = 0;
	for (unsigned c = 0; c < sizeof sh->width; c++) {
		if (sh->width[c])
			worksheet_set_column(sh->ws, (lxw_col_t)c, (lxw_col_t)c, sh->width[c] + 1, NULL);
		if (c < PARA_COLS)
			across += sh->width[c] ? sh->width[c] + 1 : 8.43;
	}
	for (size_t i = 0; i < sh->npara; i++) {
		struct para *p = &sh->paras[i];
		size_t lines = (size_t)(chars(p->text) * 1.15 / across) + 1;
		worksheet_merge_range(sh->ws, p->row, 0, p->row, PARA_COLS - 1, "", NULL);
		mp_xlsx_write_styled(sh->x, sh->ws, p->row, 0, p->text, MP_XS_WRAP);
		worksheet_set_row(sh->ws, p->row, 15.0 * (double)lines, NULL);
		free(p->text);
	}
	free(sh->paras);
}

/* The contents sheet: title, period and council, the sections, and the basis of each measure. */
static void
contents_sheet(struct sheet *sh, const mp_report *r, const struct sheet *secs)
{
	text_row(sh, r->title, MP_XS_TITLE);
	if (r->subtitle)
		text_row(sh, r->subtitle, MP_XS_BOLD);
	for (size_t i = 0; i < r->nfront; i++)
		text_row(sh, r->front[i], MP_XS_WRAP);
	sh->row++;
	text_row(sh, "Sections", MP_XS_HEADING);
	for (size_t i = 0; i < r->ns; i++) {
		char url[160];
		snprintf(url, sizeof url, "internal:'%s'!A1", secs[i].name);
		worksheet_write_url_opt(sh->ws, sh->row++, 0, url, NULL, r->s[i].title, NULL);
	}
	sh->row++;
	text_row(sh, "What each measure is a share of", MP_XS_HEADING);
	/* Each section's first paragraph states its basis (the other formats print it under the title). */
	for (size_t i = 0; i < r->ns; i++)
		for (size_t j = 0; j < r->s[i].nb; j++)
			if (r->s[i].b[j].kind == RP_PARA) {
				char *line = mp_xasprintf("%s: %s", r->s[i].title, r->s[i].b[j].text);
				text_row(sh, line, MP_XS_WRAP);
				free(line);
				break;
			}
	worksheet_set_column(sh->ws, 0, 0, 110, NULL);
}

int
mp_report_write_xlsx(const mp_report *r, const char *path, char *err, size_t errsz)
{
	mp_xlsx *x = mp_xlsx_open(path, 0, err, errsz);
	if (!x)
		return -1;
	/* Sheets keep the order they are added in: the contents first, filled last, as it links to the others. */
	struct sheet contents = { .x = x };
	contents.ws = mp_xlsx_free_sheet(x, "Contents", contents.name, sizeof contents.name);
	struct sheet *secs = mp_xcalloc(r->ns ? r->ns : 1, sizeof *secs);
	for (size_t i = 0; i < r->ns; i++) {
		secs[i].x = x;
		secs[i].ws = mp_xlsx_free_sheet(x, r->s[i].title, secs[i].name, sizeof secs[i].name);
		section_sheet(&secs[i], &r->s[i]);
	}
	contents_sheet(&contents, r, secs);
	free(secs);
	return mp_xlsx_close(x, err, errsz);
}
