//! 表三 counted from the 依申请公开 ledger (登记台账) instead of by hand.
//!
//! A ledger has one row per request: who asked (a name, a type, or both),
//! when it arrived, what was decided (with the reason, perhaps in 备注),
//! when it was answered. This module reads a whole workbook (`.xlsx`,
//! `.xls`, `.ods` with calamine; `.csv` in UTF-8 or GBK), finds in each
//! sheet the header under any title rows and maps its columns
//! ([`auto_map`]), decides which sheets hold requests ([`count::plan`]),
//! classifies every row by the keyword tables in [`keywords`]
//! ([`classify`]), skips rows that are no requests ([`rows`]), counts 表三
//! and runs the ledger's own checks ([`count::count`]). A row a careful
//! clerk could not decide either is never guessed: it is listed as unclear
//! until the clerk decides, and a decision is remembered for identical text.

mod cfb_guard;
pub mod classify;
pub mod count;
pub mod keywords;
pub(crate) mod read;
pub mod rows;

pub use count::{Ask, Check, Counted, Outcome, Place, SheetPlan, Unclear, count, plan};
pub use read::{MAX_COLS, MAX_ROWS};

use crate::cell::Cell;
use crate::report::Report;
use crate::schema::{self, REQUEST_COLUMNS, TableId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use crate::date::parse as parse_date;
pub use read::{Sheet, read_path};

/// Count one sheet with a given header and mapping (a workbook of one).
pub fn count_sheet(
    sheet: &Sheet,
    header: &Header,
    map: &Mapping,
    year: i32,
    memory: &Memory,
) -> Counted {
    let p = SheetPlan {
        name: sheet.name.clone(),
        header: Some(header.clone()),
        mapping: map.clone(),
        counted: true,
        left_out: None,
        year: None,
    };
    count(std::slice::from_ref(sheet), &[p], year, memory)
}

/// What a ledger column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Field {
    Id,
    ApplicantName,
    ApplicantType,
    Received,
    Result,
    Reason,
    Remarks,
    Answered,
    CarryOver,
    Corrected,
    Extended,
}

impl Field {
    pub const ALL: [Field; 11] = [
        Field::Id,
        Field::ApplicantName,
        Field::ApplicantType,
        Field::Received,
        Field::Result,
        Field::Reason,
        Field::Remarks,
        Field::Answered,
        Field::CarryOver,
        Field::Corrected,
        Field::Extended,
    ];

    /// The name used in `--map 列名=字段` and in the GUI.
    pub fn label(self) -> &'static str {
        match self {
            Field::Id => "申请编号",
            Field::ApplicantName => "申请人",
            Field::ApplicantType => "申请人类型",
            Field::Received => "收到日期",
            Field::Result => "处理结果",
            Field::Reason => "不予公开理由",
            Field::Remarks => "备注",
            Field::Answered => "答复日期",
            Field::CarryOver => "是否结转",
            Field::Corrected => "补正日期",
            Field::Extended => "是否延期",
        }
    }

    pub fn from_label(s: &str) -> Option<Field> {
        let s = s.trim();
        Field::ALL.into_iter().find(|f| f.label() == s).or(match s {
            "申请人名称" | "申请人姓名" | "姓名" => Some(Field::ApplicantName),
            "申请人类别" => Some(Field::ApplicantType),
            "申请时间" | "登记日期" | "收到时间" => Some(Field::Received),
            "答复结果" | "答复类型" => Some(Field::Result),
            "理由" => Some(Field::Reason),
            "答复情况" | "说明" => Some(Field::Remarks),
            "办结日期" | "答复时间" => Some(Field::Answered),
            "编号" => Some(Field::Id),
            _ => None,
        })
    }

    /// Header words that name this column, most specific first.
    fn header_words(self) -> &'static [&'static str] {
        match self {
            Field::Id => &["申请编号", "受理编号", "登记编号", "申请号", "流水号"],
            Field::ApplicantName => &[
                "申请人名称",
                "申请人姓名",
                "申请单位",
                "申请人",
                "姓名",
                "名称",
            ],
            Field::ApplicantType => &[
                "申请人类型",
                "申请人类别",
                "申请人性质",
                "申请主体类型",
                "主体类型",
                "申请主体",
                "类型",
                "类别",
            ],
            Field::Received => &[
                "收到日期",
                "收到时间",
                "申请时间",
                "申请日期",
                "登记日期",
                "受理日期",
                "接收日期",
                "收件日期",
                "来件日期",
            ],
            Field::Result => &[
                "处理结果",
                "答复结果",
                "答复类型",
                "办理结果",
                "处理情况",
                "办理情况",
            ],
            Field::Reason => &["不予公开理由", "不予公开依据", "理由", "依据"],
            Field::Remarks => &["备注", "答复情况", "答复内容", "说明"],
            Field::Answered => &["答复日期", "办结日期", "答复时间", "办结时间", "告知日期"],
            Field::CarryOver => &["是否结转", "结转"],
            Field::Corrected => &["补正日期", "收到补正", "补正时间"],
            Field::Extended => &["是否延期", "延期"],
        }
    }
}

/// Which column holds which field.
pub type Mapping = BTreeMap<Field, usize>;

/// Header cells → a mapping, by the usual header words. A column is taken
/// once; more specific words win ("申请人类型" over "申请人").
pub fn auto_map(header: &[String]) -> Mapping {
    let norm: Vec<String> = header.iter().map(|h| crate::text::norm(h)).collect();
    let mut out = Mapping::new();
    // The most specific word first across all fields.
    let mut wants: Vec<(usize, Field, &str)> = Field::ALL
        .iter()
        .flat_map(|&f| {
            f.header_words()
                .iter()
                .enumerate()
                .map(move |(k, w)| (k, f, *w))
        })
        .collect();
    wants.sort_by_key(|(k, _, w)| (*k, std::cmp::Reverse(w.chars().count())));
    for (_, f, w) in wants {
        if out.contains_key(&f) {
            continue;
        }
        let taken: Vec<usize> = out.values().copied().collect();
        if let Some(col) = norm
            .iter()
            .enumerate()
            .find(|(i, h)| !taken.contains(i) && h.contains(w))
            .map(|(i, _)| i)
        {
            out.insert(f, col);
        }
    }
    out
}

/// A ledger's header: its last row (data starts below it) and the column
/// names, with a two-row header folded into one.
#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    pub row: usize,
    pub cells: Vec<String>,
}

/// The header: the first of the top rows that names at least two fields
/// (title rows and blank rows above it are skipped). When the next row has
/// no date in it, it is the second row of a merged header ("申请人情况"
/// over "申请人 | 申请人类型"), and its names win where it has its own.
pub fn find_header(rows: &[Vec<String>]) -> Option<Header> {
    let h = rows.iter().take(20).position(|r| auto_map(r).len() >= 2)?;
    let upper = &rows[h];
    // The row below is a header's second row only when it names a field
    // and holds nothing a request row would: no date (with or without its
    // year), no bare number.
    let Some(lower) = rows.get(h + 1).filter(|r| {
        let data = |c: &String| {
            let t = c.trim();
            parse_date(t).is_some()
                || crate::date::parse_month_day(t).is_some()
                || !t.is_empty() && t.chars().all(|ch| ch.is_ascii_digit())
        };
        !auto_map(r).is_empty() && !r.iter().any(data)
    }) else {
        return Some(Header {
            row: h,
            cells: upper.clone(),
        });
    };
    let n = upper.len().max(lower.len());
    let cells = (0..n)
        .map(|c| {
            let up = upper.get(c).map(|s| s.trim()).unwrap_or("");
            let low = lower.get(c).map(|s| s.trim()).unwrap_or("");
            if low.is_empty() { up } else { low }.to_string()
        })
        .collect();
    Some(Header { row: h + 1, cells })
}

/// A ledger's header as a key for remembering its mapping next year.
pub fn layout_key(header: &[String]) -> String {
    header
        .iter()
        .map(|h| crate::text::norm(h))
        .collect::<Vec<_>>()
        .join("|")
}

/// The clerk's decisions for unclear text, remembered across ledgers.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Memory {
    /// Header layout → mapping (by field label → column index).
    pub mappings: BTreeMap<String, BTreeMap<String, usize>>,
    /// Applicant text (type and name, normalised) → column id.
    pub applicants: BTreeMap<String, String>,
    /// Result text (result, reason and remarks, normalised) → row id.
    pub results: BTreeMap<String, String>,
}

impl Memory {
    pub fn mapping_for(&self, header: &[String]) -> Option<Mapping> {
        let m = self.mappings.get(&layout_key(header))?;
        Some(
            m.iter()
                .filter_map(|(f, &c)| Some((Field::from_label(f)?, c)))
                .collect(),
        )
    }
    pub fn remember_mapping(&mut self, header: &[String], m: &Mapping) {
        self.mappings.insert(
            layout_key(header),
            m.iter().map(|(f, &c)| (f.label().to_string(), c)).collect(),
        );
    }
}

/// Where the counts came from, recorded in the draft and shown in 基本信息.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Source {
    pub file: String,
    pub date: String,
    pub rows: usize,
}

/// 表三's leaf cells from the counts (every leaf set, 0 where none), and
/// the provenance. Derived totals follow; R1 holds by construction.
pub fn apply(report: &mut Report, c: &Counted, source: Source) {
    for row in schema::REQUEST_ROWS.iter().filter(|r| !r.derived) {
        for col in REQUEST_COLUMNS.iter().filter(|c| !c.derived) {
            report.tables.set_cell(
                TableId::Requests,
                row.id,
                col.id,
                Cell::Count(c.get(row.id, col.id)),
            );
        }
    }
    report.meta.ledger = Some(source);
}

/// A file for the clerk's remembered mappings and decisions.
pub fn memory_path() -> Option<std::path::PathBuf> {
    directories::ProjectDirs::from("", "", "nianbao")
        .map(|d| d.data_dir().join("ledger-memory.json"))
}

pub fn load_memory(p: &std::path::Path) -> Memory {
    std::fs::read(p)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

pub fn save_memory(p: &std::path::Path, m: &Memory) -> Result<(), String> {
    if let Some(dir) = p.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}：{e}", dir.display()))?;
    }
    let json = serde_json::to_vec_pretty(m).map_err(|e| e.to_string())?;
    crate::draft::write_atomic(p, &json).map_err(|e| e.to_string())
}

/// A text table of the counts beside the report's current 表三, with the
/// differing cells marked, for the terminal.
pub fn comparison(report: &Report, c: &Counted) -> String {
    let mut out = String::new();
    let cols: Vec<_> = REQUEST_COLUMNS.iter().filter(|c| !c.derived).collect();
    out.push_str("行\t");
    out.push_str(&cols.iter().map(|c| c.label).collect::<Vec<_>>().join("\t"));
    out.push('\n');
    for row in schema::REQUEST_ROWS.iter().filter(|r| !r.derived) {
        let cells: Vec<String> = cols
            .iter()
            .map(|col| {
                let n = c.get(row.id, col.id);
                let now = report.tables.cell(TableId::Requests, row.id, col.id);
                if now == &Cell::Count(n) || (now.is_blank() && n == 0) {
                    n.to_string()
                } else {
                    format!(
                        "{n}（原 {}）",
                        if now.is_blank() {
                            "空".into()
                        } else {
                            now.display()
                        }
                    )
                }
            })
            .collect();
        out.push_str(&schema::short_row_label(row.label));
        out.push('\t');
        out.push_str(&cells.join("\t"));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests;
