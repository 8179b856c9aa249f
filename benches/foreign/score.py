#!/usr/bin/env python3
"""Score a doisoat run against the truth written by gen.py (independently of `doisoat eval`).

    python3 benches/foreign/score.py --truth /tmp/foreign/truth --out /tmp/foreign/run [--show 20]

Prints link precision / recall / F1 (a link is a civil subject with a person; it is right when the
person is the true one), the status confusion matrix, conflict-field precision / recall / F1 over
correctly linked subjects, cosmetic noise reported as conflicts, and population-finding P / R / F1.
Then, for the phenomena gen.py plants (see its docstring):

- per noise kind: link recall over the subjects with that noise whose truth has a person, and
  conflict-field P / R / F1 over those of them linked to the right person;
- duplicate pairs P / R / F1: pairs of subjects sharing a truth `duplicate_group` against pairs
  sharing a label in the `duplicate_group` column of links.csv (several labels split by `;`);
- every population-finding kind separately (`no_birth_record` first);
- linked records typed without diacritics: % found (link recall over `no_diacritics`);
- cosmetic differences reported as conflicts: % of the correctly linked subjects whose truth has no
  conflict that got one;
- status accuracy, and conflict F1 by field.

With --show N, prints up to N wrong rows of each kind with their noise, to see where it fails.
With --json FILE, writes every figure to FILE.
"""
import argparse
import csv
import json
import os
from collections import Counter, defaultdict
from itertools import combinations


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
    ap.add_argument("--json", default=None, help="write all figures as JSON to this file")
    a = ap.parse_args()
    figs = {}
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
    figs["subjects"] = len(truth)
    figs["rows_absent"] = missing_rows
    figs["links"] = {"precision": p, "recall": r, "f1": f1, "tp": tp, "fp": fp, "fn": fn}
    cp, cr, cf = prf(ctp, cfp, cfn)
    figs["conflicts"] = {"precision": cp, "recall": cr, "f1": cf, "tp": ctp, "fp": cfp, "fn": cfn,
                         "linked_with_extra_field": cosmetic_fp}
    print(f"conflicts  P {cp:.4f}  R {cr:.4f}  F1 {cf:.4f}   (linked subjects with an extra "
          f"conflict field: {cosmetic_fp})")
    statuses = ["matched", "conflict", "review", "missing", "out_of_scope"]
    print("status confusion (rows truth, columns doisoat):")
    print("              " + " ".join(f"{s:>12}" for s in statuses))
    for s in statuses:
        print(f"{s:>12}  " + " ".join(f"{conf[(s, g)]:>12}" for g in statuses))
    acc = sum(conf[(s, s)] for s in statuses) / max(1, sum(conf.values()))
    print(f"status accuracy {acc:.4f}")
    figs["status_accuracy"] = acc
    figs["status_confusion"] = {t: {g: conf[(t, g)] for g in statuses} for t in statuses}
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
    known = ["no_birth_record", "death_not_recorded", "marriage_not_recorded"]
    kinds = known + sorted({k for _, k in tf | gf} - set(known))
    figs["findings"] = {}
    for kind in kinds:
        t = {x for x in tf if x[1] == kind}
        g = {x for x in gf if x[1] == kind}
        fp_, r_, f_ = prf(len(t & g), len(g - t), len(t - g))
        print(f"finding {kind:<22} P {fp_:.4f}  R {r_:.4f}  F1 {f_:.4f}  (truth {len(t)}, got {len(g)})")
        figs["findings"][kind] = {"precision": fp_, "recall": r_, "f1": f_, "truth": len(t),
                                  "got": len(g), "tp": len(t & g)}
    if by_noise_fn:
        print("noise on links missed:", ", ".join(f"{k} {v}" for k, v in by_noise_fn.most_common(12)))
    figs["noise_on_links_missed"] = dict(by_noise_fn)
    phenomena(truth, got, figs)
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(figs, f, indent=1, ensure_ascii=False, sort_keys=True)
    if a.show:
        for kind, items in sorted(wrong.items(), key=lambda kv: -len(kv[1])):
            print(f"\n== {kind}: {len(items)}")
            for k, t, g in items[: a.show]:
                print(f"  {k[0]}:{k[1]} {k[2]} truth={t['person_id'] or '-'}/{t['status']}/"
                      f"{t['conflict_fields']} got={g['person_id'] or '-'}/{g['status']}/"
                      f"{g['conflict_fields']} p={g['match_probability']} noise={t['noise']}")


def fields(s):
    return {x for x in (s or "").split(";") if x}


def phenomena(truth, got, figs):
    """The figures for the phenomena: per noise kind, duplicates, diacritics, cosmetic, by field."""
    # per noise kind
    per = defaultdict(lambda: Counter())
    by_field = defaultdict(Counter)
    clean_linked = clean_extra = 0
    for k, t in truth.items():
        g = got.get(k)
        tpid = t["person_id"]
        gpid = g["person_id"] if g else ""
        right = bool(tpid) and gpid == tpid
        tfs = fields(t["conflict_fields"])
        gfs = fields(g["conflict_fields"]) if g else set()
        if right:
            for fld in tfs | gfs:
                kind = "tp" if fld in tfs and fld in gfs else "fp" if fld in gfs else "fn"
                by_field[fld][kind] += 1
            if not tfs:
                clean_linked += 1
                clean_extra += bool(gfs)
        for n in set(fields(t["noise"])):
            c = per[n]
            c["subjects"] += 1
            if tpid:
                c["with_person"] += 1
                c["linked_right"] += right
            if right:
                c["ctp"] += len(tfs & gfs)
                c["cfp"] += len(gfs - tfs)
                c["cfn"] += len(tfs - gfs)
    out = {}
    print("per noise kind (link recall over subjects with a true person; conflict P/R/F1 over "
          "those linked right):")
    print(f"  {'noise':<20} {'subjects':>8} {'w/person':>8} {'link R':>7}  {'conf P':>6} "
          f"{'conf R':>6} {'conf F1':>7}")
    for n in sorted(per, key=lambda n: (-per[n]["subjects"], n)):
        c = per[n]
        lr = c["linked_right"] / c["with_person"] if c["with_person"] else float("nan")
        cp, cr, cf = prf(c["ctp"], c["cfp"], c["cfn"])
        print(f"  {n:<20} {c['subjects']:>8} {c['with_person']:>8} {lr:>7.4f}  {cp:>6.4f} "
              f"{cr:>6.4f} {cf:>7.4f}")
        out[n] = {"subjects": c["subjects"], "with_person": c["with_person"],
                  "linked_right": c["linked_right"],
                  "link_recall": lr if c["with_person"] else None,
                  "conflict_precision": cp, "conflict_recall": cr, "conflict_f1": cf,
                  "conflict_tp": c["ctp"], "conflict_fp": c["cfp"], "conflict_fn": c["cfn"]}
    figs["per_noise"] = out
    # duplicates
    tgroups = defaultdict(set)
    for k, t in truth.items():
        if t.get("duplicate_group"):
            tgroups[t["duplicate_group"]].add(k)
    ggroups = defaultdict(set)
    for k, g in got.items():
        for lab in fields(g.get("duplicate_group")):
            ggroups[lab].add(k)

    def pairs(groups):
        ps = set()
        for members in groups.values():
            for x, y in combinations(sorted(members), 2):
                ps.add((x, y))
        return ps
    tp_, gp_ = pairs(tgroups), pairs(ggroups)
    dp, dr, df = prf(len(tp_ & gp_), len(gp_ - tp_), len(tp_ - gp_))
    print(f"duplicate pairs  P {dp:.4f}  R {dr:.4f}  F1 {df:.4f}  (truth {len(tp_)}, "
          f"got {len(gp_)}, both {len(tp_ & gp_)})")
    figs["duplicate_pairs"] = {"precision": dp, "recall": dr, "f1": df, "truth": len(tp_),
                               "got": len(gp_), "tp": len(tp_ & gp_)}
    # typed without diacritics
    nd = per.get("no_diacritics", Counter())
    found = nd["linked_right"] / nd["with_person"] if nd["with_person"] else float("nan")
    print(f"linked records typed without diacritics: {100 * found:.2f} % found "
          f"({nd['linked_right']} of {nd['with_person']})")
    figs["no_diacritics_found"] = {"share": found if nd["with_person"] else None,
                                   "found": nd["linked_right"], "of": nd["with_person"]}
    # cosmetic
    cos = clean_extra / clean_linked if clean_linked else 0.0
    print(f"cosmetic differences reported as conflicts: {100 * cos:.2f} % of the {clean_linked} "
          f"correctly linked subjects without a true conflict ({clean_extra})")
    figs["cosmetic_as_conflict"] = {"share": cos, "subjects": clean_extra, "of": clean_linked}
    # by field
    print("conflict F1 by field (correctly linked subjects):")
    figs["conflict_by_field"] = {}
    for fld in sorted(by_field):
        c = by_field[fld]
        p_, r_, f_ = prf(c["tp"], c["fp"], c["fn"])
        print(f"  {fld:<14} P {p_:.4f}  R {r_:.4f}  F1 {f_:.4f}   (tp {c['tp']} fp {c['fp']} "
              f"fn {c['fn']})")
        figs["conflict_by_field"][fld] = {"precision": p_, "recall": r_, "f1": f_, "tp": c["tp"],
                                          "fp": c["fp"], "fn": c["fn"]}


if __name__ == "__main__":
    main()
