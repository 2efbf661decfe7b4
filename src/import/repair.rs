//! Numbers run together or split apart, decided by the arithmetic.
//!
//! Text copied out of some portals and PDF converters glues a row's cells
//! (`一、本年新收政府信息公开申请数量21710000218` is 217 | 1 | 0 | 0 | 0 |
//! 0 | 218), and PDF extraction sometimes splits one number across two
//! cells ("1 2" for 12). Neither can be undone by looking: only the tables'
//! own arithmetic ([`crate::identities`]) can say which reading is right.
//!
//! Every way of reading the digits is enumerated, and a reading is kept
//! only when every equation it completes holds. One survivor is taken, with
//! a warning that says so (and that the split can no longer count as
//! evidence that the arithmetic holds); none or several leave the cells
//! blank with an error naming the run and the candidates. Nothing is ever
//! guessed.

use crate::identities::consistent;
use crate::schema::FieldIdx;
use std::collections::HashMap;

/// Readings enumerated at most for one row; a run with more ways to split
/// is refused as undecidable rather than searched for long.
const MAX_READINGS: usize = 200_000;
/// Longest part a split may give (counts of a report fit easily).
const MAX_DIGITS: usize = 12;

/// All ways to cut `digits` into `k` numbers without leading zeros ("0"
/// itself is a number), at most [`MAX_READINGS`]; `None` when there are more.
#[cfg(test)]
fn splits(digits: &str, k: usize) -> Option<Vec<Vec<u128>>> {
    pruned_splits(digits, k, &|_: &[u128]| true)
}

/// [`splits`], dropping a partial reading as soon as `keep` refuses it
/// (called after each part is placed): the arithmetic of a row prunes the
/// search long before the end of a long run.
fn pruned_splits(digits: &str, k: usize, keep: &dyn Fn(&[u128]) -> bool) -> Option<Vec<Vec<u128>>> {
    let d = digits.as_bytes();
    if k == 0 || d.len() < k || !d.iter().all(u8::is_ascii_digit) {
        return Some(Vec::new());
    }
    let mut search = Search {
        k,
        keep,
        cur: Vec::with_capacity(k),
        out: Vec::new(),
        budget: MAX_READINGS * 8,
    };
    search.from(d).then_some(search.out)
}

struct Search<'a> {
    k: usize,
    keep: &'a dyn Fn(&[u128]) -> bool,
    cur: Vec<u128>,
    out: Vec<Vec<u128>>,
    budget: usize,
}

impl Search<'_> {
    /// Depth-first: the next part starts at the front of `d`. Returns false
    /// when the budget ran out.
    fn from(&mut self, d: &[u8]) -> bool {
        if self.budget == 0 || self.out.len() > MAX_READINGS {
            return false;
        }
        self.budget -= 1;
        let left = self.k - self.cur.len();
        if left == 1 {
            if d.len() <= MAX_DIGITS && (d.len() == 1 || d[0] != b'0') {
                self.cur.push(number(d));
                if (self.keep)(&self.cur) {
                    self.out.push(self.cur.clone());
                }
                self.cur.pop();
            }
            return true;
        }
        let longest = if d[0] == b'0' { 1 } else { MAX_DIGITS };
        for len in 1..=longest.min(d.len() + 1 - left) {
            self.cur.push(number(&d[..len]));
            let ok = !(self.keep)(&self.cur) || self.from(&d[len..]);
            self.cur.pop();
            if !ok {
                return false;
            }
        }
        true
    }
}

/// For each position of a row, the equations all of whose cells lie in the
/// row up to that position: checked as soon as the position is placed.
fn closing(fields: &[FieldIdx]) -> Vec<Vec<&'static crate::identities::Equation>> {
    let mut at = vec![Vec::new(); fields.len()];
    for e in crate::identities::equations() {
        let last = e
            .cells()
            .map(|c| fields.iter().position(|&f| f == c))
            .try_fold(0usize, |m, p| p.map(|p| m.max(p)));
        if let Some(p) = last {
            at[p].push(e);
        }
    }
    at
}

fn number(d: &[u8]) -> u128 {
    d.iter().fold(0u128, |n, c| n * 10 + u128::from(c - b'0'))
}

/// All ways to join neighbouring numbers of `tokens` (each all digits) so
/// that `k` remain: a number split by the PDF's glyph spacing ("1 2" for
/// 12). Joined numbers keep no leading zero.
pub fn joins(tokens: &[&str], k: usize) -> Vec<Vec<u128>> {
    let mut out = Vec::new();
    if tokens.len() <= k || tokens.len() > k + 2 {
        return out;
    }
    if !tokens
        .iter()
        .all(|t| !t.is_empty() && t.len() <= MAX_DIGITS && t.bytes().all(|c| c.is_ascii_digit()))
    {
        return out;
    }
    join_from(tokens, k, &mut Vec::new(), &mut out);
    out
}

fn join_from(t: &[&str], k: usize, cur: &mut Vec<u128>, out: &mut Vec<Vec<u128>>) {
    let left = k - cur.len().min(k);
    if t.is_empty() {
        if left == 0 {
            out.push(cur.clone());
        }
        return;
    }
    if left == 0 || t.len() > 2 * left {
        return;
    }
    // This token alone…
    cur.push(number(t[0].as_bytes()));
    join_from(&t[1..], k, cur, out);
    cur.pop();
    // …or joined to the next one.
    if t.len() >= 2 && !t[0].starts_with('0') && t[0].len() + t[1].len() <= MAX_DIGITS {
        cur.push(number(format!("{}{}", t[0], t[1]).as_bytes()));
        join_from(&t[2..], k, cur, out);
        cur.pop();
    }
}

/// The readings of one row that no equation refutes, given the cells known
/// elsewhere. `fields` are the row's cells in printed order.
pub fn consistent_readings(
    fields: &[FieldIdx],
    readings: &[Vec<u128>],
    known: &HashMap<FieldIdx, u128>,
) -> Vec<Vec<u128>> {
    let mut values = known.clone();
    readings
        .iter()
        .filter(|r| {
            for (f, v) in fields.iter().zip(r.iter()) {
                values.insert(*f, *v);
            }
            consistent(&values, fields)
        })
        .cloned()
        .collect()
}

/// The readings of `fields` from runs of glued digits that the row's own
/// arithmetic allows: one run for the whole row, or one run per equal
/// part of it (表四 copied as three rows of five). `None` when a run has
/// too many ways to split to search.
pub fn glued_readings(runs: &[&str], fields: &[FieldIdx]) -> Option<Vec<Vec<u128>>> {
    let (n, k) = (runs.len(), fields.len());
    if n == 0 || k % n != 0 {
        return Some(Vec::new());
    }
    let per = k / n;
    let mut combined: Vec<Vec<u128>> = vec![Vec::new()];
    for (run, part) in runs.iter().zip(fields.chunks(per)) {
        let at = closing(part);
        let keep = |cur: &[u128]| {
            let value = |f: FieldIdx| part.iter().position(|&g| g == f).map(|p| cur[p]);
            at[cur.len() - 1]
                .iter()
                .all(|e| e.holds(value) != Some(false))
        };
        let own = pruned_splits(run, per, &keep)?;
        if combined.len().saturating_mul(own.len()) > MAX_READINGS {
            return None;
        }
        combined = combined
            .iter()
            .flat_map(|c| {
                own.iter().map(move |o| {
                    let mut v = c.clone();
                    v.extend(o);
                    v
                })
            })
            .collect();
    }
    Some(consistent_readings(fields, &combined, &HashMap::new()))
}

/// "217、1、0…" for a message.
pub fn show(reading: &[u128]) -> String {
    reading
        .iter()
        .map(u128::to_string)
        .collect::<Vec<_>>()
        .join("、")
}

/// Candidates for a message: up to five, and how many in all.
pub fn show_candidates(readings: &[Vec<u128>]) -> String {
    let mut s: Vec<String> = readings.iter().take(5).map(|r| show(r)).collect();
    if readings.len() > 5 {
        s.push(format!("……共 {} 种", readings.len()));
    }
    s.join("；")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{self, TableId};

    fn row(id: &str) -> Vec<FieldIdx> {
        schema::REQUEST_COLUMNS
            .iter()
            .map(|c| schema::idx(TableId::Requests, id, c.id))
            .collect()
    }

    #[test]
    fn splits_have_no_leading_zeros() {
        assert_eq!(splits("100", 3).unwrap(), vec![vec![1, 0, 0]]);
        assert_eq!(splits("000", 3).unwrap(), vec![vec![0, 0, 0]]);
        assert_eq!(splits("123", 2).unwrap(), vec![vec![1, 23], vec![12, 3]]);
        assert!(splits("12", 3).unwrap().is_empty());
        assert!(splits("1a2", 2).unwrap().is_empty());
        // 60 digits into 15 is far past the bound: refused, not searched.
        assert!(splits(&"7".repeat(60), 15).is_none());
    }

    #[test]
    fn a_long_appeals_run_is_pruned_block_by_block() {
        let f: Vec<FieldIdx> = schema::APPEAL_BLOCKS
            .iter()
            .flat_map(|b| {
                schema::APPEAL_COLUMNS
                    .iter()
                    .map(move |c| schema::idx(TableId::Appeals, b.id, c.id))
            })
            .collect();
        // Huaian's 表四, 26 digits: far too many splits without pruning.
        let all = glued_readings(&["72641783735113481261211620"], &f).unwrap();
        assert!(
            all.contains(&vec![
                72, 64, 178, 37, 351, 13, 4, 8, 1, 26, 12, 1, 1, 6, 20
            ]),
            "{all:?}"
        );
    }

    #[test]
    fn the_issue_example_splits_uniquely_by_the_row_total() {
        let f = row("new");
        let all = splits("21710000218", 7).unwrap();
        assert!(all.len() > 1);
        let ok = consistent_readings(&f, &all, &HashMap::new());
        assert_eq!(ok, vec![vec![217, 1, 0, 0, 0, 0, 218]]);
    }

    #[test]
    fn a_row_with_no_equation_stays_ambiguous() {
        let f: Vec<FieldIdx> = ["issued", "repealed", "in_force"]
            .iter()
            .map(|c| schema::idx(TableId::Active, "normative_documents", c))
            .collect();
        let all = splits("8855698", 3).unwrap();
        let ok = consistent_readings(&f, &all, &HashMap::new());
        assert!(ok.len() > 1 && ok.contains(&vec![88, 55, 698]));
    }

    #[test]
    fn a_split_number_is_joined_back_when_the_row_adds_up() {
        let f = row("disclosed");
        let all = joins(&["1", "2", "0", "0", "0", "0", "0", "12"], 7);
        let ok = consistent_readings(&f, &all, &HashMap::new());
        assert_eq!(ok, vec![vec![12, 0, 0, 0, 0, 0, 12]]);
        assert!(joins(&["1", "2"], 2).is_empty());
        assert!(joins(&["1", "x", "3"], 2).is_empty());
    }

    #[test]
    fn other_rows_decide_between_readings_by_r1() {
        // 新收 glued so that two readings add up across the row.
        let f = row("new");
        let all = splits("110000011", 7).unwrap();
        let row_ok = consistent_readings(&f, &all, &HashMap::new());
        assert_eq!(
            row_ok,
            vec![vec![1, 10, 0, 0, 0, 0, 11], vec![11, 0, 0, 0, 0, 0, 11]]
        );
        // Knowing 上年结转, （七）总计 and 结转下年度 leaves one.
        let mut known = HashMap::new();
        for (id, vals) in [
            ("carried_over", [0u128, 0, 0, 0, 0, 0, 0]),
            ("results_total", [1, 10, 0, 0, 0, 0, 11]),
            ("carried_forward", [0, 0, 0, 0, 0, 0, 0]),
        ] {
            for (f, v) in row(id).into_iter().zip(vals) {
                known.insert(f, v);
            }
        }
        let ok = consistent_readings(&f, &row_ok, &known);
        assert_eq!(ok, vec![vec![1, 10, 0, 0, 0, 0, 11]]);
    }
}
