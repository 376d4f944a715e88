/*
 * batch-scan.c - the plain batch's hashing of a chunk: whole records in,
 * a line of hex per record out.
 *
 * The records' delimiters and terminators are found a block at a time
 * (SSE2 where there is, else eight bytes to a word), and each record's
 * fields go into a lane (sha1.h): the lanes are hashed SHA1_LANES at a
 * time, and while one set's compressions run, back to back, the next
 * records are split into the other.  A record too long for a lane is
 * hashed alone, a field at a time.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "batch-impl.h"

#define OUTPUT_SIZE	(1024 * 1024)
#define LANE_ROOM	1024		/* longer: a SHA-1 call per field */
#define IN_SLACK	64		/* a byte before a chunk; the sentinel
					   and the reads past it after */

#if defined(__GNUC__)
#define NOINLINE	__attribute__((noinline))
#else
#define NOINLINE
#endif

/*
 * The delimiters and terminators of a chunk, found BLOCK bytes at a time
 * into masks of a bit per byte, whose bits are then taken in turn.  The
 * blocks' addresses do not depend on what was found in the one before,
 * so the processor finds several blocks' masks at once: finding each
 * field's end from the last one's waits on each load in turn.
 */
#define BLOCK	64

struct scan {
	const char	*base;		/* a block: BLOCK bytes from the chunk's
					   start on */
	uint64_t	 stops;		/* its stops not yet taken: bit k, byte k */
	uint64_t	 ends;		/* the terminators among them */
};

static void
stop_bytes_init(struct stop_bytes *sb, int terminator, int delimiter)
{
#if defined(__SSE2__)
	sb->terminator = _mm_set1_epi8((char)terminator);
	sb->delimiter = _mm_set1_epi8((char)delimiter);
#else
	sb->terminator = (unsigned char)terminator * 0x0101010101010101ULL;
	sb->delimiter = (unsigned char)delimiter * 0x0101010101010101ULL;
#endif
}

#if !defined(__SSE2__)
/* Byte k of the word is the byte at p + k, whatever the host. */
static uint64_t
load_le64(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	return (uint64_t)u[0] | (uint64_t)u[1] << 8 | (uint64_t)u[2] << 16 |
	    (uint64_t)u[3] << 24 | (uint64_t)u[4] << 32 |
	    (uint64_t)u[5] << 40 | (uint64_t)u[6] << 48 | (uint64_t)u[7] << 56;
}

#define LOW7S	0x7f7f7f7f7f7f7f7fULL

/* Bit k: byte k of w equals the byte in every byte of c. */
static unsigned
bytes_equal(uint64_t w, uint64_t c)
{
	uint64_t v = w ^ c;

	/* No carry crosses a byte, so no byte is flagged by its neighbour. */
	v = ~(((v & LOW7S) + LOW7S) | v) & ~LOW7S;
	/* The top bits of the bytes gathered into the top byte. */
	return (unsigned)((v >> 7) * 0x0102040810204080ULL >> 56);
}
#endif

/*
 * The masks of the first block from base on that holds a stop: there is
 * one, since the chunk ends in a terminator.  Returned by value, so that
 * a caller's scan stays in registers.
 */
static struct scan
scan_from(const struct stop_bytes *sb, const char *base)
{
	struct scan sc = { .base = base - BLOCK };

	do {
		sc.base += BLOCK;
#if defined(__SSE2__)
		const __m128i *b = (const void *)sc.base;
		__m128i v0 = _mm_load_si128(b), v1 = _mm_load_si128(b + 1);
		__m128i v2 = _mm_load_si128(b + 2), v3 = _mm_load_si128(b + 3);
		__m128i t = sb->terminator, d = sb->delimiter;

#define MASK(v, c) \
	((uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, c)))
		sc.ends = MASK(v0, t) | MASK(v1, t) << 16 |
		    MASK(v2, t) << 32 | MASK(v3, t) << 48;
		sc.stops = MASK(v0, d) | MASK(v1, d) << 16 |
		    MASK(v2, d) << 32 | MASK(v3, d) << 48;
#undef MASK
#else
		sc.ends = sc.stops = 0;
		for (unsigned i = 0; i < BLOCK; i += 8) {
			uint64_t w = load_le64(sc.base + i);

			sc.ends |= (uint64_t)bytes_equal(w, sb->terminator) <<
			    i;
			sc.stops |= (uint64_t)bytes_equal(w, sb->delimiter) <<
			    i;
		}
#endif
		sc.stops |= sc.ends;
	} while (sc.stops == 0);
	return sc;
}

/* A scan of the chunk from p on; the blocks start at the chunk's start. */
static struct scan
scan_init(const struct stop_bytes *sb, const char *chunk, const char *p)
{
	size_t at = (size_t)(p - chunk);
	struct scan sc = scan_from(sb, chunk + at / BLOCK * BLOCK);

	/* Stops before p, in the block of p, are passed. */
	if (sc.base == chunk + at / BLOCK * BLOCK)
		sc.stops &= ~(uint64_t)0 << at % BLOCK;
	return sc;
}

static inline size_t
lowest_bit(uint64_t m)
{
#if defined(__GNUC__)
	return (unsigned)__builtin_ctzll(m);
#else
	size_t k = 0;

	for (; !(m >> k & 1); k++)
		continue;
	return k;
#endif
}

/*
 * The next delimiter or terminator, and in *end which: there always is
 * one, since the chunk ends in a terminator.
 */
static inline const char *
next_stop(const struct stop_bytes *sb, struct scan *sc, bool *end)
{
	size_t k;

	if (sc->stops == 0)
		*sc = scan_from(sb, sc->base + BLOCK);
	k = lowest_bit(sc->stops);
	sc->stops &= sc->stops - 1;
	*end = sc->ends >> k & 1;
	return sc->base + k;
}

/* A record longer than the keyed buffer: a SHA-1 call per field. */
static void
hash_long_record(const struct chunk *c, const char *p, size_t len,
    unsigned char digest[SHA1_DIGEST_LEN])
{
	const char *end = p + len, *d;
	sha1_ctx ctx;

	hasher_start(c->hasher, &ctx);
	while ((d = memchr(p, c->delimiter, (size_t)(end - p))) != NULL) {
		sha1_update(&ctx, p, (size_t)(d - p));
		p = d + 1;
	}
	sha1_update(&ctx, p, (size_t)(end - p));
	hasher_finish(c->hasher, &ctx, digest);
}

/* The terminator of the record the scan is in. */
static const char *
record_end(const struct stop_bytes *sb, struct scan *sc)
{
	const char *stop;
	bool end;

	do
		stop = next_stop(sb, sc, &end);
	while (!end);
	return stop;
}

/*
 * The line of the record from p to its terminator t, too long for a lane,
 * and where the next record starts.  Out of line: it is rare.
 */
NOINLINE static const char *
hash_long_line(struct chunk *c, const char *p, const char *t)
{
	const char *end = c->in + c->in_len;
	unsigned char digest[SHA1_DIGEST_LEN];
	size_t len = (size_t)(t - p);

	if (t[-1] == '\r' && c->strip_cr && t < end)
		len--;
	hash_long_record(c, p, len, digest);
	sha1_to_hex(c->out + c->out_len, digest);
	c->out[c->out_len + SHA1_HEX_LEN] = '\n';
	c->out_len += LINE_LEN;
	return t < end ? t + 1 : end;
}

/*
 * Hashes records from pos until the chunk or the output room ends,
 * SHA1_LANES at a time: each record's fields go into a lane, the lanes
 * are hashed together and each gives its line.  A record longer than a
 * lane ends its group, and is hashed alone, a field at a time.  After the
 * chunk comes a terminator that the input did not have (the sentinel): a
 * record that ends there had none, and a CR before it stays.
 */
void
chunk_hash(struct chunk *c)
{
	const char *p = c->in + c->pos, *end = c->in + c->in_len, *t = end;
	struct sha1_lanes *fill = &c->lanes[0], *run = &c->lanes[1], *swap;
	/* Locals: each store into a lane may alias whatever c points to. */
	const struct stop_bytes stops = c->stops;
	const size_t room = fill->room, stride = fill->stride;
	const bool strip_cr = c->strip_cr;
	char *run_out = NULL;
	unsigned n, ran = 0;
	struct scan sc;
	size_t len;

	c->out_len = 0;
	sc = scan_init(&stops, c->in, p);
	while (p < end &&
	    OUTPUT_SIZE - c->out_len >= (SHA1_LANES + 1) * LINE_LEN) {
		char *fill_out = c->out + c->out_len;
		unsigned char *lane = fill->mem;
		/* The scan in plain locals, which no store into a lane aliases. */
		const char *base = sc.base;
		uint64_t bits = sc.stops, ends = sc.ends;

		/* The last group's compressions run while this one fills. */
		if (ran > 0)
			sha1_lanes_compress(run, ran);
		for (n = 0; n < SHA1_LANES && p < end; n++, lane += stride) {
			unsigned char *o = lane, *limit = lane + room;
			const char *start = p;
			size_t k, field;
			bool last;

			/*
			 * The record's fields, without their delimiters, 16 bytes
			 * at a time (at most SHA1_LANE_SLACK past room), each
			 * read up to 15 bytes past its end: the chunk ends in a
			 * terminator with room after.
			 */
			for (;;) {
				if (bits == 0) {
					sc = scan_from(&stops, base + BLOCK);
					base = sc.base, bits = sc.stops;
					ends = sc.ends;
				}
				k = lowest_bit(bits);
				bits &= bits - 1;
				last = ends >> k & 1;
				t = base + k;
				field = (size_t)(t - p);
				memcpy(o, p, 16);
				if (field > 16) {
					if (field > (size_t)(limit - o))
						goto too_long;
					for (size_t at = 16; at < field; at += 16)
						memcpy(o + at, p + at, 16);
				}
				o += field;
				p = t + 1;
				if (o > limit)
					goto too_long;
				if (last)
					break;
			}
			len = (size_t)(o - lane);
			/* A CR is the record's (or t is the chunk's first). */
			if (t[-1] == '\r' && strip_cr && t < end)
				len--;
			sha1_lane_pad(fill, n, lane, len);
			if (t == end)
				p = end;
			continue;
too_long:
			/* Too long for a lane: its end, and alone, below. */
			if (!last) {
				sc.base = base, sc.stops = bits, sc.ends = ends;
				t = record_end(&stops, &sc);
				base = sc.base, bits = sc.stops, ends = sc.ends;
			}
			p = start;
			break;
		}
		sc.base = base, sc.stops = bits, sc.ends = ends;
		if (ran > 0)
			sha1_lanes_lines(run, ran, run_out);
		c->out_len += n * LINE_LEN;
		swap = run, run = fill, fill = swap;
		ran = n, run_out = fill_out;
		if (n == SHA1_LANES || p == end)
			continue;
		/* A record too long for a lane: the group before it first. */
		sha1_lanes_compress(run, ran);
		sha1_lanes_lines(run, ran, run_out);
		ran = 0;
		p = hash_long_line(c, p, t);
	}
	if (ran > 0) {
		sha1_lanes_compress(run, ran);
		sha1_lanes_lines(run, ran, run_out);
	}
	c->pos = (size_t)(p - c->in);
}

bool
chunk_init(struct chunk *c, const struct batch_options *o)
{
	memset(c, 0, sizeof(*c));
	c->hasher = o->hasher;
	c->delimiter = o->delimiter;
	stop_bytes_init(&c->stops, o->terminator, o->delimiter);
	/* A CR that is the delimiter is dropped with the fields'. */
	c->strip_cr = o->terminator == '\n' && o->delimiter != '\r';
	/* calloc: the pages are zeroed as they are first read into. */
	c->in_base = calloc(1, IN_SLACK + CHUNK_SIZE + IN_SLACK);
	c->in = c->in_base != NULL ? c->in_base + IN_SLACK : NULL;
	c->out = malloc(OUTPUT_SIZE);
	return c->in != NULL && c->out != NULL &&
	    sha1_lanes_init(&c->lanes[0], o->hasher, LANE_ROOM) &&
	    sha1_lanes_init(&c->lanes[1], o->hasher, LANE_ROOM);
}

void
chunk_free(struct chunk *c)
{
	sha1_lanes_free(&c->lanes[0]);
	sha1_lanes_free(&c->lanes[1]);
	free(c->in_base);
	free(c->out);
}

void
chunk_cut(struct chunk *c, size_t len, int terminator)
{
	c->in_len = len;
	c->pos = 0;
	c->in[len] = (char)terminator;	/* the sentinel */
}
