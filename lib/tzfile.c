/* tzfile.c: reading a TZif zone file and the POSIX TZ rule in its footer. */
#include "tzfile.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TZIF_MAX (1 << 20)	/* zone files are a few KiB */

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t
be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* The six counts of a TZif header at p: isut, isstd, leap, time, type, char. */
static void
counts(const unsigned char *p, size_t c[6])
{
	for (int i = 0; i < 6; i++)
		c[i] = be32(p + 20 + 4 * i);
}

/* Bytes of a data block with these counts and tsz-byte times. */
static size_t
block_size(const size_t c[6], size_t tsz)
{
	return c[3] * tsz + c[3] + c[4] * 6 + c[5] + c[2] * (tsz + 4) + c[1] + c[0];
}

/* The version-2 data block at p (counts c) into z. */
static int
read_block(const unsigned char *p, const size_t c[6], mp_tzdata *z)
{
	const unsigned char *times = p, *idx = p + c[3] * 8, *types = idx + c[3];

	if (c[4] == 0 || c[4] > 256)
		return -1;
	z->initial = (int32_t)be32(types);
	z->t = malloc((c[3] ? c[3] : 1) * sizeof *z->t);
	if (!z->t)
		return -1;
	z->n = 0;
	for (size_t i = 0; i < c[3]; i++) {
		if (idx[i] >= c[4])
			return -1;
		int32_t off = (int32_t)be32(types + 6 * idx[i]);
		int32_t prev = z->n ? z->t[z->n - 1].off : z->initial;
		if (off != prev)
			z->t[z->n++] = (mp_tztrans){ be64(times + 8 * i), off };
	}
	return 0;
}

static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *buf;

	if (!fp)
		return NULL;
	buf = malloc(TZIF_MAX);
	*len = buf ? fread(buf, 1, TZIF_MAX, fp) : 0;
	fclose(fp);
	return buf;
}

int
mp_tzfile_load(const char *path, mp_tzdata *z, char *rule, size_t rulesz)
{
	size_t len, c[6], skip, need;
	unsigned char *buf = slurp(path, &len);
	int r = -1;

	memset(z, 0, sizeof *z);
	rule[0] = '\0';
	if (!buf)
		return -1;
	if (len < 44 || memcmp(buf, "TZif", 4) != 0 || buf[4] < '2')
		goto out;
	counts(buf, c);
	skip = 44 + block_size(c, 4);
	if (skip + 44 > len || memcmp(buf + skip, "TZif", 4) != 0)
		goto out;
	counts(buf + skip, c);
	need = skip + 44 + block_size(c, 8);
	if (need > len || read_block(buf + skip + 44, c, z) != 0)
		goto out;
	/* The footer: "\nRULE\n". */
	if (need + 1 < len && buf[need] == '\n') {
		const unsigned char *e = memchr(buf + need + 1, '\n', len - need - 1);
		size_t n = e ? (size_t)(e - buf - need - 1) : 0;
		if (n < rulesz) {
			memcpy(rule, buf + need + 1, n);
			rule[n] = '\0';
		}
	}
	r = 0;
out:
	if (r != 0) {
		free(z->t);
		z->t = NULL;
	}
	free(buf);
	return r;
}

/* A zone abbreviation: <...> or three or more letters. */
static const char *
tz_name(const char *s)
{
	const char *p = s;

	if (*p == '<') {
		p = strchr(p, '>');
		return p ? p + 1 : NULL;
	}
	while (isalpha((unsigned char)*p))
		p++;
	return p - s >= 3 ? p : NULL;
}

/* [+-]h[h][:mm[:ss]] as seconds (hours up to 167); NULL when malformed. */
static const char *
tz_secs(const char *p, int32_t *secs)
{
	int sign = 1, part[3] = { 0, 0, 0 };

	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	for (int k = 0; k < 3; k++) {
		if (k && *p != ':')
			break;
		if (k)
			p++;
		if (!isdigit((unsigned char)*p))
			return NULL;
		while (isdigit((unsigned char)*p) && part[k] < 1000)
			part[k] = part[k] * 10 + (*p++ - '0');
	}
	if (part[0] > 167 || part[1] > 59 || part[2] > 59)
		return NULL;
	*secs = sign * (part[0] * 3600 + part[1] * 60 + part[2]);
	return p;
}

/* Jn, n or Mm.w.d, then an optional /time (default 02:00). */
static const char *
tz_when(const char *p, struct mp_tzwhen *w)
{
	char *e;

	w->secs = 7200;
	if (*p == 'M') {
		w->kind = 'M';
		w->m = (int)strtol(p + 1, &e, 10);
		if (*e != '.' || w->m < 1 || w->m > 12)
			return NULL;
		w->w = (int)strtol(e + 1, &e, 10);
		if (*e != '.' || w->w < 1 || w->w > 5)
			return NULL;
		w->d = (int)strtol(e + 1, &e, 10);
		if (w->d < 0 || w->d > 6)
			return NULL;
	} else {
		w->kind = *p == 'J' ? 'J' : 'N';
		if (!isdigit((unsigned char)p[w->kind == 'J']))
			return NULL;
		w->d = (int)strtol(p + (w->kind == 'J'), &e, 10);
		if (w->d > 365 || (w->kind == 'J' && w->d < 1))
			return NULL;
	}
	if (*e == '/')
		return tz_secs(e + 1, &w->secs);
	return e;
}

int
mp_tzrule_parse(const char *s, mp_tzrule *r)
{
	const char *p = tz_name(s);
	int32_t west;

	memset(r, 0, sizeof *r);
	if (!p || !(p = tz_secs(p, &west)))
		return -1;
	r->std = r->dst = -west;
	if (!*p)
		return 0;
	if (!(p = tz_name(p)))
		return -1;
	r->dst = r->std + 3600;
	if (*p && *p != ',') {
		if (!(p = tz_secs(p, &west)))
			return -1;
		r->dst = -west;
	}
	if (*p != ',' || !(p = tz_when(p + 1, &r->start)) || *p != ',' || !(p = tz_when(p + 1, &r->end)) || *p)
		return -1;
	r->has_dst = 1;
	return 0;
}
