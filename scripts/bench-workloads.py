#!/usr/bin/env python3
"""Generate promtest's own rule-test workloads for scripts/bench, beside ../shared/bench's:
  native-histograms   100 native-histogram series ({{...}} notation) for a day; rate and
                      histogram_quantile over them (promtool 2.42 cannot read the notation)
  groups-500          500 small test groups (2 series, 30 minutes, one alert and one expr test)
  alerts-100          100 alerts firing with templated labels and annotations, checked at once
  rules-300           a rule file of 300 recording rules and 20 alerts, a 2-hour test
  long-series         one input series '0+1x10000000' and a 10-minute test
Usage: bench-workloads.py OUT_DIR (prints the workload names, one a line)
"""
import os, sys


def write(out, name, rules, test):
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "rules.yml"), "w") as f:
        f.write(rules)
    with open(os.path.join(d, "test.yml"), "w") as f:
        f.write("\n".join(test) + "\n")
    return name


def header():
    return ["rule_files:", "  - rules.yml", "evaluation_interval: 1m", "tests:"]


def native_histograms(out, n=100, steps=1440):
    rules = """groups:
- name: native
  rules:
  - record: job:latency:rate5m
    expr: sum by (job) (rate(latency_seconds[5m]))
  - record: job:latency:p99_5m
    expr: histogram_quantile(0.99, sum by (job) (rate(latency_seconds[5m])))
  - record: job:latency:count5m
    expr: histogram_count(sum by (job) (rate(latency_seconds[5m])))
  - alert: SlowJob
    expr: job:latency:p99_5m > 100
    for: 5m
"""
    t = header() + ["  - interval: 1m", "    input_series:"]
    for i in range(n):
        k = 1 + i % 4
        h = f"{{{{schema:0 sum:{k} count:{4 * k} z_bucket:{k} z_bucket_w:0.001 buckets:[{k} {k} {k}]}}}}"
        t.append(f"      - series: 'latency_seconds{{job=\"job{i % 5}\",instance=\"inst{i}\"}}'")
        t.append(f"        values: '{h}+{h}x{steps}'")
    t += [
        "    promql_expr_test:",
        "      - expr: count(job:latency:p99_5m)",
        f"        eval_time: {steps}m",
        "        exp_samples:",
        "          - labels: '{}'",
        "            value: 5",
        "    alert_rule_test:",
        f"      - eval_time: {steps}m",
        "        alertname: SlowJob",
        "        exp_alerts: []",
    ]
    return write(out, "native-histograms", rules, t)


SMALL_RULES = """groups:
- name: small
  rules:
  - record: job:up:sum
    expr: sum by (job) (up)
  - alert: InstanceDown
    expr: up == 0
    for: 5m
    labels:
      severity: page
    annotations:
      summary: "{{ $labels.instance }} of {{ $labels.job }} is down"
"""


def groups_500(out, n=500):
    t = header()
    for g in range(n):
        job = f"job{g}"
        t += [
            "  - interval: 1m",
            f"    name: group{g}",
            "    input_series:",
            f"      - series: 'up{{job=\"{job}\",instance=\"a\"}}'",
            "        values: '1x30'",
            f"      - series: 'up{{job=\"{job}\",instance=\"b\"}}'",
            "        values: '1x10 0x20'",
            "    alert_rule_test:",
            "      - eval_time: 20m",
            "        alertname: InstanceDown",
            "        exp_alerts:",
            "          - exp_labels:",
            "              severity: page",
            f"              job: {job}",
            "              instance: b",
            "            exp_annotations:",
            f"              summary: b of {job} is down",
            "    promql_expr_test:",
            "      - expr: job:up:sum",
            "        eval_time: 30m",
            "        exp_samples:",
            f"          - labels: 'job:up:sum{{job=\"{job}\"}}'",
            "            value: 1",
        ]
    return write(out, "groups-500", SMALL_RULES, t)


def alerts_100(out, n=100, steps=120):
    rules = """groups:
- name: alerts
  rules:
  - alert: HighLoad
    expr: load > 10
    for: 10m
    labels:
      severity: "{{ if gt $value 50.0 }}page{{ else }}warn{{ end }}"
      team: "{{ $labels.team }}"
    annotations:
      summary: "{{ $labels.instance }} load is {{ $value | humanize }}"
      description: "Instance {{ $labels.instance }} of team {{ $labels.team }} has had load {{ printf \\"%.2f\\" $value }} for 10 minutes."
"""
    t = header() + ["  - interval: 1m", "    input_series:"]
    for i in range(n):
        t.append(f"      - series: 'load{{instance=\"inst{i:03d}\",team=\"team{i % 10}\"}}'")
        t.append(f"        values: '{20 + i}x{steps}'")
    t += [
        "    alert_rule_test:",
        f"      - eval_time: {steps}m",
        "        alertname: HighLoad",
        "        exp_alerts:",
    ]
    for i in range(n):
        v = 20 + i
        sev = "page" if v > 50 else "warn"
        t += [
            "          - exp_labels:",
            f"              instance: inst{i:03d}",
            f"              team: team{i % 10}",
            f"              severity: {sev}",
            "            exp_annotations:",
            f"              summary: inst{i:03d} load is {v}",
            f"              description: Instance inst{i:03d} of team team{i % 10} has had load {v}.00 for 10 minutes.",
        ]
    return write(out, "alerts-100", rules, t)


def rules_300(out, n=300, steps=120):
    lines = ["groups:", "- name: many", "  rules:"]
    for r in range(n):
        lines += [
            f"  - record: job:requests:rate{r}",
            f"    expr: sum by (job) (rate(requests_total{{code=~\"{r % 5}..\"}}[{1 + r % 10}m])) * {r + 1}",
        ]
    for a in range(20):
        lines += [
            f"  - alert: TooMany{a}",
            f"    expr: job:requests:rate{a} > {10**6}",
            "    for: 5m",
        ]
    t = header() + ["  - interval: 1m", "    input_series:"]
    for i in range(10):
        t.append(f"      - series: 'requests_total{{job=\"job{i % 2}\",code=\"{i % 5}00\"}}'")
        t.append(f"        values: '0+{i + 1}x{steps}'")
    t += [
        "    promql_expr_test:",
        f"      - expr: count(job:requests:rate{n - 1})",
        f"        eval_time: {steps}m",
        "        exp_samples:",
        "          - labels: '{}'",
        "            value: 2",
        "    alert_rule_test:",
        f"      - eval_time: {steps}m",
        "        alertname: TooMany0",
        "        exp_alerts: []",
    ]
    return write(out, "rules-300", "\n".join(lines) + "\n", t)


def long_series(out):
    rules = """groups:
- name: long
  rules:
  - record: counter:rate5m
    expr: rate(counter[5m])
"""
    t = header() + [
        "  - interval: 1m",
        "    input_series:",
        "      - series: 'counter'",
        "        values: '0+1x10000000'",
        "    promql_expr_test:",
        "      - expr: counter:rate5m",
        "        eval_time: 10m",
        "        exp_samples:",
        "          - labels: 'counter:rate5m'",
        "            value: 0.016666666666666666",
    ]
    return write(out, "long-series", rules, t)


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "workloads"
    for gen in (native_histograms, groups_500, alerts_100, rules_300, long_series):
        print(gen(out))
