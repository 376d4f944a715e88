# bash completion for mor-hash(1)                           -*- shell-script -*-
# shellcheck shell=bash disable=SC1003  # '\' below is a backslash, no quote escape
#
# Installed as $(PREFIX)/share/bash-completion/completions/mor-hash, where
# the bash-completion package loads it on first use; it can also be sourced
# by hand (from ~/.bashrc).  It needs nothing from bash-completion: the
# words are split here, from COMP_LINE and COMP_POINT, so that it behaves
# the same with and without that package.
#
# Why not COMP_WORDS: bash splits COMP_WORDS at every COMP_WORDBREAKS
# character, and '=' and ':' are among them, so "--secret-file=my\ key"
# arrives as three words ("--secret-file", "=", "my\ key"), still quoted.
# Here each word is taken whole and dequoted, as mor-hash will see it.
# Readline, though, replaces only the text after the last break character
# before the cursor (or after an unclosed quote), so that much of the word
# is cut from the front of every candidate.  This works whatever
# COMP_WORDBREAKS holds.
# Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.

# The option set.  Letters that take an argument, letters that do not;
# long names ending in "=" take an argument, in "=?" an optional one
# (attached only, as getopt_long requires).
_mor_hash_short_arg=cdejkmpu
_mor_hash_short_flag=0bFhMqvV
_mor_hash_long='null batch check= delimiter= secret-env= form help jobs=
	secret-file= method= no-method param= quiet url= verbose version uri=
	learn= methods=? mor-version='

# _mor_hash_split LINE: split LINE, the command line up to the cursor, into
# shell words.  Sets _mh_words (dequoted) and _mh_rl, the length of the
# (dequoted) part of the last word that readline keeps.
_mor_hash_split() {
	local line=$1 n=${#1} i=0 c q='' word='' inword='' rl=0
	local brk=${COMP_WORDBREAKS-$' \t\n"\'><=;|&(:'}
	_mh_words=()
	while ((i < n)); do
		c=${line:i:1}
		((i++))
		if [[ $q == "'" ]]; then
			# Inside '...' every character is itself.
			if [[ $c == "'" ]]; then q=; else word+=$c; fi
		elif [[ $q == '"' ]]; then
			# Inside "..." a backslash quotes only $ ` " \ and newline.
			if [[ $c == '"' ]]; then
				q=
			elif [[ $c == '\' && $i -lt $n && ${line:i:1} == [\$\`\"\\$'\n'] ]]; then
				[[ ${line:i:1} != $'\n' ]] && word+=${line:i:1}
				((i++))
			else
				word+=$c
			fi
		elif [[ $c == [$' \t\n'] ]]; then
			# Unquoted blanks end a word.
			[[ $inword ]] && _mh_words+=("$word")
			word='' inword='' rl=0
		else
			inword=1
			case $c in
			[\'\"])
				# If the quote is still open at the cursor, readline's
				# word starts after it.
				q=$c rl=${#word} ;;
			\\)
				if ((i < n)); then
					[[ ${line:i:1} != $'\n' ]] && word+=${line:i:1}
					((i++))
				fi ;;
			*)
				word+=$c
				# An unquoted break character: readline's word
				# starts after it.
				[[ $brk == *"$c"* ]] && rl=${#word} ;;
			esac
		fi
	done
	# The word being completed, empty when the cursor follows a blank.
	_mh_words+=("$word")
	_mh_rl=$rl
}

# _mor_hash_long_name NAME: the long option (without "--") that NAME is,
# or abbreviates, as getopt_long accepts any unambiguous prefix; sets
# _mh_long to it with its "=" or "=?", or to nothing.
_mor_hash_long_name() {
	local o
	local -a found=()
	_mh_long=
	for o in $_mor_hash_long; do
		if [[ ${o%%=*} == "$1" ]]; then
			_mh_long=$o
			return
		fi
		[[ ${o%%=*} == "$1"* ]] && found+=("$o")
	done
	((${#found[@]} == 1)) && _mh_long=${found[0]}
}

# The method table, "METHOD<TAB>HASHED<TAB>OTHER" lines (or, given an
# argument, the output of "mor-hash ARG"), from the mor-hash being
# completed, so that the user's own table, $MOR_HASH_METHODS, counts.  A
# shell function of that name (a wrapper) is called too.
_mor_hash_methods() {
	local cmd=${_mh_words[0]}
	# The word as typed: a leading ~/ is not expanded yet.
	# shellcheck disable=SC2088
	[[ $cmd == '~/'* ]] && cmd=$HOME/${cmd#'~/'}
	"$cmd" "${1:---methods}" </dev/null 2>/dev/null
}

# The table with the "#" taken off lines no table line can keep: their
# methods still take these names.
_mor_hash_table() {
	local table
	table=$(_mor_hash_methods)
	table=${table//$'\n#'/$'\n'}
	printf '%s\n' "${table#\#}"
}

# _mor_hash_params METHOD: METHOD's parameter names, one a line.  The
# table's HASHED is "-", "(global)" or NAME[*][!=VALUE],... ("*":
# required); OTHER is "-" or a list the same.
_mor_hash_params() {
	local name hashed other p table
	local -a list
	table=$(_mor_hash_table)
	if [[ $'\n'$table != *$'\n'"$1"$'\t'* ]]; then
		# Not a method's own name: an alias (user_details, say) is
		# listed only under its method, which "--methods=ALIAS" names
		# on its first line, "method: NAME".
		read -r p name < <(_mor_hash_methods "--methods=$1")
		[[ $p == method: ]] || return
		set -- "$name"
	fi
	while IFS=$'\t' read -r name hashed other; do
		[[ $name == "$1" ]] || continue
		IFS=, read -r -a list <<<"$hashed,$other"
		for p in "${list[@]}"; do
			p=${p%%!=*}
			p=${p%\*}
			[[ -z $p || $p == - || $p == '(global)' ]] ||
			    printf '%s\n' "$p"
		done
		return
	done <<<"$table"
}

# _mor_hash_reply PREFIX CANDIDATE...: add to COMPREPLY each PREFIX+CANDIDATE
# that starts with the word being completed, less the part readline keeps.
_mor_hash_reply() {
	local prefix=$1 c
	shift
	for c; do
		c=$prefix$c
		[[ $c == "$_mh_cur"* ]] && COMPREPLY+=("${c:_mh_rl}")
	done
}

# No space after a candidate that ends in "=": its value follows.
_mor_hash_nospace() {
	local c
	for c in "${COMPREPLY[@]}"; do
		if [[ $c == *= ]]; then
			compopt -o nospace 2>/dev/null
			return
		fi
	done
}

# _mor_hash_value OPTION PREFIX VALUE: complete the argument of OPTION (a
# letter or a long name), written as PREFIX (e.g. "--method=") + VALUE.
_mor_hash_value() {
	local -a list=()
	case $1 in
	k | secret-file)
		# File names, one a line so that spaces do not split them (not
		# word-split, nor globbed); "filenames" makes readline quote
		# them as it inserts them and mark directories with a slash.
		mapfile -t list < <(compgen -f -- "$3")
		compopt -o filenames 2>/dev/null ;;
	e | secret-env)
		mapfile -t list < <(compgen -e -- "$3") ;;
	m | method | methods)
		mapfile -t list < <(_mor_hash_table | cut -f1) ;;
	mor-version)
		list=(X3 X5 X8 M2 latest) ;;
	p | param)
		# The parameters sent with most calls and never hashed.
		list=(u= p= test=) ;;
	esac
	# HASH, CHAR, N, URL, URI: nothing to offer.
	_mor_hash_reply "$2" "${list[@]}"
	_mor_hash_nospace
}

_mor_hash() {
	local line i w c opt cur
	local method='' nomethod='' batch='' uri='' url='' learn='' expect='' optsdone=''
	local -a given=() list=()
	COMPREPLY=()

	if [[ ${COMP_LINE+set} ]]; then
		line=${COMP_LINE:0:COMP_POINT}
	else
		# Called without a command line (compgen -F): COMP_WORDS only.
		line="${COMP_WORDS[*]:0:COMP_CWORD+1}"
	fi
	_mor_hash_split "$line"
	# Older bashes leave assignments before the command in COMP_LINE.
	while ((${#_mh_words[@]} > 1)) && [[ ${_mh_words[0]} =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; do
		_mh_words=("${_mh_words[@]:1}")
	done
	_mh_cur=${_mh_words[${#_mh_words[@]} - 1]}
	cur=$_mh_cur

	# Walk the words before the cursor as mor-hash parses them, to learn
	# the mode and whether options have ended: they do at the first
	# operand, or after "--".
	for ((i = 1; i < ${#_mh_words[@]} - 1; i++)); do
		w=${_mh_words[i]}
		opt=
		if [[ $expect ]]; then
			# The argument of the option before.
			opt=$expect
			expect=
		elif [[ $optsdone || $w == - || $w != -* ]]; then
			optsdone=1
			given+=("${w%%=*}")
			continue
		elif [[ $w == -- ]]; then
			optsdone=1
			continue
		elif [[ $w == --* ]]; then
			c=${w%%=*}
			_mor_hash_long_name "${c:2}"
			opt=${_mh_long%%=*}
			if [[ $w == *=* ]]; then
				w=${w#*=}
			elif [[ $_mh_long == *= ]]; then
				# A required argument not attached: the next word.
				expect=$opt
				continue
			else
				w=
			fi
		else
			# A cluster of letters: the first that takes an argument
			# takes the rest of the word, or else the next word.
			for ((c = 1; c < ${#w}; c++)); do
				opt=${w:c:1}
				if [[ $_mor_hash_short_arg == *"$opt"* ]]; then
					((c + 1 < ${#w})) || expect=$opt
					w=${w:c+1}
					break
				fi
				[[ $opt == M ]] && nomethod=1
				[[ $opt == b ]] && batch=1
			done
			[[ $expect ]] && continue
		fi
		# What the option (with its argument w, if any) tells.
		case $opt in
		m | method) method=$w nomethod= ;;
		M | no-method) nomethod=1 ;;
		b | batch) batch=1 ;;
		u | url) url=$w ;;
		uri) uri=1 url=$w ;;
		learn) learn=1 ;;
		esac
	done

	# The argument of the option before the cursor.
	if [[ $expect ]]; then
		_mor_hash_value "$expect" "" "$cur"
		return 0
	fi

	# An option, or an option with its argument attached.
	if [[ ! $optsdone && $cur == -* ]]; then
		case $cur in
		-)
			# Every option, short and long.
			for ((c = 0; c < ${#_mor_hash_short_flag}; c++)); do
				list+=("-${_mor_hash_short_flag:c:1}")
			done
			for ((c = 0; c < ${#_mor_hash_short_arg}; c++)); do
				list+=("-${_mor_hash_short_arg:c:1}")
			done
			for w in $_mor_hash_long; do
				[[ $w == *=\? ]] && list+=("--${w%=\?}")
				list+=("--${w%\?}")
			done
			_mor_hash_reply "" "${list[@]}" ;;
		--*=*)
			w=${cur%%=*}
			_mor_hash_long_name "${w:2}"
			[[ $_mh_long == *=* ]] &&
			    _mor_hash_value "${_mh_long%%=*}" "$w=" "${cur#*=}" ;;
		--*)
			# "--methods" stands alone or takes "=METHOD".
			for w in $_mor_hash_long; do
				[[ $w == *=\? ]] && list+=("--${w%=\?}")
				list+=("--${w%\?}")
			done
			_mor_hash_reply "" "${list[@]}" ;;
		-?)
			# One letter: the option itself, so that TAB adds a space.
			[[ $_mor_hash_short_arg$_mor_hash_short_flag == *"${cur:1}"* ]] &&
			    COMPREPLY=("${cur:_mh_rl}") ;;
		*)
			# -kFILE, -mMETHOD: an argument attached to its letter.
			for ((c = 1; c < ${#cur}; c++)); do
				opt=${cur:c:1}
				if [[ $_mor_hash_short_arg == *"$opt"* ]]; then
					_mor_hash_value "$opt" "${cur:0:c+1}" "${cur:c+1}"
					break
				fi
			done ;;
		esac
		_mor_hash_nospace
		return 0
	fi

	# An operand.  With a method (-m, or the last path segment of --url
	# or --uri, or .../api?action=METHOD), offer its hashed parameters:
	# NAME= for NAME=VALUE operands, bare NAME where operands name fields
	# (--batch) or pick parameters (--uri); those not given yet, and no
	# values.  --learn takes no operands, -M no method.
	[[ $nomethod || $learn || $cur == *=* ]] && return 0
	if [[ ! $method && $url ]]; then
		w=${url%%[?#]*}
		w=${w%/}
		method=${w##*/}
		if [[ $method == api && $url =~ [?\&]action=([^\&#]*) ]]; then
			method=${BASH_REMATCH[1]}
		fi
	fi
	[[ $method ]] || return 0
	while IFS= read -r w; do
		for c in "${given[@]}"; do
			[[ $c == "$w" ]] && continue 2
		done
		if [[ $batch || $uri ]]; then list+=("$w"); else list+=("$w="); fi
	done < <(_mor_hash_params "$method")
	_mor_hash_reply "" "${list[@]}"
	_mor_hash_nospace
	return 0
}

complete -F _mor_hash mor-hash
