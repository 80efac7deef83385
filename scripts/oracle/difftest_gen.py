"""Random promtool rule tests for `difftest.py`: input series, PromQL expressions from a
grammar of functions, operators and aggregations, recording rules and alerting rules with
templated labels and annotations.

Every window edge stays off the sample times, so that Prometheus 2.x (`[t-r, t]`) and 3.x
(`(t-r, t]`) select the same samples: samples sit on whole minutes; expressions in
`promql_expr_test` are evaluated at `m:30`; rules and subquery steps run on whole minutes,
so ranges there end in 30s (`[2m30s]`); gaps in the series are at most 3 samples long, so
the 5m lookback never reaches back to a sample exactly 5m old.
"""
import random


class E:
    """An expression node: `fmt` with `{0}`, `{1}`… for the children; `t` its type
    (`v` instant vector, `m` range vector, `s` scalar)."""

    def __init__(self, t, fmt, *kids, grid=False):
        self.t, self.fmt, self.kids, self.grid = t, fmt, list(kids), grid

    def render(self):
        return self.fmt.format(*[k.render() for k in self.kids])

    def nodes(self):
        yield self
        for k in self.kids:
            yield from k.nodes()

    def replaced(self, old, new):
        if self is old:
            return new
        return E(self.t, self.fmt, *[k.replaced(old, new) for k in self.kids], grid=self.grid)

    def mark_grid(self):
        """Marks the subtree as evaluated on whole minutes (inside a subquery)."""
        for n in self.nodes():
            n.grid = True
        return self


def leaf(t, text):
    return E(t, text.replace("{", "{{").replace("}", "}}"))


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    # ---- input series -------------------------------------------------------------
    def values(self, kind, n):
        r = self.r
        out = []
        if kind == "counter":
            # Mostly far from zero: 2.42 and 3.x extrapolate rates near a counter's zero point
            # differently (a known difference, kept rare).
            v = r.choice([0, 10, 100]) if r.random() < 0.05 else r.choice([500, 1000, 5000])
            for _ in range(n):
                out.append(v)
                if r.random() < 0.02:
                    v = r.choice([0, 1, 5])  # a reset
                else:
                    v += r.choice([0, 1, 2, 3, 5, 10, 0.5, 7.5])
        else:
            step = r.choice([0, 1, -1, 0.5, 2, -0.25, 0.1, 3])
            v = r.choice([0, 1, 5, 10, -3, 2.5, 100, 0.3])
            for _ in range(n):
                out.append(v)
                v = round(v + step, 6) if r.random() < 0.7 else r.choice([0, 1, 2, 4, 8, -1, 3.5, 0.25, 42, 1.1])
        text = []
        i = 0
        while i < len(out):
            x = r.random()
            if x < 0.04 and i > 0 and not text[-1].startswith("_"):
                gap = r.randint(1, 3)
                text.append(f"_x{gap}" if gap > 1 else "_")
                i += gap
                continue
            if x < 0.05:
                text.append("stale")
            elif x < 0.06 and kind != "counter":
                text.append(r.choice(["NaN", "Inf", "-Inf"]))
            else:
                text.append(f"{out[i]:g}" if abs(out[i]) < 1e15 else repr(out[i]))
            i += 1
        # A staleness marker at the end: whole-minute evaluations (rules, subqueries) must not
        # reach back exactly 5m to the last sample.
        return " ".join(text) + " stale"

    def series(self):
        r = self.r
        n = r.randint(12, 24)
        s = []
        for name, kind in (("m_a", "gauge"), ("m_b", "gauge"), ("c_total", "counter")):
            for job in r.sample(["a", "b", "c"], r.randint(1, 3)):
                for inst in r.sample(["1", "2"], r.randint(1, 2)):
                    if r.random() < 0.75:
                        s.append((f'{name}{{job="{job}", inst="{inst}"}}', self.values(kind, n)))
        if r.random() < 0.4:
            for job in r.sample(["a", "b"], r.randint(1, 2)):
                base = [r.choice([0, 1000, 1000, 1000])] * n
                for le in ["0.1", "0.5", "1", "+Inf"]:
                    inc = [r.choice([0, 1, 2, 3]) for _ in range(n)]
                    base = [b + sum(inc[:k + 1]) for k, b in enumerate(base)]
                    s.append((f'h_bucket{{job="{job}", le="{le}"}}', " ".join(str(b) for b in base) + " stale"))
        if not s:
            s.append(('m_a{job="a", inst="1"}', self.values("gauge", n)))
        return s, n

    # ---- expressions --------------------------------------------------------------
    def dur(self, grid):
        d = self.r.choice(["1m", "2m", "3m", "5m", "10m"])
        return d + "30s" if grid else d

    def sel(self, grid):
        r = self.r
        name = r.choice(["m_a", "m_a", "m_b", "c_total", "c_total"])
        m = r.choice(["", "", "", '{job="a"}', '{inst="1"}', '{job!="b"}', '{job=~"a|c"}'])
        off = r.choice(["", "", "", "", " offset 1m", " offset 3m"])
        return leaf("v", name + m + off)

    def rng(self, grid, counter=False):
        r = self.r
        if r.random() < 0.15 and not grid:
            inner = self.vec(2, True).mark_grid()
            return E("m", "({0})[" + r.choice(["5m", "10m"]) + ":" + r.choice(["1m", "2m"]) + "]", inner)
        name = "c_total" if counter or r.random() < 0.4 else r.choice(["m_a", "m_b"])
        m = r.choice(["", "", '{job="a"}', '{inst="2"}'])
        off = r.choice(["", "", "", " offset 2m"])
        return leaf("m", f"{name}{m}[{self.dur(grid)}]{off}")

    def scal(self, grid, depth):
        r = self.r
        x = r.random()
        if x < 0.5:
            return leaf("s", r.choice(["2", "0.5", "-1", "3", "0", "10", "1e3", "0.1", "4.5", "-0.5", "100"]))
        if x < 0.7 and depth < 3:
            return E("s", "scalar({0})", self.vec(depth + 1, grid))
        if x < 0.8:
            return leaf("s", "time()")
        return E("s", "(" + "{0} " + r.choice(["+", "*", "-", "/", "^", "%"]) + " {1})",
                 leaf("s", r.choice(["2", "3", "0.5"])), leaf("s", r.choice(["4", "1.5", "-2"])))

    def vec(self, depth=0, grid=False):
        r = self.r
        x = r.random()
        if depth > 3 or x < 0.16:
            return self.sel(grid)
        if x < 0.28:
            f = r.choice(["sum", "avg", "min", "max", "count", "last", "stddev", "stdvar", "present",
                          "changes", "resets", "deriv", "absent", "quantile"])
            if f == "quantile":
                return E("v", "quantile_over_time(0.5, {0})", self.rng(grid))
            return E("v", f + ("_over_time" if f not in ("changes", "resets", "deriv") else "") + "({0})", self.rng(grid))
        if x < 0.36:
            f = r.choice(["rate", "increase", "delta", "irate", "idelta"])
            return E("v", f + "({0})", self.rng(grid, counter=True))
        if x < 0.40:
            f = r.choice(["quantile_over_time(0.3, {0})", "predict_linear({0}, 60)", "holt_winters({0}, 0.5, 0.5)"])
            if "holt" in f:
                f = "quantile_over_time(0.9, {0})"
            return E("v", f, self.rng(grid))
        if x < 0.55:
            a = r.choice(["sum", "avg", "min", "max", "count", "group", "stddev", "stdvar"])
            g = r.choice(["", " by (job)", " by (inst)", " without (inst)", " by (job, inst)", " without (job)"])
            return E("v", a + g + " ({0})", self.vec(depth + 1, grid))
        if x < 0.59:
            k = r.choice(["topk(1, {0})", "bottomk(2, {0})", "quantile(0.7, {0})", 'count_values("v", {0})',
                          "quantile by (job) (0.5, {0})", "topk by (job) (1, {0})"])
            return E("v", k, self.vec(depth + 1, grid))
        if x < 0.74:
            op = r.choice(["+", "-", "*", "/", "%", "^", "==", "!=", ">", "<", ">=", "<=", "> bool", "< bool",
                           "== bool", "and", "or", "unless", "atan2"])
            mod = r.choice(["", "", "", " on (job, inst)", " ignoring (inst)", " on (job)", " ignoring (job)"])
            if r.random() < 0.45 and op not in ("and", "or", "unless"):
                if r.random() < 0.5:
                    return E("v", "{0} " + op + " {1}", self.vec(depth + 1, grid), self.scal(grid, depth))
                return E("v", "{0} " + op + " {1}", self.scal(grid, depth), self.vec(depth + 1, grid))
            if mod in (" on (job)", " ignoring (inst)") and op not in ("and", "or", "unless") and r.random() < 0.5:
                mod += r.choice([" group_left", " group_right"])
                lhs, rhs = self.vec(depth + 1, grid), E("v", "sum by (job) ({0})", self.vec(depth + 2, grid))
                if "right" in mod:
                    lhs, rhs = rhs, lhs
                return E("v", "{0} " + op + mod + " {1}", lhs, rhs)
            return E("v", "{0} " + op + mod + " {1}", self.vec(depth + 1, grid), self.vec(depth + 1, grid))
        if x < 0.86:
            f = r.choice(["abs", "ceil", "floor", "round", "sqrt", "ln", "log2", "log10", "exp", "sgn",
                          "timestamp", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh",
                          "asinh", "acosh", "atanh", "deg", "rad", "hour", "minute", "day_of_week",
                          "days_in_month", "month", "year", "sort", "sort_desc"])
            v = self.vec(depth + 1, grid)
            c = r.random()
            if c < 0.1:
                return E("v", "clamp({0}, " + r.choice(["-1, 1", "0, 5", "2, 1"]) + ")", v)
            if c < 0.15:
                return E("v", "clamp_min({0}, " + r.choice(["0", "1.5"]) + ")", v)
            if c < 0.2:
                return E("v", "clamp_max({0}, " + r.choice(["0", "3"]) + ")", v)
            if c < 0.25:
                return E("v", "round({0}, " + r.choice(["0.5", "3", "0.1"]) + ")", v)
            return E("v", f + "({0})", v)
        if x < 0.90:
            return E("v", r.choice([
                'label_replace({0}, "dst", "x-$1", "job", "(.*)")',
                'label_replace({0}, "job", "", "job", "a")',
                'label_join({0}, "ji", "-", "job", "inst")',
                'label_replace({0}, "__name__", "renamed", "job", ".+")',
            ]), self.vec(depth + 1, grid))
        if x < 0.93:
            return E("v", "-{0}", self.vec(depth + 1, grid))
        if x < 0.95:
            return E("v", "vector({0})", self.scal(grid, depth))
        if x < 0.97 and not grid:
            return E("v", "histogram_quantile(" + r.choice(["0.5", "0.9", "0.99", "0"]) +
                     ", sum by (le" + r.choice(["", ", job"]) + ") (rate(h_bucket[5m])))")
        return E("v", "({0})", self.vec(depth + 1, grid))

    # ---- rules and tests --------------------------------------------------------------
    ANNOTATIONS = [
        "{{ $value }}", "{{ $labels.job }}", "{{ humanize $value }}", '{{ printf "%.3f" $value }}',
        "{{ $labels.__name__ }}", "{{ if gt $value 2.0 }}high{{ end }}", "{{ humanizePercentage $value }}",
        '{{ range query "m_a" }}{{ .Labels.job }}={{ .Value }} {{ end }}', "{{ humanizeDuration $value }}",
        '{{ with query "sum(m_a)" }}{{ . | first | value | humanize }}{{ end }}', "{{ humanize1024 $value }}",
        '{{ $labels.inst | toUpper }}', '{{ reReplaceAll "a" "A" $labels.job }}', "{{ $value | printf \"%g\" }}",
        "{{ if eq $labels.job \"a\" }}{{ else }}not a{{ end }}", "{{ $externalLabels.env }}", "{{ $externalURL }}",
        '{{ printf "%08.3f|%+.2e|%5.1f%%" $value $value $value }}', "{{ len $labels }}", "{{ title $labels.job }}",
        '{{ with query "nope" }}{{ . | first | value }}{{ end }}', "v={{ $value }} {{ $labels }}",
        "{{ $value | humanizeTimestamp }}", '{{ with query "m_a" }}{{ . | sortByLabel "job" | first | label "job" }}{{ end }}',
        '{{ "host:8080" | stripPort }}', '{{ range query "m_a{inst=\\"1\\", job=\\"a\\"}" }}{{ . }}{{ end }}',
        '{{ $value | toTime }}', '{{ humanize 1234567.0 }} {{ humanize1024 1048576.0 }} {{ humanizeDuration 90061.5 }}',
        '{{ if match "^a" $labels.job }}starts-a{{ end }}', '{{ reReplaceAll "(.)" "$1$1" $labels.inst }}',
        '{{ $value | printf "%.2f" | printf "%q" }}', '{{ printf "%s=%v" "v" $value }}', '{{ .Value }}|{{ .Labels.job }}',
        '{{ humanizePercentage 0.1234 }} {{ humanizeDuration -3.5 }} {{ humanizeTimestamp 1.6e9 }}',
        '{{ with query "count(m_a)" }}{{ . | first | value | printf "%.0f" }}{{ end }}', '{{ $labels.nope }}',
    ]

    def rules(self):
        r = self.r
        recs, alerts = [], []
        for i in range(r.randint(0, 2)):
            recs.append((f"rec:{i}", self.vec(1, True)))
        for i in range(r.randint(1, 3)):
            expr = self.vec(1, True)
            cmp_ = r.choice([" > 0", " > 1", " < 5", "", " != 0"])
            alerts.append({
                "alert": f"A{i}",
                "expr": E("v", "{0}" + cmp_, expr) if cmp_ else expr,
                "for": r.choice(["", "", "1m", "2m", "3m"]),
                "keep": r.choice(["", "", "", "2m"]),
                "labels": {"sev": r.choice(["page", "{{ $labels.job }}", "{{ if false }}x{{ end }}", "s-{{ $value }}"])}
                if r.random() < 0.6 else {},
                "annotations": {f"a{k}": r.choice(self.ANNOTATIONS) for k in range(r.randint(0, 3))},
            })
        return recs, alerts

    def case(self, n_exprs):
        series, n = self.series()
        recs, alerts = self.rules()
        horizon = n + 3
        exprs = []
        for _ in range(n_exprs):
            e = self.vec()
            if recs and self.r.random() < 0.1:
                e = E("v", "{0}", leaf("v", self.r.choice(recs)[0]))
            if alerts and self.r.random() < 0.05:
                e = leaf("v", "ALERTS")
            exprs.append((e, self.r.randint(0, horizon) * 60 + 30))
        alert_tests = [(a["alert"], self.r.randint(0, horizon) * 60) for a in alerts for _ in range(self.r.randint(1, 3))]
        return {"series": series, "recs": recs, "alerts": alerts, "exprs": exprs, "alert_tests": alert_tests}


def yq(s):
    return "'" + s.replace("'", "''") + "'"


def rules_yaml(case):
    out = ["groups:", "- name: g", "  rules:"]
    for name, e in case["recs"]:
        out += [f"  - record: {yq(name)}", f"    expr: {yq(e.render())}"]
    for a in case["alerts"]:
        out += [f"  - alert: {a['alert']}", f"    expr: {yq(a['expr'].render())}"]
        if a["for"]:
            out.append(f"    for: {a['for']}")
        if a["keep"]:
            out.append(f"    keep_firing_for: {a['keep']}")
        if a["labels"]:
            out.append("    labels:")
            out += [f"      {k}: {yq(v)}" for k, v in a["labels"].items()]
        if a["annotations"]:
            out.append("    annotations:")
            out += [f"      {k}: {yq(v)}" for k, v in a["annotations"].items()]
    if len(out) == 3:
        out = ["groups: []"]
    return "\n".join(out) + "\n"


def test_yaml(case, rules_file="r.yml", expect=None):
    """The rule test; `expect` maps assertion keys to expectation YAML lines (else none)."""
    out = [f"rule_files: [{rules_file}]", "evaluation_interval: 1m", "tests:", "- interval: 1m",
           "  external_labels: {env: test}", "  external_url: http://example.org/", "  input_series:"]
    for s, v in case["series"]:
        out += [f"  - series: {yq(s)}", f"    values: {yq(v)}"]
    if not case["series"]:
        out[-1] = "  input_series: []"
    if case["alert_tests"]:
        out.append("  alert_rule_test:")
        for name, t in case["alert_tests"]:
            out += [f"  - eval_time: {t}s", f"    alertname: {name}"]
            if expect is not None:
                out += expect.get(("alert", name, t), [])
    if case["exprs"]:
        out.append("  promql_expr_test:")
        for e, t in case["exprs"]:
            out += [f"  - expr: {yq(e.render())}", f"    eval_time: {t}s"]
            if expect is not None:
                out += expect.get(("expr", e.render(), t), [])
    return "\n".join(out) + "\n"
