//! Across reports: next year's draft from last year's, the year-over-year
//! comparison of key figures, and 汇总 (merging) units' reports.

use crate::cell::Cell;
use crate::check::{Finding, Severity, check};
use crate::report::{Previous, Report, Tables};
use crate::schema::{self, FieldIdx, REQUEST_COLUMNS, TableId};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::fmt::{self, Write};

/// This year's draft from last year's report: meta carried over, 上年结转
/// filled from last year's 结转下年度, last year kept in `previous`.
///
/// Refused, with a Chinese reason, when last year's report has no usable
/// year: a draft for "year 1" or a wrapped year helps no one.
pub fn new_year(last: &Report) -> Result<Report, String> {
    if let Some(p) = crate::report::year_problem(last.meta.year) {
        return Err(format!(
            "上年报告{p}，无法推算新年度。请先在“基本信息”中填写年度"
        ));
    }
    let next = last
        .meta
        .year
        .checked_add(1)
        .filter(|y| crate::report::YEARS.contains(y))
        .ok_or_else(|| format!("{} 年的下一年不在可用的年度范围内", last.meta.year))?;
    let mut r = Report::new(&last.meta.agency, next);
    r.meta.level = last.meta.level;
    r.meta.contact = last.meta.contact.clone();
    for col in REQUEST_COLUMNS.iter().filter(|c| !c.derived) {
        let v = last
            .tables
            .cell(TableId::Requests, "carried_forward", col.id)
            .clone();
        r.tables
            .set_cell(TableId::Requests, "carried_over", col.id, v);
    }
    r.previous = Some(Previous {
        year: last.meta.year,
        tables: last.tables.clone(),
        narrative: last.narrative.clone(),
    });
    Ok(r)
}

/// A key figure reviewers compare between years and across units.
pub struct KeyFigure {
    pub name: &'static str,
    /// Row ids or 表三 group ids; each contributes its total (or single value).
    pub parts: &'static [(TableId, &'static str)],
}

pub static KEY_FIGURES: [KeyFigure; 10] = [
    KeyFigure {
        name: "新收申请",
        parts: &[(TableId::Requests, "new")],
    },
    KeyFigure {
        name: "予以公开",
        parts: &[(TableId::Requests, "disclosed")],
    },
    KeyFigure {
        name: "部分公开",
        parts: &[(TableId::Requests, "partly_disclosed")],
    },
    KeyFigure {
        name: "不予公开",
        parts: &[(TableId::Requests, "withheld")],
    },
    KeyFigure {
        name: "无法提供",
        parts: &[(TableId::Requests, "unable")],
    },
    KeyFigure {
        name: "行政复议",
        parts: &[(TableId::Appeals, "review")],
    },
    KeyFigure {
        name: "行政诉讼",
        parts: &[
            (TableId::Appeals, "suit_direct"),
            (TableId::Appeals, "suit_after_review"),
        ],
    },
    KeyFigure {
        name: "行政许可",
        parts: &[(TableId::Active, "licensing")],
    },
    KeyFigure {
        name: "行政处罚",
        parts: &[(TableId::Active, "penalty")],
    },
    KeyFigure {
        name: "收费（万元）",
        parts: &[(TableId::Active, "fees_wan")],
    },
];

/// The fields of each key figure, resolved once from the schema (a merge
/// asks for them for every unit).
static FIGURE_FIELDS: std::sync::LazyLock<Vec<Vec<FieldIdx>>> =
    std::sync::LazyLock::new(|| KEY_FIGURES.iter().map(resolve_fields).collect());

/// The fields whose values make up a key figure (cached for
/// [`KEY_FIGURES`], resolved on the spot for other lists such as review's).
pub fn figure_fields(k: &KeyFigure) -> std::borrow::Cow<'static, [FieldIdx]> {
    match KEY_FIGURES.iter().position(|x| std::ptr::eq(x, k)) {
        Some(i) => std::borrow::Cow::Borrowed(&FIGURE_FIELDS[i]),
        None => std::borrow::Cow::Owned(resolve_fields(k)),
    }
}

fn resolve_fields(k: &KeyFigure) -> Vec<FieldIdx> {
    let mut out = Vec::new();
    for &(t, id) in k.parts {
        match t {
            TableId::Requests => {
                for row in schema::REQUEST_ROWS
                    .iter()
                    .filter(|r| r.id == id || r.groups.contains(&id))
                {
                    out.push(schema::idx(t, row.id, "total"));
                }
            }
            TableId::Appeals => out.push(schema::idx(t, id, "total")),
            TableId::Active => out.push(schema::idx(t, id, "")),
        }
    }
    out
}

/// A key figure's value: `None` if any part is blank or invalid.
pub fn figure(t: &Tables, k: &KeyFigure) -> Option<Decimal> {
    t.complete_sum(figure_fields(k).iter().copied())
}

pub struct Comparison {
    pub name: &'static str,
    pub this: Option<Decimal>,
    pub last: Option<Decimal>,
    /// Changes over ×5 or under ×0.2 need checking (请核实).
    pub suspicious: bool,
}

impl Comparison {
    pub fn change(&self) -> Option<Decimal> {
        Some(self.this? - self.last?)
    }
}

pub fn compare(this: &Tables, last: &Tables) -> Vec<Comparison> {
    KEY_FIGURES
        .iter()
        .map(|k| {
            let (a, b) = (figure(this, k), figure(last, k));
            let suspicious = match (a, b) {
                (Some(a), Some(b)) if b.is_zero() => a >= Decimal::from(5),
                // Checked: a ×5 that overflows is certainly "more than ×5".
                (Some(a), Some(b)) => match b.checked_mul(Decimal::from(5)) {
                    Some(b5) => a > b5 || a < b * Decimal::new(2, 1),
                    None => false,
                },
                _ => false,
            };
            Comparison {
                name: k.name,
                this: a,
                last: b,
                suspicious,
            }
        })
        .collect()
}

fn show(d: Option<Decimal>) -> String {
    d.map(|d| d.normalize().to_string())
        .unwrap_or_else(|| "—".into())
}

/// Pad to a display width, counting CJK characters as two columns.
fn pad(s: &str, width: usize) -> String {
    let w: usize = s
        .chars()
        .map(|c| if c as u32 > 0x2E80 { 2 } else { 1 })
        .sum();
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

pub fn compare_table(rows: &[Comparison]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}{}{}变化",
        pad("项目", 14),
        pad("本年", 12),
        pad("上年", 12)
    );
    for r in rows {
        let change = match r.change() {
            Some(c) if c > Decimal::ZERO => format!("+{}", c.normalize()),
            Some(c) => c.normalize().to_string(),
            None => "—".into(),
        };
        let flag = if r.suspicious { "  请核实" } else { "" };
        let _ = writeln!(
            s,
            "{}{}{}{change}{flag}",
            pad(r.name, 14),
            pad(&show(r.this), 12),
            pad(&show(r.last), 12)
        );
    }
    s
}

// ---------------------------------------------------------------------------
// 汇总
// ---------------------------------------------------------------------------

/// One unit's report going into a merge.
pub struct Unit {
    /// Where it came from (a path), for messages.
    pub source: String,
    pub report: Report,
    pub import_findings: Vec<Finding>,
}

/// A row of the per-unit summary table.
#[derive(Debug)]
pub struct UnitRow {
    pub name: String,
    pub source: String,
    pub figures: Vec<Option<Decimal>>,
    pub errors: usize,
}

#[derive(Debug)]
pub struct Merged {
    pub report: Report,
    pub findings: Vec<Finding>,
    pub units: Vec<UnitRow>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum MergeError {
    NoUnits,
    MixedYears {
        year: i32,
        odd: Vec<(String, i32)>,
    },
    /// Units whose year is missing or implausible.
    NoYear(Vec<String>),
}

impl fmt::Display for MergeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MergeError::NoUnits => f.write_str("没有要汇总的报告"),
            MergeError::NoYear(names) => write!(
                f,
                "{} 没有有效的报告年度，未汇总、未写出任何文件。请先补上年度",
                names.join("、")
            ),
            MergeError::MixedYears { year, odd } => {
                let list: Vec<String> = odd.iter().map(|(n, y)| format!("{n}（{y} 年）")).collect();
                write!(
                    f,
                    "报告年度不一致：多数为 {year} 年，但 {} 不是，未汇总、未写出任何文件",
                    list.join("、")
                )
            }
        }
    }
}

impl std::error::Error for MergeError {}

fn unit_name(u: &Unit) -> String {
    if u.report.meta.agency.trim().is_empty() {
        u.source.clone()
    } else {
        u.report.meta.agency.trim().to_string()
    }
}

/// Sum every leaf cell of the units. A blank or invalid cell in any unit is
/// reported and leaves the merged cell blank; the fee is summed exactly.
pub fn merge(units: &[Unit], expected: Option<&[String]>) -> Result<Merged, MergeError> {
    let first = units.first().ok_or(MergeError::NoUnits)?;
    let no_year: Vec<String> = units
        .iter()
        .filter(|u| crate::report::year_problem(u.report.meta.year).is_some())
        .map(unit_name)
        .collect();
    if !no_year.is_empty() {
        return Err(MergeError::NoYear(no_year));
    }
    let mut years: HashMap<i32, usize> = HashMap::new();
    for u in units {
        *years.entry(u.report.meta.year).or_default() += 1;
    }
    let year = years
        .iter()
        .max_by_key(|(y, n)| (**n, std::cmp::Reverse(**y)))
        .map(|(y, _)| *y)
        .unwrap_or(first.report.meta.year);
    let odd: Vec<(String, i32)> = units
        .iter()
        .filter(|u| u.report.meta.year != year)
        .map(|u| (unit_name(u), u.report.meta.year))
        .collect();
    if !odd.is_empty() {
        return Err(MergeError::MixedYears { year, odd });
    }

    let n = schema::leaf_count();
    let mut sums = vec![Decimal::ZERO; n];
    let mut holes = vec![false; n];
    let mut findings = Vec::new();
    let mut rows = Vec::with_capacity(units.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for u in units {
        let name = unit_name(u);
        let mut unit_blanks = Vec::new();
        for (k, c) in u.report.tables.leaf_cells().iter().enumerate() {
            let added = c.decimal().and_then(|d| sums[k].checked_add(d));
            match (c, added) {
                (Cell::Count(_) | Cell::Amount(_), Some(s)) => sums[k] = s,
                _ => {
                    holes[k] = true;
                    unit_blanks.push(schema::leaves()[k]);
                }
            }
        }
        if !unit_blanks.is_empty() {
            let names: Vec<String> = unit_blanks
                .iter()
                .take(3)
                .map(|&f| schema::field(f).accessible_name().to_string())
                .collect();
            findings.push(Finding::new(
                "R6",
                Severity::Warning,
                unit_blanks.iter().map(|&f| schema::field(f).id.clone()).collect(),
                format!(
                    "{name}：有 {} 个单元格空白或无效（{}{}），汇总表中相应单元格保持空白，请该单位补正",
                    unit_blanks.len(),
                    names.join("、"),
                    if unit_blanks.len() > 3 { "等" } else { "" }
                ),
            ));
        }
        let errors = u
            .import_findings
            .iter()
            .chain(check(&u.report).iter())
            .filter(|f| f.severity == Severity::Error)
            .count();
        if errors > 0 {
            findings.push(Finding::new(
                "MERGE",
                Severity::Warning,
                vec![],
                format!("{name}：报告有 {errors} 项错误，汇总结果可能不准确，请核实"),
            ));
        }
        *seen.entry(name.clone()).or_default() += 1;
        rows.push(UnitRow {
            figures: KEY_FIGURES
                .iter()
                .map(|k| figure(&u.report.tables, k))
                .collect(),
            name,
            source: u.source.clone(),
            errors,
        });
    }
    let mut dups: Vec<_> = seen.iter().filter(|(_, c)| **c > 1).collect();
    dups.sort();
    for (name, c) in dups {
        findings.push(Finding::new(
            "MERGE",
            Severity::Warning,
            vec![],
            format!("{name} 出现了 {c} 次，可能重复汇总，请核实"),
        ));
    }
    if let Some(expected) = expected {
        let present: std::collections::HashSet<&str> =
            rows.iter().map(|r| r.name.as_str()).collect();
        let missing: Vec<&str> = expected
            .iter()
            .map(|s| s.trim())
            .filter(|e| !present.contains(e))
            .collect();
        if !missing.is_empty() {
            findings.push(Finding::new(
                "MERGE",
                Severity::Warning,
                vec![],
                format!("缺报 {} 个单位：{}", missing.len(), missing.join("、")),
            ));
        }
        let known: std::collections::HashSet<&str> = expected.iter().map(|s| s.trim()).collect();
        let extra: Vec<&str> = rows
            .iter()
            .map(|r| r.name.as_str())
            .filter(|n| !known.contains(n))
            .collect();
        if !extra.is_empty() {
            findings.push(Finding::new(
                "MERGE",
                Severity::Info,
                vec![],
                format!("以下单位不在应报名单中：{}", extra.join("、")),
            ));
        }
    }

    let mut report = Report::new("", year);
    for (k, &f) in schema::leaves().iter().enumerate() {
        if holes[k] {
            continue;
        }
        // A sum past the parser's bounds becomes invalid text that check()
        // reports, never a clamped number.
        report
            .tables
            .set(f, crate::cell::from_decimal(sums[k], schema::field(f).kind));
    }
    report.meta.merged_units = rows.iter().map(|r| r.name.clone()).collect();
    findings.sort_by_key(|f| f.severity);
    Ok(Merged {
        report,
        findings,
        units: rows,
    })
}

/// The per-unit summary of key figures, as aligned text.
pub fn summary_table(m: &Merged) -> String {
    let mut s = String::new();
    let _ = write!(s, "{}", pad("单位", 24));
    for k in &KEY_FIGURES {
        let _ = write!(s, "{}", pad(k.name, 12));
    }
    let _ = writeln!(s, "错误");
    for u in &m.units {
        let _ = write!(s, "{}", pad(&u.name, 24));
        for v in &u.figures {
            let _ = write!(s, "{}", pad(&show(*v), 12));
        }
        let _ = writeln!(s, "{}", u.errors);
    }
    let _ = write!(s, "{}", pad("合计", 24));
    for k in &KEY_FIGURES {
        let _ = write!(s, "{}", pad(&show(figure(&m.report.tables, k)), 12));
    }
    let _ = writeln!(s);
    s
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The same table as CSV (UTF-8 with BOM, so that Excel/WPS open it right).
pub fn summary_csv(m: &Merged) -> String {
    let mut s = String::from("\u{feff}单位,来源");
    for k in &KEY_FIGURES {
        s.push(',');
        s.push_str(k.name);
    }
    s.push_str(",错误数\n");
    for u in &m.units {
        s.push_str(&csv_field(&u.name));
        s.push(',');
        s.push_str(&csv_field(&u.source));
        for v in &u.figures {
            s.push(',');
            s.push_str(&v.map(|d| d.to_string()).unwrap_or_default());
        }
        let _ = writeln!(s, ",{}", u.errors);
    }
    s
}

#[cfg(test)]
mod tests;
