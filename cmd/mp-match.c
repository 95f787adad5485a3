/* mp-match: case-system episodes reconciled with police notifications; blanks filled from a roster. */
#include "cli.h"
#include "err.h"
#include "match.h"
#include "roster.h"
#include "writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_TOLERANCE = MP_OPT_CMD,
	OPT_ONLY,
	OPT_CONFLICTS,
	OPT_ROSTER,
	OPT_ROSTER_MAP,
};

static const struct option long_options[] = {
	MP_IO_LONGOPTS,
	MP_XLSX_LONGOPT,
	{ "tolerance", required_argument, NULL, OPT_TOLERANCE },
	{ "only", required_argument, NULL, OPT_ONLY },
	{ "conflicts", required_argument, NULL, OPT_CONFLICTS },
	{ "roster", required_argument, NULL, OPT_ROSTER },
	{ "roster-map", required_argument, NULL, OPT_ROSTER_MAP },
	{ NULL, 0, NULL, 0 }
};

/* Exit status when some police episodes have no case record (as the alert commands' "listed"). */
#define EXIT_POLICE_ONLY 3

static void
usage(void)
{
	printf("Usage: mp-match [OPTION]... CASE [POLICE]\n"
	       "Reconcile the case system's episodes (CASE) with the police notifications'\n"
	       "(POLICE, default standard input): one canonical stream in which every episode\n"
	       "appears once, with a column match: both, case_only or police_only.\n"
	       "\n"
	       "      --tolerance HOURS  pair by child when the starts are at most HOURS apart\n"
	       "                         (default 12)\n"
	       "      --only CLASS       write only episodes of CLASS: both, case_only,\n"
	       "                         police_only (repeatable; comma lists allowed)\n"
	       "      --conflicts FILE   list the values where a pair disagrees (the case wins)\n"
	       "      --roster FILE      fill blank child fields from the council's list of children\n"
	       "      --roster-map MAP   read the roster through MAP (a name or a file; default\n"
	       "                         canonical)\n"
	       MP_XLSX_HELP
	       MP_IO_HELP
	       "\n"
	       "Pairs: the same police_ref first, then the same child_id with starts within the\n"
	       "tolerance, nearest first; each record is used once.  CASE or POLICE may be -\n"
	       "(standard input), not both.\n"
	       "Exit status: 0 every police episode has a case record, 3 some are police_only,\n"
	       "1 a row was rejected or an input could not be read, 2 usage error.\n");
}

/* Parse an --only argument (a comma list) into the mask. */
static void
parse_only(unsigned *mask, char *arg)
{
	char *save = NULL;
	int any = 0;

	for (char *t = strtok_r(arg, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		int k;
		for (k = 0; k < MP_MATCH_NCLASSES; k++)
			if (strcmp(t, mp_match_class_names[k]) == 0)
				break;
		if (k == MP_MATCH_NCLASSES)
			mp_usage_error("--only: unknown class '%s' (both, case_only or police_only)", t);
		*mask |= 1u << k;
		any = 1;
	}
	if (!any)
		mp_usage_error("--only: no class given (both, case_only or police_only)");
}

static void
note_unrostered(void *ctx, mp_field id, mp_field child, mp_field ref)
{
	(void)ctx;
	mp_warn("note: police_only episode %s (child_id %s, police_ref %s): the child is not on the roster; "
		"its fields stay blank", mp_show(id.s, id.len), child.len ? mp_show(child.s, child.len) : "empty",
		ref.len ? mp_show(ref.s, ref.len) : "empty");
}

/* "both N, case_only N" for the classes in mask, appended at buf + o. */
static size_t
list_classes(char *buf, size_t o, size_t sz, const mp_match_counts *c, unsigned mask)
{
	const char *sep = "";

	for (int k = 0; k < MP_MATCH_NCLASSES; k++)
		if (mask & 1u << k) {
			o += (size_t)snprintf(buf + o, sz - o, "%s%s %ld", sep, mp_match_class_names[k], c->n[k]);
			sep = ", ";
		}
	return o;
}

/* The closing count line; with --only, what it left out. */
static void
closing_line(const mp_match_counts *c, unsigned only)
{
	unsigned all = (1u << MP_MATCH_NCLASSES) - 1, kept = only ? only : all;
	char buf[512];
	size_t o = (size_t)snprintf(buf, sizeof buf, "read case %ld, police %ld; written ", c->read[0], c->read[1]);

	o = list_classes(buf, o, sizeof buf, c, kept);
	if (kept != all) {
		o += (size_t)snprintf(buf + o, sizeof buf - o, "; left out by --only: ");
		o = list_classes(buf, o, sizeof buf, c, all & ~kept);
	}
	if (c->rejected[0] || c->rejected[1])
		snprintf(buf + o, sizeof buf - o, "; rejected case %ld, police %ld", c->rejected[0], c->rejected[1]);
	mp_warn("%s", buf);
}

struct opts {
	mp_io_opts io;
	long tolerance;
	unsigned only;
	const char *conflicts, *roster_path, *roster_map;
	const char *case_path, *police_path;
};

/* The command line into o; usage errors exit 2. */
static void
parse_options(int argc, char **argv, struct opts *o)
{
	int opt;

	mp_io_defaults(&o->io);
	o->tolerance = 12;
	while ((opt = mp_getopt(argc, argv, MP_IO_SHORTOPTS, long_options)) != -1) {
		if (mp_io_option(&o->io, opt, optarg, usage))
			continue;
		switch (opt) {
		case OPT_TOLERANCE: o->tolerance = mp_parse_long("--tolerance", optarg, 0, 8784); break;
		case OPT_ONLY: parse_only(&o->only, optarg); break;
		case OPT_CONFLICTS: o->conflicts = optarg; break;
		case OPT_ROSTER: o->roster_path = optarg; break;
		case OPT_ROSTER_MAP: o->roster_map = optarg; break;
		default: mp_usage_error("unknown option");
		}
	}
	argc -= optind;
	argv += optind;
	mp_io_distinct(&o->io, o->conflicts, o->roster_path, argc, argv);
	if (argc < 1 || argc > 2)
		mp_usage_error(argc < 1 ? "no CASE file given" : "too many files (CASE and POLICE at most)");
	o->case_path = argv[0];
	o->police_path = argc > 1 ? argv[1] : "-";
	if (strcmp(o->case_path, "-") == 0 && strcmp(o->police_path, "-") == 0)
		mp_usage_error("CASE and POLICE cannot both be standard input");
	if (o->roster_map && !o->roster_path)
		mp_usage_error("--roster-map needs --roster");
	mp_io_ready(&o->io);
}

/* The --roster file, or NULL without one; exits 1 when it cannot be read. */
static mp_roster *
load_roster(const struct opts *o, long *read, long *rejected)
{
	int unknown = 0;
	mp_roster *roster;

	*read = *rejected = 0;
	if (!o->roster_path)
		return NULL;
	roster = mp_roster_load(o->roster_path, o->roster_map, o->io.in_fmt, o->io.enc, read, rejected, &unknown);
	if (!roster && unknown)
		mp_usage_error("--roster-map: unknown roster map '%s'", o->roster_map);
	if (!roster)
		exit(MP_EXIT_DATA);
	return roster;
}

/* The matched stream, and the --conflicts file, with their --xlsx sheets. */
static void
write_matches(mp_match *m, struct opts *o, mp_roster *roster)
{
	mp_match_out out = { .only = o->only, .roster = roster, .unrostered = note_unrostered };

	out.out = mp_writer_open(o->io.output, o->io.out_fmt, o->io.excel);
	mp_io_sheet(&o->io, out.out, "episodes");
	if (o->conflicts) {
		out.conflicts = mp_writer_open(o->conflicts, o->io.out_fmt, o->io.excel);
		mp_io_sheet(&o->io, out.conflicts, "conflicts");
	}
	mp_match_write(m, &out);
	if (out.conflicts)
		mp_writer_close(out.conflicts);
	mp_writer_close(out.out);
	mp_io_finish(&o->io);
}

int
main(int argc, char **argv)
{
	struct opts o = { 0 };
	long roster_read, roster_rejected;

	mp_start(argv);
	parse_options(argc, argv, &o);
	mp_roster *roster = load_roster(&o, &roster_read, &roster_rejected);
	mp_match *m = mp_match_new();
	if (mp_match_read(m, MP_SIDE_CASE, o.case_path, o.io.in_fmt, o.io.enc) != 0 ||
	    mp_match_read(m, MP_SIDE_POLICE, o.police_path, o.io.in_fmt, o.io.enc) != 0) {
		mp_match_free(m);
		mp_roster_free(roster);
		return MP_EXIT_DATA;
	}
	mp_match_pair(m, (int64_t)o.tolerance * 3600);
	write_matches(m, &o, roster);

	mp_match_counts c;
	mp_match_counts_get(m, &c);
	if (c.off_roster)
		mp_warn("note: %ld episode%s of children on the roster started outside every period of their rows: "
			"not filled", c.off_roster, c.off_roster == 1 ? "" : "s");
	if (roster_rejected)
		mp_warn("roster: %ld rows read, %ld rejected", roster_read, roster_rejected);
	closing_line(&c, o.only);
	mp_match_free(m);
	mp_roster_free(roster);
	if (c.rejected[0] || c.rejected[1] || roster_rejected)
		return MP_EXIT_DATA;
	return c.n[MP_MATCH_POLICE_ONLY] ? EXIT_POLICE_ONLY : MP_EXIT_OK;
}
