#!/usr/bin/env bats
# --mor-version: the hash MOR's own server (X3, X5, X8) expects, held to the reference
# model tests/mor_server.py (which reproduces every row of tests/server-vectors.tsv) and
# to hand-checked strings (computed by the helper's `reference`, independent of the model).
# Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.

load helper

# The helper's setup, plus no inherited version.
eval "helper_$(declare -f setup)"
setup() {
	helper_setup
	unset MOR_VERSION
}

API=http://h/billing/api

# drive: runs the Python script on stdin with the model importable and, in it,
# mh(args, key) -> (status, stdout, stderr) running the binary (bytes in, bytes out).
drive() {
	MOR_HASH=$MOR_HASH MOR_HASH_WRAPPER=${MOR_HASH_WRAPPER:-} PYTHONPATH=$BATS_TEST_DIRNAME \
	    python3 -c "$DRIVER
$(cat)" "$@"
}

DRIVER=$(cat <<'EOF'
import os, re, subprocess, sys
import mor_server as ms

from mh_run import mh, STRIDE

def b(s):
    return s if isinstance(s, bytes) else s.encode("utf-8")

failures = []
def fail(what, *details):
    failures.append(what)
    sys.stderr.write("FAIL %s\n" % what)
    for d in details:
        sys.stderr.write("    %s\n" % d)

def finish(total):
    sys.stderr.write("%d of %d failed\n" % (len(failures), total))
    sys.exit(1 if failures or not total else 0)

# Decoded NAME=VALUE operands of a vector row: (name, value) pairs as Rack reads them, bare
# names left out (a bare name hashes as an absent one on both paths).
def operands(params, final):
    pairs = []
    for piece in re.split(rb"[&;]", params):
        if piece:
            name, eq, value = piece.partition(b"=")
            pairs.append((ms.unescape(name), ms.unescape(value) if eq else None))
    if final:            # one pair per name: the last one, unless it is bare
        last = {}
        for name, value in pairs:
            last.pop(name, None)
            last[name] = value
        pairs = list(last.items())
    # hash=... is what --url adds, not an operand; MOR never hashes it.
    return [(n, v) for n, v in pairs if v is not None and n != b"hash"]

def check_url(number, version, action, key, pairs, want):
    url = b"http://h/billing/api/" + b(action)
    args = [b"--mor-version=" + b(version), b"--url", url] + [n + b"=" + v for n, v in pairs]
    status, out, err = mh(args, key)
    what = "line %d: %s %s %r key %r" % (number, version, action, pairs, key)
    m = re.fullmatch(re.escape(url) + rb"\?(?:(.*)&)?hash=([0-9a-f]{40})\n", out, re.S)
    if status != 0 or not m:
        fail(what, "want status 0 and %s?...hash=%s" % (url.decode(), want),
             "got status %d, %s %s" % (status, out.decode("utf-8", "replace").strip(),
                                       err.decode("utf-8", "replace").strip()))
        return
    query, got = m.group(1) or b"", m.group(2).decode()
    if got != want:
        fail(what, "want hash %s, got %s" % (want, got))
    # What it printed carries the values, and MOR would accept it.
    if ms.parse_query(query) != dict(pairs):
        fail(what, "the printed query reads back as %r" % ms.parse_query(query))
    elif ms.server_hash(version, action, query, key) != got:
        fail(what, "the model wants %s for the printed URL" % ms.server_hash(version, action, query, key))
EOF
)

# sha1 VALUE...: the SHA-1 of the arguments concatenated, as the helper's `reference`
# computes it, by coreutils (a Python start per expectation would double the file's time).
sha1() {
	if command -v sha1sum >/dev/null; then
		local h
		h=$(printf '%s' "$@" | sha1sum) && printf '%s\n' "${h%% *}"
	else
		reference "$@"
	fi
}

# expect VERSION PATH QUERY [VALUE...]: mh --mor-version=VERSION --uri API/PATH?QUERY
# exits 0 and prints the URI with the hash of VALUE... KEY added.
expect() {
	local version=$1 path=$2 query=$3
	shift 3
	local uri=$API/$path sep='?'
	[ -z "$query" ] || { uri+="?$query"; sep='&'; }
	run --separate-stderr mh --mor-version="$version" --uri "$uri"
	assert_status 0 || return 1
	assert_stdout "$uri${sep}hash=$(sha1 "$@" "$MOR_API_SECRET")"
}

# ---------------------------------------------------------------- the vectors

@test "server: the model reproduces every vector (python3 tests/mor_server.py --self-test)" {
	run python3 "$BATS_TEST_DIRNAME/mor_server.py" --self-test
	assert_status 0
	# server-vectors.tsv 968, server-vectors-m2.tsv 308, edge-vectors.tsv 1004
	[[ ${lines[-1]} == "2280 passed, 0 failed" ]] || fail_with "want 2280 passed"
	run python3 "$BATS_TEST_DIRNAME/mor_server.py" --self-test "$BATS_TEST_DIRNAME/server-vectors.tsv"
	assert_status 0
	[[ ${lines[-1]} == "968 passed, 0 failed" ]] || fail_with "want 968 passed"
}

@test "server: sha1 agrees with the helper's reference" {
	local args=('' 'x' $'x\npostpaid' 'Žalgiris' ' admin' '-n' '%s' 'a b+c' 'Very Sercet Key')
	[ "$(sha1 "${args[@]}")" = "$(reference "${args[@]}")" ]
	[ "$(sha1 secret)" = "$(reference secret)" ]
	[ "$(sha1 -e)" = "$(reference -e)" ]
}

@test "server: the vectors files are the public sets, byte for byte" {
	local shared=$BATS_TEST_DIRNAME/../../shared/mor-api/server
	[ -d "$shared" ] || skip "no ../shared copy to compare with"
	cmp "$BATS_TEST_DIRNAME/server-vectors.tsv" "$shared/vectors-public.tsv"
	cmp "$BATS_TEST_DIRNAME/server-vectors-m2.tsv" "$shared/vectors-public-m2.tsv"
	cmp "$BATS_TEST_DIRNAME/edge-vectors.tsv" "$shared/vectors-edge-public.tsv"
	for f in global-order-x3.tsv global-order-x5.tsv global-order-x8.tsv lists-x8.tsv actions.tsv \
	    global-order-m2.tsv lists-m2.tsv actions-m2.tsv; do
		cmp "$BATS_TEST_DIRNAME/server-data/$f" "$shared/$f"
	done
}

@test "server: every vector through --uri gives the server's hash" {
	drive <<'EOF'
rows = ms.read_vectors()[::STRIDE]
for number, version, action, key, params, want in rows:
    uri = b"http://h/billing/api/" + b(action) + b"?" + params
    status, out, err = mh([b"--mor-version=" + b(version.upper()), b"--uri", uri], key)
    m = re.search(rb"(?:^|&)hash=([^&;]*)", params)
    if m:    # a row that carries a hash: checked, and replaced in place by the right one
        expected = uri[:len(uri) - len(params) + m.start(1)] + b(want) + uri[len(uri) - len(params) + m.end(1):] + b"\n"
        want_status = 0 if m.group(1) == b(want) else 1
    else:    # nothing is added after a final '&' or ';'
        expected = uri + (b"" if params.endswith((b"&", b";")) else b"&") + b"hash=" + b(want) + b"\n"
        want_status = 0
    if status != want_status or out != expected:
        fail("line %d: %s %s?%s key %r" % (number, version, action, params.decode(), key.decode()),
             "want status %d, %s" % (want_status, expected.decode().strip()),
             "got status %d, %s %s" % (status, out.decode("utf-8", "replace").strip(),
                                       err.decode("utf-8", "replace").strip()))
    # An upper-case copy of the right hash is refused, and the lower-case one printed.
    if number % 50 == 0 and not m:
        status, out, err = mh([b"--mor-version=" + b(version), b"--uri",
                               uri + b"&hash=" + b(want.upper())], key)
        if status != 1 or out != expected:
            fail("line %d: upper-case hash: want status 1 and %s, got %d %s"
                 % (number, expected.decode().strip(), status, out.decode("utf-8", "replace").strip()))
finish(len(rows))
EOF
}

@test "server: every M2 vector through --mor-version=M2 --uri gives M2's hash" {
	drive <<'EOF'
rows = ms.read_vectors(os.path.join(os.environb[b"PYTHONPATH"].decode(), "server-vectors-m2.tsv"))[::STRIDE]
for number, version, action, key, params, want in rows:
    uri = b"http://h/billing/api/" + b(action) + (b"?" + params if params else b"")
    status, out, err = mh([b"--mor-version=M2", b"--uri", uri], key)
    sep = b"?" if not params else b"" if params.endswith((b"&", b";")) else b"&"
    if status != 0 or out != uri + sep + b"hash=" + b(want) + b"\n":
        fail("line %d: %s?%s key %r: want %s" % (number, action, params.decode(), key.decode(), want),
             "got status %d, %s %s" % (status, out.decode("utf-8", "replace").strip(),
                                       err.decode("utf-8", "replace").strip()))
finish(len(rows))
EOF
}

@test "server: every vector through --url, one decoded NAME=VALUE per name, gives the server's hash" {
	drive <<'EOF'
rows = ms.read_vectors()[::STRIDE]
for number, version, action, key, params, want in rows:
    check_url(number, version, action, key, operands(params, True), want)
finish(len(rows))
EOF
}

@test "server: every vector through --url with all its valued pairs in order: the last one counts" {
	drive <<'EOF'
import urllib.parse
rows = ms.read_vectors()[::STRIDE]
for number, version, action, key, params, want in rows:
    pairs = operands(params, False)
    query = "&".join(urllib.parse.quote(n, safe="") + "=" + urllib.parse.quote(v, safe="")
                     for n, v in pairs).encode()
    check_url(number, version, action, key, pairs, ms.server_hash(version, action, query, key))
finish(len(rows))
EOF
}

# ---------------------------------------------------------------- differential

# The random requests: differential(VERSIONS) draws 300 per version (seeded) and holds
# mor-hash --uri to the model on each.
RANDOM_REQUESTS=$(cat <<'EOF'
import random

POOLS = {
    "int": ["0123", "", "0", "000", "123", "+5", "-5", "12a", " 12", "2024-01-31", "1,5",
            "00000000000000000000001234567890123456789012345678901234567890", "\uff11\uff12",
            "12\n", "\n12", "7"],
    "digits": ["05", "5", "", "all", "x", "ALL", "0", "1 ", "12\n3", "\u0665"],
    "digits-or-all": ["all", "ALL", "All", "abc", "", "0123", "7", " all", "all\n", "1,5"],
    "balance": ["+100", "-1.5", "1,5", "1e3", " 100", "", "100", "1.2.3", "+-.", "12\n", "\uff11"],
    "search": ["true", "false", "untrue", "falsey", "TRUE", "no", "x true y", "", "tru", "f a l s e"],
    "line": ["postpaid", "prepaid", "all", "x\npostpaid", "postpaid\n", "Postpaid", "1 2", "1,2,3",
             "prepaid\r\n", "\r\nprepaid", ",", "\n", "", "a\n\n5", "x\nall\ny", "postpaid x",
             "1,a", "\n\n", "ALL"],
    "raw": ["", "x", "a b", "a+b", "a&b=c;d", "100%", "50%25", "\u017dalgiris", "\u20ac", "\u65e5\u672c",
            "\U0001F600", "#frag", "?q=1", "a/b", "hash=0", "=", "&", ";", "+", " ", "%", "line1\nline2",
            "tab\there", "quote'\"", "<>", "0123", "true", "all", "user_id=5"],
}
EXTRA = {                  # names outside the order, and the quirks' names
    b"u": ["admin"] * 6 + ["Admin", " admin", "admin ", "user7", "", "ADMIN", "reseller1"],
    b"p": ["admin1", "", "secret pw", "p&w"],
    b"api_path": ["quickstats_get", "x/quickstats_get/y", "other", "", "Quickstats_get"],
    b"id": ["5", "007", "", "x"],
    b"device_callerid": ["123"], b"user_warning_email_hourpgui": ["1"], b"credit_note_id": ["5"],
    b"s_amount_min": ["1"], b"comments_for_user": ["hi"], b"u29": ["1"], b"test": ["1"],
    b"zz": ["z"], b"User_id": ["5"], b"user_id ": ["5"],
}
EXTRA_M2 = {               # M2 only: user_calls_get's api_name, payments_get's own filters,
    b"api_name": ["tariff_rates_get", "aggregate_get", "quickstats_get", "user_login",
                  "exchange_rate_update", "", "devices_get", "Tariff_rates_get", "user_calls_get"],
    b"from_s": ["1500000000"], b"till_s": ["x"], b"user_id_s": ["5"], b"amount_min_s": ["1"],
    b"currency_s": ["EUR"], b"username_s": ["john"],
    # and X8 order names M2 hashes never.
    b"s_device": ["7", "all"], b"s_provider": ["8"], b"lcr_id": ["3"], b"did": ["370"],
    b"service_id": ["4"], b"device_calerid": ["1"],
}

def pool(rule):
    kind, _, arg = rule.partition(":")
    if kind in ("enum", "search", "line"):
        alts = [a for a in arg.split("|") if a != "[0-9,]+"]
        near = [a.upper() for a in alts] + [a.capitalize() for a in alts] + [a + " " for a in alts] \
            + [a.replace("_", " ") for a in alts] + ["x" + a for a in alts]
        return alts * 2 + near + POOLS.get(kind, []) + ["", "x"]
    if kind in ("raw-except", "never"):
        return POOLS["raw"]
    return POOLS[kind] + ["7", ""]

def enc_byte(c, name):
    ch = bytes([c])
    if ch == b" ":
        return rnd.choice([b"+", b"%20"])
    if ch.isalnum() and c < 0x80 or ch in b"-._~":
        return ch if rnd.random() < 0.93 else (b"%%%02X" if rnd.random() < 0.5 else b"%%%02x") % c
    if ch in b",:/@!*'()$?" and rnd.random() < 0.5:
        return ch                      # legal unencoded in a query
    if ch == b"=" and not name and rnd.random() < 0.5:
        return ch                      # a value keeps a later '='
    return (b"%%%02X" if rnd.random() < 0.8 else b"%%%02x") % c

def enc(s, name=False):
    return b"".join(enc_byte(c, name) for c in s.encode("utf-8"))

KEYS = ["secret", "Very Sercet Key", "456789", "k\u20acy \u017e", "a" * 64, "with\ttab", "q'\"$`\\ x", "0"]
checked = {v: sorted(a for a, c in ms.ACTIONS[v].items() if c in ("filter", "inline")) for v in ms.VERSIONS}
routes = {v: dict((a, [a] + [old for old, (act, _) in ms.ALIASES[v].items() if act == a]) for a in checked[v])
          for v in ms.VERSIONS}

# Actions whose routed name changes what is hashed: the quickstats test, number's skip, lists.
SPECIAL = {"x8": ["quickstats_get", "users_get", "device_update", "did_subscription_stop",
                  "card_from_group_sell", "user_sms_service_subscribe", "subscriptions_get"],
           "x5": ["card_from_group_sell"], "x3": ["buy_card_from_callingroup", "ma_activate"],
           "m2": ["quickstats_get", "user_login", "tariff_rates_get", "user_calls_get", "aggregate_get",
                  "exchange_rate_update", "payments_get"]}

def request(version):
    special = rnd.random() < 0.25
    action = rnd.choice(SPECIAL[version] if special else checked[version])
    path = rnd.choice(routes[version][action])
    if path == action and rnd.random() < 0.15:
        path += "/" + rnd.choice(["77", "0012", "x"])
    names = [(n, r) for n, r in ms.ORDERS[version]]
    filtered = [(n, r) for n, r in names if r != "raw"]
    listed = ms.LISTS.get(version, {}).get(action, [])
    chosen = rnd.sample(names, rnd.randint(0, 4)) + rnd.sample(filtered, rnd.randint(0, 4))
    chosen += [(n, "raw") for n in listed if rnd.random() < 0.7]
    chosen += [(n, None) for n in rnd.sample(sorted(EXTRA), rnd.randint(0, 3))]
    if version == "m2":
        chosen += [(n, None) for n in rnd.sample(sorted(EXTRA_M2), rnd.randint(0, 3))]
        if action == "user_calls_get" and rnd.random() < 0.6:      # api_name and a list's names
            chosen += [(b"api_name", None)] + [(n, "raw") for n in rnd.choice(sorted(ms.LISTS["m2"].values()))]
    if special:
        chosen += [(b"number", "raw")] * (rnd.random() < 0.7)
        chosen += [(b"api_path", None)] * (rnd.random() < 0.4)
    if rnd.random() < 0.8:
        chosen.insert(0, (b"u", None))
    rnd.shuffle(chosen)
    pieces = []
    for name, rule in chosen:
        values = {**EXTRA, **EXTRA_M2}[name] if rule is None else pool(rule)
        for _ in range(1 if rnd.random() < 0.9 else 2):       # sometimes a duplicate
            if rnd.random() < 0.05:
                pieces.append(enc(name.decode(), True))         # bare name
            else:
                pieces.append(enc(name.decode(), True) + b"=" + enc(rnd.choice(values)))
    if rnd.random() < 0.1:
        pieces.insert(rnd.randrange(len(pieces) + 1), b"")      # an empty piece
    query = b""
    for i, piece in enumerate(pieces):
        query += (rnd.choice([b"&"] * 4 + [b";"]) if i else b"") + piece
    return path.encode(), query.rstrip(b"&;"), rnd.choice(KEYS).encode("utf-8")

def differential(versions):
    global rnd
    rnd = random.Random(20240131)
    total = 0
    for version in versions:
        for i in range(300):
            path, query, key = request(version)
            if i % STRIDE:
                continue
            total += 1
            want = ms.server_hash(version, path, query, key)
            uri = b"http://h/billing/api/" + path + (b"?" + query if query else b"")
            expected = uri + (b"&" if query else b"?") + b"hash=" + want.encode() + b"\n"
            status, out, err = mh([b"--mor-version=" + version.upper().encode(), b"--uri", uri], key)
            if status != 0 or out != expected:
                fail("%s request %d: %s key %r" % (version, i, uri.decode(), key.decode()),
                     "model hashes %r" % [(n.decode(), v) for n, v in ms.hashed_values(version, path, query)],
                     "want status 0, hash %s" % want,
                     "got status %d, %s %s" % (status, out.decode("utf-8", "replace").strip(),
                                               err.decode("utf-8", "replace").strip()))
    finish(total)
EOF
)

# m2_refused: the binary does not take --mor-version=M2 yet (status 2, "version").
m2_refused() {
	run --separate-stderr env MOR_API_SECRET=secret "$MOR_HASH" --mor-version=M2 \
	    --uri "$API/devices_get?u=admin"
	[ "$status" -eq 2 ] && [[ $stderr == *version* ]]
}

@test "server: 300 random requests per version, --uri against the model" {
	drive <<<"$RANDOM_REQUESTS
differential(ms.MOR_VERSIONS)"
}

@test "server: 300 random M2 requests, --uri against the model (skipped while M2 is refused)" {
	! m2_refused || skip "mor-hash refuses --mor-version=M2"
	drive <<<"$RANDOM_REQUESTS
differential(('m2',))"
}

# ---------------------------------------------------------------- choosing the version

@test "server: --mor-version takes X3, x3, X5, x8; MOR_VERSION too; the option wins" {
	export MOR_API_SECRET=secret
	# X3 hashes number for its own buy_card_from_callingroup, X5/X8 route it to
	# card_from_group_sell and skip number; X5's device_update is global, X8's a list.
	local q='u=admin&number=1111&id=6'
	expect X3 buy_card_from_callingroup "$q" 1111 6
	expect x3 buy_card_from_callingroup "$q" 1111 6
	expect X5 buy_card_from_callingroup "$q" 6
	expect x8 buy_card_from_callingroup "$q" 6
	q='u=admin&user_id=0123&device=05&host=h'
	expect X5 device_update "$q" 123 05
	expect X8 device_update "$q" 05 h
	export MOR_VERSION=x3
	run --separate-stderr mh --uri "$API/buy_card_from_callingroup?u=admin&number=1111&id=6"
	assert_status 0
	assert_stdout "$API/buy_card_from_callingroup?u=admin&number=1111&id=6&hash=$(sha1 1111 6 secret)"
	export MOR_VERSION=X5
	run --separate-stderr mh --uri "$API/device_update?$q"
	assert_status 0
	assert_stdout "$API/device_update?$q&hash=$(sha1 123 05 secret)"
	export MOR_VERSION=X3
	run --separate-stderr mh --mor-version=X8 --uri "$API/device_update?$q"
	assert_status 0
	assert_stdout "$API/device_update?$q&hash=$(sha1 05 h secret)"
}

@test "server: by default X8's behaviour; a method newer than X8 keeps its documented order" {
	export MOR_API_SECRET=secret
	local q='u=admin&user_id=0123&device=05&host=h'
	run --separate-stderr mh --uri "$API/device_update?$q"
	assert_status 0
	assert_stdout "$API/device_update?$q&hash=$(sha1 05 h secret)"
	q='u=admin&period_start=01500000000&s_user=all&description=x&user_id=007'
	run --separate-stderr mh --uri "$API/user_calls_get?$q"
	assert_stdout "$API/user_calls_get?$q&hash=$(sha1 7 1500000000 x secret)"
	# lcr_add_provider (X9+): the table's u, lcr_id, provider_id, not the global order.
	q='failover=1&provider_id=7&lcr_id=3&u=admin'
	run --separate-stderr mh --uri "$API/lcr_add_provider?$q"
	assert_status 0
	assert_stdout "$API/lcr_add_provider?$q&hash=$(sha1 admin 3 7 secret)"
}

# ---------------------------------------------------------------- the comparison

@test "server: an upper-case right hash is a mismatch; the lower-case one is printed" {
	export MOR_API_SECRET=secret
	local h base="$API/user_details_get?u=admin&user_id=5"
	h=$(sha1 5 secret)
	run --separate-stderr mh --mor-version=X8 --uri "$base&hash=${h^^}&test=1"
	assert_status 1
	assert_stdout "$base&hash=$h&test=1"
	[ -n "$stderr" ]
	run --separate-stderr mh --mor-version=X8 --uri "$base&hash=$h&test=1"
	assert_status 0
	assert_stdout "$base&hash=$h&test=1"
}

@test "server: --url builds the request, operands in any order" {
	export MOR_API_SECRET=secret
	run --separate-stderr mh --mor-version=X8 --url "$API/tariff_rates_get" tariff_id=0100 u=admin user_id=123
	assert_status 0
	assert_stdout "$API/tariff_rates_get?tariff_id=0100&u=admin&user_id=123&hash=$(sha1 123 100 secret)"
	run --separate-stderr mh --mor-version=X8 --url "$API/user_details_get/77" u=admin id=9 user_id=5
	assert_stdout "$API/user_details_get/77?u=admin&id=9&user_id=5&hash=$(sha1 5 77 secret)"
	run --separate-stderr mh --mor-version=X8 --url "$API/calling_cards_get"
	assert_stdout "$API/calling_cards_get?hash=$(sha1 secret)"
}

# ---------------------------------------------------------------- value rules (X8)

@test "server: int: digits only, leading zeros dropped, empty is 0 (user_id, tariff_id, periods, only_did)" {
	export MOR_API_SECRET=secret
	expect X8 user_details_get 'u=admin&user_id=0123' 123
	expect X8 user_details_get 'u=admin&user_id=' 0
	expect X8 user_details_get 'u=admin&user_id=000' 0
	expect X8 user_details_get 'u=admin&user_id=00000000000000000000012345678901234567890123' 12345678901234567890123
	expect X8 user_details_get 'u=admin&user_id=%2B5'
	expect X8 user_details_get 'u=admin&user_id=-5'
	expect X8 user_details_get 'u=admin&user_id=12a'
	expect X8 user_details_get 'u=admin&user_id=%2012'
	expect X8 user_details_get 'u=admin&user_id=12%0A'
	expect X8 tariff_rates_get 'u=admin&tariff_id=0100' 100
	expect X8 user_calls_get 'u=admin&period_start=2024-01-31&period_end=&only_did=01' 0 1
}

@test "server: digits: as received or nothing (s_user, s_user_id, s_from, s_till, mtype)" {
	export MOR_API_SECRET=secret
	expect X8 user_calls_get 'u=admin&s_user=05' 05
	expect X8 user_calls_get 'u=admin&s_user=all'
	expect X8 user_calls_get 'u=admin&s_user=x'
	expect X8 payments_get 'u=admin&s_till=16000x&s_from=0150&s_user_id=' 0150
}

@test "server: digits-or-all: digits or exactly 'all' (device, s_device, s_provider, s_hgc, s_did)" {
	export MOR_API_SECRET=secret
	expect X8 device_delete 'u=admin&device=all' all
	expect X8 device_delete 'u=admin&device=0123' 0123
	expect X8 device_delete 'u=admin&device=ALL'
	expect X8 device_delete 'u=admin&device=abc'
	expect X8 user_calls_get 'u=admin&s_hgc=0012&s_provider=all&s_did=All&s_device=x' all 0012
}

@test "server: balance: only 0-9 . + - ; '1,5' and '1e3' dropped" {
	export MOR_API_SECRET=secret
	expect X8 user_balance_update 'u=admin&balance=%2B100&user_id=5' 5 +100
	expect X8 user_balance_update 'u=admin&balance=-1.5&user_id=5' 5 -1.5
	expect X8 user_balance_update 'u=admin&balance=1%2C5&user_id=5' 5
	expect X8 user_balance_update 'u=admin&balance=1e3&user_id=5' 5
	expect X8 user_balance_update 'u=admin&balance=+100&user_id=5' 5
}

@test "server: enum: direction and calltype exactly, case-sensitive" {
	export MOR_API_SECRET=secret
	expect X8 user_calls_get 'u=admin&s_user=5&calltype=answered&direction=outgoing' outgoing answered 5
	expect X8 user_calls_get 'u=admin&s_user=5&calltype=missed_not_processed_inc&direction=incoming' \
	    incoming missed_not_processed_inc 5
	expect X8 user_calls_get 'u=admin&s_user=5&direction=Outgoing' 5
	expect X8 user_calls_get 'u=admin&s_user=5&calltype=no+answer' 5
	expect X8 user_calls_get 'u=admin&s_user=5&calltype=no_answer' no_answer 5
}

@test "server: search: block containing true or false anywhere" {
	export MOR_API_SECRET=secret
	expect X8 user_details_update 'u=admin&user_id=7&block=untrue' 7 untrue
	expect X8 user_details_update 'u=admin&user_id=7&block=falsey' 7 falsey
	expect X8 user_details_update 'u=admin&user_id=7&block=TRUE' 7
	expect X8 user_details_update 'u=admin&user_id=7&block=no' 7
}

@test "server: line: users with one LF-separated line postpaid, prepaid, all or digits/commas" {
	export MOR_API_SECRET=secret
	expect X8 user_details_update 'u=admin&user_id=7&users=x%0Apostpaid' 7 $'x\npostpaid'
	expect X8 user_details_update 'u=admin&user_id=7&users=postpaid%0A' 7 $'postpaid\n'
	expect X8 user_details_update 'u=admin&user_id=7&users=1%2C2%2C3' 7 1,2,3
	expect X8 user_details_update 'u=admin&user_id=7&users=Postpaid' 7
	expect X8 user_details_update 'u=admin&user_id=7&users=1+2' 7
	expect X8 user_details_update 'u=admin&user_id=7&users=prepaid%0D%0A' 7
}

@test "server: raw: as received, an empty value adds nothing; email, lcr_id, s_call_type unfiltered" {
	export MOR_API_SECRET=secret
	expect X8 user_details_get 'u=admin&description=&user_id=5' 5
	expect X8 user_details_update 'u=admin&user_id=7&email=not+an+email' 7 'not an email'
	expect X8 sms_send 'u=admin&lcr_id=x3&dst=37060000000' x3 37060000000
	expect X8 user_calls_get 'u=admin&s_user=5&s_call_type=anything+at+all' 5 'anything at all'
}

@test "server: raw-except: number dropped on card_from_group_sell (also via its old name), kept elsewhere" {
	export MOR_API_SECRET=secret
	expect X8 card_from_group_sell 'u=admin&number=1111&id=6' 6
	expect X8 buy_card_from_callingroup 'u=admin&number=1111&id=6' 6
	expect X8 card_balance_get 'u=admin&number=1111' 1111
	expect X3 buy_card_from_callingroup 'u=admin&number=1111&id=6' 1111 6
}

@test "server: never: user_warning_email_hour, pgui, device_calerid and device_callerid" {
	export MOR_API_SECRET=secret
	expect X8 user_details_update 'u=admin&user_id=5&user_warning_email_hour=3&pgui=1&u28=x' 5 x
	expect X8 user_details_update 'u=admin&user_id=5&user_warning_email_hourpgui=1' 5
	expect X8 device_callflow_update 'u=admin&device_id=5&device_calerid=1&device_callerid=2' 5
	expect X3 user_update_api 'u=admin&user_id=5&user_warning_email_hour=3&pgui=1' 5
}

@test "server: every order name is hashed at its position whatever the method, others never" {
	export MOR_API_SECRET=secret
	expect X8 user_details_get 'u=admin&description=x&user_id=5' 5 x
	expect X8 user_details_get 'u=admin&name=x&a9=z&user_id=5&zz=1&credit_note_id=4' 5 z x
}

# ---------------------------------------------------------------- parsing and routing

@test "server: parsing: ';' separates, '+' is a space, %2B a '+', the value keeps a later '='" {
	export MOR_API_SECRET=secret
	expect X8 user_details_get 'u=admin;user_id=5' 5
	expect X8 user_details_get 'u=admin;user_id=5&description=x%20y' 5 'x y'
	expect X8 user_details_get 'u=admin&description=a+b%2Bc' 'a b+c'
	expect X8 user_details_get 'u=admin&description=a=b' 'a=b'
}

@test "server: parsing: the last duplicate wins, a bare name is nil, empty pieces skipped" {
	export MOR_API_SECRET=secret
	expect X8 user_details_get 'u=admin&user_id=1&user_id=2' 2
	expect X8 user_details_get 'u=admin&user_id=1&user_id'
	expect X8 user_details_get 'u=admin&user_id'
	expect X8 user_details_get 'u=admin&description'
	expect X8 user_details_get '&&u=admin&&;user_id=5' 5
	# A bare listed name adds the empty string, as an absent one does.
	expect X8 cc_group_create 'u=admin&name'
}

@test "server: parsing: names are decoded too (user%5Fid), %20user_id is another name" {
	export MOR_API_SECRET=secret
	expect X8 user_details_get 'u=admin&user%5Fid=123' 123
	expect X8 user_details_get 'u=admin&%20user_id=123'
	expect X8 user_details_get 'u=admin&%C5%BD=1&description=%C5%BDalgiris' 'Žalgiris'
}

@test "server: routing: /api/ACTION/ID sets id, the path beats the query" {
	export MOR_API_SECRET=secret
	expect X8 user_details_get/77 'u=admin&user_id=5&id=9' 5 77
	expect X8 card_from_group_sell/6 'u=admin&quantity=2' 6 2
	expect X3 user_details/77 'user_id=5' 5 77
}

@test "server: routing: X5/X8 alias routes (user_details, send_sms), quickforwards_did_delete" {
	export MOR_API_SECRET=secret
	expect X8 user_details 'u=admin&user_id=0123' 123
	expect X8 send_sms 'u=admin&lcr_id=3&dst=371&src=370&message=hi+there' 3 371 370 'hi there'
	expect X5 send_sms 'u=admin&lcr_id=3&dst=371' 3 371
	expect X8 quickforwards_did_delete 'u=admin&did=37060000001' 37060000001
	expect X8 get_tariff 'u=admin&tariff_id=100&user_id=123' 123 100
}

@test "server: routing: X3 has user_details, send_sms and did_unassign_device as its own actions" {
	export MOR_API_SECRET=secret
	expect X3 user_details 'u=admin&user_id=0123&monitoring_id=05' 123 05
	expect X5 user_details 'u=admin&user_id=0123&monitoring_id=05' 123
	expect X3 send_sms 'u=admin&lcr_id=3&dst=371' 3 371
	# X3's order has no did; X5 added it.
	expect X3 did_unassign_device 'u=admin&did=123'
	expect X5 did_unassign_device 'u=admin&did=123' 123
}

# ---------------------------------------------------------------- mechanism A (X8 lists)

@test "server: lists: device_update hashes its list raw and ignores user_id=0123" {
	export MOR_API_SECRET=secret
	expect X8 device_update 'u=admin&user_id=0123&device=05&host=h' 05 h
	expect X8 device_update 'u=admin&port=5060&host=dynamic&device=abc' abc dynamic 5060
	expect X8 device_update 'u=admin&user_id=0123'
	expect X8 users_get 'u=admin&p=secret+pw&test=1' admin 'secret pw'
	expect X8 user_sms_service_subscribe 'u=admin&sms_tariff_id=3&user_id=007' 007 3
	expect X8 voucher_use 'u=admin&description=x&voucher_number=77' 77
}

@test "server: lists: quickstats_get with u=admin hashes the key alone, u=Admin as sent" {
	export MOR_API_SECRET=secret
	expect X8 quickstats_get 'u=admin'
	expect X8 quickstats_get 'u=%61dmin'
	expect X8 quickstats_get 'u=Admin' Admin
	expect X8 quickstats_get 'u=%20admin' ' admin'
	expect X8 quickstats_get 'u=user7' user7
}

@test "server: lists: u=admin with api_path containing quickstats_get empties any list, never the global path" {
	export MOR_API_SECRET=secret
	expect X8 users_get 'u=admin&p=x&api_path=quickstats_get'
	expect X8 users_get 'u=admin&p=x&api_path=a%2Fquickstats_get%2Fb'
	expect X8 users_get 'u=admin&p=x&api_path=other' admin x
	expect X8 users_get 'u=Admin&p=x&api_path=quickstats_get' Admin x
	expect X8 user_details_get 'u=admin&user_id=5&api_path=quickstats_get' 5
}

@test "server: lists: did_subscription_stop hashes dids_id, not did_id" {
	export MOR_API_SECRET=secret
	expect X8 did_subscription_stop 'u=admin&did_id=7&dids_id=6511' 6511
	expect X8 did_subscription_stop 'u=admin&did_id=7'
}

# ---------------------------------------------------------------- corrections.md (X8)

@test "server: correction credit_note_delete: credit_note_id is not hashed, the key alone" {
	export MOR_API_SECRET=secret
	expect X8 credit_note_delete 'u=admin&credit_note_id=5'
}

@test "server: correction credit_note_update: status if sent; credit_note_id and comment never" {
	export MOR_API_SECRET=secret
	expect X8 credit_note_update 'u=admin&comment=c&status=paid&credit_note_id=5' paid
	expect X8 credit_note_update 'u=admin&comment=c&credit_note_id=5'
}

@test "server: correction device_callflow_update: the global order, device_callerid and voicemail never" {
	export MOR_API_SECRET=secret
	expect X8 device_callflow_update \
	    'u=admin&voicemail=1&fax_device=9&src_callerid=456&device_callerid=123&external_number=370&state=busy&callflow_action=forward&device_id=5' \
	    5 forward busy 370 456 9
}

@test "server: correction did_device_unassign: did is hashed" {
	export MOR_API_SECRET=secret
	expect X8 did_device_unassign 'u=admin&did=37060000000' 37060000000
}

@test "server: correction did_subscription_stop: its list is dids_id" {
	export MOR_API_SECRET=secret
	expect X8 did_subscription_stop 'u=admin&dids_id=6511' 6511
}

@test "server: correction financial_statements_get: user_id (int), status, date_from, date_till" {
	export MOR_API_SECRET=secret
	expect X8 financial_statements_get 'u=admin&date_till=1600000000&date_from=1500000000&status=paid&user_id=0123' \
	    123 paid 1500000000 1600000000
}

@test "server: correction payments_get: s_amount_min is not hashed" {
	export MOR_API_SECRET=secret
	expect X8 payments_get 'u=admin&s_amount_max=9&s_amount_min=1&s_paymenttype=manual' manual 9
}

@test "server: correction tariff_rates_get: user_id before tariff_id" {
	export MOR_API_SECRET=secret
	expect X8 tariff_rates_get 'u=admin&tariff_id=100&user_id=123' 123 100
}

@test "server: correction tariff_wholesale_update: name, id, currency" {
	export MOR_API_SECRET=secret
	expect X8 tariff_wholesale_update 'u=admin&currency=EUR&id=8&name=test' test 8 EUR
}

@test "server: correction user_details_update: u29-u33, user_warning_email_hour and pgui never" {
	export MOR_API_SECRET=secret
	expect X8 user_details_update \
	    'u=admin&u33=1&u32=1&u31=1&u30=1&u29=1&pgui=1&user_warning_email_hour=3&u28=x&u0=a&user_id=5' 5 a x
}
