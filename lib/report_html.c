/* report_html.c: the report as one self-contained HTML file, with inline SVG charts beside their tables. */
#include "report.h"
#include "err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PUT(w, s) mp_writer_raw((w), (s), strlen(s))

/* Text escaped for HTML content and attribute values. */
static void
esc(mp_writer *w, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '&': PUT(w, "&amp;"); break;
		case '<': PUT(w, "&lt;"); break;
		case '>': PUT(w, "&gt;"); break;
		case '"': PUT(w, "&quot;"); break;
		case '\'': PUT(w, "&#39;"); break;
		default:
			/* A control character (a terminal escape in data) is shown, never written. */
			if (((unsigned char)*s < 0x20 && *s != '\n') || *s == 0x7f)
				mp_writer_rawf(w, "\\x%02X", (unsigned char)*s);
			else
				mp_writer_raw(w, s, 1);
		}
}

/* An element (or attribute) around escaped text: open and close are written as they are. */
static void
wrap(mp_writer *w, const char *open, const char *text, const char *close)
{
	PUT(w, open);
	esc(w, text);
	PUT(w, close);
}

static const char css[] =
	"*{box-sizing:border-box}\n"
	"body{font-family:\"DejaVu Sans\",Arial,Helvetica,sans-serif;color:#1b1b1b;background:#fff;"
	"margin:0;line-height:1.45;font-size:15px}\n"
	"main{max-width:64rem;margin:0 auto;padding:1.5rem 1.25rem 3rem}\n"
	"h1{font-size:1.6rem;margin:0 0 .25rem;color:#0b3d62}\n"
	"h2{font-size:1.2rem;margin:2rem 0 .5rem;padding-bottom:.2rem;border-bottom:2px solid #0b3d62;"
	"color:#0b3d62}\n"
	".la{font-size:1.1rem;margin:0 0 .5rem;color:#333}\n"
	".front p{margin:.15rem 0;color:#333}\n"
	".ids{border:3px solid #b00020;color:#b00020;font-weight:bold;padding:.5rem .75rem;margin:.75rem 0}\n"
	".headline{font-size:1.25rem;font-weight:bold;margin:.5rem 0}\n"
	"table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}\n"
	"caption{text-align:left;font-weight:bold;padding:.25rem 0}\n"
	"th,td{padding:.2rem .6rem;border-bottom:1px solid #ccc;vertical-align:top}\n"
	"th{text-align:left;background:#eef3f7;border-bottom:2px solid #0b3d62}\n"
	"tbody th{font-weight:normal;background:none;border-bottom:1px solid #ccc}\n"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\n"
	".fig{display:flex;flex-wrap:wrap;gap:1rem 2rem;align-items:flex-start}\n"
	".fig figure{margin:.5rem 0;flex:1 1 22rem;max-width:480px}\n"
	".fig table{font-size:.85rem}\n"
	".fig th,.fig td{padding:.15rem .4rem}\n"
	".fig figure svg{width:100%;height:auto;display:block}\n"
	"figcaption{font-size:.85rem;color:#444}\n"
	"ul{margin:.25rem 0 .75rem;padding-left:1.4rem}\n"
	"#groups table{display:inline-table;vertical-align:top;margin-right:2rem}\n"
	"footer{margin-top:2rem;font-size:.8rem;color:#555}\n"
	"@media print{\n"
	"  @page{size:A4;margin:14mm 14mm 16mm}\n"
	"  body{font-size:9.5pt}\n"
	"  main{max-width:none;padding:0}\n"
	"  h2{break-after:avoid;margin-top:1.2rem}\n"
	"  table,figure,ul{break-inside:avoid}\n"
	"  h2+p{break-after:avoid}\n"
	"  .fig{display:block}\n"
	"  .fig figure{max-width:127mm}\n"	/* 480 px: the charts' labels print at 10 px or more */
	"  th{background:#eef3f7;-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
	"  svg{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
	"}\n";

#define C_A "#1f6fb2"	/* episodes, in time */
#define C_B "#9cc3e4"	/* children */
#define C_LATE "#d9822b"

/* A step for about 5 ticks up to max. */
static long
nice_step(long max)
{
	long step = 1;
	while (max / step > 5) {
		if (max / (step * 2) <= 5)
			return step * 2;
		if (max / (step * 5) <= 5)
			return step * 5;
		step *= 10;
	}
	return step;
}

static void
svg_open(mp_writer *w, const rp_table *t, int id, int width, int height)
{
	mp_writer_rawf(w, "<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" "
			  "height=\"%d\" role=\"img\" aria-labelledby=\"chart%d-title chart%d-desc\" "
			  "font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"11\">\n",
		       width, height, width, height, id, id);
	mp_writer_rawf(w, "<title id=\"chart%d-title\">", id);
	esc(w, t->chart_title ? t->chart_title : "");
	mp_writer_rawf(w, "</title>\n<desc id=\"chart%d-desc\">", id);
	esc(w, t->chart_desc ? t->chart_desc : "");
	PUT(w, "</desc>\n");
}

static void
svg_close(mp_writer *w, const rp_table *t)
{
	wrap(w, "</svg>\n<figcaption>", t->chart_title ? t->chart_title : "",
	     " (the figures are in the table)</figcaption>\n</figure>\n");
}

/* Horizontal grid lines and their labels for a vertical bar chart. */
static void
grid(mp_writer *w, long max, int x0, int x1, int y0, int h)
{
	long step = nice_step(max);
	long top = max ? ((max + step - 1) / step) * step : 1;
	for (long v = 0; v <= top; v += step) {
		double y = y0 + h - (double)v * h / (double)top;
		mp_writer_rawf(w, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>\n", x0, y, x1, y,
			       v ? "#ddd" : "#444");
		mp_writer_rawf(w, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#444\">%ld</text>\n", x0 - 4,
			       y + 4, v);
	}
}

static long
top_of(long max)
{
	long step = nice_step(max);
	return max ? ((max + step - 1) / step) * step : 1;
}

/* A key of a two-series chart: a swatch of fill and its label (a constant), from x. */
static void
legend(mp_writer *w, int x, const char *fill, const char *label)
{
	mp_writer_rawf(w, "<rect x=\"%d\" y=\"6\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"16\">"
			  "%s</text>\n", x, fill, x + 16, label);
}

/* Monthly episodes and children: grouped vertical bars. */
static void
chart_bars2(mp_writer *w, const rp_table *t, int id)
{
	int W = 480, H = 280, x0 = 40, y0 = 30, ph = 200, pw = W - x0 - 10;
	long max = 0;
	for (size_t i = 0; i < t->nrows; i++)
		for (int k = 1; k <= 2; k++)
			if (t->cells[i * t->ncols + k].v > max)
				max = t->cells[i * t->ncols + k].v;
	long top = top_of(max);
	svg_open(w, t, id, W, H);
	legend(w, x0, C_A, "episodes");
	legend(w, x0 + 90, C_B, "children");
	grid(w, max, x0, x0 + pw, y0, ph);
	double gw = t->nrows ? (double)pw / (double)t->nrows : pw;
	double bw = gw * 0.36;
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
					   "Nov", "Dec" };
	for (size_t i = 0; i < t->nrows; i++) {
		double gx = x0 + gw * (double)i + gw * 0.14;
		for (int k = 1; k <= 2; k++) {
			const rp_cell *c = &t->cells[i * t->ncols + k];
			double x = gx + bw * (k - 1);
			if (c->v < 0) {
				mp_writer_rawf(w, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\">[c]"
						  "</text>\n", x + bw / 2, y0 + ph - 3);
				continue;
			}
			double bh = (double)c->v * ph / (double)top;
			mp_writer_rawf(w, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n", x,
				       y0 + ph - bh, bw, bh, k == 1 ? C_A : C_B);
			if (t->nrows <= 13)
				mp_writer_rawf(w, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"10\" "
						  "fill=\"#333\">%ld</text>\n", x + bw / 2, y0 + ph - bh - 2, c->v);
		}
		const char *lab = t->cells[i * t->ncols].s;
		int y = 0, m = 0;
		if (sscanf(lab, "%d-%d", &y, &m) == 2 && m >= 1 && m <= 12) {
			mp_writer_rawf(w, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
				       x0 + gw * ((double)i + 0.5), y0 + ph + 14, mon[m - 1]);
			if (i == 0 || m == 1)
				mp_writer_rawf(w, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%d"
						  "</text>\n", x0 + gw * ((double)i + 0.5), y0 + ph + 28, y);
		}
	}
	svg_close(w, t);
}

/* Care status split: horizontal bars of column 1. */
static void
chart_hbar(mp_writer *w, const rp_table *t, int id)
{
	int W = 480, lw = 190, rh = 24, H = (int)t->nrows * rh + 16, pw = W - lw - 50;
	long max = 0;
	for (size_t i = 0; i < t->nrows; i++)
		if (t->cells[i * t->ncols + 1].v > max)
			max = t->cells[i * t->ncols + 1].v;
	svg_open(w, t, id, W, H);
	for (size_t i = 0; i < t->nrows; i++) {
		const rp_cell *c = &t->cells[i * t->ncols + 1];
		int y = 8 + (int)i * rh;
		mp_writer_rawf(w, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", lw - 6, y + 15);
		esc(w, t->cells[i * t->ncols].s);
		PUT(w, "</text>\n");
		double bl = c->v > 0 && max ? (double)c->v * pw / (double)max : 0;
		if (c->v >= 0)
			mp_writer_rawf(w, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n", lw, y + 3,
				       bl, rh - 6, C_A);
		mp_writer_rawf(w, "<text x=\"%.1f\" y=\"%d\">", lw + bl + 4, y + 15);
		esc(w, c->s);
		PUT(w, "</text>\n");
	}
	mp_writer_rawf(w, "<line x1=\"%d\" y1=\"4\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>\n", lw, lw, H - 4);
	svg_close(w, t);
}

/* A short label of a band: "up to 24 h" -> "≤24", "24-48 h" -> "24-48", "over 144 h ..." -> ">144". */
static void
band_label(char *buf, size_t sz, const char *s)
{
	const char *p = s, *pre = "";
	if (strncmp(s, "up to ", 6) == 0)
		p = s + 6, pre = "\xe2\x89\xa4";
	else if (strncmp(s, "over ", 5) == 0)
		p = s + 5, pre = ">";
	size_t n = strcspn(p, " ");
	snprintf(buf, sz, "%s%.*s", pre, (int)n, p);
}

/* RHI timing: bars by hours after the return, the --within line between the in-time and late bands. */
static void
chart_hist(mp_writer *w, const rp_table *t, int id)
{
	int W = 480, H = 290, x0 = 40, y0 = 30, ph = 200, pw = W - x0 - 10;
	size_t n = 0;
	long max = 0;
	while (n < t->nrows && n < t->nbars) {
		if (t->cells[n * t->ncols + 1].v > max)
			max = t->cells[n * t->ncols + 1].v;
		n++;
	}
	long top = top_of(max);
	svg_open(w, t, id, W, H);
	legend(w, x0, C_A, "in time");
	legend(w, x0 + 80, C_LATE, "late");
	grid(w, max, x0, x0 + pw, y0, ph);
	double gw = n ? (double)pw / (double)n : pw;
	for (size_t i = 0; i < n; i++) {
		const rp_cell *c = &t->cells[i * t->ncols + 1];
		double x = x0 + gw * (double)i + gw * 0.1, bw = gw * 0.8;
		char lab[64];
		if (c->v >= 0) {
			double bh = (double)c->v * ph / (double)top;
			mp_writer_rawf(w, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n", x,
				       y0 + ph - bh, bw, bh, t->late && t->late[i] ? C_LATE : C_A);
			mp_writer_rawf(w, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"10\">%ld</text>\n",
				       x + bw / 2, y0 + ph - bh - 3, c->v);
		} else {
			mp_writer_rawf(w, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">[c]</text>\n", x + bw / 2,
				       y0 + ph - 3);
		}
		band_label(lab, sizeof lab, t->cells[i * t->ncols].s);
		mp_writer_rawf(w, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", x + bw / 2, y0 + ph + 14);
		esc(w, lab);
		PUT(w, "</text>\n");
	}
	double lx = x0 + gw * (double)(t->line_after + 1);
	char lab[64];
	band_label(lab, sizeof lab, t->cells[(size_t)t->line_after * t->ncols].s);
	const char *dash = strchr(lab, '-');
	mp_writer_rawf(w, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#b00020\" stroke-width=\"2\" "
			  "stroke-dasharray=\"6 4\"/>\n", lx, y0 - 4, lx, y0 + ph);
	mp_writer_rawf(w, "<text x=\"%.1f\" y=\"%d\" fill=\"#b00020\" font-weight=\"bold\">%s hours</text>\n", lx + 4,
		       y0 + 8, dash ? dash + 1 : lab);
	mp_writer_rawf(w, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#444\">hours after the return"
			  "</text>\n", x0 + pw / 2, y0 + ph + 32);
	svg_close(w, t);
}

static void
html_table(mp_writer *w, const rp_table *t)
{
	PUT(w, "<table>\n");
	if (t->caption)
		wrap(w, "<caption>", t->caption, "</caption>\n");
	PUT(w, "<thead><tr>");
	for (size_t j = 0; j < t->ncols; j++) {
		mp_writer_rawf(w, "<th scope=\"col\"%s>", t->right[j] ? " class=\"n\"" : "");
		esc(w, t->head[j]);
		PUT(w, "</th>");
	}
	PUT(w, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < t->nrows; i++) {
		PUT(w, "<tr>");
		for (size_t j = 0; j < t->ncols; j++) {
			const rp_cell *c = &t->cells[i * t->ncols + j];
			if (j == 0) {
				wrap(w, "<th scope=\"row\">", c->s, "</th>");
				continue;
			}
			mp_writer_rawf(w, "<td%s", t->right[j] ? " class=\"n\"" : "");
			if (c->key)
				wrap(w, " data-fig=\"", c->key, "\"");
			wrap(w, ">", c->s, "</td>");
		}
		PUT(w, "</tr>\n");
	}
	if (!t->nrows)
		mp_writer_rawf(w, "<tr><td colspan=\"%zu\">none</td></tr>\n", t->ncols);
	PUT(w, "</tbody>\n</table>\n");
}

void
mp_report_write_html(const mp_report *r, mp_writer *w)
{
	int chart = 0;

	PUT(w, "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
			 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	esc(w, r->title);
	if (r->subtitle) {
		PUT(w, " \xe2\x80\x94 ");
		esc(w, r->subtitle);
	}
	mp_writer_rawf(w, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n<header>\n<h1>", css);
	esc(w, r->title);
	PUT(w, "</h1>\n");
	if (r->subtitle)
		wrap(w, "<p class=\"la\">", r->subtitle, "</p>\n");
	PUT(w, "<div class=\"front\">\n");
	for (size_t i = 0; i < r->nfront; i++) {
		int ids = r->with_ids && strstr(r->front[i], "--with-ids");
		mp_writer_rawf(w, "<p%s>", ids ? " class=\"ids\"" : "");
		esc(w, r->front[i]);
		PUT(w, "</p>\n");
	}
	PUT(w, "</div>\n</header>\n");
	for (size_t i = 0; i < r->ns; i++) {
		const rp_section *s = &r->s[i];
		PUT(w, "<section id=\"");
		esc(w, s->id);
		mp_writer_rawf(w, "\">\n<h2>%zu. ", i + 1);
		esc(w, s->title);
		PUT(w, "</h2>\n");
		for (size_t j = 0; j < s->nb; j++) {
			const rp_block *b = &s->b[j];
			switch (b->kind) {
			case RP_PARA:
				mp_writer_rawf(w, "<p%s>", j == 0 && strcmp(s->id, "headline") == 0 ? " class=\"headline\"" : "");
				esc(w, b->text);
				PUT(w, "</p>\n");
				break;
			case RP_BULLET:
				if (!j || s->b[j - 1].kind != RP_BULLET)
					PUT(w, "<ul>\n");
				wrap(w, "<li>", b->text, "</li>\n");
				if (j + 1 == s->nb || s->b[j + 1].kind != RP_BULLET)
					PUT(w, "</ul>\n");
				break;
			case RP_TABLE:
				if (b->t->chart != RP_CHART_NONE) {
					PUT(w, "<div class=\"fig\">\n");
					++chart;
					if (b->t->chart == RP_CHART_BARS2)
						chart_bars2(w, b->t, chart);
					else if (b->t->chart == RP_CHART_HBAR)
						chart_hbar(w, b->t, chart);
					else
						chart_hist(w, b->t, chart);
					html_table(w, b->t);
					PUT(w, "</div>\n");
				} else {
					html_table(w, b->t);
				}
				break;
			}
		}
		PUT(w, "</section>\n");
	}
	PUT(w, "<footer>Written by mp-report (mptools). Every count of the period is as mp-stats "
			 "counts it for the same dates.</footer>\n</main>\n</body>\n</html>\n");
}
