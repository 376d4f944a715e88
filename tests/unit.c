/*
 * unit.c - unit tests of the pure modules (SHA-1, the splitter, URLs, the
 * method table, escaping), printing TAP for tests/run; main runs the
 * groups of unit-request.c and unit-learn.c too.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "methods.h"
#include "records.h"
#include "sha1.h"
#include "error.h"
#include "unit.h"
#include "url.h"

static int test_number, failures;

void
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

void
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
	test_requests();
	test_learn_all();
	printf("1..%d\n", test_number);
	return failures != 0;
}
