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
        }
    }

    /// Collect the worker's result when it is ready.
    pub fn poll(&mut self) {
        if let Some(rx) = &self.rx
            && let Ok(b) = rx.try_recv()
        {
            self.batch = Some(b);
            self.rx = None;
        }
    }

    pub fn running(&self) -> bool {
        self.rx.is_some()
    }

    /// Rows in display order (filtered and sorted).
    pub fn rows(&self) -> Vec<usize> {
        let Some(b) = &self.batch else { return vec![] };
        let mut rows: Vec<usize> = (0..b.entries.len())
            .filter(|&i| !self.only_failing || b.entries[i].verdict != Verdict::Pass)
            .collect();
        let e = &b.entries;
        match self.sort {
            Sort::File => {}
            Sort::Unit => rows.sort_by_key(|&i| e[i].unit()),
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
        .default_size([980.0, 560.0])
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
            ui.horizontal(|ui| {
                ui.checkbox(&mut view.only_failing, "只看需修改和无法读取的");
                ui.label("排序：");
                for (s, label) in [
                    (Sort::File, "文件"),
                    (Sort::Unit, "单位"),
                    (Sort::Errors, "错误数"),
                    (Sort::Verdict, "结论"),
                ] {
                    ui.selectable_value(&mut view.sort, s, label);
                }
                if ui.button("导出审核结果（网页）…").clicked() {
                    export = Some(PathAction::ReviewExport(review::html(b)));
                }
                if ui.button("导出审核结果（CSV）…").clicked() {
                    export = Some(PathAction::ReviewCsv(review::csv(b)));
                }
            });
            ui.separator();
            let rows = view.rows();
            ui.columns(2, |cols| {
                egui::ScrollArea::vertical()
                    .id_salt("review-rows")
                    .show(&mut cols[0], |ui| {
                        egui::Grid::new("review-grid").striped(true).show(ui, |ui| {
                            for h in ["单位", "格式", "错误", "警告", "重复·五", "结论"]
                            {
                                ui.label(RichText::new(h).strong());
                            }
                            ui.end_row();
                            for &i in &rows {
                                let e = &b.entries[i];
                                let sel = view.selected == Some(i);
                                if ui.selectable_label(sel, e.unit()).clicked() {
                                    view.selected = Some(i);
                                }
                                ui.label(e.kind.label());
                                ui.label(e.count(Severity::Error).to_string());
                                ui.label(e.count(Severity::Warning).to_string());
                                ui.label(
                                    e.repetition
                                        .get(2)
                                        .copied()
                                        .flatten()
                                        .map(|s| format!("{s:.0}%"))
                                        .unwrap_or_else(|| "—".into()),
                                );
                                ui.colored_label(verdict_color(e.verdict), e.verdict.label());
                                ui.end_row();
                            }
                        });
                    });
                let ui = &mut cols[1];
                match view.selected.and_then(|i| b.entries.get(i).map(|e| (i, e))) {
                    None => {
                        ui.label("点击左侧的单位查看检查结果");
                    }
                    Some((i, e)) => {
                        ui.heading(e.unit());
                        ui.label(e.path.display().to_string());
                        if let Some(err) = &e.error {
                            ui.colored_label(verdict_color(Verdict::Unreadable), err);
                        } else if ui.button("打开此报告").clicked() {
                            open_report = Some(i);
                        }
                        egui::ScrollArea::vertical()
                            .id_salt("review-findings")
                            .show(ui, |ui| {
                                for n in &e.notes {
                                    ui.label(format!("说明：{n}"));
                                }
                                for f in &e.findings {
                                    let c = match f.severity {
                                        Severity::Error => Color32::from_rgb(200, 30, 30),
                                        Severity::Warning => Color32::from_rgb(190, 110, 0),
                                        Severity::Info => Color32::GRAY,
                                    };
                                    ui.colored_label(c, format!("{} {}", f.rule, f.message));
                                }
                            });
                    }
                }
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
