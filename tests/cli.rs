//! The `sepadan` binary as a user runs it: fixture files in, JSON Lines and exit codes out.
//! Needs the `cli` feature: `cargo test --release --features cli --test cli` (release,
//! because the debug extractor takes ~25 s to build per run; `.ci/run` does this).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn lines(&self) -> Vec<Value> {
        self.stdout.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"))).collect()
    }

    #[track_caller]
    fn ok(self) -> Run {
        assert_eq!(self.code, 0, "exit {}; stderr:\n{}", self.code, self.stderr);
        self
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> String {
    root().join("tests/data/cli").join(name).display().to_string()
}

fn sample(name: &str) -> String {
    root().join("data/sample").join(name).display().to_string()
}

fn sepadan(args: &[&str], stdin: Option<&str>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sepadan"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the sepadan binary starts");
    {
        let mut input = child.stdin.take().expect("stdin is piped");
        if let Some(s) = stdin {
            input.write_all(s.as_bytes()).expect("stdin accepts the input");
        }
    }
    let out = child.wait_with_output().expect("sepadan finishes");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

fn scores_descend(items: &[Value]) {
    let scores: Vec<f64> = items.iter().map(|m| m["score"].as_f64().expect("a score")).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "not best first: {scores:?}");
    assert!(scores.iter().all(|s| s.is_finite()));
}

#[test]
fn extract_reads_skills_with_spans_and_required_flags() {
    let run = sepadan(&["extract", &fixture("texts.jsonl")], None).ok();
    let lines = run.lines();
    assert_eq!(lines.iter().map(|l| l["id"].as_str().unwrap_or("")).collect::<Vec<_>>(), ["t1", "t2", "t3"]);
    let texts: Vec<Value> = std::fs::read_to_string(fixture("texts.jsonl"))
        .expect("fixture")
        .lines()
        .map(|l| serde_json::from_str(l).expect("fixture JSON"))
        .collect();
    for (line, input) in lines.iter().zip(&texts) {
        let skills = line["skills"].as_array().expect("skills");
        scores_descend(skills);
        let chars: Vec<char> = input["text"].as_str().expect("text").chars().collect();
        for s in skills {
            assert!(s["skill"].as_str().expect("uri").starts_with("http://data.europa.eu/esco/skill/"));
            let (start, end) = (s["start"].as_u64().expect("start") as usize, s["end"].as_u64().expect("end") as usize);
            assert!(start < end && end <= chars.len());
            // Offsets are in code points: they cut the surface out of the text.
            let cut: String = chars[start..end].iter().collect();
            assert_eq!(cut, s["surface"].as_str().expect("surface"));
        }
    }
    let t1 = lines[0]["skills"].as_array().expect("skills");
    let label_of = |s: &Value| s["label"].as_str().unwrap_or("").to_lowercase();
    assert!(t1.iter().any(|s| label_of(s).contains("las") && s["required"] == true), "{t1:?}");
    // "Diutamakan" (preferred) marks forklift as a plus, and the benefits section yields nothing.
    let forklift = t1.iter().find(|s| s["surface"].as_str().unwrap_or("").contains("forklift")).expect("forklift");
    assert_eq!(forklift["required"], false);
    assert!(!t1.iter().any(|s| s["surface"].as_str().unwrap_or("").to_lowercase().contains("makan")));
    assert!(!lines[1]["skills"].as_array().expect("skills").is_empty(), "english text read");
    assert!(lines[2]["skills"].as_array().expect("skills").is_empty());
}

#[test]
fn extract_from_stdin_to_a_file_with_options() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("skills.jsonl");
    let input = "{\"id\":\"x\",\"text\":\"operate forklifts and weld steel\"}\n";
    let run = sepadan(
        &[
            "extract",
            "-",
            "-o",
            &out.display().to_string(),
            "--lang",
            "en",
            "--kind",
            "cv",
            "--min-confidence",
            "0.5",
            "--labels",
            "en",
        ],
        Some(input),
    )
    .ok();
    assert!(run.stdout.is_empty());
    let written = std::fs::read_to_string(&out).expect("output file");
    let v: Value = serde_json::from_str(written.trim()).expect("JSON");
    let skills = v["skills"].as_array().expect("skills");
    assert!(!skills.is_empty());
    assert!(skills.iter().all(|s| s["score"].as_f64().unwrap_or(0.0) >= 0.5 && s.get("required").is_none()));
    // Nothing but the output is left in the directory (the temporary file was renamed).
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 1);
    // An output file that cannot be created is named as the user gave it, not by our temporary name.
    let missing = dir.path().join("no-such-dir").join("out.jsonl");
    let run = sepadan(&["extract", "-", "-o", &missing.display().to_string()], Some(input));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains(&missing.display().to_string()), "{}", run.stderr);
    assert!(!run.stderr.contains(".tmp-"), "{}", run.stderr);
}

#[test]
fn bad_records_stop_strict_runs_and_are_skipped_with_lenient() {
    let strict = sepadan(&["extract", &fixture("texts_bad.jsonl")], None);
    assert_eq!(strict.code, 1);
    assert!(strict.stderr.contains("texts_bad.jsonl:2"), "{}", strict.stderr);
    assert!(strict.stderr.contains("txet") || strict.stderr.contains("text"), "{}", strict.stderr);

    let lenient = sepadan(&["extract", "--lenient", &fixture("texts_bad.jsonl")], None).ok();
    let ids: Vec<String> = lenient.lines().iter().map(|l| l["id"].as_str().unwrap_or("").to_string()).collect();
    assert_eq!(ids, ["t1", "t3"]);
    assert!(lenient.stderr.contains("skipped: ") && lenient.stderr.contains("texts_bad.jsonl:2"), "{}", lenient.stderr);

    let jobs = sepadan(
        &["match", "--jobs", &fixture("postings_bad.jsonl"), "--candidates", &fixture("candidates_minimal.jsonl")],
        None,
    );
    assert_eq!(jobs.code, 1);
    assert!(jobs.stderr.contains("postings_bad.jsonl:2: field `requirements[0].skill`"), "{}", jobs.stderr);
    assert!(jobs.stdout.is_empty(), "nothing is written after a strict failure");

    let missing = sepadan(&["titles", "no/such/file.jsonl"], None);
    assert_eq!(missing.code, 1);
    assert!(missing.stderr.contains("no/such/file.jsonl"), "{}", missing.stderr);

    let garbage = sepadan(&["titles"], Some("not json\n"));
    assert_eq!(garbage.code, 1);
    assert!(garbage.stderr.contains("<stdin>:1"), "{}", garbage.stderr);
}

#[test]
fn usage_errors_exit_with_2() {
    for args in [
        &["frobnicate"][..],
        &["match", "--jobs", "a.jsonl"][..],
        &["titles", "--top", "0"][..],
        &["extract", "--min-confidence", "1.5"][..],
        &["extract", "--lang", "fr"][..],
    ] {
        let run = sepadan(args, None);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(!run.stderr.is_empty());
    }
    let province = sepadan(
        &[
            "match",
            "--jobs",
            &fixture("postings_minimal.jsonl"),
            "--candidates",
            &fixture("candidates_minimal.jsonl"),
            "--province",
            "Atlantis",
        ],
        None,
    );
    assert_eq!(province.code, 2, "{}", province.stderr);
    assert!(province.stderr.contains("--province"));
    assert!(sepadan(&["--help"], None).ok().stdout.contains("match"));
}

#[test]
fn titles_rank_occupations() {
    let run = sepadan(&["titles", &fixture("titles.jsonl"), "--top", "3", "--labels", "en"], None).ok();
    let lines = run.lines();
    assert_eq!(lines.len(), 2);
    for l in &lines {
        let occ = l["occupations"].as_array().expect("occupations");
        assert!(!occ.is_empty() && occ.len() <= 3);
        scores_descend(occ);
    }
    assert_eq!(lines[0]["occupations"][0]["label"], "welder");
    assert_eq!(lines[1]["occupations"][0]["label"], "barista");
}

#[test]
fn match_minimal_records_in_both_directions() {
    let jobs = fixture("postings_minimal.jsonl");
    let people = fixture("candidates_minimal.jsonl");
    let run = sepadan(&["match", "--jobs", &jobs, "--candidates", &people, "--top", "2", "--explain"], None).ok();
    let lines = run.lines();
    assert_eq!(lines.iter().map(|l| l["candidate"].as_str().unwrap_or("")).collect::<Vec<_>>(), ["c-welder", "c-cv"]);
    // Postings given only as text, and a candidate given only as a CV, are matched through
    // the skills read from their text.
    assert_eq!(lines[0]["matches"][0]["job"], "p-las");
    assert_eq!(lines[1]["matches"][0]["job"], "p-kopi");
    for l in &lines {
        let matches = l["matches"].as_array().expect("matches");
        assert!(matches.len() <= 2);
        scores_descend(matches);
        for m in matches {
            let s = m["score"].as_f64().expect("score");
            assert!((0.0..=1.0).contains(&s));
            let e = &m["explanation"];
            assert!(e["components"].is_object() && e["matched"].is_array() && e["missing"].is_array());
        }
    }
    let best = &lines[0]["matches"][0]["explanation"];
    assert!(!best["matched"].as_array().expect("matched").is_empty());
    // The summaries say where the time went.
    assert!(run.stderr.contains("candidate(s) (loaded in "), "{}", run.stderr);
    assert!(run.stderr.contains("ranked 2 candidates in "), "{}", run.stderr);

    let reverse = sepadan(&["match", "--jobs", &jobs, "--candidates", &people, "--direction", "candidates"], None).ok();
    let reverse = reverse.lines();
    assert_eq!(reverse.len(), 3);
    let las = reverse.iter().find(|l| l["job"] == "p-las").expect("p-las line");
    assert_eq!(las["matches"][0]["candidate"], "c-welder");
    // The same pair scores the same in both directions.
    let forward = lines[0]["matches"][0]["score"].as_f64();
    assert_eq!(las["matches"][0]["score"].as_f64(), forward);
    assert!(las["matches"][0].get("explanation").is_none());
}

#[test]
fn match_the_sample_market_in_province() {
    let run = sepadan(
        &[
            "match",
            "--jobs",
            &sample("postings.jsonl"),
            "--candidates",
            &sample("candidates.jsonl"),
            "--same-province",
            "--top",
            "5",
        ],
        None,
    )
    .ok();
    let lines = run.lines();
    assert_eq!(lines.len(), 75);
    assert!(lines.iter().filter(|l| l["matches"].as_array().is_some_and(|m| !m.is_empty())).count() > 50);
}

#[test]
fn gap_and_plan_for_the_sample_market() {
    let (courses, schemes, none) = (sample("courses.jsonl"), sample("schemes.jsonl"), fixture("courses_none.jsonl"));
    let common = ["--jobs", &sample("postings.jsonl"), "--candidates", &sample("candidates.jsonl"), "--same-province"];
    let mut args = vec!["gap"];
    args.extend(common);
    args.extend(["--candidate", "cand-0001", "--skills", "4"]);
    let gap = sepadan(&args, None).ok().lines();
    assert_eq!(gap.len(), 1);
    let skills = gap[0]["skills"].as_array().expect("skills");
    assert!(!skills.is_empty() && skills.len() <= 4);
    let costs: Vec<f64> = skills.iter().map(|s| s["cost"].as_f64().expect("cost")).collect();
    assert!(costs.windows(2).all(|w| w[0] >= w[1]), "costliest first: {costs:?}");

    let mut args = vec!["plan"];
    args.extend(common);
    args.extend(["--courses", &courses, "--schemes", &schemes, "--budget", "1000000", "--near"]);
    let plans = sepadan(&args, None).ok().lines();
    assert_eq!(plans.len(), 75);
    for p in &plans {
        assert!(p["cost"].as_u64().expect("cost") <= 1_000_000, "{p}");
        let steps: u64 = p["steps"].as_array().expect("steps").iter().map(|s| s["cost"].as_u64().unwrap_or(0)).sum();
        assert_eq!(steps, p["cost"].as_u64().unwrap_or(0));
        assert!(p["summary"].as_str().is_some_and(|s| !s.is_empty()));
        assert!(p["fit_after"].as_u64() >= p["fit_before"].as_u64());
    }
    assert!(plans.iter().any(|p| !p["steps"].as_array().expect("steps").is_empty()));

    // A gap no offer teaches is named, not an empty plan.
    let mut args = vec!["plan"];
    args.extend(common);
    args.extend(["--courses", &none, "--candidate", "cand-0001"]);
    let none = sepadan(&args, None).ok().lines();
    assert!(!none[0]["uncoverable"].as_array().expect("uncoverable").is_empty(), "{}", none[0]);
    assert_eq!(none[0]["complete"], false);
}

/// `--candidate` naming no one is a usage error found before the postings are read (here the
/// postings file does not even exist), for both commands that take it.
#[test]
fn unknown_candidate_is_a_usage_error_before_the_postings_load() {
    for command in ["gap", "plan"] {
        let mut args = vec![command, "--jobs", "no/such/postings.jsonl", "--candidates"];
        let candidates = sample("candidates.jsonl");
        args.extend([candidates.as_str(), "--candidate", "nobody"]);
        let courses = sample("courses.jsonl");
        if command == "plan" {
            args.extend(["--courses", courses.as_str()]);
        }
        let run = sepadan(&args, None);
        assert_eq!(run.code, 2, "{command}: {}", run.stderr);
        assert!(run.stderr.contains("no candidate with id \"nobody\""), "{command}: {}", run.stderr);
    }
}

#[test]
fn index_then_search() {
    let dir = tempfile::tempdir().expect("tempdir");
    let idx = dir.path().join("catalog");
    let idx_s = idx.display().to_string();
    let run = sepadan(
        &[
            "index",
            "--out",
            &idx_s,
            "--jobs",
            &sample("postings.jsonl"),
            &fixture("postings_minimal.jsonl"),
            "--courses",
            &sample("courses.jsonl"),
            "--schemes",
            &sample("schemes.jsonl"),
        ],
        None,
    )
    .ok();
    let summary = &run.lines()[0];
    assert_eq!(summary["jobs"], 69 + 3);
    assert_eq!(summary["total"], 69 + 3 + 64 + 28);

    let hits = sepadan(&["search", "--index", &idx_s, "--query", "welder", "--top", "5"], None).ok().lines();
    assert!(!hits.is_empty() && hits.len() <= 5);
    scores_descend(&hits);
    assert!(hits.iter().all(|h| h["id"].is_string() && h["kind"].is_string() && h["title"].is_string()));
    assert!(hits.iter().take(3).any(|h| h["title"].as_str().unwrap_or("").to_lowercase().contains("las")
        || h["title"].as_str().unwrap_or("").to_lowercase().contains("weld")));

    let courses = sepadan(
        &["search", "--index", &idx_s, "--query", "las", "--kind", "course", "--province", "Jawa Barat", "--facets"],
        None,
    )
    .ok()
    .lines();
    let (facets, hits) = courses.split_last().expect("a facets line");
    assert!(facets["facets"]["total"].as_u64().expect("total") >= hits.len() as u64);
    assert!(!hits.is_empty() && hits.iter().all(|h| h["kind"] == "course"));

    // Re-indexing upserts: the count stays.
    let again = sepadan(&["index", "--out", &idx_s, "--jobs", &fixture("postings_minimal.jsonl")], None).ok();
    assert_eq!(again.lines()[0]["total"], 69 + 3 + 64 + 28);

    let long = "kata ".repeat(300);
    let refused = sepadan(&["search", "--index", &idx_s, "--query", &long], None);
    assert_eq!(refused.code, 1);
    assert!(refused.stderr.contains("limit exceeded"), "{}", refused.stderr);

    // A catalogue built with ESCO is not searched with another taxonomy.
    let other = sepadan(&["search", "--index", &idx_s, "--query", "las", "--taxonomy", &fixture("taxonomy")], None);
    assert_eq!(other.code, 1);
    assert!(other.stderr.contains("pass the same --taxonomy"), "{}", other.stderr);

    let not_index = sepadan(&["search", "--index", &dir.path().display().to_string(), "--query", "x"], None);
    assert_eq!(not_index.code, 1);
    assert!(not_index.stderr.contains("not an index directory"), "{}", not_index.stderr);
}

#[test]
fn custom_taxonomy_from_csv() {
    let tax = fixture("taxonomy");
    let input = "{\"id\":\"x\",\"text\":\"Kualifikasi:\\n- mampu las SMAW 3G\\n- menerapkan K3 di tempat kerja\"}\n";
    let run = sepadan(&["extract", "--taxonomy", &tax], Some(input)).ok();
    let skills: Vec<String> = run.lines()[0]["skills"]
        .as_array()
        .expect("skills")
        .iter()
        .map(|s| s["skill"].as_str().unwrap_or("").into())
        .collect();
    assert!(skills.contains(&"skkni:C.10SMW00.002.1".to_string()), "{skills:?}");
    assert!(skills.contains(&"skkni:K3".to_string()), "{skills:?}");

    let titles = sepadan(
        &["titles", "--taxonomy", &tax, "--labels", "en"],
        Some("{\"id\":\"a\",\"title\":\"tukang las listrik\"}\n"),
    )
    .ok();
    assert_eq!(titles.lines()[0]["occupations"][0]["occupation"], "kbji:7212.01");

    // Extending ESCO keeps ESCO's skills and adds the custom ones.
    let both = sepadan(
        &["extract", "--taxonomy", &tax, "--extend-esco"],
        Some("{\"id\":\"y\",\"text\":\"las SMAW 3G dan mengoperasikan forklift\"}\n"),
    )
    .ok();
    let uris: Vec<String> = both.lines()[0]["skills"]
        .as_array()
        .expect("skills")
        .iter()
        .map(|s| s["skill"].as_str().unwrap_or("").into())
        .collect();
    assert!(
        uris.iter().any(|u| u.starts_with("skkni:"))
            && uris.iter().any(|u| u.starts_with("http://data.europa.eu/esco/")),
        "{uris:?}"
    );

    let broken = sepadan(&["titles", "--taxonomy", &fixture("taxonomy_bad")], Some(""));
    assert_eq!(broken.code, 1);
    assert!(broken.stderr.contains("concepts.csv:3"), "{}", broken.stderr);
}

#[test]
fn insight_commands() {
    let jobs = sample("postings.jsonl");
    let people = sample("candidates.jsonl");
    let mismatch = sepadan(
        &["insight", "mismatch", "--jobs", &jobs, "--candidates", &people, "--top", "3", "--min-count", "1"],
        None,
    )
    .ok()
    .lines();
    let jabar = mismatch.iter().find(|r| r["region"] == "32").expect("Jawa Barat");
    assert_eq!(jabar["name"], "Jawa Barat");
    assert!(!jabar["shortages"].as_array().expect("shortages").is_empty());

    let demand =
        sepadan(&["insight", "demand", "--jobs", &jobs, "--region", "national", "--top", "5"], None).ok().lines();
    assert_eq!(demand.len(), 1);
    assert_eq!(demand[0]["postings"], 69);

    let effect = sepadan(
        &[
            "insight",
            "effectiveness",
            "--enrolments",
            &sample("enrolments.jsonl"),
            "--courses",
            &sample("courses.jsonl"),
            "--by",
            "blk",
            "--min-cell",
            "5",
        ],
        None,
    )
    .ok()
    .lines();
    assert!(!effect.is_empty());
    for cell in &effect {
        let f = &cell["funnel"];
        let n = |k: &str| f[k].as_u64().expect("count");
        assert!(n("enrolled") >= n("completed") && n("completed") >= n("certified"));
        for rate in ["completion", "placement_180"] {
            let r = &cell[rate];
            let (lo, v, hi) = (
                r["low"].as_f64().unwrap_or(-1.0),
                r["value"].as_f64().unwrap_or(-1.0),
                r["high"].as_f64().unwrap_or(-1.0),
            );
            assert!((0.0..=1.0).contains(&lo) && lo <= v && v <= hi && hi <= 1.0, "{r}");
        }
    }
    let unknown = sepadan(
        &[
            "insight",
            "effectiveness",
            "--enrolments",
            &sample("enrolments.jsonl"),
            "--courses",
            &fixture("courses_none.jsonl"),
        ],
        None,
    );
    assert_eq!(unknown.code, 1);
    assert!(unknown.stderr.contains("enrolments.jsonl:1: field `course`"), "{}", unknown.stderr);

    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("report");
    let blk = effect[0]["group"].as_str().expect("a BLK name").to_string();
    sepadan(
        &[
            "insight",
            "report",
            "--provider",
            &blk,
            "--enrolments",
            &sample("enrolments.jsonl"),
            "--courses",
            &sample("courses.jsonl"),
            "--jobs",
            &jobs,
            "--candidates",
            &people,
            "--outcomes",
            &sample("outcomes.jsonl"),
            "--out",
            &out.display().to_string(),
            "--min-cell",
            "5",
        ],
        None,
    )
    .ok();
    let md = std::fs::read_to_string(out.join("report.md")).expect("report.md");
    assert!(md.contains(&blk));
    for svg in ["funnel.svg", "placement.svg"] {
        assert!(std::fs::read_to_string(out.join(svg)).expect("svg").starts_with("<svg"));
    }
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).expect("json")).expect("JSON");
    assert_eq!(json["provider"], blk.as_str());
    assert!(!Path::new(&out).join(".report.md.tmp").exists());
}
