/* cli.h: the options every command shares, and checked number parsing. */
#ifndef MP_CLI_H
#define MP_CLI_H

#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include "reader.h"
#include "whose.h"

/* Long-only options shared by all commands; a command numbers its own from MP_OPT_CMD. */
enum {
	MP_OPT_TSV_IN = CHAR_MAX + 1,
	MP_OPT_TSV_OUT,
	MP_OPT_EXCEL,
	MP_OPT_TZ,
	MP_OPT_XLSX,
	MP_OPT_CMD = CHAR_MAX + 32
};

typedef struct mp_io_opts {
	enum mp_format in_fmt, out_fmt;
	enum mp_encoding enc;
	const char *output;	/* NULL: stdout */
	int excel;
	const char *tz;
	const char *xlsx;	/* --xlsx FILE, for commands that offer it */
	struct mp_xlsx *book;	/* open from mp_io_ready to mp_io_finish */
} mp_io_opts;

#define MP_IO_SHORTOPTS "te:o:hV"
#define MP_IO_LONGOPTS \
	{ "tsv", no_argument, NULL, 't' }, \
	{ "tsv-in", no_argument, NULL, MP_OPT_TSV_IN }, \
	{ "tsv-out", no_argument, NULL, MP_OPT_TSV_OUT }, \
	{ "encoding", required_argument, NULL, 'e' }, \
	{ "output", required_argument, NULL, 'o' }, \
	{ "excel", no_argument, NULL, MP_OPT_EXCEL }, \
	{ "tz", required_argument, NULL, MP_OPT_TZ }, \
	{ "help", no_argument, NULL, 'h' }, \
	{ "version", no_argument, NULL, 'V' }

/* --xlsx FILE: a command that writes rows offers it by adding these to its table and help. */
#define MP_XLSX_LONGOPT { "xlsx", required_argument, NULL, MP_OPT_XLSX }
#define MP_XLSX_HELP \
"      --xlsx FILE       also write the rows to FILE as an Excel workbook\n"

/* The help lines for the shared options, for each command's usage(). */
#define MP_IO_HELP \
"  -t, --tsv             read and write TSV instead of CSV\n" \
"      --tsv-in          read TSV; --tsv-out writes TSV\n" \
"  -e, --encoding ENC    input encoding: utf-8 (default) or cp1252\n" \
"  -o, --output FILE     write to FILE (replaced only when the run succeeds)\n" \
"      --excel           CSV for Excel: byte-order mark, CRLF, formulas defused\n" \
"      --tz ZONE         local time zone (default Europe/London)\n" \
"  -h, --help            show this help and exit\n" \
"  -V, --version         show the version and exit\n"

/*
 * What every main does first: descriptors 0-2 made sure to be open (to
 * /dev/null when closed, so a later open cannot become stdout or stderr),
 * and the program name set from argv[0] (mp_set_program), and the policy
 * on an output's failure: stop with status 1 once the writer has said it
 * (quietly for a closed pipe), the temp files removed.
 */
void mp_start(char **argv);
/* 0-2 open: 0 write-only, 1 and 2 read-only on /dev/null when closed, so using them fails
 * loudly rather than a later file taking their place (gnulib's stdopen).  -1 on failure. */
int mp_std_fds(void);

/*
 * getopt_long with the one option-error policy: an unknown option, an
 * option missing its value or a value given to an option that takes none
 * is a usage error with one line ("unknown option '--x'"), exit 2.
 */
int mp_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts);

void mp_io_defaults(mp_io_opts *o);
/* Handle a shared option; returns 1 when opt was one, 0 otherwise. help() is called for -h. */
int mp_io_option(mp_io_opts *o, int opt, const char *arg, void (*help)(void));
/* After option parsing: set up the time zone (usage error if unknown) and the --xlsx workbook. */
void mp_io_ready(mp_io_opts *o);
/* --xlsx: rows written through w from now on also go to a sheet called name. */
struct mp_writer;
struct mp_xlsx_sheet;
void mp_io_sheet(mp_io_opts *o, struct mp_writer *w, const char *name);
/* --xlsx: a new sheet to attach later with mp_writer_sheet (NULL without --xlsx). */
struct mp_xlsx_sheet *mp_io_new_sheet(mp_io_opts *o, const char *name);
/* Write the --xlsx workbook (after every writer is closed); exits 1 when it cannot be. */
void mp_io_finish(mp_io_opts *o);

/*
 * Do paths a and b name one file: the same device and inode, or, for a
 * file not there yet, the same folder and name?  Devices, pipes and "-"
 * are never the same (writing /dev/null twice is fine).
 */
int mp_same_file(const char *a, const char *b);
/*
 * Before any output is opened: a usage error when two outputs (-o, and
 * extra_out such as --rejects; NULL for none) name one file, or an output
 * names an input (the operands argv[0..argc), and extra_in; NULL for none).
 */
void mp_io_distinct(const mp_io_opts *o, const char *extra_out, const char *extra_in, int argc,
		    char *const *argv);

void mp_print_version(void) __attribute__((noreturn));

/* A date option (YYYY-MM-DD or DD/MM/YYYY) as a local day number, or a usage error quoting it. */
int64_t mp_parse_day(const char *name, const char *arg);

/* A whole number in [min, max] for option name, or a usage error quoting it. */
long mp_parse_long(const char *name, const char *arg, long min, long max);

/*
 * The options several commands share, parsed here so that only this layer
 * exits: the value, or a usage error (exit 2) quoting it.  --now (mptime.h's
 * forms); --children own|placed-here|all and --la CODE (whose.h);
 * --rhi-types missing,away,absent (bits 1 << enum mp_ep_type, episode.h).
 */
int64_t mp_now_option(const char *arg);
enum mp_children mp_children_option(const char *arg);
const char *mp_la_option(const char *arg);
unsigned mp_rhi_types_option(const char *arg);

#endif
