/*
 * records.h - splits a byte stream into records and fields, one chunk at a
 * time, so that input of any size is handled in constant memory.
 *
 * Records end with a terminator byte (LF, or NUL with -0).  In LF mode a
 * CR right before the LF is dropped, even when a chunk boundary falls
 * between them.  A last record without a terminator still counts.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#ifndef MOR_HASH_RECORDS_H
#define MOR_HASH_RECORDS_H

#include <stdbool.h>
#include <stddef.h>

#define NO_DELIMITER (-1)

enum piece_end {
	PIECE_CONTINUES,	/* more of the same field follows */
	PIECE_ENDS_FIELD,	/* a delimiter followed */
	PIECE_ENDS_RECORD	/* a terminator (or the end of input) followed */
};

struct piece {
	const char	*data;
	size_t		 len;
	enum piece_end	 end;
};

struct splitter {
	int		 terminator;
	int		 delimiter;	/* a byte, or NO_DELIMITER */
	bool		 strip_cr;
	bool		 held_cr;	/* the last chunk ended in CR */
	bool		 in_record;	/* bytes seen since the last terminator */
	const char	*next;
	const char	*limit;
	const char	*record_stop;	/* the next terminator, or limit */
};

void	splitter_init(struct splitter *, int terminator, int delimiter);
/* The chunk must stay valid until splitter_next returns false. */
void	splitter_feed(struct splitter *, const char *data, size_t len);
bool	splitter_next(struct splitter *, struct piece *);
/*
 * A whole record, when the next one lies complete inside the chunk (its
 * terminator consumed, a CR before it dropped); false otherwise, and then
 * splitter_next must be used.  Fields are left for the caller to split.
 */
bool	splitter_record(struct splitter *, const char **data, size_t *len);
/*
 * At the end of input: the pieces of the unterminated last record, if
 * there is one; call until it returns false (a last CR that delimits
 * gives a field end, then an empty last field).
 */
bool	splitter_finish(struct splitter *, struct piece *);

#endif
