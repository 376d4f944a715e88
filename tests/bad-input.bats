#!/usr/bin/env bats
# Hostile and mistaken input: every case must end with status 2 (or 1 for
# a mismatch), a one-line message on stderr, nothing on stdout, no hang,
# no crash, and never the key in any output.

load helper

key_file() {
	printf '%s\n' "$KEY" >"$TMP/key"
	chmod 600 "$TMP/key"
}

# --- the key ---------------------------------------------------------------

@test "bad: no key from any source" {
	run --separate-stderr mh 123
	assert_error 2 'no secret key: set MOR_API_SECRET or MOR_API_SECRET_FILE'
}

@test "bad: key file that is a directory" {
	run --separate-stderr mh -k "$TMP" 123
	assert_error 2 "key file $TMP is a directory"
}

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

@test "bad: key file that does not exist" {
	run --separate-stderr mh -k "$TMP/missing" 123
	assert_error 2 "no such key file '$TMP/missing'"
}

@test "bad: key file that cannot be read" {
	[ "$(id -u)" -ne 0 ] || skip "root reads any file"
	key_file
	chmod 000 "$TMP/key"
	run --separate-stderr mh -k "$TMP/key" 123
	assert_error 2 "key file $TMP/key: Permission denied"
}

@test "bad: key file named by an empty -k ''" {
	run --separate-stderr mh -k '' 123
	assert_error 2 'key file name is empty'
}

@test "bad: -e naming an unset variable" {
	run --separate-stderr mh -e NO_SUCH_VARIABLE_HERE 123
	assert_error 2 'environment variable NO_SUCH_VARIABLE_HERE is not set'
}

@test "bad: -e naming an empty variable" {
	export EMPTY_KEY=
	run --separate-stderr mh -e EMPTY_KEY 123
	assert_error 2 'environment variable EMPTY_KEY is empty'
}

@test "bad: -e with an empty name" {
	run --separate-stderr mh -e '' 123
	assert_error 2 'environment variable name is empty'
}

@test "bad: MOR_API_SECRET set but empty" {
	export MOR_API_SECRET=
	run --separate-stderr mh 123
	assert_error 2 'environment variable MOR_API_SECRET is empty'
}

@test "bad: MOR_API_SECRET over 4096 bytes" {
	export MOR_API_SECRET
	MOR_API_SECRET=$(head -c 5000 /dev/zero | tr '\0' s)
	run --separate-stderr mh 123
	assert_error 2 'MOR_API_SECRET: key is longer than 4096 bytes' sssssssss
}

@test "bad: MOR_API_SECRET_FILE set but empty" {
	export MOR_API_SECRET_FILE=
	run --separate-stderr mh 123
	assert_error 2 'MOR_API_SECRET_FILE is empty'
}

@test "bad: MOR_API_SECRET_FILE naming a missing file" {
	export MOR_API_SECRET_FILE=$TMP/nope
	run --separate-stderr mh 123
	assert_error 2 "no such key file '$TMP/nope'"
}

@test "bad: -k with -e" {
	key_file
	export K=$KEY
	run --separate-stderr mh -k "$TMP/key" -e K 123
	assert_error 2 '-k cannot be used with -e'
}

# --- --check ---------------------------------------------------------------

@test "bad: --check with 39 hex digits" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh -c "${SEED_HASH%?}" 123
	assert_error 2 '--check wants 40 hex digits, not 39 characters'
}

@test "bad: --check with 41 hex digits" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh -c "${SEED_HASH}0" 123
	assert_error 2 'not 41 characters'
}

@test "bad: --check with a non-hex digit" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh -c "${SEED_HASH%?}g" 123
	assert_error 2 'not 40 characters with a non-hex digit'
}

@test "bad: --check with an empty hash" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh --check= 123
	assert_error 2 'not 0 characters'
}

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
	[[ ${stderr_lines[0]} == "mor-hash: invalid option -- 'x'" ]]
	[[ ${stderr_lines[1]} == "Try 'mor-hash --help' for more information." ]]
}

@test "bad: a missing option argument is one line and a pointer to --help, exit 2" {
	run --separate-stderr mh -c
	assert_status 2
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 2 ]
	[[ ${stderr_lines[0]} == "mor-hash: option requires an argument -- 'c'" ]]
	[[ ${stderr_lines[1]} == "Try 'mor-hash --help' for more information." ]]
}

@test "bad: an unknown long option" {
	run --separate-stderr mh --frobnicate
	assert_status 2
	[ -z "$output" ]
	[[ ${stderr_lines[0]} == "mor-hash: unrecognized option '--frobnicate'" ]]
}

@test "bad: --quiet without --check or --uri" {
	run --separate-stderr mh -q 123
	assert_error 2 '--quiet is meaningful only with --check or --uri'
}

@test "bad: --quiet with --verbose" {
	run --separate-stderr mh -q -v -c "$SEED_HASH" 123
	assert_error 2 '--quiet cannot be used with --verbose'
}

@test "bad: --delimiter without --batch" {
	run --separate-stderr mh -d , 123
	assert_error 2 '--delimiter is meaningful only with --batch'
}

@test "bad: --delimiter of two characters" {
	run --separate-stderr mh -b -d ab
	assert_error 2 "the delimiter must be one byte, not 'ab'"
}

@test "bad: --param without --url or --form" {
	run --separate-stderr mh -p u=admin 123
	assert_error 2 '--param is meaningful only with --url or --form'
}

@test "bad: --null with VALUE operands" {
	run --separate-stderr mh -0 123
	assert_error 2 '--null cannot be used with VALUE operands'
}

@test "bad: --method with --no-method" {
	run --separate-stderr mh -m users_get -M --url /api x=1
	assert_error 2 '--method cannot be used with --no-method'
}

@test "bad: --check with --batch" {
	run --separate-stderr mh -b -c "$SEED_HASH" </dev/null
	assert_error 2 '--check cannot be used with --batch'
}

@test "bad: --check with --url" {
	run --separate-stderr mh -c "$SEED_HASH" --url http://h/x a=1
	assert_error 2 '--check cannot be used with --url or --form'
}

@test "bad: --batch with value operands" {
	run --separate-stderr mh -b 123
	assert_error 2 'with --batch, values come from standard input'
}

@test "bad: --methods with an operand" {
	run --separate-stderr mh --methods users_get
	assert_error 2 '--methods takes no other options or operands'
}

# --- input and output --------------------------------------------------------

@test "bad: standard input that is a directory" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh <"$TMP"
	assert_error 2 'standard input: Is a directory'
}

@test "bad: batch output to a full disk" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr bash -c 'seq 100000 | "$0" -b >/dev/full' "$MOR_HASH"
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

@test "bad: --url operand without '='" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh --url http://h/api/x user_id
	assert_error 2 "operand 'user_id' is not NAME=VALUE"
}

@test "bad: --url operand with an empty name" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh --url http://h/api/x =5
	assert_error 2 "'=5' has an empty parameter name"
}

@test "bad: -p without '='" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh --url http://h/api/x -p admin a=1
	assert_error 2 "-p 'admin' is not NAME=VALUE"
}

@test "bad: --url that is not http, https or /" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh --url ftp://h/x a=1
	assert_error 2 'the URL must start with http://, https:// or /'
}

@test "bad: --url with a fragment" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh --url 'http://h/x#top' a=1
	assert_error 2 "the URL must not have a fragment"
}

@test "bad: hash given as a parameter to build" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh --url http://h/x hash=abc
	assert_error 2 'hash is the parameter mor-hash adds'
}

@test "bad: --uri that is empty" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh --uri ''
	assert_error 2 'the URI is empty'
}

@test "bad: --uri with a malformed % escape" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh --uri 'http://h/x?a=1%2&b=2'
	assert_error 2 "malformed % escape at byte 15 of the URI: '%2&'"
}

@test "bad: --uri naming a parameter it lacks" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh --uri 'http://h/x?a=1' a b
	assert_error 2 "the URI has no parameter 'b'"
}

@test "bad: --uri with two hash parameters" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh --uri 'http://h/x?a=1&hash=1&hash=2'
	assert_error 2 'the URI has more than one hash parameter'
}

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
	run --separate-stderr bash -c 'head -c 2000000 /dev/zero | tr "\0" x | "$0" -b --url http://h/x a' "$MOR_HASH"
	assert_error 2 'line 1: record longer than 1048576 bytes'
}

@test "bad: --batch NAME operand with a value" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh -b --url http://h/x a=1 </dev/null
	assert_error 2 "with --batch, operands are NAMEs"
}

# --- the method table ------------------------------------------------------------

@test "bad: an unknown method suggests the closest names" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh -m user_balanse_update balance=1
	assert_error 2 "unknown method 'user_balanse_update'; did you mean user_balance_update"
}

@test "bad: an unknown method with nothing close" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh -m qqqqqqqqqqqqqqqqqq a=1
	assert_error 2 "unknown method 'qqqqqqqqqqqqqqqqqq' \(mor-hash --methods lists them\)"
}

@test "bad: -m with an operand that has no '='" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh -m user_balance_update 100
	assert_error 2 "operand '100' is not NAME=VALUE"
}

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
	assert_error 2 "methods file $TMP/methods, line 3: want METHOD<TAB>HASHED"
}

@test "bad: MOR_HASH_METHODS naming a missing file" {
	export MOR_API_SECRET=$KEY MOR_HASH_METHODS=$TMP/none
	run --separate-stderr mh -m users_get u=admin
	assert_error 2 "methods file $TMP/none: No such file or directory"
}

@test "bad: a user's table that is a directory" {
	export MOR_API_SECRET=$KEY MOR_HASH_METHODS=$TMP
	run --separate-stderr mh -m users_get u=admin
	assert_error 2 "methods file $TMP is not a regular file"
}

@test "bad: --learn on a URI without a hash" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh --learn 'http://h/billing/api/users_get?u=admin'
	assert_error 2 'the URI has no hash parameter to learn from'
}

@test "bad: --learn on a URI whose hash is not hex" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh --learn 'http://h/billing/api/users_get?u=admin&hash=xyz'
	assert_error 2 "the URI's hash is not 40 hex digits"
}

@test "bad: --learn with no order found is status 1" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh --learn "http://h/billing/api/users_get?u=admin&hash=$SEED_HASH"
	assert_error 1 "no order of the URI's parameters gives its hash"
}

@test "bad: --methods=METHOD that is unknown" {
	run --separate-stderr mh --methods=nosuchmethod
	assert_error 2 "unknown method 'nosuchmethod'"
}

@test "bad: an empty method name" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh -m '' a=1
	assert_error 2 'the method name is empty'
}

@test "bad: control bytes in an echoed name stay one escaped line" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh --uri 'http://h/x?a=1' $'b\nc\e[31m'
	assert_error 2 "the URI has no parameter 'b.x0ac.x1b\\[31m'"
}

@test "bad: a long operand is echoed cut short" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh --url http://h/x "$(head -c 5000 /dev/zero | tr '\0' z)"
	assert_error 2 "operand 'z{48}\\.\\.\\.' is not NAME=VALUE"
}

@test "bad: a user's table over 1 MiB" {
	export MOR_API_SECRET=$KEY MOR_HASH_METHODS=$TMP/big
	yes '# padding line for a file that is too large' | head -c 1100000 >"$MOR_HASH_METHODS"
	run --separate-stderr mh -m users_get u=admin
	assert_error 2 "methods file $TMP/big is larger than 1048576 bytes"
}

@test "bad: a NUL byte in the user's table names its line" {
	export MOR_API_SECRET=$KEY MOR_HASH_METHODS=$TMP/nul
	printf 'a\tb\nc\td\0\n' >"$MOR_HASH_METHODS"
	run --separate-stderr mh -m users_get u=admin
	assert_error 2 "methods file $TMP/nul, line 2: a NUL byte"
}

@test "bad: --learn on a URI with no path to name the method" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh --learn "http://h?u=admin&hash=$SEED_HASH"
	assert_error 2 "cannot tell the method from the URI's path; name it with -m"
}

@test "bad: --learn with operands" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh --learn "http://h/x?hash=$SEED_HASH" u
	assert_error 2 'operands cannot be used with --learn'
}

@test "bad: --uri with --check" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh --uri 'http://h/x?a=1' -c "$SEED_HASH"
	assert_error 2 "--check cannot be used with --uri \(it checks the URI's own hash\)"
}

@test "bad: --batch with --verbose" {
	run --separate-stderr mh -b -v </dev/null
	assert_error 2 '--verbose cannot be used with --batch'
}

@test "bad: --no-method without --url, --form or --uri" {
	run --separate-stderr mh -M 123
	assert_error 2 '--no-method is meaningful only with --url, --form or --uri'
}
