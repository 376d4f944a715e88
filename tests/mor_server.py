#!/usr/bin/env python3
# Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
"""mor_server.py - reference model of the hash MOR's API server (X3, X5, X8) expects.

An independent reading of ../../shared/mor-api/server/README.md, sections 1, 2, 3, 5 and 6
(the data files it names are copied under tests/server-data/):

  1. hash = lower-case hex SHA-1 of (V1 V2 ... Vn KEY), no separators, bytes as received.
  2. Mechanism A (X8 only, lists-x8.tsv): exactly the listed parameters, raw, in list order;
     absent or bare -> empty string; quickstats_get's "u == admin" empties the list (and so
     does any list action with u=admin and an api_path value containing quickstats_get).
  3. Mechanism B (everything else): walk global-order-VERSION.tsv, apply each name's rule.
  5. Rack 1.x query parsing: split at & and ;, skip empty pieces, split at the first =,
     '+' -> space and %XX -> byte in names and values, last duplicate wins, bare name = nil.
  6. Routing: X5/X8 alias routes /api/OLD -> action; /api/ACTION/ID sets id (path beats query).

Everything is bytes: the query is taken as bytes (str is UTF-8 encoded), decoded values are bytes.

Library use:
    server_hash("x8", "user_details_get", "u=admin&user_id=0123", "secret")  -> hex
    hashed_values("x8", "user_details_get", "u=admin&user_id=0123")          -> [(b"user_id", b"123")]

Command line:
    MOR_API_SECRET=KEY python3 tests/mor_server.py VERSION ACTION_PATH QUERY   prints the hash
    python3 tests/mor_server.py --explain VERSION ACTION_PATH QUERY             prints what is hashed
    python3 tests/mor_server.py --self-test [VECTORS.tsv]                       checks every vector
"""

import hashlib
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "server-data")
VECTORS = os.path.join(HERE, "server-vectors.tsv")
VERSIONS = ("x3", "x5", "x8")


# ---------------------------------------------------------------- data files

def _rows(path):
    """Data rows of a TSV file: '#' comment lines and the header line skipped."""
    with open(path, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f if not line.startswith("#")]
    return [line.split("\t") for line in lines[1:] if line]


def _load():
    orders = {}
    for v in VERSIONS:
        rows = _rows(os.path.join(DATA, "global-order-%s.tsv" % v))
        rows.sort(key=lambda r: int(r[0]))
        orders[v] = [(r[1].encode(), r[2]) for r in rows]
    lists = {}
    for r in _rows(os.path.join(DATA, "lists-x8.tsv")):
        lists[r[0]] = [] if r[1] == "-" else [p.encode() for p in r[1].split(",")]
    actions = {v: {} for v in VERSIONS}   # version -> action -> check
    aliases = {v: {} for v in VERSIONS}   # version -> old name -> (action, takes /ID)
    for r in _rows(os.path.join(DATA, "actions.tsv")):
        version, action, check, _mechanism, alias = r[0], r[1], r[2], r[3], r[4]
        actions[version][action] = check
        if alias != "-":
            for old in alias.split(","):
                with_id = old.endswith("(/ID)")
                aliases[version][old[:-5] if with_id else old] = (action, with_id)
    return orders, lists, actions, aliases


ORDERS, LISTS, ACTIONS, ALIASES = _load()


def norm_version(version):
    v = version.lower()
    if v not in VERSIONS:
        raise ValueError("unknown MOR version: %r" % version)
    return v


# ---------------------------------------------------------------- section 5: Rack parsing

_HEX = b"0123456789abcdefABCDEF"


def unescape(s):
    """Rack's unescape (URI.decode_www_form_component): '+' -> space, %XX -> byte."""
    out = bytearray()
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c == 0x2B:                                      # '+'
            out.append(0x20)
        elif c == 0x25:                                    # '%'
            if i + 2 < n and s[i + 1] in _HEX and s[i + 2] in _HEX:
                out.append(int(s[i + 1:i + 3], 16))
                i += 2
            else:
                raise ValueError("invalid %%-encoding in %r" % bytes(s))
        else:
            out.append(c)
        i += 1
    return bytes(out)


def parse_query(query):
    """Rack 1.x: dict name -> value (bytes) or None for a bare name; the last duplicate wins."""
    if isinstance(query, str):
        query = query.encode("utf-8", "surrogateescape")
    params = {}
    for piece in re.split(rb"[&;]", query):
        if not piece:
            continue
        if b"=" in piece:
            name, value = piece.split(b"=", 1)
            params[unescape(name)] = unescape(value)
        else:
            params[unescape(piece)] = None
    return params


# ---------------------------------------------------------------- section 6: routing

def _segment_unescape(s):
    """Rails path-parameter decoding: %XX -> byte, '+' stays."""
    return re.sub(rb"%([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), s)


def route(version, path):
    """(action, id) for the path after /billing/api/ ('ACTION', 'ACTION/ID', 'OLD', '.FORMAT'
    allowed); id is None without /ID.  Raises LookupError when no route matches."""
    v = norm_version(version)
    if isinstance(path, str):
        path = path.encode("utf-8", "surrogateescape")
    path = path.split(b"?", 1)[0].strip(b"/")
    parts = path.split(b"/")
    if not 1 <= len(parts) <= 2 or not all(parts):
        raise LookupError("no route for %r" % path)
    # A segment ends at its first '.', the rest is the format (Rails' default segment).
    name = parts[0].split(b".", 1)[0].decode("utf-8", "surrogateescape")
    ident = None
    if len(parts) == 2:
        ident = _segment_unescape(parts[1].split(b".", 1)[0])
        if not ident:
            raise LookupError("no route for %r" % path)
    if v in ("x5", "x8") and name in ALIASES[v]:
        action, takes_id = ALIASES[v][name]
        if ident is None or takes_id:
            return action, ident
        # /api/OLD/ID: the generic route would need an action named OLD, which X5/X8 lack.
        raise LookupError("no route for %r in %s" % (path, v))
    return name, ident


def check(version, action):
    """actions.tsv's check column for the routed action: filter, inline, none, missing, or None."""
    return ACTIONS[norm_version(version)].get(action)


# ---------------------------------------------------------------- section 3: value rules

def _digits(value):
    return all(0x30 <= c <= 0x39 for c in value)


def apply_rule(rule, value, action):
    """What a global-order rule appends for VALUE (bytes, never None), or None for nothing."""
    kind, _, arg = rule.partition(":")
    if kind == "raw":
        return value
    if kind == "int":
        if not _digits(value):
            return None
        return value.lstrip(b"0") or b"0"          # no size limit, unlike int()
    if kind == "digits":
        return value if _digits(value) else None
    if kind == "digits-or-all":
        return value if _digits(value) or value == b"all" else None
    if kind == "balance":
        return value if all(c in b"0123456789.+-" for c in value) else None
    if kind == "enum":
        return value if value in arg.encode().split(b"|") else None
    if kind == "search":
        return value if any(a in value for a in arg.encode().split(b"|")) else None
    if kind == "line":
        alternatives = arg.encode().split(b"|")
        for line in value.split(b"\n"):
            for a in alternatives:
                if a == b"[0-9,]+":
                    if line and all(c in b"0123456789," for c in line):
                        return value
                elif line == a:
                    return value
        return None
    if kind == "raw-except":
        return None if action == arg else value
    if kind == "never":
        return None
    raise ValueError("unknown rule %r" % rule)


# ---------------------------------------------------------------- sections 1-3 together

def request_params(version, path, query):
    """(action, params) after routing and parsing; the path's id beats the query's."""
    action, ident = route(version, path)
    params = parse_query(query)
    if ident is not None:
        params[b"id"] = ident
    return action, params


def hashed_values(version, path, query):
    """The (name, value) pairs MOR concatenates before the key, in order (bytes)."""
    v = norm_version(version)
    action, params = request_params(v, path, query)
    if v == "x8" and action in LISTS:                               # mechanism A
        names = LISTS[action]
        if params.get(b"u") == b"admin" and (
                action == "quickstats_get" or b"quickstats_get" in (params.get(b"api_path") or b"")):
            names = []
        return [(n, params.get(n) or b"") for n in names]
    out = []                                                        # mechanism B
    for name, rule in ORDERS[v]:
        value = params.get(name)
        if value is None:
            continue
        result = apply_rule(rule, value, action)
        if result is not None and result != b"":
            out.append((name, result))
    return out


def hash_string(version, path, query, key):
    if isinstance(key, str):
        key = key.encode("utf-8", "surrogateescape")
    return b"".join(value for _, value in hashed_values(version, path, query)) + key


def server_hash(version, path, query, key):
    """Lower-case hex SHA-1 MOR's server expects in hash= for this request."""
    return hashlib.sha1(hash_string(version, path, query, key)).hexdigest()


# ---------------------------------------------------------------- command line

def read_vectors(path=VECTORS):
    """(line number, version, action, key, params, server_hash) of every vector row."""
    rows = []
    with open(path, "rb") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip(b"\n")
            if not line or line.startswith(b"#") or line.startswith(b"version\t"):
                continue
            version, action, key, params, want = line.split(b"\t")
            rows.append((number, version.decode(), action.decode(), key, params, want.decode()))
    return rows


def self_test(path=VECTORS):
    rows = read_vectors(path)
    failed = 0
    for number, version, action, key, params, want in rows:
        try:
            got = server_hash(version, action, params, key)
        except (LookupError, ValueError) as e:
            got = "error: %s" % e
        if got != want:
            failed += 1
            print("line %d: %s %s %r key %r: want %s, got %s"
                  % (number, version, action, params, key, want, got))
    print("%d passed, %d failed" % (len(rows) - failed, failed))
    return 1 if failed or not rows else 0


def main(argv):
    if argv[:1] == ["--self-test"]:
        return self_test(*argv[1:2])
    explain = argv[:1] == ["--explain"]
    if explain:
        argv = argv[1:]
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    version, path, query = (os.fsencode(a) for a in argv)
    try:
        if explain:
            for name, value in hashed_values(version.decode(), path, query):
                print("%s=%r" % (name.decode("utf-8", "replace"), value))
            return 0
        key = os.environb.get(b"MOR_API_SECRET")
        if key is None:
            sys.stderr.write("mor_server.py: MOR_API_SECRET is not set\n")
            return 2
        print(server_hash(version.decode(), path, query, key))
    except (LookupError, ValueError) as e:
        sys.stderr.write("mor_server.py: %s\n" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
