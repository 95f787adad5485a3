/* lineno.h: a file and a line in 32 bits, for stores that keep where each of millions of rows was. */
#ifndef MP_LINENO_H
#define MP_LINENO_H

#include <stddef.h>
#include <stdint.h>

/*
 * Lines are numbered on across the runs of rows from each file: a run
 * starts whenever the file changes, at the largest number given so far, so
 * runs never share a number and a file read twice is two runs.  Within a
 * run, rows must come in order of line.  Past 4 billion lines in all, the
 * number stays at UINT32_MAX (the last run's file, line UINT32_MAX less its
 * start).
 */
typedef struct mp_lineno {
	struct mp_lineno_run {
		uint32_t base;
		int file;
	} *run;
	size_t nrun, caprun;
	uint32_t last;		/* the largest number given */
} mp_lineno;

/* The number of line (1 or more) of file (the caller's index). */
uint32_t mp_lineno_put(mp_lineno *l, long line, int file);
/* The file and line of a number given by mp_lineno_put. */
void mp_lineno_get(const mp_lineno *l, uint32_t w, long *line, int *file);
/* The memory l holds (for the stores' reports of their size). */
size_t mp_lineno_bytes(const mp_lineno *l);
void mp_lineno_free(mp_lineno *l);

#endif
