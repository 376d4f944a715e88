/*
 * batch-named.c - --batch with NAME operands: each record's fields are
 * their values, and each record becomes a request, through the same
 * request model as a single call, on this thread.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch-impl.h"
#include "io.h"
#include "records.h"

#define RECORD_MAX	(1024 * 1024)
#define NOTES_SHOWN	10		/* value-rule warnings printed */

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

void
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
	while ((n = read_or_exit(buf, READ_CHUNK)) > 0) {
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
