/* cli.c: shared option handling so every command behaves the same. */
#include "cli.h"
#include "err.h"
#include "mptime.h"
#include "episode.h"
#include "tmpguard.h"
#include "writer.h"
#include "xlsx.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

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
	case MP_OPT_XLSX:
		if (!*arg)
			mp_usage_error("--xlsx needs a file name");
		o->xlsx = arg;
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
	const char *asked = o->tz && *o->tz ? o->tz : getenv("MPTOOLS_TZ");

	if (mp_tz_init(o->tz) != 0) {
		if (asked && *asked)
			mp_usage_error("unknown time zone '%s'", asked);
		/* Not the user's option: the machine lacks the zone every time here is in. */
		mp_die(MP_EXIT_USAGE, "time zone '%s' is not installed on this machine (Debian: apt-get install tzdata)",
		       "Europe/London");
	}
	if (o->excel && o->out_fmt == MP_TSV)
		mp_usage_error("--excel applies to CSV output, not TSV");
	if (o->xlsx) {
		char err[512];
		if (!(o->book = mp_xlsx_open(o->xlsx, 1, err, sizeof err)))
			mp_die(MP_EXIT_DATA, "%s", err);
	}
}

struct mp_xlsx_sheet *
mp_io_new_sheet(mp_io_opts *o, const char *name)
{
	return o->book ? mp_xlsx_sheet_add(o->book, name) : NULL;
}

void
mp_io_sheet(mp_io_opts *o, struct mp_writer *w, const char *name)
{
	mp_writer_sheet(w, mp_io_new_sheet(o, name));
}

void
mp_io_finish(mp_io_opts *o)
{
	char err[512];

	if (!o->book)
		return;
	mp_xlsx *book = o->book;
	o->book = NULL;
	if (mp_xlsx_close(book, err, sizeof err) != 0)
		mp_die(MP_EXIT_DATA, "%s", err);
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

int
mp_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		/* The wrong direction on purpose: reading stdin or writing stdout then fails with EBADF. */
		int n = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
		if (n < 0)
			return -1;
		if (n != fd) {
			/* A lower descriptor was free too: it is filled on the next turn; keep this one at fd. */
			if (dup2(n, fd) < 0)
				return -1;
			close(n);
		}
	}
	return 0;
}

/*
 * A command stops at its output's first failure (the writer has said it):
 * status 1, the temp files removed; a closed pipe (mp-x | head -1) quietly.
 */
static void
stop_on_write_failure(int quiet)
{
	if (quiet) {
		mp_tmp_remove_all();
		_exit(MP_EXIT_DATA);
	}
	exit(MP_EXIT_DATA);
}

void
mp_start(char **argv)
{
	mp_set_program(argv);
	if (mp_std_fds() != 0)
		_exit(MP_EXIT_DATA);	/* no /dev/null: nowhere safe to say so */
	mp_writer_on_failure(stop_on_write_failure);
}

/* The option argv[optind - 1] as typed, without any "=value". */
static const char *
long_name(const char *arg, char *buf, size_t bufsz)
{
	size_t n = strcspn(arg, "=");

	snprintf(buf, bufsz, "%.*s", (int)(n < bufsz ? n : bufsz - 1), arg);
	return buf;
}

/*
 * MPTOOLS_OPTION_TABLE set: print the option table ("--name<TAB>N", N 0 for
 * no value, 1 for a value; "-c<TAB>N"), for scripts/gen-completion.
 */
static void
print_option_table(const char *shortopts, const struct option *longopts)
{
	for (const struct option *o = longopts; o->name; o++)
		printf("--%s\t%d\n", o->name, o->has_arg != no_argument);
	for (const char *c = shortopts; *c; c++)
		if (*c != ':')
			printf("-%c\t%d\n", *c, c[1] == ':');
	if (fflush(stdout) != 0)
		exit(MP_EXIT_DATA);
	exit(MP_EXIT_OK);
}

int
mp_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts)
{
	static char quiet[128];
	int before = optind, opt;
	char name[64];

	if (getenv("MPTOOLS_OPTION_TABLE"))
		print_option_table(shortopts, longopts);

	/* A leading ':' makes getopt tell a missing value apart and print nothing itself. */
	snprintf(quiet, sizeof quiet, ":%s", shortopts);
	opterr = 0;
	opt = getopt_long(argc, argv, quiet, longopts, NULL);
	if (opt != '?' && opt != ':')
		return opt;
	const char *arg = optind > before && optind - 1 < argc ? argv[optind - 1] : "";
	int is_long = strncmp(arg, "--", 2) == 0 && arg[2];
	if (opt == ':') {
		if (is_long)
			mp_usage_error("option '%s' needs a value", long_name(arg, name, sizeof name));
		mp_usage_error("option '-%c' needs a value", optopt);
	}
	if (is_long) {
		const char *n = long_name(arg, name, sizeof name);
		size_t len = strlen(n + 2);
		const struct option *match = NULL;
		int nmatch = 0;
		for (const struct option *o = longopts; o->name; o++)
			if (strncmp(o->name, n + 2, len) == 0) {
				nmatch++;
				match = o;
				if (!o->name[len]) {	/* exact: no other candidate counts */
					nmatch = 1;
					break;
				}
			}
		if (nmatch > 1)
			mp_usage_error("option '%s' is ambiguous", mp_show(n, strlen(n)));
		if (nmatch == 1 && match->has_arg == no_argument)
			mp_usage_error("option '--%s' takes no value", match->name);
		mp_usage_error("unknown option '%s'", mp_show(n, strlen(n)));
	}
	if (optopt > ' ' && optopt < 0x7f)
		mp_usage_error("unknown option '-%c'", optopt);
	mp_usage_error("unknown option (byte 0x%02X)", (unsigned char)optopt);
}

/* path as folder (resolved) + "/" + last part, for a file that may not exist yet; NULL if the folder is not there. */
static char *
canonical(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? mp_xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : mp_xstrdup(".");
	char *real = realpath(dir, NULL), *out = NULL;
	const char *base = slash ? slash + 1 : path;

	if (real) {
		out = mp_xmalloc(strlen(real) + strlen(base) + 2);
		sprintf(out, "%s/%s", real, base);
	}
	free(real);
	free(dir);
	return out;
}

int
mp_same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	int ea, eb, same = 0;

	if (!a || !b || strcmp(a, "-") == 0 || strcmp(b, "-") == 0)
		return 0;
	ea = stat(a, &sa) == 0;
	eb = stat(b, &sb) == 0;
	if ((ea && !S_ISREG(sa.st_mode)) || (eb && !S_ISREG(sb.st_mode)))
		return 0;
	if (ea && eb)
		return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	if (ea != eb)
		return 0;
	char *ca = canonical(a), *cb = canonical(b);
	same = ca && cb && strcmp(ca, cb) == 0;
	free(ca);
	free(cb);
	return same;
}

void
mp_io_distinct(const mp_io_opts *o, const char *extra_out, const char *extra_in, int argc, char *const *argv)
{
	const char *outs[] = { o->output, extra_out, o->xlsx };
	const size_t nout = sizeof outs / sizeof *outs;

	for (size_t i = 0; i < nout; i++)
		for (size_t k = i + 1; k < nout; k++)
			if (outs[i] && mp_same_file(outs[i], outs[k]))
				mp_usage_error("'%s' is named as two outputs: each needs a file of its own", outs[k]);
	for (size_t i = 0; i < nout; i++) {
		if (!outs[i])
			continue;
		for (int j = 0; j <= argc; j++) {
			const char *in = j < argc ? argv[j] : extra_in;
			if (mp_same_file(outs[i], in))
				mp_usage_error("'%s' is both an input and an output: write to another file", outs[i]);
		}
	}
}

int64_t
mp_now_option(const char *arg)
{
	const char *why;
	int64_t now;

	if (mp_now_parse(arg, &now, &why))
		mp_usage_error("--now: '%s': %s", arg, why);
	return now;
}

enum mp_children
mp_children_option(const char *arg)
{
	int c = mp_children_parse(arg);

	if (c < 0)
		mp_usage_error("--children: '%s': expected own, placed-here or all", arg);
	return (enum mp_children)c;
}

const char *
mp_la_option(const char *arg)
{
	if (!*arg)
		mp_usage_error("--la: an empty council code");
	return arg;
}

unsigned
mp_rhi_types_option(const char *arg)
{
	unsigned types;

	if (mp_ep_types_parse(arg, &types))
		mp_usage_error("--rhi-types: '%s': expected types from missing, away, absent, comma-separated", arg);
	return types;
}
