# methods-table.awk - compiles methods.tsv into the C table of built-in
# methods (methods-table.c), so that looking one up reads no file.
BEGIN {
	FS = "\t"
	print "/* Generated from methods.tsv by methods-table.awk; do not edit. */"
	print "#include \"methods.h\""
	print ""
	print "const struct method builtin_methods[] = {"
}

function c_string(s) {
	gsub(/\\/, "\\\\", s)
	gsub(/"/, "\\\"", s)
	return "\"" s "\""
}

function list(s) {
	return c_string(s == "-" ? "" : s)
}

/^#/ || $1 == "method" || NF == 0 { next }

NF != 9 {
	printf "methods.tsv:%d: %d fields, want 9\n", NR, NF > "/dev/stderr"
	failed = 1
	exit 1
}

{
	printf "\t{ %s, %s, %s, %s,\n\t    %s, %s, %s,\n\t    %s,\n\t    %s, 0 },\n",
	    c_string($1), list($2), list($3), list($4),
	    c_string($5), c_string($6), c_string($7), c_string($8),
	    c_string($9 == "-" ? "" : $9)
	count++
}

END {
	if (failed)
		exit 1
	print "};"
	print ""
	printf "const size_t builtin_method_count = %d;\n", count
}
