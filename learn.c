/*
 * learn.c - the order search.
 *
 * Nearly all the time goes to SHA-1: the benchmark's 9,864,101 candidates
 * are 14.6 million compressions.  What is left is kept small:
 *
 * - A candidate whose message is short is hashed in one piece: the message
 *   is kept in a buffer as the search goes (a value appended, taken off)
 *   and copied into one of SHA1_LANES lanes (sha1.h); when they are all
 *   full, they are hashed together, their compressions back to back, so
 *   that each overlaps the next instead of waiting out its latency.  Each
 *   lane keeps its candidate's order for the rare match.  Forking a SHA-1
 *   state for a prefix saves nothing while the prefix is under a block
 *   (64 bytes): its state has compressed nothing yet.  Below a prefix of a
 *   block or more, the search forks states, so that the prefix's blocks
 *   are compressed once.
 * - The URI's hash is public: its first four bytes rule out nearly every
 *   candidate before the constant-time comparison.
 * - The work is the nodes of one depth of the search tree (tasks, in the
 *   order of the search), taken one at a time by whichever thread is free,
 *   so a thread slowed by a busy machine leaves more to the others; the
 *   nodes above that depth are a share of the calling thread's.  What a
 *   thread writes as it goes lives on its own stack or in blocks of whole
 *   cache lines: no two threads write into one line.
 * - Each thread keeps the smallest matches it met (shortest first, then
 *   by index, position by position); the smallest of all are the same
 *   whatever the number of threads, and so is the order they come in.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "learn.h"

#define MAX_THREADS	64
#define LINE		64	/* bytes of a cache line */
#define BLOCK		64	/* bytes of a SHA-1 block */
#define TASKS_PER_THREAD 32	/* at least, when the tree has them */

/* The tasks: the nodes at depth split, as index sequences, in order. */
struct plan {
	size_t		 split;
	size_t		 count;
	size_t		*prefix;	/* count * split indexes */
	_Alignas(LINE) atomic_size_t next;
	char		 pad[LINE - sizeof(atomic_size_t)];
};

/* One thread's results, read by the caller once the thread is done. */
struct worker {
	const struct learn	*l;
	struct plan		*plan;
	bool			 shallow;	/* also the nodes above split */
	struct learn_match	*matches;
	size_t			 match_count;
	size_t			 room;
	size_t			 matched;
	unsigned long		 tried;
	bool			 failed;	/* out of memory */
};

/* A value, with COPY readable bytes after it (the rest zero). */
struct piece {
	const unsigned char	*data;
	size_t			 len;
};

#define COPY	16	/* a value up to this long is copied in one go */

/* What a thread works with, on its own stack. */
struct walk {
	const struct piece	*values;
	size_t			 count;
	size_t			 depth;		/* searched up to */
	bool			 orders;
	const unsigned char	*target;
	const struct hasher	*hasher;
	struct worker		*w;
	/*
	 * The current prefix, then (orders) the candidates not in it: a
	 * branch swaps its candidate to the front of the rest.
	 */
	size_t			*order;
	unsigned char		*msg;		/* its values */
	size_t			 len;
	struct sha1_lanes	 lanes;		/* candidates waiting to be hashed */
	unsigned		 queued;
	size_t			 depth_of[SHA1_LANES];
	size_t			*order_of;	/* SHA1_LANES orders of count */
	unsigned long		 tried;
	unsigned char		*scratch;	/* order, values, msg, order_of */
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

/* How many nodes the search has at depth d exactly; saturates. */
static unsigned long
nodes_at(enum learn_kind kind, size_t n, size_t d)
{
	unsigned long all = learn_cost(kind, n, d);

	return d == 0 ? 1 : all == ULONG_MAX ? ULONG_MAX :
	    all - learn_cost(kind, n, d - 1);
}

/* Shortest first, then by index, position by position. */
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

/* Sorts matches and frees all but the first max. */
static size_t
keep_smallest(struct learn_match *m, size_t count, size_t max)
{
	qsort(m, count, sizeof(*m), compare_matches);
	while (count > max)
		free(m[--count].index);
	return count;
}

/*
 * Keeps the max_matches smallest matches met: room for twice as many,
 * cut back to the smallest when full.  Matches are rare; this is not hot.
 */
static void
record_match(struct walk *k, const size_t *order, size_t depth)
{
	struct worker *w = k->w;
	size_t max = w->l->max_matches;
	struct learn_match *m;

	w->matched++;
	if (max == 0 || w->failed)
		return;
	if (w->match_count == w->room) {
		size_t cap = max < SIZE_MAX / 2 / sizeof(*m) ? 2 * max :
		    SIZE_MAX / sizeof(*m);
		size_t room = w->room < 8 ? 16 : 2 * w->room;

		if (room > cap || room < w->room)
			room = cap;
		if (room <= w->room)
			w->match_count = keep_smallest(w->matches,
			    w->match_count, max);
		else if ((m = realloc(w->matches, room * sizeof(*m))) != NULL) {
			w->matches = m;
			w->room = room;
		} else {
			w->failed = true;
			return;
		}
	}
	m = &w->matches[w->match_count];
	if ((m->index = malloc((depth + 1) * sizeof(*m->index))) == NULL) {
		w->failed = true;
		return;
	}
	memcpy(m->index, order, depth * sizeof(*m->index));
	m->len = depth;
	w->match_count++;
}

/* The candidates waiting in the lanes, hashed together. */
static void
flush(struct walk *k)
{
	unsigned found;

	sha1_lanes_hash(&k->lanes, k->queued);
	k->tried += k->queued;
	found = sha1_lanes_find(&k->lanes, k->queued, k->target);
	for (unsigned i = 0; found != 0; i++, found >>= 1)
		if (found & 1)
			record_match(k, k->order_of + i * k->count,
			    k->depth_of[i]);
	k->queued = 0;
}

/* The candidate of the current message, into a lane. */
static inline void
visit(struct walk *k, size_t depth)
{
	unsigned i = k->queued;
	unsigned char *lane = sha1_lane(&k->lanes, i);

	/* A fixed-size copy: the message buffer has a block after it. */
	if (k->len <= BLOCK)
		memcpy(lane, k->msg, BLOCK);
	else
		memcpy(lane, k->msg, k->len);
	k->lanes.len[i] = k->len;
	k->depth_of[i] = depth;
	memcpy(k->order_of + i * k->count, k->order, depth * sizeof(size_t));
	if (++k->queued == SHA1_LANES)
		flush(k);
}

/* The candidate of a forked state, which it spends. */
static inline void
visit_state(struct walk *k, sha1_ctx *ctx, size_t depth)
{
	unsigned char digest[SHA1_DIGEST_LEN];

	hasher_finish(k->hasher, ctx, digest);
	k->tried++;
	if (memcmp(digest, k->target, 4) == 0 &&
	    sha1_equal(digest, k->target))
		record_match(k, k->order, depth);
}

static inline void
append(struct walk *k, size_t i)
{
	const struct piece *v = &k->values[i];

	if (v->len <= COPY)
		memcpy(k->msg + k->len, v->data, COPY);
	else
		memcpy(k->msg + k->len, v->data, v->len);
	k->len += v->len;
}

/* The branch at depth: candidate j of the rest (orders) or i (subsets). */
static inline size_t
branch(struct walk *k, size_t depth, size_t j)
{
	size_t *o = k->order, i = o[j];

	if (k->orders) {
		o[j] = o[depth];
		o[depth] = i;
	} else
		o[depth] = i = j;
	return i;
}

static inline void
unbranch(struct walk *k, size_t depth, size_t j)
{
	size_t *o = k->order, i = o[depth];

	if (k->orders) {
		o[depth] = o[j];
		o[j] = i;
	}
}

/* Below a prefix of a block or more: each node a fork of its parent. */
static void
search_states(struct walk *k, const sha1_ctx *prefix, size_t depth,
    size_t from)
{
	sha1_ctx ctx;

	for (size_t j = k->orders ? depth : from; j < k->count; j++) {
		size_t i = branch(k, depth, j);

		ctx = *prefix;
		sha1_update(&ctx, k->values[i].data, k->values[i].len);
		if (depth + 1 == k->depth)
			visit_state(k, &ctx, depth + 1);
		else {
			sha1_ctx spent = ctx;

			visit_state(k, &spent, depth + 1);
			search_states(k, &ctx, depth + 1, i + 1);
		}
		unbranch(k, depth, j);
	}
}

/* The current message's node and all below it, to depth stop. */
static void
search(struct walk *k, size_t depth, size_t from, size_t stop)
{
	size_t len = k->len;

	visit(k, depth);
	if (depth == stop)
		return;
	if (len >= BLOCK && stop == k->depth) {
		sha1_ctx ctx;

		hasher_start(k->hasher, &ctx);
		sha1_update(&ctx, k->msg, len);
		search_states(k, &ctx, depth, from);
		return;
	}
	for (size_t j = k->orders ? depth : from; j < k->count; j++) {
		size_t i = branch(k, depth, j);

		append(k, i);
		if (depth + 1 == stop)
			visit(k, depth + 1);
		else
			search(k, depth + 1, i + 1, stop);
		k->len = len;
		unbranch(k, depth, j);
	}
}

/* The tasks: every node at depth split, in order; without prefix, counted. */
static void
collect(const struct learn *l, struct plan *p, size_t *order, bool *used,
    size_t depth, size_t from)
{
	if (depth == p->split) {
		if (p->prefix != NULL)
			memcpy(p->prefix + p->count * p->split, order,
			    p->split * sizeof(*order));
		p->count++;
		return;
	}
	for (size_t i = l->kind == LEARN_SUBSETS ? from : 0; i < l->count;
	    i++) {
		if (l->kind == LEARN_ORDERS && used[i])
			continue;
		used[i] = true;
		order[depth] = i;
		collect(l, p, order, used, depth + 1, i + 1);
		used[i] = false;
	}
}

static size_t
round_up(size_t n)
{
	return (n + LINE - 1) / LINE * LINE;
}

static bool
walk_init(struct walk *k, struct worker *w)
{
	const struct learn *l = w->l;
	size_t total = 0, orders, pieces, store, msg, size;
	struct piece *v;
	unsigned char *at;

	for (size_t i = 0; i < l->count; i++)
		total += l->values[i].len;
	memset(k, 0, sizeof(*k));
	k->count = l->count;
	k->depth = l->depth;
	k->orders = l->kind == LEARN_ORDERS;
	k->target = l->target;
	k->hasher = l->hasher;
	k->w = w;
	/* One block of whole lines: no other thread writes into them. */
	orders = round_up((l->count + 1) * sizeof(size_t));
	pieces = round_up((l->count + 1) * sizeof(struct piece));
	store = round_up(total + l->count * COPY + 1);
	/* The message, and a block after it for visit's copy. */
	msg = round_up(total + COPY + BLOCK + 1);
	size = orders + pieces + store + msg +
	    round_up(SHA1_LANES * (l->count + 1) * sizeof(size_t));
	if ((k->scratch = aligned_alloc(LINE, size)) == NULL)
		return false;
	memset(k->scratch, 0, size);
	k->order = (size_t *)(void *)k->scratch;
	k->values = v = (struct piece *)(void *)(k->scratch + orders);
	at = k->scratch + orders + pieces;
	for (size_t i = 0; i < l->count; i++) {
		if (l->values[i].len > 0)
			memcpy(at, l->values[i].data, l->values[i].len);
		v[i].data = at;
		v[i].len = l->values[i].len;
		at += l->values[i].len + COPY;
	}
	k->msg = k->scratch + orders + pieces + store;
	k->order_of = (size_t *)(void *)(k->msg + msg);
	if (!sha1_lanes_init(&k->lanes, l->hasher, total > BLOCK ? total :
	    BLOCK)) {
		free(k->scratch);
		return false;
	}
	return true;
}

static void
walk_free(struct walk *k)
{
	sha1_lanes_free(&k->lanes);
	free(k->scratch);
}

/* Sets the walk's prefix to task t: then (orders) the rest, in order. */
static void
enter(struct walk *k, const struct plan *p, size_t t)
{
	/* No prefixes at split 0: p->prefix may be NULL, and NULL + 0 is UB. */
	const size_t *prefix = p->split > 0 ? p->prefix + t * p->split : NULL;
	size_t rest = p->split;

	k->len = 0;
	for (size_t d = 0; d < p->split; d++) {
		k->order[d] = prefix[d];
		append(k, prefix[d]);
	}
	for (size_t i = 0; i < k->count && k->orders; i++) {
		bool in = false;

		for (size_t d = 0; d < p->split && !in; d++)
			in = prefix[d] == i;
		if (!in)
			k->order[rest++] = i;
	}
}

static void *
run_worker(void *arg)
{
	struct worker *w = arg;
	struct plan *p = w->plan;
	struct walk k;
	size_t t;

	if (!walk_init(&k, w)) {
		w->failed = true;
		return NULL;
	}
	if (w->shallow && p->split > 0) {
		for (size_t i = 0; i < k.count; i++)
			k.order[i] = i;
		search(&k, 0, 0, p->split - 1);
	}
	while ((t = atomic_fetch_add_explicit(&p->next, 1,
	    memory_order_relaxed)) < p->count) {
		enter(&k, p, t);
		search(&k, p->split, p->split == 0 ? 0 :
		    p->prefix[t * p->split + p->split - 1] + 1, k.depth);
	}
	flush(&k);
	w->tried = k.tried;
	walk_free(&k);
	return NULL;
}

static void
worker_free(struct worker *w)
{
	for (size_t i = 0; i < w->match_count; i++)
		free(w->matches[i].index);
	free(w->matches);
}

/* Takes the workers' matches: all, then the max_matches smallest. */
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
		if (w[i].match_count > 0)
			memcpy(l->matches + l->match_count, w[i].matches,
			    w[i].match_count * sizeof(*w[i].matches));
		l->match_count += w[i].match_count;
		w[i].match_count = 0;
	}
	l->match_count = keep_smallest(l->matches, l->match_count,
	    l->max_matches);
	return true;
}

/* The tasks for n threads: a depth with enough nodes to share out. */
static bool
plan_init(struct plan *p, const struct learn *l, unsigned n)
{
	size_t *order = NULL;
	bool *used = NULL;

	memset(p, 0, sizeof(*p));
	atomic_init(&p->next, 0);
	if (n > 1)
		while (p->split < l->depth && nodes_at(l->kind, l->count,
		    p->split) < (unsigned long)n * TASKS_PER_THREAD)
			p->split++;
	if (p->split == 0) {
		p->count = 1;
		return true;
	}
	if ((order = calloc(l->count + 1, sizeof(*order))) == NULL ||
	    (used = calloc(l->count + 1, sizeof(*used))) == NULL) {
		free(order);
		return false;
	}
	collect(l, p, order, used, 0, 0);
	if ((p->prefix = calloc(p->count, p->split * sizeof(*p->prefix))) ==
	    NULL) {
		free(order);
		free(used);
		return false;
	}
	p->count = 0;
	collect(l, p, order, used, 0, 0);
	free(order);
	free(used);
	return true;
}

bool
learn_run(struct learn *l, struct mh_error *e)
{
	struct worker w[MAX_THREADS];
	pthread_t thread[MAX_THREADS];
	bool started[MAX_THREADS] = { false };
	unsigned n = l->jobs > 1 ? l->jobs : 1;
	struct plan *p;
	int kind;
	bool ok;

	if (n > MAX_THREADS)
		n = MAX_THREADS;
	l->depth = l->count;
	l->matches = NULL;
	l->match_count = l->matched = 0;
	l->tried = 0;
	l->threads_used = 0;
	while (l->depth > 0 &&
	    learn_cost(l->kind, l->count, l->depth) > l->budget)
		l->depth--;
	if ((p = aligned_alloc(LINE, round_up(sizeof(*p)))) == NULL)
		return mh_no_memory(e);
	if (!plan_init(p, l, n)) {
		free(p);
		return mh_no_memory(e);
	}
	if (n > p->count)
		n = (unsigned)p->count;
	for (unsigned i = 0; i < n; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].l = l;
		w[i].plan = p;
	}
	w[0].shallow = true;
	kind = registers_wipe_kind();
	/*
	 * The key went through the vector registers, and the first
	 * pthread_create saves them on this stack (a lazy binding in libc).
	 * A thread that cannot start leaves its share to the others.
	 */
	if (n > 1)
		wipe_registers(kind);
	for (unsigned i = 1; i < n; i++)
		started[i] = pthread_create(&thread[i], NULL, run_worker,
		    &w[i]) == 0;
	run_worker(&w[0]);
	l->threads_used = 1;
	for (unsigned i = 1; i < n; i++)
		if (started[i]) {
			pthread_join(thread[i], NULL);
			l->threads_used++;
		}
	wipe_registers(kind);
	ok = gather(l, w, n, e);
	for (unsigned i = 0; i < n; i++)
		worker_free(&w[i]);
	free(p->prefix);
	free(p);
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
