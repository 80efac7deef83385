"""Differential check: random PromQL queries over fixed data, expected values from promtool 2.42.

Usage: fuzz_promtool.py SEED COUNT > /tmp/fuzz.test, then copy the file under tests/promql/engine/
temporarily (do not commit it) and run the test crate. Evals run at :30 past the minute so that
samples (on whole minutes) never sit on a window edge for top-level selectors; windows inside
subqueries still can, and 2.42 differs from Prometheus 3 in the ways listed in README.md, so
every failure needs a look before it is called an engine bug.
"""
import random, sys, re, os, math
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import promtool_eval as P
random.seed(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
LOAD = """load 1m
	req_total{job="api", inst="a"} 100+7x40
	req_total{job="api", inst="b"} 200+3x20 60+5x19
	req_total{job="db", inst="a"} 50+11x40
	mem{job="api", inst="a"} 5 3 8 1 9 2 7 4 6 0 5 3 8 1 9 2 7 4 6 0 5 3 8 1 9 2 7 4 6 0 5 3 8 1 9 2 7 4 6 0 5
	mem{job="db", inst="a"} 10-0.5x40
	mem{job="db", inst="c"} -3+0.25x40
	temp{inst="a"} 20 21 19 22 18 23 17 24 16 25 15 26 14 27 13 28 12 29 11 30 10 31 9 32 8 33 7 34 6 35 5 36 4 37 3 38 2 39 1 40 0
"""
SELS = ['req_total', 'req_total{job="api"}', 'mem', 'mem{job="db"}', 'temp', '{inst="a"}', 'mem{inst=~"a|c"}', 'req_total{inst!="b"}']
CTR = ['req_total', 'req_total{job="api"}', 'req_total{inst="a"}']
def dur(): return random.choice(['2m', '3m', '5m', '7m', '10m'])
def off(): return random.choice(['', '', ' offset 1m', ' offset 3m', ' offset 2m'])
def sel(): return random.choice(SELS) + off()
def rng(): return random.choice(SELS) + '[' + dur() + ']' + off()
def sub(): return '(' + vec(1) + ')[' + dur() + ':' + random.choice(['1m', '2m']) + ']'
def scal(): return random.choice(['2', '0.5', '-1', 'scalar(sum(temp))', 'time()', '3 * 4'])
def vec(d=0):
    r = random.random()
    if d > 2 or r < 0.2: return sel()
    if r < 0.3:
        f = random.choice(['sum', 'avg', 'min', 'max', 'count', 'last', 'stddev', 'stdvar', 'present'])
        return f'{f}_over_time({rng() if random.random()<0.6 else sub()})'
    if r < 0.38:
        f = random.choice(['rate', 'increase', 'delta', 'irate', 'idelta'])
        return f'{f}({random.choice(CTR)}[{dur()}]{off()})'
    if r < 0.55:
        a = random.choice(['sum', 'avg', 'min', 'max', 'count', 'group', 'stddev', 'stdvar'])
        g = random.choice(['', ' by (job)', ' by (inst)', ' without (inst)', ' by (job, inst)'])
        return f'{a}{g} ({vec(d+1)})'
    if r < 0.6:
        a = random.choice(['topk(2, ', 'bottomk(1, ', 'quantile(0.7, ', 'count_values("v", '])
        g = random.choice(['', ' by (job)'])
        k = a.split('(')[0]
        return f'{k}{g} ({a.split("(",1)[1]}{vec(d+1)})'
    if r < 0.75:
        op = random.choice(['+', '-', '*', '/', '%', '^', '==', '!=', '>', '<', '>=', '<=', '> bool', '< bool', 'and', 'or', 'unless'])
        m = random.choice(['', '', ' on(inst)', ' ignoring(job)', ' on(job)'])
        if random.random() < 0.4 and op not in ('and', 'or', 'unless'):
            return f'{vec(d+1)} {op} {scal()}' if random.random() < 0.5 else f'{scal()} {op} {vec(d+1)}'
        return f'{vec(d+1)} {op}{m} {vec(d+1)}'
    if r < 0.85:
        f = random.choice(['abs', 'ceil', 'floor', 'round', 'sqrt', 'ln', 'exp', 'sgn', 'timestamp', 'clamp_min', 'clamp_max'])
        if f.startswith('clamp'): return f'{f}({vec(d+1)}, 4)'
        return f'{f}({vec(d+1)})'
    if r < 0.9: return f'-{vec(d+1)}'
    return f'({vec(d+1)})'
n = int(sys.argv[2]) if len(sys.argv) > 2 else 40
lines = [LOAD]
qs = []
for i in range(n):
    q = vec()
    if random.random() < 0.7:
        t = random.randint(6, 39) * 60 + 30
        qs.append(f'eval instant at {t}s {q}')
    else:
        a = random.randint(6, 30) * 60 + 30
        qs.append(f'eval range from {a}s to {a + 240}s step {random.choice([60, 120])}s {q}')
out = []
for q in qs:
    got, err, times = P.promtool_got(q, [(60000, [P.split_series(l) for l in LOAD.split('\n')[1:] if l.strip()])])
    if err:
        continue
    is_range = ' range ' in q
    exp = []
    for key, vals in got.items():
        lbl = dict(key)
        name = lbl.pop('__name__', '')
        ls = ', '.join(f'{k}="{v}"' for k, v in lbl.items())
        series = name + ('{' + ls + '}' if ls or not name else '')
        pts = []
        for t in times:
            v = vals.get(P.go_dur(t))
            pts.append('_' if v is None else repr(v).replace('inf', 'Inf').replace('nan', 'NaN'))
        exp.append('\t' + series + ' ' + ' '.join(pts))
    out.append(q + '\n' + '\n'.join(exp))
print(LOAD + '\n' + '\n\n'.join(out))
