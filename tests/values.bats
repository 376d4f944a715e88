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
	[[ $stderr == "mor-hash: warning: key file $TMP/key is readable by group or others; chmod 600 $TMP/key" ]]
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
	run --separate-stderr bash -c 'set -o pipefail; seq 200000 | "$0" -b | head -1 >/dev/null' "$MOR_HASH"
	assert_status 2
	[ -z "$stderr" ]
}
