//! The one error type of the crate.
//!
//! [`Error`] is opaque: callers branch on [`Error::kind`] and read the input position (file, line,
//! field, offending value) from [`Error::position`]. Messages are lowercase and name what was wrong
//! and where, so a person fixing a data file can act on them without reading our code.

use std::fmt;
use std::path::PathBuf;

/// A specialised `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The error type of every fallible operation in sepadan.
///
/// It is small (one pointer) so that `Result<T>` stays cheap on hot paths.
pub struct Error(Box<Inner>);

struct Inner {
    kind: ErrorKind,
    position: Position,
}

/// Where in the input an error was found. Every part is optional because not every input has
/// lines (a zip member) or fields (an I/O failure).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Position {
    /// The file (or zip member, or logical source such as `"<embedded sample>"`).
    pub file: Option<PathBuf>,
    /// 1-based line number, for line-oriented formats (JSON Lines, CSV records).
    pub line: Option<u64>,
    /// The field (column or JSON key) at fault.
    pub field: Option<String>,
    /// The offending value, truncated to 120 characters.
    pub value: Option<String>,
}

impl Position {
    fn is_empty(&self) -> bool {
        self.file.is_none() && self.line.is_none() && self.field.is_none() && self.value.is_none()
    }
}

/// What went wrong. Marked `#[non_exhaustive]`: new kinds may be added in minor releases.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Reading or writing a file failed.
    Io(std::io::Error),
    /// The input is not valid UTF-8.
    InvalidUtf8,
    /// The input is not well-formed in its format (broken CSV quoting, JSON syntax, a damaged zip
    /// or snapshot); the message says what the parser expected.
    Syntax(String),
    /// A required column, file or field is absent.
    Missing(String),
    /// A value is present but not acceptable (empty label, negative hours, unknown enum value…).
    InvalidValue(String),
    /// A reference (URI, label, code, id) names nothing known. `suggestions` holds the nearest
    /// known names, best first (possibly empty).
    UnknownReference {
        /// What was looked for.
        reference: String,
        /// Nearest known names, best first.
        suggestions: Vec<String>,
    },
    /// A label or name matches several concepts and the library will not guess between them.
    AmbiguousReference {
        /// What was looked for.
        reference: String,
        /// The concepts it could mean, as `"<uri> (<preferred label>)"`.
        candidates: Vec<String>,
    },
    /// The same id appears twice where ids must be unique.
    Duplicate(String),
    /// The search index reported a failure.
    Index(String),
    /// A request is bigger than a documented limit (query length or terms, result window,
    /// profile size, batch size): refused whole rather than cut, so a hostile or mistaken
    /// request cannot take a service down. The limits are listed in `docs/RELIABILITY.md`.
    LimitExceeded {
        /// What was too big (`"query bytes"`, `"result window"`, …).
        what: &'static str,
        /// The limit.
        limit: usize,
        /// What the request asked for.
        requested: usize,
    },
}

impl Error {
    /// Creates an error of the given kind with no position.
    pub(crate) fn new(kind: ErrorKind) -> Error {
        Error(Box::new(Inner { kind, position: Position::default() }))
    }

    pub(crate) fn syntax(msg: impl Into<String>) -> Error {
        Error::new(ErrorKind::Syntax(msg.into()))
    }

    pub(crate) fn missing(msg: impl Into<String>) -> Error {
        Error::new(ErrorKind::Missing(msg.into()))
    }

    pub(crate) fn invalid(msg: impl Into<String>) -> Error {
        Error::new(ErrorKind::InvalidValue(msg.into()))
    }

    pub(crate) fn duplicate(msg: impl Into<String>) -> Error {
        Error::new(ErrorKind::Duplicate(msg.into()))
    }

    /// A request over a documented limit (`Ok(())` when within it).
    pub(crate) fn check_limit(what: &'static str, requested: usize, limit: usize) -> Result<()> {
        if requested > limit {
            return Err(Error::new(ErrorKind::LimitExceeded { what, limit, requested }));
        }
        Ok(())
    }

    pub(crate) fn unknown(reference: impl Into<String>, suggestions: Vec<String>) -> Error {
        Error::new(ErrorKind::UnknownReference { reference: reference.into(), suggestions })
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// Consumes the error and returns its kind.
    pub fn into_kind(self) -> ErrorKind {
        self.0.kind
    }

    /// Where in the input the error was found.
    pub fn position(&self) -> &Position {
        &self.0.position
    }

    /// Sets the file if none is set yet (inner layers know more than outer ones).
    pub(crate) fn in_file(mut self, file: impl Into<PathBuf>) -> Error {
        if self.0.position.file.is_none() {
            self.0.position.file = Some(file.into());
        }
        self
    }

    /// Sets the line if none is set yet.
    pub(crate) fn at_line(mut self, line: u64) -> Error {
        if self.0.position.line.is_none() {
            self.0.position.line = Some(line);
        }
        self
    }

    /// Sets the field if none is set yet. Nested fields are joined outer-first, so a skill inside
    /// a requirement reads `requirements[2].skill`.
    pub(crate) fn in_field(mut self, field: impl Into<String>) -> Error {
        let field = field.into();
        self.0.position.field = Some(match self.0.position.field.take() {
            None => field,
            Some(inner) if inner.starts_with('[') => format!("{field}{inner}"),
            Some(inner) => format!("{field}.{inner}"),
        });
        self
    }

    /// Replaces the field name (for callers that know the input's own name for it).
    pub(crate) fn renamed_field(mut self, field: impl Into<String>) -> Error {
        self.0.position.field = Some(field.into());
        self
    }

    /// Sets the offending value if none is set yet.
    pub(crate) fn with_value(mut self, value: &str) -> Error {
        if self.0.position.value.is_none() {
            self.0.position.value = Some(truncate(value, 120));
        }
        self
    }
}

/// How loaders treat a bad record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LoadMode {
    /// Fail on the first bad record, with its file, line, field and value.
    #[default]
    Strict,
    /// Skip bad records, keep every good one, and report each skipped record.
    Lenient,
}

/// Collects per-record errors according to a [`LoadMode`].
#[derive(Debug)]
pub(crate) struct Collector {
    mode: LoadMode,
    pub(crate) errors: Vec<Error>,
}

impl Collector {
    pub(crate) fn new(mode: LoadMode) -> Collector {
        Collector { mode, errors: Vec::new() }
    }

    /// In strict mode returns the error; in lenient mode records it and returns `Ok(None)`.
    pub(crate) fn take<T>(&mut self, r: Result<T>) -> Result<Option<T>> {
        match r {
            Ok(v) => Ok(Some(v)),
            Err(e) if self.mode == LoadMode::Strict => Err(e),
            Err(e) => {
                self.errors.push(e);
                Ok(None)
            }
        }
    }
}

fn truncate(value: &str, max_chars: usize) -> String {
    match value.char_indices().nth(max_chars) {
        None => value.to_string(),
        Some((cut, _)) => format!("{}…", &value[..cut]),
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Io(e) => write!(f, "i/o error: {e}"),
            ErrorKind::InvalidUtf8 => write!(f, "invalid utf-8"),
            ErrorKind::Syntax(m) => write!(f, "syntax error: {m}"),
            ErrorKind::Missing(m) => write!(f, "missing {m}"),
            ErrorKind::InvalidValue(m) => write!(f, "invalid value: {m}"),
            ErrorKind::UnknownReference { reference, suggestions } => {
                write!(f, "unknown reference {reference:?}")?;
                if !suggestions.is_empty() {
                    write!(f, "; nearest: {}", suggestions.join(", "))?;
                }
                Ok(())
            }
            ErrorKind::AmbiguousReference { reference, candidates } => {
                write!(f, "ambiguous reference {reference:?} could mean: {}", candidates.join(", "))
            }
            ErrorKind::Duplicate(m) => write!(f, "duplicate {m}"),
            ErrorKind::Index(m) => write!(f, "index error: {m}"),
            ErrorKind::LimitExceeded { what, limit, requested } => {
                write!(f, "limit exceeded: {requested} {what}, at most {limit} allowed")
            }
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.0.position;
        if let Some(file) = &p.file {
            write!(f, "{}", file.display())?;
            if let Some(line) = p.line {
                write!(f, ":{line}")?;
            }
            write!(f, ": ")?;
        } else if let Some(line) = p.line {
            write!(f, "line {line}: ")?;
        }
        if let Some(field) = &p.field {
            write!(f, "field `{field}`: ")?;
        }
        write!(f, "{}", self.0.kind)?;
        let repeats_reference = match &self.0.kind {
            ErrorKind::UnknownReference { reference, .. } | ErrorKind::AmbiguousReference { reference, .. } => {
                p.value.as_deref() == Some(reference.as_str())
            }
            _ => false,
        };
        if let Some(value) = p.value.as_ref().filter(|_| !repeats_reference) {
            write!(f, " (value: {value:?})")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        d.field("kind", &self.0.kind);
        if !self.0.position.is_empty() {
            d.field("position", &self.0.position);
        }
        d.finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0.kind {
            ErrorKind::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        if e.kind() == std::io::ErrorKind::InvalidData {
            // std reports invalid UTF-8 from `read_to_string`/`lines` as InvalidData.
            return Error::new(ErrorKind::InvalidUtf8);
        }
        Error::new(ErrorKind::Io(e))
    }
}

impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Error {
        Error::new(ErrorKind::Index(e.to_string()))
    }
}

/// Converts a CSV error into ours, keeping its line and the file-level context.
pub(crate) fn from_csv(e: csv::Error) -> Error {
    let line = e.position().map(|p| p.line());
    let err = match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::from(io),
        csv::ErrorKind::Utf8 { .. } => Error::new(ErrorKind::InvalidUtf8),
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            Error::syntax(format!("record has {len} fields, header has {expected_len}"))
        }
        other => Error::syntax(format!("{other:?}").to_lowercase()),
    };
    match line {
        Some(line) => err.at_line(line),
        None => err,
    }
}

/// Converts a JSON error, keeping serde's message (which names the field for unknown/missing
/// fields) but not its column-in-line, which JSON Lines callers replace with the line number.
pub(crate) fn from_json(e: &serde_json::Error) -> Error {
    use serde_json::error::Category;
    let msg = e.to_string();
    // serde_json appends " at line L column C"; the line within a single JSONL record is noise.
    let msg = match msg.rfind(" at line ") {
        Some(cut) => msg[..cut].to_string(),
        None => msg,
    };
    match e.classify() {
        Category::Io => Error::syntax(msg),
        Category::Syntax | Category::Eof => Error::syntax(msg),
        // A field the format requires is absent: say so in the kind, not only the message.
        Category::Data if msg.starts_with("missing field") => Error::missing(msg),
        Category::Data => Error::invalid(msg),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_field_and_value() {
        let e = Error::invalid("hours must be positive")
            .with_value("-3")
            .in_field("hours")
            .at_line(7)
            .in_file("courses.jsonl");
        assert_eq!(
            e.to_string(),
            "courses.jsonl:7: field `hours`: invalid value: hours must be positive (value: \"-3\")"
        );
    }

    #[test]
    fn nested_fields_join_outer_first() {
        let e = Error::invalid("x").in_field("skill").in_field("[2]").in_field("requirements");
        assert_eq!(e.position().field.as_deref(), Some("requirements[2].skill"));
    }

    #[test]
    fn inner_position_wins() {
        let e = Error::invalid("x").at_line(3).at_line(9).in_file("a").in_file("b");
        assert_eq!(e.position().line, Some(3));
        assert_eq!(e.position().file.as_deref(), Some(std::path::Path::new("a")));
    }

    #[test]
    fn long_values_are_truncated_on_char_boundary() {
        let long = "é".repeat(500);
        let e = Error::invalid("x").with_value(&long);
        let v = e.position().value.as_deref().unwrap_or_default();
        assert_eq!(v.chars().count(), 121);
    }

    #[test]
    fn error_is_one_pointer() {
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
    }
}
