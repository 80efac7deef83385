#!/usr/bin/env python3
"""Re-check a promqltest `.test` eval against Prometheus' `promtool test rules`.

Usage: promtool_eval.py FILE.test LINE [LINE...]   (LINE = line of an `eval` command)
       promtool_eval.py FILE.test all
       promtool_eval.py --check FILE.test...   (compare with the expected series; print mismatches)

The loads in effect at that eval (all `load` blocks since the last `clear`) become
the `input_series` of a throwaway rule test; an instant eval becomes one
`promql_expr_test`, a range eval one per step. promtool reports the values it got
(the expected samples are left empty on purpose), which this script prints.
Only for checking expectations by hand; the test run never needs it.
Caveats: promtool 2.42 selects ranges closed on the left ([t-r, t]); Prometheus 3
selects (t-r, t]: `--left-open` shrinks literal ranges by 1ms to mimic that (values
then match to 1e-4, as extrapolation shifts by 1ms). The 5m lookback is closed in 2.42
too. promtool loads input series step by step, so negative offsets and `@` times
after the evaluation time see no data, and each range step is an instant query
(start() = end() = that step). Newer syntax (duration expressions, fill, limitk,
UTF-8 names, newer functions) does not parse in 2.42.
"""
import math
import os
import re
import subprocess
import sys
import tempfile

DUR = re.compile(r"(\d+)(ms|y|w|d|h|m|s)")
UNIT = {"ms": 1, "s": 1000, "m": 60000, "h": 3600000, "d": 86400000, "w": 604800000, "y": 31536000000}


def dur_ms(text):
    text = text.strip()
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return int(float(text) * 1000)
    total, pos = 0, 0
    for m in DUR.finditer(text):
        if m.start() != pos:
            raise ValueError(f"bad duration {text!r}")
        total += int(m.group(1)) * UNIT[m.group(2)]
        pos = m.end()
    if pos != len(text):
        raise ValueError(f"bad duration {text!r}")
    return total


def expand(points):
    """Expand the series notation into a list of value strings ('_' = no sample)."""
    out = []
    for tok in points.split():
        m = re.fullmatch(r"(_|[^x+\-][^x]*?|[-+]?[^x]+?)x(\d+)", tok)
        step = re.fullmatch(r"([-+]?[0-9.eE]+|[-+]?Inf|NaN)([+-])([0-9.eE]+|Inf|NaN)x(\d+)", tok)
        if step:
            a, sign, b, n = float(step.group(1)), step.group(2), float(step.group(3)), int(step.group(4))
            b = b if sign == "+" else -b
            out += [repr(a + i * b) for i in range(n + 1)]
        elif m:
            v, n = m.group(1), int(m.group(2))
            out += [v] * (n if v == "_" else n + 1)
        else:
            out.append(tok)
    return out


def split_series(line):
    line = line.strip()
    depth, quote = 0, None
    for i, c in enumerate(line):
        if quote:
            if c == "\\":
                continue
            if c == quote:
                quote = None
        elif c in "\"'`":
            quote = c
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return line[: i + 1], line[i + 1 :]
        elif c.isspace() and depth == 0:
            return line[:i], line[i:]
    return line, ""


def parse_file(path):
    lines = open(path).read().split("\n")
    evals, loads = {}, []
    i = 0
    while i < len(lines):
        raw = lines[i]
        s = raw.strip()
        if s.startswith("clear"):
            loads = []
        elif s.startswith("load "):
            interval = dur_ms(s.split()[1])
            block = []
            i += 1
            while i < len(lines) and lines[i].strip() and lines[i][0] in " \t":
                if not lines[i].strip().startswith("#"):
                    block.append(split_series(lines[i]))
                i += 1
            loads = loads + [(interval, block)]
            continue
        elif s.startswith("eval"):
            exp, j = [], i + 1
            while j < len(lines) and lines[j].strip() and not lines[j].strip().startswith(("eval", "load", "clear")):
                t = lines[j].strip()
                if not t.startswith("#"):
                    exp.append(t)
                j += 1
            evals[i + 1] = (s, list(loads), exp)
        i += 1
    return evals


LEFT_OPEN = False  # --left-open: shrink every literal range by 1ms to mimic Prometheus 3's (t-r, t]


def shrink_ranges(expr):
    def sub(m):
        ms = dur_ms(m.group(1)) - 1
        return "[" + f"{ms}ms" + m.group(2)
    return re.sub(r"\[(\d+(?:ms|[smhdwy])(?:\d+(?:ms|[smhdwy]))*)(:|\])", sub, expr)


def rule_test(cmd, loads):
    step = 0
    for interval, _ in loads:
        step = math.gcd(step, interval)
    step = step or 60000
    series = {}
    for interval, block in loads:
        k = interval // step
        for name, pts in block:
            slots = series.setdefault(name, {})
            for j, v in enumerate(expand(pts)):
                if v != "_":
                    slots[j * k] = v
    m = re.match(r"eval(?:_\w+)?\s+instant\s+at\s+(\S+)\s+(.*)", cmd)
    if m:
        times, expr = [dur_ms(m.group(1))], m.group(2)
    else:
        m = re.match(r"eval(?:_\w+)?\s+range\s+from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)\s+(.*)", cmd)
        a, b, st = dur_ms(m.group(1)), dur_ms(m.group(2)), dur_ms(m.group(3))
        times, expr = list(range(a, b + 1, st)), m.group(4)
    if LEFT_OPEN:
        expr = shrink_ranges(expr)
    # promtool only sees samples loaded up to the last multiple of evaluation_interval,
    # so make every eval time such a multiple.
    ev = step
    for t in times:
        ev = math.gcd(ev, t)
    ev = ev or step
    y = ["rule_files: [empty.yml]", f"evaluation_interval: {ev}ms", "tests:", f"- interval: {step}ms", "  input_series:"]
    for name, slots in series.items():
        n = max(slots) + 1 if slots else 0
        vals = " ".join(slots.get(j, "_") for j in range(n))
        y += [f"  - series: {yq(name)}", f"    values: {yq(vals)}"]
    y.append("  promql_expr_test:")
    for t in times:
        y += [f"  - expr: {yq(expr)}", f"    eval_time: {t}ms", "    exp_samples: []"]
    return "\n".join(y) + "\n", times


def yq(s):
    return "'" + s.replace("'", "''") + "'"


def run(path, line, evals):
    cmd, loads = evals[line][:2]
    text, times = rule_test(cmd, loads)
    with tempfile.TemporaryDirectory() as d:
        open(os.path.join(d, "empty.yml"), "w").write("groups: []\n")
        open(os.path.join(d, "t.yml"), "w").write(text)
        r = subprocess.run(["promtool", "test", "rules", "t.yml"], cwd=d, capture_output=True, text=True, errors="replace")
    out = r.stdout + r.stderr
    print(f"== {os.path.basename(path)}:{line}: {cmd}")
    found = re.findall(r"expr: \"(?:[^\"\\]|\\.)*\", time: (\S+?),?\n?\s*(?:exp: nil\n\s*got: (.*)|err: (.*))", out)
    if not found and "SUCCESS" not in out:
        print(out)
    if len(found) < len(times):
        print(f"   ({len(times) - len(found)} of {len(times)} steps returned nothing)")
    for t, got, err in found:
        print(f"   t={t}: " + (got if got else "ERROR " + err))


LABELS = re.compile(r'\{((?:[^"}]|"(?:[^"\\]|\\.)*")*)\} (\S+)')
PAIR = re.compile(r'\s*("(?:[^"\\]|\\.)*"|[^=,\s]+)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?')


def labelset(name, inner):
    out = {}
    if name:
        out["__name__"] = name
    for m in PAIR.finditer(inner):
        out[m.group(1).strip('"')] = m.group(2)
    return tuple(sorted(out.items()))


def fval(text):
    text = text.strip()
    return {"+Inf": math.inf, "Inf": math.inf, "-Inf": -math.inf}.get(text, None) if "Inf" in text else float(text)


def same(a, b):
    if a is None or b is None:
        return a is b
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if a == b:
        return True
    return abs(a - b) <= (1e-4 if LEFT_OPEN else 1e-6) * max(abs(a), abs(b))


def promtool_got(cmd, loads):
    text, times = rule_test(cmd, loads)
    with tempfile.TemporaryDirectory() as d:
        open(os.path.join(d, "empty.yml"), "w").write("groups: []\n")
        open(os.path.join(d, "t.yml"), "w").write(text)
        r = subprocess.run(["promtool", "test", "rules", "t.yml"], cwd=d, capture_output=True, text=True, errors="replace")
    out = r.stdout + r.stderr
    got, err = {}, None
    chunks = re.split(r"\n\s*expr: ", out)[1:]
    for idx, ch in enumerate(chunks):
        m = re.search(r"time: (\S+?),?\s", ch)
        em = re.search(r"err: (.*)", ch)
        if em:
            err = em.group(1)
            continue
        gm = re.search(r"got: (.*)", ch)
        if not gm:
            continue
        tstr = m.group(1)
        for lm in LABELS.finditer(gm.group(1)):
            got.setdefault(labelset("", lm.group(1)), {})[tstr] = fval(lm.group(2).rstrip(","))
    return got, err, times


def go_dur(ms):
    if ms == 0:
        return "0s"
    out, rest = "", ms
    for unit, size in (("h", 3600000), ("m", 60000)):
        if rest >= size:
            out += f"{rest // size}{unit}"
            rest %= size
    if rest:
        out += (f"{rest / 1000:g}s")
    return out


def check(path):
    evals = parse_file(path)
    bad = 0
    for line, (cmd, loads, exp) in sorted(evals.items()):
        if any(e.startswith("expect fail") for e in exp):
            got, err, _ = promtool_got(cmd, loads)
            if err is None:
                print(f"{os.path.basename(path)}:{line}: expected failure, promtool got none")
                bad += 1
            continue
        if any(e.startswith(("expect string", "expect range vector")) for e in exp):
            continue
        want = {}
        for e in exp:
            if e.startswith("expect"):
                continue
            name, pts = split_series(e)
            if re.fullmatch(r"[-+]?([0-9.eE+-]+|Inf|NaN|inf|nan)", name) and not pts.strip():
                want[()] = [name]  # a scalar result
                continue
            if "{" in name:
                n, inner = name.split("{", 1)
                key = labelset(n, inner.rstrip("}"))
            else:
                key = labelset(name, "")
            want[key] = expand(pts)
        got, err, times = promtool_got(cmd, loads)
        if err:
            print(f"{os.path.basename(path)}:{line}: promtool error: {err}")
            bad += 1
            continue
        diffs = []
        for key in set(want) | set(got):
            w = want.get(key, ["_"] * len(times))
            g = got.get(key, {})
            for k, t in enumerate(times):
                wv = None if k >= len(w) or w[k] == "_" else fval(w[k])
                gv = g.get(go_dur(t))
                if not same(wv, gv):
                    diffs.append(f"    {dict(key)} at {go_dur(t)}: expected {wv}, promtool {gv}")
        if diffs:
            bad += 1
            print(f"{os.path.basename(path)}:{line}: {cmd}")
            print("\n".join(diffs))
    return bad


def main():
    global LEFT_OPEN
    if sys.argv[1] == "--left-open":
        LEFT_OPEN = True
        del sys.argv[1]
    if sys.argv[1] == "--check":
        bad = sum(check(p) for p in sys.argv[2:])
        print(f"{bad} eval(s) differ from promtool")
        return
    path = sys.argv[1]
    evals = parse_file(path)
    lines = sorted(evals) if sys.argv[2:] == ["all"] else [int(x) for x in sys.argv[2:]]
    for line in lines:
        run(path, line, evals)


if __name__ == "__main__":
    main()
