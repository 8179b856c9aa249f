//! CSV and Excel's "Unicode text": byte encoding, delimiter, and spreadsheet row numbers.
use super::build::RawRow;
use super::table::BadRow;
use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};
use std::borrow::Cow;

/// Decode a text file's bytes: UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode
/// text"), else single-byte Windows text kept byte-for-character so that TCVN3, VNI and
/// Windows-1258 can be decoded per column afterwards.
pub fn decode_bytes(bytes: &[u8]) -> Cow<'_, str> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Cow::Owned(UTF_16LE.decode_with_bom_removal(bytes).0.into_owned());
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Cow::Owned(UTF_16BE.decode_with_bom_removal(bytes).0.into_owned());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(
            WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
                .into_owned(),
        ),
    }
}

/// The delimiter used by most of the first lines: tab, semicolon, comma or pipe.
pub fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(40)
        .collect();
    let mut best = (b',', 0usize);
    for d in [b'\t', b';', b',', b'|'] {
        // the delimiter that gives the most lines with the modal (>1) field count wins
        let counts: Vec<usize> = lines.iter().map(|l| l.matches(d as char).count()).collect();
        let max = counts.iter().copied().max().unwrap_or(0);
        let score = counts.iter().filter(|&&c| c == max && c > 0).count() * max.min(200);
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

/// Read rows from decoded CSV text, numbering them as a spreadsheet would (blank lines count,
/// a quoted field spanning lines is one row). Rows are produced one at a time.
pub fn rows<'a>(
    source_file: &'a str,
    text: &'a str,
) -> impl Iterator<Item = Result<RawRow, BadRow>> + 'a {
    let delim = sniff_delimiter(text);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delim)
        .from_reader(text.as_bytes());
    let mut rec = csv::StringRecord::new();
    let mut sheet_row: u32 = 0;
    std::iter::from_fn(move || match rdr.read_record(&mut rec) {
        Ok(false) => None,
        Ok(true) => {
            // the reader skips blank lines and starts the next record's span at them; a
            // spreadsheet shows them as rows
            let start = rec.position().map_or(0, |p| p.byte() as usize);
            let blanks = blank_lines_at(text.as_bytes(), start);
            sheet_row += 1 + blanks;
            Some(Ok((
                sheet_row,
                rec.iter()
                    .map(|s| s.trim_end_matches('\r').to_string())
                    .collect(),
            )))
        }
        Err(e) => {
            sheet_row += 1;
            Some(Err(BadRow {
                source_file: source_file.to_string(),
                source_row: sheet_row,
                problem: format!("unreadable CSV row: {e}"),
            }))
        }
    })
}

/// The blank lines at `start`, where a record's span begins. With Windows line ends the span
/// begins on the `\n` of the previous record's `\r\n`, which is no blank line; `\r\n`, `\n` and a
/// lone `\r` each end one line.
fn blank_lines_at(bytes: &[u8], start: usize) -> u32 {
    let mut i = start.min(bytes.len());
    if i > 0 && bytes[i - 1] == b'\r' && bytes.get(i) == Some(&b'\n') {
        i += 1;
    }
    let mut n = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => i += 2,
            b'\r' | b'\n' => i += 1,
            _ => break,
        }
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_of_the_file() {
        assert_eq!(decode_bytes("\u{FEFF}a,b".as_bytes()), "a,b");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Họ\ttên".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode_bytes(&utf16), "Họ\ttên");
        assert_eq!(
            decode_bytes(&[b'N', b'g', b'u', b'y', 0xD4, b'n']),
            "NguyÔn"
        );
    }

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter("a;b;c\n1;2;3\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\tc\n1\t2,5\t3\n"), b'\t');
        assert_eq!(sniff_delimiter("a,b\n1,2\n"), b',');
    }

    #[test]
    fn spreadsheet_row_numbers() {
        let text = "title\n\nso,nksHoTen\n1,\"An\nB\"\n2,Bình\n\n3,Chi\n";
        let r: Vec<u32> = rows("f.csv", text).map(|r| r.unwrap().0).collect();
        assert_eq!(r, vec![1, 3, 4, 5, 7]);
    }

    #[test]
    fn spreadsheet_row_numbers_with_windows_line_ends() {
        // Excel on Windows writes CRLF: a row is one row, a blank line is one blank row
        let text = "title\r\n\r\nso,nksHoTen\r\n1,\"An\r\nB\"\r\n2,Bình\r\n\r\n3,Chi\r\n";
        let r: Vec<u32> = rows("f.csv", text).map(|r| r.unwrap().0).collect();
        assert_eq!(r, vec![1, 3, 4, 5, 7]);
        let text = "title\r\rso,nksHoTen\r1,An\r";
        let r: Vec<u32> = rows("f.csv", text).map(|r| r.unwrap().0).collect();
        assert_eq!(r, vec![1, 3, 4]);
    }
}
