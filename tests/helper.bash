# helper.bash - shared set-up and assertions for the bats suites.
# Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.

# bats 1.5 or later runs the suites as they are.  An older one (Debian 11
# and Ubuntu 20.04 ship 1.2.1) gets what they use of 1.5: run's
# --separate-stderr with $stderr and $stderr_lines, and a temporary
# directory per test.
if type bats_require_minimum_version >/dev/null 2>&1; then
	bats_require_minimum_version 1.5.0
else
	run() {
		local separate= flags=$- errfile
		if [ "${1:-}" = --separate-stderr ]; then
			separate=1
			shift
		fi
		set +eET
		if [ -n "$separate" ]; then
			errfile=$(mktemp "${BATS_TMPDIR:-/tmp}/mor-hash-stderr.XXXXXX")
			output=$("$@" 2>"$errfile")
			status=$?
			stderr=$(cat "$errfile")
			rm -f "$errfile"
			IFS=$'\n' read -r -d '' -a stderr_lines <<<"$stderr"
		else
			output=$("$@" 2>&1)
			status=$?
		fi
		IFS=$'\n' read -r -d '' -a lines <<<"$output"
		set "-$flags"
	}
	if [ -z "${BATS_TEST_TMPDIR:-}" ]; then
		BATS_TEST_TMPDIR=$(mktemp -d "${BATS_TMPDIR:-/tmp}/mor-hash-test.XXXXXX")
		teardown() {
			rm -rf "$BATS_TEST_TMPDIR"
		}
	fi
fi

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

# Runs the Python script on stdin with ARGS, tests/ importable: in it,
# mh_run's COMMAND runs mor-hash as mh does, and WRAPPED says whether
# under a wrapper (slower: wait longer).
#   py_mh ARGS... <script
py_mh() {
	MOR_HASH=$MOR_HASH MOR_HASH_WRAPPER=${MOR_HASH_WRAPPER:-} \
	    PYTHONPATH=$BATS_TEST_DIRNAME python3 - "$@"
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
