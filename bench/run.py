#!/usr/bin/env python3
"""mor-hash benchmark: per call against sha1sum, the echo | sha1sum | awk
pipeline, openssl dgst and a Python hashlib script; in batch against
Python hashlib and a shell loop; peak memory; --learn.

Instruction counts come from valgrind's callgrind, which repeats exactly
on a noisy machine; wall times are medians of paired, alternating runs and
are reported as ratios.  Nothing here is built: run 'make' first (or
'make bench').  Speed is measured here, never asserted in 'make check'.
"""
import datetime
import hashlib
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MOR_HASH = os.environ.get("MOR_HASH", os.path.join(ROOT, "mor-hash"))
KEY = "Very Sercet Key"
VALUES = ["123", "1252454580", "answered"]
STRING = "".join(VALUES) + KEY
RECORDS = 1_000_000
PAIRS = 101

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


def machine():
    model = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    sha_ni = "SHA-NI" if "sha_ni" in open("/proc/cpuinfo").read() else "no SHA-NI"
    lib = subprocess.run([MOR_HASH, "-V"], capture_output=True, text=True).stdout.split("\n")[1]
    return "%s, %d cores, %s; %s; %s" % (model, os.cpu_count(), sha_ni, lib,
                                         platform.platform())


def main():
    if not os.access(MOR_HASH, os.X_OK):
        sys.exit("bench: no %s; run make first" % MOR_HASH)
    tmp = tempfile.mkdtemp(prefix="mor-hash-bench.")
    # The user's own locale: sha1sum pays for loading it (C.UTF-8 here),
    # mor-hash never calls setlocale().  The C locale is shown apart.
    env = dict(os.environ, MOR_API_SECRET=KEY, HOME=tmp)
    env.pop("MOR_HASH_METHODS", None)
    env.pop("XDG_CONFIG_HOME", None)
    string_file = os.path.join(tmp, "string")
    with open(string_file, "w") as f:
        f.write(STRING)
    want = hashlib.sha1(STRING.encode()).hexdigest()
    pipeline = ["sh", "-c", "echo -n '%s' | sha1sum | awk '{print $1}'" % STRING]
    mor = [MOR_HASH] + VALUES
    for cmd in (mor, pipeline):
        got = run(cmd, env=env, capture_output=True, text=True).stdout.strip()
        if got != want:
            sys.exit("bench: %s printed %s, want %s" % (cmd, got, want))

    print("mor-hash benchmark, %s" % datetime.date.today().isoformat())
    print("machine: %s" % machine())
    print("locale: LANG=%s LC_ALL=%s" % (os.environ.get("LANG", ""),
                                         os.environ.get("LC_ALL", "")))
    print()
    print("Per call: hash 123 1252454580 answered with the key "
          "(instructions by callgrind, all processes)")
    print()
    print("| program | instructions | vs sha1sum FILE |")
    print("|---|---:|---:|")
    per_call = [
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
    counts = {name: instructions(cmd, env) for name, cmd in per_call}
    base = counts["sha1sum FILE"]
    for name, _ in per_call:
        print("| `%s` | %s | %.3f× |" % (name, format(counts[name], ","),
                                         counts[name] / base))
    print()
    print("Wall time, median of %d paired alternating runs:" % PAIRS)
    print()
    print("| pair | time ratio |")
    print("|---|---:|")
    print("| mor-hash / echo \\| sha1sum \\| awk | %.2f× |"
          % paired_ratio(mor, pipeline, env))
    print("| mor-hash / sha1sum FILE | %.2f× |"
          % paired_ratio(mor, ["sha1sum", string_file], env))
    print()

    records = os.path.join(tmp, "records.tsv")
    with open(records, "w") as f:
        f.write("123\t1252454580\tanswered\n" * RECORDS)
    mor_out = run([MOR_HASH, "-b"], env=env, stdin=open(records, "rb"),
                  capture_output=True).stdout
    py_out = run(["python3", "-c", PYTHON_BATCH], env=env,
                 stdin=open(records, "rb"), capture_output=True).stdout
    if mor_out != py_out or mor_out.count(b"\n") != RECORDS:
        sys.exit("bench: batch output differs from the Python hashlib script")
    t_mor = median_time([MOR_HASH, "-b"], env, records, 9)
    t_py = median_time(["python3", "-c", PYTHON_BATCH], env, records, 3)
    loop_n = 200
    loop = ["sh", "-c", "while IFS= read -r v; do echo -n \"$v%s\" | sha1sum | "
            "awk '{print $1}'; done" % KEY]
    small = os.path.join(tmp, "small.txt")
    with open(small, "w") as f:
        f.write("1231252454580answered\n" * loop_n)
    t_loop = median_time(loop, env, small, 3)
    peak_batch = peak_kib("/usr/bin/time -f %%M %s -b < %s > /dev/null"
                          % (MOR_HASH, records), env)
    start = time.perf_counter()
    peak_gib = peak_kib("head -c 1073741824 /dev/zero | /usr/bin/time -f %%M %s"
                        " > /dev/null" % MOR_HASH, env)
    t_gib = time.perf_counter() - start
    print("Batch: %s records of 123<TAB>1252454580<TAB>answered, one process, "
          "wall time median (output identical to the Python script's)"
          % format(RECORDS, ","))
    print()
    print("| program | records/s | vs mor-hash -b | peak memory |")
    print("|---|---:|---:|---:|")
    print("| `mor-hash -b` | %s | 1× | %d KiB |"
          % (format(int(RECORDS / t_mor), ","), peak_batch))
    print("| Python hashlib script | %s | %.1f× slower | |"
          % (format(int(RECORDS / t_py), ","), t_py / t_mor))
    print("| shell loop over echo \\| sha1sum \\| awk | %s | %s× slower | |"
          % (format(int(loop_n / t_loop), ","),
             format(int((t_loop / loop_n) / (t_mor / RECORDS)), ",")))
    print()
    print("One 1 GiB value on stdin: peak memory %d KiB, %.2f s with head(1) "
          "feeding it (%.0f MB/s)." % (peak_gib, t_gib, 1073.741824 / t_gib))
    print()

    query = "&".join("p%d=v%d" % (i, i) for i in range(10))
    secret = hashlib.sha1(("v9v3v7v0v5v1v8v2v6v4" + KEY).encode()).hexdigest()
    uri = "http://mor/billing/api/ten?%s&hash=%s" % (query, secret)
    start = time.perf_counter()
    learned = run([MOR_HASH, "--learn", uri], env=env, capture_output=True,
                  text=True).stdout.strip()
    t_learn = time.perf_counter() - start
    if learned != "ten\tp9,p3,p7,p0,p5,p1,p8,p2,p6,p4":
        sys.exit("bench: --learn found %r" % learned)
    print("--learn over 10 parameters (9,864,101 ordered subsets, exhaustive): "
          "%.2f s, %.1f M orders/s." % (t_learn, 9.864101 / t_learn))


if __name__ == "__main__":
    main()
