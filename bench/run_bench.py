#!/usr/bin/env python3
"""Runs the rvvm benchmark suite and prints a Markdown report.

For every program in bench/programs/ (built by bench/Makefile into
build/bench/riscv/<name>.elf and build/bench/native/<name>), this runs, N
times each and interleaved so that machine load drifts affect all runners
alike:

  * the native build (same source, same freestanding runtime),
  * build/rvrun prog.elf,
  * build/rvrun --max-cycles 10^15 prog.elf (exact metering with a budget),
  * qemu-riscv64 prog.elf, when it is installed,

and reports median wall times, guest instructions (from rvrun --report),
MIPS, slowdowns, the cost of a cycle budget, peak host memory of each
process (ru_maxrss, measured by the small C helper bench/timer.c, which
also takes the wall times) and the guest memory the program wrote (the
pages a snapshot taken just before the final exit would store). It also
times `rvrun hello.elf` 50 times. Every run's checksum line must match the
one rvrun printed first, otherwise the script exits 1 (after the report).

Usage: python3 bench/run_bench.py [--runs N] [--programs a,b] [--out FILE]
       (scripts/bench.sh builds everything first and then calls this).
"""

import argparse
import datetime
import json
import math
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROGRAMS = ["sort", "crc32", "sha256", "bytecode", "matmul", "strings",
            "linkedlist", "branchy", "memory"]
HUGE_BUDGET = 10 ** 15
PAGE = 4096
TIMER = None  # build/bench/timer, set in main()
HELLO = os.path.join(ROOT, "build", "tests", "guests", "hello.elf")


class RunError(Exception):
    pass


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run_once(argv, timeout, stdout_path=None):
    """Runs argv under the timer helper (bench/timer.c); returns
    (wall seconds, exit status, max RSS in KiB, stdout text); the CPU time
    (user + system seconds) of the run is left in run_once.cpu."""
    cmd = [TIMER, "-t", str(int(math.ceil(timeout)))]
    if stdout_path:
        cmd += ["-o", stdout_path]
    res = subprocess.run(cmd + ["--"] + argv, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, text=True)
    fields = res.stdout.split()
    if res.returncode != 0 or len(fields) != 4:
        raise RunError(f"timer failed on {argv!r}")
    text = ""
    if stdout_path:
        with open(stdout_path, "r", errors="replace") as f:
            text = f.read()
    run_once.cpu = float(fields[3])
    return float(fields[0]), int(fields[1]), int(fields[2]), text


def last_line(text):
    lines = [l for l in text.splitlines() if l.strip()]
    return lines[-1] if lines else ""


def geomean(values):
    values = [v for v in values if v is not None and v > 0]
    if not values:
        return None
    return math.exp(sum(math.log(v) for v in values) / len(values))


def fmt(v, digits=2, suffix=""):
    if v is None:
        return "–"
    return f"{v:.{digits}f}{suffix}"


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True,
                              timeout=20).stdout.strip()
    except Exception:
        return ""


def machine_info():
    lscpu = {}
    for line in sh("LC_ALL=C lscpu").splitlines():
        key, _, val = line.partition(":")
        lscpu.setdefault(key.strip(), val.strip())
    model = lscpu.get("Model name", "")
    cpus = lscpu.get("CPU(s)", "")
    try:
        cores = str(int(lscpu["Core(s) per socket"]) * int(lscpu.get("Socket(s)", "1")))
    except (KeyError, ValueError):
        cores = "?"
    commit = sh(f"git -C {shlex.quote(ROOT)} rev-parse --short HEAD")
    if commit and sh(f"git -C {shlex.quote(ROOT)} status --porcelain --untracked-files=no"):
        commit += " (with uncommitted changes)"
    qemu = sh("qemu-riscv64 --version").splitlines()
    return {
        "cpu": model or platform.processor() or platform.machine(),
        "cpus": cpus or str(os.cpu_count()),
        "cores": cores,
        "arch": platform.machine(),
        "kernel": platform.release(),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit or "unknown",
        "host_cc": (sh("gcc --version").splitlines() or [""])[0],
        "riscv_cc": (sh("riscv64-unknown-elf-gcc --version").splitlines() or [""])[0],
        "qemu": qemu[0] if qemu else "not installed",
        "load_start": load_average(),
    }


def load_average():
    try:
        return "%.2f" % os.getloadavg()[0]
    except OSError:
        return "?"


def written_pages(rvrun, elf, tmp, timeout):
    """Guest pages written by a one-repetition run (same arrays as the full
    run): a snapshot one cycle before the end stores exactly those pages."""
    report = os.path.join(tmp, "touch.json")
    _, rc, _, _ = run_once([rvrun, "--report", report, elf, "1"], timeout,
                           os.path.join(tmp, "touch.out"))
    if rc != 0:
        return None
    with open(report) as f:
        cycles = json.load(f)["cycles"]
    snap = os.path.join(tmp, "touch.snap")
    _, rc, _, _ = run_once([rvrun, "--max-cycles", str(cycles - 1), "--snapshot", snap,
                            elf, "1"], timeout, os.path.join(tmp, "touch.out"))
    if rc != 124:
        return None
    res = subprocess.run([rvrun, "--inspect", snap, "--json"], capture_output=True,
                         text=True, timeout=timeout)
    os.unlink(snap)
    try:
        info = json.loads(res.stdout)
        return sum(1 for p in info["pages"] if p.get("kind") in ("data", "zero"))
    except (ValueError, KeyError):
        return None


def bench_program(name, args, tmp, qemu):
    elf = os.path.join(args.build_dir, "riscv", name + ".elf")
    native = os.path.join(args.build_dir, "native", name)
    for path in (elf, native):
        if not os.path.exists(path):
            raise RunError(f"{path} is missing; run `make -C bench` first")
    elf = shutil.copy2(elf, os.path.join(tmp, "bin"))
    native = shutil.copy2(native, os.path.join(tmp, "bin"))
    out = os.path.join(tmp, name + ".out")
    report = os.path.join(tmp, name + ".json")
    problems = []

    # Reference run: instruction count, expected checksum line.
    _, rc, _, text = run_once([args.rvrun, "--report", report, elf], args.timeout, out)
    if rc != 0:
        raise RunError(f"{name}: rvrun exited with status {rc}")
    with open(report) as f:
        rep = json.load(f)
    expected = last_line(text)
    if f"{name} reps=" not in expected:
        raise RunError(f"{name}: unexpected output {expected!r}")

    runners = [("native", [native]),
               ("rvrun", [args.rvrun, "--engine", "interp", elf]),
               ("metered", [args.rvrun, "--engine", "interp", "--max-cycles", str(HUGE_BUDGET), elf])]
    if qemu:
        runners.append(("qemu", [qemu, elf]))
    if args.jit:
        # The translation tier (docs/jit.md), default threshold, and with a budget.
        runners.append(("jit", [args.rvrun, "--engine", "jit", elf]))
        runners.append(("jit_metered", [args.rvrun, "--engine", "jit", "--max-cycles",
                                        str(HUGE_BUDGET), elf]))
        # With a cache directory (rvrun --jit-cache): the runs after the
        # first two, which compile and write it (the second writes a delta
        # for the runs the loaded code exits to), metered. Not timed.
        cache = os.path.join(tmp, "jit-cache-" + name)
        os.makedirs(cache, exist_ok=True)
        warm = [args.rvrun, "--engine", "jit", "--jit-cache", cache, "--max-cycles", str(HUGE_BUDGET), elf]
        for _ in range(2):
            run_once(warm, args.timeout, out)
        runners.append(("jit_warm", warm))
    times = {k: [] for k, _ in runners}
    cpu = {k: [] for k, _ in runners}
    rss = {k: [] for k, _ in runners}
    for i in range(args.runs):
        for key, argv in runners:
            t, rc, maxrss, text = run_once(argv, args.timeout, out)
            got = last_line(text)
            if rc != 0 or got != expected:
                problems.append(f"{name}: {key} run {i + 1}: status {rc}, output {got!r}, "
                                f"expected {expected!r}")
            times[key].append(t)
            cpu[key].append(run_once.cpu)
            rss[key].append(maxrss)
    med = {k: statistics.median(v) for k, v in (times if args.clock == "wall" else cpu).items()}
    pages = None if args.no_touched else written_pages(args.rvrun, elf, tmp, args.timeout)
    if pages is None and not args.no_touched:
        problems.append(f"{name}: could not measure the guest memory written")
    insns = rep["instructions"]
    res = {
        "program": name,
        "checksum": expected,
        "instructions": insns,
        "cycles": rep["cycles"],
        "times": times,
        "median": med,
        "cpu_times": cpu,
        "median_cpu": {k: statistics.median(v) for k, v in cpu.items()},
        "max_rss_kib": {k: max(v) for k, v in rss.items()},
        "written_pages": pages,
        "mips": insns / med["rvrun"] / 1e6,
        "mips_cpu": (insns / statistics.median(cpu["rvrun"]) / 1e6
                     if statistics.median(cpu["rvrun"]) > 0 else None),
        "vs_native": med["rvrun"] / med["native"],
        "metering": med["metered"] / med["rvrun"],
        "metering_cpu": (statistics.median(cpu["metered"]) / statistics.median(cpu["rvrun"])
                         if statistics.median(cpu["rvrun"]) > 0 else None),
        "qemu_mips": insns / med["qemu"] / 1e6 if qemu else None,
        "vs_qemu": med["rvrun"] / med["qemu"] if qemu else None,
        "problems": problems,
    }
    return res


def bench_hello(args, tmp, qemu):
    hello = args.hello
    if not hello:
        return None
    out = {}
    for key, argv in [("rvrun", [args.rvrun, hello])] + ([("qemu", [qemu, hello])] if qemu else []):
        times = []
        for _ in range(args.hello_runs):
            t, rc, _, _ = run_once(argv, args.timeout)
            if rc != 0:
                log(f"bench: hello world: {key} exited with status {rc}")
                return None
            times.append(t)
        out[key] = statistics.median(times)
    return out


def markdown(results, hello, info, args, qemu):
    q = bool(qemu)
    cmd = " ".join(shlex.quote(a) for a in args.command_line)
    lines = []
    lines.append(f"- Machine: {info['cpu']}, {info['cores']} cores, {info['cpus']} CPUs "
                 f"({info['arch']}, Linux "
                 f"{info['kernel']}); {info['date']}; rvvm {info['commit']}.")
    lines.append(f"- Compilers: {info['riscv_cc']}; native {info['host_cc']}. "
                 f"Reference: {info['qemu']}.")
    clock = "wall time" if args.clock == "wall" else "user + system CPU time"
    lines.append(f"- Command: `{cmd}` (median of {args.runs} runs each, {clock}); load "
                 f"average {info['load_start']} at the start, {info['load_end']} at the end.")
    lines.append("")
    head = ["program", "guest insns (M)", "native s", "rvrun s", "rvrun MIPS", "MIPS (CPU time)",
            "rvrun / native"]
    if q:
        head += ["qemu s", "qemu MIPS", "rvrun / qemu"]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|")
    for r in results:
        row = [r["program"], f"{r['instructions'] / 1e6:.1f}", fmt(r["median"]["native"], 3),
               fmt(r["median"]["rvrun"], 3), fmt(r["mips"], 0), fmt(r["mips_cpu"], 0),
               fmt(r["vs_native"], 1, "×")]
        if q:
            row += [fmt(r["median"]["qemu"], 3), fmt(r["qemu_mips"], 0), fmt(r["vs_qemu"], 2, "×")]
        lines.append("| " + " | ".join(row) + " |")
    if results:
        g = lambda k: geomean([r[k] for r in results])
        gm = lambda k: geomean([r["median"][k] for r in results])
        row = ["**geomean**", fmt(geomean([r["instructions"] / 1e6 for r in results]), 1),
               fmt(gm("native"), 3), fmt(gm("rvrun"), 3), f"**{fmt(g('mips'), 0)}**",
               fmt(g("mips_cpu"), 0),
               f"**{fmt(g('vs_native'), 1, '×')}**"]
        if q:
            row += [fmt(gm("qemu"), 3), fmt(g("qemu_mips"), 0), f"**{fmt(g('vs_qemu'), 2, '×')}**"]
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")

    head = ["program", "rvrun s", "rvrun CPU s", "--max-cycles 1e15 s", "metering cost",
            "metering cost (CPU)", "rvrun max RSS MiB", "guest written MiB"]
    if q:
        head.append("qemu max RSS MiB")
    head.append("native max RSS MiB")
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|")
    for r in results:
        mib = lambda kib: kib / 1024
        wp = r["written_pages"]
        row = [r["program"], fmt(r["median"]["rvrun"], 3), fmt(r["median_cpu"]["rvrun"], 3),
               fmt(r["median"]["metered"], 3),
               fmt(r["metering"], 3, "×"), fmt(r["metering_cpu"], 3, "×"),
               fmt(mib(r["max_rss_kib"]["rvrun"]), 1),
               fmt(wp * PAGE / 2 ** 20 if wp is not None else None, 1)]
        if q:
            row.append(fmt(mib(r["max_rss_kib"]["qemu"]), 1))
        row.append(fmt(mib(r["max_rss_kib"]["native"]), 1))
        lines.append("| " + " | ".join(row) + " |")
    if results:
        row = ["**geomean**", fmt(geomean([r["median"]["rvrun"] for r in results]), 3),
               fmt(geomean([r["median_cpu"]["rvrun"] for r in results]), 3),
               fmt(geomean([r["median"]["metered"] for r in results]), 3),
               f"**{fmt(geomean([r['metering'] for r in results]), 3, '×')}**",
               f"**{fmt(geomean([r['metering_cpu'] for r in results]), 3, '×')}**", "", ""]
        if q:
            row.append("")
        row.append("")
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    if args.jit and results:
        # Interpreter, translation tier and qemu side by side, CPU time (the
        # tier's compile thread and the assembler/linker it runs included).
        head = ["program", "interp CPU s", "jit CPU s", "jit --max-cycles 1e15 CPU s",
                "jit / interp", "jit warm cache, metered CPU s", "warm: × interp speed"]
        if q:
            head += ["qemu CPU s", "jit / qemu", "warm / qemu"]
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|")
        mc = lambda r, k: r["median_cpu"][k]
        for r in results:
            row = [r["program"], fmt(mc(r, "rvrun"), 3), fmt(mc(r, "jit"), 3),
                   fmt(mc(r, "jit_metered"), 3), fmt(mc(r, "jit") / mc(r, "rvrun"), 2, "×"),
                   fmt(mc(r, "jit_warm"), 3), fmt(mc(r, "rvrun") / mc(r, "jit_warm"), 2, "×")]
            if q:
                row += [fmt(mc(r, "qemu"), 3), fmt(mc(r, "jit") / mc(r, "qemu"), 2, "×"),
                        fmt(mc(r, "jit_warm") / mc(r, "qemu"), 2, "×")]
            lines.append("| " + " | ".join(row) + " |")
        gmc = lambda k: geomean([mc(r, k) for r in results])
        row = ["**geomean**", fmt(gmc("rvrun"), 3), fmt(gmc("jit"), 3), fmt(gmc("jit_metered"), 3),
               f"**{fmt(gmc('jit') / gmc('rvrun'), 2, '×')}**", fmt(gmc("jit_warm"), 3),
               f"**{fmt(gmc('rvrun') / gmc('jit_warm'), 2, '×')}**"]
        if q:
            row += [fmt(gmc("qemu"), 3), f"**{fmt(gmc('jit') / gmc('qemu'), 2, '×')}**",
                    f"**{fmt(gmc('jit_warm') / gmc('qemu'), 2, '×')}**"]
        lines.append("| " + " | ".join(row) + " |")
        lines.append("")
    if hello:
        s = f"Hello world (`build/rvrun build/tests/guests/hello.elf`, load and run, median of " \
            f"{args.hello_runs}): **{hello['rvrun'] * 1e3:.2f} ms**"
        if "qemu" in hello:
            s += f" (qemu-riscv64: {hello['qemu'] * 1e3:.2f} ms)"
        lines.append(s + ".")
    else:
        lines.append("Hello world: build/tests/guests/hello.elf not available.")
    lines.append("")
    lines.append("Guest written = pages a snapshot stores one cycle before the exit of a "
                 "one-repetition run (same arrays as the full run); metering cost = median time "
                 "with `--max-cycles 1000000000000000` / median time without a budget; CPU s, MIPS (CPU "
                 "time) = user + system time of the same rvrun runs (wall time well above it means "
                 f"the machine was busy; all other columns use {clock}).")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="runs per program and runner (default 5)")
    ap.add_argument("--programs", default=",".join(PROGRAMS),
                    help="comma-separated subset (default: all)")
    ap.add_argument("--rvrun", default=os.path.join(ROOT, "build", "rvrun"))
    ap.add_argument("--build-dir", default=os.path.join(ROOT, "build", "bench"),
                    help="where bench/Makefile put riscv/ and native/ (default build/bench)")
    ap.add_argument("--no-qemu", action="store_true", help="skip qemu-riscv64 even if installed")
    ap.add_argument("--jit", action="store_true",
                    help="also run rvrun --engine jit (the translation tier, docs/jit.md)")
    ap.add_argument("--no-touched", action="store_true",
                    help="skip the snapshot run that measures the guest memory written")
    ap.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                    help="time to report: wall (default) or user + system CPU time, which is "
                         "less disturbed by other load on the machine")
    ap.add_argument("--hello-runs", type=int, default=50)
    ap.add_argument("--timeout", type=float, default=300, help="seconds per run (default 300)")
    ap.add_argument("--out", help="also write the Markdown report here")
    ap.add_argument("--json", help="also write all measurements as JSON here")
    args = ap.parse_args()
    args.hello = None
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    if os.environ.get("RVVM_BENCH_COMMAND"):  # set by scripts/bench.sh
        args.command_line = shlex.split(os.environ["RVVM_BENCH_COMMAND"])
    else:
        args.command_line = ["python3", "bench/run_bench.py"] + sys.argv[1:]
    names = [n for n in args.programs.split(",") if n]
    for n in names:
        if n not in PROGRAMS:
            ap.error(f"unknown program {n!r}; known: {', '.join(PROGRAMS)}")
    if not os.access(args.rvrun, os.X_OK):
        ap.error(f"{args.rvrun} not found; run `bash scripts/build.sh` first")
    qemu = None if args.no_qemu else shutil.which("qemu-riscv64")
    global TIMER
    TIMER = os.path.join(args.build_dir, "timer")
    if not os.access(TIMER, os.X_OK):
        ap.error(f"{TIMER} not found; run `make -C bench` first")

    info = machine_info()
    results = []
    problems = []
    t_start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="rvvm-bench.") as tmp:
        # Measure private copies: every run then uses the same binaries even
        # if build/ is rebuilt while the suite runs.
        os.makedirs(os.path.join(tmp, "bin"))
        rvrun_copy = os.path.join(tmp, "bin", "rvrun")
        shutil.copy2(args.rvrun, rvrun_copy)
        args.rvrun = rvrun_copy
        if os.path.exists(HELLO):
            args.hello = os.path.join(tmp, "bin", "hello.elf")
            shutil.copy2(HELLO, args.hello)
        for name in names:
            log(f"bench: {name} ...")
            try:
                r = bench_program(name, args, tmp, qemu)
            except RunError as e:
                problems.append(str(e))
                log(f"bench: {e}")
                continue
            results.append(r)
            problems += r["problems"]
            log(f"bench: {name}: {r['instructions'] / 1e6:.0f} M insns, rvrun "
                f"{r['median']['rvrun']:.3f} s = {r['mips']:.0f} MIPS, {r['vs_native']:.1f}x native"
                + (f", {r['vs_qemu']:.2f}x qemu" if qemu else "")
                + f", metering {r['metering']:.3f}x")
        log("bench: hello world ...")
        hello = bench_hello(args, tmp, qemu)

    info["load_end"] = load_average()
    md = markdown(results, hello, info, args, qemu)
    print(md, end="")
    if args.out:
        with open(args.out, "w") as f:
            f.write(md)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": info, "runs": args.runs, "results": results, "hello": hello,
                       "problems": problems}, f, indent=2)
    log(f"bench: total {time.perf_counter() - t_start:.0f} s")
    if problems:
        for p in problems:
            log(f"bench: PROBLEM: {p}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
