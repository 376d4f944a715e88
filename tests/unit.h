/*
 * unit.h - what the unit test files share: ok(), which prints a TAP
 * line, and each file's group of tests, which main (unit.c) runs.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#ifndef MOR_HASH_UNIT_H
#define MOR_HASH_UNIT_H

#include <stddef.h>

void	ok(int passed, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	    __attribute__((format(printf, 2, 3)))
#endif
	    ;

/* The SHA-1 of data in hex, fed chunk bytes at a time. */
void	hex_of(char *hex, const void *data, size_t len, size_t chunk);

/* unit-request.c: the request model, MOR's vectors, routes and rules. */
void	test_requests(void);
/* unit-learn.c: --learn's search, whatever the number of threads. */
void	test_learn_all(void);

#endif
