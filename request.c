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

/* Deciding the method and its mechanism. */

/*
 * The action a method name reaches in the version's code: its own, an
 * old name's, or one of its documented names (-m user_details in X8).
 */
static const struct server_action *
route(const struct server_version *v, const char *name, size_t len,
    const struct method *doc)
{
	const struct server_action *a = server_route(v, name, len);
	struct method_param alias;
	const char *cursor;

	if (a != NULL || doc == NULL)
		return a;
	if ((a = server_route(v, doc->name, strlen(doc->name))) != NULL)
		return a;
	cursor = doc->aliases;
	while (a == NULL && method_list_next(&cursor, &alias))
		a = server_route(v, alias.name, alias.name_len);
	return a;
}

static void
use_list(struct plan *p, enum plan_basis basis, const char *list)
{
	p->kind = PLAN_LIST;
	p->basis = basis;
	p->list = list;
}

static bool
not_in_version(struct plan *p, const char *name, size_t len,
    struct mh_error *e)
{
	const struct method *doc = p->doc;

	if (p->action != NULL)
		return mh_fail(e, "%s routes '%s' to an action it does not "
		    "define", p->target.version->label, quote(name, len).text);
	return mh_fail(e, "%s has no API method '%s'%s%s%s",
	    p->target.version->label, quote(name, len).text,
	    doc->since[0] != '\0' ? " (documented since " : "",
	    doc->since, doc->since[0] != '\0' ? ")" : "");
}

/* Why the version's router sends .../api/NAME nowhere MOR's check runs. */
static bool
not_routed(const struct plan *p, const struct catalog *c, const char *name,
    size_t len, struct mh_error *e)
{
	const struct server_version *v = p->target.version;
	const char *who = request_target_name(&p->target);
	const struct server_action *other;
	char *copy;
	bool ok;

	if (p->action != NULL)
		return mor_answers(e, who, 404, "its router sends '%s' to an "
		    "action it does not define", quote(name, len).text);
	/* A newer name whose old one is this version's action (X3). */
	other = p->doc != NULL ? route(v, name, len, p->doc) : NULL;
	if (other != NULL)
		return mor_answers(e, who, 404, "it has no action '%s'; call "
		    ".../api/%s", quote(name, len).text,
		    SERVER_STR(other->name));
	if ((copy = strndup(name, len)) == NULL)
		return mh_no_memory(e);
	ok = mor_answers(e, who, 404, "it has no API method '%s'%s",
	    quote(name, len).text, p->doc != NULL ? " (newer than the "
	    "version)" : catalog_did_you_mean(c, copy).text);
	free(copy);
	return ok;
}

/*
 * M2's user_calls_get: the list of the action the request's api_name
 * names, if it has one (api_name itself is never hashed).
 */
static const struct server_action *
by_api_name(const struct request *r, const struct server_action *a)
{
	const struct param *name = request_last(r, "api_name", 8);
	const struct server_action *named;

	if (name == NULL || name->bare || name->nested)
		return a;
	named = server_action(r->plan.target.version, name->value,
	    name->value_len);
	return named != NULL && named->mechanism == SERVER_LIST ? named : a;
}

/* The server's own mechanism for action a (or the documentation's). */
static void
use_server(struct request *r, const struct server_action *a)
{
	struct plan *p = &r->plan;

	if (a->mechanism == SERVER_BY_API_NAME)
		a = by_api_name(r, a);
	if (a->check == CHECK_FILTER || a->check == CHECK_INLINE) {
		if (a->mechanism == SERVER_LIST) {
			use_list(p, BASIS_SERVER, SERVER_STR(a->list));
			p->server_list = true;
		} else {
			p->kind = PLAN_GLOBAL;
			p->basis = BASIS_SERVER;
		}
		return;
	}
	p->unchecked = true;
	if (p->doc != NULL)
		use_list(p, BASIS_DOCUMENTATION, p->doc->hashed);
	else {
		p->kind = PLAN_GLOBAL;
		p->basis = BASIS_SERVER;
	}
}

/*
 * What MOR does with the method the request names: the user's entry if
 * there is one, else the version's code, else (for methods newer than the
 * version's code) the documentation's order.  A name from the path is
 * the action the router found (m->routed); a name from -m may be any of
 * the method's names.  *known is false for a name nobody knows.
 */
struct method_name {
	const char			*name;		/* NULL: none */
	size_t				 len;
	bool				 from_path;
	bool				 unknown_ok;	/* --learn, -M */
	const char			*id;		/* the path's /ID */
	size_t				 id_len;
	const struct server_action	*routed;	/* by an old name */
};

static bool
resolve(struct request *r, const struct catalog *c,
    const struct method_name *m, bool *known, struct mh_error *e)
{
	struct plan *p = &r->plan;
	const struct server_version *v = p->target.version;
	const struct method *user = catalog_user(c, m->name, m->len);
	const struct server_action *a;

	p->doc = catalog_builtin(c, m->name, m->len);
	if (m->from_path)
		a = m->routed != NULL ? m->routed :
		    server_action(v, m->name, m->len);
	else
		a = route(v, m->name, m->len, p->doc);
	p->action = a;
	p->action_name = a != NULL ? SERVER_STR(a->name) : "";
	*known = user != NULL || p->doc != NULL || a != NULL;
	/* Documented methods newer than the version are taken as written. */
	if (m->from_path && user == NULL && (a != NULL ?
	    a->check == CHECK_MISSING : p->doc == NULL ? !m->unknown_ok :
	    !p->target.latest || route(v, m->name, m->len, p->doc) != NULL))
		return not_routed(p, c, m->name, m->len, e);
	if (!*known)
		return true;
	p->method = user != NULL ? user->name : p->doc != NULL ? p->doc->name :
	    p->action_name;
	if (user != NULL) {
		p->entry = user;
		if (user->global) {
			p->kind = PLAN_GLOBAL;
			p->basis = BASIS_USER;
		} else
			use_list(p, BASIS_USER, user->hashed);
		return true;
	}
	if (a != NULL && a->check == CHECK_HIDDEN) {
		mh_fail(e, "%s answers \"There is no such API\" for %s whatever "
		    "the hash (an earlier filter than the hash check)", v->label,
		    p->action_name);
		e->code = MH_E_MOR_ANSWERS;
		return false;
	}
	if (a != NULL && a->check != CHECK_MISSING) {
		use_server(r, a);
		return true;
	}
	if (p->doc == NULL || !p->target.latest)
		return not_in_version(p, m->name, m->len, e);
	use_list(p, BASIS_DOCUMENTATION, p->doc->hashed);
	return true;
}

/*
 * The method the request calls: the URL's path as the version's router
 * reads it (adding the path's id), else -m.  With both, they must agree:
 * MOR hashes what the path calls.
 */
static bool
method_name(struct request *r, const char *url,
    const struct request_options *o, struct method_name *m,
    struct mh_error *e)
{
	const char *who = request_target_name(&o->target);
	struct api_route rt;

	memset(m, 0, sizeof(*m));
	if (url != NULL) {
		if (!framework_route(o->target.version, who, url, &rt, e)) {
			free(rt.storage);
			return false;
		}
		if (!keep_owned(r, rt.storage, e))
			return false;
		if (rt.api) {
			m->name = rt.name;
			m->len = rt.name_len;
			m->from_path = true;
			m->routed = rt.alias;
			m->id = rt.id;
			m->id_len = rt.id_len;
		} else
			url_last_segment(url, &m->name, &m->len);
	}
	r->plan.path_name = m->name;
	r->plan.path_name_len = m->len;
	m->unknown_ok = o->unknown_ok;
	if (o->method != NULL && !m->from_path) {
		m->name = o->method;
		m->len = strlen(o->method);
	}
	return true;
}

/* -m with a URL whose path calls a method: the same one, by any name. */
static bool
same_method(const struct plan *p, const struct request_options *o,
    const struct method_name *m, struct mh_error *e)
{
	const struct method *doc;
	const struct server_action *a;
	size_t len = strlen(o->method);

	if (m->len == len && memcmp(m->name, o->method, len) == 0)
		return true;
	doc = catalog_builtin(o->catalog, o->method, len);
	a = route(p->target.version, o->method, len, doc);
	if ((a != NULL && a == p->action) || (doc != NULL && doc == p->doc))
		return true;
	return mh_fail(e, "-m %s, but the URL's path calls '%s', and MOR "
	    "hashes what the path calls", quote_str(o->method).text,
	    quote(m->name, m->len).text);
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
	if (!method_name(r, url, o, &m, e))
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
	    !resolve(r, o->catalog, &m, &known, e))
		return false;
	if (known && o->method != NULL && m.from_path &&
	    !same_method(p, o, &m, e))
		return false;
	if (!known && o->method != NULL && !o->unknown_ok)
		return catalog_unknown(o->catalog, o->method, e);
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

/* X8: u=admin with quickstats_get (or api_path naming it): key alone. */
static bool
quickstats_admin(const struct request *r)
{
	size_t u = last_param(r, "u", 1), path;

	if (!r->plan.server_list || !r->plan.target.version->quickstats_quirk ||
	    u == NO_PARAM || r->params[u].bare ||
	    !is_named(r->params[u].value, r->params[u].value_len, "admin"))
		return false;
	if (strcmp(r->plan.action_name, "quickstats_get") == 0)
		return true;
	/* Ruby's include?: bytes of a String (NUL too), an Array's elements. */
	path = last_param(r, "api_path", 8);
	if (path == NO_PARAM || r->params[path].bare)
		return false;
	if (r->params[path].origin == FROM_RACK)
		return r->params[path].includes_quickstats;
	return memmem_bytes(r->params[path].value, r->params[path].value_len,
	    "quickstats_get", 14);
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
	/* An admin's quickstats_get: the key alone, as MOR X8 does. */
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
