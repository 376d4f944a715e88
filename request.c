/*
 * request.c - which values MOR's server hashes for a request.
 *
 * MOR has two mechanisms (see server.h): a per-method list, or a global
 * order over every parameter sent, with value rules.  request_plan picks
 * one for the method and finds, once, which parameter each step reads;
 * request_select then applies it to the current values, so that --batch
 * pays for the lookup once, not per record.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framework.h"
#include "request.h"
#include "request-impl.h"

struct step {
	const char			*name;
	size_t				 name_len;
	size_t				 param;		/* or NO_PARAM */
	const struct order_entry	*rule;		/* PLAN_GLOBAL */
	bool				 has_unless;	/* NAME!=VALUE */
	const char			*unless;
	size_t				 unless_len;
};

void
request_init(struct request *r)
{
	memset(r, 0, sizeof(*r));
}

static void
notes_clear(struct notes *n)
{
	for (size_t i = 0; i < n->count; i++)
		free(n->text[i]);
	n->count = 0;
}

static void
notes_free(struct notes *n)
{
	notes_clear(n);
	free(n->text);
	memset(n, 0, sizeof(*n));
}

bool
note(struct notes *n, struct mh_error *e, const char *fmt, ...)
{
	char buf[MH_ERROR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n->count == n->cap) {
		size_t cap = n->cap ? 2 * n->cap : 8;
		char **text = realloc(n->text, cap * sizeof(*text));

		if (text == NULL)
			return mh_no_memory(e);
		n->text = text;
		n->cap = cap;
	}
	if ((n->text[n->count] = strdup(buf)) == NULL)
		return mh_no_memory(e);
	n->count++;
	return true;
}

void
request_free(struct request *r)
{
	free(r->params);
	free(r->steps);
	free(r->hashed);
	notes_free(&r->notes);
	notes_free(&r->value_notes);
	free(r->duplicates);
	for (size_t i = 0; i < r->owned_count; i++)
		free(r->owned[i]);
	free(r->owned);
	free(r->replaced);
	memset(r, 0, sizeof(*r));
}

bool
keep_owned(struct request *r, char *s, struct mh_error *e)
{
	if (r->owned_count == r->owned_cap) {
		size_t cap = r->owned_cap ? 2 * r->owned_cap : 4;
		char **owned = realloc(r->owned, cap * sizeof(*owned));

		if (owned == NULL) {
			free(s);
			return mh_no_memory(e);
		}
		r->owned = owned;
		r->owned_cap = cap;
	}
	r->owned[r->owned_count++] = s;
	return true;
}

static bool
reserve(struct request *r, size_t more, struct mh_error *e)
{
	struct param *params;
	size_t cap;

	if (r->count + more <= r->cap)
		return true;
	cap = r->count + more + 8;
	if ((params = realloc(r->params, cap * sizeof(*params))) == NULL)
		return mh_no_memory(e);
	r->params = params;
	r->cap = cap;
	return true;
}

bool
request_add(struct request *r, const char *name, size_t name_len,
    const char *value, size_t value_len, enum origin origin,
    struct mh_error *e)
{
	struct param *p;

	if (!reserve(r, 1, e))
		return false;
	p = &r->params[r->count++];
	memset(p, 0, sizeof(*p));
	p->name = name;
	p->name_len = name_len;
	p->value = value;
	p->value_len = value_len;
	p->origin = origin;
	return true;
}

bool
is_named(const char *name, size_t len, const char *word)
{
	return len == strlen(word) && memcmp(name, word, len) == 0;
}

bool
request_add_assignment(struct request *r, const char *arg, enum origin origin,
    const char *what, struct mh_error *e)
{
	const char *eq = strchr(arg, '=');
	size_t name_len;

	if (eq == NULL)
		return mh_fail(e, "%s '%s' is not NAME=VALUE", what,
		    quote_str(arg).text);
	name_len = (size_t)(eq - arg);
	if (name_len == 0)
		return mh_fail(e, "'%s' has an empty parameter name",
		    quote_str(arg).text);
	if (is_named(arg, name_len, "hash"))
		return mh_fail(e, "hash is the parameter mor-hash adds; do not "
		    "give it");
	return request_add(r, arg, name_len, eq + 1, strlen(eq + 1), origin, e);
}

bool
request_add_query(struct request *r, const char *uri, enum origin origin,
    struct mh_error *e)
{
	size_t start, end, bad;
	struct query q;

	if (uri[0] == '\0')
		return mh_fail(e, "the URI is empty");
	uri_query(uri, &start, &end);
	if (!query_parse(&q, uri, start, end - start, &bad)) {
		if (bad == (size_t)-1)
			return mh_no_memory(e);
		/* Rack's decoder raises, in every version. */
		return mor_answers(e, "MOR", 500, "malformed %% escape at byte "
		    "%zu of the URI: '%s'", bad + 1, quote(uri + bad,
		    strnlen(uri + bad, 3)).text);
	}
	/* The decoded bytes live as long as the request (freed with it). */
	if (!keep_owned(r, q.storage, e) ||
	    (q.count > 0 && !reserve(r, q.count, e))) {
		free(q.params);
		return false;
	}
	for (size_t i = 0; i < q.count; i++)
		q.params[i].origin = origin;
	if (q.count > 0)
		memcpy(r->params + r->count, q.params,
		    q.count * sizeof(*q.params));
	r->count += q.count;
	free(q.params);
	return true;
}

const struct param *
request_hash_param(const struct request *r)
{
	size_t i = last_param(r, "hash", 4);

	if (i == NO_PARAM || (r->params[i].origin != FROM_QUERY &&
	    r->params[i].origin != FROM_RACK))
		return NULL;
	return &r->params[i];
}

const char *
request_target_name(const struct mor_target *t)
{
	return t->latest ? "MOR" : t->version->label;
}

/* The last parameter of that name, or NO_PARAM: MOR keeps the last. */
size_t
last_param(const struct request *r, const char *name, size_t len)
{
	for (size_t i = r->count; i-- > 0;)
		if (r->params[i].name_len == len && !r->params[i].folded &&
		    memcmp(r->params[i].name, name, len) == 0)
			return i;
	return NO_PARAM;
}

const struct param *
request_last(const struct request *r, const char *name, size_t len)
{
	size_t i = last_param(r, name, len);

	return i != NO_PARAM ? &r->params[i] : NULL;
}

/* After request_plan (index_names). */
bool
is_last_of_name(const struct request *r, size_t i)
{
	return !r->params[i].folded && !r->params[i].superseded;
}

/* Steps: which parameter each value of the hash comes from. */

static bool
add_step(struct request *r, const char *name, size_t len, size_t param,
    struct mh_error *e)
{
	struct step *s, *steps;

	steps = realloc(r->steps, (r->step_count + 1) * sizeof(*steps));
	if (steps == NULL)
		return mh_no_memory(e);
	r->steps = steps;
	s = &r->steps[r->step_count++];
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->name_len = len;
	s->param = param;
	return true;
}

static bool
plan_global_steps(struct request *r, struct mh_error *e)
{
	const struct server_version *v = r->plan.target.version;
	const struct order_entry *order = server_order + v->order_first;

	for (size_t i = 0; i < v->order_count; i++) {
		const char *name = SERVER_STR(order[i].name);
		size_t len = strlen(name), p = last_param(r, name, len);

		if (p == NO_PARAM)
			continue;
		if (!add_step(r, name, len, p, e))
			return false;
		r->steps[r->step_count - 1].rule = &order[i];
	}
	return true;
}

static bool
plan_list_steps(struct request *r, struct mh_error *e)
{
	const char *cursor = r->plan.list;
	struct method_param mp;

	while (method_list_next(&cursor, &mp)) {
		struct step *s;

		if (!add_step(r, mp.name, mp.name_len,
		    last_param(r, mp.name, mp.name_len), e))
			return false;
		s = &r->steps[r->step_count - 1];
		s->has_unless = mp.has_unless;
		s->unless = mp.unless;
		s->unless_len = mp.unless_len;
	}
	return true;
}

static bool
plan_named_steps(struct request *r, struct mh_error *e)
{
	for (size_t i = 0; i < r->plan.name_count; i++) {
		const char *name = r->plan.names[i];
		size_t len = strlen(name), p = last_param(r, name, len);

		if (p == NO_PARAM)
			return mh_fail(e, "the URI has no parameter '%s'",
			    quote_str(name).text);
		if (!add_step(r, name, len, p, e))
			return false;
	}
	return true;
}

/*
 * Without a method: what was given here, in order; -p, the query already
 * in --url's URL, and hash aside.
 */
static bool
plan_as_given_steps(struct request *r, struct mh_error *e)
{
	for (size_t i = 0; i < r->count; i++) {
		const struct param *p = &r->params[i];

		if (p->origin == FROM_FIXED || p->origin == FROM_PATH ||
		    p->origin == FROM_URL ||
		    is_named(p->name, p->name_len, "hash") ||
		    !is_last_of_name(r, i))
			continue;
		if (!add_step(r, p->name, p->name_len, i, e))
			return false;
	}
	return true;
}

/*
 * X3/X5 refuse a query that is not UTF-8 (500).  X8's sanitizer replaces
 * every byte 0x80-0xFF of such a query with U+FFFD: sets r->replace.
 */
static bool
check_utf8(struct request *r, struct notes *notes, struct mh_error *e)
{
	const struct server_version *v = r->plan.target.version;
	size_t bad = first_not_utf8(r);

	r->replace = bad != NO_PARAM;
	if (!r->replace)
		return true;
	if (!v->sanitizer)
		return mor_answers(e, request_target_name(&r->plan.target), 500,
		    "parameter '%s' is not valid UTF-8",
		    quote(r->params[bad].name, r->params[bad].name_len).text);
	return notes == NULL || note(notes, e, "parameter '%s' is not valid "
	    "UTF-8: %s replaces every byte 0x80-0xFF of the query with U+FFFD, "
	    "and hashes that", quote(r->params[bad].name,
	    r->params[bad].name_len).text, v->label);
}

/* Rack, before the route: spaces, UTF-8, bracketed names. */
static bool
read_as_rack(struct request *r, struct mh_error *e)
{
	return drop_separator_spaces(r, e) && check_utf8(r, &r->notes, e) &&
	    nest_params(r, e);
}

bool
request_plan(struct request *r, const char *url,
    const struct request_options *o, struct mh_error *e)
{
	struct plan *p = &r->plan;
	struct method_name m;
	bool known = false;

	memset(p, 0, sizeof(*p));
	p->target = o->target;
	p->action_name = "";
	if (!find_method_name(r, url, o, &m, e))
		return false;
	/* MOR's framework reads a request to MOR's API, or to a method. */
	p->framework = m.from_path || o->method != NULL;
	if (p->framework && !read_as_rack(r, e))
		return false;
	/* Path parameters replace query ones: the id goes last. */
	if (m.id != NULL && !request_add(r, "id", 2, m.id, m.id_len,
	    FROM_PATH, e))
		return false;
	if (!index_names(r, &r->duplicates, &r->duplicate_count, e))
		return false;
	if (o->name_count > 0) {
		p->kind = PLAN_NAMED;
		p->names = o->names;
		p->name_count = o->name_count;
		return plan_named_steps(r, e);
	}
	if (!o->no_method && m.name != NULL &&
	    !resolve_method(r, o->catalog, &m, &known, e))
		return false;
	if (known && o->method != NULL && m.from_path &&
	    !same_method(p, o, &m, e))
		return false;
	if (!known && o->method != NULL && !o->unknown_ok)
		return catalog_unknown(o->catalog, o->method, e);
	if (o->global_order) {
		p->kind = PLAN_GLOBAL;
		p->basis = BASIS_SERVER;
		p->server_list = false;
		known = true;
	}
	if (!known) {
		p->kind = PLAN_AS_GIVEN;
		p->basis = BASIS_NONE;
		p->method = NULL;
		if (!plan_as_given_steps(r, e))
			return false;
		return note_names(r, e);
	}
	if (!(p->kind == PLAN_GLOBAL ? plan_global_steps(r, e) :
	    plan_list_steps(r, e)))
		return false;
	return note_names(r, e);
}

/* Applying the plan to the values. */

static bool
add_hashed(struct request *r, const struct step *s, const struct param *p,
    const char *value, size_t len, struct mh_error *e)
{
	struct hashed *h;

	if (r->hashed == NULL &&
	    (r->hashed = calloc(r->step_count + 1, sizeof(*r->hashed))) == NULL)
		return mh_no_memory(e);
	h = &r->hashed[r->hashed_count++];
	h->param = p;
	h->name = s->name;
	h->name_len = s->name_len;
	h->value = value;
	h->value_len = len;
	return true;
}

static bool
select_global(struct request *r, const struct step *s, struct mh_error *e)
{
	const struct param *p = &r->params[s->param];
	struct quoted name = quote(s->name, s->name_len);
	struct slice out;

	if (p->bare)
		return note(&r->value_notes, e, "%s has no '=': MOR does not "
		    "hash a bare name", name.text);
	/* Ruby's text of an Array or Hash passes raw rules, and mtype's. */
	if (p->nested && s->rule->rule != RULE_RAW &&
	    s->rule->rule != RULE_RAW_EXCEPT &&
	    s->rule->rule != RULE_DIGITS_OR_NESTED)
		return note(&r->value_notes, e, "%s is an Array or Hash: MOR "
		    "does not hash it", name.text);
	if (p->nested && s->rule->rule == RULE_DIGITS_OR_NESTED)
		return add_hashed(r, s, p, p->value, p->value_len, e);
	if (!server_rule_apply(s->rule, p->value, p->value_len,
	    r->plan.action_name, &out)) {
		if (s->rule->rule == RULE_NEVER ||
		    s->rule->rule == RULE_RAW_EXCEPT)
			return true;
		return note(&r->value_notes, e, "%s '%s' is not hashed by MOR: "
		    "%s (%s)", name.text, quote(p->value, p->value_len).text,
		    server_rule_reason(s->rule->rule), SERVER_STR(s->rule->arg)[0] ?
		    SERVER_STR(s->rule->arg) : server_rule_name(s->rule->rule));
	}
	if ((out.data != p->value || out.len != p->value_len) &&
	    !note(&r->value_notes, e, "%s '%s' is hashed by MOR as '%s'",
	    name.text, quote(p->value, p->value_len).text,
	    quote(out.data, out.len).text))
		return false;
	return add_hashed(r, s, p, out.data, out.len, e);
}

bool
admin_empties_list(const struct plan *p)
{
	const char *action = SERVER_STR(p->target.version->quickstats);

	return p->server_list && action[0] != '\0' &&
	    strcmp(p->action_name, action) == 0;
}

/* The quickstats quirk: u=admin, and its action or an api_path naming it. */
static bool
quickstats_admin(const struct request *r)
{
	const char *action = SERVER_STR(r->plan.target.version->quickstats);
	size_t u = last_param(r, "u", 1), path;

	if (!r->plan.server_list || action[0] == '\0' || u == NO_PARAM ||
	    r->params[u].bare ||
	    !is_named(r->params[u].value, r->params[u].value_len, "admin"))
		return false;
	if (admin_empties_list(&r->plan))
		return true;
	/* Ruby's include?: bytes of a String (NUL too), an Array's elements. */
	path = last_param(r, "api_path", 8);
	if (path == NO_PARAM || r->params[path].bare)
		return false;
	if (r->params[path].origin == FROM_RACK)
		return r->params[path].includes_quickstats;
	return memmem_bytes(r->params[path].value, r->params[path].value_len,
	    action, strlen(action));
}

static bool
select_listed(struct request *r, const struct step *s, struct mh_error *e)
{
	const struct param *p;

	if (s->param == NO_PARAM)
		return true;
	p = &r->params[s->param];
	if (s->has_unless && p->value_len == s->unless_len &&
	    memcmp(p->value, s->unless, s->unless_len) == 0)
		return true;
	return add_hashed(r, s, p, p->value, p->bare ? 0 : p->value_len, e);
}

/*
 * Every checked action converts balance to a decimal after the check:
 * an Array, a Hash or a NUL byte makes that raise.
 */
static bool
check_balance(const struct request *r, struct mh_error *e)
{
	const struct server_action *a = r->plan.action;
	size_t i = last_param(r, "balance", 7);

	if (a == NULL || i == NO_PARAM || r->params[i].bare ||
	    (a->check != CHECK_FILTER && a->check != CHECK_INLINE))
		return true;
	if (r->params[i].nested)
		return mor_answers(e, request_target_name(&r->plan.target), 500,
		    "balance is an Array or Hash, which it cannot convert to "
		    "a number");
	if (memchr(r->params[i].value, '\0', r->params[i].value_len) != NULL)
		return mor_answers(e, request_target_name(&r->plan.target), 500,
		    "balance holds a NUL byte, which it cannot convert to a "
		    "number");
	return true;
}

/* The hashed values as X8's sanitizer leaves them: U+FFFD for 0x80-0xFF. */
static bool
replace_hashed(struct request *r, struct mh_error *e)
{
	size_t need = 0, used = 0;

	for (size_t i = 0; i < r->hashed_count; i++)
		need += utf8_replaced_len(r->hashed[i].value,
		    r->hashed[i].value_len);
	if (need >= r->replaced_cap) {
		char *buf = realloc(r->replaced, need + 1);

		if (buf == NULL)
			return mh_no_memory(e);
		r->replaced = buf;
		r->replaced_cap = need + 1;
	}
	for (size_t i = 0; i < r->hashed_count; i++) {
		struct hashed *h = &r->hashed[i];

		/* Rack's values were built of replaced bytes already. */
		if (h->param != NULL && (h->param->origin == FROM_RACK ||
		    h->param->origin == FROM_PATH))
			continue;
		h->value_len = utf8_replace(r->replaced + used, h->value,
		    h->value_len);
		h->value = r->replaced + used;
		used += h->value_len;
	}
	return true;
}

bool
request_select(struct request *r, struct mh_error *e)
{
	bool planned = r->replace;

	r->hashed_count = 0;
	notes_clear(&r->value_notes);
	/* A --batch record's values are new: check them again. */
	if (r->plan.framework && (!check_utf8(r, planned ? NULL :
	    &r->value_notes, e) || !check_balance(r, e)))
		return false;
	/* An admin's quickstats: the key alone, as MOR X8 does. */
	if (r->plan.kind == PLAN_LIST && quickstats_admin(r))
		return true;
	for (size_t i = 0; i < r->step_count; i++) {
		const struct step *s = &r->steps[i];

		if (!(r->plan.kind == PLAN_GLOBAL ? select_global(r, s, e) :
		    select_listed(r, s, e)))
			return false;
	}
	return !r->replace || replace_hashed(r, e);
}

void
request_digest(const struct request *r, const struct hasher *h,
    unsigned char digest[SHA1_DIGEST_LEN])
{
	sha1_ctx ctx;

	hasher_start(h, &ctx);
	for (size_t i = 0; i < r->hashed_count; i++)
		sha1_update(&ctx, r->hashed[i].value, r->hashed[i].value_len);
	hasher_finish(h, &ctx, digest);
}
