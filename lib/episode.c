/* episode.c: the vocabulary of the canonical stream and the one episode decoder. */
#include "episode.h"
#include "err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define C(x) { x, sizeof x - 1 }
static const mp_code type_codes[] = { C("missing"), C("away"), C("absent"), { NULL, 0 } };
static const mp_code sex_codes[] = { C("male"), C("female"), C("other"), C("unknown"), { NULL, 0 } };
static const mp_code care_codes[] = { C("lac"), C("cp"), C("cin"), C("eh"), C("referral"), C("none"), { NULL, 0 } };
static const mp_code placement_codes[] = { C("in_area"), C("out_of_area"), { NULL, 0 } };
static const mp_code risk_codes[] = { C("no_apparent_risk"), C("low"), C("medium"), C("high"), C("absent"),
				      { NULL, 0 } };
static const mp_code reason_codes[] = { C("declined_child"), C("declined_parent"), C("no_contact"), C("custody"),
					C("missing_again"), C("other"), { NULL, 0 } };

/* The two patterns of the schema, checked here by hand (words()). */
static const char snake[] = "[a-z0-9]+(?:_[a-z0-9]+)*";
static const char word[] = "[a-z0-9_]+";
static const char positive[] = "[1-9][0-9]*";

/* In the order of enum mp_col, as share/schemas/episode.schema has them. */
const mp_colspec mp_vocab[MP_NCOLS] = {
	[MP_COL_EPISODE_ID] = { "episode_id", MP_T_STRING, 1, NULL, NULL },
	[MP_COL_CHILD_ID] = { "child_id", MP_T_STRING, 1, NULL, NULL },
	[MP_COL_TYPE] = { "type", MP_T_CODE, 1, type_codes, NULL },
	[MP_COL_START] = { "start", MP_T_DATETIME, 1, NULL, NULL },
	[MP_COL_END] = { "end", MP_T_DATETIME, 0, NULL, NULL },
	[MP_COL_DOB] = { "dob", MP_T_DATE, 0, NULL, NULL },
	[MP_COL_SEX] = { "sex", MP_T_CODE, 0, sex_codes, NULL },
	[MP_COL_ETHNICITY] = { "ethnicity", MP_T_STRING, 0, NULL, NULL },
	[MP_COL_SEND] = { "send", MP_T_FLAG, 0, NULL, NULL },
	[MP_COL_CARE_STATUS] = { "care_status", MP_T_CODE, 0, care_codes, NULL },
	[MP_COL_PLACEMENT] = { "placement", MP_T_CODE, 0, placement_codes, NULL },
	[MP_COL_ALLOCATED] = { "allocated", MP_T_FLAG, 0, NULL, NULL },
	[MP_COL_POLICE_REF] = { "police_ref", MP_T_STRING, 0, NULL, NULL },
	[MP_COL_POLICE_RISK] = { "police_risk", MP_T_CODE, 0, risk_codes, NULL },
	[MP_COL_RHI_OFFERED] = { "rhi_offered", MP_T_FLAG, 0, NULL, NULL },
	[MP_COL_RHI_ACCEPTED] = { "rhi_accepted", MP_T_FLAG, 0, NULL, NULL },
	[MP_COL_RHI_HELD] = { "rhi_held", MP_T_DATETIME, 0, NULL, NULL },
	[MP_COL_RHI_REASON] = { "rhi_reason", MP_T_CODE, 0, reason_codes, NULL },
	[MP_COL_PUSH_PULL] = { "push_pull", MP_T_LIST, 0, NULL, snake },
	[MP_COL_HOTH] = { "hoth", MP_T_FLAG, 0, NULL, NULL },
	[MP_COL_SOURCE] = { "source", MP_T_STRING, 0, NULL, word },
	[MP_COL_LA] = { "la", MP_T_STRING, 0, NULL, NULL },
	[MP_COL_RESPONSIBLE_LA] = { "responsible_la", MP_T_STRING, 0, NULL, NULL },
	[MP_COL_RHI_OFFERED_AT] = { "rhi_offered_at", MP_T_DATETIME, 0, NULL, NULL },
	[MP_COL_LOCATION] = { "location", MP_T_STRING, 0, NULL, NULL },
	[MP_COL_FOUND_LOCATION] = { "found_location", MP_T_STRING, 0, NULL, NULL },
	[MP_COL_SOURCE_LINE] = { "source_line", MP_T_INT, 0, NULL, positive },
};

const char *const mp_col_names[MP_NCOLS] = {
	"episode_id", "child_id", "type", "start", "end", "dob", "sex", "ethnicity", "send",
	"care_status", "placement", "allocated", "police_ref", "police_risk", "rhi_offered",
	"rhi_accepted", "rhi_held", "rhi_reason", "push_pull", "hoth", "source", "la",
	"responsible_la",
	"rhi_offered_at", "location", "found_location", "source_line",
};

const char *const mp_ep_type_names[3] = { "missing", "away", "absent" };

int
mp_ep_types_parse(const char *arg, unsigned *types)
{
	const char *p = arg;

	*types = 0;
	for (;;) {
		size_t n = strcspn(p, ",");
		unsigned i = 0;
		while (i < 3 && !(strlen(mp_ep_type_names[i]) == n && memcmp(mp_ep_type_names[i], p, n) == 0))
			i++;
		if (i == 3)
			return -1;
		*types |= 1u << i;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

int
mp_colmap_require(const mp_colmap *m, const char *file, const int *cols)
{
	for (; *cols >= 0; cols++)
		if (m->idx[*cols] < 0) {
			mp_data_msg(file, 1, mp_col_names[*cols], "required column is missing from the header");
			return -1;
		}
	return 0;
}

/* Byte classes of the patterns: 1 a lower-case letter or digit, 2 '_', 3 ';', 0 anything else. */
static const unsigned char word_class[256] = {
	['0'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, [';'] = 3, ['_'] = 2,
	['a'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/*
 * The patterns over those classes: per class, 1 when the byte is not
 * allowed, 2 when it separates (never first, last or next to another
 * separator): '_' in a snake-case word, ';' between the items of a list.
 */
enum { DFA_NONE, DFA_WORD, DFA_SNAKE, DFA_WORD_LIST, DFA_SNAKE_LIST, NDFA };
static const unsigned char dfa_bits[NDFA][4] = {
	[DFA_NONE] = { 1, 1, 1, 1 },
	[DFA_WORD] = { 1, 0, 0, 1 },
	[DFA_SNAKE] = { 1, 0, 2, 1 },
	[DFA_WORD_LIST] = { 1, 0, 0, 2 },
	[DFA_SNAKE_LIST] = { 1, 0, 2, 2 },
};

/* The pattern of a column (as a whole list when list), DFA_NONE when it has none. */
static int
dfa_of(const mp_colspec *c, int list)
{
	if (c->pattern == NULL)
		return DFA_NONE;
	return (c->pattern == snake ? DFA_SNAKE : DFA_WORD) + (list ? DFA_WORD_LIST - DFA_WORD : 0);
}

/* 1 when s[0..len) matches pattern dfa: the bytes are checked independently (no chain from byte to byte). */
static int
dfa_bytes(int dfa, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *bits = dfa_bits[dfa];
	unsigned bad = 0, prev = 2;	/* the start counts as a separator */

	for (size_t i = 0; i < len; i++) {
		unsigned k = bits[word_class[p[i]]];
		bad |= k | (k & prev) << 2;
		prev = k;
	}
	return len > 0 && !(bad & 1) && !(bad & 8) && !(prev & 2);
}

#ifdef __SSE2__
/*
 * The same over 16 bytes at once: bit i of *sep set when byte i separates
 * ('_' in a snake-case word, ';' in a list); returns a bit for each byte
 * the pattern does not allow.
 */
static inline unsigned
dfa_block(int dfa, __m128i v, unsigned *sep)
{
	__m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)), _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
	__m128i lower = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('a' - 1)), _mm_cmplt_epi8(v, _mm_set1_epi8('z' + 1)));
	unsigned us = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('_')));
	unsigned sc = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(';')));
	unsigned ok = (unsigned)_mm_movemask_epi8(_mm_or_si128(digit, lower));

	/* dfa_bits: class 2 is '_', class 3 ';' (0 allowed, 1 not, 2 a separator) */
	ok |= (dfa_bits[dfa][2] != 1 ? us : 0) | (dfa_bits[dfa][3] != 1 ? sc : 0);
	*sep = (dfa_bits[dfa][2] == 2 ? us : 0) | (dfa_bits[dfa][3] == 2 ? sc : 0);
	return ~ok & 0xffffu;
}

/*
 * A value of 4 to 15 bytes as its first and last half words (h bytes
 * each, 4 or 8, overlapping): bytes h - 1 and h of the block are not
 * neighbours.
 */
static inline int
dfa_halves(int dfa, uint64_t lo, uint64_t hi, unsigned h)
{
	unsigned lanes = (1u << 2 * h) - 1, sep, bad;
	__m128i v = h == 8 ? _mm_set_epi64x((long long)hi, (long long)lo) : _mm_set_epi64x(0, (long long)(hi << 32 | lo));

	bad = dfa_block(dfa, v, &sep) & lanes;
	sep &= lanes;
	return !bad && !(sep & sep >> 1 & ~(1u << (h - 1))) && !(sep & 1) && !(sep >> (2 * h - 1));
}

/*
 * dfa_bytes for 4 bytes or more, 16 at a time: a value under 16 bytes by
 * its two halves, a longer one in blocks of 16, the last one ending at its
 * end (its neighbours before it lie in the block before).  Loads stay
 * within the value.
 */
static inline __attribute__((always_inline)) int
dfa_run(int dfa, const char *s, size_t len)
{
	unsigned bad = 0, sep, seps = 0, last = 1;	/* the start counts as a separator */
	uint64_t lo = 0, hi = 0;

	if (len < 4 || dfa == DFA_NONE)
		return dfa_bytes(dfa, s, len);
	if (len < 8) {
		memcpy(&lo, s, 4);
		memcpy(&hi, s + len - 4, 4);
		return dfa_halves(dfa, lo, hi, 4);
	}
	if (len < 16) {
		memcpy(&lo, s, 8);
		memcpy(&hi, s + len - 8, 8);
		return dfa_halves(dfa, lo, hi, 8);
	}
	for (size_t i = 0; i < len; i += 16) {
		size_t at = i + 16 <= len ? i : len - 16;
		bad |= dfa_block(dfa, _mm_loadu_si128((const __m128i *)(s + at)), &sep);
		/* two separators side by side, within the block or across from the block before */
		seps |= (sep & sep >> 1) | (at == i ? sep & last : 0);
		last = sep >> 15;
	}
	return !bad && !seps && !last;
}

/* dfa_run with each pattern a constant: its byte classes' tests folded in. */
static int
dfa_match(int dfa, const char *s, size_t len)
{
	switch (dfa) {
	case DFA_WORD: return dfa_run(DFA_WORD, s, len);
	case DFA_SNAKE: return dfa_run(DFA_SNAKE, s, len);
	case DFA_WORD_LIST: return dfa_run(DFA_WORD_LIST, s, len);
	case DFA_SNAKE_LIST: return dfa_run(DFA_SNAKE_LIST, s, len);
	default: return dfa_bytes(dfa, s, len);	/* none other is planned */
	}
}
#else
static int
dfa_match(int dfa, const char *s, size_t len)
{
	return dfa_bytes(dfa, s, len);
}
#endif

static int
follows(const mp_colspec *c, const char *s, size_t len)
{
	return c->pattern == NULL || dfa_match(dfa_of(c, 0), s, len);
}

/* The perfect hash of a code: first and last byte and length, k chosen per column at binding. */
static inline unsigned
code_hash(const char *s, size_t len, unsigned k)
{
	return ((unsigned char)s[0] + (unsigned char)s[len - 1] * k + (unsigned)len * 7) & 15;
}

static inline uint64_t load8(const char *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static inline uint32_t load4(const char *p) { uint32_t v; memcpy(&v, p, 4); return v; }

/*
 * Bytes 1 to 16 long as two words that tell them apart from any other of
 * the same length: two overlapping loads, no loop whose end the branch
 * predictor would miss (a code's length varies from row to row).
 */
static inline void
short_key(const char *s, size_t n, uint64_t w[2])
{
	const unsigned char *u = (const unsigned char *)s;

	if (n >= 8) {
		w[0] = load8(s), w[1] = load8(s + n - 8);
	} else if (n >= 4) {
		w[0] = load4(s), w[1] = load4(s + n - 4);
	} else {
		w[0] = u[0] | (uint64_t)u[n / 2] << 8 | (uint64_t)u[n - 1] << 16;
		w[1] = 0;
	}
}

/*
 * A multiplier that gives each of the codes its own slot (filled), with
 * each code's length and key; 0 when none does (or a code is over 16 bytes,
 * or there are too many codes).
 */
static unsigned
code_table(const mp_code *codes, struct mp_colplan *p)
{
	signed char *slot = p->slot;
	int i;

	for (i = 0; codes[i].s; i++) {
		if (codes[i].len > 16 || codes[i].len == 0 || i >= MP_PLAN_CODES)
			return 0;
		p->clen[i] = (unsigned char)codes[i].len;
		short_key(codes[i].s, codes[i].len, p->cw[i]);
	}
	for (unsigned k = 1; k < 64; k++) {
		memset(slot, -1, 16);
		for (i = 0; codes[i].s && slot[code_hash(codes[i].s, codes[i].len, k)] < 0; i++)
			slot[code_hash(codes[i].s, codes[i].len, k)] = (signed char)i;
		if (!codes[i].s)
			return k;
	}
	return 0;
}

/* The check kind of a column the decoder must check, or -1 (a free text column that may be empty). */
static int
check_kind(const mp_colspec *v)
{
	switch (v->type) {
	case MP_T_FLAG: return MP_CK_FLAG;
	case MP_T_CODE: return MP_CK_CODE;
	case MP_T_DATE: case MP_T_DATETIME: return MP_CK_TIME;
	case MP_T_LIST: return MP_CK_PATTERN;
	case MP_T_STRING: return v->pattern ? MP_CK_PATTERN : v->required ? MP_CK_STRING : -1;
	default: return MP_CK_OTHER;
	}
}

/* A flag's value as the decoder reads it: its length and first byte (the NUL of an empty value) in one number. */
#define FLAG_VALUE(x) ((x)->len << 8 | (unsigned char)(x)->s[0])
#define FLAG_Y (1 << 8 | 'Y')
#define FLAG_N (1 << 8 | 'N')

/* Where the decoder keeps each time column, and whether it was given. */
static mp_time *
time_slot(mp_episode *ep, enum mp_col c, int **has)
{
	switch (c) {
	case MP_COL_START: *has = NULL; return &ep->start;
	case MP_COL_END: *has = &ep->has_end; return &ep->end;
	case MP_COL_RHI_HELD: *has = &ep->has_rhi_held; return &ep->rhi_held;
	case MP_COL_DOB: *has = &ep->has_dob; return &ep->dob;
	case MP_COL_RHI_OFFERED_AT: *has = &ep->has_offered_at; return &ep->offered_at;
	default: *has = NULL; return NULL;
	}
}

/* The plan's time columns: which the command uses (m->need), and where their values go. */
static void
plan_times(mp_colmap *m)
{
	mp_episode ep;

	for (int i = m->end[MP_CK_TIME - 1]; i < m->end[MP_CK_TIME]; i++) {
		struct mp_colplan *p = &m->plan[i];
		int *has;
		mp_time *t = time_slot(&ep, (enum mp_col)p->col, &has);
		p->keep = m->need >> p->col & 1;
		p->toff = (short)((char *)t - (char *)&ep);
		p->hoff = has ? (short)((char *)has - (char *)&ep) : -1;
	}
}

void
mp_colmap_bind(mp_colmap *m, const mp_record *header)
{
	for (int c = 0; c < MP_NCOLS; c++) {
		m->idx[c] = -1;
		for (size_t i = 0; i < header->n; i++)
			if (strcmp(header->f[i].s, mp_col_names[c]) == 0) {
				m->idx[c] = (int)i;
				break;
			}
	}
	m->nheader = header->n;
	/* Like with like (flags, codes, strings, patterns, others, times): a tight loop for each. */
	m->nplan = 0;
	for (int k = 0; k < MP_CK_NKINDS; k++) {
		for (int c = 0; c < MP_NCOLS; c++) {
			const mp_colspec *v = &mp_vocab[c];
			struct mp_colplan *p = &m->plan[m->nplan];
			if (m->idx[c] < 0 || check_kind(v) != k)
				continue;
			memset(p, 0, sizeof *p);
			p->col = (short)c;
			p->idx = (short)m->idx[c];
			p->required = (unsigned char)v->required;
			p->dfa = (unsigned char)dfa_of(v, v->type == MP_T_LIST);
			if (k == MP_CK_CODE)
				p->mult = (unsigned char)code_table(v->codes, p);
			p->date = v->type == MP_T_DATE;
			p->alt = v->required ? FLAG_Y : 0;
			m->nplan++;
		}
		m->end[k] = m->nplan;
	}
	m->need = ~0u;
	plan_times(m);
}

void
mp_colmap_need(mp_colmap *m, unsigned cols)
{
	m->need = cols | 1u << MP_COL_START | 1u << MP_COL_END;
	plan_times(m);
}

/* The index of s in codes, or -1. */
static int
code_index(const mp_code *codes, const char *s, size_t len)
{
	for (int i = 0; codes[i].s; i++)
		if (codes[i].len == len && codes[i].s[0] == s[0] && memcmp(codes[i].s, s, len) == 0)
			return i;
	return -1;
}

static enum mp_fault
not_a_code(const mp_colspec *c, const char *s, size_t len, char *msg, size_t msgsz)
{
	size_t o = (size_t)snprintf(msg, msgsz, "'%s' is not one of:", mp_show(s, len));

	for (size_t i = 0; c->codes[i].s && o < msgsz; i++)
		o += (size_t)snprintf(msg + o, msgsz - o, "%s %s", i ? "," : "", c->codes[i].s);
	return MP_FAULT_CODE;
}

static enum mp_fault
no_match(const mp_colspec *c, const char *s, size_t len, char *msg, size_t msgsz)
{
	snprintf(msg, msgsz, "'%s' does not match the pattern %s", mp_show(s, len), c->pattern);
	return MP_FAULT_FORMAT;
}

/* A ';'-separated list: no empty item, each following the pattern. */
static enum mp_fault
check_list(const mp_colspec *c, const char *s, size_t len, char *msg, size_t msgsz)
{
	const char *p = s, *end = s + len;

	for (;;) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		size_t n = (size_t)((semi ? semi : end) - p);
		if (n == 0) {
			snprintf(msg, msgsz, "empty item in a ';'-separated list");
			return MP_FAULT_FORMAT;
		}
		if (!follows(c, p, n))
			return no_match(c, p, n, msg, msgsz);
		if (!semi)
			return MP_FAULT_NONE;
		p = semi + 1;
	}
}

enum mp_fault
mp_vocab_check(enum mp_col col, const char *s, size_t len, mp_time *t, char *msg, size_t msgsz)
{
	const mp_colspec *c = &mp_vocab[col];
	mp_time scratch;
	const char *why;

	if (len == 0) {
		if (!c->required)
			return MP_FAULT_NONE;
		snprintf(msg, msgsz, "required value is empty");
		return MP_FAULT_REQUIRED;
	}
	switch (c->type) {
	case MP_T_CODE:
		return code_index(c->codes, s, len) >= 0 ? MP_FAULT_NONE : not_a_code(c, s, len, msg, msgsz);
	case MP_T_FLAG:
		if (len == 1 && (s[0] == 'Y' || s[0] == 'N'))
			return MP_FAULT_NONE;
		snprintf(msg, msgsz, "'%s' is not Y or N", mp_show(s, len));
		return MP_FAULT_FORMAT;
	case MP_T_DATE:
	case MP_T_DATETIME:
		if ((c->type == MP_T_DATE ? mp_date_parse : mp_time_parse)(s, len, t ? t : &scratch, &why) == 0)
			return MP_FAULT_NONE;
		snprintf(msg, msgsz, "'%s': %s", mp_show(s, len), why);
		return MP_FAULT_FORMAT;
	case MP_T_LIST:
		return check_list(c, s, len, msg, msgsz);
	case MP_T_INT:	/* a line number: 1, 2, ... */
		for (size_t i = 0; i < len; i++)
			if (s[i] < '0' || s[i] > '9' || (i == 0 && s[i] == '0') || i >= 18)
				return no_match(c, s, len, msg, msgsz);
		return MP_FAULT_NONE;
	default:
		return follows(c, s, len) ? MP_FAULT_NONE : no_match(c, s, len, msg, msgsz);
	}
}

int
mp_vocab_matches(enum mp_col col, const mp_schema_field *f)
{
	const mp_colspec *c = &mp_vocab[col];
	size_t n = 0;

	if (f->type != c->type || !f->required != !c->required)
		return 0;
	if ((f->pattern == NULL) != (c->pattern == NULL) || (c->pattern && strcmp(f->pattern, c->pattern) != 0))
		return 0;
	for (; c->codes && c->codes[n].s; n++)
		if (n >= f->ncodes || strcmp(f->codes[n], c->codes[n].s) != 0)
			return 0;
	return n == f->ncodes;
}

enum mp_fault
mp_episode_order(const mp_time *start, const mp_time *end, mp_field start_text, mp_field end_text,
		 char *msg, size_t msgsz)
{
	int before = start->has_time && end->has_time ? end->utc < start->utc : mp_local_day(end) < mp_local_day(start);

	if (!before)
		return MP_FAULT_NONE;
	snprintf(msg, msgsz, "ends (%s) before it starts (%s)", mp_show(end_text.s, end_text.len),
		 mp_show(start_text.s, start_text.len));
	return MP_FAULT_ORDER;
}

/* The fields every decoded episode has, whatever its faults (type: the type code's index, or -1). */
static inline void
fill(const mp_colmap *m, const mp_record *rec, mp_episode *ep, int type)
{
	ep->id = mp_get(m, rec, MP_COL_EPISODE_ID);
	ep->child = mp_get(m, rec, MP_COL_CHILD_ID);
	ep->type = type < 0 ? MP_EP_OTHER : (enum mp_ep_type)type;
	ep->offered = mp_get(m, rec, MP_COL_RHI_OFFERED).s[0] == 'Y';	/* when good: Y, N or empty */
	ep->accepted = mp_get(m, rec, MP_COL_RHI_ACCEPTED).s[0] == 'Y';
}

/* Every column in order, the first fault kept: the verdict of a row the fast path refused. */
static int
in_order(const mp_colmap *m, const mp_record *rec, mp_episode *ep, const char **col, char *msg, size_t msgsz)
{
	char scratch[256];
	mp_field type = mp_get(m, rec, MP_COL_TYPE);

	memset(ep, 0, sizeof *ep);
	for (int c = 0; c < MP_NCOLS; c++) {
		int i = m->idx[c], *has = NULL;
		mp_field f = (i >= 0 && (size_t)i < rec->n) ? rec->f[i] : (mp_field){ "", 0 };
		mp_time *t = m->need >> c & 1 ? time_slot(ep, (enum mp_col)c, &has) : NULL;	/* else checked, not kept */
		if (i < 0)
			continue;	/* which columns a command needs is its own business */
		/* The first fault is the row's; the rest are decoded all the same. */
		if (mp_vocab_check((enum mp_col)c, f.s, f.len, t, ep->bad ? scratch : msg,
				   ep->bad ? sizeof scratch : msgsz) != MP_FAULT_NONE) {
			if (!ep->bad)
				*col = mp_col_names[c];
			ep->bad |= 1u << c;
		} else if (has) {
			*has = f.len > 0;
		}
	}
	fill(m, rec, ep, code_index(type_codes, type.s, type.len));
	if (ep->has_end && !(ep->bad & (1u << MP_COL_START)) &&
	    mp_episode_order(&ep->start, &ep->end, mp_get(m, rec, MP_COL_START), mp_get(m, rec, MP_COL_END),
			     ep->bad ? scratch : msg, ep->bad ? sizeof scratch : msgsz) != MP_FAULT_NONE) {
		if (!ep->bad)
			*col = "end";
		ep->bad |= 1u << MP_COL_END;
	}
	return ep->bad ? -1 : 0;
}

/* The index of a code column's value (not empty) through the column's perfect hash, or -1. */
static inline int
code_find(const struct mp_colplan *p, const char *s, size_t len)
{
	uint64_t w[2];
	int k;

	if (!p->mult)
		return code_index(mp_vocab[p->col].codes, s, len);
	k = p->slot[code_hash(s, len, p->mult)];
	if (k < 0 || p->clen[k] != len)
		return -1;
	short_key(s, len, w);
	return w[0] == p->cw[k][0] && w[1] == p->cw[k][1] ? k : -1;
}

/* The codes of a row (their plan entries from p to end): 0, *type set, or -1. */
static int
fast_codes(const struct mp_colplan *p, const struct mp_colplan *end, const mp_field *f, int *type)
{
	for (; p < end; p++) {
		const mp_field *x = &f[p->idx];
		int k;
		if (x->len == 0) {
			if (p->required)
				return -1;
			continue;
		}
		if ((k = code_find(p, x->s, x->len)) < 0)
			return -1;
		if (p->col == MP_COL_TYPE)
			*type = k;
	}
	return 0;
}

/* The dates and date-times of a row, each the command uses parsed into its place in ep: 0 or -1. */
static int
fast_times(const struct mp_colplan *p, const struct mp_colplan *end, const mp_field *f, mp_episode *ep)
{
	for (; p < end; p++) {
		const mp_field *x = &f[p->idx];
		mp_time scratch, *t = &scratch;
		const char *why;
		if (x->len == 0) {
			if (p->required)
				return -1;
			continue;
		}
		if (p->keep)
			t = (mp_time *)(void *)((char *)ep + p->toff);
		else if (mp_time_valid_fast(x->s, x->len, p->date))
			continue;	/* checked, not used */
		if (p->date ? mp_date_parse(x->s, x->len, t, &why) : mp_time_parse(x->s, x->len, t, &why))
			return -1;
		if (p->keep && p->hoff >= 0)
			*(int *)(void *)((char *)ep + p->hoff) = 1;
	}
	return 0;
}

/*
 * The common case, a good row: 0, or -1 at the first fault found (not
 * necessarily the first in order).  Each kind of check in a loop of its own.
 */
static int
fast(const mp_colmap *m, const mp_record *rec, mp_episode *ep)
{
	const struct mp_colplan *p = m->plan, *end;
	const mp_field *f = rec->f;
	int type = -1;
	unsigned bad = 0;

	ep->has_end = ep->has_rhi_held = ep->has_dob = ep->has_offered_at = 0;
	ep->bad = 0;
	if (m->idx[MP_COL_START] < 0)
		memset(&ep->start, 0, sizeof ep->start);
	/* Flags without a branch a value: Y, N and empty come in any order. */
	for (end = m->plan + m->end[MP_CK_FLAG]; p < end; p++) {
		size_t v = FLAG_VALUE(&f[p->idx]);
		bad |= (v != FLAG_Y) & (v != FLAG_N) & (v != p->alt);
	}
	if (bad)
		return -1;
	end = m->plan + m->end[MP_CK_CODE];
	if (fast_codes(p, end, f, &type))
		return -1;
	for (p = end, end = m->plan + m->end[MP_CK_STRING]; p < end; p++)
		if (f[p->idx].len == 0)
			return -1;
	for (end = m->plan + m->end[MP_CK_PATTERN]; p < end; p++)
		if (f[p->idx].len ? !dfa_match(p->dfa, f[p->idx].s, f[p->idx].len) : p->required)
			return -1;
	for (end = m->plan + m->end[MP_CK_OTHER]; p < end; p++)
		if (mp_vocab_check((enum mp_col)p->col, f[p->idx].s, f[p->idx].len, NULL, NULL, 0) != MP_FAULT_NONE)
			return -1;
	if (fast_times(p, m->plan + m->end[MP_CK_TIME], f, ep))
		return -1;
	fill(m, rec, ep, type);
	if (ep->has_end && (ep->start.has_time && ep->end.has_time ? ep->end.utc < ep->start.utc
				 : mp_local_day(&ep->end) < mp_local_day(&ep->start)))
		return -1;
	return 0;
}

int
mp_episode_fast(const mp_colmap *m, const mp_record *rec, mp_episode *ep)
{
	return m->nheader == rec->n ? fast(m, rec, ep) : -1;
}

int
mp_episode_decode(const mp_colmap *m, const mp_record *rec, mp_episode *ep,
		  const char **col, char *msg, size_t msgsz)
{
	if (mp_episode_fast(m, rec, ep) == 0)
		return 0;
	return in_order(m, rec, ep, col, msg, msgsz);
}
