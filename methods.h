/*
 * methods.h - the method table: which parameters each MOR API method
 * hashes according to its documentation (compiled from methods.tsv), and
 * the user's file of additions and overrides, as one catalogue with one
 * rule of precedence.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#ifndef MOR_HASH_METHODS_H
#define MOR_HASH_METHODS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/*
 * Lists are comma-separated entries NAME[*][!=VALUE]; "" is an empty list.
 * '*' marks a required parameter; NAME!=VALUE is hashed only when its
 * value is not VALUE.
 */
struct method {
	const char	*name;
	const char	*aliases;
	const char	*hashed;	/* in hash order */
	const char	*other;		/* accepted, not hashed */
	const char	*since;
	const char	*basis;
	const char	*confidence;
	const char	*source;	/* a URL, or the user's file */
	const char	*note;
	unsigned long	 line;		/* in the user's file; 0: built in */
	bool		 global;	/* user's entry "(global)": the order */
};

/* A built-in row: offsets into builtin_strings (no relocations). */
struct builtin_method {
	uint32_t	name, aliases, hashed, other, since, basis, confidence,
			source, note;
};

extern const char builtin_strings[];
extern const struct builtin_method builtin_methods[];
extern const size_t builtin_method_count;

struct method_param {
	const char	*name;
	size_t		 name_len;
	bool		 required;
	bool		 has_unless;
	const char	*unless;
	size_t		 unless_len;
};

bool	method_list_next(const char **cursor, struct method_param *);
bool	method_list_has(const char *list, const char *name, size_t len);
/* Checks a list's syntax; "-" is the empty list. */
bool	method_list_valid(const char *list);
/* A name a line of the table can hold (a method's or a parameter's). */
bool	method_name_valid(const char *name, size_t len);

/* The user's file, parsed in place. */
struct method_table {
	struct method	*entries;
	size_t		 count;
	char		*text;
};

/*
 * Parses the user's file in place: text holds len bytes and one spare
 * byte, comes from malloc, and belongs to the table from now on (it is
 * freed with it, or at once on failure).  On a malformed line returns
 * false with "methods file PATH, line N: what is wrong".
 */
bool	method_table_parse(struct method_table *, char *text, size_t len,
	    const char *path, struct mh_error *);
void	method_table_free(struct method_table *);

/* The largest user's file read. */
#define USER_FILE_MAX	(1024 * 1024)

/* The built-in rows and the user's file: the one place for precedence. */
struct catalog {
	struct method		*builtin;	/* made from the offsets */
	size_t			 builtin_count;
	struct method_table	 user;
};

/*
 * Reads the user's file at path (NULL: none).  A missing file is an
 * error only when must_exist; a FIFO, device or directory is refused
 * without opening it for long (no hang), and so is a file over
 * USER_FILE_MAX bytes.
 */
bool	catalog_open(struct catalog *, const char *path, bool must_exist,
	    struct mh_error *);
void	catalog_close(struct catalog *);

/* The documentation's row, by name or alias; NULL if none. */
const struct method *catalog_builtin(const struct catalog *, const char *name,
	    size_t len);
/*
 * The user's last entry for the method: named by name, or by the built-in
 * method's name or any of its aliases; NULL if none.
 */
const struct method *catalog_user(const struct catalog *, const char *name,
	    size_t len);
/* The user's entry if there is one, else the built-in row. */
const struct method *catalog_find(const struct catalog *, const char *name,
	    size_t len);

/*
 * Every method once, by name: the entry that catalog_find gives for it.
 * *out is malloc'ed (free it); returns false when memory runs out.
 */
bool	catalog_list(const struct catalog *, const struct method ***out,
	    size_t *count);

/* Up to max known names close to name, closest first. */
size_t	catalog_suggest(const struct catalog *, const char *name,
	    const char **out, size_t max);

/* "; did you mean A, B or C?", or "" when no known name is close. */
struct suggestion {
	char	text[256];
};

struct suggestion catalog_did_you_mean(const struct catalog *,
	    const char *name);
/* "unknown method 'NAME'" with a suggestion; always false. */
bool	catalog_unknown(const struct catalog *, const char *name,
	    struct mh_error *);

#endif
