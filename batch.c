/*
 * batch.c - --batch.
 *
 * Plain records (their fields are the values) are cut into chunks at a
 * record boundary; each chunk goes to a slot that owns its input, its
 * keyed buffer and its output, and that a thread of its own splits and
 * hashes.  This thread reads, hands out chunks in turn and writes the
 * slots' output in the same turn, so the output keeps the input's order.
 * A record that does not fit in a chunk (a value of a gigabyte) ends the
 * chunking: the rest is streamed through the splitter by this thread, in
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

static volatile sig_atomic_t interrupted;

static void
on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* SIGINT stops the batch after the last whole line written. */
static void
catch_interrupt(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_interrupt;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGINT, &sa, NULL);
}

static void
stop_if_interrupted(void)
{
	if (!interrupted)
		return;
	if (fflush(stdout) == EOF)
		out_failed();
	exit(130);
}

static size_t
read_some(int fd, char *buf, size_t size)
{
	ssize_t n;

	while ((n = read(fd, buf, size)) == -1)
		if (errno != EINTR)
			err(2, "standard input");
	return (size_t)n;
}

/* Plain records, in chunks. */

enum slot_state { SLOT_IDLE, SLOT_WORKING, SLOT_DONE, SLOT_QUIT };

struct slot {
	const struct batch_options	*o;
	char				*in_base;
	char				*in;		/* in_base + 8 */
	size_t				 in_len;
	size_t				 pos;		/* next record */
	char				*out;
	size_t				 out_len;
	struct keyed_buffer		 kb;
	bool				 threaded;
	pthread_t			 thread;
	pthread_mutex_t			 lock;
	pthread_cond_t			 changed;
	enum slot_state			 state;		/* under lock */
	bool				 pending;	/* this thread's: started */
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

static void *
slot_thread(void *arg)
{
	struct slot *s = arg;

	pthread_mutex_lock(&s->lock);
	for (;;) {
		while (s->state != SLOT_WORKING && s->state != SLOT_QUIT)
			pthread_cond_wait(&s->changed, &s->lock);
		if (s->state == SLOT_QUIT)
			break;
		pthread_mutex_unlock(&s->lock);
		hash_chunk(s);
		pthread_mutex_lock(&s->lock);
		s->state = SLOT_DONE;
		pthread_cond_broadcast(&s->changed);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

static void
slot_start(struct slot *s)
{
	s->pending = true;
	if (!s->threaded) {
		hash_chunk(s);
		s->state = SLOT_DONE;
		return;
	}
	pthread_mutex_lock(&s->lock);
	s->state = SLOT_WORKING;
	pthread_cond_broadcast(&s->changed);
	pthread_mutex_unlock(&s->lock);
}

static void
slot_wait(struct slot *s)
{
	if (!s->threaded)
		return;
	pthread_mutex_lock(&s->lock);
	while (s->state != SLOT_DONE)
		pthread_cond_wait(&s->changed, &s->lock);
	pthread_mutex_unlock(&s->lock);
}

/* Writes a started slot's lines, all of them, in order. */
static void
slot_collect(struct slot *s)
{
	if (!s->pending)
		return;
	for (;;) {
		slot_wait(s);
		out(s->out, s->out_len);
		if (s->pos == s->in_len)
			break;
		/* Its output was full: the rest of the chunk, same slot. */
		slot_start(s);
	}
	s->pending = false;
	if (fflush(stdout) == EOF)
		out_failed();
	stop_if_interrupted();
}

static bool
slot_init(struct slot *s, const struct batch_options *o, bool thread)
{
	memset(s, 0, sizeof(*s));
	s->o = o;
	/* 8 bytes before the chunk, for hash_record's first read. */
	s->in_base = calloc(1, CHUNK_SIZE + 8);
	s->in = s->in_base != NULL ? s->in_base + 8 : NULL;
	s->out = malloc(OUTPUT_SIZE);
	if (s->in == NULL || s->out == NULL ||
	    !keyed_init(&s->kb, o->hasher, GATHER_ROOM))
		return false;
	if (!thread)
		return true;
	if (pthread_mutex_init(&s->lock, NULL) != 0)
		return true;
	if (pthread_cond_init(&s->changed, NULL) != 0) {
		pthread_mutex_destroy(&s->lock);
		return true;
	}
	/* A thread that cannot start leaves its slot to this thread. */
	s->threaded = pthread_create(&s->thread, NULL, slot_thread, s) == 0;
	if (!s->threaded) {
		pthread_cond_destroy(&s->changed);
		pthread_mutex_destroy(&s->lock);
	}
	return true;
}

static void
slot_free(struct slot *s)
{
	if (s->threaded) {
		pthread_mutex_lock(&s->lock);
		s->state = SLOT_QUIT;
		pthread_cond_broadcast(&s->changed);
		pthread_mutex_unlock(&s->lock);
		pthread_join(s->thread, NULL);
		pthread_cond_destroy(&s->changed);
		pthread_mutex_destroy(&s->lock);
	}
	keyed_free(&s->kb);
	free(s->in_base);
	free(s->out);
}

/* The end of the last whole record in buf, or NULL. */
static const char *
last_record_end(const char *buf, size_t len, int terminator)
{
	for (size_t i = len; i-- > 0;)
		if (buf[i] == (char)terminator)
			return buf + i + 1;
	return NULL;
}

static void stream_rest(const struct batch_options *, const char *, size_t);

static void
hash_plain(const struct batch_options *o)
{
	struct slot slots[MAX_SLOTS];
	unsigned n = o->jobs < 1 ? 1 : o->jobs > MAX_SLOTS ? MAX_SLOTS : o->jobs;
	const char *carry = NULL;
	size_t carry_len = 0, turn = 0;
	bool eof = false;

	for (unsigned i = 0; i < n; i++)
		if (!slot_init(&slots[i], o, n > 1))
			err(2, NULL);
	while (!eof || carry_len > 0) {
		struct slot *s = &slots[turn++ % n];
		size_t len, got;
		const char *cut;

		slot_collect(s);
		if (carry_len > 0)
			memmove(s->in, carry, carry_len);
		for (len = carry_len; len < CHUNK_SIZE && !eof; len += got)
			eof = (got = read_some(STDIN_FILENO, s->in + len,
			    CHUNK_SIZE - len)) == 0;
		if (len == 0)
			break;
		cut = eof ? s->in + len : last_record_end(s->in, len,
		    o->terminator);
		if (cut == NULL) {
			/* A record longer than a chunk: stream the rest. */
			for (unsigned i = 0; i < n; i++)
				slot_collect(&slots[(turn + i) % n]);
			stream_rest(o, s->in, len);
			break;
		}
		s->in_len = (size_t)(cut - s->in);
		s->pos = 0;
		carry = cut;
		carry_len = len - s->in_len;
		slot_start(s);
	}
	for (unsigned i = 0; i < n; i++)
		slot_collect(&slots[(turn + i) % n]);
	for (unsigned i = 0; i < n; i++)
		slot_free(&slots[i]);
}

/*
 * The streaming path: records of any length, through the splitter, each
 * hashed a field at a time.  have holds the first bytes already read.
 */
static void
stream_rest(const struct batch_options *o, const char *have, size_t have_len)
{
	char *buf = malloc(READ_CHUNK);
	struct splitter sp;
	struct piece p;
	unsigned char digest[SHA1_DIGEST_LEN];
	char line[LINE_LEN];
	sha1_ctx ctx;
	size_t n;

	if (buf == NULL)
		err(2, NULL);
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
			out(line, LINE_LEN);
			hasher_start(o->hasher, &ctx);
		}
		stop_if_interrupted();
		if ((n = read_some(STDIN_FILENO, buf, READ_CHUNK)) > 0)
			splitter_feed(&sp, buf, n);
	} while (n > 0);
	if (splitter_finish(&sp, &p)) {
		sha1_update(&ctx, p.data, p.len);
		hasher_finish(o->hasher, &ctx, digest);
		out_hex(digest);
		out("\n", 1);
	}
	secure_wipe(&ctx, sizeof(ctx));
	free(buf);
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
	if (splitter_finish(&sp, &p))
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
