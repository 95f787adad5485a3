/*
 * xlsx.h: Excel workbooks (libxlsxwriter) with typed cells, written
 * atomically like -o: the file appears, mode 0600 less the umask (an
 * existing file keeps its mode), only when the whole workbook is written.
 *
 *	mp_xlsx *x = mp_xlsx_open("out.xlsx", 1, err, sizeof err);
 *	mp_xlsx_sheet *s = mp_xlsx_sheet_add(x, "stats");
 *	mp_xlsx_field(s, "episodes", 8); ... mp_xlsx_end(s);	// the first row is the header
 *	if (mp_xlsx_close(x, err, sizeof err)) report err;
 *
 * A table sheet's cells are typed from the column name and the value, so
 * Excel does not re-guess them: ids, references and codes are always text
 * (leading zeros kept); ISO dates and date-times are Excel dates shown
 * dd/mm/yyyy [hh:mm] (UK local wall time, as the CSV has it); columns named
 * *_pct hold percentages (77.4 becomes 77.4%); plain decimal numbers in
 * other columns are numbers; anything else is text, never a formula.  The
 * header row is bold, frozen and filtered; column widths are fitted.
 */
#ifndef MP_XLSX_H
#define MP_XLSX_H

#include <stddef.h>

typedef struct mp_xlsx mp_xlsx;
typedef struct mp_xlsx_sheet mp_xlsx_sheet;

/*
 * Start a workbook for path; NULL with err filled when it cannot be.
 * stream: rows go to disk as they come (each sheet written top to bottom,
 * memory flat however long); 0 keeps cells in memory (free-form sheets).
 */
mp_xlsx *mp_xlsx_open(const char *path, int stream, char *err, size_t errsz);
/* A new table sheet (name cut to Excel's 31 characters, made unique). */
mp_xlsx_sheet *mp_xlsx_sheet_add(mp_xlsx *x, const char *name);
/* One cell of the current row (the first row names the columns). */
void mp_xlsx_field(mp_xlsx_sheet *s, const char *v, size_t len);
/* End the row. */
void mp_xlsx_end(mp_xlsx_sheet *s);
/*
 * Write the workbook and put it in place.  Returns 0, or -1 with err
 * filled (a sheet over Excel's 1,048,576 rows, a cell over 32,767
 * characters, a write error); then no file is left behind.
 */
int mp_xlsx_close(mp_xlsx *x, char *err, size_t errsz);
/* Abandon the workbook: nothing is written. */
void mp_xlsx_discard(mp_xlsx *x);
const char *mp_xlsx_path(const mp_xlsx *x);

/* ---- for renderers that lay out their own sheets (mp-report) ---- */
struct lxw_workbook;
struct lxw_worksheet;
struct lxw_workbook *mp_xlsx_workbook(mp_xlsx *x);
/* A free-form sheet, named as mp_xlsx_sheet_add names them. */
struct lxw_worksheet *mp_xlsx_free_sheet(mp_xlsx *x, const char *name, char *used, size_t usedsz);
/*
 * Write text at row, col of a free-form sheet typed as a table cell of a
 * column named colname would be (NULL: by the value alone); a value like
 * "77.4%" is a percentage.
 */
void mp_xlsx_write_cell(mp_xlsx *x, struct lxw_worksheet *ws, unsigned row, unsigned col,
			const char *colname, const char *v, size_t len);
/* Cell formats for free-form sheets. */
enum mp_xlsx_style { MP_XS_TITLE, MP_XS_HEADING, MP_XS_BOLD, MP_XS_WRAP };
void mp_xlsx_write_styled(mp_xlsx *x, struct lxw_worksheet *ws, unsigned row, unsigned col,
			  const char *text, enum mp_xlsx_style st);

#endif
