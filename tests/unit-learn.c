/*
 * unit-learn.c - unit tests of --learn's search: its matches, their
 * order, and the same answer whatever the number of threads.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "learn.h"
#include "sha1.h"
#include "unit.h"

static void
learn_with(struct learn *l, enum learn_kind kind, unsigned jobs,
    const struct learn_value *v, size_t n, const struct hasher *h)
{
	unsigned char target[SHA1_DIGEST_LEN];
	sha1_ctx ctx;
	struct mh_error e;

	hasher_start(h, &ctx);
	sha1_update(&ctx, "ab", 2);
	hasher_finish(h, &ctx, target);
	memset(l, 0, sizeof(*l));
	l->kind = kind;
	l->values = v;
	l->count = n;
	l->hasher = h;
	memcpy(l->target, target, sizeof(target));
	l->budget = 100000;
	l->max_matches = 10;
	l->jobs = jobs;
	if (!learn_run(l, &e))
		l->match_count = 0;
}

static bool
match_is(const struct learn *l, size_t i, size_t len, size_t a, size_t b)
{
	const struct learn_match *m = &l->matches[i];

	return i < l->match_count && m->len == len && m->index[0] == a &&
	    (len < 2 || m->index[1] == b);
}

static bool
same_matches(const struct learn *a, const struct learn *b)
{
	if (a->match_count != b->match_count)
		return false;
	for (size_t i = 0; i < a->match_count; i++)
		if (a->matches[i].len != b->matches[i].len ||
		    memcmp(a->matches[i].index, b->matches[i].index,
		    a->matches[i].len * sizeof(size_t)) != 0)
			return false;
	return true;
}

static void
test_learn(void)
{
	static const struct learn_value v[] = {
		{ "b", 1 }, { "ab", 2 }, { "a", 1 }, { "x", 1 },
	};
	struct hasher *h = malloc(sizeof(*h));
	struct learn one, two;

	hasher_init(h, (const unsigned char *)"k", 1);
	learn_with(&one, LEARN_ORDERS, 1, v, 4, h);
	learn_with(&two, LEARN_ORDERS, 2, v, 4, h);
	ok(one.match_count == 2 && match_is(&one, 0, 1, 1, 0) &&
	    match_is(&one, 1, 2, 2, 0), "learn: orders finds ab and a,b, "
	    "shortest first");
	ok(same_matches(&one, &two), "learn: orders gives the same matches "
	    "with 1 and 2 jobs");
	learn_free(&one);
	learn_free(&two);
	learn_with(&one, LEARN_SUBSETS, 1, v, 4, h);
	learn_with(&two, LEARN_SUBSETS, 2, v, 4, h);
	ok(one.match_count == 1 && match_is(&one, 0, 1, 1, 0),
	    "learn: subsets keep the order (b before a is no match)");
	ok(same_matches(&one, &two), "learn: subsets give the same matches "
	    "with 1 and 2 jobs");
	learn_free(&one);
	learn_free(&two);
	hasher_wipe(h);
	free(h);
	ok(learn_cost(LEARN_ORDERS, 4, 2) == 1 + 4 + 12 &&
	    learn_cost(LEARN_SUBSETS, 4, 2) == 1 + 4 + 6,
	    "learn: the cost counts every prefix");
	ok(learn_cost(LEARN_ORDERS, 1000, 1000) == ULONG_MAX,
	    "learn: the cost saturates");
}

/* A search for the hash of message + key, with max_matches kept. */
static bool
learn_for(struct learn *l, enum learn_kind kind, unsigned jobs,
    const struct learn_value *v, size_t n, const struct hasher *h,
    const char *message, size_t max)
{
	sha1_ctx ctx;
	struct mh_error e;

	memset(l, 0, sizeof(*l));
	hasher_start(h, &ctx);
	sha1_update(&ctx, message, strlen(message));
	hasher_finish(h, &ctx, l->target);
	l->kind = kind;
	l->values = v;
	l->count = n;
	l->hasher = h;
	l->budget = 10000000;
	l->max_matches = max;
	l->jobs = jobs;
	return learn_run(l, &e);
}

static bool
match_seq(const struct learn *l, size_t i, size_t len, const size_t *want)
{
	return i < l->match_count && l->matches[i].len == len &&
	    memcmp(l->matches[i].index, want, len * sizeof(*want)) == 0;
}

/* The same search with 1, 2, 3, 5 and 64 threads: the same results. */
static bool
same_whatever_jobs(enum learn_kind kind, const struct learn_value *v,
    size_t n, const struct hasher *h, const char *message, size_t max)
{
	static const unsigned jobs[] = { 2, 3, 5, 64 };
	struct learn one, other;
	bool same = learn_for(&one, kind, 1, v, n, h, message, max);

	for (size_t j = 0; same && j < sizeof(jobs) / sizeof(jobs[0]); j++) {
		same = learn_for(&other, kind, jobs[j], v, n, h, message,
		    max) && same_matches(&one, &other) &&
		    one.matched == other.matched && one.tried == other.tried &&
		    one.depth == other.depth;
		learn_free(&other);
	}
	learn_free(&one);
	return same;
}

static void
test_learn_search(void)
{
	/* 242 orders give 1111: 2 of two values, 120 of three, 120 of four. */
	static const struct learn_value ones[] = {
		{ "1", 1 }, { "1", 1 }, { "1", 1 }, { "1", 1 }, { "1", 1 },
		{ "11", 2 }, { "11", 2 },
	};
	static const size_t first[] = { 5, 6 }, second[] = { 6, 5 },
	    third[] = { 0, 1, 5 }, tenth[] = { 0, 4, 6 };
	/* Values of 30 bytes: prefixes of a block or more fork states. */
	static const struct learn_value wide[] = {
		{ "000000000000000000000000000000", 30 },
		{ "111111111111111111111111111111", 30 },
		{ "222222222222222222222222222222", 30 },
		{ "333333333333333333333333333333", 30 },
		{ "444444444444444444444444444444", 30 },
		{ "555555555555555555555555555555", 30 },
	};
	static const size_t wide_order[] = { 5, 3, 0, 4, 1 },
	    wide_subset[] = { 0, 2, 5 };
	char message[200];
	struct hasher *h = malloc(sizeof(*h));
	struct learn l;
	bool all;

	hasher_init(h, (const unsigned char *)"key", 3);
	all = true;
	for (unsigned jobs = 1; jobs <= 3; jobs++) {
		all = all && learn_for(&l, LEARN_ORDERS, jobs, ones, 7, h,
		    "1111", 10) && l.matched == 242 && l.match_count == 10 &&
		    match_seq(&l, 0, 2, first) && match_seq(&l, 1, 2, second) &&
		    match_seq(&l, 2, 3, third) && match_seq(&l, 9, 3, tenth);
		learn_free(&l);
	}
	ok(all, "learn: past max_matches it keeps the shortest, then the "
	    "first in the search's order, with 1, 2 and 3 jobs");
	ok(same_whatever_jobs(LEARN_ORDERS, ones, 7, h, "1111", 10) &&
	    same_whatever_jobs(LEARN_ORDERS, ones, 7, h, "1111", 1) &&
	    same_whatever_jobs(LEARN_ORDERS, ones, 7, h, "1111", 300) &&
	    same_whatever_jobs(LEARN_SUBSETS, ones, 7, h, "1111", 5),
	    "learn: many matches, the same whatever the number of jobs");
	ok(learn_for(&l, LEARN_ORDERS, 2, ones, 7, h, "1111", 0) &&
	    l.matched == 242 && l.match_count == 0,
	    "learn: max_matches 0 counts matches and keeps none");
	learn_free(&l);

	snprintf(message, sizeof(message), "%s%s%s%s%s", wide[5].data,
	    wide[3].data, wide[0].data, wide[4].data, wide[1].data);
	all = true;
	for (unsigned jobs = 1; jobs <= 4; jobs++) {
		all = all && learn_for(&l, LEARN_ORDERS, jobs, wide, 6, h,
		    message, 10) && l.match_count == 1 && l.matched == 1 &&
		    match_seq(&l, 0, 5, wide_order) && l.depth == 6 &&
		    l.tried == learn_cost(LEARN_ORDERS, 6, 6);
		learn_free(&l);
	}
	ok(all, "learn: orders of long values (150 bytes) with 1 to 4 jobs");
	ok(same_whatever_jobs(LEARN_ORDERS, wide, 6, h, message, 10),
	    "learn: long values, the same whatever the number of jobs");
	snprintf(message, sizeof(message), "%s%s%s", wide[0].data,
	    wide[2].data, wide[5].data);
	all = true;
	for (unsigned jobs = 1; jobs <= 4; jobs++) {
		all = all && learn_for(&l, LEARN_SUBSETS, jobs, wide, 6, h,
		    message, 10) && l.match_count == 1 &&
		    match_seq(&l, 0, 3, wide_subset) &&
		    l.tried == learn_cost(LEARN_SUBSETS, 6, 6);
		learn_free(&l);
	}
	ok(all, "learn: subsets of long values with 1 to 4 jobs");
	ok(same_whatever_jobs(LEARN_SUBSETS, wide, 6, h, message, 10),
	    "learn: subsets, the same whatever the number of jobs");

	all = true;
	for (unsigned jobs = 1; jobs <= 3; jobs++) {
		all = all && learn_for(&l, LEARN_ORDERS, jobs, NULL, 0, h, "",
		    10) && l.match_count == 1 && l.matches[0].len == 0 &&
		    l.tried == 1;
		learn_free(&l);
	}
	ok(all, "learn: no candidates: the key alone is the one order");

	/* A budget that cuts the search short: the same whatever the jobs. */
	snprintf(message, sizeof(message), "%s%s", wide[4].data, wide[2].data);
	all = true;
	for (unsigned jobs = 1; jobs <= 3; jobs++) {
		struct mh_error e;

		memset(&l, 0, sizeof(l));
		l.kind = LEARN_ORDERS;
		l.values = wide;
		l.count = 6;
		l.hasher = h;
		l.budget = learn_cost(LEARN_ORDERS, 6, 3);
		l.max_matches = 10;
		l.jobs = jobs;
		{
			sha1_ctx ctx;

			hasher_start(h, &ctx);
			sha1_update(&ctx, message, strlen(message));
			hasher_finish(h, &ctx, l.target);
		}
		all = all && learn_run(&l, &e) && l.depth == 3 &&
		    l.tried == learn_cost(LEARN_ORDERS, 6, 3) &&
		    l.match_count == 1 && l.matches[0].len == 2 &&
		    l.matches[0].index[0] == 4 && l.matches[0].index[1] == 2;
		learn_free(&l);
	}
	ok(all, "learn: a budget cuts the depth, the same with 1 to 3 jobs");
	hasher_wipe(h);
	free(h);
}

/* framework_route: the name and id it gives, or the status MOR answers. */

void
test_learn_all(void)
{
	test_learn();
	test_learn_search();
}
