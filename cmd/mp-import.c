/* mp-import: read a council's export or police notifications through a source map into episodes. */
#include "cli.h"
#include "datefmt.h"
#include "err.h"
#include "import.h"
#include "map.h"
#include "share.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_MAP = MP_OPT_CMD,
	OPT_LIST_MAPS,
	OPT_CHECK,
	OPT_REJECTS,
	OPT_LENIENT,
	OPT_DROP_EXTRA,
	OPT_DATES,
	OPT_DETECT,
};

static const struct option long_options[] = {
	MP_IO_LONGOPTS,
	{ "map", required_argument, NULL, OPT_MAP },
	{ "list-maps", no_argument, NULL, OPT_LIST_MAPS },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "rejects", required_argument, NULL, OPT_REJECTS },
	{ "lenient", no_argument, NULL, OPT_LENIENT },
	{ "drop-extra", no_argument, NULL, OPT_DROP_EXTRA },
	{ "dates", required_argument, NULL, OPT_DATES },
	{ "detect", no_argument, NULL, OPT_DETECT },
	{ "quiet", no_argument, NULL, 'q' },
	{ NULL, 0, NULL, 0 }
};

static void
usage(void)
{
	printf("Usage: mp-import [OPTION]... [FILE]...\n"
	       "       mp-import --list-maps\n"
	       "       mp-import [--map NAME|FILE] --check [FILE]...\n"
	       "Read a council's export, police notifications or the SSDA903 return (CSV, TSV\n"
	       "or 903 XML) through a source map and write the canonical episode stream.\n"
	       "\n"
	       "      --map NAME|FILE   read through the shipped map NAME or the map in FILE\n"
	       "                        (default: recognise the source by its header)\n"
	       "      --list-maps       list the shipped maps and exit\n"
	       "      --check           report which source columns feed which canonical ones,\n"
	       "                        and which are left over; import nothing\n"
	       "      --dates ORDER     numeric dates are dmy (default), mdy or ymd\n"
	       "      --detect          read a tab-separated or Windows-1252 file as such\n"
	       "                        (without it, such a file is refused with one message)\n"
	       "      --rejects FILE    write every rejected row, with its reason, to FILE as CSV\n"
	       "                        (and every value --lenient left empty)\n"
	       "      --lenient         import an unreadable dob, sex, ethnicity... as empty,\n"
	       "                        with a warning (never start, end, rhi_held, type or ids)\n"
	       "      --drop-extra      leave out the source columns the map does not use\n"
	       "  -q, --quiet           no per-row messages on stderr (the count line stays)\n"
	       MP_IO_HELP
	       "\n"
	       "With no FILE, or when FILE is -, read standard input.\n"
	       "Exit status: 0 every row imported, 1 a row was rejected or data could not be read,\n"
	       "2 usage error.\n");
}

static void
list_maps(void)
{
	size_t n;

	if (!mp_share_dir())
		exit(MP_EXIT_DATA);	/* said */
	char **names = mp_map_names(&n);
	for (size_t i = 0; i < n; i++) {
		mp_map *m = mp_map_open(names[i]);
		if (!m)
			exit(MP_EXIT_DATA);
		printf("%s\t%s\n", names[i], mp_map_desc(m));
		mp_map_free(m);
	}
	mp_map_names_free(names, n);
	if (fflush(stdout) != 0)
		mp_die(MP_EXIT_DATA, "write error:");
}

int
main(int argc, char **argv)
{
	mp_io_opts io;
	mp_import_opts o = { .dates = -1 };
	int opt;

	mp_start(argv);
	mp_io_defaults(&io);
	while ((opt = mp_getopt(argc, argv, MP_IO_SHORTOPTS "q", long_options)) != -1) {
		if (mp_io_option(&io, opt, optarg, usage))
			continue;
		switch (opt) {
		case OPT_MAP: o.map = optarg; break;
		case OPT_LIST_MAPS:
			list_maps();
			return MP_EXIT_OK;
		case OPT_CHECK: o.check = 1; break;
		case OPT_REJECTS: o.rejects = optarg; break;
		case OPT_LENIENT: o.lenient = 1; break;
		case OPT_DROP_EXTRA: o.drop_extra = 1; break;
		case OPT_DETECT: o.detect = 1; break;
		case OPT_DATES:
			if ((o.dates = mp_date_order_parse(optarg)) < 0)
				mp_usage_error("--dates: '%s': expected dmy, mdy or ymd", optarg);
			break;
		case 'q': o.quiet = 1; break;
		default:
			mp_usage_error("unknown option");
		}
	}
	argc -= optind;
	argv += optind;
	mp_io_distinct(&io, o.rejects, NULL, argc, argv);
	mp_io_ready(&io);
	if (!mp_share_dir())
		return MP_EXIT_DATA;	/* the shipped maps are there (said) */
	if (o.map && !strchr(o.map, '/') && !strstr(o.map, ".map")) {
		mp_map *m = mp_map_open(o.map);
		if (!m)
			mp_usage_error("--map: unknown map '%s' (see --list-maps)", o.map);
		mp_map_free(m);
	}

	char *stdin_only[] = { "-", NULL };
	mp_import *im = mp_import_open(&o, &io, argc ? argv : stdin_only, argc ? argc : 1);
	if (!im)
		return MP_EXIT_DATA;
	if (o.check) {
		if (mp_import_check(im) != 0) {
			mp_import_abandon(im);
			return MP_EXIT_DATA;
		}
		return mp_import_close(im);
	}
	if (mp_import_rows(im) != 0) {
		mp_import_abandon(im);
		return MP_EXIT_DATA;
	}
	return mp_import_close(im);
}
