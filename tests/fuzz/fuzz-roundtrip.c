/*
 * fuzz-roundtrip.c - percent-encoding then decoding gives the input back;
 * and a query built from encoded NAME=VALUE pairs, as --url builds it,
 * parses back to the same pairs, so the hash over its values is the hash
 * --uri computes.  The input is split at 0xff bytes into names and values.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sha1.h"
#include "url.h"

struct part {
	const char	*data;
	size_t		 len;
};

static void
hash_parts(unsigned char *digest, const struct part *parts, size_t count)
{
	sha1_ctx ctx;

	sha1_init(&ctx);
	for (size_t i = 1; i < count; i += 2)
		sha1_update(&ctx, parts[i].data, parts[i].len);
	sha1_update(&ctx, "key", 3);
	sha1_final(&ctx, digest);
}

/* libFuzzer's entry point: declared here, as libFuzzer has no header. */
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	char *enc = malloc(URL_ENCODED_MAX(size) + 1);
	char *dec = malloc(size + 1);
	char *query = malloc(URL_ENCODED_MAX(size) + size + 2);
	struct part *parts = calloc(size + 2, sizeof(*parts));
	unsigned char built[SHA1_DIGEST_LEN], parsed[SHA1_DIGEST_LEN];
	size_t enc_len, dec_len, bad, q_len = 0, count = 0;
	struct query q;
	sha1_ctx ctx;

	enc_len = url_encode(enc, in, size);
	if (!url_decode(dec, &dec_len, enc, enc_len, &bad) ||
	    dec_len != size || memcmp(dec, in, size) != 0)
		abort();
	/* Encoded bytes never end a pair, a query or a value; never NUL. */
	enc[enc_len] = '\0';
	if (strcspn(enc, "&=+#?") != enc_len)
		abort();

	for (size_t at = 0; at <= size; count++) {
		const char *stop = memchr(in + at, 0xff, size - at);
		size_t n = stop != NULL ? (size_t)(stop - in) - at : size - at;

		parts[count].data = in + at;
		parts[count].len = n;
		q_len += url_encode(query + q_len, in + at, n);
		query[q_len++] = count % 2 == 0 ? '=' : '&';
		at += n + 1;
	}
	if (!query_parse(&q, query, 0, q_len, &bad) ||
	    q.count != (count + 1) / 2)
		abort();
	for (size_t i = 0; i < q.count; i++) {
		const struct part *name = &parts[2 * i];
		size_t value_len = 2 * i + 1 < count ? parts[2 * i + 1].len : 0;

		if (q.params[i].name_len != name->len ||
		    memcmp(q.params[i].name, name->data, name->len) != 0 ||
		    q.params[i].value_len != value_len ||
		    (value_len > 0 && memcmp(q.params[i].value,
		    parts[2 * i + 1].data, value_len) != 0))
			abort();
	}
	hash_parts(built, parts, count);
	sha1_init(&ctx);
	for (size_t i = 0; i < q.count; i++)
		sha1_update(&ctx, q.params[i].value, q.params[i].value_len);
	sha1_update(&ctx, "key", 3);
	sha1_final(&ctx, parsed);
	if (!sha1_equal(built, parsed))
		abort();
	query_free(&q);
	free(enc);
	free(dec);
	free(query);
	free(parts);
	return 0;
}
