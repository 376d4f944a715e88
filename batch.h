/*
 * batch.h - --batch: one hash, URL or body per record of standard input.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#ifndef MOR_HASH_BATCH_H
#define MOR_HASH_BATCH_H

#include <stddef.h>

#include "sha1.h"
#include "request.h"

/* The most threads -j runs (--batch, and --learn too). */
#define MAX_JOBS	64

enum batch_output {
	BATCH_HASH,	/* the hash */
	BATCH_URL,	/* URL?query&hash= */
	BATCH_FORM	/* query&hash= */
};

struct batch_options {
	int			 terminator;	/* '\n' (CR LF too) or '\0' */
	int			 delimiter;	/* between fields */
	unsigned		 jobs;		/* threads for plain records */
	const struct hasher	*hasher;
	/* With NAME operands: each record's fields are their values. */
	struct request		*request;	/* NULL: fields are values */
	size_t			 first_field;	/* its first NAME's param */
	size_t			 fields;	/* how many NAMEs */
	enum batch_output	 output;
	const char		*url;
};

/*
 * Runs the batch and returns the exit status.  Output is whole lines, in
 * input order, whatever the number of threads; on SIGINT it stops after
 * the last whole line and exits 130.  Exits with status 2 on trouble,
 * naming the line.
 */
int	batch_run(const struct batch_options *);

#endif
