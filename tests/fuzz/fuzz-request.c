/*
 * fuzz-request.c - libFuzzer target over the request model: the input is
 * the query of a user_details_get URI; its hash, written back into the
 * URI and read again, must give the same digest.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "request.h"

#define PREFIX "http://h/billing/api/user_details_get?"

struct buf {
	char	*data;
	size_t	 len, cap;
};

static bool
buf_sink(void *arg, const void *data, size_t len)
{
	struct buf *b = arg;

	if (len >= b->cap - b->len)
		return false;
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return true;
}

static struct catalog catalog;
static struct hasher hasher;

/* uri's digest, with its hash parameter in *old; false on an error. */
static bool
digest_of(struct request *r, const char *uri, const struct param **old,
    unsigned char digest[SHA1_DIGEST_LEN])
{
	struct request_options o;
	struct mh_error e;

	memset(&o, 0, sizeof(o));
	o.catalog = &catalog;
	o.target.version = server_version_newest();
	o.target.latest = true;
	if (!request_add_query(r, uri, FROM_QUERY, &e))
		return false;
	/* The parameters may move while planning: the hash after it. */
	if (!request_plan(r, uri, &o, &e) || !request_select(r, &e))
		return false;
	*old = request_hash_param(r);
	request_digest(r, &hasher, digest);
	return true;
}

/* libFuzzer's entry point: declared here, as libFuzzer has no header. */
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	unsigned char first[SHA1_DIGEST_LEN], second[SHA1_DIGEST_LEN];
	char hex[SHA1_HEX_LEN + 1];
	const struct param *old, *again;
	struct request r, s;
	struct buf b;
	char *uri;

	if (!ready) {
		struct mh_error e;

		if (!catalog_open(&catalog, NULL, false, &e))
			abort();
		hasher_init(&hasher, (const unsigned char *)"fuzz key", 8);
		ready = true;
	}
	if ((uri = malloc(sizeof(PREFIX) + size)) == NULL)
		return 0;
	memcpy(uri, PREFIX, sizeof(PREFIX) - 1);
	memcpy(uri + sizeof(PREFIX) - 1, data, size);
	uri[sizeof(PREFIX) - 1 + size] = '\0';
	b.cap = strlen(uri) + sizeof("&hash=") + SHA1_HEX_LEN + 2;
	b.len = 0;
	if ((b.data = malloc(b.cap)) == NULL) {
		free(uri);
		return 0;
	}
	request_init(&r);
	request_init(&s);
	if (!digest_of(&r, uri, &old, first))
		goto done;
	sha1_to_hex(hex, first);
	if (!request_write_uri(uri, old, hex, buf_sink, &b))
		abort();
	if (!digest_of(&s, b.data, &again, second))
		abort();
	if (!sha1_equal(first, second))
		abort();
done:
	request_free(&s);
	request_free(&r);
	free(b.data);
	free(uri);
	return 0;
}
