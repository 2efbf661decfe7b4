//! Autosave copies for crash recovery, and the recent-files list, kept in
//! the user's data folder — never over the user's own file. No drawing here.

use crate::draft;
use crate::report::Report;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// How often a recovery copy is written while there are unsaved changes.
pub const AUTOSAVE_SECS: u64 = 30;

/// The per-user data folder (e.g. `~/.local/share/nianbao`).
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("cn", "nianbao", "nianbao").map(|p| p.data_dir().to_path_buf())
}

#[derive(Serialize, Deserialize)]
struct RecoveryFile {
    /// The draft this copy belongs to; `None` for a never-saved report.
    original: Option<PathBuf>,
    report: Report,
}

/// A recovery copy found on start.
#[derive(Clone, Debug)]
pub struct Recovery {
    pub copy: PathBuf,
    pub original: Option<PathBuf>,
    pub report: Report,
    pub written: SystemTime,
}

pub struct Store {
    dir: PathBuf,
    /// This session's copy; one per running editor.
    current: PathBuf,
}

impl Store {
    pub fn new(data_dir: &Path) -> Self {
        let dir = data_dir.join("recovery");
        let stamp = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        let current = dir.join(format!("session-{}-{stamp}.ron", std::process::id()));
        Store { dir, current }
    }

    /// Write the recovery copy (atomically; it is our own file).
    pub fn write(&self, report: &Report, original: Option<&Path>) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let rf = RecoveryFile {
            original: original.map(Path::to_path_buf),
            report: report.clone(),
        };
        let text = ron::ser::to_string(&rf).map_err(std::io::Error::other)?;
        draft::write_atomic(&self.current, text.as_bytes())
            .map_err(|e| std::io::Error::other(e.to_string()))
    }

    /// Remove this session's copy (after a save or a normal close).
    pub fn clear(&self) {
        let _ = std::fs::remove_file(&self.current);
    }

    pub fn current_path(&self) -> &Path {
        &self.current
    }

    /// Copies left by earlier sessions that are worth offering: newer than
    /// the file they belong to, or belonging to a never-saved report.
    pub fn pending(&self) -> Vec<Recovery> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for e in entries.flatten() {
            let p = e.path();
            if p == self.current || p.extension().is_none_or(|x| x != "ron") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&p) else {
                continue;
            };
            let Ok(rf) = ron::from_str::<RecoveryFile>(&text) else {
                continue;
            };
            let written = e
                .metadata()
                .and_then(|m| m.modified())
                .unwrap_or(SystemTime::UNIX_EPOCH);
            let newer = match &rf.original {
                None => true,
                Some(orig) => std::fs::metadata(orig)
                    .and_then(|m| m.modified())
                    .map(|m| written > m)
                    .unwrap_or(true),
            };
            if newer {
                out.push(Recovery {
                    copy: p,
                    original: rf.original,
                    report: rf.report,
                    written,
                });
            } else {
                let _ = std::fs::remove_file(&p);
            }
        }
        out.sort_by_key(|r| std::cmp::Reverse(r.written));
        out
    }
}

/// Discard a recovery copy the user declined.
pub fn discard(r: &Recovery) {
    let _ = std::fs::remove_file(&r.copy);
}

/// The recent drafts: newest first, at most ten, missing files dropped.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Recent(pub Vec<PathBuf>);

impl Recent {
    pub const MAX: usize = 10;

    pub fn add(&mut self, p: &Path) {
        let p = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        self.0.retain(|x| *x != p);
        self.0.insert(0, p);
        self.0.truncate(Self::MAX);
    }

    pub fn existing(&mut self) -> &[PathBuf] {
        self.0.retain(|p| p.exists());
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_is_offered_until_saved() {
        let dir = tempfile::tempdir().unwrap();
        let s1 = Store::new(dir.path());
        let r = crate::sample::filled_report("甲", 2023, 1);
        s1.write(&r, None).unwrap();
        // The next start sees it.
        let s2 = Store::new(dir.path());
        let p = s2.pending();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].report, r);
        discard(&p[0]);
        assert!(s2.pending().is_empty());
    }

    #[test]
    fn copy_older_than_its_file_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let draft_path = dir.path().join("a.nianbao");
        let s1 = Store::new(dir.path());
        s1.write(&Report::new("甲", 2023), Some(&draft_path))
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        crate::draft::save(&Report::new("甲", 2023), &draft_path).unwrap();
        assert!(Store::new(dir.path()).pending().is_empty());
    }

    #[test]
    fn recent_keeps_ten_and_drops_missing() {
        let dir = tempfile::tempdir().unwrap();
        let mut r = Recent::default();
        for i in 0..12 {
            let p = dir.path().join(format!("{i}.nianbao"));
            std::fs::write(&p, "x").unwrap();
            r.add(&p);
        }
        assert_eq!(r.0.len(), 10);
        assert!(r.0[0].ends_with("11.nianbao"));
        std::fs::remove_file(dir.path().join("11.nianbao")).unwrap();
        assert_eq!(r.existing().len(), 9);
    }
}
