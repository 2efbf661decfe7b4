//! Word (`.docx`) for sign-off (审签): the blocks of [`super::doc`] in 公文
//! typography, with the official tables merged exactly as the HTML export.
//!
//! - A4, margins 37/35/28/26 mm, page numbers "- N -" centred in the footer.
//! - Title 小标宋 二号; headings 黑体 三号; sub-headings 楷体 三号; body
//!   仿宋 三号 with a two-character first-line indent and exact 28 pt lines.
//! - `w:eastAsia` is set in the document defaults, every style and every
//!   run: without it Word and WPS set Chinese in a Japanese fallback face.
//!   The font table names a common substitute for each face (方正小标宋简体
//!   → 宋体, 仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体) for machines without it.
//!
//! docx-rs has no `w:tblHeader` (repeat header rows), no `w:lang` and no
//! `w:altName`; those three are added to its XML output before packing,
//! each at a marker this module placed itself.

use super::doc::{Block, CellStyle, Slot, blocks, cell_text, column_weights};
use crate::report::Report;
use crate::schema::{self, TableId};
use docx_rs::{
    AlignmentType, Docx, Footer, LineSpacing, LineSpacingType, PageMargin, PageNum, Paragraph, Run,
    RunFonts, Style, StyleType, Table, TableCell, TableRow, VAlignType, VMergeType, WidthType,
};

/// Twips (1/20 pt) per millimetre.
const TWIPS_PER_MM: f64 = 56.692_913;

/// A4 in twips.
const PAGE_W: u32 = 11_906;
const PAGE_H: u32 = 16_838;

fn mm(v: f64) -> i32 {
    (v * TWIPS_PER_MM).round() as i32
}

/// 公文 margins: top 37, bottom 35, left 28, right 26 (mm).
pub const MARGINS_MM: [f64; 4] = [37.0, 35.0, 28.0, 26.0];

/// Width of the text block in twips.
fn text_width() -> usize {
    (PAGE_W as i32 - mm(MARGINS_MM[2]) - mm(MARGINS_MM[3])) as usize
}

/// Faces by role, and the substitute each falls back to.
pub const FONT_TITLE: &str = "方正小标宋简体";
pub const FONT_HEADING: &str = "黑体";
pub const FONT_SUB: &str = "楷体_GB2312";
pub const FONT_BODY: &str = "仿宋_GB2312";
pub const FONT_TABLE: &str = "宋体";
const FONT_LATIN: &str = "Times New Roman";
const SUBSTITUTES: [(&str, &str); 4] = [
    (FONT_TITLE, "宋体"),
    (FONT_SUB, "楷体"),
    (FONT_BODY, "仿宋"),
    (FONT_HEADING, "SimHei"),
];

/// Sizes in half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt, 五号 10.5 pt.
const SIZE_TITLE: usize = 44;
const SIZE_BODY: usize = 32;
const SIZE_FOOTER: usize = 28;
const SIZE_TABLE: usize = 21;

/// Exact line pitch of body text: 28 pt.
const LINE_BODY: i32 = 560;

/// Header rows carry this exact row height so the post-pass can find them
/// and add `w:tblHeader`; other rows use [`ROW_MIN`].
const ROW_HEADER_MARK: f32 = 397.0;
const ROW_MIN: f32 = 396.0;

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(FONT_LATIN)
        .hi_ansi(FONT_LATIN)
        .cs(FONT_LATIN)
}

fn run(text: &str, face: &str, size: usize) -> Run {
    Run::new().add_text(text).fonts(fonts(face)).size(size)
}

fn style(id: &str, name: &str, face: &str, size: usize) -> Style {
    Style::new(id, StyleType::Paragraph)
        .name(name)
        .fonts(fonts(face))
        .size(size)
}

fn exact(line: i32) -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(line)
        .before(0)
        .after(0)
}

fn body_para(text: &str, style_id: &str, face: &str) -> Paragraph {
    Paragraph::new()
        .style(style_id)
        .add_run(run(text, face, SIZE_BODY))
        .line_spacing(exact(LINE_BODY))
        .first_line_chars(200)
        .indent(
            None,
            Some(docx_rs::SpecialIndentType::FirstLine(640)),
            None,
            None,
        )
}

fn table_cell_para(text: &str, kind: CellStyle) -> Paragraph {
    let align = match kind {
        CellStyle::Label | CellStyle::Note => AlignmentType::Left,
        CellStyle::Header | CellStyle::Value => AlignmentType::Center,
    };
    let mut r = run(text, FONT_TABLE, SIZE_TABLE);
    if kind == CellStyle::Header {
        r = r.bold();
    }
    Paragraph::new()
        .style("TableText")
        .align(align)
        .line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Auto)
                .line(240)
                .before(0)
                .after(0),
        )
        .add_run(r)
}

/// One official table, slot by slot: a cell that starts here (with its
/// column span, restarting a vertical merge when it spans rows), or the
/// continuation of a vertical merge from above.
fn table(r: &Report, t: TableId) -> Table {
    let l = schema::layout(t);
    let weights = column_weights(t);
    let total: f64 = weights.iter().sum();
    let widths: Vec<usize> = weights
        .iter()
        .map(|w| (w / total * text_width() as f64).floor() as usize)
        .collect();
    let width_of = |col: usize, span: usize| widths[col..col + span].iter().sum::<usize>();
    let rows = (0..l.rows)
        .map(|row| {
            let cells = super::doc::row_slots(t, row)
                .into_iter()
                .map(|slot| match slot {
                    Slot::Start(c) => {
                        let (kind, text) = cell_text(r, c);
                        let mut cell = TableCell::new()
                            .add_paragraph(table_cell_para(&text, kind))
                            .vertical_align(VAlignType::Center)
                            .width(width_of(c.col, c.colspan), WidthType::Dxa);
                        if c.colspan > 1 {
                            cell = cell.grid_span(c.colspan);
                        }
                        if c.rowspan > 1 {
                            cell = cell.vertical_merge(VMergeType::Restart);
                        }
                        cell
                    }
                    Slot::Continue(c) => {
                        let mut cell = TableCell::new()
                            .add_paragraph(Paragraph::new().style("TableText"))
                            .vertical_merge(VMergeType::Continue)
                            .width(width_of(c.col, c.colspan), WidthType::Dxa);
                        if c.colspan > 1 {
                            cell = cell.grid_span(c.colspan);
                        }
                        cell
                    }
                })
                .collect();
            let height = if row < l.header_rows {
                ROW_HEADER_MARK
            } else {
                ROW_MIN
            };
            TableRow::new(cells)
                .cant_split()
                .row_height(height)
                .height_rule(docx_rs::HeightRule::AtLeast)
        })
        .collect();
    Table::new(rows)
        .set_grid(widths)
        .width(text_width(), WidthType::Dxa)
        .layout(docx_rs::TableLayoutType::Fixed)
        .align(docx_rs::TableAlignmentType::Center)
}

/// A document with the 公文 page, fonts, styles and page-number footer.
fn base() -> Docx {
    let margin = PageMargin {
        top: mm(MARGINS_MM[0]),
        bottom: mm(MARGINS_MM[1]),
        left: mm(MARGINS_MM[2]),
        right: mm(MARGINS_MM[3]),
        header: mm(15.0),
        footer: mm(25.0),
        gutter: 0,
    };
    let footer = Footer::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(run("- ", FONT_TABLE, SIZE_FOOTER))
            .add_page_num(PageNum::new())
            .add_run(run(" -", FONT_TABLE, SIZE_FOOTER))
            .fonts(fonts(FONT_TABLE))
            .size(SIZE_FOOTER),
    );
    Docx::new()
        .page_size(PAGE_W, PAGE_H)
        .page_margin(margin)
        .default_fonts(fonts(FONT_BODY))
        .default_size(SIZE_BODY)
        .add_style(style("ReportTitle", "报告标题", FONT_TITLE, SIZE_TITLE))
        .add_style(style("Heading1", "heading 1", FONT_HEADING, SIZE_BODY).outline_lvl(0))
        .add_style(style("Heading2", "heading 2", FONT_SUB, SIZE_BODY).outline_lvl(1))
        .add_style(style("TableText", "表格文字", FONT_TABLE, SIZE_TABLE))
        .footer(footer)
}

fn title_para(t: &str) -> Paragraph {
    Paragraph::new()
        .style("ReportTitle")
        .align(AlignmentType::Center)
        .line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Auto)
                .line(240)
                .before(0)
                .after(624),
        )
        .add_run(run(t, FONT_TITLE, SIZE_TITLE))
}

/// Build the zip, with the additions docx-rs cannot make.
fn pack(doc: Docx) -> Vec<u8> {
    let mut xml = doc.build();
    patch_xml(&mut xml);
    let mut out = std::io::Cursor::new(Vec::new());
    xml.pack(&mut out)
        .expect("writing a zip into memory cannot fail");
    out.into_inner()
}

/// The whole report as a `.docx` file.
pub fn export_docx(r: &Report) -> Vec<u8> {
    let mut doc = base();
    for b in blocks(r) {
        doc = match b {
            Block::Title(t) => doc.add_paragraph(title_para(&t)),
            Block::Heading(h) => {
                doc.add_paragraph(body_para(&h, "Heading1", FONT_HEADING).keep_next(true))
            }
            Block::SubHeading(h) => {
                doc.add_paragraph(body_para(&h, "Heading2", FONT_SUB).keep_next(true))
            }
            Block::Paragraph(p) => doc.add_paragraph(body_para(&p, "Normal", FONT_BODY)),
            Block::Table(t) => doc
                .add_table(table(r, t))
                .add_paragraph(Paragraph::new().line_spacing(exact(LINE_BODY))),
        };
    }
    pack(doc)
}

/// A block of a plain document in the same 公文 layout (the 通报).
#[derive(Clone, Debug, PartialEq)]
pub enum Plain {
    Title(String),
    Heading(String),
    Paragraph(String),
    /// Right-aligned lines (the 落款 and date).
    Signature(String),
    /// A simple table: its header row first.
    Grid(Vec<Vec<String>>),
}

/// A plain document as a `.docx` file.
pub fn plain_docx(blocks: &[Plain]) -> Vec<u8> {
    let mut doc = base();
    for b in blocks {
        doc = match b {
            Plain::Title(t) => doc.add_paragraph(title_para(t)),
            Plain::Heading(h) => {
                doc.add_paragraph(body_para(h, "Heading1", FONT_HEADING).keep_next(true))
            }
            Plain::Paragraph(p) => doc.add_paragraph(body_para(p, "Normal", FONT_BODY)),
            Plain::Signature(s) => doc.add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Right)
                    .line_spacing(exact(LINE_BODY))
                    .add_run(run(s, FONT_BODY, SIZE_BODY)),
            ),
            Plain::Grid(rows) => doc
                .add_table(grid(rows))
                .add_paragraph(Paragraph::new().line_spacing(exact(LINE_BODY))),
        };
    }
    pack(doc)
}

/// A simple bordered table, its first row as a repeated, bold header;
/// columns as wide as their longest text allows.
fn grid(rows: &[Vec<String>]) -> Table {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let weights: Vec<f64> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|t| t.chars().count().min(24))
                .max()
                .unwrap_or(2)
                .max(2) as f64
        })
        .collect();
    let total: f64 = weights.iter().sum();
    let widths: Vec<usize> = weights
        .iter()
        .map(|w| (w / total * text_width() as f64) as usize)
        .collect();
    let table_rows = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let kind = if i == 0 {
                CellStyle::Header
            } else {
                CellStyle::Label
            };
            let cells = (0..cols)
                .map(|c| {
                    TableCell::new()
                        .width(widths[c], WidthType::Dxa)
                        .add_paragraph(table_cell_para(r.get(c).map_or("", String::as_str), kind))
                })
                .collect();
            let row = TableRow::new(cells).cant_split();
            if i == 0 {
                row.row_height(ROW_HEADER_MARK)
                    .height_rule(docx_rs::HeightRule::AtLeast)
            } else {
                row.row_height(ROW_MIN)
                    .height_rule(docx_rs::HeightRule::AtLeast)
            }
        })
        .collect();
    Table::new(table_rows)
        .set_grid(widths)
        .width(text_width(), WidthType::Dxa)
        .layout(docx_rs::TableLayoutType::Fixed)
        .align(docx_rs::TableAlignmentType::Center)
}

/// The three things docx-rs cannot say, added at markers this module set.
fn patch_xml(x: &mut docx_rs::XMLDocx) {
    let doc = String::from_utf8_lossy(&x.document).into_owned();
    let mark = format!("<w:trHeight w:val=\"{ROW_HEADER_MARK}\" w:hRule=\"atLeast\" />");
    let plain = format!("<w:tblHeader /><w:trHeight w:val=\"{ROW_MIN}\" w:hRule=\"atLeast\" />");
    x.document = doc.replace(&mark, &plain).into_bytes();

    // Chinese as the East Asian language, so any application picks a
    // Chinese fallback face rather than a Japanese one.
    // docx-rs writes its own "Normal" style with empty run properties:
    // give it the body face too, so no style lacks an East Asian font.
    let styles = String::from_utf8_lossy(&x.styles).into_owned();
    let normal_fonts = format!(
        r#"<w:rPr><w:rFonts w:ascii="{FONT_LATIN}" w:hAnsi="{FONT_LATIN}" w:cs="{FONT_LATIN}" w:eastAsia="{FONT_BODY}" /><w:sz w:val="{SIZE_BODY}" /></w:rPr>"#
    );
    x.styles = styles
        .replacen(
            "<w:rPrDefault><w:rPr>",
            "<w:rPrDefault><w:rPr><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\" />",
            1,
        )
        .replacen(
            r#"w:styleId="Normal"><w:name w:val="Normal" /><w:rPr />"#,
            &format!(r#"w:styleId="Normal"><w:name w:val="Normal" />{normal_fonts}"#),
            1,
        )
        .into_bytes();

    let mut fonts = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:fonts xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
    );
    for (face, alt) in SUBSTITUTES {
        fonts.push_str(&format!(
            r#"<w:font w:name="{face}"><w:altName w:val="{alt}" /><w:charset w:val="86" /><w:family w:val="modern" /><w:pitch w:val="fixed" /></w:font>"#
        ));
    }
    fonts.push_str(&format!(
        r#"<w:font w:name="{FONT_TABLE}"><w:altName w:val="SimSun" /><w:charset w:val="86" /><w:family w:val="auto" /><w:pitch w:val="variable" /></w:font><w:font w:name="{FONT_LATIN}"><w:charset w:val="00" /><w:family w:val="roman" /><w:pitch w:val="variable" /></w:font></w:fonts>"#
    ));
    x.font_table = fonts.into_bytes();
}
