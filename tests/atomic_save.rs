//! Saves are atomic: a process killed at any moment while saving leaves the
//! draft as either the old or the new complete version, never a mix.
//!
//! The test re-runs its own binary as a child that saves two large reports
//! in turn, forever, and kills it (SIGKILL) at random moments, 200 times.

use nianbao::draft;
use nianbao::report::Report;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const CHILD_ENV: &str = "NIANBAO_SAVE_LOOP";

fn big(agency: &str, seed: u64) -> Report {
    let mut r = nianbao::sample::filled_report(agency, 2024, seed);
    // About 600 KB, so that a write takes long enough to be interrupted.
    r.narrative.problems = format!("{agency}的正文。").repeat(40_000);
    r
}

/// The child: save A and B alternately until killed.
#[test]
fn child_save_loop() {
    let Some(path) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let (a, b) = (big("甲", 1), big("乙", 2));
    loop {
        draft::save(&a, Path::new(&path)).unwrap();
        draft::save(&b, Path::new(&path)).unwrap();
    }
}

#[test]
fn killed_saves_leave_old_or_new_complete_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("报告.nianbao");
    let (a, b) = (big("甲", 1), big("乙", 2));
    draft::save(&a, &path).unwrap();
    let me = std::env::current_exe().unwrap();
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut seen = [0usize; 2];
    for round in 0..200 {
        let mut child = Command::new(&me)
            .args([
                "--exact",
                "child_save_loop",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_micros(2_000 + seed % 25_000));
        child.kill().unwrap();
        child.wait().unwrap();
        for p in [path.clone(), draft::backup_path(&path)] {
            if p != path && !p.exists() {
                continue; // no save has finished its backup yet
            }
            let r = draft::load(&p)
                .unwrap_or_else(|e| panic!("round {round}: {} unreadable: {e}", p.display()));
            assert!(
                r == a || r == b,
                "round {round}: {} is neither version",
                p.display()
            );
            if p == path {
                seen[usize::from(r == b)] += 1;
            }
        }
    }
    // Temporary files of killed saves may remain; they never replace the draft.
    assert_eq!(seen.iter().sum::<usize>(), 200);
}
