//! Reading the three tables out of a run of lines, by walking the schema.
//!
//! Lines become tokens (text, number, blank). Consecutive text tokens form
//! a label run; the numbers after it are that row's values. Rows are matched
//! by label (normalised, tolerant of typos and truncation), falling back on
//! their position, and values then follow in schema order.

use super::lines::Line;
use crate::cell::{Cell, fold_width, parse_cell};
use crate::check::{Finding, Severity};
use crate::schema::{
    self, ACTIVE_BLOCKS, APPEAL_BLOCKS, APPEAL_COLUMNS, FieldIdx, FieldKind, REQUEST_COLUMNS,
    TableId,
};
pub use crate::text::norm;

#[derive(Clone, Debug, PartialEq)]
pub enum Token {
    Text(String),
    /// A value-like token: a number, or a short placeholder such as "—".
    Value(String),
    /// An empty cell.
    Blank,
}

fn is_value_like(t: &str) -> bool {
    let f = fold_width(t);
    // Digits of any length (a run of glued cells is one such token).
    if !f.is_empty() && f.bytes().all(|c| c.is_ascii_digit()) {
        return true;
    }
    if parse_cell(&f, FieldKind::Amount).decimal().is_some() {
        return true;
    }
    // "1." or "2、" is list numbering of a broken label, not a value.
    let numbering = f
        .trim_end_matches(['.', '、'])
        .chars()
        .all(|c| c.is_ascii_digit())
        && f.len() > 1;
    if numbering && (f.ends_with('.') || f.ends_with('、')) {
        return false;
    }
    // Digits with a stray unit or symbol ("0件", "1O") are values typed wrong,
    // kept as invalid text; words with digits ("2.重复申请") are labels.
    // A damaged byte (U+FFFD) in or as a value keeps its place as an
    // invalid value, so the values after it do not shift.
    let short = f.chars().count() <= 6;
    let digits_and_symbols = f.chars().any(|c| c.is_ascii_digit() || c == '\u{FFFD}')
        && f.chars()
            .all(|c| c.is_ascii() || "件万元个项％\u{FFFD}".contains(c));
    short && (digits_and_symbols || ["-", "—", "/", "／", "无", "——", "－"].contains(&f.as_str()))
}

/// A label followed directly by digits, as text copied from some portals
/// and converters glues a row: the label and the digit run. A label never
/// ends in a digit, and list numbering ("2.重复申请") starts, not ends, with one.
fn glued_label(p: &str) -> Option<(String, String)> {
    let f = fold_width(p);
    // The digits, with a decimal point inside (a fee in 万元).
    let mut digits = f.len()
        - f.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.')
            .len();
    while digits > 0 && !f.as_bytes()[f.len() - digits].is_ascii_digit() {
        digits -= 1;
    }
    if digits == 0 || digits == f.len() || f.ends_with('.') {
        return None;
    }
    let (label, run) = f.split_at(f.len() - digits);
    let last = label.chars().last()?;
    let cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c) || "）)”".contains(c);
    (cjk(last) && label.chars().filter(|c| cjk(*c)).count() >= 2)
        .then(|| (label.to_string(), run.to_string()))
}

fn push_cell(tokens: &mut Vec<Token>, cell: &str) {
    let parts: Vec<&str> = cell
        .split(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}')
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        tokens.push(Token::Blank);
        return;
    }
    // A label with its numbers glued on ("行政规范性文件8855698"): the
    // label, then the run of digits for the repair to split.
    if let [p] = parts[..]
        && let Some((label, digits)) = glued_label(p)
    {
        tokens.push(Token::Text(label));
        tokens.push(Token::Value(digits));
        return;
    }
    // A cell whose words are all values gives values; otherwise it is one label.
    if parts.iter().all(|p| is_value_like(p)) {
        tokens.extend(parts.iter().map(|p| Token::Value(p.to_string())));
    } else if parts.iter().any(|p| is_value_like(p)) {
        for p in parts {
            tokens.push(if is_value_like(p) {
                Token::Value(p.to_string())
            } else {
                Token::Text(p.to_string())
            });
        }
    } else {
        tokens.push(Token::Text(parts.concat()));
    }
}

/// Lines → tokens. Table cells come from HTML rows, TAB or `|` separators,
/// or white space (PDF text).
pub fn tokenize(lines: &[Line]) -> Vec<Token> {
    let mut tokens = Vec::new();
    for line in lines {
        if let Some(cells) = &line.cells {
            for c in cells {
                push_cell(&mut tokens, c);
            }
            continue;
        }
        let l = line.text.as_str();
        // Blank lines, and page numbers that copied text leaves inside a table.
        if l.trim().is_empty() || super::pdf::is_furniture(l, false) {
            continue;
        }
        if l.contains('\t') || l.contains('|') {
            let mut segs: Vec<&str> = l.split(['\t', '|']).collect();
            if l.trim_end().ends_with('|')
                && segs.len() > 1
                && segs.last().is_some_and(|s| s.trim().is_empty())
            {
                segs.pop();
            }
            if l.trim_start().starts_with('|') && segs.len() > 1 && segs[0].trim().is_empty() {
                segs.remove(0);
            }
            for s in segs {
                push_cell(&mut tokens, s);
            }
        } else {
            push_cell(&mut tokens, l);
        }
    }
    tokens
}

/// A label run and the values that follow it.
#[derive(Debug, Default, Clone)]
pub struct Run {
    pub label: String,
    pub values: Vec<Token>,
    /// Some of its values come from a line pieced together by position.
    pub pieced: bool,
}

/// Lines → runs, keeping track of the values that come from pieced lines.
///
/// A run whose values stand on more than one line laid out by position is
/// itself pieced together: which printed line a number belongs to was a
/// guess.
pub fn runs_of(lines: &[Line]) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    let mut cur = Run::default();
    // The lines the current run's values came from: (how many, any by position).
    let mut from = (0usize, false);
    for line in lines {
        let mut counted = false;
        for t in tokenize(std::slice::from_ref(line)) {
            match t {
                Token::Text(s) => {
                    if !cur.values.is_empty() {
                        out.push(std::mem::take(&mut cur));
                        from = (0, false);
                        counted = false;
                    }
                    cur.label.push_str(&s);
                }
                v => {
                    if !counted {
                        counted = true;
                        from.0 += 1;
                        from.1 |= line.method == super::lines::Method::Positions;
                    }
                    cur.pieced |= line.pieced || from.0 > 1 && from.1;
                    cur.values.push(v);
                }
            }
        }
    }
    if !cur.label.is_empty() || !cur.values.is_empty() {
        out.push(cur);
    }
    out
}

/// Pick `n` values out of a run, telling merge slots from real blanks.
/// Returns `None` cells for values that are missing.
pub fn take_values(values: &[Token], n: usize) -> (Vec<Option<Token>>, usize) {
    let k = values
        .iter()
        .filter(|t| matches!(t, Token::Value(_)))
        .count();
    let mut extra = 0;
    let picked: Vec<Token> = if k >= n {
        extra = k - n;
        values
            .iter()
            .filter(|t| matches!(t, Token::Value(_)))
            .take(n)
            .cloned()
            .collect()
    } else {
        let mut v = values;
        while v.len() > n && v.first() == Some(&Token::Blank) {
            v = &v[1..];
        }
        while v.len() > n && v.last() == Some(&Token::Blank) {
            v = &v[..v.len() - 1];
        }
        v.to_vec()
    };
    let mut out: Vec<Option<Token>> = picked.into_iter().map(Some).collect();
    out.resize(n, None);
    (out, extra)
}

/// Longest common subsequence length of two char slices.
fn lcs(a: &[char], b: &[char]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for &x in a {
        for (j, &y) in b.iter().enumerate() {
            cur[j + 1] = if x == y {
                prev[j] + 1
            } else {
                cur[j].max(prev[j + 1])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// How well a run's label matches a row label, 0.0–1.0. Group labels and
/// headers before the row label are ignored (suffix match); truncated and
/// mistyped labels score by common subsequence.
pub fn label_score(run_label: &str, aliases: &[String]) -> f32 {
    let run = norm(run_label);
    if run.is_empty() {
        return 0.0;
    }
    let rc: Vec<char> = run.chars().collect();
    let mut best: f32 = 0.0;
    for alias in aliases {
        if run.ends_with(alias.as_str()) {
            return 1.0;
        }
        let ac: Vec<char> = alias.chars().collect();
        // Compare the label with the tail of the run of about its length.
        for extra in [0usize, 2, 4] {
            let tail_len = (ac.len() + extra).min(rc.len());
            let tail = &rc[rc.len() - tail_len..];
            let common = lcs(tail, &ac) as f32;
            // Truncated labels: the run tail is a prefix of the label.
            let truncated = ac.len() > tail.len() && ac.starts_with(tail) && tail.len() >= 6;
            let s = if truncated {
                0.9
            } else {
                common / ac.len().max(tail.len()) as f32
            };
            best = best.max(s);
        }
    }
    best
}

/// A row the importer looks for: the fields its printed values fill, in order.
pub struct RowSpec {
    pub aliases: Vec<String>,
    pub fields: Vec<FieldIdx>,
    pub name: String,
}

fn aliases(label: &str, extra: &[&str]) -> Vec<String> {
    let mut v = vec![norm(label)];
    v.extend(extra.iter().map(|e| norm(e)));
    v
}

/// 表二 rows in schema order.
pub fn active_rows() -> Vec<RowSpec> {
    ACTIVE_BLOCKS
        .iter()
        .flat_map(|b| {
            b.rows.iter().map(move |&(id, label)| RowSpec {
                aliases: aliases(
                    label,
                    if id == "normative_documents" {
                        &["规范性文件"]
                    } else {
                        &[]
                    },
                ),
                fields: b
                    .columns
                    .iter()
                    .map(|c| schema::idx(TableId::Active, id, c.id))
                    .collect(),
                name: label.to_string(),
            })
        })
        .collect()
}

/// 表三 rows in schema order. `single_other` reads （六） as one row, as
/// the 2019 试行 format and some 2021-format tables print it.
pub fn request_rows(single_other: bool) -> Vec<RowSpec> {
    let mut out = Vec::new();
    for r in &schema::REQUEST_ROWS {
        if single_other && r.groups.contains(&"other") {
            if r.id == "other_misc" {
                out.push(RowSpec {
                    aliases: aliases("（六）其他处理", &[]),
                    fields: REQUEST_COLUMNS
                        .iter()
                        .map(|c| schema::idx(TableId::Requests, r.id, c.id))
                        .collect(),
                    name: "（六）其他处理".into(),
                });
            }
            continue;
        }
        let extra: &[&str] = match r.id {
            "other_no_correction" => {
                &["1.申请人无正当理由逾期不补正、行政机关不再处理其他政府信息公开申请"]
            }
            "carried_forward" => &["四、结转下年度继续办理", "结转下年度"],
            _ => &[],
        };
        out.push(RowSpec {
            aliases: aliases(r.label, extra),
            fields: REQUEST_COLUMNS
                .iter()
                .map(|c| schema::idx(TableId::Requests, r.id, c.id))
                .collect(),
            name: r.label.to_string(),
        });
    }
    out
}

/// What reading one table gave.
#[derive(Default)]
pub struct TableRead {
    /// (field, cell as printed) for every value found, leaf or total.
    pub cells: Vec<(FieldIdx, Cell)>,
    pub findings: Vec<Finding>,
    pub rows_found: usize,
    /// Rows found by their label (not by position): the evidence that a
    /// statistical table is really there.
    pub labels_found: usize,
    /// Rows of glued digits that more than one reading fits so far: the
    /// other tables' cells may still decide them.
    pub pending: Vec<Pending>,
}

/// A row of glued digits waiting for the rest of the tables.
#[derive(Clone, Debug)]
pub struct Pending {
    pub fields: Vec<FieldIdx>,
    /// The digits as printed.
    pub run: String,
    /// The readings the row's own arithmetic allows.
    pub readings: Vec<Vec<u128>>,
    pub what: String,
}

fn to_cell(t: &Option<Token>, kind: FieldKind) -> Option<Cell> {
    match t {
        Some(Token::Value(s)) => Some(parse_cell(s, kind)),
        Some(Token::Blank) => Some(Cell::Blank),
        _ => None,
    }
}

fn missing(fields: &[FieldIdx], what: String) -> Finding {
    Finding::new(
        "IMPORT",
        Severity::Error,
        fields
            .iter()
            .map(|&f| schema::field(f).id.clone())
            .collect(),
        what,
    )
}

/// The warning on a row whose numbers were pieced together by position.
fn pieced(fields: &[FieldIdx], what: &str) -> Finding {
    Finding::new(
        "IMPORT",
        Severity::Warning,
        fields
            .iter()
            .map(|&f| schema::field(f).id.clone())
            .collect(),
        format!("{what}的数字在原文中分在几行文字里，已按位置拼合，请与原件核对"),
    )
}

fn value_count(r: &Run) -> usize {
    r.values
        .iter()
        .filter(|t| matches!(t, Token::Value(_)))
        .count()
}

/// Text copied from a PDF can put a row's numbers on the line before its
/// label (the label wrapped, and the numbers were centred above its second
/// line). When every row has `n` values, move them to the label they
/// belong to:
/// - all rows shifted: the first run is values with no label, the last a
///   label with none: every group of values moves one label on;
/// - one row: a run with exactly `2n` values followed by a label with none
///   gives its second `n` to that label.
fn realign(runs: &[Run], n: usize) -> Vec<Run> {
    let mut out: Vec<Run> = runs.to_vec();
    let k = out.len();
    if n == 0 || k < 2 {
        return out;
    }
    let shifted = out[0].label.trim().is_empty()
        && value_count(&out[0]) == n
        && value_count(&out[k - 1]) == 0
        && !out[k - 1].label.is_empty();
    if shifted {
        for i in (1..k).rev() {
            out[i].values = std::mem::take(&mut out[i - 1].values);
        }
        out.remove(0);
        return out;
    }
    for i in 0..k - 1 {
        if value_count(&out[i]) == 2 * n
            && value_count(&out[i + 1]) == 0
            && !out[i + 1].label.is_empty()
        {
            let mut vals = std::mem::take(&mut out[i].values);
            let mut seen = 0;
            let cut = vals
                .iter()
                .position(|t| {
                    seen += usize::from(matches!(t, Token::Value(_)));
                    seen == n
                })
                .map_or(vals.len(), |p| p + 1);
            out[i + 1].values = vals.split_off(cut);
            out[i].values = vals;
        }
    }
    out
}

/// A run whose label holds two or more whole row labels (rows whose
/// numbers stood elsewhere, so their labels ran together) is split after
/// each one, so every row label can meet its numbers again.
fn split_labels(runs: &[Run], rows: &[RowSpec]) -> Vec<Run> {
    let mut out = Vec::with_capacity(runs.len());
    for run in runs {
        let n = norm(&run.label);
        // Ends of whole row labels, in order, not overlapping.
        let mut ends = Vec::new();
        let mut from = 0;
        for row in rows {
            let hit = row
                .aliases
                .iter()
                .filter(|a| a.chars().count() >= 4)
                .filter_map(|a| n[from..].find(a.as_str()).map(|p| from + p + a.len()))
                .min();
            if let Some(end) = hit {
                ends.push(end);
                from = end;
            }
        }
        if ends.len() < 2 {
            out.push(run.clone());
            continue;
        }
        let mut start = 0;
        for (k, &end) in ends.iter().enumerate() {
            let last = k + 1 == ends.len();
            let stop = if last { n.len() } else { end };
            out.push(Run {
                label: n[start..stop].to_string(),
                values: if last { run.values.clone() } else { Vec::new() },
                pieced: last && run.pieced,
            });
            start = stop;
        }
    }
    out
}

/// Match rows to runs in order, by label with a positional fallback.
pub fn read_rows(runs: &[Run], rows: &[RowSpec]) -> TableRead {
    let mut out = TableRead::default();
    let width = rows.first().map_or(0, |r| r.fields.len());
    let realigned;
    let runs = if rows.iter().all(|r| r.fields.len() == width) {
        realigned = realign(&split_labels(runs, rows), width);
        &realigned[..]
    } else {
        runs
    };
    let candidates: Vec<&Run> = runs
        .iter()
        .filter(|r| r.values.iter().any(|v| *v != Token::Blank) || r.values.len() > 1)
        .collect();
    let mut ri = 0; // next row expected
    let mut assigned: Vec<Option<&Run>> = vec![None; rows.len()];
    // Runs of numbers with no label that matches: each waits between the
    // rows found before and after it (its anchors).
    let mut orphans: Vec<(usize, &Run)> = Vec::new();
    for run in &candidates {
        if ri >= rows.len() {
            break;
        }
        // Best label match among the next few rows.
        let window =
            (ri..rows.len().min(ri + 4)).map(|i| (i, label_score(&run.label, &rows[i].aliases)));
        let best = window.fold((ri, 0.0f32), |b, x| if x.1 > b.1 + 0.05 { x } else { b });
        if best.1 >= 0.55 {
            out.labels_found += 1;
            assigned[best.0] = Some(run);
            ri = best.0 + 1;
        } else if !run.label.is_empty() && label_score(&run.label, &rows[ri].aliases) >= 0.3 {
            // A mistyped label of the row expected next.
            assigned[ri] = Some(run);
            ri += 1;
        } else if run.label.is_empty() || looks_like_values(run, rows[ri].fields.len()) {
            orphans.push((ri, run));
        }
    }
    // A run of numbers takes the free rows between its anchors only when
    // the count leaves no choice: as many runs as free rows, in order.
    let mut unplaced = 0;
    let mut k = 0;
    while k < orphans.len() {
        let from = orphans[k].0;
        let group: Vec<&Run> = orphans[k..]
            .iter()
            .take_while(|(f, _)| *f == from)
            .map(|(_, r)| *r)
            .collect();
        k += group.len();
        let until = (from..rows.len())
            .find(|&i| assigned[i].is_some())
            .unwrap_or(rows.len());
        let free: Vec<usize> = (from..until).filter(|&i| assigned[i].is_none()).collect();
        if free.len() == group.len() {
            for (i, run) in free.into_iter().zip(group) {
                assigned[i] = Some(run);
            }
        } else {
            unplaced += group.len();
        }
    }
    if unplaced > 0 {
        let all: Vec<FieldIdx> = rows.iter().flat_map(|r| r.fields.iter().copied()).collect();
        out.findings.push(missing(
            &all,
            format!("有 {unplaced} 行数字没有栏目名称，无法确定属于哪一栏，未导入，请对照原件填写"),
        ));
    }
    // The first row whose count of numbers was wrong: text that lost a
    // cell or moved one (a PDF copied out in stream order) may have moved
    // the numbers of the rows after it too, so none of them is sure.
    let mut miscounted: Option<&str> = None;
    for (row, run) in rows.iter().zip(&assigned) {
        let Some(run) = run else {
            out.findings.push(missing(
                &row.fields,
                format!("没有找到“{}”这一行，其单元格保持空白", row.name),
            ));
            continue;
        };
        out.rows_found += 1;
        let what = format!("“{}”一行", row.name);
        let wrong_count = read_values(&mut out, &row.fields, &run.values, &what);
        if run.pieced {
            out.findings.push(pieced(&row.fields, &what));
        }
        match miscounted {
            Some(first) if !wrong_count => out.findings.push(Finding::new(
                "IMPORT",
                Severity::Warning,
                row.fields
                    .iter()
                    .map(|&f| schema::field(f).id.clone())
                    .collect(),
                format!("前面“{first}”一行的数值个数不对，原文的数值可能错开了位置，{what}的数值请与原件核对"),
            )),
            None if wrong_count => miscounted = Some(row.name.as_str()),
            _ => {}
        }
    }
    out
}

/// Put the printed values of one row (or of 表四) into `out`, reporting
/// values that are missing or left over. `what` names the row in messages.
/// Returns whether the row had more or fewer numbers than cells.
fn read_values(out: &mut TableRead, fields: &[FieldIdx], values: &[Token], what: &str) -> bool {
    if repair_row(out, fields, values, what) {
        return false;
    }
    let (vals, extra) = take_values(values, fields.len());
    let mut absent = Vec::new();
    for (&f, v) in fields.iter().zip(&vals) {
        match to_cell(v, schema::field(f).kind) {
            Some(c) => out.cells.push((f, c)),
            None => absent.push(f),
        }
    }
    if !absent.is_empty() {
        // With a value missing, no value of the row is sure of its column:
        // the finding names the whole row.
        let msg = format!(
            "{what}少了 {} 个数值，无法确定各数值属于哪一栏，读出的数值请对照原件核对，缺少的单元格保持空白",
            absent.len()
        );
        out.findings.push(missing(fields, msg));
    }
    if extra > 0 {
        let msg = format!("{what}多出 {extra} 个数值，只取了前 {} 个", fields.len());
        out.findings.push(Finding::new(
            "IMPORT",
            Severity::Warning,
            fields
                .iter()
                .map(|&f| schema::field(f).id.clone())
                .collect(),
            msg,
        ));
    }
    !absent.is_empty() || extra > 0
}

/// Glued or split digits in a row, decided by the arithmetic
/// ([`super::repair`]). Returns whether the row was dealt with here.
fn repair_row(out: &mut TableRead, fields: &[FieldIdx], values: &[Token], what: &str) -> bool {
    use super::repair::{consistent_readings, glued_readings, joins};
    let k = fields.len();
    let vals: Vec<&str> = values
        .iter()
        .filter_map(|t| match t {
            Token::Value(v) => Some(v.as_str()),
            _ => None,
        })
        .collect();
    let digits = |v: &&str| !v.is_empty() && v.bytes().all(|c| c.is_ascii_digit());
    let none = std::collections::HashMap::new();
    let blanks = values.contains(&Token::Blank);
    let glued = k >= 2
        && !blanks
        && !vals.is_empty()
        && vals.len() < k
        && k.is_multiple_of(vals.len())
        && vals.iter().all(|v| digits(v) && v.len() >= k / vals.len());
    if glued {
        // Runs of digits where the row has more cells.
        let run = vals.join(" ");
        let Some(ok) = glued_readings(&vals, fields) else {
            out.findings.push(missing(
                fields,
                format!("{what}的数字连在一起（“{run}”），拆分方式太多，无法确定，相应单元格保持空白，请对照原件填写"),
            ));
            return true;
        };
        match ok.len() {
            1 => accept(out, fields, &ok[0], &glued_message(what, &run, &ok[0])),
            0 => out.findings.push(missing(
                fields,
                format!("{what}的数字连在一起（“{run}”），没有一种拆分能使本行的合计相符，相应单元格保持空白，请对照原件填写"),
            )),
            _ => out.pending.push(Pending {
                fields: fields.to_vec(),
                run,
                readings: ok,
                what: what.to_string(),
            }),
        }
        return true;
    }
    if vals.len() > k && vals.iter().all(digits) {
        // More numbers than cells: a number split by the glyph spacing.
        let ok = consistent_readings(fields, &joins(&vals, k), &none);
        if let [one] = &ok[..] {
            let msg = format!(
                "{what}有数字被拆开（“{}”），已按勾稽关系合并为 {}，请与原件核对；这一合并是由勾稽关系推出的，不能再作为勾稽关系成立的依据",
                vals.join(" "),
                super::repair::show(one)
            );
            accept(out, fields, one, &msg);
            return true;
        }
    }
    false
}

fn glued_message(what: &str, run: &str, reading: &[u128]) -> String {
    format!(
        "{what}的数字连在一起（“{run}”），已按勾稽关系拆分为 {}，请与原件核对；这一拆分是由勾稽关系推出的，不能再作为勾稽关系成立的依据",
        super::repair::show(reading)
    )
}

/// Take a decided reading of a row, with its warning.
fn accept(out: &mut TableRead, fields: &[FieldIdx], reading: &[u128], msg: &str) {
    for (&f, v) in fields.iter().zip(reading) {
        out.cells
            .push((f, parse_cell(&v.to_string(), schema::field(f).kind)));
    }
    out.findings.push(Finding::new(
        "IMPORT",
        Severity::Warning,
        fields
            .iter()
            .map(|&f| schema::field(f).id.clone())
            .collect(),
        msg.to_string(),
    ));
}

/// Decide the rows still pending with every cell the tables gave. Rows
/// that share an equation are decided together: the combinations of their
/// readings under which every equation holds are kept, and one
/// combination is taken; otherwise each of those rows is left blank with
/// its candidates named. Rows no equation links (表二) stand alone.
pub fn resolve_pending(
    pending: Vec<Pending>,
    cells: &[(FieldIdx, Cell)],
) -> (Vec<(FieldIdx, Cell)>, Vec<Finding>) {
    use super::repair::show_candidates;
    use std::collections::HashMap;
    let mut known: HashMap<FieldIdx, u128> = HashMap::new();
    for (f, c) in cells {
        if let Cell::Count(n) = c {
            known.insert(*f, u128::from(*n));
        }
    }
    // Group the rows that an equation links.
    let mut group: Vec<usize> = (0..pending.len()).collect();
    for e in crate::identities::equations() {
        let linked: Vec<usize> = (0..pending.len())
            .filter(|&i| e.cells().any(|c| pending[i].fields.contains(&c)))
            .collect();
        for w in linked.windows(2) {
            let (a, b) = (group[w[0]], group[w[1]]);
            for g in group.iter_mut().filter(|g| **g == b) {
                *g = a;
            }
        }
    }
    let mut read = TableRead::default();
    let mut groups: Vec<usize> = group.clone();
    groups.sort_unstable();
    groups.dedup();
    for g in groups {
        let rows: Vec<&Pending> = (0..pending.len())
            .filter(|&i| group[i] == g)
            .map(|i| &pending[i])
            .collect();
        match decide(&rows, &known) {
            Some(pick) => {
                for (p, &i) in rows.iter().zip(&pick) {
                    let r = &p.readings[i];
                    accept(&mut read, &p.fields, r, &glued_message(&p.what, &p.run, r));
                }
            }
            None => {
                for p in rows {
                    read.findings.push(missing(
                        &p.fields,
                        format!(
                            "{}的数字连在一起（“{}”），有几种拆分都可能成立：{}。无法确定，相应单元格保持空白，请对照原件填写",
                            p.what,
                            p.run,
                            show_candidates(&p.readings)
                        ),
                    ));
                }
            }
        }
    }
    (read.cells, read.findings)
}

/// The one combination of readings of linked rows under which every
/// equation that touches them holds, if exactly one does.
fn decide(
    rows: &[&Pending],
    known: &std::collections::HashMap<FieldIdx, u128>,
) -> Option<Vec<usize>> {
    let combos = rows
        .iter()
        .map(|p| p.readings.len())
        .try_fold(1usize, |a, n| a.checked_mul(n))?;
    if combos > 100_000 {
        return None;
    }
    let touching: Vec<FieldIdx> = rows.iter().flat_map(|p| p.fields.iter().copied()).collect();
    let mut found: Option<Vec<usize>> = None;
    let mut pick = vec![0usize; rows.len()];
    loop {
        let mut values = known.clone();
        for (p, &i) in rows.iter().zip(&pick) {
            for (f, v) in p.fields.iter().zip(&p.readings[i]) {
                values.insert(*f, *v);
            }
        }
        if crate::identities::consistent(&values, &touching) {
            if found.is_some() {
                return None;
            }
            found = Some(pick.clone());
        }
        let mut k = 0;
        loop {
            if k == pick.len() {
                return found;
            }
            pick[k] += 1;
            if pick[k] < rows[k].readings.len() {
                break;
            }
            pick[k] = 0;
            k += 1;
        }
    }
}

fn looks_like_values(run: &Run, n: usize) -> bool {
    let k = run
        .values
        .iter()
        .filter(|t| matches!(t, Token::Value(_)))
        .count();
    k == n
}

/// 表四: 15 values in block order, whatever the header layout.
pub fn read_appeals(runs: &[Run]) -> TableRead {
    let fields: Vec<FieldIdx> = APPEAL_BLOCKS
        .iter()
        .flat_map(|b| {
            APPEAL_COLUMNS
                .iter()
                .map(move |c| schema::idx(TableId::Appeals, b.id, c.id))
        })
        .collect();
    let values: Vec<Token> = runs.iter().flat_map(|r| r.values.iter().cloned()).collect();
    let mut out = TableRead::default();
    if values.iter().all(|v| *v == Token::Blank) {
        out.findings.push(missing(
            &fields,
            "没有找到行政复议、行政诉讼表的数值".into(),
        ));
        return out;
    }
    out.rows_found = 1;
    let _ = read_values(&mut out, &fields, &values, "行政复议、行政诉讼表");
    if runs.iter().any(|r| r.pieced) {
        out.findings.push(pieced(&fields, "行政复议、行政诉讼表"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(lines: &[&str]) -> Vec<Token> {
        tokenize(
            &lines
                .iter()
                .map(|l| Line::plain(l.to_string()))
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn pipe_lines_keep_a_blank_cell() {
        let t = toks(&[
            "3.补正后申请内容仍不明确 |",
            "0 |",
            "0 |",
            "|",
            "(五)不予 处理 |",
        ]);
        assert_eq!(
            t,
            vec![
                Token::Text("3.补正后申请内容仍不明确".into()),
                Token::Value("0".into()),
                Token::Value("0".into()),
                Token::Blank,
                Token::Text("(五)不予处理".into()),
            ]
        );
    }

    #[test]
    fn space_separated_pdf_lines() {
        let t = toks(&["一、本年新收政府信息公开申请数量 14 0 0 0 0 0 14"]);
        assert_eq!(t.len(), 8);
        assert_eq!(t[7], Token::Value("14".into()));
    }

    #[test]
    fn merge_slots_versus_blanks() {
        let v = |s: &str| Token::Value(s.into());
        let (vals, _) = take_values(&[Token::Blank, v("1"), v("2")], 2);
        assert_eq!(vals, vec![Some(v("1")), Some(v("2"))]);
        let (vals, _) = take_values(&[v("1"), Token::Blank], 2);
        assert_eq!(vals, vec![Some(v("1")), Some(Token::Blank)]);
        let (vals, _) = take_values(&[Token::Blank, v("1"), Token::Blank, Token::Blank], 2);
        assert_eq!(vals, vec![Some(v("1")), Some(Token::Blank)]);
        let (vals, _) = take_values(&[v("1")], 2);
        assert_eq!(vals, vec![Some(v("1")), None]);
    }

    #[test]
    fn typo_and_truncated_labels_match() {
        let rows = request_rows(false);
        let prohibited = &rows[5];
        assert!(label_score("2.就法制亍政收禁止公开", &prohibited.aliases) >= 0.55);
        let no_corr = &rows[20];
        assert!(label_score("1.申请人无正当理由逾期", &no_corr.aliases) >= 0.55);
        assert_eq!(
            label_score("(三)不予公开1.属于国家秘密", &rows[4].aliases),
            1.0
        );
        assert!(label_score("1.属于国家秘密", &rows[5].aliases) < 0.55);
    }
}
