#!/usr/bin/env bats
# --mor-version --uri on requests the framework in front of MOR's hash check changes or stops
# (../shared/mor-api/server/README.md, section 9): every row of tests/edge-vectors.tsv, one
# test per family F1..F12, held to the vectors' outcome (which tests/mor_server.py reproduces).
#
# The contract, per row (URI http://h/billing/PATH?PARAMS, MOR_API_SECRET=KEY,
# --mor-version=VERSION in upper case):
#   outcome a hash, no hash= in PARAMS: exit 0; stdout exactly the URI with &hash=OUTCOME
#     appended (?hash= without a query); stderr empty or "mor-hash: " lines (warnings).
#     F6 (bracketed names) may instead refuse: exit 2, empty stdout, one line "mor-hash: ..."
#     naming the bracketed parameter.
#   F7 (hash more than once): the last hash pair is the one checked: exit 0 when it equals
#     OUTCOME, else 1; stdout the URI with that pair's value replaced by OUTCOME.
#   outcome error:NNN: exit 2, empty stdout, one stderr line "mor-hash: ... answers NNN ...".
# M2 rows are skipped while the binary refuses --mor-version=M2.
# Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.

load helper

# Once per file: does the binary take --mor-version=M2? (Refused: status 2, "version".)
setup_file() {
	cd "$BATS_TEST_DIRNAME/.." || return 1
	local bin=${MOR_HASH:-./mor-hash} status=0 err
	err=$(env -u MOR_VERSION -u MOR_API_SECRET_FILE -u MOR_HASH_METHODS -u XDG_CONFIG_HOME \
	    HOME="$BATS_FILE_TMPDIR" MOR_API_SECRET=secret \
	    "$bin" --mor-version=M2 --uri 'http://h/billing/api/devices_get?u=admin' 2>&1 >/dev/null) ||
	    status=$?
	if [ "$status" -eq 2 ] && [[ $err == *version* ]]; then
		export EDGE_M2=refused
	else
		export EDGE_M2=taken
	fi
}

# The helper's setup, plus no inherited version.
eval "helper_$(declare -f setup)"
setup() {
	helper_setup
	unset MOR_VERSION
}

# drive: runs the Python script on stdin with the model importable and, in it,
# mh(args, key) -> (status, stdout, stderr) running the binary (bytes in, bytes out).
drive() {
	MOR_HASH=$MOR_HASH MOR_HASH_WRAPPER=${MOR_HASH_WRAPPER:-} PYTHONPATH=$BATS_TEST_DIRNAME \
	    EDGE_SKIP_FILE=$BATS_TEST_TMPDIR/skip python3 -c "$DRIVER
$(cat)" "$@"
}

DRIVER=$(cat <<'EOF'
import os, re, subprocess, sys
import mor_server as ms

from mh_run import mh, STRIDE
M2_TAKEN = os.environ.get("EDGE_M2") == "taken"
SHOWN = 20          # disagreeing rows printed at most

def lines_ok(err):
    """stderr empty, or every line a "mor-hash: " message."""
    return all(line.startswith(b"mor-hash: ") for line in err.splitlines())

def one_message(err):
    return err.count(b"\n") == 1 and err.endswith(b"\n") and err.startswith(b"mor-hash: ")

def bracketed_names(params):
    """The name proper (Rack's: brackets before it and ']'s after it dropped) of every piece
    whose decoded name carries a bracket."""
    names = []
    for piece in re.split(rb"[&;] *", params):
        name = piece.partition(b"=")[0]
        try:
            name = ms.unescape(name)
        except ValueError:
            continue
        m = re.match(rb"[\[\]]*([^\[\]]+)", name)
        if m and (b"[" in name or b"]" in name):
            names.append(m.group(1))
    return names

def check(family, version, path, key, params, want):
    """None when the binary keeps the contract for this row, else what was wanted."""
    uri = b"http://h/billing/" + path + (b"?" + params if params else b"")
    status, out, err = mh([b"--mor-version=" + version.upper().encode(), b"--uri", uri], key)
    got = (status, out, err)
    if want.startswith("error:"):
        code = want[len("error:"):].encode()
        if status == 2 and out == b"" and one_message(err) and b"answers " + code in err:
            return None, got
        return "status 2, no stdout, one line 'mor-hash: ... answers %s ...'" % code.decode(), got
    if family == "F7":
        start, end, value = ms.last_hash_pair(params)
        base = len(uri) - len(params)
        expected = uri[:base + start] + b"hash=" + want.encode() + uri[base + end:] + b"\n"
        want_status = 0 if value == want.encode() else 1
    else:
        expected = uri + (b"&" if params else b"?") + b"hash=" + want.encode() + b"\n"
        want_status = 0
    if status == want_status and out == expected and lines_ok(err):
        return None, got
    if family == "F6" and status == 2 and out == b"" and one_message(err) \
            and any(n in err for n in bracketed_names(params)):
        return None, got       # refusing a bracketed name, naming it, also agrees
    return "status %d, %s" % (want_status, expected.decode("utf-8", "replace").strip()), got

def shown(text, limit=300):
    """TEXT for a failure report: decoded, stripped, cut after LIMIT characters."""
    text = text.decode("utf-8", "replace").strip()
    return (text[:limit] + "..." if len(text) > limit else text) or "(empty)"

def walk(family):
    rows = [r for r in ms.read_edge_vectors() if r[1] == family][::STRIDE]
    bad = skipped = 0
    for number, _family, version, path, key, params, want in rows:
        if version == "m2" and not M2_TAKEN:
            skipped += 1
            continue
        wanted, (status, out, err) = check(family, version, path, key, params, want)
        if wanted is None:
            continue
        bad += 1
        if bad <= SHOWN:
            sys.stderr.write(
                "FAIL line %d: %s %s params %s\n    want %s (outcome %s)\n"
                "    got status %d, stdout %s\n    stderr %s\n"
                % (number, version, path.decode(), shown(params), wanted, want,
                   status, shown(out), shown(err).replace("\n", "\n           ")))
    checked = len(rows) - skipped
    if bad > SHOWN:
        sys.stderr.write("(%d more not shown)\n" % (bad - SHOWN))
    sys.stderr.write("%s: %d of %d rows disagree, %d M2 rows skipped\n" % (family, bad, checked, skipped))
    if bad or not checked:
        sys.exit(1)
    if skipped:
        with open(os.environ["EDGE_SKIP_FILE"], "w") as f:
            f.write("%s: %d rows agree; %d M2 rows skipped: mor-hash refuses --mor-version=M2"
                    % (family, checked, skipped))
        sys.exit(3)
EOF
)

# family F: walks the family's rows through the binary; skips (after the others agree)
# when M2 rows had to be left out.
family() {
	local status=0
	drive <<<"walk('$1')" || status=$?
	[ "$status" -ne 3 ] || skip "$(cat "$BATS_TEST_TMPDIR/skip")"
	return "$status"
}

@test "edge: the model reproduces every edge vector (mor_server.py --self-test tests/edge-vectors.tsv)" {
	run python3 "$BATS_TEST_DIRNAME/mor_server.py" --self-test "$BATS_TEST_DIRNAME/edge-vectors.tsv"
	assert_status 0
	[[ ${lines[-1]} == "1004 passed, 0 failed" ]] || fail_with "want 1004 passed"
}

@test "edge F1: .FORMAT on the method, an old name or the id is routed, never hashed" {
	family F1
}

@test "edge F2: paths MOR does not route (404); path parameters beat query ones" {
	family F2
}

@test "edge F3: %-escapes in the path, decoded per version (%2E, an escaped old name)" {
	family F3
}

@test "edge F4: repeated and trailing slashes are squeezed" {
	family F4
}

@test "edge F5: method and old names per version; names a version lacks are 404" {
	family F5
}

@test "edge F6: bracketed names are hashed as their Ruby form (or refused, naming them)" {
	family F6
}

@test "edge F7: hash more than once: the last one is checked and replaced" {
	family F7
}

@test "edge F8: the api_path quirk searches every byte, NULs included (X8, M2)" {
	family F8
}

@test "edge F9: invalid UTF-8: X8/M2 hash U+FFFD for every high byte, X3/X5 answer 500/400" {
	family F9
}

@test "edge F10: what makes Rack raise (clashes, bad %-escapes, the name space): 400/500" {
	family F10
}

@test "edge F11: spaces after a separator: X3/X5 drop them, X8/M2 keep them in the name" {
	family F11
}

@test "edge F12: balance MOR cannot convert (an Array, a Hash, a NUL) is a 500" {
	family F12
}
