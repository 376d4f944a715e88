/*
 * url.c - percent-encoding and query parsing.
 */
#include <stdlib.h>
#include <string.h>

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

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
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

static size_t
count_pairs(const char *s, size_t len)
{
	size_t count = 1;

	for (const char *p = s; (p = memchr(p, '&', len - (size_t)(p - s)));
	    p++)
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
 * '=' is a name with an empty value.
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
		const char *amp = memchr(s, '&', (size_t)(end - s));
		const char *pair_end = amp != NULL ? amp : end;
		const char *eq = memchr(s, '=', (size_t)(pair_end - s));
		const char *name_end = eq != NULL ? eq : pair_end;
		const char *value = eq != NULL ? eq + 1 : pair_end;
		struct param *p = &q->params[q->count];

		if (pair_end > s) {
			p->raw_start = (size_t)(s - uri);
			p->raw_end = (size_t)(pair_end - uri);
			if (!decode_part(&storage, &p->name, &p->name_len, s,
			    (size_t)(name_end - s), bad)) {
				*bad += (size_t)(s - uri);
				query_free(q);
				return false;
			}
			if (!decode_part(&storage, &p->value, &p->value_len,
			    value, (size_t)(pair_end - value), bad)) {
				*bad += (size_t)(value - uri);
				query_free(q);
				return false;
			}
			q->count++;
		}
		s = pair_end + 1;
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
	const char *path = url, *end;
	size_t scheme = strcspn(url, ":/?#");

	/* "scheme://authority" comes before any '/', '?' or '#'. */
	if (url[scheme] == ':' && url[scheme + 1] == '/' &&
	    url[scheme + 2] == '/') {
		path = url + scheme + 3;
		path += strcspn(path, "/?#");
	}
	end = path + strcspn(path, "?#");
	if (end > path && end[-1] == '/')
		end--;
	*seg = end;
	while (*seg > path && (*seg)[-1] != '/')
		(*seg)--;
	*seg_len = (size_t)(end - *seg);
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
