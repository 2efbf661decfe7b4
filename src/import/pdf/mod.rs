//! PDF → lines, from each glyph's text and position and the lines drawn.
//!
//! Nearly every published report is a PDF that Word or WPS made from the
//! `.docx`: a text layer with CID fonts and ToUnicode maps, tables drawn as
//! ruled lines. `pdf-extract` (on `lopdf`) gives each glyph's Unicode text
//! and position and every stroked or filled path; from them:
//!
//! - a table drawn with borders is read cell by cell from its rulings
//!   ([`lattice`]), so wrapped labels and numbers on other baselines land
//!   in the cell that holds them;
//! - everything else, and a table drawn without borders, is read from glyph
//!   positions ([`positions`]): baselines, gaps, wrapped labels re-joined.
//!
//! A PDF with no text (a scan) is refused: nianbao does not OCR.

mod lattice;
mod positions;

pub(crate) use positions::is_furniture;

use super::lines::Line;
use lattice::Seg;
use pdf_extract::{MediaBox, OutputDev, OutputError, Path, PathOp, Transform};

/// One glyph: top-left-origin coordinates in points.
#[derive(Clone, Debug)]
struct Glyph {
    x: f64,
    x1: f64,
    y: f64,
    size: f64,
    text: String,
}

/// Glyphs and drawn border lines of one page, and its height.
#[derive(Default)]
struct Page {
    glyphs: Vec<Glyph>,
    segs: Vec<Seg>,
    height: f64,
}

/// Largest number of glyphs read: a 6-page report has ~15,000; a file with
/// millions is not a report, and stopping keeps memory bounded.
const MAX_GLYPHS: usize = 2_000_000;

#[derive(Default)]
struct Collector {
    pages: Vec<Page>,
    flip: Option<Transform>,
    glyphs: usize,
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        let height = media_box.ury - media_box.lly;
        self.flip = Some(Transform::row_major(1., 0., 0., -1., 0., height));
        self.pages.push(Page {
            height,
            ..Page::default()
        });
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        let (Some(flip), Some(page)) = (self.flip, self.pages.last_mut()) else {
            return Ok(());
        };
        if self.glyphs >= MAX_GLYPHS {
            return Ok(());
        }
        let pos = trm.post_transform(&flip);
        // The font size in page units: the side of the square with the area
        // of the transformed size vector (as pdf-extract's text output does).
        let vx = font_size * (trm.m11 + trm.m21);
        let vy = font_size * (trm.m12 + trm.m22);
        let size = (vx * vy).abs().sqrt();
        let (x, y) = (pos.m31, pos.m32);
        if !(x.is_finite() && y.is_finite() && size.is_finite()) || size <= 0.0 {
            return Ok(());
        }
        let text: String = text.chars().filter(|c| !c.is_control()).collect();
        if text.is_empty() {
            return Ok(());
        }
        self.glyphs += 1;
        page.glyphs.push(Glyph {
            x,
            x1: x + (width * size).max(0.0),
            y,
            size,
            text,
        });
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn stroke(
        &mut self,
        ctm: &Transform,
        _: &pdf_extract::ColorSpace,
        _: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        self.add_path(ctm, path, false);
        Ok(())
    }
    fn fill(
        &mut self,
        ctm: &Transform,
        _: &pdf_extract::ColorSpace,
        _: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        self.add_path(ctm, path, true);
        Ok(())
    }
}

impl Collector {
    /// The axis-aligned lines a path draws, in page coordinates: every
    /// straight piece of a stroke, and a filled rectangle thin enough to be
    /// a border. Curves are not table borders.
    fn add_path(&mut self, ctm: &Transform, path: &Path, fill: bool) {
        let (Some(flip), Some(page)) = (self.flip, self.pages.last_mut()) else {
            return;
        };
        if page.segs.len() >= lattice::MAX_SEGS {
            return;
        }
        let m = ctm.post_transform(&flip);
        let at = |x: f64, y: f64| (x * m.m11 + y * m.m21 + m.m31, x * m.m12 + y * m.m22 + m.m32);
        let mut out = Vec::new();
        // The current subpath's points; a fill keeps them to test for a rectangle.
        let mut sub: Vec<(f64, f64)> = Vec::new();
        let finish = |sub: &mut Vec<(f64, f64)>, out: &mut Vec<Seg>| {
            if fill {
                out.extend(Seg::from_fill(sub));
            }
            sub.clear();
        };
        for op in &path.ops {
            match *op {
                PathOp::MoveTo(x, y) => {
                    finish(&mut sub, &mut out);
                    sub.push(at(x, y));
                }
                PathOp::LineTo(x, y) => {
                    let p = at(x, y);
                    if let (false, Some(&a)) = (fill, sub.last()) {
                        out.extend(Seg::between(a, p));
                    }
                    sub.push(p);
                }
                PathOp::CurveTo(_, _, _, _, x, y) => {
                    // A curve breaks any rectangle: mark the subpath unusable.
                    sub.push((f64::NAN, f64::NAN));
                    sub.push(at(x, y));
                }
                PathOp::Rect(x, y, w, h) => {
                    finish(&mut sub, &mut out);
                    let c = [at(x, y), at(x + w, y), at(x + w, y + h), at(x, y + h)];
                    if fill {
                        out.extend(Seg::from_fill(&c));
                    } else {
                        for k in 0..4 {
                            out.extend(Seg::between(c[k], c[(k + 1) % 4]));
                        }
                    }
                }
                PathOp::Close => {
                    if let (false, Some(&a), Some(&b)) = (fill, sub.last(), sub.first()) {
                        out.extend(Seg::between(a, b));
                    }
                }
            }
        }
        finish(&mut sub, &mut out);
        let room = lattice::MAX_SEGS - page.segs.len();
        page.segs.extend(out.into_iter().take(room));
    }
}

/// Is this text laid out in columns, as a PDF converter writes a page
/// (`pdftotext -layout`, "save as text" of a PDF viewer): many lines whose
/// words stand apart by runs of spaces, at least eight of them. Such text
/// keeps each character's column, so it is read like a PDF page by glyph
/// positions rather than line by line.
pub(crate) fn is_layout_text(text: &str) -> bool {
    let mut lines = 0usize;
    let mut columned = 0usize;
    for l in text.lines().filter(|l| !l.trim().is_empty()) {
        lines += 1;
        if l.contains(['|', '\t']) {
            continue;
        }
        let gaps = l
            .trim()
            .split("  ")
            .filter(|p| !p.trim().is_empty())
            .count();
        if gaps >= 3 {
            columned += 1;
        }
    }
    columned >= 8 && columned * 7 >= lines
}

/// Width of one column of layout text, in the pseudo-points the position
/// reader works in (a character's size).
const COLUMN: f64 = 10.0;

/// Layout text → lines, through the PDF position reader: each character is
/// a glyph at its column and line, so gaps, wrapped labels and numbers set
/// on another line are handled exactly as on a PDF page.
pub(crate) fn layout_text_lines(text: &str) -> Vec<Line> {
    let mut glyphs = Vec::new();
    let mut row = 0usize;
    for line in text.lines() {
        // A form feed starts a new page in pdftotext's output.
        row += 1;
        for (col, c) in line.chars().enumerate() {
            if c.is_whitespace() || c.is_control() {
                continue;
            }
            let x = col as f64 * COLUMN;
            glyphs.push(Glyph {
                x,
                x1: x + COLUMN,
                y: row as f64 * COLUMN * 1.5,
                size: COLUMN,
                text: c.to_string(),
            });
        }
    }
    let refs: Vec<&Glyph> = glyphs.iter().collect();
    // No page margins: a bare number is never taken for a page number
    // (page lines such as "- 3 -" still are).
    positions::lines(&refs, None)
        .into_iter()
        .map(|(_, l)| l)
        .collect()
}

/// Does this look like a PDF file?
pub fn is_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).any(|w| w == b"%PDF-")
}

/// Read a PDF's text layer into lines. Errors are Chinese sentences.
pub fn pdf_lines(bytes: &[u8]) -> Result<Vec<Line>, String> {
    let pages = crate::guard::quiet_panics(|| collect(bytes))
        .unwrap_or_else(|| Err("PDF 文件的内容无法解析，文件可能已损坏".into()))?;
    if pages
        .iter()
        .all(|p| p.glyphs.iter().all(|g| g.text.trim().is_empty()))
    {
        return Err(
            "这个 PDF 没有文字层（可能是扫描件或图片），无法读取其中的文字。nianbao 不做文字识别，请取得该报告的 Word 版、网页版或由 Word 导出的 PDF"
                .into(),
        );
    }
    let mut out = Vec::new();
    let mut tables = TableState::default();
    for p in &pages {
        page_lines(p, &mut tables, &mut out);
    }
    tables.flush(&mut out);
    Ok(out)
}

/// Ruled tables across pages: the last table row read, held back so that
/// the rest of it on the next page can still join it, and the header rows
/// seen, so that a header the writer repeats on a new page is dropped.
#[derive(Default)]
struct TableState {
    last: Option<lattice::Row>,
    headers: Vec<lattice::Row>,
}

impl TableState {
    fn flush(&mut self, out: &mut Vec<Line>) {
        out.extend(self.last.take().map(|r| r.line()));
    }

    /// Take the rows of one table: a header row seen before is dropped, and
    /// at the top of a page, a row that only continues the last one joins it.
    fn take(&mut self, rows: Vec<lattice::Row>, page_top: bool, out: &mut Vec<Line>) {
        let mut first = page_top;
        let mut leading = true;
        for row in rows {
            if leading && self.headers.iter().any(|h| h.same_text(&row)) {
                continue;
            }
            if std::mem::take(&mut first)
                && let Some(last) = &mut self.last
                && row.continues(last)
            {
                last.absorb(&row);
                continue;
            }
            let has_digits = row
                .cells
                .iter()
                .any(|c| c.2.chars().any(|ch| ch.is_ascii_digit()));
            if leading && !has_digits {
                self.headers.push(row.clone());
            } else {
                leading = false;
            }
            self.flush(out);
            self.last = Some(row);
        }
    }
}

/// One page's lines in reading order: each ruled table's rows where the
/// table stands, among the lines of the text around it.
fn page_lines(page: &Page, state: &mut TableState, out: &mut Vec<Line>) {
    let tables = lattice::tables(&page.segs);
    let (table_rows, rest) = lattice::read(&tables, &page.glyphs);
    let mut text = positions::lines(&rest, Some(page.height))
        .into_iter()
        .peekable();
    let mut page_top = true;
    for (table, rows) in tables.iter().zip(table_rows) {
        while let Some((_, l)) = text.next_if(|(y, _)| *y < table.top()) {
            state.flush(out);
            out.push(l);
            page_top = false;
        }
        state.take(rows, page_top, out);
        page_top = false;
    }
    for (_, l) in text {
        state.flush(out);
        out.push(l);
    }
}

fn collect(bytes: &[u8]) -> Result<Vec<Page>, String> {
    if !super::pdf_guard::xref_widths_bounded(bytes) {
        return Err("PDF 文件已损坏（交叉引用表的字段宽度异常），无法打开".into());
    }
    let doc = pdf_extract::Document::load_mem(bytes)
        .map_err(|_| "PDF 文件已损坏或不完整，无法打开".to_string())?;
    if doc.is_encrypted() {
        return Err("PDF 文件设置了密码保护，无法读取。请取得未加密的版本".into());
    }
    let mut doc = doc;
    normalize_cid_widths(&mut doc);
    // Pages are read on every core: most of a page's time goes to parsing
    // its fonts' ToUnicode maps, which pdf-extract does again for each page.
    let numbers: Vec<u32> = doc.get_pages().into_keys().collect();
    let read = crate::parallel::par_map(&numbers, |&n| {
        crate::guard::quiet_panics(|| {
            let mut c = Collector::default();
            let r = pdf_extract::output_doc_page(&doc, &mut c, n);
            (c, r.err().map(|e| e.to_string()))
        })
    });
    // A page that fails midway keeps what was read before it; a page that
    // cannot be read at all is left out, unless no page could be.
    let mut pages = Vec::with_capacity(read.len());
    let mut glyphs = 0usize;
    let mut why = None;
    for r in read {
        match r {
            Some((c, err)) => {
                glyphs += c.glyphs;
                why = why.or(err);
                pages.extend(c.pages);
            }
            None => why = why.or(Some("内容无法解析".to_string())),
        }
        if glyphs >= MAX_GLYPHS {
            break;
        }
    }
    if glyphs == 0
        && let Some(e) = why
    {
        return Err(format!(
            "PDF 文件的内容无法解析（{}）",
            crate::text::clip(&e)
        ));
    }
    Ok(pages)
}

/// Rewrite every CID font's `/W` widths into the `cid [w1 w2 …]` form.
///
/// pdf-extract reads the other form, `first last w` (which typst and
/// other PDF writers use), with the wrong operands, so every glyph of such
/// a font gets width 0 and text positions collapse. Expanding the ranges
/// before reading keeps the positions right for every writer.
fn normalize_cid_widths(doc: &mut pdf_extract::Document) {
    use pdf_extract::Object;
    /// Bound on the glyph widths one font may expand to.
    const MAX_EXPANDED: i64 = 70_000;
    let ids: Vec<_> = doc
        .objects
        .iter()
        .filter(|(_, o)| {
            o.as_dict().is_ok_and(|d| {
                d.get(b"Subtype")
                    .and_then(|s| s.as_name())
                    .is_ok_and(|n| n == b"CIDFontType0" || n == b"CIDFontType2")
            })
        })
        .map(|(id, _)| *id)
        .collect();
    for id in ids {
        let w = match doc.get_dictionary(id).and_then(|d| d.get(b"W")) {
            Ok(Object::Reference(r)) => doc.get_object(*r).ok().cloned(),
            Ok(o) => Some(o.clone()),
            Err(_) => None,
        };
        let Some(Object::Array(w)) = w else { continue };
        let num = |o: &Object| match o {
            Object::Integer(i) => Some(*i as f64),
            Object::Real(r) => Some(f64::from(*r)),
            _ => None,
        };
        let mut out: Vec<Object> = Vec::with_capacity(w.len());
        let (mut i, mut expanded) = (0usize, 0i64);
        while i < w.len() {
            match (w.get(i).and_then(num), w.get(i + 1)) {
                (Some(first), Some(Object::Array(list))) => {
                    out.push(Object::Integer(first as i64));
                    out.push(Object::Array(list.clone()));
                    i += 2;
                }
                (Some(first), Some(last)) => {
                    let (Some(last), Some(width)) = (num(last), w.get(i + 2).and_then(num)) else {
                        break;
                    };
                    let n = (last - first) as i64 + 1;
                    if n <= 0 || expanded + n > MAX_EXPANDED {
                        break;
                    }
                    expanded += n;
                    out.push(Object::Integer(first as i64));
                    out.push(Object::Array(vec![Object::Real(width as f32); n as usize]));
                    i += 3;
                }
                _ => break,
            }
        }
        if let Ok(d) = doc.get_object_mut(id).and_then(|o| o.as_dict_mut()) {
            d.set("W", Object::Array(out));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn furniture_is_recognised() {
        for t in ["- 4 -", "—4—", "－ 12 －", "第 3 页", "第3页共6页"] {
            assert!(is_furniture(t, false), "{t}");
        }
        assert!(is_furniture("4", true));
        for t in [
            "4",
            "1 0 0 0 0 0 1",
            "4件",
            "一、总体情况",
            "- 4 - 5",
            "2024",
        ] {
            assert!(!is_furniture(t, false), "{t}");
        }
    }

    #[test]
    fn a_scan_without_text_is_refused_with_a_reason() {
        let e = pdf_lines(&crate::sample::pdf_without_text()).unwrap_err();
        assert!(e.contains("没有文字层") && e.contains("扫描件"), "{e}");
    }

    #[test]
    fn garbage_never_panics_and_says_why() {
        assert!(
            pdf_lines(b"%PDF-1.7\n garbage")
                .unwrap_err()
                .contains("PDF")
        );
        assert!(pdf_lines(b"").is_err());
        assert!(is_pdf(b"%PDF-1.4"));
        assert!(!is_pdf(b"PK\x03\x04"));
    }
}
