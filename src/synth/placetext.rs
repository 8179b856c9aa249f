//! Places written the ways books and extracts write them: full, abbreviated, without diacritics,
//! under an old (merged) name, or under the 2025 unit.
use crate::normalize::letters::fold_str;
use crate::places::GAZETTEER;
use rand::RngExt;
use rand_pcg::Pcg64;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Historical names of communes (legacy code → accented guesses), from `rules/places/aliases.csv`.
static OLD_NAMES: LazyLock<HashMap<u32, Vec<String>>> = LazyLock::new(|| {
    let mut m: HashMap<u32, Vec<String>> = HashMap::new();
    for line in include_str!("../../rules/places/aliases.csv")
        .lines()
        .skip(1)
    {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() >= 5
            && f[4] == "historical"
            && !f[2].is_empty()
            && let Ok(code) = f[0].parse()
        {
            m.entry(code).or_default().push(f[2].to_string());
        }
    }
    m
});

/// How to write a place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Xã Thạch Long, Huyện Thạch Hà, Tỉnh Hà Tĩnh
    Full,
    /// X. Thạch Long, H. Thạch Hà, T. Hà Tĩnh
    Abbrev,
    /// xa thach long, huyen thach ha, tinh ha tinh
    Plain,
    /// Xã Thạch Long, Huyện Thạch Hà
    NoProvince,
    /// the name of a commune that merged into this one
    Old,
    /// the 2025 unit: Xã Thạch Hà, Tỉnh Hà Tĩnh
    New,
    /// the registering agency: UBND xã Thạch Long
    Agency,
}

fn abbr(kind: &str) -> &'static str {
    match kind {
        "Xã" => "X.",
        "Phường" => "P.",
        "Thị trấn" => "TT.",
        "Huyện" => "H.",
        "Quận" => "Q.",
        "Thị xã" => "TX.",
        "Thành phố" => "TP.",
        _ => "T.",
    }
}

/// True when the commune has an old name to write.
pub fn has_old_name(code: u32) -> bool {
    OLD_NAMES.contains_key(&code)
}

/// Write a legacy commune in a style.
pub fn write(code: u32, style: Style, rng: &mut Pcg64) -> String {
    let g = &*GAZETTEER;
    let Some(c) = g.communes.get(&code) else {
        return String::new();
    };
    let d = &g.districts[&c.district];
    let p = &g.provinces[&c.province];
    match style {
        Style::Full => format!(
            "{} {}, {} {}, {} {}",
            c.kind, c.name, d.kind, d.name, p.kind, p.name
        ),
        Style::Abbrev => format!(
            "{} {}, {} {}, {} {}",
            abbr(&c.kind),
            c.name,
            abbr(&d.kind),
            d.name,
            abbr(&p.kind),
            p.name
        ),
        Style::Plain => fold_str(&format!(
            "{} {}, {} {}, {} {}",
            c.kind, c.name, d.kind, d.name, p.kind, p.name
        )),
        Style::NoProvince => format!("{} {}, {} {}", c.kind, c.name, d.kind, d.name),
        Style::Old => match OLD_NAMES.get(&code) {
            Some(names) => format!(
                "Xã {}, {} {}, {} {}",
                names[rng.random_range(0..names.len())],
                d.kind,
                d.name,
                p.kind,
                p.name
            ),
            None => format!(
                "{} {}, {} {}, {} {}",
                c.kind, c.name, d.kind, d.name, p.kind, p.name
            ),
        },
        Style::New => {
            let n = c.successors[0];
            let nc = &g.communes_2025[&n];
            let np = &g.provinces_2025[&nc.province];
            format!("{} {}, {} {}", nc.kind, nc.name, np.kind, np.name)
        }
        Style::Agency => format!(
            "UBND {} {}, {} {}",
            c.kind.to_lowercase(),
            c.name,
            d.kind,
            d.name
        ),
    }
}
