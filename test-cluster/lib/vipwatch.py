#!/usr/bin/env python3
"""Reads the VIP's comings and goings on each balancer host (`ip -ts monitor address` logs) and the
drill's own events (kill, stop, cont, exit, start), and prints, for a time window, how long two
live, running nodes held the VIP at once (dual_vip_ms: split brain) and how long a frozen or dead
node's leftover VIP (bounded by its lease) overlapped the new holder's (stale_vip_ms).

Usage: vipwatch.py VIP EVENTS FROM_MS TO_MS NODE=MONITOR_LOG...
"""
import re
import sys
from datetime import datetime

LINE = re.compile(r"^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+)\] (Deleted )?\d+: \S+\s+inet6? (\S+)")


def held_intervals(path, vip, end):
    """[start, end) intervals in ms during which the host had the VIP."""
    out, since = [], None
    with open(path) as f:
        for line in f:
            m = LINE.match(line)
            if not m or m.group(3).split("/")[0] != vip:
                continue
            t = datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f").timestamp() * 1000
            if m.group(2):
                if since is not None:
                    out.append((since, t))
                since = None
            elif since is None:
                since = t  # a renewal of a held VIP is reported as another add: keep the first
    if since is not None:
        out.append((since, end))
    return out


def not_running(events, node, end):
    """Intervals during which the node's process was frozen (SIGSTOP) or gone."""
    out, since = [], None
    for t, what, who in events:
        if who != node:
            continue
        if what in ("kill", "stop", "exit") and since is None:
            since = t
        elif what in ("cont", "start") and since is not None:
            out.append((since, t))
            since = None
    if since is not None:
        out.append((since, end))
    return out


def overlap(a, b):
    res = []
    for s1, e1 in a:
        for s2, e2 in b:
            s, e = max(s1, s2), min(e1, e2)
            if s < e:
                res.append((s, e))
    return res


def length(intervals):
    return sum(e - s for s, e in intervals)


def main():
    vip, events_file, lo, hi = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
    nodes = dict(arg.split("=", 1) for arg in sys.argv[5:])
    events = []
    with open(events_file) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3:
                events.append((float(parts[0]), parts[1], parts[2]))
    window = [(lo, hi)]
    held = {n: overlap(held_intervals(p, vip, hi), window) for n, p in nodes.items()}
    down = {n: not_running(events, n, hi) for n in nodes}
    names = sorted(nodes)
    dual = stale = 0.0
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            both = overlap(held[a], held[b])
            total = length(both)
            frozen = length(overlap(both, down[a])) + length(overlap(both, down[b])) - length(
                overlap(overlap(both, down[a]), down[b]))
            stale += frozen
            dual += total - frozen
    print('{"dual_vip_ms":%d,"stale_vip_ms":%d}' % (round(dual), round(stale)))


if __name__ == "__main__":
    main()
