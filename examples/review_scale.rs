//! How `review` scales: N reports of mixed formats (the fixtures exported
//! to every format nianbao reads, copied), read and checked on all cores.
//!
//! ```sh
//! cargo run --release --example review_scale -- 100 1000 10000
//! ```

use nianbao::{export, import, review};
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![100, 1000]
    } else {
        sizes
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/published");
    // One report per source format: the real fixtures plus our own Word and PDF.
    let mut seeds: Vec<(String, Vec<u8>)> = std::fs::read_dir(&root)
        .expect("fixtures")
        .flatten()
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect();
    let sample = nianbao::sample::example_report();
    seeds.push(("own.docx".into(), export::export_docx(&sample)));
    seeds.push(("own.pdf".into(), export::export_pdf(&sample).expect("pdf")));
    seeds.push(("own.html".into(), export::export_html(&sample).into_bytes()));
    seeds.push((
        "own.nianbao".into(),
        nianbao::draft::to_string(&sample).into_bytes(),
    ));
    assert!(
        seeds
            .iter()
            .all(|(n, b)| n.ends_with(".nianbao") || import::import_bytes(b).is_ok())
    );
    for n in sizes {
        let dir = tempfile::tempdir().expect("temp dir");
        for i in 0..n {
            let (name, bytes) = &seeds[i % seeds.len()];
            std::fs::write(dir.path().join(format!("{i:05}-{name}")), bytes).expect("write");
        }
        let files = review::collect(&[dir.path().to_path_buf()]);
        let t = Instant::now();
        let b = review::review(&files, &Default::default(), &|| {}, &AtomicBool::new(false));
        let secs = t.elapsed().as_secs_f64();
        let html = review::html(&b);
        println!(
            "{n} 份（{} 种格式）：{secs:.2} s，每份 {:.1} ms，审核页 {} KB",
            seeds.len(),
            secs * 1000.0 / n as f64,
            html.len() / 1024
        );
    }
}
