/*
 * io.c - output and the -v trace.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io.h"

void
out_failed(void)
{
	if (errno == EPIPE)
		exit(2);
	err(2, "standard output");
}

void
out(const void *data, size_t len)
{
	if (fwrite(data, 1, len, stdout) != len)
		out_failed();
}

void
out_str(const char *s)
{
	out(s, strlen(s));
}

void
out_hex(const unsigned char digest[SHA1_DIGEST_LEN])
{
	char hex[SHA1_HEX_LEN + 1];

	sha1_to_hex(hex, digest);
	out(hex, SHA1_HEX_LEN);
}

bool
out_sink(void *arg, const void *data, size_t len)
{
	(void)arg;
	out(data, len);
	return true;
}

int
finish(int status)
{
	if (fflush(stdout) == EOF)
		out_failed();
	if (ferror(stdout))
		errx(2, "write error on standard output");
	if (fclose(stdout) == EOF)
		out_failed();
	return status;
}

void
warn_notes(const struct notes *n, const char *prefix)
{
	for (size_t i = 0; i < n->count; i++)
		warnx("%swarning: %s", prefix, n->text[i]);
}

/*
 * s escaped for the trace (error.h's rule).  *line counts the bytes on
 * the current line; s is shown while the line stays within max bytes.
 * Returns how many bytes of s it showed.
 */
static size_t
show_escaped(const char *s, size_t len, size_t *line, size_t max)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char buf[ESCAPED_MAX];
		size_t n = escape_byte((unsigned char)s[i], buf);

		if (*line + n > max)
			break;
		fwrite(buf, 1, n, stderr);
		*line += n;
	}
	return i;
}

/*
 * s on a line of at most SHOWN_MAX bytes, "..." where it is cut; a cut
 * line counts as SHOWN_MAX + 1, so that nothing more goes on it and a
 * line that is merely full still shows "..." for what follows.
 */
static bool
show_within(const char *s, size_t len, size_t *line)
{
	if (*line <= SHOWN_MAX && show_escaped(s, len, line, SHOWN_MAX) == len)
		return true;
	if (*line <= SHOWN_MAX)
		fputs("...", stderr);
	*line = SHOWN_MAX + 1;
	return false;
}

static void
show_str_within(const char *s, size_t *line)
{
	(void)show_within(s, strlen(s), line);
}

static void
shown_add(struct shown *s, const char *data, size_t len)
{
	size_t room = SHOWN_MAX - s->len, n = len < room ? len : room;

	memcpy(s->buf + s->len, data, n);
	s->len += n;
	s->total += len;
}

/* A piece of a value: the first opens its line, the last ends it. */
void
show_value_piece(struct shown *s, const char *name, size_t name_len,
    const char *data, size_t len, bool ends)
{
	if (!s->in_value) {
		fprintf(stderr, "value %zu: ", ++s->values);
		s->line_len = 0;
		if (name != NULL && show_within(name, name_len, &s->line_len))
			(void)show_within("=", 1, &s->line_len);
		s->in_value = true;
	}
	(void)show_within(data, len, &s->line_len);
	shown_add(s, data, len);
	if (ends) {
		putc('\n', stderr);
		s->in_value = false;
	}
}

void
show_hashed(const struct shown *s, size_t key_len)
{
	size_t line = 0;

	fputs("hashed: ", stderr);
	show_escaped(s->buf, s->len, &line, 4 * SHOWN_MAX);
	if (s->total > s->len)
		fprintf(stderr, "...(%zu bytes in all)", s->total);
	fprintf(stderr, "<secret: %zu bytes>\n", key_len);
}

static void
show_method(const struct plan *p)
{
	const struct method *m = p->entry != NULL ? p->entry : p->doc;
	const char *who = request_target_name(&p->target);

	if (p->kind == PLAN_NAMED) {
		fputs("method: none; order: the names given\n", stderr);
		return;
	}
	if (p->method == NULL) {
		fputs("method: none; order: as given\n", stderr);
		return;
	}
	/* A user's entry may have a name or a file name of any length. */
	size_t line = 0;

	fputs("method: ", stderr);
	show_str_within(m != NULL ? m->name : p->method, &line);
	if (m != NULL && m->line > 0) {
		fputs(" (from ", stderr);
		show_str_within(m->source, &line);
		fprintf(stderr, ", line %lu)\n", m->line);
	} else if (m != NULL) {
		fputs(" (built in; source ", stderr);
		show_str_within(m->source[0] != '\0' ? m->source : "none",
		    &line);
		fputs(")\n", stderr);
	} else
		fprintf(stderr, " (built in; source %s code)\n",
		    p->target.version->name);
	switch (p->basis) {
	case BASIS_USER:
		fprintf(stderr, "order: %s\n", p->kind == PLAN_GLOBAL ?
		    "the global order (the user's entry)" :
		    "the user's entry");
		break;
	case BASIS_SERVER:
		if (p->kind == PLAN_GLOBAL)
			fprintf(stderr, "order: %s's global order, with its "
			    "value rules (code of %s)\n", who,
			    p->target.version->label);
		else
			fprintf(stderr, "order: %s's list for %s (code of "
			    "%s)\n", who, p->action_name,
			    p->target.version->label);
		break;
	default:
		fprintf(stderr, "order: the documentation's (%s has no code "
		    "for it to check)\n", p->target.version->name);
		break;
	}
}

static bool
is_hashed(const struct request *r, const struct param *p)
{
	for (size_t i = 0; i < r->hashed_count; i++)
		if (r->hashed[i].param == p)
			return true;
	return false;
}

void
show_request(const struct request *r, size_t key_len)
{
	struct shown *shown = calloc(1, sizeof(*shown));
	const char *sep = "";
	size_t line;

	if (shown == NULL)
		err(2, NULL);
	show_method(&r->plan);
	fputs("not hashed:", stderr);
	line = strlen("not hashed:");
	/* A bracketed piece is shown as what Rack built of it. */
	for (size_t i = 0; i < r->count && line <= SHOWN_MAX; i++)
		if (!r->params[i].folded && !is_hashed(r, &r->params[i])) {
			fprintf(stderr, "%s ", sep);
			line += strlen(sep) + 1;
			(void)show_within(r->params[i].name,
			    r->params[i].name_len, &line);
			sep = ",";
		}
	fputs(*sep ? "\n" : " none\n", stderr);
	for (size_t i = 0; i < r->hashed_count; i++) {
		const struct hashed *h = &r->hashed[i];
		bool rewritten = h->param != NULL &&
		    (h->value != h->param->value ||
		    h->value_len != h->param->value_len);

		show_value_piece(shown, h->name, h->name_len, h->value,
		    h->value_len, !rewritten);
		if (rewritten) {
			fprintf(stderr, " (MOR's rule; sent as '%s')\n",
			    quote(h->param->value, h->param->value_len).text);
			shown->in_value = false;
		}
	}
	show_hashed(shown, key_len);
	free(shown);
}
