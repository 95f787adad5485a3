/* mp-stats: the counts councils report (episodes, children, RHIs, durations), by period and group. */
#include "cli.h"
#include "err.h"
#include "input.h"
#include "rangeread.h"
#include "stats.h"
#include "writer.h"

#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
	OPT_BY = MP_OPT_CMD,
	OPT_GROUP,
	OPT_FROM,
	OPT_TO,
	OPT_WITHIN,
	OPT_REPEAT_MIN,
	OPT_PERCENT,
	OPT_TOTAL,
	OPT_PRETTY,
	OPT_THREADS,
};

static const struct option long_options[] = {
	MP_IO_LONGOPTS,
	{ "by", required_argument, NULL, OPT_BY },
	{ "group", required_argument, NULL, OPT_GROUP },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "within", required_argument, NULL, OPT_WITHIN },
	{ "repeat-min", required_argument, NULL, OPT_REPEAT_MIN },
	{ "percent", no_argument, NULL, OPT_PERCENT },
	{ "total", no_argument, NULL, OPT_TOTAL },
	{ "pretty", no_argument, NULL, OPT_PRETTY },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ NULL, 0, NULL, 0 }
};

static void
usage(void)
{
	printf("Usage: mp-stats [OPTION]... [FILE]...\n"
	       "Count episodes, children, return home interviews and durations of canonical\n"
	       "episode rows, one row per period (and group), in one pass.\n"
	       "\n"
	       "      --by PERIOD       day, week, month (default), quarter, year, fy\n"
	       "                        (April to March) or none (one row)\n"
	       "      --group COLS      also split by these columns (comma-separated; any\n"
	       "                        column, or the derived age_band and duration_band)\n"
	       "      --from DATE       count episodes starting on or after DATE\n"
	       "      --to DATE         count episodes starting on or before DATE\n"
	       "      --within HOURS    an RHI is in time when held within HOURS of the\n"
	       "                        return (default 72)\n"
	       "      --repeat-min N    a repeat child has at least N episodes in the row\n"
	       "                        (default 3)\n"
	       "      --percent         add the percentage columns (*_pct)\n"
	       "      --total           add a total row (period \"total\") per group\n"
	       "      --pretty          print an aligned table for a terminal\n"
	       "      --threads N       read a single regular file in N parts in parallel\n"
	       "                        (default: the number of processors, at most 8, for\n"
	       "                        files of 4 MB or more)\n"
	       MP_IO_HELP
	       "\n"
	       "With no FILE, or when FILE is -, read standard input.\n"
	       "Exit status: 0 every row counted, 1 a row was rejected or data could not be\n"
	       "read, 2 usage error.\n");
}

/* Split --group into cfg->groups, checking the names. */
static void
group_option(mp_stats_config *cfg, char *arg)
{
	char *save = NULL;

	if (!*arg || strstr(arg, ",,") || *arg == ',' || arg[strlen(arg) - 1] == ',')
		mp_usage_error("--group: an empty column name");
	for (char *p = arg;; p = NULL) {
		char *name = strtok_r(p, ",", &save);
		if (!name)
			break;
		for (int g = 0; g < cfg->ngroups; g++)
			if (strcmp(cfg->groups[g], name) == 0)
				mp_usage_error("--group: column '%s' given twice", name);
		if (cfg->ngroups == MP_STATS_MAX_GROUPS)
			mp_usage_error("--group: at most %d columns", MP_STATS_MAX_GROUPS);
		cfg->groups[cfg->ngroups++] = name;
	}
}

struct totals {
	long read, counted, outside, rejected;
};

/*
 * Where messages go: straight to stderr, or (a thread's part of a file)
 * into a temporary file with line numbers relative to the part, printed
 * in file order once every part is known to be right.
 */
struct msgs {
	FILE *tmp;
	int buffered;
};

/* A message, with the kind and lines of a range reader's message that names lines (rangeread.h). */
static void
message(struct msgs *m, const char *file, long line, const char *field, const char *msg, int kind, long x, long y)
{
	if (!m->buffered) {
		mp_data_msg(file, line, field, "%s", msg);
		return;
	}
	if (!m->tmp && !(m->tmp = tmpfile()))
		mp_die(MP_EXIT_DATA, "cannot create a temporary file:");
	size_t fl = field ? strlen(field) + 1 : 0, ml = strlen(msg) + 1;
	fwrite(&line, sizeof line, 1, m->tmp);
	fwrite(&kind, sizeof kind, 1, m->tmp);
	fwrite(&x, sizeof x, 1, m->tmp);
	fwrite(&y, sizeof y, 1, m->tmp);
	fwrite(&fl, sizeof fl, 1, m->tmp);
	if (fl)
		fwrite(field, 1, fl, m->tmp);
	fwrite(&ml, sizeof ml, 1, m->tmp);
	fwrite(msg, 1, ml, m->tmp);
}

/* Print the buffered messages with line numbers from base (the part's first line). */
static void
flush_messages(struct msgs *m, const char *file, long base)
{
	long line, x, y;
	int kind;
	size_t fl, ml;
	char field[4096], msg[4096];

	if (!m->tmp)
		return;
	if (fflush(m->tmp) != 0)
		mp_die(MP_EXIT_DATA, "temporary file:");
	rewind(m->tmp);
	while (fread(&line, sizeof line, 1, m->tmp) == 1 && fread(&kind, sizeof kind, 1, m->tmp) == 1 &&
	       fread(&x, sizeof x, 1, m->tmp) == 1 && fread(&y, sizeof y, 1, m->tmp) == 1 &&
	       fread(&fl, sizeof fl, 1, m->tmp) == 1 && fl <= sizeof field && fread(field, 1, fl, m->tmp) == fl &&
	       fread(&ml, sizeof ml, 1, m->tmp) == 1 && ml <= sizeof msg && fread(msg, 1, ml, m->tmp) == ml) {
		if (kind != MP_RANGE_MSG_PLAIN)
			mp_range_msg_format(kind, base + x - 1, base + y - 1, msg, sizeof msg);
		mp_data_msg(file, base + line - 1, fl ? field : NULL, "%s", msg);
	}
	fclose(m->tmp);
	m->tmp = NULL;
}

/* Count one record (or report it), as both paths do. */
static void
take(mp_stats *st, const char *file, int status, mp_record *rec, const char *bad_field, const char *bad_msg,
     long bad_line, mp_range_reader *rr, struct totals *t, struct msgs *m)
{
	long x = 0, y = 0;
	int kind = MP_RANGE_MSG_PLAIN;

	const char *col = NULL;
	char msg[512];

	t->read++;
	if (status == MP_READ_BAD) {
		t->rejected++;
		if (rr)
			kind = mp_range_bad_kind(rr, &x, &y);
		message(m, file, bad_line, bad_field, bad_msg, kind, x, y);
		return;
	}
	switch (mp_stats_add_record(st, rec, &col, msg, sizeof msg)) {
	case MP_STATS_COUNTED:
		t->counted++;
		break;
	case MP_STATS_OUTSIDE:
		t->outside++;
		break;
	default:
		t->rejected++;
		message(m, file, rec->line, col, msg, MP_RANGE_MSG_PLAIN, 0, 0);
	}
}

/* The single-threaded path: any inputs, pipes, CP1252. */
static void
run_stream(mp_stats *st, int argc, char **argv, const mp_io_opts *io, struct totals *t)
{
	mp_input *in = mp_input_open(argc, argv, io->in_fmt, io->enc);
	struct msgs m = { NULL, 0 };
	char err[256];
	mp_record *rec;
	int s;

	if (mp_stats_bind(st, mp_input_header(in), err, sizeof err)) {
		mp_data_msg(mp_input_name(in), 1, NULL, "%s", err);
		exit(MP_EXIT_DATA);
	}
	while ((s = mp_input_next(in, &rec)) != MP_READ_EOF) {
		mp_reader *r = mp_input_reader(in);
		take(st, mp_input_name(in), s, rec, mp_reader_bad_field(r), mp_reader_bad_msg(r),
		     mp_reader_bad_line(r), NULL, t, &m);
	}
	mp_input_close(in);
}

/* One thread's share of a regular file. */
struct part {
	mp_stats *st;
	int fd;
	const char *name;
	enum mp_format fmt;
	const mp_record *header;
	off_t start, end;
	struct totals t;
	struct msgs m;
	long lines;		/* physical lines in the part */
	int pending;		/* the part ended inside a record: a cut was wrong */
};

static void *
run_part(void *arg)
{
	struct part *p = arg;
	mp_range_reader *r = mp_range_open(p->fd, p->name, p->fmt, p->start, p->end, 1, p->header);
	mp_record *rec;
	int s;

	while ((s = mp_range_next(r, &rec)) != MP_READ_EOF)
		take(p->st, p->name, s, rec, mp_range_bad_field(r), mp_range_bad_msg(r), mp_range_bad_line(r), r,
		     &p->t, &p->m);
	p->pending = mp_range_pending(r);
	p->lines = mp_range_lines(r);
	mp_range_close(r);
	return NULL;
}

/*
 * The parallel path for one regular UTF-8 file: cut it at record
 * boundaries, parse the parts in threads, merge.  Returns 0 when a cut
 * proved wrong (a quoted field across it) or the header is unusual: the
 * caller then reads the file in one thread.
 */
static int
run_parallel(mp_stats *st, const char *path, const mp_io_opts *io, int nthreads, struct totals *t)
{
	mp_reader *hr = mp_reader_open(path, io->in_fmt, io->enc);
	char err[256];

	if (!hr)
		mp_die(MP_EXIT_DATA, "%s:", path);
	const mp_record *h = mp_reader_header(hr);
	if (!h) {
		mp_reader_close(hr);
		return 0;	/* the stream path reports it */
	}
	if (mp_stats_bind(st, h, err, sizeof err)) {
		mp_data_msg(path, 1, NULL, "%s", err);
		exit(MP_EXIT_DATA);
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	off_t data;
	long line;
	if (fd < 0 || fstat(fd, &sb) != 0)
		mp_die(MP_EXIT_DATA, "%s:", path);
	if (mp_range_header_end(fd, io->in_fmt, sb.st_size, &data, &line) != 0) {
		close(fd);
		mp_reader_close(hr);
		return 0;
	}
	off_t starts[65];
	int n = mp_range_split(fd, io->in_fmt, data, sb.st_size, nthreads, h->n, starts);
	struct part *parts = mp_xcalloc((size_t)n, sizeof *parts);
	pthread_t *tid = mp_xcalloc((size_t)n, sizeof *tid);
	int *started = mp_xcalloc((size_t)n, sizeof *started);
	for (int i = 0; i < n; i++)
		parts[i] = (struct part){ .st = i ? mp_stats_fork(st) : st, .fd = fd, .name = path,
					  .fmt = io->in_fmt, .header = h, .start = starts[i], .end = starts[i + 1],
					  .m = { NULL, 1 } };
	for (int i = 1; i < n; i++)
		started[i] = pthread_create(&tid[i], NULL, run_part, &parts[i]) == 0;
	run_part(&parts[0]);
	for (int i = 1; i < n; i++)
		if (started[i])
			pthread_join(tid[i], NULL);
		else
			run_part(&parts[i]);
	int ok = 1;
	for (int i = 0; i < n; i++)
		ok &= !parts[i].pending;
	for (int i = 0; i < n; i++) {
		if (ok) {
			flush_messages(&parts[i].m, path, line);
			line += parts[i].lines;
			t->read += parts[i].t.read;
			t->counted += parts[i].t.counted;
			t->outside += parts[i].t.outside;
			t->rejected += parts[i].t.rejected;
			if (i)
				mp_stats_merge(st, parts[i].st);
		} else {
			if (parts[i].m.tmp)
				fclose(parts[i].m.tmp);
			if (i)
				mp_stats_free(parts[i].st);
		}
	}
	free(parts);
	free(tid);
	free(started);
	close(fd);
	mp_reader_close(hr);
	return ok;
}

int
main(int argc, char **argv)
{
	mp_io_opts io;
	mp_stats_config cfg;
	int opt, percent = 0, pretty = 0, threads = 0, by;
	const char *from_arg = "", *to_arg = "";

	mp_set_program(argv);
#ifdef M_MMAP_THRESHOLD
	/*
	 * The per-period arrays grow by reallocation: as mappings (not heap
	 * blocks) they grow in place with mremap, and capacity not yet used
	 * takes no memory.
	 */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#endif
	mp_io_defaults(&io);
	mp_stats_config_init(&cfg);
	while ((opt = getopt_long(argc, argv, MP_IO_SHORTOPTS, long_options, NULL)) != -1) {
		if (mp_io_option(&io, opt, optarg, usage))
			continue;
		switch (opt) {
		case OPT_BY:
			if ((by = mp_period_parse(optarg)) < 0)
				mp_usage_error("--by: unknown period '%s' (day, week, month, quarter, year, fy or none)",
					       optarg);
			cfg.by = (enum mp_period)by;
			break;
		case OPT_GROUP: group_option(&cfg, optarg); break;
		case OPT_FROM:
			cfg.has_from = 1;
			cfg.from_day = mp_parse_day("--from", optarg);
			from_arg = optarg;
			break;
		case OPT_TO:
			cfg.has_to = 1;
			cfg.to_day = mp_parse_day("--to", optarg);
			to_arg = optarg;
			break;
		case OPT_WITHIN: cfg.within_hours = mp_parse_long("--within", optarg, 1, 8760); break;
		case OPT_REPEAT_MIN: cfg.repeat_min = mp_parse_long("--repeat-min", optarg, 1, 1000000); break;
		case OPT_PERCENT: percent = 1; break;
		case OPT_TOTAL: cfg.total = 1; break;
		case OPT_PRETTY: pretty = 1; break;
		case OPT_THREADS: threads = (int)mp_parse_long("--threads", optarg, 1, 64); break;
		default:
			mp_usage_error("unknown option");
		}
	}
	argc -= optind;
	argv += optind;
	mp_io_ready(&io);
	if (cfg.has_from && cfg.has_to && cfg.from_day > cfg.to_day)
		mp_usage_error("--from %s is after --to %s", from_arg, to_arg);
	if (pretty && io.excel)
		mp_usage_error("--pretty writes a table for a terminal, not CSV for Excel: drop --excel");

	mp_stats *st = mp_stats_new(&cfg);
	struct totals t = { 0, 0, 0, 0 };
	int nthreads = threads ? threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (nthreads < 1)
		nthreads = 1;
	if (!threads && nthreads > 8)
		nthreads = 8;
	struct stat sb;
	int parallel = argc == 1 && strcmp(argv[0], "-") != 0 && io.enc == MP_UTF8 &&
		stat(argv[0], &sb) == 0 && S_ISREG(sb.st_mode) && (threads || sb.st_size >= (off_t)4 << 20);
	if (!parallel || !run_parallel(st, argv[0], &io, nthreads, &t)) {
		if (parallel) {
			mp_stats_free(st);
			st = mp_stats_new(&cfg);
			t = (struct totals){ 0, 0, 0, 0 };
		}
		run_stream(st, argc, argv, &io, &t);
	}
	mp_stats_finish(st, nthreads);

	mp_writer *out = mp_writer_open(io.output, io.out_fmt, io.excel);
	if (pretty)
		mp_stats_write_pretty(st, out, percent);
	else
		mp_stats_write(st, out, percent);
	mp_writer_close(out);
	if (t.rejected)
		mp_warn("%ld rows read, %ld counted, %ld outside the range, %ld rejected", t.read, t.counted,
			t.outside, t.rejected);
	mp_stats_free(st);
	return t.rejected ? MP_EXIT_DATA : MP_EXIT_OK;
}
