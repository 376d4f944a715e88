/*
 * methods.h - which parameters each MOR API method hashes, and in which
 * order: the built-in table (compiled from methods.tsv) and the user's
 * file of additions and overrides.
 */
#ifndef MOR_HASH_METHODS_H
#define MOR_HASH_METHODS_H

#include <stdbool.h>
#include <stddef.h>

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
};

struct method_param {
	const char	*name;
	size_t		 name_len;
	bool		 required;
	bool		 has_unless;
	const char	*unless;
	size_t		 unless_len;
};

struct method_table {
	struct method	*entries;
	size_t		 count;
	char		*text;
};

extern const struct method builtin_methods[];
extern const size_t builtin_method_count;

/* By name or alias. */
const struct method *method_builtin(const char *name, size_t len);

bool	method_list_next(const char **cursor, struct method_param *);
bool	method_list_has(const char *list, const char *name, size_t len);
/* Checks a list's syntax; "-" is the empty list. */
bool	method_list_valid(const char *list);

/*
 * Parses the user's file in place: text holds len bytes and one spare
 * byte, comes from malloc, and belongs to the table from now on (it is
 * freed with it, or at once on failure).  On a malformed line returns
 * false with its number and what is wrong.
 */
bool	method_table_parse(struct method_table *, char *text, size_t len,
	    const char *path, unsigned long *bad_line, const char **why);
void	method_table_free(struct method_table *);
/* The last entry for name, or NULL. */
const struct method *method_table_find(const struct method_table *,
	    const char *name, size_t len);

/* Up to max known names close to name, closest first. */
size_t	methods_suggest(const char *name, const char **out, size_t max);

#endif
