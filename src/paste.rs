//! What clerks paste into the grid: blocks and rows copied from WPS, Excel
//! or a web page, read into cells.
//!
//! - Cells are separated by TAB, `|`, full-width spaces or runs of spaces.
//! - `12件`, `3 万元`: the unit is dropped, and the caller says so.
//! - `—`, `-`, `/`: "nothing here" marks become blank, never 0, and the
//!   caller reports them.
//! - Leading label cells (a row copied with its 行名称) are skipped.

/// One pasted cell, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pasted {
    /// Text for the cell parser, and the unit that was dropped from it.
    Value(String, Option<String>),
    /// A dash or slash: blank, to be reported.
    Mark(String),
}

const UNITS: [&str; 6] = ["万元", "件", "个", "项", "次", "元"];
const MARKS: [&str; 8] = ["—", "——", "-", "－", "/", "／", "–", "\\"];

/// Split a pasted block into rows of cell texts.
pub fn split_block(text: &str) -> Vec<Vec<String>> {
    text.trim_end_matches(['\n', '\r'])
        .split('\n')
        .map(|l| split_row(l.trim_end_matches('\r')))
        .collect()
}

fn split_row(line: &str) -> Vec<String> {
    if line.contains('\t') {
        return line.split('\t').map(str::to_string).collect();
    }
    if line.contains('|') {
        let mut cells: Vec<String> = line.split('|').map(|c| c.trim().to_string()).collect();
        // "| 1 | 2 |" from a Markdown-like copy: drop the empty ends.
        if cells.first().is_some_and(String::is_empty) {
            cells.remove(0);
        }
        if cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        return cells;
    }
    // Full-width spaces and runs of two or more spaces separate cells; a
    // single space does too when every word is a number or a mark.
    let words: Vec<&str> = line
        .split(['\u{3000}', '\u{a0}'])
        .flat_map(|p| p.split("  "))
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() > 1 {
        return words.into_iter().map(str::to_string).collect();
    }
    let single: Vec<&str> = line.split_whitespace().collect();
    let labels = single.iter().take_while(|w| read(w).is_none()).count();
    if single.len() > 1
        && labels < single.len()
        && single[labels..].iter().all(|w| read(w).is_some())
    {
        return single.into_iter().map(str::to_string).collect();
    }
    vec![line.trim().to_string()]
}

/// Read one pasted cell; `None` for a label (text with no number).
pub fn read(cell: &str) -> Option<Pasted> {
    let t = cell
        .trim()
        .trim_matches(|c: char| c == '\u{3000}' || c == '\u{a0}');
    if t.is_empty() {
        return Some(Pasted::Value(String::new(), None));
    }
    if MARKS.contains(&t) {
        return Some(Pasted::Mark(t.to_string()));
    }
    let folded = crate::cell::fold_width(t);
    if !folded.chars().any(|c| c.is_ascii_digit()) {
        return None; // a label such as 行名称
    }
    for u in UNITS {
        if let Some(v) = t.strip_suffix(u) {
            return Some(Pasted::Value(v.trim().to_string(), Some(u.to_string())));
        }
    }
    Some(Pasted::Value(t.to_string(), None))
}

/// A row's cells with its leading label cells skipped.
pub fn values(row: &[String]) -> Vec<Option<Pasted>> {
    let skip = row.iter().take_while(|c| read(c).is_none()).count();
    row[skip..].iter().map(|c| read(c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Option<Pasted> {
        Some(Pasted::Value(s.into(), None))
    }

    #[test]
    fn separators_of_every_copy() {
        assert_eq!(
            split_block("1\t2\t3\n4\t5\t6\n"),
            vec![vec!["1", "2", "3"], vec!["4", "5", "6"]]
        );
        assert_eq!(split_block("| 1 | 2 | 3 |"), vec![vec!["1", "2", "3"]]);
        assert_eq!(split_block("1  2   3"), vec![vec!["1", "2", "3"]]);
        assert_eq!(
            split_block("１\u{3000}２\u{3000}３"),
            vec![vec!["１", "２", "３"]]
        );
        assert_eq!(split_block("12 0 — 3"), vec![vec!["12", "0", "—", "3"]]);
        assert_eq!(
            split_block("本年新收 12 3"),
            vec![vec!["本年新收", "12", "3"]]
        );
        assert_eq!(split_block("共 12 件申请"), vec![vec!["共 12 件申请"]]);
    }

    #[test]
    fn units_marks_and_labels() {
        assert_eq!(
            read("12件"),
            Some(Pasted::Value("12".into(), Some("件".into())))
        );
        assert_eq!(
            read("3.5万元"),
            Some(Pasted::Value("3.5".into(), Some("万元".into())))
        );
        assert_eq!(read("1,234"), v("1,234"));
        assert_eq!(read("１２"), v("１２"));
        assert_eq!(read("—"), Some(Pasted::Mark("—".into())));
        assert_eq!(read("/"), Some(Pasted::Mark("/".into())));
        assert_eq!(read("自然人"), None);
        let row: Vec<String> = ["一、本年新收政府信息公开申请数量", "3", "—", "5件"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            values(&row),
            vec![
                v("3"),
                Some(Pasted::Mark("—".into())),
                Some(Pasted::Value("5".into(), Some("件".into())))
            ]
        );
    }
}
