/*
 * fuzz-query.c - the URI query parser and percent-decoder: any input is
 * parsed or refused, offsets stay inside the input, and decoded parts are
 * never longer than their raw bytes.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "url.h"

/* libFuzzer's entry point: declared here, as libFuzzer has no header. */
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *uri = malloc(size + 1);
	size_t start, end, bad;
	struct query q;
	const char *seg;
	size_t seg_len;

	memcpy(uri, data, size);
	uri[size] = '\0';
	uri_query(uri, &start, &end);
	if (start > end || end > strlen(uri))
		abort();
	if (query_parse(&q, uri, start, end - start, &bad)) {
		for (size_t i = 0; i < q.count; i++) {
			const struct param *p = &q.params[i];

			if (p->raw_start < start || p->raw_end > end ||
			    p->raw_start >= p->raw_end ||
			    p->name_len + p->value_len > p->raw_end - p->raw_start)
				abort();
			if (params_find(q.params, q.count, p->name,
			    p->name_len) == NULL)
				abort();
		}
		query_free(&q);
	} else if (bad < start || bad >= end || uri[bad] != '%')
		abort();
	url_last_segment(uri, &seg, &seg_len);
	if (seg < uri || seg + seg_len > uri + strlen(uri))
		abort();
	free(uri);
	return 0;
}
