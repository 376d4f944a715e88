/*
 * cli-learn.c - the --learn driver: from a URI with a hash MOR accepted,
 * the order that gives it, as lines for the user's methods file.  The
 * search itself is learn.c.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "io.h"
#include "learn.h"
#include "server.h"
#include "url.h"

#define LEARN_BUDGET	10000000UL	/* orders --learn tries */
#define LEARN_SHOWN	1000		/* matches it prints at most */


struct learned {
	const char	*method;
	size_t		 method_len;
	const char	**names;	/* a name per candidate */
	size_t		 *name_lens;
	bool		 printed;
};

static void
print_learned_line(struct learned *out_line, const struct learn_match *m)
{
	for (size_t k = 0; k < m->len; k++)
		if (!method_name_valid(out_line->names[m->index[k]],
		    out_line->name_lens[m->index[k]])) {
			warnx("an order was found, but parameter '%s' cannot be "
			    "named in the methods file",
			    quote(out_line->names[m->index[k]],
			    out_line->name_lens[m->index[k]]).text);
			return;
		}
	out(out_line->method, out_line->method_len);
	out("\t", 1);
	if (m->len == 0)
		out("-", 1);
	for (size_t k = 0; k < m->len; k++) {
		if (k > 0)
			out(",", 1);
		out(out_line->names[m->index[k]], out_line->name_lens[m->index[k]]);
	}
	out("\n", 1);
	out_line->printed = true;
}

static void
report_search(const struct learn *l, struct learned *line, const char *what)
{
	if (l->match_count == 0)
		return;
	warnx("matched: %s", what);
	for (size_t i = 0; i < l->match_count; i++)
		print_learned_line(line, &l->matches[i]);
	if (l->matched > l->match_count)
		warnx("%zu orders match; printed the first %zu", l->matched,
		    l->match_count);
	if (l->matched > 1)
		warnx("%zu orders give this hash; the URI cannot tell them "
		    "apart (equal values?)", l->matched);
}

static void
run_search(struct learn *l, const struct options *o,
    const struct hasher *hasher)
{
	struct mh_error e;

	l->hasher = hasher;
	l->max_matches = LEARN_SHOWN;
	l->jobs = o->jobs != 0 ? o->jobs : online_cpus();
	if (!learn_run(l, &e))
		fail(&e);
}

/* Whether the values in this order, then the key, give target. */
static bool
digest_matches(const struct learn_value *values, size_t count,
    const struct hasher *hasher, const unsigned char target[SHA1_DIGEST_LEN])
{
	unsigned char digest[SHA1_DIGEST_LEN];
	sha1_ctx ctx;

	hasher_start(hasher, &ctx);
	for (size_t i = 0; i < count; i++)
		sha1_update(&ctx, values[i].data, values[i].len);
	hasher_finish(hasher, &ctx, digest);
	return sha1_equal(digest, target);
}

/*
 * What mor-hash already knows of the method, first: when the hash it
 * computes is the URI's, the line that keeps it is printed (the list, or
 * (global)); appending a search's line instead could break the method.
 */
static bool
learn_known(struct request *r, const struct hasher *hasher,
    struct learned *line, const unsigned char target[SHA1_DIGEST_LEN])
{
	unsigned char digest[SHA1_DIGEST_LEN];
	struct mh_error e;

	if (r->plan.kind != PLAN_LIST && r->plan.kind != PLAN_GLOBAL)
		return false;
	if (!request_select(r, &e))
		fail(&e);
	request_digest(r, hasher, digest);
	if (!sha1_equal(digest, target))
		return false;
	warnx("matched: the hash mor-hash computes for %s (%s)",
	    r->plan.method, r->plan.basis == BASIS_SERVER ? "MOR's own code" :
	    r->plan.basis == BASIS_USER ? "your methods file" :
	    "its documentation");
	out(line->method, line->method_len);
	out("\t", 1);
	if (r->plan.kind == PLAN_GLOBAL)
		out_str("(global)");
	else
		out_str(r->plan.list[0] != '\0' ? r->plan.list : "-");
	out("\n", 1);
	return true;
}

/*
 * The server's global order next: of the URI's parameters that the
 * order names, after their value rules, every subset in the order's
 * sequence.  All of them is what MOR hashes; a subset means some were
 * not sent when the hash was made.
 */
static bool
learn_global(const struct options *o, const struct catalog *c,
    const struct hasher *hasher, const struct mor_target *t,
    struct learned *line,
    const unsigned char target[SHA1_DIGEST_LEN])
{
	struct learn l = { .kind = LEARN_SUBSETS, .budget = LEARN_BUDGET };
	struct request_options ro;
	struct learned global = *line;
	struct learn_value *values;
	const char **names;
	size_t *lens;
	struct request r;
	struct mh_error e;
	char what[160];
	bool found, whole;

	/* The request model's own walk of the order, with the value rules
	 * of the request's action (raw-except). */
	request_options(o, c, &ro);
	ro.unknown_ok = true;
	ro.global_order = true;
	request_init(&r);
	if (!request_add_query(&r, o->learn, FROM_QUERY, &e) ||
	    !request_plan(&r, o->learn, &ro, &e) || !request_select(&r, &e))
		fail(&e);
	values = calloc(r.hashed_count + 1, sizeof(*values));
	names = calloc(r.hashed_count + 1, sizeof(*names));
	lens = calloc(r.hashed_count + 1, sizeof(*lens));
	if (values == NULL || names == NULL || lens == NULL)
		err(2, NULL);
	for (size_t i = 0; i < r.hashed_count; i++) {
		if (r.hashed[i].value_len == 0)
			continue;
		values[l.count].data = r.hashed[i].value;
		values[l.count].len = r.hashed[i].value_len;
		names[l.count] = r.hashed[i].name;
		lens[l.count++] = r.hashed[i].name_len;
	}
	memcpy(l.target, target, SHA1_DIGEST_LEN);
	l.values = values;
	/* All of them first: that alone needs no search, however many. */
	whole = l.count > 0 && digest_matches(values, l.count, hasher, target);
	if (!whole) {
		run_search(&l, o, hasher);
		whole = l.match_count == 1 && l.matches[0].len == l.count &&
		    l.count > 0;
	}
	found = whole || l.match_count > 0;
	global.names = names;
	global.name_lens = lens;
	if (whole) {
		warnx("matched: the global order of %s, over all %zu of the "
		    "URI's parameters that it names", t->version->label,
		    l.count);
		out(line->method, line->method_len);
		out_str("\t(global)\n");
	} else if (found) {
		snprintf(what, sizeof(what), "the global order of %s, over %s "
		    "of the parameters it names", t->version->label,
		    l.count == 0 ? "none" : "some");
		report_search(&l, &global, what);
	}
	learn_free(&l);
	free(values);
	free(names);
	free(lens);
	request_free(&r);
	return found;
}

int
run_learn(const struct options *o, const struct catalog *c,
    const struct hasher *hasher)
{
	struct request_options ro;
	struct learn l = { .kind = LEARN_ORDERS, .budget = LEARN_BUDGET };
	struct learned line = { 0 };
	struct learn_value *values;
	const struct param *given;
	struct mh_error e;
	struct request r;

	request_options(o, c, &ro);
	ro.unknown_ok = true;
	request_init(&r);
	if (!request_add_query(&r, o->learn, FROM_QUERY, &e) ||
	    !request_plan(&r, o->learn, &ro, &e))
		fail(&e);
	if ((given = request_hash_param(&r)) == NULL || given->bare)
		errx(2, "the URI has no hash parameter to learn from");
	if (given->value_len != SHA1_HEX_LEN ||
	    !sha1_from_hex(l.target, given->value))
		errx(2, "the URI's hash is not 40 hex digits");
	line.method = r.plan.method != NULL ? r.plan.method : o->method;
	if (line.method != NULL)
		line.method_len = strlen(line.method);
	else {
		line.method = r.plan.path_name;
		line.method_len = r.plan.path_name_len;
	}
	if (line.method == NULL || line.method_len == 0)
		errx(2, "cannot tell the method from the URI's path; name it "
		    "with -m");
	if (!method_name_valid(line.method, line.method_len))
		errx(2, "the method name '%s' cannot be written in the methods "
		    "file", quote(line.method, line.method_len).text);
	if (learn_known(&r, hasher, &line, l.target) ||
	    learn_global(o, c, hasher, &ro.target, &line, l.target)) {
		request_free(&r);
		return 0;
	}
	/* Then every order: the last of each name, none empty, not hash. */
	values = calloc(r.count + 1, sizeof(*values));
	line.names = calloc(r.count + 1, sizeof(*line.names));
	line.name_lens = calloc(r.count + 1, sizeof(*line.name_lens));
	if (values == NULL || line.names == NULL || line.name_lens == NULL)
		err(2, NULL);
	for (size_t i = 0; i < r.count; i++) {
		const struct param *p = &r.params[i];

		if (p == given || p->nested ||
		    (p->name_len == 4 && memcmp(p->name, "hash", 4) == 0) ||
		    request_last(&r, p->name, p->name_len) != p)
			continue;
		if (p->value_len == 0) {
			warnx("parameter '%s' is empty: no hash can tell "
			    "whether or where it is hashed; left out",
			    quote(p->name, p->name_len).text);
			continue;
		}
		values[l.count].data = p->value;
		values[l.count].len = p->value_len;
		line.names[l.count] = p->name;
		line.name_lens[l.count++] = p->name_len;
	}
	l.values = values;
	run_search(&l, o, hasher);
	if (l.depth < l.count)
		warnx("the search was cut short: %zu parameters are too many "
		    "to try every order; it tried the orders of up to %zu of "
		    "them, and a longer order would not be found", l.count,
		    l.depth);
	if (GIVEN(o, O_VERBOSE))
		fprintf(stderr, "tried %lu orders of %zu parameters (%u "
		    "thread%s)\n", l.tried, l.count, l.threads_used,
		    l.threads_used == 1 ? "" : "s");
	if (l.match_count == 0)
		warnx("no order of the URI's parameters gives its hash (a "
		    "wrong key, or a hashed parameter missing from the URI?)");
	else
		report_search(&l, &line, "an order of the URI's parameters "
		    "(not MOR's global order)");
	learn_free(&l);
	free(values);
	free(line.names);
	free(line.name_lens);
	request_free(&r);
	return line.printed || l.match_count > 0 ? 0 : 1;
}
