/*
 * records.c - record and field splitting over a stream of chunks.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <string.h>

#include "records.h"

static const char carriage_return[] = "\r";

void
splitter_init(struct splitter *s, int terminator, int delimiter)
{
	memset(s, 0, sizeof(*s));
	s->terminator = terminator;
	s->delimiter = delimiter;
	s->strip_cr = terminator == '\n';
}

static void
find_record_stop(struct splitter *s)
{
	const char *stop = memchr(s->next, s->terminator,
	    (size_t)(s->limit - s->next));

	s->record_stop = stop != NULL ? stop : s->limit;
}

void
splitter_feed(struct splitter *s, const char *data, size_t len)
{
	s->next = data;
	s->limit = data + len;
	find_record_stop(s);
}

static void
set_piece(struct piece *p, const char *data, size_t len, enum piece_end end)
{
	p->data = data;
	p->len = len;
	p->end = end;
}

/*
 * A CR held back from the last chunk ends the line when an LF follows it;
 * else it is a delimiter (-d CR) or data, as it is inside a chunk.
 */
static bool
resolve_held_cr(struct splitter *s, struct piece *p)
{
	s->held_cr = false;
	if (*s->next == '\n') {
		s->next++;
		find_record_stop(s);
		s->in_record = false;
		set_piece(p, s->next, 0, PIECE_ENDS_RECORD);
	} else if (s->delimiter == '\r')
		set_piece(p, s->next, 0, PIECE_ENDS_FIELD);
	else
		set_piece(p, carriage_return, 1, PIECE_CONTINUES);
	return true;
}

bool
splitter_next(struct splitter *s, struct piece *p)
{
	const char *start = s->next, *stop;

	if (start == s->limit)
		return false;
	if (s->held_cr)
		return resolve_held_cr(s, p);
	s->in_record = true;

	if (s->delimiter != NO_DELIMITER) {
		const char *fields_end = s->record_stop;

		/* The CR of CR LF ends the line, even when CR delimits. */
		if (s->strip_cr && fields_end > start && fields_end[-1] == '\r')
			fields_end--;
		stop = memchr(start, s->delimiter,
		    (size_t)(fields_end - start));
		if (stop != NULL) {
			s->next = stop + 1;
			set_piece(p, start, (size_t)(stop - start),
			    PIECE_ENDS_FIELD);
			return true;
		}
	}

	stop = s->record_stop;
	if (stop != s->limit) {
		s->next = stop + 1;
		if (s->strip_cr && stop > start && stop[-1] == '\r')
			stop--;
		set_piece(p, start, (size_t)(stop - start), PIECE_ENDS_RECORD);
		s->in_record = false;
		find_record_stop(s);
		return true;
	}

	s->next = s->limit;
	if (s->strip_cr && stop[-1] == '\r') {
		s->held_cr = true;
		if (--stop == start)
			return false;
	}
	set_piece(p, start, (size_t)(stop - start), PIECE_CONTINUES);
	return true;
}

bool
splitter_record(struct splitter *s, const char **data, size_t *len)
{
	const char *start = s->next, *stop = s->record_stop;

	if (s->in_record || s->held_cr || stop == s->limit)
		return false;
	s->next = stop + 1;
	if (s->strip_cr && stop > start && stop[-1] == '\r')
		stop--;
	*data = start;
	*len = (size_t)(stop - start);
	find_record_stop(s);
	return true;
}

bool
splitter_finish(struct splitter *s, struct piece *p)
{
	if (s->held_cr && s->delimiter == '\r') {
		/* A last CR delimits: an empty last field follows it. */
		s->held_cr = false;
		set_piece(p, "", 0, PIECE_ENDS_FIELD);
		return true;
	}
	if (s->held_cr) {
		s->held_cr = false;
		s->in_record = false;
		set_piece(p, carriage_return, 1, PIECE_ENDS_RECORD);
		return true;
	}
	if (!s->in_record)
		return false;
	s->in_record = false;
	set_piece(p, "", 0, PIECE_ENDS_RECORD);
	return true;
}
