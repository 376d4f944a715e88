/*
 * digest.h - the digest module: SHA-1, hex, constant-time compare, wiping,
 * and the keyed hasher that every mode uses.  This is the only interface
 * to OpenSSL; no other file includes its headers.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#ifndef MOR_HASH_DIGEST_H
#define MOR_HASH_DIGEST_H

#include <stdbool.h>
#include <stddef.h>

#define SHA1_DIGEST_LEN 20
#define SHA1_HEX_LEN    40
#define SHA1_BLOCK_LEN  64
#define KEY_MAX         4096

/*
 * Room for libcrypto's SHA_CTX without its header; digest.c asserts that
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
 * For many short messages (--batch): a buffer with a copy of the key at a
 * fixed place, each message written just before it, so that the message
 * and the key go to SHA-1 in one call with no copy of the key per
 * message.  keyed_free wipes the copy.
 */
struct keyed_buffer {
	unsigned char	*buf;
	size_t		 room;		/* for a message */
	size_t		 key_len;
};

bool	keyed_init(struct keyed_buffer *, const struct hasher *, size_t room);
/* Where a message of len <= room bytes goes. */
static inline unsigned char *
keyed_message(const struct keyed_buffer *kb, size_t len)
{
	return kb->buf + kb->room - len;
}
void	keyed_digest(const struct keyed_buffer *, size_t len,
	    unsigned char digest[SHA1_DIGEST_LEN]);
void	keyed_free(struct keyed_buffer *);

#endif
