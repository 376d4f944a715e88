#!/usr/bin/env bats
# The shell completions in completions/, tried the way a person meets
# them: bash and zsh run interactively on a pseudo-terminal and are sent
# the keys of a command line and one TAB, so that the shell itself splits
# the words (COMP_WORDBREAKS and all) and readline or zle inserts the
# result; fish answers through its own engine, "complete -C".
#
# For bash two things are recorded per line: the line as readline left it
# after the TAB, and the candidates the completion function returned
# (COMPREPLY), through a wrapper around the function that "complete -p"
# names.  Modes:
#   plain    the file sourced by hand, no bash-completion package
#   bc       bash-completion's loader finds the file where `make install`
#            puts it (in BASH_COMPLETION_USER_DIR here), wrapper added
#   lazy     the same, left to load on the first TAB: the line only
#   nobreak  plain, with '=' and ':' taken out of COMP_WORDBREAKS
# The method table comes from `$MOR_HASH --methods`, as "mor-hash" on PATH.
# Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.

load helper

eval "helper_$(declare -f setup)"

setup() {
	helper_setup
	mkdir -p "$TMP/bin" "$TMP/work/sub dir"
	ln -s "$MOR_HASH" "$TMP/bin/mor-hash"
	: >"$TMP/work/my key file"
	: >"$TMP/work/my other"
	write_driver
}

BASHCOMP=/usr/share/bash-completion/bash_completion

need_bash_completion() {
	[ -r "$BASHCOMP" ] ||
	    skip "bash-completion is not installed ($BASHCOMP; apt-get install bash-completion)"
}

# Writes the pseudo-terminal driver:
#   drive.py MODE COMPLETION-FILE SCRATCH-DIR LINE...
# prints, for each LINE, "line TEXT" (the line after the TAB), then
# "cand C" for each candidate, or "not called"; the terminal's output is
# kept in SCRATCH-DIR/transcript.
write_driver() {
	cat >"$TMP/drive.py" <<'EOF'
import os, pty, select, signal, sys, time

mode, compfile, scratch, *lines = sys.argv[1:]
compfile = os.path.abspath(compfile)
os.makedirs(os.path.join(scratch, "bc", "completions"), exist_ok=True)
os.symlink(compfile, os.path.join(scratch, "bc", "completions", "mor-hash"))
env = dict(os.environ, MH_COMPFILE=compfile, MH_DIR=scratch, MH_MODE=mode)

if mode == "zsh":
    # zsh reads $ZDOTDIR/.zshenv and .zshrc, and no site rc files.
    with open(os.path.join(scratch, ".zshenv"), "w") as f:
        f.write("setopt no_global_rcs\n")
    with open(os.path.join(scratch, ".zshrc"), "w") as f:
        f.write(r"""
PS1='<mh-prompt>' RPS1= HISTFILE=
fpath=("${MH_COMPFILE:h}" $fpath)
autoload -Uz compinit && compinit -u -D
_mh_n=0
# Bound to C-x C-p: write the line as zle left it, then clear it.
_mh_dump() {
	print -rn -- "$BUFFER" >"$MH_DIR/line.tmp"
	mv "$MH_DIR/line.tmp" "$MH_DIR/line.$_mh_n"
	(( _mh_n++ ))
	BUFFER= CURSOR=0
}
zle -N _mh_dump
bindkey '^X^P' _mh_dump
""")
    env.update(ZDOTDIR=scratch, TERM="vt100")
    argv = ["zsh", "-i"]
else:
    setup = {
        "plain": 'source "$MH_COMPFILE"',
        "nobreak": 'COMP_WORDBREAKS=${COMP_WORDBREAKS//[=:]}\n'
                   'source "$MH_COMPFILE"',
        "bc": 'source /usr/share/bash-completion/bash_completion\n'
              '__load_completion mor-hash || _completion_loader mor-hash',
        "lazy": 'source /usr/share/bash-completion/bash_completion',
    }[mode]
    with open(os.path.join(scratch, "rc"), "w") as f:
        f.write(r"""
PS1='<mh-prompt>' PS2= HISTFILE=
unset PROMPT_COMMAND
%s
_mh_n=0
# Record what the completion function returns, NUL-separated.
if [[ $MH_MODE != lazy ]] && _mh_spec=$(complete -p mor-hash 2>/dev/null); then
	_mh_fn=${_mh_spec#*-F } _mh_fn=${_mh_fn%%%% *}
	_mh_wrap() {
		"$_mh_fn" "$@"
		local rc=$?
		: >"$MH_DIR/cand.$_mh_n"
		((${#COMPREPLY[@]})) && printf '%%s\0' "${COMPREPLY[@]}" >"$MH_DIR/cand.$_mh_n"
		return $rc
	}
	eval "${_mh_spec/-F $_mh_fn /-F _mh_wrap }"
fi
# Bound to C-x C-p: write the line as readline left it, then clear it.
_mh_dump() {
	printf '%%s' "$READLINE_LINE" >"$MH_DIR/line.tmp"
	mv "$MH_DIR/line.tmp" "$MH_DIR/line.$_mh_n"
	_mh_n=$((_mh_n + 1))
	READLINE_LINE= READLINE_POINT=0
}
bind -x '"\C-x\C-p": _mh_dump'
""" % setup)
    with open(os.path.join(scratch, "inputrc"), "w") as f:
        f.write("set bell-style none\nset enable-bracketed-paste off\n")
    env.update(TERM="dumb", INPUTRC=os.path.join(scratch, "inputrc"),
               BASH_COMPLETION_USER_DIR=os.path.join(scratch, "bc"))
    argv = ["bash", "--noprofile", "--rcfile", os.path.join(scratch, "rc"), "-i"]

pid, fd = pty.fork()
if pid == 0:
    os.execvpe(argv[0], argv, env)

transcript = b""
def wait_for(done, timeout=20.0):
    global transcript
    end = time.time() + timeout
    while not done():
        if time.time() > end:
            return False
        if select.select([fd], [], [], 0.02)[0]:
            try:
                transcript += os.read(fd, 65536)
            except OSError:     # the shell is gone
                return done()
    return True

status = 0
try:
    if not wait_for(lambda: b"<mh-prompt>" in transcript):
        raise TimeoutError("no prompt")
    for n, text in enumerate(lines):
        path = os.path.join(scratch, "line.%d" % n)
        os.write(fd, text.encode() + b"\t\x18\x10")
        if not wait_for(lambda: os.path.exists(path)):
            raise TimeoutError("no line back for %r" % text)
        with open(path, "rb") as f:
            print("line " + f.read().decode(errors="replace"))
        cand = os.path.join(scratch, "cand.%d" % n)
        if os.path.exists(cand):
            with open(cand, "rb") as f:
                for c in f.read().split(b"\0")[:-1]:
                    print("cand " + c.decode(errors="replace"))
        elif mode not in ("lazy", "zsh"):
            print("not called")
    wait_for(lambda: False, 0.05)   # the last of the terminal's output
except TimeoutError as e:
    sys.stderr.write("drive.py: %s\n" % e)
    status = 2
finally:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    with open(os.path.join(scratch, "transcript"), "wb") as f:
        f.write(transcript)
sys.exit(status)
EOF
}

# complete_in MODE LINE...: run the driver in $TMP/work, which holds
# "my key file", "my other" and "sub dir/"; sets $output and $lines.
complete_in() {
	local mode=$1 file=completions/mor-hash.bash
	shift
	[ "$mode" = zsh ] && file=completions/_mor-hash
	SCRATCH=$(mktemp -d "$TMP/drive-$mode.XXXXXX")
	run --separate-stderr env -C "$TMP/work" PATH="$TMP/bin:$PATH" \
	    python3 "$TMP/drive.py" "$mode" "$PWD/$file" "$SCRATCH" "$@"
	[ "$status" -eq 0 ] || fail_with "the driver failed; terminal: $(cat "$SCRATCH/transcript" 2>/dev/null)"
	# A completion that fails says so on the terminal.
	if grep -Eq '(_mor_hash[a-z_]*|_mor-hash|_arguments|_describe|compadd)(: line [0-9]+|:[0-9]+): |bash: .*(syntax error|command not found|bad substitution|unbound variable)' \
	    "$SCRATCH/transcript"; then
		fail_with "errors on the terminal: $(cat "$SCRATCH/transcript")"
	fi
}

# The line after the TAB is exactly TEXT.
assert_line() {
	[ "${lines[0]}" = "line $1" ] || fail_with "want the line to become: $1"
}

# Among the candidates: each argument.
assert_offers() {
	local want l
	for want; do
		for l in "${lines[@]}"; do
			[ "$l" = "cand $want" ] && continue 2
		done
		fail_with "want the candidate: $want"
	done
}

# The candidates are exactly the arguments, in any order.
assert_offers_only() {
	local got want
	got=$(printf '%s\n' "${lines[@]}" | grep '^cand ' | sort)
	want=$(printf 'cand %s\n' "$@" | sort)
	[ "$got" = "$want" ] || fail_with "want exactly the candidates: $*"
}

assert_offers_nothing() {
	[ "${#lines[@]}" -eq 1 ] || fail_with "want no candidate"
}

# --- the cases of the release issue, in each bash mode ------------------------

case_sec() {
	complete_in "$1" 'mor-hash --sec'
	assert_offers_only --secret-env= --secret-file=
	assert_line 'mor-hash --secret-'
}

case_file_with_space() {
	complete_in "$1" 'mor-hash --secret-file=my\ k'
	assert_line 'mor-hash --secret-file=my\ key\ file '
	if [ "$1" = nobreak ]; then
		assert_offers_only '--secret-file=my key file'
	elif [ "$1" != lazy ]; then
		assert_offers_only 'my key file'
	fi
}

case_method_value() {
	complete_in "$1" 'mor-hash --method=user_bal'
	if [ "$1" = nobreak ]; then
		assert_offers --method=user_balance_update
	else
		assert_offers user_balance_update
	fi
	assert_line 'mor-hash --method=user_balance_'
}

# user_balance_update is "(global)" in --methods: its names come from the
# third field (u, documented but not hashed, too).
case_method_params() {
	complete_in "$1" 'mor-hash -m user_balance_update '
	assert_offers_only user_id= balance= u=
}

case_mor_version() {
	complete_in "$1" 'mor-hash --mor-version='
	if [ "$1" = nobreak ]; then
		assert_offers_only --mor-version=X3 --mor-version=X5 --mor-version=X8 --mor-version=M2 --mor-version=latest
	else
		assert_offers_only X3 X5 X8 M2 latest
	fi
}

case_after_operand() {
	complete_in "$1" 'mor-hash 123 -'
	assert_offers_nothing
	assert_line 'mor-hash 123 -'
}

@test "completion: bash: --sec offers both --secret-* options" { case_sec plain; }
@test "completion: bash: --secret-file= completes a file name with spaces whole" { case_file_with_space plain; }
@test "completion: bash: --method=user_bal offers user_balance_update" { case_method_value plain; }
@test "completion: bash: -m user_balance_update offers its NAME= words" { case_method_params plain; }
@test "completion: bash: --mor-version= offers X3 X5 X8 M2 latest" { case_mor_version plain; }
@test "completion: bash: no options after the first operand" { case_after_operand plain; }

@test "completion: bash-completion: --sec offers both --secret-* options" { need_bash_completion; case_sec bc; }
@test "completion: bash-completion: --secret-file= completes a file name with spaces whole" { need_bash_completion; case_file_with_space bc; }
@test "completion: bash-completion: --method=user_bal offers user_balance_update" { need_bash_completion; case_method_value bc; }
@test "completion: bash-completion: -m user_balance_update offers its NAME= words" { need_bash_completion; case_method_params bc; }
@test "completion: bash-completion: --mor-version= offers X3 X5 X8 M2 latest" { need_bash_completion; case_mor_version bc; }
@test "completion: bash-completion: no options after the first operand" { need_bash_completion; case_after_operand bc; }

@test "completion: bash-completion loads the file on the first TAB, from where make install puts it" {
	need_bash_completion
	complete_in lazy 'mor-hash --secret-file=my\ k'
	assert_line 'mor-hash --secret-file=my\ key\ file '
}

@test "completion: bash without = and : in COMP_WORDBREAKS" {
	case_file_with_space nobreak
	case_method_value nobreak
	case_mor_version nobreak
	case_method_params nobreak
}

# --- more bash ----------------------------------------------------------------

@test "completion: bash: - offers every option" {
	complete_in plain 'mor-hash -'
	assert_offers_only -0 -b -c -d -e -F -h -j -k -m -M -p -q -u -v -V \
	    --null --batch --check= --delimiter= --secret-env= --form --help \
	    --jobs= --secret-file= --method= --no-method --param= --quiet \
	    --url= --verbose --version --uri= --learn= --methods --methods= \
	    --mor-version=
}

@test "completion: bash: option arguments, attached or not" {
	export MOR_HASH_TEST_VAR=1
	complete_in plain 'mor-hash --meth' 'mor-hash -e MOR_HASH_TEST_' \
	    'mor-hash --secret-env=MOR_HASH_TEST_' 'mor-hash --mor-version l' \
	    'mor-hash --methods=user_balance_up' 'mor-hash -p ' 'mor-hash -j' \
	    'mor-hash -qmuser_balance_up'
	assert_offers --method= --methods --methods= MOR_HASH_TEST_VAR latest \
	    user_balance_update u= p= test= -qmuser_balance_update
	[[ $output == *'line mor-hash --secret-env=MOR_HASH_TEST_VAR '* ]] || fail_with "want --secret-env=NAME"
	[[ $output == *'line mor-hash --mor-version latest '* ]] || fail_with "want --mor-version VALUE"
	[[ $output == *'line mor-hash --methods=user_balance_update '* ]] || fail_with "want --methods=METHOD"
	[[ $output == *'line mor-hash -j '* ]] || fail_with "want -j and a space"
	[[ $output == *'line mor-hash -qmuser_balance_update '* ]] || fail_with "want -mMETHOD"
}

@test "completion: bash: key file names, quoted or not, and directories" {
	complete_in plain 'mor-hash -k my\ k' 'mor-hash -k "my o' "mor-hash --secret-file 'my k" \
	    'mor-hash -k sub' 'mor-hash --secret-f=my\ o' 'mor-hash -qkmy\ k'
	[[ $output == *'line mor-hash -k my\ key\ file '* ]] || fail_with "want -k FILE"
	[[ $output == *'line mor-hash -k "my other" '* ]] || fail_with "want -k \"FILE\""
	[[ $output == *"line mor-hash --secret-file 'my key file' "* ]] || fail_with "want --secret-file 'FILE'"
	[[ $output == *'line mor-hash -k sub\ dir/'$'\n'* ]] || fail_with "want a directory, no space"
	[[ $output == *'line mor-hash --secret-f=my\ other '* ]] || fail_with "want an abbreviated option"
	[[ $output == *'line mor-hash -qkmy\ key\ file '* ]] || fail_with "want -kFILE"
}

@test "completion: bash: parameter names follow the method, given or found" {
	complete_in plain 'mor-hash -m user_balance_update user_id=1 u=a ' \
	    'mor-hash -b -m user_balance_update us' \
	    'mor-hash --url=http://mor.example.com/billing/api/user_balance_update b' \
	    'mor-hash --url=http://mor.example.com/billing/api/user_details user_' \
	    "mor-hash --uri='http://mor.example.com/billing/api?action=user_balance_update&u=admin' b" \
	    'mor-hash -qm quickstats_get ' \
	    'mor-hash -m user_balance_update -- us'
	[[ $output == *'line mor-hash -m user_balance_update user_id=1 u=a balance='$'\n'* ]] || fail_with "want the one not given"
	[[ $output == *'line mor-hash -b -m user_balance_update user_id '* ]] || fail_with "want a bare NAME with --batch"
	[[ $output == *'line mor-hash --url=http://mor.example.com/billing/api/user_balance_update balance='$'\n'* ]] ||
	    fail_with "want the method of the --url path"
	[[ $output == *'line mor-hash --url=http://mor.example.com/billing/api/user_details user_id='$'\n'* ]] ||
	    fail_with "want the method of an alias"
	[[ $output == *"user_balance_update&u=admin' balance "* ]] || fail_with "want action= of --uri, bare"
	[[ $output == *'line mor-hash -qm quickstats_get u='$'\n'* ]] || fail_with "want NAME of NAME!=VALUE"
	[[ $output == *'line mor-hash -m user_balance_update -- user_id='$'\n'* ]] || fail_with "want NAME= after --"
}

@test "completion: bash: nothing to offer" {
	complete_in plain 'mor-hash -M ' 'mor-hash -m user_balance_update user_id=' \
	    'mor-hash -- -' 'mor-hash 123 --sec' 'mor-hash -m nonesuch ' 'mor-hash -c '
	[ "$(grep -c '^cand ' <<<"$output")" -eq 0 ] || fail_with "want no candidate"
	[[ $output == *'line mor-hash 123 --sec'$'\n'* ]] || fail_with "want no option after an operand"
}

@test "completion: bash: the table of the mor-hash named, the user's table too" {
	printf 'my_method\tfoo*,bar!=x\n' >"$TMP/methods"
	export MOR_HASH_METHODS=$TMP/methods
	rm "$TMP/bin/mor-hash"
	complete_in plain "$MOR_HASH -m my_m" "$MOR_HASH -m my_method "
	[[ $output == *"line $MOR_HASH -m my_method "* ]] || fail_with "want the user's method"
	assert_offers foo= bar=
}

# Issue 21: --methods prints "(global)" and OTHER, and "#" before a line
# no table line keeps; the names are still offered.
@test "completion: bash: NAME= of a (global) method, a commented one and a user's (global) entry" {
	[[ $'\n'$("$MOR_HASH" --methods) == *$'\nuser_balance_update\t(global)\t'* ]] ||
	    fail_with "want user_balance_update hashed by the global order"
	complete_in plain 'mor-hash -m user_balance_update user_id=1 b'
	assert_line 'mor-hash -m user_balance_update user_id=1 balance='
	export MOR_VERSION=M2
	[[ $'\n'$("$MOR_HASH" --methods) == *$'\n#user_calls_get\t(global)\t'* ]] ||
	    fail_with "want user_calls_get commented out in M2"
	complete_in plain 'mor-hash -m user_calls_get period_s' 'mor-hash -m user_calls_g'
	[[ $output == *'line mor-hash -m user_calls_get period_start='$'\n'* ]] || fail_with "want period_start="
	[[ $output == *'line mor-hash -m user_calls_get '$'\n'* ]] || fail_with "want the commented method"
	unset MOR_VERSION
	printf 'my_global\t(global)\tfoo*,bar!=x\n' >"$TMP/methods"
	export MOR_HASH_METHODS=$TMP/methods
	complete_in plain 'mor-hash -m my_global '
	assert_offers_only foo= bar=
}

# --- zsh and fish -------------------------------------------------------------

@test "completion: zsh: loads and completes --mor-version, files, methods, NAME=" {
	command -v zsh >/dev/null || skip "zsh is not installed (apt-get install zsh)"
	zsh -n completions/_mor-hash || fail_with "syntax error"
	complete_in zsh 'mor-hash --mor' 'mor-hash --mor-version=la' \
	    'mor-hash --secret-file=my\ k' 'mor-hash -m user_balance_upd' \
	    'mor-hash -m user_balance_update user_' 'mor-hash 123 -'
	[ "${lines[0]}" = 'line mor-hash --mor-version=' ] || fail_with "want --mor-version="
	[ "${lines[1]}" = 'line mor-hash --mor-version=latest ' ] || fail_with "want latest"
	[ "${lines[2]}" = 'line mor-hash --secret-file=my\ key\ file ' ] || fail_with "want the file"
	[ "${lines[3]}" = 'line mor-hash -m user_balance_update ' ] || fail_with "want the method"
	[ "${lines[4]}" = 'line mor-hash -m user_balance_update user_id=' ] || fail_with "want user_id="
	[ "${lines[5]}" = 'line mor-hash 123 -' ] || fail_with "want no option after an operand"
}

# Issue 21: "(global)", OTHER and "#" in --methods.
@test "completion: zsh: NAME= of a (global) method and a commented one" {
	command -v zsh >/dev/null || skip "zsh is not installed (apt-get install zsh)"
	complete_in zsh 'mor-hash -m user_balance_update user_id=1 b' 'mor-hash -m users_get uni'
	[ "${lines[0]}" = 'line mor-hash -m user_balance_update user_id=1 balance=' ] || fail_with "want balance="
	[ "${lines[1]}" = 'line mor-hash -m users_get uniquehash=' ] || fail_with "want OTHER's uniquehash="
	export MOR_VERSION=M2
	complete_in zsh 'mor-hash -m user_calls_get period_s' 'mor-hash -m user_calls_g'
	[ "${lines[0]}" = 'line mor-hash -m user_calls_get period_start=' ] || fail_with "want period_start="
	[ "${lines[1]}" = 'line mor-hash -m user_calls_get ' ] || fail_with "want the commented method"
}

# fish_complete LINE: fish's completions for LINE, "WORD<TAB>DESCRIPTION".
fish_complete() {
	run --separate-stderr env -C "$TMP/work" PATH="$TMP/bin:$PATH" \
	    fish --no-config -c 'source $argv[1]; and complete -C $argv[2]' \
	    "$PWD/completions/mor-hash.fish" "$1"
	[ "$status" -eq 0 ] && [ -z "$stderr" ] || fail_with "fish failed"
	output=$(cut -f1 <<<"$output")
}

@test "completion: fish: loads and completes --mor-version, files, methods, NAME=" {
	command -v fish >/dev/null || skip "fish is not installed (apt-get install fish)"
	run --separate-stderr fish --no-config -n completions/mor-hash.fish
	[ "$status" -eq 0 ] && [ -z "$stderr" ] || fail_with "syntax error"
	fish_complete 'mor-hash --mor'
	[ "$output" = --mor-version ] || fail_with "want --mor-version"
	fish_complete 'mor-hash --mor-version='
	[ "$(LC_ALL=C sort <<<"$output" | tr '\n' ' ')" = '--mor-version=M2 --mor-version=X3 --mor-version=X5 --mor-version=X8 --mor-version=latest ' ] ||
	    fail_with "want the five versions"
	fish_complete 'mor-hash --sec'
	[ "$output" = $'--secret-env\n--secret-file' ] || fail_with "want both --secret-* options"
	fish_complete 'mor-hash --secret-file=my\ k'
	[ "$output" = '--secret-file=my key file' ] || fail_with "want the file"
	fish_complete 'mor-hash --method=user_bal'
	[[ $output == *--method=user_balance_update* ]] || fail_with "want the method"
	fish_complete 'mor-hash -m user_balance_update '
	[ "$(LC_ALL=C sort <<<"$output" | tr '\n' ' ')" = 'balance= u= user_id= ' ] || fail_with "want NAME="
	fish_complete 'mor-hash 123 -'
	[ -z "$output" ] || fail_with "want no option after an operand"
}

# Issue 21: "(global)", OTHER and "#" in --methods.
@test "completion: fish: NAME= of a (global) method and a commented one; descriptions are HASHED" {
	command -v fish >/dev/null || skip "fish is not installed (apt-get install fish)"
	fish_complete 'mor-hash -m user_balance_update user_id=1 b'
	[ "$output" = balance= ] || fail_with "want balance= of the (global) method"
	run env -C "$TMP/work" PATH="$TMP/bin:$PATH" fish --no-config -c \
	    'source $argv[1]; and complete -C $argv[2]' "$PWD/completions/mor-hash.fish" 'mor-hash -m users_g'
	[ "$output" = $'users_get\tu,p' ] || fail_with "want the method, described by HASHED alone"
	export MOR_VERSION=M2
	fish_complete 'mor-hash -m user_calls_get period_s'
	[ "$output" = period_start= ] || fail_with "want period_start= of the commented method"
	fish_complete 'mor-hash -m user_calls_g'
	[ "$output" = user_calls_get ] || fail_with "want the commented method"
}
