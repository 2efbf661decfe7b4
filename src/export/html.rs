//! Portal HTML, standalone or as a fragment, from one generator that walks
//! the schema's layouts. Every user string goes through maud's escaping.
//!
//! The fragment carries inline styles only (no `<html>`, `<head>` or
//! `<style>`), because portal rich-text editors strip those; the standalone
//! page wraps the same body with a print stylesheet for A4.

use super::doc::{Block, CellStyle, blocks, cell_text, one_line};
use crate::report::Report;
use crate::schema::{self, CellContent, TableId};
use maud::{DOCTYPE, Markup, PreEscaped, html};

const FONT_BODY: &str = "'FangSong','仿宋','STFangsong','SimSun','宋体','Noto Serif CJK SC','Source Han Serif SC','Noto Sans CJK SC',serif";
const FONT_TABLE: &str = "'SimSun','宋体','Songti SC','Noto Serif CJK SC','Noto Sans CJK SC','Microsoft YaHei',sans-serif";

fn st_title() -> String {
    format!(
        "text-align:center;font-size:22px;font-weight:bold;margin:16px 0;font-family:{FONT_BODY}"
    )
}
const ST_H2: &str = "font-size:17px;font-weight:bold;margin:14px 0 6px;text-indent:2em";
const ST_H3: &str = "font-size:16px;font-weight:bold;margin:8px 0 4px;text-indent:2em";
const ST_P: &str = "text-indent:2em;line-height:1.8;margin:0 0 6px;font-size:16px";
fn st_table() -> String {
    format!(
        "border-collapse:collapse;border:1px solid #000;width:100%;margin:8px auto 12px;font-size:14px;font-family:{FONT_TABLE}"
    )
}
const ST_TD: &str =
    "border:1px solid #000;padding:4px 6px;text-align:center;vertical-align:middle;min-width:2.6em";
const ST_TD_HEAD: &str = "border:1px solid #000;padding:4px 6px;text-align:center;vertical-align:middle;font-weight:bold;background:#f2f2f2";
const ST_TD_LABEL: &str =
    "border:1px solid #000;padding:4px 6px;text-align:left;vertical-align:middle";

const PRINT_CSS: &str = "
@page { size: A4; margin: 2cm 1.8cm; }
body { max-width: 960px; margin: 0 auto; padding: 16px; color: #000; background: #fff; }
table { page-break-inside: auto; }
tr, td { page-break-inside: avoid; break-inside: avoid; }
h1, h2, h3 { page-break-after: avoid; break-after: avoid; }
@media print { body { max-width: none; padding: 0; } }
";

/// One table, cell by cell from the schema layout, with its spans.
pub fn table(r: &Report, t: TableId) -> Markup {
    let l = schema::layout(t);
    html! {
        table border="1" cellspacing="0" cellpadding="0" style=(st_table()) data-table=(t.id()) {
            tbody {
                @for row in 0..l.rows {
                    tr {
                        @for c in l.row_cells(row) {
                            @let (kind, text) = cell_text(r, c);
                            @let style = match kind {
                                CellStyle::Header => ST_TD_HEAD,
                                CellStyle::Label => ST_TD_LABEL,
                                CellStyle::Note | CellStyle::Value => ST_TD,
                            };
                            @let id = match c.content {
                                CellContent::Value(f) => Some(schema::field(f).id.as_str()),
                                _ => None,
                            };
                            td style=(style)
                                rowspan=[(c.rowspan > 1).then_some(c.rowspan)]
                                colspan=[(c.colspan > 1).then_some(c.colspan)]
                                data-id=[id] {
                                @if text.is_empty() { (PreEscaped("&nbsp;")) } @else { (text) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The report body: the blocks of [`blocks`], as HTML.
pub fn body(r: &Report) -> Markup {
    html! {
        @for b in blocks(r) {
            @match b {
                Block::Title(t) => h1 style=(st_title()) { (t) },
                Block::Heading(h) => h2 style=(ST_H2) { (h) },
                Block::SubHeading(h) => h3 style=(ST_H3) { (h) },
                Block::Paragraph(p) => p style=(ST_P) { (p) },
                Block::Table(t) => (table(r, t)),
            }
        }
    }
}

/// A complete UTF-8 page, printable on A4.
pub fn export_html(r: &Report) -> String {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content="nianbao";
                title { (one_line(&r.title())) }
                style { (PreEscaped(PRINT_CSS)) }
            }
            body style=(format!("font-family:{FONT_BODY}")) { (body(r)) }
        }
    }
    .into_string()
}

/// Only the body content with inline styles, for pasting into a portal editor.
pub fn export_fragment(r: &Report) -> String {
    html! { div style=(format!("font-family:{FONT_BODY}")) { (body(r)) } }.into_string()
}
