#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets that are generated rather than copied:
fuzz/corpus/syscall (call records), fuzz/corpus/interp (instruction streams taken from the
riscv-tests ELFs) and fuzz/corpus/costmodel. The snapshot and ELF seeds come from
make-corpus.sh, which calls this. usage: make-corpus.py BUILD_DIR"""
import os, re, struct, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
build = sys.argv[1]

def write(target, name, data):
    d = os.path.join(here, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)

# ---- syscall: numbers and paths as listed in fuzz_syscall.c -----------------------------
src = open(os.path.join(here, 'fuzz_syscall.c')).read()
calls_src = src[src.index('calls[] = {'):src.index('};', src.index('calls[] = {'))]
calls = [int(x) for x in re.findall(r'(\d+),\s*/\*', calls_src)]
paths_src = src[src.index('paths[] = {'):src.index('};', src.index('paths[] = {'))]
paths = re.findall(r'"([^"]*)"', paths_src)

def nr(n):
    return bytes([calls.index(n)])
def semi(op):
    return bytes([0xe8, op])
def raw(n):
    return bytes([0xf8]) + struct.pack('<H', n)
def small(v): return bytes([0, v & 0xff])
def data(off): return bytes([1]) + struct.pack('<H', off)
def path(p): return bytes([2, paths.index(p)])
def wild(v): return bytes([3]) + struct.pack('<Q', v & (2**64 - 1))
FDCWD = bytes([4])
def fd(n): return bytes([5, n])
def length(log2, minus1=False): return bytes([6, log2 | (0x80 if minus1 else 0)])
def iov(i): return bytes([7, i])
def page(n): return bytes([8, n])
def flags(v): return bytes([9]) + struct.pack('<I', v)

def call(sel, *args):
    args = list(args) + [small(0)] * (6 - len(args))
    return sel + b''.join(args)

BUF = 0x1000
O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND, O_DIRECTORY, O_NOFOLLOW = 0, 1, 2, 0o100, 0o1000, 0o2000, 0o200000, 0o400000
seeds = {
    'files': [
        call(nr(56), FDCWD, path('/data/a.txt'), flags(O_RDWR)),
        call(nr(63), fd(3), data(BUF), length(6)),
        call(nr(64), fd(1), data(BUF), length(4)),
        call(nr(62), fd(3), small(0), small(0)),
        call(nr(64), fd(3), data(BUF), length(5)),
        call(nr(80), fd(3), data(BUF)),
        call(nr(46), fd(3), length(12)),
        call(nr(57), fd(3)),
    ],
    'create': [
        call(nr(34), FDCWD, path('/data/new'), flags(0o755)),
        call(nr(56), FDCWD, path('/data/d/new/y'), flags(O_WRONLY | O_CREAT | O_TRUNC), flags(0o644)),
        call(nr(56), FDCWD, path('/data/new'), flags(O_RDONLY | O_DIRECTORY)),
        call(nr(61), fd(3), data(BUF), length(9)),
        call(nr(38), FDCWD, path('/data/a.txt'), FDCWD, path('/data/new')),
        call(nr(35), FDCWD, path('/data/d/x.txt'), small(0)),
        call(nr(36), path('/data/link/secret.txt'), FDCWD, path('/data/new')),
        call(nr(37), FDCWD, path('/ro/r.txt'), FDCWD, path('/data/new'), small(0)),
    ],
    'escape': [
        call(nr(56), FDCWD, path('/data/link/secret.txt'), flags(O_RDWR)),
        call(nr(56), FDCWD, path('/data/../outside/secret.txt'), flags(O_RDONLY)),
        call(nr(56), FDCWD, path('/data/abs'), flags(O_WRONLY | O_TRUNC)),
        call(nr(56), FDCWD, path('/data/fifo'), flags(O_RDONLY)),
        call(nr(56), FDCWD, path('/data/fifo'), flags(O_WRONLY)),
        call(nr(56), FDCWD, path('/ro/r.txt'), flags(O_RDWR | O_TRUNC)),
        call(nr(56), FDCWD, path('/proc/self/root/etc/passwd'), flags(O_RDONLY)),
        call(nr(49), path('/data/d/../../..')),
        call(nr(56), FDCWD, path('..'), flags(O_RDONLY | O_DIRECTORY)),
        call(nr(78), FDCWD, path('/data/link'), data(BUF), length(8)),
        call(nr(53), FDCWD, path('/ro/r.txt'), flags(0o777)),
    ],
    'memory': [
        call(nr(214), small(0)),
        call(nr(222), small(0), length(14), small(3), flags(0x22), small(-1), small(0)),
        call(nr(226), page(0x20), length(12), small(1)),
        call(nr(215), page(0x20), length(13)),
        call(nr(216), page(0x20), length(12), length(16), small(1)),
        call(nr(233), page(0x21), length(12), small(4)),
        call(nr(232), page(0x10), length(14), data(BUF)),
        call(nr(222), small(0), length(12), small(1), flags(0x2), fd(3), small(0)),
    ],
    'vectors': [
        call(nr(56), FDCWD, path('/data/a.txt'), flags(O_RDWR | O_APPEND)),
        call(nr(66), fd(3), iov(0), small(4)),
        call(nr(65), fd(3), iov(2), small(3)),
        call(nr(70), fd(3), iov(0), small(8), length(20)),
        call(nr(69), fd(3), iov(1), small(2), small(0)),
        call(nr(71), fd(1), fd(3), data(BUF), length(10)),
        call(nr(291), FDCWD, path('/data/a.txt'), small(0), flags(0xfff), data(BUF)),
        call(nr(79), FDCWD, path('/data/d'), data(BUF), small(0)),
    ],
    'misc': [
        call(nr(113), small(1), data(BUF)),
        call(nr(101), data(BUF), data(BUF + 64)),
        call(nr(160), data(BUF)),
        call(nr(278), data(BUF), length(8), small(0)),
        call(nr(135), small(0), data(BUF), data(BUF + 64), small(8)),
        call(nr(134), small(11), data(BUF), data(BUF + 64), small(8)),
        call(nr(98), data(BUF), small(0), small(1)),
        call(raw(999), small(1), small(2)),
        call(nr(25), fd(1), small(1030), small(5)),
        call(nr(29), fd(1), flags(0x5401), data(BUF)),
    ],
    'semihost': [
        call(semi(0x01), path('/data/a.txt'), small(0), small(11)),   # SYS_OPEN, mode "r"
        call(semi(0x06), small(3), data(BUF), small(16)),              # SYS_READ
        call(semi(0x0c), small(3)),                                    # SYS_FLEN
        call(semi(0x0a), small(3), small(4)),                          # SYS_SEEK
        call(semi(0x05), small(3), data(BUF), small(4)),               # SYS_WRITE
        call(semi(0x02), small(3)),                                    # SYS_CLOSE
        call(semi(0x01), path('/data/new'), small(4), small(9)),       # SYS_OPEN, mode "w"
        call(semi(0x0e), path('/data/d/x.txt'), small(13)),            # SYS_REMOVE
        call(semi(0x0f), path('/data/a.txt'), small(11), path('/data/new'), small(9)),  # SYS_RENAME
        call(semi(0x15), data(BUF), small(64)),                        # SYS_GET_CMDLINE
        call(semi(0x01), path(':tt'), small(4), small(3)),
        call(semi(0x10)), call(semi(0x13)), call(semi(0x30), data(BUF)),
    ],
}
for name, recs in seeds.items():
    write('syscall', name, b''.join(recs))

# ---- interp: header + code from the riscv-tests programs -------------------------------
def text_of(elf):
    out = subprocess.run(['riscv64-unknown-elf-objcopy', '-O', 'binary', '-j', '.text', elf,
                          '/dev/stdout'], capture_output=True, check=True).stdout
    return out

budgets = bytes([7, 1, 200, 3, 0, 50, 255, 2])
costs = bytes(range(1, 15))
variants = {0x00: 'unit', 0x01: 'weighted', 0x02: 'custom', 0x08: 'onerun', 0x14: 'rwx'}
tests = ['simple', 'add', 'branches', 'amo_d', 'amo_w', 'd_arith', 'csr', 'rvc_mem', 'fence_i',
         'mul', 'div', 'f_arith', 'zbb', 'zicond', 'lr_sc', 'jumps', 'misaligned']
i = 0
for t in tests:
    elf = os.path.join(build, 'riscv-tests', t + '.elf')
    if not os.path.exists(elf):
        continue
    code = text_of(elf)[:3500]
    opt = list(variants)[i % len(variants)]
    write('interp', t, bytes([opt]) + budgets + costs + code)
    i += 1
# Hand-written: a loop that stores, an FP op, self-modifying code on a writable page.
loop = struct.pack('<6I',
               0x00100293,  # li t0, 1
               0x00550533,  # add a0, a0, t0
               0x00a5b023,  # sd a0, 0(a1)
               0xfe5ff06f,  # j -28 (back into the prologue tail: runs to the cap)
               0x00000073, 0x00100073)
write('interp', 'loop', bytes([0x00]) + budgets + costs + loop)
write('interp', 'loop-weighted', bytes([0x21]) + budgets + costs + loop)

# ---- costmodel ---------------------------------------------------------------------------
names = ['alu', 'branch', 'jump', 'load', 'store', 'mul', 'div', 'atomic', 'csr', 'fence',
         'ecall', 'ebreak', 'fp', 'fpdiv']
write('costmodel', 'all', ''.join(f'{n} = {k + 1}\n' for k, n in enumerate(names)).encode())
write('costmodel', 'comments', b'# a model\n\nalu=1\n  div = 40   # slow\nfpdiv\t=\t20\n\n')
write('costmodel', 'weighted',
      b'alu = 1\nbranch = 3\njump = 3\nload = 2\nstore = 3\nmul = 5\ndiv = 32\natomic = 5\n'
      b'csr = 2\nfence = 2\necall = 500\nebreak = 1\nfp = 4\nfpdiv = 20\n')
write('costmodel', 'bad-class', b'alu = 1\nfoo = 2\n')
write('costmodel', 'range', b'alu = 1000000\nmul = 0\n')
write('costmodel', 'no-newline', b'ecall = 17')
