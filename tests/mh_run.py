# Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
"""mh_run.py - runs the binary under test from the Python parts of the bats suites.

MOR_HASH names it, MOR_HASH_WRAPPER (as tests/run sets it) a command to run it under, relative
to the directory above this one.  mh(args, key) -> (status, stdout, stderr), bytes in and out,
with MOR_API_SECRET=key and no other MOR_* or XDG_CONFIG_HOME from the caller.  STRIDE: under a
wrapper (valgrind) the suites walk every 20th case only.  COMMAND + args, for Popen, runs it with
the caller's environment; WRAPPED: under a wrapper.
"""
import os
import subprocess

_HERE = os.path.dirname(os.path.abspath(__file__)).encode()
_cmd = [os.environb[b"MOR_HASH"]]
if os.environb.get(b"MOR_HASH_WRAPPER"):
    _cmd.insert(0, os.path.join(_HERE, b"..", os.environb[b"MOR_HASH_WRAPPER"]))
_env = {k: v for k, v in os.environb.items()
        if not k.startswith(b"MOR_") and k not in (b"XDG_CONFIG_HOME",)}

STRIDE = 20 if os.environb.get(b"MOR_HASH_WRAPPER") else 1

# The command that runs the binary, for Popen: add its arguments.
COMMAND = list(_cmd)
WRAPPED = len(_cmd) > 1


def mh(args, key):
    env = dict(_env)
    env[b"MOR_API_SECRET"] = key
    p = subprocess.run(_cmd + list(args), env=env, capture_output=True)
    return p.returncode, p.stdout, p.stderr
