#!/usr/bin/env bats
# --batch: one hash, URL or body per input record, checked against a
# reference computed by Python's hashlib.
# Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.

load helper

# Generates records in tests' TMP: input file, expected output file.
#   batch_reference MODE  (lf, crlf, nul, comma)
batch_reference() {
	python3 - "$1" "$TMP/in" "$TMP/want" "$KEY" <<'EOF'
import hashlib, random, sys
mode, in_path, want_path, key = sys.argv[1:]
rng = random.Random(7)
alphabet = "abc 123%&=+\"'\\é€" + ("\n\r" if mode == "nul" else "") + ("\t" if mode == "comma" else "")
sep = {"lf": "\t", "crlf": "\t", "nul": "\t", "comma": ","}[mode]
end = {"lf": "\n", "crlf": "\r\n", "nul": "\0", "comma": "\n"}[mode]
records = [[]] + [["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 9)))
                   for _ in range(rng.randrange(0, 5))] for _ in range(2000)]
records += [["123", "1252454580", "answered"], [""], ["", ""]]
with open(in_path, "wb") as f:
    f.write("".join(sep.join(r) + end for r in records).encode())
    f.write("last\tno\tterminator".replace("\t", sep).encode())
records.append(["last", "no", "terminator"])
with open(want_path, "w") as f:
    for r in records:
        f.write(hashlib.sha1(("".join(r) + key).encode()).hexdigest() + "\n")
EOF
}

@test "batch: LF records equal the reference, empty records included" {
	export MOR_API_SECRET=$KEY
	batch_reference lf
	run --separate-stderr mh -b <"$TMP/in"
	assert_status 0
	[ "$output" = "$(cat "$TMP/want")" ] || fail_with "differs from reference"
	[ "${#lines[@]}" -eq 2005 ]
}

@test "batch: CRLF records equal the reference" {
	export MOR_API_SECRET=$KEY
	batch_reference crlf
	run mh --batch <"$TMP/in"
	[ "$output" = "$(cat "$TMP/want")" ] || fail_with "differs from reference"
}

@test "batch: NUL-ended records with -0 keep CR and LF in fields" {
	export MOR_API_SECRET=$KEY
	batch_reference nul
	run mh -b -0 <"$TMP/in"
	[ "$output" = "$(cat "$TMP/want")" ] || fail_with "differs from reference"
}

@test "batch: -d changes the field separator; TAB is then data" {
	export MOR_API_SECRET=$KEY
	batch_reference comma
	run mh -b -d , <"$TMP/in"
	[ "$output" = "$(cat "$TMP/want")" ] || fail_with "differs from reference"
}

@test "batch: every length around SHA-1's one-block edge, short and long keys" {
	# Values and key up to 55 bytes are padded in one block by mor-hash
	# itself; longer ones go through SHA1_Update.  Fields are copied a
	# word at a time: delimiters at every offset, runs of them, none.
	python3 - "$TMP" <<'EOF'
import hashlib, random, sys
rng = random.Random(55)
for klen in (1, 15, 40, 47, 48, 54, 55, 56, 63, 64, 65, 100):
    key = "".join(rng.choice("kK9 ") for _ in range(klen))
    recs = []
    for n in range(0, 90):
        for _ in range(3):
            recs.append("".join(rng.choice("ab\t\t") for _ in range(n)))
    recs += ["\t" * 20, "x" * 8 + "\t" + "y" * 8]
    with open("%s/in-%d" % (sys.argv[1], klen), "w") as f:
        f.write("".join(r + "\n" for r in recs))
    with open("%s/key-%d" % (sys.argv[1], klen), "w") as f:
        f.write(key + "\n")
    with open("%s/want-%d" % (sys.argv[1], klen), "w") as f:
        for r in recs:
            f.write(hashlib.sha1((r.replace("\t", "") + key).encode())
                    .hexdigest() + "\n")
EOF
	for k in 1 15 40 47 48 54 55 56 63 64 65 100; do
		mh -k "$TMP/key-$k" -b -j 1 <"$TMP/in-$k" >"$TMP/got" ||
			fail_with "key of $k bytes: exit $?"
		cmp -s "$TMP/got" "$TMP/want-$k" ||
			fail_with "key of $k bytes: differs from hashlib"
	done
}

@test "batch: the MOR example, and no input gives no output" {
	export MOR_API_SECRET=$KEY
	run mh -b < <(printf '123\t1252454580\tanswered\n')
	assert_stdout "$SEED_HASH"
	run --separate-stderr mh -b </dev/null
	assert_status 0
	assert_stdout ""
}

@test "batch: --url gives one URL per record, as the reference builds them" {
	export MOR_API_SECRET=$KEY
	printf '1\tx y\r\n22\t\n333\t%%&=\n' >"$TMP/in"
	run --separate-stderr mh -b -M --url http://h/billing/api/x -p u=admin id name <"$TMP/in"
	assert_status 0
	python3 - "$KEY" "$output" <<'EOF'
import hashlib, sys, urllib.parse
key, got = sys.argv[1], sys.argv[2].split("\n")
rows = [("1", "x y"), ("22", ""), ("333", "%&=")]
want = ["http://h/billing/api/x?u=admin&id=%s&name=%s&hash=%s" % (
            urllib.parse.quote(i, safe=""), urllib.parse.quote(n, safe=""),
            hashlib.sha1((i + n + key).encode()).hexdigest()) for i, n in rows]
assert got == want, (got, want)
EOF
}

@test "batch: the issue's user_details example, one URL per user" {
	export MOR_API_SECRET=456789
	run --separate-stderr mh --batch --url http://mor.example.com/billing/api/user_details -p u=admin user_id < <(printf '123\n')
	assert_stdout 'http://mor.example.com/billing/api/user_details?u=admin&user_id=123&hash=f7c3bc1d808e04732adf679965ccc34ca7ae3441'
}

@test "batch: with -m the operands name fields and the table orders the hash" {
	export MOR_API_SECRET=456789
	run --separate-stderr mh -b -m user_balance_update balance user_id < <(printf '100\t123\n5\t7\n')
	assert_status 0
	[ "${lines[0]}" = b1bef44691c237b574263e09b2838ad1e658e507 ]
	[ "${lines[1]}" = "$(reference 7 5 456789)" ]
}

@test "batch: --form with a method prints one body per record" {
	export MOR_API_SECRET=456789
	run --separate-stderr mh -b -F -m user_balance_update -p u=admin user_id balance < <(printf '123\t100\n')
	assert_stdout 'u=admin&user_id=123&balance=100&hash=b1bef44691c237b574263e09b2838ad1e658e507'
}

@test "batch: a record with too many fields stops with its line number" {
	export MOR_API_SECRET=$KEY
	run --separate-stderr mh -b -m user_balance_update balance user_id < <(printf '1\t2\n1\t2\t3\n')
	assert_status 2
	[ "${#lines[@]}" -eq 1 ]
	[ "$stderr" = "mor-hash: line 2: 3 fields, want 2 (one for each NAME operand)" ]
}

@test "batch: peak memory stays under 8 MiB for 20 MB of records" {
	instrumented && skip "valgrind and sanitizers add their own memory"
	export MOR_API_SECRET=$KEY
	run bash -c 'yes "123	1252454580	answered" | head -c 20000000 |
	    /usr/bin/time -f %M -o "$1" "$0" -b | tail -1' "$MOR_HASH" "$TMP/peak"
	[ "$(cat "$TMP/peak")" -lt 8192 ] || fail_with "peak $(cat "$TMP/peak") KiB"
}

@test "batch: output is byte-identical for -j 1, 2 and 7, across chunk boundaries" {
	export MOR_API_SECRET=$KEY
	# 2 MiB of short records and some long ones: several chunks per thread.
	python3 -c 'import sys
w = sys.stdout.write
for i in range(120000):
    w("%d\t%s\tx\n" % (i, "v" * (i % 13)))
    if i % 9999 == 0:
        w("long" * 3000 + "\n")
w("tail-without-newline")' >"$TMP/in"
	mh -b -j 1 <"$TMP/in" >"$TMP/j1"
	[ "$(wc -l <"$TMP/j1")" -eq 120014 ]
	python3 -c 'import hashlib, sys
key = sys.argv[2].encode()
for line in open(sys.argv[1], "rb").read().split(b"\n"):
    print(hashlib.sha1(line.replace(b"\t", b"") + key).hexdigest())' "$TMP/in" "$KEY" >"$TMP/want"
	cmp "$TMP/j1" "$TMP/want"
	mh -b -j 2 <"$TMP/in" | cmp - "$TMP/j1"
	mh -b -j 7 <"$TMP/in" | cmp - "$TMP/j1"
}

@test "batch: -j with a record longer than a chunk streams it and keeps the order" {
	export MOR_API_SECRET=$KEY
	{ seq 1000; head -c 1100000 /dev/zero | tr '\0' a; echo; seq 5; } >"$TMP/in"
	mh -b -j 2 <"$TMP/in" >"$TMP/got"
	python3 -c 'import hashlib, sys
key = sys.argv[2].encode()
for line in open(sys.argv[1], "rb").read().split(b"\n")[:-1]:
    print(hashlib.sha1(line + key).hexdigest())' "$TMP/in" "$KEY" | cmp - "$TMP/got"
}

@test "batch: --jobs out of range is refused" {
	run --separate-stderr mh -b -j 0
	assert_error 2 "--jobs wants a number of threads from 1 to 64, not '0'"
	run --separate-stderr mh -j 2 123
	assert_error 2 '--jobs is meaningful only with --batch or --learn'
}

@test "learn: the same lines whatever -j" {
	export MOR_API_SECRET=k
	local q="" i
	for i in 0 1 2 3 4 5 6; do q+="p$i=v$((i % 3))&"; done
	local uri="http://h/billing/api/seven?${q}hash=$(reference v0 v1 v0 k)"
	run --separate-stderr mh -j 1 --learn "$uri"
	local one=$output
	[ -n "$one" ]
	run --separate-stderr mh -j 2 --learn "$uri"
	[ "$output" = "$one" ]
	run --separate-stderr mh -j 5 --learn "$uri"
	[ "$output" = "$one" ]
}

@test "learn: orders of one, two and more blocks, and past a block of prefix, whatever -j" {
	# Candidates are hashed 16 at a time, a lane each, in one or two
	# blocks or through SHA1_Update; below a prefix of 64 bytes or more,
	# from forked states.  Each lane keeps its candidate's order.
	export MOR_API_SECRET=k
	local a b c d order j
	a=$(printf 'a%.0s' {1..30}) b=$(printf 'b%.0s' {1..30})
	c=$(printf 'c%.0s' {1..50}) d=$(printf 'd%.0s' {1..70})
	local q="p0=$a&p1=$b&p2=$c&p3=$d&p4=e&"
	for order in "p4,p0 e $a" "p2,p0,p4,p1 $c $a e $b" "p0,p1,p2 $a $b $c" \
	    "p3,p2 $d $c" "p1,p3,p4 $b $d e"; do
		set -- $order
		local names=$1
		shift
		for j in 1 2 5; do
			run --separate-stderr mh -j "$j" --learn \
			    "http://h/billing/api/blocks?${q}hash=$(reference "$@" k)"
			assert_status 0
			assert_stdout "blocks	$names"
		done
	done
}

@test "batch: ^C while it waits for input ends it at once, status 130" {
	export MOR_API_SECRET=$KEY
	py_mh <<'PY'
import os, signal, subprocess, sys, time
from mh_run import COMMAND, WRAPPED
# SIGINT's default action, inherited, whatever the caller's (nohup, a
# background job ignore it).
signal.signal(signal.SIGINT, signal.SIG_DFL)
for jobs in ("1", "2"):
    r, w = os.pipe()
    os.write(w, b"123\n")      # one record, then the writer stays open
    proc = subprocess.Popen(COMMAND + ["-b", "-j", jobs], stdin=r,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    os.close(r)
    time.sleep(3 if WRAPPED else 0.5)
    proc.send_signal(signal.SIGINT)
    try:
        status = proc.wait(timeout=20 if WRAPPED else 5)
    except subprocess.TimeoutExpired:
        proc.kill()
        sys.exit("-j %s: still waiting for input after ^C" % jobs)
    os.close(w)
    err = proc.stderr.read()
    if status != 130 or err:
        sys.exit("-j %s: want 130 and no message, got %d and %r"
                 % (jobs, status, err))
PY
}

@test "batch: a SIGINT the caller ignored and blocked stays ignored (Linux keeps it pending)" {
	export MOR_API_SECRET=$KEY
	py_mh "$SEED_HASH" <<'PY'
import os, signal, subprocess, sys, time
seed = sys.argv[1]
from mh_run import COMMAND, WRAPPED
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
record = b"123\t1252454580\tanswered\n"
for jobs in ("1", "2"):
    r, w = os.pipe()
    os.write(w, record)
    proc = subprocess.Popen(COMMAND + ["-b", "-j", jobs], stdin=r,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.close(r)
    time.sleep(3 if WRAPPED else 0.5)
    proc.send_signal(signal.SIGINT)
    time.sleep(1 if WRAPPED else 0.2)
    os.write(w, record)
    os.close(w)
    out, err = proc.communicate(timeout=30)
    if proc.returncode != 0 or err or out != (seed + "\n").encode() * 2:
        sys.exit("-j %s: want status 0 and two hashes, got %d, %r, %r"
                 % (jobs, proc.returncode, out, err))
PY
}

@test "batch: -j 2 with over FD_SETSIZE descriptors inherited runs (one worker; FD_SET would abort)" {
	export MOR_API_SECRET=$KEY
	py_mh "$SEED_HASH" <<'PY'
import os, resource, subprocess, sys
seed = sys.argv[1]
from mh_run import COMMAND, WRAPPED
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
want = 1200
if hard != resource.RLIM_INFINITY and hard < want + 64:
    print("skip: a hard limit of %d descriptors" % hard)
    sys.exit(0)
resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, want + 64), hard))
held = [os.open("/dev/null", os.O_RDONLY) for _ in range(want)]
for fd in held:
    os.set_inheritable(fd, True)
r, w = os.pipe()
proc = subprocess.Popen(COMMAND + ["-b", "-j", "2"], stdin=r,
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                        close_fds=False)
os.close(r)
os.write(w, b"123\t1252454580\tanswered\n" * 3)
os.close(w)
out, err = proc.communicate(timeout=60)
if proc.returncode != 0 or err or out != (seed + "\n").encode() * 3:
    sys.exit("want status 0 and three hashes, got %d, %r, %r"
             % (proc.returncode, out[:200], err[:300]))
PY
}

@test "batch: a closed pipe stops every worker first: status 2, no message" {
	export MOR_API_SECRET=$KEY
	# Long records keep the other workers hashing with the key while the
	# first write fails; under make tsan a race there fails this test.
	python3 -c 'import sys
sys.stdout.write(("a\tb" * 3000 + "\n") * 3000)' >"$TMP/in"
	run --separate-stderr bash -c '"$0" -b -j 8 <"$1" | head -c 1 >/dev/null
	    exit "${PIPESTATUS[0]}"' "$MOR_HASH" "$TMP/in"
	assert_status 2
	[ -z "$stderr" ] || fail_with "stderr: $stderr"
}

@test "batch: each record is hashed as it comes, not when the input ends" {
	export MOR_API_SECRET=$KEY
	py_mh "$SEED_HASH" <<'PY'
import os, select, subprocess, sys
want = sys.argv[1]
from mh_run import COMMAND, WRAPPED
for jobs in ("1", "2"):
    proc = subprocess.Popen(COMMAND + ["-b", "-j", jobs],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    got = b""
    for record in (b"123\t1252454580\tanswered\n", b"x\n"):
        proc.stdin.write(record)
        proc.stdin.flush()     # and the input stays open
        while not got.endswith(b"\n"):
            ready, _, _ = select.select([proc.stdout], [], [],
                                        30 if WRAPPED else 5)
            if not ready:
                proc.kill()
                sys.exit("-j %s: no hash for %r while the input is open"
                         % (jobs, record))
            got += os.read(proc.stdout.fileno(), 4096)
        if record.startswith(b"123") and got != (want + "\n").encode():
            proc.kill()
            sys.exit("-j %s: got %r" % (jobs, got))
        got = b""
    proc.stdin.close()
    if proc.wait(timeout=30) != 0:
        sys.exit("-j %s: status %d" % (jobs, proc.returncode))
PY
}

@test "batch: a write error ends it at once, even while a worker waits for input" {
	[ -w /dev/full ] || skip "no /dev/full"
	export MOR_API_SECRET=$KEY
	py_mh <<'PY'
import os, subprocess, sys
from mh_run import COMMAND, WRAPPED
for jobs in ("1", "2", "8"):
    r, w = os.pipe()
    os.write(w, b"\n" * 60000)     # then the writer stays open
    with open("/dev/full", "wb") as full:
        proc = subprocess.Popen(COMMAND + ["-b", "-j", jobs], stdin=r,
                                stdout=full, stderr=subprocess.PIPE)
    os.close(r)
    try:
        status = proc.wait(timeout=30 if WRAPPED else 5)
    except subprocess.TimeoutExpired:
        proc.kill()
        sys.exit("-j %s: still running after the write error" % jobs)
    os.close(w)
    err = proc.stderr.read().decode()
    if status != 2 or "standard output" not in err:
        sys.exit("-j %s: want 2 and a message, got %d and %r" % (jobs, status, err))
PY
}

@test "batch: an ignored SIGINT stays ignored, as cat leaves it" {
	export MOR_API_SECRET=$KEY
	run bash -c 'trap "" INT
	    ( printf "123\t1252454580\tanswered\n"; sleep 1 ) | {
	        "$0" -b & pid=$!; sleep 0.3; kill -INT $pid; wait $pid; }' \
	    "$MOR_HASH"
	assert_status 0
	[ "$output" = "$SEED_HASH" ] || fail_with "output: $output"
}

@test "batch: a read error stops every worker: status 2, the error, no output" {
	export MOR_API_SECRET=$KEY
	for j in 1 2; do
		run --separate-stderr mh -b -j "$j" <"$TMP"
		assert_error 2 'standard input: Is a directory'
	done
}

# Records of random lengths around SHA-1's block edges, some long: for
# each COUNT, in-COUNT and, by hashlib, want-COUNT in TMP.
#   group_reference COUNT...
group_reference() {
	python3 - "$TMP" "$KEY" "$@" <<'PY'
import hashlib, random, sys
tmp, key, counts = sys.argv[1], sys.argv[2], sys.argv[3:]
rng = random.Random(16)
kinds = []
for n in (0, 1, 3, 20, 40, 54, 55, 56, 70, 104, 105, 130, 300, 2000):
    for _ in range(8):
        r = "".join(rng.choice("ab\t\tc") for _ in range(n))
        h = hashlib.sha1((r.replace("\t", "") + key).encode()).hexdigest()
        kinds.append((r + "\n", h + "\n"))
for count in counts:
    recs = [rng.choice(kinds) for _ in range(int(count) - 1)]
    # Not empty: the test drops its LF, and an empty record would be gone.
    recs.append(rng.choice(kinds[8:]))
    with open("%s/in-%s" % (tmp, count), "w") as f:
        f.write("".join(r for r, _ in recs))
    with open("%s/want-%s" % (tmp, count), "w") as f:
        f.write("".join(h for _, h in recs))
PY
}

@test "batch: a group cut short by the end of input, at every count around 16" {
	export MOR_API_SECRET=$KEY
	local counts="1 2 15 16 17 31 32 33 47 100" n j
	group_reference $counts
	for n in $counts; do
		for j in 1 2; do
			mh -b -j "$j" <"$TMP/in-$n" | cmp - "$TMP/want-$n" ||
				fail_with "$n records, -j $j: differs from hashlib"
			# The last record without its terminator, and from a pipe.
			head -c -1 "$TMP/in-$n" | mh -b -j "$j" |
			    cmp - "$TMP/want-$n" ||
				fail_with "$n records, no last LF, -j $j: differs"
		done
	done
}

@test "batch: ^C in the middle of a group writes whole lines of the input's start, status 130" {
	export MOR_API_SECRET=$KEY
	# A regular file: no wait for input, so ^C comes while it hashes;
	# a slow reader holds it at a write meanwhile.
	group_reference 100000
	py_mh "$TMP/in-100000" \
	    "$TMP/want-100000" <<'PY'
import os, signal, subprocess, sys, time
path, want = sys.argv[1:3]
from mh_run import COMMAND, WRAPPED
want = open(want, "rb").read()
for jobs in ("1", "2"):
    with open(path, "rb") as stdin:
        proc = subprocess.Popen(COMMAND + ["-b", "-j", jobs], stdin=stdin,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    got = os.read(proc.stdout.fileno(), 4096)
    proc.send_signal(signal.SIGINT)
    time.sleep(0.2)
    got += proc.stdout.read()
    status = proc.wait(timeout=60)
    err = proc.stderr.read()
    if status != 130 or err:
        sys.exit("-j %s: want 130 and no message, got %d and %r" % (jobs, status, err))
    if len(got) % 41 or not want.startswith(got) or len(got) == len(want):
        sys.exit("-j %s: %d bytes, not whole lines of the input's start"
                 % (jobs, len(got)))
PY
}

@test "batch: a write error in the middle of a group stops it: status 2, the error" {
	[ -w /dev/full ] || skip "no /dev/full"
	export MOR_API_SECRET=$KEY
	group_reference 37
	local j
	for j in 1 2 8; do
		run --separate-stderr bash -c '"$0" -b -j "$1" <"$2" >/dev/full' \
		    "$MOR_HASH" "$j" "$TMP/in-37"
		assert_error 2 'standard output: No space left on device'
	done
}

@test "batch: -j runs as many threads as it says, up to 64 (the man page's range)" {
	export MOR_API_SECRET=$KEY
	py_mh <<'PY'
import os, select, subprocess, sys, time
from mh_run import COMMAND, WRAPPED
for jobs in (17, 40, 64):
    proc = subprocess.Popen(COMMAND + ["-b", "-j", str(jobs)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    proc.stdin.write(b"x\n")
    proc.stdin.flush()      # the input stays open: every worker has started
    if not select.select([proc.stdout], [], [], 60 if WRAPPED else 10)[0]:
        proc.kill()
        sys.exit("-j %d: no line" % jobs)
    threads = 0
    for _ in range(100):
        with open("/proc/%d/status" % proc.pid) as f:
            threads = int([l for l in f if l.startswith("Threads:")][0].split()[1])
        if threads >= jobs:
            break
        time.sleep(0.05)
    proc.stdin.close()
    proc.wait(timeout=60)
    # A sanitizer may run a thread of its own.
    if not jobs <= threads <= jobs + 1:
        sys.exit("-j %d: %d threads" % (jobs, threads))
PY
}

@test "batch: with NAME operands too, each request is written as its record comes" {
	export MOR_API_SECRET=456789
	py_mh <<'PY'
import os, select, subprocess, sys
from mh_run import COMMAND, WRAPPED
want = (b"http://mor.example.com/billing/api/user_details?u=admin&user_id=123"
        b"&hash=f7c3bc1d808e04732adf679965ccc34ca7ae3441\n")
proc = subprocess.Popen(COMMAND + ["-b", "--url",
                        "http://mor.example.com/billing/api/user_details",
                        "-p", "u=admin", "user_id"],
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
for record in (b"123\n", b"123\n"):
    proc.stdin.write(record)
    proc.stdin.flush()     # and the input stays open
    got = b""
    while not got.endswith(b"\n"):
        if not select.select([proc.stdout], [], [], 30 if WRAPPED else 5)[0]:
            proc.kill()
            sys.exit("no URL for %r while the input is open" % record)
        got += os.read(proc.stdout.fileno(), 4096)
    if got != want:
        proc.kill()
        sys.exit("got %r" % got)
proc.stdin.close()
if proc.wait(timeout=30) != 0:
    sys.exit("status %d" % proc.returncode)
PY
}

@test "batch and learn: no copy of the key is left in memory at exit, with threads (a core at exit_group)" {
	command -v gdb >/dev/null || skip "gdb is not installed"
	instrumented && skip "valgrind and sanitizers keep copies of their own"
	# 48 bytes: glibc's memcpy moves them through 32-byte registers, which
	# the first pthread_create's lazy binding saved on the stack.
	python3 -c 'import random; r = random.Random(21)
print("".join(r.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789") for _ in range(48)))' >"$TMP/key"
	local key h
	key=$(cat "$TMP/key")
	seq 1 20000 >"$TMP/in"
	h=$(reference v3 v1 v2 "$key")
	cat >"$TMP/gdb" <<GDB
set pagination off
set confirm off
catch syscall exit_group
run
gcore $TMP/core
kill
quit
GDB
	local run
	for run in "-b -j 4" "-b -j 1" "-b -M -u http://h/x a" \
	    "-j 4 --learn=http://h/billing/api/t?a=v1&b=v2&c=v3&d=v4&e=v5&hash=$h"; do
		rm -f "$TMP/core"
		# shellcheck disable=SC2086
		gdb -q -batch -x "$TMP/gdb" --args "$MOR_HASH" -k "$TMP/key" $run \
		    <"$TMP/in" >/dev/null 2>"$TMP/gdb.err"
		[ -s "$TMP/core" ] || skip "gdb could not write a core: $(tail -1 "$TMP/gdb.err")"
		python3 - "$TMP/core" "$key" "$run" <<'PY' || fail_with "key in the core"
import sys
core, key, run = open(sys.argv[1], "rb").read(), sys.argv[2].encode(), sys.argv[3]
found = sorted({core.find(key[i:i + 8]) - i for i in range(len(key) - 7)
                if core.find(key[i:i + 8]) >= 0})
if found:
    sys.exit("%s: 8 or more bytes of the key at %d place(s) of the core"
             % (run, len(found)))
PY
	done
}

@test "batch: ^C that comes once the input has ended still gives status 130, in every engine" {
	export MOR_API_SECRET=$KEY
	# SIGINT is blocked but while mor-hash waits for input: one that comes
	# after the input's last read must not be lost.  A regular file is read
	# without a wait, and standard output a pipe that is full from the
	# start: mor-hash has read all of its input, and ends blocked in its
	# last write, when ^C comes.  The test then reads the pipe.
	py_mh "$TMP" <<'PY'
import os, signal, subprocess, sys, time
tmp = sys.argv[1]
from mh_run import COMMAND, WRAPPED
signal.signal(signal.SIGINT, signal.SIG_DFL)
short = b"".join(b"%d\tv\n" % i for i in range(20))
inputs = {
    "chunks": short,
    # Longer than a chunk: the rest of the input is streamed.
    "stream": b"a" * (200 * 1024) + b"\n" + short,
}
runs = [("chunks", ["-b", "-j", "1"]), ("chunks", ["-b", "-j", "2"]),
        ("stream", ["-b", "-j", "1"]), ("stream", ["-b", "-j", "2"]),
        ("chunks", ["-b", "-u", "http://h/x", "a", "b"])]

def full_pipe():
    r, w = os.pipe()
    os.set_blocking(w, False)
    filled = 0
    for size in (4096, 1):
        try:
            while True:
                filled += os.write(w, b"f" * size)
        except BlockingIOError:
            pass
    os.set_blocking(w, True)
    return r, w, filled

def all_asleep(pid):
    """Every thread sleeps: with a regular file for input, in a write."""
    try:
        tasks = os.listdir("/proc/%d/task" % pid)
        states = []
        for t in tasks:
            with open("/proc/%d/task/%s/stat" % (pid, t)) as f:
                states.append(f.read().rsplit(")", 1)[1].split()[0])
    except OSError:
        return None
    return all(s == "S" for s in states)

def wait_asleep(pid):
    deadline = time.time() + (60 if WRAPPED else 10)
    asleep_since = None
    while time.time() < deadline:
        asleep = all_asleep(pid)
        if asleep is None:             # no /proc: time enough
            time.sleep(5 if WRAPPED else 1)
            return
        if not asleep:
            asleep_since = None
        elif asleep_since is None:
            asleep_since = time.time()
        elif time.time() - asleep_since > 0.2:
            return
        time.sleep(0.02)
    sys.exit("mor-hash did not come to wait for its output")

failed = []
for name, args in runs:
    path = os.path.join(tmp, "in-" + name)
    with open(path, "wb") as f:
        f.write(inputs[name])
    with open(path, "rb") as stdin:
        want = subprocess.run(COMMAND + args, stdin=stdin,
                              stdout=subprocess.PIPE, check=True).stdout
    r, w, filled = full_pipe()
    with open(path, "rb") as stdin:
        proc = subprocess.Popen(COMMAND + args, stdin=stdin,
                                stdout=w, stderr=subprocess.PIPE)
    os.close(w)
    wait_asleep(proc.pid)
    proc.send_signal(signal.SIGINT)
    got = b""
    while True:
        data = os.read(r, 65536)
        if not data:
            break
        got += data
    os.close(r)
    status = proc.wait(timeout=60)
    err = proc.stderr.read()
    got = got[filled:]
    what = "%s %s" % (name, " ".join(args))
    if status != 130 or err:
        failed.append("%s: want 130 and no message, got %d and %r"
                      % (what, status, err))
    elif not want.startswith(got) or (got and not got.endswith(b"\n")):
        failed.append("%s: %d bytes, not whole lines of the output"
                      % (what, len(got)))
sys.exit("\n".join(failed) or None)
PY
}

# mor-hash ARGS... under ulimit -v KIB, input from IN, output to OUT.
#   under_memory_limit KIB IN OUT ARGS...
under_memory_limit() {
	bash -c 'ulimit -v "$1" && exec "$0" "${@:4}" <"$2" >"$3" 2>/dev/null' \
	    "$MOR_HASH" "$@"
}

@test "batch: -j 2 and -j 64 under a memory limit run with the workers that fit, as -j 1 does, a record longer than a chunk too" {
	instrumented && skip "valgrind and sanitizers reserve memory of their own"
	export MOR_API_SECRET=$KEY
	# Several chunks: the workers that started share them; then a record
	# longer than a chunk, streamed with no memory of its own.
	python3 -c 'import sys
w = sys.stdout.write
for i in range(60000):
    w("%d\tv%d\n" % (i, i % 7))
w("x" * 300000 + "\n")
for i in range(3000):
    w("%d\n" % i)' >"$TMP/in"
	"$MOR_HASH" -b -j 1 <"$TMP/in" >"$TMP/want"
	# The least limit, in MiB, that -j 1 runs under.
	local lo=1 hi=256 mid
	under_memory_limit $((hi * 1024)) "$TMP/in" /dev/null -b -j 1 ||
	    skip "-j 1 does not run under ulimit -v $((hi * 1024))"
	while [ $((hi - lo)) -gt 1 ]; do
		mid=$(((lo + hi) / 2))
		if under_memory_limit $((mid * 1024)) "$TMP/in" /dev/null -b -j 1; then
			hi=$mid
		else
			lo=$mid
		fi
	done
	# Every limit from there to 24 MiB more: where a worker's buffers or
	# its thread's stack (8 MiB) fit or not, and what is left after.
	local j kib
	for j in 2 64; do
		for ((kib = hi * 1024; kib <= (hi + 24) * 1024; kib += 512)); do
			under_memory_limit "$kib" "$TMP/in" "$TMP/got" -b -j $j ||
			    fail_with "-j $j under ulimit -v $kib: status $?"
			cmp -s "$TMP/got" "$TMP/want" ||
			    fail_with "-j $j under ulimit -v $kib differs from -j 1"
		done
	done
}

@test "batch: under ulimit -n 4 -j 1 and -j 4 run, and print what they print without it" {
	export MOR_API_SECRET=$KEY
	python3 -c 'import sys
w = sys.stdout.write
for i in range(60000):
    w("%d\tv%d\n" % (i, i % 7))' >"$TMP/in"
	"$MOR_HASH" -b -j 1 <"$TMP/in" >"$TMP/want"
	local j
	for j in 1 4; do
		# Descriptors 0 to 2 and one to spare: bats's own are closed.
		run --separate-stderr bash -c 'exec <"$2" >"$3" 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-
		    ulimit -n 4 && exec "$0" -b -j "$1"' \
		    "$MOR_HASH" "$j" "$TMP/in" "$TMP/got"
		assert_status 0
		[ -z "$stderr" ] || fail_with "-j $j: a message"
		cmp "$TMP/got" "$TMP/want" || fail_with "-j $j under ulimit -n 4 differs"
	done
}
