#!/usr/bin/env python3
"""Regenerate the gazetteer CSVs in this folder from the MIT-licensed PyPI package
`vietnamadminunits` (tranngocminhhieu/vietnamadminunits).

Usage: python3 rules/places/generate.py            # downloads the pinned wheel with pip
       python3 rules/places/generate.py WHEEL.whl  # or uses a wheel you already have

Build-time only: the engine reads the CSVs written here (embedded at compile time) and never
needs Python. Nothing from the GPL package `vietnam-provinces` is used.
"""
import csv
import json
import re
import os
import sqlite3
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from collections import Counter, defaultdict

PACKAGE = "vietnamadminunits==1.0.4"
HERE = os.path.dirname(os.path.abspath(__file__))


def fold(s):
    s = s.replace("đ", "d").replace("Đ", "D")
    s = unicodedata.normalize("NFD", s)
    return "".join(c for c in s if unicodedata.category(c) != "Mn").lower()


def wheel_path(tmp):
    if len(sys.argv) > 1:
        return sys.argv[1]
    subprocess.check_call([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp, PACKAGE])
    return next(os.path.join(tmp, f) for f in os.listdir(tmp) if f.endswith(".whl"))


def write(name, header, rows):
    with open(os.path.join(HERE, name), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    return len(rows)


def main():
    tmp = tempfile.mkdtemp()
    whl = wheel_path(tmp)
    with zipfile.ZipFile(whl) as z:
        z.extract("vietnamadminunits/data/dataset.db", tmp)
        z.extract("vietnamadminunits/data/converter_2025.json", tmp)
    db = sqlite3.connect(os.path.join(tmp, "vietnamadminunits/data/dataset.db"))
    conv = json.load(open(os.path.join(tmp, "vietnamadminunits/data/converter_2025.json"), encoding="utf-8"))

    legacy = list(db.execute(
        "select provinceCode, province, provinceShort, districtCode, district, districtShort, districtType,"
        " wardCode, ward, wardShort, wardType, provinceKey, districtKey, wardKey, wardAlias, wardKeywords,"
        " wardShortKey from admin_units_legacy"))
    new = list(db.execute(
        "select provinceCode, province, provinceShort, wardCode, ward, wardShort, wardType, provinceKey,"
        " wardKey from admin_units"))

    def ptype(full, short):
        return full[: len(full) - len(short)].strip()

    def bare(name):
        # "Yên Viên (Thị trấn)": the dataset disambiguates same-named units in brackets; the
        # type column says the same, so the name is kept without it
        return re.sub(r"\s*\([^)]*\)\s*$", "", name).strip()

    provinces, districts, communes = {}, {}, []
    key_to_legacy = {}
    for (pc, p, ps, dc, d, ds, dt, wc, w, ws, wt, pk, dk, wk, alias, kw, wsk) in legacy:
        provinces[pc] = (pc, ps, ptype(p, ps))
        districts[dc] = (dc, pc, bare(ds), dt)
        if wc:
            communes.append((wc, dc, pc, bare(ws), wt))
        key_to_legacy[f"{pk}_{dk}_{wk or ''}"] = (pc, dc, wc)
    new_provinces, new_communes, new_key = {}, [], {}
    for (pc, p, ps, wc, w, ws, wt, pk, wk) in new:
        new_provinces[pc] = (pc, ps, ptype(p, ps))
        new_communes.append((wc, pc, bare(ws), wt))
        new_key[(pk, wk)] = (pc, wc)

    # crosswalk: every legacy commune (or commune-less island district) to its 2025 commune(s)
    cross, district_cross = [], []
    for pk, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for wk, olds in wards.items():
            _, nwc = new_key[(pk, wk)]
            for o in olds:
                pc, dc, wc = key_to_legacy[o]
                (cross if wc else district_cross).append((wc or dc, nwc, 1))
    for pk, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for o, lst in olds.items():
            pc, dc, wc = key_to_legacy[o]
            for x in lst:
                _, nwc = new_key[(pk, x["newWardKey"])]
                (cross if wc else district_cross).append((wc or dc, nwc, 1 if x["isDefaultNewWard"] else 0))
    # a split commune with no default marked gets its first (lowest-code) successor as default
    by_old = defaultdict(list)
    for row in cross:
        by_old[row[0]].append(row)
    cross = []
    for old, rows in sorted(by_old.items()):
        rows = sorted(set(rows), key=lambda r: r[1])
        if len(rows) > 1 and not any(r[2] for r in rows):
            rows[0] = (rows[0][0], rows[0][1], 1)
        if len(rows) == 1:
            rows = [(rows[0][0], rows[0][1], 1)]
        cross.extend(rows)

    legacy_pkey = {}
    for (pc, p, ps, *_rest) in legacy:
        legacy_pkey[_rest[8]] = pc
    new_pkey = {pk: pc for (pk, _), (pc, _) in new_key.items()}
    province_cross = []
    for npk, opks in conv["DICT_PROVINCE"].items():
        for opk in opks:
            province_cross.append((legacy_pkey[opk], new_pkey[npk]))

    # aliases: historical names of merged communes (wardAlias) and spelling variants (wardKeywords)
    syl = defaultdict(Counter)
    for name in [c[3] for c in communes] + [d[2] for d in districts.values()] + [c[2] for c in new_communes]:
        for s in name.split():
            syl[fold(s)][s] += 1
    best = {k: v.most_common(1)[0][0] for k, v in syl.items()}

    def restore(key):
        # split a folded key into known syllables (fewest pieces), restore the commonest accented form
        n = len(key)
        dp = [None] * (n + 1)
        dp[0] = []
        for i in range(n):
            if dp[i] is None:
                continue
            for j in range(i + 1, min(n, i + 8) + 1):
                piece = key[i:j]
                if piece in best and (dp[j] is None or len(dp[j]) > len(dp[i]) + 1):
                    dp[j] = dp[i] + [best[piece]]
        return " ".join(dp[n]) if dp[n] else ""

    prefixes = [("thitran", "Thị trấn"), ("phuong", "Phường"), ("xa", "Xã")]
    # the package's keyword generator also writes type words with spelling variants (sa…, tt…)
    # and bracket suffixes (…thitran); those duplicates of a bare key are dropped
    variant_prefixes = ["thitran", "tt", "phuong", "xa", "sa"]
    aliases = set()
    for (pc, p, ps, dc, d, ds, dt, wc, w, ws, wt, pk, dk, wk, alias, kw, wsk) in legacy:
        if not wc:
            continue
        hist = json.loads(alias) if alias else []
        kws = json.loads(kw) if kw else []
        allk = set(hist + kws)
        suffix = fold(ws[len(bare(ws)):]).replace("(", "").replace(")", "").replace(" ", "")
        own = {wk, wsk, fold(bare(ws)).replace(" ", "")}
        for k in hist + kws:
            if not re.fullmatch(r"[a-z0-9]+", k):
                continue  # a few keywords carry stray diacritics: not keys
            if suffix and k.endswith(suffix) and k[: -len(suffix)] in allk | own:
                continue
            if any(k.startswith(pre) and k[len(pre):] in allk | own for pre in variant_prefixes):
                if not any(k.startswith(pre) for pre, _ in prefixes):
                    continue
            kind = "historical" if k in hist else "variant"
            typ = ""
            short = k
            for pre, t in prefixes:
                if k.startswith(pre) and len(k) > len(pre):
                    typ, short = t, k[len(pre):]
                    break
            if typ == "" and any((pre + k) in allk for pre, _ in prefixes):
                continue  # the prefixed form carries the type
            if short in own or (suffix and short.endswith(suffix)):
                continue
            if typ == "":
                typ = wt
            aliases.add((wc, short, restore(short), typ, kind))

    counts = {
        "provinces_legacy": write("provinces_legacy.csv", ["code", "name", "type"], sorted(provinces.values())),
        "districts_legacy": write("districts_legacy.csv", ["code", "province_code", "name", "type"], sorted(districts.values())),
        "communes_legacy": write("communes_legacy.csv", ["code", "district_code", "province_code", "name", "type"], sorted(communes)),
        "provinces_2025": write("provinces_2025.csv", ["code", "name", "type"], sorted(new_provinces.values())),
        "communes_2025": write("communes_2025.csv", ["code", "province_code", "name", "type"], sorted(new_communes)),
        "crosswalk": write("crosswalk.csv", ["legacy_commune_code", "commune_code_2025", "is_default"], cross),
        "district_crosswalk": write("district_crosswalk.csv", ["legacy_district_code", "commune_code_2025", "is_default"], sorted(set(district_cross))),
        "province_crosswalk": write("province_crosswalk.csv", ["legacy_province_code", "province_code_2025"], sorted(set(province_cross))),
        "aliases": write("aliases.csv", ["legacy_commune_code", "key", "name_guess", "type", "kind"], sorted(aliases)),
    }
    split = sum(1 for k, v in Counter(r[0] for r in cross).items() if v > 1)
    counts["split_legacy_communes"] = split
    with open(os.path.join(HERE, "counts.json"), "w") as f:
        json.dump(counts, f, indent=1, sort_keys=True)
        f.write("\n")
    print(json.dumps(counts, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
