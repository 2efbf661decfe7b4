//! A stable-Rust fuzz campaign kept in the project: mutate drafts and
//! published reports (text, HTML, Word, PDF), drive each through the whole
//! pipeline in process, and fail on any panic or any input slower than 2 s.
//!
//! ```sh
//! cargo run --release --example fuzz -- --inputs 20000 --seconds 120
//! cargo run --release --example fuzz -- --inputs 1000000 --seconds 36000   # the long run
//! ```
//!
//! Inputs that panic or run slow are written to `target/fuzz-failures/`.

use nianbao::report::Report;
use nianbao::{check, draft, export, import, year};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const SLOW: Duration = Duration::from_secs(2);

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

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut b = seed.to_vec();
    for _ in 0..=below(rng, 8) {
        let len = b.len().max(1);
        match below(rng, 7) {
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

/// A Word file whose `document.xml` is mutated inside an intact zip, so
/// the XML reader (not only the zip reader) meets broken input.
fn mutate_docx(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    use std::io::{Read, Write};
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(seed)) else {
        return mutate(rng, seed);
    };
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let Ok(mut f) = zip.by_index(i) else { continue };
        let name = f.name().to_string();
        let mut data = Vec::new();
        if f.read_to_end(&mut data).is_err() {
            continue;
        }
        if name == "word/document.xml" {
            data = mutate(rng, &data);
        }
        let opts = zip::write::SimpleFileOptions::default();
        if out.start_file(name, opts).is_ok() {
            let _ = out.write_all(&data);
        }
    }
    out.finish().map(|c| c.into_inner()).unwrap_or_default()
}

/// Everything a clerk can do with a report, in process.
fn pipeline(bytes: &[u8], as_draft: bool, pdf_too: bool, tmp: &Path) {
    let report = if as_draft {
        match std::str::from_utf8(bytes) {
            Ok(t) => match draft::from_str(t, Path::new("x.nianbao")) {
                Ok(r) => r,
                Err(e) => {
                    assert!(e.to_string().chars().count() < 400, "message too long");
                    return;
                }
            },
            Err(_) => return,
        }
    } else {
        match import::import_bytes(bytes) {
            Ok(i) => i.report,
            Err(e) => {
                assert!(e.to_string().chars().count() < 400, "message too long");
                return;
            }
        }
    };
    use_report(&report, pdf_too, tmp);
}

fn use_report(r: &Report, pdf_too: bool, tmp: &Path) {
    let _ = check::check(r);
    for f in export::Format::ALL {
        if f != export::Format::Pdf || pdf_too {
            let _ = f.render(r);
        }
    }
    let p = tmp.join("f.nianbao");
    if draft::save(r, &p).is_ok() {
        let back = draft::load(&p).expect("a saved draft loads");
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
    seeds: Vec<Vec<u8>>,
    draft: bool,
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
    vec![
        Kind {
            name: "草稿",
            seeds: drafts,
            draft: true,
        },
        Kind {
            name: "文本",
            seeds: vec![
                read(published.join("2023-luozhuang-civil-affairs.txt")),
                read(published.join("2023-xunyang-district.txt")),
                export::export_text(&sample).into_bytes(),
            ],
            draft: false,
        },
        Kind {
            name: "网页",
            seeds: vec![
                read(published.join("2023-pingtan-zone.html")),
                export::export_html(&sample).into_bytes(),
            ],
            draft: false,
        },
        Kind {
            name: "Word",
            seeds: vec![
                read(published.join("2023-pingtan-zone.docx")),
                export::export_docx(&sample),
            ],
            draft: false,
        },
        Kind {
            name: "PDF",
            seeds: vec![
                read(published.join("2024-huaian-city.pdf")),
                read(published.join("2023-pingtan-zone.pdf")),
            ],
            draft: false,
        },
    ]
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
    let seconds = arg("--seconds", 120);
    let mut rng = Rng(arg("--seed", 0x9e37_79b9_7f4a_7c15).max(1));
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let failures = root.join("target/fuzz-failures");
    let tmp = tempfile::tempdir().expect("a temporary folder");
    // Panics are counted and reported here, not printed one by one.
    std::panic::set_hook(Box::new(|_| {}));
    let kinds = seeds(&root);
    let per_kind = Duration::from_secs(seconds) / kinds.len() as u32;
    let mut bad = 0usize;
    for kind in &kinds {
        let start = Instant::now();
        let (mut n, mut panics, mut slow, mut worst) = (0u64, 0u64, 0u64, Duration::ZERO);
        while n < inputs && start.elapsed() < per_kind {
            let seed = &kind.seeds[below(&mut rng, kind.seeds.len())];
            let input = if kind.name == "Word" && n % 2 == 0 {
                mutate_docx(&mut rng, seed)
            } else {
                mutate(&mut rng, seed)
            };
            let pdf_too = n % 500 == 0;
            let t = Instant::now();
            let ok = std::panic::catch_unwind(|| pipeline(&input, kind.draft, pdf_too, tmp.path()))
                .is_ok();
            let took = t.elapsed();
            worst = worst.max(took);
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
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{}：{n} 个输入，{:.0} 个/秒，最慢 {:.0} ms，崩溃 {panics}，超时 {slow}",
            kind.name,
            n as f64 / secs,
            worst.as_secs_f64() * 1000.0
        );
        bad += (panics + slow) as usize;
    }
    if let Some(mb) = peak_rss_mb() {
        println!("内存峰值：{mb} MB");
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
