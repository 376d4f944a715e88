/*
 * secret.h - the MOR API secret key: found and read.  The key never comes
 * from the command line.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#ifndef MOR_HASH_SECRET_H
#define MOR_HASH_SECRET_H

#include <stdbool.h>
#include <stddef.h>

#include "sha1.h"

/* The key, and a CR LF after it. */
#define SECRET_BUF (KEY_MAX + 2)

struct secret_source {
	const char	*file;		/* -k */
	const char	*env_name;	/* -e */
	bool		 stdin_busy;	/* the values come from stdin */
};

/*
 * Loads the key from the first source that applies: the file (-k), the
 * named variable (-e), MOR_API_SECRET, the file named by
 * MOR_API_SECRET_FILE, into buf (SECRET_BUF bytes) and returns its
 * length.  Exits with status 2 on any trouble; on the way out, and for
 * warnings, it names the source of the key, never its bytes.  A key file
 * that is a terminal is read with echo off, after a prompt.  The caller
 * wipes buf.
 */
size_t	secret_load(const struct secret_source *, unsigned char *buf);

/* Whether s is a valid environment variable name for -e. */
bool	secret_env_name_valid(const char *s);

#endif
