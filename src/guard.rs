//! Running third-party parsers on untrusted files without letting a panic
//! in them take the program down or print a backtrace at the clerk.
//!
//! The PDF stack (`lopdf`, `pdf-extract`) has `unwrap`s on malformed input.
//! Such a panic is caught, turned into a Chinese message by the caller, and
//! not printed: the panic hook stays silent for the calling thread only.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

static HOOK: Once = Once::new();

/// Run `f`; a panic inside it gives `None` and prints nothing.
pub fn quiet_panics<R>(f: impl FnOnce() -> R) -> Option<R> {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let out = panic::catch_unwind(AssertUnwindSafe(f)).ok();
    QUIET.with(|q| q.set(was));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_none_and_later_panics_still_report() {
        assert_eq!(quiet_panics(|| 5), Some(5));
        let r: Option<()> = quiet_panics(|| panic!("boom"));
        assert_eq!(r, None);
        assert!(!QUIET.with(Cell::get));
    }
}
