#!/usr/bin/env bats
# The build: the binary's hardening, its size, the user's flags kept, and
# make install installing what make built.
# Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.

load helper

# The default build of ./mor-hash: make check says so when no CC, CFLAGS,
# CPPFLAGS, LDFLAGS, LDLIBS or LIBCRYPTO=shared of the user's made it (-O0
# has no fortified calls, UBSan or -O3 make it bigger): not a sanitizer's.
need_default_build() {
	[ -n "${MOR_HASH_DEFAULT_BUILD:-}" ] ||
	    skip "not the default build (make check with no CC, CFLAGS, CPPFLAGS, LDFLAGS, LDLIBS or LIBCRYPTO)"
	[ -z "${MOR_HASH_SANITIZED:-}" ] || skip "a sanitizer build"
	command -v readelf >/dev/null || skip "readelf is not installed (binutils)"
}

# A copy of the sources in $TMP/tree, to build and install there.
copy_tree() {
	mkdir "$TMP/tree"
	cp Makefile ./*.c ./*.h ./*.tsv ./*.awk mor-hash.1 "$TMP/tree/"
	cp -R completions "$TMP/tree/"
	rm -f "$TMP/tree/methods-table.c" "$TMP/tree/server-table.c"
}

@test "build: a PIE with full RELRO, bound now, stack protector and fortified calls" {
	need_default_build
	readelf -h "$MOR_HASH" | grep -q 'Type: *DYN' || fail_with "not a PIE"
	readelf -l "$MOR_HASH" | grep -q GNU_RELRO || fail_with "no RELRO"
	readelf -d "$MOR_HASH" | grep -q 'FLAGS.*NOW' || fail_with "not bound now"
	run readelf --dyn-syms -W "$MOR_HASH"
	[[ $output == *__stack_chk_fail* ]] || fail_with "no stack protector"
	grep -v __stack_chk <<<"$output" | grep -qE '__[a-z0-9]+_chk' ||
	    fail_with "no fortified calls"
}

@test "build: linked with libcrypto.a, under 200 KB of text and few relocations" {
	need_default_build
	command -v size >/dev/null || skip "size is not installed (binutils)"
	readelf -h "$MOR_HASH" | grep -q 'Machine:.*X86-64' ||
	    skip "the figures are x86-64's"
	! readelf -d "$MOR_HASH" | grep -q 'NEEDED.*libcrypto' ||
	    fail_with "linked with libcrypto.so"
	local text
	text=$(size "$MOR_HASH" | awk 'NR == 2 { print $1 }')
	# OpenSSL_version() would drag in 3.5 MB (see LIBCRYPTO in the Makefile).
	[ "$text" -lt 200000 ] || fail_with "text is $text bytes"
	[ "$(readelf -r "$MOR_HASH" | grep -c R_X86_64)" -lt 400 ] ||
	    fail_with "too many relocations"
}

@test "build: mor-hash-static is a static PIE, RELRO, bound now, stack protector, fortified calls" {
	[ -n "${MOR_HASH_STATIC:-}" ] || skip "not mor-hash-static (make check-static)"
	command -v readelf >/dev/null || skip "readelf is not installed (binutils)"
	readelf -h "$MOR_HASH" | grep -q 'Type: *DYN' || fail_with "not a PIE"
	! readelf -l "$MOR_HASH" | grep -q INTERP || fail_with "has a loader"
	! readelf -d "$MOR_HASH" | grep -q NEEDED || fail_with "needs a library"
	readelf -l "$MOR_HASH" | grep -q GNU_RELRO || fail_with "no RELRO"
	readelf -d "$MOR_HASH" | grep -q 'FLAGS.*NOW' || fail_with "not bound now"
	run readelf -s -W "$MOR_HASH"
	[[ $output == *__stack_chk_fail* ]] || fail_with "no stack protector"
	grep -v __stack_chk <<<"$output" | grep -qE '__[a-z0-9]+_chk' ||
	    fail_with "no fortified calls"
}

@test "build: CC, CFLAGS, CPPFLAGS, LDFLAGS and LDLIBS are added to, never replaced" {
	command -v make >/dev/null || skip "make is not installed"
	copy_tree
	run own_make -n -B -C "$TMP/tree" mor-hash CFLAGS=-O1 CPPFLAGS=-DMH_TEST \
	    LDFLAGS=-Wl,-O1 LDLIBS=-lm
	assert_status 0
	local compile link
	compile=$(grep -E -- ' -c sha1\.c$' <<<"$output")
	link=$(grep -E -- ' -o mor-hash ' <<<"$output")
	[[ $compile == *" -O1"* && $compile != *" -O2"* ]] || fail_with "CFLAGS: $compile"
	[[ $compile == *" -DMH_TEST"* && $compile == *" -fstack-protector-strong"* &&
	    $compile == *" -D_FORTIFY_SOURCE=2"* && $compile == *" -fPIE"* &&
	    $compile == *" -std=c11"* ]] || fail_with "compile: $compile"
	[[ $link == *" -Wl,-O1"* && $link == *" -pie"* && $link == *"-z,now"* ]] ||
	    fail_with "LDFLAGS: $link"
	[[ $output == *" -lm"* ]] || fail_with "LDLIBS"
	# With no CFLAGS, -O2 -g.
	run own_make -n -B -C "$TMP/tree" mor-hash
	[[ $(grep -E -- ' -c sha1\.c$' <<<"$output") == *" -O2 -g"* ]] ||
	    fail_with "no default CFLAGS"
}

@test "install: installs the built mor-hash byte for byte, whatever the flags; builds nothing" {
	command -v make >/dev/null || skip "make is not installed"
	copy_tree
	cd "$TMP/tree"
	# Fedora's flags, then make install with others (as sudo drops them).
	own_make CFLAGS='-O2 -g -pipe -Wall -Werror=format-security -fstack-protector-strong -fstack-clash-protection' \
	    >/dev/null 2>&1 || fail_with "make with Fedora's flags failed"
	cp build/flags "$TMP/flags"
	cp mor-hash "$TMP/built"
	run own_make install DESTDIR="$TMP/fedora" PREFIX=/usr CFLAGS=-O0 \
	    CPPFLAGS=-DOTHER LDFLAGS=-s
	assert_status 0
	[[ $output != *" -c "* && $output != *" -o mor-hash "* ]] ||
	    fail_with "make install compiled"
	cmp "$TMP/built" "$TMP/fedora/usr/bin/mor-hash" || fail_with "not the built binary"
	cmp build/flags "$TMP/flags" || fail_with "make install changed build/flags"
	# make CFLAGS=-O1, then make install with no CFLAGS at all.
	own_make CFLAGS=-O1 >/dev/null 2>&1 || fail_with "make CFLAGS=-O1 failed"
	cp mor-hash "$TMP/built"
	run own_make install DESTDIR="$TMP/o1"
	assert_status 0
	cmp "$TMP/built" "$TMP/o1/usr/local/bin/mor-hash" || fail_with "not the built binary"
	# Nothing built: make install says so and installs nothing.
	rm mor-hash
	run own_make install DESTDIR="$TMP/none"
	assert_status 2
	[[ $output == *"run make first"* ]] || fail_with "no word of make"
	[ ! -e "$TMP/none/usr/local/bin/mor-hash" ]
}

@test "install: modes are 0755 and 0644 whatever the umask" {
	command -v make >/dev/null || skip "make is not installed"
	mkdir "$TMP/tree"
	cp Makefile mor-hash.1 "$TMP/tree/"
	cp -R completions "$TMP/tree/"
	cp "$MOR_HASH" "$TMP/tree/mor-hash"
	( umask 077 && own_make -s -C "$TMP/tree" install DESTDIR="$TMP/root" ) ||
	    fail_with "make install failed"
	[ -z "$(find "$TMP/root" -type d ! -perm 755)" ] ||
	    fail_with "directories: $(find "$TMP/root" -type d ! -perm 755)"
	[ "$(find "$TMP/root" -type f -perm 755)" = "$TMP/root/usr/local/bin/mor-hash" ] ||
	    fail_with "programs: $(find "$TMP/root" -type f -perm 755)"
	[ "$(find "$TMP/root" -type f -perm 644 | wc -l)" -eq 4 ] ||
	    fail_with "pages and completions: $(find "$TMP/root" -type f -perm 644)"
}

@test "build: a missing or old libcrypto, pkg-config or make is named, with what is needed" {
	command -v make >/dev/null || skip "make is not installed"
	copy_tree
	printf '#!/bin/sh\ncase "$*" in *--modversion*) echo 1.0.2k ;; *) exit 1 ;; esac\n' \
	    >"$TMP/old-pc"
	printf '#!/bin/sh\nexit 1\n' >"$TMP/no-pc"
	chmod +x "$TMP/old-pc" "$TMP/no-pc"
	run own_make -C "$TMP/tree" PKG_CONFIG="$TMP/old-pc"
	assert_status 2
	[[ $output == *"libcrypto 1.0.2k found, 1.1.1 or later is needed: on Debian, apt-get install"* ]] ||
	    fail_with "too old"
	run own_make -C "$TMP/tree" PKG_CONFIG="$TMP/no-pc"
	assert_status 2
	[[ $output == *"libcrypto 1.1.1 or later is needed, and '$TMP/no-pc' finds no libcrypto"* ]] ||
	    fail_with "missing"
	run own_make -C "$TMP/tree" PKG_CONFIG=no-such-pkg-config
	assert_status 2
	[[ $output == *"'no-such-pkg-config' not found"* ]] || fail_with "no pkg-config"
	run own_make -C "$TMP/tree" MAKE_VERSION=3.81
	assert_status 2
	[[ $output == *"GNU make 4.0 or later is needed, this is 3.81"* ]] || fail_with "make 3.81"
	[ ! -e "$TMP/tree/mor-hash" ]
}
