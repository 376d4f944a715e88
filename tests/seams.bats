#!/usr/bin/env bats
# Issue 21: the seams between modules, and the traps a careful user met.
# Each case failed on 1.1.0.  (Bad-input cases are rows of bad-input.tsv.)
# Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.

load helper

@test "seams: a name given three times warns once (names are compared by length, not to a NUL)" {
	export MOR_API_SECRET=k
	run --separate-stderr mh -m user_details_get user_id=1 user_id=2 user_id=3
	assert_status 0
	assert_stdout "$(reference 3 k)"
	[ "${#stderr_lines[@]}" -eq 1 ] || fail_with "want one warning"
	[ "$stderr" = "mor-hash: warning: parameter 'user_id' is given more than once; MOR uses the last" ]
}

@test "seams: with standard input closed, -b fails at once instead of waiting on its own pipe" {
	export MOR_API_SECRET=k
	run --separate-stderr timeout 10 bash -c 'exec "$0" -b <&-' "$MOR_HASH"
	assert_status 2
	[ -z "$output" ]
	[[ $stderr == "mor-hash: standard input"*"Bad file descriptor"* ]] || fail_with "want EBADF"
}

@test "seams: with standard input closed, -k FILE is not opened as descriptor 0" {
	printf '%s' "$KEY" >"$TMP/key"
	chmod 600 "$TMP/key"
	run --separate-stderr bash -c 'exec "$0" -k "$1" 123 1252454580 answered <&-' "$MOR_HASH" "$TMP/key"
	assert_status 0
	assert_stdout "$SEED_HASH"
	# The values from standard input: it is closed, not the key file.
	run --separate-stderr bash -c 'exec "$0" -k "$1" <&-' "$MOR_HASH" "$TMP/key"
	assert_error 2 "^mor-hash: standard input: Bad file descriptor$"
}

@test "seams: plain -b does not read the methods file, which it never uses" {
	export MOR_API_SECRET=$KEY MOR_HASH_METHODS=$TMP/bad
	printf 'not a table line\n' >"$MOR_HASH_METHODS"
	run --separate-stderr mh -b <<<$'123\t1252454580\tanswered'
	assert_status 0
	assert_stdout "$SEED_HASH"
}

@test "seams: XDG_CONFIG_HOME naming a file: the default table is absent, silently" {
	export MOR_API_SECRET=k
	printf 'x\n' >"$TMP/afile"
	XDG_CONFIG_HOME=$TMP/afile run --separate-stderr mh -m user_details_get user_id=5
	assert_status 0
	assert_stdout "$(reference 5 k)"
	[ -z "$stderr" ]
}

@test "seams: --learn writes no table line for a name the table cannot hold (one name set, methods.c's)" {
	export MOR_API_SECRET=k
	local h
	h=$(printf '12k' | sha1sum | cut -c1-40)
	run --separate-stderr mh --mor-version=X8 --learn="/billing/api/foo_bar?a%20b=1&c=2&hash=$h"
	[ -z "$output" ] || fail_with "a line was printed"
	[[ $stderr == *"mor-hash: an order was found, but parameter 'a b' cannot be named in the methods file"* ]] ||
	    fail_with "no message naming 'a b'"
	run --separate-stderr mh --mor-version=X8 --learn="/billing/api/foo_bar?a.b-c_D=1&c=2&hash=$h"
	assert_status 0
	assert_stdout "$(printf 'foo_bar\ta.b-c_D,c')"
}
