/*
 * request-write.c - the query, URL, body or URI that carries the hash.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <string.h>

#include "request-impl.h"

static bool
write_str(sink_fn sink, void *arg, const char *s)
{
	return sink(arg, s, strlen(s));
}

static bool
write_encoded(sink_fn sink, void *arg, const char *s, size_t len)
{
	char buf[URL_ENCODED_MAX(1024)];

	while (len > 0) {
		size_t n = len < 1024 ? len : 1024;

		if (!sink(arg, buf, url_encode(buf, s, n)))
			return false;
		s += n;
		len -= n;
	}
	return true;
}

/* The pairs given here (with_url: the URL's own query's too), then hash. */
static bool
write_pairs(const struct request *r, bool with_url, const char *hex,
    sink_fn sink, void *arg)
{
	for (size_t i = 0; i < r->count; i++) {
		const struct param *p = &r->params[i];

		if (p->origin == FROM_QUERY || p->origin == FROM_PATH ||
		    p->origin == FROM_RACK ||
		    (p->origin == FROM_URL && !with_url))
			continue;
		if (!write_encoded(sink, arg, p->name, p->name_len) ||
		    !sink(arg, "=", 1) ||
		    !write_encoded(sink, arg, p->value, p->value_len) ||
		    !sink(arg, "&", 1))
			return false;
	}
	return write_str(sink, arg, "hash=") && sink(arg, hex, SHA1_HEX_LEN);
}

/* A body carries every parameter hashed, the URL's query's too. */
bool
request_write_query(const struct request *r, const char *hex, sink_fn sink,
    void *arg)
{
	return write_pairs(r, true, hex, sink, arg);
}

/*
 * What goes between uri[0..end) and one more parameter.  Only the first
 * '?' starts the query: a later '?' is part of a value, so "?a=1?" still
 * needs an '&'.
 */
static const char *
query_separator(const char *uri, bool has_query, size_t start, size_t end)
{
	if (!has_query)
		return "?";
	if (start == end || uri[end - 1] == '&' || uri[end - 1] == ';')
		return "";
	return "&";
}

bool
request_write_url(const struct request *r, const char *url, const char *hex,
    sink_fn sink, void *arg)
{
	size_t start, end;
	bool has_query = uri_query(url, &start, &end);
	size_t len = strlen(url);

	return sink(arg, url, len) &&
	    write_str(sink, arg, query_separator(url, has_query, start, len)) &&
	    write_pairs(r, false, hex, sink, arg);
}

bool
request_write_uri(const char *uri, const struct param *old, const char *hex,
    sink_fn sink, void *arg)
{
	size_t start, end;
	bool has_query;

	/* The hash MOR reads, the last, gets the value: "hash", "[hash]=". */
	if (old != NULL && !old->nested) {
		const char *eq = memchr(uri + old->raw_start, '=',
		    old->raw_end - old->raw_start);
		size_t keep = eq != NULL ? (size_t)(eq - uri) : old->raw_end;

		return sink(arg, uri, keep) && sink(arg, "=", 1) &&
		    sink(arg, hex, SHA1_HEX_LEN) &&
		    write_str(sink, arg, uri + old->raw_end);
	}
	has_query = uri_query(uri, &start, &end);
	if (!sink(arg, uri, end) ||
	    !write_str(sink, arg, query_separator(uri, has_query, start, end)))
		return false;
	return write_str(sink, arg, "hash=") && sink(arg, hex, SHA1_HEX_LEN) &&
	    write_str(sink, arg, uri + end);
}
