//! TCVN3 (ABC, TCVN 5712:1993 VN3): the 81 codes above ASCII, decode and encode.
//!
//! The table is written from the chart in `vietnamese-text.md` §2.3 (the standard's layout), not
//! copied from any converter; a test checks it against glibc `iconv -f TCVN5712-1` where present.
//! Toned capitals have no code of their own in TCVN3 (a caps font draws the lowercase code), so
//! they decode to lowercase and encode to the lowercase code.

/// (byte, letter) for every TCVN3 code above 0x7F except NBSP (A0), which passes through.
pub const TABLE: [(u8, char); 74] = [
    (0xA1, 'Ă'),
    (0xA2, 'Â'),
    (0xA3, 'Ê'),
    (0xA4, 'Ô'),
    (0xA5, 'Ơ'),
    (0xA6, 'Ư'),
    (0xA7, 'Đ'),
    (0xA8, 'ă'),
    (0xA9, 'â'),
    (0xAA, 'ê'),
    (0xAB, 'ô'),
    (0xAC, 'ơ'),
    (0xAD, 'ư'),
    (0xAE, 'đ'),
    (0xB5, 'à'),
    (0xB6, 'ả'),
    (0xB7, 'ã'),
    (0xB8, 'á'),
    (0xB9, 'ạ'),
    (0xBB, 'ằ'),
    (0xBC, 'ẳ'),
    (0xBD, 'ẵ'),
    (0xBE, 'ắ'),
    (0xC6, 'ặ'),
    (0xC7, 'ầ'),
    (0xC8, 'ẩ'),
    (0xC9, 'ẫ'),
    (0xCA, 'ấ'),
    (0xCB, 'ậ'),
    (0xCC, 'è'),
    (0xCE, 'ẻ'),
    (0xCF, 'ẽ'),
    (0xD0, 'é'),
    (0xD1, 'ẹ'),
    (0xD2, 'ề'),
    (0xD3, 'ể'),
    (0xD4, 'ễ'),
    (0xD5, 'ế'),
    (0xD6, 'ệ'),
    (0xD7, 'ì'),
    (0xD8, 'ỉ'),
    (0xDC, 'ĩ'),
    (0xDD, 'í'),
    (0xDE, 'ị'),
    (0xDF, 'ò'),
    (0xE1, 'ỏ'),
    (0xE2, 'õ'),
    (0xE3, 'ó'),
    (0xE4, 'ọ'),
    (0xE5, 'ồ'),
    (0xE6, 'ổ'),
    (0xE7, 'ỗ'),
    (0xE8, 'ố'),
    (0xE9, 'ộ'),
    (0xEA, 'ờ'),
    (0xEB, 'ở'),
    (0xEC, 'ỡ'),
    (0xED, 'ớ'),
    (0xEE, 'ợ'),
    (0xEF, 'ù'),
    (0xF1, 'ủ'),
    (0xF2, 'ũ'),
    (0xF3, 'ú'),
    (0xF4, 'ụ'),
    (0xF5, 'ừ'),
    (0xF6, 'ử'),
    (0xF7, 'ữ'),
    (0xF8, 'ứ'),
    (0xF9, 'ự'),
    (0xFA, 'ỳ'),
    (0xFB, 'ỷ'),
    (0xFC, 'ỹ'),
    (0xFD, 'ý'),
    (0xFE, 'ỵ'),
];

fn decode_byte(b: u8) -> Option<char> {
    TABLE.iter().find(|(k, _)| *k == b).map(|&(_, c)| c)
}

/// Decode text whose characters stand for TCVN3 bytes (as Excel shows it in a cp1252 context).
/// Characters that are not a TCVN3 code pass through unchanged.
pub fn decode(s: &str) -> String {
    s.chars()
        .map(|c| match super::char_to_byte(c) {
            Some(b) if b >= 0x80 => decode_byte(b).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Encode Unicode (NFC) text to TCVN3, returned as the characters a cp1252 reader would show.
/// Letters TCVN3 cannot write pass through.
pub fn encode(s: &str) -> String {
    s.chars()
        .map(|c| encode_char(c).map_or(c, |b| b as char))
        .collect()
}

/// The TCVN3 byte of a letter (toned capitals share the lowercase code).
pub fn encode_char(c: char) -> Option<u8> {
    if let Some(&(b, _)) = TABLE.iter().find(|(_, k)| *k == c) {
        return Some(b);
    }
    let lower = c.to_lowercase().next()?;
    if lower == c {
        return None;
    }
    // Ă Â Ê Ô Ơ Ư Đ have capital codes (found above); the toned capitals use the lowercase code
    TABLE.iter().find(|(_, k)| *k == lower).map(|&(b, _)| b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints() {
        for (legacy, unicode) in [
            ("NguyÔn", "Nguyễn"),
            ("TrÇn", "Trần"),
            ("Lª", "Lê"),
            ("Ph¹m", "Phạm"),
            ("Hoµng", "Hoàng"),
            ("Huúnh", "Huỳnh"),
            ("Vò", "Vũ"),
            ("Vâ", "Võ"),
            ("§Æng", "Đặng"),
            ("Bïi", "Bùi"),
            ("§ç", "Đỗ"),
            ("Hå", "Hồ"),
            ("Ng«", "Ngô"),
            ("D\u{AD}¬ng", "Dương"),
            ("V¨n", "Văn"),
            ("ThÞ", "Thị"),
            ("§øc", "Đức"),
            ("H\u{AD}¬ng", "Hương"),
            ("Thñy", "Thủy"),
            ("Quý", "Quý"),
        ] {
            assert_eq!(decode(legacy), unicode, "{legacy}");
        }
        assert_eq!(encode("Nguyễn Văn Đức"), "NguyÔn V¨n §øc");
    }

    /// glibc's TCVN5712-1 is the standard's VN1 superset; on the 74 codes of TCVN3 (ABC) that
    /// doisoat decodes it must agree (lowercase; VN1 also has toned capitals elsewhere).
    #[test]
    fn agrees_with_glibc_iconv_where_present() {
        let Ok(probe) = std::process::Command::new("iconv")
            .arg("--version")
            .output()
        else {
            println!("skipped: no iconv on this machine");
            return;
        };
        if !probe.status.success() {
            println!("skipped: iconv does not run");
            return;
        }
        let bytes: Vec<u8> = TABLE.iter().map(|(b, _)| *b).collect();
        let mut child = std::process::Command::new("iconv")
            .args(["-f", "TCVN5712-1", "-t", "UTF-8"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("iconv starts");
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(&bytes)
            .expect("write");
        let out = child.wait_with_output().expect("iconv output");
        if !out.status.success() {
            println!("skipped: this iconv has no TCVN5712-1");
            return;
        }
        let text = String::from_utf8(out.stdout).expect("utf-8");
        // iconv may emit a toned letter as base + combining mark: compare in NFC
        let got: Vec<char> = crate::normalize::text::nfc(&text).chars().collect();
        let want: Vec<char> = TABLE.iter().map(|(_, c)| *c).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn sixty_toned_letters_and_fourteen_base_letters() {
        assert_eq!(TABLE.len(), 74);
        let toned = TABLE
            .iter()
            .filter(|(_, c)| {
                crate::normalize::letters::split_tone(*c)
                    .is_some_and(|(_, t)| t != crate::normalize::letters::Tone::Ngang)
            })
            .count();
        assert_eq!(toned, 60);
    }
}
