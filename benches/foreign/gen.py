#!/usr/bin/env python3
"""A second, independent generator of civil books and a population extract with known truth.

doisoat's own generator (`doisoat synth`) and its engine were written by the same hands, so an
engine tuned on it may only be good at it. This script is written apart from `src/synth`, from
the domain facts in the shared reference only, and makes other choices on purpose: another name
list and frequencies, header spellings of the law's field names, sex and ethnicity as template
codes in some books, registration places as admin-unit codes, ISO dates in the extract, IDs that
lost their leading zero in Excel, birth places in the `nksNoiSinhDVHC` code column, other noise
rates. `score.py` scores a doisoat run against its truth.

Python stdlib only; reads the gazetteer under rules/places. Not a dependency of the engine or CI.

    python3 benches/foreign/gen.py --persons 50000 --seed 1 --province 42 --out /tmp/foreign
"""
import argparse
import csv
import os
import random
import sys
import unicodedata
from datetime import date, timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
PLACES = os.path.join(HERE, "..", "..", "rules", "places")

FAMILY = [("Nguyễn", 380), ("Trần", 110), ("Lê", 95), ("Phạm", 70), ("Hoàng", 30), ("Huỳnh", 21),
          ("Phan", 45), ("Vũ", 22), ("Võ", 17), ("Đặng", 21), ("Bùi", 20), ("Đỗ", 14), ("Hồ", 13),
          ("Ngô", 13), ("Dương", 10), ("Lý", 5), ("Đinh", 6), ("Đào", 5), ("Cao", 4), ("Mai", 4),
          ("Trương", 6), ("Lưu", 3), ("Thái", 3), ("Chu", 2), ("Kiều", 2), ("Tạ", 2), ("Lương", 3),
          ("Hà", 3), ("Tôn Nữ", 1), ("Âu Dương", 1), ("Khúc", 1), ("Văn", 1)]
MID_M = [("Văn", 30), ("Đức", 10), ("Minh", 8), ("Quang", 6), ("Hữu", 6), ("Công", 5),
         ("Thanh", 4), ("Xuân", 4), ("Ngọc", 3), ("Đình", 5), ("Trọng", 3), ("Tiến", 2),
         ("Mạnh", 2), ("Quốc", 3), ("Duy", 2), ("Anh", 2), ("", 4), ("Văn Minh", 1)]
MID_F = [("Thị", 55), ("Thu", 5), ("Ngọc", 4), ("Thanh", 4), ("Minh", 3), ("Phương", 3),
         ("Hồng", 3), ("Kim", 3), ("Mai", 2), ("Thùy", 2), ("Khánh", 2), ("Bảo", 1), ("", 3),
         ("Thị Thu", 1)]
GIVEN_M = ["Hùng", "Dũng", "Tuấn", "Hải", "Nam", "Long", "Sơn", "Thắng", "Cường", "Hiếu", "Phúc",
           "Quân", "Tùng", "Việt", "Bình", "Đức", "Trung", "Hưng", "Thành", "Khánh", "Hoàng", "Huy",
           "Lâm", "Toàn", "Vinh", "Tâm", "Lợi", "Nghĩa", "Phương", "Quyết", "Thịnh", "Tú", "Kiên",
           "Hòa", "Thủy", "Lực", "Chiến", "Hậu", "Khoa", "Đạt", "Bảo", "Duy", "Hiển", "Tiến",
           "Kỳ", "Thuận", "Luyện", "Nhật", "Trường", "Quý", "Sỹ", "Tấn", "Vũ", "Đông", "Minh",
           "An", "Khải", "Lộc", "Ngọc", "Phong", "Tài", "Thái", "Thông", "Triều", "Xuân"]
GIVEN_F = ["Lan", "Hương", "Hoa", "Hằng", "Thủy", "Trang", "Linh", "Ngọc", "Nga", "Hà", "Mai",
           "Hạnh", "Dung", "Yến", "Nhung", "Phương", "Thảo", "Loan", "Oanh", "Tâm", "Hòa", "Thúy",
           "Huyền", "Vân", "Liên", "Hiền", "Lý", "Quyên", "Anh", "Chi", "Giang", "Hồng", "Hải",
           "Diệp", "Ngân", "Nguyệt", "Nhàn", "Sương", "Tuyết", "Xuân", "Khuyên", "Lụa", "Mận",
           "Đào", "Quỳnh", "Uyên", "Vy", "Thơm", "Huế", "Lài", "Ly", "Duyên", "Ánh", "Bích",
           "Cúc", "Đông", "Gấm", "Hậu", "Kiều", "Lệ", "My", "Nhi", "Phượng", "Tình", "Trinh"]
ETHNIC = [("Kinh", "01", 960), ("Thái", "03", 12), ("Mường", "06", 10), ("Tày", "02", 5),
          ("Mông", "08", 6), ("Chứt", "44", 3), ("Lào", "37", 2), ("Hoa", "04", 2)]
ETHNIC_ALIAS = {"Mông": "Mông (Mèo)", "Hoa": "Hoa (Hán)", "Kinh": "Kinh (Việt)"}

LOOKALIKE = {"u": "n", "n": "u", "m": "n", "a": "o", "o": "a", "e": "c", "c": "e", "l": "t",
             "t": "l", "h": "k", "k": "h", "i": "l", "g": "q", "y": "g"}
VARIANTS = {"Hoàng": "Huỳnh", "Huỳnh": "Hoàng", "Vũ": "Võ", "Võ": "Vũ", "Phúc": "Phước",
            "Quý": "Quí", "Sỹ": "Sĩ", "Thủy": "Thuỷ", "Lý": "Lí", "Kỳ": "Kì"}
DIALECT = [("Tr", "Ch"), ("Ch", "Tr"), ("S", "X"), ("X", "S"), ("L", "N"), ("N", "L"),
           ("D", "Gi"), ("Gi", "D"), ("R", "D")]

# --- legacy encodings: whole books saved from an old .VnTime / VNI-Times sheet ----------------
from legacy_tables import TCVN3, VNI  # noqa: E402


def to_tcvn3(text):
    return bytes(TCVN3.get(ch, ord(ch) if ord(ch) < 256 else 0x3F)
                 for ch in unicodedata.normalize("NFC", text))


def to_vni(text):
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        out += VNI.get(ch) or (ch.encode("cp1252", errors="replace"))
    return bytes(out)


TONES = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}


def split_tone(ch):
    d = unicodedata.normalize("NFD", ch)
    tone = next((c for c in d if c in TONES), None)
    base = unicodedata.normalize("NFC", "".join(c for c in d if c not in TONES))
    return base, tone


# --- helpers ---------------------------------------------------------------------------------
def wpick(rng, items):
    total = sum(w for *_, w in items)
    x = rng.uniform(0, total)
    for it in items:
        x -= it[-1]
        if x <= 0:
            return it
    return items[-1]


def strip_tone(s):
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", s)
                                                 if c not in TONES))


def ascii_fold(s):
    s = s.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def fmt_date(d, style):
    if style == "slash":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if style == "short":
        return f"{d.day}/{d.month}/{d.year}"
    if style == "dot":
        return f"{d.day:02d}.{d.month:02d}.{d.year}"
    if style == "iso":
        return d.isoformat()
    if style == "dash":
        return f"{d.day:02d}-{d.month:02d}-{d.year}"
    raise ValueError(style)


# --- the gazetteer ----------------------------------------------------------------------------
def load_places(province):
    def rows(name):
        with open(os.path.join(PLACES, name), encoding="utf-8") as f:
            return list(csv.DictReader(f))
    prov = {r["code"]: r for r in rows("provinces_legacy.csv")}
    dist = {r["code"]: r for r in rows("districts_legacy.csv")}
    comm = [r for r in rows("communes_legacy.csv")]
    new = {r["code"]: r for r in rows("communes_2025.csv")}
    new_prov = {r["code"]: r for r in rows("provinces_2025.csv")}
    xw = {}
    for r in rows("crosswalk.csv"):
        if r["is_default"] == "1":
            xw[r["legacy_commune_code"]] = r["commune_code_2025"]
    pxw = {r["legacy_province_code"]: r["province_code_2025"] for r in rows("province_crosswalk.csv")}
    home = [c for c in comm if c["province_code"] == province]
    other = [c for c in comm if c["province_code"] != province]
    return prov, dist, home, other, new, new_prov, xw, pxw


class Geo:
    def __init__(self, province):
        (self.prov, self.dist, self.home, self.other, self.new, self.new_prov, self.xw,
         self.pxw) = load_places(province)
        self.province = province

    def full(self, c):
        d = self.dist[c["district_code"]]
        p = self.prov[c["province_code"]]
        return c, d, p

    def legacy_text(self, c, rng, style=None):
        c, d, p = self.full(c)
        style = style or rng.choice(["full", "full", "lower", "abbr", "nodist", "dash", "ascii"])
        ct, dt, pt = c["type"], d["type"], p["type"]
        if style == "full":
            return f"{ct} {c['name']}, {dt} {d['name']}, {pt} {p['name']}"
        if style == "lower":
            return f"{ct.lower()} {c['name']}, {dt.lower()} {d['name']}, {pt.lower()} {p['name']}"
        if style == "abbr":
            ab = {"Xã": "X.", "Phường": "P.", "Thị trấn": "TT.", "Huyện": "H.", "Quận": "Q.",
                  "Thị xã": "TX.", "Thành phố": "TP.", "Tỉnh": "T."}
            return f"{ab[ct]} {c['name']}, {ab[dt]} {d['name']}, {ab[pt]} {p['name']}"
        if style == "nodist":
            return f"{ct} {c['name']}, {d['name']}"
        if style == "dash":
            return f"{c['name']} - {d['name']} - {p['name']}"
        if style == "ascii":
            return ascii_fold(f"{ct} {c['name']}, {dt} {d['name']}, {pt} {p['name']}")
        raise ValueError(style)

    def new_text(self, c):
        n = self.new[self.xw[c["code"]]]
        p = self.new_prov[n["province_code"]]
        return f"{n['type']} {n['name']}, {p['type']} {p['name']}"


# --- people ---------------------------------------------------------------------------------
class Person:
    __slots__ = ("idx", "sex", "family", "middle", "given", "dob", "precision", "eth", "birth",
                 "reg", "home", "pid", "father", "mother", "spouse", "death", "in_registry",
                 "married", "ks", "reg_year")


def full_name(p):
    return " ".join(x for x in (p.family, p.middle, p.given) if x)


def make_name(rng, sex, family=None):
    fam = family or wpick(rng, FAMILY)[0]
    mid = wpick(rng, MID_M if sex == "M" else MID_F)[0]
    given = rng.choice(GIVEN_M if sex == "M" else GIVEN_F)
    return fam, mid, given


def birth_year(rng):
    # a rough pyramid, 1935–2024
    while True:
        y = int(rng.triangular(1935, 2025, 1992))
        if 1935 <= y <= 2024:
            return y


def make_people(n, rng, geo):
    people = []
    used_ids = set()
    for i in range(n):
        p = Person()
        p.idx = i
        p.sex = rng.choice("MF")
        p.family, p.middle, p.given = make_name(rng, p.sex)
        y = birth_year(rng)
        p.dob = date(y, 1, 1) + timedelta(days=rng.randrange(365))
        p.eth = wpick(rng, ETHNIC)
        if rng.random() < 0.92:
            p.birth = rng.choice(geo.home)
        else:
            p.birth = rng.choice(geo.other)
        p.reg = p.birth
        p.home = p.birth if p.birth["province_code"] == geo.province else rng.choice(geo.home)
        century = (y // 100 - 19) * 2 + (0 if p.sex == "M" else 1)
        while True:
            pid = f"0{p.reg['province_code']}{century}{y % 100:02d}{rng.randrange(10**6):06d}"
            if pid not in used_ids:
                used_ids.add(pid)
                break
        p.pid = pid
        p.father = p.mother = p.spouse = None
        p.death = None
        p.married = False
        p.in_registry = True
        p.ks = None
        people.append(p)
    # parents: an older person of the right sex with the same family name for the father
    by_year = sorted(people, key=lambda q: q.dob)
    for p in people:
        if rng.random() < 0.6:
            fa_fam = p.family
            p.father = " ".join(x for x in make_name(rng, "M", fa_fam) if x)
        if rng.random() < 0.95:
            p.mother = " ".join(x for x in make_name(rng, "F") if x)
    # marriages among adults
    men = [p for p in people if p.sex == "M" and p.dob.year < 2002]
    women = [p for p in people if p.sex == "F" and p.dob.year < 2004]
    rng.shuffle(men)
    rng.shuffle(women)
    pairs = []
    for m, w in zip(men, women):
        if rng.random() < 0.55:
            m.spouse, w.spouse = w, m
            m.married = w.married = True
            pairs.append((m, w))
    # deaths
    for p in people:
        age_2025 = 2025 - p.dob.year
        prob = 0.02 + max(0, age_2025 - 55) * 0.012
        if rng.random() < prob:
            start = max(p.dob + timedelta(days=30), date(1990, 1, 1))
            end = date(2025, 10, 1)
            if start < end:
                p.death = start + timedelta(days=rng.randrange((end - start).days))
    baseline = date(2021, 7, 1)
    for p in people:
        if p.death and p.death < baseline:
            p.in_registry = False
        elif rng.random() < 0.008:
            p.in_registry = False
    return people, pairs


# --- civil noise -------------------------------------------------------------------------------
def syll_typo(rng, s):
    low = s.lower()
    base = ascii_fold(low)
    idx = [i for i, c in enumerate(base) if c in LOOKALIKE]
    if not idx:
        return None
    i = rng.choice(idx)
    new_letter = LOOKALIKE[base[i]]
    # replace the base letter, keep the tone on a vowel where it was (approximately: drop marks on
    # that letter only)
    chars = list(unicodedata.normalize("NFC", low))
    if ascii_fold(chars[i]) != base[i]:
        return None
    chars[i] = new_letter
    out = "".join(chars)
    return out[:1].upper() + out[1:] if s[:1].isupper() else out


def name_noise(rng, parts, sex, scale=1.0):
    """Returns (text parts, changed?, kinds)."""
    fam, mid, given = parts
    kinds = []
    changed = False
    r = rng.random
    if r() < 0.012 * scale:  # handwriting look-alike / typo in the given name or family
        which = rng.choice(["given", "given", "family", "middle"])
        tgt = {"given": given, "family": fam, "middle": mid}[which]
        if tgt:
            toks = tgt.split()
            k = rng.randrange(len(toks))
            t = syll_typo(rng, toks[k])
            if t and t != toks[k]:
                toks[k] = t
                new = " ".join(toks)
                if which == "given":
                    given = new
                elif which == "family":
                    fam = new
                else:
                    mid = new
                changed = True
                kinds.append("typo")
    if r() < 0.015 * scale:  # tone slip on the given name
        nfd = unicodedata.normalize("NFD", given)
        tone = next((c for c in nfd if c in TONES), None)
        swap = {"\u0309": "\u0303", "\u0303": "\u0323", "\u0323": "\u0303", "\u0301": "\u0300",
                "\u0300": "\u0301"}
        if tone:
            given2 = unicodedata.normalize("NFC", nfd.replace(tone, swap[tone]))
            if given2 != given:
                given = given2
                changed = True
                kinds.append("tone_slip")
    if r() < 0.008 * scale:  # tone dropped
        g2 = strip_tone(given)
        if g2 != given:
            given = g2
            changed = True
            kinds.append("tone_dropped")
    if r() < 0.02 * scale and mid in ("Văn", "Thị"):  # Văn/Thị dropped
        mid = ""
        changed = True
        kinds.append("van_thi_dropped")
    if r() < 0.008 * scale and fam in VARIANTS:
        fam = VARIANTS[fam]
        changed = fam not in ("Thuỷ",)
        kinds.append("variant")
    if r() < 0.006 * scale:
        for a, b in DIALECT:
            if given.startswith(a) and not (a == "N" and given.startswith("Ng")) and not (
                    a == "Ch" and given.startswith("Chi") and False):
                given = b + given[len(a):]
                changed = True
                kinds.append("dialect")
                break
    if r() < 0.003 * scale and mid:
        mid, given = given, mid
        changed = True
        kinds.append("swap")
    text = " ".join(x for x in (fam, mid, given) if x)
    # cosmetic
    if r() < 0.06:
        text = text.upper()
        kinds.append("upper")
    elif r() < 0.02:
        text = text.lower()
        kinds.append("lower")
    if r() < 0.04:
        text = unicodedata.normalize("NFD", text)
        kinds.append("nfd")
    if r() < 0.05:
        text = text.replace(" ", "  ", 1) + (" " if r() < 0.5 else "")
        kinds.append("spacing")
    if r() < 0.1:
        for a, b in (("òa", "oà"), ("óa", "oá"), ("ủy", "uỷ"), ("ùy", "uỳ"), ("úy", "uý"),
                     ("ụy", "uỵ"), ("ỏa", "oả"), ("ọa", "oạ")):
            if a in text:
                text = text.replace(a, b)
                kinds.append("tone_style")
    return text, changed, kinds


def dob_noise(rng, d, old_book):
    """Returns (text, changed, kinds, style)."""
    r = rng.random
    if old_book and r() < 0.25 or r() < 0.03:
        return str(d.year), False, ["year_only"]
    if r() < 0.008 and d.day <= 12 and d.day != d.month:
        d2 = date(d.year, d.day, d.month)
        return fmt_date(d2, rng.choice(["slash", "dot"])), True, ["day_month_swap"]
    if r() < 0.008:
        try:
            d2 = d.replace(year=d.year + rng.choice([-1, 1]))
        except ValueError:
            d2 = d.replace(year=d.year + 1, day=28)
        return fmt_date(d2, "slash"), True, ["year_slip"]
    if r() < 0.04:
        return f"{d.day:02d}{d.month:02d}{d.year}", False, ["ddmmyyyy"]
    if r() < 0.01:
        return f"{d.day:02d}/{d.month:02d}/{d.year % 100:02d}", False, ["two_digit_year"]
    return fmt_date(d, rng.choice(["slash", "slash", "dot", "short", "dash"])), False, []


# --- writing ------------------------------------------------------------------------------------
KS_COLS = ["so", "quyenSo", "trangSo", "ngayDangKy", "loaiDangKy", "noiDangKy", "nguoiKy",
           "chucVuNguoiKy", "nguoiThucHien", "ghiChu", "nksHoTen", "nksGioiTinh", "nksNgaySinh",
           "nksNgaySinhBangChu", "nksNoiSinh", "nksNoiSinhDVHC", "nksQueQuan", "nksDanToc",
           "nksQuocTich", "meHoTen", "meNgaySinh", "meDanToc", "meQuocTich", "meNoiCuTru",
           "chaHoTen", "chaNgaySinh", "chaDanToc", "chaQuocTich", "chaNoiCuTru", "nycHoTen",
           "nycQuanHe"]
PERSON_SUB = ["HoTen", "GioiTinh", "NgaySinh", "DanToc", "QuocTich", "LoaiCuTru", "NoiCuTru",
              "LoaiGiayToTuyThan", "SoGiayToTuyThan"]
KT_COLS = ["so", "quyenSo", "trangSo", "ngayDangKy", "loaiDangKy", "noiDangKy", "nguoiKy",
           "chucVuNguoiKy", "nguoiThucHien", "ghiChu"] + ["nkt" + s for s in PERSON_SUB] + [
    "nktNgayChet", "nktGioPhutChet", "nktNoiChet", "nktNguyenNhanChet", "gbtLoai", "gbtSo",
    "nycHoTen", "nycQuanHe"]
KH_COLS = ["so", "quyenSo", "trangSo", "ngayDangKy", "loaiDangKy", "noiDangKy", "nguoiKy",
           "chucVuNguoiKy", "nguoiThucHien", "ghiChu", "ngayXacLapQuanHeHonNhan",
           "tinhTrangKetHon"] + ["chong" + s for s in PERSON_SUB] + ["vo" + s for s in PERSON_SUB]
HN_COLS = ["so", "quyenSo", "trangSo", "ngayDangKy", "noiCap", "nguoiKy", "chucVuNguoiKy",
           "nguoiThucHien", "ghiChu"] + ["nxn" + s for s in PERSON_SUB] + [
    "nxnTinhTrangHonNhan", "nxnLoaiMucDichSuDung", "nxnMucDichSuDung"]

SIGNERS = ["Nguyễn Văn Thành", "Trần Đình Lực", "Lê Thị Hồng", "Phan Văn Quế", "Hồ Sỹ Hùng"]


class Book:
    def __init__(self, rt, commune, year_from, seq, style):
        self.rt = rt
        self.commune = commune
        self.rows = []  # (cells dict, [subject truths])
        self.year_from = year_from
        self.seq = seq
        self.style = style  # dict of per-file choices


def agency_text(geo, c, rng, style, reg_date):
    if style["agency"] == "code":
        return c["code"]
    if reg_date >= date(2025, 7, 1):
        n = geo.new[geo.xw[c["code"]]]
        return f"UBND {n['type'].lower()} {n['name']}"
    c2, d, p = geo.full(c)
    if style["agency"] == "short":
        return f"UBND {c2['type'].lower()} {c2['name']}"
    if style["agency"] == "long":
        return (f"Ủy ban nhân dân {c2['type'].lower()} {c2['name']}, {d['type'].lower()} "
                f"{d['name']}, {p['type'].lower()} {p['name']}")
    return f"{c2['type']} {c2['name']} - {d['type']} {d['name']}"


def sex_text(sex, style):
    if style["sex"] == "code":
        return "1" if sex == "M" else "2"
    return "Nam" if sex == "M" else "Nữ"


def eth_text(eth, style, rng):
    name, code, _ = eth
    if style["eth"] == "code":
        return code
    if name in ETHNIC_ALIAS and rng.random() < 0.3:
        return ETHNIC_ALIAS[name]
    return name


def generate(args):
    rng = random.Random(args.seed)
    geo = Geo(args.province)
    people, pairs = make_people(args.persons, rng, geo)
    baseline = date(2021, 7, 1)
    books = {}
    seqs = {}

    def file_style():
        return {
            "agency": rng.choice(["short", "short", "long", "dash", "code"]),
            "sex": "code" if rng.random() < 0.3 else "text",
            "eth": "code" if rng.random() < 0.15 else "text",
            "birthplace": rng.choice(["text", "text", "text", "dvhc"]),
            "enc": "tcvn3" if rng.random() < 0.03 else ("vni" if rng.random() < 0.015 else None),
            "title": rng.random() < 0.35,
        }

    def book_for(rt, commune, year):
        span = 10
        y0 = year - (year - 1950) % span
        key = (rt, commune["code"], y0)
        if key not in books:
            seqs[rt] = seqs.get(rt, 0) + 1
            books[key] = Book(rt, commune, y0, seqs[rt], file_style())
        return books[key]

    subjects = []  # truth rows: (book, rowidx, role, pid, status, conflicts, noise)

    def status_of(p, conflicts):
        if p.in_registry:
            return p.pid, ("conflict" if conflicts else "matched")
        if p.death and p.death < baseline:
            return "", "out_of_scope"
        return "", "missing"

    # KS: births registered in the province (a share of old births have no book)
    for p in people:
        if p.reg["province_code"] != geo.province:
            continue
        if p.dob.year < 1960 and rng.random() < 0.5 or rng.random() < 0.03:
            continue  # no birth record: the book was lost or never digitized
        delay = rng.choice([5, 10, 20, 30, 45, 60]) if rng.random() < 0.93 else rng.randrange(
            300, 3000)
        reg = p.dob + timedelta(days=delay)
        if reg > date(2025, 11, 1):
            continue
        b = book_for("KS", p.reg, reg.year)
        st = b.style
        conflicts, noise = [], []
        text, ch, k = name_noise(rng, (p.family, p.middle, p.given), p.sex)
        noise += k
        if ch:
            conflicts.append("name")
        sex = p.sex
        if rng.random() < 0.004:
            sex = "F" if sex == "M" else "M"
            conflicts.append("gender")
            noise.append("wrong_sex")
        dtext, dch, dk = dob_noise(rng, p.dob, p.dob.year < 1980)
        noise += dk
        if dch:
            conflicts.append("dob")
        cells = {
            "so": f"{len(b.rows) + 1}/{reg.year}",
            "quyenSo": f"{b.seq:02d}/{b.year_from}",
            "trangSo": str(len(b.rows) // 2 + 1),
            "ngayDangKy": fmt_date(reg, rng.choice(["dot", "slash"])),
            "loaiDangKy": "Đúng hạn" if delay < 61 else "Quá hạn",
            "noiDangKy": agency_text(geo, p.reg, rng, st, reg),
            "nguoiKy": rng.choice(SIGNERS) if rng.random() > 0.03 else "",
            "chucVuNguoiKy": "Chủ tịch",
            "nksHoTen": text,
            "nksGioiTinh": sex_text(sex, st),
            "nksNgaySinh": dtext,
            "nksDanToc": eth_text(p.eth, st, rng),
            "nksQuocTich": "Việt Nam",
            "nksQueQuan": geo.legacy_text(p.home, rng, "nodist"),
        }
        if st["birthplace"] == "dvhc":
            cells["nksNoiSinhDVHC"] = p.birth["code"]
        else:
            cells["nksNoiSinh"] = geo.legacy_text(p.birth, rng)
        if p.father:
            fam, *rest = p.father.split(" ", 1)
            ft, fch, _ = name_noise(rng, (fam, "", rest[0] if rest else ""), "M", 0.5)
            cells["chaHoTen"] = ft
            if fch:
                conflicts.append("father_name")
        if p.mother:
            fam, *rest = p.mother.split(" ", 1)
            mt, mch, _ = name_noise(rng, (fam, "", rest[0] if rest else ""), "F", 0.5)
            cells["meHoTen"] = mt
            if mch:
                conflicts.append("mother_name")
        p.ks = True
        b.rows.append((reg, cells, [("nks", p, conflicts, noise)]))

    # KT: deaths registered in the home commune
    for p in people:
        if not p.death:
            continue
        if rng.random() < 0.1:
            continue  # death never registered
        reg = p.death + timedelta(days=rng.randrange(1, 40))
        if reg > date(2025, 11, 1):
            continue
        b = book_for("KT", p.home, reg.year)
        st = b.style
        conflicts, noise = [], []
        text, ch, k = name_noise(rng, (p.family, p.middle, p.given), p.sex)
        noise += k
        if ch:
            conflicts.append("name")
        dtext, dch, dk = dob_noise(rng, p.dob, True)
        noise += dk
        if dch:
            conflicts.append("dob")
        death_text = fmt_date(p.death, rng.choice(["slash", "dot"]))
        if rng.random() < 0.1:
            death_text = f"{rng.randrange(24)}h{rng.randrange(60):02d}' ngày {p.death.day}/{p.death.month}/{p.death.year}"
        cells = {
            "so": f"{len(b.rows) + 1}/{reg.year}",
            "quyenSo": f"{b.seq:02d}/{b.year_from}",
            "trangSo": str(len(b.rows) + 1),
            "ngayDangKy": fmt_date(reg, "dot"),
            "noiDangKy": agency_text(geo, p.home, rng, st, reg),
            "nguoiKy": rng.choice(SIGNERS),
            "chucVuNguoiKy": "Phó Chủ tịch",
            "nktHoTen": text,
            "nktGioiTinh": sex_text(p.sex, st),
            "nktNgaySinh": dtext,
            "nktDanToc": eth_text(p.eth, st, rng),
            "nktQuocTich": "Việt Nam",
            "nktNoiCuTru": geo.legacy_text(p.home, rng),
            "nktNgayChet": death_text,
            "nktNoiChet": rng.choice(["Tại nhà", "Bệnh viện đa khoa tỉnh", "nhà"]),
        }
        if p.dob.year >= 1950 and rng.random() < 0.5 and p.in_registry:
            cells["nktLoaiGiayToTuyThan"] = "4"
            cells["nktSoGiayToTuyThan"] = p.pid
        b.rows.append((reg, cells, [("nkt", p, conflicts, noise)]))
        p.ks = p.ks  # no-op: keeps attribute set

    # KH
    for m, w in pairs:
        older = max(m.dob, w.dob)
        start = date(older.year + 20, 1, 1)
        if start > date(2025, 6, 1):
            continue
        reg = start + timedelta(days=rng.randrange(max(1, min(3650, (date(2025, 6, 1) - start).days))))
        if any(p.death and p.death <= reg for p in (m, w)):
            continue  # the dead do not marry
        commune = w.home if rng.random() < 0.5 else m.home
        b = book_for("KH", commune, reg.year)
        st = b.style
        cells = {
            "so": f"{len(b.rows) + 1}/{reg.year}",
            "quyenSo": f"{b.seq:02d}/{b.year_from}",
            "trangSo": str(len(b.rows) + 1),
            "ngayDangKy": fmt_date(reg, "dot"),
            "loaiDangKy": "1",
            "noiDangKy": agency_text(geo, commune, rng, st, reg),
            "nguoiKy": rng.choice(SIGNERS),
            "chucVuNguoiKy": "Chủ tịch",
            "ngayXacLapQuanHeHonNhan": fmt_date(reg, "dot"),
        }
        subs = []
        for role, p, pre in (("chong", m, "chong"), ("vo", w, "vo")):
            conflicts, noise = [], []
            text, ch, k = name_noise(rng, (p.family, p.middle, p.given), p.sex)
            noise += k
            if ch:
                conflicts.append("name")
            dtext, dch, dk = dob_noise(rng, p.dob, reg.year < 1990)
            noise += dk
            if dch:
                conflicts.append("dob")
            cells[pre + "HoTen"] = text
            cells[pre + "NgaySinh"] = dtext
            cells[pre + "DanToc"] = eth_text(p.eth, st, rng)
            cells[pre + "QuocTich"] = "Việt Nam"
            cells[pre + "NoiCuTru"] = geo.legacy_text(p.home, rng)
            if reg.year >= 2016 and rng.random() < 0.7:
                cells[pre + "LoaiGiayToTuyThan"] = "4"
                cells[pre + "SoGiayToTuyThan"] = p.pid
            subs.append((role, p, conflicts, noise))
        b.rows.append((reg, cells, subs))
        # the registry learns of the marriage, or not
        for p in (m, w):
            p.married = rng.random() > 0.1

    # HN: single adults asking for a certificate
    for p in people:
        if p.spouse or p.dob.year > 2005 or rng.random() > 0.12:
            continue
        reg = date(2010, 1, 1) + timedelta(days=rng.randrange(5700))
        if p.death and reg > p.death or reg <= p.dob + timedelta(days=18 * 365):
            continue
        b = book_for("HN", p.home, reg.year)
        st = b.style
        conflicts, noise = [], []
        text, ch, k = name_noise(rng, (p.family, p.middle, p.given), p.sex)
        noise += k
        if ch:
            conflicts.append("name")
        dtext, dch, dk = dob_noise(rng, p.dob, False)
        noise += dk
        if dch:
            conflicts.append("dob")
        cells = {
            "so": f"{len(b.rows) + 1}/{reg.year}",
            "quyenSo": f"{b.seq:02d}/{b.year_from}",
            "trangSo": str(len(b.rows) + 1),
            "ngayDangKy": fmt_date(reg, "dot"),
            "noiCap": agency_text(geo, p.home, rng, st, reg),
            "nguoiKy": rng.choice(SIGNERS),
            "chucVuNguoiKy": "Chủ tịch",
            "nxnHoTen": text,
            "nxnGioiTinh": sex_text(p.sex, st),
            "nxnNgaySinh": dtext,
            "nxnDanToc": eth_text(p.eth, st, rng),
            "nxnQuocTich": "Việt Nam",
            "nxnNoiCuTru": geo.legacy_text(p.home, rng),
            "nxnTinhTrangHonNhan": "Chưa đăng ký kết hôn với ai",
            "nxnMucDichSuDung": "Để làm thủ tục đăng ký kết hôn",
        }
        if reg.year >= 2016 and rng.random() < 0.6 and p.in_registry:
            cells["nxnLoaiGiayToTuyThan"] = "4"
            cells["nxnSoGiayToTuyThan"] = p.pid
        b.rows.append((reg, cells, [("nxn", p, conflicts, noise)]))

    # registry errors: the registry's place of birth or sex wrong for a few people
    reg_sex_err = {p.idx for p in people if rng.random() < 0.001}
    reg_place_err = {p.idx for p in people if rng.random() < 0.003}

    # --- write civil files -----------------------------------------------------------------------
    out = args.out
    civil_dir = os.path.join(out, "civil")
    truth_rows = []
    for key in sorted(books, key=lambda k: (k[1], k[0], k[2])):
        b = books[key]
        rt, code, y0 = key
        c, d, p = geo.full(b.commune)
        folder = os.path.join(civil_dir, ascii_fold(d["name"]).replace(" ", ""),
                              f"{ascii_fold(c['name']).replace(' ', '')}_{code}")
        os.makedirs(folder, exist_ok=True)
        cols = {"KS": KS_COLS, "KT": KT_COLS, "KH": KH_COLS, "HN": HN_COLS}[rt]
        rel = os.path.relpath(os.path.join(folder, f"{rt}_{y0}_{b.seq}.csv"), civil_dir)
        rel = rel.replace(os.sep, "/")
        b.rows.sort(key=lambda r: r[0])
        lines = []
        first = 1
        if b.style["title"]:
            lines.append([f"SỔ ĐĂNG KÝ {rt} - {c['type'].upper()} {c['name'].upper()} - NĂM {y0}"])
            lines.append([])
            first = 3
        lines.append(cols)
        header_row = first
        for i, (_, cells, subs) in enumerate(b.rows):
            lines.append([cells.get(col, "") for col in cols])
            row = header_row + 1 + i
            for role, person, conflicts, noise in subs:
                confl = list(conflicts)
                if person.idx in reg_sex_err:
                    confl.append("gender")
                if person.idx in reg_place_err and role == "nks":
                    confl.append("birth_place")
                pid, status = status_of(person, confl)
                if status != "matched" and status != "conflict":
                    confl = []
                truth_rows.append([rel, row, rt, role, pid, status, ";".join(sorted(set(confl))),
                                   ";".join(noise), person.idx])
        buf = []
        import io
        s = io.StringIO()
        w = csv.writer(s, lineterminator="\r\n")
        for ln in lines:
            w.writerow(ln)
        text = s.getvalue()
        path = os.path.join(civil_dir, rel)
        enc = b.style["enc"]
        if enc == "tcvn3":
            data = to_tcvn3(text)
        elif enc == "vni":
            data = to_vni(text)
        else:
            data = ("\ufeff" + text).encode("utf-8") if rng.random() < 0.5 else text.encode("utf-8")
        with open(path, "wb") as f:
            f.write(data)
        buf.clear()

    # --- population extract ----------------------------------------------------------------------
    headers = rng.choice([
        ["Số định danh cá nhân", "Họ, chữ đệm và tên khai sinh", "Ngày, tháng, năm sinh",
         "Giới tính", "Nơi sinh", "Nơi đăng ký khai sinh", "Quê quán", "Dân tộc", "Quốc tịch",
         "Nơi thường trú", "Họ, chữ đệm và tên cha", "Họ, chữ đệm và tên mẹ",
         "Họ, chữ đệm và tên vợ/chồng", "Tình trạng hôn nhân",
         "Ngày, tháng, năm chết hoặc mất tích", "Số CMND 9 số"],
        ["so_dinh_danh", "ho_ten", "ngay_sinh", "gioi_tinh", "noi_sinh", "noi_dang_ky_khai_sinh",
         "que_quan", "dan_toc", "quoc_tich", "noi_thuong_tru", "ho_ten_cha", "ho_ten_me",
         "ho_ten_vo_chong", "tinh_trang_hon_nhan", "ngay_chet", "so_cmnd"],
        ["SỐ ĐỊNH DANH", "HỌ VÀ TÊN", "NGÀY SINH", "GIỚI TÍNH", "NƠI SINH", "NƠI ĐKKS",
         "QUÊ QUÁN", "DÂN TỘC", "QUỐC TỊCH", "THƯỜNG TRÚ", "HỌ TÊN CHA", "HỌ TÊN MẸ",
         "HỌ TÊN VỢ/CHỒNG", "TÌNH TRẠNG HÔN NHÂN", "NGÀY MẤT", "CMND"],
    ])
    if args.headers is not None:
        headers = [
            ["Số định danh cá nhân", "Họ, chữ đệm và tên khai sinh", "Ngày, tháng, năm sinh",
             "Giới tính", "Nơi sinh", "Nơi đăng ký khai sinh", "Quê quán", "Dân tộc", "Quốc tịch",
             "Nơi thường trú", "Họ, chữ đệm và tên cha", "Họ, chữ đệm và tên mẹ",
             "Họ, chữ đệm và tên vợ/chồng", "Tình trạng hôn nhân",
             "Ngày, tháng, năm chết hoặc mất tích", "Số CMND 9 số"],
            ["so_dinh_danh", "ho_ten", "ngay_sinh", "gioi_tinh", "noi_sinh",
             "noi_dang_ky_khai_sinh", "que_quan", "dan_toc", "quoc_tich", "noi_thuong_tru",
             "ho_ten_cha", "ho_ten_me", "ho_ten_vo_chong", "tinh_trang_hon_nhan", "ngay_chet",
             "so_cmnd"],
            ["SỐ ĐỊNH DANH", "HỌ VÀ TÊN", "NGÀY SINH", "GIỚI TÍNH", "NƠI SINH", "NƠI ĐKKS",
             "QUÊ QUÁN", "DÂN TỘC", "QUỐC TỊCH", "THƯỜNG TRÚ", "HỌ TÊN CHA", "HỌ TÊN MẸ",
             "HỌ TÊN VỢ/CHỒNG", "TÌNH TRẠNG HÔN NHÂN", "NGÀY MẤT", "CMND"],
        ][args.headers]
    date_style = rng.choice(["iso", "slash"])
    findings = []
    pop_rows = []
    for p in people:
        if not p.in_registry:
            continue
        name = full_name(p)
        pid = p.pid
        if rng.random() < 0.05:
            pid = pid.lstrip("0")  # Excel ate the leading zero
        sex = p.sex
        if p.idx in reg_sex_err:
            sex = "F" if sex == "M" else "M"
        birth = p.birth
        if p.idx in reg_place_err:
            birth = rng.choice(geo.home if birth["province_code"] == geo.province else geo.other)
            while birth["district_code"] == p.birth["district_code"]:
                birth = rng.choice(geo.home)
        new_names = rng.random() < 0.4
        place = (lambda c: geo.new_text(c)) if new_names else (lambda c: geo.legacy_text(c, rng, "full"))
        death = ""
        if p.death:
            if rng.random() < 0.15:
                findings.append((p.pid, "death_not_recorded"))
            else:
                death = fmt_date(p.death, date_style)
        marital = "Độc thân"
        spouse = ""
        if p.spouse is not None:
            if p.married:
                marital = "Đã kết hôn"
                spouse = full_name(p.spouse)
            else:
                # the KH exists only if the pair was written to a book
                marital = "Chưa kết hôn"
        ptext = place(birth)
        # people move after their events were booked: a wife to her husband's commune, anyone
        # for work; the registry knows the latest home
        home = p.home
        if not p.death:
            if p.sex == "F" and p.spouse is not None and rng.random() < 0.6:
                home = p.spouse.home
            elif rng.random() < 0.15:
                home = rng.choice(geo.home)
        pop_rows.append([
            pid, name, fmt_date(p.dob, date_style), "Nam" if sex == "M" else "Nữ", ptext,
            place(p.reg), place(p.home) if rng.random() < 0.5 else "", p.eth[0], "Việt Nam",
            place(home), p.father or "", p.mother or "", spouse, marital, death,
            f"18{rng.randrange(10**7):07d}" if p.dob.year < 2000 and rng.random() < 0.6 else "",
        ])
    # no_birth_record: registry persons registered in the province without a KS
    for p in people:
        if p.in_registry and not p.ks and p.reg["province_code"] == geo.province:
            findings.append((p.pid, "no_birth_record"))
    # marriage_not_recorded: a KH exists but the registry says single
    kh_people = set()
    for key, b in books.items():
        if key[0] == "KH":
            for _, _, subs in b.rows:
                for role, person, _, _ in subs:
                    kh_people.add(person.idx)
    for p in people:
        if p.in_registry and p.idx in kh_people and p.spouse is not None and not p.married:
            findings.append((p.pid, "marriage_not_recorded"))
    # deaths not recorded only count when the KT exists
    kt_people = set()
    for key, b in books.items():
        if key[0] == "KT":
            for _, _, subs in b.rows:
                kt_people.add(subs[0][1].pid)
    findings = [f for f in findings if f[1] != "death_not_recorded" or f[0] in kt_people]
    rng.shuffle(pop_rows)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "population.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(headers)
        w.writerows(pop_rows)
    os.makedirs(os.path.join(out, "truth"), exist_ok=True)
    with open(os.path.join(out, "truth", "subjects.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["source_file", "source_row", "record_type", "role", "person_id", "status",
                    "conflict_fields", "noise", "person_key"])
        w.writerows(sorted(truth_rows))
    with open(os.path.join(out, "truth", "findings.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["person_id", "finding"])
        w.writerows(sorted(set(findings)))
    print(f"foreign gen: {len(pop_rows)} registry rows, {len(truth_rows)} civil subjects in "
          f"{len(books)} files → {out}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--province", default="42")
    ap.add_argument("--headers", type=int, default=None)
    ap.add_argument("--out", required=True)
    generate(ap.parse_args())
