/*
 * sha1.c - SHA-1 over libcrypto's low-level interface.
 *
 * The low-level SHA1_* functions are deprecated in OpenSSL 3 in favour of
 * EVP, but EVP fetches a provider and loads the config file on first use:
 * about 6 million instructions, twenty times the cost of the whole sha1sum
 * program.  SHA1_* is the same assembly without that start-up, and exists
 * from OpenSSL 1.1 to 4.x, in LibreSSL and in BoringSSL.  The deprecation
 * is therefore silenced here, and only here.
 */
#define OPENSSL_SUPPRESS_DEPRECATED

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/opensslv.h>
#include <openssl/sha.h>

#include "sha1.h"

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
	size_t len;

	OPENSSL_buf2hexstr_ex(hex, SHA1_HEX_LEN + 1, &len, digest,
	    SHA1_DIGEST_LEN, '\0');
	/*
	 * libcrypto writes [0-9A-F]; MOR and sha1sum use lowercase.  Setting
	 * bit 0x20 lowers A-F and leaves the digits (0x30-0x39) as they are,
	 * without tolower()'s call per byte, which cost more than the hash
	 * in batch mode.
	 */
	for (size_t i = 0; i < SHA1_HEX_LEN; i++)
		hex[i] |= 0x20;
}

bool
sha1_from_hex(unsigned char digest[SHA1_DIGEST_LEN], const char *hex)
{
	size_t len = 0;

	if (strnlen(hex, SHA1_HEX_LEN + 1) != SHA1_HEX_LEN)
		return false;
	return OPENSSL_hexstr2buf_ex(digest, SHA1_DIGEST_LEN, &len, hex,
	    '\0') == 1 && len == SHA1_DIGEST_LEN;
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
