/*
 * fuzz-methods.c - the parser of the user's methods file: any input is
 * parsed or refused with a line number inside the file, and every entry
 * it accepts has valid lists that iterate to their end.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "methods.h"

/* libFuzzer's entry point: declared here, as libFuzzer has no header. */
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct method_table t;
	unsigned long line, lines = 1;
	struct mh_error e;

	memcpy(text, data, size);
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	if (!method_table_parse(&t, text, size, "fuzz", &e)) {
		if (e.code == MH_E_NO_MEMORY)
			return 0;
		if (sscanf(e.message, "methods file 'fuzz', line %lu: ", &line) != 1 ||
		    line < 1 || line > lines)
			abort();
		return 0;
	}
	for (size_t i = 0; i < t.count; i++) {
		const struct method *m = &t.entries[i];
		const char *lists[2] = { m->hashed, m->other };
		struct method_param p;

		if (m->name[0] == '\0' || m->line < 1 || m->line > lines)
			abort();
		for (int k = 0; k < 2; k++) {
			const char *cursor = lists[k];

			if (lists[k][0] != '\0' && !method_list_valid(lists[k]))
				abort();
			while (method_list_next(&cursor, &p))
				if (p.name_len == 0)
					abort();
		}
	}
	method_table_free(&t);
	return 0;
}
