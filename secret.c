/*
 * secret.c - finds, reads and wipes the secret key.
 *
 * The key lives in one static buffer that an atexit handler wipes, so
 * that errx() and every other exit path wipe it too.  Messages name the
 * source of the key, never its bytes.
 */
#include <sys/stat.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "secret.h"
#include "sha1.h"

/* The longest key, and a CRLF after it. */
static unsigned char key[SECRET_MAX + 2];
/* How much of key was ever written: what the wipe must cover. */
static size_t key_filled;
/* A buffer that holds copies of the key (batch mode gathers it). */
static void *copy;
static size_t copy_len;

static void
wipe_key(void)
{
	secure_wipe(key, key_filled);
	if (copy != NULL)
		secure_wipe(copy, copy_len);
}

void
secret_track_copy(void *buf, size_t len)
{
	copy = buf;
	copy_len = len;
}

/* No core dump or ptrace by the same user while the key is in memory. */
static void
protect_process(void)
{
#ifdef __linux__
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
}

static size_t
checked_key(size_t len, const char *what, const char *name)
{
	if (len == 0)
		errx(2, "%s %s is empty", what, name);
	if (len > SECRET_MAX)
		errx(2, "%s %s: key is longer than %d bytes", what, name,
		    SECRET_MAX);
	if (memchr(key, '\0', len) != NULL)
		errx(2, "%s %s: key holds a NUL byte", what, name);
	return len;
}

static size_t
key_from_env(const char *name)
{
	const char *value = getenv(name);
	size_t len;

	if (name[0] == '\0')
		errx(2, "environment variable name is empty");
	if (value == NULL)
		errx(2, "environment variable %s is not set", name);
	len = strnlen(value, sizeof(key));
	key_filled = len;
	memcpy(key, value, len);
	return checked_key(len, "environment variable", name);
}

/*
 * O_NONBLOCK lets a FIFO without a writer open at once; reads then block
 * again, so a pipe that has a writer (-k <(pass mor)) is read as usual,
 * and one that has none reads as empty instead of hanging.
 */
static int
open_key_file(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	if (fd == -1)
		err(2, "key file %s", path);
	if (fstat(fd, &st) == -1)
		err(2, "key file %s", path);
	if (S_ISDIR(st.st_mode))
		errx(2, "key file %s is a directory", path);
	if (S_ISREG(st.st_mode) && (st.st_mode & (S_IRGRP | S_IROTH)))
		warnx("warning: key file %s is readable by group or others; "
		    "chmod 600 %s", path, path);
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) == -1)
		err(2, "key file %s", path);
	return fd;
}

/* The first line, without its LF or CRLF; a file without one is all key. */
static size_t
key_from_file(const char *path)
{
	int fd;
	size_t have = 0;
	unsigned char *newline = NULL;

	if (path[0] == '\0')
		errx(2, "key file name is empty");
	fd = open_key_file(path);
	while (have < sizeof(key) && newline == NULL) {
		ssize_t n = read(fd, key + have, sizeof(key) - have);

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			err(2, "key file %s", path);
		if (n == 0)
			break;
		newline = memchr(key + have, '\n', (size_t)n);
		have += (size_t)n;
		key_filled = have;
	}
	close(fd);
	if (newline != NULL) {
		have = (size_t)(newline - key);
		if (have > 0 && key[have - 1] == '\r')
			have--;
	} else if (have == sizeof(key))
		have = SECRET_MAX + 1;
	return checked_key(have, "key file", path);
}

struct secret
secret_load(const char *file, const char *env_name)
{
	const char *path;
	struct secret s;

	protect_process();
	if (atexit(wipe_key) != 0)
		errx(2, "cannot arrange to wipe the key at exit");
	if (file != NULL)
		s.len = key_from_file(file);
	else if (env_name != NULL)
		s.len = key_from_env(env_name);
	else if (getenv("MOR_API_SECRET") != NULL)
		s.len = key_from_env("MOR_API_SECRET");
	else if ((path = getenv("MOR_API_SECRET_FILE")) != NULL) {
		if (path[0] == '\0')
			errx(2, "MOR_API_SECRET_FILE is empty");
		s.len = key_from_file(path);
	}
	else
		errx(2, "no secret key: set MOR_API_SECRET or "
		    "MOR_API_SECRET_FILE, or use -e NAME or -k FILE");
	s.bytes = key;
	return s;
}
