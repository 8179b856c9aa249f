//! Shelving: records grouped into books (commune, type, run of years), numbered as registers are,
//! with the book-level errors (numbering continued, a number written twice, a missing number).
use super::books::{Rec, series_encoding};
use super::config::NoiseConfig;
use crate::ingest::RecordType;
use rand::RngExt;
use rand_pcg::Pcg64;
use std::collections::{BTreeMap, HashMap};

fn hit(rng: &mut Pcg64, p: f64) -> bool {
    p > 0.0 && rng.random::<f64>() < p
}

/// A book: the records of one commune, type and run of years, in registration order.
pub struct Book {
    /// path relative to `civil/`
    pub path: String,
    /// book number as written (quyenSo)
    pub quyen: String,
    /// records (indexes into the record list)
    pub records: Vec<usize>,
    /// a title row above the header
    pub title: bool,
    /// xlsx instead of csv
    pub xlsx: bool,
    /// whole-file legacy encoding
    pub legacy: Option<crate::encoding::Encoding>,
}

/// Group records into books, number them, and apply the book-level noise.
pub fn books(recs: &mut [Rec], cfg: &NoiseConfig, rng: &mut Pcg64) -> Vec<Book> {
    let g = &*crate::places::GAZETTEER;
    let mut series: BTreeMap<(u32, RecordType), Vec<usize>> = BTreeMap::new();
    for (i, r) in recs.iter().enumerate() {
        series.entry((r.commune, r.rt)).or_default().push(i);
    }
    let mut out = Vec::new();
    let mut book_group = 0u32;
    for ((commune, rt), mut idx) in series {
        idx.sort_by(|&a, &b| recs[a].reg_date.cmp(&recs[b].reg_date).then(a.cmp(&b)));
        let c = &g.communes[&commune];
        let d = &g.districts[&c.district];
        let slug = |s: &str| {
            crate::normalize::letters::fold_str(s)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join("_")
        };
        // register numbers restart each year (unless the book continues them: an error)
        let mut last_by_year: HashMap<u16, u32> = HashMap::new();
        let mut continued_years: HashMap<u16, bool> = HashMap::new();
        for chunk in idx.chunks(cfg.shape.records_per_file.max(1)) {
            let y1 = recs[chunk[0]].reg_date.year;
            let y2 = recs[*chunk.last().unwrap_or(&chunk[0])].reg_date.year;
            let qn = out
                .iter()
                .filter(|b: &&Book| b.path.contains(&format!("/{commune:05}_")))
                .count()
                + 1;
            let quyen = format!("{:02}/{}", qn.min(99), y1);
            for &ri in chunk {
                let y = recs[ri].reg_date.year;
                let cont = *continued_years
                    .entry(y)
                    .or_insert_with(|| rng.random::<f64>() < cfg.record.numbering_continued);
                let prev = last_by_year.get(&y).copied();
                let n = match prev {
                    Some(n) => n + 1,
                    None if cont => {
                        last_by_year
                            .get(&(y.saturating_sub(1)))
                            .copied()
                            .unwrap_or(0)
                            + 1
                    }
                    None => 1,
                };
                last_by_year.insert(y, n);
                let mut so = format!("{n}/{y}");
                if cont {
                    for s in recs[ri].subjects.iter_mut() {
                        s.noise.push("numbering_continued");
                    }
                }
                if hit(rng, cfg.record.duplicate_book_number) && n > 1 {
                    // the previous record's number written again
                    so = format!("{}/{y}", n - 1);
                    book_group += 1;
                    let prev_rec = chunk.iter().take_while(|&&x| x != ri).last().copied();
                    if let Some(pr) = prev_rec {
                        recs[pr].book_group.get_or_insert(book_group);
                        recs[ri].book_group = recs[pr].book_group;
                        for s in recs[ri].subjects.iter_mut() {
                            s.noise.push("duplicate_book_number");
                        }
                    }
                }
                if hit(rng, cfg.record.missing_book_number) {
                    for s in recs[ri].subjects.iter_mut() {
                        s.noise.push("missing_book_number");
                    }
                } else {
                    recs[ri].cells.insert("so", so);
                    recs[ri].cells.insert("quyenSo", quyen.clone());
                }
                recs[ri]
                    .cells
                    .insert("trangSo", format!("{}", n.div_ceil(2)));
            }
            let legacy = series_encoding(commune, rt, cfg);
            let xlsx = legacy.is_none() && rng.random::<f64>() < cfg.shape.xlsx_files;
            let path = format!(
                "{}/{commune:05}_{}/{}/{}_{y1}-{y2}_q{qn:02}.{}",
                slug(&d.name),
                slug(&c.name),
                rt.code(),
                rt.code(),
                if xlsx { "xlsx" } else { "csv" }
            );
            out.push(Book {
                path,
                quyen,
                records: chunk.to_vec(),
                title: rng.random::<f64>() < cfg.shape.title_rows,
                xlsx,
                legacy,
            });
        }
    }
    // a shared register number that a missing book number hides is no duplicate in the truth
    let mut numbered: BTreeMap<u32, usize> = BTreeMap::new();
    for r in recs.iter() {
        if let Some(g) = r.book_group
            && r.cells.contains_key("so")
        {
            *numbered.entry(g).or_default() += 1;
        }
    }
    for r in recs.iter_mut() {
        if r.book_group
            .is_some_and(|g| numbered.get(&g).copied().unwrap_or(0) < 2)
        {
            r.book_group = None;
        }
    }
    out
}

/// The title written above a book's header.
pub fn title(rt: RecordType, commune: u32, quyen: &str) -> String {
    let g = &*crate::places::GAZETTEER;
    let c = &g.communes[&commune];
    let book = match rt {
        RecordType::KS => "SỔ ĐĂNG KÝ KHAI SINH",
        RecordType::KH => "SỔ ĐĂNG KÝ KẾT HÔN",
        RecordType::KT => "SỔ ĐĂNG KÝ KHAI TỬ",
        RecordType::CMC => "SỔ ĐĂNG KÝ NHẬN CHA, MẸ, CON",
        RecordType::HN => "SỔ CẤP GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN",
    };
    format!(
        "{book} - {} {} - QUYỂN {quyen}",
        c.kind.to_uppercase(),
        c.name.to_uppercase()
    )
}
