#!/usr/bin/env python3
"""Reference values of Go's `math` functions as Prometheus 2.42 (Go 1.19, linux/amd64) computes them.

Usage: scripts/oracle/gomath_reference.py [OUTDIR]
       (default OUTDIR: promtest-runtime/tests/data/gomath)

Starts the packaged `prometheus` on 127.0.0.1 (a free port, a temporary TSDB and an empty
scrape config), asks it `/api/v1/query` for each function over a fixed, seeded set of inputs,
and writes one binary file per function: records of little-endian u64 bit patterns, the
inputs then the output (`<name>.bin`, 16 bytes a record for one argument, 24 for two).
The JSON value strings are Go's shortest round-trip formatting, so they give the exact
output bits (NaN's sign and payload excepted: a NaN output is stored as 0x7ff8000000000000).

Go's amd64 `math.Exp` takes a fused multiply-add path when the CPU has AVX2 and FMA; the
functions built on it (`sinh`, `cosh`, `tanh`, `^`) follow. A second server with
`GODEBUG=cpu.fma=off` gives `exp_nofma.bin`, the SSE2 path. Needs nothing else than the
`prometheus` binary; the test run (`cargo test`) needs only the files written here.
"""
import json
import math
import os
import random
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

BATCH = 800


class Prometheus:
    """A throwaway Prometheus server on 127.0.0.1, queried over its HTTP API."""

    def __init__(self, env_extra=None):
        self.dir = tempfile.TemporaryDirectory()
        cfg = os.path.join(self.dir.name, "prometheus.yml")
        with open(cfg, "w") as f:
            f.write("global: {}\nscrape_configs: []\n")
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        env = dict(os.environ, **(env_extra or {}))
        self.proc = subprocess.Popen(
            ["prometheus", f"--config.file={cfg}", f"--storage.tsdb.path={self.dir.name}/data",
             f"--web.listen-address=127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/-/ready", timeout=1)
                return
            except Exception:
                time.sleep(0.1)
        self.close()
        raise RuntimeError("prometheus did not become ready")

    def close(self):
        self.proc.terminate()
        self.proc.wait()
        self.dir.cleanup()

    def query(self, expr):
        data = urllib.parse.urlencode({"query": expr, "time": "100"}).encode()
        url = f"http://127.0.0.1:{self.port}/api/v1/query"
        with urllib.request.urlopen(url, data, timeout=120) as r:
            body = json.load(r)
        if body.get("status") != "success":
            raise RuntimeError(f"{body}: {expr[:200]}")
        return body["data"]["result"]

    def values(self, exprs):
        """Evaluates each instant-vector expression (one sample each) in batches."""
        out = []
        for start in range(0, len(exprs), BATCH):
            chunk = exprs[start:start + BATCH]
            q = " or ".join(f'label_replace({e}, "i", "{i}", "", "")' for i, e in enumerate(chunk))
            got = {int(s["metric"]["i"]): float(s["value"][1]) for s in self.query(q)}
            if len(got) != len(chunk):
                raise RuntimeError(f"{len(chunk) - len(got)} results missing")
            out += [got[i] for i in range(len(chunk))]
        return out


def lit(x):
    """A PromQL literal for x, exactly (Go's ParseFloat reads repr's digits back exactly)."""
    if math.isnan(x):
        return "(NaN)"
    if math.isinf(x):
        return "(+Inf)" if x > 0 else "(-Inf)"
    if x == 0 and math.copysign(1, x) < 0:
        return "(-0)"
    return f"({x!r})"


def bits(x):
    if math.isnan(x):
        return 0x7FF8000000000000
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def from_bits(b):
    return struct.unpack("<d", struct.pack("<Q", b))[0]


def step(x, k):
    """x moved by k ulps, through zero into the negatives and back (-0 counts as +0)."""
    b = bits(x)
    key = -(b & 0x7FFFFFFFFFFFFFFF) if b >> 63 else b
    key += k
    return -from_bits(-key) if key < 0 else from_bits(key)


R = random.Random(20240917)
INF, NAN = math.inf, math.nan
SPECIAL = [0.0, -0.0, INF, -INF, NAN, 5e-324, -5e-324, 1e-310, -1e-310, 2.2250738585072014e-308,
           2.225073858507201e-308, -2.2250738585072014e-308, 1.7976931348623157e308,
           -1.7976931348623157e308, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 3.0, 10.0, 0.1, -0.1,
           math.pi, -math.pi, math.e, 1e-300, 1e300, -1e300, 2.0 ** -1022, 2.0 ** 1023]


def any_double(lo=-1074, hi=1023, signed=True):
    """Log-uniform: a random mantissa with a random binary exponent in [lo, hi]."""
    e = R.randint(lo, hi)
    x = math.ldexp(1 + R.random(), e) if e >= -1022 else math.ldexp(R.random(), -1022)
    if x == 0 or math.isinf(x):
        x = 1.0
    return -x if signed and R.random() < 0.5 else x


def uniform(lo, hi, n):
    return [R.uniform(lo, hi) for _ in range(n)]


def near(centres, spread=8):
    out = []
    for c in centres:
        for k in range(-spread, spread + 1):
            out.append(step(c, k))
    return out


def inputs_log():
    xs = SPECIAL + [any_double(signed=False) for _ in range(1600)]
    xs += [from_bits(R.randint(1, (1 << 52) - 1)) for _ in range(250)]  # subnormals
    xs += near([1.0], 60) + [1 + R.uniform(-1e-3, 1e-3) for _ in range(200)]
    hs = 0.7071067811865476
    xs += near([math.ldexp(hs, e) for e in (-1021, -200, -3, 0, 1, 2, 30, 500, 1024)], 2)
    xs += [2.0 ** e for e in range(-1074, 1024, 7)]
    xs += [float(i) for i in range(1, 400)] + uniform(0, 10, 500) + [-any_double(-20, 20, False) for _ in range(30)]
    return xs


def inputs_exp():
    xs = SPECIAL + uniform(-746, 710, 1800) + uniform(-1, 1, 300)
    xs += [any_double(-1074, -20) for _ in range(200)]
    xs += near([709.782712893384, 709.782712893383973096, -708.3964185322641, -745.1332191019411,
                -745.1332191019412, -744.44007192138122], 6)
    xs += uniform(-745.2, -707.5, 400) + [float(i) for i in range(-750, 712, 3)]
    xs += near([(k + 0.5) * math.log(2) for k in range(-40, 41, 3)], 3)
    xs += [any_double(10, 1023) for _ in range(60)]
    return xs


def inputs_trig():
    xs = SPECIAL + uniform(-10, 10, 1000) + [any_double(-1074, -1) for _ in range(150)]
    xs += near([k * math.pi / 4 for k in range(-40, 41)], 2)
    xs += near([k * math.pi / 4 for k in (1000, 12345, 99999, 1000001, 123456789, 683565275)], 3)
    xs += [R.uniform(0, 2.0 ** 29) * R.choice([1, -1]) for _ in range(300)]
    xs += near([2.0 ** 29], 4) + [any_double(29, 1023) for _ in range(700)]
    xs += [any_double(1, 29) for _ in range(300)]
    return xs


def inputs_unit():
    """[-1, 1] with its edges and branch points, and a few outside."""
    xs = SPECIAL + uniform(-1, 1, 1800) + near([1.0, -1.0, 0.7, -0.7, 0.5, -0.5, 0.0], 40)
    xs += [any_double(-1074, -1) for _ in range(400)] + uniform(-3, 3, 100)
    xs += [1 - 2.0 ** -e for e in range(1, 54)] + [-1 + 2.0 ** -e for e in range(1, 54)]
    return xs


def inputs_atan():
    xs = SPECIAL + [any_double() for _ in range(1500)] + uniform(-5, 5, 1000)
    xs += near([0.66, -0.66, 2.414213562373095, -2.414213562373095, 1.0, -1.0], 20)
    xs += [any_double(-40, 40) for _ in range(500)]
    return xs


def inputs_hyperbolic():
    xs = SPECIAL + uniform(-25, 25, 1500) + uniform(-1, 1, 400) + uniform(-720, 720, 300)
    xs += near([0.5, -0.5, 0.625, -0.625, 21.0, -21.0, 22.0, 44.014845965556525, -44.014845965556525,
                710.4758600739439, -710.4758600739439], 10)
    xs += [any_double(-1074, -1) for _ in range(300)] + [any_double(5, 1023) for _ in range(200)]
    return xs


def inputs_asinh():
    xs = SPECIAL + [any_double() for _ in range(1500)] + uniform(-5, 5, 1000)
    xs += near([2.0, -2.0, 2.0 ** 28, -(2.0 ** 28), 2.0 ** -28, -(2.0 ** -28)], 10)
    xs += [any_double(-30, 30) for _ in range(500)]
    return xs


def inputs_acosh():
    xs = SPECIAL + uniform(1, 3, 1200) + near([1.0, 2.0, 2.0 ** 28], 30)
    xs += [1 + any_double(-60, -1, False) for _ in range(400)]
    xs += [any_double(0, 1023, False) for _ in range(1200)] + uniform(-2, 1, 100)
    return xs


def inputs_pow():
    pairs = [(x, y) for x in SPECIAL for y in SPECIAL]
    pairs += [(any_double(-20, 20, False), R.uniform(-50, 50)) for _ in range(1200)]
    pairs += [(any_double(-10, 10), float(R.randint(-140, 140))) for _ in range(900)]
    pairs += [(any_double(-1074, 1023), float(R.randint(-300, 300))) for _ in range(300)]
    pairs += [(x, y + d) for x, y in [(R.uniform(0, 10), float(R.randint(-20, 20))) for _ in range(200)]
              for d in (0.5, -0.5, 0.5000000000000001, 0.49999999999999994)]
    pairs += [(R.uniform(-10, 10), float(R.randint(-20, 20)) + R.random()) for _ in range(100)]
    pairs += [(step(1.0, R.randint(-1000, 1000)), any_double(10, 70)) for _ in range(300)]
    pairs += [(R.uniform(0.1, 10), y) for y in (2.0 ** 63, 2.0 ** 64, 1e20, -1e20, 9.2e18, -(2.0 ** 63)) for _ in range(10)]
    pairs += [(-R.uniform(0.1, 10), y) for y in (2.0 ** 63, 2.0 ** 64, 1e20, 2.0 ** 53 + 2) for _ in range(5)]
    pairs += [(x, 1.0 / 3) for x in uniform(0, 1000, 100)] + [(x, 0.5) for x in uniform(0, 100, 20)]
    pairs += [(any_double(), any_double(-30, 12)) for _ in range(500)]
    return pairs


def inputs_atan2():
    pairs = [(y, x) for y in SPECIAL for x in SPECIAL]
    pairs += [(any_double(), any_double()) for _ in range(1200)]
    pairs += [(R.uniform(-10, 10), R.uniform(-10, 10)) for _ in range(1200)]
    pairs += [(any_double(-30, 30), any_double(-30, 30)) for _ in range(600)]
    return pairs


def inputs_mod():
    pairs = [(x, y) for x in SPECIAL for y in SPECIAL]
    pairs += [(any_double(), any_double()) for _ in range(1000)]
    pairs += [(R.uniform(-1000, 1000), R.uniform(-30, 30)) for _ in range(1000)]
    pairs += [(float(R.randint(-10 ** 6, 10 ** 6)), float(R.randint(-100, 100) or 7)) for _ in range(600)]
    pairs += [(any_double(-30, 60), any_double(-30, 10)) for _ in range(600)]
    return pairs


UNARY = {
    # name: (promql function, inputs)
    "log": ("ln", inputs_log),
    "log2": ("log2", inputs_log),
    "log10": ("log10", inputs_log),
    "exp": ("exp", inputs_exp),
    "sin": ("sin", inputs_trig),
    "cos": ("cos", inputs_trig),
    "tan": ("tan", inputs_trig),
    "asin": ("asin", inputs_unit),
    "acos": ("acos", inputs_unit),
    "atanh": ("atanh", inputs_unit),
    "atan": ("atan", inputs_atan),
    "sinh": ("sinh", inputs_hyperbolic),
    "cosh": ("cosh", inputs_hyperbolic),
    "tanh": ("tanh", inputs_hyperbolic),
    "asinh": ("asinh", inputs_asinh),
    "acosh": ("acosh", inputs_acosh),
}
def inputs_minmax():
    pairs = [(x, y) for x in SPECIAL for y in SPECIAL]
    pairs += [(any_double(), any_double()) for _ in range(800)]
    pairs += [(float(R.randint(-5, 5)), float(R.randint(-5, 5))) for _ in range(200)]
    return pairs


def infix(op):
    return lambda a, b: f"vector({lit(a)} {op} {lit(b)})"


# name: (PromQL expression of (a, b), inputs); clamp_min and clamp_max are Go's Max and Min.
BINARY = {
    "pow": (infix("^"), inputs_pow),
    "atan2": (infix("atan2"), inputs_atan2),
    "mod": (infix("%"), inputs_mod),
    "max": (lambda a, b: f"clamp_min(vector{lit(b)}, {lit(a)})", inputs_minmax),
    "min": (lambda a, b: f"clamp_max(vector{lit(b)}, {lit(a)})", inputs_minmax),
}


def write(path, records):
    with open(path, "wb") as f:
        for rec in records:
            f.write(struct.pack("<" + "Q" * len(rec), *map(bits, rec)))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "promtest-runtime", "tests", "data", "gomath")
    os.makedirs(out, exist_ok=True)
    cache = {}
    prom = Prometheus()
    try:
        for name, (fn, gen) in UNARY.items():
            R.seed(name)
            xs = cache.setdefault(gen, gen())
            ys = prom.values([f"{fn}(vector{lit(x)})" for x in xs])
            write(os.path.join(out, f"{name}.bin"), zip(xs, ys))
            print(f"{name}: {len(xs)}")
        for name, (expr, gen) in BINARY.items():
            R.seed(name)
            pairs = gen()
            zs = prom.values([expr(a, b) for a, b in pairs])
            write(os.path.join(out, f"{name}.bin"), [(a, b, z) for (a, b), z in zip(pairs, zs)])
            print(f"{name}: {len(pairs)}")
        xs = cache[inputs_exp]
    finally:
        prom.close()
    prom = Prometheus({"GODEBUG": "cpu.fma=off"})
    try:
        ys = prom.values([f"exp(vector{lit(x)})" for x in xs])
        write(os.path.join(out, "exp_nofma.bin"), zip(xs, ys))
        print(f"exp_nofma: {len(xs)}")
    finally:
        prom.close()


if __name__ == "__main__":
    main()
