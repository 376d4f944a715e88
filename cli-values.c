/*
 * cli-values.c - the driver of the values mode: VALUE operands, or values
 * streamed from standard input in constant memory, hashed as given.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <err.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "io.h"
#include "records.h"

#define READ_CHUNK	(128 * 1024)

struct value_stream {
	sha1_ctx	 ctx;
	struct shown	*shown;
};

static void
hash_value_piece(const struct piece *p, struct value_stream *vs)
{
	sha1_update(&vs->ctx, p->data, p->len);
	if (vs->shown != NULL)
		show_value_piece(vs->shown, NULL, 0, p->data, p->len,
		    p->end != PIECE_CONTINUES);
}

static void
read_values(struct value_stream *vs, int terminator)
{
	static char buf[READ_CHUNK];
	struct splitter sp;
	struct piece p;
	ssize_t n;

	splitter_init(&sp, terminator, NO_DELIMITER);
	while ((n = read(STDIN_FILENO, buf, sizeof(buf))) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			err(2, "standard input");
		splitter_feed(&sp, buf, (size_t)n);
		while (splitter_next(&sp, &p))
			hash_value_piece(&p, vs);
	}
	while (splitter_finish(&sp, &p))
		hash_value_piece(&p, vs);
}

int
run_values(const struct options *o, const struct hasher *hasher)
{
	static struct shown shown;
	struct value_stream vs = {
		.shown = GIVEN(o, O_VERBOSE) ? &shown : NULL
	};
	unsigned char digest[SHA1_DIGEST_LEN];

	hasher_start(hasher, &vs.ctx);
	for (size_t i = 0; i < o->operand_count; i++) {
		struct piece p = { o->operands[i], strlen(o->operands[i]),
		    PIECE_ENDS_RECORD };

		hash_value_piece(&p, &vs);
	}
	if (o->operand_count == 0)
		read_values(&vs, GIVEN(o, O_NULL) ? '\0' : '\n');
	if (vs.shown != NULL)
		show_hashed(vs.shown, hasher->key_len);
	hasher_finish(hasher, &vs.ctx, digest);
	return report(o, digest);
}
