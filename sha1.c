/*
 * sha1.c - SHA-1 over libcrypto's low-level interface, hex, and the
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

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
/*
 * x86-64 with GCC or Clang: the processor's features from cpuid, SSSE3
 * for --batch's hex (LINES_SSSE3), and the vector registers wiped.
 */
#if defined(__GNUC__) && defined(__x86_64__)
#include <cpuid.h>
#define WIPE_SSE	1	/* xmm0 to xmm15 */
#define WIPE_XSAVE	2	/* every register XRSTOR knows of */
#if defined(__SSE2__)
#include <tmmintrin.h>
#define LINES_SSSE3	__attribute__((target("ssse3")))
#endif
#endif

#include <openssl/crypto.h>
#include <openssl/opensslv.h>
#include <openssl/sha.h>

#include "sha1.h"

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

#if defined(__SSE2__)
/* Each byte 0..15 of x as its hex digit. */
static __m128i
nibbles_to_hex(__m128i x)
{
	__m128i letters = _mm_cmpgt_epi8(x, _mm_set1_epi8(9));

	return _mm_add_epi8(_mm_add_epi8(x, _mm_set1_epi8('0')),
	    _mm_and_si128(letters, _mm_set1_epi8('a' - '0' - 10)));
}

/* The 16 bytes of x as 32 hex digits: the first 16 in *lo. */
static __m128i
bytes_to_hex(__m128i x, __m128i *lo)
{
	__m128i low = _mm_set1_epi8(0x0f);
	__m128i hi_nib = _mm_and_si128(_mm_srli_epi16(x, 4), low);
	__m128i lo_nib = _mm_and_si128(x, low);

	*lo = nibbles_to_hex(_mm_unpacklo_epi8(hi_nib, lo_nib));
	return nibbles_to_hex(_mm_unpackhi_epi8(hi_nib, lo_nib));
}
#else
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
#endif

/* SSE2 where the compiler allows (every x86-64 has it). */
void
sha1_to_hex(char *hex, const unsigned char digest[SHA1_DIGEST_LEN])
{
#if defined(__SSE2__)
	__m128i first, second;
	int last;

	second = bytes_to_hex(_mm_loadu_si128((const void *)digest), &first);
	_mm_storeu_si128((void *)hex, first);
	_mm_storeu_si128((void *)(hex + 16), second);
	memcpy(&last, digest + 16, 4);
	bytes_to_hex(_mm_cvtsi32_si128(last), &first);
	_mm_storel_epi64((void *)(hex + 32), first);
#else
	for (size_t i = 0; i < SHA1_DIGEST_LEN; i++)
		memcpy(hex + 2 * i, hex_pairs[digest[i]], 2);
#endif
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

_Static_assert(offsetof(SHA_CTX, h4) == 4 * sizeof(SHA_LONG),
    "SHA_CTX starts with h0 to h4, one after the other");
_Static_assert(SHA1_LANES <= 32, "sha1_lanes_find gives a bit per lane");

#define LINE_BYTES	64	/* each part of the lanes' memory starts a line */
#define SHORT_MAX	(2 * SHA1_BLOCK_LEN - 9)	/* message and key */

static size_t
round_up(size_t n, size_t to)
{
	return (n + to - 1) / to * to;
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

static SHA_LONG
get_be32(const unsigned char *p)
{
	return (SHA_LONG)p[0] << 24 | (SHA_LONG)p[1] << 16 |
	    (SHA_LONG)p[2] << 8 | (SHA_LONG)p[3];
}

/*
 * The lanes' memory: SHA1_LANES lanes, each with room for its message,
 * what a writer stores past it, and its row's tail, two blocks' worth; a
 * row per short length (sha1_lane_pad), and a row's worth after the last
 * for the reads past its end; a state per lane.
 */
static size_t
lanes_size(const struct sha1_lanes *l)
{
	return SHA1_LANES * l->stride +
	    round_up((l->short_len + 1) * SHA1_TAIL_LEN, LINE_BYTES) +
	    round_up(SHA1_LANES * sizeof(SHA_CTX), LINE_BYTES);
}

bool
sha1_lanes_init(struct sha1_lanes *l, const struct hasher *h, size_t room)
{
	memset(l, 0, sizeof(*l));
#if defined(LINES_SSSE3)
	{
		unsigned a, b, c, d;

		l->ssse3 = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSSE3);
	}
#endif
	l->hasher = h;
	l->room = room;
	l->key_len = h->key_len;
	l->short_len = h->key_len <= SHORT_MAX ? SHORT_MAX - h->key_len + 1 :
	    0;
	l->stride = round_up(room + SHA1_LANE_SLACK + SHA1_TAIL_LEN,
	    LINE_BYTES);
	if ((l->mem = aligned_alloc(LINE_BYTES, lanes_size(l))) == NULL)
		return false;
	/* The lanes and states are written before they are read. */
	l->rows = l->mem + SHA1_LANES * l->stride;
	l->states = l->rows + round_up((l->short_len + 1) * SHA1_TAIL_LEN,
	    LINE_BYTES);
	memset(l->rows, 0, (size_t)((unsigned char *)l->states - l->rows));
	for (size_t len = 0; len < l->short_len; len++) {
		unsigned char *row = l->rows + len * SHA1_TAIL_LEN;
		size_t total = len + h->key_len;
		size_t end = total > SHA1_BLOCK_LEN - 9 ? SHA1_TAIL_LEN :
		    SHA1_BLOCK_LEN;

		memcpy(row + len, h->key, h->key_len);
		row[total] = 0x80;
		put_be32(row + end - 4, (SHA_LONG)(total * 8));
	}
	return true;
}

void
sha1_lanes_free(struct sha1_lanes *l)
{
	if (l->mem != NULL) {
		OPENSSL_cleanse(l->mem, lanes_size(l));
		free(l->mem);
	}
	l->mem = NULL;
}

static void
state_digest(const SHA_CTX *c, unsigned char digest[SHA1_DIGEST_LEN])
{
	put_be32(digest, c->h0);
	put_be32(digest + 4, c->h1);
	put_be32(digest + 8, c->h2);
	put_be32(digest + 12, c->h3);
	put_be32(digest + 16, c->h4);
}

/*
 * A message too long for two blocks: SHA1_Update over it and the key, and
 * the state is the digest's words.  SHA1_Final wipes its block buffer.
 */
static void
hash_long_lane(const struct sha1_lanes *l, SHA_CTX *state,
    const unsigned char *message, size_t len)
{
	unsigned char digest[SHA1_DIGEST_LEN];
	SHA_CTX ctx;

	SHA1_Init(&ctx);
	SHA1_Update(&ctx, message, len);
	SHA1_Update(&ctx, l->hasher->key, l->key_len);
	SHA1_Final(digest, &ctx);
	state->h0 = get_be32(digest);
	state->h1 = get_be32(digest + 4);
	state->h2 = get_be32(digest + 8);
	state->h3 = get_be32(digest + 12);
	state->h4 = get_be32(digest + 16);
}

void
sha1_lanes_compress(struct sha1_lanes *l, unsigned n)
{
	SHA_CTX *state = l->states;
	unsigned second = 0;

	for (unsigned i = 0; i < n; i++) {
		size_t len = l->len[i];

		if (len >= l->short_len) {
			hash_long_lane(l, &state[i], sha1_lane(l, i), len);
			continue;
		}
		/* FIPS 180-4, 5.3.1: all that SHA1_Transform reads. */
		state[i].h0 = 0x67452301;
		state[i].h1 = 0xefcdab89;
		state[i].h2 = 0x98badcfe;
		state[i].h3 = 0x10325476;
		state[i].h4 = 0xc3d2e1f0;
		SHA1_Transform(&state[i], sha1_lane(l, i));
		if (len + l->key_len > SHA1_BLOCK_LEN - 9)
			second |= 1u << i;
	}
	for (unsigned i = 0; second >> i != 0; i++)
		if (second >> i & 1)
			SHA1_Transform(&state[i], sha1_lane(l, i) +
			    SHA1_BLOCK_LEN);
}

void
sha1_lanes_hash(struct sha1_lanes *l, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		sha1_lane_pad(l, i, sha1_lane(l, i), l->len[i]);
	sha1_lanes_compress(l, n);
}

#if defined(__SSE2__)
/* The bytes of each 32-bit word of x in the other order. */
static __m128i
swap_words(__m128i x)
{
	x = _mm_or_si128(_mm_slli_epi16(x, 8), _mm_srli_epi16(x, 8));
	return _mm_shufflehi_epi16(_mm_shufflelo_epi16(x, 0xb1), 0xb1);
}

#endif

#if defined(LINES_SSSE3)
/*
 * The same with SSSE3's byte shuffle: the bytes swapped in one step, the
 * digits looked up in another; half the instructions of SSE2's.
 */
LINES_SSSE3 static void
lines_ssse3(const SHA_CTX *state, unsigned n, char *out)
{
	const __m128i swap = _mm_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9,
	    8, 15, 14, 13, 12);
	const __m128i digits = _mm_setr_epi8('0', '1', '2', '3', '4', '5',
	    '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f');
	const __m128i low = _mm_set1_epi8(0x0f);
	__m128i w, hi, lo;

	for (unsigned i = 0; i < n; i++) {
		w = _mm_shuffle_epi8(_mm_loadu_si128((const void *)
		    &state[i].h0), swap);
		hi = _mm_and_si128(_mm_srli_epi16(w, 4), low);
		lo = _mm_and_si128(w, low);
		_mm_storeu_si128((void *)(out + i * 41), _mm_shuffle_epi8(digits,
		    _mm_unpacklo_epi8(hi, lo)));
		_mm_storeu_si128((void *)(out + i * 41 + 16),
		    _mm_shuffle_epi8(digits, _mm_unpackhi_epi8(hi, lo)));
		out[i * 41 + 40] = '\n';
		if (i % 2 == 1 || i + 1 == n) {
			w = _mm_shuffle_epi8(_mm_unpacklo_epi32(
			    _mm_cvtsi32_si128((int)state[i - i % 2].h4),
			    _mm_cvtsi32_si128((int)state[i].h4)), swap);
			hi = _mm_and_si128(_mm_srli_epi16(w, 4), low);
			lo = _mm_and_si128(w, low);
			w = _mm_shuffle_epi8(digits, _mm_unpacklo_epi8(hi, lo));
			_mm_storel_epi64((void *)(out + (i - i % 2) * 41 + 32), w);
			_mm_storel_epi64((void *)(out + i * 41 + 32),
			    _mm_srli_si128(w, 8));
		}
	}
}
#endif

/*
 * x86: the states' words are little-endian; h0 to h3 are one load, and
 * the h4 of two lanes another.
 */
void
sha1_lanes_lines(const struct sha1_lanes *l, unsigned n, char *out)
{
	const SHA_CTX *state = l->states;
#if defined(__SSE2__)
	__m128i first, second;

#if defined(LINES_SSSE3)
	if (l->ssse3) {
		lines_ssse3(state, n, out);
		return;
	}
#endif
	for (unsigned i = 0; i < n; i++) {
		second = bytes_to_hex(swap_words(_mm_loadu_si128((const void *)
		    &state[i].h0)), &first);
		_mm_storeu_si128((void *)(out + i * 41), first);
		_mm_storeu_si128((void *)(out + i * 41 + 16), second);
		out[i * 41 + 40] = '\n';
		if (i % 2 == 1 || i + 1 == n) {
			/* In registers: _mm_set_epi32 goes through the stack. */
			__m128i e = _mm_unpacklo_epi32(_mm_cvtsi32_si128(
			    (int)state[i - i % 2].h4),
			    _mm_cvtsi32_si128((int)state[i].h4));

			bytes_to_hex(swap_words(e), &first);
			_mm_storel_epi64((void *)(out + (i - i % 2) * 41 + 32),
			    first);
			_mm_storel_epi64((void *)(out + i * 41 + 32),
			    _mm_srli_si128(first, 8));
		}
	}
#else
	unsigned char digest[SHA1_DIGEST_LEN];

	for (unsigned i = 0; i < n; i++) {
		state_digest(&state[i], digest);
		for (size_t k = 0; k < SHA1_DIGEST_LEN; k++)
			memcpy(out + i * 41 + 2 * k, hex_pairs[digest[k]], 2);
		out[i * 41 + 40] = '\n';
	}
#endif
}

unsigned
sha1_lanes_find(const struct sha1_lanes *l, unsigned n,
    const unsigned char target[SHA1_DIGEST_LEN])
{
	const SHA_CTX *state = l->states;
	SHA_LONG first = get_be32(target);
	unsigned char digest[SHA1_DIGEST_LEN];
	unsigned found = 0;

	for (unsigned i = 0; i < n; i++) {
		if (state[i].h0 != first)
			continue;
		state_digest(&state[i], digest);
		if (sha1_equal(digest, target))
			found |= 1u << i;
	}
	return found;
}


int
registers_wipe_kind(void)
{
#if defined(WIPE_XSAVE)
	unsigned a, b, c, d;

	return __get_cpuid(1, &a, &b, &c, &d) && (c & bit_OSXSAVE) ?
	    WIPE_XSAVE : WIPE_SSE;
#else
	return 0;
#endif
}

void
wipe_registers(int kind)
{
#if defined(WIPE_XSAVE)
	if (kind == WIPE_XSAVE) {
		/*
		 * An XSAVE area whose header has every component in its first
		 * state: XRSTOR sets the SSE, AVX and AVX-512 registers (those
		 * of the 0xe6 asked that the system enabled) to zero.  It
		 * loads MXCSR from the area too: the current one.
		 */
		_Alignas(64) unsigned char area[512 + 64];
		unsigned mxcsr;

		__asm__ volatile ("stmxcsr %0" : "=m" (mxcsr));
		memset(area, 0, sizeof(area));
		memcpy(area + 24, &mxcsr, sizeof(mxcsr));
		__asm__ volatile ("xrstor64 %0" : : "m" (area), "a" (0xe6),
		    "d" (0) : "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4",
		    "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11",
		    "xmm12", "xmm13", "xmm14", "xmm15");
	} else if (kind == WIPE_SSE)
		__asm__ volatile ("pxor %%xmm0, %%xmm0\n\tpxor %%xmm1, %%xmm1\n\t"
		    "pxor %%xmm2, %%xmm2\n\tpxor %%xmm3, %%xmm3\n\t"
		    "pxor %%xmm4, %%xmm4\n\tpxor %%xmm5, %%xmm5\n\t"
		    "pxor %%xmm6, %%xmm6\n\tpxor %%xmm7, %%xmm7\n\t"
		    "pxor %%xmm8, %%xmm8\n\tpxor %%xmm9, %%xmm9\n\t"
		    "pxor %%xmm10, %%xmm10\n\tpxor %%xmm11, %%xmm11\n\t"
		    "pxor %%xmm12, %%xmm12\n\tpxor %%xmm13, %%xmm13\n\t"
		    "pxor %%xmm14, %%xmm14\n\tpxor %%xmm15, %%xmm15" : : :
		    "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",
		    "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12",
		    "xmm13", "xmm14", "xmm15");
#else
	(void)kind;
#endif
}

void
hasher_wipe(struct hasher *h)
{
	OPENSSL_cleanse(h->key, h->key_len);
	h->key_len = 0;
}
