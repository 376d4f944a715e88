/*
 * request.h - the MOR request model: the parameters a request sends, the
 * method it calls, which values MOR's server hashes and in which order,
 * the digest, and the query, URL, body or URI that carries it.
 *
 * Use: request_init; request_add* for every parameter (in the order they
 * are sent); request_plan once (it decides the method and the mechanism);
 * then, as often as values change (once per --batch record),
 * request_select and request_digest.  Nothing here prints or exits:
 * failures come back as struct mh_error, and warnings for the user are
 * collected in the request's notes.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#ifndef MOR_HASH_REQUEST_H
#define MOR_HASH_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include "sha1.h"
#include "error.h"
#include "methods.h"
#include "server.h"
#include "url.h"

/* Which MOR: a version's facts, and whether newer methods are known. */
struct mor_target {
	const struct server_version	*version;
	/*
	 * The newest known behaviour: the version's facts, and for methods
	 * newer than it, the order of their documentation.
	 */
	bool				 latest;
};

enum plan_kind {
	PLAN_AS_GIVEN,	/* no method: every parameter, in the order sent */
	PLAN_NAMED,	/* --uri NAME...: these, in this order */
	PLAN_LIST,	/* a per-method list */
	PLAN_GLOBAL	/* the version's global order and value rules */
};

enum plan_basis {
	BASIS_NONE,		/* no method */
	BASIS_SERVER,		/* the MOR version's own code */
	BASIS_DOCUMENTATION,	/* the method's documentation (methods.tsv) */
	BASIS_USER		/* the user's methods file */
};

/* One value that goes into the hash. */
struct hashed {
	const struct param	*param;		/* NULL: an absent list entry */
	const char		*name;
	size_t			 name_len;
	const char		*value;		/* after the server's rule */
	size_t			 value_len;
};

struct plan {
	enum plan_kind			 kind;
	enum plan_basis			 basis;
	const char			*method;	/* NULL: none */
	const char			*path_name;	/* as the URL names it */
	size_t				 path_name_len;
	const struct method		*doc;		/* its documentation */
	const struct method		*entry;		/* the user's, if used */
	const struct server_action	*action;	/* in the version's code */
	const char			*action_name;	/* "" if none */
	const char			*list;		/* PLAN_LIST */
	bool				 server_list;	/* X8's list rules */
	bool				 unchecked;	/* MOR compares no hash */
	/* MOR's Rails and Rack read the request (framework.c). */
	bool				 framework;
	struct mor_target		 target;
	char *const			*names;		/* PLAN_NAMED */
	size_t				 name_count;
};

struct request_options {
	const struct catalog	*catalog;
	struct mor_target	 target;
	const char		*method;	/* -m; NULL: from the URL */
	bool			 no_method;	/* -M */
	/* A path's method that nobody knows: as given, not MOR's 404. */
	bool			 unknown_ok;
	/* The version's global order, whatever the method (--learn). */
	bool			 global_order;
	char *const		*names;		/* --uri NAME operands */
	size_t			 name_count;
};

/* Messages for the user: warnings, and with -v the value rules applied. */
struct notes {
	char	**text;
	size_t	  count;
	size_t	  cap;
};

struct request {
	struct param	*params;	/* in the order sent */
	size_t		 count;
	size_t		 cap;
	struct plan	 plan;
	/* Which param each step of the plan reads, found once by request_plan. */
	struct step	*steps;
	size_t		 step_count;
	struct hashed	*hashed;
	size_t		 hashed_count;
	struct notes	 notes;		/* from request_plan */
	struct notes	 value_notes;	/* from the last request_select */
	/* Names given more than once (their first parameter), in order. */
	size_t		*duplicates;
	size_t		 duplicate_count;
	/* Decoded queries, the path's action and ID, Rack's values. */
	char		**owned;
	size_t		 owned_count;
	size_t		 owned_cap;
	/* The hashed values after X8's sanitizer, when it replaces bytes. */
	bool		 replace;
	char		*replaced;
	size_t		 replaced_cap;
};

void	request_init(struct request *);
void	request_free(struct request *);

/* A parameter; its bytes must outlive the request. */
bool	request_add(struct request *, const char *name, size_t name_len,
	    const char *value, size_t value_len, enum origin, struct mh_error *);
/*
 * NAME=VALUE, as an operand or -p (what names it in messages): an empty
 * name, or "hash", is refused.
 */
bool	request_add_assignment(struct request *, const char *arg,
	    enum origin, const char *what, struct mh_error *);
/* The parameters of uri's query (read as Rack reads them). */
bool	request_add_query(struct request *, const char *uri, enum origin,
	    struct mh_error *);

/*
 * Reads the parameters as the version's Rack does, decides the method
 * (the URL's path as Rails routes it, else -m) and how MOR hashes it; url
 * may be NULL.  An unknown -m is an error, and so is a path that MOR
 * does not route (code MH_E_MOR_ANSWERS); a URL whose path has no "api"
 * segment is not MOR's, and then the order is the one given.  The
 * parameters may move: take no pointer into them before this.
 */
bool	request_plan(struct request *, const char *url,
	    const struct request_options *, struct mh_error *);

/* The values to hash, from the parameters' current values. */
bool	request_select(struct request *, struct mh_error *);

void	request_digest(const struct request *, const struct hasher *,
	    unsigned char digest[SHA1_DIGEST_LEN]);

/* After request_plan: the parameter of that name MOR reads, or NULL. */
const struct param *request_last(const struct request *, const char *name,
	    size_t len);

/*
 * After request_plan: the URI's hash as MOR reads it (the last parameter
 * named hash), or NULL.
 */
const struct param *request_hash_param(const struct request *);

/* Where writing goes: false on a write error (errno set). */
typedef bool (*sink_fn)(void *arg, const void *data, size_t len);

/*
 * The writers.  hex is always SHA1_HEX_LEN (40) characters, no NUL needed.
 * NAME=VALUE&...&hash=HEX: a body, with every parameter hashed (the
 * query already in --url's URL too).
 */
bool	request_write_query(const struct request *, const char *hex,
	    sink_fn, void *arg);
/* url, then '?' or '&' as needed, then the query. */
bool	request_write_url(const struct request *, const char *url,
	    const char *hex, sink_fn, void *arg);
/* uri with hash=HEX put in place of old (NULL: added at the query's end). */
bool	request_write_uri(const char *uri, const struct param *old,
	    const char *hex, sink_fn, void *arg);

/*
 * The line of the user's table that makes -m NAME hash as mor-hash does
 * without one, for the built-in method doc of catalogue c (its user's
 * entries aside) and target t.  kept is false
 * when no line can (a method the version lacks or refuses whatever the
 * hash, or M2's api_name): global and hashed are then the nearest line.
 */
struct kept_line {
	bool		 kept;
	bool		 global;	/* "(global)" */
	const char	*hashed;	/* else this list */
};

void	method_kept_line(const struct catalog *, const struct method *doc,
	    const struct mor_target *t, struct kept_line *);

/*
 * The action a method name reaches in version v's code: its own, an old
 * name's, or one of the names of doc (its documentation, or NULL):
 * -m user_details in X8.  NULL if none.
 */
const struct server_action *method_route(const struct server_version *v,
	    const char *name, size_t len, const struct method *doc);

/* "MOR X8", or "MOR (newest known)" for messages. */
const char *request_target_name(const struct mor_target *);

#endif
