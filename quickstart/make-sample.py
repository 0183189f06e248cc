#!/usr/bin/env python3
"""Writes quickstart/tutorial/edits-2015-09-12.json.gz: 2,000 made-up wiki edits on 2015-09-12, one JSON object per
line, shaped like Druid's wikiticker tutorial data (which may not be copied into this repository).
The output is deterministic: the same bytes every run."""
import gzip
import json
import os
import random

rng = random.Random(20150912)
channels = ["#en.wikipedia", "#de.wikipedia", "#fr.wikipedia", "#ja.wikipedia", "#ca.wikipedia", "#vi.wikipedia"]
namespaces = ["Main", "Talk", "User", "Wikipedia", "Category"]
countries = [None, None, None, ("AU", "Australia"), ("US", "United States"), ("DE", "Germany"), ("JP", "Japan")]
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tutorial", "edits-2015-09-12.json.gz")
os.makedirs(os.path.dirname(out), exist_ok=True)

rows = []
for i in range(2000):
    second = rng.randrange(24 * 3600)
    country = rng.choice(countries)
    added = rng.choice([0, rng.randrange(1, 50), rng.randrange(50, 2000)])
    deleted = rng.choice([0, 0, rng.randrange(1, 300)])
    rows.append({
        "time": "2015-09-12T%02d:%02d:%02d.%03dZ" % (second // 3600, second // 60 % 60, second % 60, rng.randrange(1000)),
        "channel": rng.choice(channels),
        "page": "Page %d" % rng.randrange(400),
        "user": "user%d" % rng.randrange(150),
        "namespace": rng.choice(namespaces),
        "countryIsoCode": country[0] if country else None,
        "countryName": country[1] if country else None,
        "isRobot": rng.random() < 0.2,
        "added": added,
        "deleted": deleted,
        "delta": added - deleted,
    })
rows.sort(key=lambda r: r["time"])

with gzip.GzipFile(out, "wb", mtime=0) as f:
    for row in rows:
        f.write((json.dumps(row, separators=(",", ":")) + "\n").encode("utf-8"))
print(out)
