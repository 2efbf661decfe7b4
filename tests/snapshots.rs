//! Image snapshots of every part of the editor (feature `snapshot`; needs a
//! software Vulkan renderer such as Debian's mesa-vulkan-drivers).
//! Update with `UPDATE_SNAPSHOTS=1 cargo test --features snapshot --test snapshots`.
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
