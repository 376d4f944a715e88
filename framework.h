/*
 * framework.h - what Rails and Rack do to a request before MOR's hash
 * check runs, per version (versions.tsv): the router, which turns the
 * path into an action and an id; Rack::UTF8Sanitizer (X8, M2), which
 * replaces invalid UTF-8; and Rack's nested parameters, which turn
 * bracketed names (a[]=x, a[k]=x) into Arrays and Hashes that MOR hashes
 * as Ruby prints them.  Facts: shared/mor-api/server/README.md, section 9.
 *
 * A request MOR answers with an error whatever its hash (404, 400, 500)
 * is refused here with an error of code MH_E_MOR_ANSWERS.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#ifndef MOR_HASH_FRAMEWORK_H
#define MOR_HASH_FRAMEWORK_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "server.h"
#include "url.h"

/* Where a path leads, as the version's router sees it. */
struct api_route {
	bool				 api;	/* the path has an /api segment */
	const char			*name;	/* the action, %-decoded */
	size_t				 name_len;
	const struct server_action	*alias;	/* via an old-name route */
	const char			*id;	/* NULL: no /ID */
	size_t				 id_len;
	char				*storage; /* owns name and id */
};

/*
 * Routes url's path: squeezed slashes, .FORMAT split off, %XX decoded
 * after matching (before, for the sanitizer's bytes), old names per
 * version.  A path without an "api" segment is not MOR's (r->api false).
 * Fails with MH_E_MOR_ANSWERS when no route matches.  Free r->storage.
 */
bool	framework_route(const struct server_version *, const char *who,
	    const char *url, struct api_route *, struct mh_error *);

/* Whether s is valid UTF-8 (no overlong forms, surrogates or > U+10FFFF). */
bool	utf8_valid(const char *s, size_t len);
/* The sanitizer's replacement: each byte 0x80-0xFF becomes U+FFFD. */
size_t	utf8_replaced_len(const char *s, size_t len);
size_t	utf8_replace(char *dst, const char *s, size_t len);

/* Whether needle's bytes occur in s: a search that NUL bytes do not stop. */
bool	memmem_bytes(const char *s, size_t len, const char *needle, size_t n);

/* Whether Rack nests the parameter of that name: it has '[' or ']'. */
bool	rack_is_nested(const char *name, size_t len);
/* The top-level name Rack files a (possibly bracketed) name under. */
void	rack_key(const char *name, size_t len, const char **key,
	    size_t *key_len);

/*
 * What Rack builds for one top-level name from its pieces, in the order
 * sent (flat and bracketed; a bare piece is nil): text is its value as
 * MOR concatenates it (a String as is; an Array or Hash as Ruby 1.9's
 * inspect), bare when it is nil, nested when it is an Array or Hash.
 * The pieces' values must already be what the sanitizer left.
 */
struct rack_value {
	char	*text;		/* malloc'ed */
	size_t	 len;
	bool	 bare;
	bool	 nested;
	/* Ruby's include?(probe): a String's bytes, an Array's elements, a Hash's keys. */
	bool	 includes_probe;
};

struct rack_piece {
	const char	*name;
	size_t		 name_len;
	const char	*value;		/* NULL: a bare name (nil) */
	size_t		 value_len;
};

bool	rack_build(const struct server_version *, const char *who,
	    const struct rack_piece *, size_t count, const char *probe,
	    struct rack_value *, struct mh_error *);

/* Rack's limit on the characters of distinct names at one level. */
#define RACK_KEY_SPACE	65536

/* "WHO answers STATUS whatever the hash: ..." with MH_E_MOR_ANSWERS. */
bool	mor_answers(struct mh_error *, const char *who, int status,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
