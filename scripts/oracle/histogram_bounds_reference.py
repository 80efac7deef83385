#!/usr/bin/env python3
"""Prometheus's native-histogram bucket boundaries (schemas 1 to 8), read off Prometheus 2.42.

Usage: scripts/oracle/histogram_bounds_reference.py [OUT]
       (default OUT: promtest-runtime/src/model/histogram_math/bounds_table.rs)

Prometheus does not compute the boundaries of exponential buckets: it reads the fraction
of each one in [0.5, 1) from a fixed table (not all of whose entries are 2^(j/2^schema)
correctly rounded). This script serves one schema-8 native histogram with a sample in each
of the buckets 1..256 over protobuf on 127.0.0.1, lets the packaged `prometheus`
(`--enable-feature=native-histograms`) scrape it, and reads the bucket boundaries from
`/api/v1/query` (shortest round-trip strings, so exact). Schema 8's 256 fractions contain
every lower schema's (entry j of schema s is entry j << (8 - s) of schema 8).
"""
import http.server
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def zigzag(n):
    return (n << 1) ^ (n >> 63)


def field(num, wire, payload):
    key = varint(num << 3 | wire)
    if wire == 0:
        return key + varint(payload)
    if wire == 1:
        return key + struct.pack("<d", payload)
    return key + varint(len(payload)) + payload


def metric_family():
    """A schema-8 native histogram `bounds` with one observation in each bucket 1..256."""
    span = field(1, 0, zigzag(1)) + field(2, 0, 256)
    deltas = b"".join(varint(zigzag(d)) for d in [1] + [0] * 255)
    hist = (field(1, 0, 256) + field(2, 1, 256.0) + field(5, 0, zigzag(8)) + field(6, 1, 0.0)
            + field(7, 0, 0) + field(12, 2, span) + field(13, 2, deltas))
    metric = field(7, 2, hist)
    mf = field(1, 2, b"bounds") + field(2, 2, b"reference") + field(3, 0, 4) + field(4, 2, metric)
    return varint(len(mf)) + mf


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = metric_family()
        self.send_response(200)
        self.send_header("Content-Type",
                         "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "promtest-runtime", "src", "model",
        "histogram_math", "bounds_table.rs")
    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    target = f"127.0.0.1:{server.server_address[1]}"
    port = free_port()
    with tempfile.TemporaryDirectory() as d:
        cfg = os.path.join(d, "p.yml")
        with open(cfg, "w") as f:
            f.write(f"global: {{scrape_interval: 1s}}\nscrape_configs:\n- job_name: b\n  static_configs:\n"
                    f"  - targets: ['{target}']\n")
        proc = subprocess.Popen(["prometheus", f"--config.file={cfg}", f"--storage.tsdb.path={d}/data",
                                 f"--web.listen-address=127.0.0.1:{port}", "--enable-feature=native-histograms"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            buckets = None
            for _ in range(100):
                time.sleep(0.3)
                try:
                    q = urllib.parse.urlencode({"query": "bounds"})
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/query?{q}", timeout=5) as r:
                        res = json.load(r)["data"]["result"]
                    if res and "histogram" in res[0]:
                        buckets = res[0]["histogram"][1]["buckets"]
                        break
                except Exception:
                    pass
        finally:
            proc.terminate()
            proc.wait()
            server.shutdown()
    if not buckets or len(buckets) != 256:
        sys.exit(f"no histogram scraped: {buckets!r}")
    # Bucket i has bounds (bound(i-1), bound(i)) = (2·frac[i-1], 2·frac[i]) for i in 1..=255.
    fracs = [float(b[1]) / 2 for b in sorted(buckets, key=lambda b: float(b[1]))]
    assert fracs[0] == 0.5 and len(fracs) == 256
    rows = "\n".join("    " + " ".join(f"{x!r}," for x in fracs[i:i + 4]) for i in range(0, 256, 4))
    with open(out, "w") as f:
        f.write(f"""//! The fractions in [0.5, 1) of the exponential bucket boundaries at schema 8, as Prometheus
//! tabulates them (its `exponentialBounds`; some entries are an ulp off 2^(j/256) / 2).
//! Generated by `scripts/oracle/histogram_bounds_reference.py` from Prometheus 2.42's own
//! bucket boundaries. Schema `s` uses every `2^(8 - s)`-th entry.

/// `FRACTIONS[j]` ≈ 2^(j/256) / 2.
#[rustfmt::skip]
pub(super) const FRACTIONS: [f64; 256] = [
{rows}
];
""")
    print(f"256 fractions written to {out}")


if __name__ == "__main__":
    main()
