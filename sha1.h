/*
 * sha1.h - the SHA-1 module: SHA-1, hex, constant-time compare, wiping,
 * and the keyed hasher that every mode uses.  This is the only interface
 * to OpenSSL; no other file includes its headers.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#ifndef MOR_HASH_SHA1_H
#define MOR_HASH_SHA1_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#define SHA1_DIGEST_LEN 20
#define SHA1_HEX_LEN    40
#define SHA1_BLOCK_LEN  64
#define KEY_MAX         4096

/*
 * Room for libcrypto's SHA_CTX without its header; sha1.c asserts that
 * it fits.  Callers may copy a context to fork a hash (mor-hash --learn).
 */
typedef struct {
	_Alignas(16) unsigned char opaque[128];
} sha1_ctx;

void sha1_init(sha1_ctx *ctx);
void sha1_update(sha1_ctx *ctx, const void *data, size_t len);
void sha1_final(sha1_ctx *ctx, unsigned char digest[SHA1_DIGEST_LEN]);

/* Lowercase hex, NUL-terminated: hex must have SHA1_HEX_LEN + 1 bytes. */
void sha1_to_hex(char *hex, const unsigned char digest[SHA1_DIGEST_LEN]);

/* A hex digit's value, either case; -1 for anything else. */
int	hex_value(char c);

/* Exactly 40 hex digits, either case; false for anything else. */
bool sha1_from_hex(unsigned char digest[SHA1_DIGEST_LEN], const char *hex);

/* Compares in time independent of where the digests differ. */
bool sha1_equal(const unsigned char a[SHA1_DIGEST_LEN],
    const unsigned char b[SHA1_DIGEST_LEN]);

/* Wipes memory in a way the compiler cannot elide. */
void secure_wipe(void *p, size_t len);

const char *sha1_library_version(void);

/*
 * The keyed hasher: MOR's hash is SHA-1(values || key).  It is built once
 * from the key, holds the only long-lived copy of it, and is the one place
 * that appends the key to a message.  A context started from it is cloned
 * freely (a prefix shared by many candidates in --learn); the key enters
 * only at hasher_finish.  The hasher is read-only after hasher_init, so
 * threads may share it.
 */
struct hasher {
	unsigned char	key[KEY_MAX];
	size_t		key_len;
};

/* Copies len <= KEY_MAX bytes of key; the caller wipes its own copy. */
void	hasher_init(struct hasher *, const unsigned char *key, size_t len);
void	hasher_start(const struct hasher *, sha1_ctx *);
/* Appends the key and finishes: ctx is spent. */
void	hasher_finish(const struct hasher *, sha1_ctx *,
	    unsigned char digest[SHA1_DIGEST_LEN]);
void	hasher_wipe(struct hasher *);

/*
 * Copies of the key pass through the processor's vector registers (each
 * memcpy of it, the lanes' padding) and stay there until overwritten; a
 * lazy binding of a libc function (in pthread_create's first call) or a
 * signal saves them all on the stack, where nothing wipes them.  These
 * set them to zero: registers_wipe_kind asks the processor how, once
 * (cpuid is slow in a virtual machine), and each wipe_registers is given
 * its answer.  Where neither knows how (not x86-64 with GCC or Clang),
 * nothing.
 */
int	registers_wipe_kind(void);
void	wipe_registers(int kind);

/*
 * Many short messages at once (--batch, --learn): SHA1_LANES lanes, each
 * holding one message.  sha1_lanes_hash appends the key to each, pads it
 * and runs the lanes' compressions back to back: they do not depend on
 * each other, so the processor overlaps them, where hashing one message
 * at a time waits out each compression's latency in turn.  A message and
 * its key of up to two blocks (119 bytes) is padded here and compressed
 * by SHA1_Transform, which skips SHA1_Update's copy into the context and
 * SHA1_Final's padding and wipe; a longer one goes through SHA1_Update.
 * The lanes hold copies of the key: sha1_lanes_free wipes them.
 */
#define SHA1_LANES	16
#define SHA1_LANE_SLACK	16	/* a lane may be written this far past room */
#define SHA1_TAIL_LEN	(2 * SHA1_BLOCK_LEN)

struct sha1_lanes {
	const struct hasher	*hasher;
	unsigned char		*mem;		/* lanes, rows, states */
	unsigned char		*rows;		/* a row per short length */
	void			*states;	/* a SHA-1 state per lane */
	size_t			 room;		/* message bytes a lane holds */
	size_t			 stride;	/* from a lane to the next */
	size_t			 key_len;
	size_t			 short_len;	/* shorter messages are padded */
	size_t			 len[SHA1_LANES];	/* each lane's message */
	bool			 ssse3;		/* the processor has it */
};

bool	sha1_lanes_init(struct sha1_lanes *, const struct hasher *,
	    size_t room);
void	sha1_lanes_free(struct sha1_lanes *);

/* Where lane i's message goes: len[i] <= room bytes. */
static inline unsigned char *
sha1_lane(const struct sha1_lanes *l, unsigned i)
{
	return l->mem + (size_t)i * l->stride;
}

/*
 * Pads the message of len bytes at lane (lane i's, sha1_lane) and sets
 * len[i]: what follows a message of that length in its one or two blocks
 * (the key, 0x80, zeros and the length in bits) is the same for every
 * such message, so it is kept in a row per length and copied 16 bytes at
 * a time.  A longer message is left for sha1_lanes_compress.  Inline:
 * --batch pads each record as it is split.
 */
static inline void
sha1_lane_pad(struct sha1_lanes *l, unsigned i, unsigned char *lane,
    size_t len)
{
	const unsigned char *row;

	l->len[i] = len;
	if (len >= l->short_len)
		return;
	lane += len;
	row = l->rows + len * SHA1_TAIL_LEN + len;
	/* Whole blocks' worth: the rest is past the message's blocks. */
	memcpy(lane, row, 16);
	memcpy(lane + 16, row + 16, 16);
	memcpy(lane + 32, row + 32, 16);
	memcpy(lane + 48, row + 48, 16);
	if (len + l->key_len > SHA1_BLOCK_LEN - 9) {
		memcpy(lane + 64, row + 64, 16);
		memcpy(lane + 80, row + 80, 16);
		memcpy(lane + 96, row + 96, 16);
		memcpy(lane + 112, row + 112, 16);
	}
}

/*
 * Hashes the padded lanes 0 to n - 1 (n <= SHA1_LANES): every lane's
 * first block, then every second one, so that each compression overlaps
 * the next; a message too long for two blocks goes through SHA1_Update.
 * A caller may fill and pad other lanes between a lane's pad and this:
 * then the compressions do not wait for the padding's stores to land.
 */
void	sha1_lanes_compress(struct sha1_lanes *, unsigned n);
/* Pads and compresses lanes 0 to n - 1, whose len is set. */
void	sha1_lanes_hash(struct sha1_lanes *, unsigned n);
/*
 * The hashes of lanes 0 to n - 1 as n lines of 40 lowercase hex digits
 * and an LF, one after the other at out.
 */
void	sha1_lanes_lines(const struct sha1_lanes *, unsigned n, char *out);
/*
 * Which of lanes 0 to n - 1 hashed to digest, a bit each (lane i: bit
 * i).  The first four bytes are compared in the open, the rest in
 * constant time.
 */
unsigned sha1_lanes_find(const struct sha1_lanes *, unsigned n,
	    const unsigned char digest[SHA1_DIGEST_LEN]);

#endif
