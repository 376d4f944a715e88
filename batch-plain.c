/*
 * batch-plain.c - --batch of plain records (their fields are the values),
 * on as many workers as -j says.
 *
 * The input is cut into chunks at a record boundary.  Each of the workers
 * (this thread and jobs - 1 more) owns a chunk, its lanes and its lines
 * (batch-scan.c): it takes the input in turn, reads a chunk and numbers
 * it, hashes it without a lock, then writes its lines in one write when
 * every earlier chunk's are out, so the output keeps the input's order
 * and reading overlaps hashing.  A record that does not fit in a chunk
 * (a value of a gigabyte) ends the chunking: the worker that met it
 * streams the rest through the splitter, in constant memory.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <err.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

#include "batch-impl.h"
#include "io.h"
#include "records.h"

#define MAX_SLOTS	MAX_JOBS	/* all that -j allows */

/*
 * Why the plain batch stopped before the input's end.  Its workers never
 * exit: the first to meet trouble says so and all stop, so that no thread
 * is still hashing with the key when it is wiped at exit, and every copy
 * of the key is wiped before this thread exits with the status.
 */
enum stop { GOING, STOP_READ, STOP_WRITE, STOP_INTERRUPT };

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

/* A worker's own: its chunk and lines, and its thread. */
struct slot {
	struct chunk	 chunk;
	struct plain	*shared;
	pthread_t	 thread;
};

/* Why read_input failed. */
static enum stop
read_failed(void)
{
	return errno == EINTR ? STOP_INTERRUPT : STOP_READ;
}

static enum stop stream_rest(const struct batch_options *, const char *,
    size_t, char *, size_t);

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
	struct chunk *c = &s->chunk;
	int terminator = sh->o->terminator;
	size_t len = sh->carry_len;
	const char *cut;
	enum stop why;
	ssize_t got;

	if ((sh->eof && len == 0) || stopped(sh))
		return false;
	memcpy(c->in, sh->carry, len);
	while (len < CHUNK_SIZE && !sh->eof) {
		if ((got = read_input(sh->wake[0], c->in + len,
		    CHUNK_SIZE - len)) < 0) {
			stop_all(sh, read_failed(), errno);
			return false;
		}
		sh->eof = got == 0;
		len += (size_t)got;
		if (memchr(c->in + len - got, terminator, (size_t)got))
			break;
	}
	sh->carry_len = 0;
	if (len == 0)
		return false;
	cut = sh->eof ? c->in + len : last_record_end(c->in, len, terminator);
	*number = sh->chunks++;
	if (cut == NULL) {
		/* No other worker reads from here on. */
		sh->eof = true;
		/*
		 * The carry is free (no other worker reads): the stream's
		 * buffer, so that it needs no memory the workers took.
		 */
		if (wait_turn(sh, *number)) {
			why = stream_rest(sh->o, c->in, len, sh->carry,
			    CHUNK_SIZE);
			pass_turn(sh, why, errno);
		}
		return false;
	}
	/* The carry first: the sentinel goes where it starts. */
	sh->carry_len = len - (size_t)(cut - c->in);
	memcpy(sh->carry, cut, sh->carry_len);
	chunk_cut(c, (size_t)(cut - c->in), terminator);
	return true;
}

/* A chunk's lines, all of them, then SIGINT's turn to count. */
static enum stop
write_chunk(struct chunk *c)
{
	for (;;) {
		if (!write_out(c->out, c->out_len))
			return STOP_WRITE;
		if (c->pos == c->in_len)
			break;
		chunk_hash(c);	/* its output was full */
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
		chunk_hash(&s->chunk);
		if (!wait_turn(sh, number))
			break;
		why = write_chunk(&s->chunk);
		pass_turn(sh, why, errno);	/* errno: why's, if any */
		if (why != GOING)
			break;
	}
	return NULL;
}

static bool
slot_init(struct slot *s, struct plain *sh)
{
	s->shared = sh;
	return chunk_init(&s->chunk, sh->o);
}

static void
slot_free(struct slot *s)
{
	chunk_free(&s->chunk);
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
	batch_wipe_registers();
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
 * to wake: it needs no pipe, and without a descriptor for it (or with
 * one past FD_SETSIZE) the batch runs on one.
 */
void
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
	/* A descriptor select cannot watch (FD_SET aborts): one worker. */
	if (sh.wake[0] >= FD_SETSIZE) {
		(void)close(sh.wake[0]);
		(void)close(sh.wake[1]);
		sh.wake[0] = sh.wake[1] = -1;
		n = 1;
	}
	while (started < n && start_worker(slots, started, &sh))
		started++;
	if (started == 0) {
		error = errno;
		free(sh.carry);
		errno = error;
		err(2, NULL);
	}
	/* The last slot's copies of the key: not in the registers meanwhile. */
	batch_wipe_registers();
	slot_work(&slots[0]);
	for (unsigned i = 1; i < started; i++)
		pthread_join(slots[i].thread, NULL);
	for (unsigned i = 0; i < started; i++)
		slot_free(&slots[i]);
	batch_wipe_registers();
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

/* A streamed record's line, through stdio's buffer: they come one by one. */
static enum stop
write_line(const unsigned char digest[SHA1_DIGEST_LEN])
{
	char line[LINE_LEN];

	sha1_to_hex(line, digest);
	line[SHA1_HEX_LEN] = '\n';
	return fwrite(line, 1, LINE_LEN, stdout) == LINE_LEN ? GOING :
	    STOP_WRITE;
}

/*
 * The streaming path: records of any length, through the splitter, each
 * hashed a field at a time.  have holds the first bytes already read;
 * buf, of size bytes, is for the rest.
 */
static enum stop
stream_rest(const struct batch_options *o, const char *have, size_t have_len,
    char *buf, size_t size)
{
	struct splitter sp;
	struct piece p;
	unsigned char digest[SHA1_DIGEST_LEN];
	enum stop why = GOING;
	sha1_ctx ctx;
	ssize_t n;
	int error;

	splitter_init(&sp, o->terminator, o->delimiter);
	hasher_start(o->hasher, &ctx);
	splitter_feed(&sp, have, have_len);
	do {
		while (splitter_next(&sp, &p)) {
			sha1_update(&ctx, p.data, p.len);
			if (p.end != PIECE_ENDS_RECORD)
				continue;
			hasher_finish(o->hasher, &ctx, digest);
			if ((why = write_line(digest)) != GOING)
				goto done;
			hasher_start(o->hasher, &ctx);
		}
		if (interrupt_came()) {
			why = fflush(stdout) == EOF ? STOP_WRITE :
			    STOP_INTERRUPT;
			goto done;
		}
		/* The other workers are done: only SIGINT stops this. */
		if ((n = read_input(-1, buf, size)) < 0) {
			why = read_failed();
			goto done;
		}
		if (n > 0)
			splitter_feed(&sp, buf, (size_t)n);
	} while (n > 0);
	if (splitter_finish(&sp, &p)) {
		sha1_update(&ctx, p.data, p.len);
		hasher_finish(o->hasher, &ctx, digest);
		why = write_line(digest);
	}
done:
	error = errno;		/* the reason's, for the message */
	secure_wipe(&ctx, sizeof(ctx));
	errno = error;
	return why;
}
