#!/usr/bin/env python3
"""Peer comparison: link the same synthetic province with Splink on DuckDB.

Run by benches/e2e.sh inside a throw-away virtual environment (pip install splink openpyxl pandas);
never a dependency of doisoat or of CI. The preprocessing is what an analyst would do with pandas
(NFC, lower case, split the name into family / middle / given, dates parsed day-first); Splink has no
decoder for TCVN3/VNI books, so those rows reach it as they are. The output is a links.csv in
doisoat's format (matched rows only) so that `doisoat eval` scores both tools the same way.

Usage: splink_peer.py DATA_DIR OUT_DIR
"""
import csv
import glob
import os
import sys
import time
import unicodedata

import pandas as pd
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

ROLES = {
    "KS": [("nks", "nks")],
    "KT": [("nkt", "nkt")],
    "KH": [("chong", "chong"), ("vo", "vo")],
    "CMC": [("cm", "cm"), ("nc", "nc")],
    "HN": [("nxn", "nxn")],
}


def norm(s):
    s = unicodedata.normalize("NFC", str(s or "")).strip().lower()
    return " ".join(s.split())


def split_name(s):
    t = norm(s).split(" ")
    if not t or t == [""]:
        return "", "", ""
    if len(t) == 1:
        return "", "", t[0]
    return t[0], " ".join(t[1:-1]), t[-1]


def read_book(path):
    if path.endswith(".xlsx"):
        raw = pd.read_excel(path, header=None, dtype=str).fillna("")
    else:
        with open(path, encoding="utf-8", errors="replace", newline="") as f:
            grid = list(csv.reader(f))
        width = max(len(r) for r in grid)
        raw = pd.DataFrame([r + [""] * (width - len(r)) for r in grid], dtype=str)
    hdr = next(i for i in range(min(len(raw), 30)) if "so" in list(raw.iloc[i]))
    df = raw.iloc[hdr + 1:].copy()
    df.columns = list(raw.iloc[hdr])
    df["__row"] = [hdr + 2 + i for i in range(len(df))]
    return df


def main(data, out):
    t0 = time.time()
    civil = os.path.join(data, "civil")
    rows = []
    for path in sorted(glob.glob(os.path.join(civil, "**", "*.*"), recursive=True)):
        rel = os.path.relpath(path, civil).replace(os.sep, "/")
        rt = rel.split("/")[-2]
        try:
            df = read_book(path)
        except Exception:
            continue
        for _, r in df.iterrows():
            for role, p in ROLES.get(rt, []):
                fam, mid, giv = split_name(r.get(p + "HoTen", ""))
                sex = {"chong": "nam", "vo": "nữ"}.get(role, norm(r.get(p + "GioiTinh", "")))
                rows.append(dict(unique_id=f"{rel}|{r['__row']}|{role}", source_file=rel, source_row=r["__row"], record_type=rt, role=role,
                                 family=fam, middle=mid, given=giv, dob=norm(r.get(p + "NgaySinh", "")), sex=sex, birth_place=norm(r.get("nksNoiSinh", "")) if role == "nks" else ""))
    left = pd.DataFrame(rows)
    pop = pd.read_csv(os.path.join(data, "population.csv"), dtype=str, keep_default_na=False)
    names = pop["Họ, chữ đệm và tên"].map(split_name)
    right = pd.DataFrame(dict(unique_id=pop["Số định danh cá nhân"], family=[n[0] for n in names], middle=[n[1] for n in names], given=[n[2] for n in names],
                              dob=pop["Ngày, tháng, năm sinh"].map(norm), sex=pop["Giới tính"].map(norm), birth_place=pop["Nơi sinh"].map(norm)))
    for df in (left, right):
        d = pd.to_datetime(df["dob"], dayfirst=True, errors="coerce", format="mixed")
        df["dob"] = d.dt.strftime("%Y-%m-%d")
        df["birth_year"] = d.dt.year.astype("Int64").astype(str)
    t_prep = time.time() - t0
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.NameComparison("family"),
            cl.NameComparison("middle"),
            cl.NameComparison("given"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("sex"),
            cl.JaroWinklerAtThresholds("birth_place"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("birth_year", "family", "given"),
            block_on("dob", "given"),
            block_on("dob", "family", "middle"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    cols = ["unique_id", "family", "middle", "given", "dob", "birth_year", "sex", "birth_place"]
    left, right = left[cols], right[cols]
    db = DuckDBAPI()
    linker = Linker([db.register(left, dataset_display_name="civil"), db.register(right, dataset_display_name="registry")], settings)
    linker.training.estimate_probability_two_random_records_match([block_on("dob", "family", "given")], recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_year", "family", "given"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    pred = linker.inference.predict(threshold_match_probability=0.5).as_pandas_dataframe()
    # one person per subject: the best pair above 0.95
    pred = pred[pred["match_probability"] >= 0.95]
    lcol = "unique_id_l" if len(pred) == 0 or pred["source_dataset_l"].iloc[0] == "civil" else "unique_id_r"
    rcol = "unique_id_r" if lcol == "unique_id_l" else "unique_id_l"
    best = pred.sort_values("match_probability", ascending=False).drop_duplicates(lcol)
    link = dict(zip(best[lcol], best[rcol]))
    elapsed = time.time() - t0
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "links.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["source_file", "source_row", "record_type", "role", "person_id", "status", "conflict_fields", "duplicate_group"])
        for r in rows:
            pid = link.get(r["unique_id"], "")
            w.writerow([r["source_file"], r["source_row"], r["record_type"], r["role"], pid, "matched" if pid else "missing", "", ""])
    with open(os.path.join(out, "population_findings.csv"), "w", encoding="utf-8") as f:
        f.write("person_id,finding,evidence\n")
    print(f"splink: {len(left)} subjects, {len(right)} persons, prep {t_prep:.1f}s, total {elapsed:.1f}s")
    with open(os.path.join(out, "time.txt"), "w") as f:
        f.write(f"{elapsed:.2f}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
