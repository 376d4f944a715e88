/*
 * cli.c - what the drivers of the modes share: the one way a library
 * error ends the run, the verdict of a hash, the MOR version asked for,
 * the request model's options and the default number of threads.
 *
 * main (mor-hash.c) calls the drivers (cli-*.c), and they call these;
 * nothing here calls back up.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */

/* macOS hides _SC_NPROCESSORS_ONLN under _POSIX_C_SOURCE but for this. */
#if defined(__APPLE__) && !defined(_DARWIN_C_SOURCE)
#define _DARWIN_C_SOURCE 1
#endif
#include <err.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "io.h"
#include "server.h"

/* Out of memory keeps the C library's words, as err(3) would say it. */
void
fail(const struct mh_error *e)
{
	if (e->code == MH_E_NO_MEMORY)
		errx(2, "%s", strerror(ENOMEM));
	errx(2, "%s", e->message);
}

/* Prints the hash, or with --check the verdict; returns the exit status. */
int
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
	if (!GIVEN(o, O_QUIET))
		out_str(match ? "OK\n" : "FAILED\n");
	return match ? 0 : 1;
}

/* --mor-version, else $MOR_VERSION, else the newest; a name that is not
 * a version is an error in every mode that hashes as a version. */
struct mor_target
mor_target(const struct options *o)
{
	const char *v = o->mor_version != NULL ? o->mor_version :
	    getenv("MOR_VERSION");
	struct mor_target t = { server_version_newest(), true };
	const char *what = o->mor_version != NULL ? "--mor-version" :
	    "MOR_VERSION";

	if (v == NULL || strcmp(v, "latest") == 0)
		return t;
	if ((t.version = server_version_find(v)) == NULL)
		errx(2, "%s: unknown MOR version '%s' (want X3, X5, X8, M2 or "
		    "latest)", what, quote_str(v).text);
	t.latest = false;
	return t;
}

void
request_options(const struct options *o, const struct catalog *c,
    struct request_options *ro)
{
	memset(ro, 0, sizeof(*ro));
	ro->catalog = c;
	ro->target = mor_target(o);
	ro->method = o->method;
	ro->no_method = GIVEN(o, O_NO_METHOD);
}

/* The default of -j: every CPU online, up to the most -j takes. */
unsigned
online_cpus(void)
{
	/* No POSIX name: glibc and musl show it, the BSDs hide it under
	 * _POSIX_C_SOURCE, and there the default is one thread. */
#ifdef _SC_NPROCESSORS_ONLN
	long n = sysconf(_SC_NPROCESSORS_ONLN);
#else
	long n = 1;
#endif

	return n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : (unsigned)n;
}
