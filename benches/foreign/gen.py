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

Writes `civil/` (one CSV per book), `population.csv`, and `truth/`: `subjects.csv` (one row per
civil subject: file, spreadsheet row, role, true person, expected status, conflict fields, the noise
applied, `duplicate_group`), `findings.csv` (expected population findings) and `coverage.csv`
(commune, record type, registration year, whether that year's books are in the drop).

What real drops contain (civil-registry-domain.md §12) and the rates used here. The reference
publishes no rate for any of them; each rate below is a stated guess, chosen to make the phenomenon
common enough to measure at 20,000 persons and rare enough not to swamp the rest.

- **Records typed without diacritics** (`no_diacritics`): 3 % of book files are typed entirely in
  ASCII (a hired typist without a Vietnamese keyboard does a whole book: the seed article's "thuê
  người thực hiện việc số hóa… không kiểm soát được chất lượng"), and 1 % of the records of the
  other books (a record typed in a hurry). Every text cell of such a record is folded (đ → d):
  names of the subject, parents, spouse, the other party and the signer, agency, birth place,
  residence, quê quán, and also sex, ethnicity, nationality and registration type, because a typist
  without the keyboard types the whole record so. Folding alone is never a conflict: a name of such
  a record conflicts only if its folded value differs from the folded true value.
- **Year-only birth dates in the registry** (`registry_year_only`): born before 1950: 30 %;
  1950–69: 12 %; 1970–84: 4 %; later: 0.5 %. The reference says only "older cohorts far more":
  people born before birth registration was general were entered from what they or a household
  book could say, often the year alone. Written 85 % as 1 January in the extract's date style
  (01/01/YYYY or YYYY-01-01), 15 % as the bare year. The books keep the full date; the dates then
  agree when the years agree.
- **The registry's birth-registration place names another commune** (`registry_reg_place`): 1 % of
  registry persons whose KS is in the drop; 80 % another commune of the same province (a neighbour
  confused, a re-registration elsewhere), 20 % a commune of another province. Never the same unit
  under another name, nor a commune merging into the same 2025 commune, nor one whose name is
  another's old or new name. The personal ID keeps the book's province. Conflict `birth_place`.
- **Lost books** (truth/coverage.csv): per commune and record type the drop holds books from a
  first surviving year: KS uniform in 1975–1995, KT and KH (kept less well, §12) uniform in
  1985–2005, HN and CMC from 2000. 30 % of (commune, record type) also lose one run of 2–5
  consecutive years between the first surviving year and 2015 (from 2016 the books are kept in the
  electronic system, Luật Hộ tịch 2014). A record registered in a lost year is not written. On top,
  3 % of births are individually absent (torn page, never digitized, never registered): those are
  the `no_birth_record` findings, and only those whose registration year the commune's surviving KS
  books cover. Births are registered by the extraction date (2025-11-01): a late registration that
  would fall after it is made on time instead.
- **A birth registered twice** (`re_registered`, `duplicate_group`): 0.6 % of persons with a KS get
  a second one ("Đăng ký lại") 2–20 years after the first, never after 2025-11-01; 60 % at the same
  commune, 40 % at another commune of the province (never an equivalent one). Differences: the day
  ±1–3 (30 %), Văn/Thị added or dropped (20 %), a birth place in another district of the province
  (30 %). The registry holds the person's true values (those of the first record), so each record
  has its own conflicts, and `birth_place` when the registry's registration commune is not the
  record's. Both records share a `duplicate_group` label when both are in the drop; `re_registered`
  is on every KS of the person (the other may be in a lost book), and the second also carries
  `rereg_day`, `rereg_van_thi` or `rereg_birth_place` for the differences drawn.
- **A father not in the book** (`father_blank`, `father_blank_cmc`): 5 % of the KS whose registry
  names a father (≈ 60 % of persons have one, so ≈ 3 % of all KS) have an empty `chaHoTen`. For 45 %
  of those whose child is in the registry, the father is a registry person (a man 18–50 years
  older, alive then) who recognises the child ("Cha nhận con", CMC) 1–10 years after the birth at
  the child's commune, in a year whose CMC books survive (none may: the birth is too old); the
  registry then names him. 45 % so that about a third of the blank fathers have their CMC in the
  drop (measured: 0.28–0.38 over seeds 1–5 at 20,000 persons). The KS has conflict `father_name`
  unless that CMC is in the drop. Both CMC subjects (`cm` the father, `nc` the child) link to their
  persons; CMC books carry no sex column, so only `cm` (a father by role) can carry a `gender`
  conflict, as the husband of a KH does.
- **11-digit IDs** (`id_11_digits`): 0.5 % of the personal IDs copied into books lost one digit in
  the middle (positions 4–10): 11 digits starting with 0, so never a leading zero eaten by Excel.
  Invalid, never a conflict: the link stands on the other fields.

Randomness: one seeded stream for what the generator did before these phenomena, and one seeded
stream per phenomenon (`random.Random(f"{seed}/{name}")`), so a seed always gives the same drop.
"""
import argparse
import bisect
import csv
import io
import os
import random
import sys
import unicodedata
from collections import Counter
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

PHENOMENA = ["no_diacritics", "registry_year_only", "registry_reg_place", "re_registered",
             "father_blank", "father_blank_cmc", "id_11_digits"]

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


def place_key(name):
    return "".join(ch for ch in ascii_fold(name).lower() if ch.isalnum())


def name_key(text, folded):
    """What a name comparison may not ignore. Case, spacing, Unicode form and tone placement never
    count; for a record typed without diacritics (`folded`) the marks do not count either."""
    toks = unicodedata.normalize("NFC", text).lower().split()
    if folded:
        return tuple(ascii_fold(t) for t in toks)
    out = []
    for t in toks:
        tone = next((c for c in unicodedata.normalize("NFD", t) if c in TONES), None)
        out.append((strip_tone(t), tone))
    return tuple(out)


def name_differs(written, true, folded):
    return name_key(written, folded) != name_key(true, folded)


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

    def _load_equivalence(self):
        def rows(name):
            with open(os.path.join(PLACES, name), encoding="utf-8") as f:
                return list(csv.DictReader(f))
        self.xw_all = {}
        for r in rows("crosswalk.csv"):
            self.xw_all.setdefault(r["legacy_commune_code"], set()).add(r["commune_code_2025"])
        self.alias_keys = {}
        for r in rows("aliases.csv"):
            self.alias_keys.setdefault(r["legacy_commune_code"], set()).add(r["key"])

    def name_keys(self, c):
        """Every name a text may give commune `c`: its own, its old names and spelling variants
        (aliases.csv), and the names of the 2025 communes it merges into, as folded keys."""
        if not hasattr(self, "xw_all"):
            self._load_equivalence()
        keys = {place_key(c["name"])} | self.alias_keys.get(c["code"], set())
        keys |= {place_key(self.new[x]["name"]) for x in self.xw_all.get(c["code"], ())
                 if x in self.new}
        return keys

    def equivalent(self, a, b):
        """Could a text naming `b` be read as `a`? The same unit, a commune merging into one of the
        same 2025 communes, or a shared (old, new or variant) name. Used only to draw a commune that
        is certainly another one."""
        if not hasattr(self, "xw_all"):
            self._load_equivalence()
        if a["code"] == b["code"]:
            return True
        if self.xw_all.get(a["code"], set()) & self.xw_all.get(b["code"], set()):
            return True
        return bool(self.name_keys(a) & self.name_keys(b))

    def other_commune(self, rng, avoid, same_province=True, other_district_of=None):
        """A commune not equivalent to any commune in `avoid`."""
        pool = self.home if same_province else self.other
        for _ in range(1000):
            c = rng.choice(pool)
            if other_district_of and c["district_code"] == other_district_of["district_code"]:
                continue
            if not any(self.equivalent(a, c) for a in avoid):
                return c
        raise RuntimeError("no commune found")


# --- people ---------------------------------------------------------------------------------
class Person:
    __slots__ = ("idx", "sex", "family", "middle", "given", "dob", "precision", "eth", "birth",
                 "reg", "home", "pid", "father", "mother", "spouse", "death", "in_registry",
                 "married", "ks", "reg_year", "reg_registry", "ks_first", "ks_lost",
                 "year_only", "rereg")


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
        p.reg_registry = p.reg  # the registry's "Nơi đăng ký khai sinh"
        p.ks_first = None  # (date, commune) of the first birth registration, in the drop or not
        p.ks_lost = False  # individually absent from surviving books: a no_birth_record finding
        p.year_only = False  # the registry knows the birth year only
        p.rereg = False  # the birth was registered a second time
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
    """Returns (text, written value, kinds): the value is a date, or an int for a year alone."""
    r = rng.random
    if old_book and r() < 0.25 or r() < 0.03:
        return str(d.year), d.year, ["year_only"]
    if r() < 0.008 and d.day <= 12 and d.day != d.month:
        d2 = date(d.year, d.day, d.month)
        return fmt_date(d2, rng.choice(["slash", "dot"])), d2, ["day_month_swap"]
    if r() < 0.008:
        try:
            d2 = d.replace(year=d.year + rng.choice([-1, 1]))
        except ValueError:
            d2 = d.replace(year=d.year + 1, day=28)
        return fmt_date(d2, "slash"), d2, ["year_slip"]
    if r() < 0.04:
        return f"{d.day:02d}{d.month:02d}{d.year}", d, ["ddmmyyyy"]
    if r() < 0.01:
        return f"{d.day:02d}/{d.month:02d}/{d.year % 100:02d}", d, ["two_digit_year"]
    return fmt_date(d, rng.choice(["slash", "slash", "dot", "short", "dash"])), d, []


def dob_differs(p, written):
    """A dob conflict: compared at the coarsest precision of the two sides, so a book's date
    against a registry that knows the year only (or a book's year alone) is a conflict only when
    the years differ."""
    if isinstance(written, int) or p.year_only:
        y = written if isinstance(written, int) else written.year
        return y != p.dob.year
    return written != p.dob


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
# CMC (reference §2.4): no sex column for either party; cm = the parent, nc = the child
CMC_SUB = ["HoTen", "NgaySinh", "DanToc", "QuocTich", "QueQuan", "LoaiCuTru", "NoiCuTru",
           "LoaiGiayToTuyThan", "SoGiayToTuyThan"]
CMC_COLS = ["so", "quyenSo", "trangSo", "quyetDinhSo", "ngayDangKy", "loaiDangKy", "loaiXacNhan",
            "noiDangKy", "nguoiKy", "chucVuNguoiKy", "nguoiThucHien", "ghiChu"] + [
    "cm" + s for s in CMC_SUB] + ["nc" + s for s in CMC_SUB] + [
    "nycHoTen", "nycQHNguoiDuocNhan", "nycQHNguoiNhan"]
COLS = {"KS": KS_COLS, "KT": KT_COLS, "KH": KH_COLS, "HN": HN_COLS, "CMC": CMC_COLS}
RECORD_TYPES = ("KS", "KT", "KH", "HN", "CMC")
NOW = date(2025, 11, 1)  # the drop's extraction date: nothing is registered after it

SIGNERS = ["Nguyễn Văn Thành", "Trần Đình Lực", "Lê Thị Hồng", "Phan Văn Quế", "Hồ Sỹ Hùng"]


class Coverage:
    """Which registration years of each commune's books survive into the drop."""
    YEARS = range(1935, 2026)

    def __init__(self, rng, communes):
        self.first, self.gap = {}, {}
        for c in sorted(communes, key=lambda c: c["code"]):
            for rt in RECORD_TYPES:
                if rt == "KS":
                    first = rng.randint(1975, 1995)
                elif rt in ("KT", "KH"):
                    first = rng.randint(1985, 2005)
                else:
                    first = 2000
                self.first[(rt, c["code"])] = first
                if rng.random() < 0.30:
                    n = rng.randint(2, 5)
                    lo, hi = first + 1, 2015 - n + 1
                    if lo <= hi:
                        s = rng.randint(lo, hi)
                        self.gap[(rt, c["code"])] = (s, s + n - 1)

    def covers(self, rt, code, year):
        first = self.first.get((rt, code))
        if first is None or year < first or year > NOW.year:
            return False
        g = self.gap.get((rt, code))
        return not (g and g[0] <= year <= g[1])

    def rows(self):
        for (rt, code) in sorted(self.first, key=lambda k: (k[1], RECORD_TYPES.index(k[0]))):
            for y in self.YEARS:
                yield [code, rt, y, "true" if self.covers(rt, code, y) else "false"]


def drop_middle_digit(rng, pid):
    i = rng.randint(3, 9)
    return pid[:i] + pid[i + 1:]


def fold_cells(cells):
    return {k: ascii_fold(v) if isinstance(v, str) else v for k, v in cells.items()}


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


def toggle_van_thi(mid, sex):
    """Văn/Thị added or dropped (a re-registration years later, from memory)."""
    toks = mid.split()
    if toks and toks[0] in ("Văn", "Thị"):
        return " ".join(toks[1:])
    return " ".join(["Văn" if sex == "M" else "Thị"] + toks)


def generate(args):
    rng = random.Random(args.seed)

    def stream(name):
        return random.Random(f"{args.seed}/{name}")

    r_cov, r_yo, r_ascii, r_rereg, r_father, r_regplace, r_id = (
        stream(n) for n in ("coverage", "year_only", "ascii", "rereg", "father", "reg_place",
                            "id11"))
    geo = Geo(args.province)
    people, pairs = make_people(args.persons, rng, geo)
    baseline = date(2021, 7, 1)
    cov = Coverage(r_cov, geo.home)
    # the registry knows only the year of birth of some, the older the more
    for p in people:
        if p.in_registry:
            y = p.dob.year
            rate = 0.30 if y < 1950 else 0.12 if y < 1970 else 0.04 if y < 1985 else 0.005
            p.year_only = r_yo.random() < rate
    books = {}
    seqs = {}

    def file_style():
        st = {
            "agency": rng.choice(["short", "short", "long", "dash", "code"]),
            "sex": "code" if rng.random() < 0.3 else "text",
            "eth": "code" if rng.random() < 0.15 else "text",
            "birthplace": rng.choice(["text", "text", "text", "dvhc"]),
            "enc": "tcvn3" if rng.random() < 0.03 else ("vni" if rng.random() < 0.015 else None),
            "title": rng.random() < 0.35,
        }
        st["ascii"] = r_ascii.random() < 0.03  # the whole book typed without diacritics
        if st["ascii"]:
            st["enc"] = None  # plain ASCII is the same bytes in every encoding
        return st

    def book_for(rt, commune, year):
        span = 10
        y0 = year - (year - 1950) % span
        key = (rt, commune["code"], y0)
        if key not in books:
            seqs[rt] = seqs.get(rt, 0) + 1
            books[key] = Book(rt, commune, y0, seqs[rt], file_style())
        return books[key]

    def record_ascii(b):
        return b.style["ascii"] or r_ascii.random() < 0.01

    def sub(role, p, conflicts, noise, **extra):
        d = {"role": role, "p": p, "conflicts": conflicts, "noise": noise}
        d.update(extra)
        return d

    def id_text(p, noise):
        if r_id.random() < 0.005:
            noise.append("id_11_digits")
            return drop_middle_digit(r_id, p.pid)
        return p.pid

    def status_of(p, conflicts):
        if p.in_registry:
            return p.pid, ("conflict" if conflicts else "matched")
        if p.death and p.death < baseline:
            return "", "out_of_scope"
        return "", "missing"

    ks_communes = {}  # person idx -> communes of their KS records in the drop
    cmc_children = {}  # child idx -> the father, for a CMC in the drop

    # --- KS ----------------------------------------------------------------------------------
    def write_ks(p, reg, commune, rereg=False):
        b = book_for("KS", commune, reg.year)
        st = b.style
        asc = record_ascii(b)
        conflicts, noise = [], []
        mid, dob_base, birth = p.middle, p.dob, p.birth
        if rereg:
            if r_rereg.random() < 0.3:
                dob_base = p.dob + timedelta(days=r_rereg.choice([-3, -2, -1, 1, 2, 3]))
                noise.append("rereg_day")
            if r_rereg.random() < 0.2:
                mid = toggle_van_thi(mid, p.sex)
                noise.append("rereg_van_thi")
            if r_rereg.random() < 0.3:
                birth = geo.other_commune(r_rereg, [p.birth], True, other_district_of=p.birth)
                noise.append("rereg_birth_place")
                conflicts.append("birth_place")
        text, _, k = name_noise(rng, (p.family, mid, p.given), p.sex)
        noise += k
        if name_differs(text, full_name(p), asc):
            conflicts.append("name")
        sex = p.sex
        if rng.random() < 0.004:
            sex = "F" if sex == "M" else "M"
            conflicts.append("gender")
            noise.append("wrong_sex")
        dtext, dval, dk = dob_noise(rng, dob_base, p.dob.year < 1980)
        noise += dk
        if dob_differs(p, dval):
            conflicts.append("dob")
        delay = (reg - p.dob).days
        cells = {
            "so": f"{len(b.rows) + 1}/{reg.year}",
            "quyenSo": f"{b.seq:02d}/{b.year_from}",
            "trangSo": str(len(b.rows) // 2 + 1),
            "ngayDangKy": fmt_date(reg, rng.choice(["dot", "slash"])),
            "loaiDangKy": "Đăng ký lại" if rereg else ("Đúng hạn" if delay < 61 else "Quá hạn"),
            "noiDangKy": agency_text(geo, commune, rng, st, reg),
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
            cells["nksNoiSinhDVHC"] = birth["code"]
        else:
            cells["nksNoiSinh"] = geo.legacy_text(birth, rng)
        father_blank = False
        if p.father:
            if r_father.random() < 0.05:
                father_blank = True  # the registry names a father, the book has none
            else:
                fam, *rest = p.father.split(" ", 1)
                ft, _, _ = name_noise(rng, (fam, "", rest[0] if rest else ""), "M", 0.5)
                cells["chaHoTen"] = ft
                if name_differs(ft, p.father, asc):
                    conflicts.append("father_name")
        if p.mother:
            fam, *rest = p.mother.split(" ", 1)
            mt, _, _ = name_noise(rng, (fam, "", rest[0] if rest else ""), "F", 0.5)
            cells["meHoTen"] = mt
            if name_differs(mt, p.mother, asc):
                conflicts.append("mother_name")
        if asc:
            cells = fold_cells(cells)
            noise.append("no_diacritics")
        p.ks = True
        ks_communes.setdefault(p.idx, []).append(commune)
        b.rows.append((reg, cells, [sub("nks", p, conflicts, noise, commune=commune,
                                        father_blank=father_blank)]))
        return father_blank

    # --- CMC: a father recognises his child ----------------------------------------------------
    fathers = sorted((q for q in people if q.sex == "M" and q.in_registry),
                     key=lambda q: q.dob.year)
    father_years = [q.dob.year for q in fathers]

    def write_cmc(f, child, reg, commune):
        b = book_for("CMC", commune, reg.year)
        st = b.style
        asc = record_ascii(b)
        cells = {
            "so": f"{len(b.rows) + 1}/{reg.year}",
            "quyenSo": f"{b.seq:02d}/{b.year_from}",
            "trangSo": str(len(b.rows) + 1),
            "ngayDangKy": fmt_date(reg, rng.choice(["dot", "slash"])),
            "loaiXacNhan": "Cha nhận con",
            "noiDangKy": agency_text(geo, commune, rng, st, reg),
            "nguoiKy": rng.choice(SIGNERS),
            "chucVuNguoiKy": "Chủ tịch",
        }
        subs = []
        for role, q in (("cm", f), ("nc", child)):
            conflicts, noise = [], []
            text, _, k = name_noise(rng, (q.family, q.middle, q.given), q.sex)
            noise += k
            if name_differs(text, full_name(q), asc):
                conflicts.append("name")
            dtext, dval, dk = dob_noise(rng, q.dob, False)
            noise += dk
            if dob_differs(q, dval):
                conflicts.append("dob")
            cells[role + "HoTen"] = text
            cells[role + "NgaySinh"] = dtext
            cells[role + "DanToc"] = eth_text(q.eth, st, rng)
            cells[role + "QuocTich"] = "Việt Nam"
            cells[role + "QueQuan"] = geo.legacy_text(q.home, rng, "nodist")
            cells[role + "LoaiCuTru"] = "1"
            cells[role + "NoiCuTru"] = geo.legacy_text(q.home, rng)
            if reg.year >= 2016 and r_id.random() < (0.7 if role == "cm" else 0.4):
                cells[role + "LoaiGiayToTuyThan"] = "4"
                cells[role + "SoGiayToTuyThan"] = id_text(q, noise)
            if asc:
                noise.append("no_diacritics")
            subs.append(sub(role, q, conflicts, noise))
        cells["nycHoTen"] = cells["cmHoTen"]
        if asc:
            cells = fold_cells(cells)
        b.rows.append((reg, cells, subs))
        cmc_children[child.idx] = f

    def try_cmc(child):
        lo = bisect.bisect_left(father_years, child.dob.year - 50)
        hi = bisect.bisect_right(father_years, child.dob.year - 18)
        if hi <= lo:
            return False
        f = fathers[r_father.randrange(lo, hi)]
        commune = child.home
        for _ in range(20):
            reg = child.dob + timedelta(days=r_father.randrange(365, 3651))
            if reg > NOW or any(q.death and q.death <= reg for q in (f, child)):
                continue
            if not cov.covers("CMC", commune["code"], reg.year):
                continue  # tried again: the CMC lands in a year whose book survives
            write_cmc(f, child, reg, commune)
            child.father = full_name(f)  # the registry learns the father from the recognition
            return True
        return False

    # KS: births registered in the province, in the years whose books survive
    for p in people:
        if p.reg["province_code"] != geo.province:
            continue
        delay = rng.choice([5, 10, 20, 30, 45, 60]) if rng.random() < 0.93 else rng.randrange(
            300, 3000)
        reg = p.dob + timedelta(days=delay)
        if reg > NOW:  # every birth is registered by the extraction date
            reg = p.dob + timedelta(days=rng.choice([5, 10, 20, 30, 45, 60]))
        p.ks_first = (reg, p.reg)
        if not cov.covers("KS", p.reg["code"], reg.year):
            continue  # the book of that year did not survive: not a finding
        if rng.random() < 0.03:
            p.ks_lost = True  # torn page, never digitized, never registered: a finding
            continue
        blank = write_ks(p, reg, p.reg)
        if blank and p.in_registry and r_father.random() < 0.45:
            try_cmc(p)

    # KS registered twice: a re-registration after the first was lost, 2–20 years later
    for p in people:
        if p.ks_first is None or p.ks_lost or r_rereg.random() >= 0.006:
            continue
        first, commune_a = p.ks_first
        lo = first + timedelta(days=2 * 365)
        hi = min(first + timedelta(days=20 * 365), NOW)
        if lo > hi:
            continue
        reg2 = lo + timedelta(days=r_rereg.randrange((hi - lo).days + 1))
        if p.death and p.death <= reg2:
            continue
        p.rereg = True
        commune = commune_a if r_rereg.random() < 0.6 else geo.other_commune(r_rereg, [commune_a])
        if not cov.covers("KS", commune["code"], reg2.year):
            continue
        write_ks(p, reg2, commune, rereg=True)

    # KT: deaths registered in the home commune
    for p in people:
        if not p.death:
            continue
        if rng.random() < 0.1:
            continue  # death never registered
        reg = p.death + timedelta(days=rng.randrange(1, 40))
        if reg > NOW:
            continue
        if not cov.covers("KT", p.home["code"], reg.year):
            continue  # the book of that year did not survive
        b = book_for("KT", p.home, reg.year)
        st = b.style
        asc = record_ascii(b)
        conflicts, noise = [], []
        text, _, k = name_noise(rng, (p.family, p.middle, p.given), p.sex)
        noise += k
        if name_differs(text, full_name(p), asc):
            conflicts.append("name")
        dtext, dval, dk = dob_noise(rng, p.dob, True)
        noise += dk
        if dob_differs(p, dval):
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
            cells["nktSoGiayToTuyThan"] = id_text(p, noise)
        if asc:
            cells = fold_cells(cells)
            noise.append("no_diacritics")
        b.rows.append((reg, cells, [sub("nkt", p, conflicts, noise)]))

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
        # the registry learns of the marriage, or not, whether or not its book survives
        for p in (m, w):
            p.married = rng.random() > 0.1
        if not cov.covers("KH", commune["code"], reg.year):
            continue
        b = book_for("KH", commune, reg.year)
        st = b.style
        asc = record_ascii(b)
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
            text, _, k = name_noise(rng, (p.family, p.middle, p.given), p.sex)
            noise += k
            if name_differs(text, full_name(p), asc):
                conflicts.append("name")
            dtext, dval, dk = dob_noise(rng, p.dob, reg.year < 1990)
            noise += dk
            if dob_differs(p, dval):
                conflicts.append("dob")
            cells[pre + "HoTen"] = text
            cells[pre + "NgaySinh"] = dtext
            cells[pre + "DanToc"] = eth_text(p.eth, st, rng)
            cells[pre + "QuocTich"] = "Việt Nam"
            cells[pre + "NoiCuTru"] = geo.legacy_text(p.home, rng)
            if reg.year >= 2016 and rng.random() < 0.7:
                cells[pre + "LoaiGiayToTuyThan"] = "4"
                cells[pre + "SoGiayToTuyThan"] = id_text(p, noise)
            if asc:
                noise.append("no_diacritics")
            subs.append(sub(role, p, conflicts, noise))
        if asc:
            cells = fold_cells(cells)
        b.rows.append((reg, cells, subs))

    # HN: single adults asking for a certificate
    for p in people:
        if p.spouse or p.dob.year > 2005 or rng.random() > 0.12:
            continue
        reg = date(2010, 1, 1) + timedelta(days=rng.randrange(5700))
        if p.death and reg > p.death or reg <= p.dob + timedelta(days=18 * 365):
            continue
        if not cov.covers("HN", p.home["code"], reg.year):
            continue
        b = book_for("HN", p.home, reg.year)
        st = b.style
        asc = record_ascii(b)
        conflicts, noise = [], []
        text, _, k = name_noise(rng, (p.family, p.middle, p.given), p.sex)
        noise += k
        if name_differs(text, full_name(p), asc):
            conflicts.append("name")
        dtext, dval, dk = dob_noise(rng, p.dob, False)
        noise += dk
        if dob_differs(p, dval):
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
            cells["nxnSoGiayToTuyThan"] = id_text(p, noise)
        if asc:
            cells = fold_cells(cells)
            noise.append("no_diacritics")
        b.rows.append((reg, cells, [sub("nxn", p, conflicts, noise)]))

    # registry errors: the registry's place of birth or sex wrong for a few people
    reg_sex_err = {p.idx for p in people if rng.random() < 0.001}
    reg_place_err = {p.idx for p in people if rng.random() < 0.003}
    # the registry's birth-registration place names another commune than the book's
    for p in people:
        if p.in_registry and p.ks and r_regplace.random() < 0.01:
            same = r_regplace.random() < 0.8
            p.reg_registry = geo.other_commune(r_regplace, ks_communes[p.idx], same_province=same)
    # a birth registered twice: both records in the drop share a label
    dup_label = {}
    for idx, communes in sorted(ks_communes.items()):
        if len(communes) > 1:
            dup_label[idx] = f"dup{len(dup_label) + 1:05d}"

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
        cols = COLS[rt]
        rel = os.path.relpath(os.path.join(folder, f"{rt}_{y0}_{b.seq}.csv"), civil_dir)
        rel = rel.replace(os.sep, "/")
        b.rows.sort(key=lambda r: r[0])
        lines = []
        first = 1
        if b.style["title"]:
            title = f"SỔ ĐĂNG KÝ {rt} - {c['type'].upper()} {c['name'].upper()} - NĂM {y0}"
            lines.append([ascii_fold(title) if b.style["ascii"] else title])
            lines.append([])
            first = 3
        lines.append(cols)
        header_row = first
        for i, (_, cells, subs) in enumerate(b.rows):
            lines.append([cells.get(col, "") for col in cols])
            row = header_row + 1 + i
            for s in subs:
                role, person = s["role"], s["p"]
                confl = list(s["conflicts"])
                noise = list(s["noise"])
                if person.idx in reg_sex_err and role != "nc":  # a CMC has no sex column
                    confl.append("gender")
                if role == "nks":
                    if person.rereg:  # on both records (the other may be in a lost book)
                        noise.insert(0, "re_registered")
                    if person.idx in reg_place_err:
                        confl.append("birth_place")
                    if person.reg_registry is not person.reg:
                        noise.append("registry_reg_place")
                    if person.reg_registry["code"] != s["commune"]["code"]:
                        assert not geo.equivalent(person.reg_registry, s["commune"])
                        confl.append("birth_place")
                    if s["father_blank"]:
                        if person.idx in cmc_children:
                            noise.append("father_blank_cmc")
                        else:
                            noise.append("father_blank")
                            confl.append("father_name")
                if person.year_only:
                    noise.append("registry_year_only")
                pid, status = status_of(person, confl)
                if status != "matched" and status != "conflict":
                    confl = []
                group = dup_label.get(person.idx, "") if role == "nks" else ""
                truth_rows.append([rel, row, rt, role, pid, status, ";".join(sorted(set(confl))),
                                   ";".join(noise), person.idx, group])
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
        dob = fmt_date(p.dob, date_style)
        if p.year_only:  # day and month never known: 1 January, or the year alone
            dob = str(p.dob.year) if r_yo.random() < 0.15 else fmt_date(date(p.dob.year, 1, 1),
                                                                          date_style)
        pop_rows.append([
            pid, name, dob, "Nam" if sex == "M" else "Nữ", ptext,
            place(p.reg_registry), place(p.home) if rng.random() < 0.5 else "", p.eth[0],
            "Việt Nam",
            place(home), p.father or "", p.mother or "", spouse, marital, death,
            f"18{rng.randrange(10**7):07d}" if p.dob.year < 2000 and rng.random() < 0.6 else "",
        ])
    # no_birth_record: registry persons registered in the province without a KS although the
    # surviving books of their registration commune cover the year it would have been registered
    for p in people:
        if p.in_registry and not p.ks and p.reg["province_code"] == geo.province:
            reg, commune = p.ks_first
            assert p.ks_lost == cov.covers("KS", commune["code"], reg.year)
            if p.ks_lost:
                findings.append((p.pid, "no_birth_record"))
    # marriage_not_recorded: a KH exists but the registry says single
    kh_people = set()
    for key, b in books.items():
        if key[0] == "KH":
            for _, _, subs in b.rows:
                for s in subs:
                    kh_people.add(s["p"].idx)
    for p in people:
        if p.in_registry and p.idx in kh_people and p.spouse is not None and not p.married:
            findings.append((p.pid, "marriage_not_recorded"))
    # deaths not recorded only count when the KT exists
    kt_people = set()
    for key, b in books.items():
        if key[0] == "KT":
            for _, _, subs in b.rows:
                kt_people.add(subs[0]["p"].pid)
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
                    "conflict_fields", "noise", "person_key", "duplicate_group"])
        w.writerows(sorted(truth_rows))
    with open(os.path.join(out, "truth", "coverage.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["commune_code", "record_type", "year", "in_drop"])
        w.writerows(cov.rows())
    with open(os.path.join(out, "truth", "findings.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["person_id", "finding"])
        w.writerows(sorted(set(findings)))
    print(f"foreign gen: {len(pop_rows)} registry rows, {len(truth_rows)} civil subjects in "
          f"{len(books)} files → {out}")
    kinds = Counter(n for r in truth_rows for n in set(r[7].split(";")) if n in PHENOMENA)
    print("  phenomena (subjects): " + ", ".join(f"{k} {kinds[k]}" for k in PHENOMENA))


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--province", default="42")
    ap.add_argument("--headers", type=int, default=None)
    ap.add_argument("--out", required=True)
    generate(ap.parse_args())
