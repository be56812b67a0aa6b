//! Small SVG charts with no dependencies: the training funnel, and rates with their intervals.
//! Written by hand rather than with a plotting crate so the library needs no font stack, and
//! a service can embed the same charts in a page (the output is plain, deterministic SVG).

use std::fmt::Write;

use super::{Funnel, Rate};

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn shorten(s: &str, max_chars: usize) -> String {
    match s.char_indices().nth(max_chars) {
        None => s.to_string(),
        Some((cut, _)) => format!("{}…", &s[..cut]),
    }
}

const WIDTH: f64 = 640.0;
const LABEL_W: f64 = 210.0;
const BAR_H: f64 = 22.0;
const GAP: f64 = 10.0;
const TOP: f64 = 44.0;

fn header(out: &mut String, height: f64, title: &str) {
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-label="{t}" font-family="sans-serif" font-size="13"><title>{t}</title><rect width="{WIDTH}" height="{height}" fill="#fff"/><text x="10" y="24" font-size="16" font-weight="bold">{t}</text>"##,
        t = escape(title)
    );
}

/// The funnel (enrolled → completed → certified → placed) as horizontal bars, each with its
/// count and its share of enrolments. Stage names are given in the caller's language.
pub fn funnel_svg(funnel: &Funnel, title: &str, stage_names: [&str; 4]) -> String {
    let stages = [funnel.enrolled, funnel.completed, funnel.certified, funnel.placed];
    let height = TOP + 4.0 * (BAR_H + GAP) + 10.0;
    let mut out = String::new();
    header(&mut out, height, title);
    let max = funnel.enrolled.max(1) as f64;
    let span = WIDTH - LABEL_W - 120.0;
    for (i, (&n, name)) in stages.iter().zip(stage_names).enumerate() {
        let y = TOP + i as f64 * (BAR_H + GAP);
        let w = (n as f64 / max).min(1.0) * span;
        let share = 100.0 * n as f64 / max;
        let _ = write!(
            out,
            r##"<text x="{lx}" y="{ty}" text-anchor="end">{name}</text><rect x="{LABEL_W}" y="{y}" width="{w:.1}" height="{BAR_H}" fill="#2b6cb0"/><text x="{vx:.1}" y="{ty}">{n} ({share:.0}%)</text>"##,
            lx = LABEL_W - 8.0,
            ty = y + 16.0,
            name = escape(name),
            vx = LABEL_W + w + 6.0,
        );
    }
    out.push_str("</svg>");
    out
}

/// Rates as horizontal bars with their interval as a whisker, one row per `(label, rate,
/// small)`; small cells are drawn grey and marked, so a reader does not compare them.
pub fn rates_svg(rows: &[(String, Rate, bool)], title: &str, small_note: &str) -> String {
    let height = TOP + rows.len().max(1) as f64 * (BAR_H + GAP) + 30.0;
    let mut out = String::new();
    header(&mut out, height, title);
    let span = WIDTH - LABEL_W - 90.0;
    let x = |v: f64| LABEL_W + v.clamp(0.0, 1.0) * span;
    for (i, (label, rate, small)) in rows.iter().enumerate() {
        let y = TOP + i as f64 * (BAR_H + GAP);
        let fill = if *small { "#b0b0b0" } else { "#2f855a" };
        let mark = if *small { " *" } else { "" };
        let _ = write!(
            out,
            r##"<text x="{lx}" y="{ty}" text-anchor="end">{label}{mark}</text><rect x="{LABEL_W}" y="{y}" width="{w:.1}" height="{BAR_H}" fill="{fill}"/><line x1="{lo:.1}" x2="{hi:.1}" y1="{my}" y2="{my}" stroke="#1a202c" stroke-width="2"/><line x1="{lo:.1}" x2="{lo:.1}" y1="{t1}" y2="{t2}" stroke="#1a202c"/><line x1="{hi:.1}" x2="{hi:.1}" y1="{t1}" y2="{t2}" stroke="#1a202c"/><text x="{vx:.1}" y="{ty}">{pct:.0}% (n={n})</text>"##,
            lx = LABEL_W - 8.0,
            ty = y + 16.0,
            label = escape(&shorten(label, 28)),
            w = x(rate.value) - LABEL_W,
            lo = x(rate.low),
            hi = x(rate.high),
            my = y + BAR_H / 2.0,
            t1 = y + 5.0,
            t2 = y + BAR_H - 5.0,
            vx = x(rate.high) + 6.0,
            pct = 100.0 * rate.value,
            n = rate.of,
        );
    }
    if rows.iter().any(|r| r.2) {
        let _ = write!(out, r#"<text x="10" y="{}" font-size="11">* {}</text>"#, height - 10.0, escape(small_note));
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_escape_labels_and_stay_well_formed() {
        let f = Funnel { enrolled: 10, completed: 8, certified: 5, placed: 4 };
        let svg = funnel_svg(&f, "BLK <Bekasi> & co", ["Daftar", "Lulus", "Sertifikat", "Bekerja"]);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("BLK &lt;Bekasi&gt; &amp; co"));
        assert!(svg.contains("8 (80%)"));
        let rows = vec![
            ("Las \"SMAW\"".to_string(), Rate::wilson(6, 10, super::super::Z_95), true),
            ("Menjahit".to_string(), Rate::wilson(30, 40, super::super::Z_95), false),
        ];
        let svg = rates_svg(&rows, "Penempatan", "sel kecil");
        assert!(svg.contains("Las &quot;SMAW&quot; *"));
        assert!(svg.contains("75% (n=40)"));
        assert_eq!(svg.matches("<rect").count(), 3);
        // Empty inputs still draw a valid chart.
        let svg = rates_svg(&[], "kosong", "");
        assert!(svg.ends_with("</svg>"));
    }
}
