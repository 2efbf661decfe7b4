//! Fully filled, consistent reports: the bundled example, and data for
//! tests and benchmarks. Values are derived from a seed so that many
//! distinct reports can be generated cheaply.

use crate::cell::Cell;
use crate::report::{Level, Report, Subsection};
use crate::schema::{self, FieldKind, TableId};
use rust_decimal::Decimal;

/// A small deterministic generator (xorshift), enough for varied sample
/// data and for the fuzz campaign's mutations (reproducible by seed).
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

/// A complete report that passes every error rule: R1 balances, no blanks.
pub fn filled_report(agency: &str, year: i32, seed: u64) -> Report {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut r = Report::new(agency, year);
    r.meta.level = Some(Level::部门);
    r.meta.contact = "办公室 0000-1234567".into();
    let t = &mut r.tables;
    for &f in schema::leaves() {
        let field = schema::field(f);
        let cell = match (field.table, field.kind) {
            (_, FieldKind::Amount) => Cell::Amount(Decimal::new(rng.below(10_000_000) as i64, 4)),
            (TableId::Requests, _) => Cell::Count(if field.col == "natural_person" {
                rng.below(6)
            } else {
                u64::from(rng.below(4) == 0)
            }),
            _ => Cell::Count(rng.below(40)),
        };
        t.set(f, cell);
    }
    // Balance R1: carried_forward absorbs the difference (or new grows).
    for col in schema::REQUEST_COLUMNS.iter().filter(|c| !c.derived) {
        let v = |t: &crate::report::Tables, row: &str| {
            t.value(schema::idx(TableId::Requests, row, col.id))
                .decimal()
                .unwrap_or_default()
        };
        let income = v(t, "new") + v(t, "carried_over");
        let results = v(t, "results_total");
        let (row, n) = if income >= results {
            ("carried_forward", income - results)
        } else {
            t.set_cell(TableId::Requests, "carried_forward", col.id, Cell::Count(0));
            let new = v(t, "new") + (results - income);
            ("new", new)
        };
        let n: u64 = n.try_into().unwrap_or(0);
        t.set_cell(TableId::Requests, row, col.id, Cell::Count(n));
    }
    let new_total = r
        .tables
        .value(schema::idx(TableId::Requests, "new", "total"))
        .display();
    let n = &mut r.narrative;
    n.preamble = format!(
        "本报告依据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）要求编制。本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。如对本报告有疑问，请与{agency}办公室联系。"
    );
    n.overview = format!("{year}年，{agency}认真贯彻落实《条例》，政务公开工作取得新进展。");
    n.overview_subs = schema::OVERVIEW_SUBHEADINGS
        .iter()
        .enumerate()
        .map(|(i, h)| Subsection {
            heading: h.to_string(),
            text: match i {
                1 => format!("全年共收到政府信息公开申请{new_total}件，均在法定期限内答复。"),
                _ => {
                    let topic = h.split('）').nth(1).unwrap_or(h).trim_end_matches("情况");
                    format!("{topic}方面，持续完善制度，做好日常工作。\n坚持“公开为常态、不公开为例外”。")
                }
            },
        })
        .collect();
    n.problems = "存在的主要问题：一是政策解读形式较为单一；二是基层公开标准化水平有待提高。\n改进情况：加强培训，丰富解读形式。".into();
    n.other = format!("本年度{agency}未收取信息处理费。");
    r
}

/// The bundled example (`assets/sample.nianbao`) shown by 帮助 → 打开示例报告.
pub static SAMPLE_DRAFT: &str = include_str!("../assets/sample.nianbao");

/// The agency, year and seed the bundled example is made from.
pub const SAMPLE_SOURCE: (&str, i32, u64) = ("示例市示例区人民政府", 2025, 2023);

pub fn example_report() -> Report {
    crate::draft::from_str(SAMPLE_DRAFT, std::path::Path::new("assets/sample.nianbao"))
        .unwrap_or_else(|_| filled_report(SAMPLE_SOURCE.0, SAMPLE_SOURCE.1, SAMPLE_SOURCE.2))
}

/// A well-formed one-page PDF with a drawing and no text: what a scanner
/// makes, minus the image (for the tests of the scan refusal).
pub fn pdf_without_text() -> Vec<u8> {
    let objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        "<< /Length 23 >>\nstream\n0 0 m 100 100 l S\nendstream",
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .bytes(),
    );
    out
}

/// Where a report's tables differ from true values given in the shape of
/// the JSON export (`active`, `requests`, `appeals`; `agency` and `year`
/// when present): one line per differing cell, empty when cell-exact. Used
/// by the tests and the measuring example on generated document families.
pub fn table_differences(got: &Report, truth: &serde_json::Value) -> Vec<String> {
    let json = crate::export::json::to_value(got);
    let mut out = Vec::new();
    for f in schema::fields() {
        let path: Vec<&str> = f.id.split('.').collect();
        let pick = |v: &serde_json::Value| {
            path.iter()
                .try_fold(v, |v, k| v.get(*k))
                .cloned()
                .unwrap_or(serde_json::Value::Null)
        };
        let (want, have) = (pick(truth), pick(&json));
        // Numbers may come as strings in the truth (fees): compare as text.
        let text = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => s.clone(),
            v => v.to_string(),
        };
        if text(&want) != text(&have) {
            out.push(format!(
                "{}：应为 {}，读出 {}",
                f.id,
                text(&want),
                text(&have)
            ));
        }
    }
    if let Some(a) = truth.get("agency").and_then(|v| v.as_str())
        && a != got.meta.agency
    {
        out.push(format!("机关名称：应为 {a}，读出 {}", got.meta.agency));
    }
    if let Some(y) = truth.get("year").and_then(|v| v.as_i64())
        && y != i64::from(got.meta.year)
    {
        out.push(format!("年度：应为 {y}，读出 {}", got.meta.year));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Severity, check};

    #[test]
    fn bundled_sample_is_complete_and_current() {
        let (agency, year, seed) = SAMPLE_SOURCE;
        let want = crate::draft::to_string(&filled_report(agency, year, seed));
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sample.nianbao");
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&path, &want).unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            want,
            "run with UPDATE_GOLDEN=1"
        );
        let r = example_report();
        assert!(r.tables.leaf_cells().iter().all(|c| !c.is_blank()));
        assert!(check(&r).iter().all(|f| f.severity == Severity::Info));
    }

    #[test]
    fn filled_reports_have_no_errors_or_blanks() {
        for seed in 0..50 {
            let r = filled_report("测试局", 2023, seed);
            let errs: Vec<_> = check(&r)
                .into_iter()
                .filter(|f| f.severity != Severity::Info)
                .collect();
            assert!(errs.is_empty(), "seed {seed}: {errs:#?}");
        }
    }
}
