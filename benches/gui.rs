//! One full headless GUI frame of the 表三 view (budget ≤ 1 ms in release),
//! including layout and tessellation of everything on screen.

use criterion::{Criterion, criterion_group, criterion_main};
use nianbao::gui::app::NoDialogs;
use nianbao::gui::{AppState, Part, fonts, ui_root};

fn input() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1366.0, 768.0),
        )),
        ..Default::default()
    }
}

fn frame(c: &mut Criterion) {
    for (name, part) in [
        ("gui frame 表三 (requests)", Part::Requests),
        ("gui frame 一 (overview)", Part::Overview),
    ] {
        let ctx = egui::Context::default();
        fonts::install(&ctx);
        let mut state = AppState::new(Box::new(NoDialogs::default()), None);
        state.doc = nianbao::gui::document::Document::new(nianbao::sample::example_report(), None);
        state.part = part;
        // Warm up: font atlas, galley caches.
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
}

criterion_group!(benches, frame);
criterion_main!(benches);
