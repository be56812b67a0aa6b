//! A BLK's report: its courses' effectiveness, the region's shortages, and the evidence.

use std::fmt::Write;

use serde::Serialize;

use super::{
    funnel_svg, rates_svg, Comparison, CourseGapClosure, EffectCell, EffectGroup, EffectOptions, Effectiveness,
    ProgrammeList, RegionMismatch,
};
use crate::model::{Enrolment, TrainingCourse};
use crate::taxonomy::Taxonomy;

/// One skill in a report, named for people.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SkillLine {
    /// The skill's URI.
    pub skill: String,
    /// Its Indonesian label (English when none).
    pub label: String,
    /// Postings asking for it in the region.
    pub demand: u64,
    /// Job seekers holding it in the region.
    pub supply: u64,
    /// The mismatch index (positive: short).
    pub index: f64,
}

/// A readable, serialisable report for one BLK (or any provider).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BlkReport {
    /// The provider's name.
    pub provider: String,
    /// The date outcomes were observed to.
    pub as_of: Option<String>,
    /// The provider as a whole.
    pub overall: Option<EffectCell>,
    /// Each of its courses, in id order.
    pub courses: Vec<EffectCell>,
    /// Course titles by id, for display.
    pub course_titles: Vec<(String, String)>,
    /// The region's most short skills.
    pub shortages: Vec<SkillLine>,
    /// The region's skills most in surplus.
    pub surpluses: Vec<SkillLine>,
    /// What to teach: shortages with the courses that teach them, and those no course does.
    pub programmes: Option<ProgrammeList>,
    /// Placement against matched non-participants, when computed.
    pub comparison: Option<Comparison>,
    /// How far each course narrowed participants' gaps, when computed.
    pub gap_closure: Vec<CourseGapClosure>,
}

fn skill_lines(taxonomy: &Taxonomy, v: &[super::SkillMismatch]) -> Vec<SkillLine> {
    v.iter()
        .map(|s| {
            let (skill, label) = taxonomy
                .skill(s.skill)
                .map_or_else(|| (String::new(), String::new()), |k| (k.uri().to_string(), k.label("id").to_string()));
            SkillLine { skill, label, demand: s.demand, supply: s.supply, index: s.index }
        })
        .collect()
}

fn pct(r: &super::Rate) -> String {
    if r.of == 0 {
        return "–".to_string();
    }
    format!("{:.0}% [{:.0}–{:.0}] n={}", 100.0 * r.value, 100.0 * r.low, 100.0 * r.high, r.of)
}

impl BlkReport {
    /// Measures one provider's enrolments (its own cells: the provider, then each course)
    /// and, given the region's mismatch, lists its shortages and programmes (the provider's
    /// region courses and online courses count as teaching).
    pub fn new(
        taxonomy: &Taxonomy,
        provider: &str,
        enrolments: &[Enrolment],
        courses: &[TrainingCourse],
        mismatch: Option<&RegionMismatch>,
        options: &EffectOptions,
    ) -> BlkReport {
        let own: Vec<Enrolment> = enrolments.iter().filter(|e| e.provider == provider).cloned().collect();
        // One as-of date for every cell: the whole data set's, not just this provider's.
        let as_of = options.as_of.or_else(|| enrolments.iter().map(|e| e.placed.map_or(e.end, |p| p.max(e.end))).max());
        let options = EffectOptions { as_of, ..*options };
        let overall = Effectiveness::compute(&own, EffectGroup::All, &options);
        let by_course = Effectiveness::compute(&own, EffectGroup::Course, &options);
        let course_titles = by_course
            .cells
            .iter()
            .map(|c| {
                let title =
                    courses.iter().find(|k| k.id == c.group).map_or_else(|| c.group.clone(), |k| k.title.clone());
                (c.group.clone(), title)
            })
            .collect();
        let (shortages, surpluses, programmes) = match mismatch {
            Some(m) => (
                skill_lines(taxonomy, &m.shortages(10, 3)),
                skill_lines(taxonomy, &m.surpluses(5, 3)),
                Some(ProgrammeList::build(taxonomy, m, courses, 10, 3, true)),
            ),
            None => (Vec::new(), Vec::new(), None),
        };
        BlkReport {
            provider: provider.to_string(),
            as_of: overall.as_of.clone(),
            overall: overall.cells.into_iter().next(),
            courses: by_course.cells,
            course_titles,
            shortages,
            surpluses,
            programmes,
            comparison: None,
            gap_closure: Vec::new(),
        }
    }

    fn title_of<'a>(&'a self, course: &'a str) -> &'a str {
        self.course_titles.iter().find(|(id, _)| id == course).map_or(course, |(_, t)| t.as_str())
    }

    /// The funnel chart of the provider as a whole (Indonesian labels).
    pub fn funnel_svg(&self) -> String {
        let f = self.overall.as_ref().map(|c| c.funnel).unwrap_or_default();
        funnel_svg(
            &f,
            &format!("Alur peserta: {}", self.provider),
            ["Mendaftar", "Lulus pelatihan", "Bersertifikat", "Bekerja"],
        )
    }

    /// The placement rate within 180 days by course, with intervals (Indonesian labels).
    pub fn placement_svg(&self) -> String {
        let rows: Vec<(String, super::Rate, bool)> =
            self.courses.iter().map(|c| (self.title_of(&c.group).to_string(), c.placement_180, c.small)).collect();
        rates_svg(
            &rows,
            "Bekerja dalam 180 hari, per pelatihan (interval 95%)",
            "sel kecil: terlalu sedikit peserta untuk dibandingkan",
        )
    }

    /// The report as Markdown, in Indonesian, for people.
    pub fn to_markdown(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "# Laporan {}\n", self.provider);
        if let Some(d) = &self.as_of {
            let _ = writeln!(s, "Data sampai {d}.\n");
        }
        if let Some(o) = &self.overall {
            let f = o.funnel;
            let _ = writeln!(
                s,
                "**{}** peserta mendaftar, **{}** lulus, **{}** bersertifikat, **{}** bekerja.\n",
                f.enrolled, f.completed, f.certified, f.placed
            );
            let _ = writeln!(s, "- Tingkat kelulusan: {}", pct(&o.completion));
            let _ = writeln!(s, "- Sertifikasi (dari yang lulus): {}", pct(&o.certification));
            let _ = writeln!(s, "- Bekerja dalam 90 hari: {}", pct(&o.placement_90));
            let _ = writeln!(s, "- Bekerja dalam 180 hari: {}", pct(&o.placement_180));
            if let Some(d) = o.median_days_to_placement {
                let _ = writeln!(s, "- Median hari sampai bekerja: {d:.0}");
            }
            if let Some(w) = &o.wage_change {
                let _ = writeln!(
                    s,
                    "- Upah bulanan (median, n={}): {} → {}",
                    w.count,
                    crate::plan::rupiah(w.median_before.max(0.0) as u64),
                    crate::plan::rupiah(w.median_after.max(0.0) as u64)
                );
            }
            s.push('\n');
        }
        if !self.courses.is_empty() {
            s.push_str("## Per pelatihan\n\n| pelatihan | peserta | lulus | bekerja ≤180 hari | catatan |\n|---|---|---|---|---|\n");
            for c in &self.courses {
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {} | {} |",
                    self.title_of(&c.group),
                    c.funnel.enrolled,
                    pct(&c.completion),
                    pct(&c.placement_180),
                    if c.small { "sel kecil, tidak diperingkat" } else { "" }
                );
            }
            s.push('\n');
        }
        if let Some(c) = &self.comparison {
            let _ = writeln!(
                s,
                "## Dibandingkan pencari kerja serupa\n\nPeserta yang dicocokkan ({}) bekerja dalam {} hari {:.0}% dari waktu, pencari kerja serupa yang tidak ikut pelatihan {:.0}%: selisih **{:+.1} poin** (interval 95%: {:+.1} sampai {:+.1}). Selisih mentah tanpa pencocokan: {:+.1} poin. Ini perbandingan dengan asumsi tidak ada perbedaan tersembunyi (misalnya motivasi), bukan bukti sebab-akibat.\n",
                c.matched,
                c.window_days,
                100.0 * c.participant_rate,
                100.0 * c.comparison_rate,
                100.0 * c.difference,
                100.0 * c.low,
                100.0 * c.high,
                100.0 * c.naive_difference
            );
        }
        if !self.gap_closure.is_empty() {
            s.push_str("## Seberapa jauh pelatihan menutup kesenjangan\n\n| pelatihan | peserta | skor sebelum | skor sesudah | keterampilan kurang (sebelum → sesudah) |\n|---|---|---|---|---|\n");
            for g in &self.gap_closure {
                let _ = writeln!(
                    s,
                    "| {} | {} | {:.2} | {:.2} | {:.1} → {:.1} |",
                    self.title_of(&g.course),
                    g.participants,
                    g.mean_score_before,
                    g.mean_score_after,
                    g.mean_gap_before,
                    g.mean_gap_after
                );
            }
            s.push('\n');
        }
        if !self.shortages.is_empty() {
            s.push_str("## Keterampilan yang paling kurang di wilayah ini\n\n| keterampilan | lowongan | pencari kerja | indeks |\n|---|---|---|---|\n");
            for k in &self.shortages {
                let _ = writeln!(s, "| {} | {} | {} | {:.2} |", k.label, k.demand, k.supply, k.index);
            }
            s.push('\n');
        }
        if let Some(p) = &self.programmes {
            if !p.untaught.is_empty() {
                let _ = writeln!(s, "## Program yang perlu dibuka di {}\n", p.region_name);
                for k in &p.untaught {
                    let _ = writeln!(
                        s,
                        "- {} ({} lowongan, {} pencari kerja): belum ada pelatihan",
                        k.label, k.demand, k.supply
                    );
                }
                s.push('\n');
            }
        }
        s
    }
}
