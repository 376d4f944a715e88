/*
 * digest.c - SHA-1 over libcrypto's low-level interface, hex, and the
 * keyed hasher.
 *
 * The low-level SHA1_* functions are deprecated in OpenSSL 3 in favour of
 * EVP, but EVP fetches a provider and loads the config file on first use:
 * about 6 million instructions, twenty times the cost of the whole sha1sum
 * program.  SHA1_* is the same assembly without that start-up, and exists
 * from OpenSSL 1.1 to 4.x, in LibreSSL and in BoringSSL.  The deprecation
 * is therefore silenced here, and only here.
 *
 * Hex is written here, not taken from libcrypto: OPENSSL_buf2hexstr_ex
 * lives in an object that drags most of libcrypto into a static link.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#define OPENSSL_SUPPRESS_DEPRECATED

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/opensslv.h>
#include <openssl/sha.h>

#include "digest.h"

_Static_assert(sizeof(SHA_CTX) <= sizeof(sha1_ctx),
    "sha1_ctx is too small for this libcrypto's SHA_CTX");
_Static_assert(SHA_DIGEST_LENGTH == SHA1_DIGEST_LEN, "SHA-1 digest size");

static SHA_CTX *
sha_ctx(sha1_ctx *ctx)
{
	return (SHA_CTX *)(void *)ctx->opaque;
}

void
sha1_init(sha1_ctx *ctx)
{
	SHA1_Init(sha_ctx(ctx));
}

void
sha1_update(sha1_ctx *ctx, const void *data, size_t len)
{
	SHA1_Update(sha_ctx(ctx), data, len);
}

/*
 * SHA1_Final wipes its block buffer, which held the tail of the message
 * (the key); what stays in the context is the digest itself.
 */
void
sha1_final(sha1_ctx *ctx, unsigned char digest[SHA1_DIGEST_LEN])
{
	SHA1_Final(digest, sha_ctx(ctx));
}

void
sha1_to_hex(char *hex, const unsigned char digest[SHA1_DIGEST_LEN])
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < SHA1_DIGEST_LEN; i++) {
		hex[2 * i] = digits[digest[i] >> 4];
		hex[2 * i + 1] = digits[digest[i] & 15];
	}
	hex[SHA1_HEX_LEN] = '\0';
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool
sha1_from_hex(unsigned char digest[SHA1_DIGEST_LEN], const char *hex)
{
	if (strnlen(hex, SHA1_HEX_LEN + 1) != SHA1_HEX_LEN)
		return false;
	for (size_t i = 0; i < SHA1_DIGEST_LEN; i++) {
		int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		digest[i] = (unsigned char)(hi << 4 | lo);
	}
	return true;
}

bool
sha1_equal(const unsigned char a[SHA1_DIGEST_LEN],
    const unsigned char b[SHA1_DIGEST_LEN])
{
	return CRYPTO_memcmp(a, b, SHA1_DIGEST_LEN) == 0;
}

void
secure_wipe(void *p, size_t len)
{
	OPENSSL_cleanse(p, len);
}

const char *
sha1_library_version(void)
{
	return OpenSSL_version(OPENSSL_VERSION);
}

void
hasher_init(struct hasher *h, const unsigned char *key, size_t len)
{
	memcpy(h->key, key, len);
	h->key_len = len;
}

void
hasher_start(const struct hasher *h, sha1_ctx *ctx)
{
	(void)h;
	sha1_init(ctx);
}

void
hasher_finish(const struct hasher *h, sha1_ctx *ctx,
    unsigned char digest[SHA1_DIGEST_LEN])
{
	sha1_update(ctx, h->key, h->key_len);
	sha1_final(ctx, digest);
}

bool
keyed_init(struct keyed_buffer *kb, const struct hasher *h, size_t room)
{
	if ((kb->buf = malloc(room + h->key_len)) == NULL)
		return false;
	kb->room = room;
	kb->key_len = h->key_len;
	memcpy(kb->buf + room, h->key, h->key_len);
	return true;
}

void
keyed_digest(const struct keyed_buffer *kb, size_t len,
    unsigned char digest[SHA1_DIGEST_LEN])
{
	SHA_CTX ctx;

	SHA1_Init(&ctx);
	SHA1_Update(&ctx, keyed_message(kb, len), len + kb->key_len);
	SHA1_Final(digest, &ctx);
}

void
keyed_free(struct keyed_buffer *kb)
{
	if (kb->buf != NULL) {
		OPENSSL_cleanse(kb->buf, kb->room + kb->key_len);
		free(kb->buf);
	}
	kb->buf = NULL;
}

void
hasher_wipe(struct hasher *h)
{
	OPENSSL_cleanse(h->key, h->key_len);
	h->key_len = 0;
}
