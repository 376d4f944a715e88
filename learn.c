/*
 * learn.c - the order search.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "learn.h"

#define MAX_THREADS 64

/* One thread's share: the first-level branches first, first + step, ... */
struct worker {
	const struct learn	*l;
	size_t			 first;
	size_t			 step;
	size_t			*order;		/* the current prefix */
	bool			*used;
	struct learn_match	*matches;
	size_t			 match_count;
	size_t			 matched;
	unsigned long		 tried;
	bool			 failed;	/* out of memory */
};

unsigned long
learn_cost(enum learn_kind kind, size_t n, size_t depth)
{
	double total = 1, term = 1;

	for (size_t k = 1; k <= depth && k <= n; k++) {
		if (kind == LEARN_ORDERS)
			term *= (double)(n - k + 1);
		else
			term = term * (double)(n - k + 1) / (double)k;
		total += term;
	}
	return total >= (double)ULONG_MAX ? ULONG_MAX : (unsigned long)total;
}

static void
record_match(struct worker *w, size_t depth)
{
	struct learn_match *m;

	if (w->matched++ >= w->l->max_matches)
		return;
	m = &w->matches[w->match_count];
	if ((m->index = malloc((depth + 1) * sizeof(*m->index))) == NULL) {
		w->failed = true;
		return;
	}
	memcpy(m->index, w->order, depth * sizeof(*m->index));
	m->len = depth;
	w->match_count++;
}

/*
 * The URI's hash is public, so a cheap look at its first bytes rules out
 * nearly every candidate before the full comparison.
 */
static bool
is_target(const struct learn *l, const unsigned char digest[SHA1_DIGEST_LEN])
{
	return memcmp(digest, l->target, 4) == 0 && sha1_equal(digest, l->target);
}

static void
search(struct worker *w, const sha1_ctx *prefix, size_t depth, size_t from)
{
	const struct learn *l = w->l;
	unsigned char digest[SHA1_DIGEST_LEN];
	sha1_ctx ctx = *prefix;

	/* The empty prefix is every thread's root: the first one counts it. */
	if (depth > 0 || w->first == 0) {
		w->tried++;
		hasher_finish(l->hasher, &ctx, digest);
		if (is_target(l, digest))
			record_match(w, depth);
	}
	if (depth == l->depth)
		return;
	for (size_t i = l->kind == LEARN_SUBSETS ? from : 0; i < l->count;
	    i++) {
		if (l->kind == LEARN_ORDERS && w->used[i])
			continue;
		if (depth == 0 && (i < w->first || (i - w->first) % w->step))
			continue;
		ctx = *prefix;
		sha1_update(&ctx, l->values[i].data, l->values[i].len);
		w->used[i] = true;
		w->order[depth] = i;
		search(w, &ctx, depth + 1, i + 1);
		w->used[i] = false;
	}
}

static void *
run_worker(void *arg)
{
	struct worker *w = arg;
	sha1_ctx empty;

	hasher_start(w->l->hasher, &empty);
	search(w, &empty, 0, 0);
	return NULL;
}

static bool
worker_init(struct worker *w, const struct learn *l, size_t first, size_t step)
{
	memset(w, 0, sizeof(*w));
	w->l = l;
	w->first = first;
	w->step = step;
	w->order = calloc(l->count + 1, sizeof(*w->order));
	w->used = calloc(l->count + 1, sizeof(*w->used));
	w->matches = calloc(l->max_matches + 1, sizeof(*w->matches));
	return w->order != NULL && w->used != NULL && w->matches != NULL;
}

static void
worker_free(struct worker *w)
{
	free(w->order);
	free(w->used);
	for (size_t i = 0; i < w->match_count; i++)
		free(w->matches[i].index);
	free(w->matches);
}

/* Shortest first, then as the search meets them with one thread. */
static int
compare_matches(const void *a, const void *b)
{
	const struct learn_match *x = a, *y = b;

	if (x->len != y->len)
		return (x->len > y->len) - (x->len < y->len);
	for (size_t i = 0; i < x->len; i++)
		if (x->index[i] != y->index[i])
			return (x->index[i] > y->index[i]) -
			    (x->index[i] < y->index[i]);
	return 0;
}

/* Takes the workers' matches: all, sorted, then the first max_matches. */
static bool
gather(struct learn *l, struct worker *w, unsigned n, struct mh_error *e)
{
	size_t total = 0;

	for (unsigned i = 0; i < n; i++) {
		total += w[i].match_count;
		l->matched += w[i].matched;
		l->tried += w[i].tried;
		if (w[i].failed)
			return mh_no_memory(e);
	}
	if ((l->matches = calloc(total + 1, sizeof(*l->matches))) == NULL)
		return mh_no_memory(e);
	for (unsigned i = 0; i < n; i++) {
		memcpy(l->matches + l->match_count, w[i].matches,
		    w[i].match_count * sizeof(*w[i].matches));
		l->match_count += w[i].match_count;
		w[i].match_count = 0;
	}
	qsort(l->matches, l->match_count, sizeof(*l->matches),
	    compare_matches);
	while (l->match_count > l->max_matches)
		free(l->matches[--l->match_count].index);
	return true;
}

bool
learn_run(struct learn *l, struct mh_error *e)
{
	struct worker w[MAX_THREADS];
	pthread_t thread[MAX_THREADS];
	bool started[MAX_THREADS] = { false };
	unsigned n = l->jobs > 1 ? l->jobs : 1;
	bool ok;

	if (n > MAX_THREADS)
		n = MAX_THREADS;
	if (n > l->count && l->count > 0)
		n = (unsigned)l->count;
	for (l->depth = l->count; l->depth > 0 &&
	    learn_cost(l->kind, l->count, l->depth) > l->budget;)
		l->depth--;
	for (unsigned i = 0; i < n; i++)
		if (!worker_init(&w[i], l, i, n)) {
			for (unsigned j = 0; j <= i; j++)
				worker_free(&w[j]);
			return mh_no_memory(e);
		}
	/* A thread that cannot start leaves its share to this one. */
	for (unsigned i = 1; i < n; i++)
		started[i] = pthread_create(&thread[i], NULL, run_worker,
		    &w[i]) == 0;
	run_worker(&w[0]);
	l->threads_used = 1;
	for (unsigned i = 1; i < n; i++)
		if (!started[i])
			run_worker(&w[i]);
	for (unsigned i = 1; i < n; i++)
		if (started[i]) {
			pthread_join(thread[i], NULL);
			l->threads_used++;
		}
	ok = gather(l, w, n, e);
	for (unsigned i = 0; i < n; i++)
		worker_free(&w[i]);
	return ok;
}

void
learn_free(struct learn *l)
{
	for (size_t i = 0; i < l->match_count; i++)
		free(l->matches[i].index);
	free(l->matches);
	l->matches = NULL;
	l->match_count = 0;
}
