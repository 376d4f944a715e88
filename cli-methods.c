/*
 * cli-methods.c - --methods: the table as lines of the user's file, or
 * one method in full with what each MOR version's code does with it.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "io.h"
#include "server.h"


static void
out_list(const char *list)
{
	out_str(list[0] != '\0' ? list : "-");
}

/* Each entry of list with its name in neither skip nor seen: name only. */
static void
out_names(const char *list, const char *skip, const char *seen,
    const char **sep)
{
	struct method_param mp;

	while (method_list_next(&list, &mp)) {
		if (method_list_has(skip, mp.name, mp.name_len) ||
		    method_list_has(seen, mp.name, mp.name_len))
			continue;
		out_str(*sep);
		out(mp.name, mp.name_len);
		*sep = ",";
	}
}

/*
 * A line of the user's table: the user's entry as it stands, else the
 * line that keeps what mor-hash does for target t ("#" before it when no
 * line can).  OTHER keeps every documented name, for completions.
 */
static void
out_line(const struct catalog *c, const struct method *m,
    const struct mor_target *t)
{
	struct kept_line k;
	const char *sep = "";

	if (m->line > 0) {
		k.kept = true;
		k.global = m->global;
		k.hashed = m->hashed;
	} else
		method_kept_line(c, m, t, &k);
	if (!k.kept)
		out("#", 1);
	out_str(m->name);
	out("\t", 1);
	out_list(k.global ? "(global)" : k.hashed);
	out("\t", 1);
	if (m->line > 0)
		out_list(m->other);
	else {
		/* The documented names the line does not hash. */
		out_names(m->hashed, k.global ? "" : k.hashed, "", &sep);
		out_names(m->other, k.global ? "" : k.hashed, m->hashed, &sep);
		if (sep[0] == '\0')
			out("-", 1);
	}
	out("\n", 1);
}

static void
list_methods(const struct catalog *c, const struct mor_target *t)
{
	const struct method **all;
	size_t n;

	if (!catalog_list(c, &all, &n))
		err(2, NULL);
	for (size_t i = 0; i < n; i++)
		out_line(c, all[i], t);
	free(all);
}

static void
show_field(const char *label, const char *value)
{
	if (value[0] != '\0')
		printf("%-12s%s\n", label, value);
}

/* What version v's code does with method m: one line. */
static void
show_version(const struct method *m, const struct server_version *v)
{
	const struct order_entry *order = server_order + v->order_first;
	const char *sep = "";
	const struct server_action *a = method_route(v, m->name,
	    strlen(m->name), m);

	printf("%-12s", v->name);
	if (a == NULL) {
		printf("no such method\n");
		return;
	}
	if (a->check == CHECK_NONE || a->check == CHECK_MISSING ||
	    a->check == CHECK_HIDDEN) {
		printf("%s: %s\n", SERVER_STR(a->name), a->check == CHECK_NONE ?
		    "no hash is checked" : a->check == CHECK_MISSING ?
		    "routed to no action" : "refused by an earlier filter "
		    "(\"There is no such API\") whatever the hash");
		return;
	}
	if (a->mechanism == SERVER_BY_API_NAME)
		printf("%s: the list of the action api_name names, else ",
		    SERVER_STR(a->name));
	if (a->mechanism == SERVER_LIST) {
		printf("%s: list ", SERVER_STR(a->name));
		out_list(SERVER_STR(a->list));
		printf("\n");
		return;
	}
	printf("%s%s", a->mechanism == SERVER_BY_API_NAME ? "the " :
	    SERVER_STR(a->name), a->mechanism == SERVER_BY_API_NAME ?
	    "global order;" : ": global order;");
	for (size_t i = 0; i < v->order_count; i++) {
		const char *name = SERVER_STR(order[i].name);

		if (!method_list_has(m->hashed, name, strlen(name)) &&
		    !method_list_has(m->other, name, strlen(name)))
			continue;
		printf("%s %s", sep, name);
		if (order[i].rule != RULE_RAW)
			printf(" (%s)", server_rule_name(order[i].rule));
		sep = ",";
	}
	printf("%s\n", *sep ? "" : " none of its parameters");
}

static void
show_method(const struct catalog *c, const struct method *m,
    const struct mor_target *t)
{
	show_field("method:", m->name);
	printf("%-12s", "documented:");
	out_list(m->global ? "(global)" : m->hashed);
	printf("   (hash order, then the key; * required)\n");
	printf("%-12s", "not hashed:");
	out_list(m->other);
	printf("   (u, p and test are sent with most calls)\n");
	printf("%-12s", "table line:");
	out_line(c, m, t);
	printf("%-12s(for %s: the line of the user's table that keeps "
	    "these hashes; # before it if none can)\n", "",
	    t->latest ? "the newest known MOR" : t->version->label);
	show_field("aliases:", m->aliases);
	show_field("since:", m->since);
	/* The file's name is the user's: escaped, as a terminal gets text. */
	if (m->line > 0)
		printf("%-12suser's file %s, line %lu\n", "entry:",
		    quote_path(m->source).text, m->line);
	else {
		printf("%-12sbuilt in\n", "entry:");
		show_field("source:", m->source);
		show_field("basis:", m->basis);
		show_field("confidence:", m->confidence);
		show_field("note:", m->note);
	}
	printf("MOR's code, what each version hashes (of the parameters sent; "
	    "rules in parentheses):\n");
	for (size_t i = server_version_count; i-- > 0;)
		show_version(m, &server_versions[i]);
	printf("%-12s%s\n", "later:", "the documented order (no code to "
	    "check)");
}

int
run_methods(const struct options *o, const struct catalog *c)
{
	const struct method *m;
	struct mh_error e;
	struct mor_target t = mor_target(o);

	if (o->show_method == NULL) {
		list_methods(c, &t);
		return 0;
	}
	if ((m = catalog_find(c, o->show_method, strlen(o->show_method))))
		show_method(c, m, &t);
	else {
		(void)catalog_unknown(c, o->show_method, &e);
		fail(&e);
	}
	return 0;
}
