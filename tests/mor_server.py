#!/usr/bin/env python3
# Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
"""mor_server.py - reference model of the hash MOR's API server (X3, X5, X8) and Kolmisoft's
M2 expect, and of the framework in front of the hash check.

An independent reading of ../../shared/mor-api/server/README.md (the data files it names are
copied under tests/server-data/):

  1. hash = lower-case hex SHA-1 of (V1 V2 ... Vn KEY), no separators, bytes as received.
  2. Mechanism A (X8 and M2 lists): exactly the listed parameters, in list order; absent or
     nil -> empty string; quickstats_get's "u == admin" empties the list (and so does any list
     action with u=admin and an api_path holding quickstats_get).
  3. Mechanism B (everything else): walk global-order-VERSION.tsv, apply each name's rule.
  5/6. Query parsing and routing, as refined by section 9.
  8. M2: its own order, lists and actions; user_calls_get picks its mechanism by api_name;
     hidden actions never compare a hash.
  9. The framework: (X8, M2) Rack::UTF8Sanitizer rewrites path and query; the router squeezes
     slashes, matches old-name and generic routes and %-decodes what it captured; Rack builds
     nested parameters from bracketed names (hashed as their Ruby inspect form); Rails 4
     drops nils from arrays; path parameters replace query ones; then MOR's check. Requests no
     hash can pass raise MorError(status, reason): 404, 400 or 500.

Everything is bytes: paths and queries are taken as bytes (str is UTF-8 encoded). A parameter
value is bytes (a Ruby String), None (nil: a bare name), a list (Array) or a dict (Hash).

Library use:
    outcome("x8", "api//user_details_get.xml", "u=admin&user_id=0123", "secret") -> hex or "error:404"
    server_hash("x8", "user_details_get", "u=admin&user_id=0123", "secret")     -> hex (raises MorError)
    hashed_values("x8", "user_details_get", "u=admin&user_id=0123")             -> [(b"user_id", b"123")]
  server_hash and hashed_values take the path after /billing/api/ (as server-vectors.tsv's
  action column), outcome and accepts the path after /billing/ (as edge-vectors.tsv's path).

Command line:
    MOR_API_SECRET=KEY python3 tests/mor_server.py VERSION ACTION_PATH QUERY   prints the hash
    python3 tests/mor_server.py --explain VERSION ACTION_PATH QUERY             prints what is hashed
    MOR_API_SECRET=KEY python3 tests/mor_server.py --outcome VERSION PATH QUERY prints hash or error
    python3 tests/mor_server.py --self-test [VECTORS.tsv]                       checks the vectors
  (--self-test without a file checks server-vectors.tsv, server-vectors-m2.tsv and edge-vectors.tsv)
"""

import hashlib
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "server-data")
VECTORS = os.path.join(HERE, "server-vectors.tsv")
VECTORS_M2 = os.path.join(HERE, "server-vectors-m2.tsv")
EDGE_VECTORS = os.path.join(HERE, "edge-vectors.tsv")
ALL_VECTORS = (VECTORS, VECTORS_M2, EDGE_VECTORS)
MOR_VERSIONS = ("x3", "x5", "x8")
VERSIONS = MOR_VERSIONS + ("m2",)

# Section 9.1: which layers each copy has.
SANITIZED = ("x8", "m2")          # Rack::UTF8Sanitizer 1.3.0 first
MUNGED = ("x5", "x8", "m2")       # Rails 4 deep_munge; a flat/bracketed clash is a 400
OLD_NAME_ROUTES = ("x5", "x8", "m2")


class MorError(Exception):
    """A request MOR answers with an error before any hash can pass (status 404, 400, 500)."""

    def __init__(self, status, reason):
        super().__init__("%s: %s" % (status, reason))
        self.status = status
        self.reason = reason


class NoHashCheck(Exception):
    """The routed action exists but compares no hash (check none), or M2 hides it (hidden):
    not an HTTP error, and no vector has one; outcome() names it."""

    def __init__(self, what, reason):
        super().__init__("%s: %s" % (what, reason))
        self.what = what
        self.reason = reason


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
    lists = {}                            # version -> action -> [names]
    for v in ("x8", "m2"):
        lists[v] = {}
        for r in _rows(os.path.join(DATA, "lists-%s.tsv" % v)):
            lists[v][r[0]] = [] if r[1] == "-" else [p.encode() for p in r[1].split(",")]
    actions = {v: {} for v in VERSIONS}   # version -> action -> check
    aliases = {v: {} for v in VERSIONS}   # version -> old name -> (action, takes /ID)
    rows = _rows(os.path.join(DATA, "actions.tsv")) + _rows(os.path.join(DATA, "actions-m2.tsv"))
    for r in rows:
        version, action, check, _mechanism, alias = r[0], r[1], r[2], r[3], r[4]
        actions[version][action] = check
        if alias != "-":
            for old in alias.split(","):
                with_id = old.endswith("(/ID)")
                aliases[version][old[:-5] if with_id else old] = (action, with_id)
    return orders, lists, actions, aliases


ORDERS, LISTS, ACTIONS, ALIASES = _load()


def norm_version(version):
    if isinstance(version, bytes):
        version = version.decode("ascii", "replace")
    v = version.lower()
    if v not in VERSIONS:
        raise ValueError("unknown MOR version: %r" % version)
    return v


def _b(s):
    return s.encode("utf-8", "surrogateescape") if isinstance(s, str) else s


# ---------------------------------------------------------------- 9.4: Rack::UTF8Sanitizer

_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# What its re-encoding leaves alone: reserved and unreserved characters, and '%' (so a '%'
# without two hex digits goes on to Rack, which raises).
_URI_SAFE = frozenset(b"-_.!~*'()ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                      b";/?:@&=+$,[]%")


def _valid_utf8(s):
    try:
        s.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _replace_invalid(s):
    """sanitize_string: valid UTF-8 stays; otherwise EVERY byte 0x80-0xFF becomes U+FFFD
    (it re-encodes the bytes from ASCII-8BIT, where no high byte is defined)."""
    if _valid_utf8(s):
        return s
    return b"".join(b"\xef\xbf\xbd" if c >= 0x80 else bytes([c]) for c in s)


def sanitize(s):
    """The sanitizer's rewrite of a path or a query string, as a whole: the raw text made
    valid, %XX of unreserved characters and of bytes 0x80-0xFF decoded, made valid again,
    then everything unsafe in a URI (a raw space among them) %-encoded. (The README gives
    one pass; making the raw text valid first is the gem's order, and differs only for raw
    high bytes, which no vector sends.)"""
    def unescape_unreserved(m):
        c = int(m.group(1), 16)
        return bytes([c]) if c in _UNRESERVED or c >= 0x80 else m.group(0)
    decoded = re.sub(rb"%([0-9A-Fa-f]{2})", unescape_unreserved, _replace_invalid(s))
    return b"".join(bytes([c]) if c in _URI_SAFE else b"%%%02X" % c
                    for c in _replace_invalid(decoded))


# ---------------------------------------------------------------- 9.2: routing

_SEGMENT = rb"[^/.?]+"     # Rails' default segment: ACTION, ID and FORMAT stop at '/', '.', '?'


def _segment_unescape(s):
    """Rails path-parameter decoding after matching: %XX -> byte, '+' stays."""
    return re.sub(rb"%([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), s)


def normalize_path(path):
    """The router's view: a leading '/', runs of '/' squeezed, a trailing '/' dropped."""
    path = re.sub(rb"/+", b"/", b"/" + path.split(b"?", 1)[0])
    return path[:-1] if len(path) > 1 and path.endswith(b"/") else path


def route(version, path):
    """(action, id, format) for PATH, what follows /billing/ ('api/ACTION', 'api/OLD.xml',
    'api//ACTION/ID/'), the path already sanitized in X8/M2; id and format are None when
    absent. Raises MorError(404) when no route matches, the action being found later."""
    v = norm_version(version)
    p = normalize_path(_b(path))
    # Old-name routes first (X5, X8, M2), matched on the literal text: /api/OLD(.FORMAT), and
    # simple_balance also /ID. Rails appends (.:format) to every route.
    if v in OLD_NAME_ROUTES:
        m = re.fullmatch(rb"/api/(%s)(?:/(%s))?(?:\.(%s))?" % ((_SEGMENT,) * 3), p)
        if m and m.group(1).decode("latin-1") in ALIASES[v]:
            action, takes_id = ALIASES[v][m.group(1).decode("latin-1")]
            if m.group(2) is None or takes_id:
                return (action.encode(), m.group(2) and _segment_unescape(m.group(2)),
                        m.group(3) and _segment_unescape(m.group(3)))
            # /api/OLD/ID: the generic route below names action OLD, which no version has.
    # /api/ACTION.FORMAT, then /api(/ACTION(/ID(.FORMAT))).
    m = (re.fullmatch(rb"/api/(%s)()\.(%s)" % (_SEGMENT, _SEGMENT), p)
         or re.fullmatch(rb"/api(?:/(%s)(?:/(%s)(?:\.(%s))?)?)?" % ((_SEGMENT,) * 3), p))
    if not m:
        raise MorError(404, "no route matches %s" % p.decode("utf-8", "replace"))
    action, ident, fmt = (None if g is None else _segment_unescape(g) for g in m.groups())
    return action or b"index", ident or None, fmt


def _defined(version, action):
    """The action's check (filter, inline, none, hidden) if the version's ApiController
    defines it, else None ('missing' names a route target that does not exist)."""
    check = ACTIONS[version].get(action)
    return None if check == "missing" else check


# ---------------------------------------------------------------- 9.3: what Rack builds

_HEX = b"0123456789abcdefABCDEF"
KEY_SPACE_LIMIT = 65536


def unescape(s):
    """Rack's unescape (URI.decode_www_form_component): '+' -> space, %XX -> byte; a '%'
    without two hex digits raises ValueError (Ruby's ArgumentError: a 500)."""
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
    """The flat view (section 5): dict name -> value (bytes) or None for a bare name; the last
    duplicate wins. What a tool sending flat names sees; MOR's own is rack_params()."""
    params = {}
    for piece in re.split(rb"[&;]", _b(query)):
        if not piece:
            continue
        if b"=" in piece:
            name, value = piece.split(b"=", 1)
            params[unescape(name)] = unescape(value)
        else:
            params[unescape(piece)] = None
    return params


class _Params(dict):
    """Rack's KeySpaceConstrainedParams: one level of nesting, counting the characters of the
    distinct names it holds; over 65,536 raises RangeError (a 500)."""

    def __init__(self):
        super().__init__()
        self.size = 0

    def __setitem__(self, key, value):
        if key not in self:
            # Ruby's String#size: characters (an invalid byte counts as one).
            self.size += len(key.decode("utf-8", "surrogateescape"))
            if self.size > KEY_SPACE_LIMIT:
                raise MorError(500, "RangeError: exceeded available parameter key space")
        super().__setitem__(key, value)


class _Clash(Exception):
    """Rack's TypeError: a piece needs an Array or a Hash where the name holds something else."""


def _kind(value):
    return {bytes: "String", list: "Array", type(None): "NilClass"}.get(type(value), "Hash")


def _normalize(params, name, value):
    """Rack 1.4/1.5 normalize_params, step by step (Ruby's ^ and $ are line anchors)."""
    m = re.match(rb"[\[\]]*([^\[\]]+)\]*", name)
    if not m:
        return None                   # no name proper: nothing stored
    k, after = m.group(1), name[m.end():]
    if after == b"":
        params[k] = value
    elif after == b"[]":
        if params.get(k) is None:
            params[k] = []
        if not isinstance(params[k], list):
            raise _Clash("expected Array (got %s) for param `%s'" % (_kind(params[k]), k.decode("utf-8", "replace")))
        params[k].append(value)
    else:
        child = (re.search(rb"^\[\]\[([^\[\]]+)\]$", after, re.M)
                 or re.search(rb"^\[\](.+)$", after, re.M))
        if child:
            child_key = child.group(1)
            if params.get(k) is None:
                params[k] = []
            if not isinstance(params[k], list):
                raise _Clash("expected Array (got %s) for param `%s'" % (_kind(params[k]), k.decode("utf-8", "replace")))
            last = params[k][-1] if params[k] else None
            if isinstance(last, _Params) and child_key not in last:
                _normalize(last, child_key, value)
            else:
                params[k].append(_normalize(_Params(), child_key, value))
        else:
            if params.get(k) is None:
                params[k] = _Params()
            if not isinstance(params[k], _Params):
                raise _Clash("expected Hash (got %s) for param `%s'" % (_kind(params[k]), k.decode("utf-8", "replace")))
            params[k] = _normalize(params[k], after, value)
    return params


def _deep_munge(h):
    """Rails 4 (4.0.0, 4.1.5): nils leave Arrays, an Array left empty becomes nil."""
    for k, v in list(h.items()):
        if isinstance(v, list):
            for x in v:
                if isinstance(x, dict):
                    _deep_munge(x)
            v[:] = [x for x in v if x is not None]
            if not v:
                dict.__setitem__(h, k, None)
        elif isinstance(v, dict):
            _deep_munge(v)
    return h


def rack_params(version, query):
    """The query parameters Rails hands to the controller (after the sanitizer in X8/M2):
    split at & and ; with the spaces right after them, each piece split at its first '=',
    both sides unescaped, nested by brackets; Rails 4 munges. Raises MorError."""
    v = norm_version(version)
    params = _Params()
    for piece in re.split(rb"[&;] *", _b(query)):
        name, eq, value = piece.partition(b"=")
        try:
            name, value = unescape(name), (unescape(value) if eq else None)
        except ValueError as e:
            raise MorError(500, "ArgumentError: %s" % e)
        try:
            _normalize(params, name, value)
        except _Clash as e:
            # Rails 4 turns Rack's TypeError into a Bad Request; Rails 3.2.2 does not.
            raise MorError(400 if v in MUNGED else 500, "TypeError: %s" % e)
    return _deep_munge(params) if v in MUNGED else params


# ---------------------------------------------------------------- Ruby's inspect (9.3)

_RUBY_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\f": "\\f", "\v": "\\v",
                 "\b": "\\b", "\a": "\\a", "\x1b": "\\e", '"': '\\"', "\\": "\\\\"}


def _ruby_printable(ch):
    # Onigmo's [[:print:]] for Unicode: not a control, unassigned or surrogate code point,
    # and not a line or paragraph separator (white space that is no space separator). The
    # vectors show ASCII controls escaped and é kept; the rest is Ruby's rule, unchecked.
    return unicodedata.category(ch) not in ("Cc", "Cn", "Cs", "Zl", "Zp")


def ruby_inspect(value):
    """The Ruby (1.9 or later) String/Array/Hash/nil#inspect form MOR concatenates."""
    if value is None:
        return b"nil"
    if isinstance(value, list):
        return b"[" + b", ".join(ruby_inspect(x) for x in value) + b"]"
    if isinstance(value, dict):
        return b"{" + b", ".join(ruby_inspect(k) + b"=>" + ruby_inspect(x) for k, x in value.items()) + b"}"
    text = value.decode("utf-8", "surrogateescape")
    out = ['"']
    for i, ch in enumerate(text):
        if ch in _RUBY_ESCAPES:
            out.append(_RUBY_ESCAPES[ch])
        elif ch == "#" and text[i + 1:i + 2] in ("{", "$", "@"):
            out.append("\\#")                      # would start an interpolation (no vector)
        elif 0xDC80 <= ord(ch) <= 0xDCFF:          # an invalid byte (surrogateescape)
            out.append("\\x%02X" % (ord(ch) - 0xDC00))
        elif _ruby_printable(ch):
            out.append(ch)
        elif ord(ch) < 0x10000:
            out.append("\\u%04X" % ord(ch))
        else:
            out.append("\\u{%X}" % ord(ch))
    out.append('"')
    return "".join(out).encode("utf-8")


# ---------------------------------------------------------------- section 3: value rules

def _digits(value):
    return all(0x30 <= c <= 0x39 for c in value)


# A digits test that any Array or Hash passes (9.3): mtype, and X3's monitoring_id.
STRUCTURE_PASSES = (b"mtype", b"monitoring_id")


def apply_rule(rule, value, action, name=None):
    """What a global-order rule appends for VALUE (bytes, list or dict, never None), or None
    for nothing."""
    kind, _, arg = rule.partition(":")
    if isinstance(value, (list, dict)):
        # A raw name hashes the structure's inspect form; a filtered one drops it.
        if kind == "raw" or (kind == "raw-except" and action != arg) \
                or (kind == "digits" and name in STRUCTURE_PASSES):
            return ruby_inspect(value)
        return None
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


# ---------------------------------------------------------------- the whole request

def _strings(value):
    """Every String in a parameter value, keys of Hashes included."""
    if isinstance(value, bytes):
        yield value
    elif isinstance(value, list):
        for x in value:
            yield from _strings(x)
    elif isinstance(value, dict):
        for k, x in value.items():
            yield k
            yield from _strings(x)


def request(version, path, query):
    """(action, check, params): what MOR's code receives for http://HOST/billing/PATH?QUERY,
    the layers of 9.1 in their order. Raises MorError for a request no hash can pass."""
    # Which error wins when a request has two (no vector has two): the order of the layers,
    # so a 404 (route, then action) before anything the query causes, and the query's 400/500
    # pieces in the order Rack reads them.
    v = norm_version(version)
    path, query = _b(path), _b(query)
    if v in SANITIZED:
        path, query = sanitize(path), sanitize(query)
    action, ident, fmt = route(v, path)
    if v == "x5" and not all(_valid_utf8(p) for p in (action, ident or b"", fmt or b"")):
        # Rails 4.0's dispatcher refuses a path parameter that is not UTF-8 before the
        # controller looks for the action (assumed for the action too; the README and the
        # vectors show an id only).
        raise MorError(400, "invalid path parameter (not UTF-8)")
    name = action.decode("utf-8", "surrogateescape")
    check = _defined(v, name)
    if check is None:
        raise MorError(404, "ApiController has no action %r" % name)
    params = rack_params(v, query)
    # Path parameters replace query parameters of the same name (controller, action, id, format).
    params.update({b"controller": b"api", b"action": action})
    if ident is not None:
        params[b"id"] = ident
    if fmt is not None:
        params[b"format"] = fmt
    return name, check, params


def _values(v, action, params):
    """The (name, value) pairs MOR concatenates before the key, for the routed ACTION."""
    lists = LISTS.get(v, {})
    listed = action
    if v == "m2" and action == "user_calls_get":
        # M2's user_calls_get runs the check itself, naming the method by api_name; a name
        # with a list takes that list (the quickstats test below still sees user_calls_get).
        api_name = params.get(b"api_name")
        listed = api_name.decode("utf-8", "surrogateescape") if isinstance(api_name, bytes) else None
    if listed in lists:                                             # mechanism A
        names = lists[listed]
        api_path = params.get(b"api_path")
        # String#include? (a substring, bytes as they are, NULs too), Array#include? (an
        # element), Hash#include? (a key).
        if isinstance(api_path, bytes):
            quick = b"quickstats_get" in api_path
        else:
            quick = isinstance(api_path, (list, dict)) and b"quickstats_get" in api_path
        if params.get(b"u") == b"admin" and (action == "quickstats_get" or quick):
            names = []
        out = []
        for n in names:
            value = params.get(n)
            if value is None:
                out.append((n, b""))
            elif isinstance(value, bytes):
                out.append((n, value))
            else:
                out.append((n, ruby_inspect(value)))
        return out
    out = []                                                        # mechanism B
    for name, rule in ORDERS[v]:
        value = params.get(name)
        if value is None:
            continue
        result = apply_rule(rule, value, action, name)
        if result is not None and result != b"":
            out.append((name, result))
    return out


def checked_values(version, path, query):
    """(action, check, pairs) for PATH after /billing/, raising MorError where MOR's check
    itself fails (X3/X5 invalid UTF-8, balance it cannot convert)."""
    v = norm_version(version)
    action, check, params = request(v, path, query)
    if v in ("x3", "x5"):
        # The global check logs every parameter as YAML and runs its filters: a String that
        # is not UTF-8, a name never hashed included, raises (X3 also for the path's id; X5
        # refused that earlier).
        for s in _strings(params):
            if not _valid_utf8(s):
                raise MorError(500, "invalid UTF-8 in a parameter: %r" % s)
    pairs = _values(v, action, params)
    # Every checked action converts balance to a decimal after the hash: an Array, a Hash
    # (X3: also a bare balance[], [nil]) or a NUL byte raises.
    balance = params.get(b"balance")
    if isinstance(balance, (list, dict)) or (isinstance(balance, bytes) and b"\0" in balance):
        raise MorError(500, "balance cannot be converted: %r" % (balance,))
    return action, check, pairs


def hashed_values(version, action_path, query):
    """The (name, value) pairs MOR concatenates before the key, in order (bytes), for
    ACTION_PATH after /billing/api/. Raises MorError."""
    return checked_values(version, b"api/" + _b(action_path), query)[2]


def hash_string(version, action_path, query, key):
    return b"".join(value for _, value in hashed_values(version, action_path, query)) + _b(key)


def server_hash(version, action_path, query, key):
    """Lower-case hex SHA-1 MOR's server expects in hash= for /billing/api/ACTION_PATH?QUERY."""
    return hashlib.sha1(hash_string(version, action_path, query, key)).hexdigest()


def expected(version, path, query, key):
    """The hex MOR expects for http://HOST/billing/PATH?QUERY; raises MorError (no hash can
    pass) or NoHashCheck (MOR compares none)."""
    v = norm_version(version)
    action, check, pairs = checked_values(v, path, query)
    if check == "hidden":
        raise NoHashCheck("no-such-api", "M2 answers \"There is no such API\" for %s" % action)
    if check == "none":
        raise NoHashCheck("unchecked", "%s %s compares no hash" % (v.upper(), action))
    return hashlib.sha1(b"".join(value for _, value in pairs) + _b(key)).hexdigest()


def outcome(version, path, query, key):
    """The vectors' outcome column: the hex MOR expects, or "error:404", "error:400",
    "error:500" (and, for actions no vector has, "unchecked" or "no-such-api")."""
    try:
        return expected(version, path, query, key)
    except MorError as e:
        return "error:%d" % e.status
    except NoHashCheck as e:
        return e.what


def explain_outcome(version, path, query, key):
    """outcome() with its reason: (outcome, reason or None)."""
    try:
        return expected(version, path, query, key), None
    except MorError as e:
        return "error:%d" % e.status, e.reason
    except NoHashCheck as e:
        return e.what, e.reason


def sent_hash(version, path, query):
    """The hash parameter as MOR reads it: the last one (9.3), after every layer; bytes, or
    None (absent or bare), or an Array/Hash (refused)."""
    return request(version, path, query)[2].get(b"hash")


def accepts(version, path, query, key):
    """Whether MOR accepts the request's own hash (exact string equality, lower case)."""
    want = expected(version, path, query, key)
    return sent_hash(version, path, query) == want.encode()


# ---------------------------------------------------------------- vectors

def read_vectors(path=VECTORS):
    """(line number, version, action, key, params, server_hash) of every row of a
    server-vectors file (columns version, action, key, params, server_hash)."""
    rows = []
    with open(path, "rb") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip(b"\n")
            if not line or line.startswith(b"#") or line.startswith(b"version\t"):
                continue
            version, action, key, params, want = line.split(b"\t")
            rows.append((number, version.decode(), action.decode(), key, params, want.decode()))
    return rows


def read_edge_vectors(path=EDGE_VECTORS):
    """(line number, family, version, path, key, params, outcome) of every row of the edge
    vectors (columns version, path, key, params, outcome); the family (F1..F12) is the first
    word after '# ' of the comment above the row."""
    rows = []
    family = None
    with open(path, "rb") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip(b"\n")
            m = re.match(rb"# (F\d+) ", line)
            if m:
                family = m.group(1).decode()
            if not line or line.startswith(b"#") or line.startswith(b"version\t"):
                continue
            version, rpath, key, params, want = line.split(b"\t")
            rows.append((number, family, version.decode(), rpath, key, params, want.decode()))
    return rows


def last_hash_pair(params):
    """(start, end, value) of the last hash piece of PARAMS as written (pieces split at & and
    ;): the piece's span and its value (None when bare); None when there is none. What the
    F7 rows and the tool's contract call the last hash pair."""
    found = None
    for m in re.finditer(rb"(?:^|(?<=[&;]))hash(?:=([^&;]*))?(?=[&;]|$)", params):
        found = (m.start(), m.end(), m.group(1))
    return found


def _is_edge_file(path):
    with open(path, "rb") as f:
        for line in f:
            if not line.startswith(b"#"):
                return line.startswith(b"version\tpath\t")
    return False


def self_test_file(path):
    """Checks every row of one vectors file; prints each disagreement; (passed, failed)."""
    failed = 0
    if _is_edge_file(path):
        rows = read_edge_vectors(path)
        for number, family, version, rpath, key, params, want in rows:
            got, reason = explain_outcome(version, rpath, params, key)
            bad = got != want
            if not bad and family == "F7" and not want.startswith("error:"):
                # Right exactly when the last hash pair equals the outcome.
                last = last_hash_pair(params)
                if accepts(version, rpath, params, key) != (last is not None and last[2] == want.encode()):
                    bad, reason = True, "the model reads hash as %r" % (sent_hash(version, rpath, params),)
            if bad:
                failed += 1
                print("%s line %d: %s %s %s %r key %r: want %s, got %s%s"
                      % (os.path.basename(path), number, family, version, rpath.decode(),
                         params, key, want, got, " (%s)" % reason if reason else ""))
    else:
        rows = read_vectors(path)
        for number, version, action, key, params, want in rows:
            try:
                got = server_hash(version, action, params, key)
            except (MorError, ValueError) as e:
                got = "error: %s" % e
            if got != want:
                failed += 1
                print("%s line %d: %s %s %r key %r: want %s, got %s"
                      % (os.path.basename(path), number, version, action, params, key, want, got))
    return len(rows) - failed, failed


def self_test(*paths):
    """Checks the given vectors files (default: all three); prints "N passed, N failed"
    per file and, last, for all of them."""
    paths = paths or ALL_VECTORS
    passed = failed = 0
    for path in paths:
        p, f = self_test_file(path)
        if len(paths) > 1:
            print("%s: %d passed, %d failed" % (os.path.basename(path), p, f))
        passed, failed = passed + p, failed + f
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


# ---------------------------------------------------------------- command line

def main(argv):
    if argv[:1] == ["--self-test"]:
        return self_test(*argv[1:2])
    mode = argv[0] if argv[:1] in (["--explain"], ["--outcome"]) else None
    if mode:
        argv = argv[1:]
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    version, path, query = (os.fsencode(a) for a in argv)
    key = os.environb.get(b"MOR_API_SECRET")
    if mode != "--explain" and key is None:
        sys.stderr.write("mor_server.py: MOR_API_SECRET is not set\n")
        return 2
    try:
        if mode == "--outcome":
            got, reason = explain_outcome(version.decode(), path, query, key)
            print(got + (": " + reason if reason else ""))
            return 0
        if mode == "--explain":
            for name, value in hashed_values(version.decode(), path, query):
                print("%s=%r" % (name.decode("utf-8", "replace"), value))
            return 0
        print(server_hash(version.decode(), path, query, key))
    except (MorError, ValueError) as e:
        sys.stderr.write("mor_server.py: %s\n" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
