//! The arithmetic of the 30号 tables as linear equations over cells,
//! derived from the schema once.
//!
//! Two things need the equations themselves rather than the rule checks:
//! the importer, to decide how a run of glued digits splits into cells (the
//! one split that makes every equation it touches hold), and the reviewer,
//! to tell which cells a failing rule depends on (so a failure that rests
//! on a cell the reader was unsure of is not blamed on the unit).

use crate::schema::{self, APPEAL_BLOCKS, FieldIdx, REQUEST_COLUMNS, TableId};
use std::collections::HashMap;
use std::sync::LazyLock;

/// `sum(lhs) == sum(rhs)`, and the rule of the spec it is.
#[derive(Debug)]
pub struct Equation {
    pub rule: &'static str,
    pub lhs: Vec<FieldIdx>,
    pub rhs: Vec<FieldIdx>,
}

impl Equation {
    /// Whether it holds for these values; `None` while a cell is unknown.
    pub fn holds(&self, value: impl Fn(FieldIdx) -> Option<u128>) -> Option<bool> {
        let sum = |side: &[FieldIdx]| -> Option<u128> {
            side.iter()
                .try_fold(0u128, |acc, &f| value(f).map(|v| acc.saturating_add(v)))
        };
        Some(sum(&self.lhs)? == sum(&self.rhs)?)
    }

    pub fn cells(&self) -> impl Iterator<Item = FieldIdx> + '_ {
        self.lhs.iter().chain(&self.rhs).copied()
    }
}

static EQUATIONS: LazyLock<Vec<Equation>> = LazyLock::new(build);

/// Every equation the tables obey:
/// - each derived cell equals the leaves it sums (R2, R3, R4);
/// - each row's 总计 equals the row's six columns, and each block's 总计 its
///   four results, printed cells included (R3, R4);
/// - （七）总计 equals the 21 result rows, column by column (R2);
/// - 新收 + 上年结转 = 总计 + 结转下年度, column by column (R1).
pub fn equations() -> &'static [Equation] {
    &EQUATIONS
}

fn build() -> Vec<Equation> {
    let mut out = Vec::new();
    for (f, field) in schema::fields().iter().enumerate() {
        if field.is_derived() {
            let rule = match (field.table, field.row) {
                (TableId::Appeals, _) => "R4",
                (_, "results_total") => "R2",
                _ => "R3",
            };
            out.push(Equation {
                rule,
                lhs: vec![f],
                rhs: field.parts.clone(),
            });
        }
    }
    let req = |row: &str, col: &str| schema::idx(TableId::Requests, row, col);
    let six: Vec<&str> = REQUEST_COLUMNS
        .iter()
        .filter(|c| !c.derived)
        .map(|c| c.id)
        .collect();
    for row in schema::request_row_ids() {
        out.push(Equation {
            rule: if row == "results_total" { "R2" } else { "R3" },
            lhs: vec![req(row, "total")],
            rhs: six.iter().map(|c| req(row, c)).collect(),
        });
    }
    for c in REQUEST_COLUMNS.iter() {
        out.push(Equation {
            rule: "R2",
            lhs: vec![req("results_total", c.id)],
            rhs: schema::request_result_rows()
                .map(|r| req(r.id, c.id))
                .collect(),
        });
        out.push(Equation {
            rule: "R1",
            lhs: vec![req("new", c.id), req("carried_over", c.id)],
            rhs: vec![req("results_total", c.id), req("carried_forward", c.id)],
        });
    }
    for b in APPEAL_BLOCKS.iter() {
        let cell = |c: &str| schema::idx(TableId::Appeals, b.id, c);
        out.push(Equation {
            rule: "R4",
            lhs: vec![cell("total")],
            rhs: ["upheld", "corrected", "other", "pending"]
                .iter()
                .map(|c| cell(c))
                .collect(),
        });
    }
    out
}

/// The leaf cells a cell stands for: itself, or the leaves a total sums.
pub fn leaves_of(f: FieldIdx) -> &'static [FieldIdx] {
    static SELF: LazyLock<Vec<FieldIdx>> = LazyLock::new(|| (0..schema::fields().len()).collect());
    let field = schema::field(f);
    if field.is_derived() {
        &field.parts
    } else {
        std::slice::from_ref(&SELF[f])
    }
}

/// Do all equations that are fully known hold for these values? Only the
/// equations touching `touching` are tried.
pub fn consistent(values: &HashMap<FieldIdx, u128>, touching: &[FieldIdx]) -> bool {
    equations()
        .iter()
        .filter(|e| e.cells().any(|c| touching.contains(&c)))
        .all(|e| e.holds(|f| values.get(&f).copied()) != Some(false))
}

/// How many equations touching `touching` are fully known (the evidence a
/// split rests on).
pub fn determined(values: &HashMap<FieldIdx, u128>, touching: &[FieldIdx]) -> usize {
    equations()
        .iter()
        .filter(|e| e.cells().any(|c| touching.contains(&c)))
        .filter(|e| e.holds(|f| values.get(&f).copied()).is_some())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_equation_holds_on_the_sample_and_r1_breaks_when_a_cell_changes() {
        let r = crate::sample::example_report();
        let mut values: HashMap<FieldIdx, u128> = HashMap::new();
        for f in 0..schema::fields().len() {
            if let Some(d) = r.tables.value(f).decimal()
                && let Ok(v) = u128::try_from(d.trunc().mantissa())
                && schema::field(f).table != TableId::Active
            {
                values.insert(f, v);
            }
        }
        for e in equations() {
            assert_eq!(e.holds(|f| values.get(&f).copied()), Some(true), "{e:?}");
        }
        let cell = schema::idx(TableId::Requests, "new", "commercial");
        *values.get_mut(&cell).unwrap() += 1;
        let broken: Vec<&str> = equations()
            .iter()
            .filter(|e| e.holds(|f| values.get(&f).copied()) == Some(false))
            .map(|e| e.rule)
            .collect();
        // The row total, the grand total and R1 of the column and of 总计.
        assert!(
            broken.contains(&"R1") && broken.contains(&"R3"),
            "{broken:?}"
        );
        assert!(!consistent(&values, &[cell]));
        let unrelated = schema::idx(TableId::Appeals, "review", "upheld");
        assert!(consistent(&values, &[unrelated]));
    }

    #[test]
    fn leaves_of_a_total_are_its_parts() {
        let t = schema::idx(TableId::Requests, "new", "total");
        assert_eq!(leaves_of(t).len(), 6);
        let l = schema::idx(TableId::Requests, "new", "research");
        assert_eq!(leaves_of(l), &[l]);
    }
}
