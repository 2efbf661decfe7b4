//! The open document: the report, where it lives, whether it is saved, its
//! findings (recomputed on change, not every frame) and a bounded
//! document-level undo history. No drawing here.

use crate::check::{Finding, Severity};
use crate::report::Report;
use crate::schema::{self, FieldIdx};
use std::collections::HashMap;
use std::path::PathBuf;

/// How many undo steps are kept.
pub const HISTORY_LIMIT: usize = 200;

/// What an edit touched; consecutive edits of the same key merge into one
/// undo step (typing "123" into a cell is one step, not three).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditKey {
    Cell(FieldIdx),
    Text(&'static str),
    Subsection(usize, bool),
    Meta(&'static str),
    /// Never merges: a paste, an import, a quote of last year's text.
    Block,
}

/// The findings that touch one cell.
#[derive(Clone, Debug, Default)]
pub struct CellFindings {
    /// The worst severity of the findings that outline the cell. Blanks
    /// (R6) are listed table by table and do not outline every empty cell.
    pub outline: Option<Severity>,
    pub messages: Vec<String>,
}

pub struct Document {
    pub report: Report,
    pub path: Option<PathBuf>,
    /// Findings of the importer, kept beside the rule findings until the
    /// clerk saves the draft.
    pub import_findings: Vec<Finding>,
    pub findings: Vec<Finding>,
    /// Per cell: what its outline and tooltip say.
    pub cell_findings: HashMap<FieldIdx, CellFindings>,
    undo: Vec<(Report, EditKey)>,
    redo: Vec<Report>,
    last_key: Option<EditKey>,
    /// Increases on every change; `saved_generation` is its value at the last save.
    generation: u64,
    saved_generation: u64,
}

impl Document {
    pub fn new(report: Report, path: Option<PathBuf>) -> Self {
        let mut d = Document {
            report,
            path,
            import_findings: Vec::new(),
            findings: Vec::new(),
            cell_findings: HashMap::new(),
            undo: Vec::new(),
            redo: Vec::new(),
            last_key: None,
            generation: 0,
            saved_generation: 0,
        };
        d.recheck();
        d
    }

    /// A document that has never been saved and holds content (an import,
    /// a new year, a merge): it starts out unsaved.
    pub fn unsaved(report: Report, import_findings: Vec<Finding>) -> Self {
        let mut d = Document::new(report, None);
        d.import_findings = import_findings;
        d.generation = 1;
        d.recheck();
        d
    }

    pub fn is_dirty(&self) -> bool {
        self.generation != self.saved_generation
    }

    pub fn mark_saved(&mut self, path: PathBuf) {
        self.path = Some(path);
        self.saved_generation = self.generation;
        self.import_findings.clear();
        self.last_key = None;
        self.recheck();
    }

    /// The file name shown in the title, or 未命名.
    pub fn display_name(&self) -> String {
        self.path
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "未命名".into())
    }

    /// Apply an edit as one undo step (merged with the previous one when
    /// it touches the same thing).
    pub fn edit(&mut self, key: EditKey, f: impl FnOnce(&mut Report)) {
        let before = self.report.clone();
        f(&mut self.report);
        if self.report == before {
            return;
        }
        let merge = key != EditKey::Block && self.last_key.as_ref() == Some(&key);
        if !merge {
            self.undo.push((before, key.clone()));
            if self.undo.len() > HISTORY_LIMIT {
                self.undo.remove(0);
            }
        }
        self.last_key = Some(key);
        self.redo.clear();
        self.generation += 1;
        self.recheck();
    }

    /// End merging: the next edit starts a new undo step (focus moved).
    pub fn break_merge(&mut self) {
        self.last_key = None;
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub fn undo(&mut self) -> bool {
        let Some((prev, _)) = self.undo.pop() else {
            return false;
        };
        self.redo.push(std::mem::replace(&mut self.report, prev));
        self.after_history_move();
        true
    }

    pub fn redo(&mut self) -> bool {
        let Some(next) = self.redo.pop() else {
            return false;
        };
        let before = std::mem::replace(&mut self.report, next);
        self.undo.push((before, EditKey::Block));
        self.after_history_move();
        true
    }

    fn after_history_move(&mut self) {
        self.last_key = None;
        self.generation += 1;
        self.recheck();
    }

    /// Recompute findings: import findings first, then the rules.
    pub fn recheck(&mut self) {
        let all = crate::check::with_import(&self.report, &self.import_findings);
        self.cell_findings.clear();
        for f in &all {
            for id in &f.cells {
                if let Some(idx) = schema::field_by_id(id) {
                    let e = self.cell_findings.entry(idx).or_default();
                    if f.rule != "R6" && f.severity != Severity::Info {
                        e.outline = Some(e.outline.map_or(f.severity, |s| s.min(f.severity)));
                    }
                    e.messages.push(format!("{}：{}", f.rule, f.message));
                }
            }
        }
        self.findings = all;
    }

    pub fn count(&self, s: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == s).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cell::Cell;
    use crate::schema::TableId;

    #[test]
    fn edits_merge_per_key_and_undo_redo() {
        let mut d = Document::new(Report::new("甲", 2023), None);
        assert!(!d.is_dirty());
        let f = schema::idx(TableId::Requests, "new", "natural_person");
        let g = schema::idx(TableId::Requests, "new", "commercial");
        d.edit(EditKey::Cell(f), |r| r.tables.set(f, Cell::Count(1)));
        d.edit(EditKey::Cell(f), |r| r.tables.set(f, Cell::Count(12)));
        d.edit(EditKey::Cell(g), |r| r.tables.set(g, Cell::Count(3)));
        assert!(d.is_dirty());
        assert!(d.undo());
        assert_eq!(d.report.tables.get(g), &Cell::Blank);
        assert_eq!(d.report.tables.get(f), &Cell::Count(12));
        assert!(d.undo());
        assert_eq!(
            d.report.tables.get(f),
            &Cell::Blank,
            "typing into one cell is one step"
        );
        assert!(!d.undo());
        assert!(d.redo());
        assert_eq!(d.report.tables.get(f), &Cell::Count(12));
    }

    #[test]
    fn history_is_bounded() {
        let mut d = Document::new(Report::new("甲", 2023), None);
        for i in 0..(HISTORY_LIMIT as u64 + 50) {
            let f = schema::leaves()[(i % 100) as usize];
            d.edit(EditKey::Block, |r| r.tables.set(f, Cell::Count(i)));
        }
        let mut n = 0;
        while d.undo() {
            n += 1;
        }
        assert_eq!(n, HISTORY_LIMIT);
    }
}
