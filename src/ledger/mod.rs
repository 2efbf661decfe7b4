//! 表三 counted from the 依申请公开 ledger (登记台账) instead of by hand.
//!
//! A ledger is a sheet with one row per request: who asked, when it
//! arrived, what was decided (and why), when it was answered. This module
//! reads it (`.xlsx`, `.xls`, `.ods` with calamine; `.csv` in UTF-8 or GBK),
//! finds the header row under any title rows, maps the columns, classifies
//! every row by the keyword tables in [`keywords`], and counts 表三. A row it
//! cannot classify surely is never guessed: it is listed as unclear until
//! the clerk decides, and a decision is remembered for identical text.

mod cfb_guard;
pub mod keywords;
mod read;

use crate::cell::Cell;
use crate::report::Report;
use crate::schema::{self, REQUEST_COLUMNS, TableId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use crate::date::parse as parse_date;
pub use read::{Sheet, read_path};

/// What a ledger column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Field {
    Applicant,
    Received,
    Result,
    Reason,
    Answered,
    CarryOver,
}

impl Field {
    pub const ALL: [Field; 6] = [
        Field::Applicant,
        Field::Received,
        Field::Result,
        Field::Reason,
        Field::Answered,
        Field::CarryOver,
    ];

    /// The name used in `--map 列名=字段` and in the GUI.
    pub fn label(self) -> &'static str {
        match self {
            Field::Applicant => "申请人",
            Field::Received => "收到日期",
            Field::Result => "处理结果",
            Field::Reason => "不予公开理由",
            Field::Answered => "答复日期",
            Field::CarryOver => "是否结转",
        }
    }

    pub fn from_label(s: &str) -> Option<Field> {
        let s = s.trim();
        Field::ALL.into_iter().find(|f| f.label() == s).or(match s {
            "申请人类型" | "申请人类别" => Some(Field::Applicant),
            "申请时间" | "登记日期" | "收到时间" => Some(Field::Received),
            "答复结果" | "答复类型" => Some(Field::Result),
            "办结日期" | "答复时间" => Some(Field::Answered),
            _ => None,
        })
    }

    /// Header words that name this column, most specific first.
    fn header_words(self) -> &'static [&'static str] {
        match self {
            Field::Applicant => &[
                "申请人类型",
                "申请人类别",
                "申请人性质",
                "申请主体",
                "申请人",
            ],
            Field::Received => &[
                "收到日期",
                "收到时间",
                "申请时间",
                "申请日期",
                "登记日期",
                "受理日期",
                "接收日期",
            ],
            Field::Result => &[
                "处理结果",
                "答复结果",
                "答复类型",
                "办理结果",
                "答复情况",
                "处理情况",
            ],
            Field::Reason => &["不予公开理由", "理由", "依据", "不予公开依据", "说明"],
            Field::Answered => &["答复日期", "办结日期", "答复时间", "办结时间", "告知日期"],
            Field::CarryOver => &["是否结转", "结转"],
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
    let Some(lower) = rows.get(h + 1).filter(|r| {
        r.iter().any(|c| !c.trim().is_empty()) && r.iter().all(|c| parse_date(c).is_none())
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

/// Where a request counts in 表三.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Class {
    /// A 表三 applicant column id.
    pub column: String,
    /// A result row id, or `None` while the request is unanswered at year end.
    pub result: Option<String>,
}

/// The clerk's decisions for unclear text, remembered across ledgers.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Memory {
    /// Header layout → mapping (by field label → column index).
    pub mappings: BTreeMap<String, BTreeMap<String, usize>>,
    /// Applicant text → column id.
    pub applicants: BTreeMap<String, String>,
    /// Result text (result + reason) → row id.
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

fn contains_any(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| text.contains(w))
}

/// The applicant column of a 申请人 cell, or `None` when unsure.
pub fn classify_applicant(text: &str, memory: &Memory) -> Option<&'static str> {
    let t = crate::text::norm(text);
    if t.is_empty() {
        return None;
    }
    if let Some(c) = memory.applicants.get(&t) {
        return REQUEST_COLUMNS.iter().find(|x| x.id == c).map(|x| x.id);
    }
    if let Some((id, _)) = keywords::APPLICANTS
        .iter()
        .find(|(_, w)| contains_any(&t, w))
    {
        return Some(id);
    }
    // A bare personal name (2–4 汉字) is a natural person.
    let n = t.chars().count();
    (t.chars()
        .all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || c == '·')
        && (2..=4).contains(&n))
    .then_some("natural_person")
}

fn groups_of(row: &str) -> &'static [&'static str] {
    schema::REQUEST_ROWS
        .iter()
        .find(|r| r.id == row)
        .map_or(&[], |r| r.groups)
}

/// The result row of a request from its 处理结果 and 理由 cells, or `None`
/// when the words do not decide it.
pub fn classify_result(result: &str, reason: &str, memory: &Memory) -> Option<&'static str> {
    let r = crate::text::norm(result);
    let text = format!("{r}{}", crate::text::norm(reason));
    if text.is_empty() {
        return None;
    }
    if let Some(row) = memory.results.get(&text) {
        return schema::REQUEST_ROWS
            .iter()
            .find(|x| x.id == row)
            .map(|x| x.id);
    }
    if r.contains("部分公开") {
        return Some("partly_disclosed");
    }
    let group = keywords::GROUPS.iter().find(|(_, w)| contains_any(&r, w));
    // The group's own name says nothing about the row within it.
    let text = match group {
        Some((_, words)) => words.iter().fold(text, |t, w| t.replace(w, "")),
        None => text,
    };
    let group = group.map(|g| g.0);
    let mut hits = keywords::RESULTS
        .iter()
        .filter(|(id, _)| *id != "disclosed" && *id != "partly_disclosed")
        .filter(|(id, _)| group.is_none_or(|g| groups_of(id).contains(&g)))
        .filter(|(_, w)| contains_any(&text, w))
        .map(|(id, _)| *id);
    let first = hits.next();
    let more = hits.next();
    match (group, first, more) {
        (_, Some(row), None) => Some(row),
        (_, Some(_), Some(_)) => None,
        (Some(_), None, _) => None,
        (None, None, _) => (contains_any(&r, &["予以公开", "全部公开", "同意公开", "已公开"])
            || r == "公开")
            .then_some("disclosed"),
    }
}

/// One ledger row the counter could not place.
#[derive(Clone, Debug, PartialEq)]
pub struct Unclear {
    /// The row number as the spreadsheet shows it (1-based).
    pub row: usize,
    pub text: String,
    pub why: String,
}

/// The counts, and what could not be counted.
#[derive(Clone, Debug, Default)]
pub struct Counted {
    /// (row id, column id) → count, leaves of 表三 only.
    pub counts: BTreeMap<(String, String), u64>,
    pub rows_read: usize,
    pub rows_counted: usize,
    /// Requests of other years, not counted (with their row numbers).
    pub skipped: Vec<usize>,
    pub unclear: Vec<Unclear>,
}

impl Counted {
    pub fn get(&self, row: &str, col: &str) -> u64 {
        self.counts
            .get(&(row.to_string(), col.to_string()))
            .copied()
            .unwrap_or(0)
    }
}

/// Count a sheet for report year `year`, with its header at `header` and
/// the given mapping.
pub fn count(sheet: &Sheet, header: &Header, map: &Mapping, year: i32, memory: &Memory) -> Counted {
    let header = header.row;
    let mut out = Counted::default();
    let cell = |r: &Vec<String>, f: Field| {
        map.get(&f)
            .and_then(|&c| r.get(c))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    for (k, r) in sheet.rows.iter().enumerate().skip(header + 1) {
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        out.rows_read += 1;
        let line = k + 1;
        let applicant = cell(r, Field::Applicant);
        let received = parse_date(&cell(r, Field::Received));
        let answered = parse_date(&cell(r, Field::Answered));
        let carry = crate::text::norm(&cell(r, Field::CarryOver));
        let carried_flag = matches!(carry.as_str(), "是" | "结转" | "y" | "yes" | "1");
        let Some(col) = classify_applicant(&applicant, memory) else {
            out.unclear.push(Unclear {
                row: line,
                text: applicant.clone(),
                why: if applicant.is_empty() {
                    "没有申请人".into()
                } else {
                    "无法判断申请人类型".into()
                },
            });
            continue;
        };
        let Some((ry, _, _)) = received else {
            out.unclear.push(Unclear {
                row: line,
                text: cell(r, Field::Received),
                why: "收到日期无法识别".into(),
            });
            continue;
        };
        if ry > year {
            out.skipped.push(line);
            continue;
        }
        // Answered within the report year, or still open at 12月31日.
        let open_at_end = carried_flag || answered.is_none_or(|(ay, _, _)| ay > year);
        if ry < year && answered.is_some_and(|(ay, _, _)| ay < year) {
            out.skipped.push(line); // concluded in an earlier year
            continue;
        }
        let arrival = if ry == year { "new" } else { "carried_over" };
        let outcome = if open_at_end {
            "carried_forward"
        } else {
            let (res, why) = (cell(r, Field::Result), cell(r, Field::Reason));
            match classify_result(&res, &why, memory) {
                Some(row) => row,
                None => {
                    out.unclear.push(Unclear {
                        row: line,
                        text: [res, why]
                            .into_iter()
                            .filter(|s| !s.is_empty())
                            .collect::<Vec<_>>()
                            .join(" / "),
                        why: "无法判断属于哪一种办理结果".into(),
                    });
                    continue;
                }
            }
        };
        for row in [arrival, outcome] {
            *out.counts
                .entry((row.to_string(), col.to_string()))
                .or_default() += 1;
        }
        out.rows_counted += 1;
    }
    out
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
