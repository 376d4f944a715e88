/*
 * url.h - percent-encoding, query parsing and the parts of a URL that
 * mor-hash needs: RFC 3986 for encoding, a web server's reading of
 * application/x-www-form-urlencoded for decoding.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#ifndef MOR_HASH_URL_H
#define MOR_HASH_URL_H

#include <stdbool.h>
#include <stddef.h>

/* Where a parameter of a request came from. */
enum origin {
	FROM_OPERAND,	/* NAME=VALUE operands, and --batch fields */
	FROM_FIXED,	/* -p: sent first */
	FROM_QUERY,	/* the query of --uri or --learn */
	FROM_URL,	/* the query already in --url's URL */
	FROM_PATH,	/* the ID in .../api/METHOD/ID, sent as id */
	FROM_RACK	/* what Rack builds of bracketed names (a[]=x) */
};

/* One NAME=VALUE parameter of a request. */
struct param {
	const char	*name;
	size_t		 name_len;
	const char	*value;
	size_t		 value_len;
	size_t		 raw_start;	/* the pair's bytes in the URI */
	size_t		 raw_end;
	bool		 bare;		/* NAME without '=': a server's nil */
	bool		 nested;	/* FROM_RACK: an Array or Hash */
	/* FROM_RACK: Ruby's include? of the version's quickstats action. */
	bool		 includes_quickstats;
	/* Rack built it into a FROM_RACK parameter: not one of its own. */
	bool		 folded;
	bool		 superseded;	/* a later parameter has its name */
	/* Raw spaces right after the '&' or ';' before it (X3/X5 drop them). */
	size_t		 lead_spaces;
	enum origin	 origin;
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
 * Parses the pairs of a query (the bytes after '?', up to '#') as Rack
 * does: separated by '&' or ';', empty pairs skipped, split at the first
 * '=', names and values decoded.  Offsets in the params are relative to
 * base.  Returns false on a
 * malformed escape, with *bad its offset from base, or when memory runs
 * out, with *bad set to (size_t)-1.
 */
bool	query_parse(struct query *, const char *uri, size_t base, size_t len,
	    size_t *bad);
void	query_free(struct query *);

/* Where the query of uri lies: after its first '?', up to '#' or the end. */
bool	uri_query(const char *uri, size_t *start, size_t *end);

/* The bounds of url's path: after "scheme://authority", up to '?' or '#'. */
void	url_path(const char *url, const char **path, const char **end);

/*
 * The last segment of the URL's path, without one trailing '/': the name
 * of a MOR API method in .../billing/api/METHOD.
 */
void	url_last_segment(const char *url, const char **seg, size_t *seg_len);

/* A path segment's %XX decoded ('+' stays); dst has room for len bytes. */
size_t	path_decode(char *dst, const char *src, size_t len);

/* The last parameter named name, or NULL. */
const struct param *params_find(const struct param *, size_t count,
	    const char *name, size_t name_len);

#endif
