/*
 * methods.c - the method table: lookup, list parsing, the user's file,
 * and suggestions for misspelt names.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "methods.h"

#define NAME_CHARS \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-[]"

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

/* name (len bytes) is the NUL-terminated s; cheap when they differ. */
static bool
is_name(const char *s, const char *name, size_t len)
{
	return s[0] == name[0] && strncmp(s, name, len) == 0 && s[len] == '\0';
}

const struct method *
method_builtin(const char *name, size_t len)
{
	if (len == 0 || memchr(name, '\0', len) != NULL)
		return NULL;
	for (size_t i = 0; i < builtin_method_count; i++)
		if (is_name(builtin_methods[i].name, name, len))
			return &builtin_methods[i];
	for (size_t i = 0; i < builtin_method_count; i++)
		if (builtin_methods[i].aliases[0] != '\0' &&
		    method_list_has(builtin_methods[i].aliases, name, len))
			return &builtin_methods[i];
	return NULL;
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
	if (!method_list_valid(field[1]) ||
	    (count == 3 && !method_list_valid(field[2]))) {
		*why = "malformed parameter list (NAME[*][!=VALUE],...)";
		return false;
	}
	memset(m, 0, sizeof(*m));
	m->name = field[0];
	m->aliases = m->since = m->basis = m->confidence = m->note = "";
	m->hashed = strcmp(field[1], "-") == 0 ? "" : field[1];
	m->other = count < 3 || strcmp(field[2], "-") == 0 ? "" : field[2];
	m->source = path;
	m->line = number;
	return true;
}

bool
method_table_parse(struct method_table *t, char *text, size_t len,
    const char *path, unsigned long *bad_line, const char **why)
{
	size_t lines = 1;
	unsigned long number = 0;
	char *end = text + len, *nul;

	memset(t, 0, sizeof(*t));
	if ((nul = memchr(text, '\0', len)) != NULL) {
		*bad_line = 1;
		for (char *p = text; (p = memchr(p, '\n', (size_t)(nul - p)));
		    p++)
			++*bad_line;
		*why = "a NUL byte";
		free(text);
		return false;
	}
	for (char *p = text; (p = memchr(p, '\n', (size_t)(end - p))); p++)
		lines++;
	t->entries = calloc(lines, sizeof(*t->entries));
	if (t->entries == NULL) {
		*bad_line = 0;
		*why = "out of memory";
		free(text);
		return false;
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
			    number, why)) {
				*bad_line = number;
				method_table_free(t);
				return false;
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

const struct method *
method_table_find(const struct method_table *t, const char *name,
    size_t len)
{
	for (size_t i = t->count; i-- > 0;)
		if (names_equal(t->entries[i].name,
		    strlen(t->entries[i].name), name, len))
			return &t->entries[i];
	return NULL;
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
methods_suggest(const char *name, const char **out, size_t max)
{
	size_t score[8], found = 0;

	if (max > 8)
		max = 8;
	for (size_t i = 0; i < builtin_method_count; i++)
		consider(name, builtin_methods[i].name, out, score, &found,
		    max);
	return found;
}
