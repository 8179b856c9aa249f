#!/usr/bin/env bash
# Retrain the built-in model (rules/model.json): EM on the candidate pairs of a synthetic
# province (200,000 persons, seed 5), with no built-in fallback. Run it after a comparison or its
# levels change, then rebuild: the binary embeds rules/model.json.
#   bash benches/retrain.sh [persons] [seed]
set -euo pipefail
cd "$(dirname "$0")/.."
persons=${1:-200000}
seed=${2:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release -q
./target/release/doisoat synth --persons "$persons" --seed "$seed" --out "$work/data"
./target/release/doisoat train --civil "$work/data/civil" --population "$work/data/population.csv" \
  --out rules/model.json
echo "rules/model.json retrained on synth --persons $persons --seed $seed; rebuild to embed it"
