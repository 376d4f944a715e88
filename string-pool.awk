# string-pool.awk - what methods-table.awk and server-table.awk share:
# every string of a table stored once, in one array, and referred to by
# its offset, so that a PIE binary needs no relocation for the table.
# Run before the table's own script: awk -f string-pool.awk -f ...; that
# script sets POOL_NAME and calls pool_str and, at its end, emit_pool.
# Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
BEGIN {
	pool_len = 1		# offset 0 is ""
	for (i = 1; i < 256; i++)
		ord[sprintf("%c", i)] = i
}

# The offset of s in the pool, added at its first use.
function pool_str(s) {
	if (s == "")
		return 0
	if (!(s in offset)) {
		offset[s] = pool_len
		pool_len += length(s) + 1
		pool[++pool_count] = s
	}
	return offset[s]
}

# The strings as byte values: a string literal this long is more than
# ISO C requires a compiler to take.
function emit_pool(    i, j, n, col) {
	printf "const char %s[] = {\n\t0,", POOL_NAME
	col = 1
	for (i = 1; i <= pool_count; i++) {
		n = length(pool[i])
		for (j = 1; j <= n + 1; j++) {
			if (col++ % 16 == 0)
				printf "\n\t"
			printf "%d,", j <= n ? ord[substr(pool[i], j, 1)] : 0
		}
	}
	print "\n};\n"
}
