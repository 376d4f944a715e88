/*
 * error.c - error values and quoting.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

bool
mh_fail(struct mh_error *e, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return false;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
	e->code = MH_E_INPUT;
	e->status = 0;
	return false;
}

bool
mh_no_memory(struct mh_error *e)
{
	mh_fail(e, "Cannot allocate memory");
	if (e != NULL)
		e->code = MH_E_NO_MEMORY;
	return false;
}

size_t
escape_byte(unsigned char c, char out[ESCAPED_MAX])
{
	static const char hex[] = "0123456789abcdef";

	if (c >= 0x20 && c != 0x7f && c != '\\') {
		out[0] = (char)c;
		return 1;
	}
	out[0] = '\\';
	if (c == '\\' || c == '\n' || c == '\r' || c == '\t') {
		out[1] = c == '\\' ? '\\' : c == '\n' ? 'n' :
		    c == '\r' ? 'r' : 't';
		return 2;
	}
	out[1] = 'x';
	out[2] = hex[c >> 4];
	out[3] = hex[c & 0xf];
	return 4;
}

/* Escapes at most max bytes of s into out, then "..." when cut. */
static void
escape(char *out, const char *s, size_t len, size_t max)
{
	for (size_t i = 0; i < len && i < max; i++)
		out += escape_byte((unsigned char)s[i], out);
	strcpy(out, len > max ? "..." : "");
}

struct quoted
quote(const char *s, size_t len)
{
	struct quoted q;

	escape(q.text, s, len, QUOTED_MAX);
	return q;
}

struct quoted_path
quote_path(const char *path)
{
	struct quoted_path q;

	escape(q.text, path, strlen(path), PATH_QUOTED_MAX);
	return q;
}

struct quoted
quote_str(const char *s)
{
	return quote(s, strlen(s));
}
