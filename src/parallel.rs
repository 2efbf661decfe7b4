//! Work spread over the machine's cores: a clerk's PC has two to eight, a
//! batch of reports or a PDF's pages keep them busy. Plain scoped threads,
//! no thread pool to start before the first frame.

/// Map over items on every core (reading thousands of drafts for a merge
/// is dominated by parsing, which is independent per file).
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(items.len().max(1));
    let chunk = items.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|c| s.spawn(|| c.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("worker finished"))
            .collect()
    })
}
