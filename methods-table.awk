# methods-table.awk - compiles methods.tsv into the C table of built-in
# methods (methods-table.c), so that looking one up reads no file.  Every
# string is stored once in one array and rows hold offsets into it: a PIE
# binary then needs no relocation for the table at start.
# Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
BEGIN {
	FS = "\t"
	POOL_NAME = "builtin_strings"
}

function str(s) {
	return s == "-" ? 0 : pool_str(s)
}

/^#/ || $1 == "method" || NF == 0 { next }

NF != 9 {
	printf "methods.tsv:%d: %d fields, want 9\n", NR, NF > "/dev/stderr"
	failed = 1
	exit 1
}

{
	rows = rows sprintf("\t{ %d, %d, %d, %d, %d, %d, %d, %d, %d },\n",
	    str($1), str($2), str($3), str($4), str($5), str($6), str($7),
	    str($8), str($9))
	count++
}

END {
	if (failed)
		exit 1
	print "/* Generated from methods.tsv by methods-table.awk; do not edit. */"
	print "#include \"methods.h\""
	print ""
	emit_pool()
	print "const struct builtin_method builtin_methods[] = {"
	printf "%s", rows
	print "};"
	print ""
	printf "const size_t builtin_method_count = %d;\n", count
}
