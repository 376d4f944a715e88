/*
 * learn.h - the order search behind --learn: which values, in which
 * order, followed by the key, give a known hash?
 *
 * Two searches over the same candidates: subsets kept in the given order
 * (what MOR's global order hashes, when the candidates come sorted by
 * it), and ordered subsets (permutations) up to a depth that a budget of
 * hashes allows.  Depth first, each prefix's SHA-1 state shared by all
 * that extend it; with jobs > 1 the first level's branches are shared
 * out between threads, and the matches come back in the same order
 * whatever the number of threads.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#ifndef MOR_HASH_LEARN_H
#define MOR_HASH_LEARN_H

#include <stdbool.h>
#include <stddef.h>

#include "digest.h"
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
	unsigned			 jobs;		/* threads; 0 or 1: none */
	/* Out: */
	size_t				 depth;		/* searched up to */
	struct learn_match		*matches;	/* shortest first */
	size_t				 match_count;	/* kept */
	size_t				 matched;	/* found, kept or not */
	unsigned long			 tried;
	unsigned			 threads_used;
};

/* How many hashes a search of depth d costs; saturates at ULONG_MAX. */
unsigned long	learn_cost(enum learn_kind, size_t count, size_t depth);

/* Runs the search; false only when memory runs out. */
bool	learn_run(struct learn *, struct mh_error *);
void	learn_free(struct learn *);

#endif
