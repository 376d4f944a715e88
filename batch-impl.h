/*
 * batch-impl.h - what the files of --batch share (batch.c, batch-scan.c,
 * batch-plain.c, batch-named.c); not for the rest of the program.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#ifndef MOR_HASH_BATCH_IMPL_H
#define MOR_HASH_BATCH_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "batch.h"
#include "sha1.h"

#define CHUNK_SIZE	(128 * 1024)
#define READ_CHUNK	(128 * 1024)
#define LINE_LEN	(SHA1_HEX_LEN + 1)

/*
 * batch.c: SIGINT, the input and the output.  SIGINT is blocked in every
 * thread but while one waits for input; these find one that came.
 */
bool	interrupt_came(void);
/* Exits 130, the lines written whole, if SIGINT came. */
void	stop_if_interrupted(void);
/*
 * The plain batch's read of standard input: -1 with errno set on trouble,
 * on SIGINT (EINTR) and when wake (-1: none) became readable, which says
 * the batch stopped (EINTR too: whoever stopped it gave the reason).
 */
ssize_t	read_input(int wake, char *buf, size_t size);
/* The named batch's read, on this thread alone: exits on SIGINT or trouble. */
size_t	read_or_exit(char *buf, size_t size);
/*
 * Whole lines in one write(2), past stdio's buffer, which is flushed
 * first: false, errno set, if they could not be written.
 */
bool	write_out(const char *lines, size_t len);
/* Wipes the vector registers (sha1.h), as this processor wants it. */
void	batch_wipe_registers(void);

/*
 * batch-scan.c: a chunk of whole records hashed into its lines, the
 * records found by their stop bytes, BLOCK bytes at a time.
 */
struct stop_bytes {
#if defined(__SSE2__)
	__m128i		 terminator;	/* the byte in every byte */
	__m128i		 delimiter;
#else
	uint64_t	 terminator;
	uint64_t	 delimiter;
#endif
};

/* A worker's chunk of whole records, its lanes and its lines. */
struct chunk {
	const struct hasher	*hasher;
	int			 delimiter;
	char			*in_base;
	char			*in;		/* CHUNK_SIZE bytes, in_base +
						   slack */
	size_t			 in_len;	/* then the sentinel */
	size_t			 pos;		/* next record */
	char			*out;
	size_t			 out_len;
	struct sha1_lanes	 lanes[2];	/* in turn */
	struct stop_bytes	 stops;
	bool			 strip_cr;	/* before LF */
};

/* False if its memory cannot be had; chunk_free frees what was. */
bool	chunk_init(struct chunk *, const struct batch_options *);
void	chunk_free(struct chunk *);
/* The chunk's records are its first len bytes: hashing starts at them. */
void	chunk_cut(struct chunk *, size_t len, int terminator);
/*
 * Hashes records from pos on into out, until the chunk or out's room
 * ends: then pos is in_len, or the records left wait for the next call.
 */
void	chunk_hash(struct chunk *);

/* batch-plain.c: plain records, on jobs workers. */
void	hash_plain(const struct batch_options *);

/* batch-named.c: with NAME operands, a request per record. */
void	hash_named(const struct batch_options *);

#endif
