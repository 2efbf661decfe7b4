//! The bundled CJK font, so the same glyphs render on every machine.

use egui::{FontData, FontDefinitions, FontFamily};
use std::sync::Arc;

/// Noto Sans CJK SC, subset to the basic CJK block and punctuation (see
/// `assets/fonts/LICENSE-OFL.txt`).
pub static CJK: &[u8] = crate::fonts::SANS;

/// egui's fonts with the CJK font, then the � mark, as fallbacks in both
/// families.
pub fn definitions() -> FontDefinitions {
    let mut defs = FontDefinitions::default();
    defs.font_data
        .insert("noto-cjk-sc".into(), Arc::new(FontData::from_static(CJK)));
    defs.font_data.insert(
        "replacement-mark".into(),
        Arc::new(FontData::from_static(crate::fonts::REPLACEMENT)),
    );
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        let list = defs.families.entry(family).or_default();
        list.push("noto-cjk-sc".into());
        list.push("replacement-mark".into());
    }
    defs
}

/// Fonts and text sizes readable for Chinese.
pub fn install(ctx: &egui::Context) {
    ctx.set_fonts(definitions());
    // Light, like WPS/Office.
    ctx.set_theme(egui::Theme::Light);
    ctx.global_style_mut(|style| {
        use egui::{FontId, TextStyle};
        style.text_styles = [
            (TextStyle::Heading, FontId::proportional(20.0)),
            (TextStyle::Body, FontId::proportional(15.0)),
            (TextStyle::Button, FontId::proportional(15.0)),
            (TextStyle::Small, FontId::proportional(12.5)),
            (TextStyle::Monospace, FontId::monospace(14.0)),
        ]
        .into();
    });
}
