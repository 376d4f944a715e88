#!/usr/bin/env bats
# Hostile and mistaken input: every case must end with status 2 (or 1 for
# a mismatch), a one-line message on stderr, nothing on stdout, no hang,
# no crash, and never the key in any output.
# Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.

load helper

# One row of bad-input.tsv: the env assignments and arguments are shell
# words, evaluated here (inside run's subshell, so nothing leaks).
table_row() {
	local in=$3
	[ "$1" = - ] || eval "export $1"
	eval "set -- $2"
	mh "$@" <"$in"
}

@test "bad: every row of bad-input.tsv" {
	local n=0 failed=() name env in args want pattern secret stdin
	while IFS=$'\t' read -r name env in args want pattern secret <&3; do
		n=$((n + 1))
		[[ -z $name || $name == '#'* ]] && continue
		stdin=/dev/null
		if [ "$in" != - ]; then
			stdin=$TMP/stdin.$n
			printf '%b' "$in" >"$stdin"
		fi
		run --separate-stderr table_row "$env" "$args" "$stdin"
		assert_error "$want" "${pattern//'$TMP'/$TMP}" "${secret:-$KEY}" 2>"$TMP/why" ||
		    failed+=("tests/bad-input.tsv:$n: $name"$'\n'"$(cat "$TMP/why")")
	done 3<"$BATS_TEST_DIRNAME/bad-input.tsv"
	[ "${#failed[@]}" -eq 0 ] || { printf '%s\n' "${failed[@]}" >&2; return 1; }
}

key_file() {
	printf '%s\n' "$KEY" >"$TMP/key"
	chmod 600 "$TMP/key"
}

# --- the key ---------------------------------------------------------------

@test "bad: key file /dev/zero is refused, not read forever" {
	run --separate-stderr timeout 10 "$MOR_HASH" -k /dev/zero 123
	assert_error 2 'key file /dev/zero: key is longer than 4096 bytes'
}

@test "bad: key file that is a FIFO with no writer does not hang" {
	mkfifo "$TMP/fifo"
	run --separate-stderr timeout 10 "$MOR_HASH" -k "$TMP/fifo" 123
	assert_error 2 "key file $TMP/fifo is empty"
}

@test "bad: key file that is empty" {
	: >"$TMP/empty"
	chmod 600 "$TMP/empty"
	run --separate-stderr mh -k "$TMP/empty" 123
	assert_error 2 "key file $TMP/empty is empty"
}

@test "bad: key file that holds only a newline" {
	printf '\r\n' >"$TMP/nl"
	chmod 600 "$TMP/nl"
	run --separate-stderr mh -k "$TMP/nl" 123
	assert_error 2 "key file $TMP/nl is empty"
}

@test "bad: key file whose key holds a NUL byte" {
	printf 'Very\0Sercet Key\n' >"$TMP/nul"
	chmod 600 "$TMP/nul"
	run --separate-stderr mh -k "$TMP/nul" 123
	assert_error 2 "key file $TMP/nul: key holds a NUL byte" 'Sercet Key'
}

@test "bad: key file whose key is over 4096 bytes" {
	head -c 4097 /dev/zero | tr '\0' k >"$TMP/long"
	chmod 600 "$TMP/long"
	run --separate-stderr mh -k "$TMP/long" 123
	assert_error 2 "key file $TMP/long: key is longer than 4096 bytes" kkkkkkkk
}

@test "bad: key file that cannot be read" {
	[ "$(id -u)" -ne 0 ] || skip "root reads any file"
	key_file
	chmod 000 "$TMP/key"
	run --separate-stderr mh -k "$TMP/key" 123
	assert_error 2 "key file $TMP/key: Permission denied"
}

@test "bad: -k with -e" {
	key_file
	export K=$KEY
	run --separate-stderr mh -k "$TMP/key" -e K 123
	assert_error 2 '-k cannot be used with -e'
}

# --- --check ---------------------------------------------------------------

@test "bad: --check mismatch is status 1, FAILED, and no key" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh -c 0000000000000000000000000000000000000000 123
	assert_status 1
	assert_stdout FAILED
	[ -z "$stderr" ]
	assert_no_secret
}

# --- options -----------------------------------------------------------------

@test "bad: an unknown option is one line and a pointer to --help, exit 2" {
	run --separate-stderr mh -x 123
	assert_status 2
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 2 ]
	# glibc's wording, musl's or the BSDs' (getopt's own, whatever libc).
	[[ ${stderr_lines[0]} =~ ^mor-hash:\ (invalid|illegal|unrecognized)\ option.*x ]]
	[[ ${stderr_lines[1]} == "Try 'mor-hash --help' for more information." ]]
}

@test "bad: a missing option argument is one line and a pointer to --help, exit 2" {
	run --separate-stderr mh -c
	assert_status 2
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 2 ]
	[[ ${stderr_lines[0]} =~ ^mor-hash:\ option\ requires\ an\ argument.*c ]]
	[[ ${stderr_lines[1]} == "Try 'mor-hash --help' for more information." ]]
}

@test "bad: an unknown long option" {
	run --separate-stderr mh --frobnicate
	assert_status 2
	[ -z "$output" ]
	[[ ${stderr_lines[0]} =~ ^mor-hash:\ (unrecognized|invalid|illegal|unknown)\ option.*frobnicate ]]
}

# --- input and output --------------------------------------------------------

@test "bad: standard input that is a directory" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh <"$TMP"
	assert_error 2 'standard input: Is a directory'
}

@test "bad: batch output to a full disk" {
	export MOR_API_SECRET=$KEY
	# Input from a file: a writer into a pipe it stops reading would
	# complain when the caller ignores SIGPIPE.
	seq 100000 >"$TMP/in"
	run --separate-stderr bash -c '"$0" -b <"$1" >/dev/full' "$MOR_HASH" "$TMP/in"
	assert_status 2
	[[ $stderr == "mor-hash: standard output: No space left on device" ]]
}

@test "bad: a 1 GiB value on stdin hashes right in flat memory" {
	under_wrapper && skip "1 GiB is too slow under valgrind"
	export MOR_API_SECRET=$KEY
	run --separate-stderr bash -c 'head -c 1G /dev/zero | /usr/bin/time -f %M -o "$1" "$0"' \
	    "$MOR_HASH" "$TMP/peak-kib"
	assert_status 0
	assert_stdout "$( (head -c 1G /dev/zero; printf %s "$KEY") | sha1sum | cut -d' ' -f1)"
	instrumented || [ "$(cat "$TMP/peak-kib")" -lt 8192 ] || fail_with "peak $(cat "$TMP/peak-kib") KiB"
}

@test "bad: 100000 operands" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh $(seq 100000)
	assert_status 0
	assert_stdout "$(python3 -c 'import hashlib, sys
print(hashlib.sha1("".join(map(str, range(1, 100001))).encode() + sys.argv[1].encode()).hexdigest())' "$KEY")"
}

@test "bad: a 100 KiB operand" {
	export MOR_API_SECRET=$KEY
	local big
	big=$(head -c 102400 /dev/zero | tr '\0' v)
	run --separate-stderr mh "$big"
	assert_stdout "$(reference "$big" "$KEY")"
}

# --- requests ----------------------------------------------------------------

@test "bad: --uri with a wrong hash is status 1, a message, the right URI" {
	export MOR_API_SECRET=secret
	run --separate-stderr mh --uri 'http://10.0.0.1/billing/api/users_get?u=admin&p=admin1&test=1&hash=ffff'
	assert_status 1
	assert_stdout 'http://10.0.0.1/billing/api/users_get?u=admin&p=admin1&test=1&hash=c420ef706a02e6449994b7575b25ef5f74cc722b'
	[[ $stderr == "mor-hash: the URI's hash is wrong; the URI printed has the right one" ]]
	assert_no_secret secret
}

@test "bad: --batch --url record with too few fields stops at its line" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh -b --url http://h/x a b < <(printf '1\t2\n3\t4\n5\n6\t7\n')
	assert_status 2
	[ "${#lines[@]}" -eq 2 ]
	[[ $stderr == "mor-hash: line 3: 1 field, want 2 (one for each NAME operand)" ]]
}

@test "bad: --batch --url record over 1 MiB" {
	export MOR_API_SECRET=$KEY
	head -c 2000000 /dev/zero | tr '\0' x >"$TMP/in"
	run --separate-stderr mh -b --url http://h/x a <"$TMP/in"
	assert_error 2 'line 1: record longer than 1048576 bytes'
}

# --- the method table ------------------------------------------------------------

@test "bad: a parameter given twice with a method: the last counts, with a warning" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh -m user_balance_update user_id=1 user_id=2 balance=5
	assert_status 0
	assert_stdout "$(reference 2 5 "$KEY")"
	[ "${stderr_lines[0]}" = "mor-hash: warning: parameter 'user_id' is given more than once; MOR uses the last" ]
}

@test "bad: a malformed line in the user's table names file and line" {
	export MOR_API_SECRET=$KEY MOR_HASH_METHODS=$TMP/methods
	printf '# mine\nfoo\tid\nbar id\n' >"$MOR_HASH_METHODS"
	run --separate-stderr mh -m foo id=1
	assert_error 2 "methods file '$TMP/methods', line 3: want METHOD<TAB>HASHED"
}

@test "bad: a user's table over 1 MiB" {
	export MOR_API_SECRET=$KEY MOR_HASH_METHODS=$TMP/big
	yes '# padding line for a file that is too large' | head -c 1100000 >"$MOR_HASH_METHODS"
	run --separate-stderr mh -m users_get u=admin
	assert_error 2 "methods file '$TMP/big' is larger than 1048576 bytes"
}

@test "bad: a NUL byte in the user's table names its line" {
	export MOR_API_SECRET=$KEY MOR_HASH_METHODS=$TMP/nul
	printf 'a\tb\nc\td\0\n' >"$MOR_HASH_METHODS"
	run --separate-stderr mh -m users_get u=admin
	assert_error 2 "methods file '$TMP/nul', line 2: a NUL byte"
}

# --- added: fail on 1.0.0, pass now -----------------------------------------

@test "bad: options end at the first operand" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh 123 -v answered
	assert_status 0
	assert_stdout "$(reference 123 -v answered "$KEY")"
	[ -z "$stderr" ]
	# -eNAME after a value is a value too, not a switch of the key source.
	export OTHER=other
	run --separate-stderr mh 123 -eOTHER
	assert_status 0
	assert_stdout "$(reference 123 -eOTHER "$KEY")"
	[ -z "$stderr" ]
}

# The key file holds $1 (printf format); one warning matching $2, status 0.
assert_key_warning() {
	printf "$1" "$KEY" >"$TMP/k"
	chmod 600 "$TMP/k"
	run --separate-stderr mh -k "$TMP/k" 123
	assert_status 0
	[ "${#stderr_lines[@]}" -eq 1 ] || fail_with "want one warning"
	[[ $stderr =~ ^"mor-hash: warning: the key from key file $TMP/k $2; it is used as it is, byte for byte"$ ]] ||
	    fail_with "want warning: $2"
	assert_no_secret
}

@test "bad: a key file with a BOM or trailing space is used as is, with a warning" {
	assert_key_warning '\357\273\277%s\n' 'starts with a UTF-8 byte order mark'
	assert_stdout "$(reference 123 $'\xef\xbb\xbf'"$KEY")"
	assert_key_warning '%s \n' 'ends in white space'
	assert_stdout "$(reference 123 "$KEY ")"
}

@test "bad: a key file ending in a CR without an LF is used as is, with a warning" {
	assert_key_warning '%s\r' 'ends in a carriage return'
	assert_stdout "$(reference 123 "$KEY"$'\r')"
}

@test "bad: a key with a BOM and a trailing space draws one warning, not two" {
	assert_key_warning '\357\273\277%s \n' 'starts with a UTF-8 byte order mark'
	assert_stdout "$(reference 123 $'\xef\xbb\xbf'"$KEY ")"
}

@test "bad: MOR_API_SECRET ending in LF is used as is, with a warning" {
	export MOR_API_SECRET=$KEY$'\n'
	run --separate-stderr mh 123
	assert_status 0
	assert_stdout "$(reference 123 "$KEY"$'\n')"
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr == "mor-hash: warning: the key from environment variable MOR_API_SECRET ends in a line feed; it is used as it is, byte for byte" ]]
	[[ $stderr != *"$KEY"* ]]
}

@test "bad: a FIFO as the methods file does not hang" {
	mkfifo "$TMP/mfifo"
	export MOR_API_SECRET=$KEY MOR_HASH_METHODS=$TMP/mfifo
	run --separate-stderr timeout 10 "$MOR_HASH" -m users_get u=a
	assert_error 2 "methods file '$TMP/mfifo' is not a regular file"
}

@test "bad: a FIFO at the default methods path does not hang" {
	mkdir -p "$HOME/.config/mor-hash"
	mkfifo "$HOME/.config/mor-hash/methods"
	export MOR_API_SECRET=$KEY
	run --separate-stderr timeout 10 "$MOR_HASH" -m users_get u=a
	assert_error 2 "methods file '$HOME/.config/mor-hash/methods' is not a regular file"
	run --separate-stderr timeout 10 "$MOR_HASH" --methods
	assert_error 2 "methods file '$HOME/.config/mor-hash/methods' is not a regular file"
}

@test "bad: a key file whose first line is empty" {
	printf '\n%s\n' "$KEY" >"$TMP/k"
	chmod 600 "$TMP/k"
	run --separate-stderr mh -k "$TMP/k" 123
	assert_error 2 "key file $TMP/k: its first line is empty"
}

@test "bad: batch output into a closed pipe says nothing" {
	export MOR_API_SECRET=$KEY
	seq 100000 >"$TMP/in"
	run --separate-stderr bash -c '"$0" -b <"$1" | head -1' "$MOR_HASH" "$TMP/in"
	assert_status 0
	assert_stdout "$(reference 1 "$KEY")"
	[ -z "$stderr" ]
}
