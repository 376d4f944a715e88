# bash completion for mor-hash(1)

_mor_hash() {
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}

	case $prev in
	-k|--secret-file)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	-e|--secret-env)
		COMPREPLY=($(compgen -e -- "$cur"))
		return ;;
	-m|--method)
		COMPREPLY=($(compgen -W "$(mor-hash --methods 2>/dev/null | cut -f1)" -- "$cur"))
		return ;;
	-c|--check|-d|--delimiter|-p|--param|-u|--url|--uri|--learn)
		return ;;
	esac
	case $cur in
	--methods=*)
		COMPREPLY=($(compgen -P --methods= -W "$(mor-hash --methods 2>/dev/null | cut -f1)" -- "${cur#--methods=}"))
		return ;;
	-*)
		COMPREPLY=($(compgen -W '-0 -b -c -d -e -F -h -k -m -M -p -q -u -v -V
		    --null --batch --check= --delimiter= --secret-env= --form --help
		    --secret-file= --method= --no-method --param= --quiet --url=
		    --verbose --version --uri= --learn= --methods --methods=' -- "$cur"))
		[[ ${COMPREPLY[0]:-} == *= ]] && compopt -o nospace 2>/dev/null
		return ;;
	esac
}
complete -F _mor_hash mor-hash
