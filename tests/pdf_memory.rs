//! A clerk prints and exports PDFs all day in one window, and a reviewer
//! exports a batch in one process: memory must not grow with every PDF.
//! typst keeps its memoised layout in a process-wide cache; before
//! `export_pdf` evicted it, each export of a new report kept ~4.4 MB.
//! This file holds one test so that its process's resident memory is its
//! own.

fn resident_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}

#[test]
fn exporting_many_pdfs_does_not_keep_each_one() {
    let export = |i: u64| {
        let r = nianbao::sample::filled_report(&format!("某某局{i}"), 2024, i);
        nianbao::export::Format::Pdf.render(&r).unwrap()
    };
    // Warm up: fonts loaded, caches at their working size.
    for i in 0..20 {
        export(i);
    }
    let before = resident_mb();
    for i in 20..80 {
        assert!(export(i).starts_with(b"%PDF"));
    }
    let grown = resident_mb().saturating_sub(before);
    // Leaking, 60 exports kept about 260 MB.
    assert!(grown < 60, "60 PDF exports grew the process by {grown} MB");
}
