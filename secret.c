/*
 * secret.c - finds and reads the secret key.
 *
 * Messages name the source of the key, never its bytes.  What is read
 * goes into the caller's buffer only; the caller builds the hasher from
 * it and wipes the buffer at once.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <sys/stat.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "error.h"
#include "secret.h"

/* No core dump or ptrace by the same user while the key is in memory. */
static void
protect_process(void)
{
#ifdef __linux__
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
}

bool
secret_env_name_valid(const char *s)
{
	if (!((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') ||
	    s[0] == '_'))
		return false;
	return s[strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_")] == '\0';
}

/*
 * Bytes that a key seldom has on purpose and that nobody sees: MOR then
 * answers "Incorrect hash".  They are kept (the key is the key), but said.
 */
static void
warn_invisible(const unsigned char *key, size_t len, const char *what,
    const char *name)
{
	const char *found = NULL;

	if (len >= 3 && memcmp(key, "\xef\xbb\xbf", 3) == 0)
		found = "starts with a UTF-8 byte order mark";
	else if (key[len - 1] == '\n')
		found = "ends in a line feed";
	else if (key[len - 1] == '\r')
		found = "ends in a carriage return";
	else if (key[len - 1] == ' ' || key[len - 1] == '\t')
		found = "ends in white space";
	else if (key[0] == ' ' || key[0] == '\t')
		found = "starts with white space";
	if (found != NULL)
		warnx("warning: the key from %s %s %s; it is used as it is, "
		    "byte for byte", what, quote_path(name).text, found);
}

static size_t
checked_key(const unsigned char *key, size_t len, bool empty_line,
    const char *what, const char *name)
{
	if (len == 0 && empty_line)
		errx(2, "%s %s: its first line is empty", what,
		    quote_path(name).text);
	if (len == 0)
		errx(2, "%s %s is empty", what, quote_path(name).text);
	if (len > KEY_MAX)
		errx(2, "%s %s: key is longer than %d bytes", what,
		    quote_path(name).text, KEY_MAX);
	if (memchr(key, '\0', len) != NULL)
		errx(2, "%s %s: key holds a NUL byte", what,
		    quote_path(name).text);
	warn_invisible(key, len, what, name);
	return len;
}

static size_t
key_from_env(const char *name, const char *via, unsigned char *buf)
{
	const char *value;
	size_t len;

	/* What -e names may be a key typed in by mistake: no echo. */
	if ((value = getenv(name)) == NULL)
		errx(2, "%s names an environment variable that is not set", via);
	len = strnlen(value, SECRET_BUF);
	memcpy(buf, value, len);
	return checked_key(buf, len, false, "environment variable", name);
}

/*
 * The terminal's state while the key is typed, restored on any exit, and
 * a descriptor to write to it: the key file is opened read-only.
 */
static int tty_fd = -1, tty_out = -1;
static struct termios tty_saved;
/* What the signals that end a prompt did before: restored after it. */
static const int tty_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
static struct sigaction tty_signals_saved[4];

/* The terminal is only told things; a failed write changes nothing. */
static void
tell_tty(int fd, const char *s, size_t len)
{
	ssize_t told = write(fd, s, len);

	(void)told;
}

static void
restore_tty(void)
{
	if (tty_fd != -1) {
		(void)tcsetattr(tty_fd, TCSAFLUSH, &tty_saved);
		tell_tty(tty_out, "\n", 1);
		if (tty_out != -1)
			(void)close(tty_out);
		tty_fd = tty_out = -1;
	}
}

static void
restore_tty_and_die(int sig)
{
	restore_tty();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* As ssh and sudo do: a prompt on the terminal, and echo off. */
static void
echo_off(int fd, const char *path)
{
	static const char prompt[] = "MOR API secret key: ";
	struct termios t;

	if (tcgetattr(fd, &tty_saved) == -1)
		err(2, "key file '%s'", quote_path(path).text);
	t = tty_saved;
	t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	t.c_lflag |= ICANON;
	tty_fd = fd;
	/* Without it (a terminal we may not write to), no prompt. */
	tty_out = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	/* An ignored signal (nohup's SIGHUP) stays ignored. */
	for (size_t i = 0; i < 4; i++)
		if (sigaction(tty_signals[i], NULL, &tty_signals_saved[i]) ==
		    0 && tty_signals_saved[i].sa_handler != SIG_IGN)
			signal(tty_signals[i], restore_tty_and_die);
	if (atexit(restore_tty) != 0 || tcsetattr(fd, TCSAFLUSH, &t) == -1)
		err(2, "key file '%s'", quote_path(path).text);
	tell_tty(tty_out, prompt, sizeof(prompt) - 1);
}

static void
echo_on(void)
{
	restore_tty();
	for (size_t i = 0; i < 4; i++)
		(void)sigaction(tty_signals[i], &tty_signals_saved[i], NULL);
}

/*
 * O_NONBLOCK lets a FIFO without a writer open at once; reads then block
 * again, so a pipe that has a writer (-k <(pass mor)) is read as usual,
 * and one that has none reads as empty instead of hanging.
 */
static int
open_key_file(const char *path, const char *via, bool stdin_busy)
{
	struct stat st, in;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	/* What names no file may be a key typed in by mistake: no echo. */
	if (fd == -1 && (errno == ENOENT || errno == ENOTDIR ||
	    errno == ENAMETOOLONG))
		errx(2, "%s names no key file", via);
	if (fd == -1)
		err(2, "key file '%s'", quote_path(path).text);
	if (fstat(fd, &st) == -1)
		err(2, "key file '%s'", quote_path(path).text);
	if (S_ISDIR(st.st_mode))
		errx(2, "key file '%s' is a directory", quote_path(path).text);
	if (stdin_busy && fstat(STDIN_FILENO, &in) == 0 &&
	    st.st_dev == in.st_dev && st.st_ino == in.st_ino)
		errx(2, "key file '%s' is standard input, which the values "
		    "are read from", quote_path(path).text);
	if (S_ISREG(st.st_mode) && (st.st_mode & (S_IRGRP | S_IROTH)))
		warnx("warning: key file '%s' is readable by group or others; "
		    "chmod 600 '%s'", quote_path(path).text,
		    quote_path(path).text);
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) == -1)
		err(2, "key file '%s'", quote_path(path).text);
	return fd;
}

/* The first line, without its LF or CRLF; a file without one is all key. */
static size_t
key_from_file(const char *path, const char *via, bool stdin_busy,
    unsigned char *buf)
{
	unsigned char *newline = NULL;
	size_t have = 0;
	bool tty;
	int fd;

	if (path[0] == '\0')
		errx(2, "key file name is empty");
	fd = open_key_file(path, via, stdin_busy);
	if ((tty = isatty(fd)))
		echo_off(fd, path);
	while (have < SECRET_BUF && newline == NULL) {
		ssize_t n = read(fd, buf + have, SECRET_BUF - have);

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			err(2, "key file '%s'", quote_path(path).text);
		if (n == 0)
			break;
		newline = memchr(buf + have, '\n', (size_t)n);
		have += (size_t)n;
	}
	if (tty)
		echo_on();
	close(fd);
	if (newline != NULL) {
		bool more = (size_t)(newline - buf) + 1 < have;

		have = (size_t)(newline - buf);
		if (have > 0 && buf[have - 1] == '\r')
			have--;
		return checked_key(buf, have, more, "key file", path);
	}
	if (have == SECRET_BUF)
		have = KEY_MAX + 1;
	return checked_key(buf, have, false, "key file", path);
}

size_t
secret_load(const struct secret_source *s, unsigned char *buf)
{
	const char *path;

	protect_process();
	if (s->file != NULL)
		return key_from_file(s->file, "-k", s->stdin_busy, buf);
	if (s->env_name != NULL)
		return key_from_env(s->env_name, "-e", buf);
	if (getenv("MOR_API_SECRET") != NULL)
		return key_from_env("MOR_API_SECRET", "MOR_API_SECRET", buf);
	if ((path = getenv("MOR_API_SECRET_FILE")) != NULL) {
		if (path[0] == '\0')
			errx(2, "MOR_API_SECRET_FILE is empty");
		return key_from_file(path, "MOR_API_SECRET_FILE", s->stdin_busy,
		    buf);
	}
	errx(2, "no secret key: set MOR_API_SECRET or MOR_API_SECRET_FILE, "
	    "or use -e NAME or -k FILE");
}
