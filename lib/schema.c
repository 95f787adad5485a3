/* schema.c: parse the plain-text schema format; check values by type, code and pattern. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "schema.h"
#include "err.h"
#include "mptime.h"
#include "share.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const type_names[] = {
	[MP_T_STRING] = "string", [MP_T_CODE] = "code", [MP_T_FLAG] = "flag",
	[MP_T_DATE] = "date", [MP_T_DATETIME] = "datetime", [MP_T_LIST] = "list", [MP_T_INT] = "int",
};

const char *
mp_type_name(enum mp_type t)
{
	return type_names[t];
}

char *
mp_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int
yes_no(const char *v, int *out)
{
	if (strcmp(v, "yes") == 0)
		*out = 1;
	else if (strcmp(v, "no") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

static int
compile(mp_schema_field *f, const char *path, long ln)
{
	int err;
	PCRE2_SIZE off;
	char anchored[4096];
	pcre2_code *re;

	snprintf(anchored, sizeof anchored, "^(?:%s)$", f->pattern);
	re = pcre2_compile((PCRE2_SPTR)anchored, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
			   &err, &off, NULL);
	if (!re) {
		PCRE2_UCHAR buf[256];
		pcre2_get_error_message(err, buf, sizeof buf);
		mp_data_msg(path, ln, f->name, "bad pattern: %s", (char *)buf);
		return -1;
	}
	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);	/* the interpreter is the fallback */
	if (f->md)	/* a second pattern line replaces the first */
		pcre2_match_data_free(f->md);
	if (f->re)
		pcre2_code_free(f->re);
	f->re = re;
	f->md = pcre2_match_data_create_from_pattern(re, NULL);
	return 0;
}

/* A "field NAME" line: a new field at the end of s; NULL after a message. */
static mp_schema_field *
new_field(mp_schema *s, size_t *cap, const char *val, const char *path, long ln)
{
	mp_schema_field *f;

	if (!*val || strpbrk(val, " \t,")) {
		mp_data_msg(path, ln, NULL, "field needs one name without spaces or commas");
		return NULL;
	}
	if (mp_schema_find(s, val) >= 0) {
		mp_data_msg(path, ln, val, "field defined twice");
		return NULL;
	}
	s->f = mp_xgrow(s->f, cap, s->n + 1, sizeof *s->f);
	f = &s->f[s->n++];
	memset(f, 0, sizeof *f);
	f->name = mp_xstrdup(val);
	f->line = ln;
	return f;
}

/* One property line of field cur; -1 after a message. */
static int
property(mp_schema_field *cur, const char *key, char *val, const char *path, long ln)
{
	if (strcmp(key, "type") == 0) {
		size_t t;
		for (t = 0; t < sizeof type_names / sizeof *type_names; t++)
			if (strcmp(val, type_names[t]) == 0)
				break;
		if (t == sizeof type_names / sizeof *type_names) {
			mp_data_msg(path, ln, cur->name,
				    "unknown type '%s' (string, code, flag, date, datetime, list, int)", val);
			return -1;
		}
		cur->type = (enum mp_type)t;
	} else if (strcmp(key, "required") == 0 || strcmp(key, "unique") == 0) {
		if (yes_no(val, key[0] == 'r' ? &cur->required : &cur->unique)) {
			mp_data_msg(path, ln, cur->name, "%s must be yes or no", key);
			return -1;
		}
	} else if (strcmp(key, "codes") == 0) {
		for (char *tok = strtok(val, " \t"); tok; tok = strtok(NULL, " \t")) {
			size_t cap = cur->ccodes;	/* the same growth for both */
			cur->codes = mp_xgrow(cur->codes, &cur->ccodes, cur->ncodes + 1, sizeof *cur->codes);
			cur->code_len = mp_xgrow(cur->code_len, &cap, cur->ncodes + 1, sizeof *cur->code_len);
			cur->code_len[cur->ncodes] = strlen(tok);
			cur->codes[cur->ncodes++] = mp_xstrdup(tok);
		}
	} else if (strcmp(key, "pattern") == 0) {
		free(cur->pattern);
		cur->pattern = mp_xstrdup(val);
		return compile(cur, path, ln);
	} else if (strcmp(key, "desc") == 0) {
		free(cur->desc);
		cur->desc = mp_xstrdup(val);
	} else {
		mp_data_msg(path, ln, cur->name,
			    "unknown property '%s' (type, required, unique, codes, pattern, desc)", key);
		return -1;
	}
	return 0;
}

/* The whole schema is usable: fields, and codes or a pattern for each code field.  -1 after a message. */
static int
complete(const mp_schema *s, const char *path)
{
	for (size_t i = 0; i < s->n; i++)
		if ((s->f[i].type == MP_T_CODE) && s->f[i].ncodes == 0 && !s->f[i].pattern) {
			mp_data_msg(path, s->f[i].line, s->f[i].name, "a code field needs codes or a pattern");
			return -1;
		}
	if (s->n == 0) {
		mp_data_msg(path, 0, NULL, "no fields defined");
		return -1;
	}
	return 0;
}

mp_schema *
mp_schema_load(const char *path)
{
	FILE *fp = fopen(path, "r");
	char line[4096];
	long ln = 0;
	mp_schema *s;
	mp_schema_field *cur = NULL;
	size_t cap = 0;
	int bad = 0;

	if (!fp) {
		mp_warn("%s:", path);
		return NULL;
	}
	s = mp_xcalloc(1, sizeof *s);
	s->path = mp_xstrdup(path);
	while (!bad && fgets(line, sizeof line, fp)) {
		char *p, *key, *val;
		ln++;
		p = mp_trim(line);
		if (*p == '\0' || *p == '#')
			continue;
		key = p;
		p += strcspn(p, " \t");
		if (*p)
			*p++ = '\0';
		val = mp_trim(p);
		if (strcmp(key, "field") == 0)
			bad = !(cur = new_field(s, &cap, val, path, ln));
		else if (!cur) {
			mp_data_msg(path, ln, NULL, "'%s' before the first 'field' line", key);
			bad = 1;
		} else
			bad = property(cur, key, val, path, ln) != 0;
	}
	fclose(fp);
	if (bad || complete(s, path) != 0) {
		mp_schema_free(s);
		return NULL;
	}
	return s;
}

mp_schema *
mp_schema_default(void)
{
	const char *path = mp_share_path("schemas/episode.schema");

	return path ? mp_schema_load(path) : NULL;
}

void
mp_schema_free(mp_schema *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		mp_schema_field *f = &s->f[i];
		free(f->name);
		for (size_t k = 0; k < f->ncodes; k++)
			free(f->codes[k]);
		free(f->code_len);
		free(f->codes);
		free(f->pattern);
		free(f->desc);
		if (f->md)
			pcre2_match_data_free(f->md);
		if (f->re)
			pcre2_code_free(f->re);
	}
	free(s->f);
	free(s->path);
	free(s);
}

int
mp_schema_find(const mp_schema *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->f[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int
in_codes(const mp_schema_field *f, const char *s, size_t len)
{
	for (size_t i = 0; i < f->ncodes; i++)
		if (f->code_len[i] == len && memcmp(f->codes[i], s, len) == 0)
			return 1;
	return 0;
}

/* Backtracking allowed: a fixed part and a part for each byte (linear work always fits). */
#define MATCH_LIMIT_BASE 100000
#define MATCH_LIMIT_PER_BYTE 64
#define MATCH_LIMIT_MAX 100000000
#define DEPTH_LIMIT 10000

int
mp_pattern_match(void *re, void *md, const char *s, size_t len)
{
	/* One context a thread: pcre2_match reads it, the limit changes with len. */
	static _Thread_local pcre2_match_context *mc;
	size_t limit = MATCH_LIMIT_BASE + (len < MATCH_LIMIT_MAX / MATCH_LIMIT_PER_BYTE ?
					  len * MATCH_LIMIT_PER_BYTE : MATCH_LIMIT_MAX);

	if (!mc) {
		mc = pcre2_match_context_create(NULL);
		if (!mc)
			return -1;
		pcre2_set_depth_limit(mc, DEPTH_LIMIT);
	}
	pcre2_set_match_limit(mc, (uint32_t)(limit < MATCH_LIMIT_MAX ? limit : MATCH_LIMIT_MAX));
	int rc = pcre2_match(re, (PCRE2_SPTR)s, len, 0, 0, md, mc);
	if (rc >= 0)
		return 1;
	return rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

/* 0 when s matches f's pattern; else -1 with the message ("could not be checked" at the limits). */
static int
pattern_check(const mp_schema_field *f, const char *s, size_t len, int *limited, char *msg, size_t msgsz)
{
	int m = mp_pattern_match(f->re, f->md, s, len);

	*limited = m < 0;
	if (m > 0)
		return 0;
	if (m < 0)
		snprintf(msg, msgsz, "'%s' could not be checked against the pattern %s: it needs more "
			 "backtracking than the limit allows (simplify the pattern)", mp_show(s, len), f->pattern);
	else
		snprintf(msg, msgsz, "'%s' does not match the pattern %s", mp_show(s, len), f->pattern);
	return -1;
}

/* One value of a code or list field: in the codes, else matching the pattern. */
static int
check_item(const mp_schema_field *f, const char *s, size_t len, char *msg, size_t msgsz)
{
	int limited = 0;

	if (f->ncodes && in_codes(f, s, len))
		return 0;
	if (f->re && pattern_check(f, s, len, &limited, msg, msgsz) == 0)
		return 0;
	if (limited || !f->ncodes)
		return -1;
	size_t o = (size_t)snprintf(msg, msgsz, "'%s' is not one of:", mp_show(s, len));
	for (size_t i = 0; i < f->ncodes && o < msgsz; i++)
		o += (size_t)snprintf(msg + o, msgsz - o, "%s %s", i ? "," : "", f->codes[i]);
	return -1;
}

int
mp_schema_check(const mp_schema_field *f, const char *s, size_t len, char *msg, size_t msgsz)
{
	mp_time t;
	const char *why;

	if (len == 0) {
		if (f->required) {
			snprintf(msg, msgsz, "required value is empty");
			return -1;
		}
		return 0;
	}
	switch (f->type) {
	case MP_T_STRING:
		return f->re ? pattern_check(f, s, len, &(int){ 0 }, msg, msgsz) : 0;
	case MP_T_CODE:
		return check_item(f, s, len, msg, msgsz);
	case MP_T_FLAG:
		if (len == 1 && (s[0] == 'Y' || s[0] == 'N'))
			return 0;
		snprintf(msg, msgsz, "'%s' is not Y or N", mp_show(s, len));
		return -1;
	case MP_T_DATE:
		if (mp_date_parse(s, len, &t, &why) == 0)
			return 0;
		snprintf(msg, msgsz, "'%s': %s", mp_show(s, len), why);
		return -1;
	case MP_T_DATETIME:
		if (mp_time_parse(s, len, &t, &why) == 0)
			return 0;
		snprintf(msg, msgsz, "'%s': %s", mp_show(s, len), why);
		return -1;
	case MP_T_INT:
		for (size_t i = 0; i < len; i++)
			if (s[i] < '0' || s[i] > '9') {
				snprintf(msg, msgsz, "'%s' is not a whole number", mp_show(s, len));
				return -1;
			}
		return 0;
	case MP_T_LIST: {
		const char *p = s, *end = s + len;
		while (p <= end) {
			const char *semi = memchr(p, ';', (size_t)(end - p));
			size_t n = (size_t)((semi ? semi : end) - p);
			if (n == 0) {
				snprintf(msg, msgsz, "empty item in a ';'-separated list");
				return -1;
			}
			if ((f->ncodes || f->re) && check_item(f, p, n, msg, msgsz))
				return -1;
			if (!semi)
				break;
			p = semi + 1;
		}
		return 0;
	}
	}
	return 0;
}
