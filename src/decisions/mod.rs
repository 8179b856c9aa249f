//! The decisions store: what people decided about a civil record and a registry person, kept in
//! one SQLite file across runs. Append-only: every decision is a row, the latest for a (record,
//! person) wins, and the history stays for audit.
use crate::error::{Error, Result};
use crate::vocab::Lang;
use rusqlite::{Connection, params};
use std::path::Path;

/// What a person decided about a (record, person) pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// the record is about that person, whatever the scores
    SamePerson,
    /// the record is never linked to that person
    NotSamePerson,
    /// the conflict is known and accepted
    AcceptConflict,
    /// corrected in the digitized book
    FixedInBook,
    /// corrected in the registry
    FixedInRegistry,
    /// of a duplicate registration, this record is the one to cancel
    CancelRecord,
}

impl Kind {
    /// Every decision, as the CSV files spell them.
    pub const ALL: [Kind; 6] = [
        Kind::SamePerson,
        Kind::NotSamePerson,
        Kind::AcceptConflict,
        Kind::FixedInBook,
        Kind::FixedInRegistry,
        Kind::CancelRecord,
    ];

    /// The code in files.
    pub fn code(self) -> &'static str {
        match self {
            Kind::SamePerson => "same_person",
            Kind::NotSamePerson => "not_same_person",
            Kind::AcceptConflict => "accept_conflict",
            Kind::FixedInBook => "fixed_in_book",
            Kind::FixedInRegistry => "fixed_in_registry",
            Kind::CancelRecord => "cancel_record",
        }
    }

    /// The decision of a code.
    pub fn from_code(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == s.trim())
    }

    /// The label people read (the work book's drop-down, the review page's buttons).
    pub fn label(self, lang: Lang) -> &'static str {
        let (vi, en) = match self {
            Kind::SamePerson => ("Cùng một người", "Same person"),
            Kind::NotSamePerson => ("Không phải cùng người", "Not the same person"),
            Kind::AcceptConflict => ("Chấp nhận khác biệt", "Accept the difference"),
            Kind::FixedInBook => ("Đã sửa trong sổ", "Fixed in the book"),
            Kind::FixedInRegistry => ("Đã sửa trong CSDL dân cư", "Fixed in the registry"),
            Kind::CancelRecord => ("Hủy bản ghi đăng ký trùng", "Cancel this duplicate"),
        };
        lang.pick(vi, en)
    }

    /// The decision of a cell as people fill it: its code, or its label in either language
    /// (case and surrounding spaces ignored).
    pub fn from_text(s: &str) -> Option<Kind> {
        use unicode_normalization::UnicodeNormalization;
        let s: String = s.trim().nfc().collect::<String>().to_lowercase();
        Kind::ALL.into_iter().find(|k| {
            k.code() == s
                || [Lang::Vi, Lang::En]
                    .iter()
                    .any(|&l| k.label(l).to_lowercase() == s)
        })
    }

    /// The key that takes it on the review page.
    pub fn key(self) -> char {
        match self {
            Kind::SamePerson => 's',
            Kind::NotSamePerson => 'n',
            Kind::AcceptConflict => 'a',
            Kind::FixedInBook => 'b',
            Kind::FixedInRegistry => 'r',
            Kind::CancelRecord => 'c',
        }
    }

    /// Whether the decision is about a (record, person) pair; `cancel_record` is about the
    /// record alone.
    pub fn needs_person(self) -> bool {
        self != Kind::CancelRecord
    }
}

/// One decision.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    /// the civil record (`record_key` of links.csv)
    pub record_key: String,
    /// the registry person (personal ID)
    pub person_id: String,
    /// what was decided
    pub kind: Kind,
    /// who decided
    pub by: String,
    /// why, in their words
    pub note: String,
    /// when (UTC, `YYYY-MM-DD HH:MM:SS`)
    pub at: String,
    /// the run it was made on (its id), if known
    pub run: String,
}

/// The header of a decisions CSV (import and export; export adds `at` and `run`).
pub const CSV_HEADER: [&str; 5] = ["record_key", "person_id", "decision", "by", "note"];

/// The store, one SQLite file.
pub struct Store {
    conn: Connection,
}

fn db_error(path: &Path) -> impl Fn(rusqlite::Error) -> Error + '_ {
    move |e| Error::Output {
        path: path.to_path_buf(),
        reason: format!("decisions store: {e}"),
    }
}

impl Store {
    /// Open (or create) the store at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        let err = db_error(path);
        let conn = Connection::open(path).map_err(&err)?;
        // another writer (a review page, an import) holds the lock for a moment: wait for it
        conn.busy_timeout(std::time::Duration::from_secs(30))
            .map_err(&err)?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS decisions (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                record_key TEXT NOT NULL,
                person_id TEXT NOT NULL,
                decision TEXT NOT NULL,
                by TEXT NOT NULL,
                note TEXT NOT NULL,
                at TEXT NOT NULL,
                run TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS decisions_pair ON decisions (record_key, person_id);",
        )
        .map_err(&err)?;
        crate::output::make_private(path)?;
        Ok(Store { conn })
    }

    /// Append decisions (one transaction).
    pub fn add(&mut self, ds: &[Decision]) -> Result<()> {
        let tx = self.conn.transaction().map_err(invalid)?;
        {
            let mut st = tx
                .prepare(
                    "INSERT INTO decisions (record_key, person_id, decision, by, note, at, run)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(invalid)?;
            for d in ds {
                st.execute(params![
                    d.record_key,
                    d.person_id,
                    d.kind.code(),
                    d.by,
                    d.note,
                    d.at,
                    d.run
                ])
                .map_err(invalid)?;
            }
        }
        tx.commit().map_err(invalid)
    }

    /// The decisions of a query's `WHERE … ORDER BY …` tail, as they are stored.
    fn select(&self, tail: &str, p: impl rusqlite::Params) -> Result<Vec<Decision>> {
        let sql = format!(
            "SELECT record_key, person_id, decision, by, note, at, run FROM decisions {tail}"
        );
        let mut st = self.conn.prepare_cached(&sql).map_err(invalid)?;
        let rows = st
            .query_map(p, |r| {
                let text = |i: usize| r.get::<_, String>(i);
                Ok((
                    [text(0)?, text(1)?, text(3)?, text(4)?, text(5)?, text(6)?],
                    text(2)?,
                ))
            })
            .map_err(invalid)?;
        let mut out = Vec::new();
        for row in rows {
            let ([record_key, person_id, by, note, at, run], kind) = row.map_err(invalid)?;
            if let Some(kind) = Kind::from_code(&kind) {
                out.push(Decision {
                    record_key,
                    person_id,
                    kind,
                    by,
                    note,
                    at,
                    run,
                });
            }
        }
        Ok(out)
    }

    /// Every decision, oldest first (the history).
    pub fn all(&self) -> Result<Vec<Decision>> {
        self.select("ORDER BY id", [])
    }

    /// The decisions in force about one record (the latest for each person).
    pub fn latest_for(&self, record_key: &str) -> Result<Vec<Decision>> {
        let ds = self.select("WHERE record_key = ?1 ORDER BY id", [record_key])?;
        Ok(in_force(ds))
    }

    /// The decision in force for each (record, person): the latest, in the order they were made
    /// (so that a later decision about a record can supersede an earlier `cancel_record`, which is
    /// about the record alone).
    pub fn latest(&self) -> Result<Vec<Decision>> {
        Ok(in_force(self.all()?))
    }
}

fn invalid(e: rusqlite::Error) -> Error {
    Error::Invalid(format!("decisions store: {e}"))
}

/// Of a history (oldest first), the latest decision for each (record, person), in the order they
/// were made.
fn in_force(history: Vec<Decision>) -> Vec<Decision> {
    let mut by: std::collections::HashMap<(String, String), usize> = Default::default();
    for (i, d) in history.iter().enumerate() {
        by.insert((d.record_key.clone(), d.person_id.clone()), i);
    }
    let mut keep = vec![false; history.len()];
    for i in by.into_values() {
        keep[i] = true;
    }
    history
        .into_iter()
        .zip(keep)
        .filter_map(|(d, k)| k.then_some(d))
        .collect()
}

pub mod workbook;

/// What a decisions CSV or work book gave.
pub struct Imported {
    /// the decisions taken
    pub took: Vec<Decision>,
    /// each row that could not be taken: where it is (`row 12`, `sheet:12`) and why
    pub refused: Vec<(String, String)>,
}

/// Read decisions from a CSV with the columns of [`CSV_HEADER`].
pub fn read_csv(path: &Path, now: &str) -> Result<Imported> {
    let bad = |e: csv::Error| Error::Unreadable {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(bad)?;
    let header = rdr.headers().map_err(bad)?.clone();
    let pos: Vec<Option<usize>> = CSV_HEADER
        .iter()
        .map(|c| header.iter().position(|h| h.trim() == *c))
        .collect();
    if pos[0].is_none() || pos[1].is_none() || pos[2].is_none() {
        return Err(Error::MissingColumn {
            path: path.to_path_buf(),
            missing: "record_key, person_id and decision".to_string(),
            found: header.iter().collect::<Vec<_>>().join(", "),
        });
    }
    let (mut took, mut refused) = (Vec::new(), Vec::new());
    for (i, rec) in rdr.records().enumerate() {
        let row = i as u64 + 2;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                refused.push((format!("row {row}"), e.to_string()));
                continue;
            }
        };
        let get = |k: usize| {
            pos[k]
                .and_then(|p| rec.get(p))
                .map(|v| crate::normalize::text::unescape_cell(v.trim()).to_string())
                .unwrap_or_default()
        };
        match checked(get(0), get(1), &get(2)) {
            Ok((record_key, person_id, kind)) => took.push(Decision {
                record_key,
                person_id,
                kind,
                by: get(3),
                note: get(4),
                at: now.to_string(),
                run: String::new(),
            }),
            Err(why) => refused.push((format!("row {row}"), why)),
        }
    }
    Ok(Imported { took, refused })
}

/// A decision's key, person and kind as filled in, or why it cannot be taken.
fn checked(
    key: String,
    person: String,
    kind: &str,
) -> std::result::Result<(String, String, Kind), String> {
    let Some(k) = Kind::from_text(kind) else {
        return Err(format!(
            "unknown decision {kind:?}; one of {}",
            Kind::ALL.map(Kind::code).join(", ")
        ));
    };
    if key.is_empty() {
        return Err(
            "no record_key (a registry-only item: there is no civil record to decide about)"
                .to_string(),
        );
    }
    if person.is_empty() && k.needs_person() {
        return Err(format!("{} needs the person_id it is about", k.code()));
    }
    // cancel_record is about the record alone, whoever it was linked to
    let person = if k.needs_person() {
        person
    } else {
        String::new()
    };
    Ok((key, person, k))
}

/// Write every decision with its history to a CSV.
pub fn write_csv(path: &Path, ds: &[Decision]) -> Result<()> {
    crate::output::write_atomic(path, |w| {
        let mut csv = csv::Writer::from_writer(w);
        let mut h: Vec<&str> = CSV_HEADER.to_vec();
        h.extend(["at", "run"]);
        csv.write_record(&h)?;
        for d in ds {
            csv.write_record(
                [
                    d.record_key.as_str(),
                    d.person_id.as_str(),
                    d.kind.code(),
                    d.by.as_str(),
                    d.note.as_str(),
                    d.at.as_str(),
                    d.run.as_str(),
                ]
                .map(crate::normalize::text::escape_cell)
                .iter()
                .map(|c| c.as_bytes()),
            )?;
        }
        csv.flush()
    })
}

/// The current time, UTC, as the store writes it.
pub fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    crate::summary::utc(secs as i64)
}
