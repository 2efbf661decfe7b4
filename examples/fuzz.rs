//! A stable-Rust fuzz campaign kept in the project: mutate drafts and
//! published reports (text, HTML, Word, PDF), drive each through the whole
//! pipeline in process, and fail on any panic or any input slower than 2 s.
//!
//! ```sh
//! cargo run --release --example fuzz -- --inputs 20000 --seconds 120
//! cargo run --release --example fuzz -- --inputs 1000000 --seconds 36000   # the long run
//! cargo run --release --example fuzz -- --kind html --inputs 1000000 --seconds 7200
//! ```
//!
//! `--replay FILE` runs one saved input instead of mutations (with
//! `--inputs 1`). `--kind draft|text|html|word|pdf|gui|ledger` (comma-separated) runs only those
//! kinds, so a long campaign can use one process per core. Progress goes to
//! stderr every 50,000 inputs.
//!
//! Inputs that panic or run slow are written to `target/fuzz-failures/`.

use egui_kittest::Harness;
use nianbao::gui::{self, AppState, Part, app::Modal, app::NoDialogs};
use nianbao::report::Report;
use nianbao::{check, draft, export, import, ledger, year};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const SLOW: Duration = Duration::from_secs(2);

/// Where panics happened and how often (filled by the panic hook).
static PANICS: std::sync::Mutex<std::collections::BTreeMap<String, u64>> =
    std::sync::Mutex::new(std::collections::BTreeMap::new());

use nianbao::sample::Rng;

/// A random index below `n` (0 when `n` is 0).
fn below(rng: &mut Rng, n: usize) -> usize {
    rng.below(n as u64) as usize
}

/// Values that broke nianbao before, or sit on a bound.
const SPLICES: &[&str] = &[
    "79228162514264337593543950335",
    "-79228162514264337593543950335",
    "2147483647",
    "-2147483648",
    "999999999999",
    "1000000000000",
    "0.00000000001",
    "-1",
    "12。",
    "0012",
    "\u{202E}",
    "１２",
    "<div>",
    "</td></tr>",
    "Amount(\"",
    "Count(",
    "year: ",
    "NaN",
    "1e400",
];

/// Mutate a seed. Most inputs get one or two changes (so most still read as
/// a report and reach the checks and exports); a few get up to eight.
/// Changing a number is the most common move, truncation the rarest.
fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut b = seed.to_vec();
    let changes = 1 + (rng.next_u64().trailing_zeros() as usize).min(7);
    for _ in 0..changes {
        let len = b.len().max(1);
        let op = match below(rng, 16) {
            0 => 4,
            1..=5 => 5,
            k => k % 7,
        };
        match op {
            0 => {
                let i = below(rng, len);
                if i < b.len() {
                    b[i] = rng.next_u64() as u8;
                }
            }
            1 => {
                let i = below(rng, len);
                let n = below(rng, 64).min(b.len().saturating_sub(i));
                b.drain(i..i + n);
            }
            2 => {
                let i = below(rng, len).min(b.len());
                let s = SPLICES[below(rng, SPLICES.len())].as_bytes();
                b.splice(i..i, s.iter().copied());
            }
            3 => {
                // Duplicate a slice (nesting, repeated rows).
                let i = below(rng, len).min(b.len());
                let n = below(rng, 256).min(b.len() - i);
                let chunk: Vec<u8> = b[i..i + n].to_vec();
                b.splice(i..i, chunk);
            }
            4 => b.truncate(below(rng, len)),
            5 => {
                // Replace a digit run with a splice value.
                let i = below(rng, len).min(b.len());
                if let Some(p) = b[i..].iter().position(u8::is_ascii_digit) {
                    let s = i + p;
                    let e = b[s..]
                        .iter()
                        .position(|c| !c.is_ascii_digit())
                        .map_or(b.len(), |q| s + q);
                    let v = SPLICES[below(rng, 6)].as_bytes();
                    b.splice(s..e, v.iter().copied());
                }
            }
            _ => {
                let i = below(rng, len).min(b.len());
                for _ in 0..below(rng, 16) {
                    b.insert(i, rng.next_u64() as u8);
                }
            }
        }
    }
    b
}

/// A zip (Word, Excel) whose main XML part is mutated inside an intact
/// archive, so the XML reader (not only the zip reader) meets broken input.
/// Not a zip: mutated as bytes.
fn mutate_in_zip(rng: &mut Rng, seed: &[u8], part: &str) -> Vec<u8> {
    rewrite_part(seed, part, |data| mutate(rng, data)).unwrap_or_else(|| mutate(rng, seed))
}

/// The zip `seed` with its `part` rewritten by `f`, every other part as it
/// was; `None` when `seed` is no zip.
fn rewrite_part(seed: &[u8], part: &str, mut f: impl FnMut(&[u8]) -> Vec<u8>) -> Option<Vec<u8>> {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(seed)).ok()?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let Ok(mut file) = zip.by_index(i) else {
            continue;
        };
        let name = file.name().to_string();
        let mut data = Vec::new();
        if file.read_to_end(&mut data).is_err() {
            continue;
        }
        if name == part {
            data = f(&data);
        }
        let opts = zip::write::SimpleFileOptions::default();
        if out.start_file(name, opts).is_ok() {
            let _ = out.write_all(&data);
        }
    }
    Some(out.finish().map(|c| c.into_inner()).unwrap_or_default())
}

/// A Word file as it comes back from 审签: the first number of 表三 changed
/// with revision marks (old in `w:delText`, new in `w:ins`), and a table
/// nested in the first table cell.
fn revised(docx: &[u8]) -> Vec<u8> {
    let edit = |xml: &[u8]| {
        let mut s = String::from_utf8_lossy(xml).into_owned();
        let from = s.find("本年新收").unwrap_or(0);
        // The run holding the first text after the label, whole.
        let run = s[from..].find("<w:t>").and_then(|t| {
            let start = s[..from + t].rfind("<w:r>")?;
            let end = from + t + s[from + t..].find("</w:r>")? + 6;
            Some((start, end, from + t))
        });
        if let Some((start, end, t)) = run {
            let old = s[t + 5..].split("</w:t>").next().unwrap_or("").to_string();
            let mark = "w:author=\"审签\" w:date=\"2025-01-10T00:00:00Z\"";
            s.replace_range(
                start..end,
                &format!(
                    "<w:del w:id=\"9001\" {mark}><w:r><w:delText>{old}</w:delText></w:r></w:del><w:ins w:id=\"9002\" {mark}><w:r><w:t>{old}1</w:t></w:r></w:ins>"
                ),
            );
        }
        if let Some(tc) = s.find("<w:tc>") {
            s.insert_str(
                tc + 6,
                "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>嵌套 12</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
            );
        }
        s.into_bytes()
    };
    rewrite_part(docx, "word/document.xml", edit).expect("our own Word file is a zip")
}

/// Everything a clerk can do with a report, in process. True when the
/// input was read as a report (not refused).
fn pipeline(bytes: &[u8], via: Via, depth: Depth, tmp: &Path) -> bool {
    let report = if via == Via::Draft {
        match std::str::from_utf8(bytes) {
            Ok(t) => match draft::from_str(t, Path::new("x.nianbao")) {
                Ok(r) => r,
                Err(e) => {
                    assert!(e.to_string().chars().count() < 400, "message too long");
                    return false;
                }
            },
            Err(_) => return false,
        }
    } else {
        let read = import::import_bytes(bytes);
        if bytes.starts_with(b"PK") {
            annotate(bytes, read.as_ref().ok());
        }
        match read {
            Ok(i) => i.report,
            Err(e) => {
                assert!(e.to_string().chars().count() < 400, "message too long");
                return false;
            }
        }
    };
    use_report(&report, depth, tmp);
    true
}

/// A Word file with the reviewer's comments already in it.
fn annotated(docx: &[u8]) -> Vec<u8> {
    use nianbao::review::opinions::{self, Anchor};
    let comments = [(Anchor::Title, "审核结论：通过。".to_string())];
    opinions::annotate_docx(docx, &comments, "审核单位", "2026-01-20")
        .expect("our own Word file annotates")
}

/// The reviewer's 审核意见 on a (mutated) Word file: comments on every
/// finding added to the unit's own file. Damaged files are refused with a
/// message; a file that was read as a report must still be read as the same
/// report once annotated.
fn annotate(bytes: &[u8], read: Option<&import::Imported>) {
    use nianbao::review::opinions::{self, Anchor};
    let mut comments = vec![(Anchor::Title, "审核结论：需修改。".to_string())];
    if let Some(i) = read {
        let mut findings = i.findings.clone();
        findings.extend(check::check(&i.report));
        comments.extend(
            findings
                .iter()
                .map(|f| (opinions::anchor_of(f), opinions::comment_text(f, None))),
        );
    }
    match opinions::annotate_docx(bytes, &comments, "审核单位", "2026-01-20") {
        Ok(out) => {
            if let Some(i) = read {
                let again = import::import_bytes(&out).expect("an annotated report still reads");
                assert!(
                    again.report.tables == i.report.tables,
                    "annotating changed the tables"
                );
            }
        }
        Err(e) => assert!(e.chars().count() < 400, "message too long"),
    }
}

/// Which of the slow steps an input also goes through. Every input is
/// checked, exported to HTML, fragment, text and JSON, round-tripped as a
/// draft, carried into a new year, compared and merged; every tenth is also
/// written as Word and saved to and loaded from disk (atomic save with
/// fsync), and every 500th is typeset as PDF. Those writers cost 2–40 ms
/// each and would otherwise take most of a long campaign.
#[derive(Clone, Copy)]
struct Depth {
    word_and_disk: bool,
    pdf: bool,
}

impl Depth {
    fn of(n: u64) -> Depth {
        Depth {
            word_and_disk: n.is_multiple_of(10),
            pdf: n.is_multiple_of(500),
        }
    }
}

fn use_report(r: &Report, depth: Depth, tmp: &Path) {
    let _ = check::check(r);
    for f in export::Format::ALL {
        let run = match f {
            export::Format::Pdf => depth.pdf,
            export::Format::Docx => depth.word_and_disk,
            _ => true,
        };
        if run {
            let _ = f.render(r);
        }
    }
    if depth.word_and_disk {
        let p = tmp.join("f.nianbao");
        if draft::save(r, &p).is_ok() {
            let back = draft::load(&p).expect("a saved draft loads");
            let _ = check::check(&back);
        }
    } else {
        let text = draft::to_string(r);
        let back = draft::from_str(&text, Path::new("f.nianbao")).expect("a written draft reads");
        let _ = check::check(&back);
    }
    if let Ok(next) = year::new_year(r) {
        let _ = check::check(&next);
    }
    let _ = year::compare(&r.tables, &r.tables);
    let unit = |r: &Report| year::Unit {
        source: "u".into(),
        report: r.clone(),
        import_findings: vec![],
    };
    if let Ok(m) = year::merge(&[unit(r), unit(r)], None) {
        let _ = check::check(&m.report);
    }
}

struct Kind {
    name: &'static str,
    /// The name `--kind` selects it by.
    id: &'static str,
    /// Each seed with the file suffix it is opened under.
    seeds: Vec<(&'static str, Vec<u8>)>,
    via: Via,
    /// The XML part that every other input mutates inside its zip.
    zip_part: Option<&'static str>,
}

/// How a kind's inputs enter nianbao.
#[derive(Clone, Copy, PartialEq)]
enum Via {
    /// Parsed as a draft, then the whole pipeline.
    Draft,
    /// Imported as a published report, then the whole pipeline.
    Import,
    /// Written to a file and opened in the headless editor as a clerk
    /// would, then every part drawn.
    Editor,
    /// Written to a file and read as a request ledger: every sheet's
    /// header found, counted, put into 表三 and checked.
    Ledger,
}

/// A report's text as some portals and converters copy it: the cells of a
/// table row run together (`新收申请数量21710000218`), so the importer's
/// repair by the table equations meets every input the mutator derives.
fn glued(text: &[u8]) -> Vec<u8> {
    let s = String::from_utf8_lossy(text);
    let mut out = String::with_capacity(s.len());
    for line in s.lines() {
        let c: Vec<char> = line.chars().collect();
        for (i, &ch) in c.iter().enumerate() {
            let between_digits = ch.is_whitespace()
                && c[..i].last().is_some_and(char::is_ascii_digit)
                && c[i + 1..]
                    .iter()
                    .find(|x| !x.is_whitespace())
                    .is_some_and(char::is_ascii_digit);
            if !between_digits {
                out.push(ch);
            }
        }
        out.push('\n');
    }
    out.into_bytes()
}

fn seeds(root: &Path) -> Vec<Kind> {
    let read = |p: PathBuf| std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let published = root.join("tests/fixtures/published");
    let sample = nianbao::sample::example_report();
    let mut drafts = vec![
        draft::to_string(&sample).into_bytes(),
        read(root.join("assets/sample.nianbao")),
    ];
    let bad = root.join("tests/fixtures/bad-input");
    if let Ok(dir) = std::fs::read_dir(&bad) {
        drafts.extend(
            dir.flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "nianbao"))
                .map(|e| read(e.path())),
        );
    }
    let template = root.join("tests/fixtures/template/samples");
    let xunyang = read(published.join("2023-xunyang-district.txt"));
    let luozhuang = read(published.join("2023-luozhuang-civil-affairs.txt"));
    let texts = vec![
        luozhuang.clone(),
        xunyang.clone(),
        export::export_text(&sample).into_bytes(),
        // The template filled and printed, as `pdftotext -layout` and PDF
        // viewers copy it: labels wrapped, numbers beside them.
        read(template.join("000-layout.txt")),
        read(template.join("003-layout.txt")),
    ];
    let pages = vec![
        read(published.join("2023-pingtan-zone.html")),
        export::export_html(&sample).into_bytes(),
    ];
    let with = |ext: &'static str, v: &[Vec<u8>]| -> Vec<(&'static str, Vec<u8>)> {
        v.iter().map(|b| (ext, b.clone())).collect()
    };
    let mut editor = with("nianbao", &drafts);
    editor.extend(with("txt", &texts));
    editor.extend(with("html", &pages));
    vec![
        Kind {
            name: "草稿",
            id: "draft",
            seeds: with("nianbao", &drafts),
            via: Via::Draft,
            zip_part: None,
        },
        Kind {
            name: "文本",
            id: "text",
            seeds: with("txt", &texts),
            via: Via::Import,
            zip_part: None,
        },
        Kind {
            name: "粘连文本",
            id: "glued",
            // Every text report with the cells of each row run together:
            // the repair by the table equations on every input.
            seeds: [
                luozhuang,
                xunyang,
                export::export_text(&sample).into_bytes(),
            ]
            .iter()
            .map(|t| ("txt", glued(t)))
            .collect(),
            via: Via::Import,
            zip_part: None,
        },
        Kind {
            name: "网页",
            id: "html",
            seeds: with("html", &pages),
            via: Via::Import,
            zip_part: None,
        },
        Kind {
            name: "Word",
            id: "word",
            seeds: with(
                "docx",
                &[
                    read(published.join("2023-pingtan-zone.docx")),
                    export::export_docx(&sample),
                    read(template.join("000.docx")),
                    // A file a reviewer already commented on: comments.xml,
                    // its relationship and markers present.
                    annotated(&export::export_docx(&sample)),
                    // Tracked changes and a nested table.
                    revised(&export::export_docx(&sample)),
                    revised(&read(published.join("2023-pingtan-zone.docx"))),
                ],
            ),
            via: Via::Import,
            zip_part: Some("word/document.xml"),
        },
        Kind {
            name: "PDF",
            id: "pdf",
            seeds: with(
                "pdf",
                &[
                    read(published.join("2024-huaian-city.pdf")),
                    read(published.join("2023-pingtan-zone.pdf")),
                    // Ruled tables read by their lines (lattice).
                    read(template.join("000.pdf")),
                    read(template.join("003.pdf")),
                ],
            ),
            via: Via::Import,
            zip_part: None,
        },
        Kind {
            name: "界面",
            id: "gui",
            seeds: editor,
            via: Via::Editor,
            zip_part: None,
        },
        Kind {
            name: "台账",
            id: "ledger",
            // The generated ledger, and the family kept as agencies keep
            // them: workbooks of many sheets, 汇总 sheets of formulas,
            // dates without a year, merged cells, .ods.
            seeds: [
                ("xlsx", "ledger-2025.xlsx"),
                ("xls", "ledger-2025.xls"),
                ("csv", "ledger-2025-gbk.csv"),
                ("xlsx", "family/city-2025.xlsx"),
                ("xlsx", "family/district-2025.xlsx"),
                ("ods", "family/county-2025.ods"),
                ("xls", "family/bureau-2025.xls"),
                ("csv", "family/township-2025-gbk.csv"),
            ]
            .into_iter()
            .map(|(ext, file)| (ext, read(root.join("tests/fixtures/ledger").join(file))))
            .collect(),
            via: Via::Ledger,
            zip_part: Some("xl/worksheets/sheet1.xml"),
        },
    ]
}

/// Read a ledger as 从台账统计表三 does: the whole workbook, the sheets the
/// plan picks, counted into 表三 and checked. True when a sheet was counted.
fn count_ledger(path: &Path) -> bool {
    let sheets = match ledger::read_path(path) {
        Ok(s) => s,
        Err(e) => {
            assert!(e.chars().count() < 400, "message too long");
            return false;
        }
    };
    let memory = ledger::Memory::default();
    let plans = ledger::plan(&sheets, &memory);
    if !plans.iter().any(|p| p.counted) {
        return false;
    }
    let c = ledger::count(&sheets, &plans, 2025, &memory);
    let _ = c.summary();
    let mut r = Report::new("甲", 2025);
    let source = ledger::Source {
        file: "台账".into(),
        date: "2026-01-05".into(),
        rows: c.rows_read,
    };
    ledger::apply(&mut r, &c, source);
    let bad: Vec<_> = check::check(&r)
        .into_iter()
        .filter(|f| ["R1", "R2", "R3", "R4"].contains(&f.rule))
        .collect();
    assert!(bad.is_empty(), "a counted ledger always balances: {bad:?}");
    true
}

/// The editor, headless (no display, no GPU), as the GUI tests build it,
/// but drawing an empty box for a character no font has, as the real app
/// does: mutated bytes become Arabic, Hangul or private-use characters that
/// no report contains. What real reports contain is covered by the font
/// test in `tests/gui.rs`.
fn editor() -> Harness<'static, AppState> {
    Harness::builder()
        .allow_missing_glyphs()
        .with_size([1366.0, 768.0])
        .with_context_setup(gui::fonts::install)
        .build_ui_state(
            gui::ui_root,
            AppState::new(Box::new(NoDialogs::default()), None),
        )
}

/// Open one input in the editor through the same path as 文件 → 打开 and
/// draw every part of it, with a message or a report either way. True when
/// it opened as a report.
fn in_editor(h: &mut Harness<'static, AppState>, path: &Path) -> bool {
    h.state_mut().modal = None;
    h.state_mut().open_path(path);
    for p in Part::ALL {
        h.state_mut().part = p;
        h.step();
    }
    match &h.state().modal {
        Some(Modal::Message { title, text }) => {
            assert!(text.chars().count() < 400, "message too long");
            title == "导入完成"
        }
        _ => h.state().doc.path.as_deref() == Some(path),
    }
}

fn peak_rss_mb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace()
        .nth(1)?
        .parse::<u64>()
        .ok()
        .map(|kb| kb / 1024)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str, default: u64| -> u64 {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let inputs = arg("--inputs", 20_000);
    let only: Option<Vec<String>> = args
        .iter()
        .position(|a| a == "--kind")
        .and_then(|i| args.get(i + 1))
        .map(|v| v.split(',').map(|k| k.trim().to_lowercase()).collect());
    let seconds = arg("--seconds", 120);
    let mut rng = Rng(arg("--seed", 0x9e37_79b9_7f4a_7c15).max(1));
    // `--replay FILE`: run one saved input (from target/fuzz-failures)
    // through the chosen kinds instead of mutations.
    let replay: Option<Vec<u8>> = args
        .iter()
        .position(|a| a == "--replay")
        .and_then(|i| args.get(i + 1))
        .map(|f| std::fs::read(f).unwrap_or_else(|e| panic!("{f}: {e}")));
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let failures = root.join("target/fuzz-failures");
    let tmp = tempfile::tempdir().expect("a temporary folder");
    // Panics are counted and reported here, not printed one by one: each
    // distinct place once, with its message and how often it was hit.
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let mut seen = PANICS.lock().unwrap_or_else(|e| e.into_inner());
        *seen.entry(format!("{place}: {msg}")).or_insert(0) += 1;
    }));
    let mut kinds = seeds(&root);
    if let Some(only) = &only {
        kinds.retain(|k| only.iter().any(|o| o == k.id));
        if kinds.is_empty() {
            eprintln!(
                "--kind 只能是 draft、text、html、word、pdf、gui、ledger（可用逗号分隔几种）"
            );
            std::process::exit(2);
        }
    }
    let per_kind = Duration::from_secs(seconds) / kinds.len() as u32;
    let mut bad = 0usize;
    let mut hungriest = (peak_rss_mb().unwrap_or(0), String::from("启动"));
    for kind in &kinds {
        let start = Instant::now();
        let (mut n, mut panics, mut slow, mut worst) = (0u64, 0u64, 0u64, Duration::ZERO);
        let mut read = 0u64;
        let mut editor_h = None;
        while n < inputs && start.elapsed() < per_kind {
            let (ext, seed) = &kind.seeds[below(&mut rng, kind.seeds.len())];
            let input = match (&replay, kind.zip_part) {
                (Some(bytes), _) => bytes.clone(),
                (None, Some(part)) if n % 2 == 0 => mutate_in_zip(&mut rng, seed, part),
                _ => mutate(&mut rng, seed),
            };
            let depth = Depth::of(n);
            let t = Instant::now();
            let ok = if kind.via == Via::Editor {
                let file = tmp.path().join(format!("打开.{ext}"));
                let _ = std::fs::write(&file, &input);
                let h = editor_h.get_or_insert_with(editor);
                let r =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| in_editor(h, &file)));
                if r.is_err() {
                    // A frame that panicked leaves the context mid-frame.
                    editor_h = None;
                }
                r
            } else if kind.via == Via::Ledger {
                let file = tmp.path().join(format!("台账.{ext}"));
                let _ = std::fs::write(&file, &input);
                std::panic::catch_unwind(|| count_ledger(&file))
            } else {
                std::panic::catch_unwind(|| pipeline(&input, kind.via, depth, tmp.path()))
            };
            read += u64::from(matches!(ok, Ok(true)));
            let ok = ok.is_ok();
            let took = t.elapsed();
            worst = worst.max(took);
            // An input that raises the peak memory by over 64 MB is kept
            // (the last such per kind), so it can be looked at.
            let peak = peak_rss_mb().unwrap_or(0);
            if peak > hungriest.0 + 64 {
                let _ = std::fs::create_dir_all(&failures);
                let _ = std::fs::write(failures.join(format!("memory-{}.bin", kind.id)), &input);
                hungriest = (peak, format!("{} 第 {n} 个输入", kind.name));
            }
            if !ok || took > SLOW {
                if ok {
                    slow += 1
                } else {
                    panics += 1
                }
                let _ = std::fs::create_dir_all(&failures);
                let name = format!(
                    "{}-{}-{n}.bin",
                    if ok { "slow" } else { "panic" },
                    kind.name
                );
                let _ = std::fs::write(failures.join(name), &input);
            }
            n += 1;
            if n % 50_000 == 0 {
                eprintln!(
                    "{}：已 {n} 个，{:.0} 秒，最慢 {:.0} ms，崩溃 {panics}，超时 {slow}",
                    kind.name,
                    start.elapsed().as_secs_f64(),
                    worst.as_secs_f64() * 1000.0
                );
            }
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{}：{n} 个输入（读成报告 {read} 个，其余被拒绝并说明原因），{:.0} 个/秒，最慢 {:.0} ms，崩溃 {panics}，超时 {slow}",
            kind.name,
            n as f64 / secs,
            worst.as_secs_f64() * 1000.0
        );
        bad += (panics + slow) as usize;
    }
    if let Some(mb) = peak_rss_mb() {
        println!("内存峰值：{mb} MB（最近一次大幅上升：{}）", hungriest.1);
    }
    let panics = PANICS.lock().unwrap_or_else(|e| e.into_inner());
    for (place, n) in panics.iter().take(20) {
        let place: String = place.chars().take(300).collect();
        println!("崩溃位置（{n} 次）：{place}");
    }
    if panics.len() > 20 {
        println!("……另有 {} 处崩溃位置", panics.len() - 20);
    }
    if bad > 0 {
        println!(
            "失败：{bad} 个输入崩溃或超时，已保存在 {}",
            failures.display()
        );
        std::process::exit(1);
    }
    println!("全部通过");
}
