//! 审核一批报告: the reviewer's desk in a window. The batch is read on a
//! worker thread (the core's `review::review`, on all cores), with a
//! progress bar and a cancel button; the summary table sorts and filters;
//! a row shows that report's findings, and 打开此报告 opens it in the editor
//! at the cell of its first finding.

use super::app::{AppState, PathAction};
use crate::check::Severity;
use crate::review::{self, Batch, Verdict};
use egui::{Color32, RichText, Ui};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

/// A review in progress or done.
pub struct ReviewView {
    pub total: usize,
    progress: Arc<AtomicUsize>,
    cancel: Arc<AtomicBool>,
    rx: Option<mpsc::Receiver<Batch>>,
    pub batch: Option<Batch>,
    pub only_failing: bool,
    pub selected: Option<usize>,
    sort: Sort,
    /// The reviewer's decisions, saved with 保存审核决定.
    pub decisions: review::decisions::Decisions,
    /// The reason typed for the next 不采纳.
    pub reason: String,
    /// The reviewer's office: author of the comments, signature of the 通报.
    pub reviewer: String,
    /// Why the last action could not be done.
    pub message: Option<String>,
    /// The rows in display order for (sort, filter), kept between frames:
    /// sorting a province's thousands of units by name every frame would
    /// cost more than drawing them. Cleared when verdicts change.
    order: Option<((Sort, bool), Vec<usize>)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sort {
    File,
    Unit,
    Errors,
    Verdict,
}

impl ReviewView {
    /// Start reviewing `paths` (files and folders) on a worker thread.
    pub fn start(paths: &[PathBuf], ctx: &egui::Context) -> Self {
        let files = review::collect(paths);
        let progress = Arc::new(AtomicUsize::new(0));
        let cancel = Arc::new(AtomicBool::new(false));
        let (tx, rx) = mpsc::channel();
        let (p, c, ctx2) = (progress.clone(), cancel.clone(), ctx.clone());
        let total = files.len();
        std::thread::spawn(move || {
            let batch = review::review(
                &files,
                &review::Options::default(),
                &|| {
                    p.fetch_add(1, Ordering::Relaxed);
                    ctx2.request_repaint();
                },
                &c,
            );
            let _ = tx.send(batch);
            ctx2.request_repaint();
        });
        ReviewView {
            total,
            progress,
            cancel,
            rx: Some(rx),
            batch: None,
            only_failing: false,
            selected: None,
            sort: Sort::File,
            decisions: Default::default(),
            reason: String::new(),
            reviewer: "审核单位".into(),
            message: None,
            order: None,
        }
    }

    /// A finished batch (tests, or a review run elsewhere).
    pub fn done(batch: Batch) -> Self {
        ReviewView {
            total: batch.entries.len(),
            progress: Arc::new(AtomicUsize::new(batch.entries.len())),
            cancel: Arc::new(AtomicBool::new(false)),
            rx: None,
            batch: Some(batch),
            only_failing: false,
            selected: None,
            sort: Sort::File,
            decisions: Default::default(),
            reason: String::new(),
            reviewer: "审核单位".into(),
            message: None,
            order: None,
        }
    }

    /// Collect the worker's result when it is ready.
    pub fn poll(&mut self) {
        if let Some(rx) = &self.rx
            && let Ok(b) = rx.try_recv()
        {
            self.batch = Some(b);
            self.rx = None;
            self.order = None;
        }
    }

    pub fn running(&self) -> bool {
        self.rx.is_some()
    }

    /// Rows in display order (filtered and sorted), computed again only
    /// when the sort, the filter or a verdict changed.
    pub fn rows(&mut self) -> &[usize] {
        let key = (self.sort, self.only_failing);
        if self.order.as_ref().is_none_or(|(k, _)| *k != key) {
            self.order = Some((key, self.ordered()));
        }
        self.order.as_ref().map_or(&[], |(_, r)| r.as_slice())
    }

    fn ordered(&self) -> Vec<usize> {
        let Some(b) = &self.batch else { return vec![] };
        let mut rows: Vec<usize> = (0..b.entries.len())
            .filter(|&i| !self.only_failing || b.entries[i].verdict != Verdict::Pass)
            .collect();
        let e = &b.entries;
        match self.sort {
            Sort::File => {}
            Sort::Unit => rows.sort_by_cached_key(|&i| e[i].unit()),
            Sort::Errors => rows.sort_by_key(|&i| std::cmp::Reverse(e[i].count(Severity::Error))),
            Sort::Verdict => rows.sort_by_key(|&i| std::cmp::Reverse(e[i].verdict)),
        }
        rows
    }
}

fn verdict_color(v: Verdict) -> Color32 {
    match v {
        Verdict::Pass => Color32::from_rgb(30, 130, 60),
        Verdict::NeedsFix => Color32::from_rgb(200, 30, 30),
        Verdict::Unreadable => Color32::from_rgb(200, 120, 0),
        Verdict::ManualCheck => Color32::from_rgb(150, 90, 0),
    }
}

/// The summary table: every unit of the batch, laid out only where visible
/// (a province's thousands of units cost what a screenful does), a sticky
/// header that sorts on click, resizable columns, striped rows.
pub fn unit_table(ui: &mut Ui, view: &mut ReviewView) {
    use egui_extras::{Column, TableBuilder};
    let rows = view.rows().to_vec();
    let Some(b) = &view.batch else { return };
    let mut sort = view.sort;
    let mut selected = view.selected;
    // One line per unit: long names are cut (the full name is in the
    // pane beside), verdicts never wrap. (This column's own ui.)
    ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
    TableBuilder::new(ui)
        .id_salt("review-table")
        .striped(true)
        .resizable(true)
        .auto_shrink([false, false])
        .sense(egui::Sense::click())
        .column(Column::initial(200.0).at_least(100.0).clip(true))
        .column(Column::auto().at_least(48.0))
        .column(Column::auto().at_least(40.0))
        .column(Column::auto().at_least(40.0))
        .column(Column::auto().at_least(56.0))
        .column(Column::auto().at_least(70.0))
        .column(Column::remainder().at_least(90.0))
        .header(24.0, |mut h| {
            for (label, s) in [
                ("单位", Some(Sort::Unit)),
                ("格式", Some(Sort::File)),
                ("错误", Some(Sort::Errors)),
                ("警告", None),
                ("重复·五", None),
                ("单位间", None),
                ("结论", Some(Sort::Verdict)),
            ] {
                h.col(|ui| match s {
                    Some(s) => {
                        if ui
                            .selectable_label(sort == s, RichText::new(label).strong())
                            .on_hover_text("点击按此列排序")
                            .clicked()
                        {
                            sort = s;
                        }
                    }
                    None => {
                        ui.strong(label);
                    }
                });
            }
        })
        .body(|body| {
            body.rows(22.0, rows.len(), |mut row| {
                let i = rows[row.index()];
                let e = &b.entries[i];
                row.set_selected(selected == Some(i));
                row.col(|ui| {
                    if ui.selectable_label(selected == Some(i), e.unit()).clicked() {
                        selected = Some(i);
                    }
                });
                row.col(|ui| {
                    ui.label(e.kind.label());
                });
                row.col(|ui| {
                    ui.label(e.count(Severity::Error).to_string());
                });
                row.col(|ui| {
                    ui.label(e.count(Severity::Warning).to_string());
                });
                row.col(|ui| {
                    ui.label(
                        e.repetition
                            .get(2)
                            .copied()
                            .flatten()
                            .map(|s| format!("{s:.0}%"))
                            .unwrap_or_else(|| "—".into()),
                    );
                });
                row.col(|ui| {
                    let n = b.between.iter().filter(|(a, ..)| *a == i).count();
                    ui.label(if n == 0 {
                        "—".to_string()
                    } else {
                        format!("{n} 处")
                    });
                });
                row.col(|ui| {
                    ui.colored_label(verdict_color(e.verdict), e.verdict.label());
                });
                if row.response().clicked() {
                    selected = Some(i);
                }
            });
        });
    view.sort = sort;
    view.selected = selected;
}

/// The review window, when a review is open.
pub fn window(ui: &mut Ui, state: &mut AppState) {
    let Some(mut view) = state.review.take() else {
        return;
    };
    view.poll();
    let mut open = true;
    let mut open_report: Option<usize> = None;
    let mut export: Option<PathAction> = None;
    egui::Window::new("审核一批报告")
        .open(&mut open)
        .default_size([1040.0, 600.0])
        .min_height(420.0)
        .show(ui.ctx(), |ui| {
            if view.running() {
                let done = view.progress.load(Ordering::Relaxed);
                ui.horizontal(|ui| {
                    ui.add(
                        egui::ProgressBar::new(done as f32 / view.total.max(1) as f32)
                            .text(format!("已读 {done}/{} 份", view.total))
                            .desired_width(420.0),
                    );
                    if ui.button("取消").clicked() {
                        view.cancel.store(true, Ordering::Relaxed);
                    }
                });
                return;
            }
            let Some(b) = &view.batch else { return };
            ui.label(b.tally());
            if !b.duplicates.is_empty() {
                let d: Vec<String> = b
                    .duplicates
                    .iter()
                    .map(|(u, c)| format!("{u}×{c}"))
                    .collect();
                ui.colored_label(
                    Color32::from_rgb(200, 120, 0),
                    format!("重复报送：{}", d.join("、")),
                );
            }
            ui.horizontal_wrapped(|ui| {
                ui.checkbox(&mut view.only_failing, "只看需修改和无法读取的");
                if ui.button("导出审核结果（网页）…").clicked() {
                    export = Some(PathAction::ReviewExport(review::html(b)));
                }
                if ui.button("导出审核结果（CSV）…").clicked() {
                    export = Some(PathAction::ReviewCsv(review::csv(b)));
                }
                if ui
                    .button("为全部需修改单位生成审核意见…")
                    .on_hover_text("每个需修改的单位一份带批注的 Word 文件，写到所选文件夹")
                    .clicked()
                {
                    export = Some(PathAction::Opinions(opinions_of(b, &view.reviewer, |e| {
                        e.verdict == Verdict::NeedsFix
                    })));
                }
                if ui.button("生成审核情况通报…").clicked() {
                    export = Some(PathAction::Notice(review::notice::docx(b, &view.reviewer)));
                }
                if ui.button("保存审核决定…").clicked() {
                    export = Some(PathAction::Decisions(
                        serde_json::to_string_pretty(&view.decisions).unwrap_or_default(),
                    ));
                }
            });
            ui.horizontal(|ui| {
                ui.label("审核单位：");
                ui.add(
                    egui::TextEdit::singleline(&mut view.reviewer)
                        .desired_width(220.0)
                        .hint_text("批注的作者、通报的落款"),
                )
                .accessible_name("审核单位");
            });
            ui.separator();
            ui.columns(2, |cols| {
                unit_table(&mut cols[0], &mut view);
                findings_pane(&mut cols[1], &mut view, &mut open_report, &mut export);
            });
        });
    if let Some(action) = export {
        state.choose(action);
    }
    if let Some(i) = open_report
        && let Some(e) = view.batch.as_ref().and_then(|b| b.entries.get(i))
    {
        let first = e
            .findings
            .iter()
            .find(|f| f.severity != Severity::Info)
            .cloned();
        let path = e.path.clone();
        state.open_from_review(&path, first);
    }
    if open {
        state.review = Some(view);
    } else {
        view.cancel.store(true, Ordering::Relaxed);
    }
}

/// The annotated Word files of the units `which` picks: (file name, bytes).
fn opinions_of(
    b: &Batch,
    reviewer: &str,
    which: impl Fn(&review::Entry) -> bool,
) -> Vec<(String, Vec<u8>)> {
    let date = crate::date::today();
    b.entries
        .iter()
        .filter(|e| which(e))
        .filter_map(|e| {
            let bytes = review::opinions::annotate_entry(e, reviewer, &date).ok()?;
            Some((format!("{}-审核意见.docx", e.unit()), bytes))
        })
        .collect()
}

/// The selected unit's findings, reading problems apart, each with the
/// reviewer's decision buttons.
fn findings_pane(
    ui: &mut Ui,
    view: &mut ReviewView,
    open_report: &mut Option<usize>,
    export: &mut Option<PathAction>,
) {
    let Some((i, e)) = view
        .selected
        .and_then(|i| view.batch.as_ref()?.entries.get(i).map(|e| (i, e)))
    else {
        ui.label("点击左侧的单位查看检查结果");
        return;
    };
    ui.heading(e.unit());
    ui.label(e.path.display().to_string());
    if let Some(err) = &e.error {
        ui.colored_label(verdict_color(Verdict::Unreadable), err);
        return;
    }
    ui.horizontal(|ui| {
        if ui.button("打开此报告").clicked() {
            *open_report = Some(i);
        }
        if ui
            .button("生成审核意见…")
            .on_hover_text("这个单位的报告，每个问题一条批注")
            .clicked()
        {
            let date = crate::date::today();
            match review::opinions::annotate_entry(e, &view.reviewer, &date) {
                Ok(bytes) => {
                    *export = Some(PathAction::Opinion(
                        format!("{}-审核意见.docx", e.unit()),
                        bytes,
                    ))
                }
                Err(why) => view.message = Some(why),
            }
        }
    });
    if let Some(m) = &view.message {
        ui.colored_label(Color32::from_rgb(200, 30, 30), m);
    }
    ui.horizontal(|ui| {
        ui.label("理由：");
        ui.add(
            egui::TextEdit::singleline(&mut view.reason)
                .desired_width(260.0)
                .hint_text("标为“不采纳”时写明理由"),
        )
        .accessible_name("不采纳的理由");
    });
    let unit = e.unit();
    let mut decide: Option<(usize, review::decisions::Kind)> = None;
    egui::ScrollArea::vertical()
        .id_salt("review-findings")
        .show(ui, |ui| {
            for n in &e.notes {
                ui.label(format!("说明：{n}"));
            }
            let own: Vec<usize> = (0..e.findings.len())
                .filter(|&k| !e.findings[k].from_reading())
                .collect();
            let reading: Vec<usize> = (0..e.findings.len())
                .filter(|&k| e.findings[k].from_reading())
                .collect();
            for (title, list) in [
                ("检查结果", own),
                ("读取问题（请核对原件，不属于单位的错误）", reading),
            ] {
                if list.is_empty() {
                    continue;
                }
                ui.label(RichText::new(title).strong());
                for k in list {
                    let f = &e.findings[k];
                    let c = match f.severity {
                        Severity::Error => Color32::from_rgb(200, 30, 30),
                        Severity::Warning => Color32::from_rgb(190, 110, 0),
                        Severity::Info => Color32::GRAY,
                    };
                    ui.horizontal_wrapped(|ui| {
                        ui.colored_label(c, format!("{} {}", f.rule, f.message));
                        match e.decision(k) {
                            Some(d) => {
                                ui.label(
                                    RichText::new(format!(
                                        "〔{}{}〕",
                                        d.decision.label(),
                                        if d.reason.is_empty() {
                                            String::new()
                                        } else {
                                            format!("：{}", d.reason)
                                        }
                                    ))
                                    .strong(),
                                );
                            }
                            None => {
                                if ui.small_button("已核实").clicked() {
                                    decide = Some((k, review::decisions::Kind::Confirmed));
                                }
                                if ui.small_button("不采纳").clicked() {
                                    decide = Some((k, review::decisions::Kind::Dismissed));
                                }
                            }
                        }
                    });
                }
            }
        });
    if let Some((k, kind)) = decide
        && let Some(b) = view.batch.as_mut()
    {
        let f = b.entries[i].findings[k].clone();
        view.decisions.set(&unit, &f, kind, view.reason.trim());
        review::apply_decisions(&mut b.entries, &view.decisions);
        view.reason.clear();
        view.order = None;
    }
}
