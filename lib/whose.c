/* whose.c: the council's own children and those placed here by others (see whose.h). */
#include "whose.h"
#include "err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const mp_children_names[] = { "own", "placed-here", "all" };

int
mp_children_parse(const char *arg)
{
	for (int i = 0; i <= MP_CHILDREN_ALL; i++)
		if (strcmp(arg, mp_children_names[i]) == 0)
			return i;
	return -1;
}

/* s[0..*n) without surrounding spaces. */
static const char *
trim(const char *s, size_t *n)
{
	while (*n && (*s == ' ' || *s == '\t'))
		s++, --*n;
	while (*n && (s[*n - 1] == ' ' || s[*n - 1] == '\t'))
		--*n;
	return s;
}

static int
same_code(const char *a, size_t an, const char *b, size_t bn)
{
	a = trim(a, &an);
	b = trim(b, &bn);
	if (an != bn)
		return 0;
	for (size_t i = 0; i < an; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return 0;
	}
	return 1;
}

void
mp_la_see(mp_la_seen *s, const char *v, size_t n)
{
	v = trim(v, &n);
	if (n == 0 || s->other)
		return;
	if (!s->first)
		s->first = mp_xstrndup(v, n);
	else if (!same_code(s->first, strlen(s->first), v, n))
		s->other = mp_xstrndup(v, n);
}

void
mp_la_merge(mp_la_seen *dst, mp_la_seen *src)
{
	if (src->first)
		mp_la_see(dst, src->first, strlen(src->first));
	if (src->other)
		mp_la_see(dst, src->other, strlen(src->other));
	mp_la_free(src);
}

void
mp_la_free(mp_la_seen *s)
{
	free(s->first);
	free(s->other);
	s->first = s->other = NULL;
}

const char *
mp_la_council(const mp_la_seen *s, const char *given)
{
	if (given)
		return given;
	return s->other ? NULL : s->first;
}

int
mp_children_keep(enum mp_children mode, const char *la, const char *resp, size_t n)
{
	resp = trim(resp, &n);
	if (mode == MP_CHILDREN_ALL)
		return 1;
	if (n == 0)
		return mode == MP_CHILDREN_OWN;
	if (!la)
		return -1;
	return same_code(la, strlen(la), resp, n) == (mode == MP_CHILDREN_OWN);
}

void
mp_la_unknown_msg(const mp_la_seen *s, enum mp_children mode, char *buf, size_t bufsz)
{
	if (s->other)
		snprintf(buf, bufsz, "la: the input holds several councils (%s, %s, ...) and some rows have a "
			 "responsible_la: give --la CODE for this council (or --children all)",
			 mp_show(s->first, strlen(s->first)), mp_show(s->other, strlen(s->other)));
	else
		snprintf(buf, bufsz, "la: no council code in the input and some rows have a responsible_la: "
			 "give --la CODE for this council (--children %s needs it; or --children all)",
			 mp_children_names[mode]);
}
