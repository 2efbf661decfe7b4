//! The performance budget of DESIGN.md, core part: check, drafts, export,
//! import, merge. Run with `cargo bench --bench core`.

use criterion::{Criterion, criterion_group, criterion_main};
use nianbao::year::{Unit, merge};
use nianbao::{check, draft, export, import, sample};
use std::hint::black_box;
use std::path::Path;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/published")
            .join(name),
    )
    .unwrap()
}

fn core(c: &mut Criterion) {
    let r = sample::filled_report("浔阳区人民政府", 2023, 7);
    c.bench_function("check full report", |b| b.iter(|| check(black_box(&r))));
    let text = draft::to_string(&r);
    c.bench_function("draft serialise", |b| {
        b.iter(|| draft::to_string(black_box(&r)))
    });
    c.bench_function("draft parse", |b| {
        b.iter(|| draft::from_str(black_box(&text), Path::new("x")).unwrap())
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.nianbao");
    c.bench_function("draft atomic save (fsync)", |b| {
        b.iter(|| draft::save(black_box(&r), &path).unwrap())
    });
    c.bench_function("export html", |b| {
        b.iter(|| export::export_html(black_box(&r)))
    });
    c.bench_function("export fragment", |b| {
        b.iter(|| export::export_fragment(black_box(&r)))
    });
    c.bench_function("export text", |b| {
        b.iter(|| export::export_text(black_box(&r)))
    });
    for name in [
        "2023-luozhuang-civil-affairs.txt",
        "2023-xunyang-district.txt",
        "2023-pingtan-zone.html",
    ] {
        let bytes = fixture(name);
        c.bench_function(&format!("import {name}"), |b| {
            b.iter(|| import::import_bytes(black_box(&bytes)).unwrap())
        });
    }
    // Word and PDF (DESIGN budget: export DOCX ≤ 5 ms, PDF ≤ 300 ms warm;
    // import a 6-page PDF ≤ 50 ms, a DOCX ≤ 10 ms).
    c.bench_function("export docx", |b| {
        b.iter(|| export::export_docx(black_box(&r)))
    });
    {
        let mut g = c.benchmark_group("pdf");
        g.sample_size(10);
        let _ = export::export_pdf(&r); // warm: fonts parsed once per process
        g.bench_function("export pdf (warm)", |b| {
            b.iter(|| export::export_pdf(black_box(&r)).unwrap())
        });
        // A different report each time: typst's memoisation cannot reuse the layout.
        let mut n = 0u64;
        g.bench_function("export pdf (fonts warm, new report each time)", |b| {
            b.iter(|| {
                n += 1;
                let other = sample::filled_report(&format!("单位{n}"), 2023, n);
                export::export_pdf(black_box(&other)).unwrap()
            })
        });
        g.finish();
    }
    for name in [
        "2024-huaian-city.pdf",
        "2023-pingtan-zone.pdf",
        "2023-pingtan-zone.docx",
    ] {
        let bytes = fixture(name);
        c.bench_function(&format!("import {name}"), |b| {
            b.iter(|| import::import_bytes(black_box(&bytes)).unwrap())
        });
    }
    let docx = export::export_docx(&r);
    c.bench_function("import exported docx", |b| {
        b.iter(|| import::import_bytes(black_box(&docx)).unwrap())
    });
    let word_html = export::export_html(&r);
    c.bench_function("import exported html", |b| {
        b.iter(|| import::import_str(black_box(&word_html)).unwrap())
    });
}

fn merging(c: &mut Criterion) {
    let mut g = c.benchmark_group("merge");
    g.sample_size(10);
    for n in [100usize, 1_000, 10_000] {
        let units: Vec<Unit> = (0..n)
            .map(|i| Unit {
                source: format!("u{i}.nianbao"),
                report: sample::filled_report(&format!("单位{i}"), 2023, i as u64),
                import_findings: vec![],
            })
            .collect();
        g.bench_function(format!("{n} reports in memory"), |b| {
            b.iter(|| merge(black_box(&units), None).unwrap())
        });
    }
    // Reading 10,000 drafts from their text as well (the CLI's whole path minus disk).
    let texts: Vec<String> = (0..10_000)
        .map(|i| draft::to_string(&sample::filled_report(&format!("单位{i}"), 2023, i)))
        .collect();
    g.bench_function("10000 drafts parsed (all cores) and merged", |b| {
        b.iter(|| {
            let units: Vec<Unit> = nianbao::parallel::par_map(&texts, |t| Unit {
                source: String::new(),
                report: draft::from_str(t, Path::new("x")).unwrap(),
                import_findings: vec![],
            });
            merge(&units, None).unwrap()
        })
    });
    g.finish();
}

fn ledger_and_review(c: &mut Criterion) {
    use nianbao::ledger::{self, Header, Sheet};
    // A ledger of 10,000 requests (DESIGN budget: ≤ 200 ms).
    let results = [
        ("予以公开", ""),
        ("不予公开", "第三方"),
        ("无法提供", "不掌握"),
        ("不予处理", "重复申请"),
        ("其他处理", "撤回"),
    ];
    let apps = [
        "张三",
        "某某科技有限公司",
        "某大学",
        "某律师事务所",
        "某基金会",
        "某村委会",
    ];
    let mut rows = vec![
        ["申请人", "收到日期", "处理结果", "不予公开理由", "答复日期"]
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>(),
    ];
    for i in 0..10_000usize {
        let (res, why) = results[i % results.len()];
        rows.push(vec![
            apps[i % apps.len()].into(),
            format!("2025-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
            res.into(),
            why.into(),
            format!("2025/{}/{}", 1 + i % 12, 1 + (i + 9) % 28),
        ]);
    }
    let sheet = Sheet {
        name: "台账".into(),
        rows,
        formulas: 0,
    };
    let header = Header {
        row: 0,
        cells: sheet.rows[0].clone(),
    };
    let map = ledger::auto_map(&header.cells);
    let memory = ledger::Memory::default();
    c.bench_function("ledger count 10000 rows", |b| {
        b.iter(|| ledger::count_sheet(black_box(&sheet), &header, &map, 2025, &memory))
    });
    // A city's workbook: twelve monthly sheets of 1,000 rows with a title,
    // the header repeated every 40 rows, a 合计 row, and a 汇总 sheet.
    let mut sheets = vec![Sheet {
        name: "汇总".into(),
        rows: vec![vec!["月份".into(), "件数".into()]],
        formulas: 12,
    }];
    for m in 1..=12usize {
        let mut rows = vec![
            vec![format!("2025年{m}月政府信息公开申请登记台账")],
            sheet.rows[0].clone(),
        ];
        for (i, r) in sheet.rows[1..=1000].iter().enumerate() {
            if i > 0 && i % 40 == 0 {
                rows.push(sheet.rows[0].clone());
            }
            rows.push(r.clone());
        }
        rows.push(vec!["合计".into(), "1,000件".into()]);
        sheets.push(Sheet {
            name: format!("{m}月"),
            rows,
            formulas: 0,
        });
    }
    c.bench_function("ledger plan and count 12 sheets, 12000 rows", |b| {
        b.iter(|| {
            let plans = ledger::plan(black_box(&sheets), &memory);
            ledger::count(&sheets, &plans, 2025, &memory)
        })
    });
    // R17 over 1,000 units (DESIGN budget: ≤ 2 s on 2 cores): texts of
    // 600 characters from a pool of sentences, a tenth copied from another
    // unit, and a template sentence every unit shares.
    let pool: Vec<String> = (0..400)
        .map(|k| {
            format!(
                "第{k}项工作中，本单位围绕{}推进政务公开，完成了{}项具体任务并及时发布相关信息。",
                [
                    "机构职能",
                    "规划计划",
                    "财政预决算",
                    "重大项目",
                    "民生实事",
                    "政策解读"
                ][k % 6],
                k * 7 % 31
            )
        })
        .collect();
    let mut rng = nianbao::sample::Rng(99);
    let mut texts: Vec<String> = (0..1000)
        .map(|_| {
            let mut t = String::from("本年度认真贯彻落实《中华人民共和国政府信息公开条例》。");
            for _ in 0..12 {
                t.push_str(&pool[rng.below(pool.len() as u64) as usize]);
            }
            t
        })
        .collect();
    for i in (0..1000).step_by(10) {
        texts[i] = texts[(i + 37) % 1000].clone();
    }
    c.bench_function("R17 repetition between 1000 units", |b| {
        b.iter(|| nianbao::similarity::batch_pairs(black_box(&texts), 50.0, 3))
    });
    let words = nianbao::sample::example_report().narrative.overview_text();
    c.bench_function("repetition score of 一", |b| {
        b.iter(|| nianbao::similarity::repetition(black_box(&words), black_box(&words)))
    });
}

criterion_group!(benches, core, merging, ledger_and_review);
criterion_main!(benches);
