/* rowname.c: one way for every command to say which row a data message is about. */
#include "rowname.h"
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The value of column name in rec, or an empty field. */
static mp_field
column(const mp_record *header, const mp_record *rec, const char *name)
{
	mp_field none = { "", 0 };

	for (size_t i = 0; i < header->n; i++)
		if (strcmp(header->f[i].s, name) == 0)
			return i < rec->n ? rec->f[i] : none;
	return none;
}

/* "episode ID (source line N)" from the two fields; "" when both are empty. */
static const char *
name_of(mp_field id, mp_field sl, char *buf, size_t sz)
{
	size_t o = 0;

	buf[0] = '\0';
	if (id.len)
		o = (size_t)snprintf(buf, sz, "episode %s", mp_show(id.s, id.len));
	if (sl.len && o < sz)
		snprintf(buf + o, sz - o, o ? " (source line %s)" : "source line %s", mp_show(sl.s, sl.len));
	return buf;
}

const char *
mp_row_name(const mp_record *header, const mp_record *rec, char *buf, size_t sz)
{
	mp_field none = { "", 0 };

	if (!header || !rec)
		return name_of(none, none, buf, sz);
	return name_of(column(header, rec, "episode_id"), column(header, rec, "source_line"), buf, sz);
}

/* prog: file:line: NAME: field: message */
static void
vmsg(const char *name, const char *file, long line, const char *field, const char *fmt, va_list ap)
{
	char where[400];

	if (name[0] && field)
		snprintf(where, sizeof where, "%s: %s", name, field);
	else
		snprintf(where, sizeof where, "%s", name[0] ? name : field ? field : "");
	mp_vdata_msg(file, line, where[0] ? where : NULL, fmt, ap);
}

void
mp_row_msg(const mp_record *header, const mp_record *rec, const char *file, long line, const char *field,
	   const char *fmt, ...)
{
	char name[200];
	va_list ap;

	mp_row_name(header, rec, name, sizeof name);
	va_start(ap, fmt);
	vmsg(name, file, line, field, fmt, ap);
	va_end(ap);
}

void
mp_row_msgc(const mp_colmap *cm, const mp_record *rec, const char *file, long line, const char *field,
	    const char *fmt, ...)
{
	char name[200];
	va_list ap;

	name_of(mp_get(cm, rec, MP_COL_EPISODE_ID), mp_get(cm, rec, MP_COL_SOURCE_LINE), name, sizeof name);
	va_start(ap, fmt);
	vmsg(name, file, line, field, fmt, ap);
	va_end(ap);
}
