/*
 * learn.h - the order search behind --learn: which values, in which
 * order, followed by the key, give a known hash?
 *
 * Two searches over the same candidates: subsets kept in the given order
 * (what MOR's global order hashes, when the candidates come sorted by
 * it), and ordered subsets (permutations) up to a depth that a budget of
 * hashes allows.  Depth first; a prefix of a block or more has its SHA-1
 * state shared by all that extend it.  With jobs > 1 the nodes of one
 * depth are handed out to the threads as they come free.  The matches
 * kept, the counts and the depth are the same whatever the number of
 * threads.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#ifndef MOR_HASH_LEARN_H
#define MOR_HASH_LEARN_H

#include <stdbool.h>
#include <stddef.h>

#include "sha1.h"
#include "error.h"

struct learn_value {
	const char	*data;
	size_t		 len;
};

enum learn_kind {
	LEARN_SUBSETS,	/* any subset, in the candidates' order */
	LEARN_ORDERS	/* any ordered subset */
};

struct learn_match {
	size_t	 len;
	size_t	*index;		/* into the candidates */
};

struct learn {
	/* In: */
	enum learn_kind			 kind;
	const struct learn_value	*values;
	size_t				 count;
	const struct hasher		*hasher;
	unsigned char			 target[SHA1_DIGEST_LEN];
	unsigned long			 budget;	/* hashes at most */
	size_t				 max_matches;	/* kept at most */
	unsigned			 jobs;		/* threads (0: 1) */
	/* Out: */
	size_t				 depth;		/* searched up to */
	/*
	 * Shortest first, then in the search's order (by index, position
	 * by position): the first max_matches of all that match.
	 */
	struct learn_match		*matches;
	size_t				 match_count;	/* kept */
	size_t				 matched;	/* found, kept or not */
	unsigned long			 tried;
	unsigned			 threads_used;
};

/* How many hashes a search of depth d costs; saturates at ULONG_MAX. */
unsigned long	learn_cost(enum learn_kind, size_t count, size_t depth);

/*
 * Runs the search; false only when memory runs out.  A thread that cannot
 * start leaves its share to the others.
 */
bool	learn_run(struct learn *, struct mh_error *);
void	learn_free(struct learn *);

#endif
