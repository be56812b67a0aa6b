//! What every subcommand shares: the taxonomy, loading, input and output files, progress bars
//! and failures with exit codes.

use std::fmt;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use sepadan::{LoadMode, Loader, Regions, Taxonomy};

/// A failure to report on stderr, with the process exit code.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) code: u8,
    pub(crate) message: String,
}

/// Exit code for bad input data or files (usage errors exit with 2, from clap).
pub(crate) const EXIT_INPUT: u8 = 1;

impl Failure {
    pub(crate) fn input(message: impl Into<String>) -> Failure {
        Failure { code: EXIT_INPUT, message: message.into() }
    }

    /// A usage error found after parsing (a flag value that does not resolve).
    pub(crate) fn usage(message: impl Into<String>) -> Failure {
        Failure { code: 2, message: message.into() }
    }

    pub(crate) fn io(path: &Path, e: io::Error) -> Failure {
        if e.kind() == io::ErrorKind::BrokenPipe {
            return Failure::broken_pipe();
        }
        Failure::input(format!("{}: {e}", path.display()))
    }

    /// The reader of our output went away (`sepadan … | head`): stop quietly.
    fn broken_pipe() -> Failure {
        Failure { code: 0, message: String::new() }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<sepadan::Error> for Failure {
    fn from(e: sepadan::Error) -> Failure {
        if let sepadan::ErrorKind::Io(io) = e.kind() {
            if io.kind() == io::ErrorKind::BrokenPipe {
                return Failure::broken_pipe();
            }
        }
        Failure::input(e.to_string())
    }
}

pub(crate) type Result<T> = std::result::Result<T, Failure>;

/// The options every subcommand takes.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Global {
    /// A custom taxonomy instead of the shipped ESCO: a snapshot file, or a directory with
    /// `concepts.csv` and optionally `labels.csv` and `relations.csv` (docs/FORMATS.md).
    #[arg(long, global = true, value_name = "PATH")]
    pub(crate) taxonomy: Option<PathBuf>,
    /// With a CSV directory in --taxonomy: add it to ESCO instead of replacing ESCO.
    #[arg(long, global = true)]
    pub(crate) extend_esco: bool,
    /// Skip malformed records, reporting each on stderr with file, line and field, instead of
    /// stopping at the first.
    #[arg(long, global = true)]
    pub(crate) lenient: bool,
    /// No progress bars or summaries on stderr (errors are still printed).
    #[arg(long, short, global = true)]
    pub(crate) quiet: bool,
}

impl Global {
    pub(crate) fn mode(&self) -> LoadMode {
        if self.lenient {
            LoadMode::Lenient
        } else {
            LoadMode::Strict
        }
    }

    pub(crate) fn taxonomy(&self) -> Result<Taxonomy> {
        let Some(path) = &self.taxonomy else {
            return Ok(Taxonomy::esco()?);
        };
        if path.is_dir() {
            return self.taxonomy_from_csv(path);
        }
        let bytes = std::fs::read(path).map_err(|e| Failure::io(path, e))?;
        if self.extend_esco {
            return Err(Failure::usage("--extend-esco needs a directory of CSV files in --taxonomy"));
        }
        Taxonomy::from_snapshot(&bytes).map_err(|e| Failure::input(format!("{}: {e}", path.display())))
    }

    fn taxonomy_from_csv(&self, dir: &Path) -> Result<Taxonomy> {
        let mut builder = if self.extend_esco {
            Taxonomy::esco()?.into_builder()
        } else {
            let name = dir.file_name().map_or_else(|| "custom".to_string(), |n| n.to_string_lossy().into_owned());
            Taxonomy::builder(name)
        };
        let concepts = dir.join("concepts.csv");
        if !concepts.exists() && !self.extend_esco {
            return Err(Failure::input(format!(
                "{}: missing (a custom taxonomy needs its concepts)",
                concepts.display()
            )));
        }
        let mut skipped = Vec::new();
        for (name, kind) in [("concepts.csv", 0), ("labels.csv", 1), ("relations.csv", 2)] {
            let path = dir.join(name);
            if !path.exists() {
                continue;
            }
            let file = File::open(&path).map_err(|e| Failure::io(&path, e))?;
            let errors = match kind {
                0 => builder.add_concepts_csv(file, &path, self.mode())?,
                1 => builder.add_labels_csv(file, &path, self.mode())?,
                _ => builder.add_relations_csv(file, &path, self.mode())?,
            };
            skipped.extend(errors);
        }
        self.report_skipped(&skipped);
        Ok(builder.build()?)
    }

    pub(crate) fn loader<'a>(&self, taxonomy: &'a Taxonomy) -> Loader<'a> {
        Loader::new(taxonomy).regions(Regions::indonesia()).mode(self.mode())
    }

    /// Prints every skipped record (lenient mode) and a count; nothing is dropped silently.
    pub(crate) fn report_skipped(&self, errors: &[sepadan::Error]) {
        for e in errors {
            eprintln!("sepadan: skipped: {e}");
        }
        if !errors.is_empty() {
            eprintln!("sepadan: skipped {} bad record(s), listed above", errors.len());
        }
    }

    pub(crate) fn note(&self, message: impl fmt::Display) {
        if !self.quiet {
            eprintln!("sepadan: {message}");
        }
    }

    /// A spinner counting records, or a byte bar when the size is known. Hidden with --quiet
    /// and when stderr is not a terminal (indicatif draws nothing there), so logs and pipes
    /// stay clean.
    pub(crate) fn progress(&self, what: &'static str, len: Option<u64>) -> ProgressBar {
        if self.quiet || !io::stderr().is_terminal() {
            return ProgressBar::hidden();
        }
        let bar = match len {
            Some(n) => ProgressBar::new(n).with_style(
                ProgressStyle::with_template("{msg:>10} [{bar:30}] {binary_bytes}/{binary_total_bytes} ({eta})")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            ),
            None => ProgressBar::new_spinner().with_style(
                ProgressStyle::with_template("{spinner} {msg:>10} {human_pos} ({per_sec})")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            ),
        };
        bar.set_message(what);
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    }
}

/// An input file, or stdin for `-`.
pub(crate) struct Input {
    pub(crate) reader: Box<dyn Read + Send>,
    /// The name errors cite.
    pub(crate) name: PathBuf,
    /// Size in bytes when known (for a byte progress bar).
    pub(crate) len: Option<u64>,
}

pub(crate) fn open_input(path: &Path) -> Result<Input> {
    if path == Path::new("-") {
        return Ok(Input { reader: Box::new(io::stdin()), name: PathBuf::from("<stdin>"), len: None });
    }
    let file = File::open(path).map_err(|e| Failure::io(path, e))?;
    let len = file.metadata().ok().map(|m| m.len());
    Ok(Input { reader: Box::new(file), name: path.to_path_buf(), len })
}

/// Reads a whole input with a byte progress bar.
pub(crate) fn open_with_progress(global: &Global, path: &Path, what: &'static str) -> Result<(Input, ProgressBar)> {
    let input = open_input(path)?;
    let bar = global.progress(what, input.len);
    let reader = bar.wrap_read(input.reader);
    Ok((Input { reader: Box::new(reader), ..input }, bar))
}

/// Output to stdout (`-`) or a file. A file is written to a temporary name beside it and
/// renamed into place by [`Output::finish`], so a failed or killed run never leaves a
/// half-written file where a complete one is expected.
pub(crate) struct Output {
    writer: BufWriter<Box<dyn Write>>,
    target: Option<(PathBuf, PathBuf)>,
}

impl Output {
    pub(crate) fn create(path: &Path) -> Result<Output> {
        if path == Path::new("-") {
            return Ok(Output { writer: BufWriter::with_capacity(1 << 16, Box::new(io::stdout())), target: None });
        }
        let tmp = temporary_beside(path);
        // The error names the path the user gave, not our temporary name beside it.
        let file = File::create(&tmp).map_err(|e| Failure::io(path, e))?;
        Ok(Output {
            writer: BufWriter::with_capacity(1 << 16, Box::new(file)),
            target: Some((tmp, path.to_path_buf())),
        })
    }

    pub(crate) fn line(&mut self, json: &str) -> Result<()> {
        let name = self.name();
        self.writer
            .write_all(json.as_bytes())
            .and_then(|()| self.writer.write_all(b"\n"))
            .map_err(|e| Failure::io(&name, e))
    }

    /// Serialises one value as a JSON line.
    pub(crate) fn json(&mut self, value: &impl serde::Serialize) -> Result<()> {
        let s = serde_json::to_string(value).map_err(|e| Failure::input(format!("cannot serialise output: {e}")))?;
        self.line(&s)
    }

    fn name(&self) -> PathBuf {
        self.target.as_ref().map_or_else(|| PathBuf::from("<stdout>"), |(_, p)| p.clone())
    }

    pub(crate) fn finish(mut self) -> Result<()> {
        let name = self.name();
        self.writer.flush().map_err(|e| Failure::io(&name, e))?;
        if let Some((tmp, path)) = self.target.take() {
            std::fs::rename(&tmp, &path).map_err(|e| Failure::io(&path, e))?;
        }
        Ok(())
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        // Not finished: an error stopped the run. Leave no partial file behind.
        if let Some((tmp, _)) = self.target.take() {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// `dir/.name.tmp-PID`: the same directory, so the rename is atomic on one file system.
pub(crate) fn temporary_beside(path: &Path) -> PathBuf {
    let name = path.file_name().map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Writes a whole file atomically (temporary file, then rename).
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = temporary_beside(path);
    std::fs::write(&tmp, bytes).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Failure::io(path, e)
    })?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Failure::io(path, e)
    })
}

/// Parses a province flag given as a BPS code or a name.
pub(crate) fn province(value: &str) -> Result<sepadan::ProvinceCode> {
    Regions::indonesia()
        .resolve(Some(value), None)
        .map(|l| l.province)
        .map_err(|e| Failure::usage(format!("--province: {}", e.into_kind())))
}

/// A label for a skill in the requested language (falls back to English).
pub(crate) fn skill_label<'t>(taxonomy: &'t Taxonomy, skill: sepadan::SkillId, lang: &str) -> (&'t str, &'t str) {
    taxonomy.skill(skill).map_or(("", ""), |s| (s.uri(), s.label(lang)))
}

/// Checks a flag value in `[0, 1]`.
pub(crate) fn unit_interval(s: &str) -> std::result::Result<f32, String> {
    let x: f32 = s.parse().map_err(|_| format!("expected a number from 0 to 1, got {s:?}"))?;
    if !(0.0..=1.0).contains(&x) {
        return Err(format!("expected a number from 0 to 1, got {s}"));
    }
    Ok(x)
}

/// A positive count flag (`--top`), bounded so one request cannot ask for unbounded output.
pub(crate) fn top_k(s: &str) -> std::result::Result<usize, String> {
    let k: usize = s.parse().map_err(|_| format!("expected a whole number from 1 to 1000, got {s:?}"))?;
    if !(1..=1000).contains(&k) {
        return Err(format!("expected a whole number from 1 to 1000, got {k}"));
    }
    Ok(k)
}

/// Scores, credits and costs as JSON numbers with four decimals: an `f32` printed in full shows
/// float noise (`0.80999994`) that means nothing to a reader and makes outputs hard to diff.
/// Rounding is monotone, so rankings read the same.
pub(crate) fn four_decimals<S: serde::Serializer>(x: &f32, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_f64((f64::from(*x) * 1e4).round() / 1e4)
}
