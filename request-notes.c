/*
 * request-notes.c - the warnings a request draws from the names it sends:
 * duplicates, parameters the method does not take, parameters hashed only
 * because of the global order, required ones missing.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <string.h>

#include "request-impl.h"

/* u, p and test go with nearly every call, hashed or not. */
static bool
commonly_sent(const struct param *p)
{
	return is_named(p->name, p->name_len, "u") ||
	    is_named(p->name, p->name_len, "p") ||
	    is_named(p->name, p->name_len, "test") ||
	    is_named(p->name, p->name_len, "hash") ||
	    is_named(p->name, p->name_len, "action");
}

/* Whether the plan hashes a parameter of that name when it is sent. */
static bool
plan_hashes(const struct request *r, const char *name, size_t len)
{
	const struct order_entry *entry;

	switch (r->plan.kind) {
	case PLAN_GLOBAL:
		entry = server_order_find(r->plan.target.version, name, len);
		return entry != NULL && entry->rule != RULE_NEVER &&
		    (entry->rule != RULE_RAW_EXCEPT ||
		    strcmp(SERVER_STR(entry->arg), r->plan.action_name) != 0);
	case PLAN_LIST:
		return method_list_has(r->plan.list, name, len);
	default:
		return true;
	}
}

static bool
note_duplicates(struct request *r, struct mh_error *e)
{
	for (size_t i = 0; i < r->duplicate_count; i++) {
		const struct param *p = &r->params[r->duplicates[i]];

		if (!note(&r->notes, e, "parameter '%s' is given more than "
		    "once; MOR uses the last", quote(p->name, p->name_len).text))
			return false;
	}
	return true;
}

static bool
note_param(struct request *r, const struct method *ref, const struct param *p,
    struct mh_error *e)
{
	const char *who = request_target_name(&r->plan.target);
	struct quoted name = quote(p->name, p->name_len);
	/* A (global) entry names the method's parameters in OTHER. */
	bool documented = method_list_has(ref->hashed, p->name, p->name_len) ||
	    (ref->global && method_list_has(ref->other, p->name, p->name_len));

	if (plan_hashes(r, p->name, p->name_len)) {
		if (r->plan.kind == PLAN_GLOBAL && !documented)
			return note(&r->notes, e, "parameter '%s' is hashed "
			    "only because %s hashes every parameter of its "
			    "global order; method %s does not use it",
			    name.text, who, r->plan.method);
		return true;
	}
	if (documented)
		return note(&r->notes, e, "%s does not hash parameter '%s' of "
		    "method %s; it is sent but not hashed", who, name.text,
		    r->plan.method);
	if (!method_list_has(ref->other, p->name, p->name_len))
		return note(&r->notes, e, "method %s does not take parameter "
		    "'%s'; it is sent but not hashed", r->plan.method,
		    name.text);
	return true;
}

bool
note_names(struct request *r, struct mh_error *e)
{
	const struct method *ref = r->plan.entry != NULL ? r->plan.entry :
	    r->plan.doc;
	const char *cursor;
	struct method_param mp;

	if (r->plan.kind != PLAN_NAMED && !note_duplicates(r, e))
		return false;
	if (r->plan.unchecked && !note(&r->notes, e, "%s does not check the "
	    "hash of %s; this one follows its documentation",
	    r->plan.target.version->label, r->plan.action_name))
		return false;
	if (ref == NULL || r->plan.method == NULL)
		return true;
	for (size_t i = 0; i < r->count; i++)
		if (!commonly_sent(&r->params[i]) &&
		    r->params[i].origin != FROM_PATH && is_last_of_name(r, i) &&
		    !note_param(r, ref, &r->params[i], e))
			return false;
	cursor = ref->hashed;
	while (method_list_next(&cursor, &mp))
		if (mp.required && plan_hashes(r, mp.name, mp.name_len) &&
		    last_param(r, mp.name, mp.name_len) == NO_PARAM &&
		    !note(&r->notes, e, "method %s hashes required parameter "
		    "'%s', which the request lacks", r->plan.method,
		    quote(mp.name, mp.name_len).text))
			return false;
	return true;
}
