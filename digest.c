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

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <openssl/crypto.h>
#include <openssl/opensslv.h>
#include <openssl/sha.h>

#include "digest.h"

_Static_assert(sizeof(SHA_CTX) <= sizeof(sha1_ctx),
    "sha1_ctx is too small for this libcrypto's SHA_CTX");
_Static_assert(SHA_DIGEST_LENGTH == SHA1_DIGEST_LEN, "SHA-1 digest size");
_Static_assert(SHA_CBLOCK == SHA1_BLOCK_LEN, "SHA-1 block size");

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

/* "00" to "ff", built by the compiler: two bytes of output per lookup. */
#define HEX_DIGIT(n)	((n) < 10 ? '0' + (n) : 'a' - 10 + (n))
#define HEX_PAIR(n)	{ HEX_DIGIT((n) >> 4), HEX_DIGIT((n) & 15) }
#define HEX_PAIR4(n)	HEX_PAIR(n), HEX_PAIR(n + 1), HEX_PAIR(n + 2), \
			HEX_PAIR(n + 3)
#define HEX_PAIR16(n)	HEX_PAIR4(n), HEX_PAIR4(n + 4), HEX_PAIR4(n + 8), \
			HEX_PAIR4(n + 12)
#define HEX_PAIR64(n)	HEX_PAIR16(n), HEX_PAIR16(n + 16), \
			HEX_PAIR16(n + 32), HEX_PAIR16(n + 48)
static const char hex_pairs[256][2] = {
	HEX_PAIR64(0), HEX_PAIR64(64), HEX_PAIR64(128), HEX_PAIR64(192)
};

#if defined(__SSE2__)
/* Each byte 0..15 of x as its hex digit. */
static __m128i
nibbles_to_hex(__m128i x)
{
	__m128i letters = _mm_cmpgt_epi8(x, _mm_set1_epi8(9));

	return _mm_add_epi8(_mm_add_epi8(x, _mm_set1_epi8('0')),
	    _mm_and_si128(letters, _mm_set1_epi8('a' - '0' - 10)));
}
#endif

/*
 * --batch writes one of these per record, so the first 16 bytes go
 * through SSE2 (every x86-64 has it) where the compiler allows.
 */
void
sha1_to_hex(char *hex, const unsigned char digest[SHA1_DIGEST_LEN])
{
	size_t i = 0;

#if defined(__SSE2__)
	__m128i v = _mm_loadu_si128((const void *)digest);
	__m128i low = _mm_set1_epi8(0x0f);
	__m128i hi = _mm_and_si128(_mm_srli_epi16(v, 4), low);
	__m128i lo = _mm_and_si128(v, low);

	_mm_storeu_si128((void *)hex,
	    nibbles_to_hex(_mm_unpacklo_epi8(hi, lo)));
	_mm_storeu_si128((void *)(hex + 16),
	    nibbles_to_hex(_mm_unpackhi_epi8(hi, lo)));
	i = 16;
#endif
	for (; i < SHA1_DIGEST_LEN; i++)
		memcpy(hex + 2 * i, hex_pairs[digest[i]], 2);
	hex[SHA1_HEX_LEN] = '\0';
}

int
hex_value(char c)
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
		int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);

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

/*
 * Linked with libcrypto.a, the Makefile passes the header's version text:
 * a reference to OpenSSL_version() pulls most of libcrypto.a's members
 * into the link (their code is dropped with the unused sections, but a
 * static link warns of the resolver calls among them).
 */
const char *
sha1_library_version(void)
{
#ifdef CRYPTO_VERSION_TEXT
	return CRYPTO_VERSION_TEXT;
#else
	return OpenSSL_version(OPENSSL_VERSION);
#endif
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
	if ((kb->buf = malloc(room + h->key_len + SHA1_BLOCK_LEN)) == NULL)
		return false;
	kb->room = room;
	kb->key_len = h->key_len;
	memcpy(kb->buf + room, h->key, h->key_len);
	return true;
}

static void
put_be32(unsigned char *p, SHA_LONG v)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint32_t be = __builtin_bswap32((uint32_t)v);

	memcpy(p, &be, 4);	/* byte stores here become a tangle of shifts */
#else
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
#endif
}

/*
 * When the message, the key, the 0x80 byte and the 8-byte length fit in
 * one block (a typical record does), the block is padded here, after the
 * key, and compressed by SHA1_Transform: that skips SHA1_Update's copy
 * into the context and SHA1_Final's padding and wipe, a third of the cost
 * of hashing a short record.  The key is never copied out of kb, so
 * keyed_free's wipe is the only one needed.
 */
void
keyed_digest(const struct keyed_buffer *kb, size_t len,
    unsigned char digest[SHA1_DIGEST_LEN])
{
	unsigned char *message = keyed_message(kb, len);
	unsigned char *pad = kb->buf + kb->room + kb->key_len;
	size_t total = len + kb->key_len;
	SHA_CTX ctx;

	if (total > SHA1_BLOCK_LEN - 9) {
		SHA1_Init(&ctx);
		SHA1_Update(&ctx, message, total);
		SHA1_Final(digest, &ctx);
		return;
	}
	/* SHA-1's initial state (FIPS 180-4, 5.3.1): all that Transform reads. */
	ctx.h0 = 0x67452301;
	ctx.h1 = 0xefcdab89;
	ctx.h2 = 0x98badcfe;
	ctx.h3 = 0x10325476;
	ctx.h4 = 0xc3d2e1f0;
	memset(pad, 0, SHA1_BLOCK_LEN);
	pad[0] = 0x80;
	/* The length in bits, big-endian: under 512, so two bytes. */
	message[SHA1_BLOCK_LEN - 2] = (unsigned char)(total * 8 >> 8);
	message[SHA1_BLOCK_LEN - 1] = (unsigned char)(total * 8);
	SHA1_Transform(&ctx, message);
	put_be32(digest, ctx.h0);
	put_be32(digest + 4, ctx.h1);
	put_be32(digest + 8, ctx.h2);
	put_be32(digest + 12, ctx.h3);
	put_be32(digest + 16, ctx.h4);
}

void
keyed_free(struct keyed_buffer *kb)
{
	if (kb->buf != NULL) {
		OPENSSL_cleanse(kb->buf, kb->room + kb->key_len +
		    SHA1_BLOCK_LEN);
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
