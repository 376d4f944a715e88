/*
 * batch.c - --batch: the driver of its two engines (batch-plain.c,
 * batch-named.c), and what they share of the world: SIGINT, the waits
 * for input and the reads, the writes past stdio.
 *
 * SIGINT is blocked in every thread of the batch but while one waits for
 * input, so it never cuts a write short (no half line), and it reaches
 * the thread that waits at a terminal; whoever writes looks for it after
 * its lines, and the driver once more when all are out.
 *
 * Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
 */
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch-impl.h"
#include "io.h"

/* Atomic: the handler sets it, whichever worker writes reads it. */
static atomic_int interrupted;

static void
on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* Standard input is a regular file: set before the workers start. */
static bool input_is_file;

/* How this processor's vector registers are wiped (sha1.h): set first. */
static int wipe_kind;

/* The mask to wait for input with: the one mor-hash was started with. */
static sigset_t waiting_mask;

/*
 * SIGINT is ours to catch: not ignored by the caller.  An ignored one
 * may still be pending when the caller also blocked it (Linux keeps it),
 * and must not count.
 */
static bool catching;

/*
 * Whether SIGINT came: delivered, or pending while blocked (a wait on a
 * regular file returns at once, with the signal still pending).
 */
bool
interrupt_came(void)
{
	sigset_t pending;

	if (catching && !interrupted && sigpending(&pending) == 0 &&
	    sigismember(&pending, SIGINT) == 1)
		interrupted = 1;
	return interrupted;
}

/* SIGINT stops the batch after the last whole line written. */
static void
catch_interrupt(void)
{
	struct sigaction sa;
	sigset_t block;

	/* Ignored (a background job of a script): left ignored, as cat does. */
	if (sigaction(SIGINT, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN) {
		(void)sigprocmask(SIG_BLOCK, NULL, &waiting_mask);
		return;
	}
	catching = true;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_interrupt;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGINT, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	/*
	 * Before any thread starts, so sigprocmask will do, and the threads
	 * inherit the mask (pthread_sigmask is GLIBC_2.32: one more symbol
	 * version for the loader to check at every start).  The mask to wait
	 * with is the one mor-hash was started with.
	 */
	(void)sigprocmask(SIG_BLOCK, &block, &waiting_mask);
}

/*
 * Waits until standard input can be read: false if SIGINT came first, or
 * if wake (-1: none) became readable: the batch stopped.
 */
static bool
wait_for_input(int wake)
{
	int top = wake > STDIN_FILENO ? wake : STDIN_FILENO, ready;
	fd_set in;

	/* A read from a regular file never waits: no pselect. */
	if (input_is_file)
		return !interrupt_came();
	/* A SIGINT while waiting saves the registers on the stack. */
	wipe_registers(wipe_kind);
	do {
		if (interrupt_came())
			return false;
		FD_ZERO(&in);
		FD_SET(STDIN_FILENO, &in);
		if (wake >= 0)
			FD_SET(wake, &in);
	} while ((ready = pselect(top + 1, &in, NULL, NULL, NULL,
	    &waiting_mask)) == -1 && errno == EINTR);
	if (ready > 0 && wake >= 0 && FD_ISSET(wake, &in))
		return false;
	/*
	 * A SIGINT that comes as the input becomes ready may be left pending:
	 * pselect then returns the input and blocks it again.
	 */
	return !interrupt_came();
}

void
stop_if_interrupted(void)
{
	if (!interrupt_came())
		return;
	if (fflush(stdout) == EOF)
		out_failed();
	exit(130);
}

size_t
read_or_exit(char *buf, size_t size)
{
	ssize_t n;

	if (!wait_for_input(-1))
		stop_if_interrupted();
	while ((n = read(STDIN_FILENO, buf, size)) == -1)
		if (errno != EINTR)
			err(2, "standard input");
	return (size_t)n;
}

ssize_t
read_input(int wake, char *buf, size_t size)
{
	ssize_t n;

	if (!wait_for_input(wake)) {
		errno = EINTR;
		return -1;
	}
	while ((n = read(STDIN_FILENO, buf, size)) == -1 && errno == EINTR)
		continue;
	return n;
}

/*
 * Past stdio's buffer, which would copy the lines into itself and write
 * them in three calls.
 */
bool
write_out(const char *lines, size_t len)
{
	ssize_t n;

	if (fflush(stdout) == EOF)
		return false;
	for (; len > 0; lines += n, len -= (size_t)n)
		while ((n = write(STDOUT_FILENO, lines, len)) < 0)
			if (errno != EINTR)
				return false;
	return true;
}

void
batch_wipe_registers(void)
{
	wipe_registers(wipe_kind);
}

int
batch_run(const struct batch_options *o)
{
	struct stat st;

	input_is_file = fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode);
	wipe_kind = registers_wipe_kind();
	catch_interrupt();
	if (o->request != NULL)
		hash_named(o);
	else
		hash_plain(o);
	wipe_registers(wipe_kind);
	/*
	 * SIGINT's last look, once the last lines are out: one that came
	 * after the input's end, or while they were written, is pending
	 * (blocked), and would be lost at exit.
	 */
	if (fflush(stdout) == EOF)
		out_failed();
	stop_if_interrupted();
	return 0;
}
