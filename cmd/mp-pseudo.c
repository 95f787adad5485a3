/* mp-pseudo: replace identifying columns with keyed pseudonyms and degrade the rest for sharing. */
#include "alert.h"
#include "cli.h"
#include "err.h"
#include "input.h"
#include "pseudo.h"
#include "pseudocols.h"
#include "schema.h"
#include "writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_KEY_FILE = MP_OPT_CMD,
	OPT_COLUMNS,
	OPT_DOB,
	OPT_DROP,
	OPT_EPISODE_ID,
	OPT_KEEP_EXTRA,
	OPT_SCHEMA,
};

static const struct option long_options[] = {
	MP_IO_LONGOPTS,
	{ "key-file", required_argument, NULL, OPT_KEY_FILE },
	{ "columns", required_argument, NULL, OPT_COLUMNS },
	{ "dob", required_argument, NULL, OPT_DOB },
	{ "drop", required_argument, NULL, OPT_DROP },
	{ "episode-id", required_argument, NULL, OPT_EPISODE_ID },
	{ "keep-extra", required_argument, NULL, OPT_KEEP_EXTRA },
	{ "schema", required_argument, NULL, OPT_SCHEMA },
	{ "quiet", no_argument, NULL, 'q' },
	{ NULL, 0, NULL, 0 }
};

static void
usage(void)
{
	printf("Usage: mp-pseudo --key-file FILE [OPTION]... [FILE]...\n"
	       "Replace identifying columns with keyed pseudonyms (HMAC-SHA-256, 16 base32\n"
	       "characters) and degrade quasi-identifiers, for extracts that leave the team.\n"
	       "\n"
	       "      --key-file FILE   the secret key: at least 32 bytes, not readable by\n"
	       "                        group or others (required)\n"
	       "      --columns COL[=KIND][,...]\n"
	       "                        columns to pseudonymise (default child_id,police_ref);\n"
	       "                        KIND names the domain when it differs from COL\n"
	       "      --dob month|year  degrade dob to the first of its month, or of its year\n"
	       "      --drop COL[,...]  leave out these columns (free text, names, addresses)\n"
	       "      --episode-id derive|keep\n"
	       "                        replace episode_id with a pseudonym of it, or keep it\n"
	       "                        (default: keep, except ids that mp-import derived\n"
	       "                        from the child id)\n"
	       "      --keep-extra COL[,...]\n"
	       "                        keep these columns that the schema does not define\n"
	       "                        (others are left out)\n"
	       "      --schema FILE     the columns a stream defines (default: episode.schema)\n"
	       "  -q, --quiet           no notes on stderr (extra columns, episode ids replaced)\n"
	       MP_IO_HELP
	       "\n"
	       "With no FILE, or when FILE is -, read standard input.\n"
	       "Exit status: 0 all rows written, 1 a row was rejected or the key or data\n"
	       "could not be used, 2 usage error.\n");
}

/* The options: a usage error, or the choices in pc; returns the key file. */
static const char *
options(int argc, char **argv, mp_io_opts *io, mp_pcols *pc, const char **schema_path, int *quiet)
{
	static const enum mp_pcols_list lists[] = {
		[OPT_COLUMNS - MP_OPT_CMD] = MP_PCOLS_COLUMNS, [OPT_DROP - MP_OPT_CMD] = MP_PCOLS_DROP,
		[OPT_KEEP_EXTRA - MP_OPT_CMD] = MP_PCOLS_KEEP_EXTRA,
	};
	const char *key_path = NULL;
	char msg[512];
	int opt;

	while ((opt = mp_getopt(argc, argv, MP_IO_SHORTOPTS "q", long_options)) != -1) {
		if (mp_io_option(io, opt, optarg, usage))
			continue;
		switch (opt) {
		case OPT_KEY_FILE:
			if (!*optarg)
				mp_usage_error("--key-file needs a file name");
			key_path = optarg;
			break;
		case OPT_COLUMNS:
		case OPT_DROP:
		case OPT_KEEP_EXTRA:
			if (mp_pcols_add(pc, lists[opt - MP_OPT_CMD], optarg, msg, sizeof msg) != 0)
				mp_usage_error("%s", msg);
			break;
		case OPT_DOB:
			if (strcmp(optarg, "month") != 0 && strcmp(optarg, "year") != 0)
				mp_usage_error("--dob: '%s' is not month or year", optarg);
			mp_pcols_dob(pc, optarg[0] == 'm' ? MP_DOB_MONTH : MP_DOB_YEAR);
			break;
		case OPT_EPISODE_ID:
			if (strcmp(optarg, "derive") != 0 && strcmp(optarg, "keep") != 0)
				mp_usage_error("--episode-id: '%s' is not derive or keep", optarg);
			mp_pcols_episode(pc, optarg[0] == 'd');
			break;
		case OPT_SCHEMA: *schema_path = optarg; break;
		case 'q': *quiet = 1; break;
		default:
			mp_usage_error("unknown option");
		}
	}
	mp_io_distinct(io, NULL, key_path, argc - optind, argv + optind);
	mp_io_ready(io);
	if (!key_path)
		mp_usage_error("--key-file is required (the key is never taken from the command line)");
	if (mp_pcols_ready(pc, msg, sizeof msg) != 0)
		mp_usage_error("%s", msg);
	return key_path;
}

/* What rows hands each usable record to, and its tally. */
struct plan_run {
	mp_pcols *pc;
	const mp_pseudo *ps;
	mp_writer *out;
	long written, rejected;
};

static void
plan_record(void *arg, const char *file, const mp_record *rec)
{
	struct plan_run *r = arg;

	if (mp_pcols_row(r->pc, r->ps, rec, file, r->out) != 0)
		r->rejected++;
	else
		r->written++;
}

/* Every row through the plan; the rows rejected. */
static long
rows(mp_input *in, mp_pcols *pc, const mp_pseudo *ps, mp_writer *out, long *written)
{
	struct plan_run r = { pc, ps, out, 0, 0 };
	long bad = mp_alert_each(in, plan_record, &r);

	if (bad < 0)
		exit(MP_EXIT_DATA);	/* a later file could not be read (said) */
	*written = r.written;
	return r.rejected + bad;
}

int
main(int argc, char **argv)
{
	mp_io_opts io;
	const char *schema_path = NULL;
	int quiet = 0, status = MP_EXIT_DATA;
	char msg[512];

	mp_start(argv);
	mp_io_defaults(&io);
	mp_pcols *pc = mp_pcols_new();
	const char *key_path = options(argc, argv, &io, pc, &schema_path, &quiet);
	argc -= optind;
	argv += optind;

	mp_pseudo *ps = mp_pseudo_load(key_path, msg, sizeof msg);
	if (!ps)
		mp_die(MP_EXIT_DATA, "%s", msg);
	mp_schema *schema = schema_path ? mp_schema_load(schema_path) : mp_schema_default();
	if (!schema) {
		mp_pseudo_free(ps);
		return MP_EXIT_DATA;
	}
	mp_input *in = mp_input_open(argc, argv, io.in_fmt, io.enc);
	if (!in) {
		mp_schema_free(schema);
		mp_pseudo_free(ps);
		mp_pcols_free(pc);
		return MP_EXIT_DATA;
	}
	size_t nextra;
	char *extra = NULL;
	if (mp_pcols_bind(pc, schema, mp_input_header(in), mp_input_name(in), &nextra, &extra) == 0) {
		if (nextra && !quiet)
			mp_warn("note: %zu column%s not in the schema left out: %s (keep with --keep-extra)",
				nextra, nextra == 1 ? "" : "s", extra);
		mp_writer *out = mp_writer_open(io.output, io.out_fmt, io.excel);
		mp_pcols_header(pc, out);
		long written = 0, rejected = rows(in, pc, ps, out, &written), replaced = mp_pcols_replaced(pc);
		mp_writer_close(out);
		if (replaced && !quiet)
			mp_warn("note: %ld episode id%s made by mp-import from the child id replaced by pseudonyms"
				" (--episode-id keep keeps them)", replaced, replaced == 1 ? "" : "s");
		if (rejected)
			mp_closing("%ld row{s} read, %ld written, %ld rejected", mp_input_count(in), written, rejected);
		status = rejected ? MP_EXIT_DATA : MP_EXIT_OK;
	}
	free(extra);
	mp_pseudo_free(ps);
	mp_input_close(in);
	mp_schema_free(schema);
	mp_pcols_free(pc);
	return status;
}
