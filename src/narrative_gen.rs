//! 生成数据段落: the data sentences of the narrative, written from the
//! tables in the plain official style.
//!
//! Every number is written as "anchor N件" with an anchor of
//! [`crate::check::NARRATIVE_PATTERNS`] and that pattern's value, so R10
//! reads back exactly what was written: writing and checking share one
//! table and cannot drift apart. Zero categories are left out, as reports
//! customarily do; a figure with a blank or invalid part is left out too,
//! and listed so the clerk knows why.

use crate::check::{NARRATIVE_PATTERNS, NarrativePattern, pattern_value};
use crate::report::{Report, Tables};
use crate::schema::TableId;
use rust_decimal::Decimal;

/// Where a generated paragraph goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// 一（一）主动公开情况.
    Active,
    /// 一（二）依申请公开情况.
    Requests,
    /// 六、其他需要报告的事项.
    Other,
}

impl Target {
    pub fn label(self) -> &'static str {
        match self {
            Target::Active => "一、（一）主动公开情况",
            Target::Requests => "一、（二）依申请公开情况",
            Target::Other => "六、其他需要报告的事项",
        }
    }
}

/// The generated paragraphs, and the figures left out because a part of
/// them is blank or invalid.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Generated {
    pub paragraphs: Vec<(Target, String)>,
    pub missing: Vec<&'static str>,
}

fn pattern(anchor: &str) -> &'static NarrativePattern {
    NARRATIVE_PATTERNS
        .iter()
        .find(|p| p.anchor == anchor)
        .expect("every anchor the generator writes is an R10 pattern")
}

struct Writer<'a> {
    t: &'a Tables,
    missing: Vec<&'static str>,
}

impl Writer<'_> {
    /// The value of the pattern with this anchor, or `None` (noted).
    fn value(&mut self, anchor: &str) -> Option<Decimal> {
        let p = pattern(anchor);
        let v = pattern_value(self.t, p);
        if v.is_none() && !self.missing.contains(&p.what) {
            self.missing.push(p.what);
        }
        v
    }
    /// "anchorN件", or nothing when it is zero or unknown.
    fn phrase(&mut self, anchor: &str) -> Option<String> {
        self.value(anchor)
            .filter(|v| !v.is_zero())
            .map(|v| format!("{anchor}{}件", v.normalize()))
    }
}

fn count(t: &Tables, row: &str, col: &str) -> Option<Decimal> {
    t.value(crate::schema::idx(TableId::Active, row, col))
        .decimal()
}

/// Write the data sentences of a report.
pub fn generate(r: &Report) -> Generated {
    let t = &r.tables;
    let mut w = Writer {
        t,
        missing: Vec::new(),
    };
    let mut out = Generated::default();

    // 一（二）: received, carried over, concluded and how, carried forward,
    // review and litigation.
    let mut s = String::new();
    let new = w.value("政府信息公开申请");
    let over = w.phrase("上年结转");
    match new {
        Some(n) if n.is_zero() && over.is_none() => s.push_str("本年度未收到政府信息公开申请。"),
        Some(n) => {
            s.push_str(&format!("本年度共收到政府信息公开申请{}件", n.normalize()));
            if let Some(o) = &over {
                s.push_str(&format!("，{o}"));
            }
            let done = w.value("已办结");
            if let Some(d) = done.filter(|d| !d.is_zero()) {
                s.push_str(&format!("；已办结{}件", d.normalize()));
                let parts: Vec<String> = [
                    "予以公开",
                    "部分公开",
                    "不予公开",
                    "无法提供",
                    "不予处理",
                    "其他处理",
                ]
                .iter()
                .filter_map(|a| w.phrase(a))
                .collect();
                if !parts.is_empty() {
                    s.push_str(&format!("，其中{}", parts.join("、")));
                }
            }
            if let Some(f) = w.phrase("结转下年度继续办理") {
                s.push_str(&format!("；{f}"));
            }
            s.push('。');
        }
        None => {}
    }
    let review = w.phrase("行政复议");
    let suit = w.phrase("行政诉讼");
    match (&review, &suit) {
        (None, None) if w.value("行政复议").is_some() && w.value("行政诉讼").is_some() => {
            s.push_str("本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。")
        }
        (None, None) => {}
        _ => {
            let parts: Vec<String> = [
                review.map(|p| format!("被申请{p}")),
                suit.map(|p| format!("提起{p}")),
            ]
            .into_iter()
            .flatten()
            .collect();
            s.push_str(&format!("因政府信息公开工作{}。", parts.join("、")));
        }
    }
    if !s.is_empty() {
        out.paragraphs.push((Target::Requests, s));
    }

    // 一（一）: 规章 and 规范性文件, 许可, 处罚, 强制, 收费.
    let mut clauses = Vec::new();
    for (row, name) in [
        ("regulations", "规章"),
        ("normative_documents", "行政规范性文件"),
    ] {
        let (i, rp, f) = (
            count(t, row, "issued"),
            count(t, row, "repealed"),
            count(t, row, "in_force"),
        );
        let mut parts = Vec::new();
        if let Some(i) = i.filter(|v| !v.is_zero()) {
            parts.push(format!("制发{name}{i}件"));
        }
        if let Some(rp) = rp.filter(|v| !v.is_zero()) {
            parts.push(format!("废止{rp}件"));
        }
        if row == "normative_documents" {
            if let Some(f) = w.value("现行有效行政规范性文件").filter(|v| !v.is_zero()) {
                parts.push(format!("现行有效行政规范性文件{}件", f.normalize()));
            }
        } else if let Some(f) = f.filter(|v| !v.is_zero()) {
            parts.push(format!("现行有效{name}{f}件"));
        }
        if !parts.is_empty() {
            clauses.push(parts.join("，"));
        }
    }
    let decisions: Vec<String> = ["行政许可决定", "行政处罚决定", "行政强制决定"]
        .iter()
        .filter_map(|a| w.phrase(a))
        .map(|p| format!("作出{p}"))
        .collect();
    if !decisions.is_empty() {
        clauses.push(decisions.join("，"));
    }
    match count(t, "fees_wan", "") {
        Some(f) if !f.is_zero() => clauses.push(format!("收取行政事业性收费{}万元", f.normalize())),
        _ => {}
    }
    if !clauses.is_empty() {
        out.paragraphs
            .push((Target::Active, format!("本年度{}。", clauses.join("；"))));
    }

    // 六: 信息处理费. A fee notice left unpaid means fees were charged.
    let unpaid = t
        .value(crate::schema::idx(
            TableId::Requests,
            "other_unpaid_fee",
            "total",
        ))
        .decimal();
    let six = match unpaid {
        Some(n) if !n.is_zero() => format!(
            "本年度按照《政府信息公开信息处理费管理办法》向申请人发出收费通知，其中{}件申请人逾期未缴纳费用，不再处理其申请。",
            n.normalize()
        ),
        _ => "本年度未收取政府信息公开信息处理费。".to_string(),
    };
    out.paragraphs.push((Target::Other, six));
    out.missing = w.missing;
    out
}

/// Put a generated paragraph into the report: appended as a new paragraph,
/// or replacing the part's text. Returns the new text.
pub fn place(r: &mut Report, target: Target, text: &str, replace: bool) {
    let slot = match target {
        Target::Active => r.narrative.overview_subs.get_mut(0).map(|s| &mut s.text),
        Target::Requests => r.narrative.overview_subs.get_mut(1).map(|s| &mut s.text),
        Target::Other => Some(&mut r.narrative.other),
    };
    let Some(slot) = slot else { return };
    if replace || slot.trim().is_empty() {
        *slot = text.to_string();
    } else {
        slot.push('\n');
        slot.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::check;
    use crate::sample::filled_report;

    #[test]
    fn the_requests_paragraph_reads_like_a_report() {
        let r = filled_report("某局", 2024, 3);
        let g = generate(&r);
        let (_, s) = g
            .paragraphs
            .iter()
            .find(|(t, _)| *t == Target::Requests)
            .unwrap();
        assert!(s.starts_with("本年度共收到政府信息公开申请"), "{s}");
        assert!(s.contains("已办结") && s.contains("其中予以公开"), "{s}");
        assert!(!s.contains("0件"), "zeros are left out: {s}");
        let mut empty = Report::new("某局", 2024);
        for f in crate::schema::leaves() {
            empty.tables.set(*f, crate::cell::Cell::Count(0));
        }
        empty.tables.set(
            crate::schema::idx(TableId::Active, "fees_wan", ""),
            crate::cell::Cell::Count(0),
        );
        let g = generate(&empty);
        let (_, s) = &g.paragraphs[0];
        assert_eq!(
            s,
            "本年度未收到政府信息公开申请。本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"
        );
    }

    #[test]
    fn blanks_are_left_out_and_named() {
        let mut r = filled_report("某局", 2024, 3);
        r.tables.set(
            crate::schema::idx(TableId::Requests, "new", "research"),
            crate::cell::Cell::Blank,
        );
        let g = generate(&r);
        assert!(g.missing.contains(&"新收申请"), "{:?}", g.missing);
    }

    proptest::proptest! {
        /// Whatever the tables hold, the generated sentences pass R10.
        #[test]
        fn generated_text_always_passes_r10(seed in 0u64..5000, blanks in proptest::collection::vec(0usize..166, 0..4)) {
            let mut r = filled_report("某局", 2024, seed);
            for b in blanks {
                r.tables.set(crate::schema::leaves()[b], crate::cell::Cell::Blank);
            }
            for (k, sub) in r.narrative.overview_subs.iter_mut().enumerate() {
                sub.text = format!("第{k}段。");
            }
            r.narrative.overview = String::new();
            let g = generate(&r);
            for (t, text) in &g.paragraphs {
                place(&mut r, *t, text, true);
            }
            let r10: Vec<_> = check(&r).into_iter().filter(|f| f.rule == "R10").collect();
            proptest::prop_assert!(r10.is_empty(), "{:#?}\n{:#?}", r10, g.paragraphs);
        }
    }
}
