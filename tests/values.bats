#!/usr/bin/env bats
# The core: values from operands or standard input, the key, the hash.
# Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.

load helper

@test "values: the MOR construction example from operands" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh 123 1252454580 answered
	assert_status 0
	assert_stdout "$SEED_HASH"
	[ -z "$stderr" ]
}

# Every known-answer vector through every way of giving values.
vector_through() {
	local how=$1 line source key values want got
	while IFS= read -r line; do
		[[ $line == \#* ]] && continue
		# TAB is white space to read: empty columns would merge.
		IFS=$'\x1f' read -r source key values want <<<"${line//$'\t'/$'\x1f'}"
		local -a list=()
		[ -n "$values" ] && IFS='|' read -r -a list <<<"$values"
		export MOR_API_SECRET=$key
		case $how in
		operands) got=$(mh -- "${list[@]}") ;;
		lines) got=$( ((${#list[@]})) && printf '%s\n' "${list[@]}" | mh || mh </dev/null) ;;
		crlf) got=$( ((${#list[@]})) && printf '%s\r\n' "${list[@]}" | mh || mh </dev/null) ;;
		null) got=$( ((${#list[@]})) && printf '%s\0' "${list[@]}" | mh -0 || mh -0 </dev/null) ;;
		unterminated) got=$(printf '%s' "${list[@]}" | tr -d '\n' | mh) ;;
		esac
		[ "$got" = "$want" ] || { echo "$source via $how: got $got, want $want"; return 1; }
	done <tests/vectors.tsv
}

@test "values: every vector as operands" { vector_through operands; }
@test "values: every vector as lines on stdin" { vector_through lines; }
@test "values: every vector as CRLF lines on stdin" { vector_through crlf; }
@test "values: every vector as NUL-ended values with -0" { vector_through null; }
@test "values: every vector as one line without a final newline" { vector_through unterminated; }

@test "values: echo -n of the whole string works as in the old pipeline" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh < <(printf 1231252454580answered)
	assert_stdout "$SEED_HASH"
}

@test "values: FIPS 180 'abc' with the key as the last byte" {
	export MOR_API_SECRET=c
	run mh ab
	assert_stdout a9993e364706816aba3e25717850c26c9cd0d89d
}

@test "values: FIPS 180 448-bit message, key its last byte" {
	export MOR_API_SECRET=q
	run mh abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnop
	assert_stdout 84983e441c3bd26ebaae4aa1f95129e5e54670f1
}

@test "values: FIPS 180 one million 'a' streamed through stdin" {
	export MOR_API_SECRET=a
	run mh < <(head -c 999999 /dev/zero | tr '\0' a)
	assert_stdout 34aa973cd4c4daa4f61eeb2bdbad27316534016f
}

@test "values: -- ends options, so -5 is a value" {
	export MOR_API_SECRET=$KEY
	run mh -- -5 x
	assert_stdout "$(reference -5x "$KEY")"
}

@test "values: a lone - is an ordinary value" {
	export MOR_API_SECRET=$KEY
	run mh - x
	assert_stdout "$(reference -x "$KEY")"
}

@test "values: spaces, quotes, backslashes, UTF-8 and empty values byte for byte" {
	export MOR_API_SECRET=$KEY
	run mh 'a b' '"q"' "it's" 'back\slash' '' 'žalias €' $'tab\there'
	assert_stdout "$(reference 'a b' '"q"' "it's" 'back\slash' '' 'žalias €' $'tab\there' "$KEY")"
}

@test "values: an empty line is an empty value; a CR not before LF stays" {
	export MOR_API_SECRET=$KEY
	run mh < <(printf 'a\n\nb\rc\r\n')
	assert_stdout "$(reference a '' $'b\rc' "$KEY")"
}

@test "values: -0 keeps newlines and CRs inside values" {
	export MOR_API_SECRET=$KEY
	run mh -0 < <(printf 'a\nb\r\n\0c\0')
	assert_stdout "$(reference $'a\nb\r\n' c "$KEY")"
}

@test "values: with operands, standard input is not read" {
	export MOR_API_SECRET=$KEY
	run mh 123 1252454580 answered < <(echo ignored)
	assert_stdout "$SEED_HASH"
}

@test "values: no values at all hashes the key alone" {
	export MOR_API_SECRET=abc
	run mh </dev/null
	assert_stdout a9993e364706816aba3e25717850c26c9cd0d89d
}

@test "values: differential test of 300 generated value lists against hashlib" {
	local count=300
	under_wrapper && count=8
	python3 - "$MOR_HASH" "$count" "${MOR_HASH_WRAPPER:-}" <<'EOF'
import hashlib, os, random, subprocess, sys
binary, count, wrapper = sys.argv[1], int(sys.argv[2]), sys.argv[3]
prefix = [os.path.join("tests", os.path.basename(wrapper))] if wrapper else []
alphabet = list(" \"'\\%&=+\t#?;,~|*$`!") + list("abcXYZ019") + ["é", "€", "日", "ž", "\r"]
rng = random.Random(1252454580)
bad = 0
for case in range(count):
    values = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 12)))
              for _ in range(rng.randrange(0, 7))]
    key = "".join(rng.choice(alphabet[:-1]) for _ in range(rng.randrange(1, 20)))
    want = hashlib.sha1("".join(values + [key]).encode()).hexdigest()
    env = dict(os.environ, MOR_API_SECRET=key)
    via_args = subprocess.run(prefix + [binary, "--"] + values, env=env,
                              capture_output=True, stdin=subprocess.DEVNULL)
    got = via_args.stdout.decode().strip() if values else want
    via_null = subprocess.run(prefix + [binary, "-0"], env=env, capture_output=True,
                              input=b"".join(v.encode() + b"\0" for v in values))
    if got != want or via_null.stdout.decode().strip() != want:
        bad += 1
        print("mismatch for", repr(values), repr(key), file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
}

@test "values: differential test of random bytes on stdin against sha1sum" {
	local i data
	for i in 1 2 3 4 5; do
		head -c $((i * 7919)) /dev/urandom | tr -d '\n\0' >"$TMP/data"
		printf %s "$KEY" >"$TMP/key"
		export MOR_API_SECRET=$KEY
		run mh <"$TMP/data"
		assert_stdout "$(cat "$TMP/data" "$TMP/key" | sha1sum | cut -d' ' -f1)"
	done
}

@test "key: -k reads the first line, its LF dropped" {
	printf '%s\nsecond line\n' "$KEY" >"$TMP/key"
	chmod 600 "$TMP/key"
	run --separate-stderr mh -k "$TMP/key" 123 1252454580 answered
	assert_stdout "$SEED_HASH"
	[ -z "$stderr" ]
}

@test "key: a CRLF ending is dropped; a file without newline is all key" {
	printf '%s\r\n' "$KEY" >"$TMP/crlf"
	printf '%s' "$KEY" >"$TMP/bare"
	chmod 600 "$TMP/crlf" "$TMP/bare"
	run mh --secret-file="$TMP/crlf" 123 1252454580 answered
	assert_stdout "$SEED_HASH"
	run mh --secret-file "$TMP/bare" 123 1252454580 answered
	assert_stdout "$SEED_HASH"
}

@test "key: -e names the variable" {
	export MY_MOR_KEY=$KEY
	run mh -e MY_MOR_KEY 123 1252454580 answered
	assert_stdout "$SEED_HASH"
	run mh --secret-env=MY_MOR_KEY 123 1252454580 answered
	assert_stdout "$SEED_HASH"
}

@test "key: MOR_API_SECRET_FILE names a file" {
	printf '%s\n' "$KEY" >"$TMP/key"
	chmod 600 "$TMP/key"
	export MOR_API_SECRET_FILE=$TMP/key
	run mh 123 1252454580 answered
	assert_stdout "$SEED_HASH"
}

@test "key: precedence is -k, -e, MOR_API_SECRET, MOR_API_SECRET_FILE" {
	printf 'from-k\n' >"$TMP/k"
	printf 'from-file-var\n' >"$TMP/f"
	chmod 600 "$TMP/k" "$TMP/f"
	export E=from-e MOR_API_SECRET=from-env MOR_API_SECRET_FILE=$TMP/f
	run mh -k "$TMP/k" x
	assert_stdout "$(reference x from-k)"
	run mh -e E x
	assert_stdout "$(reference x from-e)"
	run mh x
	assert_stdout "$(reference x from-env)"
	unset MOR_API_SECRET
	run mh x
	assert_stdout "$(reference x from-file-var)"
}

@test "key: a file readable by others works, with a one-line warning" {
	printf '%s\n' "$KEY" >"$TMP/key"
	chmod 644 "$TMP/key"
	run --separate-stderr mh -k "$TMP/key" 123 1252454580 answered
	assert_status 0
	assert_stdout "$SEED_HASH"
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr == "mor-hash: warning: key file '$TMP/key' is readable by group or others; chmod 600 '$TMP/key'" ]]
	assert_no_secret
}

@test "key: a key from a pipe (-k <(...)) is read" {
	run mh -k <(printf '%s\n' "$KEY") 123 1252454580 answered
	assert_stdout "$SEED_HASH"
}

@test "key: exactly 4096 bytes is accepted" {
	local long
	long=$(head -c 4096 /dev/zero | tr '\0' k)
	export MOR_API_SECRET=$long
	run mh v
	assert_stdout "$(reference v "$long")"
	printf '%s\r\n' "$long" >"$TMP/key"
	chmod 600 "$TMP/key"
	unset MOR_API_SECRET
	run mh -k "$TMP/key" v
	assert_stdout "$(reference v "$long")"
}

@test "check: a matching hash prints OK, exit 0, in either case" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh -c "$SEED_HASH" 123 1252454580 answered
	assert_status 0
	assert_stdout OK
	run --separate-stderr mh --check="${SEED_HASH^^}" 123 1252454580 answered
	assert_status 0
	assert_stdout OK
}

@test "check: a different hash prints FAILED, exit 1" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh -c "${SEED_HASH%?}4" 123 1252454580 answered
	assert_status 1
	assert_stdout FAILED
	[ -z "$stderr" ]
}

@test "check: -q prints nothing, status only" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh -q -c "$SEED_HASH" 123 1252454580 answered
	assert_status 0
	assert_stdout ""
	run --separate-stderr mh --quiet -c "${SEED_HASH%?}4" 123 1252454580 answered
	assert_status 1
	assert_stdout ""
	[ -z "$stderr" ]
}

@test "check: works on values from stdin" {
	export MOR_API_SECRET=$KEY
	run mh -c "$SEED_HASH" < <(printf '123\n1252454580\nanswered\n')
	assert_status 0
	assert_stdout OK
}

@test "verbose: shows the values numbered and the hashed string, never the key" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh -v 123 1252454580 answered
	assert_status 0
	assert_stdout "$SEED_HASH"
	[ "$stderr" = $'value 1: 123\nvalue 2: 1252454580\nvalue 3: answered\nhashed: 1231252454580answered<secret: 15 bytes>' ]
	assert_no_secret
}

@test "verbose: control bytes and backslashes are escaped, one line per value" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh -v -0 < <(printf 'a\nb\0c\\d\0')
	assert_stdout "$(reference $'a\nb' 'c\d' "$KEY")"
	[ "${stderr_lines[0]}" = 'value 1: a\nb' ]
	[ "${stderr_lines[1]}" = 'value 2: c\\d' ]
}

@test "help: -h prints usage and options on stdout, exit 0" {
	run --separate-stderr mh -h
	assert_status 0
	[[ ${lines[0]} == "usage: mor-hash "* ]]
	[[ $output == *"--secret-file=FILE"* && $output == *"Exit status"* ]]
	[ -z "$stderr" ]
	run mh --help
	assert_status 0
}

@test "help: every long option in the code is in --help, the man page, README and the completions" {
	local opt bash_long
	run mh --help
	bash_long=" $(sed -n "/^_mor_hash_long='/,/'/p" completions/mor-hash.bash |
	    sed 's/^_mor_hash_long=//' | tr "'=?\t\n" '     ') "
	for opt in $(grep -o '{ "[a-z-]*"' mor-hash.c | cut -d'"' -f2); do
		[[ $output == *"--$opt"* ]] || fail_with "--help lacks --$opt"
		grep -q -- "Fl -$opt" mor-hash.1 || fail_with "man page lacks --$opt"
		grep -q -- "--$opt" README.md || fail_with "README lacks --$opt"
		[[ $bash_long == *" $opt "* ]] || fail_with "bash completion lacks --$opt"
		grep -q -- "--$opt" completions/_mor-hash || fail_with "zsh completion lacks --$opt"
		grep -q -- "-l $opt" completions/mor-hash.fish || fail_with "fish completion lacks --$opt"
	done
}

@test "version: -V prints the version and the libcrypto version" {
	run --separate-stderr mh -V
	assert_status 0
	[[ ${lines[0]} =~ ^mor-hash\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
	[[ ${lines[1]} == OpenSSL* ]]
}

@test "output: a full stdout (/dev/full) is trouble: exit 2 and a message" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr bash -c '"$0" 123 >/dev/full' "$MOR_HASH"
	assert_status 2
	[[ $stderr == "mor-hash: standard output: No space left on device" ]]
}

@test "output: a closed stdout is trouble: exit 2 and a message" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr bash -c '"$0" 123 >&-' "$MOR_HASH"
	assert_status 2
	[[ $stderr == "mor-hash: standard output: Bad file descriptor" ]]
}

@test "output: a closed pipe ends it as cat ends: no message, status 2" {
	export MOR_API_SECRET=$KEY
	# Input from a file: seq would complain of the closed pipe when the
	# caller ignores SIGPIPE (mor-hash ignores it itself).
	seq 200000 >"$TMP/in"
	run --separate-stderr bash -c 'set -o pipefail; "$0" -b <"$1" | head -1 >/dev/null' "$MOR_HASH" "$TMP/in"
	assert_status 2
	[ -z "$stderr" ]
}

# --- issue #12: each case failed on 1.0.0 -----------------------------------

@test "key: -k /dev/tty prompts on the terminal, reads with echo off, restores it" {
	python3 -c 'import os, pty, termios; os.openpty()' 2>/dev/null ||
	    skip "python3 has no pseudo-terminal"
	run --separate-stderr python3 tests/tty_key.py "$MOR_HASH" "${MOR_HASH_WRAPPER:-}"
	[ "$status" -ne 77 ] || skip "no pseudo-terminal: $stderr"
	assert_status 0
	run --separate-stderr python3 tests/tty_key.py --interrupt "$MOR_HASH" "${MOR_HASH_WRAPPER:-}"
	assert_status 0
}

@test "key: after the terminal prompt, a signal the caller ignored (nohup's SIGHUP) stays ignored" {
	python3 -c 'import os, pty, termios; os.openpty()' 2>/dev/null ||
	    skip "python3 has no pseudo-terminal"
	run --separate-stderr python3 tests/tty_key.py --hup-ignored "$MOR_HASH" "${MOR_HASH_WRAPPER:-}"
	[ "$status" -ne 77 ] || skip "no pseudo-terminal: $stderr"
	assert_status 0
}

# The longest line of standard error, in bytes.
longest_stderr_line() {
	printf '%s\n' "$stderr" | LC_ALL=C awk '{ if (length > n) n = length } END { print n + 0 }'
}

@test "verbose: every line is cut at 4 KiB, a 1 MiB value, a long name or a long operand" {
	export MOR_API_SECRET=$KEY
	local name
	head -c 1048576 /dev/zero | tr '\0' v >"$TMP/big"
	run --separate-stderr mh -v <"$TMP/big"
	assert_status 0
	assert_stdout "$( (cat "$TMP/big"; printf %s "$KEY") | sha1sum | cut -d' ' -f1)"
	[ "${#stderr_lines[@]}" -eq 2 ] || fail_with "want a value line and the hashed line"
	[ "$(longest_stderr_line)" -le 4200 ] || fail_with "a line of $(longest_stderr_line) bytes"
	[[ ${stderr_lines[1]} == *"...(1048576 bytes in all)<secret: 15 bytes>" ]] ||
	    fail_with "want the hashed line cut with its size"
	name=$(head -c 100000 /dev/zero | tr '\0' n)
	run --separate-stderr mh -v --url http://h/x "$name=1"
	assert_status 0
	[ "$(longest_stderr_line)" -le 4200 ] || fail_with "a line of $(longest_stderr_line) bytes"
	# 60,000 characters: within Rack's limit on names, which is MOR's.
	run --separate-stderr mh -v -m users_get "${name:0:60000}=1" u="$name"
	assert_status 0
	[ "$(longest_stderr_line)" -le 4200 ] || fail_with "a line of $(longest_stderr_line) bytes"
	run --separate-stderr mh -v -- "$name"
	assert_status 0
	[ "$(longest_stderr_line)" -le 4200 ] || fail_with "a line of $(longest_stderr_line) bytes"
}

@test "batch: SIGINT stops it after whole lines only, with status 130" {
	export MOR_API_SECRET=$KEY
	python3 - "$MOR_HASH" "${MOR_HASH_WRAPPER:-}" "$TMP/in" "$SEED_HASH" <<'PY'
import fcntl, os, signal, subprocess, sys, termios, time
binary, wrapper, path, want = sys.argv[1:5]
# SIGINT's default action, inherited, whatever the caller's (nohup, a
# background job ignore it).
signal.signal(signal.SIGINT, signal.SIG_DFL)
prefix = [os.path.join("tests", os.path.basename(wrapper))] if wrapper else []
records = 400000
with open(path, "wb") as f:
    f.write(b"123\t1252454580\tanswered\n" * records)
r, w = os.pipe()
with open(path, "rb") as stdin:
    proc = subprocess.Popen(prefix + [binary, "-b"], stdin=stdin, stdout=w,
                            stderr=subprocess.PIPE)
os.close(w)
def fail(why):
    if proc.poll() is None:
        proc.kill()
    print(why, file=sys.stderr)
    sys.exit(1)
# Nobody reads: once the pipe is full, mor-hash is stuck in a write.
size = fcntl.fcntl(r, 1032)  # F_GETPIPE_SZ
deadline = time.monotonic() + (120 if wrapper else 20)
while True:
    queued = int.from_bytes(fcntl.ioctl(r, termios.FIONREAD, b"\0" * 4), "little")
    if queued >= size - 4096:
        break
    if proc.poll() is not None or time.monotonic() > deadline:
        fail("the pipe did not fill: %d bytes" % queued)
    time.sleep(0.01)
time.sleep(0.2)
proc.send_signal(signal.SIGINT)
out = b""
while time.monotonic() < deadline:
    chunk = os.read(r, 1 << 16)
    if not chunk:
        break
    out += chunk
try:
    status = proc.wait(timeout=max(1, deadline - time.monotonic()))
except subprocess.TimeoutExpired:
    fail("mor-hash did not stop")
err = proc.stderr.read()
line = (want + "\n").encode()
if len(out) % len(line) or out != line * (len(out) // len(line)):
    fail("not whole hash lines: %d bytes, ending %r" % (len(out), out[-60:]))
if not 0 < len(out) < len(line) * records:
    fail("want it stopped early: %d lines" % (len(out) // len(line)))
if status != 130 or err:
    fail("want status 130 and no message, got %d and %r" % (status, err))
PY
}

@test "batch: -d CR with CR LF lines counts the fields right" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh -b -d $'\r' --url http://h/x a b < <(printf '1\r2\r\n3\r4\r\n')
	assert_status 0
	[ "${lines[0]}" = "http://h/x?a=1&b=2&hash=$(reference 1 2 "$KEY")" ]
	[ "${lines[1]}" = "http://h/x?a=3&b=4&hash=$(reference 3 4 "$KEY")" ]
	[ -z "$stderr" ]
	run --separate-stderr mh -b -d $'\r' < <(printf '1\r2\r\n3\r\r\n')
	assert_status 0
	[ "$output" = "$(reference 1 2 "$KEY")"$'\n'"$(reference 3 "$KEY")" ]
}

@test "methods: a relative XDG_CONFIG_HOME or HOME is ignored; an absolute one is used" {
	export MOR_API_SECRET=$KEY
	cd "$TMP"
	mkdir -p xdg/mor-hash rel/mor-hash rel/.config/mor-hash "$HOME/.config/mor-hash"
	printf 'from_xdg\tid\n' >xdg/mor-hash/methods
	printf 'from_rel_xdg\tid\n' >rel/mor-hash/methods
	printf 'from_rel_home\tid\n' >rel/.config/mor-hash/methods
	printf 'from_home\tid\n' >"$HOME/.config/mor-hash/methods"
	XDG_CONFIG_HOME=$TMP/xdg run --separate-stderr mh -m from_xdg id=7
	assert_status 0
	assert_stdout "$(reference 7 "$KEY")"
	XDG_CONFIG_HOME=rel run --separate-stderr mh -m from_home id=7
	assert_status 0
	assert_stdout "$(reference 7 "$KEY")"
	XDG_CONFIG_HOME=rel run --separate-stderr mh -m from_rel_xdg id=7
	assert_error 2 "unknown method 'from_rel_xdg'"
	HOME=rel run --separate-stderr mh -m from_rel_home id=7
	assert_error 2 "unknown method 'from_rel_home'"
	HOME=rel run --separate-stderr mh -m user_balance_update user_id=1 balance=2
	assert_status 0
	[ -z "$stderr" ]
}

@test "methods: --methods with a 140,000-entry table is quick (not quadratic)" {
	local limit=20
	instrumented && limit=300
	export MOR_HASH_METHODS=$TMP/many
	python3 - "$MOR_HASH_METHODS" <<'PY'
import string, sys
digits = string.digits + string.ascii_lowercase
with open(sys.argv[1], "w") as f:
    for i in range(140000):
        name = ""
        for _ in range(4):
            name, i = digits[i % 36] + name, i // 36
        f.write(name + "\ti\n")
PY
	[ "$(stat -c %s "$MOR_HASH_METHODS")" -le 1048576 ]
	run --separate-stderr timeout "$limit" "$MOR_HASH" --methods
	assert_status 0
	[ "${#lines[@]}" -eq $((140000 + $(MOR_HASH_METHODS= mh --methods | wc -l))) ] ||
	    fail_with "want every entry listed once"
	[ "${lines[0]}" = $'0000\ti\t-' ]
	printf '%s\n' "${lines[@]}" | LC_ALL=C sort -c
}

@test "docs: the man page and --help say what issue #12 chose" {
	local phrase
	for phrase in 'options end at the first operand' \
	    'is read with echo off, after a prompt' \
	    'draw a warning' \
	    'is standard input' \
	    'at most 1 MiB' \
	    'a relative path is ignored' \
	    'A closed pipe ends the run quietly: status 2 and no message' \
	    'Every line is cut at 4096 bytes' \
	    'whole lines' \
	    'mkdir -p "$dir"' \
	    'mor-hash --learn "$GOOD_URI" >> "$dir/methods"'; do
		tr '\n' ' ' <mor-hash.1 | grep -qF -- "$phrase" || fail_with "the man page lacks: $phrase"
	done
	grep -q 'XDG_CONFIG_HOME:-$HOME/.config}/mor-hash$' mor-hash.1 ||
	    fail_with "the man page's --learn example ignores XDG_CONFIG_HOME"
	! grep -q '>> ~/.config/mor-hash/methods' mor-hash.1 ||
	    fail_with "the man page appends to a directory that may not exist"
	run --separate-stderr mh --help
	[[ $output == *"Options end"*"at the first operand"* ]] || fail_with "--help: options end"
	[[ $output == *"a terminal: typed, unseen"* ]] || fail_with "--help: the terminal"
	[[ $output != *"hashed in the order given"* ]] || fail_with "--help: the order"
}

@test "verbose: the method and not-hashed lines are cut at 4 KiB too" {
	export MOR_API_SECRET=$KEY MOR_HASH_METHODS=$TMP/m
	local big; big=$(head -c 100000 /dev/zero | tr '\0' n)
	printf '%s\tu\n' "$big" >"$MOR_HASH_METHODS"
	run --separate-stderr mh -v -m "$big" u=1
	assert_status 0
	[ "$(longest_stderr_line)" -le 4200 ] || fail_with "a line of $(longest_stderr_line) bytes"
	# 15 names of 4 KB: within Rack's 64 KiB of names (30 would be a 500).
	run --separate-stderr mh -v -m users_get $(for i in $(seq 15); do printf 'x%s%d=1 ' "${big:0:4000}" "$i"; done)
	assert_status 0
	[ "$(longest_stderr_line)" -le 4200 ] || fail_with "a line of $(longest_stderr_line) bytes"
	[[ $stderr == *"not hashed: x"*"..."* ]] || fail_with "no cut not-hashed line"
}

@test "verbose: a name that fills the line still shows its value was cut" {
	export MOR_API_SECRET=$KEY
	local n v
	v=$(head -c 50 /dev/zero | tr '\0' v)
	for n in 4095 4096; do
		run --separate-stderr mh -v -M -u http://h/billing/api/x \
		    "$(head -c "$n" /dev/zero | tr '\0' n)=$v"
		assert_status 0
		[[ $stderr == *"value 1: nnn"*"..."* ]] ||
			fail_with "name of $n bytes: no '...'"
		[ "$(longest_stderr_line)" -le 4108 ] ||
			fail_with "name of $n bytes: a line of $(longest_stderr_line)"
	done
}
