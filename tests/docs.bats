#!/usr/bin/env bats
# Documentation and installation.
# Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.

load helper

@test "docs: the man page renders with groff -mandoc -ww without warnings" {
	run --separate-stderr groff -mandoc -ww -z mor-hash.1
	assert_status 0
	[ -z "$stderr" ] || fail_with "groff warned"
}

@test "docs: the man page has every section the issues name" {
	local section
	for section in NAME SYNOPSIS DESCRIPTION OPTIONS "METHOD TABLE" ENVIRONMENT \
	    FILES "EXIT STATUS" EXAMPLES "SEE ALSO" STANDARDS SECURITY CAVEATS; do
		grep -qx ".Sh $section" mor-hash.1 || fail_with "no $section section"
	done
}

@test "docs: the README shows the two set-up commands" {
	grep -q '^    make && MOR_API_SECRET=.* ./mor-hash 123 1252454580 answered$' README.md
	grep -q '^    make check$' README.md
}

@test "docs: the README and man page examples print what they say" {
	export MOR_API_SECRET='Very Sercet Key'
	[ "$(mh 123 1252454580 answered)" = "$SEED_HASH" ]
	grep -q "$SEED_HASH" README.md
	grep -q "$SEED_HASH" mor-hash.1
}

@test "install: DESTDIR and PREFIX place the binary, man page and completion; uninstall removes them" {
	under_wrapper && skip "install does not run mor-hash"
	command -v make >/dev/null || skip "make is not installed"
	# A copy is installed: make install never builds, and this tree's
	# mor-hash (the binary under test) stays as it is.
	mkdir "$TMP/tree"
	cp Makefile mor-hash.1 "$TMP/tree/"
	cp -R completions "$TMP/tree/"
	cp "$MOR_HASH" "$TMP/tree/mor-hash"
	run own_make -s -C "$TMP/tree" install DESTDIR="$TMP/root" PREFIX=/usr
	assert_status 0
	[ -x "$TMP/root/usr/bin/mor-hash" ]
	cmp "$MOR_HASH" "$TMP/root/usr/bin/mor-hash"
	[ -f "$TMP/root/usr/share/man/man1/mor-hash.1" ]
	[ -f "$TMP/root/usr/share/bash-completion/completions/mor-hash" ]
	[ -f "$TMP/root/usr/share/fish/vendor_completions.d/mor-hash.fish" ]
	local zsh
	zsh=$(cd "$TMP/root" && find usr/share/zsh -name _mor-hash)
	[ -n "$zsh" ] || fail_with "no zsh completion"
	# Where this system's zsh looks for completions.
	if command -v zsh >/dev/null; then
		zsh -fc 'print -l $fpath' | grep -qx "/${zsh%/_mor-hash}" ||
		    fail_with "zsh does not look in /${zsh%/_mor-hash}"
	fi
	run own_make -s -C "$TMP/tree" uninstall DESTDIR="$TMP/root" PREFIX=/usr
	assert_status 0
	[ -z "$(find "$TMP/root" -type f)" ]
	# A packager's directories.
	run own_make -s -C "$TMP/tree" install DESTDIR="$TMP/pkg" PREFIX=/usr \
	    BASHCOMPDIR=/b ZSHCOMPDIR=/z FISHCOMPDIR=/f
	assert_status 0
	[ -f "$TMP/pkg/b/mor-hash" ] && [ -f "$TMP/pkg/z/_mor-hash" ] &&
	    [ -f "$TMP/pkg/f/mor-hash.fish" ]
}

@test "install: the bash completion offers options and method names" {
	run bash -c 'source completions/mor-hash.bash
	    mor-hash() { "$0" "$@"; }
	    COMP_WORDS=(mor-hash --sec); COMP_CWORD=1; _mor_hash; echo "${COMPREPLY[*]}"
	    COMP_WORDS=(mor-hash -m user_bal); COMP_CWORD=2; _mor_hash; echo "${COMPREPLY[*]}"' "$MOR_HASH"
	[ "${lines[0]}" = "--secret-env= --secret-file=" ]
	[[ ${lines[1]} == *user_balance_update* ]]
}
