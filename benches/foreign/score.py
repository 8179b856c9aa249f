#!/usr/bin/env python3
"""Score a doisoat run against the truth written by gen.py (independently of `doisoat eval`).

    python3 benches/foreign/score.py --truth /tmp/foreign/truth --out /tmp/foreign/run [--show 20]

Prints link precision / recall / F1 (a link is a civil subject with a person; it is right when the
person is the true one), the status confusion matrix, conflict-field precision / recall / F1 over
correctly linked subjects, cosmetic noise reported as conflicts, and population-finding P / R / F1.
With --show N, prints up to N wrong rows of each kind with their noise, to see where it fails.
"""
import argparse
import csv
import os
from collections import Counter, defaultdict


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--truth", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--show", type=int, default=0)
    a = ap.parse_args()
    truth = {}
    with open(os.path.join(a.truth, "subjects.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            r.setdefault("status", r.get("expected_status", ""))
            truth[(r["source_file"], int(r["source_row"]), r["role"])] = r
    got = {}
    with open(os.path.join(a.out, "links.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            got[(r["source_file"], int(r["source_row"]), r["role"])] = r
    tp = fp = fn = 0
    conf = Counter()
    ctp = cfp = cfn = 0
    cosmetic_fp = 0
    wrong = defaultdict(list)
    by_noise_fn = Counter()
    missing_rows = 0
    for k, t in truth.items():
        g = got.get(k)
        if g is None:
            missing_rows += 1
            continue
        conf[(t["status"], g["status"])] += 1
        tpid, gpid = t["person_id"], g["person_id"]
        if gpid:
            if gpid == tpid:
                tp += 1
            else:
                fp += 1
                wrong["wrong_person" if tpid else "false_link"].append((k, t, g))
                if tpid:
                    fn += 1
        elif tpid:
            fn += 1
            wrong["not_linked"].append((k, t, g))
            for n in t["noise"].split(";"):
                if n:
                    by_noise_fn[n] += 1
        if gpid and gpid == tpid:
            tf = set(x for x in t["conflict_fields"].split(";") if x)
            gf = set(x for x in g["conflict_fields"].split(";") if x)
            ctp += len(tf & gf)
            cfp += len(gf - tf)
            cfn += len(tf - gf)
            if gf - tf:
                cosmetic_fp += 1
                wrong["extra_conflict:" + ",".join(sorted(gf - tf))].append((k, t, g))
            if tf - gf:
                wrong["missed_conflict:" + ",".join(sorted(tf - gf))].append((k, t, g))
    p, r, f1 = prf(tp, fp, fn)
    print(f"subjects {len(truth)} (rows absent from links.csv: {missing_rows})")
    print(f"links      P {p:.4f}  R {r:.4f}  F1 {f1:.4f}   (tp {tp} fp {fp} fn {fn})")
    cp, cr, cf = prf(ctp, cfp, cfn)
    print(f"conflicts  P {cp:.4f}  R {cr:.4f}  F1 {cf:.4f}   (linked subjects with an extra "
          f"conflict field: {cosmetic_fp})")
    statuses = ["matched", "conflict", "review", "missing", "out_of_scope"]
    print("status confusion (rows truth, columns doisoat):")
    print("              " + " ".join(f"{s:>12}" for s in statuses))
    for s in statuses:
        print(f"{s:>12}  " + " ".join(f"{conf[(s, g)]:>12}" for g in statuses))
    acc = sum(conf[(s, s)] for s in statuses) / max(1, sum(conf.values()))
    print(f"status accuracy {acc:.4f}")
    tf = set()
    with open(os.path.join(a.truth, "findings.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            tf.add((r["person_id"], r["finding"]))
    gf = set()
    with open(os.path.join(a.out, "population_findings.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            gf.add((r["person_id"], r["finding"]))
    # the registry may have lost a leading zero: compare on the ID without leading zeros
    norm = lambda s: {(p.lstrip("0"), k) for p, k in s}  # noqa: E731
    tf, gf = norm(tf), norm(gf)
    for kind in ("no_birth_record", "death_not_recorded", "marriage_not_recorded"):
        t = {x for x in tf if x[1] == kind}
        g = {x for x in gf if x[1] == kind}
        fp_, r_, f_ = prf(len(t & g), len(g - t), len(t - g))
        print(f"finding {kind:<22} P {fp_:.4f}  R {r_:.4f}  F1 {f_:.4f}  (truth {len(t)}, got {len(g)})")
    if by_noise_fn:
        print("noise on links missed:", ", ".join(f"{k} {v}" for k, v in by_noise_fn.most_common(12)))
    if a.show:
        for kind, items in sorted(wrong.items(), key=lambda kv: -len(kv[1])):
            print(f"\n== {kind}: {len(items)}")
            for k, t, g in items[: a.show]:
                print(f"  {k[0]}:{k[1]} {k[2]} truth={t['person_id'] or '-'}/{t['status']}/"
                      f"{t['conflict_fields']} got={g['person_id'] or '-'}/{g['status']}/"
                      f"{g['conflict_fields']} p={g['match_probability']} noise={t['noise']}")


if __name__ == "__main__":
    main()
