//! Measure the importer on a family of generated documents: every
//! `NAME.json` (true values, the shape of `nianbao export --to json`) beside
//! `NAME.pdf`, `NAME.docx`, `NAME.txt` or `NAME.html` is imported and
//! compared cell by cell, and the reviewer's verdict is taken as `review`
//! would give it. Prints one line per document that is not cell-exact or
//! not 通过, then the totals.
//!
//! ```sh
//! python3 tests/fixtures/template/make.py --template 政务公开年报模版.docx --out /tmp/family --count 60 --pdf
//! cargo run --release --example import_family -- /tmp/family
//! ```

use nianbao::check::{Severity, with_import};
use nianbao::review::Verdict;
use std::path::Path;

fn main() {
    let dirs: Vec<String> = std::env::args().skip(1).collect();
    if dirs.is_empty() {
        eprintln!("用法：cargo run --example import_family -- 文件夹…");
        std::process::exit(2);
    }
    let (mut docs, mut exact, mut false_fix, mut manual, mut silent_wrong) = (0, 0, 0, 0, 0);
    for dir in &dirs {
        let mut truths: Vec<_> = std::fs::read_dir(dir)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_else(|e| {
                eprintln!("{dir}：{e}");
                Vec::new()
            });
        truths.retain(|p| p.extension().is_some_and(|e| e == "json"));
        truths.sort();
        for t in truths {
            let truth: serde_json::Value = match std::fs::read(&t)
                .ok()
                .and_then(|b| serde_json::from_slice(&b).ok())
            {
                Some(v) => v,
                None => continue,
            };
            for ext in ["pdf", "docx", "txt", "html"] {
                let doc = t.with_extension(ext);
                if !doc.exists() {
                    continue;
                }
                docs += 1;
                let line = measure(&doc, &truth);
                match line {
                    Outcome::Exact => exact += 1,
                    Outcome::Wrong {
                        diffs,
                        verdict,
                        errors_on_wrong,
                    } => {
                        if verdict == Verdict::NeedsFix {
                            false_fix += 1;
                        }
                        if verdict == Verdict::ManualCheck {
                            manual += 1;
                        }
                        if !errors_on_wrong {
                            silent_wrong += 1;
                        }
                        println!(
                            "{}：{} 格不符，结论 {}{}：{}",
                            doc.display(),
                            diffs.len(),
                            verdict.label(),
                            if errors_on_wrong {
                                ""
                            } else {
                                "（有错数而无提示！）"
                            },
                            diffs.iter().take(4).cloned().collect::<Vec<_>>().join("；")
                        );
                    }
                    Outcome::Refused(e) => println!("{}：无法读取：{e}", doc.display()),
                    Outcome::ExactButFlagged(v) => {
                        if v == Verdict::NeedsFix {
                            false_fix += 1;
                        } else {
                            manual += 1;
                        }
                        println!("{}：逐格正确，但结论为 {}", doc.display(), v.label());
                    }
                }
            }
        }
    }
    println!(
        "共 {docs} 份：逐格正确 {exact}，误判需修改 {false_fix}，需人工核对 {manual}，有错数而无提示 {silent_wrong}"
    );
}

enum Outcome {
    Exact,
    ExactButFlagged(Verdict),
    Wrong {
        diffs: Vec<String>,
        verdict: Verdict,
        errors_on_wrong: bool,
    },
    Refused(String),
}

fn measure(doc: &Path, truth: &serde_json::Value) -> Outcome {
    let imp = match nianbao::open::import_file(doc) {
        Ok(i) => i,
        Err(e) => return Outcome::Refused(e),
    };
    let findings = with_import(&imp.report, &imp.findings);
    let verdict = Verdict::of(&findings);
    let diffs = nianbao::sample::table_differences(&imp.report, truth);
    if diffs.is_empty() {
        return if verdict == Verdict::Pass {
            Outcome::Exact
        } else {
            Outcome::ExactButFlagged(verdict)
        };
    }
    // Every wrong cell must be named by an error or warning finding.
    // Cells a finding names, and the cells the named totals sum (a failing
    // total implicates every cell it adds up).
    let named: std::collections::HashSet<&str> = findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .flat_map(|f| f.cells.iter())
        .filter_map(|id| nianbao::schema::field_by_id(id))
        .flat_map(|f| std::iter::once(f).chain(nianbao::identities::leaves_of(f).iter().copied()))
        .map(|f| nianbao::schema::field(f).id.as_str())
        .collect();
    // A wrong total is named when it or one of the cells it sums is.
    let unnamed: Vec<&String> = diffs
        .iter()
        .filter(|d| {
            let id = d.split('：').next().unwrap_or("");
            let Some(f) = nianbao::schema::field_by_id(id) else {
                return true;
            };
            !(named.contains(id)
                || nianbao::identities::leaves_of(f)
                    .iter()
                    .any(|&l| named.contains(nianbao::schema::field(l).id.as_str())))
        })
        .collect();
    if !unnamed.is_empty() {
        eprintln!(
            "{}：没有提示的错数：{}",
            doc.display(),
            unnamed
                .iter()
                .take(5)
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("；")
        );
    }
    let errors_on_wrong = unnamed.is_empty();
    Outcome::Wrong {
        diffs,
        verdict,
        errors_on_wrong,
    }
}
