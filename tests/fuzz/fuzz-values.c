/*
 * fuzz-values.c - the stdin value reader: splitting input into records
 * and fields must not depend on where chunk boundaries fall.  The first
 * byte picks the mode and the chunk size; the rest is the input.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "records.h"

/* Records and fields in one canonical form: lengths and bytes. */
static size_t
split(const uint8_t *data, size_t len, size_t chunk, int terminator,
    int delimiter, uint8_t *out)
{
	struct splitter s;
	struct piece p;
	size_t o = 0;

	splitter_init(&s, terminator, delimiter);
	for (size_t at = 0; at < len; at += chunk) {
		size_t n = len - at < chunk ? len - at : chunk;

		splitter_feed(&s, (const char *)data + at, n);
		while (splitter_next(&s, &p)) {
			memcpy(out + o, p.data, p.len);
			o += p.len;
			if (p.end != PIECE_CONTINUES)
				out[o++] = p.end == PIECE_ENDS_FIELD ? 0xfe : 0xff;
		}
	}
	while (splitter_finish(&s, &p)) {
		memcpy(out + o, p.data, p.len);
		o += p.len;
		if (p.end != PIECE_CONTINUES)
			out[o++] = p.end == PIECE_ENDS_FIELD ? 0xfe : 0xff;
	}
	return o;
}

/* libFuzzer's entry point: declared here, as libFuzzer has no header. */
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *whole, *chunked;
	size_t whole_len, chunked_len, chunk;
	int terminator, delimiter;

	if (size < 1)
		return 0;
	terminator = data[0] & 1 ? '\0' : '\n';
	/* CR too: it delimits, but the CR of CR LF ends the line. */
	delimiter = (int[]){ NO_DELIMITER, '\t', ',', '\r' }[data[0] >> 1 & 3];
	chunk = (size_t)(data[0] >> 3) + 1;
	data++;
	size--;
	/* Each input byte gives at most itself and one end marker. */
	whole = malloc(2 * size + 2);
	chunked = malloc(2 * size + 2);
	whole_len = split(data, size, size + 1, terminator, delimiter, whole);
	chunked_len = split(data, size, chunk, terminator, delimiter, chunked);
	if (whole_len != chunked_len || memcmp(whole, chunked, whole_len) != 0)
		abort();
	/* Only CR before LF and the separators themselves are dropped. */
	if (whole_len > 2 * size + 1)
		abort();
	free(whole);
	free(chunked);
	return 0;
}
