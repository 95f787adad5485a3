/* schema.h: the episode schema file (share/schemas/episode.schema) and value checks. */
#ifndef MP_SCHEMA_H
#define MP_SCHEMA_H

#include <stddef.h>

enum mp_type {
	MP_T_STRING, MP_T_CODE, MP_T_FLAG, MP_T_DATE, MP_T_DATETIME, MP_T_LIST, MP_T_INT
};

typedef struct mp_schema_field {
	char *name;
	enum mp_type type;
	int required;
	int unique;
	char **codes;		/* allowed values (code, list) */
	size_t ncodes, ccodes;
	size_t *code_len;	/* strlen of each code, for the per-value lookup */
	char *pattern;		/* PCRE2 source, anchored on use */
	void *re;		/* pcre2_code_8 * */
	void *md;		/* pcre2_match_data_8 * */
	char *desc;
	long line;		/* where it was defined */
} mp_schema_field;

typedef struct mp_schema {
	mp_schema_field *f;
	size_t n;
	char *path;
} mp_schema;

/* Load a schema file; NULL (after a message naming file and line) on error. */
mp_schema *mp_schema_load(const char *path);
/* The shipped canonical schema. */
mp_schema *mp_schema_default(void);
void mp_schema_free(mp_schema *s);

int mp_schema_find(const mp_schema *s, const char *name);
const char *mp_type_name(enum mp_type t);
/* A line of a schema or map file without the blanks around it (cut in place). */
char *mp_trim(char *s);

/*
 * Match a compiled user pattern (pcre2_code_8 *, its match data) against
 * s[0..len), within limits on backtracking (match limit, growing with the
 * length of s) and on depth, so a pattern that backtracks catastrophically
 * costs milliseconds, not minutes.  1: matches, 0: does not, -1: the
 * limits were reached: the value could not be checked (never read as "no").
 */
int mp_pattern_match(void *re, void *md, const char *s, size_t len);

/*
 * Check one value against its field.  Returns 0 when valid; otherwise -1
 * with a message in msg ("'X' is not one of: ...", or "could not be
 * checked" when a pattern reached its limits).
 */
int mp_schema_check(const mp_schema_field *f, const char *s, size_t len, char *msg, size_t msgsz);

#endif
