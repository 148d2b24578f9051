#!/usr/bin/env python3
"""Differential test: csmith programs under rvrun against qemu-riscv64.

Each seed is generated with csmith (deterministic for a given csmith version
and option set), compiled with riscv64-linux-gnu-gcc -static at one or more
optimisation levels, and run with the argument "1" (csmith then prints the
value of every global, not only the final checksum) under both rvrun and
qemu-riscv64.  Standard output and exit status must be identical.

Seed specs (command line or --seeds-file lines):
    SEED                 csmith defaults, -O1
    SEED:O1,O2           csmith defaults, -O1 and -O2
    SEED:O2:float        the 'float' profile (csmith --float), -O2
A seeds file holds one spec per line, optionally written with spaces
("SEED O1,O2 float"), optionally followed by 'ci' (the CI subset marker of
seeds.txt, ignored here); '#' starts a comment.

Generated sources and ELFs are cached under --cache (one subdirectory per
csmith version + profile + compiler + flags), so reruns only run.

With --engine jit, rvrun runs with the translation tier on (docs/jit.md):
--jit-threshold N (default 1000) --jit-sync, so code that gets hot is
translated before it goes on. Each program then also runs under the
interpreter, and the two rvrun runs must agree on status, stdout, cycles,
instructions, pc and state digest (their --report), besides matching qemu;
and at least one run must have been translated.

Exit status: 0 when every program agrees, 1 on any mismatch or unusable seed
(qemu too slow / crashed, generation or compile failure), 2 on usage errors.
"""

import argparse
import concurrent.futures
import difflib
import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

# csmith option sets.  Changing one changes the cache key and the programs:
# the seed list was checked with exactly these (see seeds.txt).
PROFILES = {
    'default': [],
    'float': ['--float'],
}
OPT_LEVELS = ('O0', 'O1', 'O2', 'O3', 'Os')
CFLAGS = ['-static', '-w']


def parse_spec(text):
    """'123', '123:O1,O2', '123:O2:float' or '123 O1,O2 float [ci]' -> (seed, [opts], profile)."""
    parts = text.replace(':', ' ').split()
    if len(parts) == 4 and parts[3] == 'ci':  # seeds.txt: member of the CI subset
        parts = parts[:3]
    if not parts or len(parts) > 3 or not parts[0].isdigit():
        raise ValueError(f'bad seed spec {text!r}')
    seed = int(parts[0])
    opts = parts[1].split(',') if len(parts) > 1 else ['O1']
    profile = parts[2] if len(parts) > 2 else 'default'
    for o in opts:
        if o not in OPT_LEVELS:
            raise ValueError(f'bad optimisation level {o!r} in {text!r}')
    if profile not in PROFILES:
        raise ValueError(f'unknown profile {profile!r} in {text!r}')
    return seed, opts, profile


def read_seeds_file(path):
    specs = []
    with open(path) as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if line:
                specs.append(parse_spec(line))
    return specs


def tool_version(cmd, lines=1):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, check=False).stdout
    except OSError:
        return 'unknown'
    return ' '.join(out.split('\n')[:lines]).strip()


def atomic_write(path, data):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix='.tmp-')
    with os.fdopen(fd, 'wb') as f:
        f.write(data)
    os.replace(tmp, path)


class Builder:
    def __init__(self, args):
        self.csmith = args.csmith
        self.gcc = args.gcc
        self.include = args.csmith_include
        self.cache = os.path.abspath(args.cache)
        self.csmith_version = tool_version([self.csmith, '--version'], lines=2)
        self.gcc_version = tool_version([self.gcc, '--version'])

    def profile_dir(self, profile):
        key = hashlib.sha256(repr((self.csmith_version, PROFILES[profile])).encode()).hexdigest()[:12]
        d = os.path.join(self.cache, f'{profile}-{key}')
        os.makedirs(d, exist_ok=True)
        return d

    def csmith_cmd(self, seed, profile):
        return [self.csmith, '--seed', str(seed)] + PROFILES[profile]

    def gcc_cmd(self, opt, src, out):
        return [self.gcc, '-' + opt] + CFLAGS + ['-I' + self.include, '-o', out, src]

    def source(self, seed, profile):
        path = os.path.join(self.profile_dir(profile), f'csmith-{seed}.c')
        if not os.path.exists(path):
            # To stdout, so the "Options:" header line does not name a file.
            r = subprocess.run(self.csmith_cmd(seed, profile), capture_output=True, timeout=300)
            if r.returncode != 0 or not r.stdout:
                raise RuntimeError(f'csmith failed for seed {seed}: {r.stderr.decode(errors="replace")}')
            atomic_write(path, r.stdout)
        return path

    def elf(self, seed, opt, profile):
        src = self.source(seed, profile)
        key = hashlib.sha256(repr((self.gcc_version, opt, CFLAGS)).encode()).hexdigest()[:8]
        path = os.path.join(os.path.dirname(src), f'csmith-{seed}-{opt}-{key}.elf')
        if not os.path.exists(path):
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix='.tmp-', suffix='.elf')
            os.close(fd)
            r = subprocess.run(self.gcc_cmd(opt, src, tmp), capture_output=True, timeout=600)
            if r.returncode != 0:
                os.unlink(tmp)
                raise RuntimeError(f'compile failed for seed {seed} -{opt}: '
                                   f'{r.stderr.decode(errors="replace")[-2000:]}')
            os.replace(tmp, path)
        return src, path


def run(cmd, timeout):
    """-> (status, stdout bytes, stderr bytes, seconds); status None on wall-clock timeout."""
    t0 = time.monotonic()
    try:
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, env={})
        status = r.returncode if r.returncode >= 0 else 128 - r.returncode
        out, err = r.stdout, r.stderr
    except subprocess.TimeoutExpired as e:
        status, out, err = None, e.stdout or b'', e.stderr or b''
    return status, out, err, time.monotonic() - t0


def fmt_status(s):
    return 'wall-clock timeout' if s is None else str(s)


def check_one(args, builder, seed, opt, profile):
    """-> (ok, one-line summary, details)."""
    name = f'seed {seed} -{opt} {profile}'
    try:
        src, elf = builder.elf(seed, opt, profile)
    except (RuntimeError, subprocess.TimeoutExpired) as e:
        return False, f'ERROR {name}: {e}', ''

    q_cmd = [args.qemu, elf, '1']
    r_cmd = [args.rvrun, '--max-cycles', str(args.max_cycles), elf, '1']
    qs, qout, qerr, qt = run(q_cmd, args.qemu_timeout)
    if qs is None or qt > args.qemu_max_seconds:
        return False, (f'UNUSABLE {name}: qemu took {qt:.2f} s (limit {args.qemu_max_seconds} s, '
                       f'status {fmt_status(qs)}); replace this seed in seeds.txt  [{src}]'), ''
    why = []
    if args.engine == 'jit':
        with tempfile.TemporaryDirectory(prefix='difftest-') as tmp:
            plain = r_cmd[1:]
            i_cmd = [args.rvrun, '--report', os.path.join(tmp, 'interp.json')] + plain
            r_cmd = [args.rvrun, '--engine', 'jit', '--jit-threshold', str(args.jit_threshold),
                     '--jit-sync', '--jit-stats', '--report', os.path.join(tmp, 'jit.json')] + r_cmd[1:]
            is_, iout, _, _ = run(i_cmd, args.rvrun_timeout)
            rs, rout, rerr, rt = run(r_cmd, args.rvrun_timeout)
            kinds = ['interp', 'jit']
            if args.jit_file:
                # The cache file's code: a cold run writes the file, a warm one runs it.
                cache = os.path.join(tmp, 'cache')
                os.mkdir(cache)
                for k in ('cold', 'warm'):
                    f_cmd = [args.rvrun, '--engine', 'jit', '--jit-threshold', str(args.jit_threshold),
                             '--jit-sync', '--jit-stats', '--jit-cache', cache,
                             '--report', os.path.join(tmp, k + '.json')] + plain
                    fs, fout, ferr, _ = run(f_cmd, args.rvrun_timeout)
                    if fs != is_ or fout != iout:
                        why.append(f'{k} cache run: status {fmt_status(fs)}, '
                                   f'{"same" if fout == iout else "other"} stdout')
                loaded = [l for l in ferr.split(b'\n') if l.startswith(b'rvrun: jit cache: ')]
                if not loaded or b' 0 slots loaded' in loaded[-1]:
                    why.append('the warm cache run loaded nothing from the file')
                kinds += ['cold', 'warm']
            reports = []
            for k in kinds:
                try:
                    with open(os.path.join(tmp, k + '.json')) as f:
                        reports.append(json.load(f))
                except (OSError, ValueError):
                    reports.append(None)
        stats = [l for l in rerr.split(b'\n') if l.startswith(b'rvrun: jit: ')]
        rerr = b'\n'.join(l for l in rerr.split(b'\n') if not l.startswith(b'rvrun: jit: '))
        translated = int(stats[-1].split()[2]) if stats else 0
        if is_ != rs or iout != rout:
            why.append(f'interpreter: status {fmt_status(is_)}, {"same" if iout == rout else "other"} stdout')
        if None in reports:
            why.append('no --report written')
        else:
            for other, kind in zip(reports[1:], kinds[1:]):
                for k in ('status', 'exit_code', 'cycles', 'instructions', 'pc', 'state_digest'):
                    if reports[0].get(k) != other.get(k):
                        why.append(f'{k}: interpreter {reports[0].get(k)}, {kind} {other.get(k)}')
        if translated == 0:
            why.append('nothing was translated (--jit-stats)')
        extra = (f', {translated} runs translated, '
                 f'{reports[1].get("cycles") if reports[1] else "?"} cycles in both tiers')
    else:
        rs, rout, rerr, rt = run(r_cmd, args.rvrun_timeout)
        extra = ''

    if rs == qs and rout == qout and not why:
        return True, f'ok {name}: status {rs}, {len(rout)} bytes, qemu {qt:.2f} s, rvrun {rt:.2f} s{extra}', ''

    if rs == 124:
        why.append(f'rvrun hit the cycle budget ({args.max_cycles})')
    if rs != qs:
        why.append(f'exit status rvrun {fmt_status(rs)} vs qemu {fmt_status(qs)}')
    if rout != qout:
        why.append('stdout differs')
    lines = [
        f'MISMATCH {name}: ' + '; '.join(why),
        f'  source:  {src}',
        f'  elf:     {elf}',
        f'  rebuild: {shlex.join(builder.csmith_cmd(seed, profile))} > csmith-{seed}.c && '
        f'{shlex.join(builder.gcc_cmd(opt, f"csmith-{seed}.c", f"csmith-{seed}.elf"))}',
        f'  rvrun:   {shlex.join(r_cmd)}   (status {fmt_status(rs)}, {rt:.2f} s)',
        f'  qemu:    {shlex.join(q_cmd)}   (status {fmt_status(qs)}, {qt:.2f} s)',
    ]
    if rout != qout:
        diff = list(difflib.unified_diff(qout.decode(errors='replace').splitlines(),
                                         rout.decode(errors='replace').splitlines(),
                                         'qemu stdout', 'rvrun stdout', lineterm='', n=2))
        if len(diff) > args.max_diff_lines:
            diff = diff[:args.max_diff_lines] + [f'... ({len(diff) - args.max_diff_lines} more diff lines)']
        lines += ['  ' + l for l in diff]
    for label, err in (('rvrun stderr', rerr), ('qemu stderr', qerr)):
        if err:
            lines.append(f'  {label}: ' + err.decode(errors='replace').strip()[-1000:])
    return False, lines[0], '\n'.join(lines[1:])


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('rvrun', help='path to rvrun')
    p.add_argument('qemu', help='path to qemu-riscv64')
    p.add_argument('seeds', nargs='*', help='seed specs: SEED[:O1,O2[:PROFILE]]')
    p.add_argument('--seeds-file', action='append', default=[], help='read seed specs from a file')
    p.add_argument('--csmith', default='csmith')
    p.add_argument('--csmith-include', default='/usr/include/csmith')
    p.add_argument('--gcc', default='riscv64-linux-gnu-gcc')
    p.add_argument('--cache', default=os.path.join(tempfile.gettempdir(), 'rvvm-csmith-cache'),
                   help='directory for generated sources and ELFs (default: %(default)s)')
    p.add_argument('--max-cycles', type=int, default=3_000_000_000, help='rvrun cycle budget')
    p.add_argument('--rvrun-timeout', type=float, default=120, help='rvrun wall-clock limit, s')
    p.add_argument('--qemu-timeout', type=float, default=60, help='qemu wall-clock limit, s')
    p.add_argument('--qemu-max-seconds', type=float, default=20,
                   help='a seed whose qemu run takes longer is reported as unusable (default %(default)s; '
                        'seeds.txt seeds take < 2 s)')
    p.add_argument('--max-diff-lines', type=int, default=60)
    p.add_argument('--engine', choices=('interp', 'jit'), default='interp',
                   help='rvrun engine; with jit, also compared with the interpreter (see above)')
    p.add_argument('--jit-file', action='store_true',
                   help='with --engine jit, also run the cache file\'s code (--jit-cache: cold, then warm)')
    p.add_argument('--jit-threshold', type=int, default=1000, help='with --engine jit (default %(default)s)')
    p.add_argument('-j', '--jobs', type=int, default=1, help='programs checked at once')
    p.add_argument('-v', '--verbose', action='store_true', help='a line for every program')
    args = p.parse_intermixed_args()

    try:
        specs = [parse_spec(s) for s in args.seeds]
        for f in args.seeds_file:
            specs += read_seeds_file(f)
    except (ValueError, OSError) as e:
        print(f'difftest: {e}', file=sys.stderr)
        return 2
    if not specs:
        print('difftest: no seeds', file=sys.stderr)
        return 2
    for tool in (args.rvrun, args.qemu, args.csmith, args.gcc):
        if shutil.which(tool) is None:
            print(f'difftest: {tool} not found', file=sys.stderr)
            return 2

    builder = Builder(args)
    print(f'difftest: {builder.csmith_version}; {builder.gcc_version}')
    jobs = [(seed, opt, profile) for seed, opts, profile in specs for opt in opts]
    t0 = time.monotonic()
    failures = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        futs = [ex.submit(check_one, args, builder, *j) for j in jobs]
        for fut in futs:
            ok, summary, details = fut.result()
            if not ok:
                failures += 1
            if not ok or args.verbose:
                print(summary)
                if details:
                    print(details)
            sys.stdout.flush()
    print(f'difftest: {len(jobs)} programs from {len(specs)} seeds, {failures} failing, '
          f'{time.monotonic() - t0:.1f} s')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
