/* import.h: mp-import's steps: open the sources (sniffed), bind the map, read every row, count. */
#ifndef MP_IMPORT_H
#define MP_IMPORT_H

#include "cli.h"

typedef struct mp_import_opts {
	const char *map;	/* shipped map NAME or a FILE; NULL: recognise the source by its header */
	const char *rejects;	/* --rejects FILE, or NULL */
	int lenient, drop_extra, quiet, detect, check;
	int dates;		/* --dates (mp_date_order), or -1 for the map's order */
} mp_import_opts;

typedef struct mp_import mp_import;

/*
 * Open every file ("-": standard input), sniff it, choose and bind the map.
 * NULL after a message when a file cannot be read as it is (the message
 * names the option to use), no map fits or a required column is missing.
 */
mp_import *mp_import_open(const mp_import_opts *o, const mp_io_opts *io, char **files, int nfiles);

/* --check: the binding of each file, column by column, to standard output; -1 after a write error (said). */
int mp_import_check(mp_import *im);

/* Read every row and write the episodes; 0, or -1 after a message when a file is refused. */
int mp_import_rows(mp_import *im);

/* The outputs closed, the closing count line; frees everything.  Returns the exit status. */
int mp_import_close(mp_import *im);
/* After a refusal: free everything, write no output (an -o file keeps its old content). */
void mp_import_abandon(mp_import *im);

#endif
