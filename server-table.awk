# server-table.awk - compiles MOR's server facts (versions.tsv,
# global-order-x3.tsv, global-order-x5.tsv, global-order-x8.tsv,
# lists-x8.tsv, actions.tsv) into server-table.c: every string in one array, rows as offsets into it,
# so that a PIE binary needs no relocations for the tables.
#   awk -f server-table.awk versions.tsv lists-x8.tsv actions.tsv \
#       global-order-x3.tsv ...
# Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
BEGIN {
	FS = "\t"
	POOL_NAME = "server_strings"
	rules["raw"] = "RULE_RAW"; rules["int"] = "RULE_INT"
	rules["digits"] = "RULE_DIGITS"
	rules["digits-or-all"] = "RULE_DIGITS_OR_ALL"
	rules["digits-or-nested"] = "RULE_DIGITS_OR_NESTED"
	rules["balance"] = "RULE_BALANCE"; rules["enum"] = "RULE_ENUM"
	rules["search"] = "RULE_SEARCH"; rules["line"] = "RULE_LINE"
	rules["raw-except"] = "RULE_RAW_EXCEPT"; rules["never"] = "RULE_NEVER"
	checks["filter"] = "CHECK_FILTER"; checks["inline"] = "CHECK_INLINE"
	checks["none"] = "CHECK_NONE"; checks["missing"] = "CHECK_MISSING"
	checks["hidden"] = "CHECK_HIDDEN"
	mechs["global"] = "SERVER_GLOBAL"; mechs["list"] = "SERVER_LIST"
	mechs["api-name"] = "SERVER_BY_API_NAME"; mechs["-"] = "SERVER_UNCHECKED"
}

function fail(msg) {
	printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
	failed = 1
	exit 1
}

function str(s) {
	return pool_str(s)
}

/^#/ || NF == 0 { next }

function yes(field) {
	if (field != "yes" && field != "no") fail("want yes or no: " field)
	return field == "yes" ? "true" : "false"
}

function status(field) {
	if (field == "-") return 0
	if (field !~ /^[45][0-9][0-9]$/) fail("want an HTTP status or -: " field)
	return field
}

FILENAME ~ /versions\.tsv$/ {
	if ($1 == "version") next
	versions[++version_count] = $1
	quickstats[$1] = $8 == "-" ? "" : $8
	version_row[$1] = sprintf("\"%s\", \"%s\", %s, %s, %s, %d, %d, %d",
	    $1, $2, yes($3), yes($4), yes($5), status($6), status($7),
	    str(quickstats[$1]))
	if ($9 == "yes") newest = version_count - 1
	else if ($9 != "no") fail("want yes or no: " $9)
	next
}

FILENAME ~ /lists-[a-z0-9]+\.tsv$/ {
	if ($1 == "action") next
	v = FILENAME
	sub(/.*lists-/, "", v)
	sub(/\.tsv$/, "", v)
	lists[toupper(v), $1] = $2 == "-" ? "" : $2
	next
}

FILENAME ~ /actions(-[a-z0-9]+)?\.tsv$/ {
	if ($1 == "version") next
	if (!($3 in checks) || !($4 in mechs)) fail("unknown check or mechanism")
	if ($4 == "list" && !((toupper($1), $2) in lists)) fail("no list for " $2)
	alias = $5 == "-" ? "" : $5
	alias_id = sub(/\(\/ID\)$/, "", alias)
	if (index(alias, ",") > 0) fail("one alias an action")
	v = toupper($1)
	n = action_count[v]++
	action_row[v, n] = sprintf("\t{ %d, %d, %s, %s, %s, %d },\n",
	    str($2), str(alias), alias_id ? "true" : "false", checks[$3],
	    mechs[$4], $4 == "list" ? str(lists[toupper($1), $2]) : 0)
	if ($4 == "list" && $2 == quickstats[v]) quickstats_listed[v] = 1
	next
}

FILENAME ~ /global-order-[a-z0-9]+\.tsv$/ {
	if ($1 == "position") next
	v = FILENAME
	sub(/.*global-order-/, "", v)
	sub(/\.tsv$/, "", v)
	v = toupper(v)
	if (!(v in version_row)) fail("not in versions.tsv: " v)
	if ($1 != order_count[v] + 1) fail("positions are not 1, 2, 3, ...")
	rule = $3
	arg = ""
	if (index(rule, ":") > 0) {
		arg = substr(rule, index(rule, ":") + 1)
		rule = substr(rule, 1, index(rule, ":") - 1)
	}
	if (!(rule in rules)) fail("unknown rule " rule)
	n = order_count[v]++
	order_row[v, n] = sprintf("\t{ %d, %s, %d },\n", str($2), rules[rule],
	    str(arg))
	next
}

END {
	if (failed)
		exit 1
	print "/* Generated from MOR's server facts by server-table.awk; do not edit. */"
	print "#include \"server.h\""
	print ""
	emit_pool()
	print "const struct order_entry server_order[] = {"
	for (i = 1; i <= version_count; i++)
		for (n = 0; n < order_count[versions[i]]; n++)
			printf "%s", order_row[versions[i], n]
	print "};"
	print ""
	print "const struct server_action server_actions[] = {"
	for (i = 1; i <= version_count; i++) {
		v = versions[i]
		if (!(v in action_count)) { print "no actions for " v > "/dev/stderr"; exit 1 }
		for (n = 0; n < action_count[v]; n++)
			printf "%s", action_row[v, n]
	}
	print "};"
	print ""
	print "const struct server_version server_versions[] = {"
	of = af = 0
	for (i = 1; i <= version_count; i++) {
		v = versions[i]
		if (!(v in order_count)) { print "no global order for " v > "/dev/stderr"; exit 1 }
		if (quickstats[v] != "" && !(v in quickstats_listed)) { print "quickstats: " quickstats[v] " is no list action of " v > "/dev/stderr"; exit 1 }
		printf "\t{ %s, %d, %d, %d, %d },\n", version_row[v], of,
		    order_count[v], af, action_count[v]
		of += order_count[v]
		af += action_count[v]
	}
	print "};"
	print ""
	printf "const size_t server_version_count = %d;\n", version_count
	if (newest == "") { print "no newest version" > "/dev/stderr"; exit 1 }
	printf "const size_t server_version_newest_index = %d;\n", newest
}
