# fish completion for mor-hash(1).  Installed as
# $(PREFIX)/share/fish/vendor_completions.d/mor-hash.fish.
# Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.

# Options end at the first operand, or after "--": true while the words
# before the cursor are all options and their arguments.
function __mor_hash_options_allowed
    set -l words (commandline -opc)
    set -e words[1]
    set -l expect 0
    for w in $words
        if test $expect = 1
            set expect 0
        else if test "$w" = --
            return 1
        else if string match -qr -- '^--(check|delimiter|secret-env|jobs|secret-file|method|param|url|uri|learn|mor-version)$' $w
            set expect 1
        else if string match -qr -- '^--.' $w
            # A long option, with its argument attached or none.
        else if string match -qr -- '^-[0bFhMqvV]*[cdejkmpu]$' $w
            # Letters whose last takes the next word as its argument.
            set expect 1
        else if string match -qr -- '^-.' $w
        else
            return 1
        end
    end
    return 0
end

# The method table, "METHOD<TAB>HASHED<TAB>OTHER" lines, "#" before one no
# table line keeps (or, given arguments, the output of "mor-hash ARGS"),
# from the mor-hash being completed, so that the user's own table,
# $MOR_HASH_METHODS, counts.
function __mor_hash_table
    set -l cmd (commandline -opc)[1]
    set -q argv[1]; or set argv --methods
    $cmd $argv </dev/null 2>/dev/null
end

# Method names, each described by its HASHED (fish shows the text after
# a TAB as the description); a commented-out method still takes its names.
function __mor_hash_methods
    string replace -r -- '^#?([^\t]*\t[^\t]*)\t.*' '$1' (__mor_hash_table)
end

# With a method (-m, or the last path segment of --url or --uri, or
# .../api?action=METHOD), its hashed parameters: NAME= for NAME=VALUE
# operands, bare NAME where operands name fields (--batch) or pick
# parameters (--uri); those not given yet.
function __mor_hash_operands
    set -l words (commandline -opc)
    set -e words[1]
    set -l method
    set -l url
    set -l bare 0
    set -l given
    set -l expect
    set -l optsdone 0
    for w in $words
        if test -n "$expect"
            switch $expect
                case method
                    set method $w
                case url
                    set url $w
                case uri
                    set url $w
                    set bare 1
            end
            set expect
            continue
        end
        if test $optsdone = 1; or test "$w" = -; or not string match -q -- '-*' $w
            set optsdone 1
            set -a given (string replace -r -- '=.*' '' $w)
            continue
        end
        switch $w
            case --
                set optsdone 1
            case '--method=*'
                set method (string replace -- --method= '' $w)
            case '--url=*'
                set url (string replace -- --url= '' $w)
            case '--uri=*'
                set url (string replace -- --uri= '' $w)
                set bare 1
            case --method
                set expect method
            case --url
                set expect url
            case --uri
                set expect uri
            case --batch
                set bare 1
            case --no-method '--learn*'
                return
            case '--*'
                string match -qr -- '^--(check|delimiter|secret-env|jobs|secret-file|param|mor-version)$' $w
                and set expect other
            case '-*'
                # Letters: the first that takes an argument takes the
                # rest of the word, or else the next word.
                set -l m (string match -r -- '^-[0bFhMqvV]*' $w)
                string match -q -- '*M*' $m; and return
                string match -q -- '*b*' $m; and set bare 1
                set -l rest (string sub -s (math (string length -- $m) + 1) -- $w)
                if test -n "$rest"
                    set -l letter (string sub -l 1 -- $rest)
                    set -l arg (string sub -s 2 -- $rest)
                    if test -z "$arg"
                        switch $letter
                            case m
                                set expect method
                            case u
                                set expect url
                            case '*'
                                set expect other
                        end
                    else if test $letter = m
                        set method $arg
                    else if test $letter = u
                        set url $arg
                    end
                end
        end
    end
    if test -z "$method"; and test -n "$url"
        set -l path (string replace -r -- '[?#].*' '' $url)
        set method (string replace -r -- '.*/' '' (string replace -r -- '/$' '' $path))
        if test "$method" = api
            set method (string match -r -- '[?&]action=([^&#]*)' $url)[2]
        end
    end
    test -n "$method"; or return
    set -l table (string replace -r -- '^#' '' (__mor_hash_table))
    set -l entry (string match -- "$method	*" $table)
    if test -z "$entry"
        # An alias (user_details, say) is listed only under its method,
        # which "--methods=ALIAS" names on its first line, "method: NAME".
        set -l first (__mor_hash_table --methods=$method)[1]
        string match -q -- 'method:*' $first; or return
        set method (string trim -- (string replace -- method: '' $first))
        set entry (string match -- "$method	*" $table)
    end
    test -n "$entry"; or return
    # HASHED and OTHER: "-", "(global)" or NAME[*][!=VALUE],...
    for p in (string split -- , (string split -- \t $entry)[2..3])
        set p (string replace -r -- '!=.*' '' $p)
        set p (string replace -r -- '\*$' '' $p)
        contains -- $p - '(global)' $given; and continue
        if test $bare = 1
            echo $p
        else
            echo $p=
        end
    end
end

complete -c mor-hash -f

# Options, only where options may stand.
set -l opts -n __mor_hash_options_allowed
complete -c mor-hash $opts -s 0 -l null -d 'Values and records end with NUL, not LF'
complete -c mor-hash $opts -s b -l batch -d 'Read records, print one hash or request each'
complete -c mor-hash $opts -s c -l check -x -d 'Compare with HASH: print OK or FAILED'
complete -c mor-hash $opts -s d -l delimiter -x -d 'Separate the fields of --batch records with CHAR'
complete -c mor-hash $opts -s e -l secret-env -x -a '(set -nx)' -d 'Take the key from environment variable NAME'
complete -c mor-hash $opts -s F -l form -d 'Print the POST body'
complete -c mor-hash $opts -s h -l help -d 'Print a summary of usage'
complete -c mor-hash $opts -s j -l jobs -x -d 'Run N jobs for --batch and --learn'
complete -c mor-hash $opts -s k -l secret-file -r -F -d 'Take the key from the first line of FILE'
complete -c mor-hash $opts -s m -l method -x -a '(__mor_hash_methods)' -d 'Hash in the order of METHOD'
complete -c mor-hash $opts -s M -l no-method -d 'Ignore the method table'
complete -c mor-hash $opts -s p -l param -x -a 'u= p= test=' -d 'Also send NAME=VALUE, first and not hashed'
complete -c mor-hash $opts -s q -l quiet -d 'Print no verdict, status only'
complete -c mor-hash $opts -s u -l url -x -d 'Print the request URL with its hash'
complete -c mor-hash $opts -s v -l verbose -d 'Show on stderr what is hashed'
complete -c mor-hash $opts -s V -l version -d 'Print the version'
complete -c mor-hash $opts -l uri -x -d 'Check the hash of URI, or add it'
complete -c mor-hash $opts -l learn -x -d 'Find the hash orders that give the hash of URI'
# The argument is optional, so only attached: --methods=METHOD.
complete -c mor-hash $opts -l methods -f -d 'List the methods, or show one in full'
complete -c mor-hash -n '__mor_hash_options_allowed; and string match -q -- "--methods=*" (commandline -ct)' \
    -a '(string replace -r -- "^" "--methods=" (__mor_hash_methods))'
complete -c mor-hash $opts -l mor-version -x -a 'X3 X5 X8 M2 latest' -d 'The MOR version of the server'

# Operands.
complete -c mor-hash -n 'not __mor_hash_options_allowed; or not string match -q -- "-*" (commandline -ct)' \
    -a '(__mor_hash_operands)'
