/*
 * batch.c - --batch.
 *
 * Plain records (their fields are the values) are cut into chunks at a
 * record boundary.  Each of the workers (this thread and jobs - 1 more)
 * owns a chunk, two sets of lanes (sha1.h) and its output: it takes the
 * input in turn, reads a chunk and numbers it, splits and hashes it
 * without a lock, then writes its lines in one write when every earlier
 * chunk's are out, so the output keeps the input's order and reading
 * overlaps hashing.  A chunk's records are hashed SHA1_LANES at a time:
 * while one set's compressions run, back to back, the next records are
 * split into the other.  A record that does not fit in a chunk (a value
 * of a gigabyte) ends the chunking: the worker that met it streams the
 * rest through the splitter, in constant memory.
 *
 * With NAME operands each record becomes a request; those run on this
 * thread, through the same request model as a single call.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <err.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "batch.h"
#include "cli.h"
#include "io.h"
#include "records.h"

#define CHUNK_SIZE	(128 * 1024)
#define OUTPUT_SIZE	(1024 * 1024)
#define LINE_LEN	(SHA1_HEX_LEN + 1)
#define LANE_ROOM	1024		/* longer: a SHA-1 call per field */
#define IN_SLACK	64		/* a byte before a chunk; the sentinel
					   and the reads past it after */
#define MAX_SLOTS	MAX_JOBS	/* all that -j allows */
#define READ_CHUNK	(128 * 1024)
#define RECORD_MAX	(1024 * 1024)	/* with NAME operands */
#define NOTES_SHOWN	10		/* value-rule warnings printed */

#if defined(__GNUC__)
#define NOINLINE	__attribute__((noinline))
#else
#define NOINLINE
#endif

/* Atomic: the handler sets it, whichever worker writes reads it. */
static atomic_int interrupted;

static void
on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* Standard input is a regular file: set before the workers start. */
static bool input_is_file;

/* How this processor's vector registers are wiped (sha1.h): set first. */
static int wipe_kind;

/*
 * SIGINT is blocked in every thread of the batch but while one waits for
 * input, so it never cuts a write short (no half line), and it reaches
 * the thread that waits at a terminal.  The mask to wait with:
 */
static sigset_t waiting_mask;

/*
 * Whether SIGINT came: delivered, or pending while blocked (a wait on a
 * regular file returns at once, with the signal still pending).
 */
static bool
interrupt_came(void)
{
	sigset_t pending;

	if (!interrupted && sigpending(&pending) == 0 &&
	    sigismember(&pending, SIGINT) == 1)
		interrupted = 1;
	return interrupted;
}

/* SIGINT stops the batch after the last whole line written. */
static void
catch_interrupt(void)
{
	struct sigaction sa;

	sigset_t block;

	/* Ignored (a background job of a script): left ignored, as cat does. */
	if (sigaction(SIGINT, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN) {
		(void)sigprocmask(SIG_BLOCK, NULL, &waiting_mask);
		return;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_interrupt;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGINT, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	/*
	 * Before any thread starts, so sigprocmask will do, and the threads
	 * inherit the mask (pthread_sigmask is GLIBC_2.32: one more symbol
	 * version for the loader to check at every start).  The mask to wait
	 * with is the one mor-hash was started with.
	 */
	(void)sigprocmask(SIG_BLOCK, &block, &waiting_mask);
}

/*
 * Waits until standard input can be read: false if SIGINT came first, or
 * if wake (-1: none) became readable: the batch stopped.
 */
static bool
wait_for_input(int wake)
{
	int top = wake > STDIN_FILENO ? wake : STDIN_FILENO, ready;
	fd_set in;

	/* A read from a regular file never waits: no pselect. */
	if (input_is_file)
		return !interrupt_came();
	/* A SIGINT while waiting saves the registers on the stack. */
	wipe_registers(wipe_kind);
	do {
		if (interrupt_came())
			return false;
		FD_ZERO(&in);
		FD_SET(STDIN_FILENO, &in);
		if (wake >= 0)
			FD_SET(wake, &in);
	} while ((ready = pselect(top + 1, &in, NULL, NULL, NULL,
	    &waiting_mask)) == -1 && errno == EINTR);
	if (ready > 0 && wake >= 0 && FD_ISSET(wake, &in))
		return false;
	/*
	 * A SIGINT that comes as the input becomes ready may be left pending:
	 * pselect then returns the input and blocks it again.
	 */
	return !interrupt_came();
}

static void
stop_if_interrupted(void)
{
	if (!interrupt_came())
		return;
	if (fflush(stdout) == EOF)
		out_failed();
	exit(130);
}

/* The named batch's read: it runs on this thread alone, so it may exit. */
static size_t
read_some(int fd, char *buf, size_t size)
{
	ssize_t n;

	if (!wait_for_input(-1))
		stop_if_interrupted();
	while ((n = read(fd, buf, size)) == -1)
		if (errno != EINTR)
			err(2, "standard input");
	return (size_t)n;
}

/*
 * Why the plain batch stopped before the input's end.  Its workers never
 * exit: the first to meet trouble says so and all stop, so that no thread
 * is still hashing with the key when it is wiped at exit, and every copy
 * of the key is wiped before this thread exits with the status.
 */
enum stop { GOING, STOP_READ, STOP_WRITE, STOP_NO_MEMORY, STOP_INTERRUPT };

/*
 * A read for the plain batch: -1 with errno set on trouble, on SIGINT
 * (EINTR) and when wake says the batch stopped (EINTR too: whoever
 * stopped it gave the reason first).
 */
static ssize_t
read_input(int wake, char *buf, size_t size)
{
	ssize_t n;

	if (!wait_for_input(wake)) {
		errno = EINTR;
		return -1;
	}
	while ((n = read(STDIN_FILENO, buf, size)) == -1 && errno == EINTR)
		continue;
	return n;
}

static enum stop
read_failed(void)
{
	return errno == EINTR ? STOP_INTERRUPT : STOP_READ;
}

/* Whole lines to standard output, or why not. */
static enum stop
write_lines(const char *lines, size_t len)
{
	if (fwrite(lines, 1, len, stdout) != len)
		return STOP_WRITE;
	return GOING;
}

/*
 * The delimiters and terminators of a chunk, found BLOCK bytes at a time
 * into masks of a bit per byte, whose bits are then taken in turn.  The
 * blocks' addresses do not depend on what was found in the one before,
 * so the processor finds several blocks' masks at once: finding each
 * field's end from the last one's waits on each load in turn.
 */
#define BLOCK	64

struct stop_bytes {
#if defined(__SSE2__)
	__m128i		 terminator;	/* the byte in every byte */
	__m128i		 delimiter;
#else
	uint64_t	 terminator;
	uint64_t	 delimiter;
#endif
};

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
/* Plain records, in chunks. */

/*
 * What the workers share: the input, under its own lock (only one reads
 * at a time, and takes the chunk it read a number), and under the other
 * the turn (whose lines go out next) and whether to stop, so that a
 * worker waiting for input never holds up another's output.  The bytes
 * after a chunk's last whole record wait in carry for the next reader.
 * Lock order: input, then lock.
 */
struct plain {
	const struct batch_options	*o;
	pthread_mutex_t			 input;		/* for these four: */
	char				*carry;		/* CHUNK_SIZE */
	size_t				 carry_len;
	bool				 eof;		/* nothing more to read */
	unsigned long			 chunks;	/* numbered so far */
	pthread_mutex_t			 lock;		/* for the rest */
	pthread_cond_t			 turn_changed;
	unsigned long			 turn;		/* next to write */
	enum stop			 stop;		/* GOING until trouble */
	int				 stop_errno;
	int				 wake[2];	/* readable once stopped;
							   -1: one worker */
};

/* A worker's own: its chunk, its keyed buffer, its lines. */
struct slot {
	const struct batch_options	*o;
	struct plain			*shared;
	char				*in_base;
	char				*in;		/* in_base + IN_SLACK */
	size_t				 in_len;	/* then the sentinel */
	size_t				 pos;		/* next record */
	char				*out;
	size_t				 out_len;
	struct sha1_lanes		 lanes[2];	/* in turn */
	struct stop_bytes		 stops;
	bool				 strip_cr;	/* before LF */
	pthread_t			 thread;
};

/* A record longer than the keyed buffer: a SHA-1 call per field. */
static void
hash_long_record(const struct slot *s, const char *p, size_t len,
    unsigned char digest[SHA1_DIGEST_LEN])
{
	const char *end = p + len, *d;
	sha1_ctx ctx;

	hasher_start(s->o->hasher, &ctx);
	while ((d = memchr(p, s->o->delimiter, (size_t)(end - p))) != NULL) {
		sha1_update(&ctx, p, (size_t)(d - p));
		p = d + 1;
	}
	sha1_update(&ctx, p, (size_t)(end - p));
	hasher_finish(s->o->hasher, &ctx, digest);
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
hash_long_line(struct slot *s, const char *p, const char *t)
{
	const char *end = s->in + s->in_len;
	unsigned char digest[SHA1_DIGEST_LEN];
	size_t len = (size_t)(t - p);

	if (t[-1] == '\r' && s->strip_cr && t < end)
		len--;
	hash_long_record(s, p, len, digest);
	sha1_to_hex(s->out + s->out_len, digest);
	s->out[s->out_len + SHA1_HEX_LEN] = '\n';
	s->out_len += LINE_LEN;
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
static void
hash_chunk(struct slot *s)
{
	const char *p = s->in + s->pos, *end = s->in + s->in_len, *t = end;
	struct sha1_lanes *fill = &s->lanes[0], *run = &s->lanes[1], *swap;
	/* Locals: each store into a lane may alias whatever s points to. */
	const struct stop_bytes stops = s->stops;
	const size_t room = fill->room, stride = fill->stride;
	const bool strip_cr = s->strip_cr;
	char *run_out = NULL;
	unsigned n, ran = 0;
	struct scan sc;
	size_t len;

	s->out_len = 0;
	sc = scan_init(&stops, s->in, p);
	while (p < end &&
	    OUTPUT_SIZE - s->out_len >= (SHA1_LANES + 1) * LINE_LEN) {
		char *fill_out = s->out + s->out_len;
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
					for (size_t c = 16; c < field; c += 16)
						memcpy(o + c, p + c, 16);
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
		s->out_len += n * LINE_LEN;
		swap = run, run = fill, fill = swap;
		ran = n, run_out = fill_out;
		if (n == SHA1_LANES || p == end)
			continue;
		/* A record too long for a lane: the group before it first. */
		sha1_lanes_compress(run, ran);
		sha1_lanes_lines(run, ran, run_out);
		ran = 0;
		p = hash_long_line(s, p, t);
	}
	if (ran > 0) {
		sha1_lanes_compress(run, ran);
		sha1_lanes_lines(run, ran, run_out);
	}
	s->pos = (size_t)(p - s->in);
}

static enum stop stream_rest(const struct batch_options *, const char *,
    size_t);

/* The end of the last whole record in buf, or NULL. */
static const char *
last_record_end(const char *buf, size_t len, int terminator)
{
	for (size_t i = len; i-- > 0;)
		if (buf[i] == (char)terminator)
			return buf + i + 1;
	return NULL;
}

/* Under lock: every worker is to stop (the first reason counts). */
static void
stop_locked(struct plain *sh, enum stop why, int error)
{
	if (sh->stop == GOING) {
		sh->stop = why;
		sh->stop_errno = error;
		/* A worker waiting for input holds the rest up: wake it. */
		if (sh->wake[1] >= 0)
			(void)!write(sh->wake[1], "", 1);
	}
	pthread_cond_broadcast(&sh->turn_changed);
}

static void
stop_all(struct plain *sh, enum stop why, int error)
{
	pthread_mutex_lock(&sh->lock);
	stop_locked(sh, why, error);
	pthread_mutex_unlock(&sh->lock);
}

static bool
stopped(struct plain *sh)
{
	bool stop;

	pthread_mutex_lock(&sh->lock);
	stop = sh->stop != GOING;
	pthread_mutex_unlock(&sh->lock);
	return stop;
}

/* Waits until the lines of chunk number n are next; false if the batch
 * stopped meanwhile. */
static bool
wait_turn(struct plain *sh, unsigned long n)
{
	bool going;

	pthread_mutex_lock(&sh->lock);
	while (sh->turn != n && sh->stop == GOING)
		pthread_cond_wait(&sh->turn_changed, &sh->lock);
	going = sh->stop == GOING;
	pthread_mutex_unlock(&sh->lock);
	return going;
}

/* The turn's lines are out, or why not (then every worker stops). */
static void
pass_turn(struct plain *sh, enum stop why, int error)
{
	pthread_mutex_lock(&sh->lock);
	if (why != GOING)
		stop_locked(sh, why, error);
	sh->turn++;
	pthread_cond_broadcast(&sh->turn_changed);
	pthread_mutex_unlock(&sh->lock);
}

/*
 * Under the input lock: reads the next chunk into s, cut at its last
 * whole record, and numbers it.  It reads until the chunk is full or ends
 * a record, so that records that come slowly (a terminal, tail -f) are
 * hashed as they come.  False when there is nothing left or the batch stopped;
 * also when a record longer than a chunk was met: then this worker waited
 * for its turn and streamed the rest of the input itself.
 */
static bool
take_chunk(struct slot *s, unsigned long *number)
{
	struct plain *sh = s->shared;
	size_t len = sh->carry_len;
	const char *cut;
	enum stop why;
	ssize_t got;

	if ((sh->eof && len == 0) || stopped(sh))
		return false;
	memcpy(s->in, sh->carry, len);
	while (len < CHUNK_SIZE && !sh->eof) {
		if ((got = read_input(sh->wake[0], s->in + len,
		    CHUNK_SIZE - len)) < 0) {
			stop_all(sh, read_failed(), errno);
			return false;
		}
		sh->eof = got == 0;
		len += (size_t)got;
		if (memchr(s->in + len - got, s->o->terminator, (size_t)got))
			break;
	}
	sh->carry_len = 0;
	if (len == 0)
		return false;
	cut = sh->eof ? s->in + len : last_record_end(s->in, len,
	    s->o->terminator);
	*number = sh->chunks++;
	if (cut == NULL) {
		/* No other worker reads from here on. */
		sh->eof = true;
		if (wait_turn(sh, *number)) {
			why = stream_rest(s->o, s->in, len);
			pass_turn(sh, why, errno);
		}
		return false;
	}
	s->in_len = (size_t)(cut - s->in);
	s->pos = 0;
	sh->carry_len = len - s->in_len;
	memcpy(sh->carry, cut, sh->carry_len);
	s->in[s->in_len] = (char)s->o->terminator;	/* the sentinel */
	return true;
}

/*
 * Whole lines of a chunk in one write(2), past stdio's buffer (it is
 * empty: whoever wrote before flushed), which would copy them into itself
 * and write them in three calls.
 */
static enum stop
write_out(const char *lines, size_t len)
{
	ssize_t n;

	if (fflush(stdout) == EOF)
		return STOP_WRITE;
	for (; len > 0; lines += n, len -= (size_t)n)
		while ((n = write(STDOUT_FILENO, lines, len)) < 0)
			if (errno != EINTR)
				return STOP_WRITE;
	return GOING;
}

/* A chunk's lines, all of them, then SIGINT's turn to count. */
static enum stop
write_chunk(struct slot *s)
{
	for (;;) {
		if (write_out(s->out, s->out_len) != GOING)
			return STOP_WRITE;
		if (s->pos == s->in_len)
			break;
		hash_chunk(s);	/* its output was full */
	}
	if (fflush(stdout) == EOF)
		return STOP_WRITE;
	return interrupt_came() ? STOP_INTERRUPT : GOING;
}

/*
 * A worker: takes a chunk, hashes it, waits for its turn and writes its
 * lines, until the input ends or the batch stops.  Only the worker whose
 * turn it is writes, so the output keeps the input's order and is whole
 * lines only.
 */
static void *
slot_work(void *arg)
{
	struct slot *s = arg;
	struct plain *sh = s->shared;
	unsigned long number;
	enum stop why;
	bool going;

	for (;;) {
		pthread_mutex_lock(&sh->input);
		going = take_chunk(s, &number);
		pthread_mutex_unlock(&sh->input);
		if (!going)
			break;
		hash_chunk(s);
		if (!wait_turn(sh, number))
			break;
		why = write_chunk(s);
		pass_turn(sh, why, errno);	/* errno: why's, if any */
		if (why != GOING)
			break;
	}
	return NULL;
}

static bool
slot_init(struct slot *s, struct plain *sh)
{
	memset(s, 0, sizeof(*s));
	s->o = sh->o;
	s->shared = sh;
	stop_bytes_init(&s->stops, sh->o->terminator, sh->o->delimiter);
	/* A CR that is the delimiter is dropped with the fields'. */
	s->strip_cr = sh->o->terminator == '\n' && sh->o->delimiter != '\r';
	/* calloc: the pages are zeroed as they are first read into. */
	s->in_base = calloc(1, IN_SLACK + CHUNK_SIZE + IN_SLACK);
	s->in = s->in_base != NULL ? s->in_base + IN_SLACK : NULL;
	s->out = malloc(OUTPUT_SIZE);
	return s->in != NULL && s->out != NULL &&
	    sha1_lanes_init(&s->lanes[0], sh->o->hasher, LANE_ROOM) &&
	    sha1_lanes_init(&s->lanes[1], sh->o->hasher, LANE_ROOM);
}

static void
slot_free(struct slot *s)
{
	sha1_lanes_free(&s->lanes[0]);
	sha1_lanes_free(&s->lanes[1]);
	free(s->in_base);
	free(s->out);
}

/* With every key copy wiped: the status of a batch that stopped early. */
static void
finish_plain(enum stop why, int error)
{
	errno = error;
	switch (why) {
	case GOING:
		return;
	case STOP_INTERRUPT:
		stop_if_interrupted();
		exit(130);
	case STOP_READ:
		err(2, "standard input");
	case STOP_WRITE:
		out_failed();
		break;
	case STOP_NO_MEMORY:
		err(2, NULL);
	}
	exit(2);
}

/*
 * Sets up slot i and, but for slot 0 (this thread's), starts its thread:
 * false if either cannot be had, and then nothing of the slot is left.
 */
static bool
start_worker(struct slot *slots, unsigned i, struct plain *sh)
{
	if (!slot_init(&slots[i], sh)) {
		slot_free(&slots[i]);
		return false;
	}
	if (i == 0)
		return true;
	/*
	 * The slot's copies of the key went through the vector registers,
	 * and pthread_create may save them on this stack (its first call's
	 * lazy binding in libc): not with the key in them.
	 */
	wipe_registers(wipe_kind);
	if (pthread_create(&slots[i].thread, NULL, slot_work, &slots[i]) !=
	    0) {
		slot_free(&slots[i]);
		return false;
	}
	return true;
}

/*
 * Up to jobs workers: this thread and jobs - 1 more.  Those that cannot
 * be set up (memory, threads: a ulimit) leave the work to the others, as
 * --learn does; only one that cannot is trouble.  One worker has no one
 * to wake: it needs no pipe, and without a descriptor for it the batch
 * runs on one.
 */
static void
hash_plain(const struct batch_options *o)
{
	struct slot slots[MAX_SLOTS];
	unsigned n = o->jobs < 1 ? 1 : o->jobs > MAX_SLOTS ? MAX_SLOTS : o->jobs;
	unsigned started = 0;
	struct plain sh = { .o = o, .wake = { -1, -1 } };
	int error;

	if ((sh.carry = malloc(CHUNK_SIZE)) == NULL ||
	    pthread_mutex_init(&sh.input, NULL) != 0 ||
	    pthread_mutex_init(&sh.lock, NULL) != 0 ||
	    pthread_cond_init(&sh.turn_changed, NULL) != 0)
		err(2, NULL);
	if (n > 1 && pipe(sh.wake) != 0)
		n = 1;
	while (started < n && start_worker(slots, started, &sh))
		started++;
	if (started == 0) {
		error = errno;
		free(sh.carry);
		errno = error;
		err(2, NULL);
	}
	/* The last slot's copies of the key: not in the registers meanwhile. */
	wipe_registers(wipe_kind);
	slot_work(&slots[0]);
	for (unsigned i = 1; i < started; i++)
		pthread_join(slots[i].thread, NULL);
	for (unsigned i = 0; i < started; i++)
		slot_free(&slots[i]);
	wipe_registers(wipe_kind);
	pthread_cond_destroy(&sh.turn_changed);
	pthread_mutex_destroy(&sh.lock);
	pthread_mutex_destroy(&sh.input);
	if (sh.wake[0] >= 0) {
		(void)close(sh.wake[0]);
		(void)close(sh.wake[1]);
	}
	free(sh.carry);
	finish_plain(sh.stop, sh.stop_errno);
}

/*
 * The streaming path: records of any length, through the splitter, each
 * hashed a field at a time.  have holds the first bytes already read.
 */
static enum stop
stream_rest(const struct batch_options *o, const char *have, size_t have_len)
{
	char *buf = malloc(READ_CHUNK);
	struct splitter sp;
	struct piece p;
	unsigned char digest[SHA1_DIGEST_LEN];
	char line[LINE_LEN];
	enum stop why = GOING;
	sha1_ctx ctx;
	ssize_t n;
	int error;

	if (buf == NULL)
		return STOP_NO_MEMORY;
	splitter_init(&sp, o->terminator, o->delimiter);
	hasher_start(o->hasher, &ctx);
	splitter_feed(&sp, have, have_len);
	do {
		while (splitter_next(&sp, &p)) {
			sha1_update(&ctx, p.data, p.len);
			if (p.end != PIECE_ENDS_RECORD)
				continue;
			hasher_finish(o->hasher, &ctx, digest);
			sha1_to_hex(line, digest);
			line[SHA1_HEX_LEN] = '\n';
			if ((why = write_lines(line, LINE_LEN)) != GOING)
				goto done;
			hasher_start(o->hasher, &ctx);
		}
		if (interrupt_came()) {
			why = fflush(stdout) == EOF ? STOP_WRITE :
			    STOP_INTERRUPT;
			goto done;
		}
		/* The other workers are done: only SIGINT stops this. */
		if ((n = read_input(-1, buf, READ_CHUNK)) < 0) {
			why = read_failed();
			goto done;
		}
		if (n > 0)
			splitter_feed(&sp, buf, (size_t)n);
	} while (n > 0);
	if (splitter_finish(&sp, &p)) {
		sha1_update(&ctx, p.data, p.len);
		hasher_finish(o->hasher, &ctx, digest);
		sha1_to_hex(line, digest);
		line[SHA1_HEX_LEN] = '\n';
		why = write_lines(line, LINE_LEN);
	}
done:
	error = errno;		/* the reason's, for the message */
	secure_wipe(&ctx, sizeof(ctx));
	free(buf);
	errno = error;
	return why;
}

/* With NAME operands: a request per record. */

struct named {
	const struct batch_options	*o;
	char				*record;
	size_t				 record_len;
	size_t				*field_end;
	size_t				 fields;
	unsigned long			 line;
	unsigned long			 noted;		/* records with notes */
};

static void
emit_request(struct named *b)
{
	const struct batch_options *o = b->o;
	struct request *r = o->request;
	unsigned char digest[SHA1_DIGEST_LEN];
	char hex[SHA1_HEX_LEN + 1], prefix[32];
	struct mh_error e;
	size_t start = 0;

	if (b->fields != o->fields) {
		fflush(stdout);
		errx(2, "line %lu: %zu field%s, want %zu (%s)", b->line,
		    b->fields, b->fields == 1 ? "" : "s", o->fields,
		    "one for each NAME operand");
	}
	for (size_t i = 0; i < o->fields; i++) {
		struct param *p = &r->params[o->first_field + i];

		p->value = b->record + start;
		p->value_len = b->field_end[i] - start;
		start = b->field_end[i] + 1;
	}
	if (!request_select(r, &e))
		errx(2, "line %lu: %s", b->line, e.message);
	if (r->value_notes.count > 0 && b->noted++ < NOTES_SHOWN) {
		snprintf(prefix, sizeof(prefix), "line %lu: ", b->line);
		warn_notes(&r->value_notes, prefix);
	}
	request_digest(r, o->hasher, digest);
	sha1_to_hex(hex, digest);
	if (o->output == BATCH_FORM)
		request_write_query(r, hex, out_sink, NULL);
	else if (o->output == BATCH_URL)
		request_write_url(r, o->url, hex, out_sink, NULL);
	else
		out(hex, SHA1_HEX_LEN);
	out("\n", 1);
	stop_if_interrupted();
}

static void
collect_piece(struct named *b, const struct piece *p)
{
	if (b->record_len + p->len + 1 > RECORD_MAX) {
		fflush(stdout);
		errx(2, "line %lu: record longer than %d bytes", b->line + 1,
		    RECORD_MAX);
	}
	memcpy(b->record + b->record_len, p->data, p->len);
	b->record_len += p->len;
	if (p->end == PIECE_CONTINUES)
		return;
	if (b->fields < b->o->fields)
		b->field_end[b->fields] = b->record_len;
	b->fields++;
	b->record[b->record_len++] = '\0';
	if (p->end == PIECE_ENDS_RECORD) {
		b->line++;
		emit_request(b);
		b->record_len = b->fields = 0;
	}
}

static void
hash_named(const struct batch_options *o)
{
	struct named b = { .o = o };
	char *buf = malloc(READ_CHUNK);
	struct splitter sp;
	struct piece p;
	size_t n;

	b.record = malloc(RECORD_MAX);
	b.field_end = calloc(o->fields + 1, sizeof(*b.field_end));
	if (buf == NULL || b.record == NULL || b.field_end == NULL)
		err(2, NULL);
	splitter_init(&sp, o->terminator, o->delimiter);
	while ((n = read_some(STDIN_FILENO, buf, READ_CHUNK)) > 0) {
		splitter_feed(&sp, buf, n);
		while (splitter_next(&sp, &p))
			collect_piece(&b, &p);
		/* What was read is out: records that come slowly, as they come. */
		if (fflush(stdout) == EOF)
			out_failed();
	}
	while (splitter_finish(&sp, &p))
		collect_piece(&b, &p);
	if (b.noted > NOTES_SHOWN)
		warnx("warning: %lu more records have values that MOR "
		    "rewrites or drops", b.noted - NOTES_SHOWN);
	free(buf);
	free(b.record);
	free(b.field_end);
}

int
batch_run(const struct batch_options *o)
{
	struct stat st;

	input_is_file = fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode);
	wipe_kind = registers_wipe_kind();
	catch_interrupt();
	if (o->request != NULL)
		hash_named(o);
	else
		hash_plain(o);
	wipe_registers(wipe_kind);
	/*
	 * SIGINT's last look, once the last lines are out: one that came
	 * after the input's end, or while they were written, is pending
	 * (blocked), and would be lost at exit.
	 */
	if (fflush(stdout) == EOF)
		out_failed();
	stop_if_interrupted();
	return 0;
}
