//! Free-text places to components: "X. Thạch Long, H. Thạch Hà, T. Hà Tĩnh", with or without
//! diacritics, abbreviations or separators; village and street parts kept but not resolved.
use crate::normalize::letters;

/// The level a type word or abbreviation names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// xã, phường, thị trấn, đặc khu
    Commune,
    /// huyện, quận, thị xã (and thành phố thuộc tỉnh)
    District,
    /// tỉnh
    Province,
    /// thành phố: a province-level or a district-level city
    City,
    /// thôn, xóm, tổ, ấp, số nhà, đường …: kept, not resolved
    Village,
}

/// A piece of a place: its type word (if any), its level and its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Component {
    /// the level said by the type word, `None` when untyped
    pub level: Option<Level>,
    /// the type as a canonical word (`Xã`, `Phường`, `Huyện` …), empty when untyped
    pub kind: &'static str,
    /// the name, folded to lowercase ASCII words (`thach long`)
    pub name: String,
    /// the name with its diacritics, lowercase, no spaces (`thạchlong`), to tell apart units
    /// whose names differ only by a tone (Sa Pa / Sa Pả)
    pub accented: String,
}

/// A parsed place.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParsedPlace {
    /// the components in written order (smallest unit first, as addresses are written)
    pub components: Vec<Component>,
    /// true when the text had separators (commas, dashes) between components
    pub separated: bool,
}

/// (marker words, level, canonical type); multi-word markers first.
const MARKERS: [(&[&str], Level, &str); 27] = [
    (&["dac", "khu"], Level::Commune, "Đặc khu"),
    (&["thi", "tran"], Level::Commune, "Thị trấn"),
    (&["thi", "xa"], Level::District, "Thị xã"),
    (&["thanh", "pho"], Level::City, "Thành phố"),
    (&["so", "nha"], Level::Village, "Số nhà"),
    (&["khu", "pho"], Level::Village, "Khu phố"),
    (&["to", "dan", "pho"], Level::Village, "Tổ dân phố"),
    (&["xa"], Level::Commune, "Xã"),
    (&["phuong"], Level::Commune, "Phường"),
    (&["huyen"], Level::District, "Huyện"),
    (&["quan"], Level::District, "Quận"),
    (&["tinh"], Level::Province, "Tỉnh"),
    (&["tt"], Level::Commune, "Thị trấn"),
    (&["tx"], Level::District, "Thị xã"),
    (&["tp"], Level::City, "Thành phố"),
    (&["x"], Level::Commune, "Xã"),
    (&["p"], Level::Commune, "Phường"),
    (&["h"], Level::District, "Huyện"),
    (&["q"], Level::District, "Quận"),
    (&["t"], Level::Province, "Tỉnh"),
    (&["thon"], Level::Village, "Thôn"),
    (&["xom"], Level::Village, "Xóm"),
    (&["to"], Level::Village, "Tổ"),
    (&["ap"], Level::Village, "Ấp"),
    (&["khoi"], Level::Village, "Khối"),
    (&["ban"], Level::Village, "Bản"),
    (&["duong"], Level::Village, "Đường"),
];

/// Words that are type words only when written with their diacritics (in an accented text):
/// folded `xa` is also the name syllable `xá`, `tinh` is `tịnh`, `quan` is `quán` …
fn accented_marker_ok(folded: &str, original: &str) -> bool {
    let lower = original.to_lowercase();
    let want: &[&str] = match folded {
        "xa" => &["xã"],
        "phuong" => &["phường"],
        "huyen" => &["huyện"],
        "quan" => &["quận"],
        "tinh" => &["tỉnh"],
        "thi" => &["thị"],
        "tran" => &["trấn"],
        "thanh" => &["thành"],
        "pho" => &["phố"],
        "dac" => &["đặc"],
        "khu" => &["khu"],
        "thon" => &["thôn"],
        "xom" => &["xóm"],
        "to" => &["tổ"],
        "ap" => &["ấp"],
        "khoi" => &["khối"],
        "ban" => &["bản"],
        "duong" => &["đường"],
        "so" => &["số"],
        "nha" => &["nhà"],
        "dan" => &["dân"],
        _ => return true,
    };
    want.contains(&lower.as_str())
}

#[derive(Clone, Debug)]
struct Tok {
    folded: String,
    original: String,
    /// a separator (comma, dash …) comes before this token
    sep_before: bool,
    /// a dot follows the token (`X.`, `TP.`)
    dot_after: bool,
}

fn tokenize(text: &str) -> (Vec<Tok>, bool) {
    let pre = crate::normalize::text::prenormalize(text);
    let mut toks: Vec<Tok> = Vec::new();
    let mut cur = String::new();
    let mut sep = false;
    let mut any_sep = false;
    let flush = |cur: &mut String, toks: &mut Vec<Tok>, sep: &mut bool| {
        if cur.is_empty() {
            return;
        }
        let original = std::mem::take(cur);
        let folded = letters::fold_str(&original);
        // glued abbreviations: "P4", "Q10", "TP.HCM" handled by the dot; "p4" splits here
        let split_at = folded.find(|c: char| c.is_ascii_digit()).filter(|&i| {
            i > 0
                && i <= 2
                && folded[..i].chars().all(|c| c.is_ascii_alphabetic())
                && folded[i..].chars().all(|c| c.is_ascii_digit())
        });
        match split_at {
            Some(i) if matches!(&folded[..i], "p" | "q" | "f") => {
                toks.push(Tok {
                    folded: folded[..i].to_string(),
                    original: original[..i].to_string(),
                    sep_before: *sep,
                    dot_after: false,
                });
                toks.push(Tok {
                    folded: folded[i..].to_string(),
                    original: original[i..].to_string(),
                    sep_before: false,
                    dot_after: false,
                });
            }
            _ => toks.push(Tok {
                folded,
                original,
                sep_before: *sep,
                dot_after: false,
            }),
        }
        *sep = false;
    };
    for c in pre.chars() {
        if c.is_alphanumeric() || c == '\'' || letters::is_combining(c) {
            cur.push(c);
        } else {
            flush(&mut cur, &mut toks, &mut sep);
            match c {
                '.' => {
                    if let Some(t) = toks.last_mut() {
                        t.dot_after = true;
                    }
                }
                ',' | ';' | '-' | '–' | '—' | '/' | '(' | ')' | '|' | '\n' => {
                    sep = true;
                    any_sep = true;
                }
                _ => {}
            }
        }
    }
    flush(&mut cur, &mut toks, &mut sep);
    (toks, any_sep)
}

/// Parse free text into components (strict: in unaccented text, a type word inside a
/// comma-separated piece is read as part of the name, so "Phúc Xá" stays a name).
pub fn parse(text: &str) -> ParsedPlace {
    parse_mode(text, false)
}

/// Parse with type words accepted anywhere (`loose`), for unseparated unaccented text such as
/// "xa thach long huyen thach ha tinh ha tinh".
pub fn parse_mode(text: &str, loose: bool) -> ParsedPlace {
    let (toks, separated) = tokenize(text);
    let accented = !text.is_ascii();
    let mut comps: Vec<Component> = Vec::new();
    let mut cur: Option<Component> = None;
    let mut i = 0;
    while i < toks.len() {
        // a type word here? (not right after another type word: "Huyện Quan Hóa")
        let mut matched = None;
        let after_type = cur
            .as_ref()
            .is_some_and(|c| c.level.is_some() && c.name.is_empty());
        for (words, level, kind) in MARKERS {
            if after_type {
                break;
            }
            let n = words.len();
            if i + n > toks.len()
                || !words
                    .iter()
                    .zip(&toks[i..i + n])
                    .all(|(w, t)| *w == t.folded)
            {
                continue;
            }
            let single_letter = n == 1
                && words[0].len() <= 2
                && matches!(words[0], "x" | "p" | "h" | "q" | "t" | "tt" | "tx" | "tp");
            // an abbreviation needs a dot or a following name; a full word must be accented
            // in accented text, and must be followed by a name
            // a type word needs a name after it in the same piece
            let has_next = i + n < toks.len() && !toks[i + n].sep_before;
            let seg_start = i == 0 || toks[i].sep_before;
            let ok = if single_letter {
                has_next
                    && (toks[i].dot_after
                        || toks[i + n].folded.chars().all(|c| c.is_ascii_digit())
                        || (seg_start || loose)
                            && (toks[i].original.chars().all(|c| c.is_uppercase())
                                || words[0].len() == 2))
            } else if level == Level::Village && !(seg_start || loose) {
                // "Tam Thôn Hiệp" is a name; village parts open their own piece
                false
            } else if accented {
                has_next
                    && toks[i..i + n]
                        .iter()
                        .zip(words.iter())
                        .all(|(t, w)| accented_marker_ok(w, &t.original))
            } else {
                has_next && (seg_start || loose)
            };
            if ok {
                matched = Some((n, level, kind));
                break;
            }
        }
        let starts_new = toks[i].sep_before;
        if let Some((n, level, kind)) = matched {
            if let Some(c) = cur.take() {
                comps.push(c);
            }
            cur = Some(Component {
                level: Some(level),
                kind,
                name: String::new(),
                accented: String::new(),
            });
            i += n;
            continue;
        }
        if starts_new && let Some(c) = cur.take() {
            comps.push(c);
        }
        let c = cur.get_or_insert_with(|| Component {
            level: None,
            kind: "",
            name: String::new(),
            accented: String::new(),
        });
        if !c.name.is_empty() {
            c.name.push(' ');
        }
        c.name.push_str(&toks[i].folded);
        c.accented.push_str(
            &crate::normalize::syllable::canon(
                &toks[i].original,
                crate::normalize::syllable::ToneStyle::FirstVowel,
            )
            .0,
        );
        i += 1;
    }
    if let Some(c) = cur.take() {
        comps.push(c);
    }
    comps.retain(|c| !c.name.is_empty());
    ParsedPlace {
        components: comps,
        separated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(s: &str) -> Vec<(Option<Level>, String)> {
        parse(s)
            .components
            .into_iter()
            .map(|c| (c.level, c.name))
            .collect()
    }

    #[test]
    fn typed_and_abbreviated() {
        let want = vec![
            (Some(Level::Commune), "thach long".to_string()),
            (Some(Level::District), "thach ha".to_string()),
            (Some(Level::Province), "ha tinh".to_string()),
        ];
        assert_eq!(show("Xã Thạch Long, Huyện Thạch Hà, Tỉnh Hà Tĩnh"), want);
        assert_eq!(show("X. Thạch Long, H. Thạch Hà, T. Hà Tĩnh"), want);
        assert_eq!(
            parse_mode("xa Thach Long huyen Thach Ha tinh Ha Tinh", true)
                .components
                .into_iter()
                .map(|c| (c.level, c.name))
                .collect::<Vec<_>>(),
            want
        );
        assert_eq!(
            show("phuong phuc xa, quan ba dinh, thanh pho ha noi")[0].1,
            "phuc xa"
        );
        assert_eq!(show("X.Thạch Long - H.Thạch Hà - T.Hà Tĩnh"), want);
    }

    #[test]
    fn numbered_wards_cities_and_villages() {
        assert_eq!(
            show("P4, Q3, TP.HCM"),
            vec![
                (Some(Level::Commune), "4".to_string()),
                (Some(Level::District), "3".to_string()),
                (Some(Level::City), "hcm".to_string())
            ]
        );
        let c = show("Thôn 3, xã Kỳ Hoa, TX Kỳ Anh");
        assert_eq!(c[0], (Some(Level::Village), "3".to_string()));
        assert_eq!(c[1], (Some(Level::Commune), "ky hoa".to_string()));
        assert_eq!(c[2], (Some(Level::District), "ky anh".to_string()));
    }

    #[test]
    fn untyped_pieces_and_name_syllables_that_look_like_types() {
        assert_eq!(
            show("Thạch Long, Thạch Hà, Hà Tĩnh"),
            vec![
                (None, "thach long".into()),
                (None, "thach ha".into()),
                (None, "ha tinh".into())
            ]
        );
        // "Xá" is a name syllable, not the type word "Xã"
        assert_eq!(show("Xã Xá Lượng")[0].1, "xa luong");
    }
}
