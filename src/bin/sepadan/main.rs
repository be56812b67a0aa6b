//! `sepadan`: the command line for analysts and batch jobs. It reads and writes JSON Lines in
//! the formats of `docs/FORMATS.md` (stdin/stdout or files), shows progress on stderr, and
//! exits non-zero with a clear message on bad input. `docs/CLI.md` has every subcommand.
//!
//! Exit codes: 0 success; 1 bad input data or an unreadable file (the message names file,
//! line and field); 2 a usage error (an unknown flag, or a flag value that does not resolve).
//! With `--lenient`, malformed records are reported on stderr and skipped, and the rest is
//! processed.

#![forbid(unsafe_code)]
#![warn(missing_debug_implementations, unreachable_pub)]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod catalog;
mod common;
mod insight;
mod matching;
mod text;

use common::Global;

/// Matches people to work: skills from text, search, explainable matches, gaps, training
/// plans and labour-market insight, over JSON Lines files.
#[derive(Debug, Parser)]
#[command(name = "sepadan", version, about, max_term_width = 100)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Skills in texts: `{"id", "text"}` in, `{"id", "skills": [...]}` out, best first.
    Extract(text::ExtractArgs),
    /// Job titles to ESCO occupations: `{"id", "title", "text"?}` in, ranked occupations out.
    Titles(text::TitlesArgs),
    /// Best jobs for each candidate (or candidates for each job), optionally explained.
    Match(matching::MatchArgs),
    /// What each candidate lacks for a posting, an occupation or their best matches.
    Gap(matching::GapArgs),
    /// The cheapest courses and certification schemes that close each candidate's gap, and
    /// how many more postings they open.
    Plan(matching::PlanArgs),
    /// Build or update a catalogue directory of postings, courses and schemes.
    Index(catalog::IndexArgs),
    /// Search a catalogue directory: one JSON line per hit, best first.
    Search(catalog::SearchArgs),
    /// Demand, supply, mismatch, programme lists and training effectiveness.
    #[command(subcommand)]
    Insight(insight::InsightCommand),
}

fn run(cli: &Cli) -> common::Result<()> {
    let g = &cli.global;
    match &cli.command {
        Command::Extract(a) => text::extract(g, a),
        Command::Titles(a) => text::titles(g, a),
        Command::Match(a) => matching::run_match(g, a),
        Command::Gap(a) => matching::run_gap(g, a),
        Command::Plan(a) => matching::run_plan(g, a),
        Command::Index(a) => catalog::index(g, a),
        Command::Search(a) => catalog::search(g, a),
        Command::Insight(c) => insight::run(g, c),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            if !f.message.is_empty() {
                eprintln!("sepadan: {}", f.message);
            }
            ExitCode::from(f.code)
        }
    }
}
