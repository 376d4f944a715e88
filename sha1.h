/*
 * sha1.h - the digest module: SHA-1, hex, constant-time compare and wiping,
 * all from libcrypto.  This is the only interface to OpenSSL; no other file
 * includes its headers.
 */
#ifndef MOR_HASH_SHA1_H
#define MOR_HASH_SHA1_H

#include <stdbool.h>
#include <stddef.h>

#define SHA1_DIGEST_LEN 20
#define SHA1_HEX_LEN    40

/*
 * Room for libcrypto's SHA_CTX without its header; sha1.c asserts that it
 * fits.  Callers may copy a context to fork a hash (mor-hash --learn).
 */
typedef struct {
	_Alignas(16) unsigned char opaque[128];
} sha1_ctx;

void sha1_init(sha1_ctx *ctx);
void sha1_update(sha1_ctx *ctx, const void *data, size_t len);
void sha1_final(sha1_ctx *ctx, unsigned char digest[SHA1_DIGEST_LEN]);

/* Lowercase hex, NUL-terminated: hex must have SHA1_HEX_LEN + 1 bytes. */
void sha1_to_hex(char *hex, const unsigned char digest[SHA1_DIGEST_LEN]);

/* Exactly 40 hex digits, either case; false for anything else. */
bool sha1_from_hex(unsigned char digest[SHA1_DIGEST_LEN], const char *hex);

/* Compares in time independent of where the digests differ. */
bool sha1_equal(const unsigned char a[SHA1_DIGEST_LEN],
    const unsigned char b[SHA1_DIGEST_LEN]);

/* Wipes memory in a way the compiler cannot elide. */
void secure_wipe(void *p, size_t len);

const char *sha1_library_version(void);

#endif
