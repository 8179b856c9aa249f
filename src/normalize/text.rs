//! Character-level clean-up of Vietnamese text (the §1.2 table), tokenizing and casing.
use super::letters;
use super::syllable::{self, ToneStyle};
use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::is_nfc_quick;

/// §1.2, run before the legacy decode: look-alike Đ, invisible characters, odd spaces and quotes.
/// The soft hyphen is kept: in TCVN3 it is the letter `ư`.
pub fn prenormalize(s: &str) -> Cow<'_, str> {
    let needs = s.chars().any(|c| {
        matches!(
            c,
            '\u{D0}'
                | '\u{F0}'
                | '\u{189}'
                | '\u{335}'
                | '\u{336}'
                | '\u{200B}'
                | '\u{200C}'
                | '\u{200D}'
                | '\u{2060}'
                | '\u{FEFF}'
                | '\u{A0}'
                | '\u{2007}'
                | '\u{202F}'
                | '\u{3000}'
                | '\t'
                | '\u{2019}'
                | '\u{2018}'
                | '\u{2BC}'
                | '\u{B4}'
                | '`'
        ) || c.is_ascii_control()
    }) || s.contains("  ")
        || s.starts_with(' ')
        || s.ends_with(' ');
    if !needs {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{D0}' | '\u{189}' => out.push('Đ'),
            '\u{F0}' => out.push('đ'),
            'd' | 'D' if matches!(chars.peek(), Some('\u{335}' | '\u{336}')) => {
                chars.next();
                out.push(if c == 'd' { 'đ' } else { 'Đ' });
            }
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => {}
            '\u{A0}' | '\u{2007}' | '\u{202F}' | '\u{3000}' | '\t' | '\n' | '\r' => out.push(' '),
            // NUL, escape and the other C0 control characters are never part of a value (C1 is
            // left to the legacy decoders, whose byte tables use it)
            c if c.is_ascii_control() => {}
            '\u{2019}' | '\u{2018}' | '\u{2BC}' | '\u{B4}' | '`' => out.push('\''),
            _ => out.push(c),
        }
    }
    Cow::Owned(collapse_spaces(&out))
}

/// Collapse runs of spaces and trim.
pub fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Remove soft hyphens: only after the legacy decode has turned TCVN3's `ư` into a letter.
pub fn strip_soft_hyphen(s: &str) -> Cow<'_, str> {
    if s.contains('\u{AD}') {
        Cow::Owned(s.replace('\u{AD}', ""))
    } else {
        Cow::Borrowed(s)
    }
}

/// NFC, skipped when the text is already NFC.
pub fn nfc(s: &str) -> Cow<'_, str> {
    if is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.nfc().collect())
    }
}

/// Split a token glued at a lower→Upper boundary when both halves are syllables
/// (`PhạmQuốc` → `Phạm`, `Quốc`), but not a case slip inside one syllable (`TrỊnh`, `HuỆ`).
pub fn split_glued(token: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut prev_lower = false;
    let idx: Vec<(usize, char)> = token.char_indices().collect();
    for (k, &(i, c)) in idx.iter().enumerate() {
        let upper = c.is_uppercase();
        if upper && prev_lower && i > start {
            let next_lower = idx.get(k + 1).is_some_and(|&(_, n)| n.is_lowercase());
            let left = &token[start..i];
            let right_end = idx[k + 1..]
                .iter()
                .find(|(_, n)| n.is_uppercase())
                .map_or(token.len(), |&(j, _)| j);
            let right = &token[i..right_end];
            if next_lower && syllable::is_valid(left) && syllable::parse(right).is_some() {
                parts.push(left);
                start = i;
            }
        }
        prev_lower = c.is_lowercase();
    }
    parts.push(&token[start..]);
    parts
}

/// Split text into syllable tokens for a personal name: `-`, `.`, `,` and spaces separate.
pub fn name_tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::with_capacity(4);
    for t in s.split(|c: char| c.is_whitespace() || matches!(c, '-' | '.' | ',' | '_' | ';' | '/'))
    {
        if t.is_empty() {
            continue;
        }
        // only a capital after the first letter can mark a glued token
        if t.char_indices().skip(1).any(|(_, c)| c.is_uppercase()) {
            out.extend(split_glued(t));
        } else {
            out.push(t);
        }
    }
    out
}

/// Capitalize a lowercase canonical syllable for display: first letter, and a letter after `'`.
pub fn capitalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    capitalize_into(s, &mut out);
    out
}

/// [`capitalize`], appended to `out`.
pub fn capitalize_into(s: &str, out: &mut String) {
    let mut up = true;
    for c in s.chars() {
        if up && c.is_alphabetic() {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
        if c == '\'' {
            up = true;
        }
    }
}

/// Canonicalize free text word by word (places, catalogue values): lowercase, tone re-placed, NFC.
pub fn canon_words(s: &str) -> String {
    let pre = prenormalize(s);
    let pre = strip_soft_hyphen(&pre);
    let pre = nfc(&pre);
    let mut out = String::with_capacity(pre.len());
    for (i, w) in pre.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&syllable::canon(w, ToneStyle::FirstVowel).0);
    }
    out
}

/// A key insensitive to case, diacritics, spacing and punctuation: ASCII letters and digits only.
pub fn loose_key(s: &str) -> String {
    // ASCII text (dates, numbers, most headers) is only lowercased and filtered: `prenormalize`
    // changes nothing in it that is a letter or digit, and folding an ASCII letter lowercases it
    let mut out = String::with_capacity(s.len());
    if s.is_ascii() {
        out.extend(
            s.bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|b| b.to_ascii_lowercase() as char),
        );
        return out;
    }
    out.extend(
        prenormalize(s)
            .chars()
            .filter(|&c| !letters::is_combining(c))
            .map(letters::fold_char)
            .filter(char::is_ascii_alphanumeric),
    );
    out
}

/// True when a cell holds a C0 control character other than white space (NUL, escape, …): stripped from
/// the normalized value, and the record flagged.
pub fn has_control(s: &str) -> bool {
    s.bytes()
        .any(|b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7f)
}

/// True when a cell would start a formula in a spreadsheet (`=`, `+`, `-`, `@`, tab or carriage
/// return first, as OWASP lists them); a lone dash, the books' "none", is no formula.
pub fn formula_like(s: &str) -> bool {
    matches!(
        s.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    ) && !s.bytes().all(|b| b == b'-' || b == b' ')
}

/// A text cell of a CSV output made safe to open in a spreadsheet: a formula-like value gets a
/// leading `'` (OWASP's advice), which spreadsheets show as text and [`unescape_cell`] removes.
pub fn escape_cell(s: &str) -> Cow<'_, str> {
    if formula_like(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// The value of a cell written by [`escape_cell`].
pub fn unescape_cell(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if formula_like(rest) => rest,
        _ => s,
    }
}

/// A value from the data made safe to print on a terminal: control characters (a file name or a
/// cell can carry terminal escape sequences) shown as `\u{1b}`, never sent raw.
pub fn printable(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_string();
    }
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prenormalize_table() {
        assert_eq!(prenormalize("Ðức"), "Đức");
        assert_eq!(prenormalize("ðức"), "đức");
        assert_eq!(prenormalize("d\u{335}ức"), "đức");
        assert_eq!(prenormalize("An\u{200B}h"), "Anh");
        assert_eq!(prenormalize(" Văn\u{A0}\u{A0}An "), "Văn An");
        assert_eq!(prenormalize("H’Hen"), "H'Hen");
        assert_eq!(
            prenormalize("Tr\u{AD}¬ng"),
            "Tr\u{AD}¬ng",
            "soft hyphen kept before decode"
        );
    }

    #[test]
    fn glued_tokens_split_only_between_syllables() {
        assert_eq!(split_glued("PhạmQuốc"), vec!["Phạm", "Quốc"]);
        assert_eq!(split_glued("HồVăn"), vec!["Hồ", "Văn"]);
        assert_eq!(split_glued("TrỊnh"), vec!["TrỊnh"]);
        assert_eq!(split_glued("HuỆ"), vec!["HuỆ"]);
        assert_eq!(split_glued("NGUYỄN"), vec!["NGUYỄN"]);
    }

    #[test]
    fn loose_keys_as_folding_the_prenormalized_text_gives_them() {
        let by_definition = |s: &str| -> String {
            letters::fold_str(&prenormalize(s))
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect()
        };
        let mut cases: Vec<String> = [
            "Số định danh cá nhân",
            "SO_DINH_DANH",
            "  Ngày\tsinh (dd/mm/yyyy) ",
            "ho`ten\u{1b}[31m",
            "\u{D0}ỗ Thị \u{200B}Hà",
            "İstanbul",
            "",
            "12/03/1985",
            "NguyÔn V¨n",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // every ASCII byte, alone and between letters
        cases.extend((0u8..128).map(|b| format!("A{}z", b as char)));
        for c in cases {
            assert_eq!(loose_key(&c), by_definition(&c), "{c:?}");
        }
    }

    #[test]
    fn loose_keys_ignore_case_diacritics_and_punctuation() {
        assert_eq!(loose_key("Số định danh cá nhân"), "sodinhdanhcanhan");
        assert_eq!(loose_key("Họ, chữ đệm và tên"), "hochudemvaten");
        assert_eq!(loose_key("Họ tên vợ/chồng"), "hotenvochong");
    }
}
