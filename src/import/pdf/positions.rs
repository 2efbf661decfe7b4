//! PDF tables without rulings, rebuilt from glyph positions: glyphs on one
//! baseline form a line, a gap wider than a character splits it into cells,
//! page furniture is dropped, and a row whose label wrapped is put back
//! together. Used for text outside ruled tables and for tables drawn
//! without borders.

use super::Glyph;
use crate::import::lines::{Line, Method};
use crate::import::structure::opens_numbered;

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
    /// Its numbers were pieced together from several printed lines.
    pieced: bool,
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

pub(super) fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return 10.0;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// Glyphs of a page → visual lines.
fn visual_lines(glyphs: &[&Glyph]) -> Vec<VLine> {
    let mut gs: Vec<&Glyph> = glyphs
        .iter()
        .copied()
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
                // Two numbers a word space apart are two cells as well.
                let kind_change =
                    gap > g.size * 0.25 && (digit(&g.text) != last_digit || last_digit);
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
                pieced: false,
            }
        })
        .collect()
}

/// Page numbers and similar furniture: "- 4 -", "—4—", "第 4 页" anywhere,
/// and a bare number alone in the top or bottom margin.
pub(crate) fn is_furniture(text: &str, in_margin: bool) -> bool {
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

/// The lines of a page's glyphs (those outside ruled tables), each with
/// its baseline, page furniture dropped. `height` is the page's, when the
/// glyphs are a page's (a bare number in its top or bottom margin is then
/// a page number).
pub(super) fn lines(glyphs: &[&Glyph], height: Option<f64>) -> Vec<(f64, Line)> {
    let mut vls = visual_lines(glyphs);
    let in_margin = |y: f64| height.is_some_and(|h| y < h.max(1.0) * 0.07 || y > h.max(1.0) * 0.9);
    vls.retain(|l| !is_furniture(&l.text(), in_margin(l.y)));
    join_staggered_numbers(&mut vls);
    attach_wrapped_labels(&mut vls);
    vls.into_iter()
        .map(|l| {
            let mut line = if l.segs.len() > 1 {
                Line::row(
                    l.segs.iter().map(|s| s.text.clone()).collect(),
                    Method::Positions,
                )
            } else {
                Line::plain(l.text())
            };
            line.pieced = l.pieced;
            (l.y, line)
        })
        .collect()
}

fn is_digits(t: &str) -> bool {
    !t.is_empty() && t.chars().all(|c| c.is_ascii_digit())
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

/// The usual number of values in a row of a page's table.
fn usual_width(vls: &[VLine]) -> usize {
    let mut widths: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    for l in vls {
        if let Some(k) = numbers_from(l) {
            *widths.entry(l.segs.len() - k).or_default() += 1;
        }
    }
    widths
        .into_iter()
        .max_by_key(|(w, c)| (*c, *w))
        .map_or(0, |(w, _)| w)
}

/// One row's numbers set on two baselines (cells of mixed font sizes, or
/// a wrapped label with the total centred on one of its lines and the
/// other numbers on another): two lines a line apart, whose numbers stand
/// in different columns (none above another), are one row when both are
/// numbers only, or when together they give a row its usual count and the
/// second's label (if any) continues the first's. Numbers are then read
/// left to right. Two rows one above the other share their columns and
/// stay apart. Group-label fragments to the left between the two lines
/// (a tall merged label) are passed over and kept before the row.
fn join_staggered_numbers(vls: &mut Vec<VLine>) {
    let usual = usual_width(vls);
    let mut out: Vec<VLine> = Vec::with_capacity(vls.len());
    let mut held: Vec<VLine> = Vec::new();
    for l in vls.drain(..) {
        if held.is_empty()
            && let [.., a, r] = &out[..]
            && let Some(row) = join_triple(a, r, &l, usual)
        {
            out.truncate(out.len() - 2);
            out.push(row);
            continue;
        }
        let joined = out.last().and_then(|prev| join_pair(prev, &l, usual));
        if let Some(row) = joined {
            out.pop();
            out.append(&mut held);
            out.push(row);
            continue;
        }
        if let Some((from, row)) = join_across(&out, &held, &l, usual) {
            out.truncate(from);
            held.clear();
            out.push(row);
            continue;
        }
        // A group-label fragment left of the row above: hold it, the row
        // may still go on below it.
        let left_of_row = out.last().is_some_and(|p| {
            numbers_from(p).is_some_and(|k| k > 0)
                && numbers_from(&l).is_none()
                && held.len() < 2
                && l.segs.first().is_some_and(|s| s.x1 <= p.segs[0].x + 1.0)
        });
        if left_of_row {
            held.push(l);
            continue;
        }
        out.append(&mut held);
        out.push(l);
    }
    out.extend(held);
    *vls = out;
}

/// Long numbers wrapped in narrow cells and centred on a one-line label:
/// their first halves on the line above the row (`a`), their second halves
/// on the line below (`b`), each half under the other, while the short
/// numbers stand on the row's own line (`r`). Together they give the row
/// its usual count.
fn join_triple(a: &VLine, r: &VLine, b: &VLine, usual: usize) -> Option<VLine> {
    let (ka, kr, kb) = (numbers_from(a)?, numbers_from(r)?, numbers_from(b)?);
    if ka != 0 || kb != 0 || kr == 0 {
        return None;
    }
    let near = |u: &VLine, v: &VLine| v.y - u.y <= u.size.max(v.size) * 1.6;
    if !(near(a, r) && near(r, b)) || a.segs.len() != b.segs.len() {
        return None;
    }
    let over = |s: &Segment, p: &Segment| s.x < p.x1 && p.x < s.x1;
    let own = &r.segs[kr..];
    if own.len() + a.segs.len() != usual {
        return None;
    }
    let mut halves = Vec::with_capacity(a.segs.len());
    for (top, bottom) in a.segs.iter().zip(&b.segs) {
        let paired = over(top, bottom)
            && is_digits(&top.text)
            && is_digits(&bottom.text)
            && !own.iter().any(|o| over(o, top) || over(o, bottom));
        if !paired {
            return None;
        }
        halves.push(Segment {
            x: top.x.min(bottom.x),
            x1: top.x1.max(bottom.x1),
            text: format!("{}{}", top.text, bottom.text),
        });
    }
    let mut segs: Vec<Segment> = r.segs[..kr].to_vec();
    let mut nums: Vec<Segment> = own.iter().cloned().chain(halves).collect();
    nums.sort_by(|x, y| x.x.total_cmp(&y.x));
    segs.extend(nums);
    Some(VLine {
        y: r.y,
        size: r.size,
        segs,
        pieced: true,
    })
}

/// A row's numbers two lines apart with the wrapped label between them:
/// the 总计 on the label's first line and the other numbers on its second
/// to fourth, past lines of label text or a group label's fragments. The
/// row line `a` (found back through at most three lines without numbers,
/// plus the group-label fragments `held`) and the line `b` are one row
/// when their numbers stand in different columns and together give the
/// row its usual count, and nothing between or in `b`'s label starts a
/// row of its own. The label's lines are kept in reading order before the
/// numbers. Returns where the row starts in `out`, and the row.
fn join_across(out: &[VLine], held: &[VLine], b: &VLine, usual: usize) -> Option<(usize, VLine)> {
    let kb = numbers_from(b)?;
    let back = out
        .iter()
        .rev()
        .take(4)
        .position(|l| numbers_from(l).is_some())?;
    let from = out.len() - 1 - back;
    let a = &out[from];
    let mut between: Vec<&VLine> = out[from + 1..].iter().chain(held).collect();
    between.sort_by(|x, y| x.y.total_cmp(&y.y));
    if between.is_empty() || between.len() > 3 {
        return None;
    }
    let ka = numbers_from(a)?;
    let (na, nb) = (a.segs.len() - ka, b.segs.len() - kb);
    if ka == 0 || na + nb != usual || nb == 0 || b.y - a.y > a.size.max(b.size) * 4.6 {
        return None;
    }
    let over = |s: &Segment, p: &Segment| s.x < p.x1 && p.x < s.x1;
    let (nums_a, nums_b) = (&a.segs[ka..], &b.segs[kb..]);
    if nums_b.iter().any(|s| nums_a.iter().any(|p| over(s, p))) {
        return None;
    }
    let text_between = between.iter().flat_map(|l| l.segs.iter());
    let own_label = b.segs[..kb].iter();
    if text_between
        .chain(own_label)
        .any(|s| opens_numbered(&s.text) || s.text.chars().count() > 30)
    {
        return None;
    }
    let mut segs: Vec<Segment> = a.segs[..ka].to_vec();
    for l in &between {
        segs.extend(l.segs.iter().cloned());
    }
    segs.extend(b.segs[..kb].iter().cloned());
    let mut nums: Vec<Segment> = nums_a.iter().chain(nums_b).cloned().collect();
    nums.sort_by(|x, y| x.x.total_cmp(&y.x));
    segs.extend(nums);
    Some((
        from,
        VLine {
            y: b.y,
            size: a.size,
            segs,
            pieced: true,
        },
    ))
}

/// The row `a` and `b` make together, if they are one (see
/// [`join_staggered_numbers`]).
fn join_pair(a: &VLine, b: &VLine, usual: usize) -> Option<VLine> {
    let (ka, kb) = (numbers_from(a)?, numbers_from(b)?);
    if b.y - a.y > a.size.max(b.size) * 1.6 {
        return None;
    }
    let (na, nb) = (a.segs.len() - ka, b.segs.len() - kb);
    let nums_a = &a.segs[ka..];
    let nums_b = &b.segs[kb..];
    let over = |s: &Segment, p: &Segment| s.x < p.x1 && p.x < s.x1;
    if nums_b.iter().any(|s| nums_a.iter().any(|p| over(s, p))) {
        // Long numbers wrapped in narrow cells: the line below holds only
        // the rest of some of them, each under its number.
        // The head of a wrapped number filled its cell: it is at least as
        // long as its tail and does not start with 0 (a 0 alone is a whole
        // value, and the digits under it are the next row's).
        let head_of = |s: &Segment| {
            nums_a.iter().any(|p| {
                over(s, p)
                    && !p.text.starts_with('0')
                    && p.text.chars().count() >= s.text.chars().count()
            })
        };
        let tails = kb == 0
            && nb < na
            && nums_b.iter().all(|s| {
                nums_a.iter().filter(|p| over(s, p)).count() == 1
                    && is_digits(&s.text)
                    && head_of(s)
            });
        if !tails {
            return None;
        }
        let mut row = a.clone();
        for s in nums_b {
            if let Some(p) = row.segs[ka..].iter_mut().find(|p| over(s, p)) {
                p.text.push_str(&s.text);
            }
        }
        row.pieced = true;
        return Some(row);
    }
    // `b`'s label continues `a`'s: it starts in the label's column, or
    // inside the span of `a`'s label text (a group label to its left made
    // the two lines' cells split differently), and does not start a row.
    // A line of numbers alone before it (the 总计 centred above the rest)
    // is joined by a label that goes on the same way.
    let label_goes_on = kb == 0
        || !b.segs[..kb].iter().any(|s| opens_numbered(&s.text))
            && (ka == 0 || {
                let (la, lb) = (&a.segs[ka - 1], &b.segs[kb - 1]);
                (lb.x - la.x).abs() <= a.size * 1.5 || lb.x > la.x && lb.x < la.x1
            });
    let counts = (ka == 0 && kb == 0) || (na < usual && nb < usual && na + nb == usual);
    if !(label_goes_on && counts) {
        return None;
    }
    let mut segs: Vec<Segment> = a.segs[..ka].to_vec();
    segs.extend(b.segs[..kb].iter().cloned());
    let mut nums: Vec<Segment> = nums_a.iter().chain(nums_b).cloned().collect();
    nums.sort_by(|x, y| x.x.total_cmp(&y.x));
    segs.extend(nums);
    Some(VLine {
        y: a.y,
        size: a.size,
        segs,
        pieced: true,
    })
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
    let usual = usual_width(vls);
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
            numbers.pieced = true;
        }
        numbers.segs.sort_by(|a, b| a.x.total_cmp(&b.x));
        out.push(numbers);
    }
    *vls = out;
}
