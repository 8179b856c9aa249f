//! Writing outputs atomically: each file through a temporary beside it, a whole run through a new
//! folder beside `--out` put in place at the end, so a crash never leaves a half-written output or
//! a folder mixing two runs; outputs are private (0600 files in a 0700 folder) and an input is
//! never touched.
use crate::error::{Error, Result};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// The file that marks a folder as a doisoat run (so that only a run's folder is ever replaced).
pub const RUN_MARK: &str = "summary.json";

/// Create a file for writing, readable by its owner only.
fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o.open(path)
}

/// Make a folder (and its parents), the folder itself private to its owner.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let mut b = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    match b.create(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => Err(Error::io(dir, e)),
        _ => Ok(()),
    }
}

/// Make a file private to its owner (for files written by a library that creates its own).
pub fn make_private(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| Error::io(path, e))?;
    }
    let _ = path;
    Ok(())
}

/// A run being written: a new folder beside `--out` (`.NAME.doisoat-PID.tmp`), put in place of
/// `--out` by [`RunDir::commit`]; dropped without commit, it is removed.
pub struct RunDir {
    out: PathBuf,
    tmp: PathBuf,
    committed: bool,
}

impl RunDir {
    /// Start a run into `out`: refuse an `out` that is, holds or lies inside an input, or that
    /// holds files other than a doisoat run; remove the temporary folders of dead runs.
    pub fn begin(out: &Path, inputs: &[&Path]) -> Result<RunDir> {
        let out_abs = resolve(out);
        for i in inputs {
            let i_abs = resolve(i);
            if out_abs == i_abs {
                return Err(Error::Invalid(format!(
                    "--out {} is an input; doisoat never writes over its inputs: give a new folder",
                    out.display()
                )));
            }
            if std::fs::metadata(i).is_ok_and(|m| m.is_dir()) && out_abs.starts_with(&i_abs) {
                return Err(Error::Invalid(format!(
                    "--out {} is inside the input folder {}: the next run would read its outputs as books; give a folder outside it",
                    out.display(),
                    i.display()
                )));
            }
            if i_abs.starts_with(&out_abs) {
                return Err(Error::Invalid(format!(
                    "--out {} holds the input {}: a run replaces its output folder as a whole; give a folder of its own",
                    out.display(),
                    i.display()
                )));
            }
        }
        if let Ok(entries) = std::fs::read_dir(out) {
            let names: Vec<String> = entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            if !names.is_empty() && !names.iter().any(|n| n == RUN_MARK) {
                return Err(Error::Invalid(format!(
                    "--out {} holds files that are not a doisoat run ({}): a run replaces its output folder as a whole; give an empty or new folder",
                    out.display(),
                    crate::normalize::text::printable(
                        &names.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
                    )
                )));
            }
        } else if out.exists() {
            return Err(Error::Invalid(format!(
                "--out {} is a file, not a folder",
                out.display()
            )));
        }
        let (parent, name) = split(&out_abs);
        std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        remove_stale(&parent, &name);
        let tmp = parent.join(format!(".{name}.doisoat-{}.tmp", std::process::id()));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
        }
        create_private_dir(&tmp)?;
        Ok(RunDir {
            out: out_abs,
            tmp,
            committed: false,
        })
    }

    /// Where the run's files are written until it is committed.
    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// Put the finished run in place of `out` (the previous run, if any, removed).
    pub fn commit(mut self) -> Result<()> {
        let (parent, name) = split(&self.out);
        let old = parent.join(format!(".{name}.doisoat-{}.old", std::process::id()));
        if self.out.exists() {
            std::fs::rename(&self.out, &old).map_err(|e| Error::io(&self.out, e))?;
        }
        std::fs::rename(&self.tmp, &self.out).map_err(|e| Error::io(&self.out, e))?;
        self.committed = true;
        let _ = std::fs::remove_dir_all(&old);
        Ok(())
    }
}

impl Drop for RunDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

/// An absolute, resolved path, for a path that may not exist yet (its nearest existing ancestor
/// resolved, the rest appended).
fn resolve(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut head = abs.clone();
    let mut tail = Vec::new();
    loop {
        if let Ok(c) = std::fs::canonicalize(&head) {
            let mut r = c;
            for t in tail.iter().rev() {
                r.push(t);
            }
            return r;
        }
        match (head.file_name().map(|n| n.to_os_string()), head.parent()) {
            (Some(n), Some(parent)) => {
                tail.push(n);
                head = parent.to_path_buf();
            }
            _ => return abs,
        }
    }
}

fn split(p: &Path) -> (PathBuf, String) {
    let parent = p
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let name = p
        .file_name()
        .map_or_else(|| "out".to_string(), |n| n.to_string_lossy().into_owned());
    (parent, name)
}

/// Remove the temporary folders of runs into `name` whose process is gone (killed mid-run).
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefix = format!(".{name}.doisoat-");
    for e in entries.filter_map(|e| e.ok()) {
        let n = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = n.strip_prefix(&prefix) else {
            continue;
        };
        let pid = rest.split('.').next().unwrap_or("");
        let alive = pid.parse::<u32>().is_ok_and(|pid| {
            pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists()
        });
        if !alive && (n.ends_with(".tmp") || n.ends_with(".old")) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Write a file atomically with a writer callback.
pub fn write_atomic(
    path: &Path,
    f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let file = create_private(&tmp)?;
        let mut w = BufWriter::new(file);
        f(&mut w)?;
        w.flush()?;
        w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::Output {
            path: path.to_path_buf(),
            reason: e.to_string(),
        });
    }
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}

/// Write bytes atomically.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic(path, |w| w.write_all(bytes))
}

/// Refuse to write an output over one of the inputs.
pub fn check_not_input(out: &Path, inputs: &[&Path]) -> Result<()> {
    let canon = |p: &Path| std::fs::canonicalize(p).ok();
    if let Some(o) = canon(out) {
        for i in inputs {
            if canon(i).as_deref() == Some(o.as_path()) {
                return Err(Error::Invalid(format!(
                    "{} is an input; doisoat never writes over its inputs",
                    out.display()
                )));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let dir = std::env::temp_dir().join(format!("doisoat-out-{}", std::process::id()));
        let p = dir.join("a.txt");
        write_bytes(&p, b"one").unwrap();
        write_bytes(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let leftovers = std::fs::read_dir(&dir)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".tmp")
            })
            .count();
        assert_eq!(leftovers, 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
