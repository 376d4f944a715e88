/*
 * request-impl.h - what the request model's files (request.c,
 * request-method.c, request-rack.c, request-notes.c, request-write.c)
 * share; not for the rest of the program.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#ifndef MOR_HASH_REQUEST_IMPL_H
#define MOR_HASH_REQUEST_IMPL_H

#include "request.h"

#define NO_PARAM ((size_t)-1)

bool	note(struct notes *, struct mh_error *, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* The last parameter of that name, or NO_PARAM: MOR keeps the last. */
size_t	last_param(const struct request *, const char *name, size_t len);
bool	is_named(const char *name, size_t len, const char *word);
bool	is_last_of_name(const struct request *, size_t i);
/* Warnings that depend on the names sent: into r->notes. */
bool	note_names(struct request *, struct mh_error *);
/* Keeps s (malloc'ed) as long as the request; frees it on failure. */
bool	keep_owned(struct request *, char *s, struct mh_error *);
/*
 * Whether MOR empties the plan's list (hashes the key alone) when u is
 * exactly "admin", whatever else is sent: the version's quickstats
 * action.  (Its api_path half depends on the values sent.)
 */
bool	admin_empties_list(const struct plan *);

/* request-method.c: the method the request calls, and its mechanism. */
struct method_name {
	const char			*name;		/* NULL: none */
	size_t				 len;
	bool				 from_path;
	bool				 unknown_ok;	/* --learn, -M */
	const char			*id;		/* the path's /ID */
	size_t				 id_len;
	const struct server_action	*routed;	/* by an old name */
};

bool	find_method_name(struct request *, const char *url,
	    const struct request_options *, struct method_name *,
	    struct mh_error *);
bool	resolve_method(struct request *, const struct catalog *,
	    const struct method_name *, bool *known, struct mh_error *);
/* -m with a URL whose path calls a method: the same one, by any name. */
bool	same_method(const struct plan *, const struct request_options *,
	    const struct method_name *, struct mh_error *);

/* request-rack.c: the parameters as Rack hands them to MOR. */
bool	drop_separator_spaces(struct request *, struct mh_error *);
size_t	first_not_utf8(const struct request *);
bool	nest_params(struct request *, struct mh_error *);
bool	index_names(struct request *, size_t **first, size_t *first_count,
	    struct mh_error *);

#endif
