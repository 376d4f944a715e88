/*
 * mor-hash - the MOR billing API's request hash: the SHA-1, in lowercase
 * hex, of the hashed parameters' values in the method's order followed by
 * the secret key.  It prints the hash, a request URL or POST body that
 * carries it, checks a given hash, or learns a method's order.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "methods.h"
#include "records.h"
#include "secret.h"
#include "sha1.h"
#include "url.h"

#ifndef VERSION
#define VERSION "unknown"
#endif

#define READ_CHUNK	(128 * 1024)
#define RECORD_MAX	(1024 * 1024)	/* --batch with names */
#define SHOWN_MAX	4096		/* of the hashed string, for -v */
#define BATCH_GATHER	(8 * 1024)	/* a record gathered for one SHA-1 call */
#define BATCH_OUTPUT	(64 * 1024)	/* lines of hashes, flushed per chunk */
#define USER_FILE_MAX	(1024 * 1024)
#define LEARN_BUDGET	10000000	/* ordered subsets --learn tries */
#define LEARN_SHOWN	1000		/* matches it prints at most */

enum mode {
	MODE_VALUES,	/* VALUE operands or lines: the hash */
	MODE_REQUEST,	/* NAME=VALUE operands: the hash, a URL or a body */
	MODE_URI,	/* --uri: check or add the hash of a URI */
	MODE_BATCH,	/* one hash, URL or body per input record */
	MODE_LEARN,	/* --learn: find the order behind a known hash */
	MODE_METHODS	/* --methods: show the table */
};

struct options {
	enum mode	 mode;
	bool		 null_input;
	bool		 quiet;
	bool		 verbose;
	bool		 batch;
	bool		 form;
	bool		 no_method;
	bool		 list_methods;
	int		 delimiter;
	bool		 delimiter_given;
	const char	*check;
	const char	*secret_env;
	const char	*secret_file;
	const char	*url;
	const char	*uri;
	const char	*learn;
	const char	*method;
	const char	*show_method;
	struct param	*fixed;		/* -p: sent, never hashed */
	size_t		 fixed_count;
	char	       **operands;
	size_t		 operand_count;
};

/* A request: the parameters it sends, and the values it hashes. */
struct request {
	struct param		 *params;	/* -p parameters first */
	size_t			  count;
	size_t			  fixed;	/* how many came from -p */
	const struct method	 *method;
	const char		 *order;	/* for -v: where the order is from */
	const struct param	**hashed;
	size_t			  hashed_count;
};

static const char usage_text[] =
"usage: mor-hash [-0qv] [-c HASH] [-e NAME | -k FILE] [--] [VALUE ...]\n"
"       mor-hash [-Fv] [-u URL] [-m METHOD | -M] [-p NAME=VALUE]... [NAME=VALUE ...]\n"
"       mor-hash --uri=URI [-qv] [-m METHOD | -M] [NAME ...]\n"
"       mor-hash -b [-0F] [-d CHAR] [-u URL] [-m METHOD | -M] [-p NAME=VALUE]... [NAME ...]\n"
"       mor-hash --learn=URI [-m METHOD]\n"
"       mor-hash --methods[=METHOD]\n";

static const char help_text[] =
"\n"
"Print the MOR API hash: the SHA-1 of the values in hash order followed by\n"
"the secret key, as 40 lowercase hex digits.\n"
"\n"
"Values:\n"
"  VALUE ...                values in hash order, each byte for byte; with none,\n"
"                           read from standard input, one per line (CR LF too)\n"
"  -0, --null               values on standard input end with NUL, not LF\n"
"\n"
"Secret key (never on the command line); the first that applies:\n"
"  -k, --secret-file=FILE   the first line of FILE\n"
"  -e, --secret-env=NAME    the environment variable NAME\n"
"  then MOR_API_SECRET, then the file named by MOR_API_SECRET_FILE\n"
"\n"
"Checking:\n"
"  -c, --check=HASH         compare with HASH: print OK (exit 0) or FAILED (exit 1)\n"
"  -q, --quiet              with --check or --uri, print no verdict: status only\n"
"  -v, --verbose            show on stderr the values in hash order and the\n"
"                           hashed string, the key as <secret: N bytes>\n"
"\n"
"Requests (operands NAME=VALUE, hashed in the order given):\n"
"  -u, --url=URL            print URL?NAME=VALUE&...&hash=HASH, percent-encoded\n"
"  -F, --form               print the POST body: NAME=VALUE&...&hash=HASH\n"
"  -p, --param=NAME=VALUE   also send NAME=VALUE, first and not hashed (repeatable)\n"
"      --uri=URI            check URI's hash (exit 1 if wrong) or add it, and\n"
"                           print the corrected URI; NAME operands pick the\n"
"                           hashed parameters, in order (default: all)\n"
"\n"
"Method table (the hash order of 139 MOR API methods):\n"
"  -m, --method=METHOD      hash in METHOD's order, whatever the operands' order;\n"
"                           --url and --uri know METHOD from the path by themselves\n"
"  -M, --no-method          ignore the table\n"
"      --methods[=METHOD]   list the methods, or show one in full\n"
"      --learn=URI          find the orders that give URI's hash; prints lines for\n"
"                           the user's table ($MOR_HASH_METHODS)\n"
"\n"
"Many at once:\n"
"  -b, --batch              one hash per record of standard input, its fields the\n"
"                           values; with -u, -F or -m, one request per record,\n"
"                           operands naming the fields\n"
"  -d, --delimiter=CHAR     the field separator for --batch (default TAB)\n"
"\n"
"  -h, --help               print this help\n"
"  -V, --version            print the version and the libcrypto version\n"
"\n"
"Exit status: 0 success, 1 a hash that does not match (--check, --uri) or no\n"
"order found (--learn), 2 trouble.  See mor-hash(1).\n";

enum { OPT_URI = 256, OPT_LEARN, OPT_METHODS };

static const struct option long_options[] = {
	{ "null",		no_argument,		NULL, '0' },
	{ "batch",		no_argument,		NULL, 'b' },
	{ "check",		required_argument,	NULL, 'c' },
	{ "delimiter",		required_argument,	NULL, 'd' },
	{ "secret-env",		required_argument,	NULL, 'e' },
	{ "form",		no_argument,		NULL, 'F' },
	{ "help",		no_argument,		NULL, 'h' },
	{ "secret-file",	required_argument,	NULL, 'k' },
	{ "method",		required_argument,	NULL, 'm' },
	{ "no-method",		no_argument,		NULL, 'M' },
	{ "param",		required_argument,	NULL, 'p' },
	{ "quiet",		no_argument,		NULL, 'q' },
	{ "url",		required_argument,	NULL, 'u' },
	{ "verbose",		no_argument,		NULL, 'v' },
	{ "version",		no_argument,		NULL, 'V' },
	{ "uri",		required_argument,	NULL, OPT_URI },
	{ "learn",		required_argument,	NULL, OPT_LEARN },
	{ "methods",		optional_argument,	NULL, OPT_METHODS },
	{ NULL,			0,			NULL, 0 }
};

static struct method_table user_table;

static void
usage(void)
{
	fputs(usage_text, stderr);
	exit(2);
}

static void *
xcalloc(size_t count, size_t size)
{
	void *p = calloc(count, size);

	if (p == NULL)
		err(2, NULL);
	return p;
}

/*
 * Input echoed in a message: at most QUOTED_MAX bytes, control bytes and
 * '\' escaped, so that a message stays one line and reaches the terminal
 * as text.  Two rotating buffers let one message quote two things.
 */
#define QUOTED_MAX 48

static const char *
quoted(const char *s, size_t len)
{
	static char buf[2][QUOTED_MAX * 4 + 4];
	static int turn;
	char *q = buf[turn ^= 1], *out = q;

	for (size_t i = 0; i < len && i < QUOTED_MAX; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f || c == '\\')
			out += snprintf(out, 5, "\\x%02x", c);
		else
			*out++ = (char)c;
	}
	strcpy(out, len > QUOTED_MAX ? "..." : "");
	return q;
}

static const char *
quoted_str(const char *s)
{
	return quoted(s, strlen(s));
}

/*
 * Output.  stdout is fully buffered; a write that fails (full disk, closed
 * pipe or descriptor) is trouble, exit 2, as in coreutils' close_stdout.
 */

static void
out(const void *data, size_t len)
{
	if (fwrite(data, 1, len, stdout) != len)
		err(2, "standard output");
}

static void
out_str(const char *s)
{
	out(s, strlen(s));
}

static void
out_encoded(const char *s, size_t len)
{
	char buf[URL_ENCODED_MAX(4096)];

	while (len > 0) {
		size_t n = len < 4096 ? len : 4096;

		out(buf, url_encode(buf, s, n));
		s += n;
		len -= n;
	}
}

static void
out_hex(const unsigned char digest[SHA1_DIGEST_LEN])
{
	char hex[SHA1_HEX_LEN + 1];

	sha1_to_hex(hex, digest);
	out(hex, SHA1_HEX_LEN);
}

static int
finish(int status)
{
	if (fflush(stdout) == EOF)
		err(2, "standard output");
	if (ferror(stdout))
		errx(2, "write error on standard output");
	if (fclose(stdout) == EOF)
		err(2, "standard output");
	return status;
}

/*
 * The -v display on stderr.  Control bytes and '\' are escaped so that
 * the lines stay one line each and nothing reaches the terminal raw.
 */

static void
show_escaped(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\\')
			fputs("\\\\", stderr);
		else if (c == '\n')
			fputs("\\n", stderr);
		else if (c == '\r')
			fputs("\\r", stderr);
		else if (c == '\t')
			fputs("\\t", stderr);
		else if (c < 0x20 || c == 0x7f)
			fprintf(stderr, "\\x%02x", c);
		else
			putc(c, stderr);
	}
}

/* The hashed string, kept up to SHOWN_MAX bytes for the closing line. */
struct shown {
	char	buf[SHOWN_MAX];
	size_t	len;
	size_t	total;
	size_t	values;
	bool	in_value;
};

static void
shown_add(struct shown *s, const char *data, size_t len)
{
	size_t room = SHOWN_MAX - s->len, n = len < room ? len : room;

	memcpy(s->buf + s->len, data, n);
	s->len += n;
	s->total += len;
}

/* A piece of a value: the first opens its line, the last ends it. */
static void
show_value_piece(struct shown *s, const char *name, size_t name_len,
    const char *data, size_t len, bool ends)
{
	if (!s->in_value) {
		fprintf(stderr, "value %zu: ", ++s->values);
		if (name != NULL) {
			show_escaped(name, name_len);
			putc('=', stderr);
		}
		s->in_value = true;
	}
	show_escaped(data, len);
	shown_add(s, data, len);
	if (ends) {
		putc('\n', stderr);
		s->in_value = false;
	}
}

static void
show_hashed(const struct shown *s, const struct secret *key)
{
	fputs("hashed: ", stderr);
	show_escaped(s->buf, s->len);
	if (s->total > s->len)
		fprintf(stderr, "...(%zu bytes in all)", s->total);
	fprintf(stderr, "<secret: %zu bytes>\n", key->len);
}

/* The hash of what ctx holds, the key appended. */
static void
finish_digest(sha1_ctx *ctx, const struct secret *key,
    unsigned char digest[SHA1_DIGEST_LEN])
{
	sha1_update(ctx, key->bytes, key->len);
	sha1_final(ctx, digest);
}

/* Prints the hash, or with --check the verdict; returns the exit status. */
static int
report(const struct options *o, const unsigned char digest[SHA1_DIGEST_LEN])
{
	unsigned char expected[SHA1_DIGEST_LEN];
	bool match;

	if (o->check == NULL) {
		out_hex(digest);
		out("\n", 1);
		return 0;
	}
	(void)sha1_from_hex(expected, o->check);
	match = sha1_equal(digest, expected);
	if (!o->quiet)
		out_str(match ? "OK\n" : "FAILED\n");
	return match ? 0 : 1;
}

/*
 * Values mode: VALUE operands, or values read from standard input and
 * streamed into the hash.
 */

/* Up to size bytes from fd; 0 at its end.  fmt names fd in errors. */
static size_t
read_some(int fd, char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	ssize_t n;

	while ((n = read(fd, buf, size)) == -1)
		if (errno != EINTR) {
			va_start(ap, fmt);
			verr(2, fmt, ap);
		}
	return (size_t)n;
}

static size_t
read_chunk(char *buf, size_t size)
{
	return read_some(STDIN_FILENO, buf, size, "standard input");
}

static char input[READ_CHUNK];

static void
read_input(struct splitter *sp, void (*consume)(const struct piece *, void *),
    void *arg)
{
	struct piece p;
	size_t n;

	while ((n = read_chunk(input, sizeof(input))) > 0) {
		splitter_feed(sp, input, n);
		while (splitter_next(sp, &p))
			consume(&p, arg);
	}
	if (splitter_finish(sp, &p))
		consume(&p, arg);
}

struct value_stream {
	sha1_ctx	 ctx;
	struct shown	*shown;
};

static void
hash_value_piece(const struct piece *p, void *arg)
{
	struct value_stream *vs = arg;

	sha1_update(&vs->ctx, p->data, p->len);
	if (vs->shown != NULL)
		show_value_piece(vs->shown, NULL, 0, p->data, p->len,
		    p->end != PIECE_CONTINUES);
}

static int
run_values(const struct options *o, const struct secret *key)
{
	static struct shown shown;
	struct value_stream vs = { .shown = o->verbose ? &shown : NULL };
	unsigned char digest[SHA1_DIGEST_LEN];

	sha1_init(&vs.ctx);
	if (o->operand_count > 0)
		for (size_t i = 0; i < o->operand_count; i++) {
			struct piece p = { o->operands[i],
			    strlen(o->operands[i]), PIECE_ENDS_RECORD };

			hash_value_piece(&p, &vs);
		}
	else {
		struct splitter sp;

		splitter_init(&sp, o->null_input ? '\0' : '\n', NO_DELIMITER);
		read_input(&sp, hash_value_piece, &vs);
	}
	if (o->verbose)
		show_hashed(&shown, key);
	finish_digest(&vs.ctx, key, digest);
	return report(o, digest);
}

/*
 * The method table: the built-in rows, and the user's file of additions
 * and overrides, read once and only when a method is looked up.
 */

static const char *
user_file_path(void)
{
	static char path[4096];
	const char *file = getenv("MOR_HASH_METHODS");
	const char *dir = getenv("XDG_CONFIG_HOME"), *tail = "/mor-hash/methods";
	size_t dir_len, tail_len;

	if (file != NULL)
		return file[0] != '\0' ? file : NULL;
	if (dir == NULL || dir[0] != '/') {
		dir = getenv("HOME");
		tail = "/.config/mor-hash/methods";
	}
	if (dir == NULL || dir[0] == '\0')
		return NULL;
	dir_len = strlen(dir);
	tail_len = strlen(tail);
	if (dir_len + tail_len >= sizeof(path))
		return NULL;
	memcpy(path, dir, dir_len);
	memcpy(path + dir_len, tail, tail_len + 1);
	return path;
}

/* The whole file, with a spare byte after it for the parser. */
static char *
slurp_user_file(int fd, const char *path, size_t *len)
{
	char *text = malloc(USER_FILE_MAX + 2);
	size_t n;

	if (text == NULL)
		err(2, NULL);
	for (*len = 0; *len <= USER_FILE_MAX; *len += n)
		if ((n = read_some(fd, text + *len, USER_FILE_MAX + 1 - *len,
		    "methods file %s", path)) == 0)
			break;
	if (*len > USER_FILE_MAX)
		errx(2, "methods file %s is larger than %d bytes", path,
		    USER_FILE_MAX);
	return text;
}

static void
load_user_table(void)
{
	static bool loaded;
	const char *path;
	unsigned long line;
	const char *why;
	size_t len;
	char *text;
	int fd;

	if (loaded)
		return;
	loaded = true;
	if ((path = user_file_path()) == NULL)
		return;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		/* Only the default file may be missing without a word. */
		if (errno == ENOENT && getenv("MOR_HASH_METHODS") == NULL)
			return;
		err(2, "methods file %s", path);
	}
	text = slurp_user_file(fd, path, &len);
	close(fd);
	if (!method_table_parse(&user_table, text, len, path, &line, &why))
		errx(2, "methods file %s, line %lu: %s", path, line, why);
}

/* The user's entry for the name or its canonical name, else the built-in. */
static const struct method *
find_method(const char *name, size_t len)
{
	const struct method *builtin = method_builtin(name, len);
	const struct method *user;

	load_user_table();
	user = method_table_find(&user_table, name, len);
	if (user == NULL && builtin != NULL)
		user = method_table_find(&user_table, builtin->name,
		    strlen(builtin->name));
	return user != NULL ? user : builtin;
}

static const struct method *
find_named_method(const char *name)
{
	const struct method *m = find_method(name, strlen(name));
	const char *close[3];
	size_t n;

	if (m != NULL)
		return m;
	if (name[0] == '\0')
		errx(2, "the method name is empty");
	n = methods_suggest(name, close, 3);
	if (n == 0)
		errx(2, "unknown method '%s' (mor-hash --methods lists them)",
		    quoted_str(name));
	errx(2, "unknown method '%s'; did you mean %s%s%s%s%s?",
	    quoted_str(name),
	    close[0], n > 1 ? (n > 2 ? ", " : " or ") : "",
	    n > 1 ? close[1] : "", n > 2 ? " or " : "", n > 2 ? close[2] : "");
}

/*
 * The method a request calls: -m, else the last segment of the URL's
 * path, else (for .../api) its action parameter.  An unknown path is
 * not an error: the order is then the one given.
 */
static const struct method *
request_method(const struct options *o, const char *url,
    const struct param *params, size_t count)
{
	const struct param *action;
	const char *seg;
	size_t seg_len;

	if (o->no_method)
		return NULL;
	if (o->method != NULL)
		return find_named_method(o->method);
	if (url == NULL)
		return NULL;
	url_last_segment(url, &seg, &seg_len);
	if (seg_len == 3 && memcmp(seg, "api", 3) == 0) {
		action = params_find(params, count, "action", 6);
		return action != NULL ? find_method(action->value,
		    action->value_len) : NULL;
	}
	return seg_len > 0 ? find_method(seg, seg_len) : NULL;
}

static bool
name_is(const struct param *p, const char *name)
{
	return p->name_len == strlen(name) &&
	    memcmp(p->name, name, p->name_len) == 0;
}

/* u, p and test go with nearly every call, hashed or not. */
static bool
commonly_sent(const struct param *p)
{
	return name_is(p, "u") || name_is(p, "p") || name_is(p, "test") ||
	    name_is(p, "hash") || name_is(p, "action");
}

/*
 * A misspelt name is the usual cause of MOR's "Incorrect hash": say which
 * parameters the method does not know, and which hashed ones it needs.
 */
static void
warn_method_params(const struct method *m, const struct param *params,
    size_t count)
{
	const char *cursor = m->hashed;
	struct method_param mp;

	for (size_t i = 0; i < count; i++)
		if (!commonly_sent(&params[i]) &&
		    !method_list_has(m->hashed, params[i].name,
		    params[i].name_len) &&
		    !method_list_has(m->other, params[i].name,
		    params[i].name_len))
			warnx("warning: method %s does not take parameter "
			    "'%s'; it is sent but not hashed", m->name,
			    quoted(params[i].name, params[i].name_len));
	while (method_list_next(&cursor, &mp))
		if (mp.required && params_find(params, count, mp.name,
		    mp.name_len) == NULL)
			warnx("warning: method %s hashes required parameter "
			    "'%s', which the request lacks", m->name,
			    quoted(mp.name, mp.name_len));
}

/* The method's hashed parameters that the request sends, in table order. */
static void
select_by_method(struct request *r)
{
	const struct param *candidates = r->params + r->fixed;
	size_t count = r->count - r->fixed;
	const char *cursor = r->method->hashed;
	struct method_param mp;

	while (method_list_next(&cursor, &mp)) {
		const struct param *p = params_find(candidates, count,
		    mp.name, mp.name_len);

		if (p == NULL || (mp.has_unless &&
		    p->value_len == mp.unless_len &&
		    memcmp(p->value, mp.unless, mp.unless_len) == 0))
			continue;
		r->hashed[r->hashed_count++] = p;
	}
}

static void
select_all(struct request *r)
{
	for (size_t i = r->fixed; i < r->count; i++)
		if (!name_is(&r->params[i], "hash"))
			r->hashed[r->hashed_count++] = &r->params[i];
}

static void
select_hashed(struct request *r)
{
	r->hashed_count = 0;
	if (r->method != NULL)
		select_by_method(r);
	else
		select_all(r);
}

static void
digest_request(const struct request *r, const struct secret *key,
    bool verbose, unsigned char digest[SHA1_DIGEST_LEN])
{
	static struct shown shown;
	sha1_ctx ctx;

	sha1_init(&ctx);
	for (size_t i = 0; i < r->hashed_count; i++)
		sha1_update(&ctx, r->hashed[i]->value, r->hashed[i]->value_len);
	if (verbose) {
		memset(&shown, 0, sizeof(shown));
		for (size_t i = 0; i < r->hashed_count; i++)
			show_value_piece(&shown, r->hashed[i]->name,
			    r->hashed[i]->name_len, r->hashed[i]->value,
			    r->hashed[i]->value_len, true);
		show_hashed(&shown, key);
	}
	finish_digest(&ctx, key, digest);
}

static bool
is_hashed(const struct request *r, const struct param *p)
{
	for (size_t i = 0; i < r->hashed_count; i++)
		if (r->hashed[i] == p)
			return true;
	return false;
}

static void
show_order(const struct request *r)
{
	const struct method *m = r->method;
	const char *sep = "";

	if (m != NULL && m->line > 0)
		fprintf(stderr, "method: %s (from %s, line %lu)\n", m->name,
		    m->source, m->line);
	else if (m != NULL)
		fprintf(stderr, "method: %s (built in; source %s)\n", m->name,
		    m->source[0] != '\0' ? m->source : "none");
	else
		fprintf(stderr, "method: none; order: %s\n", r->order);
	fputs("not hashed:", stderr);
	for (size_t i = 0; i < r->count; i++)
		if (!is_hashed(r, &r->params[i])) {
			fprintf(stderr, "%s ", sep);
			show_escaped(r->params[i].name, r->params[i].name_len);
			sep = ",";
		}
	fputs(*sep ? "\n" : " none\n", stderr);
}

/* The query: -p parameters, the others in the order given, then hash. */
static void
out_query(const struct request *r, const unsigned char digest[SHA1_DIGEST_LEN])
{
	for (size_t i = 0; i < r->count; i++) {
		out_encoded(r->params[i].name, r->params[i].name_len);
		out("=", 1);
		out_encoded(r->params[i].value, r->params[i].value_len);
		out("&", 1);
	}
	out_str("hash=");
	out_hex(digest);
}

static void
out_url(const char *url, const struct request *r,
    const unsigned char digest[SHA1_DIGEST_LEN])
{
	const char *question = strchr(url, '?');
	size_t len = strlen(url);

	out(url, len);
	if (question == NULL)
		out("?", 1);
	else if (url[len - 1] != '?' && url[len - 1] != '&')
		out("&", 1);
	out_query(r, digest);
}

/* Prints what the options ask for: a URL, a body, the hash or a verdict. */
static int
emit_request(const struct options *o, const struct request *r,
    const unsigned char digest[SHA1_DIGEST_LEN])
{
	if (o->form)
		out_query(r, digest);
	else if (o->url != NULL)
		out_url(o->url, r, digest);
	else
		return report(o, digest);
	out("\n", 1);
	return 0;
}

static void
check_name(const char *name, size_t len, const char *arg)
{
	if (len == 0)
		errx(2, "'%s' has an empty parameter name", quoted_str(arg));
	if (len == 4 && memcmp(name, "hash", 4) == 0)
		errx(2, "hash is the parameter mor-hash adds; do not give it");
}

static void
parse_assignment(struct param *p, const char *arg, const char *what)
{
	const char *eq = strchr(arg, '=');

	if (eq == NULL)
		errx(2, "%s '%s' is not NAME=VALUE", what, quoted_str(arg));
	memset(p, 0, sizeof(*p));
	p->name = arg;
	p->name_len = (size_t)(eq - arg);
	p->value = eq + 1;
	p->value_len = strlen(eq + 1);
	check_name(p->name, p->name_len, arg);
}

static void
reject_duplicates(const struct request *r)
{
	for (size_t i = 1; i < r->count; i++)
		for (size_t j = 0; j < i; j++)
			if (r->params[i].name_len == r->params[j].name_len &&
			    memcmp(r->params[i].name, r->params[j].name,
			    r->params[i].name_len) == 0)
				errx(2, "parameter '%s' is given twice; "
				    "method %s hashes one value per name",
				    quoted(r->params[i].name,
				    r->params[i].name_len), r->method->name);
}

static void
request_init(struct request *r, const struct options *o, size_t extra)
{
	memset(r, 0, sizeof(*r));
	r->count = r->fixed = o->fixed_count;
	r->params = xcalloc(o->fixed_count + extra + 1, sizeof(*r->params));
	r->hashed = xcalloc(o->fixed_count + extra + 1, sizeof(*r->hashed));
	if (o->fixed_count > 0)
		memcpy(r->params, o->fixed, o->fixed_count * sizeof(*r->params));
	r->order = "as given";
}

static void
request_free(struct request *r)
{
	free(r->params);
	free(r->hashed);
}

/* -u, -F or -m with NAME=VALUE operands: one request. */
static int
run_request(const struct options *o, const struct secret *key)
{
	unsigned char digest[SHA1_DIGEST_LEN];
	struct request r;
	int status;

	request_init(&r, o, o->operand_count);
	for (size_t i = 0; i < o->operand_count; i++)
		parse_assignment(&r.params[r.count++], o->operands[i],
		    "operand");
	r.method = request_method(o, o->url, r.params, r.count);
	if (r.method != NULL) {
		reject_duplicates(&r);
		warn_method_params(r.method, r.params + r.fixed,
		    r.count - r.fixed);
	}
	select_hashed(&r);
	if (o->verbose)
		show_order(&r);
	digest_request(&r, key, o->verbose, digest);
	status = emit_request(o, &r, digest);
	request_free(&r);
	return status;
}

/*
 * --uri: hash the URI's parameters (the named ones, the method's, or all
 * but hash) and print it with the right hash, added or put in place.
 */

static void
parse_uri(const char *uri, struct query *q, size_t *start, size_t *end)
{
	size_t bad;

	if (uri[0] == '\0')
		errx(2, "the URI is empty");
	uri_query(uri, start, end);
	if (!query_parse(q, uri, *start, *end - *start, &bad)) {
		if (bad == (size_t)-1)
			err(2, NULL);
		errx(2, "malformed %% escape at byte %zu of the URI: '%s'",
		    bad + 1, quoted(uri + bad, strnlen(uri + bad, 3)));
	}
}

static const struct param *
find_hash_param(const struct query *q)
{
	const struct param *found = NULL;

	for (size_t i = 0; i < q->count; i++)
		if (name_is(&q->params[i], "hash")) {
			if (found != NULL)
				errx(2, "the URI has more than one hash "
				    "parameter");
			found = &q->params[i];
		}
	return found;
}

static void
select_named(struct request *r, const struct options *o)
{
	r->hashed_count = 0;
	for (size_t i = 0; i < o->operand_count; i++) {
		const char *name = o->operands[i];
		const struct param *p = params_find(r->params, r->count, name,
		    strlen(name));

		if (p == NULL)
			errx(2, "the URI has no parameter '%s'",
			    quoted_str(name));
		r->hashed[r->hashed_count++] = p;
	}
	r->order = "the names given";
}

static void
out_uri(const char *uri, size_t query_start, size_t query_end,
    const struct param *old, const unsigned char digest[SHA1_DIGEST_LEN])
{
	if (old != NULL) {
		out(uri, old->raw_start);
		out_str("hash=");
		out_hex(digest);
		out_str(uri + old->raw_end);
	} else {
		char last = query_end > 0 ? uri[query_end - 1] : '\0';

		out(uri, query_end);
		if (query_start == query_end && (query_end == 0 ||
		    uri[query_end - 1] != '?'))
			out("?", 1);
		else if (last != '?' && last != '&')
			out("&", 1);
		out_str("hash=");
		out_hex(digest);
		out_str(uri + query_end);
	}
	out("\n", 1);
}

static bool
hash_matches(const struct param *old, const unsigned char *digest)
{
	unsigned char given[SHA1_DIGEST_LEN];

	return old->value_len == SHA1_HEX_LEN &&
	    sha1_from_hex(given, old->value) && sha1_equal(given, digest);
}

static int
run_uri(const struct options *o, const struct secret *key)
{
	unsigned char digest[SHA1_DIGEST_LEN];
	size_t query_start, query_end;
	const struct param *old;
	struct request r;
	struct query q;
	bool wrong;

	parse_uri(o->uri, &q, &query_start, &query_end);
	memset(&r, 0, sizeof(r));
	r.params = q.params;
	r.count = q.count;
	r.hashed = xcalloc(q.count + o->operand_count + 1, sizeof(*r.hashed));
	r.order = "as in the URI";
	old = find_hash_param(&q);
	if (o->operand_count > 0)
		select_named(&r, o);
	else {
		r.method = request_method(o, o->uri, r.params, r.count);
		if (r.method != NULL)
			warn_method_params(r.method, r.params, r.count);
		select_hashed(&r);
	}
	if (o->verbose)
		show_order(&r);
	digest_request(&r, key, o->verbose, digest);
	out_uri(o->uri, query_start, query_end, old, digest);
	wrong = old != NULL && !hash_matches(old, digest);
	if (wrong && !o->quiet)
		warnx("the URI's hash is wrong; the URI printed has the right "
		    "one");
	free(r.hashed);
	query_free(&q);
	return wrong ? 1 : 0;
}

/*
 * --batch.  Without names every record's fields are values, streamed into
 * the hash as they are read; with names (-u, -F, -m) each record becomes
 * a request, and must fit in RECORD_MAX.
 */

struct batch {
	const struct options	*o;
	const struct secret	*key;
	sha1_ctx		 ctx;
	unsigned long		 line;
	/*
	 * Without names: the record so far, handed to SHA-1 in one call
	 * with the key at its end (a call per field cost a third of the
	 * time); a record that outgrows it is streamed.
	 */
	char			 gathered[BATCH_GATHER];
	size_t			 gathered_len;
	char			 output[BATCH_OUTPUT];
	size_t			 output_len;
	/* With names: */
	struct request		 request;
	char			*record;
	size_t			 record_len;
	size_t			*field_end;
	size_t			 fields;
};

static void
gather(struct batch *b, const char *data, size_t len)
{
	if (b->gathered_len + len > sizeof(b->gathered)) {
		sha1_update(&b->ctx, b->gathered, b->gathered_len);
		b->gathered_len = 0;
		if (len > sizeof(b->gathered)) {
			sha1_update(&b->ctx, data, len);
			return;
		}
	}
	memcpy(b->gathered + b->gathered_len, data, len);
	b->gathered_len += len;
}

static void
flush_batch_output(struct batch *b)
{
	out(b->output, b->output_len);
	b->output_len = 0;
}

/* The record is gathered: add the key, hash, and queue its line. */
static void
end_batch_record(struct batch *b)
{
	unsigned char digest[SHA1_DIGEST_LEN];

	gather(b, (const char *)b->key->bytes, b->key->len);
	sha1_update(&b->ctx, b->gathered, b->gathered_len);
	sha1_final(&b->ctx, digest);
	b->gathered_len = 0;
	sha1_init(&b->ctx);
	if (sizeof(b->output) - b->output_len < SHA1_HEX_LEN + 1 + 1)
		flush_batch_output(b);
	sha1_to_hex(b->output + b->output_len, digest);
	b->output[b->output_len + SHA1_HEX_LEN] = '\n';
	b->output_len += SHA1_HEX_LEN + 1;
}

static void
hash_batch_piece(const struct piece *p, void *arg)
{
	struct batch *b = arg;

	gather(b, p->data, p->len);
	if (p->end == PIECE_ENDS_RECORD)
		end_batch_record(b);
}

/* The common case: a whole record in the chunk, its fields split here. */
static void
hash_batch_record(struct batch *b, const char *record, size_t len)
{
	const char *end = record + len, *delimiter;

	while ((delimiter = memchr(record, b->o->delimiter,
	    (size_t)(end - record))) != NULL) {
		gather(b, record, (size_t)(delimiter - record));
		record = delimiter + 1;
	}
	gather(b, record, (size_t)(end - record));
	end_batch_record(b);
}

static void
hash_batch(struct batch *b, struct splitter *sp)
{
	const char *record;
	struct piece p;
	size_t n, len;

	while ((n = read_chunk(input, sizeof(input))) > 0) {
		splitter_feed(sp, input, n);
		for (;;) {
			if (splitter_record(sp, &record, &len))
				hash_batch_record(b, record, len);
			else if (splitter_next(sp, &p))
				hash_batch_piece(&p, b);
			else
				break;
		}
		flush_batch_output(b);
	}
	if (splitter_finish(sp, &p))
		hash_batch_piece(&p, b);
	flush_batch_output(b);
}

static void
emit_batch_request(struct batch *b)
{
	struct request *r = &b->request;
	size_t names = b->o->operand_count, start = 0;
	unsigned char digest[SHA1_DIGEST_LEN];

	if (b->fields != names) {
		fflush(stdout);
		errx(2, "line %lu: %zu field%s, want %zu (%s)", b->line,
		    b->fields, b->fields == 1 ? "" : "s", names,
		    "one for each NAME operand");
	}
	for (size_t i = 0; i < names; i++) {
		struct param *p = &r->params[r->fixed + i];

		p->value = b->record + start;
		p->value_len = b->field_end[i] - start;
		start = b->field_end[i] + 1;
	}
	select_hashed(r);
	digest_request(r, b->key, false, digest);
	(void)emit_request(b->o, r, digest);
}

static void
collect_batch_piece(const struct piece *p, void *arg)
{
	struct batch *b = arg;

	if (b->record_len + p->len + 1 > RECORD_MAX) {
		fflush(stdout);
		errx(2, "line %lu: record longer than %d bytes", b->line + 1,
		    RECORD_MAX);
	}
	memcpy(b->record + b->record_len, p->data, p->len);
	b->record_len += p->len;
	if (p->end == PIECE_CONTINUES)
		return;
	if (b->fields < b->o->operand_count)
		b->field_end[b->fields] = b->record_len;
	b->fields++;
	b->record[b->record_len++] = '\0';
	if (p->end == PIECE_ENDS_RECORD) {
		b->line++;
		emit_batch_request(b);
		b->record_len = b->fields = 0;
	}
}

static void
prepare_batch_request(struct batch *b)
{
	const struct options *o = b->o;
	struct request *r = &b->request;

	request_init(r, o, o->operand_count);
	for (size_t i = 0; i < o->operand_count; i++) {
		struct param *p = &r->params[r->count++];

		p->name = o->operands[i];
		p->name_len = strlen(p->name);
		if (strchr(p->name, '=') != NULL)
			errx(2, "with --batch, operands are NAMEs; the "
			    "values come from standard input: '%s'",
			    quoted_str(p->name));
		check_name(p->name, p->name_len, p->name);
	}
	r->method = request_method(o, o->url, r->params, r->count);
	if (r->method != NULL) {
		reject_duplicates(r);
		warn_method_params(r->method, r->params + r->fixed,
		    r->count - r->fixed);
	}
	b->record = xcalloc(RECORD_MAX, 1);
	b->field_end = xcalloc(o->operand_count + 1, sizeof(*b->field_end));
}

static int
run_batch(const struct options *o, const struct secret *key)
{
	static struct batch b;
	struct splitter sp;
	bool named = o->url != NULL || o->form || o->method != NULL;

	b.o = o;
	b.key = key;
	secret_track_copy(b.gathered, sizeof(b.gathered));
	sha1_init(&b.ctx);
	if (named)
		prepare_batch_request(&b);
	splitter_init(&sp, o->null_input ? '\0' : '\n', o->delimiter);
	if (named)
		read_input(&sp, collect_batch_piece, &b);
	else
		hash_batch(&b, &sp);
	if (named) {
		request_free(&b.request);
		free(b.record);
		free(b.field_end);
	}
	return 0;
}

/*
 * --learn: which ordered subsets of the URI's parameters, followed by the
 * key, give its hash?  Depth first, sharing each prefix's hash state.
 */

struct learn {
	const struct param	**candidates;
	size_t			  count;
	size_t			  depth_limit;
	const struct secret	 *key;
	unsigned char		  target[SHA1_DIGEST_LEN];
	size_t			 *order;	/* the current prefix */
	bool			 *used;
	size_t			**matches;	/* each: length, then indexes */
	size_t			  match_count;
	unsigned long		  tried;
};

static void
learn_record_match(struct learn *l, size_t depth)
{
	size_t *m;

	if (l->match_count >= LEARN_SHOWN) {
		l->match_count++;
		return;
	}
	m = xcalloc(depth + 1, sizeof(*m));
	m[0] = depth;
	memcpy(m + 1, l->order, depth * sizeof(*m));
	l->matches[l->match_count++] = m;
}

static void
learn_search(struct learn *l, const sha1_ctx *prefix, size_t depth)
{
	unsigned char digest[SHA1_DIGEST_LEN];
	sha1_ctx ctx = *prefix;

	l->tried++;
	finish_digest(&ctx, l->key, digest);
	if (sha1_equal(digest, l->target))
		learn_record_match(l, depth);
	if (depth == l->depth_limit)
		return;
	for (size_t i = 0; i < l->count; i++) {
		if (l->used[i])
			continue;
		ctx = *prefix;
		sha1_update(&ctx, l->candidates[i]->value,
		    l->candidates[i]->value_len);
		l->used[i] = true;
		l->order[depth] = i;
		learn_search(l, &ctx, depth + 1);
		l->used[i] = false;
	}
}

/* The number of ordered subsets of up to depth of n items. */
static double
ordered_subsets(size_t n, size_t depth)
{
	double total = 1, term = 1;

	for (size_t k = 1; k <= depth; k++) {
		term *= (double)(n - k + 1);
		total += term;
	}
	return total;
}

static int
compare_matches(const void *a, const void *b)
{
	size_t la = (*(size_t *const *)a)[0], lb = (*(size_t *const *)b)[0];

	return (la > lb) - (la < lb);
}

static const char *
learn_method_name(const struct options *o, const struct query *q,
    size_t *len)
{
	const struct param *action;
	const char *seg;

	if (o->method != NULL) {
		*len = strlen(o->method);
		return o->method;
	}
	url_last_segment(o->learn, &seg, len);
	if (*len == 3 && memcmp(seg, "api", 3) == 0 &&
	    (action = params_find(q->params, q->count, "action", 6))) {
		*len = action->value_len;
		return action->value;
	}
	if (*len == 0)
		errx(2, "cannot tell the method from the URI's path; name it "
		    "with -m");
	return seg;
}

/* The URI's parameters but hash, the last of each name, none empty. */
static void
learn_candidates(struct learn *l, const struct query *q)
{
	l->candidates = xcalloc(q->count + 1, sizeof(*l->candidates));
	for (size_t i = 0; i < q->count; i++) {
		const struct param *p = &q->params[i];

		if (name_is(p, "hash") ||
		    params_find(q->params, q->count, p->name, p->name_len) != p)
			continue;
		if (p->value_len == 0) {
			warnx("parameter '%s' is empty: no hash can tell "
			    "whether or where it is hashed; left out",
			    quoted(p->name, p->name_len));
			continue;
		}
		l->candidates[l->count++] = p;
	}
}

static void
print_learned(const struct learn *l, const char *method, size_t method_len)
{
	for (size_t i = 0; i < l->match_count && i < LEARN_SHOWN; i++) {
		const size_t *m = l->matches[i];

		out(method, method_len);
		out("\t", 1);
		if (m[0] == 0)
			out("-", 1);
		for (size_t k = 0; k < m[0]; k++) {
			if (k > 0)
				out(",", 1);
			out(l->candidates[m[1 + k]]->name,
			    l->candidates[m[1 + k]]->name_len);
		}
		out("\n", 1);
	}
}

static void
report_learned(struct learn *l, const char *method, size_t method_len)
{
	size_t kept = l->match_count < LEARN_SHOWN ? l->match_count :
	    LEARN_SHOWN;

	if (l->match_count == 0) {
		warnx("no order of the URI's parameters gives its hash (a "
		    "wrong key, or a hashed parameter missing from the URI?)");
		return;
	}
	qsort(l->matches, kept, sizeof(*l->matches), compare_matches);
	print_learned(l, method, method_len);
	if (l->match_count > LEARN_SHOWN)
		warnx("%zu orders match; printed the first %d", l->match_count,
		    LEARN_SHOWN);
	if (l->match_count > 1)
		warnx("%zu orders give this hash; the URI cannot tell them "
		    "apart (equal values?)", l->match_count);
}

static void
learn_free(struct learn *l)
{
	for (size_t i = 0; i < l->match_count && i < LEARN_SHOWN; i++)
		free(l->matches[i]);
	free(l->matches);
	free(l->candidates);
	free(l->order);
	free(l->used);
}

static int
run_learn(const struct options *o, const struct secret *key)
{
	size_t query_start, query_end, method_len;
	const struct param *given;
	const char *method;
	struct learn l;
	struct query q;
	sha1_ctx empty;

	parse_uri(o->learn, &q, &query_start, &query_end);
	if ((given = find_hash_param(&q)) == NULL)
		errx(2, "the URI has no hash parameter to learn from");
	memset(&l, 0, sizeof(l));
	if (given->value_len != SHA1_HEX_LEN ||
	    !sha1_from_hex(l.target, given->value))
		errx(2, "the URI's hash is not 40 hex digits");
	method = learn_method_name(o, &q, &method_len);
	learn_candidates(&l, &q);
	l.key = key;
	l.depth_limit = l.count;
	while (ordered_subsets(l.count, l.depth_limit) > LEARN_BUDGET)
		l.depth_limit--;
	if (l.depth_limit < l.count)
		warnx("%zu parameters are too many to try every order; "
		    "searched the orders of up to %zu of them", l.count,
		    l.depth_limit);
	l.order = xcalloc(l.count + 1, sizeof(*l.order));
	l.used = xcalloc(l.count + 1, sizeof(*l.used));
	l.matches = xcalloc(LEARN_SHOWN, sizeof(*l.matches));
	sha1_init(&empty);
	learn_search(&l, &empty, 0);
	if (o->verbose)
		fprintf(stderr, "tried %lu orders of %zu parameters\n",
		    l.tried, l.count);
	report_learned(&l, method, method_len);
	learn_free(&l);
	query_free(&q);
	return l.match_count > 0 ? 0 : 1;
}

/* --methods: the table, as lines of the user's file format; or one entry. */

static void
out_list(const char *list)
{
	out_str(list[0] != '\0' ? list : "-");
}

static void
list_one_method(const struct method *m)
{
	out_str(m->name);
	out("\t", 1);
	out_list(m->hashed);
	out("\n", 1);
}

static int
compare_method_names(const void *a, const void *b)
{
	return strcmp((*(const struct method *const *)a)->name,
	    (*(const struct method *const *)b)->name);
}

static void
list_methods(void)
{
	size_t n = 0, total = builtin_method_count + user_table.count;
	const struct method **all = xcalloc(total + 1, sizeof(*all));

	for (size_t i = 0; i < user_table.count; i++)
		if (method_table_find(&user_table, user_table.entries[i].name,
		    strlen(user_table.entries[i].name)) ==
		    &user_table.entries[i])
			all[n++] = &user_table.entries[i];
	for (size_t i = 0; i < builtin_method_count; i++)
		if (find_method(builtin_methods[i].name,
		    strlen(builtin_methods[i].name)) == &builtin_methods[i])
			all[n++] = &builtin_methods[i];
	qsort(all, n, sizeof(*all), compare_method_names);
	for (size_t i = 0; i < n; i++)
		list_one_method(all[i]);
	free(all);
}

static void
show_field(const char *label, const char *value)
{
	if (value[0] != '\0')
		printf("%-12s%s\n", label, value);
}

static void
show_method(const struct method *m)
{
	show_field("method:", m->name);
	printf("%-12s", "hashed:");
	out_list(m->hashed);
	printf("   (in hash order, then the key; * required)\n");
	printf("%-12s", "not hashed:");
	out_list(m->other);
	printf("   (u, p and test are sent with most calls)\n");
	show_field("aliases:", m->aliases);
	show_field("since:", m->since);
	if (m->line > 0)
		printf("%-12suser's file %s, line %lu\n", "entry:", m->source,
		    m->line);
	else {
		printf("%-12sbuilt in\n", "entry:");
		show_field("source:", m->source);
		show_field("basis:", m->basis);
		show_field("confidence:", m->confidence);
		show_field("note:", m->note);
	}
}

static int
run_methods(const struct options *o)
{
	load_user_table();
	if (o->show_method != NULL)
		show_method(find_named_method(o->show_method));
	else
		list_methods();
	return 0;
}

/* Options. */

static void
print_version(void)
{
	printf("mor-hash %s\n%s\n", VERSION, sha1_library_version());
	exit(finish(0));
}

static void
add_fixed_param(struct options *o, const char *arg, int argc)
{
	if (o->fixed == NULL)
		o->fixed = xcalloc((size_t)argc, sizeof(*o->fixed));
	parse_assignment(&o->fixed[o->fixed_count++], arg, "-p");
}

static int
parse_delimiter(const char *arg)
{
	if (strlen(arg) != 1)
		errx(2, "the delimiter must be one character, not '%s'",
		    quoted_str(arg));
	return (unsigned char)arg[0];
}

static void
parse_options(struct options *o, int argc, char **argv)
{
	char *slash;
	int c;

	memset(o, 0, sizeof(*o));
	o->delimiter = '\t';
	if (argc < 1)
		usage();
	/* getopt's messages name argv[0]; err()'s name only its basename. */
	if ((slash = strrchr(argv[0], '/')) != NULL)
		argv[0] = slash + 1;
	while ((c = getopt_long(argc, argv, "0bc:d:e:Fhk:m:Mp:qu:vV",
	    long_options, NULL)) != -1)
		switch (c) {
		case '0': o->null_input = true; break;
		case 'b': o->batch = true; break;
		case 'c': o->check = optarg; break;
		case 'd':
			o->delimiter = parse_delimiter(optarg);
			o->delimiter_given = true;
			break;
		case 'e': o->secret_env = optarg; break;
		case 'F': o->form = true; break;
		case 'h':
			fputs(usage_text, stdout);
			fputs(help_text, stdout);
			exit(finish(0));
		case 'k': o->secret_file = optarg; break;
		case 'm': o->method = optarg; break;
		case 'M': o->no_method = true; break;
		case 'p': add_fixed_param(o, optarg, argc); break;
		case 'q': o->quiet = true; break;
		case 'u': o->url = optarg; break;
		case 'v': o->verbose = true; break;
		case 'V': print_version(); break;
		case OPT_URI: o->uri = optarg; break;
		case OPT_LEARN: o->learn = optarg; break;
		case OPT_METHODS:
			o->list_methods = true;
			o->show_method = optarg;
			break;
		default:
			usage();
		}
	o->operands = argv + optind;
	o->operand_count = (size_t)(argc - optind);
}

static void
pointless(bool given, const char *option, const char *context)
{
	if (given)
		errx(2, "%s cannot be used with %s", option, context);
}

static void
needs(bool given, bool context_given, const char *option,
    const char *context)
{
	if (given && !context_given)
		errx(2, "%s is meaningful only with %s", option, context);
}

static enum mode
choose_mode(const struct options *o)
{
	if (o->list_methods)
		return MODE_METHODS;
	if (o->learn != NULL)
		return MODE_LEARN;
	if (o->uri != NULL)
		return MODE_URI;
	if (o->batch)
		return MODE_BATCH;
	if (o->url != NULL || o->form || o->method != NULL)
		return MODE_REQUEST;
	return MODE_VALUES;
}

/* Each mode takes its options; anything else is a mistake worth saying. */
static void
check_options(struct options *o)
{
	bool builds = o->url != NULL || o->form;

	o->mode = choose_mode(o);
	pointless(o->secret_file != NULL && o->secret_env != NULL, "-k",
	    "-e (name one key source)");
	pointless(o->quiet && o->verbose, "--quiet", "--verbose");
	pointless(o->method != NULL && o->no_method, "--method",
	    "--no-method");
	needs(o->quiet, o->check != NULL || o->uri != NULL, "--quiet",
	    "--check or --uri");
	needs(o->delimiter_given, o->batch, "--delimiter", "--batch");
	needs(o->fixed_count > 0, builds, "--param", "--url or --form");
	needs(o->no_method, builds || o->uri != NULL, "--no-method",
	    "--url, --form or --uri");
	if (o->check != NULL && !sha1_from_hex((unsigned char[SHA1_DIGEST_LEN]){ 0 },
	    o->check))
		errx(2, "--check wants 40 hex digits, not %zu characters%s",
		    strlen(o->check), strlen(o->check) == SHA1_HEX_LEN ?
		    " with a non-hex digit" : "");

	switch (o->mode) {
	case MODE_METHODS:
		if (o->operand_count > 0 || o->check || builds || o->uri ||
		    o->batch || o->method || o->no_method || o->verbose ||
		    o->quiet || o->null_input || o->secret_env ||
		    o->secret_file)
			errx(2, "--methods takes no other options or operands");
		break;
	case MODE_LEARN:
		pointless(o->operand_count > 0, "operands", "--learn");
		pointless(o->check != NULL, "--check", "--learn");
		pointless(builds || o->uri != NULL, "--url, --form or --uri",
		    "--learn");
		pointless(o->batch || o->null_input, "--batch or --null",
		    "--learn");
		break;
	case MODE_URI:
		pointless(o->check != NULL, "--check", "--uri (it checks the "
		    "URI's own hash)");
		pointless(builds, "--url or --form", "--uri");
		pointless(o->batch || o->null_input, "--batch or --null",
		    "--uri");
		break;
	case MODE_BATCH:
		pointless(o->check != NULL, "--check", "--batch");
		pointless(o->verbose, "--verbose", "--batch");
		if (o->url == NULL && !o->form && o->method == NULL &&
		    o->operand_count > 0)
			errx(2, "with --batch, values come from standard "
			    "input; operands name fields only with --url, "
			    "--form or --method");
		break;
	case MODE_REQUEST:
		pointless(o->check != NULL && builds, "--check",
		    "--url or --form");
		pointless(o->null_input, "--null", "NAME=VALUE operands");
		break;
	case MODE_VALUES:
		pointless(o->null_input && o->operand_count > 0, "--null",
		    "VALUE operands (it is for values on standard input)");
		break;
	}
	if (o->url != NULL && strncmp(o->url, "http://", 7) != 0 &&
	    strncmp(o->url, "https://", 8) != 0 && o->url[0] != '/')
		errx(2, "the URL must start with http://, https:// or /");
	if (o->url != NULL && strchr(o->url, '#') != NULL)
		errx(2, "the URL must not have a fragment ('#')");
}

int
main(int argc, char **argv)
{
	struct options o;
	struct secret key;
	int status;

	/* A closed pipe is a write error to report, not a silent death. */
	signal(SIGPIPE, SIG_IGN);
	parse_options(&o, argc, argv);
	check_options(&o);
	if (o.mode == MODE_METHODS)
		return finish(run_methods(&o));
	key = secret_load(o.secret_file, o.secret_env);
	switch (o.mode) {
	case MODE_REQUEST:
		status = run_request(&o, &key);
		break;
	case MODE_URI:
		status = run_uri(&o, &key);
		break;
	case MODE_BATCH:
		status = run_batch(&o, &key);
		break;
	case MODE_LEARN:
		status = run_learn(&o, &key);
		break;
	default:
		status = run_values(&o, &key);
		break;
	}
	free(o.fixed);
	return finish(status);
}
