/* cli.c: shared option handling so every command behaves the same. */
#include "cli.h"
#include "err.h"
#include "mptime.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifndef MP_VERSION
#define MP_VERSION "0.0.0"
#endif

void
mp_io_defaults(mp_io_opts *o)
{
	memset(o, 0, sizeof *o);
	o->in_fmt = o->out_fmt = MP_CSV;
	o->enc = MP_UTF8;
}

void
mp_print_version(void)
{
	printf("%s (mptools) %s\n", mp_progname(), MP_VERSION);
	if (fflush(stdout) != 0 || ferror(stdout))
		mp_die(MP_EXIT_DATA, "write error:");
	exit(MP_EXIT_OK);
}

int
mp_io_option(mp_io_opts *o, int opt, const char *arg, void (*help)(void))
{
	switch (opt) {
	case 't':
		o->in_fmt = o->out_fmt = MP_TSV;
		return 1;
	case MP_OPT_TSV_IN:
		o->in_fmt = MP_TSV;
		return 1;
	case MP_OPT_TSV_OUT:
		o->out_fmt = MP_TSV;
		return 1;
	case 'e':
		if (strcasecmp(arg, "utf-8") == 0 || strcasecmp(arg, "utf8") == 0)
			o->enc = MP_UTF8;
		else if (strcasecmp(arg, "cp1252") == 0 || strcasecmp(arg, "windows-1252") == 0)
			o->enc = MP_CP1252;
		else
			mp_usage_error("unknown encoding '%s' (utf-8 or cp1252)", arg);
		return 1;
	case 'o':
		if (!*arg)
			mp_usage_error("--output needs a file name");
		o->output = arg;
		return 1;
	case MP_OPT_EXCEL:
		o->excel = 1;
		return 1;
	case MP_OPT_TZ:
		o->tz = arg;
		return 1;
	case 'h':
		help();
		if (fflush(stdout) != 0 || ferror(stdout))
			mp_die(MP_EXIT_DATA, "write error:");
		exit(MP_EXIT_OK);
	case 'V':
		mp_print_version();
	}
	return 0;
}

void
mp_io_ready(mp_io_opts *o)
{
	if (mp_tz_init(o->tz) != 0)
		mp_usage_error("unknown time zone '%s'", o->tz ? o->tz : getenv("MPTOOLS_TZ"));
	if (o->excel && o->out_fmt == MP_TSV)
		mp_usage_error("--excel applies to CSV output, not TSV");
}

long
mp_parse_long(const char *name, const char *arg, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (end == arg || *end || errno == ERANGE)
		mp_usage_error("%s: '%s' is not a whole number", name, arg);
	if (v < min || v > max)
		mp_usage_error("%s: '%s' is out of range (%ld to %ld)", name, arg, min, max);
	return v;
}

int64_t
mp_parse_day(const char *name, const char *arg)
{
	mp_time t;
	const char *why;

	if (mp_date_parse(arg, strlen(arg), &t, &why))
		mp_usage_error("%s: '%s': %s", name, arg, why);
	return t.day;
}
