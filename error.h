/*
 * error.h - the library half's one error type, and the quoting of input
 * that messages echo.
 *
 * A library function that can fail returns bool and, on false, has put a
 * one-line message (without "mor-hash: ") into the caller's struct
 * mh_error.  The command half prints it; the library never prints,
 * never exits, and never names the key in a message.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#ifndef MOR_HASH_ERROR_H
#define MOR_HASH_ERROR_H

#include <stdbool.h>
#include <stddef.h>

#define MH_ERROR_MAX 512

/* What kind of failure: callers branch on this, never on the text. */
enum mh_code {
	MH_E_INPUT,		/* bad input or usage */
	MH_E_NO_MEMORY,
	MH_E_MOR_ANSWERS	/* MOR answers an error whatever the hash */
};

struct mh_error {
	char		message[MH_ERROR_MAX];
	enum mh_code	code;
	int		status;		/* MH_E_MOR_ANSWERS: MOR's HTTP status */
};

/* Formats the message into e (when e is not NULL); always returns false. */
bool	mh_fail(struct mh_error *e, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
bool	mh_no_memory(struct mh_error *e);

/*
 * The one escaping rule for input that reaches stderr, in messages and in
 * the -v trace, so that a line stays one line and a terminal gets text:
 * a backslash as \\, LF, CR and TAB as \n, \r and \t, other control
 * bytes and DEL as \xNN; other bytes as they are.  Writes c's form to
 * out and returns its length (1, 2 or 4).
 */
#define ESCAPED_MAX	4

size_t	escape_byte(unsigned char c, char out[ESCAPED_MAX]);

/*
 * Input echoed in a message: at most QUOTED_MAX bytes, escaped, then
 * "..." when cut.
 */
#define QUOTED_MAX	48
#define QUOTED_SIZE	(QUOTED_MAX * ESCAPED_MAX + 4)

struct quoted {
	char	text[QUOTED_SIZE];
};

struct quoted	quote(const char *s, size_t len);
struct quoted	quote_str(const char *s);

/*
 * A file name echoed in a message: the same escapes, cut only past
 * PATH_QUOTED_MAX bytes, since the whole name is what the user needs.
 */
#define PATH_QUOTED_MAX	1024

struct quoted_path {
	char	text[PATH_QUOTED_MAX * ESCAPED_MAX + 4];
};

struct quoted_path quote_path(const char *path);

#endif
