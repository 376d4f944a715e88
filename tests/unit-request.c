/*
 * unit-request.c - unit tests of the request model: the documentation's
 * examples, MOR's server vectors, the request rules, writing a URI, the
 * router and the value rules.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framework.h"
#include "methods.h"
#include "request.h"
#include "server.h"
#include "sha1.h"
#include "unit.h"
#include "url.h"

struct buf {
	char	data[8192];
	size_t	len;
};

static bool
buf_sink(void *arg, const void *data, size_t len)
{
	struct buf *b = arg;

	if (len >= sizeof(b->data) - b->len)
		return false;
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return true;
}

static struct catalog catalog;

static struct request_options
options_for(const char *version, bool latest, const char *method)
{
	struct request_options o;

	memset(&o, 0, sizeof(o));
	o.catalog = &catalog;
	o.target.version = version != NULL ? server_version_find(version) :
	    server_version_newest();
	o.target.latest = latest;
	o.method = method;
	return o;
}

/* Plans, selects and digests r: the hex of its hash, or false. */
static bool
hash_hex(struct request *r, const char *url, const struct request_options *o,
    const char *key, char hex[SHA1_HEX_LEN + 1], struct mh_error *e)
{
	unsigned char digest[SHA1_DIGEST_LEN];
	struct hasher *h;

	if (!request_plan(r, url, o, e) || !request_select(r, e))
		return false;
	if ((h = malloc(sizeof(*h))) == NULL)
		return false;
	hasher_init(h, (const unsigned char *)key, strlen(key));
	request_digest(r, h, digest);
	hasher_wipe(h);
	free(h);
	sha1_to_hex(hex, digest);
	return true;
}

/* SHA-1(message || key) in hex. */
static void
keyed_hex(char hex[SHA1_HEX_LEN + 1], const char *message, const char *key)
{
	char both[512];

	snprintf(both, sizeof(both), "%s%s", message, key);
	hex_of(hex, both, strlen(both), 64);
}

/* params (NAME=VALUE&...) as operands; copy holds the bytes. */
static bool
add_operands(struct request *r, char *copy, struct mh_error *e)
{
	for (char *save = NULL, *t = strtok_r(copy, "&", &save); t != NULL;
	    t = strtok_r(NULL, "&", &save))
		if (!request_add_assignment(r, t, FROM_OPERAND, "operand", e))
			return false;
	return true;
}

/* Operands (params) hashed for -m method under the newest known MOR. */
static bool
method_hex(const char *method, const char *params, const char *version,
    const char *key, char hex[SHA1_HEX_LEN + 1], struct mh_error *e)
{
	struct request_options o = options_for(version, version == NULL,
	    method);
	char *copy = strdup(params);
	struct request r;
	bool done;

	request_init(&r);
	done = add_operands(&r, copy, e) && hash_hex(&r, NULL, &o, key, hex,
	    e);
	request_free(&r);
	free(copy);
	return done;
}

/* A query's hash, as --uri computes it. */
static bool
uri_hex(const char *uri, const char *version, bool latest, const char *key,
    char hex[SHA1_HEX_LEN + 1], struct mh_error *e)
{
	struct request_options o = options_for(version, latest, NULL);
	struct request r;
	bool done;

	request_init(&r);
	done = request_add_query(&r, uri, FROM_QUERY, e) &&
	    hash_hex(&r, uri, &o, key, hex, e);
	request_free(&r);
	return done;
}

static size_t
split_tabs(char *line, char **field, size_t max)
{
	size_t n = 0;

	line[strcspn(line, "\r\n")] = '\0';
	for (char *p = line; n < max; p++) {
		field[n++] = p;
		if ((p = strchr(p, '\t')) == NULL)
			break;
		*p = '\0';
	}
	return n;
}

static void
test_examples(void)
{
	FILE *f = fopen("tests/examples.tsv", "r");
	char line[2048], *field[6], hex[SHA1_HEX_LEN + 1];
	struct mh_error e;
	size_t rows = 0;

	ok(f != NULL, "request: tests/examples.tsv opens");
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (line[0] == '#' || strncmp(line, "method\t", 7) == 0 ||
		    split_tabs(line, field, 6) < 4)
			continue;
		rows++;
		ok(method_hex(field[0], field[1], NULL, field[2], hex, &e) &&
		    strcmp(hex, field[3]) == 0, "request: example -m %s %s",
		    field[0], field[1]);
	}
	fclose(f);
	ok(rows >= 20, "request: examples.tsv has %zu rows", rows);
}

static void
test_server_vectors(void)
{
	FILE *f = fopen("tests/server-vectors.tsv", "r");
	char line[4096], *field[5], hex[SHA1_HEX_LEN + 1], uri[4200];
	struct mh_error e;
	size_t row = 0;

	ok(f != NULL, "request: tests/server-vectors.tsv opens");
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (line[0] == '#' || strncmp(line, "version\t", 8) == 0 ||
		    split_tabs(line, field, 5) < 5 || row++ % 10 != 0)
			continue;
		snprintf(uri, sizeof(uri), "http://h/billing/api/%s?%s",
		    field[1], field[3]);
		ok(uri_hex(uri, field[0], false, field[2], hex, &e) &&
		    strcmp(hex, field[4]) == 0, "request: server vector %zu "
		    "(%s %s)", row, field[0], field[1]);
	}
	fclose(f);
}

static bool
has_note(const struct notes *n, const char *text)
{
	for (size_t i = 0; i < n->count; i++)
		if (strstr(n->text[i], text) != NULL)
			return true;
	return false;
}

static void
test_request_rules(void)
{
	char hex[SHA1_HEX_LEN + 1], want[SHA1_HEX_LEN + 1];
	struct request_options o = options_for(NULL, true, "user_balance_update");
	struct mh_error e;
	struct request r;
	char a1[] = "balance=5", a2[] = "user_id=0123", a3[] = "s_user=all";

	keyed_hex(want, "1235", "k");
	request_init(&r);
	ok(request_add_assignment(&r, a1, FROM_OPERAND, "operand", &e) &&
	    request_add_assignment(&r, a2, FROM_OPERAND, "operand", &e) &&
	    request_add_assignment(&r, a3, FROM_OPERAND, "operand", &e) &&
	    hash_hex(&r, NULL, &o, "k", hex, &e) && strcmp(hex, want) == 0,
	    "request: global order puts user_id before balance, 0123 is 123, "
	    "s_user=all is dropped");
	ok(r.plan.kind == PLAN_GLOBAL || r.plan.kind == PLAN_LIST,
	    "request: -m user_balance_update plans by the server's rules");
	ok(has_note(&r.value_notes, "user_id '0123' is hashed by MOR as "
	    "'123'"), "request: the int rule leaves a value note");
	request_free(&r);

	keyed_hex(want, "", "k");
	ok(uri_hex("http://h/billing/api/quickstats_get?u=admin", "X8", false,
	    "k", hex, &e) && strcmp(hex, want) == 0,
	    "request: X8 quickstats_get with u=admin hashes the key alone");
	ok(uri_hex("http://h/billing/api/quickstats_get?u=admin", NULL, true,
	    "k", hex, &e) && strcmp(hex, want) == 0,
	    "request: latest quickstats_get u!=admin drops u=admin");
	keyed_hex(want, "bob", "k");
	ok(uri_hex("http://h/billing/api/quickstats_get?u=bob", NULL, true,
	    "k", hex, &e) && strcmp(hex, want) == 0,
	    "request: latest quickstats_get hashes any other u");

	o = options_for(NULL, true, NULL);
	o.no_method = true;
	keyed_hex(want, "2", "k");
	request_init(&r);
	ok(request_add_query(&r, "http://h/x?x=1&x=2", FROM_QUERY, &e) &&
	    hash_hex(&r, NULL, &o, "k", hex, &e) && strcmp(hex, want) == 0,
	    "request: a duplicate parameter's last value wins");
	ok(has_note(&r.notes, "parameter 'x' is given more than once; MOR "
	    "uses the last"), "request: a duplicate leaves a note");
	request_free(&r);

	static char *const names[] = { "b", "a" };
	o = options_for(NULL, true, NULL);
	o.names = names;
	o.name_count = 2;
	keyed_hex(want, "21", "k");
	request_init(&r);
	ok(request_add_query(&r, "http://h/x?a=1&b=2&c=3", FROM_QUERY, &e) &&
	    hash_hex(&r, NULL, &o, "k", hex, &e) && strcmp(hex, want) == 0 &&
	    r.plan.kind == PLAN_NAMED, "request: named parameters, in the "
	    "order named");
	request_free(&r);

	ok(!method_hex("no_such_method", "u=a", NULL, "k", hex, &e) &&
	    strstr(e.message, "unknown method") != NULL,
	    "request: an unknown -m is an error: %s", e.message);
	ok(!method_hex("quickstats_get", "u=a", "X3", "k", hex, &e) &&
	    strstr(e.message, "MOR X3 has no API method") != NULL,
	    "request: a method X3 lacks is an error: %s", e.message);
}

#define HEX40 "0123456789abcdef0123456789abcdef01234567"

/* uri with its hash put in by request_write_uri. */
static bool
rewrite(const char *uri, struct buf *b)
{
	struct request r;
	struct mh_error e;
	const struct param *old;
	bool done;

	b->len = 0;
	b->data[0] = '\0';
	request_init(&r);
	done = request_add_query(&r, uri, FROM_QUERY, &e);
	old = done ? request_hash_param(&r) : NULL;
	done = done && request_write_uri(uri, old, HEX40, buf_sink, b);
	request_free(&r);
	return done;
}

static void
test_write_uri(void)
{
	static const struct {
		const char *uri, *want;
	} cases[] = {
		{ "http://h/a?x=1&hash=old&y=%20", "http://h/a?x=1&hash=" HEX40 "&y=%20" },
		{ "http://h/a?hash=zz", "http://h/a?hash=" HEX40 },
		{ "http://h/a?x=1", "http://h/a?x=1&hash=" HEX40 },
		{ "http://h/a", "http://h/a?hash=" HEX40 },
		{ "http://h/a?x=1#f", "http://h/a?x=1&hash=" HEX40 "#f" },
		{ "http://h/a?", "http://h/a?hash=" HEX40 },
		{ "http://h/a?x=1&", "http://h/a?x=1&hash=" HEX40 },
		{ "http://h/a?x=1;", "http://h/a?x=1;hash=" HEX40 },
		/* Only the first '?' starts the query; a later one is data. */
		{ "http://h/a?x=1?", "http://h/a?x=1?&hash=" HEX40 },
		{ "http://h/a#f?x", "http://h/a?hash=" HEX40 "#f?x" },
	};
	struct buf *b = malloc(sizeof(*b));

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ok(rewrite(cases[i].uri, b) && strcmp(b->data, cases[i].want) ==
		    0, "request: the hash goes into %s", cases[i].uri);
	free(b);
}

static void
route_case(const char *version, const char *url, const char *name,
    const char *id, int status)
{
	const struct server_version *v = server_version_find(version);
	struct api_route rt;
	struct mh_error e;
	bool routed = framework_route(v, v->label, url, &rt, &e);

	if (status != 0)
		ok(!routed && e.code == MH_E_MOR_ANSWERS && e.status == status,
		    "route %s %s: %d", version, url, status);
	else if (name[0] == '\0')
		ok(routed && !rt.api, "route %s %s: not MOR's", version, url);
	else
		ok(routed && rt.api && rt.name_len == strlen(name) &&
		    memcmp(rt.name, name, rt.name_len) == 0 &&
		    (id == NULL ? rt.id == NULL : rt.id != NULL &&
		    rt.id_len == strlen(id) && memcmp(rt.id, id, rt.id_len) == 0),
		    "route %s %s: %s %s", version, url, name, id ? id : "-");
	free(rt.storage);
}

static void
test_route(void)
{
	route_case("X8", "http://h/billing/api/user_details_get?x=1",
	    "user_details_get", NULL, 0);
	route_case("X8", "http://h/billing/api/device_delete/42",
	    "device_delete", "42", 0);
	route_case("X8", "http://h/billing/api//user_details_get/7.xml/",
	    "user_details_get", "7", 0);
	route_case("X8", "http://h/billing/api/user%5Fdetails_get.json",
	    "user_details_get", NULL, 0);
	route_case("X8", "http://h/billing/api/M/1%2F2", "M", "1/2", 0);
	route_case("X8", "http://h/billing/api/M/1+2", "M", "1+2", 0);
	route_case("X8", "http://h/billing/api/M/7%2Exml", "M", "7", 0);
	route_case("X5", "http://h/billing/api/M/7%2Exml", "M", "7.xml", 0);
	route_case("X8", "http://h/billing/api/M/%FF", "M", "\xef\xbf\xbd", 0);
	route_case("X5", "http://h/billing/api/M/%FF", NULL, NULL, 400);
	route_case("X3", "http://h/billing/api/M/%FF", NULL, NULL, 500);
	route_case("X8", "http://h/billing/api?action=x", NULL, NULL, 404);
	route_case("X8", "http://h/billing/api.xml?action=x", NULL, NULL, 404);
	route_case("X8", "http://h/billing/api/a/b/c", NULL, NULL, 404);
	route_case("X8", "http://h/billing/api/M.xml.gz", NULL, NULL, 404);
	route_case("X8", "http://h/billing/api/M.xml/7", NULL, NULL, 404);
	route_case("X8", "http://h/other/thing", "", NULL, 0);
}

static const struct order_entry *
entry_with(enum value_rule rule)
{
	size_t n = 0;

	for (size_t i = 0; i < server_version_count; i++)
		n += server_versions[i].order_count;
	for (size_t i = 0; i < n; i++)
		if (server_order[i].rule == rule)
			return &server_order[i];
	return NULL;
}

static bool
rule_gives(enum value_rule rule, const char *value, const char *action,
    const char *want)
{
	const struct order_entry *e = entry_with(rule);
	struct slice s;

	if (e == NULL)
		return false;
	if (!server_rule_apply(e, value, strlen(value), action, &s))
		return want == NULL;
	return want != NULL && s.len == strlen(want) &&
	    memcmp(s.data, want, s.len) == 0;
}

static void
test_rules(void)
{
	char alt[64], text[80];
	const struct order_entry *e;

	ok(rule_gives(RULE_RAW, "a b", "x", "a b"), "rule: raw as received");
	ok(rule_gives(RULE_INT, "0123", "x", "123") &&
	    rule_gives(RULE_INT, "000", "x", "0") &&
	    rule_gives(RULE_INT, "12a", "x", NULL), "rule: int");
	ok(rule_gives(RULE_DIGITS, "0123", "x", "0123") &&
	    rule_gives(RULE_DIGITS, "+5", "x", NULL), "rule: digits");
	ok(rule_gives(RULE_DIGITS_OR_ALL, "all", "x", "all") &&
	    rule_gives(RULE_DIGITS_OR_ALL, "07", "x", "07") &&
	    rule_gives(RULE_DIGITS_OR_ALL, "alls", "x", NULL),
	    "rule: digits-or-all");
	ok(rule_gives(RULE_BALANCE, "-1.5", "x", "-1.5") &&
	    rule_gives(RULE_BALANCE, "1e5", "x", NULL), "rule: balance");
	for (int r = RULE_ENUM; r <= RULE_LINE; r++) {
		e = entry_with((enum value_rule)r);
		snprintf(alt, sizeof(alt), "%.*s", (int)strcspn(e != NULL ?
		    SERVER_STR(e->arg) : "", "|"), e != NULL ?
		    SERVER_STR(e->arg) : "");
		snprintf(text, sizeof(text), r == RULE_SEARCH ? "<%s>" :
		    r == RULE_LINE ? "zz\n%s" : "%s", alt);
		ok(alt[0] != '\0' && rule_gives((enum value_rule)r, text, "x",
		    text) && rule_gives((enum value_rule)r, "zz", "x", NULL),
		    "rule: %s with '%s'", server_rule_name((enum value_rule)r),
		    alt);
	}
	e = entry_with(RULE_RAW_EXCEPT);
	ok(e != NULL && rule_gives(RULE_RAW_EXCEPT, "v", "x", "v") &&
	    rule_gives(RULE_RAW_EXCEPT, "v", SERVER_STR(e->arg), NULL),
	    "rule: raw-except");
	ok(rule_gives(RULE_NEVER, "v", "x", NULL), "rule: never");
	ok(server_version_find("x8") != NULL &&
	    strcmp(server_version_find("x8")->name, "X8") == 0 &&
	    server_version_find("X5") != NULL &&
	    server_version_find("X9") == NULL, "server: versions by name");
}

/* Every byte against the rule error.h states, and a quoted cut. */

void
test_requests(void)
{
	struct mh_error e;

	ok(catalog_open(&catalog, NULL, false, &e),
	    "request: the catalogue opens");
	test_examples();
	test_server_vectors();
	test_request_rules();
	test_write_uri();
	test_route();
	test_rules();
	catalog_close(&catalog);
}
