#!/usr/bin/env python3
# tty_key.py - types the key into 'mor-hash -k /dev/tty' on a pseudo-
# terminal that is the program's controlling terminal, as a user would.
#   tty_key.py [--interrupt | --hup-ignored] MOR_HASH [WRAPPER]
# Checks that the prompt appears on the terminal, that echo is off while
# the key is typed and nothing of it comes back, that the hash is right,
# and that echo is on again afterwards.  With --interrupt, ^C is typed at
# the prompt instead: the program must die of SIGINT with echo restored.
# With --hup-ignored, SIGHUP is ignored as under nohup, and -b waits for
# input after the key: a SIGHUP then must not kill it (the prompt puts
# back what each signal did before, not the default).
# Every wait has a deadline, so it cannot hang.  Exit 0 pass, 1 fail, 77
# when the system offers no pseudo-terminal.
# Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
import fcntl
import os
import select
import signal
import subprocess
import sys
import termios
import time

KEY = b"Very Sercet Key"
VALUES = ["123", "1252454580", "answered"]
SEED_HASH = "b93c35d5c6183288322122561a3da7e09abb63b7"
PROMPT = b"MOR API secret key: "


def fail(why, tty=b"", proc=None):
    print("tty_key: " + why, file=sys.stderr)
    print("tty_key: terminal output: %r" % tty, file=sys.stderr)
    if proc is not None and proc.poll() is None:
        proc.kill()
        proc.wait()
    sys.exit(1)


def echo_on(fd):
    return bool(termios.tcgetattr(fd)[3] & termios.ECHO)


def read_tty(master, deadline, until=None, proc=None):
    """Read the master side until `until` is seen, the deadline passes,
    or (until=None) it stays quiet for a moment after proc has exited."""
    got = b""
    while time.monotonic() < deadline:
        if until is not None and until in got:
            break
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: no slave open any more
                break
            if not chunk:
                break
            got += chunk
        elif until is None and proc is not None and proc.poll() is not None:
            break
        elif until is not None and proc is not None and proc.poll() is not None:
            break
    return got


def main(argv):
    interrupt = len(argv) > 1 and argv[1] == "--interrupt"
    hup_ignored = len(argv) > 1 and argv[1] == "--hup-ignored"
    if interrupt or hup_ignored:
        del argv[1]
    binary = argv[1]
    wrapper = argv[2] if len(argv) > 2 and argv[2] else None
    wait = 120.0 if wrapper else 10.0
    try:
        master, slave = os.openpty()
    except OSError as e:
        print("tty_key: no pseudo-terminal: %s" % e, file=sys.stderr)
        return 77
    name = os.ttyname(slave)
    attrs = termios.tcgetattr(slave)
    attrs[3] |= termios.ECHO | termios.ICANON | termios.ISIG
    termios.tcsetattr(slave, termios.TCSANOW, attrs)

    def controlling_tty():
        # A new session whose controlling terminal is the pty, so that
        # /dev/tty is it and ^C reaches the program, with SIGINT's default
        # action whatever the caller's (nohup, a background job).
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.setsid()
        if hup_ignored:
            signal.signal(signal.SIGHUP, signal.SIG_IGN)
        fd = os.open(name, os.O_RDWR)
        fcntl.ioctl(fd, termios.TIOCSCTTY, 0)
        os.close(fd)

    env = {k: v for k, v in os.environ.items()
           if k not in ("MOR_API_SECRET", "MOR_API_SECRET_FILE")}
    cmd = ([wrapper] if wrapper else []) + [binary, "-k", "/dev/tty"] + (
        ["-b", "-j", "1"] if hup_ignored else VALUES)
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if hup_ignored else
                            subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env, preexec_fn=controlling_tty)
    tty = read_tty(master, time.monotonic() + wait, until=PROMPT, proc=proc)
    if PROMPT not in tty:
        fail("no prompt %r on the terminal" % PROMPT, tty, proc)
    if echo_on(slave):
        fail("echo is on while the key is typed", tty, proc)
    os.write(master, b"\x03" if interrupt else KEY + b"\n")
    if hup_ignored:
        tty += read_tty(master, time.monotonic() + 1, until=b"\n", proc=proc)
        time.sleep(0.3)         # the key is read; -b waits for its input
        proc.send_signal(signal.SIGHUP)
        time.sleep(0.3)
        if proc.poll() is not None:
            fail("SIGHUP, ignored by the caller, ended mor-hash: status %d"
                 % proc.returncode, tty)
    try:
        out, err = proc.communicate(
            input=("\t".join(VALUES) + "\n").encode() if hup_ignored else None,
            timeout=wait)
    except subprocess.TimeoutExpired:
        fail("mor-hash did not finish after the key was typed", tty, proc)
    tty += read_tty(master, time.monotonic() + 2, proc=proc)
    if not echo_on(slave):
        fail("echo is still off after mor-hash ended", tty)
    if KEY in tty or KEY in out or KEY in err:
        fail("the key was echoed: stdout %r stderr %r" % (out, err), tty)
    # After the prompt, only the line end that echo would have shown.
    if tty.split(PROMPT, 1)[1].strip(b"\r\n"):
        fail("the terminal showed more than the prompt", tty)
    if interrupt:
        if proc.returncode != -signal.SIGINT:
            fail("want death by SIGINT, got status %d (stdout %r, stderr "
                 "%r)" % (proc.returncode, out, err), tty)
        if out:
            fail("output after ^C: %r" % out, tty)
        return 0
    if proc.returncode != 0 or out.decode() != SEED_HASH + "\n" or err:
        fail("want status 0, the hash, no message; got %d, %r, %r"
             % (proc.returncode, out, err), tty)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
