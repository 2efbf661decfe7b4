//! The reviewer's page gains pictures: the verdicts of the batch, and the
//! rules broken most often, as inline SVG bar charts drawn from the same
//! batch as the table (one file, no network, no script library).

use super::{Batch, Verdict};
use crate::check::Severity;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Horizontal bars: (label, value, colour), with a title.
fn bars(title: &str, items: &[(String, usize, &str)]) -> String {
    const ROW: usize = 24;
    const LABEL: usize = 150;
    const WIDTH: usize = 260;
    let max = items.iter().map(|i| i.1).max().unwrap_or(0).max(1);
    let h = 30 + ROW * items.len().max(1);
    let mut s = format!(
        r#"<svg width="{}" height="{h}" role="img" aria-label="{}"><text x="0" y="16" font-weight="bold">{}</text>"#,
        LABEL + WIDTH + 50,
        escape(title),
        escape(title)
    );
    for (k, (label, v, colour)) in items.iter().enumerate() {
        let y = 28 + k * ROW;
        let w = v * WIDTH / max;
        s.push_str(&format!(
            r#"<text x="{}" y="{}" text-anchor="end">{}</text><rect x="{LABEL}" y="{y}" width="{w}" height="{}" fill="{colour}"><title>{}：{v}</title></rect><text x="{}" y="{}">{v}</text>"#,
            LABEL - 6,
            y + 15,
            escape(label),
            ROW - 6,
            escape(label),
            LABEL + w + 4,
            y + 15
        ));
    }
    if items.is_empty() {
        s.push_str(r#"<text x="0" y="44">（无）</text>"#);
    }
    s.push_str("</svg>");
    s
}

/// How many units got each verdict.
pub fn verdicts(b: &Batch) -> String {
    let colour = |v: Verdict| match v {
        Verdict::Pass => "#3a9a5b",
        Verdict::ManualCheck => "#c8962a",
        Verdict::NeedsFix => "#c0392b",
        Verdict::Unreadable => "#999999",
    };
    let items: Vec<(String, usize, &str)> = Verdict::ALL
        .iter()
        .map(|&v| {
            (
                v.label().to_string(),
                b.entries.iter().filter(|e| e.verdict == v).count(),
                colour(v),
            )
        })
        .collect();
    bars("审核结论", &items)
}

/// The rules broken by the most units (errors and warnings the unit is
/// responsible for), at most ten.
pub fn rules(b: &Batch) -> String {
    let mut by_name: Vec<(String, usize)> = Vec::new();
    for e in &b.entries {
        let mut names: Vec<&str> = e
            .standing()
            .filter(|f| f.severity != Severity::Info && !f.from_reading())
            .map(|f| super::notice::rule_name(f.rule))
            .collect();
        names.sort_unstable();
        names.dedup();
        for n in names {
            match by_name.iter_mut().find(|(x, _)| x == n) {
                Some((_, c)) => *c += 1,
                None => by_name.push((n.to_string(), 1)),
            }
        }
    }
    by_name.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let items: Vec<(String, usize, &str)> = by_name
        .into_iter()
        .take(10)
        .map(|(n, c)| (n, c, "#4a78b5"))
        .collect();
    bars("问题最多的规则（单位数）", &items)
}
