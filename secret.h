/*
 * secret.h - the MOR API secret key: found, read, and wiped.
 */
#ifndef MOR_HASH_SECRET_H
#define MOR_HASH_SECRET_H

#include <stddef.h>

#define SECRET_MAX 4096

struct secret {
	const unsigned char	*bytes;
	size_t			 len;
};

/*
 * Loads the key from the first source that applies: the file (-k), the
 * named variable (-e), MOR_API_SECRET, the file named by
 * MOR_API_SECRET_FILE.  Exits with status 2 on any trouble.  The key is
 * wiped when the program exits, whichever way it exits.
 */
struct secret secret_load(const char *file, const char *env_name);

/* Wipe buf too when the program exits: it will hold copies of the key. */
void	secret_track_copy(void *buf, size_t len);

#endif
