#!/usr/bin/env bats
# --url, --form and --uri: building and checking MOR requests.
# Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.

load helper

@test "url: the user_details example of MOR's documentation" {
	export MOR_API_SECRET=456789
	run --separate-stderr mh --url http://mor.example.com/billing/api/user_details -p u=admin -p p=admin user_id=123
	assert_status 0
	assert_stdout 'http://mor.example.com/billing/api/user_details?u=admin&p=admin&user_id=123&hash=f7c3bc1d808e04732adf679965ccc34ca7ae3441'
	[ -z "$stderr" ]
}

@test "url: without a known method, operands are hashed in the order given" {
	export MOR_API_SECRET=k
	run mh --url http://h/not_mor/thing -p u=x b=2 a=1
	assert_stdout "http://h/not_mor/thing?u=x&b=2&a=1&hash=$(reference 2 1 k)"
	run mh -M --url http://h/billing/api/not_a_method -p u=x b=2 a=1
	assert_stdout "http://h/billing/api/not_a_method?u=x&b=2&a=1&hash=$(reference 2 1 k)"
}

@test "url: a method MOR lacks in an /api/ path is refused, with a suggestion" {
	export MOR_API_SECRET=k
	run --separate-stderr mh --url http://h/billing/api/user_detials_get user_id=1
	assert_error 2 "^mor-hash: MOR answers 404 whatever the hash: it has no API method 'user_detials_get'; did you mean user_details_get"
}

@test "url: '&' after an existing query, nothing after a final '?' or '&'" {
	export MOR_API_SECRET=k
	local h
	h=$(reference 1 k)
	run mh -M --url 'http://h/x?v=2' a=1
	assert_stdout "http://h/x?v=2&a=1&hash=$h"
	run mh -M --url 'http://h/x?' a=1
	assert_stdout "http://h/x?a=1&hash=$h"
	run mh -M --url 'http://h/x?v=2&' a=1
	assert_stdout "http://h/x?v=2&a=1&hash=$h"
	run mh -M --url /billing/api/x a=1
	assert_stdout "/billing/api/x?a=1&hash=$h"
}

@test "url: no parameters at all gives just the hash of the key" {
	export MOR_API_SECRET=abc
	run mh -M --url https://h/billing/api/x
	assert_stdout "https://h/billing/api/x?hash=a9993e364706816aba3e25717850c26c9cd0d89d"
}

@test "url: every byte 0x01-0xFF in a value is encoded as urllib quotes it; the hash is over raw bytes" {
	export MOR_API_SECRET=k
	python3 - "$MOR_HASH" <<'EOF'
import hashlib, os, subprocess, sys, urllib.parse
binary = sys.argv[1].encode()
value = bytes(range(1, 256))
name = b"n a&m?e"
out = subprocess.run([binary, b"-M", b"--url", b"http://h/x", name + b"=" + value],
                     capture_output=True, check=True).stdout.decode().strip()
want = ("http://h/x?" + urllib.parse.quote(name, safe="") + "=" + urllib.parse.quote(value, safe="")
        + "&hash=" + hashlib.sha1(value + b"k").hexdigest())
assert out == want, (out, want)
EOF
}

@test "url: UTF-8 is encoded byte by byte, uppercase hex" {
	export MOR_API_SECRET=k
	run mh -M --form 'name=Jonas Žukas €'
	assert_stdout "name=Jonas%20%C5%BDukas%20%E2%82%AC&hash=$(reference 'Jonas Žukas €' k)"
}

@test "url: a built URL verifies through --uri with the same names, and parse_qsl gives back the values" {
	export MOR_API_SECRET=$KEY
	local url
	url=$(mh -M --url http://h/billing/api/x -p u=admin 'a=1 2+3' 'b=%&=?#' "c=it's" 'd=' 'e=žž')
	run --separate-stderr mh --uri "$url" a b c d e
	assert_status 0
	assert_stdout "$url"
	python3 - "$url" <<'EOF'
import sys, urllib.parse
query = urllib.parse.urlsplit(sys.argv[1]).query
pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
assert pairs[:6] == [("u", "admin"), ("a", "1 2+3"), ("b", "%&=?#"), ("c", "it's"), ("d", ""), ("e", "žž")], pairs
assert pairs[6][0] == "hash" and len(pairs[6][1]) == 40
EOF
}

@test "url: --form prints what --url puts after '?'" {
	export MOR_API_SECRET=456789
	run mh -M --form -p u=admin user_id=123
	assert_stdout 'u=admin&user_id=123&hash=f7c3bc1d808e04732adf679965ccc34ca7ae3441'
}

@test "uri: the users_get example, u and p hashed, test not" {
	export MOR_API_SECRET=secret
	run --separate-stderr mh --uri 'http://10.0.0.1/billing/api/users_get?u=admin&p=admin1&test=1' u p
	assert_status 0
	assert_stdout 'http://10.0.0.1/billing/api/users_get?u=admin&p=admin1&test=1&hash=c420ef706a02e6449994b7575b25ef5f74cc722b'
	[ -z "$stderr" ]
}

@test "uri: a right hash is a successful check, the URI unchanged" {
	export MOR_API_SECRET=secret
	local uri='http://10.0.0.1/billing/api/users_get?u=admin&p=admin1&test=1&hash=c420ef706a02e6449994b7575b25ef5f74cc722b'
	run --separate-stderr mh --uri "$uri" u p
	assert_status 0
	assert_stdout "$uri"
	[ -z "$stderr" ]
}

@test "uri: an upper-case hash is a mismatch, as MOR compares the hex exactly" {
	export MOR_API_SECRET=secret
	local uri='http://10.0.0.1/billing/api/users_get?u=admin&p=admin1&test=1&hash=C420EF706A02E6449994B7575B25EF5F74CC722B'
	run --separate-stderr mh --uri "$uri"
	assert_status 1
	assert_stdout "${uri,,}"
	[ "$stderr" = "mor-hash: the URI's hash is wrong; the URI printed has the right one (MOR compares the hex exactly: upper case is refused)" ]
}

@test "uri: a wrong hash is replaced in place, every other byte kept" {
	export MOR_API_SECRET=k
	run --separate-stderr mh -M --uri 'http://h/x?a=%7e1&hash=0000&b=x+y#frag'
	assert_status 1
	assert_stdout "http://h/x?a=%7e1&hash=$(reference '~1' 'x y' k)&b=x+y#frag"
	[[ $stderr == "mor-hash: the URI's hash is wrong"* ]]
}

@test "uri: -q silences the mismatch message, not the status" {
	export MOR_API_SECRET=k
	run --separate-stderr mh -q -M --uri 'http://h/x?a=1&hash=0000'
	assert_status 1
	assert_stdout "http://h/x?a=1&hash=$(reference 1 k)"
	[ -z "$stderr" ]
}

@test "uri: without a query, ?hash= is added before a fragment" {
	export MOR_API_SECRET=abc
	run mh --uri 'http://h/x#part'
	assert_stdout 'http://h/x?hash=a9993e364706816aba3e25717850c26c9cd0d89d#part'
	run mh --uri 'http://h/x?'
	assert_stdout 'http://h/x?hash=a9993e364706816aba3e25717850c26c9cd0d89d'
}

@test "uri: with no names every parameter but hash is hashed, in URI order" {
	export MOR_API_SECRET=k
	run --separate-stderr mh -M --uri 'http://h/x?b=2&hash=1&a=1&flag'
	assert_status 1
	assert_stdout "http://h/x?b=2&hash=$(reference 2 1 k)&a=1&flag"
}

@test "uri: of two parameters with one name, the last counts" {
	export MOR_API_SECRET=k
	run mh --uri 'http://h/x?a=1&a=2' a
	assert_stdout "http://h/x?a=1&a=2&hash=$(reference 2 k)"
}

@test "uri: -v shows the values in hash order and what was left out" {
	export MOR_API_SECRET=secret
	run --separate-stderr mh -v --uri 'http://10.0.0.1/billing/api/users_get?u=admin&p=admin1&test=1' p u
	assert_status 0
	[[ $stderr == *"value 1: p=admin1"*"value 2: u=admin"* ]]
	[[ $stderr == *"not hashed: test"* ]]
	[ "${stderr_lines[-1]}" = 'hashed: admin1admin<secret: 6 bytes>' ]
}
