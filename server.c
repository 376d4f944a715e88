/*
 * server.c - MOR's routing and value rules over the compiled tables.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <string.h>

#include "server.h"

const struct server_version *
server_version_find(const char *name)
{
	for (size_t i = 0; i < server_version_count; i++) {
		const char *v = server_versions[i].name;

		if ((name[0] == v[0] || name[0] == v[0] + ('a' - 'A')) &&
		    strcmp(name + 1, v + 1) == 0)
			return &server_versions[i];
	}
	return NULL;
}

const struct server_version *
server_version_newest(void)
{
	return &server_versions[server_version_newest_index];
}

static bool
is_str(uint32_t off, const char *name, size_t len)
{
	const char *s = SERVER_STR(off);

	return s[0] == name[0] && strncmp(s, name, len) == 0 && s[len] == '\0';
}

const struct server_action *
server_action(const struct server_version *v, const char *name, size_t len)
{
	const struct server_action *a = server_actions + v->action_first;

	if (len == 0)
		return NULL;
	for (size_t i = 0; i < v->action_count; i++)
		if (is_str(a[i].name, name, len))
			return &a[i];
	return NULL;
}

const struct server_action *
server_alias(const struct server_version *v, const char *name, size_t len,
    bool with_id)
{
	const struct server_action *a = server_actions + v->action_first;

	if (len == 0 || !v->old_routes)
		return NULL;
	for (size_t i = 0; i < v->action_count; i++)
		if (a[i].alias != 0 && (!with_id || a[i].alias_takes_id) &&
		    is_str(a[i].alias, name, len))
			return &a[i];
	return NULL;
}

const struct server_action *
server_route(const struct server_version *v, const char *name, size_t len)
{
	const struct server_action *a = server_action(v, name, len);

	return a != NULL ? a : server_alias(v, name, len, false);
}

const struct order_entry *
server_order_find(const struct server_version *v, const char *name,
    size_t len)
{
	const struct order_entry *order = server_order + v->order_first;

	for (size_t i = 0; i < v->order_count; i++)
		if (is_str(order[i].name, name, len))
			return &order[i];
	return NULL;
}

static bool
all_digits(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static bool
is_word(const char *s, size_t len, const char *word, size_t word_len)
{
	return len == word_len && memcmp(s, word, len) == 0;
}

/* [0-9,]+ as one of the alternatives of a line rule. */
#define DIGITS_AND_COMMAS "[0-9,]+"

static bool
digits_and_commas(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((s[i] < '0' || s[i] > '9') && s[i] != ',')
			return false;
	return len > 0;
}

static bool
alternative_matches(const char *alt, size_t alt_len, const char *s,
    size_t len)
{
	if (is_word(alt, alt_len, DIGITS_AND_COMMAS, strlen(DIGITS_AND_COMMAS)))
		return digits_and_commas(s, len);
	return is_word(s, len, alt, alt_len);
}

/* Whether s (len bytes) equals, or with contains, one of "A|B|...". */
static bool
one_of(const char *alternatives, const char *s, size_t len, bool contains)
{
	for (const char *a = alternatives;;) {
		size_t alt_len = strcspn(a, "|");

		if (contains) {
			for (size_t i = 0; alt_len <= len && i <= len - alt_len;
			    i++)
				if (memcmp(s + i, a, alt_len) == 0)
					return true;
		} else if (alternative_matches(a, alt_len, s, len))
			return true;
		if (a[alt_len] == '\0')
			return false;
		a += alt_len + 1;
	}
}

/* Ruby's /^(A|B)$/: some line, split at LF only, is an alternative. */
static bool
some_line_is(const char *alternatives, const char *s, size_t len)
{
	const char *end = s + len;

	for (;;) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *line_end = nl != NULL ? nl : end;

		if (one_of(alternatives, s, (size_t)(line_end - s), false))
			return true;
		if (nl == NULL)
			return false;
		s = nl + 1;
	}
}

bool
server_rule_apply(const struct order_entry *e, const char *value,
    size_t len, const char *action, struct slice *out)
{
	const char *arg = SERVER_STR(e->arg);

	out->data = value;
	out->len = len;
	switch ((enum value_rule)e->rule) {
	case RULE_RAW:
		return true;
	case RULE_INT:
		if (!all_digits(value, len))
			return false;
		while (out->len > 0 && out->data[0] == '0') {
			out->data++;
			out->len--;
		}
		if (out->len == 0) {
			out->data = "0";
			out->len = 1;
		}
		return true;
	case RULE_DIGITS:
	case RULE_DIGITS_OR_NESTED:
		return all_digits(value, len);
	case RULE_DIGITS_OR_ALL:
		return all_digits(value, len) || is_word(value, len, "all", 3);
	case RULE_BALANCE:
		for (size_t i = 0; i < len; i++)
			if (strchr("0123456789.+-", value[i]) == NULL ||
			    value[i] == '\0')
				return false;
		return true;
	case RULE_ENUM:
		return one_of(arg, value, len, false);
	case RULE_SEARCH:
		return one_of(arg, value, len, true);
	case RULE_LINE:
		return some_line_is(arg, value, len);
	case RULE_RAW_EXCEPT:
		return strcmp(action, arg) != 0;
	case RULE_NEVER:
	case RULE_COUNT:
		break;
	}
	return false;
}

/*
 * A value rule is a row here (its name in the TSV files and server-table.awk,
 * why it drops a value), an enum value and a case of server_rule_apply,
 * whose switch has no default: the compiler names a missed one.
 */
static const struct {
	const char	*name;
	const char	*reason;
} rules[] = {
	[RULE_RAW] = { "raw", "MOR never hashes it" },
	[RULE_INT] = { "int", "it is not digits only" },
	[RULE_DIGITS] = { "digits", "it is not digits only" },
	[RULE_DIGITS_OR_ALL] = { "digits-or-all",
	    "it is neither digits only nor 'all'" },
	[RULE_DIGITS_OR_NESTED] = { "digits-or-nested",
	    "it is not digits only" },
	[RULE_BALANCE] = { "balance", "it has a character other than 0-9 . + -" },
	[RULE_ENUM] = { "enum", "it is not one of the values MOR accepts" },
	[RULE_SEARCH] = { "search",
	    "it contains none of the words MOR looks for" },
	[RULE_LINE] = { "line",
	    "no line of it is one of the values MOR accepts" },
	[RULE_RAW_EXCEPT] = { "raw-except", "MOR never hashes it" },
	[RULE_NEVER] = { "never", "MOR never hashes it" },
};

_Static_assert(sizeof(rules) / sizeof(rules[0]) == RULE_COUNT,
    "a value rule without its row");

const char *
server_rule_name(enum value_rule rule)
{
	return rules[rule].name;
}

const char *
server_rule_reason(enum value_rule rule)
{
	return rules[rule].reason;
}
