//! Files: the dialogs (native, or the path typed in the window when the
//! machine has none), what a chosen path is for, and saving and exporting
//! to it. Drawing the path prompt lives in `panels`; this module only
//! changes state.

use super::app::{AppState, Modal};
use crate::{draft, export, open};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// File dialogs, replaceable in tests. `None` means cancelled.
pub trait Dialogs {
    fn open(&mut self, title: &str, filters: &[(&str, &[&str])]) -> Option<PathBuf>;
    fn open_many(&mut self, title: &str, filters: &[(&str, &[&str])]) -> Vec<PathBuf>;
    fn save(&mut self, title: &str, name: &str, filters: &[(&str, &[&str])]) -> Option<PathBuf>;
    /// A folder to write files into.
    fn folder(&mut self, _title: &str) -> Option<PathBuf> {
        None
    }
    /// True when no dialog can be shown on this machine (the last one came
    /// back at once, as rfd does without a portal or zenity).
    fn unavailable(&self) -> bool {
        false
    }
}

/// Dialogs that are always cancelled: for headless use (benchmarks,
/// snapshots), or acting as a machine with no dialog at all (`no_backend`).
#[derive(Default)]
pub struct NoDialogs {
    pub no_backend: bool,
}

impl Dialogs for NoDialogs {
    fn open(&mut self, _: &str, _: &[(&str, &[&str])]) -> Option<PathBuf> {
        None
    }
    fn open_many(&mut self, _: &str, _: &[(&str, &[&str])]) -> Vec<PathBuf> {
        Vec::new()
    }
    fn save(&mut self, _: &str, _: &str, _: &[(&str, &[&str])]) -> Option<PathBuf> {
        None
    }
    fn unavailable(&self) -> bool {
        self.no_backend
    }
}

/// Native dialogs through rfd; with no portal they return `None` at once,
/// which is remembered so the app can ask for a path itself.
#[derive(Default)]
pub struct NativeDialogs {
    unavailable: bool,
}

impl NativeDialogs {
    fn timed<T>(&mut self, empty: impl Fn(&T) -> bool, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let r = f();
        self.unavailable = empty(&r) && start.elapsed() < Duration::from_millis(40);
        r
    }
}

fn dialog(title: &str, filters: &[(&str, &[&str])]) -> rfd::FileDialog {
    filters
        .iter()
        .fold(rfd::FileDialog::new().set_title(title), |d, (n, e)| {
            d.add_filter(*n, e)
        })
}

impl Dialogs for NativeDialogs {
    fn open(&mut self, title: &str, filters: &[(&str, &[&str])]) -> Option<PathBuf> {
        self.timed(Option::is_none, || dialog(title, filters).pick_file())
    }
    fn open_many(&mut self, title: &str, filters: &[(&str, &[&str])]) -> Vec<PathBuf> {
        self.timed(Vec::is_empty, || {
            dialog(title, filters).pick_files().unwrap_or_default()
        })
    }
    fn save(&mut self, title: &str, name: &str, filters: &[(&str, &[&str])]) -> Option<PathBuf> {
        self.timed(Option::is_none, || {
            dialog(title, filters).set_file_name(name).save_file()
        })
    }
    fn folder(&mut self, title: &str) -> Option<PathBuf> {
        self.timed(Option::is_none, || {
            rfd::FileDialog::new().set_title(title).pick_folder()
        })
    }
    fn unavailable(&self) -> bool {
        self.unavailable
    }
}

/// What a file chosen by the clerk is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathAction {
    Open,
    SaveAs,
    Import,
    NewYear,
    Merge,
    Export(export::Format),
    MergeCsv(String),
    /// Files and folders for the reviewer's desk.
    Review,
    /// The review page (HTML) or table (CSV) to save.
    ReviewExport(String),
    ReviewCsv(String),
    /// A request ledger to count 表三 from.
    Ledger,
    /// One unit's annotated Word file (审核意见) to save: its name and bytes.
    Opinion(String, Vec<u8>),
    /// Several units' annotated files, into a folder.
    Opinions(Vec<(String, Vec<u8>)>),
    /// The 通报 (Word) to save.
    Notice(Vec<u8>),
    /// The reviewer's decisions (JSON) to save.
    Decisions(String),
}

impl PathAction {
    pub fn title(&self) -> &'static str {
        match self {
            PathAction::Open => "打开草稿",
            PathAction::SaveAs => "保存草稿",
            PathAction::Import => "选择已发布的报告",
            PathAction::NewYear => "选择上年的草稿或已发布的报告",
            PathAction::Merge => "选择要汇总的报告（可多选）",
            PathAction::Export(_) => "导出",
            PathAction::MergeCsv(_) => "保存汇总表",
            PathAction::Review => "选择要审核的报告（可多选）",
            PathAction::ReviewExport(_) | PathAction::ReviewCsv(_) => "保存审核结果",
            PathAction::Ledger => "选择依申请公开登记台账",
            PathAction::Opinion(..) => "保存审核意见（Word）",
            PathAction::Opinions(_) => "选择保存审核意见的文件夹",
            PathAction::Notice(_) => "保存审核情况通报（Word）",
            PathAction::Decisions(_) => "保存审核决定",
        }
    }

    fn filters(&self) -> Vec<(&'static str, &'static [&'static str])> {
        match self {
            PathAction::Open | PathAction::SaveAs => vec![DRAFT_FILTER],
            PathAction::Import => vec![PUBLISHED_FILTER],
            PathAction::NewYear | PathAction::Merge => vec![ANY_REPORT_FILTER],
            PathAction::Export(f) => vec![f.filter()],
            PathAction::MergeCsv(_) | PathAction::ReviewCsv(_) => vec![("CSV 表格", &["csv"])],
            PathAction::ReviewExport(_) => vec![("网页", &["html"])],
            PathAction::Review => vec![ANY_REPORT_FILTER],
            PathAction::Ledger => vec![("登记台账", &["xlsx", "xls", "ods", "csv"])],
            PathAction::Opinion(..) | PathAction::Notice(_) => vec![("Word 文档", &["docx"])],
            PathAction::Opinions(_) => vec![],
            PathAction::Decisions(_) => vec![("审核决定", &["json"])],
        }
    }

    fn saves(&self) -> bool {
        matches!(
            self,
            PathAction::SaveAs
                | PathAction::Export(_)
                | PathAction::MergeCsv(_)
                | PathAction::ReviewExport(_)
                | PathAction::ReviewCsv(_)
                | PathAction::Opinion(..)
                | PathAction::Notice(_)
                | PathAction::Decisions(_)
        )
    }
}

pub const DRAFT_FILTER: (&str, &[&str]) = ("nianbao 草稿", &["nianbao"]);
pub const PUBLISHED_FILTER: (&str, &[&str]) = (
    "已发布的报告（Word、PDF、网页或文本）",
    open::PUBLISHED_EXTENSIONS,
);
pub const ANY_REPORT_FILTER: (&str, &[&str]) = (
    "草稿或已发布的报告",
    &[
        "nianbao", "docx", "pdf", "html", "htm", "shtml", "txt", "doc", "wps",
    ],
);

/// A `file://` URL for a local path (Windows paths get a leading slash).
fn file_url(p: &Path) -> String {
    let s = p.display().to_string().replace('\\', "/");
    if s.starts_with('/') {
        format!("file://{s}")
    } else {
        format!("file:///{s}")
    }
}

impl AppState {
    pub fn save(&mut self) {
        match self.doc.path.clone() {
            Some(p) => self.save_to(&p),
            None => self.save_as(),
        }
    }

    pub fn save_as(&mut self) {
        self.choose(PathAction::SaveAs);
    }

    /// Ask for a file through the dialog; where no dialog can be shown, ask
    /// for the path in the window instead. Cancelling does nothing.
    pub fn choose(&mut self, action: PathAction) {
        let filters = action.filters();
        let picked: Vec<PathBuf> = if matches!(action, PathAction::Merge | PathAction::Review) {
            self.dialogs.open_many(action.title(), &filters)
        } else if matches!(action, PathAction::Opinions(_)) {
            self.dialogs.folder(action.title()).into_iter().collect()
        } else if action.saves() {
            let name = self.suggested_name(&action);
            self.dialogs
                .save(action.title(), &name, &filters)
                .into_iter()
                .collect()
        } else {
            self.dialogs
                .open(action.title(), &filters)
                .into_iter()
                .collect()
        };
        if !picked.is_empty() {
            self.path_chosen(action, picked);
        } else if self.dialogs.unavailable() {
            let text = if action.saves() {
                let dir = self
                    .doc
                    .path
                    .as_ref()
                    .and_then(|p| p.parent())
                    .map(Path::to_path_buf);
                let dir = dir
                    .or_else(|| std::env::current_dir().ok())
                    .unwrap_or_default();
                dir.join(self.suggested_name(&action)).display().to_string()
            } else {
                String::new()
            };
            self.modal = Some(Modal::AskPath { action, text });
        }
    }

    fn suggested_name(&self, action: &PathAction) -> String {
        let title = self.doc.report.title();
        match action {
            PathAction::SaveAs => format!("{title}.{}", draft::EXTENSION),
            PathAction::Export(f) => format!("{title}.{}", f.suffix()),
            PathAction::MergeCsv(_) => "汇总表.csv".into(),
            PathAction::ReviewExport(_) => "审核结果.html".into(),
            PathAction::ReviewCsv(_) => "审核结果.csv".into(),
            PathAction::Opinion(name, _) => name.clone(),
            PathAction::Notice(_) => "审核情况通报.docx".into(),
            PathAction::Decisions(_) => "审核决定.json".into(),
            _ => String::new(),
        }
    }

    /// Carry out an action on the file(s) the clerk chose.
    pub fn path_chosen(&mut self, action: PathAction, paths: Vec<PathBuf>) {
        let Some(first) = paths.first().cloned() else {
            return;
        };
        match action {
            PathAction::Open => self.open_path(&first),
            PathAction::Import => self.import_path(&first),
            PathAction::NewYear => self.new_year_from(&first),
            PathAction::Merge => self.merge_paths(&paths),
            PathAction::SaveAs => {
                let p = if first.extension().is_none() {
                    first.with_extension(draft::EXTENSION)
                } else {
                    first
                };
                self.save_to(&p);
            }
            PathAction::Export(f) => {
                let p = if first.extension().is_none() {
                    first.with_extension(f.suffix())
                } else {
                    first
                };
                self.export_to(&p, f);
            }
            PathAction::Review => {
                self.review = Some(super::review::ReviewView::start(
                    &paths,
                    &self.ctx_for_workers,
                ));
            }
            PathAction::ReviewExport(text) | PathAction::ReviewCsv(text) => {
                match draft::write_atomic(&first, text.as_bytes()) {
                    Ok(()) => self.status = format!("已保存审核结果 {}", first.display()),
                    Err(e) => self.error("保存审核结果失败", e.to_string()),
                }
            }
            PathAction::Ledger => {
                match super::ledger::LedgerView::open(&first, crate::ledger::memory_path()) {
                    Ok(v) => self.ledger = Some(v),
                    Err(e) => self.error("无法读取台账", e),
                }
            }
            PathAction::MergeCsv(csv) => match draft::write_atomic(&first, csv.as_bytes()) {
                Ok(()) => self.status = format!("已保存汇总表 {}", first.display()),
                Err(e) => self.error("保存汇总表失败", e.to_string()),
            },
            PathAction::Opinion(_, bytes) | PathAction::Notice(bytes) => {
                match draft::write_atomic(&first, &bytes) {
                    Ok(()) => self.status = format!("已保存 {}", first.display()),
                    Err(e) => self.error("保存失败", e.to_string()),
                }
            }
            PathAction::Decisions(json) => match draft::write_atomic(&first, json.as_bytes()) {
                Ok(()) => self.status = format!("已保存审核决定 {}", first.display()),
                Err(e) => self.error("保存审核决定失败", e.to_string()),
            },
            PathAction::Opinions(files) => {
                let written = std::fs::create_dir_all(&first)
                    .map_err(|e| e.to_string())
                    .and_then(|()| {
                        files.iter().try_for_each(|(name, bytes)| {
                            draft::write_atomic(&first.join(name), bytes).map_err(|e| e.to_string())
                        })
                    });
                match written {
                    Ok(()) => {
                        self.status =
                            format!("已写出 {} 份审核意见到 {}", files.len(), first.display())
                    }
                    Err(e) => self.error("写出审核意见失败", e),
                }
            }
        }
    }

    pub fn save_to(&mut self, p: &Path) {
        match draft::save(&self.doc.report, p) {
            Ok(()) => {
                self.doc.mark_saved(p.to_path_buf());
                self.recent.add(p);
                self.discard_recovery();
                self.status = format!("已保存 {}", p.display());
            }
            Err(e) => self.error("保存失败", e.to_string()),
        }
    }

    /// Write the report in a format; `true` when the file was written.
    pub fn export_to(&mut self, p: &Path, f: export::Format) -> bool {
        let written = f
            .render(&self.doc.report)
            .and_then(|bytes| draft::write_atomic(p, &bytes).map_err(|e| e.to_string()));
        match written {
            Ok(()) => {
                self.status = format!("已导出{}：{}", f.label(), p.display());
                true
            }
            Err(e) => {
                self.error("导出失败", e);
                false
            }
        }
    }

    /// Export to a temporary file and hand it to the system's viewer.
    fn open_temp(&mut self, ctx: &egui::Context, f: export::Format, what: &str) -> Option<PathBuf> {
        let p = std::env::temp_dir().join(format!(
            "nianbao-{what}-{}.{}",
            std::process::id(),
            f.suffix()
        ));
        if !self.export_to(&p, f) {
            return None;
        }
        ctx.open_url(egui::OpenUrl::new_tab(file_url(&p)));
        Some(p)
    }

    pub fn preview(&mut self, ctx: &egui::Context) {
        self.open_temp(ctx, export::Format::Html, "预览");
    }

    /// 打印: the PDF, opened in the system's PDF viewer to print from there.
    /// Where no viewer opens, the status line says where the file is.
    pub fn print(&mut self, ctx: &egui::Context) {
        if let Some(p) = self.open_temp(ctx, export::Format::Pdf, "打印") {
            self.status = format!(
                "已生成用于打印的 PDF：{}（如没有自动打开，请用 PDF 阅读器打开此文件后打印）",
                p.display()
            );
        }
    }
}
