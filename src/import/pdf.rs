//! PDF → lines, from each glyph's text and position.
//!
//! Nearly every published report is a PDF that Word or WPS made from the
//! `.docx`: a text layer with CID fonts and ToUnicode maps, tables drawn as
//! ruled lines. `pdf-extract` (on `lopdf`) gives each glyph's Unicode text
//! and position; this module rebuilds reading lines from them:
//!
//! - glyphs on one baseline form a line, sorted left to right;
//! - a gap wider than a character splits the line into cells;
//! - page furniture (page numbers such as "- 4 -") is dropped;
//! - a line that holds only numbers (a row whose label wrapped onto two or
//!   three lines, with the numbers centred between them) is joined to the
//!   label fragments nearest to it, so each row reads "label, values" as the
//!   table reader expects.
//!
//! A PDF with no text (a scan) is refused: nianbao does not OCR.

use super::lines::Line;
use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

/// One glyph: top-left-origin coordinates in points.
#[derive(Clone, Debug)]
struct Glyph {
    x: f64,
    x1: f64,
    y: f64,
    size: f64,
    text: String,
}

/// Glyphs of one page and its height.
#[derive(Default)]
struct Page {
    glyphs: Vec<Glyph>,
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
            glyphs: Vec::new(),
            height,
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
    Ok(pages.iter().flat_map(page_lines).collect())
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
    let mut c = Collector::default();
    // A page that fails midway keeps what was read before it.
    if let Err(e) = pdf_extract::output_doc(&doc, &mut c)
        && c.glyphs == 0
    {
        return Err(format!(
            "PDF 文件的内容无法解析（{}）",
            crate::draft::clip(&e.to_string())
        ));
    }
    Ok(c.pages)
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

/// A run of glyphs on one baseline with no wide gap: one cell's text.
#[derive(Clone, Debug)]
struct Segment {
    x: f64,
    x1: f64,
    text: String,
}

/// A visual line: its baseline, its segments left to right.
#[derive(Clone, Debug)]
struct VLine {
    y: f64,
    size: f64,
    segs: Vec<Segment>,
}

impl VLine {
    fn text(&self) -> String {
        self.segs
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return 10.0;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// Glyphs of a page → visual lines.
fn visual_lines(page: &Page) -> Vec<VLine> {
    let mut gs: Vec<&Glyph> = page
        .glyphs
        .iter()
        .filter(|g| !g.text.trim().is_empty())
        .collect();
    gs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let size = median(gs.iter().map(|g| g.size).collect());
    // Rows: glyphs whose baselines are within a third of the text size.
    let mut rows: Vec<Vec<&Glyph>> = Vec::new();
    for g in gs {
        match rows.last_mut() {
            Some(r) if (g.y - r[0].y).abs() <= size * 0.35 => r.push(g),
            _ => rows.push(vec![g]),
        }
    }
    rows.into_iter()
        .map(|mut r| {
            r.sort_by(|a, b| a.x.total_cmp(&b.x));
            let mut segs: Vec<Segment> = Vec::new();
            let digit = |t: &str| t.chars().next().is_some_and(|c| c.is_ascii_digit());
            let mut last_digit = false;
            for g in &r {
                let gap = segs.last().map_or(f64::INFINITY, |s: &Segment| g.x - s.x1);
                // A number after a word space is its own cell (the first value
                // of a row set close to its label), and so is a word after a number.
                let kind_change = gap > g.size * 0.25 && digit(&g.text) != last_digit;
                last_digit = digit(&g.text);
                match segs.last_mut() {
                    Some(s) if gap <= g.size * 1.2 && !kind_change => {
                        // A narrow gap inside a cell is a word space (between
                        // digits it separates numbers; between 汉字 it is
                        // letter-spacing of labels such as "自 然 人").
                        if g.x - s.x1 > g.size * 0.25 {
                            s.text.push(' ');
                        }
                        s.text.push_str(&g.text);
                        s.x1 = s.x1.max(g.x1);
                    }
                    _ => segs.push(Segment {
                        x: g.x,
                        x1: g.x1,
                        text: g.text.clone(),
                    }),
                }
            }
            VLine {
                y: r.iter().map(|g| g.y).sum::<f64>() / r.len() as f64,
                size: median(r.iter().map(|g| g.size).collect()),
                segs,
            }
        })
        .collect()
}

/// Page numbers and similar furniture: "- 4 -", "—4—", "第 4 页" anywhere,
/// and a bare number alone in the top or bottom margin.
fn is_furniture(text: &str, in_margin: bool) -> bool {
    let t = text.trim();
    let dashed = t.starts_with(|c| "-—－–".contains(c)) && t.ends_with(|c| "-—－–".contains(c));
    let inner: String = t
        .trim_matches(|c: char| "-—－–_ ".contains(c))
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit());
    (dashed && digits(&inner))
        || (in_margin && digits(t))
        || inner
            .strip_prefix('第')
            .and_then(|s| s.split_once('页'))
            .is_some_and(|(n, rest)| digits(n) && (rest.is_empty() || rest.starts_with('共')))
}

fn page_lines(page: &Page) -> Vec<Line> {
    let mut vls = visual_lines(page);
    let h = page.height.max(1.0);
    vls.retain(|l| !is_furniture(&l.text(), l.y < h * 0.07 || l.y > h * 0.9));
    attach_wrapped_labels(&mut vls);
    vls.into_iter()
        .map(|l| {
            if l.segs.len() > 1 {
                let cells: Vec<String> = l.segs.iter().map(|s| s.text.clone()).collect();
                Line {
                    text: cells.join(" "),
                    cells: Some(cells),
                }
            } else {
                Line::plain(l.text())
            }
        })
        .collect()
}

fn is_number_text(t: &str) -> bool {
    t.split(' ').all(|w| {
        !w.is_empty()
            && w.chars()
                .all(|c| c.is_ascii_digit() || ".,，．-—/".contains(c))
    })
}

/// Where a table row's numbers start in a line: `Some(0)` for a line of
/// numbers only, `Some(k)` when segments `k..` are numbers after a label.
/// One number after text counts only across a cell-wide gap, so a
/// paragraph line that happens to end in a number is not a row.
fn numbers_from(l: &VLine) -> Option<usize> {
    let k = l
        .segs
        .iter()
        .rposition(|s| !is_number_text(&s.text))
        .map_or(0, |p| p + 1);
    let n = l.segs.len() - k;
    let wide = k > 0 && k < l.segs.len() && l.segs[k].x - l.segs[k - 1].x1 > l.size * 1.2;
    (n > 0 && (k == 0 || n >= 2 || wide)).then_some(k)
}

/// A table row whose label wrapped onto two or three lines: Word centres
/// the numbers vertically, so the row's numbers stand on the first line,
/// on a line of their own, or between the label's lines. The label lines
/// that follow a row's numbers belong to it when they are in the label's
/// column, nearer to this row than to the next one, and within a line and
/// a half. Each row is rewritten as: label lines in reading order, then its
/// numbers, which is the order the table reader expects.
fn attach_wrapped_labels(vls: &mut Vec<VLine>) {
    let rows: Vec<Option<usize>> = vls.iter().map(numbers_from).collect();
    let n = vls.len();
    // The usual number of values in a row of this page's table.
    let mut widths: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    for (l, k) in vls.iter().zip(&rows) {
        if let Some(k) = k {
            *widths.entry(l.segs.len() - k).or_default() += 1;
        }
    }
    let usual = widths
        .into_iter()
        .max_by_key(|(w, c)| (*c, *w))
        .map_or(0, |(w, _)| w);
    let mut out: Vec<VLine> = Vec::with_capacity(n + 8);
    let mut used = vec![false; n];
    for i in 0..n {
        if used[i] {
            continue;
        }
        used[i] = true;
        let Some(k) = rows[i] else {
            out.push(vls[i].clone());
            continue;
        };
        // The label's column: its own label segment, else the text line above.
        let label_x = vls[i].segs[..k].last().map(|s| s.x).or_else(|| {
            out.last()
                .filter(|p| numbers_from(p).is_none())
                .and_then(|p| p.segs.last().map(|s| s.x))
        });
        // The next row that has its own label: lines before it may still
        // be this row's (label fragments, group labels, the rest of its numbers).
        let next_row = (i + 1..n).find(|&j| rows[j].is_some_and(|k| k > 0));
        let size = vls[i].size;
        // Numbers sit in the middle of a wrapped label: as many of its
        // lines follow them as stand before them, in the label's column.
        let above = label_x.map_or(0, |lx| {
            let mut c = 0;
            let mut y = vls[i].y;
            for l in out.iter().rev() {
                let x0 = l.segs.first().map_or(f64::MAX, |s| s.x);
                if numbers_from(l).is_none()
                    && (x0 - lx).abs() <= l.size * 1.5
                    && y - l.y <= size * 1.6
                {
                    c += 1;
                    y = l.y;
                } else {
                    break;
                }
            }
            c
        });
        let have = vls[i].segs.len() - k;
        let (mut tail, mut groups, mut more) = (Vec::new(), Vec::new(), Vec::new());
        if let Some(lx) = label_x {
            for j in i + 1..next_row.unwrap_or(n) {
                let l = &vls[j];
                let d_here = l.y - vls[i].y;
                let d_next = next_row.map_or(f64::INFINITY, |r| vls[r].y - l.y);
                if d_here > size * 1.6 || d_here >= d_next {
                    break;
                }
                let x0 = l.segs.first().map_or(lx, |s| s.x);
                if rows[j] == Some(0)
                    && k > 0
                    && more.is_empty()
                    && have < usual
                    && have + (l.segs.len()) == usual
                {
                    more.push(j); // the rest of this row's numbers, on a baseline of their own
                } else if rows[j].is_none() && l.text().chars().count() <= 30 {
                    if (x0 - lx).abs() <= l.size * 1.5 {
                        if tail.len() >= above.max(usize::from(k == 0 && above == 0)) {
                            break;
                        }
                        tail.push(j);
                    } else if x0 < lx - l.size {
                        groups.push(j); // a group label of the columns to the left
                    } else {
                        break;
                    }
                } else {
                    break;
                }
            }
        }
        if tail.is_empty() && more.is_empty() {
            out.push(vls[i].clone());
            continue;
        }
        let row = &vls[i];
        for &j in &groups {
            used[j] = true;
            out.push(vls[j].clone());
        }
        if k > 0 {
            out.push(VLine {
                segs: row.segs[..k].to_vec(),
                ..row.clone()
            });
        }
        for &j in &tail {
            used[j] = true;
            out.push(vls[j].clone());
        }
        let mut numbers = VLine {
            segs: row.segs[k..].to_vec(),
            ..row.clone()
        };
        for &j in &more {
            used[j] = true;
            numbers.segs.extend(vls[j].segs.iter().cloned());
        }
        out.push(numbers);
    }
    *vls = out;
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
