/*
 * url.h - percent-encoding, query parsing and the parts of a URL that
 * mor-hash needs: RFC 3986 for encoding, a web server's reading of
 * application/x-www-form-urlencoded for decoding.
 */
#ifndef MOR_HASH_URL_H
#define MOR_HASH_URL_H

#include <stdbool.h>
#include <stddef.h>

/* One NAME=VALUE parameter of a request. */
struct param {
	const char	*name;
	size_t		 name_len;
	const char	*value;
	size_t		 value_len;
	size_t		 raw_start;	/* the pair's bytes in the URI */
	size_t		 raw_end;
};

struct query {
	struct param	*params;
	size_t		 count;
	char		*storage;	/* decoded names and values */
};

/* Encoding src never needs more than this many bytes. */
#define URL_ENCODED_MAX(len) (3 * (len))

/* RFC 3986: unreserved bytes stay, every other byte becomes %XX. */
size_t	url_encode(char *dst, const char *src, size_t len);

/*
 * %XX becomes its byte and '+' a space.  dst has room for len bytes.
 * Returns false for a '%' not followed by two hex digits, and then sets
 * *bad to its offset in src.
 */
bool	url_decode(char *dst, size_t *dst_len, const char *src, size_t len,
	    size_t *bad);

/*
 * Parses the '&'-separated pairs of a query (the bytes after '?', up to
 * '#'); offsets in the params are relative to base.  Returns false on a
 * malformed escape, with *bad its offset from base, or when memory runs
 * out, with *bad set to (size_t)-1.
 */
bool	query_parse(struct query *, const char *uri, size_t base, size_t len,
	    size_t *bad);
void	query_free(struct query *);

/* Where the query of uri lies: after its first '?', up to '#' or the end. */
bool	uri_query(const char *uri, size_t *start, size_t *end);

/*
 * The last segment of the URL's path, without one trailing '/': the name
 * of a MOR API method in .../billing/api/METHOD.
 */
void	url_last_segment(const char *url, const char **seg, size_t *seg_len);

/* The last parameter named name, or NULL. */
const struct param *params_find(const struct param *, size_t count,
	    const char *name, size_t name_len);

#endif
