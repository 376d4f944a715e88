/*
 * request-impl.h - what request.c shares with request-notes.c and
 * request-write.c; not for the rest of the program.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#ifndef MOR_HASH_REQUEST_IMPL_H
#define MOR_HASH_REQUEST_IMPL_H

#include "request.h"

#define NO_PARAM ((size_t)-1)

bool	note(struct notes *, struct mh_error *, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* The last parameter of that name, or NO_PARAM: MOR keeps the last. */
size_t	last_param(const struct request *, const char *name, size_t len);
bool	is_named(const char *name, size_t len, const char *word);
bool	is_last_of_name(const struct request *, size_t i);
/* Warnings that depend on the names sent: into r->notes. */
bool	note_names(struct request *, struct mh_error *);

#endif
