//! One work book per commune, for the province analyst to send each commune its own list:
//! `worklists/<district>/<commune>.xlsx` with that commune's rows only, its figures against the
//! province's, and nothing about other communes (personal data goes only where it is needed).
use super::figures::Figures;
use super::i18n::Lang;
use super::labels;
use super::worklists::WorkItem;
use crate::error::{Error, Result};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The folder of the per-commune work books inside a run folder.
pub const DIR: &str = "worklists";

/// The file name of items whose commune is not known.
pub const UNKNOWN: &str = "chua-xac-dinh-xa.xlsx";

/// A file-name part: ASCII, lowercase, words joined by `-`.
fn slug(s: &str) -> String {
    let folded = crate::normalize::letters::fold_str(s).to_lowercase();
    let words: Vec<String> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    words.join("-")
}

/// Where a commune's work book goes, relative to the run folder.
pub fn path_of(commune: &str) -> PathBuf {
    if commune.is_empty() {
        return Path::new(DIR).join(UNKNOWN);
    }
    let (dcode, dname) = labels::district(commune);
    let district = if dcode.is_empty() {
        "000".to_string()
    } else {
        format!("{dcode}-{}", slug(&dname))
    };
    Path::new(DIR).join(district).join(format!(
        "{commune}-{}.xlsx",
        slug(&labels::commune_name(commune))
    ))
}

/// Write every commune's work book under `dir/worklists/` (the folder is replaced: no book of an
/// earlier run stays beside the new ones).
pub fn write(dir: &Path, f: &Figures, items: &[WorkItem], lang: Lang) -> Result<()> {
    let root = dir.join(DIR);
    if root.exists() {
        std::fs::remove_dir_all(&root).map_err(|e| Error::io(&root, e))?;
    }
    crate::output::create_private_dir(&root)?;
    let mut by: BTreeMap<&str, Vec<WorkItem>> = BTreeMap::new();
    for it in items {
        by.entry(it.commune.as_str()).or_default().push(it.clone());
    }
    by.par_iter()
        .map(|(commune, list)| {
            super::xlsx::write_commune(&dir.join(path_of(commune)), commune, f, list, lang)
        })
        .collect::<Result<Vec<()>>>()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_ascii_and_keep_the_codes() {
        assert_eq!(slug("Xã Tân Linh"), "xa-tan-linh");
        assert_eq!(slug("Thị xã Sơn Tây"), "thi-xa-son-tay");
        assert_eq!(path_of(""), Path::new("worklists").join(UNKNOWN));
    }
}
