//! PDF for the portal and for printing: the blocks of [`super::doc`] set by
//! typst (as a library) in the same page and typography as the Word export.
//!
//! The typst source is generated here from the schema walk. Every string a
//! clerk typed enters it as a typst *string literal* (`#"…"`), never as
//! markup, so `#`, `*`, `$`, `]`, `//` or `@` in a report are printed as
//! typed and can never run as code.
//!
//! Fonts are the bundled ones ([`crate::fonts`]): a 宋体-style serif for the
//! body and a 黑体-style sans for headings, with the sans as fallback for
//! any character outside the serif's GB 2312 subset. typst embeds only the
//! glyphs used.

use super::doc::{Block, CellStyle, blocks, cell_text, column_weights};
use super::docx::MARGINS_MM;
use crate::fonts;
use crate::report::Report;
use crate::schema::{self, TableId};
use std::fmt::Write;
use std::sync::OnceLock;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// What every compile shares: the standard library and the fonts, parsed
/// once per process (the fonts are the slow part).
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: FileId,
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let fonts: Vec<Font> = [fonts::SERIF, fonts::SANS, fonts::REPLACEMENT]
            .into_iter()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        let main = RootedPath::new(
            VirtualRoot::Project,
            VirtualPath::new("/report.typ").expect("a valid virtual path"),
        )
        .intern();
        Shared {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            main,
        }
    })
}

/// The smallest world: one generated source, the bundled fonts, no files,
/// no packages, no clock (the date is fixed, so the PDF is reproducible).
struct ReportWorld {
    source: Source,
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &shared().library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &shared().book
    }
    fn main(&self) -> FileId {
        shared().main
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == shared().main {
            Ok(self.source.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == shared().main {
            Ok(Bytes::from_string(self.source.text().to_string()))
        } else {
            Err(FileError::AccessDenied)
        }
    }
    fn font(&self, index: usize) -> Option<Font> {
        shared().fonts.get(index).cloned()
    }
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}

/// A typst string literal: the text is data, never markup or code.
pub fn lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Sizes in points: 二号 22, 三号 16, 四号 14, 五号 10.5.
const PREAMBLE: &str = r##"
#let serif = ("Noto Serif CJK SC", "Noto Sans CJK SC", "Noto Sans Mono")
#let sans = ("Noto Sans CJK SC", "Noto Sans Mono")
#set page(paper: "a4", margin: (top: TOPmm, bottom: BOTTOMmm, left: LEFTmm, right: RIGHTmm),
  footer: context align(center, text(font: serif, size: 14pt)[#"- "#counter(page).display()#" -"]),
  footer-descent: 7mm)
#set text(font: serif, size: 16pt, lang: "zh", region: "cn", top-edge: 0.88em, bottom-edge: -0.12em)
#set par(first-line-indent: (amount: 2em, all: true), leading: 12pt, spacing: 12pt, justify: true)
#let title(t) = align(center, block(below: 24pt, par(first-line-indent: 0pt, leading: 10pt, text(size: 22pt, t))))
#let heading1(t) = block(sticky: true, par(text(font: sans, t)))
#let heading2(t) = block(sticky: true, par(text(weight: "regular", t)))
#set table(stroke: 0.5pt + black, inset: (x: 3pt, y: 4pt))
#show table: set par(first-line-indent: 0pt, leading: 3pt, justify: false)
#show table: set text(size: 10.5pt, top-edge: "cap-height", bottom-edge: "baseline")
"##;

fn preamble() -> String {
    PREAMBLE
        .replace("TOPmm", &format!("{}mm", MARGINS_MM[0]))
        .replace("BOTTOMmm", &format!("{}mm", MARGINS_MM[1]))
        .replace("LEFTmm", &format!("{}mm", MARGINS_MM[2]))
        .replace("RIGHTmm", &format!("{}mm", MARGINS_MM[3]))
}

/// One official table as a typst `table`: cells in reading order with
/// their spans (typst places them around earlier row spans, as HTML does),
/// the header rows in `table.header(repeat: true)`.
fn table(r: &Report, t: TableId, out: &mut String) {
    let l = schema::layout(t);
    let cols: Vec<String> = column_weights(t)
        .iter()
        .map(|w| format!("{w:.2}fr"))
        .collect();
    let _ = writeln!(
        out,
        "#block(breakable: true, above: 8pt, below: 16pt, table(columns: ({},),",
        cols.join(", ")
    );
    let cell = |c: &schema::GridCell| -> String {
        let (kind, text) = cell_text(r, c);
        let align = match kind {
            CellStyle::Label | CellStyle::Note => "left + horizon",
            CellStyle::Header | CellStyle::Value => "center + horizon",
        };
        let body = match kind {
            CellStyle::Header => format!("text(font: sans, {})", lit(&text)),
            _ => lit(&text),
        };
        format!(
            "table.cell(rowspan: {}, colspan: {}, align: {align})[#{body}],",
            c.rowspan.max(1),
            c.colspan.max(1)
        )
    };
    if l.header_rows > 0 {
        out.push_str("table.header(repeat: true,\n");
        for c in l.cells.iter().filter(|c| c.row < l.header_rows) {
            out.push_str(&cell(c));
            out.push('\n');
        }
        out.push_str("),\n");
    }
    for c in l.cells.iter().filter(|c| c.row >= l.header_rows) {
        out.push_str(&cell(c));
        out.push('\n');
    }
    out.push_str("))\n");
}

/// The typst source of a report.
pub fn source(r: &Report) -> String {
    let mut out = preamble();
    let _ = writeln!(out, "#set document(title: {})", lit(&r.title()));
    for b in blocks(r) {
        match b {
            Block::Title(t) => {
                let _ = writeln!(out, "#title({})", lit(&t));
            }
            Block::Heading(h) => {
                let _ = writeln!(out, "#heading1({})", lit(&h));
            }
            Block::SubHeading(h) => {
                let _ = writeln!(out, "#heading2({})", lit(&h));
            }
            Block::Paragraph(p) => {
                let _ = writeln!(out, "#par({})", lit(&p));
            }
            Block::Table(t) => table(r, t, &mut out),
        }
    }
    out
}

/// The whole report as a PDF. An error (which a generated source should
/// never cause) is a Chinese message with typst's first diagnostic.
pub fn export_pdf(r: &Report) -> Result<Vec<u8>, String> {
    let world = ReportWorld {
        source: Source::new(shared().main, source(r)),
    };
    let doc: typst_layout::PagedDocument = typst::compile(&world).output.map_err(|errs| {
        format!(
            "生成 PDF 时排版失败（{}）",
            errs.first()
                .map(|e| crate::text::clip(&e.message))
                .unwrap_or_default()
        )
    })?;
    let options = typst_pdf::PdfOptions {
        creator: typst::foundations::Smart::Custom(Some("nianbao".into())),
        ..Default::default()
    };
    let pdf = typst_pdf::pdf(&doc, &options).map_err(|errs| {
        format!(
            "写出 PDF 失败（{}）",
            errs.first()
                .map(|e| crate::text::clip(&e.message))
                .unwrap_or_default()
        )
    });
    // typst memoises layout in a process-wide cache that only shrinks when
    // told to: without this every export kept ~4.4 MB (400 exports, 1.8 GB).
    // Entries unused for the last few exports go; the fonts and the
    // unchanged parts of the next export of the same report stay warm.
    typst::comemo::evict(EVICT_AFTER);
    pdf
}

/// How many exports a memoised result may go unused before it is freed
/// (typst's own CLI uses 10 in watch mode).
const EVICT_AFTER: usize = 10;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_cannot_escape() {
        assert_eq!(lit(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(lit("x\ny"), r#""x\ny""#);
        assert_eq!(lit("#[*$]//@"), r##""#[*$]//@""##);
    }
}
