# helper.bash - shared set-up and assertions for the bats suites.
# Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
bats_require_minimum_version 1.5.0

# The MOR documentation's construction example.
KEY='Very Sercet Key'
SEED_HASH=b93c35d5c6183288322122561a3da7e09abb63b7

setup() {
	cd "$BATS_TEST_DIRNAME/.." || exit 1
	MOR_HASH=${MOR_HASH:-./mor-hash}
	case $MOR_HASH in /*) ;; *) MOR_HASH=$PWD/$MOR_HASH ;; esac
	TMP=$BATS_TEST_TMPDIR
	unset MOR_API_SECRET MOR_API_SECRET_FILE MOR_HASH_METHODS XDG_CONFIG_HOME
	export HOME=$TMP/home
	mkdir -p "$HOME"
}

# Runs mor-hash (under $MOR_HASH_WRAPPER when set, e.g. valgrind).
mh() {
	if [ -n "${MOR_HASH_WRAPPER:-}" ]; then
		"$BATS_TEST_DIRNAME/../$MOR_HASH_WRAPPER" "$MOR_HASH" "$@"
	else
		"$MOR_HASH" "$@"
	fi
}

under_wrapper() {
	[ -n "${MOR_HASH_WRAPPER:-}" ]
}

# Under valgrind or a sanitizer, memory figures are not the program's own.
instrumented() {
	under_wrapper || [ -n "${MOR_HASH_SANITIZED:-}" ]
}

# SHA-1 of the arguments concatenated, computed by Python's hashlib.
reference() {
	python3 -c 'import hashlib, sys
print(hashlib.sha1(b"".join(a.encode("utf-8", "surrogateescape") for a in sys.argv[1:])).hexdigest())' "$@"
}

# make with none of the caller's make variables: make check with CFLAGS
# passes them on in MAKEFLAGS, and a test that runs make says its own.
own_make() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEFILES -u CC -u CFLAGS \
	    -u CPPFLAGS -u LDFLAGS -u LDLIBS -u LIBCRYPTO -u PREFIX -u DESTDIR \
	    make "$@"
}

fail_with() {
	printf '%s\n' "$*" "status: $status" "stdout: $output" "stderr: ${stderr:-}" >&2
	return 1
}

assert_status() {
	[ "$status" -eq "$1" ] || fail_with "want status $1"
}

assert_stdout() {
	[ "$output" = "$1" ] || fail_with "want stdout: $1"
}

assert_no_secret() {
	local secret=${1:-$KEY}
	[[ $output != *"$secret"* && ${stderr:-} != *"$secret"* ]] ||
	    fail_with "the secret appears in the output"
}

# Status N, nothing on stdout, one line "mor-hash: ..." on stderr that
# matches the extended regex, and the key in neither.
assert_error() {
	local want=$1 pattern=$2
	# Each check returns: a caller's || (the table walk) turns off set -e.
	assert_status "$want" || return 1
	[ -z "$output" ] || { fail_with "want empty stdout"; return 1; }
	[ "${#stderr_lines[@]}" -eq 1 ] || { fail_with "want one line on stderr"; return 1; }
	[[ $stderr == "mor-hash: "* ]] || { fail_with "want 'mor-hash: ' first"; return 1; }
	[[ $stderr =~ $pattern ]] || { fail_with "want stderr to match: $pattern"; return 1; }
	assert_no_secret "${3:-$KEY}"
}
