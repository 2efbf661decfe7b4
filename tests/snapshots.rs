//! Image snapshots of every part of the editor (feature `snapshot`; needs a
//! software Vulkan renderer such as Debian's mesa-vulkan-drivers).
//! Update with `UPDATE_SNAPSHOTS=1 cargo test --release --features snapshot --test snapshots`.
#![cfg(feature = "snapshot")]

use egui_kittest::Harness;
use nianbao::gui::app::NoDialogs;
use nianbao::gui::{AppState, Part, fonts, ui_root};

#[test]
fn every_part_looks_right() {
    let mut state = AppState::new(Box::new(NoDialogs::default()), None);
    let mut report = nianbao::sample::filled_report("示例市示例区人民政府", 2024, 2023);
    report.tables.set(
        nianbao::schema::idx(nianbao::schema::TableId::Requests, "new", "research"),
        nianbao::Cell::Invalid("十二".into()),
    );
    state.doc = nianbao::gui::document::Document::new(report, None);
    let mut h = Harness::builder()
        .with_size([1366.0, 768.0])
        .with_theme(egui::Theme::Light)
        .with_context_setup(fonts::install)
        .build_ui_state(ui_root, state);
    let mut results = Vec::new();
    for (i, p) in Part::ALL.into_iter().enumerate() {
        h.state_mut().part = p;
        h.run();
        results.push(h.try_snapshot(format!("part_{i}_{p:?}").to_lowercase()));
    }
    for r in results {
        r.unwrap();
    }
}

/// Page 1 of the sample's PDF, rendered by poppler (`pdftoppm`, Debian
/// poppler-utils, installed by `.ci/run`), compared with the stored PNG.
/// The PDF has no timestamp and embeds the bundled fonts, so the same
/// build renders the same pixels. `UPDATE_SNAPSHOTS=1` accepts a change;
/// a differing render is kept beside the reference as `.new.png`.
#[test]
fn pdf_page_one_looks_right() {
    let pdf = nianbao::export::export_pdf(&nianbao::sample::example_report()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("report.pdf");
    std::fs::write(&input, &pdf).unwrap();
    let out = dir.path().join("page");
    let status = std::process::Command::new("pdftoppm")
        .args(["-png", "-r", "48", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&input)
        .arg(&out)
        .status()
        .expect("pdftoppm (Debian poppler-utils) renders the PDF");
    assert!(status.success());
    let got = std::fs::read(out.with_extension("png")).unwrap();
    let reference =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/pdf_page_1.png");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&reference, &got).unwrap();
    }
    let want = std::fs::read(&reference).unwrap_or_default();
    if got != want {
        std::fs::write(reference.with_extension("new.png"), &got).unwrap();
        panic!(
            "page 1 of the PDF changed: compare tests/snapshots/pdf_page_1.new.png, run with UPDATE_SNAPSHOTS=1 to accept"
        );
    }
}
