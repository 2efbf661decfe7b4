//! The report as a sequence of blocks, walked once from the schema.
//!
//! HTML, Word and PDF all render this one sequence, so they cannot disagree
//! on what the report says or in which order: a new section or table in the
//! schema reaches every format at once.

use crate::report::{Report, Value};
use crate::schema::{self, CellContent, GridCell, SectionId, TableId};

/// One block of the published report.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// 「…政府信息公开工作年度报告」, centred.
    Title(String),
    /// 一、总体情况 … 六、其他需要报告的事项.
    Heading(String),
    /// （一）主动公开 …
    SubHeading(String),
    /// A body paragraph (first-line indent added by the renderer).
    Paragraph(String),
    Table(TableId),
}

/// Text safe for any renderer: line and paragraph separators become line
/// breaks, other control and bidirectional characters are dropped or become
/// spaces, so no text can reorder itself or break the output's syntax.
pub fn clean(s: &str) -> String {
    s.chars()
        .filter(|&c| !crate::report::is_bidi_control(c))
        .map(|c| match c {
            '\u{2028}' | '\u{2029}' => '\n',
            '\t' | '\n' => c,
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// [`clean`] on one line: breaks become spaces.
pub fn one_line(s: &str) -> String {
    clean(s).replace('\n', " ")
}

fn paragraphs(text: &str, out: &mut Vec<Block>) {
    let text = clean(text);
    out.extend(
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| Block::Paragraph(l.to_string())),
    );
}

/// The report body in reading order.
pub fn blocks(r: &Report) -> Vec<Block> {
    let n = &r.narrative;
    let mut out = vec![Block::Title(one_line(&r.title()))];
    paragraphs(&n.preamble, &mut out);
    for s in &schema::SECTIONS {
        out.push(Block::Heading(s.heading.to_string()));
        match s.id {
            SectionId::Overview => {
                paragraphs(&n.overview, &mut out);
                for sub in &n.overview_subs {
                    if !sub.heading.trim().is_empty() {
                        out.push(Block::SubHeading(one_line(sub.heading.trim())));
                    }
                    paragraphs(&sub.text, &mut out);
                }
            }
            SectionId::Active => out.push(Block::Table(TableId::Active)),
            SectionId::Requests => out.push(Block::Table(TableId::Requests)),
            SectionId::Appeals => out.push(Block::Table(TableId::Appeals)),
            SectionId::Problems => paragraphs(&n.problems, &mut out),
            SectionId::Other => paragraphs(&n.other, &mut out),
        }
    }
    out
}

/// How a grid cell is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellStyle {
    Header,
    Note,
    Label,
    Value,
}

/// A cell's text and style as every format prints it. A blank value is
/// empty text, never 0; invalid text is printed as typed, on one line.
pub fn cell_text(r: &Report, c: &GridCell) -> (CellStyle, String) {
    match &c.content {
        CellContent::Header(s) => (CellStyle::Header, s.to_string()),
        CellContent::Note(s) => (CellStyle::Note, s.to_string()),
        CellContent::Label(s) => (CellStyle::Label, s.to_string()),
        CellContent::Value(f) => (
            CellStyle::Value,
            match r.tables.value(*f) {
                Value::Invalid(s) => one_line(&s),
                v => v.display(),
            },
        ),
    }
}

/// What stands at one slot of a table's grid: the start of a cell, or a
/// slot covered by a cell that started in an earlier row (a vertical
/// merge continues there). Slots covered by a cell's column span in the
/// same row are not listed. Word writes exactly this sequence.
#[derive(Clone, Copy, Debug)]
pub enum Slot<'a> {
    Start(&'a GridCell),
    Continue(&'a GridCell),
}

/// The slots of grid row `row`, left to right.
pub fn row_slots(t: TableId, row: usize) -> Vec<Slot<'static>> {
    let l = schema::layout(t);
    let mut out = Vec::new();
    let mut col = 0;
    while col < l.cols {
        let covering = l
            .cells
            .iter()
            .find(|c| c.col == col && c.row <= row && row < c.row + c.rowspan);
        match covering {
            Some(c) => {
                out.push(if c.row == row {
                    Slot::Start(c)
                } else {
                    Slot::Continue(c)
                });
                col += c.colspan.max(1);
            }
            None => col += 1,
        }
    }
    out
}

/// Relative column widths of a table, derived from its layout: a value
/// column is 1; a label column is wider in step with its longest label
/// (a group column of short labels stays narrow).
pub fn column_weights(t: TableId) -> Vec<f64> {
    let l = schema::layout(t);
    (0..l.cols)
        .map(|col| {
            let longest = l
                .cells
                .iter()
                .filter(|c| c.col == col && c.colspan == 1 && c.row >= l.header_rows)
                .filter_map(|c| match c.content {
                    CellContent::Label(s) => Some(s.chars().count()),
                    _ => None,
                })
                .max();
            match longest {
                // A value column holds about five characters of a label.
                Some(n) => (n as f64 / 5.0).clamp(1.2, 3.6),
                None => 1.0,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_grid_slot_is_covered_once() {
        for t in TableId::ALL {
            let l = schema::layout(t);
            for row in 0..l.rows {
                let width: usize = row_slots(t, row)
                    .iter()
                    .map(|s| match s {
                        Slot::Start(c) | Slot::Continue(c) => c.colspan,
                    })
                    .sum();
                assert_eq!(width, l.cols, "{t:?} row {row}");
            }
        }
    }

    #[test]
    fn blocks_follow_the_sections() {
        let r = crate::sample::filled_report("某局", 2024, 1);
        let b = blocks(&r);
        assert!(matches!(&b[0], Block::Title(t) if t.contains("2024")));
        let heads: Vec<_> = b
            .iter()
            .filter_map(|x| match x {
                Block::Heading(h) => Some(h.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(heads.len(), 6);
        assert_eq!(b.iter().filter(|x| matches!(x, Block::Table(_))).count(), 3);
    }

    #[test]
    fn clean_drops_bidi_and_controls() {
        assert_eq!(clean("甲\u{202E}乙\u{0007}丙\u{2028}丁"), "甲乙 丙\n丁");
    }
}
