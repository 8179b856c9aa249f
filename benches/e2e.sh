#!/usr/bin/env bash
# End-to-end benchmark at province scale, one command:
#   bash benches/e2e.sh [PERSONS] [WORKDIR]
# synth (1.6 million persons ≈ 1.1 million civil records by default) → reconcile → eval, with wall
# time and peak memory of each step, then the same data linked by Splink 5 on DuckDB in a
# throw-away virtual environment (set SKIP_SPLINK=1 to skip it). Results go to WORKDIR/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PERSONS="${1:-1600000}"
WORK="${2:-bench-out}"
mkdir -p "$WORK"
cargo build --release -q
BIN=./target/release/doisoat
TIME=/usr/bin/time
run() { # name, command…
  local name="$1"; shift
  "$TIME" -f "%e %M" -o "$WORK/$name.time" "$@"
  read -r secs kb < "$WORK/$name.time"
  printf '| %s | %.1f s | %.0f MiB |\n' "$name" "$secs" "$((kb / 1024))" >> "$WORK/results.md"
}
{
  echo "## doisoat e2e — $(date -u +%Y-%m-%d) — $(nproc) cores — ${PERSONS} persons"
  echo
  echo "| step | wall | peak RSS |"
  echo "| --- | --- | --- |"
} > "$WORK/results.md"
rm -rf "$WORK/data" "$WORK/run"
run synth "$BIN" synth --persons "$PERSONS" --seed 7 --out "$WORK/data"
run reconcile "$BIN" reconcile --civil "$WORK/data/civil" --population "$WORK/data/population.csv" --out "$WORK/run" --quiet
"$BIN" eval --truth "$WORK/data/truth" --out "$WORK/run" > "$WORK/eval.txt"
python3 - "$WORK" >> "$WORK/results.md" <<'PY'
import json, sys
w = sys.argv[1]
s = json.load(open(f"{w}/run/summary.json"))
e = json.load(open(f"{w}/run/eval.json"))
print()
print("| stage | seconds | peak RSS so far |")
print("| --- | --- | --- |")
for st in s["stages"]:
    print(f"| {st['name']} | {st['seconds']:.2f} | {st['peak_rss_mib']:.0f} MiB |")
print()
print(f"candidate pairs {s['blocking']['candidate_pairs']}; subjects {s['counts']['subjects']}; persons {s['counts']['persons']}")
l = e["links"]
print(f"doisoat links: precision {l['precision']:.4f} recall {l['recall']:.4f} F1 {l['f1']:.4f}; "
      f"conflict fields F1 {e['conflict_fields']['f1']:.4f}; findings F1 {e['findings']['f1']:.4f}; "
      f"cosmetic differences reported as conflicts {e['cosmetic_false_conflicts']}")
PY
if [ "${SKIP_SPLINK:-0}" != 1 ]; then
  VENV="$WORK/splink-venv"
  [ -x "$VENV/bin/python" ] || { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q splink openpyxl pandas; }
  run splink "$VENV/bin/python" benches/splink_peer.py "$WORK/data" "$WORK/splink"
  "$BIN" eval --truth "$WORK/data/truth" --out "$WORK/splink" > "$WORK/eval_splink.txt"
  python3 - "$WORK" >> "$WORK/results.md" <<'PY'
import json, sys
w = sys.argv[1]
e = json.load(open(f"{w}/splink/eval.json"))["links"]
d = json.load(open(f"{w}/run/eval.json"))["links"]
ts = float(open(f"{w}/splink.time").read().split()[0])
td = float(open(f"{w}/reconcile.time").read().split()[0])
print(f"splink links: precision {e['precision']:.4f} recall {e['recall']:.4f} F1 {e['f1']:.4f}")
print(f"time ratio splink / doisoat reconcile: {ts / td:.1f}× ({ts:.0f} s vs {td:.0f} s); F1 {e['f1']:.4f} vs {d['f1']:.4f}")
PY
fi
cat "$WORK/results.md"
