//! 从登记台账统计表三: the ledger in a window, in steps on one page.
//!
//! 1. The sheets: which hold requests (a 汇总 sheet and sheets of formulas
//!    are left out, with why), each with a check box; and the columns of the
//!    sheet picked, with a drop-down per column (remembered per header
//!    layout, so next year it is one click).
//! 2. The ledger's own checks, with row numbers.
//! 3. The rows the counter could not place, each with a drop-down; a choice
//!    is remembered for identical text.
//! 4. Every row of the ledger and what became of it, filterable, so any row
//!    can be checked before filling in.
//! 5. The counts beside the current 表三, differences highlighted; 填入
//!    applies them as one undo step and records the ledger in 基本信息.

use super::app::AppState;
use super::document::EditKey;
use crate::ledger::{self, Ask, Counted, Field, Memory, Outcome, Sheet, SheetPlan};
use crate::schema::{self, REQUEST_COLUMNS, TableId};
use egui::{Color32, RichText, Ui};
use egui_extras::{Column, TableBuilder};
use std::path::PathBuf;

/// Which rows the row list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowFilter {
    All,
    Counted,
    Unclear,
    OtherYear,
    Skipped,
}

impl RowFilter {
    const ALL: [RowFilter; 5] = [
        RowFilter::All,
        RowFilter::Counted,
        RowFilter::Unclear,
        RowFilter::OtherYear,
        RowFilter::Skipped,
    ];

    fn label(self) -> &'static str {
        match self {
            RowFilter::All => "全部",
            RowFilter::Counted => "计入",
            RowFilter::Unclear => "需要确认",
            RowFilter::OtherYear => "其他年度",
            RowFilter::Skipped => "跳过",
        }
    }

    fn keeps(self, o: &Outcome) -> bool {
        match self {
            RowFilter::All => true,
            RowFilter::Counted => matches!(o, Outcome::Counted { .. }),
            RowFilter::Unclear => matches!(o, Outcome::Unclear(_)),
            RowFilter::OtherYear => matches!(o, Outcome::OtherYear(_)),
            RowFilter::Skipped => matches!(o, Outcome::NotRequest(_) | Outcome::Repeated),
        }
    }
}

/// A counted row as the list shows it: place, what the row says, outcome.
pub struct ShownRow {
    pub sheet: String,
    pub row: usize,
    pub content: String,
    pub outcome: Outcome,
}

pub struct LedgerView {
    pub path: PathBuf,
    pub sheets: Vec<Sheet>,
    pub plans: Vec<SheetPlan>,
    /// The sheet whose columns are shown.
    pub sheet: usize,
    pub memory: Memory,
    pub counted: Option<Counted>,
    /// Every row read, with what the ledger says in it (built once a count).
    pub rows: Vec<ShownRow>,
    pub filter: RowFilter,
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
        let plans = ledger::plan(&sheets, &memory);
        let first = plans.iter().position(|p| p.counted).unwrap_or(0);
        Ok(LedgerView {
            path: path.to_path_buf(),
            sheets,
            plans,
            sheet: first,
            memory,
            counted: None,
            rows: Vec::new(),
            filter: RowFilter::All,
            memory_path,
        })
    }

    /// Every counted sheet has the columns a count needs.
    pub fn ready(&self) -> bool {
        self.plans.iter().any(|p| p.counted)
            && self
                .plans
                .iter()
                .filter(|p| p.counted)
                .all(|p| ledger::count::missing_fields(&p.mapping).is_empty())
    }

    /// Count with the current sheets, mappings and remembered decisions.
    pub fn count(&mut self, year: i32) {
        for p in self.plans.iter().filter(|p| p.counted) {
            if let Some(h) = &p.header {
                self.memory.remember_mapping(&h.cells, &p.mapping);
            }
        }
        let c = ledger::count(&self.sheets, &self.plans, year, &self.memory);
        self.rows = self.shown_rows(&c);
        self.counted = Some(c);
        if let Some(p) = &self.memory_path {
            let _ = ledger::save_memory(p, &self.memory);
        }
    }

    /// The rows with the cells that decided them, for the row list.
    fn shown_rows(&self, c: &Counted) -> Vec<ShownRow> {
        let by_name: std::collections::HashMap<&str, usize> = self
            .plans
            .iter()
            .enumerate()
            .map(|(i, p)| (p.name.as_str(), i))
            .collect();
        c.outcomes
            .iter()
            .map(|(place, o)| {
                let content = by_name
                    .get(place.sheet.as_str())
                    .and_then(|&i| {
                        let row = self.sheets[i].rows.get(place.row.checked_sub(1)?)?;
                        let map = &self.plans[i].mapping;
                        let parts: Vec<&str> = [
                            Field::ApplicantName,
                            Field::ApplicantType,
                            Field::Received,
                            Field::Result,
                            Field::Reason,
                            Field::Answered,
                        ]
                        .iter()
                        .filter_map(|f| row.get(*map.get(f)?).map(|s| s.trim()))
                        .filter(|s| !s.is_empty())
                        .collect();
                        Some(if parts.is_empty() {
                            row.iter()
                                .map(|s| s.trim())
                                .filter(|s| !s.is_empty())
                                .collect::<Vec<_>>()
                                .join(" ")
                        } else {
                            parts.join(" · ")
                        })
                    })
                    .unwrap_or_default();
                ShownRow {
                    sheet: place.sheet.clone(),
                    row: place.row,
                    content: crate::text::clip(&content),
                    outcome: o.clone(),
                }
            })
            .collect()
    }

    /// The clerk decides an unclear text: remembered, then counted again.
    pub fn decide(&mut self, key: &str, choice: Choice, year: i32) {
        match choice {
            Choice::Applicant(c) => self
                .memory
                .applicants
                .insert(key.to_string(), c.to_string()),
            Choice::Result(r) => self.memory.results.insert(key.to_string(), r.to_string()),
        };
        self.count(year);
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    Applicant(&'static str),
    Result(&'static str),
}

/// An outcome in words: "新收 · 予以公开 · 自然人", "其他年度（2024）".
fn outcome_text(o: &Outcome) -> String {
    match o {
        Outcome::Counted {
            arrival,
            result,
            column,
        } => {
            let row = |id: &str| {
                schema::REQUEST_ROWS
                    .iter()
                    .find(|r| r.id == id)
                    .map_or(String::new(), |r| schema::short_row_label(r.label))
            };
            let col = REQUEST_COLUMNS
                .iter()
                .find(|c| c.id == *column)
                .map_or("", |c| c.label);
            format!("{} · {} · {col}", row(arrival), row(result))
        }
        Outcome::OtherYear(y) => format!("其他年度（{y} 年），不计"),
        Outcome::NotRequest(k) => format!("跳过：{}", k.label()),
        Outcome::Repeated => "跳过：同一申请重复登记".into(),
        Outcome::Unclear(why) => format!("需要确认：{why}"),
    }
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

fn field_combo(ui: &mut Ui, col: usize, mapping: &mut ledger::Mapping) {
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

/// Step 1: the sheets with check boxes, and the columns of the one picked.
fn sheets_and_columns(ui: &mut Ui, view: &mut LedgerView) {
    ui.label(RichText::new("第一步：选择要统计的工作表，确认每一列的含义").strong());
    // A workbook of twelve months, a carry-over sheet and a 汇总 sheet:
    // the list scrolls rather than pushing the columns off the window.
    egui::ScrollArea::vertical()
        .id_salt("ledger-sheets")
        .max_height(150.0)
        .show(ui, |ui| sheet_list(ui, view));
    columns_of_sheet(ui, view);
}

/// Every sheet with its check box, its 列 button and whether it counts.
fn sheet_list(ui: &mut Ui, view: &mut LedgerView) {
    for i in 0..view.plans.len() {
        ui.horizontal(|ui| {
            let p = &mut view.plans[i];
            ui.checkbox(&mut p.counted, p.name.clone())
                .on_hover_text("勾选的工作表计入统计");
            let status = match (&p.left_out, p.counted) {
                (Some(why), false) => format!("未计入：{why}"),
                (Some(why), true) => format!("计入（原因“{why}”，请确认）"),
                (None, true) => "计入".into(),
                (None, false) => "未计入".into(),
            };
            let name = p.name.clone();
            if ui
                .selectable_label(view.sheet == i, "列")
                .on_hover_text("查看和修改这个工作表各列的含义")
                .accessible_name(format!("工作表“{name}”的列"))
                .clicked()
            {
                view.sheet = i;
            }
            ui.label(RichText::new(status).color(Color32::GRAY));
        });
    }
}

/// The picked sheet's header with a meaning for each column, and its
/// first rows.
fn columns_of_sheet(ui: &mut Ui, view: &mut LedgerView) {
    let i = view.sheet.min(view.plans.len().saturating_sub(1));
    let Some(h) = view.plans.get(i).and_then(|p| p.header.clone()) else {
        ui.colored_label(
            Color32::from_rgb(200, 30, 30),
            "这个工作表中没有找到表头（应有“申请人”“收到日期”“处理结果”等列名）",
        );
        return;
    };
    ui.label(format!("工作表“{}”的列：", view.plans[i].name));
    egui::ScrollArea::horizontal()
        .id_salt("ledger-preview")
        .show(ui, |ui| {
            egui::Grid::new("ledger-map").striped(true).show(ui, |ui| {
                for (c, name) in h.cells.iter().enumerate() {
                    ui.vertical(|ui| {
                        ui.label(RichText::new(name).strong());
                        field_combo(ui, c, &mut view.plans[i].mapping);
                    });
                }
                ui.end_row();
                for r in view.sheets[i]
                    .rows
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
}

/// Step 3: the unclear rows, each with a choice.
fn unclear_rows(ui: &mut Ui, view: &mut LedgerView, c: &Counted, year: i32) {
    ui.label(RichText::new("第三步：逐行确认（选择后会记住，相同内容不再询问）").strong());
    egui::ScrollArea::vertical()
        .id_salt("ledger-unclear")
        .max_height(160.0)
        // Only the visible questions are laid out: a ledger read badly
        // can ask about thousands of rows.
        .show_rows(
            ui,
            ui.spacing().interact_size.y,
            c.unclear.len(),
            |ui, range| {
                for (k, u) in c
                    .unclear
                    .iter()
                    .enumerate()
                    .skip(range.start)
                    .take(range.len())
                {
                    ui.horizontal(|ui| {
                        ui.label(format!("{}：{}（{}）", u.place, u.text, u.why));
                        if u.ask == Ask::Date {
                            ui.label(RichText::new("请在台账中改正后再统计").color(Color32::GRAY));
                            return;
                        }
                        let combo = egui::ComboBox::from_id_salt(("decide", k))
                            .selected_text("选择…")
                            .show_ui(ui, |ui| {
                                if u.ask == Ask::Applicant {
                                    for col in REQUEST_COLUMNS.iter().filter(|c| !c.derived) {
                                        if ui.selectable_label(false, col.label).clicked() {
                                            view.decide(&u.key, Choice::Applicant(col.id), year);
                                        }
                                    }
                                } else {
                                    for row in schema::request_result_rows().filter(|r| !r.derived)
                                    {
                                        if ui
                                            .selectable_label(
                                                false,
                                                schema::short_row_label(row.label),
                                            )
                                            .clicked()
                                        {
                                            view.decide(&u.key, Choice::Result(row.id), year);
                                        }
                                    }
                                }
                            });
                        let _ = combo.response.accessible_name(format!("{}的判断", u.place));
                    });
                }
            },
        );
}

/// Step 4: every row and what became of it, filterable. Only the visible
/// rows are laid out, so a city's ten thousand rows cost what ten do.
pub fn row_list(ui: &mut Ui, view: &mut LedgerView) {
    ui.horizontal(|ui| {
        ui.label(RichText::new("第四步：逐行核对每一行计入了哪里").strong());
        for f in RowFilter::ALL {
            if ui.selectable_label(view.filter == f, f.label()).clicked() {
                view.filter = f;
            }
        }
    });
    let shown: Vec<usize> = (0..view.rows.len())
        .filter(|&i| view.filter.keeps(&view.rows[i].outcome))
        .collect();
    let rows = &view.rows;
    // One line per ledger row (the rows are laid out at a fixed height);
    // a long outcome is cut, and shown whole on hover.
    ui.scope(|ui| {
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
        TableBuilder::new(ui)
            .id_salt("ledger-rows")
            .striped(true)
            .resizable(true)
            .max_scroll_height(240.0)
            .column(Column::auto().at_least(60.0))
            .column(Column::auto().at_least(40.0))
            .column(Column::initial(360.0).at_least(120.0).clip(true))
            .column(Column::remainder().at_least(160.0))
            .header(22.0, |mut h| {
                for t in ["工作表", "行", "内容", "计入"] {
                    h.col(|ui| {
                        ui.strong(t);
                    });
                }
            })
            .body(|body| {
                body.rows(20.0, shown.len(), |mut row| {
                    let r = &rows[shown[row.index()]];
                    row.col(|ui| {
                        ui.label(&r.sheet);
                    });
                    row.col(|ui| {
                        ui.label(r.row.to_string());
                    });
                    row.col(|ui| {
                        ui.label(&r.content);
                    });
                    row.col(|ui| {
                        let text = outcome_text(&r.outcome);
                        let t = RichText::new(&text);
                        ui.label(match r.outcome {
                            Outcome::Unclear(_) => t.color(Color32::from_rgb(200, 30, 30)),
                            Outcome::Counted { .. } => t,
                            _ => t.color(Color32::GRAY),
                        })
                        .on_hover_text(text);
                    });
                });
            });
    });
}

/// Step 5: the counts beside the current 表三.
fn counts(ui: &mut Ui, state: &AppState, c: &Counted) {
    ui.label(RichText::new("第五步：核对后填入（橙色为与当前表三不同的格）").strong());
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
                    let now = state
                        .doc
                        .report
                        .tables
                        .cell(TableId::Requests, row.id, col.id);
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
        .default_size([1000.0, 640.0])
        .show(ui.ctx(), |ui| {
            ui.label(format!(
                "台账：{}    报告年度：{year}",
                view.path
                    .file_name()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default()
            ));
            sheets_and_columns(ui, &mut view);
            let ready = view.ready();
            if ui.add_enabled(ready, egui::Button::new("统计")).clicked() {
                view.count(year);
            }
            if !ready {
                ui.label(
                    "每个要统计的工作表都须指定“申请人”（或“申请人类型”）“收到日期”“处理结果”三列",
                );
            }
            // Taken, not cloned: a city's count holds 20,000 outcomes, and
            // a copy every frame cost 18 ms. Put back unless a decision
            // below counted again.
            let Some(c) = view.counted.take() else {
                return;
            };
            ui.separator();
            ui.label(c.summary());
            if !c.checks.is_empty() {
                ui.label(
                    RichText::new(format!("第二步：台账自查（{} 条）", c.checks.len())).strong(),
                );
                // One line each, only the visible ones laid out (a ledger
                // answered late throughout has a check on every row).
                let line = ui.text_style_height(&egui::TextStyle::Body);
                egui::ScrollArea::vertical()
                    .id_salt("ledger-checks")
                    .max_height(120.0)
                    .show_rows(ui, line, c.checks.len(), |ui, range| {
                        for k in &c.checks[range] {
                            let color = match k.severity {
                                crate::check::Severity::Error => Color32::from_rgb(200, 30, 30),
                                crate::check::Severity::Warning => Color32::from_rgb(200, 120, 0),
                                crate::check::Severity::Info => Color32::GRAY,
                            };
                            let text = format!("{}：{}", k.place, k.message);
                            ui.add(egui::Label::new(RichText::new(&text).color(color)).truncate())
                                .on_hover_text(text);
                        }
                    });
            }
            if !c.unclear.is_empty() {
                unclear_rows(ui, &mut view, &c, year);
            }
            row_list(ui, &mut view);
            counts(ui, state, &c);
            ui.horizontal(|ui| {
                let ok = c.unclear.is_empty();
                if ui.add_enabled(ok, egui::Button::new("填入表三")).clicked() {
                    do_fill = true;
                }
                if !ok {
                    ui.label(format!("还有 {} 行需要确认", c.unclear.len()));
                }
            });
            if view.counted.is_none() {
                view.counted = Some(c);
            }
        });
    if do_fill {
        fill(state, &view);
        open = false;
    }
    if open {
        state.ledger = Some(view);
    }
}
