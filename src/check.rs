//! The rules R1–R14 of the spec, turned into findings a clerk can act on.
//!
//! Every finding names its rule, severity, the cells involved (stable ids),
//! the expected and actual values where they apply, and a plain-Chinese
//! message (DESIGN principle 5).

use crate::cell::{Cell, invalid_reason};
use crate::report::{Narrative, Report, Tables, Value};
use crate::schema::{self, FieldIdx, FieldKind, REQUEST_COLUMNS, TableId};
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Rule id: R1…R14, or `IMPORT` for what the importer could not read.
    pub rule: &'static str,
    pub severity: Severity,
    /// Stable ids of the cells (or `narrative.*` parts) involved.
    pub cells: Vec<String>,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
    /// The finding rests on a cell the importer was unsure of: it may be a
    /// reading problem, not the unit's error (see [`with_import`]).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub reading: bool,
}

impl Finding {
    pub fn new(
        rule: &'static str,
        severity: Severity,
        cells: Vec<String>,
        message: String,
    ) -> Self {
        Finding {
            rule,
            severity,
            cells,
            message,
            expected: None,
            actual: None,
            reading: false,
        }
    }

    /// Found by the importer (what it could not read or had to repair),
    /// not by a rule about the report.
    pub fn is_import(&self) -> bool {
        self.rule == "IMPORT"
    }

    /// A problem of reading the document rather than of the document: an
    /// import finding, or a rule's finding that rests on a cell the
    /// importer was unsure of.
    pub fn from_reading(&self) -> bool {
        self.is_import() || self.reading
    }

    pub fn with_values(mut self, expected: impl ToString, actual: impl ToString) -> Self {
        self.expected = Some(expected.to_string());
        self.actual = Some(actual.to_string());
        self
    }
}

/// Stable ids of the narrative parts, used in findings' `cells`.
pub mod part {
    pub const PREAMBLE: &str = "narrative.preamble";
    pub const OVERVIEW: &str = "narrative.overview";
    pub const PROBLEMS: &str = "narrative.problems";
    pub const OTHER: &str = "narrative.other";
    pub const META_AGENCY: &str = "meta.agency";
    pub const META_YEAR: &str = "meta.year";
}

/// Run every rule over a report. Findings come sorted by severity.
pub fn check(report: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    let t = &report.tables;
    check_meta(report, &mut out);
    check_r1(t, &mut out);
    check_r5(t, &mut out);
    check_r6(t, &mut out);
    check_r7(t, &mut out);
    if let Some(prev) = &report.previous {
        out.extend(cross_year(t, &prev.tables));
    }
    check_r10(report, &mut out);
    check_r11(report, &mut out);
    check_r12(&report.narrative, &mut out);
    check_r13(&report.narrative, &mut out);
    check_r14(t, &mut out);
    narrative::check_r15(report, &mut out);
    narrative::check_r16(report, &mut out);
    out.sort_by_key(|f| f.severity);
    out
}

/// The findings of a report read from a published document: what the
/// importer found, then every rule. A rule's finding that involves a cell
/// the importer was unsure of (named by an import finding; a total counts
/// as unsure when one of its parts is) is marked [`Finding::reading`] and
/// says so, so a reading problem never passes for the unit's error.
pub fn with_import(report: &Report, import: &[Finding]) -> Vec<Finding> {
    let mut all = import.to_vec();
    all.extend(check(report));
    mark_reading(&mut all);
    all.sort_by_key(|f| f.severity);
    all
}

/// Mark the findings that rest on cells named by import findings. A table
/// where the reader failed outright (an import error: a row or a value it
/// could not place) is unsure as a whole, since a value it did place may
/// then stand in the wrong cell.
pub fn mark_reading(findings: &mut [Finding]) {
    let named = |f: &Finding| -> Vec<FieldIdx> {
        f.cells
            .iter()
            .filter_map(|id| schema::field_by_id(id))
            .collect()
    };
    let lost_tables: Vec<TableId> = findings
        .iter()
        .filter(|f| f.is_import() && f.severity == Severity::Error)
        .flat_map(|f| named(f).into_iter().map(|c| schema::field(c).table))
        .collect();
    let unsure: std::collections::HashSet<FieldIdx> = findings
        .iter()
        .filter(|f| f.is_import())
        .flat_map(named)
        .flat_map(|f| crate::identities::leaves_of(f).iter().copied())
        .chain(
            schema::leaves()
                .iter()
                .copied()
                .filter(|&f| lost_tables.contains(&schema::field(f).table)),
        )
        .collect();
    if unsure.is_empty() {
        return;
    }
    for f in findings.iter_mut().filter(|f| !f.is_import() && !f.reading) {
        let involved = f
            .cells
            .iter()
            .filter_map(|id| schema::field_by_id(id))
            .flat_map(|c| crate::identities::leaves_of(c).iter())
            .any(|c| unsure.contains(c));
        if involved {
            f.reading = true;
            f.message.push_str(
                "（涉及读取时没有把握的单元格，可能是读取问题而非报告本身的错误，请对照原件核对）",
            );
        }
    }
}

/// R8 and R9 between a report and last year's tables, wherever last year
/// comes from (the draft's `previous`, or the same unit's report in a
/// reviewer's batch).
pub fn cross_year(this: &Tables, last: &Tables) -> Vec<Finding> {
    let mut out = Vec::new();
    check_r8(this, last, &mut out);
    check_r9(this, last, &mut out);
    out
}

fn id(f: FieldIdx) -> String {
    schema::field(f).id.clone()
}

fn req(row: &str, col: &str) -> FieldIdx {
    schema::idx(TableId::Requests, row, col)
}

fn check_meta(r: &Report, out: &mut Vec<Finding>) {
    if r.meta.agency.trim().is_empty() {
        out.push(Finding::new(
            "R6",
            Severity::Warning,
            vec![part::META_AGENCY.into()],
            "未填写机关名称，报告标题将不完整".into(),
        ));
    }
    if let Some(problem) = crate::report::year_problem(r.meta.year) {
        out.push(Finding::new(
            "R6",
            Severity::Warning,
            vec![part::META_YEAR.into()],
            format!("{problem}，请填写四位年份"),
        ));
    }
    // Invisible direction controls can make published text read in another
    // order than it was typed; the exports drop them, and the clerk is told.
    let n = r.bidi_count();
    if n > 0 {
        out.push(Finding::new(
            "TEXT",
            Severity::Warning,
            vec![],
            format!(
                "文字中有 {n} 个不可见的文字方向控制符（可能来自复制粘贴），它们会改变文字的显示顺序；导出时已删除，建议在原文中删除"
            ),
        ));
    }
}

/// R1: new + carried_over = results_total + carried_forward, per applicant column.
///
/// The total column is the sum of the six, so it balances whenever they do;
/// checking it too would only repeat the same finding.
fn check_r1(t: &Tables, out: &mut Vec<Finding>) {
    for col in REQUEST_COLUMNS.iter().filter(|c| !c.derived) {
        let rows = ["new", "carried_over", "results_total", "carried_forward"];
        let fs = rows.map(|r| req(r, col.id));
        let vals = fs.map(|f| t.value(f));
        let cells: Vec<String> = fs.iter().map(|&f| id(f)).collect();
        let known: Option<Vec<Decimal>> = vals
            .iter()
            .map(|v| match v {
                Value::Sum {
                    value,
                    complete: true,
                } => Some(*value),
                _ => None,
            })
            .collect();
        match known {
            Some(v) => {
                let (lhs, rhs) = (v[0] + v[1], v[2] + v[3]);
                if lhs != rhs {
                    out.push(
                        Finding::new(
                            "R1",
                            Severity::Error,
                            cells,
                            format!(
                                "{}列：新收 {} + 上年结转 {} = {}，办理结果总计 {} + 结转下年度 {} = {}，相差 {}",
                                col.label,
                                v[0],
                                v[1],
                                lhs,
                                v[2],
                                v[3],
                                rhs,
                                (lhs - rhs).abs()
                            ),
                        )
                        .with_values(lhs, rhs),
                    );
                }
            }
            None => {
                if vals.iter().all(|v| *v == Value::Blank) {
                    // Nothing entered in this column yet: R6 already lists the blanks.
                    continue;
                }
                out.push(Finding::new(
                    "R1",
                    Severity::Warning,
                    cells,
                    format!(
                        "{}列：有空白或无效的单元格，无法确认“新收 + 上年结转 = 办理结果总计 + 结转下年度”",
                        col.label
                    ),
                ));
            }
        }
    }
}

/// R2–R4 for a published report: a printed total that differs from the sum
/// of its parts. `printed` pairs derived fields with the cell as printed.
pub fn check_printed_totals(t: &Tables, printed: &[(FieldIdx, Cell)]) -> Vec<Finding> {
    let mut out = Vec::new();
    for (f, cell) in printed {
        let field = schema::field(*f);
        let rule = match (field.table, field.row, field.col) {
            (TableId::Appeals, ..) => "R4",
            (TableId::Requests, "results_total", _) => "R2",
            _ => "R3",
        };
        let derived = t.value(*f);
        let name = printed_name(*f);
        match (cell, &derived) {
            (Cell::Blank, Value::Sum { value, .. }) => out.push(
                Finding::new(
                    rule,
                    Severity::Error,
                    vec![field.id.clone()],
                    format!("{name} 印为空白，分项之和为 {value}；空白不能当作 0"),
                )
                .with_values(value, ""),
            ),
            (Cell::Invalid(s), _) => out.push(Finding::new(
                rule,
                Severity::Error,
                vec![field.id.clone()],
                format!("{name} 印为“{s}”，不是数字"),
            )),
            (c, Value::Sum { value, .. }) if c.decimal() != Some(*value) => out.push(
                Finding::new(
                    rule,
                    Severity::Error,
                    vec![field.id.clone()],
                    format!("{name} 印为 {}，分项之和为 {value}", c.display()),
                )
                .with_values(value, c.display()),
            ),
            _ => {}
        }
    }
    out
}

/// "（七）总计 · 自然人" style name for a printed total.
fn printed_name(f: FieldIdx) -> String {
    let field = schema::field(f);
    match field.table {
        TableId::Appeals => format!("{}·{}", field.row_label, field.col_label),
        _ => format!("{}（{}列）", field.row_label, field.col_label),
    }
}

fn table_prefix(f: FieldIdx) -> String {
    let field = schema::field(f);
    format!("{}“{}”", field.table.short_name(), field.accessible_name())
}

/// R5: text that is not a valid number.
fn check_r5(t: &Tables, out: &mut Vec<Finding>) {
    for &f in schema::leaves() {
        if let Cell::Invalid(text) = t.get(f) {
            let kind = schema::field(f).kind;
            let why = invalid_reason(text, kind).unwrap_or_else(|| "不是有效的数值".into());
            out.push(
                Finding::new(
                    "R5",
                    Severity::Error,
                    vec![id(f)],
                    format!("{}填写为“{}”：{}", table_prefix(f), text, why),
                )
                .with_values(
                    if kind == FieldKind::Count {
                        "非负整数"
                    } else {
                        "非负金额（万元）"
                    },
                    text,
                ),
            );
        }
    }
}

/// R6: blanks. The format wants 0 written out; one finding per table lists them.
fn check_r6(t: &Tables, out: &mut Vec<Finding>) {
    for table in TableId::ALL {
        let blanks: Vec<FieldIdx> = schema::leaves()
            .iter()
            .copied()
            .filter(|&f| schema::field(f).table == table && t.get(f).is_blank())
            .collect();
        if blanks.is_empty() {
            continue;
        }
        let names: Vec<String> = blanks
            .iter()
            .take(3)
            .map(|&f| schema::field(f).accessible_name().to_string())
            .collect();
        let more = if blanks.len() > 3 {
            format!("等 {} 格", blanks.len())
        } else {
            String::new()
        };
        out.push(Finding::new(
            "R6",
            Severity::Warning,
            blanks.iter().map(|&f| id(f)).collect(),
            format!(
                "{}有空白单元格：{}{}。没有发生的请填 0，空白不等于 0",
                table.short_name(),
                names.join("、"),
                more
            ),
        ));
    }
}

/// R7: the fee in 万元 — more than 6 decimals, or a size that looks like 元.
fn check_r7(t: &Tables, out: &mut Vec<Finding>) {
    let f = schema::idx(TableId::Active, "fees_wan", "");
    if let Cell::Amount(d) = t.get(f) {
        if d.scale() > 6 {
            out.push(Finding::new(
                "R7",
                Severity::Warning,
                vec![id(f)],
                format!("行政事业性收费 {d} 万元有 {} 位小数，超过 6 位（即精确到 0.01 元），请核对单位", d.scale()),
            ));
        }
        if *d >= Decimal::from(1_000_000) {
            out.push(Finding::new(
                "R7",
                Severity::Warning,
                vec![id(f)],
                format!(
                    "行政事业性收费 {d} 万元（即 {} 亿元）数额很大，是否误按“元”填写？单位应为万元",
                    (d / Decimal::from(10_000)).normalize()
                ),
            ));
        }
    }
}

/// R8: this year's 上年结转 equals last year's 结转下年度, column by column.
fn check_r8(t: &Tables, prev: &Tables, out: &mut Vec<Finding>) {
    for col in REQUEST_COLUMNS.iter().filter(|c| !c.derived) {
        let this = req("carried_over", col.id);
        let last = req("carried_forward", col.id);
        let (a, b) = (t.get(this), prev.get(last));
        if let (Some(a), Some(b)) = (a.decimal(), b.decimal())
            && a != b
        {
            out.push(
                Finding::new(
                    "R8",
                    Severity::Error,
                    vec![id(this)],
                    format!(
                        "{}列：本年“上年结转”为 {a}，但上年报告“结转下年度继续办理”为 {b}",
                        col.label
                    ),
                )
                .with_values(b, a),
            );
        }
    }
}

/// R9: in_force ≈ last in_force + issued − repealed (a hint only).
fn check_r9(t: &Tables, prev: &Tables, out: &mut Vec<Finding>) {
    for (row, label) in [
        ("regulations", "规章"),
        ("normative_documents", "行政规范性文件"),
    ] {
        let get = |tb: &Tables, c: &str| tb.cell(TableId::Active, row, c).decimal();
        let (Some(last), Some(issued), Some(repealed), Some(now)) = (
            get(prev, "in_force"),
            get(t, "issued"),
            get(t, "repealed"),
            get(t, "in_force"),
        ) else {
            continue;
        };
        let expected = last + issued - repealed;
        if expected != now {
            out.push(
                Finding::new(
                    "R9",
                    Severity::Warning,
                    vec![id(schema::idx(TableId::Active, row, "in_force"))],
                    format!(
                        "{label}：上年现行有效 {last} + 本年制发 {issued} − 本年废止 {repealed} = {expected}，本年现行有效填 {now}。如有集中清理，请在正文说明"
                    ),
                )
                .with_values(expected, now),
            );
        }
    }
}

/// A narrative phrase whose number must match the tables (R10).
pub struct NarrativePattern {
    /// The words just before the number.
    pub anchor: &'static str,
    /// What it is called in the message.
    pub what: &'static str,
    /// Fields whose sum the number must equal.
    pub fields: &'static [&'static str],
}

/// R10 patterns: extend this table to recognise more phrasings.
pub static NARRATIVE_PATTERNS: &[NarrativePattern] = &[
    NarrativePattern {
        anchor: "政府信息公开申请",
        what: "新收申请",
        fields: &["requests.new.total"],
    },
    NarrativePattern {
        anchor: "受理依申请公开",
        what: "新收申请",
        fields: &["requests.new.total"],
    },
    NarrativePattern {
        anchor: "收到依申请公开",
        what: "新收申请",
        fields: &["requests.new.total"],
    },
    NarrativePattern {
        anchor: "行政复议",
        what: "行政复议",
        fields: &["appeals.review.total"],
    },
    NarrativePattern {
        anchor: "行政诉讼",
        what: "行政诉讼",
        fields: &[
            "appeals.suit_direct.total",
            "appeals.suit_after_review.total",
        ],
    },
    NarrativePattern {
        anchor: "上年结转",
        what: "上年结转申请",
        fields: &["requests.carried_over.total"],
    },
    NarrativePattern {
        anchor: "已办结",
        what: "办理结果总计",
        fields: &["requests.results_total.total"],
    },
    NarrativePattern {
        anchor: "答复",
        what: "办理结果总计",
        fields: &["requests.results_total.total"],
    },
    NarrativePattern {
        anchor: "予以公开",
        what: "予以公开",
        fields: &["requests.disclosed.total"],
    },
    NarrativePattern {
        anchor: "部分公开",
        what: "部分公开",
        fields: &["requests.partly_disclosed.total"],
    },
    NarrativePattern {
        anchor: "不予公开",
        what: "不予公开",
        fields: &["requests.@withheld.total"],
    },
    NarrativePattern {
        anchor: "无法提供",
        what: "无法提供",
        fields: &["requests.@unable.total"],
    },
    NarrativePattern {
        anchor: "不予处理",
        what: "不予处理",
        fields: &["requests.@declined.total"],
    },
    NarrativePattern {
        anchor: "其他处理",
        what: "其他处理",
        fields: &["requests.@other.total"],
    },
    NarrativePattern {
        anchor: "结转下年度继续办理",
        what: "结转下年度继续办理",
        fields: &["requests.carried_forward.total"],
    },
    NarrativePattern {
        anchor: "行政许可决定",
        what: "行政许可",
        fields: &["active.licensing"],
    },
    NarrativePattern {
        anchor: "行政处罚决定",
        what: "行政处罚",
        fields: &["active.penalty"],
    },
    NarrativePattern {
        anchor: "行政强制决定",
        what: "行政强制",
        fields: &["active.coercion"],
    },
    NarrativePattern {
        anchor: "现行有效行政规范性文件",
        what: "现行有效行政规范性文件",
        fields: &["active.normative_documents.in_force"],
    },
    NarrativePattern {
        anchor: "现行有效规范性文件",
        what: "现行有效行政规范性文件",
        fields: &["active.normative_documents.in_force"],
    },
];

/// Filler words allowed between an anchor and its number ("共计", "案件").
const MAX_GAP: usize = 4;

/// The characters of a number written in Chinese.
const CHINESE_DIGITS: &str = "零〇一二两三四五六七八九十百千万";

/// A number written in Chinese at the start of `s` ("三", "十二", "一百零五",
/// "两千三百"), with its length in bytes. Up to 99,999,999.
pub fn chinese_number(s: &str) -> Option<(u64, usize)> {
    let digit = |c: char| {
        "零一二三四五六七八九"
            .find(c)
            .map(|i| (i / 3) as u64)
            .or(match c {
                '〇' => Some(0),
                '两' => Some(2),
                _ => None,
            })
    };
    let (mut total, mut section, mut last) = (0u64, 0u64, None::<u64>);
    let mut len = 0;
    for c in s.chars() {
        if let Some(d) = digit(c) {
            last = Some(d);
        } else {
            let unit = match c {
                '十' => 10,
                '百' => 100,
                '千' => 1000,
                '万' => 10_000,
                _ => break,
            };
            let n = last.take().unwrap_or(if unit == 10 { 1 } else { 0 });
            if unit == 10_000 {
                total = (section + n) * 10_000;
                section = 0;
            } else {
                section += n * unit;
            }
        }
        len += c.len_utf8();
    }
    if len == 0 {
        return None;
    }
    Some((total + section + last.unwrap_or(0), len))
}

/// Find "anchor … N件" in `text`: the numbers that follow each anchor,
/// written in digits or in Chinese ("三件", "一百零五件").
pub fn numbers_after(text: &str, anchor: &str) -> Vec<u64> {
    let mut out = Vec::new();
    for (pos, _) in text.match_indices(anchor) {
        // "予以公开及部分公开42件" joins two categories under one number:
        // neither anchor owns it. A word (not a count) joined by 及/和/与/、
        // just before the anchor, or a conjunction between anchor and
        // number, means the number is a combined one.
        let before: Vec<char> = text[..pos].chars().rev().take(5).collect();
        let joined = match before.first() {
            Some('及' | '和' | '与') => true,
            Some('、') => !before[1..].iter().any(|c| c.is_ascii_digit() || *c == '件'),
            _ => false,
        };
        if joined {
            continue;
        }
        let rest = &text[pos + anchor.len()..];
        let mut chars = rest.char_indices().peekable();
        let mut gap = 0;
        while let Some(&(_, c)) = chars.peek() {
            if c.is_ascii_digit()
                || CHINESE_DIGITS.contains(c)
                || gap > MAX_GAP
                || "，。、；：,.;:（）()“”及和与".contains(c)
            {
                break;
            }
            gap += 1;
            chars.next();
        }
        let Some(&(at, _)) = chars.peek() else {
            continue;
        };
        let number = &rest[at..];
        let digits: String = number.chars().take_while(|c| c.is_ascii_digit()).collect();
        let (value, len) = if digits.is_empty() {
            match chinese_number(number) {
                Some(v) => v,
                None => continue,
            }
        } else {
            match digits.parse() {
                Ok(v) => (v, digits.len()),
                Err(_) => continue,
            }
        };
        if number[len..].starts_with('件') {
            out.push(value);
        }
    }
    out
}

/// The fields a pattern sums: stable ids, or `requests.@GROUP.total` for
/// the totals of every row of a 表三 group (derived from the schema).
pub fn pattern_fields(p: &NarrativePattern) -> Vec<FieldIdx> {
    p.fields
        .iter()
        .flat_map(|id| {
            match id
                .strip_prefix("requests.@")
                .and_then(|g| g.strip_suffix(".total"))
            {
                Some(group) => schema::REQUEST_ROWS
                    .iter()
                    .filter(|r| r.groups.contains(&group))
                    .map(|r| schema::idx(TableId::Requests, r.id, "total"))
                    .collect::<Vec<_>>(),
                None => schema::field_by_id(id).into_iter().collect(),
            }
        })
        .collect()
}

/// A pattern's value in the tables: `None` when a part is blank or invalid.
pub fn pattern_value(t: &Tables, p: &NarrativePattern) -> Option<Decimal> {
    t.complete_sum(pattern_fields(p))
}

fn check_r10(r: &Report, out: &mut Vec<Finding>) {
    let text = crate::cell::fold_width(&r.narrative.overview_text());
    for p in NARRATIVE_PATTERNS {
        let fs = pattern_fields(p);
        let Some(total) = pattern_value(&r.tables, p) else {
            continue;
        };
        for n in numbers_after(&text, p.anchor) {
            if Decimal::from(n) != total {
                out.push(
                    Finding::new(
                        "R10",
                        Severity::Warning,
                        fs.iter()
                            .map(|&f| id(f))
                            .chain([part::OVERVIEW.to_string()])
                            .collect(),
                        format!(
                            "正文“一、总体情况”写“{}{n}件”，但表格中{}为 {total}",
                            p.anchor, p.what
                        ),
                    )
                    .with_values(total, n),
                );
            }
        }
    }
}

/// Empty, "无", or under ten 汉字: a 五 that says nothing.
fn is_trivial(text: &str) -> bool {
    let han = text
        .chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count();
    han < 10
}

/// R11: 五 is not empty nor "无"; with last year known, parts are not copied.
fn check_r11(r: &Report, out: &mut Vec<Finding>) {
    let n = &r.narrative;
    if is_trivial(&n.problems) {
        out.push(Finding::new(
            "R11",
            Severity::Warning,
            vec![part::PROBLEMS.into()],
            "“五、存在的主要问题及改进情况”为空、只写了“无”或不足十个字，应实事求是写明问题和改进措施".into(),
        ));
    }
    let Some(prev) = &r.previous else { return };
    for (part_id, name, this, last) in [
        (
            part::PROBLEMS,
            "五、存在的主要问题及改进情况",
            n.problems.clone(),
            prev.narrative.problems.clone(),
        ),
        (
            part::OVERVIEW,
            "一、总体情况",
            n.overview_text(),
            prev.narrative.overview_text(),
        ),
        (
            part::OTHER,
            "六、其他需要报告的事项",
            n.other.clone(),
            prev.narrative.other.clone(),
        ),
    ] {
        let Some(share) = crate::similarity::repetition(&this, &last) else {
            continue;
        };
        if share > crate::similarity::DEFAULT_THRESHOLD && !is_trivial(&this) {
            let how = if share >= 99.95 {
                "完全相同".to_string()
            } else {
                format!(
                    "重复 {share:.0}%（超过 {:.0}%）",
                    crate::similarity::DEFAULT_THRESHOLD
                )
            };
            let mut f = Finding::new(
                "R11",
                Severity::Warning,
                vec![part_id.into()],
                format!("“{name}”与上年报告{how}，不得年年雷同"),
            );
            f.actual = Some(format!("{share:.0}%"));
            out.push(f);
        }
    }
    if !r.tables.is_empty() && r.tables == prev.tables {
        out.push(Finding::new(
            "R11",
            Severity::Warning,
            vec![],
            "三张统计表与上年报告完全相同，请核实是否忘记更新数据".into(),
        ));
    }
}

/// R12: 六 reports the 信息处理费.
fn check_r12(n: &Narrative, out: &mut Vec<Finding>) {
    if !(n.other.contains("信息处理费") || n.other.contains("信息公开处理费")) {
        out.push(Finding::new(
            "R12",
            Severity::Warning,
            vec![part::OTHER.into()],
            "“六、其他需要报告的事项”未说明收取信息处理费的情况（未收取也应写明）".into(),
        ));
    }
}

/// Count 汉字 (CJK ideographs) in a text.
pub fn hanzi_count(s: &str) -> usize {
    s.chars()
        .filter(|&c| matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2FFFF | 0xF900..=0xFAFF))
        .count()
}

/// Where R13 starts to speak.
pub const OVERVIEW_LIMIT: usize = 1000;

/// R13: 一 is at most about 1000 汉字.
fn check_r13(n: &Narrative, out: &mut Vec<Finding>) {
    let count = hanzi_count(&n.overview_text());
    if count > OVERVIEW_LIMIT {
        out.push(
            Finding::new(
                "R13",
                Severity::Info,
                vec![part::OVERVIEW.into()],
                format!("“一、总体情况”共 {count} 个汉字，篇幅原则上不超过一千字"),
            )
            .with_values(OVERVIEW_LIMIT, count),
        );
    }
}

/// R14: （六）3.其他 is a large share of all results.
fn check_r14(t: &Tables, out: &mut Vec<Finding>) {
    let misc = t.value(req("other_misc", "total")).decimal();
    let all = t.value(req("results_total", "total")).decimal();
    if let (Some(misc), Some(all)) = (misc, all)
        && misc >= Decimal::from(3)
        && misc * Decimal::from(5) >= all
    {
        let pct = (misc * Decimal::from(100) / all).round_dp(1);
        out.push(Finding::new(
            "R14",
            Severity::Info,
            vec![id(req("other_misc", "total"))],
            format!("“（六）其他处理·3.其他”共 {misc} 件，占办理结果的 {pct}%，审核时常被问及，请在正文说明具体情形"),
        ));
    }
}

mod narrative;

#[cfg(test)]
mod tests;
