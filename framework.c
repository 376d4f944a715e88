/*
 * framework.c - Rails' router, Rack::UTF8Sanitizer and Rack's nested
 * parameters, as they stand in front of MOR's hash check.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha1.h"
#include "framework.h"

bool
mor_answers(struct mh_error *e, const char *who, int status,
    const char *fmt, ...)
{
	char reason[MH_ERROR_MAX];
	va_list ap;

	if (e == NULL)
		return false;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	mh_fail(e, "%s answers %d whatever the hash: %s", who, status, reason);
	e->code = MH_E_MOR_ANSWERS;
	e->status = status;
	return false;
}

/* UTF-8 */

/* The length of the well-formed sequence at s, or 0 (RFC 3629, table 3-7). */
static size_t
utf8_sequence(const unsigned char *s, size_t len)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t n;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (len < n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

bool
utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	while (p < end) {
		size_t n;

		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((n = utf8_sequence(p, (size_t)(end - p))) == 0)
			return false;
		p += n;
	}
	return true;
}

size_t
utf8_replaced_len(const char *s, size_t len)
{
	size_t out = len;

	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			out += 2;
	return out;
}

size_t
utf8_replace(char *dst, const char *s, size_t len)
{
	char *out = dst;

	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80) {
			memcpy(out, "\xef\xbf\xbd", 3);
			out += 3;
		} else
			*out++ = s[i];
	return (size_t)(out - dst);
}

/* Whether needle's bytes occur in s (NUL bytes included). */
bool
memmem_bytes(const char *s, size_t len, const char *needle, size_t n)
{
	if (n == 0)
		return true;
	for (const char *p = s; n <= len - (size_t)(p - s) &&
	    (p = memchr(p, needle[0], len - (size_t)(p - s) - n + 1)) != NULL;
	    p++)
		if (memcmp(p, needle, n) == 0)
			return true;
	return false;
}

/* The router */

static bool
is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

/*
 * The sanitizer's pass over a path: %XX of unreserved bytes and of
 * 0x80-0xFF decoded, then every such high byte U+FFFD if the result is
 * not UTF-8.  dst has room for 3 * len bytes.
 */
static size_t
sanitize_path(char *dst, const char *src, size_t len)
{
	size_t n = 0;
	char *tmp = dst + 2 * len;	/* the decoded bytes, at the end */

	for (size_t i = 0; i < len; i++) {
		int hi = src[i] == '%' && len - i >= 3 ? hex_value(src[i + 1]) :
		    -1;
		int lo = hi >= 0 ? hex_value(src[i + 2]) : -1;
		unsigned char c = lo >= 0 ? (unsigned char)(hi << 4 | lo) : 0;

		if (lo >= 0 && (c >= 0x80 || is_unreserved(c))) {
			tmp[n++] = (char)c;
			i += 2;
		} else
			tmp[n++] = src[i];
	}
	if (utf8_valid(tmp, n)) {
		memmove(dst, tmp, n);
		return n;
	}
	/* Replacing grows the text: copy it out of the way first. */
	memmove(dst + 3 * len - n, tmp, n);
	return utf8_replace(dst, dst + 3 * len - n, n);
}

/* A path segment: NAME, or NAME.FORMAT with one '.' and both non-empty. */
struct segment {
	const char	*s;
	size_t		 len;		/* NAME's */
	bool		 has_format;
	bool		 ok;
};

static struct segment
split_format(const char *s, size_t len)
{
	struct segment seg = { s, len, false, len > 0 };
	const char *dot = memchr(s, '.', len);

	if (dot != NULL) {
		size_t fmt = len - (size_t)(dot - s) - 1;

		seg.len = (size_t)(dot - s);
		seg.has_format = true;
		seg.ok = seg.len > 0 && fmt > 0 &&
		    memchr(dot + 1, '.', fmt) == NULL;
	}
	return seg;
}

static bool
same(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(s, word, len) == 0;
}

/* The action an old-name route gives this segment, if one matches. */
static const struct server_action *
old_name_route(const struct server_version *v, struct segment seg,
    bool with_id)
{
	return seg.ok ? server_alias(v, seg.s, seg.len, with_id) : NULL;
}

/* The segments of a path after its first "api" one, slashes squeezed. */
static size_t
api_segments(const char *path, size_t len, const char *seg[3],
    size_t seg_len[3], bool *api)
{
	const char *end = path + len;
	size_t n = 0;

	*api = false;
	for (const char *s = path; s < end;) {
		const char *stop = memchr(s, '/', (size_t)(end - s));

		if (stop == NULL)
			stop = end;
		if (stop > s) {
			/* /api.FORMAT: no route takes a format there. */
			if (!*api && stop - s > 4 && memcmp(s, "api.", 4) == 0) {
				*api = true;
				return 3;
			}
			if (*api) {
				if (n < 3) {
					seg[n] = s;
					seg_len[n] = (size_t)(stop - s);
				}
				n++;
			} else if (same(s, (size_t)(stop - s), "api"))
				*api = true;
		}
		s = stop + 1;
	}
	return n;
}

bool
framework_route(const struct server_version *v, const char *who,
    const char *url, struct api_route *r, struct mh_error *e)
{
	const char *path, *end, *seg[3];
	size_t seg_len[3], n, len;
	struct segment name, id = { NULL, 0, false, true };
	char *buf;

	memset(r, 0, sizeof(*r));
	url_path(url, &path, &end);
	len = (size_t)(end - path);
	/* Room for the sanitizer (3x), then the decoded name and id. */
	if ((r->storage = malloc(4 * len + 1)) == NULL)
		return mh_no_memory(e);
	buf = r->storage + 3 * len;
	if (v->sanitizer) {
		len = sanitize_path(r->storage, path, len);
		path = r->storage;
	}
	n = api_segments(path, len, seg, seg_len, &r->api);
	if (!r->api)
		return true;
	if (n == 0)
		return mor_answers(e, who, 404, "the path names no method "
		    "(.../api is routed to an action index, which MOR lacks; "
		    "an action= parameter does not change that): write "
		    ".../api/METHOD");
	if (n > 2)
		return mor_answers(e, who, 404, "no route matches more than "
		    "METHOD/ID after /api/");
	name = split_format(seg[0], seg_len[0]);
	if (n == 2) {
		id = split_format(seg[1], seg_len[1]);
		if ((r->alias = old_name_route(v, split_format(seg[0],
		    seg_len[0]), true)) == NULL && name.has_format)
			name.ok = false;
	} else
		r->alias = old_name_route(v, name, false);
	if (!name.ok || !id.ok)
		return mor_answers(e, who, 404, "no route matches '%s' (a "
		    "method or id takes at most one .FORMAT)",
		    quote(seg[0], (size_t)(seg[n - 1] + seg_len[n - 1] -
		    seg[0])).text);
	r->name = buf;
	r->name_len = path_decode(buf, name.s, name.len);
	if (n == 2) {
		r->id = buf + r->name_len;
		r->id_len = path_decode(buf + r->name_len, id.s, id.len);
	}
	if (!v->sanitizer && (!utf8_valid(r->name, r->name_len) ||
	    (r->id != NULL && !utf8_valid(r->id, r->id_len))))
		return mor_answers(e, who, v->path_utf8_status, "a path "
		    "parameter is not valid UTF-8");
	return true;
}

/* Rack's nested parameters */

#define NONE ((size_t)-1)

enum kind { K_NIL, K_STRING, K_ARRAY, K_HASH };

/* A value; as a Hash's entry it has a key, as an element it has none. */
struct node {
	enum kind	 kind;
	const char	*str;		/* K_STRING */
	size_t		 len;
	const char	*key;
	size_t		 key_len;
	size_t		 first, last;	/* K_ARRAY, K_HASH: children */
	size_t		 next;		/* the next sibling */
};

struct tree {
	struct node	*nodes;
	size_t		 count, cap;
	int		 clash;		/* the status of a type clash */
	bool		 clashed;
	bool		 no_memory;
};

static size_t
new_node(struct tree *t, enum kind kind)
{
	if (t->count == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		struct node *nodes = realloc(t->nodes, cap * sizeof(*nodes));

		if (nodes == NULL) {
			t->no_memory = true;
			return NONE;
		}
		t->nodes = nodes;
		t->cap = cap;
	}
	memset(&t->nodes[t->count], 0, sizeof(t->nodes[0]));
	t->nodes[t->count].kind = kind;
	t->nodes[t->count].first = t->nodes[t->count].last = NONE;
	t->nodes[t->count].next = NONE;
	return t->count++;
}

static void
append_child(struct tree *t, size_t parent, size_t child)
{
	struct node *p = &t->nodes[parent];

	if (p->last == NONE)
		p->first = child;
	else
		t->nodes[p->last].next = child;
	p->last = child;
}

static size_t
hash_entry(const struct tree *t, size_t hash, const char *key, size_t len)
{
	for (size_t c = t->nodes[hash].first; c != NONE; c = t->nodes[c].next)
		if (t->nodes[c].key_len == len &&
		    memcmp(t->nodes[c].key, key, len) == 0)
			return c;
	return NONE;
}

/* hash[key], made a new entry (nil) when absent. */
static size_t
hash_slot(struct tree *t, size_t hash, const char *key, size_t len)
{
	size_t c = hash_entry(t, hash, key, len);

	if (c == NONE && (c = new_node(t, K_NIL)) != NONE) {
		t->nodes[c].key = key;
		t->nodes[c].key_len = len;
		append_child(t, hash, c);
	}
	return c;
}

/* Gives node n the value of a piece: a String, or nil for a bare name. */
static void
set_leaf(struct tree *t, size_t n, const struct rack_piece *v)
{
	struct node *node = &t->nodes[n];

	node->kind = v->value != NULL ? K_STRING : K_NIL;
	node->str = v->value;
	node->len = v->value_len;
	node->first = node->last = NONE;
}

/* Ruby's ||=: a nil slot becomes an empty container; else it must be one. */
static bool
container(struct tree *t, size_t n, enum kind kind)
{
	if (t->nodes[n].kind == K_NIL) {
		t->nodes[n].kind = kind;
		t->nodes[n].first = t->nodes[n].last = NONE;
	}
	if (t->nodes[n].kind == kind)
		return true;
	t->clashed = true;
	return false;
}

void
rack_key(const char *name, size_t len, const char **key, size_t *key_len)
{
	size_t i = 0, start;

	while (i < len && (name[i] == '[' || name[i] == ']'))
		i++;
	start = i;
	while (i < len && name[i] != '[' && name[i] != ']')
		i++;
	*key = name + start;
	*key_len = i - start;
}

bool
rack_is_nested(const char *name, size_t len)
{
	return memchr(name, '[', len) != NULL || memchr(name, ']', len) != NULL;
}

/*
 * Rack 1.4/1.5's normalize_params: files value v under name in the Hash
 * node hash.  Returns false where Rack returns nil (an empty key).
 */
static bool
normalize(struct tree *t, size_t hash, const char *name, size_t len,
    const struct rack_piece *v)
{
	const char *key, *after;
	size_t key_len, after_len, slot;

	rack_key(name, len, &key, &key_len);
	if (key_len == 0)
		return false;
	after = key + key_len;
	while (after < name + len && *after == ']')
		after++;
	after_len = (size_t)(name + len - after);
	if ((slot = hash_slot(t, hash, key, key_len)) == NONE)
		return true;
	if (after_len == 0) {
		set_leaf(t, slot, v);
	} else if (same(after, after_len, "[]")) {
		size_t elem;

		if (container(t, slot, K_ARRAY) &&
		    (elem = new_node(t, K_NIL)) != NONE) {
			set_leaf(t, elem, v);
			append_child(t, slot, elem);
		}
	} else if (after_len > 2 && after[0] == '[' && after[1] == ']') {
		/* a[][k]=v, or a[]REST: a Hash in the Array, new or the last. */
		const char *child = after + 2;
		size_t child_len = after_len - 2, last, h;

		if (child[0] == '[' && child[child_len - 1] == ']' &&
		    child_len > 2 && memchr(child + 1, '[', child_len - 2) ==
		    NULL && memchr(child + 1, ']', child_len - 2) == NULL) {
			child++;
			child_len -= 2;
		}
		if (!container(t, slot, K_ARRAY))
			return true;
		last = t->nodes[slot].last;
		if (last != NONE && t->nodes[last].kind == K_HASH &&
		    hash_entry(t, last, child, child_len) == NONE) {
			(void)normalize(t, last, child, child_len, v);
			return true;
		}
		if ((h = new_node(t, K_HASH)) == NONE)
			return true;
		if (!normalize(t, h, child, child_len, v))
			t->nodes[h].kind = K_NIL;
		append_child(t, slot, h);
	} else {
		if (!container(t, slot, K_HASH))
			return true;
		if (!normalize(t, slot, after, after_len, v))
			t->nodes[slot].kind = K_NIL;
	}
	return true;
}

/* Rails 4's deep_munge: nils out of Arrays, and an empty Array is nil. */
static void
drop_nils(struct tree *t, size_t n)
{
	struct node *node = &t->nodes[n];
	size_t prev = NONE;

	if (node->kind != K_ARRAY && node->kind != K_HASH)
		return;
	for (size_t c = node->first; c != NONE; c = t->nodes[c].next) {
		drop_nils(t, c);
		if (node->kind == K_ARRAY && t->nodes[c].kind == K_NIL) {
			if (prev == NONE)
				node->first = t->nodes[c].next;
			else
				t->nodes[prev].next = t->nodes[c].next;
			if (node->last == c)
				node->last = prev;
		} else
			prev = c;
	}
	if (node->kind == K_ARRAY && node->first == NONE)
		node->kind = K_NIL;
}

/* Ruby's text of a value, written (or with out NULL, counted). */
struct text {
	char	*out;
	size_t	 len;
};

static void
put(struct text *x, const char *s, size_t len)
{
	if (x->out != NULL)
		memcpy(x->out + x->len, s, len);
	x->len += len;
}

/* Ruby 1.9's String#inspect of a UTF-8 string, in double quotes. */
static void
inspect_string(struct text *x, const char *s, size_t len)
{
	static const char codes[] = "\n\r\t\f\v\b\a\033";
	static const char letters[] = "nrtfvbae";
	char buf[12];

	put(x, "\"", 1);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *sp = c != 0 ? memchr(codes, c, sizeof(codes) - 1) :
		    NULL;
		size_t n;

		if (c == '"' || c == '\\') {
			buf[0] = '\\';
			buf[1] = (char)c;
			put(x, buf, 2);
		} else if (c == '#' && i + 1 < len && (s[i + 1] == '{' ||
		    s[i + 1] == '$' || s[i + 1] == '@'))
			put(x, "\\#", 2);
		else if (sp != NULL) {
			buf[0] = '\\';
			buf[1] = letters[sp - codes];
			put(x, buf, 2);
		} else if (c < 0x20 || c == 0x7f) {
			snprintf(buf, sizeof(buf), "\\u%04X", c);
			put(x, buf, 6);
		} else if (c == 0xc2 && i + 1 < len &&
		    (unsigned char)s[i + 1] < 0xa0) {
			/* U+0080-U+009F, C1 controls: not printable. */
			snprintf(buf, sizeof(buf), "\\u%04X",
			    (unsigned char)s[i + 1]);
			put(x, buf, 6);
			i++;
		} else if (c >= 0x80 && (n = utf8_sequence(
		    (const unsigned char *)s + i, len - i)) > 1) {
			put(x, s + i, n);
			i += n - 1;
		} else
			put(x, s + i, 1);
	}
	put(x, "\"", 1);
}

static void
inspect(struct text *x, const struct tree *t, size_t n)
{
	const struct node *node = &t->nodes[n];
	bool hash = node->kind == K_HASH;

	switch (node->kind) {
	case K_NIL:
		put(x, "nil", 3);
		return;
	case K_STRING:
		inspect_string(x, node->str, node->len);
		return;
	case K_ARRAY:
	case K_HASH:
		put(x, hash ? "{" : "[", 1);
		for (size_t c = node->first; c != NONE; c = t->nodes[c].next) {
			if (c != node->first)
				put(x, ", ", 2);
			if (hash) {
				inspect_string(x, t->nodes[c].key,
				    t->nodes[c].key_len);
				put(x, "=>", 2);
			}
			inspect(x, t, c);
		}
		put(x, hash ? "}" : "]", 1);
		return;
	}
}

/* Ruby's include?: a String's bytes, an Array's elements, a Hash's keys. */
static bool
includes(const struct tree *t, size_t n, const char *probe)
{
	const struct node *node = &t->nodes[n];
	size_t len = strlen(probe);

	if (node->kind == K_STRING)
		return memmem_bytes(node->str, node->len, probe, len);
	for (size_t c = node->first; c != NONE; c = t->nodes[c].next) {
		const struct node *child = &t->nodes[c];

		if (node->kind == K_HASH ? same(child->key, child->key_len,
		    probe) : child->kind == K_STRING && same(child->str,
		    child->len, probe))
			return true;
	}
	return false;
}

bool
rack_build(const struct server_version *v, const char *who,
    const struct rack_piece *pieces, size_t count, const char *probe,
    struct rack_value *out, struct mh_error *e)
{
	struct tree t = { 0 };
	struct text x = { NULL, 0 };
	size_t top = new_node(&t, K_HASH), value = NONE;
	const struct node *n;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < count && !t.clashed && !t.no_memory; i++)
		(void)normalize(&t, top, pieces[i].name, pieces[i].name_len,
		    &pieces[i]);
	if (t.no_memory || top == NONE) {
		free(t.nodes);
		return mh_no_memory(e);
	}
	if (t.clashed) {
		const char *key;
		size_t key_len;

		free(t.nodes);
		rack_key(pieces[0].name, pieces[0].name_len, &key, &key_len);
		return mor_answers(e, who, v->clash_status, "parameter '%s' "
		    "is sent both as one value and as an Array or Hash",
		    quote(key, key_len).text);
	}
	value = t.nodes[top].first;
	if (value != NONE && v->drop_nils)
		drop_nils(&t, value);
	n = value != NONE ? &t.nodes[value] : NULL;
	out->includes_probe = n != NULL && probe != NULL &&
	    includes(&t, value, probe);
	if (n == NULL || n->kind == K_NIL) {
		out->bare = true;
	} else if (n->kind == K_STRING) {
		x.len = n->len;
		if ((x.out = malloc(x.len + 1)) != NULL)
			memcpy(x.out, n->str, n->len);
	} else {
		out->nested = true;
		inspect(&x, &t, value);
		if ((x.out = malloc(x.len + 1)) != NULL) {
			x.len = 0;
			inspect(&x, &t, value);
		}
	}
	free(t.nodes);
	if (!out->bare && x.out == NULL)
		return mh_no_memory(e);
	out->text = x.out;
	out->len = x.len;
	return true;
}
