/*
 * cli.h - what the command's files share: the parsed options, the
 * drivers of the modes (cli-*.c), which main calls, and the helpers they
 * share (cli.c), which call nothing above them.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#ifndef MOR_HASH_CLI_H
#define MOR_HASH_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "batch.h"
#include "sha1.h"
#include "error.h"
#include "methods.h"
#include "request.h"

enum mode {
	MODE_VALUES,	/* VALUE operands or lines: the hash */
	MODE_REQUEST,	/* NAME=VALUE operands: the hash, a URL or a body */
	MODE_URI,	/* --uri: check or add the hash of a URI */
	MODE_BATCH,	/* one hash, URL or body per input record */
	MODE_LEARN,	/* --learn: find the order behind a known hash */
	MODE_METHODS	/* --methods: show the table */
};

/* Each option, and operands, as a bit, for the rules below. */
enum {
	O_NULL = 1 << 0, O_BATCH = 1 << 1, O_CHECK = 1 << 2,
	O_DELIMITER = 1 << 3, O_ENV = 1 << 4, O_FORM = 1 << 5,
	O_JOBS = 1 << 6, O_KEY_FILE = 1 << 7, O_METHOD = 1 << 8,
	O_NO_METHOD = 1 << 9, O_PARAM = 1 << 10, O_QUIET = 1 << 11,
	O_URL = 1 << 12, O_VERBOSE = 1 << 13, O_URI = 1 << 14,
	O_LEARN = 1 << 15, O_METHODS = 1 << 16, O_MOR_VERSION = 1 << 17,
	O_OPERANDS = 1 << 18
};

struct options {
	enum mode	 mode;
	unsigned	 given;		/* O_* bits */
	int		 delimiter;
	unsigned	 jobs;
	const char	*check;
	const char	*secret_env;
	const char	*secret_file;
	const char	*url;
	const char	*uri;
	const char	*learn;
	const char	*method;
	const char	*show_method;
	const char	*mor_version;
	char	       **fixed;		/* -p NAME=VALUE: sent first */
	size_t		 fixed_count;
	char	       **operands;
	size_t		 operand_count;
};

#define GIVEN(o, bits) (((o)->given & (bits)) != 0)

/* cli.c.  Prints e as "mor-hash: ..." and exits 2. */
void	fail(const struct mh_error *e) __attribute__((noreturn));
unsigned online_cpus(void);
struct mor_target mor_target(const struct options *);
/* The request model's options from the command's. */
void	request_options(const struct options *, const struct catalog *,
	    struct request_options *);

/* Prints the hash, or with --check the verdict; returns the exit status. */
int	report(const struct options *, const unsigned char digest[SHA1_DIGEST_LEN]);
/* The values mode (cli-values.c); returns the exit status. */
int	run_values(const struct options *, const struct hasher *);
/* The request modes (cli-request.c); each returns the exit status. */
int	run_request(const struct options *, const struct catalog *,
	    const struct hasher *);
int	run_uri(const struct options *, const struct catalog *,
	    const struct hasher *);
int	run_batch(const struct options *, const struct catalog *,
	    const struct hasher *);
/* --learn=URI; returns the exit status. */
int	run_learn(const struct options *, const struct catalog *,
	    const struct hasher *);
/* --methods[=METHOD]. */
int	run_methods(const struct options *, const struct catalog *);

#endif
