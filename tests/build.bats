#!/usr/bin/env bats
# The build: the binary's hardening, its size, and the user's flags kept.
# Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.

load helper

# The default build of ./mor-hash, not a sanitizer's.
need_default_build() {
	[ -z "${MOR_HASH_SANITIZED:-}" ] || skip "a sanitizer build"
	command -v readelf >/dev/null || skip "readelf is not installed (binutils)"
}

@test "build: a PIE with full RELRO, bound now, stack protector and fortified calls" {
	need_default_build
	readelf -h "$MOR_HASH" | grep -q 'Type: *DYN' || fail_with "not a PIE"
	readelf -l "$MOR_HASH" | grep -q GNU_RELRO || fail_with "no RELRO"
	readelf -d "$MOR_HASH" | grep -q 'FLAGS.*NOW' || fail_with "not bound now"
	run readelf --dyn-syms -W "$MOR_HASH"
	[[ $output == *__stack_chk_fail* ]] || fail_with "no stack protector"
	[[ $output =~ __[a-z]+_chk ]] || fail_with "no fortified calls"
}

@test "build: linked with libcrypto.a, under 160 KB of text and few relocations" {
	need_default_build
	command -v size >/dev/null || skip "size is not installed (binutils)"
	readelf -d "$MOR_HASH" | grep -q 'NEEDED.*libcrypto' &&
	    skip "linked with libcrypto.so (LIBCRYPTO=shared)"
	local text
	text=$(size "$MOR_HASH" | awk 'NR == 2 { print $1 }')
	[ "$text" -lt 160000 ] || fail_with "text is $text bytes"
	[ "$(readelf -r "$MOR_HASH" | grep -c R_X86_64)" -lt 400 ] ||
	    fail_with "too many relocations"
}

@test "build: CC, CFLAGS, CPPFLAGS, LDFLAGS and LDLIBS are added to, never replaced" {
	command -v make >/dev/null || skip "make is not installed"
	mkdir "$TMP/tree"
	cp Makefile ./*.c ./*.h ./*.tsv ./*.awk "$TMP/tree/"
	run make -n -B -C "$TMP/tree" mor-hash CFLAGS=-O1 CPPFLAGS=-DMH_TEST \
	    LDFLAGS=-Wl,-O1 LDLIBS=-lm
	assert_status 0
	local compile link
	compile=$(grep -E -- ' -c digest\.c$' <<<"$output")
	link=$(grep -E -- ' -o mor-hash ' <<<"$output")
	[[ $compile == *" -O1"* && $compile != *" -O2"* ]] || fail_with "CFLAGS: $compile"
	[[ $compile == *" -DMH_TEST"* && $compile == *" -fstack-protector-strong"* &&
	    $compile == *" -D_FORTIFY_SOURCE=2"* && $compile == *" -fPIE"* &&
	    $compile == *" -std=c11"* ]] || fail_with "compile: $compile"
	[[ $link == *" -Wl,-O1"* && $link == *" -pie"* && $link == *"-z,now"* ]] ||
	    fail_with "LDFLAGS: $link"
	[[ $output == *" -lm"* ]] || fail_with "LDLIBS"
	# With no CFLAGS, -O2 -g.
	run env -u CFLAGS make -n -B -C "$TMP/tree" mor-hash
	[[ $(grep -E -- ' -c digest\.c$' <<<"$output") == *" -O2 -g"* ]] ||
	    fail_with "no default CFLAGS"
}
