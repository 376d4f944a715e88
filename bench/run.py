#!/usr/bin/env python3
# Copyright (c) 2026 The mor-hash developers.  ISC licence: see LICENSE.
"""mor-hash benchmark (make bench; MOR_HASH=path overrides ./mor-hash).

Sections, in the order printed:

1. Per call, instructions: callgrind counts the instructions of one hash
   of 123 1252454580 answered (every process of the command) for mor-hash,
   sha1sum FILE, openssl dgst, the echo | sha1sum | awk pipeline and a
   python3 hashlib one-liner, as ratios to sha1sum FILE.  Release target:
   mor-hash 123 1252454580 answered <= 0.45x sha1sum FILE.
1a. Per call, where the instructions go: the start of an empty PIE built
   with the default build's hardening (the floor of any such program),
   binding mor-hash's libc imports at start (-z now; an empty hardened PIE
   that imports the same symbols, less the empty one), and mor-hash's own
   work (the rest).
2. Per call, wall time: medians of paired, alternating runs, as ratios.
3. Batch: one file of 1,000,000 records 123<TAB>1252454580<TAB>answered.
   mor-hash -b -j 1 (one core) in records per CPU-second (its user +
   system time, from wait4), mor-hash -b (default: every online CPU) in
   records per wall second, and the single-core SHA-1 figures of
   bench/sha1-limit.c, compiled here into a temporary directory, which
   reads the file into memory and times in CPU seconds only the hashing:
   SHA1_Init/SHA1_Update/SHA1_Final per record, SHA1_Transform alone over
   blocks padded beforehand one record at a time, and the same 8 records
   at a time (their transforms back to back, so that their latencies
   overlap): the grouped floor, which mor-hash -b -j 1 is held to (target
   BATCH_TARGET of it, goal BATCH_GOAL).  They alternate over BATCH_ROUNDS
   rounds; the median round is the figure (the best is shown too).
   Ratios: -j 1 over each floor, -b over -b -j 1, each over the Python
   hashlib script (best of PY_RUNS), whose output mor-hash's must equal
   byte for byte.  Peak memory, and a shell loop over the pipeline for
   scale.
4. One 1 GiB value on standard input: peak memory and throughput.
5. --learn over 10 parameters with distinct values, of a made-up method,
   hashed in a random order that no table or usual order gives, so that
   all 9,864,101 ordered subsets are searched: CPU seconds (the child's
   user + system time) and wall seconds, medians of LEARN_RUNS, with -j 1
   (target: LEARN_TARGET CPU seconds at most) and by default.
6. Requests that grow: CPU seconds (user + system of the child, median
   of SCALE_RUNS) of one request of 1 to 50,000 NAME=VALUE operands through
   --url, -m and -M --url, and of a --uri query of as many pairs (up to
   8,000: an argument holds 128 KiB); names
   repeat past 5,000 (n0..n4999), since more distinct names than Rack's
   64 KiB of them is a request MOR answers 500 for.  Linear: 50,000 take
   about ten times 5,000 (1.1.0's name checks were quadratic: 10 s).
7. Against mor-hash 1.0.0 (commit 9c1043b, built from git in a temporary
   directory): instructions per call and batch records/s in this run, and
   this tree built as 1.0.0 was linked (no PIE, lazy binding), so that
   what the code costs is told apart from what -z now costs.
8. The figures again, one "bench: NAME=VALUE" line each, for scripts;
   a row that could not run has the value "skipped".

-j/--jobs is new: a mor-hash whose --help does not mention --jobs gets its
-j rows skipped, with a note.  Instruction counts repeat exactly on a noisy
machine; wall times do not, hence the ratios and repeated runs.  Nothing of
mor-hash is built here: run 'make' first (or 'make bench').  Speed is
measured here, never asserted in 'make check'.  About a minute on 2 cores.
"""
import datetime
import hashlib
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
MOR_HASH = os.environ.get("MOR_HASH", os.path.join(ROOT, "mor-hash"))
CC = os.environ.get("CC", "cc")
KEY = "Very Sercet Key"
VALUES = ["123", "1252454580", "answered"]
STRING = "".join(VALUES) + KEY
RECORD = "\t".join(VALUES) + "\n"
RECORDS = 1_000_000
PAIRS = 101
BATCH_ROUNDS = 15
PY_RUNS = 3
LEARN_RUNS = 5
TARGET_PER_CALL = 0.45
BATCH_TARGET = 0.5      # mor-hash -b -j 1 / the grouped SHA1_Transform floor
BATCH_GOAL = 0.6
LEARN_TARGET = 0.45     # CPU seconds of --learn -j 1 over 10 parameters
SKIPPED = "skipped"
NO_JOBS = "skipped: no -j/--jobs"

PYTHON_BATCH = r'''
import hashlib, os, sys
key = os.environ["MOR_API_SECRET"].encode()
sha1 = hashlib.sha1
out = [sha1(line.rstrip(b"\r\n").replace(b"\t", b"") + key).hexdigest()
       for line in sys.stdin.buffer]
sys.stdout.write("\n".join(out) + "\n")
'''
PYTHON_ONE = ('import hashlib, os; print(hashlib.sha1(("123" "1252454580" '
              '"answered" + os.environ["MOR_API_SECRET"]).encode()).hexdigest())')

summary = []            # (name, value) for the "bench:" lines


def record(name, value, fmt="%s"):
    summary.append((name, SKIPPED if value is None else fmt % value))


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def instructions(cmd, env, stdin=subprocess.DEVNULL):
    """Instructions of cmd and every process it starts, by callgrind."""
    r = subprocess.run(["valgrind", "--tool=callgrind", "--trace-children=yes",
                        "--callgrind-out-file=/dev/null"] + cmd,
                       env=env, stdin=stdin, capture_output=True, text=True)
    counts = [int(n) for n in re.findall(r"Collected : (\d+)", r.stderr)]
    if r.returncode != 0 or not counts:
        sys.exit("bench: callgrind failed on %s:\n%s" % (cmd, r.stderr[-2000:]))
    return sum(counts)


def wall(cmd, env, stdin_path=None, stdout=subprocess.DEVNULL):
    with open(stdin_path or os.devnull, "rb") as f:
        start = time.perf_counter()
        subprocess.run(cmd, env=env, stdin=f, stdout=stdout, check=True)
        return time.perf_counter() - start


def paired_ratio(a, b, env):
    """Median over alternating runs of wall(a) / wall(b)."""
    ratios = []
    for i in range(PAIRS):
        if i % 2:
            tb, ta = wall(b, env), wall(a, env)
        else:
            ta, tb = wall(a, env), wall(b, env)
        ratios.append(ta / tb)
    return statistics.median(ratios)


def median_time(cmd, env, stdin_path, runs):
    return statistics.median(wall(cmd, env, stdin_path) for _ in range(runs))


def peak_kib(shell_cmd, env):
    r = subprocess.run(["sh", "-c", shell_cmd], env=env, capture_output=True,
                       text=True, check=True)
    return int(r.stderr.strip().splitlines()[-1])


def online_cpus():
    try:
        return os.sysconf("SC_NPROCESSORS_ONLN")
    except (ValueError, OSError):
        return os.cpu_count()


def has_jobs():
    """Whether this mor-hash has -j/--jobs (mor-hash --help | grep -- --jobs)."""
    r = subprocess.run([MOR_HASH, "--help"], capture_output=True, text=True)
    return "--jobs" in r.stdout


def machine():
    model = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        cpuinfo = f.read()
    for line in cpuinfo.splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    sha_ni = "SHA-NI" if "sha_ni" in cpuinfo else "no SHA-NI"
    lib = subprocess.run([MOR_HASH, "-V"], capture_output=True,
                         text=True).stdout.split("\n")[1]
    return "%s, %d cores (%d online), %s; %s; %s" % (
        model, os.cpu_count(), online_cpus(), sha_ni, lib, platform.platform())


def num(n):
    return format(int(round(n)), ",")


def section(title):
    print(title)
    print("=" * len(title))


def table(headers, rows):
    """Plain-text columns: the first left-aligned, the others right-aligned.
    A row with fewer cells than headers ends in a note that spans the rest."""
    full = [r for r in rows if len(r) == len(headers)]
    widths = [max(len(str(r[i])) for r in [headers] + full)
              for i in range(len(headers))]
    widths[0] = max([widths[0]] + [len(r[0]) for r in rows])

    def line(cells):
        out = [str(cells[0]).ljust(widths[0])]
        out += [str(c).rjust(w) for c, w in zip(cells[1:], widths[1:])]
        return "  ".join(out).rstrip()

    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        if len(r) == len(headers):
            print(line(r))
        else:
            print(("%s  %s" % (r[0].ljust(widths[0]), "  ".join(r[1:]))).rstrip())
    print()


def compile_limit(tmp):
    """bench/sha1-limit.c into tmp, with cc -O2 and pkg-config's libcrypto."""
    exe = os.path.join(tmp, "sha1-limit")
    try:
        flags = run(["pkg-config", "--cflags", "libcrypto"], capture_output=True,
                    text=True).stdout.split()
        libs = run(["pkg-config", "--libs", "libcrypto"], capture_output=True,
                   text=True).stdout.split()
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit("bench: pkg-config libcrypto failed (%s); on Debian, apt-get "
                 "install libssl-dev pkg-config" % e)
    cmd = [CC, "-O2"] + flags + ["-o", exe, os.path.join(BENCH, "sha1-limit.c")] + libs
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("bench: %s failed:\n%s" % (" ".join(cmd), r.stderr))
    return exe


def limit_run(exe, records, env):
    """One run of sha1-limit: ({loop: CPU seconds}, first, last hash).  The
    loops: "limit" (SHA1_Init/Update/Final), "transform" (SHA1_Transform
    alone, one record at a time) and "grouped" (the same, GROUP records at
    a time: the floor); the last two only when every record fits a block."""
    out = run([exe, records, "1"], env=env, capture_output=True, text=True).stdout
    fields = dict(line.split(" ", 1) for line in out.splitlines())
    seconds = {}
    for name, key in (("limit", "seconds"), ("transform", "transform_seconds"),
                      ("grouped", "grouped_seconds")):
        if key in fields:
            seconds[name] = float(fields[key].split()[0])
    return seconds, fields["first"], fields["last"]


def cpu_run(cmd, env, stdin_path=None, stdout=subprocess.DEVNULL):
    """Runs cmd once: (wall seconds, CPU seconds: user + system, of the
    child alone, from wait4)."""
    with open(stdin_path or os.devnull, "rb") as f:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdin=f, stdout=stdout)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit("bench: %s exited %d" % (" ".join(cmd), proc.returncode))
    return elapsed, usage.ru_utime + usage.ru_stime


def try_cmd(cmd, env, stdin_path=None):
    """Run cmd once: (CompletedProcess, None) or (None, its complaint)."""
    with open(stdin_path or os.devnull, "rb") as f:
        r = subprocess.run(cmd, env=env, stdin=f, capture_output=True)
    if r.returncode not in (0,):
        err = r.stderr.decode(errors="replace").strip().splitlines()
        return None, "exit %d: %s" % (r.returncode, err[0] if err else "")
    return r, None


# The default build's hardening (the Makefile's HARDEN_CFLAGS and
# HARDEN_LDFLAGS), for the programs that measure what any hardened PIE pays.
HARDENED = ["-O2", "-fPIE", "-fstack-protector-strong", "-D_FORTIFY_SOURCE=2",
            "-pie", "-Wl,-z,relro,-z,now"]


def imports_of(exe):
    """The libc functions and objects exe binds at start: its undefined
    dynamic FUNC symbols and its copy-relocated objects (stdout, optarg...),
    without versions; None when readelf is missing."""
    try:
        syms = run(["readelf", "--dyn-syms", "-W", exe], capture_output=True,
                   text=True).stdout
        relocs = run(["readelf", "-r", "-W", exe], capture_output=True,
                     text=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    funcs = set()
    for line in syms.splitlines():
        f = line.split()
        if len(f) >= 8 and f[6] == "UND" and f[3] == "FUNC":
            funcs.add(f[7].split("@")[0])
    objects = set()
    for line in relocs.splitlines():
        f = line.split()
        if len(f) >= 5 and f[2] == "R_X86_64_COPY":
            objects.add(f[4].split("@")[0])
    return funcs, objects


def build_hardened(tmp, name, source):
    exe = os.path.join(tmp, name)
    src = exe + ".c"
    with open(src, "w") as f:
        f.write(source)
    r = subprocess.run([CC, "-w", "-fno-builtin"] + HARDENED + ["-o", exe, src],
                       capture_output=True, text=True)
    return exe if r.returncode == 0 else None


def breakdown(env, tmp, total, args):
    """Where a call's instructions go: the start of an empty hardened PIE
    (the loader, libc's start), binding mor-hash's libc imports at start
    (-z now: an empty PIE that imports the same symbols, less the empty
    one), and mor-hash's own work (the rest: libcrypto's CPU probe,
    options, the key, SHA-1, the output)."""
    imports = imports_of(MOR_HASH)
    empty = build_hardened(tmp, "empty", "int main(void) { return 0; }\n")
    if imports is None or empty is None:
        print("per-call breakdown: skipped (no readelf, or %s cannot build "
              "a hardened PIE)" % CC)
        print()
        record("percall_startup_instructions", None)
        return
    base = imports_of(empty)[0]
    funcs = sorted(imports[0] - base)
    objects = sorted(imports[1])
    source = "".join("extern void %s(void);\n" % f for f in funcs)
    source += "".join("extern char %s[];\n" % o for o in objects)
    source += ("void *volatile keep[] = {\n%s};\n"
               "int main(void) { return keep[0] == 0; }\n"
               % "".join("\t(void *)%s,\n" % n for n in funcs + objects))
    importer = build_hardened(tmp, "imports", source)
    if importer is None:
        print("per-call breakdown: skipped (the importing PIE did not build)")
        print()
        record("percall_startup_instructions", None)
        return
    start = instructions([empty], env)
    bound = instructions([importer], env)
    own = total - bound
    section("1a. Per call: where mor-hash's instructions go")
    print()
    table(("part", "instructions", "share"), [
        ("start-up floor: an empty hardened PIE, built as mor-hash is",
         num(start), "%.1f%%" % (100.0 * start / total)),
        ("binding its %d libc imports at start (-z now)"
         % (len(funcs) + len(objects)), num(bound - start),
         "%.1f%%" % (100.0 * (bound - start) / total)),
        ("own work: libcrypto's CPU probe, options, key, SHA-1, output",
         num(own), "%.1f%%" % (100.0 * own / total)),
        ("mor-hash %s" % " ".join(args), num(total), "100%"),
    ])
    record("percall_startup_instructions", start)
    record("percall_binding_instructions", bound - start)
    record("percall_imports", len(funcs) + len(objects))
    record("percall_own_instructions", own)


def per_call(env, string_file, mor, pipeline):
    section("1. Per call: hash 123 1252454580 answered with the key "
            "(instructions by callgrind, all processes)")
    print()
    rows = [
        ("mor-hash 123 1252454580 answered", mor),
        ("mor-hash -m user_balance_update balance=100 user_id=123",
         [MOR_HASH, "-m", "user_balance_update", "balance=100", "user_id=123"]),
        ("mor-hash --url .../user_balance_update u=admin balance=100 user_id=123",
         [MOR_HASH, "--url", "http://mor/billing/api/user_balance_update",
          "u=admin", "balance=100", "user_id=123"]),
        ("sha1sum FILE", ["sha1sum", string_file]),
        ("LC_ALL=C sha1sum FILE", ["env", "LC_ALL=C", "sha1sum", string_file]),
        ("openssl dgst -sha1 FILE", ["openssl", "dgst", "-sha1", string_file]),
        ("echo -n ... | sha1sum | awk (sh)", pipeline),
        ("python3 -c hashlib", ["python3", "-c", PYTHON_ONE]),
    ]
    static = os.path.join(ROOT, "mor-hash-static")    # make static
    if os.access(static, os.X_OK):
        rows.insert(1, ("mor-hash-static 123 1252454580 answered", [static] + VALUES))
    counts = {name: instructions(cmd, env) for name, cmd in rows}
    base = counts["sha1sum FILE"]
    table(("program", "instructions", "vs sha1sum FILE"),
          [(name, num(counts[name]), "%.3f×" % (counts[name] / base))
           for name, _ in rows])
    ratio = counts["mor-hash 123 1252454580 answered"] / base
    met = ratio <= TARGET_PER_CALL
    print("mor-hash 123 1252454580 answered / sha1sum FILE: %.3f× "
          "(release target ≤ %.2f×: %s)" % (
              ratio, TARGET_PER_CALL,
              "met" if met else "NOT met, %s instructions over"
              % num(counts["mor-hash 123 1252454580 answered"]
                    - TARGET_PER_CALL * base)))
    print()
    record("percall_mor_hash_instructions",
           counts["mor-hash 123 1252454580 answered"])
    record("percall_sha1sum_instructions", base)
    record("percall_mor_hash_vs_sha1sum", ratio, "%.4f")
    record("percall_target", TARGET_PER_CALL, "%.2f")
    record("percall_target_met", "yes" if met else "no")
    breakdown(env, os.path.dirname(string_file),
              counts["mor-hash 123 1252454580 answered"], VALUES)

    section("2. Per call: wall time, median of %d paired alternating runs"
            % PAIRS)
    print()
    r_pipe = paired_ratio(mor, pipeline, env)
    r_sum = paired_ratio(mor, ["sha1sum", string_file], env)
    table(("pair", "time ratio"),
          [("mor-hash / echo | sha1sum | awk", "%.2f×" % r_pipe),
           ("mor-hash / sha1sum FILE", "%.2f×" % r_sum)])
    record("wall_mor_hash_vs_pipeline", r_pipe, "%.3f")
    record("wall_mor_hash_vs_sha1sum", r_sum, "%.3f")


def batch(env, tmp, jobs):
    cpus = online_cpus()
    records = os.path.join(tmp, "records.tsv")
    with open(records, "w") as f:
        f.write(RECORD * RECORDS)
    limit = compile_limit(tmp)
    j1 = [MOR_HASH, "-b", "-j", "1"]
    default = [MOR_HASH, "-b"]

    # Every output checked once: the Python script's is the reference.
    py_out = run(["python3", "-c", PYTHON_BATCH], env=env,
                 stdin=open(records, "rb"), capture_output=True).stdout
    if py_out.count(b"\n") != RECORDS:
        sys.exit("bench: the Python hashlib script printed %d lines"
                 % py_out.count(b"\n"))
    variants = [("all", default)]
    if jobs:
        variants.insert(0, ("j1", j1))
    for name, cmd in variants:
        r, err = try_cmd(cmd, env, records)
        if err:
            sys.exit("bench: %s < records failed: %s" % (" ".join(cmd), err))
        if r.stdout != py_out:
            sys.exit("bench: %s output differs from the Python hashlib "
                     "script's" % " ".join(cmd))
    want = py_out.split(b"\n", 1)[0].decode()
    _, first, last = limit_run(limit, records, env)
    if first != want or last != want:
        sys.exit("bench: sha1-limit hashed %s/%s, want %s" % (first, last, want))

    # Alternating rounds: the order rotates so that no one always goes first.
    # mor-hash -b -j 1 is timed in CPU seconds (its own, from wait4), as
    # sha1-limit times its loops, so that the ratio to the floor holds on
    # a busy machine; the default -b, on every CPU, in wall seconds.
    walls = {name: [] for name, _ in variants}
    cpu = {"j1": [], "limit": [], "transform": [], "grouped": []}
    kinds = [name for name, _ in variants] + ["sha1-limit"]
    cmds = dict(variants)
    for i in range(BATCH_ROUNDS):
        for name in kinds[i % len(kinds):] + kinds[:i % len(kinds)]:
            if name == "sha1-limit":
                for loop, t in limit_run(limit, records, env)[0].items():
                    cpu[loop].append(t)
            else:
                elapsed, used = cpu_run(cmds[name], env, records)
                walls[name].append(elapsed)
                if name == "j1":
                    cpu["j1"].append(used)
    py_times = [wall(["python3", "-c", PYTHON_BATCH], env, records)
                for _ in range(PY_RUNS)]

    def rate(times, stat):
        return RECORDS / stat(times) if times else None

    best = {k: rate(v, min) for k, v in cpu.items()}
    med = {k: rate(v, statistics.median) for k, v in cpu.items()}
    wall_best = {k: rate(v, min) for k, v in walls.items()}
    wall_med = {k: rate(v, statistics.median) for k, v in walls.items()}
    py_best = RECORDS / min(py_times)
    py_med = RECORDS / statistics.median(py_times)

    loop_n = 200
    loop = ["sh", "-c", "while IFS= read -r v; do echo -n \"$v%s\" | sha1sum | "
            "awk '{print $1}'; done" % KEY]
    small = os.path.join(tmp, "small.txt")
    with open(small, "w") as f:
        f.write("1231252454580answered\n" * loop_n)
    t_loop = median_time(loop, env, small, 3)
    peak = {"all": peak_kib("/usr/bin/time -f %%M %s -b < %s > /dev/null"
                            % (MOR_HASH, records), env)}
    if jobs:
        peak["j1"] = peak_kib("/usr/bin/time -f %%M %s -b -j 1 < %s > /dev/null"
                              % (MOR_HASH, records), env)

    section("3. Batch: %s records 123<TAB>1252454580<TAB>answered, one file "
            "(%.1f MB)" % (num(RECORDS), os.path.getsize(records) / 1e6))
    print()
    print("Median and best of %d alternating rounds (Python: %d runs); every "
          "mor-hash output equals the Python script's, byte for byte.  One "
          "core's figures are records per CPU-second (mor-hash's from wait4, "
          "sha1-limit's loops from CLOCK_PROCESS_CPUTIME_ID); the default's, "
          "on every CPU, records per wall second."
          % (BATCH_ROUNDS, PY_RUNS))
    print()
    nojobs = NO_JOBS

    def fig(d, k):
        return num(d[k]) if d.get(k) else "n/a"

    rows = []
    if jobs:
        rows.append(("mor-hash -b -j 1 (CPU)", fig(med, "j1"), fig(best, "j1"),
                     "%d KiB" % peak["j1"]))
    else:
        rows.append(("mor-hash -b -j 1 (CPU)", nojobs))
    rows += [
        ("mor-hash -b (wall; %d online CPUs)" % cpus, fig(wall_med, "all"),
         fig(wall_best, "all"), "%d KiB" % peak["all"]),
        ("SHA-1 limit: SHA1_Init/Update/Final (bench/sha1-limit.c)",
         fig(med, "limit"), fig(best, "limit"), ""),
        ("SHA1_Transform alone, one record at a time",
         fig(med, "transform"), fig(best, "transform"), ""),
        ("grouped floor: SHA1_Transform, 8 records back to back",
         fig(med, "grouped"), fig(best, "grouped"), ""),
        ("Python hashlib script (wall)", num(py_med), num(py_best), ""),
        ("shell loop over echo | sha1sum | awk (wall)", num(loop_n / t_loop),
         "", ""),
    ]
    table(("program", "median records/s", "best records/s", "peak memory"),
          rows)

    def ratio(a, b):
        return a / b if a is not None and b is not None else None

    speedup = ratio(wall_med.get("all"), wall_med.get("j1"))
    j1_floor = ratio(med.get("j1"), med.get("grouped"))
    j1_floor_best = ratio(best.get("j1"), best.get("grouped"))
    j1_transform = ratio(med.get("j1"), med.get("transform"))
    j1_limit = ratio(med.get("j1"), med.get("limit"))
    all_limit = ratio(wall_med.get("all"), med.get("limit"))
    j1_py = ratio(wall_best.get("j1"), py_best)
    all_py = ratio(wall_best.get("all"), py_best)

    def show(v, fmt):
        return fmt % v if v is not None else nojobs

    table(("ratio (of median records/s)", "value"), [
        ("mor-hash -b -j 1 / grouped floor (target ≥ %.1f, goal %.1f)"
         % (BATCH_TARGET, BATCH_GOAL), show(j1_floor, "%.3f")),
        ("  the same, of the best rounds", show(j1_floor_best, "%.3f")),
        ("mor-hash -b -j 1 / SHA1_Transform one at a time",
         show(j1_transform, "%.3f")),
        ("mor-hash -b -j 1 / SHA-1 limit", show(j1_limit, "%.3f")),
        ("mor-hash -b / SHA-1 limit (one core's)", show(all_limit, "%.3f")),
        ("mor-hash -b / mor-hash -b -j 1, wall (%d CPUs)" % cpus,
         show(speedup, "%.2f×")),
        ("mor-hash -b -j 1 / Python hashlib, wall (best)",
         show(j1_py, "%.1f× faster")),
        ("mor-hash -b / Python hashlib, wall (best)", show(all_py, "%.1f× faster")),
        ("mor-hash -b / shell loop", "%s× faster"
         % num(wall_best["all"] / (loop_n / t_loop))),
    ])
    met = j1_floor is not None and j1_floor >= BATCH_TARGET
    print("mor-hash -b -j 1 / grouped floor: %s (target ≥ %.1f: %s)"
          % (show(j1_floor, "%.3f"), BATCH_TARGET, "met" if met else "NOT met"))
    print()
    record("online_cpus", cpus)
    record("batch_records", RECORDS)
    record("batch_j1_records_per_cpu_s", med.get("j1"), "%.0f")
    record("batch_j1_records_per_s", wall_best.get("j1"), "%.0f")
    record("batch_all_records_per_s", wall_best.get("all"), "%.0f")
    record("batch_all_vs_j1_speed", speedup, "%.3f")
    record("sha1_limit_records_per_s", med.get("limit"), "%.0f")
    record("sha1_transform_records_per_s", med.get("transform"), "%.0f")
    record("sha1_grouped_floor_records_per_s", med.get("grouped"), "%.0f")
    record("batch_j1_vs_grouped_floor", j1_floor, "%.4f")
    record("batch_j1_vs_grouped_floor_target", BATCH_TARGET, "%.2f")
    record("batch_j1_vs_grouped_floor_met", "yes" if met else "no")
    record("batch_j1_vs_sha1_transform", j1_transform, "%.4f")
    record("batch_j1_vs_sha1_limit", j1_limit, "%.4f")
    record("batch_all_vs_sha1_limit", all_limit, "%.4f")
    record("python_records_per_s", py_best, "%.0f")
    record("batch_j1_vs_python_speed", j1_py, "%.2f")
    record("batch_all_vs_python_speed", all_py, "%.2f")
    record("batch_j1_peak_kib", peak.get("j1"))
    record("batch_all_peak_kib", peak["all"])
    record("shell_loop_records_per_s", loop_n / t_loop, "%.0f")
    os.unlink(records)


def one_gib(env):
    start = time.perf_counter()
    peak = peak_kib("head -c 1073741824 /dev/zero | /usr/bin/time -f %%M %s"
                    " > /dev/null" % MOR_HASH, env)
    t = time.perf_counter() - start
    section("4. One 1 GiB value on standard input")
    print()
    print("peak memory %d KiB, %.2f s with head(1) feeding it (%.0f MB/s)."
          % (peak, t, 1073.741824 / t))
    print()
    record("gib_peak_kib", peak)
    record("gib_mb_per_s", 1073.741824 / t, "%.0f")


def learn_uri():
    """A made-up method with 10 parameters of distinct values, hashed in a
    shuffled order that is neither the URI's, nor its reverse, nor sorted by
    name or value: only the exhaustive search finds it.  Fixed seed: the
    same URI every run."""
    rng = random.Random(20261202)
    names = ["zq%d" % i for i in range(10)]
    values = []
    while len(values) < 10:
        v = str(rng.randrange(10, 10 ** rng.randint(2, 8)))
        if v not in values:
            values.append(v)
    by_name = dict(zip(names, values))
    avoid = [names, names[::-1], sorted(names),
             sorted(names, key=lambda n: by_name[n])]
    order = list(names)
    while order in avoid:
        rng.shuffle(order)
    digest = hashlib.sha1(("".join(by_name[n] for n in order) + KEY)
                          .encode()).hexdigest()
    query = "&".join("%s=%s" % (n, by_name[n]) for n in names)
    uri = "http://h/billing/api/zz_unknown_method?%s&hash=%s" % (query, digest)
    return uri, "zz_unknown_method\t" + ",".join(order)


def learn(env, jobs):
    uri, want = learn_uri()
    variants = [("all", [MOR_HASH, "--learn=" + uri])]
    notes = {}
    if jobs:
        cmd = [MOR_HASH, "-j", "1", "--learn=" + uri]
        _, err = try_cmd(cmd, env)
        if err:
            notes["j1"] = "skipped: mor-hash -j 1 --learn refused it (%s)" % err
        else:
            variants.insert(0, ("j1", cmd))
    else:
        notes["j1"] = NO_JOBS
    times = {name: [] for name, _ in variants}
    cpu = {name: [] for name, _ in variants}
    for i in range(LEARN_RUNS):
        for name, cmd in (variants if i % 2 == 0 else variants[::-1]):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            r = subprocess.run(cmd, env=env, capture_output=True, text=True)
            times[name].append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[name].append(after.ru_utime + after.ru_stime -
                             before.ru_utime - before.ru_stime)
            if r.returncode != 0 or r.stdout.strip() != want:
                sys.exit("bench: %s exited %d and printed %r, want %r; "
                         "stderr: %s" % (" ".join(cmd[:-1]) + " --learn=URI",
                                         r.returncode, r.stdout, want,
                                         r.stderr.strip()))
    t = {name: statistics.median(v) for name, v in times.items()}
    c = {name: statistics.median(v) for name, v in cpu.items()}
    section("5. --learn over 10 parameters (9,864,101 ordered subsets, "
            "exhaustive)")
    print()
    print("URI: %s" % uri)
    print("found: %s (exit 0); medians of %d runs, alternating; CPU seconds "
          "are the child's user + system time" % (want.replace("\t", " "),
                                                  LEARN_RUNS))
    print()
    rows = []
    if "j1" in t:
        rows.append(("mor-hash -j 1 --learn=URI", "%.3f" % c["j1"],
                     "%.3f" % t["j1"], "%.1f" % (9.864101 / c["j1"])))
    else:
        rows.append(("mor-hash -j 1 --learn=URI", notes["j1"]))
    rows.append(("mor-hash --learn=URI (default; %d online CPUs)"
                 % online_cpus(), "%.3f" % c["all"], "%.3f" % t["all"],
                 "%.1f" % (9.864101 / c["all"])))
    table(("program", "CPU seconds", "wall seconds", "M orders/CPU-s"), rows)
    ratio = t["all"] / t["j1"] if "j1" in t else None
    if ratio is not None:
        print("wall time ratio default / -j 1: %.3f (%.2f× speedup)"
              % (ratio, 1 / ratio))
        met = c["j1"] <= LEARN_TARGET
        print("mor-hash -j 1 --learn=URI: %.3f CPU seconds (target ≤ %.2f: "
              "%s)" % (c["j1"], LEARN_TARGET, "met" if met else "NOT met"))
    else:
        met = None
        print("time ratio default / -j 1: %s" % notes["j1"])
    print()
    record("learn_j1_cpu_s", c.get("j1"), "%.3f")
    record("learn_j1_cpu_s_target", LEARN_TARGET, "%.2f")
    record("learn_j1_cpu_s_met", None if met is None else
           "yes" if met else "no")
    record("learn_j1_s", t.get("j1"), "%.3f")
    record("learn_all_s", t["all"], "%.3f")
    record("learn_all_vs_j1_time", ratio, "%.3f")

BASELINE = "9c1043b"    # mor-hash 1.0.0


SCALE_SIZES = (1, 10, 100, 1000, 8000, 20000, 50000)
# One argument holds at most 128 KiB (Linux): --uri stops at 8,000 pairs.
SCALE_URI_MAX = 8000
SCALE_RUNS = 3


def scale_cpu(cmd, env):
    """CPU seconds of one run of cmd, its warnings (one per name) dropped."""
    proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("bench: %s... exited %d" % (" ".join(cmd[:4]),
                                             os.waitstatus_to_exitcode(status)))
    return usage.ru_utime + usage.ru_stime


def scaling(env):
    section("6. Requests that grow: CPU seconds per request, median of %d"
            % SCALE_RUNS)
    api = "http://h/billing/api/"
    modes = (("--url", lambda ops: [MOR_HASH, "--url", api + "user_details_get"] + ops),
             ("-m", lambda ops: [MOR_HASH, "-m", "users_get"] + ops),
             ("-M --url", lambda ops: [MOR_HASH, "-M", "--url", api + "x"] + ops),
             ("--uri", lambda ops: [MOR_HASH, "--uri", api + "user_details_get?" +
                                    "&".join(ops)]))
    rows = []
    for n in SCALE_SIZES:
        ops = ["n%d=%d" % (i % 5000, i) for i in range(n)]
        row = [num(n)]
        for name, build in modes:
            if name == "--uri" and n > SCALE_URI_MAX:
                row.append("-")
                continue
            cpu = statistics.median(scale_cpu(build(ops), env)
                                    for _ in range(SCALE_RUNS))
            row.append("%.3f" % cpu)
            if n == SCALE_SIZES[-1] or (name == "--uri" and n == SCALE_URI_MAX):
                record("scale_%s_cpu_s" % re.sub(r"\W+", "_", name).strip("_"),
                       cpu, "%.3f")
        rows.append(row)
    table(["parameters"] + [m for m, _ in modes], rows)


def build_tree(src_cmd, where, make_args):
    """Unpacks a tree by src_cmd (a shell command writing a tar) into where
    and builds mor-hash there: its path, or None with the reason."""
    os.makedirs(where)
    r = subprocess.run("%s | tar -x -C '%s' && make -s -C '%s' %s mor-hash"
                       % (src_cmd, where, where, make_args), shell=True,
                       capture_output=True, text=True, cwd=ROOT)
    exe = os.path.join(where, "mor-hash")
    if r.returncode != 0 or not os.access(exe, os.X_OK):
        return None, (r.stderr.strip().splitlines() or ["build failed"])[-1]
    return exe, None


def against_baseline(env, tmp, jobs):
    """Per-call instructions and batch records/s of 1.0.0 and of this tree,
    in this run.  This tree is also built as 1.0.0 was linked (no PIE, lazy
    binding), to tell what the code costs from what the hardening costs."""
    section("7. Against mor-hash 1.0.0 (commit %s), in this run" % BASELINE)
    print()
    if subprocess.run(["git", "-C", ROOT, "cat-file", "-e",
                       BASELINE + "^{commit}"], capture_output=True).returncode:
        print("skipped: commit %s is not in %s" % (BASELINE, ROOT))
        print()
        return
    old, why = build_tree("git archive %s" % BASELINE,
                          os.path.join(tmp, "v1.0.0"), "")
    same, why2 = build_tree(
        "git ls-files -z | xargs -0 tar -c -f -",
        os.path.join(tmp, "as-1.0.0"),
        "HARDEN_CFLAGS='-ffunction-sections -fdata-sections' "
        "HARDEN_LDFLAGS='-no-pie -Wl,--gc-sections'")
    if old is None or same is None:
        print("skipped: cannot build: %s" % (why or why2))
        print()
        return
    calls = {name: instructions([exe] + VALUES, env) for name, exe in
             (("old", old), ("same", same), ("now", MOR_HASH))}
    variants = [("old", [old, "-b"]), ("now", [MOR_HASH, "-b"])]
    if jobs:
        variants.append(("now_j1", [MOR_HASH, "-b", "-j", "1"]))
    records = os.path.join(tmp, "records.tsv")
    with open(records, "w") as f:
        f.write(RECORD * RECORDS)
    times = {name: [] for name, _ in variants}
    for i in range(BATCH_ROUNDS):
        for name, cmd in variants[i % len(variants):] + \
                variants[:i % len(variants)]:
            times[name].append(wall(cmd, env, records))
    rps = {name: RECORDS / min(t) for name, t in times.items()}
    table(("program", "instructions per call", "best batch records/s"), [
        ("mor-hash 1.0.0 (its own build: no PIE, lazy binding)",
         num(calls["old"]), num(rps["old"])),
        ("this tree, linked as 1.0.0 was", num(calls["same"]), ""),
        ("this tree, default build (PIE, -z now)", num(calls["now"]),
         num(rps["now"])),
        ("this tree, default build, -j 1", "",
         num(rps["now_j1"]) if "now_j1" in rps else NO_JOBS),
    ])
    print("per call, this tree / 1.0.0: %.3f linked alike, %.3f as built "
          "(the rest is binding libc's symbols at start, -z now)"
          % (calls["same"] / calls["old"], calls["now"] / calls["old"]))
    if "now_j1" in rps:
        print("batch, this tree -j 1 / 1.0.0: %.2f×; default / 1.0.0: %.2f×"
              % (rps["now_j1"] / rps["old"], rps["now"] / rps["old"]))
    print()
    record("v100_percall_instructions", calls["old"])
    record("percall_as_v100_linked_instructions", calls["same"])
    record("percall_vs_v100_linked_alike", calls["same"] / calls["old"], "%.4f")
    record("percall_vs_v100_as_built", calls["now"] / calls["old"], "%.4f")
    record("v100_batch_records_per_s", rps["old"], "%.0f")
    record("batch_j1_vs_v100", rps["now_j1"] / rps["old"]
           if "now_j1" in rps else None, "%.3f")


def main():
    if not os.access(MOR_HASH, os.X_OK):
        sys.exit("bench: no %s; run make first" % MOR_HASH)
    began = time.perf_counter()
    tmp = tempfile.mkdtemp(prefix="mor-hash-bench.")
    try:
        # The user's own locale: sha1sum pays for loading it (C.UTF-8 here),
        # mor-hash never calls setlocale().  The C locale is shown apart.
        env = dict(os.environ, MOR_API_SECRET=KEY, HOME=tmp)
        env.pop("MOR_HASH_METHODS", None)
        env.pop("XDG_CONFIG_HOME", None)
        string_file = os.path.join(tmp, "string")
        with open(string_file, "w") as f:
            f.write(STRING)
        want = hashlib.sha1(STRING.encode()).hexdigest()
        pipeline = ["sh", "-c", "echo -n '%s' | sha1sum | awk '{print $1}'"
                    % STRING]
        mor = [MOR_HASH] + VALUES
        for cmd in (mor, pipeline):
            got = run(cmd, env=env, capture_output=True, text=True).stdout.strip()
            if got != want:
                sys.exit("bench: %s printed %s, want %s" % (cmd, got, want))
        jobs = has_jobs()

        print("mor-hash benchmark, %s" % datetime.date.today().isoformat())
        print("mor-hash: %s" % MOR_HASH)
        print("machine: %s" % machine())
        print("locale: LANG=%s LC_ALL=%s" % (os.environ.get("LANG", ""),
                                             os.environ.get("LC_ALL", "")))
        print("-j/--jobs: %s" % ("yes" if jobs else
                                 "no (not in mor-hash --help): its rows are skipped"))
        print()
        sys.stdout.flush()
        per_call(env, string_file, mor, pipeline)
        sys.stdout.flush()
        batch(env, tmp, jobs)
        sys.stdout.flush()
        one_gib(env)
        sys.stdout.flush()
        learn(env, jobs)
        sys.stdout.flush()
        scaling(env)
        sys.stdout.flush()
        against_baseline(env, tmp, jobs)
        record("jobs_option", "yes" if jobs else "no")
        record("bench_seconds", time.perf_counter() - began, "%.0f")

        section("8. Machine-readable")
        print()
        for name, value in summary:
            print("bench: %s=%s" % (name, value))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
