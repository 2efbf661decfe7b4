//! One full headless GUI frame, including layout and tessellation of
//! everything on screen (budget ≤ 1 ms in release for the editor's parts,
//! ≤ 2 ms for the long lists whatever their length): 表三, 一, the 审核
//! window with 5,000 units, the ledger window with 20,000 rows, and the
//! 汇总 result with 5,000 units.

use criterion::{Criterion, criterion_group, criterion_main};
use nianbao::gui::app::{Modal, NoDialogs};
use nianbao::gui::{AppState, Part, fonts, ui_root};
use std::path::PathBuf;

fn input() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1366.0, 768.0),
        )),
        ..Default::default()
    }
}

fn editor() -> AppState {
    let mut state = AppState::new(Box::new(NoDialogs::default()), None);
    state.doc = nianbao::gui::document::Document::new(nianbao::sample::example_report(), None);
    state
}

/// Frames of `state` after a warm-up (font atlas, galley caches).
fn bench_frames(c: &mut Criterion, name: &str, mut state: AppState) {
    let ctx = egui::Context::default();
    fonts::install(&ctx);
    for _ in 0..5 {
        let out = ctx.run_ui(input(), |ui| ui_root(ui, &mut state));
        let _ = ctx.tessellate(out.shapes, out.pixels_per_point);
    }
    c.bench_function(name, |b| {
        b.iter(|| {
            let out = ctx.run_ui(input(), |ui| ui_root(ui, &mut state));
            ctx.tessellate(out.shapes, out.pixels_per_point)
        })
    });
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The 审核 window over a province's 5,000 reports (two real reports,
/// repeated under 5,000 names).
fn review_state() -> AppState {
    let files = [
        "2023-luozhuang-civil-affairs.txt",
        "2023-xunyang-district.txt",
    ]
    .map(|f| fixtures().join("published").join(f));
    let never = std::sync::atomic::AtomicBool::new(false);
    let mut batch = nianbao::review::review(&files, &Default::default(), &|| {}, &never);
    let seed = batch.entries.clone();
    batch.entries = (0..5000)
        .map(|i| {
            let mut e = seed[i % seed.len()].clone();
            e.report.meta.agency = format!("测试单位{i:04}");
            e
        })
        .collect();
    let mut state = editor();
    state.review = Some(nianbao::gui::review::ReviewView::done(batch));
    state
}

/// The ledger window over a 20,000-row ledger, counted.
fn ledger_state(dir: &std::path::Path) -> AppState {
    let path = dir.join("台账.csv");
    let mut csv = String::from("序号,申请人,申请人类型,收到日期,处理结果,答复日期\n");
    for i in 0..20_000 {
        let (m, d) = (1 + i % 11, 1 + i % 27);
        let result = ["予以公开", "部分公开", "信息不存在"][i % 3];
        csv += &format!(
            "{},王女士,自然人,2025-{m:02}-{d:02},{result},2025-{:02}-{d:02}\n",
            i + 1,
            m + 1
        );
    }
    std::fs::write(&path, csv).expect("temporary ledger written");
    let mut view = nianbao::gui::ledger::LedgerView::open(&path, None).expect("ledger read");
    view.count(2025);
    let mut state = editor();
    state.ledger = Some(view);
    state
}

/// The 汇总 result over 5,000 units.
fn merge_state() -> AppState {
    use nianbao::gui::merge_table::UnitRow;
    let table = (0..5000)
        .map(|i| UnitRow {
            name: format!("测试单位{i:04}"),
            figures: (0..nianbao::year::KEY_FIGURES.len())
                .map(|k| Some(rust_decimal::Decimal::from((i * 7 + k) % 300)))
                .collect(),
            errors: i % 3,
        })
        .collect();
    let mut state = editor();
    state.modal = Some(Modal::MergeSummary {
        table,
        findings: vec![],
        csv: String::new(),
    });
    state
}

fn frame(c: &mut Criterion) {
    for (name, part) in [
        ("gui frame 表三 (requests)", Part::Requests),
        ("gui frame 一 (overview)", Part::Overview),
    ] {
        let mut state = editor();
        state.part = part;
        bench_frames(c, name, state);
    }
    bench_frames(c, "gui frame 审核 5,000 units", review_state());
    let dir = tempfile::tempdir().expect("temporary folder");
    bench_frames(c, "gui frame 台账 20,000 rows", ledger_state(dir.path()));
    bench_frames(c, "gui frame 汇总 5,000 units", merge_state());
}

criterion_group!(benches, frame);
criterion_main!(benches);
