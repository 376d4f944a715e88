/*
 * unit.c - unit tests of the pure modules (digest, splitter, URL, method
 * table), printing TAP for tests/run.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "learn.h"
#include "methods.h"
#include "records.h"
#include "sha1.h"
#include "framework.h"
#include "request.h"
#include "server.h"
#include "url.h"

static int test_number, failures;

#if defined(__GNUC__) || defined(__clang__)
static void ok(int passed, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
#endif

static void
ok(int passed, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", passed ? "" : "not ", ++test_number);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	failures += !passed;
}

static void
hex_of(char *hex, const void *data, size_t len, size_t chunk)
{
	unsigned char digest[SHA1_DIGEST_LEN];
	const char *p = data;
	sha1_ctx ctx;

	sha1_init(&ctx);
	for (size_t done = 0; done < len; done += chunk)
		sha1_update(&ctx, p + done, len - done < chunk ? len - done :
		    chunk);
	sha1_final(&ctx, digest);
	sha1_to_hex(hex, digest);
}

/* FIPS 180 examples (and the NIST byte-oriented vectors). */
static void
test_sha1_vectors(void)
{
	static const struct {
		const char *message, *digest;
	} vectors[] = {
		{ "", "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
		{ "abc", "a9993e364706816aba3e25717850c26c9cd0d89d" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		    "84983e441c3bd26ebaae4aa1f95129e5e54670f1" },
		{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
		  "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
		    "a49b2446a02c645bf419f995b67091253a04a259" },
	};
	char hex[SHA1_HEX_LEN + 1];

	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		size_t len = strlen(vectors[i].message);

		hex_of(hex, vectors[i].message, len, len + 1);
		ok(strcmp(hex, vectors[i].digest) == 0,
		    "sha1: FIPS 180 vector %zu in one piece", i);
		hex_of(hex, vectors[i].message, len, 1);
		ok(strcmp(hex, vectors[i].digest) == 0,
		    "sha1: FIPS 180 vector %zu a byte at a time", i);
	}
}

static void
test_sha1_million_a(void)
{
	char *a = malloc(1000000), hex[SHA1_HEX_LEN + 1];

	memset(a, 'a', 1000000);
	hex_of(hex, a, 1000000, 4093);
	ok(strcmp(hex, "34aa973cd4c4daa4f61eeb2bdbad27316534016f") == 0,
	    "sha1: FIPS 180 one million 'a'");
	free(a);
}

static void
test_sha1_hex(void)
{
	unsigned char d[SHA1_DIGEST_LEN], e[SHA1_DIGEST_LEN];
	char hex[SHA1_HEX_LEN + 1];

	ok(sha1_from_hex(d, "A9993E364706816ABA3E25717850C26C9CD0D89D") &&
	    sha1_from_hex(e, "a9993e364706816aba3e25717850c26c9cd0d89d") &&
	    sha1_equal(d, e), "sha1: hex is read in either case");
	sha1_to_hex(hex, d);
	ok(strcmp(hex, "a9993e364706816aba3e25717850c26c9cd0d89d") == 0,
	    "sha1: hex is written in lowercase");
	ok(!sha1_from_hex(d, "a9993e364706816aba3e25717850c26c9cd0d89"),
	    "sha1: 39 hex digits are refused");
	ok(!sha1_from_hex(d, "a9993e364706816aba3e25717850c26c9cd0d89d0"),
	    "sha1: 41 hex digits are refused");
	ok(!sha1_from_hex(d, "g9993e364706816aba3e25717850c26c9cd0d89d"),
	    "sha1: a non-hex digit is refused");
	ok(!sha1_from_hex(d, ""), "sha1: an empty hash is refused");
	sha1_from_hex(e, "a9993e364706816aba3e25717850c26c9cd0d89e");
	sha1_from_hex(d, "a9993e364706816aba3e25717850c26c9cd0d89d");
	ok(!sha1_equal(d, e), "sha1: digests differing in the last bit differ");
}

/*
 * The splitter must give the same records and fields wherever the chunk
 * boundaries fall: compare every two-chunk split with a one-chunk run,
 * and the one-chunk run with the expected text.  Output: fields joined by
 * '|', records ended by ';'.
 */
static void
split_to_text(char *outbuf, const char *in, size_t len, size_t cut,
    int terminator, int delimiter)
{
	struct splitter s;
	struct piece p;
	size_t o = 0;

	splitter_init(&s, terminator, delimiter);
	for (int part = 0; part < 2; part++) {
		size_t from = part == 0 ? 0 : cut, to = part == 0 ? cut : len;

		splitter_feed(&s, in + from, to - from);
		while (splitter_next(&s, &p)) {
			memcpy(outbuf + o, p.data, p.len);
			o += p.len;
			if (p.end != PIECE_CONTINUES)
				outbuf[o++] = p.end == PIECE_ENDS_FIELD ?
				    '|' : ';';
		}
	}
	while (splitter_finish(&s, &p)) {
		memcpy(outbuf + o, p.data, p.len);
		o += p.len;
		if (p.end != PIECE_CONTINUES)
			outbuf[o++] = p.end == PIECE_ENDS_FIELD ?
			    '|' : ';';
	}
	outbuf[o] = '\0';
}

static void
test_splitter(void)
{
	static const struct {
		const char *in;
		size_t len;
		int terminator, delimiter;
		const char *want;
	} cases[] = {
		{ "a\nb\n", 4, '\n', NO_DELIMITER, "a;b;" },
		{ "a\r\nb\r\n", 6, '\n', NO_DELIMITER, "a;b;" },
		{ "a\r\rb", 4, '\n', NO_DELIMITER, "a\r\rb;" },
		{ "a\rb\r", 4, '\n', NO_DELIMITER, "a\rb\r;" },
		{ "last", 4, '\n', NO_DELIMITER, "last;" },
		{ "\n\n", 2, '\n', NO_DELIMITER, ";;" },
		{ "", 0, '\n', NO_DELIMITER, "" },
		{ "a\tb\tc\r\n\t\n", 10, '\n', '\t', "a|b|c;|;" },
		{ "a\r\tb\n", 5, '\n', '\t', "a\r|b;" },
		{ "x\0y\r\n\0", 6, '\0', NO_DELIMITER, "x;y\r\n;" },
		{ "1,2\0,\0", 6, '\0', ',', "1|2;|;" },
		/* -d CR: a CR delimits wherever a chunk ends, but before LF. */
		{ "a\rb\nc\rd\r\n", 9, '\n', '\r', "a|b;c|d;" },
		{ "a\rb\r", 4, '\n', '\r', "a|b|;" },
		{ "\r\r\n\r", 4, '\n', '\r', "|;|;" },
	};
	char got[64], whole[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int same = 1;

		split_to_text(whole, cases[i].in, cases[i].len, cases[i].len,
		    cases[i].terminator, cases[i].delimiter);
		ok(strcmp(whole, cases[i].want) == 0,
		    "splitter: case %zu splits as expected", i);
		for (size_t cut = 0; cut <= cases[i].len; cut++) {
			split_to_text(got, cases[i].in, cases[i].len, cut,
			    cases[i].terminator, cases[i].delimiter);
			same &= strcmp(got, whole) == 0;
		}
		ok(same, "splitter: case %zu is the same at every chunk "
		    "boundary", i);
	}
}

static void
test_url_encoding(void)
{
	char in[256], enc[URL_ENCODED_MAX(256)], dec[768];
	size_t enc_len, dec_len, bad;
	int exact = 1;

	for (int c = 0; c < 256; c++)
		in[c] = (char)c;
	enc_len = url_encode(enc, in, 256);
	ok(url_decode(dec, &dec_len, enc, enc_len, &bad) && dec_len == 256 &&
	    memcmp(dec, in, 256) == 0, "url: every byte round-trips");
	for (int c = 0; c < 256; c++) {
		char one = (char)c, got[4], want[4];
		size_t n = url_encode(got, &one, 1);
		int unreserved = (c >= 'A' && c <= 'Z') ||
		    (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~';

		if (unreserved)
			snprintf(want, sizeof(want), "%c", c);
		else
			snprintf(want, sizeof(want), "%%%02X", c);
		exact &= n == strlen(want) && memcmp(got, want, n) == 0;
	}
	ok(exact, "url: unreserved bytes stay, others are %%XX uppercase");
	ok(url_decode(dec, &dec_len, "a+b%2b%7E", 9, &bad) && dec_len == 5 &&
	    memcmp(dec, "a b+~", 5) == 0, "url: '+' decodes to a space");
	ok(!url_decode(dec, &dec_len, "ab%2", 4, &bad) && bad == 2,
	    "url: a truncated escape is malformed, at its offset");
	ok(!url_decode(dec, &dec_len, "%zz", 3, &bad) && bad == 0,
	    "url: a non-hex escape is malformed");
}

static void
test_query(void)
{
	const char *uri = "http://h/billing/api/x?u=ad%20min&&flag&hash=1#frag";
	size_t start, end, bad;
	struct query q;
	const char *seg;
	size_t seg_len;

	ok(uri_query(uri, &start, &end) && strncmp(uri + start, "u=", 2) == 0
	    && uri[end] == '#', "query: lies between '?' and '#'");
	ok(query_parse(&q, uri, start, end - start, &bad) && q.count == 3,
	    "query: empty pairs are skipped");
	ok(q.params[0].value_len == 6 && memcmp(q.params[0].value, "ad min",
	    6) == 0, "query: values are percent-decoded");
	ok(q.params[1].value_len == 0 && q.params[1].name_len == 4,
	    "query: a pair without '=' has an empty value");
	ok(params_find(q.params, q.count, "hash", 4) == &q.params[2] &&
	    q.params[2].raw_start == (size_t)(strstr(uri, "hash") - uri),
	    "query: raw offsets locate a pair");
	query_free(&q);
	ok(!query_parse(&q, "a=%4", 0, 4, &bad) && bad == 2,
	    "query: a malformed escape gives its offset");
	url_last_segment("http://h/billing/api/user_details/?x=/y", &seg,
	    &seg_len);
	ok(seg_len == 12 && memcmp(seg, "user_details", 12) == 0,
	    "url: the last path segment, one trailing slash dropped");
	url_last_segment("/billing/api?r=http://x/y", &seg, &seg_len);
	ok(seg_len == 3 && memcmp(seg, "api", 3) == 0,
	    "url: '://' in a query is not a scheme");
	url_last_segment("http://host", &seg, &seg_len);
	ok(seg_len == 0, "url: a URL without a path has no segment");
}

static void
test_methods(void)
{
	int valid = 1;
	const char *close[3];
	char *text;
	struct method_table t;
	struct catalog c;
	struct mh_error e;
	const char good[] = "# comment\n\nfoo\tid*,u!=admin\tu\r\n"
	    "bar\t-\nfoo\tx\nbaz\t(global)\n#qux\tu\t-\n"
	    "qux\t(global)\tuser_id*,u!=admin\n";

	ok(catalog_open(&c, NULL, false, &e), "methods: the catalogue opens "
	    "without a user's file");
	for (size_t i = 0; i < c.builtin_count; i++) {
		const struct method *m = &c.builtin[i];

		valid &= (m->hashed[0] == '\0' ||
		    method_list_valid(m->hashed)) &&
		    (m->other[0] == '\0' || method_list_valid(m->other)) &&
		    catalog_builtin(&c, m->name, strlen(m->name)) == m;
	}
	ok(valid && c.builtin_count == 139,
	    "methods: all 139 built-in rows parse and are found by name");
	ok(catalog_builtin(&c, "user_details", 12) ==
	    catalog_builtin(&c, "user_details_get", 16),
	    "methods: an alias names the same method");
	ok(catalog_suggest(&c, "user_balanse_update", close, 3) >= 1 &&
	    strcmp(close[0], "user_balance_update") == 0,
	    "methods: a misspelt name suggests the right one first");
	ok(method_name_valid("user_id", 7) && method_name_valid("a[]", 3) &&
	    !method_name_valid("", 0) && !method_name_valid("a b", 3) &&
	    !method_name_valid("a\0b", 3) && !method_name_valid("a=b", 3),
	    "methods: the names a table line can hold");
	catalog_close(&c);
	text = malloc(sizeof(good));
	memcpy(text, good, sizeof(good));
	ok(method_table_parse(&t, text, sizeof(good) - 1, "f", &e) &&
	    t.count == 5, "methods: user file with comments, CRLF, '-'");
	ok(t.entries[3].global && t.entries[3].hashed[0] == '\0',
	    "methods: a user's entry (global) follows the global order");
	/* As --methods prints a (global) line: OTHER names its parameters. */
	ok(t.entries[4].global && t.entries[4].hashed[0] == '\0' &&
	    strcmp(t.entries[4].other, "user_id*,u!=admin") == 0,
	    "methods: a user's entry (global) takes an OTHER list");
	method_table_free(&t);

	static const struct {
		const char *text;
		const char *message;
	} bad[] = {
		{ "ok\tid\nbroken\n", "methods file 'f', line 2: want "
		    "METHOD<TAB>HASHED[<TAB>OTHER]" },
		{ "m\ta,,b\n", "methods file 'f', line 1: malformed parameter "
		    "list (NAME[*][!=VALUE],...)" },
		{ "m\ta\tb\tc\n", "methods file 'f', line 1: more than three "
		    "TAB-separated fields" },
		{ "\tid\n", "methods file 'f', line 1: method name is empty or "
		    "has a character not allowed" },
		{ "m\tid,\n", "methods file 'f', line 1: malformed parameter "
		    "list (NAME[*][!=VALUE],...)" },
		{ "m\tna me\n", "methods file 'f', line 1: malformed parameter "
		    "list (NAME[*][!=VALUE],...)" },
		{ "m\t\n", "methods file 'f', line 1: malformed parameter list "
		    "(NAME[*][!=VALUE],...)" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t len = strlen(bad[i].text);

		text = malloc(len + 1);
		memcpy(text, bad[i].text, len + 1);
		ok(!method_table_parse(&t, text, len, "f", &e) &&
		    strcmp(e.message, bad[i].message) == 0,
		    "methods: malformed user line %zu: %s", i, bad[i].message);
	}
}

/* The request model, through its C interface. */

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
learn_with(struct learn *l, enum learn_kind kind, unsigned jobs,
    const struct learn_value *v, size_t n, const struct hasher *h)
{
	unsigned char target[SHA1_DIGEST_LEN];
	sha1_ctx ctx;
	struct mh_error e;

	hasher_start(h, &ctx);
	sha1_update(&ctx, "ab", 2);
	hasher_finish(h, &ctx, target);
	memset(l, 0, sizeof(*l));
	l->kind = kind;
	l->values = v;
	l->count = n;
	l->hasher = h;
	memcpy(l->target, target, sizeof(target));
	l->budget = 100000;
	l->max_matches = 10;
	l->jobs = jobs;
	if (!learn_run(l, &e))
		l->match_count = 0;
}

static bool
match_is(const struct learn *l, size_t i, size_t len, size_t a, size_t b)
{
	const struct learn_match *m = &l->matches[i];

	return i < l->match_count && m->len == len && m->index[0] == a &&
	    (len < 2 || m->index[1] == b);
}

static bool
same_matches(const struct learn *a, const struct learn *b)
{
	if (a->match_count != b->match_count)
		return false;
	for (size_t i = 0; i < a->match_count; i++)
		if (a->matches[i].len != b->matches[i].len ||
		    memcmp(a->matches[i].index, b->matches[i].index,
		    a->matches[i].len * sizeof(size_t)) != 0)
			return false;
	return true;
}

static void
test_learn(void)
{
	static const struct learn_value v[] = {
		{ "b", 1 }, { "ab", 2 }, { "a", 1 }, { "x", 1 },
	};
	struct hasher *h = malloc(sizeof(*h));
	struct learn one, two;

	hasher_init(h, (const unsigned char *)"k", 1);
	learn_with(&one, LEARN_ORDERS, 1, v, 4, h);
	learn_with(&two, LEARN_ORDERS, 2, v, 4, h);
	ok(one.match_count == 2 && match_is(&one, 0, 1, 1, 0) &&
	    match_is(&one, 1, 2, 2, 0), "learn: orders finds ab and a,b, "
	    "shortest first");
	ok(same_matches(&one, &two), "learn: orders gives the same matches "
	    "with 1 and 2 jobs");
	learn_free(&one);
	learn_free(&two);
	learn_with(&one, LEARN_SUBSETS, 1, v, 4, h);
	learn_with(&two, LEARN_SUBSETS, 2, v, 4, h);
	ok(one.match_count == 1 && match_is(&one, 0, 1, 1, 0),
	    "learn: subsets keep the order (b before a is no match)");
	ok(same_matches(&one, &two), "learn: subsets give the same matches "
	    "with 1 and 2 jobs");
	learn_free(&one);
	learn_free(&two);
	hasher_wipe(h);
	free(h);
	ok(learn_cost(LEARN_ORDERS, 4, 2) == 1 + 4 + 12 &&
	    learn_cost(LEARN_SUBSETS, 4, 2) == 1 + 4 + 6,
	    "learn: the cost counts every prefix");
	ok(learn_cost(LEARN_ORDERS, 1000, 1000) == ULONG_MAX,
	    "learn: the cost saturates");
}

/* A search for the hash of message + key, with max_matches kept. */
static bool
learn_for(struct learn *l, enum learn_kind kind, unsigned jobs,
    const struct learn_value *v, size_t n, const struct hasher *h,
    const char *message, size_t max)
{
	sha1_ctx ctx;
	struct mh_error e;

	memset(l, 0, sizeof(*l));
	hasher_start(h, &ctx);
	sha1_update(&ctx, message, strlen(message));
	hasher_finish(h, &ctx, l->target);
	l->kind = kind;
	l->values = v;
	l->count = n;
	l->hasher = h;
	l->budget = 10000000;
	l->max_matches = max;
	l->jobs = jobs;
	return learn_run(l, &e);
}

static bool
match_seq(const struct learn *l, size_t i, size_t len, const size_t *want)
{
	return i < l->match_count && l->matches[i].len == len &&
	    memcmp(l->matches[i].index, want, len * sizeof(*want)) == 0;
}

/* The same search with 1, 2, 3, 5 and 64 threads: the same results. */
static bool
same_whatever_jobs(enum learn_kind kind, const struct learn_value *v,
    size_t n, const struct hasher *h, const char *message, size_t max)
{
	static const unsigned jobs[] = { 2, 3, 5, 64 };
	struct learn one, other;
	bool same = learn_for(&one, kind, 1, v, n, h, message, max);

	for (size_t j = 0; same && j < sizeof(jobs) / sizeof(jobs[0]); j++) {
		same = learn_for(&other, kind, jobs[j], v, n, h, message,
		    max) && same_matches(&one, &other) &&
		    one.matched == other.matched && one.tried == other.tried &&
		    one.depth == other.depth;
		learn_free(&other);
	}
	learn_free(&one);
	return same;
}

static void
test_learn_search(void)
{
	/* 242 orders give 1111: 2 of two values, 120 of three, 120 of four. */
	static const struct learn_value ones[] = {
		{ "1", 1 }, { "1", 1 }, { "1", 1 }, { "1", 1 }, { "1", 1 },
		{ "11", 2 }, { "11", 2 },
	};
	static const size_t first[] = { 5, 6 }, second[] = { 6, 5 },
	    third[] = { 0, 1, 5 }, tenth[] = { 0, 4, 6 };
	/* Values of 30 bytes: prefixes of a block or more fork states. */
	static const struct learn_value wide[] = {
		{ "000000000000000000000000000000", 30 },
		{ "111111111111111111111111111111", 30 },
		{ "222222222222222222222222222222", 30 },
		{ "333333333333333333333333333333", 30 },
		{ "444444444444444444444444444444", 30 },
		{ "555555555555555555555555555555", 30 },
	};
	static const size_t wide_order[] = { 5, 3, 0, 4, 1 },
	    wide_subset[] = { 0, 2, 5 };
	char message[200];
	struct hasher *h = malloc(sizeof(*h));
	struct learn l;
	bool all;

	hasher_init(h, (const unsigned char *)"key", 3);
	all = true;
	for (unsigned jobs = 1; jobs <= 3; jobs++) {
		all = all && learn_for(&l, LEARN_ORDERS, jobs, ones, 7, h,
		    "1111", 10) && l.matched == 242 && l.match_count == 10 &&
		    match_seq(&l, 0, 2, first) && match_seq(&l, 1, 2, second) &&
		    match_seq(&l, 2, 3, third) && match_seq(&l, 9, 3, tenth);
		learn_free(&l);
	}
	ok(all, "learn: past max_matches it keeps the shortest, then the "
	    "first in the search's order, with 1, 2 and 3 jobs");
	ok(same_whatever_jobs(LEARN_ORDERS, ones, 7, h, "1111", 10) &&
	    same_whatever_jobs(LEARN_ORDERS, ones, 7, h, "1111", 1) &&
	    same_whatever_jobs(LEARN_ORDERS, ones, 7, h, "1111", 300) &&
	    same_whatever_jobs(LEARN_SUBSETS, ones, 7, h, "1111", 5),
	    "learn: many matches, the same whatever the number of jobs");
	ok(learn_for(&l, LEARN_ORDERS, 2, ones, 7, h, "1111", 0) &&
	    l.matched == 242 && l.match_count == 0,
	    "learn: max_matches 0 counts matches and keeps none");
	learn_free(&l);

	snprintf(message, sizeof(message), "%s%s%s%s%s", wide[5].data,
	    wide[3].data, wide[0].data, wide[4].data, wide[1].data);
	all = true;
	for (unsigned jobs = 1; jobs <= 4; jobs++) {
		all = all && learn_for(&l, LEARN_ORDERS, jobs, wide, 6, h,
		    message, 10) && l.match_count == 1 && l.matched == 1 &&
		    match_seq(&l, 0, 5, wide_order) && l.depth == 6 &&
		    l.tried == learn_cost(LEARN_ORDERS, 6, 6);
		learn_free(&l);
	}
	ok(all, "learn: orders of long values (150 bytes) with 1 to 4 jobs");
	ok(same_whatever_jobs(LEARN_ORDERS, wide, 6, h, message, 10),
	    "learn: long values, the same whatever the number of jobs");
	snprintf(message, sizeof(message), "%s%s%s", wide[0].data,
	    wide[2].data, wide[5].data);
	all = true;
	for (unsigned jobs = 1; jobs <= 4; jobs++) {
		all = all && learn_for(&l, LEARN_SUBSETS, jobs, wide, 6, h,
		    message, 10) && l.match_count == 1 &&
		    match_seq(&l, 0, 3, wide_subset) &&
		    l.tried == learn_cost(LEARN_SUBSETS, 6, 6);
		learn_free(&l);
	}
	ok(all, "learn: subsets of long values with 1 to 4 jobs");
	ok(same_whatever_jobs(LEARN_SUBSETS, wide, 6, h, message, 10),
	    "learn: subsets, the same whatever the number of jobs");

	all = true;
	for (unsigned jobs = 1; jobs <= 3; jobs++) {
		all = all && learn_for(&l, LEARN_ORDERS, jobs, NULL, 0, h, "",
		    10) && l.match_count == 1 && l.matches[0].len == 0 &&
		    l.tried == 1;
		learn_free(&l);
	}
	ok(all, "learn: no candidates: the key alone is the one order");

	/* A budget that cuts the search short: the same whatever the jobs. */
	snprintf(message, sizeof(message), "%s%s", wide[4].data, wide[2].data);
	all = true;
	for (unsigned jobs = 1; jobs <= 3; jobs++) {
		struct mh_error e;

		memset(&l, 0, sizeof(l));
		l.kind = LEARN_ORDERS;
		l.values = wide;
		l.count = 6;
		l.hasher = h;
		l.budget = learn_cost(LEARN_ORDERS, 6, 3);
		l.max_matches = 10;
		l.jobs = jobs;
		{
			sha1_ctx ctx;

			hasher_start(h, &ctx);
			sha1_update(&ctx, message, strlen(message));
			hasher_finish(h, &ctx, l.target);
		}
		all = all && learn_run(&l, &e) && l.depth == 3 &&
		    l.tried == learn_cost(LEARN_ORDERS, 6, 3) &&
		    l.match_count == 1 && l.matches[0].len == 2 &&
		    l.matches[0].index[0] == 4 && l.matches[0].index[1] == 2;
		learn_free(&l);
	}
	ok(all, "learn: a budget cuts the depth, the same with 1 to 3 jobs");
	hasher_wipe(h);
	free(h);
}

/* framework_route: the name and id it gives, or the status MOR answers. */
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
static void
test_escaping(void)
{
	int all = 1;
	char got[ESCAPED_MAX + 1], want[8];
	struct quoted q;
	char long_name[60];

	for (int c = 0; c < 256; c++) {
		size_t n = escape_byte((unsigned char)c, got);

		got[n] = '\0';
		if (c == '\\' || c == '\n' || c == '\r' || c == '\t')
			snprintf(want, sizeof(want), "\\%c", c == '\\' ? '\\' :
			    c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
		else if (c < 0x20 || c == 0x7f)
			snprintf(want, sizeof(want), "\\x%02x", c);
		else
			snprintf(want, sizeof(want), "%c", c);
		all &= strcmp(got, want) == 0;
	}
	ok(all, "error: each of the 256 bytes escapes as error.h says");
	memset(long_name, 'a', sizeof(long_name));
	long_name[0] = '\n';
	q = quote(long_name, sizeof(long_name));
	ok(strncmp(q.text, "\\naaa", 5) == 0 && strlen(q.text) == 49 + 3 &&
	    strcmp(q.text + 49, "...") == 0, "error: a quoted name is cut after "
	    "QUOTED_MAX bytes, with \"...\"");
}

int
main(void)
{
	test_sha1_vectors();
	test_escaping();
	test_sha1_million_a();
	test_sha1_hex();
	test_splitter();
	test_url_encoding();
	test_query();
	test_methods();
	{
		struct mh_error e;

		ok(catalog_open(&catalog, NULL, false, &e),
		    "request: the catalogue opens");
	}
	test_examples();
	test_server_vectors();
	test_request_rules();
	test_write_uri();
	test_learn();
	test_learn_search();
	test_route();
	test_rules();
	catalog_close(&catalog);
	printf("1..%d\n", test_number);
	return failures != 0;
}
