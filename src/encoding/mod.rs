//! Legacy Vietnamese encodings: decide per column, repair per token (`vietnamese-text.md` §2).
//!
//! Legacy text reaches us as the characters a cp1252 reader made of its bytes, so every decoder
//! first turns characters back into bytes ([`char_to_byte`]). A column's encoding is chosen by how
//! many of its tokens become valid syllables (and known name syllables) under each decoder; then
//! each token is repaired on its own, because real cells mix Unicode and legacy tokens.
pub mod tcvn3;
pub mod viqr;
pub mod vni;

use crate::normalize::syllable;
use encoding_rs::{ISO_8859_2, WINDOWS_1250, WINDOWS_1252, WINDOWS_1258};
use serde::Serialize;

/// What a text was decoded from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    /// already Unicode (NFC, NFD or composite)
    #[default]
    Unicode,
    /// TCVN3 / ABC
    Tcvn3,
    /// VNI-Windows
    Vni,
    /// VIQR mnemonics
    Viqr,
    /// Windows-1258 base letter + combining byte
    Cp1258,
    /// UTF-8 read as cp1252, Latin-1, cp1250 or ISO-8859-2
    Mojibake,
}

impl Encoding {
    /// The lowercase name used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Unicode => "unicode",
            Encoding::Tcvn3 => "tcvn3",
            Encoding::Vni => "vni",
            Encoding::Viqr => "viqr",
            Encoding::Cp1258 => "cp1258",
            Encoding::Mojibake => "mojibake",
        }
    }

    const LEGACY: [Encoding; 5] = [
        Encoding::Tcvn3,
        Encoding::Vni,
        Encoding::Mojibake,
        Encoding::Cp1258,
        Encoding::Viqr,
    ];
}

/// The byte a character stands for when legacy bytes were read as cp1252 (or Latin-1):
/// U+0000–U+00FF are themselves, the 27 cp1252 specials map back to 0x80–0x9F.
#[inline]
pub fn char_to_byte(c: char) -> Option<u8> {
    let cp = c as u32;
    if cp <= 0xFF {
        return Some(cp as u8);
    }
    let b = match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    };
    Some(b)
}

/// Decode a token (or a whole text) with one encoding. Text the decoder cannot read comes back
/// unchanged.
pub fn decode(s: &str, enc: Encoding) -> String {
    // a decomposed mark (a + U+0301) stands for the precomposed Latin-1 letter a legacy byte made
    let composed;
    let s = if enc != Encoding::Unicode && s.chars().any(crate::normalize::letters::is_combining) {
        composed = crate::normalize::text::nfc(s).into_owned();
        composed.as_str()
    } else {
        s
    };
    match enc {
        Encoding::Unicode => s.to_string(),
        Encoding::Tcvn3 => tcvn3::decode(s),
        Encoding::Vni => vni::decode(s),
        Encoding::Viqr => viqr::decode(s),
        Encoding::Cp1258 => decode_cp1258(s),
        Encoding::Mojibake => decode_mojibake(s).unwrap_or_else(|| s.to_string()),
    }
}

/// Encode Unicode text into a legacy form, as a cp1252 reader would show it (for tests and the
/// synthetic generator).
pub fn encode(s: &str, enc: Encoding) -> String {
    match enc {
        Encoding::Unicode => s.to_string(),
        Encoding::Tcvn3 => tcvn3::encode(s),
        Encoding::Vni => vni::encode(s),
        Encoding::Viqr => viqr::encode(s),
        Encoding::Cp1258 => {
            // windows-1258 writes a toned letter as its base letter + a combining tone byte
            let decomposed: String = s
                .chars()
                .flat_map(|c| match crate::normalize::letters::split_tone(c) {
                    Some((b, t)) if t != crate::normalize::letters::Tone::Ngang => {
                        vec![
                            b,
                            [
                                '\u{300}', '\u{300}', '\u{301}', '\u{309}', '\u{303}', '\u{323}',
                            ][t as usize],
                        ]
                    }
                    _ => vec![c],
                })
                .collect();
            let (bytes, _, _) = WINDOWS_1258.encode(&decomposed);
            bytes.iter().map(|&b| cp1252_char(b)).collect()
        }
        Encoding::Mojibake => s.bytes().map(cp1252_char).collect(),
    }
}

/// The character cp1252 (WHATWG) shows for a byte.
pub fn cp1252_char(b: u8) -> char {
    let buf = [b];
    let (s, _) = WINDOWS_1252.decode_without_bom_handling(&buf);
    s.chars().next().unwrap_or(b as char)
}

fn to_bytes(s: &str) -> Option<Vec<u8>> {
    s.chars().map(char_to_byte).collect()
}

fn decode_cp1258(s: &str) -> String {
    match to_bytes(s) {
        Some(bytes) => {
            let (text, _) = WINDOWS_1258.decode_without_bom_handling(&bytes);
            crate::normalize::text::nfc(&text).into_owned()
        }
        None => s.to_string(),
    }
}

/// Undo UTF-8 read as a single-byte code page: cp1252/Latin-1 first, then cp1250 and
/// ISO-8859-2. `None` when no code page gives valid UTF-8 that differs from the input.
pub fn decode_mojibake(s: &str) -> Option<String> {
    if s.is_ascii() {
        return None;
    }
    let mut fallback = None;
    for cp in [WINDOWS_1252, WINDOWS_1250, ISO_8859_2] {
        let bytes: Option<Vec<u8>> = if cp == WINDOWS_1252 {
            to_bytes(s)
        } else {
            let (b, _, unmappable) = cp.encode(s);
            (!unmappable).then(|| b.into_owned())
        };
        let Some(mut bytes) = bytes else { continue };
        // an NBSP turned into a space splits `à` (C3 A0): put it back
        for i in 1..bytes.len() {
            if bytes[i] == b' ' && bytes[i - 1] == 0xC3 {
                bytes[i] = 0xA0;
            }
        }
        if let Ok(text) = String::from_utf8(bytes)
            && text != s
        {
            if text.split_whitespace().all(token_is_valid) {
                return Some(text);
            }
            fallback.get_or_insert(text);
        }
    }
    fallback
}

fn trim_token(t: &str) -> &str {
    t.trim_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace() || c == '\u{A0}')
}

/// True when a token (punctuation trimmed, after NFC) is a valid Vietnamese syllable, or plain
/// ASCII letters/digits (uninformative but harmless).
pub fn token_is_valid(t: &str) -> bool {
    let t = trim_token(t);
    if t.is_empty() || t.chars().all(|c| c.is_ascii_alphanumeric()) {
        return true;
    }
    VALID_CACHE.with(|c| {
        if let Some(&v) = c.borrow().get(t) {
            return v;
        }
        let v = token_is_valid_uncached(t);
        let mut c = c.borrow_mut();
        if c.len() > 1 << 18 {
            c.clear();
        }
        c.insert(t.to_string(), v);
        v
    })
}

thread_local! {
    // looked up for every informative token of every cell: a cheap hasher, not SipHash
    static VALID_CACHE: std::cell::RefCell<rustc_hash::FxHashMap<String, bool>> = Default::default();
}

fn token_is_valid_uncached(t: &str) -> bool {
    let t = crate::normalize::text::prenormalize(t);
    let t = crate::normalize::text::strip_soft_hyphen(&t);
    // a glued token (PhạmQuốc) is valid when each of its syllables is
    crate::normalize::text::split_glued(&t)
        .iter()
        .all(|p| syllable::is_valid(p))
}

/// A token says something about its encoding when it has non-ASCII characters or VIQR marks.
fn informative(t: &str) -> bool {
    if !t.is_ascii() {
        return true;
    }
    let b = t.as_bytes();
    b.windows(2).any(|w| {
        matches!(
            w[0].to_ascii_lowercase(),
            b'a' | b'e' | b'i' | b'o' | b'u' | b'y'
        ) && matches!(w[1], b'^' | b'(' | b'+' | b'\'' | b'`' | b'?' | b'~')
    }) || t.contains("dd")
        || t.contains("DD")
}

/// Knows which syllables are names at a position: lets a tie between two valid readings of a
/// token be decided (`Hoà` is VNI for the family name `Hồ`; `Hòa` is no family name).
pub trait Lexicon {
    /// True when `syllable` (lowercase canonical) is a known name syllable at token `position`.
    fn knows(&self, position: usize, syllable: &str) -> bool;
    /// True when a token as written (punctuation, case, tone placement unnormalized) is a known
    /// name syllable at `position`.
    fn knows_token(&self, position: usize, token: &str) -> bool {
        self.knows(position, &lex_key(token))
    }
}

/// No lexicon: only syllable validity counts.
pub struct NoLexicon;
impl Lexicon for NoLexicon {
    fn knows(&self, _: usize, _: &str) -> bool {
        false
    }
    fn knows_token(&self, _: usize, _: &str) -> bool {
        false
    }
}

/// The lexicon's form of a token: trimmed, prenormalized, canonical tone placement, lowercase.
pub fn lex_key(t: &str) -> String {
    let t = trim_token(t);
    let t = crate::normalize::text::prenormalize(t);
    let t = crate::normalize::text::strip_soft_hyphen(&t);
    syllable::canon(&t, syllable::ToneStyle::FirstVowel).0
}

/// The encoding decided for a column, and how sure we are.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Detection {
    /// the chosen decoder
    pub encoding: Encoding,
    /// the chosen decoder's score (share of informative tokens that became valid)
    pub score: f32,
    /// enough cells agree that a tie between two valid readings goes to the decoder
    pub strong: bool,
}

impl Default for Detection {
    fn default() -> Self {
        Detection {
            encoding: Encoding::Unicode,
            score: 1.0,
            strong: false,
        }
    }
}

/// Decide the encoding of a column from a sample of its cells (§2.9): the decoder whose output
/// has the most valid (and known) syllables, when it beats Unicode by a margin.
pub fn detect<L: Lexicon + ?Sized>(cells: &[&str], lex: &L) -> Detection {
    // each distinct (position, token) once, with how often it occurs: a column's sample repeats
    // its family names, places and gender words hundreds of times, and each is decoded five ways
    // and so are whole cells (a place, a sex): each distinct cell is split once, with its count;
    // the distinct cells in the order they first occur, so the tokens are too
    let mut cell_index: rustc_hash::FxHashMap<&str, usize> = Default::default();
    let mut distinct: Vec<(&str, usize)> = Vec::new();
    for cell in cells {
        let at = *cell_index.entry(cell).or_insert_with(|| {
            distinct.push((cell, 0));
            distinct.len() - 1
        });
        distinct[at].1 += 1;
    }
    let mut index: rustc_hash::FxHashMap<(usize, &str), usize> = Default::default();
    let mut tokens: Vec<(usize, &str, f32)> = Vec::new();
    let mut total = 0usize;
    let mut informative_cells = 0usize;
    for &(cell, times) in &distinct {
        let mut any = false;
        for (pos, t) in cell.split_whitespace().enumerate() {
            if informative(t) {
                let at = *index.entry((pos, t)).or_insert_with(|| {
                    tokens.push((pos, t, 0.0));
                    tokens.len() - 1
                });
                tokens[at].2 += times as f32;
                total += times;
                any = true;
            }
        }
        informative_cells += if any { times } else { 0 };
    }
    if tokens.is_empty() {
        return Detection::default();
    }
    // every sum below is of multiples of 1/4 far below 2^22: exact in `f32`, so weighting a
    // distinct token by its count gives what adding each occurrence gave
    let n = total as f32;
    // a decoder is judged by what it changes: tokens it makes valid (and known) minus tokens it
    // breaks; tokens it leaves alone say nothing
    let known = |pos: usize, t: &str| lex.knows_token(pos, t);
    let base_valid: Vec<bool> = tokens.iter().map(|(_, t, _)| token_is_valid(t)).collect();
    let weighted = |valid: bool| -> f32 {
        tokens
            .iter()
            .zip(&base_valid)
            .filter(|(_, v)| **v == valid)
            .map(|(t, _)| t.2)
            .sum()
    };
    // nothing to repair: no decoder can gain enough (the common case, and the cheap one)
    let invalid = weighted(false);
    if invalid < 1.0 || invalid < 0.2 * n {
        return Detection {
            encoding: Encoding::Unicode,
            score: 1.0 - invalid / n,
            strong: false,
        };
    }
    let gain = |enc: Encoding| -> f32 {
        let mut g = 0.0f32;
        for (i, &(pos, t, count)) in tokens.iter().enumerate() {
            let d = decode(t, enc);
            if d == t {
                continue;
            }
            let (a, b) = (base_valid[i], token_is_valid(&d));
            let mut one = b as i32 as f32 - a as i32 as f32;
            if a && b {
                one += 0.25 * (known(pos, &d) as i32 as f32 - known(pos, t) as i32 as f32);
            }
            g += count * one;
        }
        g
    };
    let mut best = (Encoding::Unicode, 0.0f32);
    for enc in Encoding::LEGACY {
        let g = gain(enc);
        if g > best.1 + 1e-6 {
            best = (enc, g);
        }
    }
    // a column is legacy when decoding repairs a fifth of its informative tokens; a few stray
    // tokens are left to the per-token repair
    if best.1 < 1.0 || best.1 < 0.2 * n {
        best = (Encoding::Unicode, 0.0);
    }
    let best = (best.0, weighted(true) / n + best.1 / n);
    Detection {
        encoding: best.0,
        score: best.1,
        strong: best.0 != Encoding::Unicode && informative_cells >= 3,
    }
}

/// A cell after repair, with the encoding applied to at least one of its tokens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repaired {
    /// the decoded text (not yet normalized)
    pub text: String,
    /// the legacy encoding that was decoded, if any token was
    pub decoded: Option<Encoding>,
}

/// Repair one cell token by token with the column's decoder, falling back to the others for
/// tokens that are invalid either way (cells mix encodings).
pub fn repair<L: Lexicon + ?Sized>(cell: &str, det: &Detection, lex: &L) -> Repaired {
    repair_changed(cell, det, lex).unwrap_or_else(|| Repaired {
        text: cell.to_string(),
        decoded: None,
    })
}

/// [`repair`], `None` when the cell stays as written with nothing decoded (most cells of most
/// columns: nothing is allocated for them).
pub fn repair_changed<L: Lexicon + ?Sized>(
    cell: &str,
    det: &Detection,
    lex: &L,
) -> Option<Repaired> {
    if cell.is_ascii() && det.encoding != Encoding::Viqr && !informative(cell) {
        return None;
    }
    // a whole cell of mojibake decodes at once (a split `à` needs its neighbour); in a Unicode
    // column, a cell that is not already valid may be one stray mojibake cell
    let stray = det.encoding == Encoding::Unicode && !cell.split_whitespace().all(token_is_valid);
    if (det.encoding == Encoding::Mojibake || stray)
        && let Some(text) = decode_mojibake(cell)
        && text.split_whitespace().all(token_is_valid)
    {
        return Some(Repaired {
            text,
            decoded: Some(Encoding::Mojibake),
        });
    }
    // the repaired text, begun at the first token that changes (a token changes exactly when
    // it is decoded)
    let mut out: Option<String> = None;
    let mut decoded = None;
    let mut pos = 0;
    let mut start = 0;
    for tok in cell.split(' ') {
        let end = start + tok.len();
        if !tok.is_empty() {
            match repair_token(tok, pos, det, lex) {
                Some((text, enc)) => {
                    decoded.get_or_insert(enc);
                    out.get_or_insert_with(|| {
                        let mut o = String::with_capacity(cell.len() + 8);
                        o.push_str(&cell[..start]);
                        o
                    })
                    .push_str(&text);
                }
                None => {
                    if let Some(o) = &mut out {
                        o.push_str(tok);
                    }
                }
            }
            pos += 1;
        }
        if end < cell.len()
            && let Some(o) = &mut out
        {
            o.push(' ');
        }
        start = end + 1;
    }
    out.map(|text| Repaired { text, decoded })
}

/// A token decoded, with the encoding; `None` when it stays as written.
fn repair_token<L: Lexicon + ?Sized>(
    tok: &str,
    pos: usize,
    det: &Detection,
    lex: &L,
) -> Option<(String, Encoding)> {
    let viqr_dot = det.encoding == Encoding::Viqr
        && tok.as_bytes().windows(2).any(|w| {
            matches!(
                w[0].to_ascii_lowercase(),
                b'a' | b'e' | b'i' | b'o' | b'u' | b'y'
            ) && w[1] == b'.'
        });
    if !informative(tok) && !viqr_dot {
        return None;
    }
    let id_valid = token_is_valid(tok);
    if det.encoding != Encoding::Unicode {
        let dec = decode(tok, det.encoding);
        if dec != tok && token_is_valid(&dec) {
            // a VIQR mark is punctuation to the Unicode reading: not a real tie
            if !id_valid || det.encoding == Encoding::Viqr {
                return Some((dec, det.encoding));
            }
            // both readings are valid syllables: the lexicon, then the column's strength decides
            let id_known = lex.knows_token(pos, tok);
            let dec_known = lex.knows_token(pos, &dec);
            let take = if det.strong {
                !id_known || dec_known
            } else {
                dec_known && !id_known
            };
            return take.then_some((dec, det.encoding));
        }
    }
    if id_valid {
        // a valid syllable that is no name, written with legacy surface characters, in a name
        // column: a token left in VNI or TCVN3 (`Thò` for Thị) when its decoding is a known name
        if det.encoding == Encoding::Unicode
            && tok
                .chars()
                .any(|c| char_to_byte(c).is_some_and(|b| b >= 0xA0))
            && !lex.knows_token(pos, tok)
        {
            for enc in [Encoding::Vni, Encoding::Tcvn3] {
                let dec = decode(tok, enc);
                if dec != tok && token_is_valid(&dec) && lex.knows_token(pos, &dec) {
                    return Some((dec, enc));
                }
            }
        }
        return None;
    }
    // invalid either way: every other decoder is tried; a reading that is a known name beats one
    // that is merely a valid syllable (`Leâ` is VNI for Lê, not TCVN3 for "lẽo"), then the order
    // mojibake, VNI, TCVN3, CP1258, VIQR
    let mut best: Option<(u8, String, Encoding)> = None;
    for enc in [
        Encoding::Mojibake,
        Encoding::Vni,
        Encoding::Tcvn3,
        Encoding::Cp1258,
        Encoding::Viqr,
    ] {
        if enc == det.encoding {
            continue;
        }
        let dec = decode(tok, enc);
        if dec != tok && token_is_valid(&dec) {
            let score = 1 + lex.knows_token(pos, &dec) as u8;
            if best.as_ref().is_none_or(|b| score > b.0) {
                best = Some((score, dec, enc));
            }
        }
    }
    best.map(|(_, dec, enc)| (dec, enc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repaired_cell_keeps_its_spacing_and_an_unchanged_one_is_not_copied() {
        let d = detect(
            &["NguyÔn V¨n §øc", "TrÇn ThÞ H\u{AD}¬ng", "Lª ThÞ Thñy"],
            &NoLexicon,
        );
        assert_eq!(d.encoding, Encoding::Tcvn3);
        for (cell, want) in [
            ("NguyÔn V¨n §øc", "Nguyễn Văn Đức"),
            ("  NguyÔn  V¨n ", "  Nguyễn  Văn "),
            ("An V¨n", "An Văn"),
            ("V¨n", "Văn"),
        ] {
            let r = repair_changed(cell, &d, &NoLexicon).expect(cell);
            assert_eq!(r.text, want);
            assert_eq!(r.decoded, Some(Encoding::Tcvn3));
            assert_eq!(repair(cell, &d, &NoLexicon), r);
        }
        let u = detect(&["Nguyễn Văn Hùng", "Trần Thị Hương"], &NoLexicon);
        for cell in ["Nguyễn Văn Hùng", " Lê  Thị ", "An", ""] {
            assert_eq!(repair_changed(cell, &u, &NoLexicon), None, "{cell}");
            assert_eq!(repair(cell, &u, &NoLexicon).text, cell);
        }
    }

    fn det(cells: &[&str]) -> Encoding {
        detect(cells, &NoLexicon).encoding
    }

    #[test]
    fn detects_each_encoding_on_a_column() {
        let names = [
            "Nguyễn Văn Hùng",
            "Trần Thị Hương",
            "Lê Đức Thắng",
            "Phạm Thị Thủy",
        ];
        assert_eq!(det(&names), Encoding::Unicode);
        for enc in Encoding::LEGACY {
            let cells: Vec<String> = names.iter().map(|n| encode(n, enc)).collect();
            let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
            assert_eq!(det(&refs), enc, "{cells:?}");
        }
    }

    /// [`detect`] as it was written before the distinct tokens: every occurrence on its own.
    fn detect_each<L: Lexicon + ?Sized>(cells: &[&str], lex: &L) -> Detection {
        let mut tokens: Vec<(usize, &str)> = Vec::new();
        let mut informative_cells = 0usize;
        for cell in cells {
            let before = tokens.len();
            tokens.extend(
                cell.split_whitespace()
                    .enumerate()
                    .filter(|(_, t)| informative(t)),
            );
            informative_cells += (tokens.len() > before) as usize;
        }
        if tokens.is_empty() {
            return Detection::default();
        }
        let n = tokens.len() as f32;
        let base: Vec<bool> = tokens.iter().map(|(_, t)| token_is_valid(t)).collect();
        let invalid = base.iter().filter(|v| !**v).count() as f32;
        if invalid < 1.0 || invalid < 0.2 * n {
            let score = 1.0 - invalid / n;
            return Detection {
                encoding: Encoding::Unicode,
                score,
                strong: false,
            };
        }
        let mut best = (Encoding::Unicode, 0.0f32);
        for enc in Encoding::LEGACY {
            let mut g = 0.0f32;
            for (i, &(pos, t)) in tokens.iter().enumerate() {
                let d = decode(t, enc);
                if d == t {
                    continue;
                }
                let (a, b) = (base[i], token_is_valid(&d));
                g += b as i32 as f32 - a as i32 as f32;
                if a && b {
                    g += 0.25
                        * (lex.knows_token(pos, &d) as i32 as f32
                            - lex.knows_token(pos, t) as i32 as f32);
                }
            }
            if g > best.1 + 1e-6 {
                best = (enc, g);
            }
        }
        if best.1 < 1.0 || best.1 < 0.2 * n {
            best = (Encoding::Unicode, 0.0);
        }
        let valid = base.iter().filter(|v| **v).count() as f32;
        Detection {
            encoding: best.0,
            score: valid / n + best.1 / n,
            strong: best.0 != Encoding::Unicode && informative_cells >= 3,
        }
    }

    #[test]
    fn distinct_tokens_weighted_detect_as_each_occurrence_did() {
        let names = [
            "Nguyễn Văn Hùng",
            "Trần Thị Hương",
            "Nguyễn Thị Hương",
            "Hồ Sỹ Quý",
            "Hoàng Văn Hoà",
            "Lê Đức Thắng",
        ];
        let lex = crate::ingest::lexicon::NameLexicon;
        // columns of one encoding, of two mixed, and of Unicode with a few legacy cells, each
        // with its names repeated unevenly
        for (k, enc) in Encoding::LEGACY.into_iter().enumerate() {
            let other = Encoding::LEGACY[(k + 1) % Encoding::LEGACY.len()];
            for mix in 0..4 {
                let cells: Vec<String> = (0..60)
                    .map(|i| {
                        let n = names[(i * i + k) % names.len()];
                        match (mix, i % 5) {
                            (0, _) => encode(n, enc),
                            (1, 0 | 1) => encode(n, other),
                            (1, _) => encode(n, enc),
                            (2, 0) => encode(n, enc),
                            (3, 0..=2) => n.to_string(),
                            _ => encode(n, enc),
                        }
                    })
                    .collect();
                let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
                assert_eq!(detect(&refs, &lex), detect_each(&refs, &lex), "{refs:?}");
                assert_eq!(detect(&refs, &NoLexicon), detect_each(&refs, &NoLexicon));
            }
        }
    }

    #[test]
    fn round_trip_every_encoding() {
        let names = [
            "Nguyễn Văn Hùng",
            "Trần Thị Hương",
            "Đặng Quốc Khánh",
            "Huỳnh Thị Thủy",
            "Võ Đức Thắng",
            "Dương Thị Ngọc Ánh",
            "Bùi Xuân Trường",
            "Hồ Sỹ Quý",
            "Phạm Thị Yến",
            "Lương Ngọc Hoàng",
        ];
        for enc in Encoding::LEGACY {
            let cells: Vec<String> = names.iter().map(|n| encode(n, enc)).collect();
            let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
            let d = detect(&refs, &NoLexicon);
            for (c, n) in cells.iter().zip(names) {
                let r = repair(c, &d, &NoLexicon);
                // TCVN3 has no toned capitals: compare the canonical (capitalized) forms
                let got = crate::normalize::normalize_name(&r.text).canonical();
                assert_eq!(got, n, "{enc:?} {c}");
            }
        }
    }

    #[test]
    fn mojibake_from_the_reference() {
        assert_eq!(decode_mojibake("Nguyá»…n").as_deref(), Some("Nguyễn"));
        assert_eq!(decode_mojibake("Háť\u{93}ng").as_deref(), Some("Hồng"));
        assert_eq!(decode_mojibake("HáşŁi").as_deref(), Some("Hải"));
        assert_eq!(decode_mojibake("PhĆ°áť\u{9b}c").as_deref(), Some("Phước"));
        assert_eq!(decode_mojibake("ThĂ´ng").as_deref(), Some("Thông"));
        assert_eq!(decode_mojibake("ToĂ\u{a0}n").as_deref(), Some("Toàn"));
        assert_eq!(decode_mojibake("Ä\u{90}Ä\u{83}ng").as_deref(), Some("Đăng"));
        assert_eq!(decode_mojibake("Tháşż").as_deref(), Some("Thế"));
        assert_eq!(decode_mojibake("HoÃ ng").as_deref(), Some("Hoàng"));
    }

    #[test]
    fn mixed_cells_are_repaired_per_token() {
        let d = detect(&["Nguyễn Vuõ Lam Hoàng"], &NoLexicon);
        let r = repair("Nguyễn Vuõ Lam Hoàng", &d, &NoLexicon);
        assert_eq!(r.text, "Nguyễn Vũ Lam Hoàng");
        let d = Detection::default();
        let r = repair("Lã Vũ Thanh Háť\u{93}ng", &d, &NoLexicon);
        assert_eq!(r.text, "Lã Vũ Thanh Hồng");
        assert_eq!(r.decoded, Some(Encoding::Mojibake));
    }

    #[test]
    fn cp1252_specials_map_back_to_bytes() {
        assert_eq!(char_to_byte('…'), Some(0x85));
        assert_eq!(char_to_byte('ễ'), None);
        assert_eq!(cp1252_char(0x85), '…');
    }
}
