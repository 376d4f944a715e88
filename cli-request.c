/*
 * cli-request.c - the drivers of the request modes: NAME=VALUE operands
 * (--url, --form, -m), --uri and --batch, each a few calls into the
 * request model (request.c).
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "cli.h"
#include "io.h"

/* Plans and selects; warns only when both worked (one line on error). */
static void
plan_and_select(struct request *r, const char *url,
    const struct request_options *ro)
{
	struct mh_error e;

	if (!request_plan(r, url, ro, &e) || !request_select(r, &e))
		fail(&e);
	warn_notes(&r->notes, "");
	warn_notes(&r->value_notes, "");
}

static void
plan_and_warn(struct request *r, const char *url,
    const struct request_options *ro)
{
	struct mh_error e;

	if (!request_plan(r, url, ro, &e))
		fail(&e);
	warn_notes(&r->notes, "");
}

static void
add_fixed(struct request *r, const struct options *o)
{
	struct mh_error e;

	for (size_t i = 0; i < o->fixed_count; i++)
		if (!request_add_assignment(r, o->fixed[i], FROM_FIXED, "-p",
		    &e))
			fail(&e);
}

/* -u, -F or -m with NAME=VALUE operands: one request. */
int
run_request(const struct options *o, const struct catalog *c,
    const struct hasher *hasher)
{
	unsigned char digest[SHA1_DIGEST_LEN];
	char hex[SHA1_HEX_LEN + 1];
	struct request_options ro;
	struct mh_error e;
	struct request r;
	int status = 0;

	request_options(o, c, &ro);
	request_init(&r);
	if (o->url != NULL && !request_add_query(&r, o->url, FROM_URL, &e))
		fail(&e);
	add_fixed(&r, o);
	for (size_t i = 0; i < o->operand_count; i++)
		if (!request_add_assignment(&r, o->operands[i], FROM_OPERAND,
		    "operand", &e))
			fail(&e);
	plan_and_select(&r, o->url, &ro);
	if (GIVEN(o, O_VERBOSE))
		show_request(&r, hasher->key_len);
	request_digest(&r, hasher, digest);
	sha1_to_hex(hex, digest);
	if (GIVEN(o, O_FORM))
		request_write_query(&r, hex, out_sink, NULL);
	else if (o->url != NULL)
		request_write_url(&r, o->url, hex, out_sink, NULL);
	else
		status = report(o, digest);
	if (GIVEN(o, O_FORM | O_URL))
		out("\n", 1);
	request_free(&r);
	return status;
}

/* The URI's own hash: MOR compares the hex exactly, in lower case. */
static bool
hash_matches(const struct param *old, const char *hex, bool *upper)
{
	unsigned char given[SHA1_DIGEST_LEN], want[SHA1_DIGEST_LEN];

	*upper = false;
	if (old->value_len != SHA1_HEX_LEN || !sha1_from_hex(given, old->value))
		return false;
	(void)sha1_from_hex(want, hex);
	if (!sha1_equal(given, want))
		return false;
	*upper = memcmp(old->value, hex, SHA1_HEX_LEN) != 0;
	return !*upper;
}

/* --uri: check the URI's hash, or add it; print the URI with the right one. */
int
run_uri(const struct options *o, const struct catalog *c,
    const struct hasher *hasher)
{
	unsigned char digest[SHA1_DIGEST_LEN];
	char hex[SHA1_HEX_LEN + 1];
	struct request_options ro;
	const struct param *old;
	struct mh_error e;
	struct request r;
	bool wrong, upper;

	request_options(o, c, &ro);
	ro.names = o->operands;
	ro.name_count = o->operand_count;
	request_init(&r);
	if (!request_add_query(&r, o->uri, FROM_QUERY, &e))
		fail(&e);
	plan_and_select(&r, o->uri, &ro);
	old = request_hash_param(&r);
	if (GIVEN(o, O_VERBOSE))
		show_request(&r, hasher->key_len);
	request_digest(&r, hasher, digest);
	sha1_to_hex(hex, digest);
	request_write_uri(o->uri, old, hex, out_sink, NULL);
	out("\n", 1);
	wrong = old != NULL && !hash_matches(old, hex, &upper);
	if (wrong && !GIVEN(o, O_QUIET))
		warnx("the URI's hash is wrong; the URI printed has the right "
		    "one%s", upper ? " (MOR compares the hex exactly: upper "
		    "case is refused)" : old->nested ? " (MOR reads a "
		    "bracketed hash as an Array or Hash)" : "");
	request_free(&r);
	/* -q checks: a URI without a hash is one MOR refuses. */
	return wrong || (old == NULL && GIVEN(o, O_QUIET)) ? 1 : 0;
}

int
run_batch(const struct options *o, const struct catalog *c,
    const struct hasher *hasher)
{
	struct batch_options b = {
		.terminator = GIVEN(o, O_NULL) ? '\0' : '\n',
		.delimiter = o->delimiter,
		.jobs = o->jobs != 0 ? o->jobs : online_cpus(),
		.hasher = hasher,
		.url = o->url,
		.output = GIVEN(o, O_FORM) ? BATCH_FORM : o->url != NULL ?
		    BATCH_URL : BATCH_HASH,
	};
	struct request_options ro;
	struct mh_error e;
	struct request r;
	int status;

	if (!GIVEN(o, O_URL | O_FORM | O_METHOD))
		return batch_run(&b);
	request_options(o, c, &ro);
	request_init(&r);
	if (o->url != NULL && !request_add_query(&r, o->url, FROM_URL, &e))
		fail(&e);
	add_fixed(&r, o);
	b.first_field = r.count;
	b.fields = o->operand_count;
	for (size_t i = 0; i < o->operand_count; i++) {
		const char *name = o->operands[i];

		if (strchr(name, '=') != NULL)
			errx(2, "with --batch, operands are NAMEs; the values "
			    "come from standard input: '%s'",
			    quote_str(name).text);
		if (name[0] == '\0')
			errx(2, "'%s' has an empty parameter name", name);
		if (strcmp(name, "hash") == 0)
			errx(2, "hash is the parameter mor-hash adds; do not "
			    "give it");
		if (!request_add(&r, name, strlen(name), "", 0, FROM_OPERAND,
		    &e))
			fail(&e);
	}
	plan_and_warn(&r, o->url, &ro);
	for (size_t i = 0; i < r.count; i++)
		if (r.params[i].origin == FROM_RACK)
			errx(2, "--batch does not build bracketed parameters "
			    "('%s'): MOR would read an Array or Hash",
			    quote(r.params[i].name, r.params[i].name_len).text);
	b.request = &r;
	status = batch_run(&b);
	request_free(&r);
	return status;
}
