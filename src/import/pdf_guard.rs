//! Checks on a PDF's raw bytes before lopdf reads it, for bounds lopdf
//! 0.42 (the version pdf-extract 0.12 pins) lacks and that cannot be caught
//! afterwards: an allocation failure aborts the process.
//!
//! A cross-reference stream's `/W` gives the byte width of each field, and
//! lopdf 0.42 allocates a buffer of that width before reading an entry:
//! `/W [1 999999999999 2]` asks for a terabyte (found by the fuzz campaign).
//! All-zero widths make it loop over `/Index` counts without reading.
//! lopdf 0.47 bounds both (each width at most 8, not all zero); until
//! pdf-extract moves to it, the same rule is applied here. lopdf decodes a
//! cross-reference stream only at an offset named by `startxref`, `/Prev`
//! or `/XRefStm`, and those are never inside compressed objects, so
//! checking the dictionary at every such offset in the raw bytes covers
//! every stream lopdf will decode.

/// The widest field lopdf 0.47 accepts (a u64).
const MAX_FIELD_WIDTH: u64 = 8;

/// How far past an offset a cross-reference stream's dictionary may reach.
const DICT_WINDOW: usize = 64 * 1024;

/// Are the field widths of every cross-reference stream lopdf may decode
/// within bounds?
pub fn xref_widths_bounded(bytes: &[u8]) -> bool {
    offsets(bytes).all(|at| {
        let window = &bytes[at..bytes.len().min(at + DICT_WINDOW)];
        // The dictionary ends where its stream begins.
        let dict = find(window, b"stream").map_or(window, |end| &window[..end]);
        arrays_after(dict, b"/W").all(|widths| {
            widths.len() < 3
                || (widths.iter().all(|&w| w <= MAX_FIELD_WIDTH) && widths.iter().any(|&w| w > 0))
        })
    })
}

/// Every offset named after `startxref`, `/Prev` or `/XRefStm` that lies
/// inside the file.
fn offsets(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    [&b"startxref"[..], b"/Prev", b"/XRefStm"]
        .into_iter()
        .flat_map(move |key| positions(bytes, key).map(move |p| p + key.len()))
        .filter_map(move |p| integer_at(bytes, p))
        .filter_map(|n| usize::try_from(n).ok())
        .filter(move |&n| n < bytes.len())
}

/// Where `needle` occurs in `hay` (a SIMD search: the guard scans the
/// whole file before every PDF import, and a byte-by-byte comparison cost
/// a tenth of importing a six-page report).
fn positions<'a>(hay: &'a [u8], needle: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
    memchr::memmem::find_iter(hay, needle)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    positions(hay, needle).next()
}

/// A non-negative integer after optional whitespace (at most 19 digits).
fn integer_at(bytes: &[u8], at: usize) -> Option<u64> {
    let rest = bytes.get(at..)?;
    let start = rest.iter().position(|b| !b.is_ascii_whitespace())?;
    let digits: Vec<u8> = rest[start..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .copied()
        .collect();
    if digits.is_empty() || digits.len() > 19 {
        return None;
    }
    std::str::from_utf8(&digits).ok()?.parse().ok()
}

/// The flat integer arrays that follow `key` (`/W [1 2 1]`). An array with
/// anything else in it (a nested array, a real, a sign) is left to lopdf,
/// which refuses it; a number too long to read counts as too wide.
fn arrays_after<'a>(dict: &'a [u8], key: &'a [u8]) -> impl Iterator<Item = Vec<u64>> + 'a {
    positions(dict, key).filter_map(move |p| {
        let rest = &dict[p + key.len()..];
        let open = rest.iter().position(|b| !b.is_ascii_whitespace())?;
        if rest[open] != b'[' {
            return None;
        }
        let close = rest[open..].iter().position(|&b| b == b']')? + open;
        let inner = std::str::from_utf8(&rest[open + 1..close]).ok()?;
        inner
            .split_ascii_whitespace()
            .map(|t| {
                if t.bytes().all(|b| b.is_ascii_digit()) {
                    Some(t.parse().unwrap_or(u64::MAX))
                } else {
                    None
                }
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xref_pdf(widths: &str) -> Vec<u8> {
        let body = format!(
            "%PDF-1.5\n1 0 obj << /Type /Catalog >> endobj\n2 0 obj << /Type /XRef /Size 3 /W {widths} /Root 1 0 R /Length 0 >> stream\n\nendstream endobj\n"
        );
        let at = body.find("2 0 obj").unwrap();
        format!("{body}startxref\n{at}\n%%EOF\n").into_bytes()
    }

    #[test]
    fn widths_past_eight_or_all_zero_are_refused() {
        assert!(xref_widths_bounded(&xref_pdf("[1 4 2]")));
        assert!(xref_widths_bounded(&xref_pdf("[ 1 8 0 ]")));
        assert!(!xref_widths_bounded(&xref_pdf("[1 999999999999 2]")));
        assert!(!xref_widths_bounded(&xref_pdf(
            "[1 99999999999999999999999 2]"
        )));
        assert!(!xref_widths_bounded(&xref_pdf("[0 0 0]")));
        // Through the importer: a message, where lopdf alone aborted the
        // process asking for a terabyte.
        let e = crate::import::import_bytes(&xref_pdf("[1 999999999999 2]")).unwrap_err();
        assert!(e.to_string().contains("交叉引用表"), "{e}");
        // A font's /W elsewhere in the file is not a cross-reference stream.
        let mut pdf = xref_pdf("[1 2 1]");
        pdf.extend_from_slice(b"9 0 obj << /Type /Font /W [1 100 500] >> endobj\n");
        assert!(xref_widths_bounded(&pdf));
    }

    /// Every PDF fixture passes (ours from typst, LibreOffice's, a city's).
    #[test]
    fn real_pdfs_pass() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/published");
        let mut n = 0;
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            if e.path().extension().is_some_and(|x| x == "pdf") {
                assert!(
                    xref_widths_bounded(&std::fs::read(e.path()).unwrap()),
                    "{}",
                    e.path().display()
                );
                n += 1;
            }
        }
        assert!(n >= 3);
        let ours = crate::export::export_pdf(&crate::sample::example_report()).unwrap();
        assert!(xref_widths_bounded(&ours));
    }
}
