/* mp-annex-a: Ofsted's Annex A List 8 with its four missing columns filled from the episodes. */
#include "alert.h"
#include "annexa.h"
#include "cli.h"
#include "episode.h"
#include "err.h"
#include "input.h"
#include "reader.h"
#include "sniff.h"
#include "writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_EPISODES = MP_OPT_CMD,
	OPT_AS_OF,
	OPT_ID_COLUMN,
};

static const struct option long_options[] = {
	MP_IO_LONGOPTS,
	{ "episodes", required_argument, NULL, OPT_EPISODES },
	{ "as-of", required_argument, NULL, OPT_AS_OF },
	{ "id-column", required_argument, NULL, OPT_ID_COLUMN },
	{ NULL, 0, NULL, 0 }
};

static void
usage(void)
{
	printf("Usage: mp-annex-a --episodes FILE --as-of DATE [OPTION]... [LIST8]\n"
	       "Fill the four missing columns of Ofsted's Annex A List 8 (one row per\n"
	       "looked-after child) from the episodes: 'Missing' and 'Absent' episodes in the\n"
	       "12 months to DATE, and the return interview after the last missing one.\n"
	       "\n"
	       "      --episodes FILE   the canonical episodes (mp-import, mp-validate)\n"
	       "      --as-of DATE      the last day of the 12 months (YYYY-MM-DD or DD/MM/YYYY)\n"
	       "      --id-column NAME  the list's child column (default: the first whose name\n"
	       "                        matches /child.*id/i)\n"
	       MP_IO_HELP
	       "\n"
	       "-e and --tsv-in apply to the list; --tsv-in also to the episodes.  The list\n"
	       "is written back in its own encoding, byte-order mark and line ends.\n"
	       "With no LIST8, or when LIST8 is -, read standard input.\n"
	       "Exit status: 0 the list was filled, 1 a row could not be used or data could\n"
	       "not be read or written, 2 usage error.\n");
}

struct run {
	mp_annexa *a;
	const mp_colmap *cm;
	long rejected;
};

static void
each_episode(void *ctx, const char *file, const mp_record *rec)
{
	struct run *run = ctx;
	const char *field;
	char msg[256];

	if (mp_annexa_episode(run->a, run->cm, rec, &field, msg, sizeof msg)) {
		mp_data_msg(file, rec->line, field, "%s", msg);
		run->rejected++;
	}
}

/* Count the episodes; returns how many rows could not be used. */
static long
read_episodes(mp_annexa *a, const char *path, const mp_io_opts *io)
{
	static const int required[] = { MP_COL_CHILD_ID, MP_COL_TYPE, MP_COL_START, -1 };
	char *files[] = { (char *)path };
	mp_input *in = mp_input_open(1, files, io->in_fmt, MP_UTF8);
	mp_colmap cm;

	if (!in)
		exit(MP_EXIT_DATA);	/* said */

	mp_colmap_bind(&cm, mp_input_header(in));
	if (mp_colmap_require(&cm, mp_input_name(in), required) != 0)
		exit(MP_EXIT_DATA);	/* said */
	struct run run = { a, &cm, 0 };
	long bad = mp_alert_each(in, each_episode, &run);
	if (bad < 0)
		exit(MP_EXIT_DATA);	/* said */
	run.rejected += bad;
	mp_input_close(in);
	return run.rejected;
}

/* Where the names in a message come from. */
struct names {
	const char *episodes, *list;
};

static void
unlisted(void *ctx, mp_field child, long missing, long absent, long line)
{
	const struct names *n = ctx;

	mp_data_msg(n->episodes, line, "child_id",
		    "'%s' is looked after and has episodes in the 12 months (%ld missing, %ld absent) but is not on the list (%s)",
		    mp_show(child.s, child.len), missing, absent, n->list);
}

/* Write the list back with the four columns, counting the rows that could not be used. */
struct list_counts {
	long read, ragged, no_id;
};

static void
fill_list(mp_annexa *a, const char *path, const char *id_name, const mp_io_opts *io, struct list_counts *lc)
{
	mp_form form = { 0, 0 };
	int fd = mp_sniff_open(path, &form), idx[MP_ANNEXA_NCOLS], idcol, st;
	mp_record *rec;

	if (fd < 0)
		mp_die(MP_EXIT_DATA, "%s:", path);
	mp_reader *r = mp_reader_open_fd(fd, path && strcmp(path, "-") ? path : "stdin", io->in_fmt, io->enc);
	const mp_record *hdr = mp_reader_header(r);
	if (!hdr) {
		mp_data_msg(mp_reader_name(r), 0, NULL, "no header: %s",
			    mp_reader_bad_msg(r) && *mp_reader_bad_msg(r) ? mp_reader_bad_msg(r) : "the input is empty");
		exit(MP_EXIT_DATA);
	}
	if ((idcol = mp_annexa_id_column(hdr, id_name)) < 0) {
		if (id_name)
			mp_data_msg(mp_reader_name(r), 1, id_name, "no such column in the list's header");
		else
			mp_data_msg(mp_reader_name(r), 1, NULL,
				    "no column of the header matches /child.*id/i: name it with --id-column");
		exit(MP_EXIT_DATA);
	}
	char *id_col = mp_xstrdup(hdr->f[idcol].s);	/* the header record is reused by the reader */
	mp_annexa_find_columns(hdr, idx);
	mp_writer *w = mp_writer_open(io->output, io->out_fmt, io->excel);
	mp_writer_form(w, form.crlf, form.bom, io->enc);
	mp_annexa_write_header(w, hdr, idx);
	while ((st = mp_reader_next(r, &rec)) != MP_READ_EOF) {
		if (st == MP_READ_BAD) {
			mp_data_msg(mp_reader_name(r), mp_reader_bad_line(r), mp_reader_bad_field(r), "%s",
				    mp_reader_bad_msg(r));
			lc->ragged++;
		} else if (mp_annexa_write_row(a, w, rec, idcol, idx)) {
			mp_data_msg(mp_reader_name(r), rec->line, id_col,
				    "no child id: the four columns are left blank");
			lc->no_id++;
		}
	}
	mp_writer_close(w);
	lc->read = mp_reader_count(r);
	mp_reader_close(r);
	free(id_col);
}

int
main(int argc, char **argv)
{
	const char *episodes = NULL, *as_of = NULL, *id_name = NULL;
	mp_io_opts io;
	int opt;

	mp_start(argv);
	mp_io_defaults(&io);
	while ((opt = mp_getopt(argc, argv, MP_IO_SHORTOPTS, long_options)) != -1) {
		if (mp_io_option(&io, opt, optarg, usage))
			continue;
		switch (opt) {
		case OPT_EPISODES: episodes = optarg; break;
		case OPT_AS_OF: as_of = optarg; break;
		case OPT_ID_COLUMN: id_name = optarg; break;
		default:
			mp_usage_error("unknown option");
		}
	}
	argc -= optind;
	argv += optind;
	if (!episodes)
		mp_usage_error("--episodes FILE is required");
	if (!as_of)
		mp_usage_error("--as-of DATE is required");
	if (argc > 1)
		mp_usage_error("one list at most (got %d)", argc);
	mp_io_distinct(&io, NULL, episodes, argc, argv);
	mp_io_ready(&io);

	mp_annexa *a = mp_annexa_new(mp_parse_day("--as-of", as_of));
	long ep_bad = read_episodes(a, episodes, &io);
	const char *list = argc ? argv[0] : "-";
	struct list_counts lc = { 0, 0, 0 };
	fill_list(a, list, id_name, &io, &lc);
	struct names names = { strcmp(episodes, "-") ? episodes : "stdin", strcmp(list, "-") ? list : "stdin" };
	long missing = mp_annexa_unlisted(a, unlisted, &names);
	int bad = ep_bad || lc.ragged || lc.no_id;
	if (bad)
		mp_closing("%ld list row{s} read, %ld written, %ld rejected, %ld without a child id; "
			   "%ld episode row{s} rejected; looked after and not on the list: %ld",
			lc.read, lc.read - lc.ragged, lc.ragged, lc.no_id, ep_bad, missing);
	mp_annexa_free(a);
	return bad ? MP_EXIT_DATA : MP_EXIT_OK;
}
