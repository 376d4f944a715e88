/*
 * request-rack.c - the request's parameters as Rack hands them to MOR:
 * spaces after a separator (dropped by X3/X5), invalid UTF-8 (refused by
 * X3/X5, replaced by X8's sanitizer), bracketed names built into Arrays
 * and Hashes (framework.c), Rack's limit on names, and which parameter
 * of each name is the last, found once by sorting so that a request of
 * n parameters costs n log n, not n squared.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <stdlib.h>
#include <string.h>

#include "framework.h"
#include "request-impl.h"

/* Whether the parameter went into the query that Rack parses. */
static bool
in_query(const struct param *p)
{
	return p->origin != FROM_PATH && p->origin != FROM_RACK && !p->folded;
}

bool
drop_separator_spaces(struct request *r, struct mh_error *e)
{
	const struct server_version *v = r->plan.target.version;
	const char *who = request_target_name(&r->plan.target);

	for (size_t i = 0; i < r->count; i++) {
		struct param *p = &r->params[i];
		size_t n = p->lead_spaces;

		if (n == 0)
			continue;
		if (v->sanitizer)
			continue;
		p->name += n;
		p->name_len -= n;
		p->lead_spaces = 0;
		if (!note(&r->notes, e, "a raw space after '&' or ';' is not "
		    "valid in a URI; %s drops it (parameter '%s'), while X8 "
		    "and M2 keep it in the name", who,
		    quote(p->name, p->name_len).text))
			return false;
	}
	return true;
}

/* The first parameter that is not UTF-8, or NO_PARAM. */
size_t
first_not_utf8(const struct request *r)
{
	for (size_t i = 0; i < r->count; i++) {
		const struct param *p = &r->params[i];

		if (in_query(p) && (!utf8_valid(p->name, p->name_len) ||
		    !utf8_valid(p->value, p->value_len)))
			return i;
	}
	return NO_PARAM;
}

/* Parameters sorted by (name, position): equal names side by side. */
struct named {
	const char	*name;
	size_t		 len;
	size_t		 index;
};

static int
compare_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

static void
qsort_indices(size_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), compare_size);
}

static int
compare_named(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = memcmp(x->name, y->name, x->len < y->len ? x->len : y->len);

	if (c != 0)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* The parameters that pass keep, by top-level key or by plain name. */
static struct named *
sorted_names(const struct request *r, bool (*keep)(const struct param *),
    bool by_key, size_t *count)
{
	struct named *all = malloc((r->count + 1) * sizeof(*all));
	size_t n = 0;

	if (all == NULL)
		return NULL;
	for (size_t i = 0; i < r->count; i++) {
		const struct param *p = &r->params[i];

		if (!keep(p))
			continue;
		all[n].index = i;
		if (by_key)
			rack_key(p->name, p->name_len, &all[n].name,
			    &all[n].len);
		else {
			all[n].name = p->name;
			all[n].len = p->name_len;
		}
		n++;
	}
	qsort(all, n, sizeof(*all), compare_named);
	*count = n;
	return all;
}

static size_t
group_end(const struct named *all, size_t from, size_t count)
{
	size_t to = from + 1;

	while (to < count && all[to].len == all[from].len &&
	    memcmp(all[to].name, all[from].name, all[from].len) == 0)
		to++;
	return to;
}

/* UTF-8 characters, as Ruby counts a String's size. */
static size_t
characters(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

static bool
keep_query_param(const struct param *p)
{
	return in_query(p);
}

/* *s as the sanitizer leaves it, in a copy the request keeps. */
static bool
sanitized(struct request *r, const char **s, size_t *len, struct mh_error *e)
{
	size_t need = utf8_replaced_len(*s, *len);
	char *copy;

	if (need == *len)
		return true;
	if ((copy = malloc(need)) == NULL)
		return mh_no_memory(e);
	*len = utf8_replace(copy, *s, *len);
	*s = copy;
	return keep_owned(r, copy, e);
}

/*
 * Builds one FROM_RACK parameter of the pieces all[from..to) (one key,
 * in the order sent), and folds them into it.
 */
static bool
build_group(struct request *r, const struct named *all, size_t from,
    size_t to, struct mh_error *e)
{
	const char *who = request_target_name(&r->plan.target);
	/* The api_path half of the quirk asks Ruby's include? of its action. */
	const char *quickstats = SERVER_STR(r->plan.target.version->quickstats);
	struct rack_piece *pieces = malloc((to - from) * sizeof(*pieces));
	struct rack_value value;
	struct param *p;
	size_t last = all[to - 1].index;
	bool ok;

	if (pieces == NULL)
		return mh_no_memory(e);
	for (size_t i = from; i < to; i++) {
		const struct param *q = &r->params[all[i].index];
		struct rack_piece *piece = &pieces[i - from];

		piece->name = q->name;
		piece->name_len = q->name_len;
		piece->value = q->bare ? NULL : q->value;
		piece->value_len = q->value_len;
		if (r->replace && (!sanitized(r, &piece->name,
		    &piece->name_len, e) || (piece->value != NULL &&
		    !sanitized(r, &piece->value, &piece->value_len, e)))) {
			free(pieces);
			return false;
		}
	}
	ok = rack_build(r->plan.target.version, who, pieces, to - from,
	    quickstats[0] != '\0' ? quickstats : NULL, &value, e);
	free(pieces);
	if (!ok || (value.text != NULL && !keep_owned(r, value.text, e)))
		return false;
	for (size_t i = from; i < to; i++)
		r->params[all[i].index].folded = true;
	if (!request_add(r, all[from].name, all[from].len, value.bare ? "" :
	    value.text, value.bare ? 0 : value.len, FROM_RACK, e))
		return false;
	p = &r->params[r->count - 1];
	p->bare = value.bare;
	p->nested = value.nested;
	p->includes_quickstats = value.includes_probe;
	p->raw_start = r->params[last].raw_start;
	p->raw_end = r->params[last].raw_end;
	return true;
}

static bool
has_nested_name(const struct request *r, const struct named *all, size_t from,
    size_t to)
{
	for (size_t i = from; i < to; i++)
		if (rack_is_nested(r->params[all[i].index].name,
		    r->params[all[i].index].name_len))
			return true;
	return false;
}

/*
 * Rack: bracketed names become Arrays and Hashes, each with the flat
 * pieces of its name; more than RACK_KEY_SPACE characters of distinct
 * names make it raise.  The values must be what the sanitizer left.
 */
bool
nest_params(struct request *r, struct mh_error *e)
{
	const char *who = request_target_name(&r->plan.target);
	size_t count, space = 0;
	struct named *all = sorted_names(r, keep_query_param, true, &count);
	bool ok = true;

	if (all == NULL)
		return mh_no_memory(e);
	for (size_t from = 0, to; ok && from < count; from = to) {
		to = group_end(all, from, count);
		if (all[from].len == 0)
			continue;	/* Rack drops an empty name */
		space += characters(all[from].name, all[from].len);
		if (has_nested_name(r, all, from, to))
			ok = build_group(r, all, from, to, e);
	}
	if (ok && space > RACK_KEY_SPACE)
		ok = mor_answers(e, who, 500, "the request's names take more "
		    "than %d characters, Rack's limit", RACK_KEY_SPACE);
	free(all);
	return ok;
}

static bool
keep_unfolded(const struct param *p)
{
	return !p->folded;
}

/*
 * Marks every parameter that a later one of the same name replaces, and
 * returns (in *first, in the order sent) the first parameter of each
 * name given more than once from the query or the operands.
 */
bool
index_names(struct request *r, size_t **first, size_t *first_count,
    struct mh_error *e)
{
	size_t count, n = 0;
	struct named *all = sorted_names(r, keep_unfolded, false, &count);

	*first = NULL;
	*first_count = 0;
	if (all == NULL || (*first = malloc((count + 1) *
	    sizeof(**first))) == NULL) {
		free(all);
		return mh_no_memory(e);
	}
	for (size_t i = 0; i < r->count; i++)
		r->params[i].superseded = false;
	for (size_t from = 0, to; from < count; from = to) {
		to = group_end(all, from, count);
		for (size_t i = from; i + 1 < to; i++)
			r->params[all[i].index].superseded = true;
		if (to - from > 1 &&
		    r->params[all[from].index].origin != FROM_PATH &&
		    r->params[all[to - 1].index].origin != FROM_PATH)
			(*first)[n++] = all[from].index;
	}
	free(all);
	qsort_indices(*first, n);
	*first_count = n;
	return true;
}
