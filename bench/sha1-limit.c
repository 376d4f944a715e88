/*
 * sha1-limit.c - the single-core SHA-1 limit for mor-hash --batch.
 *
 * Reads a records file (one record a line, fields separated by TAB; a CR
 * before the LF is dropped) into memory once, builds each record's hashed
 * string (its fields concatenated, then the key from MOR_API_SECRET) and
 * then times only a loop of SHA1_Init, one SHA1_Update and SHA1_Final per
 * record, with libcrypto's low-level SHA1_*.  Reading,
 * splitting, hex and output are all left out: no batch hasher over this
 * libcrypto can do better on one core.  Every loop is timed in CPU time
 * (CLOCK_PROCESS_CPUTIME_ID), as run.py times mor-hash, so that a busy
 * machine's other work does not count.
 *
 * bench/run.py compiles it into a temporary directory and runs it; it is
 * not part of the build.
 *
 *	usage: sha1-limit FILE [LOOPS]
 *
 * prints "records N", "first HEX" and "last HEX" (the first and the last
 * record's hash, for run.py to compare with mor-hash's), then one line
 * "seconds S records_per_s R" per timed loop (LOOPS, default 1).  Then,
 * when every record fits one block, "transform_seconds S records_per_s R"
 * per loop of SHA1_Transform alone over the records padded beforehand:
 * what mor-hash --batch calls for a short record.  Then "grouped_seconds S
 * records_per_s R" per loop of the same transforms GROUP records at a
 * time: GROUP states set, GROUP transforms back to back, so that each
 * one's latency overlaps the next's (mor-hash --batch hashes its short
 * records so): the floor under every other figure.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#define _POSIX_C_SOURCE 200809L
#define OPENSSL_SUPPRESS_DEPRECATED

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/sha.h>

#define GROUP	8	/* records whose transforms run back to back */

static void
die(const char *what)
{
	fprintf(stderr, "sha1-limit: %s: %s\n", what, strerror(errno));
	exit(2);
}

static char *
read_file(const char *path, size_t *len)
{
	struct stat st;
	size_t have = 0, room;
	char *buf;
	int fd;

	if ((fd = open(path, O_RDONLY)) < 0 || fstat(fd, &st) < 0)
		die(path);
	room = (size_t)st.st_size + 1;
	if ((buf = malloc(room)) == NULL)
		die("malloc");
	for (;;) {
		ssize_t n;

		if (have == room) {
			room *= 2;
			if ((buf = realloc(buf, room)) == NULL)
				die("realloc");
		}
		if ((n = read(fd, buf + have, room - have)) < 0) {
			if (errno == EINTR)
				continue;
			die(path);
		}
		if (n == 0)
			break;
		have += (size_t)n;
	}
	close(fd);
	*len = have;
	return buf;
}

static void
hex(char out[2 * SHA_DIGEST_LENGTH + 1],
    const unsigned char d[SHA_DIGEST_LENGTH])
{
	for (int i = 0; i < SHA_DIGEST_LENGTH; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void
hash_one(const char *msg, const size_t *start, size_t r, char out[41])
{
	unsigned char d[SHA_DIGEST_LENGTH];
	SHA_CTX ctx;

	SHA1_Init(&ctx);
	SHA1_Update(&ctx, msg + start[r], start[r + 1] - start[r]);
	SHA1_Final(d, &ctx);
	hex(out, d);
}

static int
fits_one_block(const size_t *start, size_t count)
{
	for (size_t r = 0; r < count; r++)
		if (start[r + 1] - start[r] > 55)
			return 0;
	return 1;
}

/* A message of len <= 55 bytes with SHA-1's padding: one 64-byte block. */
static void
pad_block(unsigned char block[64], const char *msg, size_t len)
{
	memcpy(block, msg, len);
	block[len] = 0x80;
	block[62] = (unsigned char)(len * 8 >> 8);
	block[63] = (unsigned char)(len * 8);
}

/* CPU seconds of this process: its one thread's. */
/* SHA-1's initial state (FIPS 180-4, 5.3.1), set as mor-hash sets it. */
static void
initial_state(SHA_CTX *ctx)
{
	ctx->h0 = 0x67452301;
	ctx->h1 = 0xefcdab89;
	ctx->h2 = 0x98badcfe;
	ctx->h3 = 0x10325476;
	ctx->h4 = 0xc3d2e1f0;
}

/*
 * The padded blocks GROUP at a time: the states set, the transforms back
 * to back, then their results read.  The transforms of a group do not
 * depend on each other, so the processor runs them overlapped.
 */
static unsigned char
grouped(unsigned char (*block)[64], size_t count)
{
	unsigned char sum = 0;

	for (size_t r = 0; r < count; r += GROUP) {
		size_t n = count - r < GROUP ? count - r : GROUP;
		SHA_CTX ctx[GROUP];

		for (size_t g = 0; g < n; g++)
			initial_state(&ctx[g]);
		for (size_t g = 0; g < n; g++)
			SHA1_Transform(&ctx[g], block[r + g]);
		for (size_t g = 0; g < n; g++)
			sum ^= (unsigned char)(ctx[g].h0 >> (g % 4 * 8));
	}
	return sum;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	const char *key = getenv("MOR_API_SECRET");
	size_t len, key_len, count = 0, lines = 0, pos = 0;
	unsigned char digest[SHA_DIGEST_LENGTH], sum = 0;
	char *in, *msg, first[41], last[41];
	size_t *start;
	int loops;

	if (argc < 2 || argc > 3 || key == NULL) {
		fprintf(stderr, "usage: MOR_API_SECRET=KEY sha1-limit FILE "
		    "[LOOPS]\n");
		return 2;
	}
	loops = argc == 3 ? atoi(argv[2]) : 1;
	key_len = strlen(key);
	in = read_file(argv[1], &len);
	for (size_t i = 0; i < len; i++)
		lines += in[i] == '\n';
	lines += len > 0 && in[len - 1] != '\n';

	/* Untimed: every record's hashed string, back to back. */
	msg = malloc(len + lines * key_len + 1);
	start = malloc((lines + 1) * sizeof(*start));
	if (msg == NULL || start == NULL)
		die("malloc");
	for (size_t i = 0; i < len; ) {
		const char *end = memchr(in + i, '\n', len - i);
		size_t stop = end ? (size_t)(end - in) : len, rlen = stop - i;

		if (rlen > 0 && in[i + rlen - 1] == '\r')
			rlen--;
		start[count++] = pos;
		for (size_t k = i; k < i + rlen; k++)
			if (in[k] != '\t')
				msg[pos++] = in[k];
		memcpy(msg + pos, key, key_len);
		pos += key_len;
		i = stop + 1;
	}
	start[count] = pos;
	free(in);
	if (count == 0) {
		fprintf(stderr, "sha1-limit: no records in %s\n", argv[1]);
		return 2;
	}

	/* Untimed: the first and the last hash, to check against mor-hash. */
	hash_one(msg, start, 0, first);
	hash_one(msg, start, count - 1, last);
	printf("records %zu\nfirst %s\nlast %s\n", count, first, last);

	for (int loop = 0; loop < loops; loop++) {
		double t0 = now(), t;

		for (size_t r = 0; r < count; r++) {
			SHA_CTX ctx;

			SHA1_Init(&ctx);
			SHA1_Update(&ctx, msg + start[r], start[r + 1] - start[r]);
			SHA1_Final(digest, &ctx);
			sum ^= digest[r % SHA_DIGEST_LENGTH];
		}
		t = now() - t0;
		printf("seconds %.6f records_per_s %.0f\n", t, (double)count / t);
	}
	/*
	 * The floor under that: SHA1_Transform alone over each record
	 * already padded into its one block (mor-hash --batch pads short
	 * records itself), where every record fits one block.
	 */
	if (fits_one_block(start, count)) {
		unsigned char (*block)[64] = calloc(count, 64);

		if (block == NULL)
			die("calloc");
		for (size_t r = 0; r < count; r++)
			pad_block(block[r], msg + start[r],
			    start[r + 1] - start[r]);
		for (int loop = 0; loop < loops; loop++) {
			double t0 = now(), t;

			for (size_t r = 0; r < count; r++) {
				SHA_CTX ctx;

				SHA1_Init(&ctx);
				SHA1_Transform(&ctx, block[r]);
				sum ^= (unsigned char)(ctx.h0 >> (r % 4 * 8));
			}
			t = now() - t0;
			printf("transform_seconds %.6f records_per_s %.0f\n", t,
			    (double)count / t);
		}
		for (int loop = 0; loop < loops; loop++) {
			double t0 = now(), t;

			sum ^= grouped(block, count);
			t = now() - t0;
			printf("grouped_seconds %.6f records_per_s %.0f\n", t,
			    (double)count / t);
		}
		free(block);
	}
	printf("checksum %02x\n", sum);
	free(msg);
	free(start);
	return fflush(stdout) == 0 ? 0 : 2;
}
