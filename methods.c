/*
 * methods.c - the method table: the built-in rows, the user's file, the
 * one rule of precedence between them, and suggestions for misspelt
 * names.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "methods.h"

#define NAME_CHARS \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-[]"

/* A user's entry that follows the version's global order, as MOR does. */
#define GLOBAL_ENTRY "(global)"

static bool
names_equal(const char *a, size_t a_len, const char *b, size_t b_len)
{
	return a_len == b_len && memcmp(a, b, a_len) == 0;
}

bool
method_list_has(const char *list, const char *name, size_t len)
{
	struct method_param p;

	while (method_list_next(&list, &p))
		if (names_equal(p.name, p.name_len, name, len))
			return true;
	return false;
}

bool
method_list_next(const char **cursor, struct method_param *p)
{
	const char *s = *cursor, *end, *mark;

	if (*s == '\0')
		return false;
	end = s + strcspn(s, ",");
	p->name = s;
	p->name_len = strcspn(s, "*!,");
	mark = s + p->name_len;
	p->required = *mark == '*';
	if (p->required)
		mark++;
	p->has_unless = mark[0] == '!' && mark[1] == '=';
	p->unless = p->has_unless ? mark + 2 : end;
	p->unless_len = (size_t)(end - p->unless);
	*cursor = *end != '\0' ? end + 1 : end;
	return true;
}

bool
method_name_valid(const char *name, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (name[i] == '\0' || strchr(NAME_CHARS, name[i]) == NULL)
			return false;
	return len > 0;
}

static bool
entry_valid(const char *s, size_t len)
{
	size_t name_len = strspn(s, NAME_CHARS);
	const char *mark = s + name_len, *end = s + len;

	if (name_len == 0 || name_len > len)
		return false;
	if (mark < end && *mark == '*')
		mark++;
	if (mark == end)
		return true;
	return end - mark >= 2 && mark[0] == '!' && mark[1] == '=' &&
	    memchr(mark + 2, '\t', (size_t)(end - mark - 2)) == NULL;
}

bool
method_list_valid(const char *list)
{
	const char *s = list;

	if (strcmp(list, "-") == 0)
		return true;
	for (;;) {
		size_t len = strcspn(s, ",");

		if (!entry_valid(s, len))
			return false;
		if (s[len] == '\0')
			return true;
		s += len + 1;
	}
}

static bool
is_blank_or_comment(const char *line)
{
	line += strspn(line, " \t");
	return *line == '\0' || *line == '#';
}

/* Splits a line at TABs in place: METHOD, HASHED and an optional OTHER. */
static bool
parse_line(struct method *m, char *line, const char *path,
    unsigned long number, const char **why)
{
	char *field[3];
	size_t count = 0;
	bool global;

	for (char *s = line;; s++) {
		if (count == 3) {
			*why = "more than three TAB-separated fields";
			return false;
		}
		field[count++] = s;
		s = strchr(s, '\t');
		if (s == NULL)
			break;
		*s = '\0';
	}
	if (count < 2) {
		*why = "want METHOD<TAB>HASHED[<TAB>OTHER]";
		return false;
	}
	if (field[0][0] == '\0' || field[0][strspn(field[0], NAME_CHARS)]) {
		*why = "method name is empty or has a character not allowed";
		return false;
	}
	global = strcmp(field[1], GLOBAL_ENTRY) == 0;
	if ((!global && !method_list_valid(field[1])) ||
	    (count == 3 && !method_list_valid(field[2]))) {
		*why = "malformed parameter list (NAME[*][!=VALUE],...)";
		return false;
	}
	memset(m, 0, sizeof(*m));
	m->name = field[0];
	m->aliases = m->since = m->basis = m->confidence = m->note = "";
	m->global = global;
	m->hashed = strcmp(field[1], "-") == 0 || global ? "" : field[1];
	m->other = count < 3 || strcmp(field[2], "-") == 0 ? "" : field[2];
	m->source = path;
	m->line = number;
	return true;
}

static bool
bad_line(struct mh_error *e, const char *path, unsigned long line,
    const char *why)
{
	return mh_fail(e, "methods file '%s', line %lu: %s",
	    quote_path(path).text, line, why);
}

bool
method_table_parse(struct method_table *t, char *text, size_t len,
    const char *path, struct mh_error *e)
{
	size_t lines = 1;
	unsigned long number = 0, nul_line = 1;
	char *end = text + len, *nul;
	const char *why;

	memset(t, 0, sizeof(*t));
	if ((nul = memchr(text, '\0', len)) != NULL) {
		for (char *p = text; (p = memchr(p, '\n', (size_t)(nul - p)));
		    p++)
			nul_line++;
		free(text);
		return bad_line(e, path, nul_line, "a NUL byte");
	}
	for (char *p = text; (p = memchr(p, '\n', (size_t)(end - p))); p++)
		lines++;
	t->entries = calloc(lines, sizeof(*t->entries));
	if (t->entries == NULL) {
		free(text);
		return mh_no_memory(e);
	}
	t->text = text;
	for (char *line = text; line <= end && line != NULL;) {
		char *newline = memchr(line, '\n', (size_t)(end - line));
		char *line_end = newline != NULL ? newline : end;

		number++;
		*line_end = '\0';
		if (line_end > line && line_end[-1] == '\r')
			line_end[-1] = '\0';
		if (!is_blank_or_comment(line)) {
			if (!parse_line(&t->entries[t->count], line, path,
			    number, &why)) {
				method_table_free(t);
				return bad_line(e, path, number, why);
			}
			t->count++;
		}
		line = newline != NULL ? newline + 1 : NULL;
	}
	return true;
}

void
method_table_free(struct method_table *t)
{
	free(t->entries);
	free(t->text);
	memset(t, 0, sizeof(*t));
}

/* Reading the user's file. */

static bool
file_error(struct mh_error *e, const char *path)
{
	return mh_fail(e, "methods file '%s': %s", quote_path(path).text,
	    strerror(errno));
}

/*
 * The whole file, with a spare byte after it for the parser.  O_NONBLOCK
 * and the check for a regular file keep a FIFO placed at the path from
 * hanging every method lookup (and bash completion with it).
 */
static bool
read_user_file(const char *path, bool must_exist, char **text, size_t *len,
    struct mh_error *e)
{
	struct stat st;
	ssize_t n;
	int fd;

	*text = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	/* The default path is absent too where a directory on it is a file. */
	if (fd == -1)
		return (errno == ENOENT || errno == ENOTDIR) && !must_exist ?
		    true : file_error(e, path);
	if (fstat(fd, &st) == -1) {
		file_error(e, path);
		close(fd);
		return false;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return mh_fail(e, "methods file '%s' is not a regular file",
		    quote_path(path).text);
	}
	if ((*text = malloc(USER_FILE_MAX + 2)) == NULL) {
		close(fd);
		return mh_no_memory(e);
	}
	while (*len <= USER_FILE_MAX &&
	    (n = read(fd, *text + *len, USER_FILE_MAX + 1 - *len)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			file_error(e, path);
			close(fd);
			free(*text);
			return false;
		}
		*len += (size_t)n;
	}
	close(fd);
	if (*len > USER_FILE_MAX) {
		free(*text);
		return mh_fail(e, "methods file '%s' is larger than %d bytes",
		    quote_path(path).text, USER_FILE_MAX);
	}
	return true;
}

static const char *
builtin_str(uint32_t offset)
{
	return builtin_strings + offset;
}

static bool
make_builtin(struct catalog *c, struct mh_error *e)
{
	c->builtin = calloc(builtin_method_count, sizeof(*c->builtin));
	if (c->builtin == NULL)
		return mh_no_memory(e);
	for (size_t i = 0; i < builtin_method_count; i++) {
		const struct builtin_method *b = &builtin_methods[i];
		struct method *m = &c->builtin[i];

		m->name = builtin_str(b->name);
		m->aliases = builtin_str(b->aliases);
		m->hashed = builtin_str(b->hashed);
		m->other = builtin_str(b->other);
		m->since = builtin_str(b->since);
		m->basis = builtin_str(b->basis);
		m->confidence = builtin_str(b->confidence);
		m->source = builtin_str(b->source);
		m->note = builtin_str(b->note);
	}
	c->builtin_count = builtin_method_count;
	return true;
}

static int
compare_entries(const void *a, const void *b)
{
	const struct method *x = a, *y = b;
	int by_name = strcmp(x->name, y->name);

	if (by_name != 0)
		return by_name;
	return (x->line > y->line) - (x->line < y->line);
}

bool
catalog_open(struct catalog *c, const char *path, bool must_exist,
    struct mh_error *e)
{
	char *text;
	size_t len;

	memset(c, 0, sizeof(*c));
	if (!make_builtin(c, e))
		return false;
	if (path == NULL)
		return true;
	if (!read_user_file(path, must_exist, &text, &len, e)) {
		catalog_close(c);
		return false;
	}
	if (text == NULL)
		return true;
	if (!method_table_parse(&c->user, text, len, path, e)) {
		catalog_close(c);
		return false;
	}
	/* By name, then line: lookups bisect, and the later line wins. */
	qsort(c->user.entries, c->user.count, sizeof(*c->user.entries),
	    compare_entries);
	return true;
}

void
catalog_close(struct catalog *c)
{
	free(c->builtin);
	method_table_free(&c->user);
	memset(c, 0, sizeof(*c));
}

/* name (len bytes) is the NUL-terminated s; cheap when they differ. */
static bool
is_name(const char *s, const char *name, size_t len)
{
	return s[0] == name[0] && strncmp(s, name, len) == 0 && s[len] == '\0';
}

const struct method *
catalog_builtin(const struct catalog *c, const char *name, size_t len)
{
	if (len == 0 || memchr(name, '\0', len) != NULL)
		return NULL;
	for (size_t i = 0; i < c->builtin_count; i++)
		if (is_name(c->builtin[i].name, name, len))
			return &c->builtin[i];
	for (size_t i = 0; i < c->builtin_count; i++)
		if (c->builtin[i].aliases[0] != '\0' &&
		    method_list_has(c->builtin[i].aliases, name, len))
			return &c->builtin[i];
	return NULL;
}

/* Compares name (len bytes, no NUL) with the NUL-terminated s. */
static int
compare_name(const char *name, size_t len, const char *s)
{
	int r = strncmp(name, s, len);

	return r != 0 ? r : -(s[len] != '\0');
}

/* The user's last entry named exactly name, by bisection; or NULL. */
static const struct method *
user_named(const struct catalog *c, const char *name, size_t len)
{
	size_t lo = 0, hi = c->user.count;

	/* The first entry whose name is greater than name. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (compare_name(name, len, c->user.entries[mid].name) >= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0 && compare_name(name, len, c->user.entries[lo - 1].name) == 0)
		return &c->user.entries[lo - 1];
	return NULL;
}

static const struct method *
later(const struct method *a, const struct method *b)
{
	if (a == NULL)
		return b;
	if (b == NULL)
		return a;
	return b->line > a->line ? b : a;
}

const struct method *
catalog_user(const struct catalog *c, const char *name, size_t len)
{
	const struct method *found = user_named(c, name, len), *b;
	const char *cursor;
	struct method_param alias;

	if (c->user.count == 0 || (b = catalog_builtin(c, name, len)) == NULL)
		return found;
	found = later(found, user_named(c, b->name, strlen(b->name)));
	cursor = b->aliases;
	while (method_list_next(&cursor, &alias))
		found = later(found, user_named(c, alias.name, alias.name_len));
	return found;
}

const struct method *
catalog_find(const struct catalog *c, const char *name, size_t len)
{
	const struct method *user = catalog_user(c, name, len);

	return user != NULL ? user : catalog_builtin(c, name, len);
}

static int
compare_by_name(const void *a, const void *b)
{
	return strcmp((*(const struct method *const *)a)->name,
	    (*(const struct method *const *)b)->name);
}

bool
catalog_list(const struct catalog *c, const struct method ***out,
    size_t *count)
{
	const struct method **all;
	size_t n = 0;

	all = calloc(c->builtin_count + c->user.count + 1, sizeof(*all));
	if (all == NULL)
		return false;
	for (size_t i = 0; i < c->builtin_count; i++) {
		const struct method *user = catalog_user(c, c->builtin[i].name,
		    strlen(c->builtin[i].name));

		all[n++] = user != NULL ? user : &c->builtin[i];
	}
	for (size_t i = 0; i < c->user.count; i++) {
		const struct method *m = &c->user.entries[i];
		bool last = i + 1 == c->user.count ||
		    strcmp(m->name, c->user.entries[i + 1].name) != 0;

		if (last && catalog_builtin(c, m->name, strlen(m->name)) ==
		    NULL)
			all[n++] = m;
	}
	qsort(all, n, sizeof(*all), compare_by_name);
	*count = 0;
	for (size_t i = 0; i < n; i++)
		if (*count == 0 || all[*count - 1] != all[i])
			all[(*count)++] = all[i];
	*out = all;
	return true;
}

/* Levenshtein distance, capped: names here are short. */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t a_len = strlen(a), b_len = strlen(b), row[64];

	if (a_len >= 64 || b_len >= 64)
		return SIZE_MAX;
	for (size_t j = 0; j <= b_len; j++)
		row[j] = j;
	for (size_t i = 1; i <= a_len; i++) {
		size_t diagonal = row[0];

		row[0] = i;
		for (size_t j = 1; j <= b_len; j++) {
			size_t above = row[j];
			size_t best = diagonal + (a[i - 1] != b[j - 1]);

			if (above + 1 < best)
				best = above + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diagonal = above;
		}
	}
	return row[b_len];
}

/* A name is close when a few edits make it, or when one contains the other. */
static size_t
closeness(const char *wanted, const char *known)
{
	size_t distance = edit_distance(wanted, known);
	size_t limit = strlen(wanted) / 4 + 2;

	if (distance <= limit)
		return distance;
	if (strlen(wanted) >= 4 && strstr(known, wanted) != NULL)
		return limit + 1;
	return SIZE_MAX;
}

static void
consider(const char *wanted, const char *known, const char **out,
    size_t *score, size_t *found, size_t max)
{
	size_t s = closeness(wanted, known), i;

	if (s == SIZE_MAX)
		return;
	for (i = 0; i < *found; i++)
		if (strcmp(out[i], known) == 0)
			return;
	for (i = *found; i > 0 && score[i - 1] > s; i--)
		if (i < max) {
			out[i] = out[i - 1];
			score[i] = score[i - 1];
		}
	if (i < max) {
		out[i] = known;
		score[i] = s;
		if (*found < max)
			++*found;
	}
}

size_t
catalog_suggest(const struct catalog *c, const char *name, const char **out,
    size_t max)
{
	size_t score[8], found = 0, len = strlen(name);
	char lower[64];

	if (max > 8)
		max = 8;
	/* Method names are lower case: USERS_GET is close to users_get. */
	if (len >= sizeof(lower))
		return 0;
	for (size_t i = 0; i <= len; i++)
		lower[i] = name[i] >= 'A' && name[i] <= 'Z' ?
		    (char)(name[i] - 'A' + 'a') : name[i];
	for (size_t i = 0; i < c->builtin_count; i++)
		consider(lower, c->builtin[i].name, out, score, &found, max);
	return found;
}

struct suggestion
catalog_did_you_mean(const struct catalog *c, const char *name)
{
	struct suggestion s = { "" };
	const char *close[3];
	size_t n = catalog_suggest(c, name, close, 3);

	if (n > 0)
		snprintf(s.text, sizeof(s.text), "; did you mean %s%s%s%s%s?",
		    close[0], n > 1 ? (n > 2 ? ", " : " or ") : "",
		    n > 1 ? close[1] : "", n > 2 ? " or " : "",
		    n > 2 ? close[2] : "");
	return s;
}

bool
catalog_unknown(const struct catalog *c, const char *name, struct mh_error *e)
{
	struct suggestion s;

	if (name[0] == '\0')
		return mh_fail(e, "the method name is empty");
	s = catalog_did_you_mean(c, name);
	if (s.text[0] == '\0')
		return mh_fail(e, "unknown method '%s' (mor-hash --methods "
		    "lists them)", quote_str(name).text);
	return mh_fail(e, "unknown method '%s'%s", quote_str(name).text,
	    s.text);
}
