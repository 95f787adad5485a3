/* mp-pseudo: replace identifying columns with keyed pseudonyms and degrade the rest for sharing. */
#include "cli.h"
#include "err.h"
#include "input.h"
#include "mptime.h"
#include "pseudo.h"
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

/* A column named on the command line, and whether the header has it. */
struct name {
	char *col;
	const char *kind;	/* domain of a pseudonym (--columns) */
	int seen;
};

struct names {
	struct name *v;
	size_t n;
};

enum act { KEEP, DROP, EXTRA, PSEUDO, DOB, EPISODE };

struct col {
	enum act act;
	const char *domain;
};

enum dob_mode { DOB_KEEP, DOB_MONTH, DOB_YEAR };

/* Add the comma-separated columns of arg to list; with kinds, COL=KIND is allowed. */
static void
add_names(struct names *list, const char *opt, char *arg, int kinds)
{
	char *save = NULL;

	if (!*arg)
		mp_usage_error("%s: no column named", opt);
	for (char *p = arg;; p = NULL) {
		char *col = strtok_r(p, ",", &save);
		if (!col)
			break;
		char *eq = kinds ? strchr(col, '=') : NULL;
		if (eq && (eq == col || !eq[1]))
			mp_usage_error("%s: '%s' needs a column name and a kind (COL=KIND)", opt, col);
		if (eq)
			*eq++ = '\0';
		list->v = mp_xrealloc(list->v, (list->n + 1) * sizeof *list->v);
		list->v[list->n++] = (struct name){ col, eq ? eq : col, 0 };
	}
}

/* The entry for col in list, or NULL. */
static struct name *
find(struct names *list, const char *col)
{
	for (size_t i = 0; i < list->n; i++)
		if (strcmp(list->v[i].col, col) == 0)
			return &list->v[i];
	return NULL;
}

/* Usage error when an option's argument has an empty item (strtok would skip it). */
static void
no_empty_items(const char *opt, const char *arg)
{
	size_t n = strlen(arg);

	if (n && (arg[0] == ',' || arg[n - 1] == ',' || strstr(arg, ",,")))
		mp_usage_error("%s: empty column name in '%s'", opt, arg);
}

/* Report a named column the header lacks; returns 1 when one was missing. */
static int
check_seen(struct names *list, const char *opt, const char *file, long line)
{
	int missing = 0;

	for (size_t i = 0; i < list->n; i++)
		if (!list->v[i].seen) {
			mp_data_msg(file, line, list->v[i].col, "not in the header (named by %s)", opt);
			missing = 1;
		}
	return missing;
}

/*
 * Whether an episode id has the form mp-import gives the ids it derives
 * from the child id and start (sources without ids, such as the 903):
 * SOURCE-HHHHHHHHHHHHHHHH, SOURCE being 1 to 40 of [a-z0-9_] and H
 * lowercase hex.  Kept, such an id would let anyone test a guess of the
 * child id by hashing it with the start.
 */
static int
import_derived(const mp_field *f)
{
	size_t n = f->len;

	if (n < 18 || n > 57 || f->s[n - 17] != '-')
		return 0;
	for (size_t i = n - 16; i < n; i++)
		if (!strchr("0123456789abcdef", f->s[i]) || !f->s[i])
			return 0;
	for (size_t i = 0; i < n - 17; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789_", f->s[i]) || !f->s[i])
			return 0;
	return 1;
}

/*
 * Degrade a date of birth to YYYY-MM-01 (month) or YYYY-01-01 (year) in out
 * (16 bytes; NULL only checks).  A date that does not parse is reported
 * as file:line: col: message and 1 returned.
 */
static int
degrade_dob(const mp_field *f, enum dob_mode mode, char *out, const char *file, long line, const char *col)
{
	const char *why;
	mp_time t;

	if (mp_date_parse(f->s, f->len, &t, &why)) {
		mp_data_msg(file, line, col, "'%s': %s", mp_show(f->s, f->len), why);
		return 1;
	}
	if (out)
		snprintf(out, 16, "%04d-%02d-01", t.y, mode == DOB_MONTH ? t.mo : 1);
	return 0;
}

int
main(int argc, char **argv)
{
	mp_io_opts io;
	const char *key_path = NULL, *schema_path = NULL;
	struct names pseudo = { 0 }, drop = { 0 }, keep = { 0 };
	enum dob_mode dob = DOB_KEEP;
	int derive = -1, quiet = 0, opt, defaults;	/* derive: -1 unless given */
	char msg[512];

	mp_start(argv);
	mp_io_defaults(&io);
	while ((opt = mp_getopt(argc, argv, MP_IO_SHORTOPTS "q", long_options)) != -1) {
		if (mp_io_option(&io, opt, optarg, usage))
			continue;
		switch (opt) {
		case OPT_KEY_FILE:
			if (!*optarg)
				mp_usage_error("--key-file needs a file name");
			key_path = optarg;
			break;
		case OPT_COLUMNS:
			no_empty_items("--columns", optarg);
			add_names(&pseudo, "--columns", optarg, 1);
			break;
		case OPT_DROP:
			no_empty_items("--drop", optarg);
			add_names(&drop, "--drop", optarg, 0);
			break;
		case OPT_KEEP_EXTRA:
			no_empty_items("--keep-extra", optarg);
			add_names(&keep, "--keep-extra", optarg, 0);
			break;
		case OPT_DOB:
			if (strcmp(optarg, "month") == 0)
				dob = DOB_MONTH;
			else if (strcmp(optarg, "year") == 0)
				dob = DOB_YEAR;
			else
				mp_usage_error("--dob: '%s' is not month or year", optarg);
			break;
		case OPT_EPISODE_ID:
			if (strcmp(optarg, "derive") == 0)
				derive = 1;
			else if (strcmp(optarg, "keep") == 0)
				derive = 0;
			else
				mp_usage_error("--episode-id: '%s' is not derive or keep", optarg);
			break;
		case OPT_SCHEMA: schema_path = optarg; break;
		case 'q': quiet = 1; break;
		default:
			mp_usage_error("unknown option");
		}
	}
	argc -= optind;
	argv += optind;
	mp_io_distinct(&io, NULL, key_path, argc, argv);
	mp_io_ready(&io);
	if (!key_path)
		mp_usage_error("--key-file is required (the key is never taken from the command line)");

	defaults = pseudo.n == 0;
	if (defaults) {
		static char c1[] = "child_id", c2[] = "police_ref";
		pseudo.v = mp_xcalloc(2, sizeof *pseudo.v);
		pseudo.v[0] = (struct name){ c1, c1, 0 };
		pseudo.v[1] = (struct name){ c2, c2, 0 };
		pseudo.n = 2;
	}
	for (size_t i = 0; i < drop.n; i++) {
		const char *c = drop.v[i].col;
		if (find(&pseudo, c) && !defaults)
			mp_usage_error("%s is named by both --columns and --drop", c);
		if (dob != DOB_KEEP && strcmp(c, "dob") == 0)
			mp_usage_error("dob is named by --drop; --dob would degrade it");
		if (derive == 1 && strcmp(c, "episode_id") == 0)
			mp_usage_error("episode_id is named by --drop; --episode-id derive would replace it");
		if (find(&keep, c))
			mp_usage_error("%s is named by both --keep-extra and --drop", c);
	}
	if (dob != DOB_KEEP && find(&pseudo, "dob"))
		mp_usage_error("dob is named by --columns; --dob would degrade it");
	if (derive == 1 && find(&pseudo, "episode_id"))
		mp_usage_error("episode_id is named by --columns; --episode-id derive already replaces it");

	mp_pseudo *ps = mp_pseudo_load(key_path, msg, sizeof msg);
	if (!ps)
		mp_die(MP_EXIT_DATA, "%s", msg);
	mp_schema *schema = schema_path ? mp_schema_load(schema_path) : mp_schema_default();
	if (!schema) {
		mp_pseudo_free(ps);
		return MP_EXIT_DATA;
	}

	mp_input *in = mp_input_open(argc, argv, io.in_fmt, io.enc);
	const char *file = mp_input_name(in);
	const mp_record *hdr = mp_input_header(in);
	struct col *cols = mp_xcalloc(hdr->n, sizeof *cols);
	int has_dob = 0, has_episode = 0, npseudo = 0;
	size_t nextra = 0;
	for (size_t i = 0; i < hdr->n; i++) {
		const char *h = hdr->f[i].s;
		struct name *nm;
		if ((nm = find(&drop, h))) {
			nm->seen = 1;
			cols[i].act = DROP;
		} else if ((nm = find(&pseudo, h))) {
			nm->seen = 1;
			cols[i] = (struct col){ PSEUDO, nm->kind };
			npseudo++;
		} else if (derive == 1 && strcmp(h, "episode_id") == 0) {
			cols[i] = (struct col){ PSEUDO, "episode_id" };
			has_episode = 1;
		} else if (derive == -1 && strcmp(h, "episode_id") == 0) {
			cols[i] = (struct col){ EPISODE, "episode_id" };
		} else if (dob != DOB_KEEP && strcmp(h, "dob") == 0) {
			cols[i].act = DOB;
			has_dob = 1;
		} else if (mp_schema_find(schema, h) < 0 && !find(&keep, h)) {
			cols[i].act = EXTRA;
			nextra++;
		}
		if ((nm = find(&keep, h)))
			nm->seen = 1;
	}
	int bad = check_seen(&drop, "--drop", file, hdr->line) | check_seen(&keep, "--keep-extra", file, hdr->line);
	if (!defaults)
		bad |= check_seen(&pseudo, "--columns", file, hdr->line);
	else if (npseudo == 0) {
		mp_data_msg(file, hdr->line, NULL, "neither child_id nor police_ref is in the header;"
			    " name the columns to pseudonymise with --columns");
		bad = 1;
	}
	if (dob != DOB_KEEP && !has_dob) {
		mp_data_msg(file, hdr->line, "dob", "not in the header (needed by --dob)");
		bad = 1;
	}
	if (derive == 1 && !has_episode) {
		mp_data_msg(file, hdr->line, "episode_id", "not in the header (needed by --episode-id derive)");
		bad = 1;
	}
	long written = 0, rejected = 0, replaced = 0;
	int status = MP_EXIT_DATA;
	if (bad)
		goto done;
	if (nextra && !quiet) {
		char *list = NULL;
		for (size_t i = 0; i < hdr->n; i++)
			if (cols[i].act == EXTRA)
				mp_show_append(&list, hdr->f[i].s, hdr->f[i].len);
		mp_warn("note: %zu column%s not in the schema left out: %s (keep with --keep-extra)",
			nextra, nextra == 1 ? "" : "s", list);
		free(list);
	}

	mp_writer *out = mp_writer_open(io.output, io.out_fmt, io.excel);
	for (size_t i = 0; i < hdr->n; i++)
		if (cols[i].act != DROP && cols[i].act != EXTRA)
			mp_writer_field(out, hdr->f[i].s, hdr->f[i].len);
	mp_writer_end(out);

	mp_record *rec;
	int st;
	while ((st = mp_input_next(in, &rec)) != MP_READ_EOF) {
		file = mp_input_name(in);
		if (st == MP_READ_BAD) {
			mp_reader *r = mp_input_reader(in);
			mp_data_msg(file, mp_reader_bad_line(r), mp_reader_bad_field(r), "%s", mp_reader_bad_msg(r));
			rejected++;
			continue;
		}
		/* Degrade the date of birth first: a row that cannot be degraded is not written at all. */
		int baddob = 0;
		for (size_t i = 0; i < rec->n && !baddob; i++)
			if (cols[i].act == DOB && rec->f[i].len > 0)
				baddob = degrade_dob(&rec->f[i], dob, NULL, file, rec->line, hdr->f[i].s);
		if (baddob) {
			rejected++;
			continue;
		}
		for (size_t i = 0; i < rec->n; i++) {
			const mp_field *f = &rec->f[i];
			char pn[MP_PSEUDO_LEN + 1];
			switch (cols[i].act) {
			case DROP:
			case EXTRA:
				break;
			case PSEUDO:
				if (f->len == 0) {
					mp_writer_field(out, "", 0);
					break;
				}
				mp_pseudo_make(ps, cols[i].domain, f->s, f->len, pn);
				mp_writer_field(out, pn, MP_PSEUDO_LEN);
				break;
			case DOB:
				if (f->len == 0) {
					mp_writer_field(out, "", 0);
				} else {
					char d[16];
					degrade_dob(f, dob, d, file, rec->line, hdr->f[i].s);
					mp_writer_str(out, d);
				}
				break;
			case EPISODE:
				if (!import_derived(f)) {
					mp_writer_field(out, f->s, f->len);
					break;
				}
				mp_pseudo_make(ps, cols[i].domain, f->s, f->len, pn);
				mp_writer_field(out, pn, MP_PSEUDO_LEN);
				replaced++;
				break;
			case KEEP:
				mp_writer_field(out, f->s, f->len);
				break;
			}
		}
		mp_writer_end(out);
		written++;
	}
	long read = mp_input_count(in);
	mp_writer_close(out);
	if (replaced && !quiet)
		mp_warn("note: %ld episode id%s made by mp-import from the child id replaced by pseudonyms"
			" (--episode-id keep keeps them)", replaced, replaced == 1 ? "" : "s");
	if (rejected)
		mp_closing("%ld row{s} read, %ld written, %ld rejected", read, written, rejected);
	status = rejected ? MP_EXIT_DATA : MP_EXIT_OK;
done:
	mp_pseudo_free(ps);
	mp_input_close(in);
	mp_schema_free(schema);
	free(cols);
	free(pseudo.v);
	free(drop.v);
	free(keep.v);
	return status;
}
