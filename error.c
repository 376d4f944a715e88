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
	e->out_of_memory = false;
	return false;
}

bool
mh_no_memory(struct mh_error *e)
{
	mh_fail(e, "Cannot allocate memory");
	if (e != NULL) {
		e->code = MH_E_NO_MEMORY;
		e->out_of_memory = true;
	}
	return false;
}

struct quoted
quote(const char *s, size_t len)
{
	struct quoted q;
	char *out = q.text;

	for (size_t i = 0; i < len && i < QUOTED_MAX; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f || c == '\\')
			out += snprintf(out, 5, "\\x%02x", c);
		else
			*out++ = (char)c;
	}
	strcpy(out, len > QUOTED_MAX ? "..." : "");
	return q;
}

struct quoted
quote_str(const char *s)
{
	return quote(s, strlen(s));
}
