/* mp-repeat: children with N or more episodes starting within a span of days, a month or a week. */
#include "cli.h"
#include "episode.h"
#include "err.h"
#include "feed.h"
#include "input.h"
#include "mptime.h"
#include "repeat.h"
#include "rowname.h"
#include "writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_MIN = MP_OPT_CMD,
	OPT_WINDOW,
	OPT_AS_OF,
	OPT_PER,
	OPT_TYPE,
};

static const struct option long_options[] = {
	MP_IO_LONGOPTS,
	MP_XLSX_LONGOPT,
	{ "min", required_argument, NULL, OPT_MIN },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ "as-of", required_argument, NULL, OPT_AS_OF },
	{ "per", required_argument, NULL, OPT_PER },
	{ "type", required_argument, NULL, OPT_TYPE },
	{ NULL, 0, NULL, 0 }
};

static void
usage(void)
{
	printf("Usage: mp-repeat [OPTION]... [FILE]...\n"
	       "List children with at least N episodes starting within DAYS consecutive\n"
	       "calendar days (UK local start dates), or within a calendar month or ISO week.\n"
	       "\n"
	       "      --min N           at least N episodes (default 3)\n"
	       "      --window DAYS     a span of DAYS calendar days (default 90)\n"
	       "      --as-of DATETIME  only the span of DAYS days ending at DATETIME (or now)\n"
	       "      --per month|week  one row per child and calendar month or ISO week\n"
	       "      --type TYPE       count only episodes of TYPE: missing, away, absent\n"
	       "                        (repeatable; comma lists allowed; default all)\n"
	       MP_XLSX_HELP
	       MP_IO_HELP
	       "\n"
	       "With no FILE, or when FILE is -, read standard input.\n"
	       "Exit status: 0 success (listed or not), 1 a row was rejected or data could not\n"
	       "be read, 2 usage error.\n");
}


static const char *const type_names[] = { "missing", "away", "absent" };

struct dup {
	uint16_t kfile, dfile;
	uint32_t kline, dline;
};

struct run {
	char **files;		/* names of the inputs, by file index */
	size_t nfiles;
	struct dup *dups;
	size_t ndups, cdups;
};

static void
on_dup(void *ctx, const mp_rep_ep *kept, const mp_rep_ep *dropped)
{
	struct run *run = ctx;

	if (run->ndups == run->cdups) {
		run->cdups = run->cdups ? 2 * run->cdups : 64;
		run->dups = mp_xrealloc(run->dups, run->cdups * sizeof *run->dups);
	}
	run->dups[run->ndups++] = (struct dup){ kept->file, dropped->file, kept->line, dropped->line };
}

static int
dup_cmp(const void *pa, const void *pb)
{
	const struct dup *a = pa, *b = pb;

	if (a->dfile != b->dfile)
		return a->dfile < b->dfile ? -1 : 1;
	return a->dline < b->dline ? -1 : a->dline > b->dline;
}

/* Parse a --type argument (a comma list) into the mask. */
static void
parse_types(unsigned *mask, char *arg)
{
	char *save = NULL;
	int any = 0;

	for (char *t = strtok_r(arg, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		int k;
		for (k = 0; k < 3; k++)
			if (strcmp(t, type_names[k]) == 0)
				break;
		if (k == 3)
			mp_usage_error("--type: unknown type '%s' (missing, away or absent)", t);
		*mask |= 1u << k;
		any = 1;
	}
	if (!any)
		mp_usage_error("--type: no type given (missing, away or absent)");
}

/* The counted types, as "missing, away". */
static void
types_text(char *buf, size_t sz, unsigned mask)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int k = 0; k < 3; k++)
		if (mask & (1u << k))
			n += (size_t)snprintf(buf + n, sz - n, "%s%s", n ? ", " : "", type_names[k]);
}

static void
write_start(mp_writer *w, const mp_rep_ep *e)
{
	char buf[40];
	size_t n = mp_time_format_as_given(buf, e->utc, e->day, e->has_time);

	mp_writer_field(w, buf, n);
}

static void
write_date(mp_writer *w, int64_t day)
{
	char buf[40];
	size_t n = mp_date_format(buf, day);

	mp_writer_field(w, buf, n);
}

/* The ids of e[0..n) joined by ';'. */
static void
write_ids(mp_writer *w, const mp_repeat *st, const mp_rep_ep *e, size_t n, char **buf, size_t *cap)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		const char *id = mp_repeat_str(st, e[i].idoff);
		size_t il = strlen(id);
		if (len + il + 2 > *cap) {
			*cap = (len + il + 2) * 2;
			*buf = mp_xrealloc(*buf, *cap);
		}
		if (i)
			(*buf)[len++] = ';';
		memcpy(*buf + len, id, il);
		len += il;
	}
	mp_writer_field(w, *buf ? *buf : "", len);
}

static void
write_child(mp_writer *w, const mp_repeat *st, const mp_rep_child *c)
{
	mp_writer_field(w, mp_repeat_str(st, c->idoff), c->idlen);
}

int
main(int argc, char **argv)
{
	mp_io_opts io;
	long min = 3, window = 90;
	int window_set = 0, opt;
	const char *as_of = NULL;
	enum mp_rep_per per = MP_PER_NONE;
	unsigned mask = 0;

	mp_start(argv);
	mp_io_defaults(&io);
	while ((opt = mp_getopt(argc, argv, MP_IO_SHORTOPTS, long_options)) != -1) {
		if (mp_io_option(&io, opt, optarg, usage))
			continue;
		switch (opt) {
		case OPT_MIN:
			min = mp_parse_long("--min", optarg, 1, 1000000);
			break;
		case OPT_WINDOW:
			window = mp_parse_long("--window", optarg, 1, 36525);
			window_set = 1;
			break;
		case OPT_AS_OF:
			as_of = optarg;
			break;
		case OPT_PER:
			if (strcmp(optarg, "month") == 0)
				per = MP_PER_MONTH;
			else if (strcmp(optarg, "week") == 0)
				per = MP_PER_WEEK;
			else
				mp_usage_error("--per: '%s' is not month or week", optarg);
			break;
		case OPT_TYPE:
			parse_types(&mask, optarg);
			break;
		default:
			mp_usage_error("unknown option");
		}
	}
	argc -= optind;
	argv += optind;
	mp_io_distinct(&io, NULL, NULL, argc, argv);
	if (per != MP_PER_NONE && window_set)
		mp_usage_error("--per and --window cannot be combined (a month or week is the span)");
	if (per != MP_PER_NONE && as_of)
		mp_usage_error("--per and --as-of cannot be combined");
	if (argc > 65535)
		mp_usage_error("too many input files (at most 65535)");
	if (!mask)
		mask = 7;
	mp_io_ready(&io);

	/* --as-of: the span is [as_of_day - window + 1, as_of_day], up to the instant. */
	int64_t as_of_utc = 0, as_of_day = 0, from_day = 0;
	if (as_of) {
		mp_time t;
		const char *why;
		if (strcmp(as_of, "now") == 0) {
			if (mp_now_parse(NULL, &as_of_utc, &why) != 0)
				mp_usage_error("--as-of: %s", why);
			mp_utc_to_local(as_of_utc, &t);
			as_of_day = t.day;
		} else {
			if (mp_time_parse(as_of, strlen(as_of), &t, &why) != 0)
				mp_usage_error("--as-of: '%s': %s", as_of, why);
			as_of_utc = t.utc;
			as_of_day = t.day;
			if (t.has_offset) {
				mp_time l;
				mp_utc_to_local(t.utc, &l);
				as_of_day = l.day;
			}
			if (!t.has_time) {
				/* A date alone: the whole of that day. */
				int64_t next;
				int off, y, m, d;
				mp_civil_from_days(as_of_day + 1, &y, &m, &d);
				mp_local_to_utc(y, m, d, 0, 0, 0, &next, &off);
				as_of_utc = next - 1;
			}
		}
		from_day = as_of_day - window + 1;
	}

	mp_input *in = mp_input_open(argc, argv, io.in_fmt, io.enc);
	mp_colmap cols;
	mp_colmap_bind(&cols, mp_input_header(in));
	static const int required[] = { MP_COL_EPISODE_ID, MP_COL_CHILD_ID, MP_COL_TYPE, MP_COL_START, -1 };
	mp_colmap_require(&cols, mp_input_name(in), required);

	struct run run = { 0 };
	mp_repeat *st = mp_repeat_new();
	mp_feed *feed = mp_feed_open(in, 1);	/* parse ahead on a second thread */
	mp_feed_row *row;
	const char *file = NULL;
	unsigned fileno = 0;
	long counted = 0, other_type = 0, outside = 0, rejected = 0;

	while (mp_feed_next(feed, &row)) {
		const mp_record *rec = &row->rec;
		if (!file || strcmp(row->file, file) != 0) {
			file = row->file;
			fileno = run.nfiles;
			run.files = mp_xrealloc(run.files, (run.nfiles + 1) * sizeof *run.files);
			run.files[run.nfiles++] = mp_xstrdup(file);
		}
		if (row->st == MP_READ_BAD) {
			mp_data_msg(file, row->bad_line, row->bad_field, "%s", row->bad_msg);
			rejected++;
			continue;
		}
		mp_episode ep;
		const char *col;
		char msg[256];
		if (mp_episode_decode(&cols, rec, &ep, &col, msg, sizeof msg)) {
			mp_row_msgc(&cols, rec, file, rec->line, col, "%s", msg);
			rejected++;
			continue;
		}
		mp_time t = ep.start;
		int k = (int)ep.type;
		int64_t day = mp_local_day(&t);	/* written with an offset: its UK date */
		if (as_of && (t.utc > as_of_utc || day < from_day)) {
			outside++;
			continue;
		}
		const char *vs[MP_REP_NVALS];
		size_t vl[MP_REP_NVALS];
		static const enum mp_col vcols[MP_REP_NVALS] = { MP_COL_CARE_STATUS, MP_COL_PLACEMENT, MP_COL_HOTH };
		for (int v = 0; v < MP_REP_NVALS; v++) {
			mp_field f = mp_get(&cols, rec, vcols[v]);
			vs[v] = f.s, vl[v] = f.len;
		}
		uint32_t line = rec->line > UINT32_MAX ? UINT32_MAX : (uint32_t)rec->line;
		uint32_t c = mp_repeat_child(st, ep.child.s, ep.child.len);
		mp_repeat_seen(st, c, t.utc, fileno, line, vs, vl);
		if (!(mask & (1u << k))) {
			other_type++;
			continue;
		}
		mp_repeat_add(st, c, ep.id.s, ep.id.len, k, t.utc, (int32_t)day, t.has_time, fileno, line);
		counted++;
	}
	mp_feed_close(feed);
	long read = mp_input_count(in);

	size_t ndup = mp_repeat_finish(st, on_dup, &run);
	counted -= (long)ndup;
	if (run.ndups) {
		qsort(run.dups, run.ndups, sizeof *run.dups, dup_cmp);
		for (size_t i = 0; i < run.ndups; i++) {
			const struct dup *d = &run.dups[i];
			if (d->kfile == d->dfile)
				mp_data_msg(run.files[d->dfile], d->dline, "start",
					    "warning: duplicate of line %lu (same child_id, type and start): counted once",
					    (unsigned long)d->kline);
			else
				mp_data_msg(run.files[d->dfile], d->dline, "start",
					    "warning: duplicate of %s:%lu (same child_id, type and start): counted once",
					    run.files[d->kfile], (unsigned long)d->kline);
		}
	}

	mp_writer *out = mp_writer_open(io.output, io.out_fmt, io.excel);
	mp_io_sheet(&io, out, "repeat");
	const char *head_window[] = { "child_id", "episodes", "window_start", "window_end", "first_start",
				      "last_start", "episode_ids", "care_status", "placement", "hoth", NULL };
	const char *head_per[] = { "child_id", per == MP_PER_WEEK ? "week" : "month", "episodes", "episode_ids", NULL };
	for (const char **h = per != MP_PER_NONE ? head_per : head_window; *h; h++)
		mp_writer_str(out, *h);
	mp_writer_end(out);

	/* The children listed, then in id order. */
	size_t nkids = mp_repeat_nchildren(st), nlist = 0;
	uint32_t *order = mp_xmalloc((nkids + 1) * sizeof *order);
	for (size_t k = 0; k < nkids; k++) {
		size_t n, first;
		const mp_rep_ep *e = mp_repeat_episodes(st, (uint32_t)k, &n);
		if (n < (size_t)min)
			continue;
		if (per != MP_PER_NONE ? mp_repeat_has_period(per, e, n, (size_t)min)
		    : as_of || mp_repeat_fullest(e, n, (int)window, &first) >= (size_t)min)
			order[nlist++] = (uint32_t)k;
	}
	mp_repeat_sort(st, order, nlist);

	char *idbuf = NULL;
	size_t idcap = 0;
	for (size_t o = 0; o < nlist; o++) {
		const mp_rep_child *c = mp_repeat_get(st, order[o]);
		size_t n, first = 0, cnt;
		const mp_rep_ep *e = mp_repeat_episodes(st, order[o], &n);
		if (per != MP_PER_NONE) {
			for (size_t i = 0, j; i < n; i = j) {
				long key;
				char name[32];
				j = mp_repeat_period_run(per, e, n, i, &key);
				if (j - i >= (size_t)min) {
					write_child(out, st, c);
					mp_writer_field(out, name, mp_repeat_period_name(name, per, key));
					mp_writer_long(out, (long)(j - i));
					write_ids(out, st, e + i, j - i, &idbuf, &idcap);
					mp_writer_end(out);
				}
			}
			continue;
		}
		int64_t wstart, wend;
		if (as_of) {
			cnt = n;
			wstart = from_day;
			wend = as_of_day;
		} else {
			cnt = mp_repeat_fullest(e, n, (int)window, &first);
			wstart = e[first].day;
			wend = wstart + window - 1;
		}
		if (cnt < (size_t)min)
			continue;
		write_child(out, st, c);
		mp_writer_long(out, (long)cnt);
		write_date(out, wstart);
		write_date(out, wend);
		write_start(out, &e[first]);
		write_start(out, &e[first + cnt - 1]);
		write_ids(out, st, e + first, cnt, &idbuf, &idcap);
		for (int i = 0; i < MP_REP_NVALS; i++)
			mp_writer_str(out, mp_repeat_str(st, c->val[i]));
		mp_writer_end(out);
	}
	mp_writer_close(out);
	mp_io_finish(&io);
	free(order);

	char types[64];
	types_text(types, sizeof types, mask);
	if (as_of)
		mp_closing("%ld row{s} read: %ld counted (%s), %ld of other types, %ld outside the window, "
			"%zu duplicate{s}, %ld rejected", read, counted, types, other_type, outside, ndup, rejected);
	else
		mp_closing("%ld row{s} read: %ld counted (%s), %ld of other types, %zu duplicate{s}, %ld rejected",
			read, counted, types, other_type, ndup, rejected);

	free(idbuf);
	for (size_t i = 0; i < run.nfiles; i++)
		free(run.files[i]);
	free(run.files);
	free(run.dups);
	mp_repeat_free(st);
	mp_input_close(in);
	return rejected ? MP_EXIT_DATA : MP_EXIT_OK;
}
