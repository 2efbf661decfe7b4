//! Plain text with tab-separated table rows, for pasting into WPS/Excel.
//!
//! Layout (documented in the README):
//! - the title, then headings and paragraphs one per line;
//! - each table row on one line: its label, a TAB, then its values separated
//!   by TABs (blank cells stay empty, so digits never run together);
//! - a row inside a merged group carries the group labels joined by `·`, e.g.
//!   `三、本年度办理结果·（三）不予公开·1.属于国家秘密`, so every line is
//!   understandable on its own;
//! - 表四 is one line per block (行政复议, 行政诉讼·未经复议直接起诉,
//!   行政诉讼·复议后起诉) under a header line of the five column labels.

use crate::report::{Report, Value};
use crate::schema::{
    self, ACTIVE_BLOCKS, ACTIVE_INFO_LABEL, APPEAL_BLOCKS, APPEAL_COLUMNS, REQUEST_APPLICANT,
    REQUEST_COLUMNS, REQUEST_NOTE, REQUEST_ROWS, SectionId, TableId,
};

fn cell(r: &Report, table: TableId, row: &str, col: &str) -> String {
    match r.tables.value(schema::idx(table, row, col)) {
        Value::Invalid(s) => s.replace(['\t', '\n', '\r'], " "),
        v => v.display(),
    }
}

fn line(out: &mut String, parts: impl IntoIterator<Item = impl AsRef<str>>) {
    let mut first = true;
    for p in parts {
        if !first {
            out.push('\t');
        }
        first = false;
        out.push_str(p.as_ref());
    }
    out.push('\n');
}

fn paragraphs(out: &mut String, text: &str) {
    for l in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        out.push_str(&l.replace(['\u{2028}', '\u{2029}'], " "));
        out.push('\n');
    }
}

/// The label a text line carries for a 表三 row: group labels joined by `·`.
pub fn request_line_label(row: &schema::RowDecl) -> String {
    row.groups
        .iter()
        .map(|g| schema::group_label(g))
        .chain([row.label])
        .collect::<Vec<_>>()
        .join("·")
}

fn active(out: &mut String, r: &Report) {
    for b in &ACTIVE_BLOCKS {
        line(out, [b.title]);
        line(
            out,
            [ACTIVE_INFO_LABEL]
                .into_iter()
                .chain(b.columns.iter().map(|c| c.label)),
        );
        for &(id, label) in b.rows {
            let vals = b.columns.iter().map(|c| cell(r, TableId::Active, id, c.id));
            line(out, [label.to_string()].into_iter().chain(vals));
        }
    }
}

fn requests(out: &mut String, r: &Report) {
    line(out, [REQUEST_NOTE]);
    line(
        out,
        [REQUEST_APPLICANT]
            .into_iter()
            .chain(REQUEST_COLUMNS.iter().map(|c| c.label)),
    );
    for row in &REQUEST_ROWS {
        let vals = REQUEST_COLUMNS
            .iter()
            .map(|c| cell(r, TableId::Requests, row.id, c.id));
        line(out, [request_line_label(row)].into_iter().chain(vals));
    }
}

fn appeals(out: &mut String, r: &Report) {
    line(
        out,
        ["项目"]
            .into_iter()
            .chain(APPEAL_COLUMNS.iter().map(|c| c.label)),
    );
    for b in &APPEAL_BLOCKS {
        let label = if b.label == b.parent {
            b.label.to_string()
        } else {
            format!("{}·{}", b.parent, b.label)
        };
        let vals = APPEAL_COLUMNS
            .iter()
            .map(|c| cell(r, TableId::Appeals, b.id, c.id));
        line(out, [label].into_iter().chain(vals));
    }
}

pub fn export_text(r: &Report) -> String {
    let mut out = String::with_capacity(8 * 1024);
    let n = &r.narrative;
    out.push_str(&r.title().replace('\n', " "));
    out.push_str("\n\n");
    paragraphs(&mut out, &n.preamble);
    for s in &schema::SECTIONS {
        out.push('\n');
        out.push_str(s.heading);
        out.push('\n');
        match s.id {
            SectionId::Overview => {
                paragraphs(&mut out, &n.overview);
                for sub in &n.overview_subs {
                    paragraphs(&mut out, &sub.heading);
                    paragraphs(&mut out, &sub.text);
                }
            }
            SectionId::Active => active(&mut out, r),
            SectionId::Requests => requests(&mut out, r),
            SectionId::Appeals => appeals(&mut out, r),
            SectionId::Problems => paragraphs(&mut out, &n.problems),
            SectionId::Other => paragraphs(&mut out, &n.other),
        }
    }
    out
}
