//! Published reports (portal text or HTML) → a draft plus import findings.
//!
//! The importer walks the schema, not a hand-made list: section headings
//! come from `schema::SECTIONS`, rows from the table declarations.

mod docx;
mod lines;
mod narrative;
mod pdf;
mod pdf_guard;
mod repair;
mod structure;
mod tables;

use crate::cell::Cell;
use crate::check::{Finding, Severity, check_printed_totals};
use crate::report::Report;
use crate::schema::{self, REQUEST_COLUMNS, TableId};
use lines::Line;
use std::fmt;
use tables::{Token, runs_of};

pub use tables::norm;

/// Is this (normalised) text a whole row label of one of the tables?
pub(crate) fn is_row_label(normalised: &str) -> bool {
    tables::active_rows()
        .iter()
        .chain(tables::request_rows(false).iter())
        .any(|r| r.aliases.iter().any(|a| a == normalised))
}

/// What the importer recognised.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub encoding: &'static str,
    pub html: bool,
    /// What the source was: 文本, 网页, Word or PDF.
    pub format: &'static str,
    pub cells_found: usize,
    pub cells_total: usize,
    /// How many of the headings 一 to 六 were found.
    pub sections_found: usize,
    pub agency: Option<String>,
    pub year: Option<i32>,
    /// A 2019 试行 format report.
    pub old_format: bool,
    /// Plain-Chinese notes on what was not imported and why.
    pub notes: Vec<String>,
    /// How each table was read ("表三按表格线读取，…").
    pub tables: String,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}：识别表格单元 {}/{}（{}），正文 {} 部分，机关名称：{}，年度：{}，编码：{}{}",
            self.format,
            self.cells_found,
            self.cells_total,
            self.tables,
            self.sections_found,
            self.agency.as_deref().unwrap_or("（未找到）"),
            self.year
                .map(|y| y.to_string())
                .unwrap_or_else(|| "（未找到）".into()),
            self.encoding,
            if self.old_format {
                "，格式：2019 年试行格式"
            } else {
                ""
            }
        )
    }
}

#[derive(Clone, Debug)]
pub struct Imported {
    pub report: Report,
    /// Import findings: what could not be read, printed totals that differ.
    pub findings: Vec<Finding>,
    pub summary: Summary,
}

#[derive(Debug, PartialEq, Eq)]
pub enum ImportError {
    Empty,
    Binary,
    NotReport,
    NoTables,
    Truncated(String),
    /// A Word or PDF file that could not be read; the reason in Chinese.
    Unreadable(String),
    /// HTML nested deeper than [`lines::MAX_NESTING`].
    TooDeep(usize),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ImportError::Empty => "文件是空的，没有可导入的内容",
            ImportError::Binary => {
                "这不是文本、网页、Word（.docx）或 PDF 文件（可能是图片或其他格式），无法导入"
            }
            ImportError::Unreadable(why) => return f.write_str(why),
            ImportError::TooDeep(d) => {
                return write!(
                    f,
                    "网页的标签嵌套达 {d} 层以上，远超正常网页，可能已损坏，未导入"
                );
            }
            ImportError::NotReport => {
                "没有找到政府信息公开工作年度报告的章节和表格，这可能不是年度报告"
            }
            ImportError::NoTables => {
                "报告中没有统计表格（2019 年以前的旧式报告没有表格），无法按 30 号格式导入"
            }
            ImportError::Truncated(s) => {
                return write!(
                    f,
                    "报告不完整，在表格中途中断（{s}），请取得完整的报告后再导入"
                );
            }
        })
    }
}

impl std::error::Error for ImportError {}

/// Import a published report from its bytes: text, HTML, Word or PDF,
/// told apart by content rather than by name.
pub fn import_bytes(bytes: &[u8]) -> Result<Imported, ImportError> {
    let (lines, format, encoding, damaged) = read_lines(bytes)?;
    let mut imported = import_lines(&lines)?;
    if damaged > 0 {
        // A damaged byte inside a number makes that cell invalid (its own
        // finding); elsewhere it is a � in the prose. Either way, say so.
        imported.findings.push(Finding::new(
            "IMPORT",
            Severity::Warning,
            vec![],
            format!(
                "文件中有 {damaged} 处字节按 {encoding} 无法识别（文件可能损坏或混有其他编码），已显示为 �，请对照原件核对这些位置"
            ),
        ));
    }
    imported.summary.encoding = encoding;
    imported.summary.format = format;
    imported.summary.html = format == "网页";
    let dropped = imported.report.strip_bidi();
    if dropped > 0 {
        imported.summary.notes.push(format!(
            "删除了 {dropped} 个不可见的文字方向控制符（它们会改变发布后文字的显示顺序）"
        ));
    }
    Ok(imported)
}

/// What a source reads as: lines, the format, the encoding and how many
/// damaged places the text had.
type Read = (Vec<Line>, &'static str, &'static str, usize);

/// Any source → the one intermediate shape: lines, table rows with cells.
fn read_lines(bytes: &[u8]) -> Result<Read, ImportError> {
    Ok(if docx::is_zip(bytes) {
        (
            docx::docx_lines(bytes).map_err(ImportError::Unreadable)?,
            "Word",
            "Word",
            0,
        )
    } else if pdf::is_pdf(bytes) {
        (
            pdf::pdf_lines(bytes).map_err(ImportError::Unreadable)?,
            "PDF",
            "PDF",
            0,
        )
    } else {
        let d = crate::decode::decode(bytes).map_err(|e| match e {
            crate::decode::DecodeError::Empty => ImportError::Empty,
            crate::decode::DecodeError::Binary => ImportError::Binary,
        })?;
        if lines::looks_like_html(&d.text) {
            let depth = lines::nesting_depth(&d.text);
            if depth > lines::MAX_NESTING {
                return Err(ImportError::TooDeep(lines::MAX_NESTING));
            }
            (lines::html_lines(&d.text), "网页", d.encoding, d.damaged)
        } else if pdf::is_layout_text(&d.text) {
            (
                pdf::layout_text_lines(&d.text),
                "文本",
                d.encoding,
                d.damaged,
            )
        } else {
            (lines::text_lines(&d.text), "文本", d.encoding, d.damaged)
        }
    })
}

/// The lines a file reads as (for diagnosing an import by hand).
#[doc(hidden)]
pub fn debug_lines(bytes: &[u8]) -> Vec<String> {
    match read_lines(bytes) {
        Ok((lines, ..)) => lines
            .into_iter()
            .map(|l| match l.cells {
                Some(c) => c.join(" | "),
                None => l.text,
            })
            .collect(),
        Err(e) => vec![e.to_string()],
    }
}

/// Import from already-decoded text.
pub fn import_str(text: &str) -> Result<Imported, ImportError> {
    import_bytes(text.as_bytes())
}

const OLD_FORMAT_WORDS: [&str; 4] = [
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "政府集中采购",
];

fn import_lines(lines: &[Line]) -> Result<Imported, ImportError> {
    let h = narrative::find_headings(lines);
    let sections_found = h.iter().flatten().count();
    let table_start = |k: usize| h[k].map(|i| i + 1);
    let next_after = |k: usize| narrative::section_end(&h, k, lines.len());
    let any_label = lines
        .iter()
        .any(|l| norm(&l.text).contains("本年新收政府信息公开申请"));
    if sections_found < 2 && !any_label {
        let has_table = lines.iter().any(|l| l.cells.is_some());
        return Err(if sections_found == 0 && !has_table && lines.len() < 3 {
            ImportError::NotReport
        } else if sections_found >= 1 || lines.iter().any(|l| l.text.contains("政府信息公开"))
        {
            ImportError::NoTables
        } else {
            ImportError::NotReport
        });
    }
    // Regions: 二 to 三, 三 to 四, 四 to 五. A missing heading falls back on
    // its neighbours, so tables are still found.
    let active_lines = &lines[table_start(1).unwrap_or(0)..next_after(1).min(lines.len())];
    let req_from = table_start(2).or(table_start(1)).unwrap_or(0);
    let req_lines = &lines[req_from..next_after(2).max(req_from)];
    let app_from = table_start(3).unwrap_or(next_after(2));
    let app_lines = &lines[app_from.min(lines.len())..next_after(3).max(app_from).min(lines.len())];

    let active_text: String = active_lines.iter().map(|l| l.text.as_str()).collect();
    // Only 表二's columns tell the 2019 试行 format apart. A single
    // （六）其他处理 row also occurs in 2021-format tables, so it changes
    // how （六） is read, not the format.
    let old_format = OLD_FORMAT_WORDS.iter().any(|w| active_text.contains(w));
    // … but only when its sub-items are nowhere in the table.
    let req_text = norm(
        &req_lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<String>(),
    );
    let single_other = !req_text.contains("逾期不补")
        && !req_text.contains("逾期未按收费")
        && runs_of(req_lines).iter().any(|r| {
            norm(&r.label).ends_with("(六)其他处理")
                && r.values
                    .iter()
                    .filter(|v| matches!(v, Token::Value(_)))
                    .count()
                    >= 6
        });

    let mut report = Report::default();
    let mut findings = Vec::new();
    let mut summary = Summary {
        sections_found,
        old_format,
        ..Summary::default()
    };

    let mut reads = Vec::new();
    if old_format {
        summary.notes.push(
            "这是 2019 年试行格式（国办公开办函〔2019〕60号）的报告：其“二、主动公开政府信息情况”的栏目与 30 号格式不对应，未导入，请按新格式重新填写".into(),
        );
    } else {
        reads.push(tables::read_rows(
            &runs_of(active_lines),
            &tables::active_rows(),
        ));
    }
    let req = tables::read_rows(&runs_of(req_lines), &tables::request_rows(single_other));
    // How each table was read: the way most of its rows were found.
    let how = |ls: &[Line]| {
        let mut n: Vec<(lines::Method, usize)> = Vec::new();
        for l in ls.iter().filter(|l| l.cells.is_some()) {
            match n.iter_mut().find(|(m, _)| *m == l.method) {
                Some((_, c)) => *c += 1,
                None => n.push((l.method, 1)),
            }
        }
        n.into_iter()
            .max_by_key(|(_, c)| *c)
            .map_or(lines::Method::Text, |(m, _)| m)
    };
    summary.tables = [active_lines, req_lines, app_lines]
        .iter()
        .zip(TableId::ALL)
        .filter(|(_, t)| !(old_format && *t == TableId::Active))
        .map(|(ls, t)| format!("{}{}", t.short_name(), how(ls).label()))
        .collect::<Vec<_>>()
        .join("，");
    let app = tables::read_appeals(&runs_of(app_lines));
    // A table is there when its row labels are: numbers that happen to
    // follow words in a pre-2019 narrative are not a table.
    let labels = req.labels_found + reads.first().map_or(0, |r| r.labels_found);
    if labels < 3 {
        let label_words = lines.iter().any(|l| {
            let n = norm(&l.text);
            n.contains("本年新收政府信息公开申请")
                || n.contains("予以公开") && n.contains("部分公开")
        });
        return Err(if label_words {
            ImportError::Unreadable(
                "报告中有统计表格的栏目名称，但没能读出表格的行和数值（表格可能被拆散或数字连在一起），请取得该报告的 Word 版或网页版再导入，或手工录入".into(),
            )
        } else {
            ImportError::NoTables
        });
    }
    if req.rows_found < 20 && h[4].is_none() && h[5].is_none() {
        return Err(ImportError::Truncated(format!(
            "表三只找到 {} 行，后面没有第五、六部分",
            req.rows_found
        )));
    }
    reads.push(req);
    reads.push(app);

    // Glued rows that their own arithmetic could not decide: the other
    // rows and tables may.
    let pending: Vec<tables::Pending> = reads
        .iter_mut()
        .flat_map(|r| std::mem::take(&mut r.pending))
        .collect();
    if !pending.is_empty() {
        let all: Vec<(schema::FieldIdx, Cell)> =
            reads.iter().flat_map(|r| r.cells.clone()).collect();
        let (cells, found) = tables::resolve_pending(pending, &all);
        if let Some(last) = reads.last_mut() {
            last.cells.extend(cells);
            last.findings.extend(found);
        }
    }
    let mut printed = Vec::new();
    for read in reads {
        findings.extend(read.findings);
        for (f, cell) in read.cells {
            summary.cells_found += 1;
            if schema::field(f).is_derived() {
                printed.push((f, cell));
            } else {
                report.tables.set(f, cell);
            }
        }
    }
    summary.cells_total = schema::fields()
        .iter()
        .filter(|f| {
            !((old_format && f.table == TableId::Active)
                || (single_other && matches!(f.row, "other_no_correction" | "other_unpaid_fee")))
        })
        .count();
    if single_other {
        for row in ["other_no_correction", "other_unpaid_fee"] {
            for c in schema::REQUEST_COLUMNS.iter().filter(|c| !c.derived) {
                report
                    .tables
                    .set_cell(TableId::Requests, row, c.id, Cell::Count(0));
            }
        }
        let filled: Vec<String> = ["other_no_correction", "other_unpaid_fee", "other_misc"]
            .iter()
            .flat_map(|row| {
                REQUEST_COLUMNS
                    .iter()
                    .map(move |c| schema::cell_id(TableId::Requests, row, c.id))
            })
            .collect();
        findings.push(Finding::new(
            "IMPORT",
            Severity::Warning,
            filled,
            "表中的“（六）其他处理”只有一行，已全部计入“3.其他”；“1.申请人无正当理由逾期不补正…”和“2.申请人逾期未按收费通知要求缴纳费用…”两行填为 0，请按实际情况拆分".into(),
        ));
    }
    findings.extend(check_printed_totals(&report.tables, &printed));

    let first_heading = h.iter().flatten().next().copied().unwrap_or(lines.len());
    let meta = narrative::find_meta(lines, first_heading);
    let start = meta.title_line.map(|t| t + 1).unwrap_or(0);
    report.narrative = narrative::narrative(lines, &h, start);
    report.meta.agency = meta.agency.clone().unwrap_or_default();
    report.meta.year = meta.year.unwrap_or_default();
    if meta.agency.is_none() {
        findings.push(Finding::new(
            "IMPORT",
            Severity::Warning,
            vec![crate::check::part::META_AGENCY.into()],
            "没有从标题或前言中找到机关名称，请在“基本信息”中填写".into(),
        ));
    }
    if let Some(note) = &meta.year_note {
        findings.push(Finding::new(
            "IMPORT",
            Severity::Warning,
            vec![crate::check::part::META_YEAR.into()],
            note.clone(),
        ));
    }
    if meta.year.is_none() {
        findings.push(Finding::new(
            "IMPORT",
            Severity::Warning,
            vec![crate::check::part::META_YEAR.into()],
            "没有从标题或统计期限中找到报告年度，请在“基本信息”中填写".into(),
        ));
    }
    findings.extend(structure::findings(lines, &h));
    for (k, s) in schema::SECTIONS.iter().enumerate() {
        if h[k].is_none() {
            findings.push(Finding::new(
                "IMPORT",
                Severity::Warning,
                vec![],
                format!("没有找到标题“{}”，该部分内容可能未导入", s.heading),
            ));
        }
    }
    summary.agency = meta.agency;
    summary.year = meta.year;
    Ok(Imported {
        report,
        findings,
        summary,
    })
}

#[cfg(test)]
mod tests;
