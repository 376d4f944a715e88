/*
 * mor-hash - the MOR billing API's request hash: the SHA-1, in lowercase
 * hex, of the values MOR's server hashes, in its order, followed by the
 * secret key.  It prints the hash, a request URL or POST body that
 * carries it, checks a given hash, or learns a method's order.
 *
 * This file is the command: the options, the one mode of each invocation
 * and the key's lifetime.  main calls down only: into a driver per mode
 * (cli-*.c, over the request model), which calls the helpers they share
 * (cli.c) and the library half, which never prints or exits.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "sha1.h"
#include "io.h"
#include "secret.h"

#ifndef VERSION
#define VERSION "unknown"
#endif

enum { OPT_URI = 256, OPT_LEARN, OPT_METHODS, OPT_MOR_VERSION };

/*
 * The options.  Options end at the first operand, as in env and xargs:
 * scripts run mor-hash "$a" "$b", and a value "-v" stays a value.
 */
static const char short_options[] = "+0bc:d:e:Fhj:k:m:Mp:qu:vV";

static const struct option long_options[] = {
	{ "null",		no_argument,		NULL, '0' },
	{ "batch",		no_argument,		NULL, 'b' },
	{ "check",		required_argument,	NULL, 'c' },
	{ "delimiter",		required_argument,	NULL, 'd' },
	{ "secret-env",		required_argument,	NULL, 'e' },
	{ "form",		no_argument,		NULL, 'F' },
	{ "help",		no_argument,		NULL, 'h' },
	{ "jobs",		required_argument,	NULL, 'j' },
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
	{ "mor-version",	required_argument,	NULL, OPT_MOR_VERSION },
	{ NULL,			0,			NULL, 0 }
};

#define MODES(m)	(1u << (m))
#define ANY_MODE	0u

/*
 * What each option may be given with: a rule fires in its modes when all
 * of its options are given, at least one of any (if set) and none of
 * unless.  The first that fires is the message.
 */
static const struct rule {
	unsigned	 modes;
	unsigned	 all;
	unsigned	 any;
	unsigned	 unless;
	const char	*message;
} rules[] = {
	{ MODES(MODE_METHODS), 0, ~(unsigned)(O_METHODS | O_MOR_VERSION), 0,
	    "--methods takes no other options or operands" },
	{ ANY_MODE, O_KEY_FILE | O_ENV, 0, 0,
	    "-k cannot be used with -e (name one key source)" },
	{ ANY_MODE, O_QUIET | O_VERBOSE, 0, 0,
	    "--quiet cannot be used with --verbose" },
	{ ANY_MODE, O_METHOD | O_NO_METHOD, 0, 0,
	    "--method cannot be used with --no-method" },
	{ ANY_MODE, O_QUIET, 0, O_CHECK | O_URI,
	    "--quiet is meaningful only with --check or --uri" },
	{ ANY_MODE, O_DELIMITER, 0, O_BATCH,
	    "--delimiter is meaningful only with --batch" },
	{ ANY_MODE, O_PARAM, 0, O_URL | O_FORM,
	    "--param is meaningful only with --url or --form" },
	{ ANY_MODE, O_NO_METHOD, 0, O_URL | O_FORM | O_URI,
	    "--no-method is meaningful only with --url, --form or --uri" },
	{ ANY_MODE, O_JOBS, 0, O_BATCH | O_LEARN,
	    "--jobs is meaningful only with --batch or --learn" },
	{ MODES(MODE_LEARN), O_OPERANDS, 0, 0,
	    "operands cannot be used with --learn" },
	{ MODES(MODE_LEARN), O_CHECK, 0, 0,
	    "--check cannot be used with --learn" },
	{ MODES(MODE_LEARN), 0, O_URL | O_FORM | O_URI, 0,
	    "--url, --form or --uri cannot be used with --learn" },
	{ MODES(MODE_LEARN), 0, O_BATCH | O_NULL, 0,
	    "--batch or --null cannot be used with --learn" },
	{ MODES(MODE_URI), O_CHECK, 0, 0,
	    "--check cannot be used with --uri (it checks the URI's own hash)" },
	{ MODES(MODE_URI), 0, O_URL | O_FORM, 0,
	    "--url or --form cannot be used with --uri" },
	{ MODES(MODE_URI), 0, O_BATCH | O_NULL, 0,
	    "--batch or --null cannot be used with --uri" },
	{ MODES(MODE_BATCH), O_CHECK, 0, 0,
	    "--check cannot be used with --batch" },
	{ MODES(MODE_BATCH), O_VERBOSE, 0, 0,
	    "--verbose cannot be used with --batch" },
	{ MODES(MODE_BATCH), O_OPERANDS, 0, O_URL | O_FORM | O_METHOD,
	    "with --batch, values come from standard input; operands name "
	    "fields only with --url, --form or --method" },
	{ MODES(MODE_BATCH), O_MOR_VERSION, 0, O_URL | O_FORM | O_METHOD,
	    "--mor-version is meaningful only with a method" },
	{ MODES(MODE_REQUEST), O_CHECK, O_URL | O_FORM, 0,
	    "--check cannot be used with --url or --form" },
	{ MODES(MODE_REQUEST), O_NULL, 0, 0,
	    "--null cannot be used with NAME=VALUE operands" },
	{ MODES(MODE_REQUEST), O_METHOD, 0,
	    O_OPERANDS | O_URL | O_FORM | O_PARAM,
	    "--method needs NAME=VALUE operands; to show a method, use "
	    "--methods=METHOD" },
	{ MODES(MODE_VALUES), O_NULL | O_OPERANDS, 0, 0,
	    "--null cannot be used with VALUE operands (it is for values on "
	    "standard input)" },
	{ MODES(MODE_VALUES), O_MOR_VERSION, 0, 0,
	    "--mor-version is meaningful only with a method" },
};

static const char usage_text[] =
"usage: mor-hash [-0qv] [-c HASH] [-e NAME | -k FILE] [--] [VALUE ...]\n"
"       mor-hash [-Fv] [-u URL] [-m METHOD | -M] [-p NAME=VALUE]...\n"
"                [NAME=VALUE ...]\n"
"       mor-hash --uri=URI [-qv] [-m METHOD | -M] [NAME ...]\n"
"       mor-hash -b [-0F] [-d CHAR] [-j N] [-u URL] [-m METHOD | -M]\n"
"                [-p NAME=VALUE]... [NAME ...]\n"
"       mor-hash --learn=URI [-v] [-j N] [-m METHOD]\n"
"       mor-hash --methods[=METHOD]\n";

static const char help_text[] =
"\n"
"Print the MOR API hash: the SHA-1 of the values MOR's server hashes, in its\n"
"order, followed by the secret key, as 40 lowercase hex digits.  Options end\n"
"at the first operand.\n"
"\n"
"Values:\n"
"  VALUE ...               values in hash order, each byte for byte; with none,\n"
"                          read from standard input, one per line (CR LF too)\n"
"  -0, --null              values on standard input end with NUL, not LF\n"
"\n"
"Secret key (never on the command line); the first that applies:\n"
"  -k, --secret-file=FILE  the first line of FILE (a terminal: typed, unseen)\n"
"  -e, --secret-env=NAME   the environment variable NAME\n"
"  then MOR_API_SECRET, then the file named by MOR_API_SECRET_FILE\n"
"  a BOM, or white space, CR or LF at an end, is kept, with a warning\n"
"\n"
"Checking:\n"
"  -c, --check=HASH        compare with HASH: print OK (exit 0) or FAILED (1)\n"
"  -q, --quiet             with --check or --uri, print no verdict; with\n"
"                          --uri, a URI without a hash is status 1\n"
"  -v, --verbose           show on stderr the method, the values in hash order\n"
"                          and the hashed string, the key as <secret: N bytes>\n"
"\n"
"Requests (NAME=VALUE operands, hashed as MOR's server hashes the method):\n"
"  -u, --url=URL           print URL?NAME=VALUE&...&hash=HASH, percent-encoded\n"
"  -F, --form              print the POST body: NAME=VALUE&...&hash=HASH\n"
"  -p, --param=NAME=VALUE  send NAME=VALUE first (repeatable); hashed only if\n"
"                          the method hashes it\n"
"      --uri=URI           check URI's hash (exit 1 if wrong) or add it, and\n"
"                          print the URI with the right one; NAME operands\n"
"                          pick the hashed parameters, in order\n"
"\n"
"MOR's methods (139 methods; two mechanisms, value rules, versions):\n"
"  -m, --method=METHOD     hash as METHOD; --url and --uri take it from the path\n"
"  -M, --no-method         hash the operands as given; -p is then never hashed\n"
"      --mor-version=V     X3, X5, X8, M2 or latest (default; or $MOR_VERSION)\n"
"      --methods[=METHOD]  the methods as lines of the user's table, for\n"
"                          --mor-version; or one method in full\n"
"      --learn=URI         find what gives URI's hash; prints lines for the\n"
"                          user's table ($MOR_HASH_METHODS; at most 1 MiB)\n"
"\n"
"Many at once:\n"
"  -b, --batch             one hash per record of standard input, its fields the\n"
"                          values; with -u, -F or -m, one request per record,\n"
"                          NAME operands naming the fields\n"
"  -d, --delimiter=CHAR    the field separator for --batch (one byte; TAB)\n"
"  -j, --jobs=N            threads for --batch and --learn (default: all CPUs)\n"
"\n"
"  -h, --help              print this help\n"
"  -V, --version           print the version and the libcrypto version\n"
"\n"
"Exit status: 0 success, 1 a hash that does not match (--check, --uri) or no\n"
"order found (--learn), 2 trouble (a closed pipe: no message), 130 --batch\n"
"interrupted.  See mor-hash(1).\n"
"Report bugs to the mor-hash issue tracker.\n";

/* The hasher holds the only copy of the key: wiped on every way out. */
static struct hasher hasher;

static void
wipe_hasher(void)
{
	hasher_wipe(&hasher);
}

static void
usage(void)
{
	fputs("Try 'mor-hash --help' for more information.\n", stderr);
	exit(2);
}

/*
 * Linked with libcrypto.a, the library is the one of the headers, and the
 * Makefile passes their OPENSSL_VERSION_TEXT: OpenSSL_version() would
 * drag most of libcrypto.a in (3.5 MB of text for a 140 KB program).
 */
static void
print_version(void)
{
#ifdef CRYPTO_VERSION_TEXT
	const char *crypto = CRYPTO_VERSION_TEXT;
#else
	const char *crypto = sha1_library_version();
#endif

	printf("mor-hash %s\n%s\n"
	    "Copyright (c) 2026 The mor-hash developers.\n"
	    "License ISC: <https://opensource.org/licenses/ISC>.\n"
	    "This is free software: you are free to change and redistribute "
	    "it.\n", VERSION, crypto);
	exit(finish(0));
}

/* The MOR requests: --url, --form, -m, --uri, --batch with names. */

/* The user's methods file: $MOR_HASH_METHODS, or the XDG default. */
static const char *
user_file_path(char *path, size_t size, bool *must_exist)
{
	const char *file = getenv("MOR_HASH_METHODS");
	const char *dir = getenv("XDG_CONFIG_HOME"), *tail = "/mor-hash/methods";

	*must_exist = file != NULL;
	if (file != NULL)
		return file[0] != '\0' ? file : NULL;
	/* The XDG rule: a relative directory is ignored, HOME's too. */
	if (dir == NULL || dir[0] != '/') {
		dir = getenv("HOME");
		tail = "/.config/mor-hash/methods";
	}
	if (dir == NULL || dir[0] != '/' ||
	    (size_t)snprintf(path, size, "%s%s", dir, tail) >= size)
		return NULL;
	return path;
}

static void
open_catalog(struct catalog *c)
{
	char buf[4096];
	bool must_exist;
	const char *path = user_file_path(buf, sizeof(buf), &must_exist);
	struct mh_error e;

	if (!catalog_open(c, path, must_exist, &e))
		fail(&e);
}

/* Options. */

static int
parse_delimiter(const char *arg)
{
	if (strlen(arg) != 1)
		errx(2, "the delimiter must be one byte, not '%s'",
		    quote_str(arg).text);
	return (unsigned char)arg[0];
}

static unsigned
parse_jobs(const char *arg)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || n < 1 || n > MAX_JOBS)
		errx(2, "--jobs wants a number of threads from 1 to %d, not "
		    "'%s'", MAX_JOBS, quote_str(arg).text);
	return (unsigned)n;
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
	while ((c = getopt_long(argc, argv, short_options, long_options,
	    NULL)) != -1)
		switch (c) {
		case '0': o->given |= O_NULL; break;
		case 'b': o->given |= O_BATCH; break;
		case 'c': o->given |= O_CHECK; o->check = optarg; break;
		case 'd':
			o->given |= O_DELIMITER;
			o->delimiter = parse_delimiter(optarg);
			break;
		case 'e': o->given |= O_ENV; o->secret_env = optarg; break;
		case 'F': o->given |= O_FORM; break;
		case 'h':
			fputs(usage_text, stdout);
			fputs(help_text, stdout);
			exit(finish(0));
		case 'j': o->given |= O_JOBS; o->jobs = parse_jobs(optarg); break;
		case 'k': o->given |= O_KEY_FILE; o->secret_file = optarg; break;
		case 'm': o->given |= O_METHOD; o->method = optarg; break;
		case 'M': o->given |= O_NO_METHOD; break;
		case 'p':
			/* Room for every argument, taken at the first -p. */
			if (o->fixed == NULL && (o->fixed = calloc((size_t)argc,
			    sizeof(*o->fixed))) == NULL)
				err(2, NULL);
			o->given |= O_PARAM;
			o->fixed[o->fixed_count++] = optarg;
			break;
		case 'q': o->given |= O_QUIET; break;
		case 'u': o->given |= O_URL; o->url = optarg; break;
		case 'v': o->given |= O_VERBOSE; break;
		case 'V': print_version(); break;
		case OPT_URI: o->given |= O_URI; o->uri = optarg; break;
		case OPT_LEARN: o->given |= O_LEARN; o->learn = optarg; break;
		case OPT_METHODS:
			o->given |= O_METHODS;
			o->show_method = optarg;
			break;
		case OPT_MOR_VERSION:
			o->given |= O_MOR_VERSION;
			o->mor_version = optarg;
			break;
		default:
			usage();
		}
	o->operands = argv + optind;
	o->operand_count = (size_t)(argc - optind);
	if (o->operand_count > 0)
		o->given |= O_OPERANDS;
}

/* The mode: the first of these that is given; the rules refuse two. */
static enum mode
choose_mode(const struct options *o)
{
	if (GIVEN(o, O_METHODS))
		return MODE_METHODS;
	if (GIVEN(o, O_LEARN))
		return MODE_LEARN;
	if (GIVEN(o, O_URI))
		return MODE_URI;
	if (GIVEN(o, O_BATCH))
		return MODE_BATCH;
	if (GIVEN(o, O_URL | O_FORM | O_METHOD))
		return MODE_REQUEST;
	return MODE_VALUES;
}

static bool
rule_fires(const struct rule *r, const struct options *o)
{
	return (r->modes == ANY_MODE || (r->modes & MODES(o->mode))) &&
	    (o->given & r->all) == r->all &&
	    (r->any == 0 || (o->given & r->any)) && !(o->given & r->unless);
}

/* A byte below 0x20 or DEL: never raw in a URL. */
static bool
has_control(const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

static void
check_options(struct options *o)
{
	unsigned char scratch[SHA1_DIGEST_LEN];

	o->mode = choose_mode(o);
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		if (rule_fires(&rules[i], o))
			errx(2, "%s", rules[i].message);
		/* After the rules for any mode: the option values. */
		if (rules[i].modes == ANY_MODE && (i + 1 == sizeof(rules) /
		    sizeof(rules[0]) || rules[i + 1].modes != ANY_MODE) &&
		    o->check != NULL && !sha1_from_hex(scratch, o->check))
			errx(2, "--check wants 40 hex digits, not %zu "
			    "characters%s", strlen(o->check),
			    strlen(o->check) == SHA1_HEX_LEN ?
			    " with a non-hex digit" : "");
	}
	if (o->url != NULL && strncmp(o->url, "http://", 7) != 0 &&
	    strncmp(o->url, "https://", 8) != 0 && o->url[0] != '/')
		errx(2, "the URL must start with http://, https:// or /");
	if (o->url != NULL && strchr(o->url, '#') != NULL)
		errx(2, "the URL must not have a fragment ('#')");
	if (o->mode == MODE_BATCH && GIVEN(o, O_URL | O_FORM | O_METHOD) &&
	    o->operand_count == 0)
		errx(2, "--batch with --url, --form or -m needs the NAMEs of "
		    "the fields as operands");
	if (has_control(o->url) || has_control(o->uri) || has_control(o->learn))
		errx(2, "the URL holds a control character (a CR from a CRLF "
		    "file?): MOR's URLs have none, and it would be printed "
		    "back raw");
	if (o->secret_env != NULL && o->secret_env[0] == '\0')
		errx(2, "environment variable name is empty");
	if (o->secret_env != NULL && !secret_env_name_valid(o->secret_env))
		errx(2, "-e wants the name of an environment variable "
		    "([A-Za-z_][A-Za-z0-9_]*), not a key");
}

/*
 * A descriptor 0, 1 or 2 that the caller closed is held by /dev/null,
 * opened the other way round, so that reading standard input or writing
 * standard output still fails (EBADF) as it would, and no file the
 * program opens (a key file, a pipe) becomes one of them.
 */
static void
hold_closed_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) == -1 && errno == EBADF &&
		    open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY) != fd)
			_exit(2);
}

/* The key, read once into the hasher; the reading buffer wiped at once. */
static void
load_key(const struct options *o)
{
	unsigned char buf[SECRET_BUF];
	struct secret_source src = {
		.file = o->secret_file,
		.env_name = o->secret_env,
		.stdin_busy = (o->mode == MODE_VALUES &&
		    o->operand_count == 0) || o->mode == MODE_BATCH,
	};
	size_t len;

	if (atexit(wipe_hasher) != 0)
		errx(2, "cannot arrange to wipe the key at exit");
	len = secret_load(&src, buf);
	hasher_init(&hasher, buf, len);
	secure_wipe(buf, sizeof(buf));
}

int
main(int argc, char **argv)
{
	struct options o;
	struct catalog c;
	int status;

	hold_closed_std_fds();
	/* A closed pipe is a write error (EPIPE), not a death by signal. */
	signal(SIGPIPE, SIG_IGN);
	parse_options(&o, argc, argv);
	check_options(&o);
	if (o.mode == MODE_METHODS) {
		/* As -m does: a version that does not exist is an error. */
		(void)mor_target(&o);
		open_catalog(&c);
		status = run_methods(&o, &c);
		catalog_close(&c);
		free(o.fixed);
		return finish(status);
	}
	if (o.mode == MODE_REQUEST || o.mode == MODE_URI ||
	    o.mode == MODE_LEARN || o.mode == MODE_BATCH)
		(void)mor_target(&o);
	load_key(&o);
	/* Neither reads the method table: it cannot be in their way. */
	if (o.mode == MODE_VALUES || (o.mode == MODE_BATCH &&
	    !GIVEN(&o, O_URL | O_FORM | O_METHOD))) {
		status = o.mode == MODE_VALUES ? run_values(&o, &hasher) :
		    run_batch(&o, NULL, &hasher);
		free(o.fixed);
		return finish(status);
	}
	open_catalog(&c);
	switch (o.mode) {
	case MODE_REQUEST:
		status = run_request(&o, &c, &hasher);
		break;
	case MODE_URI:
		status = run_uri(&o, &c, &hasher);
		break;
	case MODE_BATCH:
		status = run_batch(&o, &c, &hasher);
		break;
	default:
		status = run_learn(&o, &c, &hasher);
		break;
	}
	catalog_close(&c);
	free(o.fixed);
	return finish(status);
}
