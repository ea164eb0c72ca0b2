#!/usr/bin/env python3
"""Makes the small capture slices in this directory from ../shared/data/crypto-ws (see README.md).

Run from this directory: python3 make_slices.py /path/to/shared/data/crypto-ws
Every record is copied byte for byte except where README.md says otherwise (Coinbase snapshot
truncation). Output is compressed the way the source was (gzip / zstd) so the readers are tested.
"""
import gzip, json, subprocess, sys

src = sys.argv[1]

def zstd_lines(path):
    return subprocess.run(["zstd", "-dc", path], check=True, capture_output=True).stdout.decode().splitlines(keepends=True)

def write_zstd(path, lines):
    subprocess.run(["zstd", "-q", "-19", "-f", "-o", path], input="".join(lines).encode(), check=True)

# Binance spot (hftbacktest, gzip): the first 400 lines, REST snapshot (line 8) included.
with gzip.open(f"{src}/binance-spot/btcusdt_20240808.gz", "rt") as f:
    lines = [next(f) for _ in range(400)]
with gzip.open("binance_spot_btcusdt_20240808_400.gz", "wt", compresslevel=9) as f:
    f.writelines(lines)

# Kraken (cryptofeed v3, zstd): header, AssetPairs, the book connection's records for XBT/CHF and ETH/CHF.
lines = zstd_lines(f"{src}/kraken/KRAKEN.jsonl.zst")
keep = []
for i, l in enumerate(lines):
    r = json.loads(l)
    if i < 2:
        keep.append(l); continue
    if r.get("conn") != "KRAKEN.ws.50":
        continue
    d = r.get("data", "")
    if r["t"] in ("connect", "send") or d.startswith("[464,") or d.startswith("[496,") or '"event":"heartbeat"' in d:
        keep.append(l)
write_zstd("kraken_xbtchf_ethchf.jsonl.zst", keep)

# Coinbase Advanced Trade (cryptofeed v3, zstd): the first 140 records; l2_data snapshots cut to their 50 best levels a side.
lines = zstd_lines(f"{src}/coinbase-advanced-trade/COINBASE.jsonl.zst")
keep = []
for l in lines[:140]:
    r = json.loads(l)
    if r.get("t") == "http":
        continue  # the products list is 1.3 MB; the slice uses the 1e-8 fallback grid
    d = r.get("data")
    if r.get("t") == "recv" and '"l2_data"' in d and '"snapshot"' in d:
        m = json.loads(d)
        for ev in m["events"]:
            bids = [u for u in ev["updates"] if u["side"] == "bid"][:50]
            offers = [u for u in ev["updates"] if u["side"] == "offer"][:50]
            ev["updates"] = bids + offers
        r["data"] = json.dumps(m, separators=(",", ":"))
        l = json.dumps(r, separators=(",", ":")) + "\n"
    keep.append(l)
write_zstd("coinbase_advanced_btcusd_ethusd_140.jsonl.zst", keep)

# Coinbase Exchange (cryptofeed v2 raw, plain text; stored gzip-compressed): the first 250 lines.
with open(f"{src}/coinbase-pro-legacy/COINBASE.ws.28.0") as f:
    lines = [next(f) for _ in range(250)]
with gzip.open("coinbase_exchange_250.ws.gz", "wt", compresslevel=9) as f:
    f.writelines(lines)
