//! `sepadan extract` and `sepadan titles`: skills and occupations from text, in parallel,
//! streamed in input order.

use std::path::PathBuf;

use rayon::prelude::*;
use sepadan::{DocumentKind, ExtractOptions, Extractor, Lang, Taxonomy, TextRecord};
use serde::Serialize;

use crate::common::{open_with_progress, skill_label, top_k, unit_interval, Global, Output, Result};

/// Records handed to the thread pool at once: big enough to keep both cores busy, small
/// enough that output starts early and memory stays bounded.
const CHUNK: usize = 2048;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum LangArg {
    /// Detect the language of each line.
    Auto,
    /// Bahasa Indonesia.
    Id,
    /// English.
    En,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum KindArg {
    /// A job posting: sections and required/optional cues are read.
    Posting,
    /// A course description: what it teaches.
    Course,
    /// A CV or profile summary.
    Cv,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ExtractArgs {
    /// JSON Lines `{"id": "...", "text": "..."}`; `-` for stdin.
    #[arg(default_value = "-")]
    input: PathBuf,
    /// Where to write results; `-` for stdout.
    #[arg(short, long, default_value = "-")]
    output: PathBuf,
    /// The language of the texts.
    #[arg(long, value_enum, default_value = "auto")]
    lang: LangArg,
    /// What the texts are.
    #[arg(long, value_enum, default_value = "posting")]
    kind: KindArg,
    /// Leave out mentions below this confidence (0 to 1).
    #[arg(long, default_value = "0", value_parser = unit_interval)]
    min_confidence: f32,
    /// Language of the labels in the output (falls back to English).
    #[arg(long, default_value = "id")]
    labels: String,
}

#[derive(Serialize)]
struct SkillOut<'a> {
    skill: &'a str,
    label: &'a str,
    #[serde(serialize_with = "crate::common::four_decimals")]
    score: f32,
    /// Offsets in Unicode code points (what Python and most JSON consumers index by).
    start: usize,
    end: usize,
    surface: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    required: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    level: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    experience_years: Option<f32>,
}

#[derive(Serialize)]
struct ExtractOut<'a> {
    id: &'a str,
    skills: Vec<SkillOut<'a>>,
    /// The text was longer than the extractor reads; only its start was used.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    truncated: bool,
}

/// Char offsets for byte offsets, in one pass over the text (`offsets` need not be sorted).
fn char_offsets(text: &str, byte_offsets: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..byte_offsets.len()).collect();
    order.sort_by_key(|&i| byte_offsets[i]);
    let mut out = vec![0; byte_offsets.len()];
    let (mut chars, mut pos) = (0usize, 0usize);
    let mut it = text.char_indices().peekable();
    for i in order {
        let target = byte_offsets[i];
        while pos < target {
            match it.next() {
                Some((_, c)) => {
                    pos += c.len_utf8();
                    chars += 1;
                }
                None => break,
            }
        }
        out[i] = chars;
    }
    out
}

fn extract_line(taxonomy: &Taxonomy, extractor: &Extractor, args: &ExtractArgs, r: &TextRecord) -> Result<String> {
    let options = ExtractOptions {
        kind: match args.kind {
            KindArg::Posting => DocumentKind::Posting,
            KindArg::Course => DocumentKind::Course,
            KindArg::Cv => DocumentKind::Profile,
        },
        occupation: None,
        min_confidence: args.min_confidence,
        lang: match args.lang {
            LangArg::Auto => None,
            LangArg::Id => Some(Lang::Id),
            LangArg::En => Some(Lang::En),
        },
    };
    let e = extractor.extract_with(&r.text, options);
    let bytes: Vec<usize> = e.mentions.iter().flat_map(|m| [m.start, m.end]).collect();
    let chars = char_offsets(&r.text, &bytes);
    let skills = e
        .mentions
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let (uri, label) = skill_label(taxonomy, m.skill, &args.labels);
            SkillOut {
                skill: uri,
                label,
                score: m.confidence,
                start: chars[2 * i],
                end: chars[2 * i + 1],
                surface: &m.surface,
                required: m.required,
                level: m.level.map(|l| l.as_str()),
                experience_years: m.experience_years,
            }
        })
        .collect();
    let out = ExtractOut { id: &r.id, skills, truncated: e.truncated };
    serde_json::to_string(&out).map_err(|e| crate::common::Failure::input(format!("cannot serialise output: {e}")))
}

pub(crate) fn extract(global: &Global, args: &ExtractArgs) -> Result<()> {
    let taxonomy = global.taxonomy()?;
    let extractor = Extractor::new(&taxonomy);
    let (input, bar) = open_with_progress(global, &args.input, "texts")?;
    let mut out = Output::create(&args.output)?;
    let mut chunk: Vec<TextRecord> = Vec::with_capacity(CHUNK);
    let mut count = 0usize;
    let mut flush = |chunk: &mut Vec<TextRecord>, out: &mut Output| -> Result<()> {
        let lines: Vec<Result<String>> =
            chunk.par_iter().map(|r| extract_line(&taxonomy, &extractor, args, r)).collect();
        for line in lines {
            out.line(&line?)?;
        }
        count += chunk.len();
        chunk.clear();
        Ok(())
    };
    let mut failure = None;
    let skipped = global.loader(&taxonomy).for_each_text(input.reader, &input.name, |r| {
        chunk.push(r);
        if chunk.len() >= CHUNK {
            if let Err(f) = flush(&mut chunk, &mut out) {
                failure = Some(f);
                return Err(stop());
            }
        }
        Ok(())
    });
    if let Some(f) = failure {
        return Err(f);
    }
    let skipped = skipped?;
    flush(&mut chunk, &mut out)?;
    bar.finish_and_clear();
    out.finish()?;
    global.report_skipped(&skipped);
    global.note(format_args!("extracted skills from {count} text(s)"));
    Ok(())
}

/// An error that only stops a streaming read; the real failure is kept beside it.
fn stop() -> sepadan::Error {
    sepadan::Error::from(std::io::Error::other("stopped"))
}

#[derive(Debug, clap::Args)]
pub(crate) struct TitlesArgs {
    /// JSON Lines `{"id": "...", "title": "...", "text": "..."}` (`text` optional); `-` for stdin.
    #[arg(default_value = "-")]
    input: PathBuf,
    /// Where to write results; `-` for stdout.
    #[arg(short, long, default_value = "-")]
    output: PathBuf,
    /// Occupations per title.
    #[arg(long, default_value = "5", value_parser = top_k)]
    top: usize,
    /// Language of the labels in the output (falls back to English).
    #[arg(long, default_value = "id")]
    labels: String,
}

#[derive(Serialize)]
struct OccupationOut<'a> {
    occupation: &'a str,
    label: &'a str,
    /// The label that matched.
    matched: &'a str,
    #[serde(serialize_with = "crate::common::four_decimals")]
    score: f32,
}

#[derive(Serialize)]
struct TitlesOut<'a> {
    id: &'a str,
    occupations: Vec<OccupationOut<'a>>,
}

pub(crate) fn titles(global: &Global, args: &TitlesArgs) -> Result<()> {
    let taxonomy = global.taxonomy()?;
    let extractor = Extractor::new(&taxonomy);
    let (input, bar) = open_with_progress(global, &args.input, "titles")?;
    let loaded = global.loader(&taxonomy).titles(input.reader, &input.name)?;
    bar.finish_and_clear();
    let mut out = Output::create(&args.output)?;
    for chunk in loaded.records.chunks(CHUNK) {
        let items: Vec<(&str, Option<&str>)> = chunk.iter().map(|r| (r.title.as_str(), r.text.as_deref())).collect();
        let ranked = extractor.occupations_for_titles(&items, args.top);
        for (r, ranked) in chunk.iter().zip(&ranked) {
            let occupations = ranked
                .iter()
                .map(|m| {
                    let (uri, label) =
                        taxonomy.occupation(m.occupation).map_or(("", ""), |o| (o.uri(), o.label(&args.labels)));
                    OccupationOut { occupation: uri, label, matched: &m.label, score: m.score }
                })
                .collect();
            out.json(&TitlesOut { id: &r.id, occupations })?;
        }
    }
    out.finish()?;
    global.report_skipped(&loaded.errors);
    global.note(format_args!("normalised {} title(s)", loaded.records.len()));
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn char_offsets_count_code_points() {
        let text = "Las é😀 SMAW";
        let smaw = text.find("SMAW").unwrap_or(0);
        assert_eq!(super::char_offsets(text, &[smaw, 0, text.len()]), [7, 0, 11]);
    }
}
