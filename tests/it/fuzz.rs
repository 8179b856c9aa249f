//! Fuzzing by property: every reader (CSV and UTF-16 text, XLSX, Parquet, the legacy decoders)
//! and every normalizer (name, date, ID, place) takes arbitrary bytes and strings without a panic.
//! `DOISOAT_FUZZ_CASES=300000 cargo test --release fuzz` is the long mode (about ten minutes on two
//! cores; 20,000 cases take 37 s).
use doisoat::encoding::{self, Encoding, NoLexicon};
use doisoat::ingest::{self, Expect};
use proptest::prelude::*;
use std::collections::HashMap;

fn cases(default: u32) -> ProptestConfig {
    let n = std::env::var("DOISOAT_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases: n,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Bytes that look like a book often enough to reach the parser's deeper paths: a template
/// header, then arbitrary bytes with quotes, separators and line breaks mixed in.
fn book_like() -> impl Strategy<Value = Vec<u8>> {
    let header = prop_oneof![
        Just(
            b"so,quyenSo,ngayDangKy,noiDangKy,nksHoTen,nksGioiTinh,nksNgaySinh,meHoTen\n".to_vec()
        ),
        Just(
            "Số định danh cá nhân,Họ và tên,Ngày sinh,Giới tính,Nơi sinh\n"
                .as_bytes()
                .to_vec()
        ),
        Just(b"\xff\xfe".to_vec()),
        Just(Vec::new()),
    ];
    let piece = prop_oneof![
        4 => any::<u8>().prop_map(|b| vec![b]),
        2 => Just(b",".to_vec()),
        1 => Just(b"\"".to_vec()),
        1 => Just(b"\n".to_vec()),
        1 => Just(b"\r\n".to_vec()),
        1 => Just(b";".to_vec()),
        1 => Just(b"\t".to_vec()),
        1 => Just("Nguyễn Văn".as_bytes().to_vec()),
        1 => Just(b"Nguy\xd4n V\xa8n".to_vec()),
        1 => Just(b"01/02/1990".to_vec()),
        1 => Just(b"=cmd|".to_vec()),
    ];
    (header, proptest::collection::vec(piece, 0..400)).prop_map(|(mut h, ps)| {
        for p in ps {
            h.extend(p);
        }
        h
    })
}

fn read_as(name: &str, bytes: &[u8]) {
    let dir = std::env::temp_dir().join(format!("doisoat-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let map = HashMap::new();
    for expect in [Expect::Civil, Expect::Population, Expect::Any] {
        let _ = ingest::read_file(&path, name, expect, &map);
    }
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn the_csv_reader_takes_any_bytes(bytes in book_like()) {
        let text = ingest::csv::decode_bytes(&bytes);
        let mut bad = Vec::new();
        let map = HashMap::new();
        for expect in [Expect::Civil, Expect::Population] {
            if let Ok(t) = ingest::csv::table("f.csv", &text, expect, &map, &mut bad) {
                // every row keeps its place in the file
                prop_assert!(t.source_rows.windows(2).all(|w| w[0] < w[1]));
            }
        }
    }

    #[test]
    fn the_file_readers_take_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        read_as("x.csv", &bytes);
        read_as("x.txt", &bytes);
        read_as("x.xlsx", &bytes);
        read_as("x.parquet", &bytes);
    }

    #[test]
    fn a_zip_with_arbitrary_parts_is_no_panic(bytes in proptest::collection::vec(any::<u8>(), 0..1024), cut in 0usize..4096) {
        // a real workbook cut anywhere, or with bytes written over it
        use std::sync::LazyLock;
        static BOOK: LazyLock<Vec<u8>> = LazyLock::new(|| {
            let mut wb = rust_xlsxwriter::Workbook::new();
            let ws = wb.add_worksheet();
            for (j, h) in ["so", "quyenSo", "nksHoTen", "nksNgaySinh"].iter().enumerate() {
                ws.write_string(0, j as u16, *h).unwrap();
                ws.write_string(1, j as u16, "Nguyễn Văn An").unwrap();
            }
            wb.save_to_buffer().unwrap()
        });
        let mut b = BOOK.clone();
        b.truncate(cut.min(b.len()));
        let at = cut % b.len().max(1);
        for (i, x) in bytes.iter().enumerate() {
            if let Some(y) = b.get_mut(at + i) {
                *y = *x;
            }
        }
        read_as("z.xlsx", &b);
    }

    #[test]
    fn the_legacy_decoders_take_any_text(s in "\\PC{0,60}", bytes in proptest::collection::vec(any::<u8>(), 0..80)) {
        let latin: String = bytes.iter().map(|&b| encoding::cp1252_char(b)).collect();
        for t in [&s, &latin] {
            for enc in [Encoding::Tcvn3, Encoding::Vni, Encoding::Viqr, Encoding::Cp1258, Encoding::Mojibake] {
                let _ = encoding::decode(t, enc);
                let _ = encoding::encode(t, enc);
            }
            let _ = encoding::decode_mojibake(t);
            let det = encoding::detect(&[t.as_str()], &NoLexicon);
            let _ = encoding::repair(t, &det, &NoLexicon);
        }
    }

    #[test]
    fn the_normalizers_take_any_text(s in "\\PC{0,80}|[\\x00-\\x1f=+@-]{0,10}.{0,20}") {
        let n = doisoat::normalize::name::normalize_name(&s);
        // nothing a terminal would run survives normalization
        prop_assert!(!n.canonical().chars().any(|c| c.is_ascii_control()));
        let _ = doisoat::normalize::date::parse_date(&s);
        let _ = doisoat::normalize::id::parse_id(&s);
        let places = doisoat::places::Places::new();
        let _ = places.resolve(&s, doisoat::places::Context::default());
    }
}
