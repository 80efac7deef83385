#!/usr/bin/env python3
"""Differential tester: random rule tests through promtool 2.42 and promtest.

Usage: scripts/oracle/difftest.py [--cases N] [--seed S] [--jobs J] [--per-case K]
                                  [--promtest PATH] [--out DIR] [--no-minimise]

Each case is a random rule test (see `difftest_gen.py`) with K assertions (expressions
and alerts). It runs in two stages:

1. without expectations: both tools print what they got for every assertion; promtool
   runs three times, and an assertion whose output varies between its runs is promtool's
   own nondeterminism (series come from a Go map: ties in `topk`, the last bits of sums)
   and is left out; every other assertion must print the same text in both tools;
2. with promtool's answers written in as expectations (NaN results left out, as promtool
   2.42 cannot match them): promtool must pass and so must promtest.

An assertion that disagrees is minimised (fewer series, rules and assertions, smaller
expressions, shorter series) while it still disagrees, and written to DIR as a ready rule
test (`NNN_rules.yml`, `NNN_test.yml`) with both tools' output (`NNN.txt`); `summary.txt`
lists them all. promtest follows Prometheus 3 (HEAD); some differences are legitimate
2.42-vs-3 ones (see README.md): read each before calling it a bug.
"""
import argparse
import json
import math
import multiprocessing
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import difftest_gen as G  # noqa: E402
import gostr  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
PROMTEST = os.path.join(ROOT, "target", "release", "promtest")
HEADER = re.compile(r"^    (expr: (\"(?:[^\"\\]|\\.)*\"), time: (\S+?),|alertname: (\S+), time: (\S+?),"
                    r"|rule: (\S+), time: (\S+?),)", re.M)


def go_dur(sec):
    if sec == 0:
        return "0s"
    h, rest = divmod(sec, 3600)
    m, s = divmod(rest, 60)
    return (f"{h}h" if h else "") + (f"{m}m" if m or (h and s) else "") + (f"{s}s" if s else "")


def run_tool(cmd, d, name="t.yml"):
    try:
        r = subprocess.run(cmd + ["test", "rules", name], cwd=d, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=120)
    except subprocess.TimeoutExpired:
        return "TIMEOUT"
    return r.stdout.decode("utf-8", "surrogateescape")


def blocks(out):
    """Assertion key -> its failure text; key None for anything else in the output."""
    res = {}
    ms = list(HEADER.finditer(out))
    head = out[:ms[0].start()] if ms else out
    res[None] = re.sub(r"Unit Testing:\s+\S+\n", "", head).strip()
    for i, m in enumerate(ms):
        text = out[m.start():ms[i + 1].start() if i + 1 < len(ms) else len(out)].rstrip()
        if m.group(2):
            key = ("expr", gostr.unquote(m.group(2)).decode("utf-8", "surrogateescape"), m.group(3))
        elif m.group(4):
            key = ("alert", m.group(4), m.group(5))
        else:
            key = ("rule", m.group(6), m.group(7))
        res[key] = text
    return res


def keys_of(case):
    ks = [("expr", e.render(), go_dur(t)) for e, t in case["exprs"]]
    ks += [("alert", a, go_dur(t)) for a, t in case["alert_tests"]]
    return ks


def run_case(case, promtest, promtool_runs=3):
    """promtool's outputs (several runs) and promtest's, on the case without expectations."""
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "r.yml"), "w") as f:
            f.write(G.rules_yaml(case))
        with open(os.path.join(d, "t.yml"), "w") as f:
            f.write(G.test_yaml(case))
        pt = [blocks(run_tool(["promtool"], d)) for _ in range(promtool_runs)]
        ps = blocks(run_tool([promtest], d))
    return pt, ps


def compare(case, pt, ps):
    """(deterministic keys, nondeterministic keys, disagreeing keys)."""
    det, nondet, bad = [], [], []
    for k in keys_of(case):
        texts = [p.get(k) for p in pt]
        if any(t != texts[0] for t in texts):
            nondet.append(k)
            continue
        det.append(k)
        if ps.get(k) != texts[0]:
            bad.append(k)
    return det, nondet, bad


# ---- stage 2: promtool's answers as expectations ------------------------------------------
SAMPLE = re.compile(r"(\{(?:[^\"}]|" + gostr.QUOTED + r")*\}) (\S+?)(?:, |$)")


def yaml_float(text):
    v = float(text.replace("+Inf", "inf").replace("-Inf", "-inf"))
    if math.isnan(v):
        return None
    if math.isinf(v):
        return ".inf" if v > 0 else "-.inf"
    return repr(v)


def expectation(key, text):
    """YAML lines expecting what promtool printed, or None when they cannot be written."""
    if key[0] == "expr":
        m = re.search(r"\n\s*got: (.*)$", text, re.S)
        if not m or "err:" in text.split("\n", 1)[0]:
            return None
        got = m.group(1).strip()
        if got == "nil":
            return ["    exp_samples: []"]
        lines = ["    exp_samples:"]
        for sm in SAMPLE.finditer(got):
            v = yaml_float(sm.group(2))
            if v is None or "{" not in sm.group(1):
                return None
            lines += [f"    - labels: {G.yq(sm.group(1))}", f"      value: {v}"]
        return lines if len(lines) > 1 else None
    m = re.search(r"got:\[(.*)\]\s*$", text, re.S)
    if not m:
        return None
    lines = ["    exp_alerts:"]
    for lm, am in re.findall(r"Labels:(\{.*?\})\n\s*Annotations:(\{.*?\})\n", m.group(1) + "\n", re.S):
        labels = {k: v.decode() for k, v in gostr.annotations(lm).items() if k != "alertname"}
        annots = {k: v.decode() for k, v in gostr.annotations(am).items()}
        lines.append(f"    - exp_labels: {json.dumps(labels)}")
        lines.append(f"      exp_annotations: {json.dumps(annots)}")
    return lines if len(lines) > 1 else ["    exp_alerts: []"]


def stage2(case, pt, det, promtest):
    """Keys where promtool passes with its own answers and promtest does not."""
    expect = {}
    for k in det:
        text = pt[0].get(k)
        lines = expectation(k, text) if text else []
        if lines is None:
            continue
        kind, a, t = k
        secs = [tt for (e, tt) in case["exprs"] if e.render() == a and go_dur(tt) == t] if kind == "expr" \
            else [tt for (n, tt) in case["alert_tests"] if n == a and go_dur(tt) == t]
        if secs:
            expect[(kind, a, secs[0])] = lines
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "r.yml"), "w") as f:
            f.write(G.rules_yaml(case))
        with open(os.path.join(d, "t.yml"), "w") as f:
            f.write(G.test_yaml(case, expect=expect))
        pt2 = blocks(run_tool(["promtool"], d))
        ps2 = blocks(run_tool([promtest], d))
    bad = []
    for kind, a, secs in expect:
        k = (kind, a, go_dur(secs))
        if k not in pt2 and k in ps2:
            bad.append(k)
    return bad, len(expect)


# ---- known 2.42-vs-3.x differences -----------------------------------------------------------
def samples_of(text):
    m = re.search(r"\n\s*got: (.*)$", text or "", re.S)
    return SAMPLE.findall(m.group(1).strip()) if m else None


def num(v):
    return float(v.replace("+Inf", "inf").replace("-Inf", "-inf"))


SUMMING = re.compile(r"\b(sum|avg|stddev|stdvar)(_over_time)?\b|\bquantile")


NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def close_but_for_last_bits(pt, ps):
    """The two texts differ only in numbers that agree to 1e-12 (relative, or absolute below 1)."""
    if NUMBER.sub("#", pt) != NUMBER.sub("#", ps):
        return False
    for x, y in zip(NUMBER.findall(pt), NUMBER.findall(ps)):
        fx, fy = float(x), float(y)
        # Relative, or absolute for results of cancellation (irate of a mean, …).
        if x != y and not (fx == fy or abs(fx - fy) <= 1e-12 * max(abs(fx), abs(fy), 1.0)):
            return False
    return True


def legit_reason(key, pt, ps, case):
    """Why promtool 2.42 and promtest (3.x semantics) legitimately differ here, if known."""
    expr = key[1] if key[0] == "expr" else next((a["expr"].render() for a in case["alerts"]
                                                  if a["alert"] == key[1]), "")
    rules = ""
    if key[0] == "alert" or re.search(r"\brec:|ALERTS", expr):
        rules = " ".join(e.render() for _, e in case["recs"]) + " " + " ".join(
            a["expr"].render() for a in case["alerts"])
    pt, ps = pt or "", ps or ""
    if "expected duration" in pt and "expected number, duration, step(), or range()" in ps and \
            pt.replace("expected duration", "") == ps.replace("expected number, duration, step(), or range()", ""):
        return "3.x duration expressions: after offset or in a range, 3.x expects \"number, duration, step(), or range()\""
    if "found duplicate series" in pt and "found duplicate series" in ps:
        def series(t):
            m = re.search(r"operation: \[(.*)\];", t)
            return sorted(re.findall(r"\{[^}]*\}", m.group(1))) if m else None
        if series(pt) == series(ps):
            return "2.42 does not sort the two series of a duplicate-series error"
    if "atan2" in expr + " " + rules and (re.sub(r'__name__="[^"]*", ?|__name__:\S+ ?', "", pt) == ps or (
            key[0] == "alert" and "atan2" in expr and pt.count("Labels:") == ps.count("Labels:"))):
        return "2.42 keeps the metric name for atan2"
    if key[0] == "alert" and re.search(r"\b(topk|bottomk)\b", expr) and pt.count("Labels:") == ps.count("Labels:"):
        return "a tie in topk/bottomk: promtool picks by its series order (a Go map's), not reproducibly"
    if "many-to-one matching must be explicit" in ps + pt or "grouping labels must ensure unique" in ps + pt:
        if re.search(r"(==|!=|>=|<=|>|<)(?! bool)", expr + " " + rules):
            return "2.42 filters comparison results before the many-to-one check"
    a, b = samples_of(pt), samples_of(ps)
    if re.search(r"\b(stddev|stdvar)\b", expr + " " + rules) and (key[0] == "alert" or key[1] == "ALERTS") and (
            ("NaN" in ps and "NaN" not in pt) or not pt or not ps):
        return "3.x stddev/stdvar of a group starting with NaN or Inf is NaN (2.42: 0)"
    if re.search(r"\b(stddev|stdvar)\b", expr + " " + rules) and a and (
            b is None or len(b) < len(a) or any("NaN" in y and "NaN" not in x for (_, x), (_, y) in zip(a, b))):
        return "3.x stddev/stdvar of a group starting with NaN or Inf is NaN (2.42: 0)"
    if re.search(r"\b(topk|bottomk)\b", expr + " " + rules) and a and b and len(a) == len(b) and \
            sorted(v for _, v in a) == sorted(v for _, v in b):
        return "a tie in topk/bottomk: promtool picks by its series order (a Go map's), not reproducibly"
    if key[0] == "alert" and "range query" in " ".join(
            v for x in case["alerts"] if x["alert"] == key[1] for v in x["annotations"].values()) and \
            sorted(re.findall(r"[\w.:-]+=[^\s\"{},]*", pt)) == sorted(re.findall(r"[\w.:-]+=[^\s\"{},]*", ps)):
        return "template query results come in promtool's series order (a Go map's), not reproducibly"
    if SUMMING.search(expr + " " + rules) and close_but_for_last_bits(pt, ps):
        return "3.x sums and means with Kahan compensation (last bits, -0)"
    if re.search(r"\b(rate|increase|delta)\(|histogram_quantile", expr + " " + rules) and a and b and \
            [x for x, _ in a] == [x for x, _ in b]:
        return "rate extrapolation near a counter's zero point: 2.42 clamps to it before the 1.1 threshold (by hand on examples)"
    if a and b and [x for x, _ in a] == [x for x, _ in b]:
        pairs = [(num(x), num(y)) for (_, x), (_, y) in zip(a, b) if x != y]
        if re.search(r"\b(stddev|stdvar)\b", expr + " " + rules) and all(
                math.isnan(y) and not math.isnan(x) or math.isnan(x) != math.isnan(y) for x, y in pairs):
            return "3.x stddev/stdvar of a group starting with NaN or Inf is NaN (2.42: 0)"
        if SUMMING.search(expr + " " + rules) and all(
                (x == y == 0) or (math.isfinite(x) and math.isfinite(y) and abs(x - y) <= 1e-12 * max(abs(x), abs(y)))
                for x, y in pairs):
            return "3.x sums and means with Kahan compensation (last bits, -0)"
    return None


# ---- minimisation ------------------------------------------------------------------------
def only(case, key):
    """The case reduced to the one assertion `key` (rules kept)."""
    c = dict(case)
    if key[0] == "expr":
        c["exprs"] = [(e, t) for e, t in case["exprs"] if e.render() == key[1] and go_dur(t) == key[2]][:1]
        c["alert_tests"] = []
    else:
        c["exprs"] = []
        c["alert_tests"] = [(a, t) for a, t in case["alert_tests"] if a == key[1] and go_dur(t) == key[2]][:1]
    return c


def key_now(c):
    return keys_of(c)[0]


def disagrees(c, promtest):
    k = key_now(c)
    pt, ps = run_case(c, promtest, promtool_runs=3)
    if any(p.get(k) != pt[0].get(k) for p in pt):
        return False
    return pt[0].get(k) != ps.get(k)


def minimise(case, key, promtest, budget=80):
    c = only(case, key)
    if not disagrees(c, promtest):
        return c
    tries = [0]

    def attempt(nc):
        if tries[0] >= budget:
            return False
        tries[0] += 1
        return disagrees(nc, promtest)

    # Fewer rules, series and annotations.
    for field in ("recs", "alerts"):
        i = 0
        while i < len(c[field]):
            nc = dict(c)
            nc[field] = c[field][:i] + c[field][i + 1:]
            if key[0] == "alert" and field == "alerts" and c[field][i]["alert"] == key[1]:
                i += 1
                continue
            if attempt(nc):
                c = nc
            else:
                i += 1
    i = 0
    while i < len(c["series"]) and len(c["series"]) > 1:
        nc = dict(c)
        nc["series"] = c["series"][:i] + c["series"][i + 1:]
        if attempt(nc):
            c = nc
        else:
            i += 1
    # Smaller expressions: a node replaced by one of its parts of the same type.
    def shrink(get, put):
        nonlocal c
        changed = True
        while changed and tries[0] < budget:
            changed = False
            expr = get(c)
            for node in list(expr.nodes()):
                # A part evaluated on whole minutes (in a subquery) cannot move outside it:
                # its window edges would fall on the samples.
                for sub in [n for n in node.nodes() if n is not node and n.t == node.t and n.grid == node.grid]:
                    nc = put(c, expr.replaced(node, sub))
                    if attempt(nc):
                        c, changed = nc, True
                        break
                if changed:
                    break
    if key[0] == "expr":
        shrink(lambda c: c["exprs"][0][0], lambda c, e: {**c, "exprs": [(e, c["exprs"][0][1])]})
    else:
        idx = next(i for i, a in enumerate(c["alerts"]) if a["alert"] == key[1])

        def put(c, e, idx=idx):
            alerts = list(c["alerts"])
            alerts[idx] = {**alerts[idx], "expr": e}
            return {**c, "alerts": alerts}
        shrink(lambda c: c["alerts"][idx]["expr"], put)
        for field in ("annotations", "labels"):
            for name in list(c["alerts"][idx][field]):
                alerts = list(c["alerts"])
                alerts[idx] = {**alerts[idx], field: {k: v for k, v in alerts[idx][field].items() if k != name}}
                nc = {**c, "alerts": alerts}
                if attempt(nc):
                    c = nc
    # Shorter series.
    for i in range(len(c["series"])):
        s, v = c["series"][i]
        vals = v.split()
        while len(vals) > 2:
            nc = dict(c)
            nc["series"] = list(c["series"])
            nc["series"][i] = (s, " ".join(vals[:len(vals) // 2 + 1] + ["stale"]))
            if attempt(nc):
                c, vals = nc, vals[:len(vals) // 2 + 1]
            else:
                break
    return c


# ---- driver ------------------------------------------------------------------------------
def one(args):
    seed, per_case, promtest = args
    case = G.Gen(seed).case(per_case)
    pt, ps = run_case(case, promtest)
    det, nondet, bad = compare(case, pt, ps)
    def rest(b):
        return {k: v for k, v in b.items() if k is None or k[0] == "rule"}
    other = rest(pt[0]) != rest(ps) and all(rest(p) == rest(pt[0]) for p in pt)
    bad2, checked2 = stage2(case, pt, [k for k in det if k not in bad], promtest)
    return {"seed": seed, "n": len(keys_of(case)), "det": len(det), "nondet": len(nondet),
            "bad": bad, "bad2": bad2, "other": other, "checked2": checked2}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=10000, help="assertions to run (at least)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--per-case", type=int, default=20)
    ap.add_argument("--promtest", default=PROMTEST)
    ap.add_argument("--prometheus-version", default="",
                    help="run promtest in this release's mode (PROMTEST_PROMETHEUS_VERSION), e.g. 2.42")
    ap.add_argument("--out", default="difftest-out")
    ap.add_argument("--no-minimise", action="store_true")
    a = ap.parse_args()
    if a.prometheus_version:
        os.environ["PROMTEST_PROMETHEUS_VERSION"] = a.prometheus_version
    os.makedirs(a.out, exist_ok=True)
    files = (a.cases + a.per_case - 1) // a.per_case
    seeds = [(a.seed * 1_000_003 + i, a.per_case, a.promtest) for i in range(files)]
    tot = {"n": 0, "det": 0, "nondet": 0, "checked2": 0}
    found = []
    with multiprocessing.Pool(a.jobs) as pool:
        for i, r in enumerate(pool.imap_unordered(one, seeds)):
            for k in tot:
                tot[k] += r[k]
            for k in r["bad"]:
                found.append((r["seed"], k, "output"))
            for k in r["bad2"]:
                found.append((r["seed"], k, "verdict"))
            if r["other"]:
                found.append((r["seed"], None, "other"))
            if (i + 1) % 25 == 0:
                print(f"{i + 1}/{files} files, {tot['n']} assertions, {len(found)} disagreements", file=sys.stderr)
    legit, unexplained, nondet_late = triage(found, a)
    summary = [f"assertions: {tot['n']} ({tot['det']} deterministic in promtool over 3 runs, {tot['nondet']} not; "
               f"{tot['checked2']} re-run with promtool's answers as expectations)",
               f"disagreements: {len(found)}: {nondet_late} promtool nondeterminism on re-running, "
               f"{sum(map(len, legit.values()))} known 2.42-vs-3.x differences, {len(unexplained)} unexplained"]
    for why, items in sorted(legit.items()):
        summary.append(f"  {len(items):4d}  {why}   e.g. seed {items[0][0]} {items[0][1][1]!r} at {items[0][1][2]}")
    for n, (seed, kind, small, pt, ps) in enumerate(unexplained):
        label = f"{n:03d}"
        if small is None:
            summary.append(f"{label} seed {seed}: output outside any assertion differs")
            continue
        k = key_now(small)
        with open(os.path.join(a.out, f"{label}_rules.yml"), "w") as f:
            f.write(G.rules_yaml(small))
        exp = expectation(k, pt) if pt else []
        secs = small["exprs"][0][1] if k[0] == "expr" else small["alert_tests"][0][1]
        with open(os.path.join(a.out, f"{label}_test.yml"), "w") as f:
            f.write(G.test_yaml(small, rules_file=f"{label}_rules.yml", expect={(k[0], k[1], secs): exp or []}))
        with open(os.path.join(a.out, f"{label}.txt"), "w") as f:
            f.write(f"seed {seed} ({kind})\n--- promtool\n{pt}\n--- promtest\n{ps}\n")
        summary.append(f"{label} seed {seed} [{kind}] {k[0]} {k[1]!r} at {k[2]}")
    with open(os.path.join(a.out, "summary.txt"), "w") as f:
        f.write("\n".join(summary) + "\n")
    print("\n".join(summary))


CASCADE = ("a rule fails in 3.x on the many-to-one check that 2.42 passes by filtering comparisons first; "
           "the test group stops there")


def triage(found, a):
    """Sorts disagreements into promtool nondeterminism, known differences (reason -> [(seed,
    key)]) and unexplained ones [(seed, kind, minimised case, promtool text, promtest text)]."""
    legit, unexplained, nondet_late = {}, [], 0
    for seed, key, kind in found:
        case = G.Gen(seed).case(a.per_case)
        if key is None or kind == "output":
            pt_all, ps_all = run_case(case, a.promtest, promtool_runs=1)
            errs = [v for k2, v in ps_all.items() if k2 and k2[0] == "rule" and k2 not in pt_all[0]]
            if any("many-to-one matching must be explicit" in v or "grouping labels must ensure" in v for v in errs):
                legit.setdefault(CASCADE, []).append((seed, key or ("", "", "")))
                continue
        if key is None:
            pt_all, ps_all = run_case(case, a.promtest, promtool_runs=10)
            rest = [{k2: v for k2, v in p.items() if k2 is None or k2[0] == "rule"} for p in pt_all]
            if any(r != rest[0] for r in rest):
                nondet_late += 1
            elif all(legit_reason(k2, v, ps_all.get(k2), case) for k2, v in rest[0].items()
                     if k2 and v != ps_all.get(k2)):
                legit.setdefault("2.42 does not sort the two series of a duplicate-series error", []).append(
                    (seed, ("rule", "", "")))
            else:
                unexplained.append((seed, kind, None, None, None))
            continue
        pt, ps = run_case(only(case, key), a.promtest, promtool_runs=20)
        k = key_now(only(case, key))
        if any(p.get(k) != pt[0].get(k) for p in pt) or (kind == "output" and pt[0].get(k) == ps.get(k)):
            nondet_late += 1
            continue
        why = legit_reason(k, pt[0].get(k), ps.get(k), case) if kind == "output" else None
        if why:
            legit.setdefault(why, []).append((seed, key))
            continue
        small = only(case, key) if a.no_minimise else minimise(case, key, a.promtest)
        pt, ps = run_case(small, a.promtest, promtool_runs=1)
        k = key_now(small)
        # The minimised case can show a known difference that the full one hid.
        why = legit_reason(k, pt[0].get(k), ps.get(k), small) if kind == "output" else None
        if why:
            legit.setdefault(why, []).append((seed, k))
        else:
            unexplained.append((seed, kind, small, pt[0].get(k), ps.get(k)))
    return legit, unexplained, nondet_late

if __name__ == "__main__":
    main()
