//! 从登记台账统计表三: the ledger in a window, in three steps on one page.
//!
//! 1. The sheet and the column mapping: a preview of the first rows under
//!    the header, with a drop-down per column (remembered per header
//!    layout, so next year it is one click).
//! 2. The rows the counter could not place, each with a drop-down; a choice
//!    is remembered for identical text.
//! 3. The counts beside the current 表三, differences highlighted; 填入
//!    applies them as one undo step and records the ledger in 基本信息.

use super::app::AppState;
use super::document::EditKey;
use crate::ledger::{self, Counted, Field, Header, Mapping, Memory, Sheet};
use crate::schema::{self, REQUEST_COLUMNS, TableId};
use egui::{Color32, RichText, Ui};
use std::path::PathBuf;

pub struct LedgerView {
    pub path: PathBuf,
    pub sheets: Vec<Sheet>,
    pub sheet: usize,
    pub header: Option<Header>,
    pub mapping: Mapping,
    pub memory: Memory,
    pub counted: Option<Counted>,
    /// Where the memory is kept; `None` in tests.
    memory_path: Option<PathBuf>,
}

impl LedgerView {
    /// Read a ledger; an unreadable one gives a Chinese message.
    pub fn open(path: &std::path::Path, memory_path: Option<PathBuf>) -> Result<Self, String> {
        let sheets = ledger::read_path(path)?;
        let memory = memory_path
            .as_deref()
            .map(ledger::load_memory)
            .unwrap_or_default();
        let mut v = LedgerView {
            path: path.to_path_buf(),
            sheets,
            sheet: 0,
            header: None,
            mapping: Mapping::new(),
            memory,
            counted: None,
            memory_path,
        };
        v.select_sheet(0);
        Ok(v)
    }

    pub fn select_sheet(&mut self, i: usize) {
        self.sheet = i.min(self.sheets.len().saturating_sub(1));
        self.header = ledger::find_header(&self.sheets[self.sheet].rows);
        self.mapping = self
            .header
            .as_ref()
            .map(|h| {
                self.memory
                    .mapping_for(&h.cells)
                    .unwrap_or_else(|| ledger::auto_map(&h.cells))
            })
            .unwrap_or_default();
        self.counted = None;
    }

    /// Count with the current mapping and remembered decisions.
    pub fn count(&mut self, year: i32) {
        let Some(h) = &self.header else { return };
        self.memory.remember_mapping(&h.cells, &self.mapping);
        self.counted = Some(ledger::count(
            &self.sheets[self.sheet],
            h,
            &self.mapping,
            year,
            &self.memory,
        ));
        self.save_memory();
    }

    fn save_memory(&self) {
        if let Some(p) = &self.memory_path {
            let _ = ledger::save_memory(p, &self.memory);
        }
    }

    /// The clerk decides an unclear text: remembered, then counted again.
    pub fn decide(&mut self, text: &str, choice: Choice, year: i32) {
        let key = crate::text::norm(&text.replace(" / ", ""));
        match choice {
            Choice::Applicant(c) => self.memory.applicants.insert(key, c.to_string()),
            Choice::Result(r) => self.memory.results.insert(key, r.to_string()),
        };
        self.count(year);
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    Applicant(&'static str),
    Result(&'static str),
}

/// Put the counts into the report as one undo step.
pub fn fill(state: &mut AppState, view: &LedgerView) {
    let Some(c) = &view.counted else { return };
    let source = ledger::Source {
        file: view
            .path
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        date: crate::date::today(),
        rows: c.rows_read,
    };
    state
        .doc
        .edit(EditKey::Block, |r| ledger::apply(r, c, source));
    state.doc.break_merge();
    state.part = super::Part::Requests;
    state.status = format!("已从台账填入表三（{} 行），可撤销", c.rows_counted);
}

fn field_combo(ui: &mut Ui, col: usize, mapping: &mut Mapping) {
    let current = mapping.iter().find(|(_, c)| **c == col).map(|(f, _)| *f);
    let text = current.map_or("（不用）", |f| f.label());
    let combo = egui::ComboBox::from_id_salt(("map", col))
        .selected_text(text)
        .width(96.0)
        .show_ui(ui, |ui| {
            if ui.selectable_label(current.is_none(), "（不用）").clicked()
                && let Some(f) = current
            {
                mapping.remove(&f);
            }
            for f in Field::ALL {
                if ui.selectable_label(current == Some(f), f.label()).clicked() {
                    mapping.retain(|_, c| *c != col);
                    mapping.insert(f, col);
                }
            }
        });
    let _ = combo
        .response
        .accessible_name(format!("第 {} 列的含义", col + 1));
}

pub fn window(ui: &mut Ui, state: &mut AppState) {
    let Some(mut view) = state.ledger.take() else {
        return;
    };
    let year = state.doc.report.meta.year;
    let mut open = true;
    let mut do_fill = false;
    egui::Window::new("从登记台账统计表三")
        .vscroll(true)
        .open(&mut open)
        .default_size([1000.0, 600.0])
        .show(ui.ctx(), |ui| {
            ui.label(format!("台账：{}    报告年度：{year}", view.path.display()));
            if view.sheets.len() > 1 {
                ui.horizontal(|ui| {
                    ui.label("工作表：");
                    let names: Vec<String> = view.sheets.iter().map(|s| s.name.clone()).collect();
                    for (i, n) in names.iter().enumerate() {
                        if ui.selectable_label(view.sheet == i, n).clicked() {
                            view.select_sheet(i);
                        }
                    }
                });
            }
            let Some(h) = view.header.clone() else {
                ui.colored_label(
                    Color32::from_rgb(200, 30, 30),
                    "没有找到表头（应有“申请人”“收到日期”“处理结果”等列名），请换一个工作表",
                );
                return;
            };
            ui.label(RichText::new("第一步：确认每一列的含义").strong());
            egui::ScrollArea::horizontal()
                .id_salt("ledger-preview")
                .show(ui, |ui| {
                    egui::Grid::new("ledger-map").striped(true).show(ui, |ui| {
                        for (c, name) in h.cells.iter().enumerate() {
                            ui.vertical(|ui| {
                                ui.label(RichText::new(name).strong());
                                field_combo(ui, c, &mut view.mapping);
                            });
                        }
                        ui.end_row();
                        let rows = &view.sheets[view.sheet].rows;
                        for r in rows
                            .iter()
                            .skip(h.row + 1)
                            .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
                            .take(5)
                        {
                            for c in 0..h.cells.len() {
                                ui.label(r.get(c).map(String::as_str).unwrap_or(""));
                            }
                            ui.end_row();
                        }
                    });
                });
            let ready = [Field::Applicant, Field::Received, Field::Result]
                .iter()
                .all(|f| view.mapping.contains_key(f));
            if ui.add_enabled(ready, egui::Button::new("统计")).clicked() {
                view.count(year);
            }
            if !ready {
                ui.label("“申请人”“收到日期”“处理结果”三列必须指定");
            }
            let Some(c) = view.counted.clone() else {
                return;
            };
            ui.separator();
            ui.label(format!(
                "读取 {} 行，计入 {} 行，其他年度 {} 行，需要确认 {} 行",
                c.rows_read,
                c.rows_counted,
                c.skipped.len(),
                c.unclear.len()
            ));
            if !c.unclear.is_empty() {
                ui.label(
                    RichText::new("第二步：逐行确认（选择后会记住，相同内容不再询问）").strong(),
                );
                egui::ScrollArea::vertical()
                    .id_salt("ledger-unclear")
                    .max_height(160.0)
                    .show(ui, |ui| {
                        for u in &c.unclear {
                            ui.horizontal(|ui| {
                                ui.label(format!("第 {} 行：{}（{}）", u.row, u.text, u.why));
                                let applicant = u.why.contains("申请人");
                                let combo = egui::ComboBox::from_id_salt(("decide", u.row))
                                    .selected_text("选择…")
                                    .show_ui(ui, |ui| {
                                        if applicant {
                                            for col in REQUEST_COLUMNS.iter().filter(|c| !c.derived)
                                            {
                                                if ui.selectable_label(false, col.label).clicked() {
                                                    view.decide(
                                                        &u.text,
                                                        Choice::Applicant(col.id),
                                                        year,
                                                    );
                                                }
                                            }
                                        } else if !u.why.contains("日期") {
                                            for row in
                                                schema::request_result_rows().filter(|r| !r.derived)
                                            {
                                                if ui
                                                    .selectable_label(
                                                        false,
                                                        schema::short_row_label(row.label),
                                                    )
                                                    .clicked()
                                                {
                                                    view.decide(
                                                        &u.text,
                                                        Choice::Result(row.id),
                                                        year,
                                                    );
                                                }
                                            }
                                        }
                                    });
                                let _ = combo
                                    .response
                                    .accessible_name(format!("第 {} 行的判断", u.row));
                            });
                        }
                    });
            }
            ui.label(RichText::new("第三步：核对后填入（橙色为与当前表三不同的格）").strong());
            egui::ScrollArea::vertical()
                .id_salt("ledger-counts")
                .max_height(260.0)
                .show(ui, |ui| {
                    egui::Grid::new("ledger-counts-grid")
                        .striped(true)
                        .show(ui, |ui| {
                            ui.label("");
                            for col in REQUEST_COLUMNS.iter().filter(|c| !c.derived) {
                                ui.label(RichText::new(col.label).strong());
                            }
                            ui.end_row();
                            for row in schema::REQUEST_ROWS.iter().filter(|r| !r.derived) {
                                ui.label(schema::short_row_label(row.label));
                                for col in REQUEST_COLUMNS.iter().filter(|c| !c.derived) {
                                    let n = c.get(row.id, col.id);
                                    let now = state.doc.report.tables.cell(
                                        TableId::Requests,
                                        row.id,
                                        col.id,
                                    );
                                    let same = now == &crate::cell::Cell::Count(n);
                                    let t = RichText::new(n.to_string());
                                    ui.label(if same {
                                        t
                                    } else {
                                        t.color(Color32::from_rgb(210, 110, 0)).strong()
                                    })
                                    .on_hover_text(format!(
                                        "当前表三：{}",
                                        if now.is_blank() {
                                            "空白".into()
                                        } else {
                                            now.display()
                                        }
                                    ));
                                }
                                ui.end_row();
                            }
                        });
                });
            ui.horizontal(|ui| {
                let ok = c.unclear.is_empty();
                if ui.add_enabled(ok, egui::Button::new("填入表三")).clicked() {
                    do_fill = true;
                }
                if !ok {
                    ui.label(format!("还有 {} 行需要确认", c.unclear.len()));
                }
            });
        });
    if do_fill {
        fill(state, &view);
        open = false;
    }
    if open {
        state.ledger = Some(view);
    }
}
