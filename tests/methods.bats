#!/usr/bin/env bats
# The method table: every row, MOR's worked examples, the row rules, the
# user's file, --methods and --learn.
# Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.

load helper

@test "methods: every row of methods.tsv, all its parameters through --url, hash from MOR's server (X8) or the row" {
	export MOR_API_SECRET=$KEY
	py_mh "$KEY" <<'EOF'
import hashlib, os, subprocess, sys, urllib.parse
import mor_server
from mh_run import COMMAND, WRAPPED
key = sys.argv[1]
def names(field):
    return [] if field == "-" else [e.split("!=")[0].rstrip("*") for e in field.split(",")]
# Values that every value rule keeps as they are.
valid = {"direction": "outgoing", "calltype": "answered", "users": "postpaid",
         "block": "true", "device": "all"}
rows = [l.rstrip("\n").split("\t") for l in open("methods.tsv") if not l.startswith("#")][1:]
assert len(rows) == 139
if WRAPPED:
    rows = rows[::20]
bad = 0
for method, aliases, hashed, other, *_ in rows:
    params = {}
    for i, n in enumerate(dict.fromkeys(names(hashed) + names(other) + ["u", "test"])):
        params[n] = valid.get(n, str(1000 + i))
    sent = list(reversed(params.items()))       # the order sent must not matter
    query = "&".join("%s=%s" % (urllib.parse.quote(n, safe=""), urllib.parse.quote(v, safe=""))
                     for n, v in sent)
    action = mor_server.route("x8", "api/" + method)[0].decode()
    check = mor_server.ACTIONS["x8"].get(action)
    url = "http://mor.example.com/billing/api/" + method
    if check == "missing":                          # routed to no action: 404
        r = subprocess.run(COMMAND + ["--url", url] + ["%s=%s" % p for p in sent],
                           capture_output=True, text=True)
        if r.returncode != 2 or r.stdout or "answers 404 whatever the hash" not in r.stderr:
            bad += 1
            print(method, r.returncode, r.stdout, r.stderr, file=sys.stderr)
        continue
    if check in ("filter", "inline"):
        want_hash = mor_server.server_hash("x8", method, query, key)
    else:                                       # newer than X8, or never checked
        want_hash = hashlib.sha1(("".join(params[n] for n in names(hashed)) + key).encode()).hexdigest()
    url = "http://mor.example.com/billing/api/" + method
    r = subprocess.run(COMMAND + ["--url", url] + ["%s=%s" % p for p in sent],
                       capture_output=True, text=True)
    want = url + "?" + query + "&hash=" + want_hash
    noise = [l for l in r.stderr.splitlines() if not l.startswith("mor-hash: warning: ")
             or "is not hashed by MOR" in l or "is hashed by MOR as" in l]
    if r.returncode or r.stdout.strip() != want or noise:
        bad += 1
        print(method, r.returncode, r.stdout.strip(), want, r.stderr.strip(), file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
}

@test "methods: every worked example of MOR's documentation through --uri with no names" {
	py_mh <<'EOF'
import os, subprocess, sys, urllib.parse
from mh_run import COMMAND, WRAPPED
lines = [l.rstrip("\n").split("\t") for l in open("tests/examples.tsv")][1:]
assert len(lines) >= 23
bad = 0
for method, params, key, want, *_ in lines:
    query = "&".join(urllib.parse.quote(n, safe="") + "=" + urllib.parse.quote(v, safe="")
                     for n, v in (p.split("=", 1) for p in params.split("&")))
    uri = "http://mor.example.com/billing/api/%s?%s&hash=%s" % (method, query, want)
    r = subprocess.run(COMMAND + ["--uri", uri], capture_output=True, text=True,
                       env=dict(os.environ, MOR_API_SECRET=key))
    if r.returncode != 0 or r.stdout.strip() != uri:
        bad += 1
        print(method, r.returncode, r.stderr.strip(), file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
}

@test "methods: the issue's example, -m with operands in any order" {
	export MOR_API_SECRET=456789
	run --separate-stderr mh -m user_balance_update balance=100 user_id=123
	assert_stdout b1bef44691c237b574263e09b2838ad1e658e507
	run --separate-stderr mh --method=user_balance_update user_id=123 balance=100
	assert_stdout b1bef44691c237b574263e09b2838ad1e658e507
	[ -z "$stderr" ]
}

@test "methods: --url finds the method in the path; no -p, no order to know" {
	export MOR_API_SECRET=456789
	run --separate-stderr mh --url http://mor.example.com/billing/api/user_balance_update u=admin balance=100 user_id=123
	assert_stdout 'http://mor.example.com/billing/api/user_balance_update?u=admin&balance=100&user_id=123&hash=b1bef44691c237b574263e09b2838ad1e658e507'
	[ -z "$stderr" ]
}

@test "methods: an alias names the same method" {
	export MOR_API_SECRET=456789
	run mh --url http://h/billing/api/user_balance_change balance=100 user_id=123
	[[ $output == *hash=b1bef44691c237b574263e09b2838ad1e658e507 ]]
	run mh -m user_balance_change balance=100 user_id=123
	assert_stdout b1bef44691c237b574263e09b2838ad1e658e507
}

@test "methods: a path ending in /api is refused: MOR routes it to index (404), action= or not" {
	export MOR_API_SECRET=456789
	run --separate-stderr mh --url http://h/billing/api/ action=user_balance_update balance=100 user_id=123
	assert_error 2 "^mor-hash: MOR answers 404 whatever the hash: the path names no method .*write \.\.\./api/METHOD$" 456789
	run --separate-stderr mh --uri 'http://h/billing/api?action=user_balance_update&balance=100&user_id=123'
	assert_error 2 "answers 404 whatever the hash" 456789
	run --separate-stderr mh -m user_balance_update --url http://h/billing/api balance=100 user_id=123
	assert_error 2 "answers 404 whatever the hash" 456789
	# The path's action wins over action= in the query.
	run --separate-stderr mh --url http://h/billing/api/user_balance_update action=users_get balance=100 user_id=123
	assert_status 0
	[[ $output == *"&hash=b1bef44691c237b574263e09b2838ad1e658e507" ]]
}

@test "methods: NAME!=VALUE: quickstats_get hashes u unless it is admin" {
	export MOR_API_SECRET=k
	run mh -m quickstats_get u=admin
	assert_stdout "$(reference k)"
	run mh -m quickstats_get u=bob
	assert_stdout "$(reference bob k)"
}

@test "methods: '-' hashes the key alone" {
	export MOR_API_SECRET=abc
	run --separate-stderr mh -m aggregate_get u=admin from=1 till=2
	assert_stdout a9993e364706816aba3e25717850c26c9cd0d89d
	[ -z "$stderr" ]
}

@test "methods: a hashed parameter not sent is skipped" {
	export MOR_API_SECRET=k
	run --separate-stderr mh -m user_details_raw_get username=joe
	assert_stdout "$(reference joe k)"
}

@test "methods: an unknown parameter warns and is not hashed; u, p, test never warn" {
	export MOR_API_SECRET=456789
	run --separate-stderr mh -m user_balance_update u=admin p=x test=1 balance=100 user_id=123 balanse=7
	assert_status 0
	assert_stdout b1bef44691c237b574263e09b2838ad1e658e507
	[ "$stderr" = "mor-hash: warning: method user_balance_update does not take parameter 'balanse'; it is sent but not hashed" ]
}

@test "methods: a missing required hashed parameter warns" {
	export MOR_API_SECRET=456789
	run --separate-stderr mh -m user_balance_update balance=100
	assert_status 0
	assert_stdout "$(reference 100 456789)"
	[ "$stderr" = "mor-hash: warning: method user_balance_update hashes required parameter 'user_id', which the request lacks" ]
}

@test "methods: -M ignores the table; an unknown path keeps the order given" {
	export MOR_API_SECRET=k
	run mh -M --url http://h/billing/api/user_balance_update balance=100 user_id=123
	[[ $output == *"hash=$(reference 100 123 k)" ]]
	run mh -M --url http://h/billing/api/no_such_thing balance=100 user_id=123
	[[ $output == *"hash=$(reference 100 123 k)" ]]
	run --separate-stderr mh --url http://h/billing/api/no_such_thing balance=100 user_id=123
	assert_error 2 "^mor-hash: MOR answers 404 whatever the hash: it has no API method 'no_such_thing'" k
}

@test "methods: -m must name the method the path calls; --uri names win over the table" {
	export MOR_API_SECRET=k
	run --separate-stderr mh -m user_balance_update --url http://h/billing/api/users_get balance=1 user_id=2
	assert_error 2 "^mor-hash: -m user_balance_update, but the URL's path calls 'users_get', and MOR hashes what the path calls$" k
	# The same method by its old name is fine.
	run mh -m user_details --url http://h/billing/api/user_details_get user_id=2
	[[ $output == *"hash=$(reference 2 k)" ]]
	run mh --uri 'http://h/billing/api/user_balance_update?balance=1&user_id=2' balance user_id
	[[ $output == *"hash=$(reference 1 2 k)" ]]
}

@test "methods: --form prints the POST body, hash last" {
	export MOR_API_SECRET=456789
	run --separate-stderr mh --form -m user_balance_update u=admin user_id=123 balance=100
	assert_stdout 'u=admin&user_id=123&balance=100&hash=b1bef44691c237b574263e09b2838ad1e658e507'
}

@test "methods: -v names the method and its source, the values in hash order, what is left out" {
	export MOR_API_SECRET=456789
	run --separate-stderr mh -v -m user_balance_update u=admin balance=100 user_id=123
	[ "${stderr_lines[0]}" = "method: user_balance_update (built in; source https://wiki.kolmisoft.com/index.php/MOR_API_user_balance_update)" ]
	[ "${stderr_lines[1]}" = "order: MOR's global order, with its value rules (code of MOR X8)" ]
	[ "${stderr_lines[2]}" = "not hashed: u" ]
	[ "${stderr_lines[3]}" = "value 1: user_id=123" ]
	[ "${stderr_lines[4]}" = "value 2: balance=100" ]
	[ "${stderr_lines[5]}" = "hashed: 123100<secret: 6 bytes>" ]
}

@test "methods: the user's file overrides a row, also under an alias" {
	export MOR_API_SECRET=k MOR_HASH_METHODS=$TMP/methods
	printf 'user_balance_update\tbalance,user_id\n' >"$MOR_HASH_METHODS"
	run --separate-stderr mh -v -m user_balance_change balance=100 user_id=123
	assert_stdout "$(reference 100 123 k)"
	[ "${stderr_lines[0]}" = "method: user_balance_update (from $TMP/methods, line 1)" ]
}

@test "methods: the user's file adds a method; the default file is found under XDG_CONFIG_HOME" {
	export MOR_API_SECRET=k XDG_CONFIG_HOME=$TMP/config
	mkdir -p "$XDG_CONFIG_HOME/mor-hash"
	printf '# added\nmy_method\tb*,a\tc\n' >"$XDG_CONFIG_HOME/mor-hash/methods"
	run --separate-stderr mh --url http://h/billing/api/my_method a=1 b=2 c=3
	assert_stdout "http://h/billing/api/my_method?a=1&b=2&c=3&hash=$(reference 2 1 k)"
	[ -z "$stderr" ]
}

@test "methods: the default file under HOME, and its absence is silent" {
	export MOR_API_SECRET=k
	run --separate-stderr mh -m user_balance_update balance=1 user_id=2
	assert_status 0
	[ -z "$stderr" ]
	mkdir -p "$HOME/.config/mor-hash"
	printf 'user_balance_update\t-\tuser_id,balance\n' >"$HOME/.config/mor-hash/methods"
	run --separate-stderr mh -m user_balance_update balance=1 user_id=2
	assert_stdout "$(reference k)"
}

@test "methods: --methods lists every method as a line of the user's table" {
	run --separate-stderr mh --methods
	assert_status 0
	[ -z "$stderr" ]
	[ "${#lines[@]}" -eq 139 ]
	# Three fields on every line: the user's file's own format.
	[ "$(awk -F'\t' 'NF != 3' <<<"$output")" = "" ]
	[[ $output == *$'\nuser_balance_update\t(global)\tuser_id,balance,u\n'* ]]
	[[ $output == *$'\nusers_get\tu,p\tuniquehash\n'* ]]
	[[ $output == *$'\nquickstats_get\tu!=admin\t-\n'* ]]
	# Newer than X8's code: the documentation's order (mor-hash's too).
	[[ $output == *$'\nuser_details_raw_get\tuser_id,username\tu\n'* ]]
}

@test "methods: --methods follows --mor-version and MOR_VERSION" {
	run --separate-stderr mh --methods --mor-version=M2
	assert_status 0
	[[ $output == *$'\ntariff_rates_get\ttariff_id,device_id\tuser_id,u,p\n'* ]]
	# No line keeps these: commented out, the nearest line.
	[[ $output == *$'\n#user_calls_get\t(global)\t'* ]]
	[[ $output == *$'\n#device_create\t'* ]]
	MOR_VERSION=X3 run --separate-stderr mh --methods
	[[ $output == *$'\n#users_get\tu*,p\tuniquehash\n'* ]]
	[[ $output == *$'\nuser_balance_update\t(global)\tuser_id,balance,u\n'* ]]
	MOR_VERSION=X9 run --separate-stderr mh --methods
	assert_status 2
	[ -z "$output" ]
	[[ $stderr == "mor-hash: MOR_VERSION: unknown MOR version 'X9'"* ]]
}

# Issue 21: a line of --methods copied into the user's table must not
# change a hash, in any version, for values a value rule changes too.
@test "methods: every line of --methods, added to the user's table, keeps every hash (all versions)" {
	export MOR_API_SECRET=$KEY
	py_mh "$TMP" <<'EOF'
import concurrent.futures, os, subprocess, sys
from mh_run import COMMAND, WRAPPED
tmp = sys.argv[1]
empty = os.path.join(tmp, "empty")
open(empty, "w").close()
def run(table, *args):
    env = dict(os.environ, MOR_HASH_METHODS=table)
    r = subprocess.run(COMMAND + list(args), capture_output=True, text=True, env=env)
    return r.returncode, r.stdout
def names(field):
    if field in ("-", "(global)"):
        return []
    return [e.split("!=")[0].rstrip("*") for e in field.split(",")]
def rows(path):
    """A TSV file's rows, its comments and header left out."""
    with open(path) as f:
        return [l.rstrip("\n").split("\t") for l in f if not l.startswith("#")][1:]
# Every name the version's code may hash, sent whatever the line says: a
# name the line leaves out then changes the hash.  A version without
# lists of its own gets X8's names, as harmless extras.
newest = [v[0] for v in rows("versions.tsv") if v[-1] == "yes"][0]
code_names = {}
for target in ["latest", "X3", "X5", "X8", "M2"]:
    v = (newest if target == "latest" else target).lower()
    lists = "lists-%s.tsv" % v if os.path.exists("lists-%s.tsv" % v) else "lists-x8.tsv"
    code_names[target] = [n for r in rows(lists) for n in names(r[1])] + \
        [r[1] for r in rows("global-order-%s.tsv" % v)]
    assert len(code_names[target]) > 150, target
def check(target, n, line):
    """Problems with one line: a list of messages; and how many hashed."""
    problems, hashed = [], 0
    fields = line.split("\t")
    if len(fields) != 3:
        problems.append("%s: %r: not three fields" % (target, line))
        fields = (fields + ["-", "-"])[:3]
    method = fields[0].lstrip("#")
    ns = list(dict.fromkeys(names(fields[1]) + names(fields[2]) + ["u", "user_id", "tariff_id"] +
                            code_names[target]))
    samples = [
        ["%s=0123" % n for n in ns],        # 0123: the int rule hashes 123
        ["%s=%s" % (n, "admin" if n == "u" else 1000 + i) for i, n in enumerate(ns)],
        ["%s=0100" % n for n in ns] + ["api_name=tariff_rates_get"],
    ]
    calls = [["--mor-version=" + target, "-m", method] + p for p in samples]
    table = os.path.join(tmp, "table-%s-%d" % (target, n))
    with open(table, "w") as f:
        f.write(line + "\n")
    for args in calls:
        want, got = run(empty, *args), run(table, *args)
        if want != got:
            problems.append("%s: %r: %s -> %s" % (target, line, want, got))
        hashed += want[0] == 0
    if line.startswith("#"):
        # Uncommented, the nearest line would change what mor-hash does.
        with open(table, "w") as f:
            f.write(line[1:] + "\n")
        if all(run(empty, *a) == run(table, *a) for a in calls):
            problems.append("%s: %r keeps every hash uncommented" % (target, line))
    return problems, hashed
jobs = []
commented = 0
for target in ["latest", "X3", "X5", "X8", "M2"]:
    status, out = run(empty, "--methods", "--mor-version=" + target)
    assert status == 0, target
    lines = out.splitlines()
    assert len(lines) == 139, (target, len(lines))
    if WRAPPED:
        lines = lines[::20]
    commented += sum(l.startswith("#") for l in lines)
    jobs += [(target, n, l) for n, l in enumerate(lines)]
bad = hashed = 0
with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
    for problems, h in pool.map(lambda j: check(*j), jobs):
        for p in problems:
            print(p)
        bad += len(problems)
        hashed += h
print("hashed", hashed, "commented", commented)
assert commented > 0 and hashed > (5 if WRAPPED else 900)
sys.exit(1 if bad else 0)
EOF
}

@test "methods: a (global) line of --methods warns as the built-in row does (OTHER names the parameters)" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh -m user_balance_update user_id=0123 balance=2 zz=1
	assert_status 0
	local want=$output want_err=$stderr
	[[ $stderr == *"does not take parameter 'zz'"* ]]
	export MOR_HASH_METHODS=$TMP/methods
	mh --methods | grep '^user_balance_update	' >"$MOR_HASH_METHODS"
	[ "$(cat "$MOR_HASH_METHODS")" = $'user_balance_update\t(global)\tuser_id,balance,u' ]
	run --separate-stderr mh -m user_balance_update user_id=0123 balance=2 zz=1
	assert_status 0
	[ "$output" = "$want" ]
	[ "$stderr" = "$want_err" ]
}

@test "methods: --methods shows the user's entry for a method as it stands" {
	export MOR_HASH_METHODS=$TMP/methods
	printf 'users_get\tp\tu\nuser_details\t(global)\n' >"$MOR_HASH_METHODS"
	run --separate-stderr mh --methods
	assert_status 0
	[[ $output == *$'\nusers_get\tp\tu\n'* ]]
	# An alias's entry, under its own name; the method's row makes way.
	[[ $output == *$'\nuser_details\t(global)\t-\n'* ]]
	[[ $output != *$'\nuser_details_get\t'* ]]
}

@test "methods: --methods includes the user's additions" {
	export MOR_HASH_METHODS=$TMP/methods
	printf 'zz_mine\ta\n' >"$MOR_HASH_METHODS"
	run mh --methods
	[ "${#lines[@]}" -eq 140 ]
	[ "${lines[-1]}" = $'zz_mine\ta\t-' ]
}

@test "methods: --methods=METHOD shows one in full" {
	run --separate-stderr mh --methods=user_balance_change
	assert_status 0
	[[ ${lines[0]} == "method:     user_balance_update" ]]
	[[ $output == *"documented: user_id*,balance*"* ]]
	[[ $output == *$'\ntable line: user_balance_update\t(global)\tuser_id,balance,u\n'* ]]
	[[ $output == *"X8          user_balance_update: global order; user_id (int), balance (balance)"* ]]
	[[ $output == *"X3          user_balance_change: global order; user_id (int), balance (balance)"* ]]
	[[ $output == *"aliases:    user_balance_change"* ]]
	[[ $output == *"entry:      built in"* ]]
	[[ $output == *"source:     https://wiki.kolmisoft.com/index.php/MOR_API_user_balance_update"* ]]
	run --separate-stderr mh --methods=users_get --mor-version=X5
	[[ $output == *$'\ntable line: #users_get\tu*,p\tuniquehash\n            (for MOR X5: '* ]]
}

@test "methods: --methods=METHOD names the user's file and line of an entry from it" {
	export MOR_HASH_METHODS=$TMP/methods
	printf '# mine\nmy_method\ta*\tb\n' >"$MOR_HASH_METHODS"
	run --separate-stderr mh --methods=my_method
	assert_status 0
	[[ $output == *"documented: a*"* ]]
	[[ $output == *"entry:      user's file $TMP/methods, line 2"* ]]
	[[ $output == *$'\ntable line: my_method\ta*\tb\n'* ]]
}

@test "methods: --methods=METHOD escapes the user's file name (no control byte reaches the terminal)" {
	export MOR_HASH_METHODS=$TMP/$'a\x1b[31mb'
	printf 'my_method\ta*\tb\n' >"$MOR_HASH_METHODS"
	run --separate-stderr mh --methods=my_method
	assert_status 0
	[[ $output == *"entry:      user's file $TMP/a\x1b[31mb, line 1"* ]]
	[[ $output != *$'\x1b'* ]]
}

@test "learn: finds the order of a documented request" {
	export MOR_API_SECRET=456789
	run --separate-stderr mh --learn 'http://mor/billing/api/user_balance_update?u=admin&balance=100&user_id=123&hash=b1bef44691c237b574263e09b2838ad1e658e507'
	assert_status 0
	assert_stdout $'user_balance_update\t(global)'
	[ "$stderr" = "mor-hash: matched: the hash mor-hash computes for user_balance_update (MOR's own code)" ]
}

@test "learn: equal values give several orders, all printed, with a note" {
	export MOR_API_SECRET=secret
	run --separate-stderr mh --learn "http://h/billing/api/thing?u=admin&p=admin&hash=$(reference admin admin secret)"
	assert_status 0
	[ "$output" = $'thing\tu,p\nthing\tp,u' ]
	[ "${stderr_lines[0]}" = "mor-hash: matched: an order of the URI's parameters (not MOR's global order)" ]
	[[ ${stderr_lines[1]} == "mor-hash: 2 orders give this hash; the URI cannot tell them apart"* ]]
}

@test "learn: a key-only method is learned as '-'; -m names the method" {
	export MOR_API_SECRET=abc
	run --separate-stderr mh -m my_name --learn 'http://h/x?u=admin&hash=a9993e364706816aba3e25717850c26c9cd0d89d'
	assert_stdout $'my_name\t-'
}

@test "learn: 10 parameters are searched exhaustively" {
	under_wrapper && skip "millions of hashes are too slow under valgrind"
	export MOR_API_SECRET=k
	local q="" i
	for i in 0 1 2 3 4 5 6 7 8 9; do q+="p$i=v$i&"; done
	run --separate-stderr mh -v --learn "http://h/billing/api/ten?${q}hash=$(reference v9 v3 v7 v0 v5 v1 v8 v2 v6 v4 k)"
	assert_status 0
	assert_stdout $'ten\tp9,p3,p7,p0,p5,p1,p8,p2,p6,p4'
	[[ $stderr == *"tried 9864101 orders of 10 parameters ("*")" ]]
}

@test "learn: over 10 parameters it says how far it searched" {
	under_wrapper && skip "millions of hashes are too slow under valgrind"
	export MOR_API_SECRET=k
	local q="" i
	for i in 0 1 2 3 4 5 6 7 8 9 10 11; do q+="p$i=v$i&"; done
	run --separate-stderr mh --learn "http://h/billing/api/twelve?${q}hash=$(reference v11 v0 k)"
	assert_status 0
	assert_stdout $'twelve\tp11,p0'
	[ "${stderr_lines[0]}" = "mor-hash: the search was cut short: 12 parameters are too many to try every order; it tried the orders of up to 7 of them, and a longer order would not be found" ]
}

@test "learn: empty parameters are left out with a note" {
	export MOR_API_SECRET=k
	run --separate-stderr mh --learn "http://h/billing/api/e?a=1&b=&hash=$(reference 1 k)"
	assert_stdout $'e\ta'
	[ "${stderr_lines[0]}" = "mor-hash: parameter 'b' is empty: no hash can tell whether or where it is hashed; left out" ]
}
