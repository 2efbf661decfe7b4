//! The report model: meta, narrative, and the leaf cells of the three tables.
//!
//! Totals are never stored; [`Tables::value`] derives them from their parts
//! (DESIGN principle 3).

use crate::cell::Cell;
use crate::schema::{self, FieldIdx, TableId};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The administrative level of the reporting agency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Level {
    #[default]
    部门,
    乡镇街道,
    县级政府,
    市级政府,
    省级政府,
    其他,
}

impl Level {
    pub const ALL: [Level; 6] = [
        Level::部门,
        Level::乡镇街道,
        Level::县级政府,
        Level::市级政府,
        Level::省级政府,
        Level::其他,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Level::部门 => "部门",
            Level::乡镇街道 => "乡镇（街道）",
            Level::县级政府 => "县级政府",
            Level::市级政府 => "市级政府",
            Level::省级政府 => "省级政府",
            Level::其他 => "其他",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Meta {
    /// 机关名称.
    pub agency: String,
    /// The year the report covers.
    pub year: i32,
    pub level: Option<Level>,
    pub contact: String,
    pub publish_date: String,
    /// For a 汇总 report: the units it was merged from.
    pub merged_units: Vec<String>,
    /// 表三 was counted from this request ledger.
    pub ledger: Option<crate::ledger::Source>,
}

/// A sub-section of 一、总体情况: its heading as printed and its text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Subsection {
    pub heading: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Narrative {
    /// Text before 一 (legal basis, statistics period, contact).
    pub preamble: String,
    /// Text of 一 before its first sub-heading.
    pub overview: String,
    pub overview_subs: Vec<Subsection>,
    /// 五、存在的主要问题及改进情况.
    pub problems: String,
    /// 六、其他需要报告的事项.
    pub other: String,
}

impl Default for Narrative {
    fn default() -> Self {
        Narrative {
            preamble: String::new(),
            overview: String::new(),
            overview_subs: schema::OVERVIEW_SUBHEADINGS
                .iter()
                .map(|h| Subsection {
                    heading: h.to_string(),
                    text: String::new(),
                })
                .collect(),
            problems: String::new(),
            other: String::new(),
        }
    }
}

impl Narrative {
    /// All of 一 as one text (intro and sub-sections with their headings).
    pub fn overview_text(&self) -> String {
        let mut s = self.overview.clone();
        for sub in &self.overview_subs {
            for part in [&sub.heading, &sub.text] {
                if !part.is_empty() {
                    if !s.is_empty() {
                        s.push('\n');
                    }
                    s.push_str(part);
                }
            }
        }
        s
    }

    pub fn is_empty(&self) -> bool {
        self.preamble.trim().is_empty()
            && self.overview.trim().is_empty()
            && self.overview_subs.iter().all(|s| s.text.trim().is_empty())
            && self.problems.trim().is_empty()
            && self.other.trim().is_empty()
    }
}

/// The leaf cells of all three tables, indexed by leaf position in the schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tables {
    cells: Vec<Cell>,
}

impl Default for Tables {
    fn default() -> Self {
        Tables {
            cells: vec![Cell::Blank; schema::leaf_count()],
        }
    }
}

/// A derived or leaf value as the tables show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// Every part is blank.
    Blank,
    /// A sum; `complete` is false when some parts were blank.
    Sum { value: Decimal, complete: bool },
    /// Some part is invalid text, so the sum is unknown.
    Unknown,
    /// A leaf's invalid text.
    Invalid(String),
}

impl Value {
    pub fn decimal(&self) -> Option<Decimal> {
        match self {
            Value::Sum { value, .. } => Some(*value),
            _ => None,
        }
    }

    /// Display text: blanks stay blank, never an invented 0.
    pub fn display(&self) -> String {
        match self {
            Value::Blank => String::new(),
            Value::Sum { value, .. } => value.to_string(),
            Value::Unknown => "?".into(),
            Value::Invalid(s) => s.clone(),
        }
    }
}

impl Tables {
    /// The stored cell of a leaf field. Panics if `f` is derived.
    pub fn get(&self, f: FieldIdx) -> &Cell {
        let leaf = schema::field(f)
            .leaf
            .expect("derived fields are not stored");
        &self.cells[leaf]
    }

    pub fn set(&mut self, f: FieldIdx, cell: Cell) {
        let leaf = schema::field(f).leaf.expect("derived fields cannot be set");
        self.cells[leaf] = cell;
    }

    /// Leaf cells in schema order.
    pub fn leaf_cells(&self) -> &[Cell] {
        &self.cells
    }

    pub fn leaf_cells_mut(&mut self) -> &mut [Cell] {
        &mut self.cells
    }

    /// Convenience: the cell at `table.row.col` (leaf fields only).
    pub fn cell(&self, table: TableId, row: &str, col: &str) -> &Cell {
        self.get(schema::idx(table, row, col))
    }

    pub fn set_cell(&mut self, table: TableId, row: &str, col: &str, cell: Cell) {
        self.set(schema::idx(table, row, col), cell);
    }

    /// The value of any field, leaf or derived.
    pub fn value(&self, f: FieldIdx) -> Value {
        let field = schema::field(f);
        match field.leaf {
            Some(leaf) => match &self.cells[leaf] {
                Cell::Blank => Value::Blank,
                Cell::Invalid(s) => Value::Invalid(s.clone()),
                c => Value::Sum {
                    value: c.decimal().unwrap_or_default(),
                    complete: true,
                },
            },
            None => self.sum(&field.parts),
        }
    }

    /// Sum of leaf fields with blank/invalid tracking.
    pub fn sum(&self, parts: &[FieldIdx]) -> Value {
        let mut total = Decimal::ZERO;
        let mut any = false;
        let mut blanks = false;
        for &p in parts {
            match self.get(p) {
                Cell::Blank => blanks = true,
                Cell::Invalid(_) => return Value::Unknown,
                c => {
                    any = true;
                    // Validated cells cannot overflow a Decimal, but a sum
                    // that would is unknown, never a panic.
                    match total.checked_add(c.decimal().unwrap_or_default()) {
                        Some(t) => total = t,
                        None => return Value::Unknown,
                    }
                }
            }
        }
        if !any {
            Value::Blank
        } else {
            Value::Sum {
                value: total,
                complete: !blanks,
            }
        }
    }

    /// The sum of some fields' values, or `None` when any of them is blank,
    /// incomplete or invalid, or the sum would overflow (key figures, R10).
    pub fn complete_sum(&self, fields: impl IntoIterator<Item = FieldIdx>) -> Option<Decimal> {
        let mut total = Decimal::ZERO;
        for f in fields {
            match self.value(f) {
                Value::Sum {
                    value,
                    complete: true,
                } => total = total.checked_add(value)?,
                _ => return None,
            }
        }
        Some(total)
    }

    /// Is every leaf blank?
    pub fn is_empty(&self) -> bool {
        self.cells.iter().all(Cell::is_blank)
    }
}

/// Drafts store leaf cells as a map from stable id to cell, so the file is
/// readable and survives the schema gaining rows.
impl Serialize for Tables {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let map: BTreeMap<&str, &Cell> = schema::leaves()
            .iter()
            .zip(&self.cells)
            .filter(|(_, c)| !c.is_blank())
            .map(|(&f, c)| (schema::field(f).id.as_str(), c))
            .collect();
        map.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Tables {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = BTreeMap::<String, Cell>::deserialize(d)?;
        let mut t = Tables::default();
        for (id, cell) in map {
            // Unknown ids (from a future or older schema) are skipped rather than fatal.
            if let Some(f) = schema::field_by_id(&id)
                && let Some(leaf) = schema::field(f).leaf
            {
                // A draft is trusted no more than the keyboard.
                t.cells[leaf] = crate::cell::validated(cell, schema::field(f).kind);
            }
        }
        Ok(t)
    }
}

/// Last year's report, kept inside this year's draft for the cross-year rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Previous {
    pub year: i32,
    pub tables: Tables,
    pub narrative: Narrative,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Report {
    pub meta: Meta,
    pub narrative: Narrative,
    pub tables: Tables,
    pub previous: Option<Previous>,
}

impl Report {
    /// An empty report for an agency and year.
    pub fn new(agency: &str, year: i32) -> Self {
        Report {
            meta: Meta {
                agency: agency.to_string(),
                year,
                ..Meta::default()
            },
            ..Report::default()
        }
    }

    pub fn title(&self) -> String {
        schema::report_title(&self.meta.agency, self.meta.year)
    }
}

/// Years a report can be about: the 条例 took effect in 2008, and anything
/// past 2100 is a typo. Drafts, imports, new-year and merge all refuse a year
/// outside this range (0 means "not filled in yet" and is allowed in drafts).
pub const YEARS: std::ops::RangeInclusive<i32> = 2008..=2100;

/// Why a report year cannot be used, in Chinese; `None` if it is fine.
pub fn year_problem(year: i32) -> Option<String> {
    if YEARS.contains(&year) {
        None
    } else if year == 0 {
        Some("没有填写报告年度".into())
    } else {
        Some(format!(
            "报告年度 {year} 不在 {}—{} 年之间，请核对",
            YEARS.start(),
            YEARS.end()
        ))
    }
}

/// Bidirectional control characters reorder text visually: a published
/// sentence could read differently from what was typed. They never belong
/// in a report, so every way in (draft, import, paste) drops them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Drop bidirectional controls from a text; returns how many were dropped.
pub fn strip_bidi(s: &mut String) -> usize {
    let before = s.chars().count();
    if s.chars().any(is_bidi_control) {
        s.retain(|c| !is_bidi_control(c));
    }
    before - s.chars().count()
}

/// The free texts of a report, shared or mutable: one list for both, so a
/// new text field is cleaned and counted alike.
macro_rules! report_texts {
    ($r:expr, [$($m:tt)?], $iter:ident, $opt:ident) => {{
        let r = $r;
        let mut v = vec![
            &$($m)? r.meta.agency,
            &$($m)? r.meta.contact,
            &$($m)? r.meta.publish_date,
        ];
        v.extend(r.meta.merged_units.$iter());
        for n in std::iter::once(&$($m)? r.narrative)
            .chain(r.previous.$opt().map(|p| &$($m)? p.narrative))
        {
            v.extend([&$($m)? n.preamble, &$($m)? n.overview, &$($m)? n.problems, &$($m)? n.other]);
            for sub in &$($m)? n.overview_subs {
                v.extend([&$($m)? sub.heading, &$($m)? sub.text]);
            }
        }
        v.extend(r.tables.cells.$iter().filter_map(|c| match c {
            Cell::Invalid(s) => Some(s),
            _ => None,
        }));
        v
    }};
}

impl Report {
    /// Every free text of the report, mutable, for cleaning on the way in.
    pub fn texts_mut(&mut self) -> Vec<&mut String> {
        report_texts!(self, [mut], iter_mut, as_mut)
    }

    /// Every free text of the report.
    pub fn texts(&self) -> Vec<&String> {
        report_texts!(self, [], iter, as_ref)
    }

    /// How many bidirectional controls the report's texts hold.
    pub fn bidi_count(&self) -> usize {
        self.texts()
            .into_iter()
            .map(|t| t.chars().filter(|&c| is_bidi_control(c)).count())
            .sum()
    }

    /// Drop bidirectional controls from every text; returns how many.
    pub fn strip_bidi(&mut self) -> usize {
        self.texts_mut().into_iter().map(strip_bidi).sum()
    }
}

/// The year a report written now is about: last calendar year.
pub fn default_report_year() -> i32 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    civil_year(secs.div_euclid(86_400)) - 1
}

/// The calendar year of a day count since 1970-01-01 (proleptic Gregorian).
fn civil_year(days: i64) -> i32 {
    crate::date::civil_from_days(days).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_year_known_days() {
        assert_eq!(civil_year(0), 1970);
        assert_eq!(civil_year(19_723), 2024); // 2024-01-01
        assert_eq!(civil_year(19_722), 2023); // 2023-12-31
        assert_eq!(civil_year(20_593), 2026); // 2026-05-20
    }

    #[test]
    fn derived_totals_track_blanks_and_invalid() {
        let mut t = Tables::default();
        let total = schema::idx(TableId::Requests, "new", "total");
        assert_eq!(t.value(total), Value::Blank);
        t.set_cell(TableId::Requests, "new", "natural_person", Cell::Count(14));
        assert_eq!(
            t.value(total),
            Value::Sum {
                value: 14.into(),
                complete: false
            }
        );
        for c in [
            "commercial",
            "research",
            "public_interest",
            "legal_service",
            "other_org",
        ] {
            t.set_cell(TableId::Requests, "new", c, Cell::Count(1));
        }
        assert_eq!(
            t.value(total),
            Value::Sum {
                value: 19.into(),
                complete: true
            }
        );
        t.set_cell(
            TableId::Requests,
            "new",
            "research",
            Cell::Invalid("x".into()),
        );
        assert_eq!(t.value(total), Value::Unknown);
    }
}
