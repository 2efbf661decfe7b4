//! The bundled fonts (OFL, see `assets/fonts/LICENSE-OFL.txt`), shared by
//! the GUI (so the same glyphs render on every machine) and the PDF export
//! (so a PDF looks the same wherever it is made).

/// Noto Sans CJK SC, subset to the basic CJK block and punctuation: the
/// GUI's face, and the PDF's 黑体-style face for headings and fallback.
pub static SANS: &[u8] = include_bytes!("../assets/fonts/NotoSansCJKsc-Regular-subset.otf");

/// Noto Serif CJK SC, subset to GB 2312: the PDF's 宋体-style body face.
/// Only the PDF uses it; characters outside GB 2312 fall back to [`SANS`].
pub static SERIF: &[u8] = include_bytes!("../assets/fonts/NotoSerifCJKsc-Regular-gb2312.otf");

/// Noto Sans Mono subset to the one glyph U+FFFD (�), the mark the
/// importer leaves where a file's bytes were damaged and its finding tells
/// the clerk to look for; neither CJK face has it. The last fallback
/// everywhere, so that mark is drawn rather than an empty box.
pub static REPLACEMENT: &[u8] =
    include_bytes!("../assets/fonts/NotoSansMono-Regular-replacement.ttf");

/// The family names typst sees in these files.
pub const SANS_FAMILY: &str = "Noto Sans CJK SC";
pub const SERIF_FAMILY: &str = "Noto Serif CJK SC";
