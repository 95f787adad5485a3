/* xlsx: Excel's limits are errors, never silent truncation (lib/xlsx.h), as TAP. */
#include "tap.h"
#include "xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/mp-xlsx-unit.XXXXXX";

static int
exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* A sheet of header + rows one-column rows; returns mp_xlsx_close's status. */
static int
write_rows(const char *path, long rows, char *err, size_t errsz)
{
	mp_xlsx *x = mp_xlsx_open(path, 1, err, errsz);
	if (!x)
		return -2;
	mp_xlsx_sheet *s = mp_xlsx_sheet_add(x, "rows");
	mp_xlsx_field(s, "n", 1);
	mp_xlsx_end(s);
	for (long i = 0; i < rows; i++) {
		mp_xlsx_field(s, "1", 1);
		mp_xlsx_end(s);
	}
	return mp_xlsx_close(x, err, errsz);
}

static void
row_limit(void)
{
	char path[128], err[512] = "";

	snprintf(path, sizeof path, "%s/max.xlsx", dir);
	TAP_OK(write_rows(path, 1048575, err, sizeof err) == 0 && exists(path),
	       "1,048,575 rows and the header fit a sheet (%s)", err);
	unlink(path);
	snprintf(path, sizeof path, "%s/over.xlsx", dir);
	int rc = write_rows(path, 1048576, err, sizeof err);
	TAP_OK(rc == -1 && !exists(path), "one row more is an error and leaves no file");
	char want[256];
	snprintf(want, sizeof want, "%s: more than 1048575 rows: an Excel sheet holds no more (write CSV instead)",
		 path);
	TAP_STREQ(err, want, "the message names the file and the limit");
}

static void
long_cell(void)
{
	char path[128], err[512] = "";
	size_t n = 32768;
	char *big = malloc(n);

	memset(big, 'a', n);
	snprintf(path, sizeof path, "%s/long.xlsx", dir);
	mp_xlsx *x = mp_xlsx_open(path, 1, err, sizeof err);
	mp_xlsx_sheet *s = mp_xlsx_sheet_add(x, "t");
	mp_xlsx_field(s, "note", 4);
	mp_xlsx_end(s);
	mp_xlsx_field(s, big, n);
	mp_xlsx_end(s);
	TAP_OK(mp_xlsx_close(x, err, sizeof err) == -1 && !exists(path), "a 32,768-character cell is an error");
	char want[256];
	snprintf(want, sizeof want, "%s: row 2, column 1: a value of 32768 characters; an Excel cell holds at most 32767",
		 path);
	TAP_STREQ(err, want, "the message names the row, the column and the limit");
	free(big);
}

static void
no_temp_left(void)
{
	char path[128], err[512];

	snprintf(path, sizeof path, "%s/gone.xlsx", dir);
	mp_xlsx *x = mp_xlsx_open(path, 1, err, sizeof err);
	mp_xlsx_discard(x);
	char cmd[256];
	snprintf(cmd, sizeof cmd, "test -z \"$(ls -A %s)\"", dir);
	TAP_OK(system(cmd) == 0, "a discarded workbook leaves nothing in its folder");
}

int
main(void)
{
	if (!mkdtemp(dir))
		return 1;
	row_limit();
	long_cell();
	no_temp_left();
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	(void)system(cmd);
	return tap_done();
}
