/*
 * io.h - the command half's output: stdout discipline, warnings, and the
 * -v trace on stderr.  Every function here may exit with status 2.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#ifndef MOR_HASH_IO_H
#define MOR_HASH_IO_H

#include <stdbool.h>
#include <stddef.h>

#include "sha1.h"
#include "request.h"

/*
 * stdout is fully buffered; a write that fails (full disk, closed
 * descriptor) is trouble, exit 2, as in coreutils' close_stdout.  A
 * reader that went away (EPIPE) ends the program quietly with status 2,
 * as cat and sha1sum end without a word.
 */
void	out(const void *data, size_t len);
void	out_str(const char *s);
void	out_hex(const unsigned char digest[SHA1_DIGEST_LEN]);
/* A sink_fn for the request writers. */
bool	out_sink(void *arg, const void *data, size_t len);
/* Flushes and closes stdout; returns status, or exits 2 on a write error. */
int	finish(int status);
/* Exits after an output error of errno. */
void	out_failed(void) __attribute__((noreturn));

/* Each note as "mor-hash: PREFIXwarning: NOTE". */
void	warn_notes(const struct notes *, const char *prefix);

/* The -v trace: lines on stderr, control bytes escaped, each cut at 4 KiB. */
#define SHOWN_MAX 4096

/* The hashed string as it streams in, kept up to SHOWN_MAX bytes. */
struct shown {
	char	buf[SHOWN_MAX];
	size_t	len;
	size_t	total;
	size_t	values;
	size_t	line_len;	/* of the current value line */
	bool	in_value;
};

void	show_value_piece(struct shown *, const char *name, size_t name_len,
	    const char *data, size_t len, bool ends);
void	show_hashed(const struct shown *, size_t key_len);
/* Method, mechanism, what is not hashed, each value, the hashed string. */
void	show_request(const struct request *, size_t key_len);

#endif
