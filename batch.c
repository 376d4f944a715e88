/*
 * batch.c - --batch.
 *
 * Plain records (their fields are the values) are cut into chunks at a
 * record boundary.  Each of the workers (this thread and jobs - 1 more)
 * owns a chunk, a keyed buffer and its output: it takes the input in
 * turn, reads a chunk and numbers it, splits and hashes it without a
 * lock, then writes its lines when every earlier chunk's are out, so the
 * output keeps the input's order and reading overlaps hashing.  A record
 * that does not fit in a chunk (a value of a gigabyte) ends the chunking:
 * the worker that met it streams the rest through the splitter, in
 * constant memory.
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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "io.h"
#include "records.h"

#define CHUNK_SIZE	(512 * 1024)
#define OUTPUT_SIZE	(1024 * 1024)
#define LINE_LEN	(SHA1_HEX_LEN + 1)
#define GATHER_ROOM	(8 * 1024)	/* a record hashed in one call */
#define MAX_SLOTS	16
#define READ_CHUNK	(128 * 1024)
#define RECORD_MAX	(1024 * 1024)	/* with NAME operands */
#define NOTES_SHOWN	10		/* value-rule warnings printed */

/* Atomic: the handler sets it, whichever worker writes reads it. */
static atomic_int interrupted;

static void
on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

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
	return !interrupted;
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
	int				 wake[2];	/* readable once stopped */
};

/* A worker's own: its chunk, its keyed buffer, its lines. */
struct slot {
	const struct batch_options	*o;
	struct plain			*shared;
	char				*in_base;
	char				*in;		/* in_base + 8 */
	size_t				 in_len;
	size_t				 pos;		/* next record */
	char				*out;
	size_t				 out_len;
	struct keyed_buffer		 kb;
	pthread_t			 thread;
	bool				 threaded;
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

/*
 * Eight bytes at a time, little-endian whatever the host, so that byte k
 * of the word is the byte at p + k.
 */
static uint64_t
load_le64(const char *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t w;

	memcpy(&w, p, 8);	/* GCC 12 does not see the shifts below as this */
	return w;
#else
	const unsigned char *u = (const unsigned char *)p;

	return (uint64_t)u[0] | (uint64_t)u[1] << 8 | (uint64_t)u[2] << 16 |
	    (uint64_t)u[3] << 24 | (uint64_t)u[4] << 32 |
	    (uint64_t)u[5] << 40 | (uint64_t)u[6] << 48 | (uint64_t)u[7] << 56;
#endif
}

#define LOW7S	0x7f7f7f7f7f7f7f7fULL

/* The top bit of each byte of w that equals the byte in every byte of c. */
static uint64_t
bytes_equal(uint64_t w, uint64_t c)
{
	uint64_t v = w ^ c;

	/* No carry crosses a byte, so no byte is flagged by its neighbour. */
	return ~(((v & LOW7S) + LOW7S) | v) & ~LOW7S;
}

/* How many bytes of a word follow its last flagged byte (8: none). */
static size_t
bytes_after_last(uint64_t flags)
{
#if defined(__GNUC__)
	return flags == 0 ? 8 : (size_t)__builtin_clzll(flags) / 8;
#else
	size_t n = 0;

	for (; n < 8 && !(flags >> (63 - 8 * n) & 1); n++)
		continue;
	return n;
#endif
}

/*
 * The fields, without their delimiters, and the key: one SHA-1 call.  The
 * record is copied from its end back, so that its values end where the
 * key starts, a word at a time: each word is stored whole and the store
 * moves back only past the bytes before the word's last delimiter; the
 * next store overwrites the rest.  Reads start up to 8 bytes before the
 * record (the chunk has room there) and stores up to 8 bytes before the
 * values (the fast path leaves room).
 */
static void
hash_record(struct slot *s, const char *p, size_t len, char *line)
{
	unsigned char digest[SHA1_DIGEST_LEN];

	if (len + 8 > GATHER_ROOM)
		hash_long_record(s, p, len, digest);
	else {
		unsigned char *key = keyed_message(&s->kb, 0), *to = key;
		uint64_t delimiters = (unsigned char)s->o->delimiter *
		    0x0101010101010101ULL;
		const char *from = p + len;

		while (from > p) {
			size_t left = (size_t)(from - p);
			size_t n = bytes_after_last(bytes_equal(
			    load_le64(from - 8), delimiters));

			memcpy(to - 8, from - 8, 8);
			if (n >= left) {
				to -= left;
				break;
			}
			to -= n;
			from -= n + (n < 8);	/* and the delimiter */
		}
		keyed_digest(&s->kb, (size_t)(key - to), digest);
	}
	sha1_to_hex(line, digest);
	line[SHA1_HEX_LEN] = '\n';
}

/* Hashes records from pos until the chunk or the output room ends. */
static void
hash_chunk(struct slot *s)
{
	const char *p = s->in + s->pos, *end = s->in + s->in_len;
	bool strip_cr = s->o->terminator == '\n';

	s->out_len = 0;
	while (p < end && OUTPUT_SIZE - s->out_len >= LINE_LEN + 1) {
		const char *t = memchr(p, s->o->terminator, (size_t)(end - p));
		const char *stop = t != NULL ? t : end;

		if (t != NULL && strip_cr && stop > p && stop[-1] == '\r')
			stop--;
		hash_record(s, p, (size_t)(stop - p), s->out + s->out_len);
		s->out_len += LINE_LEN;
		p = t != NULL ? t + 1 : end;
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
	return true;
}

/* A chunk's lines, all of them, then SIGINT's turn to count. */
static enum stop
write_chunk(struct slot *s)
{
	for (;;) {
		if (write_lines(s->out, s->out_len) != GOING)
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
	/* 8 bytes before the chunk, for hash_record's first read. */
	s->in_base = calloc(1, CHUNK_SIZE + 8);
	s->in = s->in_base != NULL ? s->in_base + 8 : NULL;
	s->out = malloc(OUTPUT_SIZE);
	return s->in != NULL && s->out != NULL &&
	    keyed_init(&s->kb, sh->o->hasher, GATHER_ROOM);
}

static void
slot_free(struct slot *s)
{
	keyed_free(&s->kb);
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
 * jobs workers: this thread and jobs - 1 more.  A thread that cannot
 * start leaves the work to the others.
 */
static void
hash_plain(const struct batch_options *o)
{
	struct slot slots[MAX_SLOTS];
	unsigned n = o->jobs < 1 ? 1 : o->jobs > MAX_SLOTS ? MAX_SLOTS : o->jobs;
	unsigned ready = 0;
	struct plain sh = { .o = o };

	if ((sh.carry = malloc(CHUNK_SIZE)) == NULL ||
	    pthread_mutex_init(&sh.input, NULL) != 0 ||
	    pthread_mutex_init(&sh.lock, NULL) != 0 ||
	    pthread_cond_init(&sh.turn_changed, NULL) != 0 ||
	    pipe(sh.wake) != 0)
		err(2, NULL);
	while (ready < n && slot_init(&slots[ready], &sh))
		ready++;
	if (ready < n) {
		for (unsigned i = 0; i <= ready; i++)
			slot_free(&slots[i]);
		err(2, NULL);
	}
	for (unsigned i = 1; i < n; i++)
		slots[i].threaded = pthread_create(&slots[i].thread, NULL,
		    slot_work, &slots[i]) == 0;
	slot_work(&slots[0]);
	for (unsigned i = 1; i < n; i++)
		if (slots[i].threaded)
			pthread_join(slots[i].thread, NULL);
	for (unsigned i = 0; i < n; i++)
		slot_free(&slots[i]);
	pthread_cond_destroy(&sh.turn_changed);
	pthread_mutex_destroy(&sh.lock);
	pthread_mutex_destroy(&sh.input);
	(void)close(sh.wake[0]);
	(void)close(sh.wake[1]);
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
	catch_interrupt();
	if (o->request != NULL)
		hash_named(o);
	else
		hash_plain(o);
	return 0;
}
