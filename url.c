/*
 * url.c - percent-encoding and query parsing.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <stdlib.h>
#include <string.h>

#include "sha1.h"
#include "url.h"

static bool
is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

size_t
url_encode(char *dst, const char *src, size_t len)
{
	static const char digits[] = "0123456789ABCDEF";
	char *out = dst;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)src[i];

		if (is_unreserved(c))
			*out++ = (char)c;
		else {
			*out++ = '%';
			*out++ = digits[c >> 4];
			*out++ = digits[c & 15];
		}
	}
	return (size_t)(out - dst);
}

bool
url_decode(char *dst, size_t *dst_len, const char *src, size_t len,
    size_t *bad)
{
	size_t out = 0;

	for (size_t i = 0; i < len; i++) {
		char c = src[i];

		if (c == '+')
			c = ' ';
		else if (c == '%') {
			int hi = len - i >= 3 ? hex_value(src[i + 1]) : -1;
			int lo = len - i >= 3 ? hex_value(src[i + 2]) : -1;

			if (hi < 0 || lo < 0) {
				*bad = i;
				return false;
			}
			c = (char)(hi << 4 | lo);
			i += 2;
		}
		dst[out++] = c;
	}
	*dst_len = out;
	return true;
}

/* The next '&' or ';' in [s, end), or end. */
static const char *
pair_end(const char *s, const char *end)
{
	while (s < end && *s != '&' && *s != ';')
		s++;
	return s;
}

static size_t
count_pairs(const char *s, size_t len)
{
	const char *end = s + len;
	size_t count = 1;

	for (s = pair_end(s, end); s < end; s = pair_end(s + 1, end))
		count++;
	return count;
}

/* Decodes src into *storage, NUL-terminates it, and advances *storage. */
static bool
decode_part(char **storage, const char **part, size_t *part_len,
    const char *src, size_t len, size_t *bad)
{
	if (!url_decode(*storage, part_len, src, len, bad))
		return false;
	*part = *storage;
	(*storage)[*part_len] = '\0';
	*storage += *part_len + 1;
	return true;
}

/*
 * Empty pairs ("a=1&&b=2") are skipped, as servers do; a pair without
 * '=' is a bare name, with an empty value.
 */
bool
query_parse(struct query *q, const char *uri, size_t base, size_t len,
    size_t *bad)
{
	const char *s = uri + base, *end = s + len;
	size_t pairs = count_pairs(s, len);
	char *storage;

	q->count = 0;
	q->params = calloc(pairs, sizeof(*q->params));
	q->storage = storage = malloc(len + 2 * pairs);
	if (q->params == NULL || q->storage == NULL) {
		query_free(q);
		*bad = (size_t)-1;
		return false;
	}
	while (s < end) {
		const char *stop = pair_end(s, end);
		const char *eq = memchr(s, '=', (size_t)(stop - s));
		const char *name_end = eq != NULL ? eq : stop;
		const char *value = eq != NULL ? eq + 1 : stop;
		struct param *p = &q->params[q->count];

		if (stop > s) {
			/* Rack 1.x splits at [&;] and the spaces after it. */
			while (s > uri + base && s + p->lead_spaces < stop &&
			    s[p->lead_spaces] == ' ')
				p->lead_spaces++;
			p->raw_start = (size_t)(s - uri);
			p->raw_end = (size_t)(stop - uri);
			p->bare = eq == NULL;
			p->origin = FROM_QUERY;
			if (!decode_part(&storage, &p->name, &p->name_len, s,
			    (size_t)(name_end - s), bad)) {
				*bad += (size_t)(s - uri);
				query_free(q);
				return false;
			}
			if (!decode_part(&storage, &p->value, &p->value_len,
			    value, (size_t)(stop - value), bad)) {
				*bad += (size_t)(value - uri);
				query_free(q);
				return false;
			}
			q->count++;
		}
		s = stop + 1;
	}
	return true;
}

void
query_free(struct query *q)
{
	free(q->params);
	free(q->storage);
	q->params = NULL;
	q->storage = NULL;
	q->count = 0;
}

bool
uri_query(const char *uri, size_t *start, size_t *end)
{
	const char *hash = strchr(uri, '#');
	size_t limit = hash != NULL ? (size_t)(hash - uri) : strlen(uri);
	const char *question = memchr(uri, '?', limit);

	if (question == NULL) {
		*start = *end = limit;
		return false;
	}
	*start = (size_t)(question - uri) + 1;
	*end = limit;
	return true;
}

void
url_last_segment(const char *url, const char **seg, size_t *seg_len)
{
	const char *path, *end;

	url_path(url, &path, &end);
	if (end > path && end[-1] == '/')
		end--;
	*seg = end;
	while (*seg > path && (*seg)[-1] != '/')
		(*seg)--;
	*seg_len = (size_t)(end - *seg);
}

void
url_path(const char *url, const char **path, const char **end)
{
	size_t scheme = strcspn(url, ":/?#");

	*path = url;
	if (url[scheme] == ':' && url[scheme + 1] == '/' &&
	    url[scheme + 2] == '/') {
		*path = url + scheme + 3;
		*path += strcspn(*path, "/?#");
	}
	*end = *path + strcspn(*path, "?#");
}

size_t
path_decode(char *dst, const char *src, size_t len)
{
	size_t out = 0;

	for (size_t i = 0; i < len; i++) {
		int hi = src[i] == '%' && len - i >= 3 ? hex_value(src[i + 1]) :
		    -1;
		int lo = hi >= 0 ? hex_value(src[i + 2]) : -1;

		if (lo >= 0) {
			dst[out++] = (char)(hi << 4 | lo);
			i += 2;
		} else
			dst[out++] = src[i];
	}
	return out;
}

const struct param *
params_find(const struct param *params, size_t count, const char *name,
    size_t name_len)
{
	for (size_t i = count; i-- > 0;)
		if (params[i].name_len == name_len &&
		    memcmp(params[i].name, name, name_len) == 0)
			return &params[i];
	return NULL;
}
