/*
 * request-method.c - which method a request calls and how MOR hashes it:
 * the URL's path as the version's router reads it, or -m; then the
 * user's entry, the version's code (a list, the global order, M2's
 * api_name), or the documentation's order; a name that MOR answers 404
 * for is refused, with a suggestion.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framework.h"
#include "request-impl.h"

const struct server_action *
method_route(const struct server_version *v, const char *name, size_t len,
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
	other = p->doc != NULL ? method_route(v, name, len, p->doc) : NULL;
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
bool
resolve_method(struct request *r, const struct catalog *c,
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
		a = method_route(v, m->name, m->len, p->doc);
	p->action = a;
	p->action_name = a != NULL ? SERVER_STR(a->name) : "";
	*known = user != NULL || p->doc != NULL || a != NULL;
	/* Documented methods newer than the version are taken as written. */
	if (m->from_path && user == NULL && (a != NULL ?
	    a->check == CHECK_MISSING : p->doc == NULL ? !m->unknown_ok :
	    !p->target.latest || method_route(v, m->name, m->len, p->doc) != NULL))
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
bool
find_method_name(struct request *r, const char *url,
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
bool
same_method(const struct plan *p, const struct request_options *o,
    const struct method_name *m, struct mh_error *e)
{
	const struct method *doc;
	const struct server_action *a;
	size_t len = strlen(o->method);

	if (m->len == len && memcmp(m->name, o->method, len) == 0)
		return true;
	doc = catalog_builtin(o->catalog, o->method, len);
	a = method_route(p->target.version, o->method, len, doc);
	if ((a != NULL && a == p->action) || (doc != NULL && doc == p->doc))
		return true;
	return mh_fail(e, "-m %s, but the URL's path calls '%s', and MOR "
	    "hashes what the path calls", quote_str(o->method).text,
	    quote(m->name, m->len).text);
}

/*
 * resolve_method's choice for -m doc->name without a user's entry, as a
 * line of the user's table: the plan is mapped, never decided again
 * here.  tests/methods.bats checks the two agree for every method and
 * version.
 */
void
method_kept_line(const struct catalog *c, const struct method *doc,
    const struct mor_target *t, struct kept_line *out)
{
	/* The built-in rows alone: the user's entry is what the line replaces. */
	const struct catalog builtin = { .builtin = c->builtin,
	    .builtin_count = c->builtin_count };
	const struct method_name m = { .name = doc->name,
	    .len = strlen(doc->name) };
	const struct plan *p;
	struct request r;
	struct mh_error e;
	bool known;

	request_init(&r);
	r.plan.target = *t;
	p = &r.plan;
	out->kept = resolve_method(&r, &builtin, &m, &known, &e);
	out->global = p->kind == PLAN_GLOBAL;
	out->hashed = p->kind == PLAN_LIST ? p->list : doc->hashed;
	/*
	 * A refusal (the version lacks it, or answers whatever the hash)
	 * has no line.  Nor has the list of the action api_name names: no
	 * line says "if".
	 */
	if (out->kept && p->action != NULL &&
	    p->action->mechanism == SERVER_BY_API_NAME)
		out->kept = false;
	/*
	 * For a list of u alone, u!=admin says what the quirk does; a longer
	 * list no line can empty.  (Its api_path half no line can say.)
	 */
	else if (out->kept && admin_empties_list(p) && p->list[0] != '\0') {
		if (strcmp(p->list, "u") == 0)
			out->hashed = "u!=admin";
		else
			out->kept = false;
	}
	request_free(&r);
}
