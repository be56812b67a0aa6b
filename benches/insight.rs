//! Insight: demand and supply by province over 100,000 postings and 100,000 candidates, and
//! effectiveness by course over ~100,000 enrolments. Issue targets (at 1M, in
//! `examples/insight_scale.rs`): demand/supply ≤ 10 s on 2 cores, effectiveness ≤ 5 s.
//!
//! `cargo bench --bench insight`. Baseline in the same run: the plain way, one thread with
//! the standard library's `HashMap`, counting the same things.

use std::collections::HashMap;

use criterion::{criterion_group, criterion_main, Criterion};
use sepadan::{
    DemandBy, EffectGroup, EffectOptions, Effectiveness, Enrolment, JobPosting, MarketGenerator, Mismatch, RegionLevel,
    SkillDemand, SkillSupply, Taxonomy, TrainingGenerator,
};

/// Demand and supply counts per (province, skill), one thread, std maps.
fn baseline_demand_supply(postings: &[JobPosting], candidates: &[sepadan::Candidate]) -> usize {
    let mut demand: HashMap<(u8, sepadan::SkillId), u64> = HashMap::new();
    let mut per_region: HashMap<u8, u64> = HashMap::new();
    for p in postings {
        let Some(l) = p.location else { continue };
        *per_region.entry(l.province.get()).or_default() += 1;
        for r in &p.requirements {
            *demand.entry((l.province.get(), r.skill)).or_default() += 1;
        }
    }
    let mut supply: HashMap<(u8, sepadan::SkillId), u64> = HashMap::new();
    for c in candidates {
        let Some(l) = c.location else { continue };
        for s in &c.skills {
            *supply.entry((l.province.get(), s.skill)).or_default() += 1;
        }
    }
    let mut keys: Vec<_> = demand.keys().chain(supply.keys()).copied().collect();
    keys.sort_unstable();
    keys.dedup();
    keys.len() + per_region.len()
}

/// Completion and placement counts per course, one thread, std maps.
fn baseline_effectiveness(enrolments: &[Enrolment]) -> usize {
    let mut cells: HashMap<&str, (u64, u64, u64, Vec<i32>)> = HashMap::new();
    for e in enrolments {
        let c = cells.entry(e.course.as_str()).or_default();
        c.0 += 1;
        c.1 += u64::from(e.completed);
        if let Some(p) = e.placed {
            c.2 += 1;
            c.3.push(p.days_since(e.end).max(0));
        }
    }
    for c in cells.values_mut() {
        c.3.sort_unstable();
    }
    cells.len()
}

fn bench(c: &mut Criterion) {
    let Ok(taxonomy) = Taxonomy::esco() else { return };
    // `cargo test --benches` runs each bench once: keep that run small.
    let n = if std::env::args().any(|a| a == "--bench") { 100_000 } else { 2_000 };
    let market = MarketGenerator::new(&taxonomy, 3).with_text(false).market(n, 500, n);
    let data = TrainingGenerator::new(&market.courses, &market.candidates, 3).participation(1.0).generate();

    let mut g = c.benchmark_group(format!("demand_supply_{n}"));
    g.sample_size(10);
    g.bench_function("baseline_one_thread_std_hashmap", |b| {
        b.iter(|| baseline_demand_supply(&market.postings, &market.candidates))
    });
    g.bench_function("sepadan_demand_supply_mismatch", |b| {
        b.iter(|| {
            let d = SkillDemand::compute(&taxonomy, &market.postings, DemandBy::default());
            let s = SkillSupply::compute(&market.candidates, RegionLevel::Province);
            Mismatch::compute(&d, &s).map(|m| m.regions.len()).unwrap_or(0)
        })
    });
    g.finish();

    let mut g = c.benchmark_group(format!("effectiveness_{}", data.enrolments.len()));
    g.sample_size(10);
    g.bench_function("baseline_one_thread_std_hashmap", |b| b.iter(|| baseline_effectiveness(&data.enrolments)));
    g.bench_function("sepadan_by_course", |b| {
        b.iter(|| Effectiveness::compute(&data.enrolments, EffectGroup::Course, &EffectOptions::default()).cells.len())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
