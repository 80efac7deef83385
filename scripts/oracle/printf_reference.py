#!/usr/bin/env python3
"""Go `fmt.Sprintf` reference outputs, as promtool 2.42's templates print them.

Usage: scripts/oracle/printf_reference.py [OUT]
       (default OUT: promtest-runtime/tests/data/printf/cases.txt)

Builds a fixed, seeded table of `printf` calls (flags `+ - # 0 space`, widths, precisions,
every verb, floats incl. ±Inf, NaN, -0, huge and tiny ones, ints, strings incl. unicode,
bools, nil, maps, wrong types, missing and extra arguments, argument indexes) and puts each
into an annotation `{{ printf "<fmt>" <args> }}` of one alerting rule. A rule test whose
expected annotations are empty makes promtool print the annotations it got, which are
`strconv.Quote`d, so they give Go's exact output. Special floats come from template
`query "vector(x)"` calls, evaluated by promtool itself.

Each line of OUT is a template and Go's expansion, both as ASCII-only Go string literals,
separated by a tab. `promtest-runtime/src/template/printf_reference_tests.rs` replays them.
Cases whose output is not valid UTF-8 are left out (template strings are Rust strings).
"""
import os
import random
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gostr  # noqa: E402

R = random.Random(909)
CHUNK = 400


def q(x):
    return f'(query "vector({x})" | first | value)'


FLOATS = [q(x) for x in ("+Inf", "-Inf", "NaN", "-0", "0", "1.5", "-1.5", "1e300", "-1e-300", "5e-324",
                         "123456789.125", "0.000123", "1e21", "1e20", "100000", "1e6", "3", "-2.5e-7",
                         "0.1", "2.5", "1.7976931348623157e308", "999999.5")]
FLOATS += ["1.5", "-0.25", "3.0", "1e6", "$value"]
INTS = ["0", "42", "-42", "255", "-255", "7", "9223372036854775807", "-9223372036854775807", "0x1F",
        "1114111", "1114112", "128512", "65", "-1"]
STRINGS = ['""', '"abc"', '"h\\u00e9llo"', '"\\u65e5\\u672c\\u8a9e"', '"a\\"b"', '"tab\\there"',
           '"\\u200b"', '"\\x00"', '"`"', '"\\U0001F600"', '"\\u00ad"', '"e\\u0301"', '"line\\nbreak"',
           '"\\u00a0"', '"\\u2028"', '"\\ufeff"', '"\\x7f"', "`raw`", '"%d"', '"\\u0378"', '"\\U000e0001"',
           '"\\U0010fffd"', '"\\ue000"']
OTHERS = ["true", "false", "nil", "$labels", "'a'", "'\\u00e9'"]
VERBS = list("vdfFeEgGxXobsqtcU") + ["O", "p", "T", "w", "z"]
FLAGS = ["", "+", "-", "#", "0", " ", "+0", "-0", "#0", "# ", "+ ", "+#", "0 ", "-+", "#-"]
WIDTHS = ["", "1", "8", "12"]
PRECS = ["", ".", ".0", ".3", ".10"]


def formats(verbs, n):
    """n distinct random format directives over the given verbs (plus the plain ones)."""
    out = {"%" + v for v in verbs}
    while len(out) < n + len(verbs):
        out.add("%" + R.choice(FLAGS) + R.choice(WIDTHS) + R.choice(PRECS) + R.choice(verbs))
    return sorted(out)


def cases():
    cs = []
    natural = [(FLOATS, "vfFeEgGxXb"), (INTS, "vdxXobcqU"), (STRINGS, "vsqxX"), (OTHERS, "vtsdq")]
    for values, verbs in natural:
        for f in formats(list(verbs), 60 * len(verbs)):
            for v in R.sample(values, min(len(values), 4)):
                cs.append((f, v))
        for v in values:  # every value with every verb, plain
            for verb in VERBS:
                cs.append(("%" + verb, v))
    # Wrong types and odd directives.
    every = FLOATS + INTS + STRINGS + OTHERS
    for _ in range(600):
        cs.append((R.choice(formats(VERBS, 40)), R.choice(every)))
    # Several directives, missing, extra, indexed, starred arguments.
    multi = [
        ("%d %d", "1"), ("%d", "1 2"), ("%d", '1 "a" 2.5'), ("%s", ""), ("", "1"), ("%", ""),
        ("%!", "1"), ("%[2]d %[1]d", "1 2"), ("%[3]d", "1 2"), ("%[0]d", "1"), ("%[x]d", "1"),
        ("%[2]*[1]d", "12 5"), ("%*d", "5 1"), ("%-*d|", "5 1"), ("%*d", '"x" 1'), ("%.*f", "2 3.14159"),
        ("%.*f", '"x" 3.14159'), ("%*d", "-5 1"), ("%d %[1]d %d", "1 2"), ("%[1]d %d %d", "1 2"),
        ("%v %v", "nil nil"), ("%d %s", '1'), ("%.3.2f", "1.5"), ("%100000000d", "1"), ("%.100000000d", "1"), ("%.100000000f", "1.5"), ("%300d", "1"), ("%1.2.3d", "1"),
        ("100%%", ""), ("%%%d%%", "3"), ("%5%", ""), ("%-5%|", ""), ("%v|%v", "true 1.5"),
        ("%s", "1 2 3"), ("%x", '"\\x01\\x00"'), ("% x", '"abc"'), ("%# x", '"abc"'), ("%#X", '"abc"'),
        ("%08.3f|%-8.2f|%+.1e", f"{q('+Inf')} {q('NaN')} {q('-Inf')}"), ("%6.2f%%", "99.5"),
        ("%d items", "3"), ("%q", '"a\\u200bb"'), ("%+q", '"h\\u00e9llo"'), ("%#q", '"h\\u00e9llo"'),
        ("%#q", '"a`b"'), ("%#+q", '"\\u65e5"'), ("%x", "$labels"), ("%d", "$labels"), ("%.2f", "$labels"),
    ]
    cs += multi
    seen, out = set(), []
    for c in cs:
        if c not in seen:
            seen.add(c)
            out.append(c)
    return out


def deterministic(fmt, args):
    """%p of a map prints an address."""
    return not ("p" in fmt and "$labels" in args)


def template(fmt, args):
    lit = '"' + fmt.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return "{{ printf " + lit + (" " + args if args else "") + " }}"


def yq(s):
    return "'" + s.replace("'", "''") + "'"


def run_chunk(chunk):
    with tempfile.TemporaryDirectory() as d:
        ann = "\n".join(f"      c{i:04d}: {yq(t)}" for i, t in enumerate(chunk))
        with open(os.path.join(d, "r.yml"), "w") as f:
            f.write("groups:\n- name: g\n  rules:\n  - alert: P\n    expr: vector(1.5)\n    annotations:\n" + ann + "\n")
        with open(os.path.join(d, "t.yml"), "w") as f:
            f.write("rule_files: [r.yml]\ntests:\n- interval: 1m\n  input_series: []\n  alert_rule_test:\n"
                    "  - eval_time: 0m\n    alertname: P\n    exp_alerts: [{exp_labels: {}, exp_annotations: {}}]\n")
        r = subprocess.run(["promtool", "test", "rules", "t.yml"], cwd=d, capture_output=True)
    out = (r.stdout + r.stderr).decode("utf-8", "surrogateescape")
    got = out.split("got:", 1)[1]
    m = re.search(r"Annotations:\{(.*)\}\s*\]", got, re.S)
    vals = gostr.annotations(m.group(1))
    return [vals.get(f"c{i:04d}", b"") for i in range(len(chunk))]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "promtest-runtime", "tests", "data", "printf", "cases.txt")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    templates = [template(f, a) for f, a in cases() if deterministic(f, a)]
    lines, skipped = [], 0
    for start in range(0, len(templates), CHUNK):
        chunk = templates[start:start + CHUNK]
        for t, got in zip(chunk, run_chunk(chunk)):
            try:
                got.decode("utf-8")
            except UnicodeDecodeError:
                skipped += 1
                continue
            lines.append(gostr.quote_ascii(t) + "\t" + gostr.quote_ascii(got))
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"{len(lines)} cases written to {out} ({skipped} with invalid UTF-8 output left out)")


if __name__ == "__main__":
    main()
