//! The one error type of the library; each message says what to fix.
use std::path::PathBuf;

/// Everything that can stop an operation of the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a file doisoat can read ({reason})")]
    Unreadable { path: PathBuf, reason: String },
    #[error(
        "{path}: no header row found; expected columns such as {expected}; first row seen: {found}"
    )]
    NoHeader {
        path: PathBuf,
        expected: String,
        found: String,
    },
    #[error("{path}: missing column {missing}; columns found: {found}")]
    MissingColumn {
        path: PathBuf,
        missing: String,
        found: String,
    },
    #[error("no input files found under {0}")]
    NoInput(PathBuf),
    #[error("{path}: rules file has {} problem(s):\n  {}", problems.len(), problems.join("\n  "))]
    Rules {
        path: PathBuf,
        problems: Vec<String>,
    },
    #[error("{path}: {reason}")]
    Model { path: PathBuf, reason: String },
    #[error("{0}")]
    Invalid(String),
    #[error("writing {path}: {reason}")]
    Output { path: PathBuf, reason: String },
}

/// The library's result type.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// An I/O error about a path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
