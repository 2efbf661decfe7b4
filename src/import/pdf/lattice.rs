//! PDF tables from the lines that draw them (a lattice reader).
//!
//! Word, WPS and LibreOffice draw every cell border of a report's tables,
//! as stroked lines or as thin filled rectangles. Reading the table from
//! those rulings is exact where reading it from glyph positions has to
//! guess: a label that wraps onto four lines, numbers centred between them,
//! or a 总计 cell set on another baseline than its row all land in the
//! cell whose borders hold them.
//!
//! The steps follow pdfplumber's and camelot's lattice readers:
//! 1. collect horizontal and vertical strokes and thin filled rectangles;
//! 2. snap strokes that lie on one line together and join their pieces;
//! 3. group the rulings that touch into tables;
//! 4. the distinct ruling positions make a grid; two neighbouring grid
//!    cells with no ruling between them are one (merged) cell;
//! 5. every glyph goes to the cell whose box holds its centre, and a cell's
//!    text is its glyphs in reading order, wrapped lines joined.
//!
//! Each grid row becomes one line of cells, leaving out cells that continue
//! a merge from the row above: the shape HTML `rowspan` and Word `vMerge`
//! give, so the one schema matcher reads all three.

use super::Glyph;
use super::positions::median;
use crate::import::lines::{Line, Method};

/// A border stroke in page points (top-left origin): horizontal when
/// `y0 == y1`, vertical when `x0 == x1`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Seg {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

/// Strokes this close in position lie on one ruling (double borders,
/// rounding of the writer).
const SNAP: f64 = 1.2;
/// Pieces of one ruling with a gap up to this are joined.
const JOIN: f64 = 2.0;
/// A ruling that ends this close to another still meets it.
const MEET: f64 = 2.5;
/// A filled rectangle at most this thick is a drawn line, not shading.
const THIN: f64 = 2.5;
/// Rulings read from one page at most: a report page has a few hundred;
/// a page drawing more is a chart or a hostile file, read by positions.
pub(super) const MAX_SEGS: usize = 20_000;

impl Seg {
    fn horizontal(&self) -> bool {
        self.y0 == self.y1
    }

    /// The axis-aligned segment between two points, if it is one.
    pub(super) fn between(a: (f64, f64), b: (f64, f64)) -> Option<Seg> {
        let ok = [a.0, a.1, b.0, b.1].iter().all(|v| v.is_finite());
        if !ok {
            return None;
        }
        if (a.1 - b.1).abs() <= 0.6 && (a.0 - b.0).abs() > 0.3 {
            let y = (a.1 + b.1) / 2.0;
            Some(Seg {
                x0: a.0.min(b.0),
                x1: a.0.max(b.0),
                y0: y,
                y1: y,
            })
        } else if (a.0 - b.0).abs() <= 0.6 && (a.1 - b.1).abs() > 0.3 {
            let x = (a.0 + b.0) / 2.0;
            Some(Seg {
                x0: x,
                x1: x,
                y0: a.1.min(b.1),
                y1: a.1.max(b.1),
            })
        } else {
            None
        }
    }

    /// A filled rectangle with these corners, as a line when it is thin.
    pub(super) fn from_fill(pts: &[(f64, f64)]) -> Option<Seg> {
        if pts.len() < 4 || pts.iter().any(|p| !(p.0.is_finite() && p.1.is_finite())) {
            return None;
        }
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for p in pts {
            x0 = x0.min(p.0);
            x1 = x1.max(p.0);
            y0 = y0.min(p.1);
            y1 = y1.max(p.1);
        }
        // Every point on the box's corners: an axis-aligned rectangle.
        let corner = |p: &(f64, f64)| {
            ((p.0 - x0).abs() < 0.3 || (p.0 - x1).abs() < 0.3)
                && ((p.1 - y0).abs() < 0.3 || (p.1 - y1).abs() < 0.3)
        };
        if !pts.iter().all(corner) {
            return None;
        }
        let (w, h) = (x1 - x0, y1 - y0);
        if h <= THIN && w > h * 2.0 {
            Seg::between((x0, (y0 + y1) / 2.0), (x1, (y0 + y1) / 2.0))
        } else if w <= THIN && h > w * 2.0 {
            Seg::between(((x0 + x1) / 2.0, y0), ((x0 + x1) / 2.0, y1))
        } else {
            None
        }
    }
}

/// One ruling after snapping: its position across, and its extent along.
#[derive(Clone, Copy, Debug)]
struct Ruling {
    at: f64,
    from: f64,
    to: f64,
}

/// Snap segments of one orientation onto rulings and join their pieces.
fn rulings(mut segs: Vec<(f64, f64, f64)>) -> Vec<Ruling> {
    segs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out: Vec<Ruling> = Vec::new();
    let mut i = 0;
    while i < segs.len() {
        let mut j = i + 1;
        while j < segs.len() && segs[j].0 - segs[j - 1].0 <= SNAP {
            j += 1;
        }
        let group = &mut segs[i..j];
        let at = group.iter().map(|s| s.0).sum::<f64>() / group.len() as f64;
        group.sort_by(|a, b| a.1.total_cmp(&b.1));
        let mut cur: Option<Ruling> = None;
        for &(_, from, to) in group.iter() {
            match &mut cur {
                Some(r) if from <= r.to + JOIN => r.to = r.to.max(to),
                _ => {
                    out.extend(cur.take());
                    cur = Some(Ruling { at, from, to });
                }
            }
        }
        out.extend(cur);
        i = j;
    }
    out
}

/// Cluster sorted positions that lie within `SNAP` of each other.
fn positions(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(|a, b| a.total_cmp(b));
    let mut out: Vec<Vec<f64>> = Vec::new();
    for x in v {
        match out.last_mut() {
            Some(g) if x - g[g.len() - 1] <= SNAP => g.push(x),
            _ => out.push(vec![x]),
        }
    }
    out.iter()
        .map(|g| g.iter().sum::<f64>() / g.len() as f64)
        .collect()
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (a, b) = (find(parent, a), find(parent, b));
    if a != b {
        parent[a.max(b)] = a.min(b);
    }
}

/// A merged cell: grid rows `r0..r1`, columns `c0..c1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct CellBox {
    r0: usize,
    c0: usize,
    r1: usize,
    c1: usize,
}

/// A table found from its rulings.
#[derive(Debug)]
pub(super) struct Table {
    xs: Vec<f64>,
    ys: Vec<f64>,
    cells: Vec<CellBox>,
    /// Grid cell (row × columns + column) → index into `cells`.
    owner: Vec<usize>,
}

impl Table {
    pub(super) fn top(&self) -> f64 {
        self.ys[0]
    }

    /// The cell holding a point, if it is inside the table.
    fn cell_at(&self, x: f64, y: f64) -> Option<usize> {
        let (cols, rows) = (self.xs.len() - 1, self.ys.len() - 1);
        if x < self.xs[0] || x > self.xs[cols] || y < self.ys[0] || y > self.ys[rows] {
            return None;
        }
        let c = self.xs.partition_point(|&v| v <= x).clamp(1, cols) - 1;
        let r = self.ys.partition_point(|&v| v <= y).clamp(1, rows) - 1;
        Some(self.owner[r * cols + c])
    }
}

/// The tables a page's rulings draw. A table needs at least two cells.
pub(super) fn tables(segs: &[Seg]) -> Vec<Table> {
    let h = rulings(
        segs.iter()
            .filter(|s| s.horizontal())
            .map(|s| (s.y0, s.x0, s.x1))
            .collect(),
    );
    let v = rulings(
        segs.iter()
            .filter(|s| !s.horizontal())
            .map(|s| (s.x0, s.y0, s.y1))
            .collect(),
    );
    // Rulings that touch belong to one table.
    let n = h.len() + v.len();
    let mut parent: Vec<usize> = (0..n).collect();
    for (i, a) in h.iter().enumerate() {
        for (j, b) in v.iter().enumerate() {
            let meets = b.at >= a.from - MEET
                && b.at <= a.to + MEET
                && a.at >= b.from - MEET
                && a.at <= b.to + MEET;
            if meets {
                union(&mut parent, i, h.len() + j);
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, (Vec<Ruling>, Vec<Ruling>)> =
        Default::default();
    for (i, r) in h.iter().enumerate() {
        groups.entry(find(&mut parent, i)).or_default().0.push(*r);
    }
    for (j, r) in v.iter().enumerate() {
        let k = find(&mut parent, h.len() + j);
        groups.entry(k).or_default().1.push(*r);
    }
    let mut out: Vec<Table> = groups
        .into_values()
        .filter_map(|(h, v)| grid(&h, &v))
        .collect();
    out.sort_by(|a, b| a.top().total_cmp(&b.top()));
    out
}

/// Does a ruling among `rs` at `at` cover the middle half of `from..to`?
fn covered(rs: &[Ruling], at: f64, from: f64, to: f64) -> bool {
    let q = (to - from) * 0.25;
    rs.iter()
        .any(|r| (r.at - at).abs() <= SNAP * 2.0 && r.from <= from + q && r.to >= to - q)
}

/// The cell grid of one group of touching rulings.
fn grid(h: &[Ruling], v: &[Ruling]) -> Option<Table> {
    let ys = positions(h.iter().map(|r| r.at).collect());
    let xs = positions(v.iter().map(|r| r.at).collect());
    if ys.len() < 2 || xs.len() < 2 || ys.len() + xs.len() < 5 {
        return None;
    }
    let (rows, cols) = (ys.len() - 1, xs.len() - 1);
    if rows * cols > 100_000 {
        return None;
    }
    let mut parent: Vec<usize> = (0..rows * cols).collect();
    for r in 0..rows {
        for c in 0..cols {
            if c + 1 < cols && !covered(v, xs[c + 1], ys[r], ys[r + 1]) {
                union(&mut parent, r * cols + c, r * cols + c + 1);
            }
            if r + 1 < rows && !covered(h, ys[r + 1], xs[c], xs[c + 1]) {
                union(&mut parent, r * cols + c, (r + 1) * cols + c);
            }
        }
    }
    let mut index: std::collections::HashMap<usize, usize> = Default::default();
    let mut cells: Vec<CellBox> = Vec::new();
    let mut owner = vec![0; rows * cols];
    for r in 0..rows {
        for c in 0..cols {
            let root = find(&mut parent, r * cols + c);
            let k = *index.entry(root).or_insert_with(|| {
                cells.push(CellBox {
                    r0: r,
                    c0: c,
                    r1: r + 1,
                    c1: c + 1,
                });
                cells.len() - 1
            });
            let b = &mut cells[k];
            b.r0 = b.r0.min(r);
            b.c0 = b.c0.min(c);
            b.r1 = b.r1.max(r + 1);
            b.c1 = b.c1.max(c + 1);
            owner[r * cols + c] = k;
        }
    }
    (cells.len() >= 2).then_some(Table {
        xs,
        ys,
        cells,
        owner,
    })
}

/// The text of one cell: its glyphs line by line, top to bottom, each line
/// left to right; a wrapped label's lines join without a break, and a
/// number wrapped in a narrow cell joins into one number.
fn cell_text(mut gs: Vec<&Glyph>) -> String {
    if gs.is_empty() {
        return String::new();
    }
    gs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let size = median(gs.iter().map(|g| g.size).collect());
    let mut lines: Vec<Vec<&Glyph>> = Vec::new();
    for g in gs {
        match lines.last_mut() {
            Some(l) if (g.y - l[0].y).abs() <= size * 0.35 => l.push(g),
            _ => lines.push(vec![g]),
        }
    }
    let mut out = String::new();
    for mut l in lines {
        l.sort_by(|a, b| a.x.total_cmp(&b.x));
        let mut x1 = f64::NEG_INFINITY;
        for (k, g) in l.iter().enumerate() {
            if k > 0 && g.x - x1 > g.size * 0.25 && !out.ends_with(' ') {
                out.push(' ');
            }
            out.push_str(&g.text);
            x1 = x1.max(g.x1);
        }
    }
    // Digits only: one number, whatever gaps the writer left between them.
    if out.chars().any(|c| c.is_ascii_digit())
        && out
            .chars()
            .all(|c| c.is_ascii_digit() || c == ' ' || c == '.' || c == ',')
    {
        out.retain(|c| c != ' ');
    }
    out
}

/// A glyph's centre: halfway along its advance, a third of its size above
/// the baseline.
fn centre(g: &Glyph) -> (f64, f64) {
    ((g.x + g.x1) / 2.0, g.y - g.size * 0.3)
}

/// Text that begins a row of its own: numbered like a row label
/// ("一、", "（二）", "3."), or a whole row label of the format.
fn starts_a_row(t: &str) -> bool {
    let n = crate::text::norm(t);
    let body = n.trim_start_matches('(');
    let numbered = body
        .chars()
        .next()
        .is_some_and(|c| "一二三四五六七八九十".contains(c) || c.is_ascii_digit())
        && body
            .chars()
            .nth(1)
            .is_some_and(|c| ",.)一二三四五六七八九十0123456789".contains(c));
    numbered || crate::import::is_row_label(&n)
}

/// One row of a ruled table: the cells that start in it, left to right,
/// with their horizontal extent.
#[derive(Clone, Debug)]
pub(super) struct Row {
    pub cells: Vec<(f64, f64, String)>,
}

impl Row {
    pub fn line(&self) -> Line {
        Line::row(
            self.cells.iter().map(|(_, _, t)| t.clone()).collect(),
            Method::Ruled,
        )
    }

    fn texts(&self) -> impl Iterator<Item = &str> {
        self.cells.iter().map(|(_, _, t)| t.as_str())
    }

    /// The same cell texts as another row (a header repeated on a new page).
    pub fn same_text(&self, other: &Row) -> bool {
        self.texts().any(|t| !t.is_empty()) && self.texts().eq(other.texts())
    }

    /// The rest of `prev` that the page broke off (Word and WPS let a row
    /// run on to the next page unless told not to): numbers under cells of
    /// `prev` that hold numbers, at least one of them; besides them only
    /// the rest of a wrapped label under `prev`'s label (never a row label
    /// of its own, nor numbered like one), or the rest of a group label
    /// that spans rows above (no cell of `prev` under it).
    pub fn continues(&self, prev: &Row) -> bool {
        let number = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.');
        let mut any = false;
        for (x0, x1, t) in &self.cells {
            if t.is_empty() {
                continue;
            }
            let overlap = |c: &&(f64, f64, String)| c.1.min(*x1) - c.0.max(*x0);
            let under = prev
                .cells
                .iter()
                .filter(|c| overlap(c) > 0.0)
                .max_by(|a, b| overlap(a).total_cmp(&overlap(b)));
            let fits = match under {
                Some(u) if number(t) => number(&u.2),
                Some(u) => !number(&u.2) && !starts_a_row(t),
                None => !number(t) && !starts_a_row(t),
            };
            if !fits {
                return false;
            }
            any |= number(t);
        }
        any
    }

    /// Append the cells of `rest` (the same row, continued on the next
    /// page) to the cells they stand under, by horizontal overlap.
    pub fn absorb(&mut self, rest: &Row) {
        for (x0, x1, t) in rest.cells.iter().filter(|(_, _, t)| !t.is_empty()) {
            let overlap = |c: &(f64, f64, String)| (c.1.min(*x1) - c.0.max(*x0)).max(0.0);
            if let Some(c) = self
                .cells
                .iter_mut()
                .filter(|c| overlap(c) > 0.0)
                .max_by(|a, b| overlap(a).total_cmp(&overlap(b)))
            {
                c.2.push_str(t);
            }
        }
    }
}

/// Put every glyph that falls in one of `tables` into its cell. Returns
/// each table's rows and the glyphs left over.
pub(super) fn read<'a>(tables: &[Table], glyphs: &'a [Glyph]) -> (Vec<Vec<Row>>, Vec<&'a Glyph>) {
    let mut per_cell: Vec<Vec<Vec<&Glyph>>> = tables
        .iter()
        .map(|t| vec![Vec::new(); t.cells.len()])
        .collect();
    let mut rest = Vec::new();
    for g in glyphs {
        if g.text.trim().is_empty() {
            continue;
        }
        let (x, y) = centre(g);
        match tables
            .iter()
            .enumerate()
            .find_map(|(k, t)| t.cell_at(x, y).map(|c| (k, c)))
        {
            Some((k, c)) => per_cell[k][c].push(g),
            None => rest.push(g),
        }
    }
    let rows = tables
        .iter()
        .zip(per_cell)
        .map(|(t, cells)| {
            let texts: Vec<String> = cells.into_iter().map(cell_text).collect();
            (0..t.ys.len() - 1)
                .filter_map(|r| {
                    let mut cells: Vec<(f64, f64, String)> = t
                        .cells
                        .iter()
                        .zip(&texts)
                        .filter(|(b, _)| b.r0 == r)
                        .map(|(b, s)| (t.xs[b.c0], t.xs[b.c1], s.clone()))
                        .collect();
                    if cells.is_empty() {
                        return None;
                    }
                    cells.sort_by(|a, b| a.0.total_cmp(&b.0));
                    Some(Row { cells })
                })
                .collect()
        })
        .collect();
    (rows, rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hseg(y: f64, x0: f64, x1: f64) -> Seg {
        Seg {
            x0,
            x1,
            y0: y,
            y1: y,
        }
    }
    fn vseg(x: f64, y0: f64, y1: f64) -> Seg {
        Seg {
            x0: x,
            x1: x,
            y0,
            y1,
        }
    }
    fn glyph(x: f64, y: f64, t: &str) -> Glyph {
        Glyph {
            x,
            x1: x + 8.0,
            y,
            size: 10.0,
            text: t.into(),
        }
    }

    /// A 3 × 2 grid whose first column's two lower cells are merged (the
    /// ruling between them stops at the second column), drawn in pieces
    /// as LibreOffice draws it, one piece per cell edge, slightly off.
    fn merged_grid() -> Vec<Seg> {
        vec![
            hseg(0.0, 0.0, 50.0),
            hseg(0.3, 50.0, 100.0),
            hseg(20.0, 0.0, 100.0),
            hseg(40.0, 50.0, 100.0),
            hseg(60.0, 0.0, 100.2),
            vseg(0.0, 0.0, 60.0),
            vseg(50.0, 0.0, 30.0),
            vseg(50.2, 30.5, 60.0),
            vseg(100.0, 0.0, 60.0),
        ]
    }

    #[test]
    fn pieces_snap_into_one_grid_with_a_vertical_merge() {
        let t = tables(&merged_grid());
        assert_eq!(t.len(), 1);
        let t = &t[0];
        assert_eq!((t.xs.len(), t.ys.len()), (3, 4));
        // Cells: (0,0) (0,1) (1..3,0) (1,1) (2,1).
        assert_eq!(t.cells.len(), 5);
        assert_eq!(t.cell_at(10.0, 30.0), t.cell_at(10.0, 55.0));
        assert_ne!(t.cell_at(60.0, 30.0), t.cell_at(60.0, 55.0));
        assert_eq!(t.cell_at(120.0, 30.0), None);
    }

    #[test]
    fn glyphs_go_to_their_cells_and_rows_leave_out_continued_merges() {
        let t = tables(&merged_grid());
        // A label wrapped onto two lines in the merged cell, a number set
        // lower than its neighbour, and text outside the table.
        let glyphs = vec![
            glyph(5.0, 15.0, "甲"),
            glyph(60.0, 15.0, "1"),
            glyph(68.0, 15.0, "2"),
            glyph(5.0, 35.0, "乙"),
            glyph(13.0, 35.0, "丙"),
            glyph(5.0, 48.0, "丁"),
            glyph(60.0, 38.0, "3"),
            glyph(60.0, 57.0, "4"),
            glyph(5.0, 80.0, "外"),
        ];
        let (rows, rest) = read(&t, &glyphs);
        let cells: Vec<Vec<String>> = rows[0].iter().map(|r| r.line().cells.unwrap()).collect();
        assert_eq!(
            cells,
            vec![
                vec!["甲".to_string(), "12".into()],
                vec!["乙丙丁".into(), "3".into()],
                vec!["4".into()],
            ]
        );
        assert_eq!(rest.len(), 1);
        assert_eq!(rest[0].text, "外");
    }

    #[test]
    fn a_row_broken_by_the_page_is_put_back_together() {
        let row = |cells: &[(f64, f64, &str)]| Row {
            cells: cells
                .iter()
                .map(|&(a, b, t)| (a, b, t.to_string()))
                .collect(),
        };
        let mut first = row(&[
            (0.0, 100.0, "3.要求提供公开出版物"),
            (100.0, 130.0, "846"),
            (130.0, 160.0, "0"),
        ]);
        let rest = row(&[
            (0.0, 30.0, ""),
            (30.0, 100.0, ""),
            (100.0, 130.0, "87"),
            (130.0, 160.0, ""),
        ]);
        assert!(rest.continues(&first));
        first.absorb(&rest);
        assert_eq!(
            first.line().cells.unwrap(),
            vec!["3.要求提供公开出版物", "84687", "0"]
        );
        // A row of its own on the new page is not a continuation.
        let own = row(&[
            (0.0, 30.0, ""),
            (30.0, 100.0, "4.无正当理由大量反复申请"),
            (100.0, 130.0, "5"),
        ]);
        assert!(!own.continues(&first));
        let plain = row(&[(0.0, 100.0, "行政处罚"), (100.0, 160.0, "0")]);
        let before = row(&[(0.0, 100.0, "行政许可"), (100.0, 160.0, "2")]);
        assert!(!plain.continues(&before));
        // The rest of a wrapped label and of a group label spanning rows.
        let rest = row(&[
            (-30.0, 0.0, "果"),
            (0.0, 100.0, "其他情形）"),
            (100.0, 130.0, "3"),
        ]);
        assert!(rest.continues(&first));
        // Numbers after a header row are the table's values, not a rest.
        let header = row(&[(0.0, 100.0, "结果维持"), (100.0, 130.0, "结果纠正")]);
        let values = row(&[(0.0, 100.0, "5"), (100.0, 130.0, "0")]);
        assert!(!values.continues(&header));
        assert!(header.same_text(&header.clone()));
    }

    #[test]
    fn a_framed_paragraph_or_a_lone_line_is_not_a_table() {
        let frame = vec![
            hseg(0.0, 0.0, 100.0),
            hseg(40.0, 0.0, 100.0),
            vseg(0.0, 0.0, 40.0),
            vseg(100.0, 0.0, 40.0),
        ];
        assert!(tables(&frame).is_empty());
        assert!(tables(&[hseg(5.0, 0.0, 300.0)]).is_empty());
    }

    #[test]
    fn thin_fills_are_lines_and_shading_is_not() {
        let rect =
            |x0: f64, y0: f64, x1: f64, y1: f64| vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1)];
        assert_eq!(
            Seg::from_fill(&rect(0.0, 10.0, 100.0, 10.5)),
            Some(hseg(10.25, 0.0, 100.0))
        );
        assert_eq!(
            Seg::from_fill(&rect(20.0, 0.0, 20.7, 50.0)),
            Some(vseg(20.35, 0.0, 50.0))
        );
        assert_eq!(Seg::from_fill(&rect(0.0, 0.0, 440.0, 28.0)), None);
        assert_eq!(
            Seg::from_fill(&[(0.0, 0.0), (5.0, 1.0), (9.0, 0.0), (2.0, 3.0)]),
            None
        );
        assert_eq!(Seg::between((0.0, 0.0), (f64::NAN, 0.0)), None);
        assert_eq!(Seg::between((0.0, 0.0), (30.0, 40.0)), None);
    }
}
