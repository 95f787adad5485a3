/* map.c: parse source maps, bind them to a header, read rows into canonical values. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "map.h"
#include "datefmt.h"
#include "schema.h"
#include "err.h"
#include "share.h"

#include <dirent.h>
#include <pcre2.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum mp_read { RD_TEXT, RD_DATETIME, RD_DATE, RD_FLAG, RD_LIST, RD_EXCEL };
static const char *const read_names[] = { "text", "datetime", "date", "flag", "list", "excel-serial" };

#define MAXSET 8

/* A header name to look for: exact, or a PCRE2 pattern over header names. */
typedef struct src {
	char *text;		/* as written in the map */
	char *name;		/* a name (as matching sees it unless exact), or NULL */
	int exact;		/* from-exact: byte for byte, patterns case-sensitive */
	pcre2_code *re;
	pcre2_match_data *md;
} src;

/* value A | B -> X   or   value A -> col=X, col=Y */
typedef struct valrule {
	char **alts;
	size_t *altlen;
	size_t nalts, calts;
	int nset;
	int setcol[MAXSET];	/* -1: the block's own column */
	char *setval[MAXSET];
	size_t setlen[MAXSET];
	int plain;		/* no value needs CSV quoting */
} valrule;

/* One source value of a column's value list, for lookup. */
struct hent {
	const char *s;
	size_t len;
	const struct valrule *r;
};

typedef struct mapcol {
	int col;
	src *from;
	size_t nfrom, cfrom;
	enum mp_read read;
	char sep;
	valrule *vals;
	size_t nvals, cvals;
	char *def;
	struct hent *htab;	/* value lookup, open addressing; s == NULL: free slot */
	size_t hcap;
	int required;
	int stamped;		/* warn when a time carries seconds (a system stamp) */
	long line;
} mapcol;

struct mp_map {
	char *name, *desc, *path;
	src *detect;
	size_t ndetect, cdetect;
	mapcol *cols;
	size_t ncols, ccols;
	char *consts[MP_MAP_NCOLS];
	size_t constlen[MP_MAP_NCOLS];
	mp_field init[MP_MAP_NCOLS];	/* each row starts as the constants */
	int idkeys[MP_MAP_NCOLS];
	size_t nidkeys;
	int pair;		/* canonical column keying the pairing, or -1 */
	char **nulls;		/* words that mean an empty value (the "null" line) */
	size_t *nulllen;
	size_t nnulls, cnulls;
	int order, order_set;	/* numeric date order (mp_date_order); set by a "dates" line or --dates */
	int long_layout;	/* "layout long": record, question and answer columns */
	src lsrc[3];
};

struct mp_binding {
	mp_map *m;
	const char *file;
	char **header;
	size_t nheader;
	int *idx;		/* per map column: header position or -1 */
	int *matched_by;	/* per header position: map column index or -1 */
	size_t *extras;
	size_t nextras;
	char **trimmed;		/* header names as patterns see them (spaces, trailing : or ? gone) */
	char **folded;		/* ... and in lower case, for names */
	char tbuf[MP_MAP_NCOLS][48];
	char slbuf[24];		/* the source line as text */
	char *lbuf[MP_MAP_NCOLS];
	size_t lcap[MP_MAP_NCOLS];
	/* assignments from value rules, applied after every column */
	int pcol[64];
	const char *pval[64];
	size_t plen[64];
	int np;
};

static const char *const extra_names[] = { "@event", "@notified", "@from", "@to" };

static const char *
col_name(int c)
{
	return c < MP_NCOLS ? mp_col_names[c] : extra_names[c - MP_NCOLS];
}

static int
col_lookup(const char *s)
{
	for (int c = 0; c < MP_MAP_NCOLS; c++)
		if (strcmp(col_name(c), s) == 0)
			return c;
	return -1;
}


/* A value as written in a map: "" is the empty string; otherwise as is. */
static char *
map_value(const char *s)
{
	if (strcmp(s, "\"\"") == 0)
		return mp_xstrdup("");
	return mp_xstrdup(s);
}

static char *header_key(const char *h, int fold);

/* Parse NAME or /RE/flags into sp; -1 with *err on a bad pattern. */
static int
src_parse(src *sp, const char *text, int exact, char *err, size_t errsz)
{
	memset(sp, 0, sizeof *sp);
	sp->text = mp_xstrdup(text);
	sp->exact = exact;
	size_t n = strlen(text);
	const char *close = n >= 2 && text[0] == '/' ? strrchr(text, '/') : NULL;
	if (!close || close == text) {
		sp->name = exact ? mp_xstrdup(text) : header_key(text, 1);
		return 0;
	}
	uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | (exact ? 0 : PCRE2_CASELESS);
	for (const char *f = close + 1; *f; f++) {
		if (*f == 'i')
			opts |= PCRE2_CASELESS;
		else if (*f == 'x')
			opts |= PCRE2_EXTENDED;
		else {
			snprintf(err, errsz, "unknown pattern flag '%c' (i and x are known)", *f);
			free(sp->text);
			sp->text = NULL;
			return -1;
		}
	}
	int e;
	PCRE2_SIZE off;
	sp->re = pcre2_compile((PCRE2_SPTR)(text + 1), (PCRE2_SIZE)(close - text - 1), opts, &e, &off, NULL);
	if (!sp->re) {
		PCRE2_UCHAR buf[200];
		pcre2_get_error_message(e, buf, sizeof buf);
		snprintf(err, errsz, "bad pattern %s: %s at offset %zu", text, (char *)buf, (size_t)off);
		free(sp->text);
		sp->text = NULL;
		return -1;
	}
	pcre2_jit_compile(sp->re, PCRE2_JIT_COMPLETE);	/* the interpreter is the fallback */
	sp->md = pcre2_match_data_create_from_pattern(sp->re, NULL);
	return 0;
}

static void
src_free(src *sp)
{
	free(sp->text);
	free(sp->name);
	if (sp->md)
		pcre2_match_data_free(sp->md);
	if (sp->re)
		pcre2_code_free(sp->re);
}

/* Does header name raw (trimmed and folded: as header_key makes them) match sp? */
static int
src_match(const src *sp, const char *raw, const char *trimmed, const char *folded)
{
	if (sp->name)
		return strcmp(sp->name, sp->exact ? raw : folded) == 0;
	const char *h = sp->exact ? raw : trimmed;
	return mp_pattern_match(sp->re, sp->md, h, strlen(h)) > 0;	/* limits as for schema patterns */
}

/* Parse "A | B | C -> RESULT" into r; -1 with err. */
static int
valrule_parse(valrule *r, char *text, char *err, size_t errsz)
{
	char *arrow = strstr(text, "->");

	memset(r, 0, sizeof *r);
	if (!arrow) {
		snprintf(err, errsz, "value needs 'SOURCE -> RESULT'");
		return -1;
	}
	*arrow = '\0';
	char *lhs = mp_trim(text), *rhs = mp_trim(arrow + 2);
	for (char *alt = lhs;;) {
		char *bar = strchr(alt, '|');
		if (bar)
			*bar = '\0';
		size_t cap = r->calts;	/* the same growth for both */
		r->alts = mp_xgrow(r->alts, &r->calts, r->nalts + 1, sizeof *r->alts);
		r->altlen = mp_xgrow(r->altlen, &cap, r->nalts + 1, sizeof *r->altlen);
		r->alts[r->nalts] = map_value(mp_trim(alt));
		r->altlen[r->nalts] = strlen(r->alts[r->nalts]);
		r->nalts++;
		if (!bar)
			break;
		alt = bar + 1;
	}
	if (!strchr(rhs, '=')) {
		r->nset = 1;
		r->setcol[0] = -1;
		r->setval[0] = map_value(rhs);
		r->setlen[0] = strlen(r->setval[0]);
		r->plain = !strpbrk(r->setval[0], ",\"\r\n");
		return 0;
	}
	r->plain = 1;
	for (char *a = rhs;;) {
		char *comma = strchr(a, ',');
		if (comma)
			*comma = '\0';
		char *eq = strchr(a, '=');
		if (!eq) {
			snprintf(err, errsz, "'%s': an assignment is COLUMN=VALUE", mp_trim(a));
			return -1;
		}
		*eq = '\0';
		char *cn = mp_trim(a);
		int c = col_lookup(cn);
		if (c < 0) {
			snprintf(err, errsz, "'%s' is not a canonical column", cn);
			return -1;
		}
		if (r->nset == MAXSET) {
			snprintf(err, errsz, "at most %d assignments in one value rule", MAXSET);
			return -1;
		}
		r->setcol[r->nset] = c;
		r->setval[r->nset] = map_value(mp_trim(eq + 1));
		r->setlen[r->nset] = strlen(r->setval[r->nset]);
		if (strpbrk(r->setval[r->nset], ",\"\r\n"))
			r->plain = 0;
		r->nset++;
		if (!comma)
			break;
		a = comma + 1;
	}
	return 0;
}

static void
valrule_free(valrule *r)
{
	for (size_t i = 0; i < r->nalts; i++)
		free(r->alts[i]);
	free(r->alts);
	free(r->altlen);
	for (int i = 0; i < r->nset; i++)
		free(r->setval[i]);
}

void
mp_map_free(mp_map *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->ndetect; i++)
		src_free(&m->detect[i]);
	free(m->detect);
	for (int i = 0; i < 3; i++)
		src_free(&m->lsrc[i]);
	for (size_t i = 0; i < m->nnulls; i++)
		free(m->nulls[i]);
	free(m->nulls);
	free(m->nulllen);
	for (size_t i = 0; i < m->ncols; i++) {
		mapcol *mc = &m->cols[i];
		for (size_t k = 0; k < mc->nfrom; k++)
			src_free(&mc->from[k]);
		free(mc->from);
		for (size_t k = 0; k < mc->nvals; k++)
			valrule_free(&mc->vals[k]);
		free(mc->vals);
		free(mc->htab);
		free(mc->def);
	}
	free(m->cols);
	for (int c = 0; c < MP_MAP_NCOLS; c++)
		free(m->consts[c]);
	free(m->name);
	free(m->desc);
	free(m->path);
	free(m);
}

static inline int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/*
 * A cheap hash that ignores ASCII case: the length and three bytes (| 0x20).
 * The lookup is its own, not an mp_intern: keys there are exact bytes, so
 * each field would be copied in lower case first, and on mp_intern (even
 * with this hash) mp-import did 7% more instructions.
 */
static inline uint32_t
lhash(const char *s, size_t len)
{
	if (len == 0)
		return 0;
	uint32_t a = (unsigned char)s[0] | 0x20, b = (unsigned char)s[len / 2] | 0x20,
		 c = (unsigned char)s[len - 1] | 0x20;
	return (uint32_t)len * 2654435761u ^ a * 40503u ^ b * 9973u ^ c * 131u;
}

/* Index every value of a column's rules (the first rule naming a value wins). */
static void
build_lookup(mapcol *mc)
{
	size_t n = 0;

	for (size_t i = 0; i < mc->nvals; i++)
		n += mc->vals[i].nalts;
	if (n == 0)
		return;
	mc->hcap = 16;
	while (mc->hcap < 2 * n)
		mc->hcap *= 2;
	mc->htab = mp_xcalloc(mc->hcap, sizeof *mc->htab);
	for (size_t i = 0; i < mc->nvals; i++)
		for (size_t a = 0; a < mc->vals[i].nalts; a++) {
			const char *v = mc->vals[i].alts[a];
			size_t len = mc->vals[i].altlen[a], k;
			for (k = lhash(v, len) & (mc->hcap - 1); mc->htab[k].s; k = (k + 1) & (mc->hcap - 1))
				if (mc->htab[k].len == len && strncasecmp(mc->htab[k].s, v, len) == 0)
					break;
			if (!mc->htab[k].s) {
				mc->htab[k].s = v;
				mc->htab[k].len = len;
				mc->htab[k].r = &mc->vals[i];
			}
		}
}

/* Split "WORD rest" in place. */
static char *
split_word(char *s, char **rest)
{
	char *p = s;

	while (*p && *p != ' ' && *p != '\t')
		p++;
	if (*p) {
		*p++ = '\0';
		*rest = mp_trim(p);
	} else {
		*rest = p;
	}
	return s;
}

/* The read kind a column gets when its block says none. */
static enum mp_read
default_read(int c)
{
	switch (c) {
	case MP_COL_START: case MP_COL_END: case MP_COL_RHI_HELD: case MP_COL_RHI_OFFERED_AT: case MP_MAP_NOTIFIED:
		return RD_DATETIME;
	case MP_COL_DOB: case MP_MAP_FROM: case MP_MAP_TO:
		return RD_DATE;
	case MP_COL_SEND: case MP_COL_ALLOCATED: case MP_COL_RHI_OFFERED: case MP_COL_RHI_ACCEPTED: case MP_COL_HOTH:
		return RD_FLAG;
	case MP_COL_PUSH_PULL:
		return RD_LIST;
	default:
		return RD_TEXT;
	}
}

/* Parsing state of one map file. */
typedef struct loader {
	mp_map *m;
	mapcol *cur;		/* the column block being read, or NULL */
	int seen[MP_MAP_NCOLS];	/* line each column was described on */
	long ln;
} loader;

/* "null A | B": words meaning an empty value. */
static void
null_words(mp_map *m, char *arg)
{
	for (char *w = arg;;) {
		char *bar = strchr(w, '|');
		if (bar)
			*bar = '\0';
		char *t = mp_trim(w);
		if (*t) {
			size_t cap = m->cnulls;	/* the same growth for both */
			m->nulls = mp_xgrow(m->nulls, &m->cnulls, m->nnulls + 1, sizeof *m->nulls);
			m->nulllen = mp_xgrow(m->nulllen, &cap, m->nnulls + 1, sizeof *m->nulllen);
			m->nulls[m->nnulls] = mp_xstrdup(t);
			m->nulllen[m->nnulls++] = strlen(t);
		}
		if (!bar)
			break;
		w = bar + 1;
	}
}

/* A "column NAME" line: start its block. */
static void
column_start(loader *L, const char *arg, char *err, size_t errsz)
{
	mp_map *m = L->m;
	int c = col_lookup(arg);

	if (c < 0 || c == MP_COL_SOURCE_LINE) {
		snprintf(err, errsz, "'%s' is not a canonical column a map can fill (see share/schemas/episode.schema)", arg);
		return;
	}
	if (L->seen[c]) {
		snprintf(err, errsz, "column %s is already described on line %d", arg, L->seen[c]);
		return;
	}
	L->seen[c] = (int)L->ln;
	m->cols = mp_xgrow(m->cols, &m->ccols, m->ncols + 1, sizeof *m->cols);
	L->cur = &m->cols[m->ncols++];
	memset(L->cur, 0, sizeof *L->cur);
	L->cur->col = c;
	L->cur->sep = ';';
	L->cur->line = L->ln;
	L->cur->read = default_read(c);
}

/* A line outside column blocks; 0 when kw is not a map keyword. */
static int
map_keyword(loader *L, const char *kw, char *arg, char *err, size_t errsz)
{
	mp_map *m = L->m;
	static const char *const lnames[] = { "record", "question", "answer" };

	for (int k = 0; k < 3; k++)
		if (strcmp(kw, lnames[k]) == 0) {
			src_free(&m->lsrc[k]);
			src_parse(&m->lsrc[k], arg, 0, err, errsz);
			L->cur = NULL;
			return 1;
		}
	if (strcmp(kw, "map") == 0) {
		free(m->name);
		m->name = mp_xstrdup(arg);
	} else if (strcmp(kw, "desc") == 0 && !L->cur) {
		free(m->desc);
		m->desc = mp_xstrdup(arg);
	} else if (strcmp(kw, "detect") == 0) {
		m->detect = mp_xgrow(m->detect, &m->cdetect, m->ndetect + 1, sizeof *m->detect);
		if (src_parse(&m->detect[m->ndetect], arg, 0, err, errsz) == 0)
			m->ndetect++;
	} else if (strcmp(kw, "const") == 0) {
		char *val, *cn = split_word(arg, &val);
		int c = col_lookup(cn);
		if (c < 0)
			snprintf(err, errsz, "'%s' is not a canonical column", cn);
		else {
			free(m->consts[c]);
			m->consts[c] = map_value(val);
		}
	} else if (strcmp(kw, "id") == 0) {
		m->nidkeys = 0;
		for (char *w = strtok(arg, " \t"); w; w = strtok(NULL, " \t")) {
			int c = col_lookup(w);
			if (c < 0 || c >= MP_NCOLS) {
				snprintf(err, errsz, "'%s' is not a canonical column", w);
				break;
			}
			m->idkeys[m->nidkeys++] = c;
		}
	} else if (strcmp(kw, "pair") == 0) {
		int c = col_lookup(arg);
		if (c < 0 || c >= MP_NCOLS)
			snprintf(err, errsz, "'%s' is not a canonical column", arg);
		m->pair = c;
	} else if (strcmp(kw, "null") == 0) {
		null_words(m, arg);
	} else if (strcmp(kw, "dates") == 0) {
		if ((m->order = mp_date_order_parse(arg)) < 0)
			snprintf(err, errsz, "dates '%s': expected dmy, mdy or ymd", arg);
		m->order_set = 1;
	} else if (strcmp(kw, "layout") == 0) {
		if (strcmp(arg, "long") == 0)
			m->long_layout = 1;
		else if (strcmp(arg, "wide") != 0)
			snprintf(err, errsz, "layout '%s': expected wide or long", arg);
	} else if (strcmp(kw, "column") == 0) {
		column_start(L, arg, err, errsz);
		return 1;
	} else {
		return 0;
	}
	L->cur = NULL;
	return 1;
}

/* A line inside a column block. */
static void
column_keyword(mapcol *cur, const char *kw, char *arg, char *err, size_t errsz)
{
	if (strcmp(kw, "from") == 0 || strcmp(kw, "from-exact") == 0) {
		cur->from = mp_xgrow(cur->from, &cur->cfrom, cur->nfrom + 1, sizeof *cur->from);
		if (src_parse(&cur->from[cur->nfrom], arg, kw[4] == '-', err, errsz) == 0)
			cur->nfrom++;
	} else if (strcmp(kw, "read") == 0) {
		size_t k;
		for (k = 0; k < sizeof read_names / sizeof *read_names; k++)
			if (strcmp(arg, read_names[k]) == 0)
				break;
		if (k == sizeof read_names / sizeof *read_names)
			snprintf(err, errsz, "read '%s': expected text, datetime, date, flag, list or excel-serial", arg);
		else
			cur->read = (enum mp_read)k;
	} else if (strcmp(kw, "sep") == 0) {
		if (strlen(arg) != 1)
			snprintf(err, errsz, "sep takes one character");
		else
			cur->sep = arg[0];
	} else if (strcmp(kw, "value") == 0) {
		cur->vals = mp_xgrow(cur->vals, &cur->cvals, cur->nvals + 1, sizeof *cur->vals);
		if (valrule_parse(&cur->vals[cur->nvals], arg, err, errsz) == 0)
			cur->nvals++;
		else
			valrule_free(&cur->vals[cur->nvals]);
	} else if (strcmp(kw, "default") == 0) {
		free(cur->def);
		cur->def = map_value(arg);
	} else if (strcmp(kw, "required") == 0 && !*arg) {
		cur->required = 1;
	} else if (strcmp(kw, "stamped") == 0 && strcmp(arg, "warn") == 0) {
		cur->stamped = 1;
	} else if (strcmp(kw, "desc") != 0) {	/* desc: a note for readers of the map */
		snprintf(err, errsz, "'%s' is not a column keyword (from, from-exact, read, sep, value, default, "
			 "required, stamped, desc)", kw);
	}
}

/* After the last line: defaults, lookups and the checks that need the whole map. */
static int
map_finish(mp_map *m, const char *path)
{
	if (!m->name) {
		const char *base = strrchr(path, '/');
		base = base ? base + 1 : path;
		m->name = mp_xstrdup(base);
		char *dot = strrchr(m->name, '.');
		if (dot && strcmp(dot, ".map") == 0)
			*dot = '\0';
	}
	for (size_t i = 0; i < m->ncols; i++)
		build_lookup(&m->cols[i]);
	for (int c = 0; c < MP_MAP_NCOLS; c++) {
		m->constlen[c] = m->consts[c] ? strlen(m->consts[c]) : 0;
		m->init[c].s = m->consts[c] ? m->consts[c] : "";
		m->init[c].len = m->constlen[c];
	}
	for (size_t i = 0; i < m->ncols; i++)
		if (m->cols[i].nfrom == 0) {
			mp_data_msg(path, m->cols[i].line, col_name(m->cols[i].col), "column has no 'from' line");
			return -1;
		}
	if (m->long_layout && !(m->lsrc[0].text && m->lsrc[1].text && m->lsrc[2].text)) {
		mp_data_msg(path, 0, NULL, "layout long needs record, question and answer lines");
		return -1;
	}
	if (m->nidkeys == 0) {
		m->idkeys[0] = MP_COL_CHILD_ID;
		m->idkeys[1] = MP_COL_START;
		m->nidkeys = 2;
	}
	return 0;
}

mp_map *
mp_map_load(const char *path)
{
	FILE *fp = fopen(path, "r");
	char buf[4096], err[512];
	loader L = { 0 };

	if (!fp) {
		mp_warn("%s:", path);
		return NULL;
	}
	L.m = mp_xcalloc(1, sizeof *L.m);
	L.m->path = mp_xstrdup(path);
	L.m->pair = -1;
	while (fgets(buf, sizeof buf, fp)) {
		L.ln++;
		size_t len = strlen(buf);
		if (len == sizeof buf - 1 && buf[len - 1] != '\n') {
			mp_data_msg(path, L.ln, NULL, "line too long (at most %zu bytes)", sizeof buf - 2);
			goto fail;
		}
		char *line = mp_trim(buf);
		if (*line == '\0' || *line == '#')
			continue;
		char *arg, *kw = split_word(line, &arg);
		err[0] = '\0';
		if (map_keyword(&L, kw, arg, err, sizeof err))
			;
		else if (!L.cur)
			snprintf(err, sizeof err, "'%s' is not a map keyword (map, desc, detect, const, id, pair, null, "
				 "dates, layout, record, question, answer, column)", kw);
		else
			column_keyword(L.cur, kw, arg, err, sizeof err);
		if (err[0]) {
			mp_data_msg(path, L.ln, NULL, "%s", err);
			goto fail;
		}
	}
	if (ferror(fp)) {
		mp_warn("%s: read error:", path);
		goto fail;
	}
	fclose(fp);
	if (map_finish(L.m, path) == 0)
		return L.m;
	mp_map_free(L.m);
	return NULL;
fail:
	fclose(fp);
	mp_map_free(L.m);
	return NULL;
}

mp_map *
mp_map_open(const char *arg)
{
	size_t n = strlen(arg);
	if (strchr(arg, '/') || (n > 4 && strcmp(arg + n - 4, ".map") == 0))
		return mp_map_load(arg);
	for (const char *p = arg; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			return NULL;
	char rel[300];
	snprintf(rel, sizeof rel, "schemas/%s.map", arg);
	const char *path = mp_share_path(rel);
	FILE *fp = path ? fopen(path, "r") : NULL;
	if (!fp)
		return NULL;
	fclose(fp);
	return mp_map_load(path);
}

const char *mp_map_name(const mp_map *m) { return m->name; }
const char *mp_map_desc(const mp_map *m) { return m->desc ? m->desc : ""; }
const char *mp_map_path(const mp_map *m) { return m->path; }
int mp_map_pairs(const mp_map *m) { return m->pair; }

size_t
mp_map_idkeys(const mp_map *m, const int **cols)
{
	*cols = m->idkeys;
	return m->nidkeys;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
mp_map_names(size_t *n)
{
	const char *dir = mp_share_path("schemas");
	DIR *d = dir ? opendir(dir) : NULL;
	char **v = NULL;
	size_t cap = 0;
	struct dirent *e;

	*n = 0;
	if (!d)
		return NULL;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len > 4 && e->d_name[0] != '.' && strcmp(e->d_name + len - 4, ".map") == 0) {
			v = mp_xgrow(v, &cap, *n + 1, sizeof *v);
			v[(*n)++] = mp_xstrndup(e->d_name, len - 4);
		}
	}
	closedir(d);
	if (*n)
		qsort(v, *n, sizeof *v, cmp_str);
	return v;
}

void
mp_map_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* A header's names as matching sees them: trimmed (case kept) and folded to lower case. */
static void
header_keys(const mp_record *header, char ***trimmed, char ***folded)
{
	*trimmed = mp_xcalloc(header->n + 1, sizeof **trimmed);
	*folded = mp_xcalloc(header->n + 1, sizeof **folded);
	for (size_t i = 0; i < header->n; i++) {
		(*trimmed)[i] = header_key(header->f[i].s, 0);
		(*folded)[i] = header_key(header->f[i].s, 1);
	}
}

static void
keys_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

/* The first header position that sp matches and that is not taken (taken may be NULL); -1 if none. */
static int
header_find(const src *sp, const mp_record *header, char **trimmed, char **folded, const int *taken)
{
	for (size_t i = 0; i < header->n; i++)
		if ((!taken || taken[i] < 0) && src_match(sp, header->f[i].s, trimmed[i], folded[i]))
			return (int)i;
	return -1;
}

int
mp_map_detect(mp_map *m, const mp_record *header)
{
	char **trimmed, **folded;
	int score = (int)m->ndetect;

	if (m->ndetect == 0)
		return -1;
	header_keys(header, &trimmed, &folded);
	for (size_t k = 0; k < m->ndetect && score >= 0; k++)
		if (header_find(&m->detect[k], header, trimmed, folded, NULL) < 0)
			score = -1;
	keys_free(trimmed, header->n);
	keys_free(folded, header->n);
	return score;
}

/* What a column's from lines look for, for a message. */
static void
looked_for(const mapcol *mc, char *buf, size_t sz)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t s = 0; s < mc->nfrom && o < sz; s++)
		o += (size_t)snprintf(buf + o, sz - o, "%s%s", s ? ", " : "", mc->from[s].text);
}

mp_binding *
mp_map_bind(mp_map *m, const mp_record *header, const char *file)
{
	mp_binding *b = mp_xcalloc(1, sizeof *b);

	b->m = m;
	b->file = file;
	b->nheader = header->n;
	b->header = mp_xcalloc(header->n + 1, sizeof *b->header);
	for (size_t i = 0; i < header->n; i++)
		b->header[i] = mp_xstrndup(header->f[i].s, header->f[i].len);
	header_keys(header, &b->trimmed, &b->folded);
	b->idx = mp_xcalloc(m->ncols + 1, sizeof *b->idx);
	b->matched_by = mp_xcalloc(header->n + 1, sizeof *b->matched_by);
	for (size_t i = 0; i < header->n; i++)
		b->matched_by[i] = -1;
	for (size_t k = 0; k < m->ncols; k++) {
		mapcol *mc = &m->cols[k];
		b->idx[k] = -1;
		/* Each from line in order; within one, the first header (not yet taken) that matches. */
		for (size_t s = 0; s < mc->nfrom && b->idx[k] < 0; s++) {
			int i = header_find(&mc->from[s], header, b->trimmed, b->folded, b->matched_by);
			if (i >= 0) {
				b->idx[k] = i;
				b->matched_by[i] = (int)k;
			}
		}
		if (b->idx[k] < 0 && mc->required) {
			char looked[1024];
			looked_for(mc, looked, sizeof looked);
			mp_data_msg(file, 1, col_name(mc->col), "no column of the header matches (map %s looks for: %s)",
				    m->name, looked);
			mp_binding_free(b);
			return NULL;
		}
	}
	b->extras = mp_xcalloc(header->n + 1, sizeof *b->extras);
	for (size_t i = 0; i < header->n; i++)
		if (b->matched_by[i] < 0)
			b->extras[b->nextras++] = i;
	return b;
}

void
mp_binding_unmatched(const mp_binding *b, void (*emit)(void *ctx, const char *s), void *ctx)
{
	const mp_map *m = b->m;
	char looked[1024], line[1400];

	for (size_t k = 0; k < m->ncols; k++) {
		const mapcol *mc = &m->cols[k];
		if (b->idx[k] >= 0)
			continue;
		looked_for(mc, looked, sizeof looked);
		if (mc->def)
			snprintf(line, sizeof line, "map %s: no column for %s (looked for: %s); every row gets '%s'",
				 m->name, col_name(mc->col), looked, mc->def);
		else
			snprintf(line, sizeof line, "map %s: no column for %s (looked for: %s)", m->name,
				 col_name(mc->col), looked);
		emit(ctx, line);
	}
}

void
mp_binding_free(mp_binding *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->nheader; i++)
		free(b->header[i]);
	free(b->header);
	keys_free(b->trimmed, b->nheader);
	keys_free(b->folded, b->nheader);
	free(b->idx);
	free(b->matched_by);
	free(b->extras);
	for (int c = 0; c < MP_MAP_NCOLS; c++)
		free(b->lbuf[c]);
	free(b);
}

const char *
mp_binding_column(const mp_binding *b, size_t i)
{
	return i < b->nheader ? b->header[i] : "";
}

size_t
mp_binding_extras(const mp_binding *b, const size_t **idx)
{
	*idx = b->extras;
	return b->nextras;
}

void
mp_binding_report(const mp_binding *b, void (*emit)(void *ctx, const char *s), void *ctx)
{
	char line[1400];
	const mp_map *m = b->m;

	for (int c = 0; c < MP_MAP_NCOLS; c++) {
		size_t k;
		for (k = 0; k < m->ncols; k++)
			if (m->cols[k].col == c)
				break;
		if (k < m->ncols) {
			const mapcol *mc = &m->cols[k];
			if (b->idx[k] >= 0)
				snprintf(line, sizeof line, "%s\t<- %s\t(%s%s%s)", col_name(c), b->header[b->idx[k]],
					 read_names[mc->read], mc->nvals ? ", value map" : "",
					 mc->def ? ", default" : "");
			else if (mc->def)
				snprintf(line, sizeof line, "%s\t= %s\t(default: no column matched)", col_name(c), mc->def);
			else
				snprintf(line, sizeof line, "%s\t-\t(no column matched: %s%s)", col_name(c), mc->from[0].text,
					 mc->nfrom > 1 ? ", ..." : "");
		} else if (m->consts[c]) {
			snprintf(line, sizeof line, "%s\t= %s\t(constant)", col_name(c), m->consts[c]);
		} else if (c == MP_COL_EPISODE_ID) {
			size_t o = (size_t)snprintf(line, sizeof line, "%s\t= derived\t(hash of source", col_name(c));
			for (size_t i = 0; i < m->nidkeys; i++)
				o += (size_t)snprintf(line + o, sizeof line - o, ", %s", col_name(m->idkeys[i]));
			snprintf(line + o, sizeof line - o, ")");
		} else if (c == MP_COL_SOURCE_LINE) {
			snprintf(line, sizeof line, "%s\t= the row's line in the file\t(written by mp-import)", col_name(c));
		} else if (c >= MP_NCOLS) {
			continue;
		} else {
			snprintf(line, sizeof line, "%s\t-\t(not in this source)", col_name(c));
		}
		emit(ctx, line);
	}
	for (size_t i = 0; i < b->nextras; i++) {
		snprintf(line, sizeof line, "extra\t%s\t(passed through after the canonical columns)",
			 b->header[b->extras[i]]);
		emit(ctx, line);
	}
}

int
mp_record_blank(const mp_record *rec)
{
	for (size_t i = 0; i < rec->n; i++)
		for (size_t k = 0; k < rec->f[i].len; k++) {
			char ch = rec->f[i].s[k];
			if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n')
				return 0;
		}
	return 1;
}

static mp_field ftrim_slow(mp_field f);

/* Trim spaces, tabs, line ends and no-break spaces (U+00A0) at both ends. */
static inline mp_field
ftrim(mp_field f)
{
	if (f.len == 0)
		return f;
	unsigned char a = (unsigned char)f.s[0], z = (unsigned char)f.s[f.len - 1];
	if (a > ' ' && a != 0xC2 && z > ' ' && z != 0xA0)
		return f;
	return ftrim_slow(f);
}

static mp_field
ftrim_slow(mp_field f)
{
	const char *s = f.s, *e = f.s + f.len;
	for (;;) {
		if (s < e && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
			s++;
		else if (e - s >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
			s += 2;
		else
			break;
	}
	for (;;) {
		if (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
			e--;
		else if (e - s >= 2 && (unsigned char)e[-2] == 0xC2 && (unsigned char)e[-1] == 0xA0)
			e -= 2;
		else
			break;
	}
	mp_field out = { s, (size_t)(e - s) };
	return out;
}

/*
 * A header name as matching sees it: without surrounding spaces (and
 * no-break spaces) or a trailing ':' or '?', in lower case when fold.
 */
static char *
header_key(const char *h, int fold)
{
	mp_field f = ftrim((mp_field){ h, strlen(h) });

	while (f.len && (f.s[f.len - 1] == ':' || f.s[f.len - 1] == '?')) {
		f.len--;
		f = ftrim(f);
	}
	char *k = mp_xstrndup(f.s, f.len);
	if (fold)
		for (char *p = k; *p; p++)
			*p = (char)lower((unsigned char)*p);
	return k;
}

/* Are a and b equal over len bytes?  Eight at a time. */
static inline int
same_bytes(const char *a, const char *b, size_t len)
{
	uint64_t x, y;

	for (; len >= 8; a += 8, b += 8, len -= 8) {
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return 0;
	}
	while (len--)
		if (*a++ != *b++)
			return 0;
	return 1;
}

/* The rule one of whose values equals s, ignoring ASCII case. */
static inline const valrule *
find_rule(const mapcol *mc, const char *s, size_t len)
{
	if (!mc->htab)
		return NULL;
	for (size_t k = lhash(s, len) & (mc->hcap - 1); mc->htab[k].s; k = (k + 1) & (mc->hcap - 1)) {
		const struct hent *e = &mc->htab[k];
		if (e->len != len)
			continue;
		if (same_bytes(e->s, s, len) || strncasecmp(e->s, s, len) == 0)
			return e->r;
	}
	return NULL;
}

/* n digits at s, or -1. */
static inline int
num(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		unsigned d = (unsigned)(s[i] - '0');
		if (d > 9)
			return -1;
		v = v * 10 + (int)d;
	}
	return v;
}

/*
 * The common forms (dd/mm/yyyy, dd/mm/yyyy hh:mm, yyyy-mm-dd,
 * yyyy-mm-ddThh:mm) read quickly; 0 when read, -1 to leave the value to
 * mp_time_parse (other forms, and every error, for its messages).  A date
 * alone gets no instant (utc) unless want_utc: only pairing needs one.
 */
static int
fast_time(const char *s, size_t len, mp_time *t, int want_utc, int order)
{
	int y, mo, d, h = 0, mi = 0;

	if (len != 10 && len != 16)
		return -1;
	if (s[2] == '/' && s[5] == '/' && order == MP_DMY)
		d = num(s, 2), mo = num(s + 3, 2), y = num(s + 6, 4);
	else if (s[4] == '-' && s[7] == '-')
		y = num(s, 4), mo = num(s + 5, 2), d = num(s + 8, 2);
	else
		return -1;
	if (y < 1900 || y > 2199 || mo < 1 || mo > 12 || d < 1 || d > mp_days_in_month(y, mo))
		return -1;
	if (len == 16) {
		if ((s[10] != ' ' && s[10] != 'T') || s[13] != ':')
			return -1;
		h = num(s + 11, 2), mi = num(s + 14, 2);
		if (h < 0 || h > 23 || mi < 0 || mi > 59)
			return -1;
	}
	int64_t day = mp_days_from_civil(y, mo, d);
	memset(t, 0, sizeof *t);
	t->y = y, t->mo = mo, t->d = d, t->h = h, t->mi = mi;
	t->day = day;
	t->has_time = len == 16;
	if (!t->has_time && !want_utc) {
		t->utc = day * 86400;
		return 0;
	}
	int off;
	if (mp_tz_steady(day, &off)) {
		t->offset = off;
		t->utc = day * 86400 + h * 3600 + mi * 60 - off;
		return 0;
	}
	int r = mp_local_to_utc(y, mo, d, h, mi, 0, &t->utc, &t->offset);
	if (r < 0)
		return -1;
	t->ambiguous = r == 1 && t->has_time;
	return 0;
}

/* Flags with no value map of their own. */
static const char *
builtin_flag(const char *s, size_t len)
{
	if (len == 1 || len == 3) {
		int c = lower((unsigned char)s[0]);
		if (len == 1)
			return c == 'y' || c == '1' ? "Y" : c == 'n' || c == '0' ? "N" : NULL;
		if (c == 'y' && lower((unsigned char)s[1]) == 'e' && lower((unsigned char)s[2]) == 's')
			return "Y";
	}
	if (len == 2 && lower((unsigned char)s[0]) == 'n' && lower((unsigned char)s[1]) == 'o')
		return "N";
	static const char *const yes[] = { "y", "yes", "1", "true" };
	static const char *const no[] = { "n", "no", "0", "false" };
	for (size_t i = 0; i < 4; i++) {
		if (strlen(yes[i]) == len && strncasecmp(yes[i], s, len) == 0)
			return "Y";
		if (strlen(no[i]) == len && strncasecmp(no[i], s, len) == 0)
			return "N";
	}
	if ((len == 2 && strncasecmp(s, "na", 2) == 0) || (len == 3 && strncasecmp(s, "n/a", 3) == 0))
		return "";
	return NULL;
}

/* The accepted source values of a column, for a message. */
static void
expected(const mapcol *mc, char *buf, size_t sz)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < mc->nvals && o + 8 < sz; i++)
		for (size_t a = 0; a < mc->vals[i].nalts && o + 8 < sz; a++) {
			if (mc->vals[i].altlen[a] == 0)
				continue;
			int w = snprintf(buf + o, sz - o, "%s%s", o ? ", " : "", mc->vals[i].alts[a]);
			if (w < 0 || (size_t)w >= sz - o) {
				size_t at = o < sz - 6 ? o : sz - 6;
				memcpy(buf + at, ", ...", 6);
				return;
			}
			o += (size_t)w;
		}
}

static void
two(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

/* Local ISO text for a parsed time: fields as written unless an offset is needed. */
static size_t
time_text(char *buf, const mp_time *t)
{
	if (t->has_time && (t->has_offset || t->ambiguous))
		return mp_time_format(buf, t->utc);
	int y = t->y;
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	two(buf + 2, y % 100);
	buf[4] = '-';
	two(buf + 5, t->mo);
	buf[7] = '-';
	two(buf + 8, t->d);
	if (!t->has_time) {
		buf[10] = '\0';
		return 10;
	}
	buf[10] = 'T';
	two(buf + 11, t->h);
	buf[13] = ':';
	two(buf + 14, t->mi);
	if (!t->s) {
		buf[16] = '\0';
		return 16;
	}
	buf[16] = ':';
	two(buf + 17, t->s);
	buf[19] = '\0';
	return 19;
}

/* Append to a column's list buffer. */
static void
lput(mp_binding *b, int c, size_t *len, const char *s, size_t n)
{
	b->lbuf[c] = mp_xgrow(b->lbuf[c], &b->lcap[c], *len + n + 1, 1);
	memcpy(b->lbuf[c] + *len, s, n);
	*len += n;
	b->lbuf[c][*len] = '\0';
}

/* Apply a matched value rule: its own column now, other columns afterwards. */
static void
apply_rule(mp_binding *b, const valrule *r, int col, mp_row *row)
{
	for (int i = 0; i < r->nset; i++) {
		if (r->setcol[i] < 0 || r->setcol[i] == col) {
			row->v[col].s = r->setval[i];
			row->v[col].len = r->setlen[i];
			if (r->plain)
				row->plain |= (uint64_t)1 << col;
		} else if (b->np < 64) {
			b->pcol[b->np] = r->setcol[i];
			b->pval[b->np] = r->setval[i];
			b->plen[b->np] = r->setlen[i];
			b->np++;
		}
	}
}

/* Is f one of the map's words for an empty value? */
static inline int
is_null_word(const mp_map *m, mp_field f)
{
	for (size_t i = 0; i < m->nnulls; i++)
		if (f.len == m->nulllen[i] && memcmp(f.s, m->nulls[i], f.len) == 0)
			return 1;
	return 0;
}

/*
 * Columns --lenient may leave empty: describing the child or the episode,
 * not deciding whether, when or how long the child was missing, nor whether
 * a return interview was held.
 */
static int
blankable(int c)
{
	switch (c) {
	case MP_COL_DOB: case MP_COL_SEX: case MP_COL_ETHNICITY: case MP_COL_SEND: case MP_COL_CARE_STATUS:
	case MP_COL_PLACEMENT: case MP_COL_ALLOCATED: case MP_COL_POLICE_RISK: case MP_COL_RHI_OFFERED:
	case MP_COL_RHI_ACCEPTED: case MP_COL_RHI_REASON: case MP_COL_PUSH_PULL: case MP_COL_HOTH: case MP_COL_LA:
	case MP_COL_RHI_OFFERED_AT: case MP_COL_LOCATION: case MP_COL_FOUND_LOCATION:
		return 1;
	default:
		return 0;
	}
}

/* A text or flag column through its value map (or the built-in flags). */
static void
read_coded(mp_binding *b, const mapcol *mc, mp_field f, const valrule *r, mp_row *row, char *msg, size_t msgsz)
{
	char exp[240];
	const char *y;
	int c = mc->col;

	if (r)
		apply_rule(b, r, c, row);
	else if (mc->read == RD_FLAG && !mc->nvals && (y = builtin_flag(f.s, f.len))) {
		row->v[c].s = y;
		row->v[c].len = y[0] ? 1 : 0;
		row->plain |= (uint64_t)1 << c;
	} else if (mc->nvals || mc->read == RD_FLAG) {
		if (mc->nvals)
			expected(mc, exp, sizeof exp);
		snprintf(msg, msgsz, "unknown value '%s' (this map knows: %s)", mp_show(f.s, f.len),
			 mc->nvals ? exp : "Yes, Y, 1, True, No, N, 0, False, NA or blank");
	} else
		row->v[c] = f;
}

/* A date or date-time column; returns 1 when the value reads only in the other day/month order. */
static int
read_time(mp_binding *b, const mapcol *mc, mp_field f, mp_row *row, char *msg, size_t msgsz)
{
	const mp_map *m = b->m;
	const char *why;
	int c = mc->col, swapped = 0;
	mp_time *t = &row->t[c];

	if (mc->read == RD_EXCEL ? mp_excel_serial_read(f.s, f.len, t, &why) != 0
	    : fast_time(f.s, f.len, t, m->pair >= 0, m->order) != 0 &&
	      mp_date_read(f.s, f.len, (enum mp_date_order)m->order, t, &why, &swapped) != 0) {
		snprintf(msg, msgsz, "unreadable date '%s': %s%s", mp_show(f.s, f.len), why,
			 swapped ? (m->order == MP_DMY ? " (see --dates mdy)" : " (see --dates dmy)") : "");
		return swapped;
	}
	if (mc->read == RD_DATE && t->has_time) {
		if (t->h || t->mi || t->s) {
			snprintf(msg, msgsz, "unreadable date '%s': expected a date without a time", mp_show(f.s, f.len));
			return 0;
		}
		/* Excel writes dates as midnight date-times. */
		t->has_time = 0;
		t->has_offset = 0;
		t->ambiguous = 0;
	}
	row->v[c].s = b->tbuf[c];
	row->v[c].len = time_text(b->tbuf[c], t);
	row->has_t[c] = 1;
	row->plain |= (uint64_t)1 << c;
	return 0;
}

/* A list column: each item through the value map. */
static void
read_list(mp_binding *b, const mapcol *mc, mp_field f, mp_row *row, char *msg, size_t msgsz)
{
	char exp[240];
	int c = mc->col;
	size_t len = 0;
	const char *p = f.s, *end = f.s + f.len;

	lput(b, c, &len, "", 0);
	while (p <= end && !msg[0]) {
		const char *q = memchr(p, mc->sep, (size_t)(end - p));
		if (!q)
			q = end;
		mp_field item = ftrim((mp_field){ p, (size_t)(q - p) });
		const valrule *ir = item.len ? find_rule(mc, item.s, item.len) : NULL;
		if (!item.len || is_null_word(b->m, item)) {
			/* nothing */
		} else if (ir && ir->nset && ir->setcol[0] < 0) {
			if (ir->setlen[0]) {
				if (len)
					lput(b, c, &len, ";", 1);
				lput(b, c, &len, ir->setval[0], ir->setlen[0]);
			}
		} else if (mc->nvals) {
			expected(mc, exp, sizeof exp);
			snprintf(msg, msgsz, "unknown item '%s' (this map knows: %s)", mp_show(item.s, item.len), exp);
		} else {
			if (len)
				lput(b, c, &len, ";", 1);
			lput(b, c, &len, item.s, item.len);
		}
		p = q + 1;
	}
	row->v[c].s = b->lbuf[c];
	row->v[c].len = len;
}

/* The notification kind of a paired source's row; 0, or 1 after reporting a problem. */
static int
read_event(const mp_map *m, const mp_record *rec, mp_row *row, int errors, mp_map_problem problem, void *ctx)
{
	mp_field ev = row->v[MP_MAP_EVENT];

	row->event = MP_EV_EPISODE;
	if (m->pair < 0)
		return 0;
	if (ev.len == 7 && memcmp(ev.s, "missing", 7) == 0)
		row->event = MP_EV_MISSING;
	else if (ev.len == 5 && memcmp(ev.s, "found", 5) == 0)
		row->event = MP_EV_FOUND;
	else if (ev.len == 7 && memcmp(ev.s, "episode", 7) == 0)
		row->event = MP_EV_EPISODE;
	else if (ev.len) {
		problem(ctx, rec->line, "@event", MP_PROBLEM_ERROR, "a notification is missing, found or episode");
		return 1;
	} else if (row->v[MP_COL_START].len && !row->v[MP_COL_END].len)
		row->event = MP_EV_MISSING;
	else if (!row->v[MP_COL_START].len && row->v[MP_COL_END].len)
		row->event = MP_EV_FOUND;
	else if (!errors) {
		problem(ctx, rec->line, NULL, MP_PROBLEM_ERROR,
			"cannot tell a missing from a found notification: no notification type and no start or end time");
		return 1;
	}
	/* A found notification's location is where the child was found. */
	if (row->event == MP_EV_FOUND && !row->v[MP_COL_FOUND_LOCATION].len) {
		row->v[MP_COL_FOUND_LOCATION] = row->v[MP_COL_LOCATION];
		row->v[MP_COL_LOCATION].s = "";
		row->v[MP_COL_LOCATION].len = 0;
	}
	return 0;
}

/* Read one map column of rec into row; returns the problem level, or -1 when the value was read. */
static int
read_column(mp_binding *b, size_t k, const mp_record *rec, mp_row *row, int lenient, char *msg, size_t msgsz)
{
	const mapcol *mc = &b->m->cols[k];
	int c = mc->col, i = b->idx[k], refuse = 0;
	mp_field f = { "", 0 };

	if (i >= 0 && (size_t)i < rec->n)
		f = ftrim(rec->f[i]);
	const valrule *r = find_rule(mc, f.s, f.len);
	if (!r && (f.len == 0 || (b->m->nnulls && is_null_word(b->m, f)))) {
		row->v[c].s = mc->def ? mc->def : "";
		row->v[c].len = mc->def ? strlen(mc->def) : 0;
		return -1;
	}
	msg[0] = '\0';
	switch (mc->read) {
	case RD_TEXT:
	case RD_FLAG:
		read_coded(b, mc, f, r, row, msg, msgsz);
		break;
	case RD_DATETIME:
	case RD_DATE:
	case RD_EXCEL:
		if (r)
			apply_rule(b, r, c, row);
		else
			refuse = read_time(b, mc, f, row, msg, msgsz);
		break;
	case RD_LIST:
		read_list(b, mc, f, row, msg, msgsz);
		break;
	}
	if (!msg[0])
		return -1;
	row->plain &= ~((uint64_t)1 << c);
	row->v[c].s = "";
	row->v[c].len = 0;
	if (refuse && !b->m->order_set)
		return MP_PROBLEM_REFUSE;
	return lenient && blankable(c) ? MP_PROBLEM_BLANKED : MP_PROBLEM_ERROR;
}

/* The row's source line as text, in the binding's buffer. */
static void
source_line(mp_binding *b, long line, mp_row *row)
{
	char *e = b->slbuf + sizeof b->slbuf, *p = e;
	unsigned long v = line > 0 ? (unsigned long)line : 0;

	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	row->v[MP_COL_SOURCE_LINE].s = p;
	row->v[MP_COL_SOURCE_LINE].len = (size_t)(e - p);
	row->plain |= (uint64_t)1 << MP_COL_SOURCE_LINE;
}

int
mp_map_row(mp_binding *b, const mp_record *rec, mp_row *row, int lenient, mp_map_problem problem, void *ctx)
{
	const mp_map *m = b->m;
	int errors = 0;
	char msg[1024];

	row->line = rec->line;
	row->plain = 0;
	b->np = 0;
	memcpy(row->v, m->init, sizeof row->v);
	memset(row->has_t, 0, sizeof row->has_t);
	for (size_t k = 0; k < m->ncols; k++) {
		const mapcol *mc = &m->cols[k];
		int level = read_column(b, k, rec, row, lenient, msg, sizeof msg);
		if (level < 0) {
			if (mc->stamped && row->has_t[mc->col] && row->t[mc->col].s)
				problem(ctx, rec->line, b->idx[k] >= 0 ? b->header[b->idx[k]] : col_name(mc->col),
					MP_PROBLEM_WARNING, "this time carries seconds: it looks like a system time stamp "
					"(such as the form's completion), not the time of the event");
			continue;
		}
		problem(ctx, rec->line, b->idx[k] >= 0 ? b->header[b->idx[k]] : col_name(mc->col), level, msg);
		if (level == MP_PROBLEM_REFUSE)
			return -1;
		if (level == MP_PROBLEM_ERROR)
			errors++;
	}
	/* Assignments from value rules fill columns that are still empty. */
	for (int i = 0; i < b->np; i++)
		if (row->v[b->pcol[i]].len == 0) {
			row->v[b->pcol[i]].s = b->pval[i];
			row->v[b->pcol[i]].len = b->plen[i];
			row->plain &= ~((uint64_t)1 << b->pcol[i]);
		}
	source_line(b, rec->line, row);
	return errors + read_event(m, rec, row, errors, problem, ctx);
}

size_t
mp_episode_id_derive(char *buf, const mp_field *source, const mp_field *keys, size_t nkeys)
{
	crypto_generichash_state st;
	unsigned char h[16];
	static const unsigned char us = 0x1f;
	static const char hex[] = "0123456789abcdef";
	size_t n = source->len > 40 ? 40 : source->len;

	crypto_generichash_init(&st, NULL, 0, sizeof h);
	crypto_generichash_update(&st, (const unsigned char *)source->s, source->len);
	crypto_generichash_update(&st, &us, 1);
	for (size_t i = 0; i < nkeys; i++) {
		crypto_generichash_update(&st, (const unsigned char *)keys[i].s, keys[i].len);
		crypto_generichash_update(&st, &us, 1);
	}
	crypto_generichash_final(&st, h, sizeof h);
	memcpy(buf, source->s, n);
	if (n == 0) {
		memcpy(buf, "ep", 2);
		n = 2;
	}
	buf[n++] = '-';
	for (int i = 0; i < 8; i++) {
		buf[n++] = hex[h[i] >> 4];
		buf[n++] = hex[h[i] & 15];
	}
	buf[n] = '\0';
	return n;
}

void
mp_map_set_dates(mp_map *m, int order)
{
	m->order = order;
	m->order_set = 1;
}

int
mp_map_long_columns(const mp_map *m, const mp_record *header, const char *file, int idx[3])
{
	static const char *const what[] = { "record", "question", "answer" };
	char **trimmed, **folded;
	int rc = 0;

	idx[0] = idx[1] = idx[2] = -1;
	if (!m->long_layout)
		return 0;
	header_keys(header, &trimmed, &folded);
	for (int k = 0; k < 3 && rc == 0; k++)
		if ((idx[k] = header_find(&m->lsrc[k], header, trimmed, folded, NULL)) < 0) {
			mp_data_msg(file, 1, NULL, "map %s has a long layout: no column of the header is its %s column (%s)",
				    m->name, what[k], m->lsrc[k].text);
			rc = -1;
		}
	keys_free(trimmed, header->n);
	keys_free(folded, header->n);
	return rc;
}

int
mp_map_is_long(const mp_map *m)
{
	return m->long_layout;
}
