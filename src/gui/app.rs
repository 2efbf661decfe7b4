//! Application state and the effects of commands. Drawing lives in the
//! view modules; they only read this state and enqueue commands.

use super::command::Command;
use super::document::{Document, EditKey};
use super::recovery::{self, Recent, Recovery};
use crate::cell::Cell;
use crate::check::Finding;
use crate::report::Report;
use crate::schema::{self, FieldIdx, TableId};
use crate::{draft, export, open, sample, year};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use super::files::{
    ANY_REPORT_FILTER, DRAFT_FILTER, Dialogs, NativeDialogs, NoDialogs, PUBLISHED_FILTER,
    PathAction,
};

/// The parts of the report, as listed in the navigation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Part {
    Meta,
    Preamble,
    Overview,
    Active,
    Requests,
    Appeals,
    Problems,
    Other,
}

impl Part {
    pub const ALL: [Part; 8] = [
        Part::Meta,
        Part::Preamble,
        Part::Overview,
        Part::Active,
        Part::Requests,
        Part::Appeals,
        Part::Problems,
        Part::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Part::Meta => "基本信息",
            Part::Preamble => "正文前言",
            Part::Overview => "一、总体情况",
            Part::Active => "二、主动公开",
            Part::Requests => "三、依申请公开",
            Part::Appeals => "四、复议诉讼",
            Part::Problems => "五、问题及改进",
            Part::Other => "六、其他事项",
        }
    }

    pub fn table(self) -> Option<TableId> {
        match self {
            Part::Active => Some(TableId::Active),
            Part::Requests => Some(TableId::Requests),
            Part::Appeals => Some(TableId::Appeals),
            _ => None,
        }
    }

    /// The part a finding belongs to, from its first cell id.
    pub fn of_finding(f: &Finding) -> Option<Part> {
        let id = f.cells.first()?;
        Some(match id.split('.').next()? {
            "active" => Part::Active,
            "requests" => Part::Requests,
            "appeals" => Part::Appeals,
            "meta" => Part::Meta,
            _ => match id.as_str() {
                "narrative.preamble" => Part::Preamble,
                "narrative.overview" => Part::Overview,
                "narrative.problems" => Part::Problems,
                "narrative.other" => Part::Other,
                _ => return None,
            },
        })
    }

    fn step(self, d: isize) -> Part {
        let i = Part::ALL.iter().position(|p| *p == self).unwrap_or(0) as isize;
        Part::ALL[(i + d).rem_euclid(Part::ALL.len() as isize) as usize]
    }
}

/// Something that can take keyboard focus.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Cell(FieldIdx),
    /// A narrative part by its finding id (`narrative.problems` …).
    Text(String),
}

/// How keys act on the cell that has the keyboard, as in WPS and Excel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellMode {
    /// Just reached: the first character typed replaces the whole value
    /// (once), Delete clears it, arrows move to the next cell.
    Selected,
    /// Typing has begun: characters go on the end, Backspace takes the last
    /// one back, arrows still move to the next cell (Excel's "Enter" mode).
    Typing,
    /// Editing in place (F2, a double click or a second click): arrows and
    /// the mouse move the caret.
    InPlace,
}

/// The cell being edited: its raw text as typed and its value before.
#[derive(Clone, Debug)]
pub struct CellEdit {
    pub field: FieldIdx,
    pub text: String,
    pub origin: Cell,
    pub mode: CellMode,
    /// When the cell was selected (egui time), so the release of the click
    /// that selected it is not taken for a second click.
    pub since: f64,
}

impl CellEdit {
    /// A cell just reached, its current value selected.
    pub fn selected(field: FieldIdx, text: String, origin: Cell, since: f64) -> Self {
        CellEdit {
            field,
            text,
            origin,
            mode: CellMode::Selected,
            since,
        }
    }

    pub fn in_place(&self) -> bool {
        self.mode == CellMode::InPlace
    }
}

/// What to do once unsaved changes are dealt with.
#[derive(Clone, Debug)]
pub enum Pending {
    New,
    Open(Option<PathBuf>),
    Replace(Box<Report>, Vec<Finding>, String),
    Quit,
}

#[derive(Clone, Debug)]
pub enum Modal {
    Unsaved(Pending),
    Message {
        title: String,
        text: String,
    },
    Recover(Vec<Recovery>),
    /// No file dialog on this machine: the clerk types the path.
    AskPath {
        action: PathAction,
        text: String,
    },
    MergeSummary {
        table: Vec<super::merge_table::UnitRow>,
        findings: Vec<String>,
        csv: String,
    },
    /// 生成数据段落: the sentences, for the clerk to insert or replace.
    Generated(crate::narrative_gen::Generated),
    /// 一键排版: the tidied narrative and the parts it changes, to preview.
    Tidy(Box<crate::report::Narrative>, Vec<String>),
}

pub struct AppState {
    pub doc: Document,
    pub part: Part,
    pub edit: Option<CellEdit>,
    /// A focus request to carry out when the target is drawn.
    pub focus: Option<Target>,
    pub modal: Option<Modal>,
    /// One line of feedback in the status bar.
    pub status: String,
    pub queue: Vec<Command>,
    pub dialogs: Box<dyn Dialogs>,
    pub store: Option<recovery::Store>,
    pub recent: Recent,
    last_autosave: Instant,
    /// Set when the window may close (nothing unsaved, or the clerk chose).
    pub close_ok: bool,
    /// The window should close now.
    pub want_close: bool,
    pub show_guidance: bool,
    /// The reviewer's desk, when open.
    pub review: Option<super::review::ReviewView>,
    /// The ledger window, when open.
    pub ledger: Option<super::ledger::LedgerView>,
    /// The context worker threads wake for repaints (set by the UI each frame).
    pub ctx_for_workers: egui::Context,
    /// An IME composition is open in a cell: its keys are not grid moves.
    pub ime_composing: bool,
}

impl AppState {
    /// A new state on an empty report for last year. `data_dir` holds
    /// recovery copies; `None` turns autosave off (tests).
    pub fn new(dialogs: Box<dyn Dialogs>, data_dir: Option<&Path>) -> Self {
        let store = data_dir.map(recovery::Store::new);
        let pending = store.as_ref().map(|s| s.pending()).unwrap_or_default();
        let mut s = AppState {
            doc: Document::new(Report::new("", crate::report::default_report_year()), None),
            part: Part::Meta,
            edit: None,
            focus: None,
            modal: None,
            status: String::new(),
            queue: Vec::new(),
            dialogs,
            store,
            recent: Recent::default(),
            last_autosave: Instant::now(),
            close_ok: false,
            want_close: false,
            show_guidance: true,
            review: None,
            ledger: None,
            ctx_for_workers: egui::Context::default(),
            ime_composing: false,
        };
        if !pending.is_empty() {
            s.modal = Some(Modal::Recover(pending));
        }
        s
    }

    pub fn title(&self) -> String {
        format!(
            "{}{} — nianbao",
            if self.doc.is_dirty() { "*" } else { "" },
            self.doc.display_name()
        )
    }

    // --- Editing ----------------------------------------------------------

    /// Set a leaf cell from typed text (through the core parser).
    pub fn set_cell_text(&mut self, f: FieldIdx, text: &str) {
        let cell = crate::cell::parse_cell(text, schema::field(f).kind);
        self.doc.edit(EditKey::Cell(f), |r| r.tables.set(f, cell));
    }

    /// Fill cells from a block copied from Excel/WPS (TAB and newline
    /// separated), from `start` right and down over the table's value grid.
    /// Derived cells are skipped. Returns how many values fell outside.
    pub fn paste_block(&mut self, start: FieldIdx, block: &str) -> usize {
        let table = schema::field(start).table;
        let layout = schema::layout(table);
        let grid = &layout.value_rows;
        let Some((r0, c0)) = layout.value_position(start) else {
            return 0;
        };
        use crate::paste::{Pasted, split_block, values};
        let rows: Vec<Vec<Option<Pasted>>> = split_block(block).iter().map(|r| values(r)).collect();
        let mut outside = 0;
        let mut sets = Vec::new();
        let mut mismatched_totals = Vec::new();
        let (mut units, mut marks) = (Vec::new(), 0usize);
        for (i, row) in rows.iter().enumerate() {
            for (j, cell) in row.iter().enumerate() {
                let text = match cell {
                    Some(Pasted::Value(t, unit)) => {
                        units.extend(unit.clone());
                        t.clone()
                    }
                    // "—", "-", "/": blank (R6 then lists it), never 0.
                    Some(Pasted::Mark(_)) => {
                        marks += 1;
                        String::new()
                    }
                    None => continue,
                };
                match grid.get(r0 + i).and_then(|r| r.get(c0 + j)) {
                    Some(&f) if !schema::field(f).is_derived() => {
                        sets.push((f, crate::cell::parse_cell(&text, schema::field(f).kind)))
                    }
                    Some(&f) => mismatched_totals.push((f, text)),
                    None if text.trim().is_empty() => {}
                    None => outside += 1,
                }
            }
        }
        let n = sets.len();
        self.doc.edit(EditKey::Block, |r| {
            for (f, c) in sets {
                r.tables.set(f, c);
            }
        });
        let wrong: Vec<String> = mismatched_totals
            .into_iter()
            .filter(|(f, t)| {
                let v = self.doc.report.tables.value(*f).display();
                !t.trim().is_empty()
                    && crate::cell::parse_cell(t, schema::FieldKind::Count).display() != v
            })
            .map(|(f, t)| {
                format!(
                    "{}（粘贴为 {}，计算为 {}）",
                    schema::field(f).accessible_name(),
                    t.trim(),
                    self.doc.report.tables.value(f).display()
                )
            })
            .collect();
        self.edit = None;
        self.status = format!("已粘贴 {n} 个单元格");
        if !units.is_empty() {
            units.sort();
            units.dedup();
            self.status
                .push_str(&format!("；已去掉单位“{}”", units.join("、")));
        }
        if marks > 0 {
            self.status.push_str(&format!(
                "；{marks} 个“—”“-”“/”按空白处理，没有发生的请填 0"
            ));
        }
        if outside > 0 {
            self.status
                .push_str(&format!("；有 {outside} 个数值超出表格范围，未粘贴"));
        }
        if !wrong.is_empty() {
            self.status.push_str(&format!(
                "；合计列由程序计算，与粘贴的不一致：{}",
                wrong.join("、")
            ));
        }
        outside
    }

    // --- Commands ---------------------------------------------------------

    pub fn run_queue(&mut self, ctx: &egui::Context) {
        for c in std::mem::take(&mut self.queue) {
            self.apply(c, ctx);
        }
    }

    pub fn apply(&mut self, cmd: Command, ctx: &egui::Context) {
        match cmd {
            Command::New => self.guard(Pending::New),
            Command::Open => self.guard(Pending::Open(None)),
            Command::Save => self.save(),
            Command::SaveAs => self.save_as(),
            Command::NewYear => self.choose(PathAction::NewYear),
            Command::ImportPublished => self.choose(PathAction::Import),
            Command::Merge => self.choose(PathAction::Merge),
            Command::ExportHtml
            | Command::ExportFragment
            | Command::ExportText
            | Command::ExportDocx
            | Command::ExportPdf => {
                if let Some(f) = cmd.export_format() {
                    self.choose(PathAction::Export(f));
                }
            }
            Command::Print => self.print(ctx),
            Command::GenerateNarrative => {
                self.edit = None;
                self.modal = Some(Modal::Generated(crate::narrative_gen::generate(
                    &self.doc.report,
                )));
            }
            Command::Tidy => {
                self.edit = None;
                let (n, changed) = crate::tidy::tidy_narrative(&self.doc.report.narrative);
                self.modal = Some(Modal::Tidy(Box::new(n), changed));
            }
            Command::Review => self.choose(PathAction::Review),
            Command::Ledger => self.choose(PathAction::Ledger),
            Command::CopyFragment => {
                ctx.copy_text(export::export_fragment(&self.doc.report));
                self.status = "HTML 片段已复制到剪贴板，可直接粘贴到网站编辑器".into();
            }
            Command::Preview => self.preview(ctx),
            Command::Quit => self.guard(Pending::Quit),
            Command::Undo => {
                if self.doc.undo() {
                    self.edit = None;
                    self.status = "已撤销".into();
                }
            }
            Command::Redo => {
                if self.doc.redo() {
                    self.edit = None;
                    self.status = "已重做".into();
                }
            }
            Command::NextPart => self.part = self.part.step(1),
            Command::PrevPart => self.part = self.part.step(-1),
            Command::NextFinding => {
                if let Some(f) = self
                    .doc
                    .findings
                    .iter()
                    .find(|f| f.severity != crate::Severity::Info)
                    .cloned()
                {
                    self.jump_to(&f);
                }
            }
            Command::OpenSample => self.guard(Pending::Replace(
                Box::new(sample::example_report()),
                Vec::new(),
                "已打开示例报告。这是一份填写完整的报告，可随意修改试用".into(),
            )),
            Command::About => {
                self.modal = Some(Modal::Message {
                    title: "关于 nianbao".into(),
                    text: format!(
                        "nianbao {} — 政府信息公开工作年度报告编写工具\n按国办公开办函〔2021〕30号格式填写、检查、导出和汇总年度报告。\n\n许可：MIT 或 Apache-2.0（任选其一）。\n内置字体：Noto Sans CJK SC 与 Noto Serif CJK SC（子集），版权归 Adobe 与 Google，按 SIL Open Font License 1.1 授权，可自由使用和分发；许可全文见安装目录的 LICENSE-OFL-fonts.txt。",
                        crate::version::VERSION
                    ),
                })
            }
        }
    }

    /// Run `then`, asking first when there are unsaved changes.
    pub fn guard(&mut self, then: Pending) {
        if self.doc.is_dirty() {
            self.modal = Some(Modal::Unsaved(then));
        } else {
            self.proceed(then);
        }
    }

    /// Carry out a pending action (changes were saved or discarded).
    pub fn proceed(&mut self, then: Pending) {
        match then {
            Pending::New => {
                self.replace(Document::new(
                    Report::new("", crate::report::default_report_year()),
                    None,
                ));
                self.status = "已新建空白报告".into();
            }
            Pending::Open(Some(p)) => self.open_path(&p),
            Pending::Open(None) => self.choose(PathAction::Open),
            Pending::Replace(r, findings, msg) => {
                self.replace(Document::unsaved(*r, findings));
                self.status = msg;
            }
            Pending::Quit => {
                self.discard_recovery();
                self.close_ok = true;
                self.want_close = true;
            }
        }
    }

    /// The clerk's answer to 保存 / 不保存 / 取消.
    pub fn answer_unsaved(&mut self, save: Option<bool>) {
        let Some(Modal::Unsaved(then)) = self.modal.take() else {
            return;
        };
        match save {
            None => {}
            Some(false) => self.proceed(then),
            Some(true) => {
                self.save();
                if !self.doc.is_dirty() {
                    self.proceed(then);
                }
            }
        }
    }

    fn replace(&mut self, doc: Document) {
        self.discard_recovery();
        self.doc = doc;
        self.edit = None;
        self.focus = None;
        self.part = Part::Meta;
    }

    /// Open a draft or a published report. A file that cannot be read
    /// changes nothing and shows why.
    pub fn open_path(&mut self, p: &Path) {
        if open::is_published(p) {
            self.import_path(p);
            return;
        }
        match draft::load(p) {
            Ok(r) => {
                self.replace(Document::new(r, Some(p.to_path_buf())));
                self.recent.add(p);
                self.status = format!("已打开 {}", p.display());
            }
            Err(e) => self.error("无法打开草稿", e.to_string()),
        }
    }

    /// Put the generated data sentences into the narrative as one undo step.
    pub fn place_generated(&mut self, g: &crate::narrative_gen::Generated, replace: bool) {
        self.doc.edit(EditKey::Block, |r| {
            for (t, text) in &g.paragraphs {
                crate::narrative_gen::place(r, *t, text, replace);
            }
        });
        self.doc.break_merge();
        self.modal = None;
        self.status = if replace {
            "已用生成的数据段落替换原有内容（可撤销）".into()
        } else {
            "已把生成的数据段落加在原有内容之后（可撤销）".into()
        };
    }

    /// Apply 一键排版 as one undo step.
    pub fn apply_tidy(&mut self, n: crate::report::Narrative) {
        self.doc.edit(EditKey::Block, |r| r.narrative = n);
        self.doc.break_merge();
        self.modal = None;
        self.status = "已完成一键排版（可撤销）".into();
    }

    /// Open a report from the review: at once when nothing is unsaved (and
    /// then at its first finding), otherwise after the unsaved-changes question.
    pub fn open_from_review(&mut self, p: &Path, first: Option<Finding>) {
        if self.doc.is_dirty() {
            self.guard(Pending::Open(Some(p.to_path_buf())));
            return;
        }
        self.open_path(p);
        if let Some(f) = first {
            self.jump_to(&f);
        }
    }

    pub fn import_path(&mut self, p: &Path) {
        match open::load_any(p) {
            Ok(l) => {
                let summary = l.summary.map(|s| {
                    let mut t = s.to_string();
                    for n in &s.notes {
                        t.push_str("\n说明：");
                        t.push_str(n);
                    }
                    t
                });
                let n = l.import_findings.len();
                self.replace(Document::unsaved(l.report, l.import_findings));
                let found = if n == 0 {
                    "读取时没有发现问题；右侧“检查结果”列出勾稽检查的结论。".to_string()
                } else {
                    format!("读取时有 {n} 处需要留意，已列在右侧“检查结果”中。")
                };
                let text = format!(
                    "{}\n\n{found}请核对后另存为草稿。",
                    summary.unwrap_or_default()
                );
                self.modal = Some(Modal::Message {
                    title: "导入完成".into(),
                    text,
                });
                self.status = format!("已导入 {}（尚未保存）", p.display());
            }
            Err(e) => self.error("无法导入", e),
        }
    }

    pub fn new_year_from(&mut self, p: &Path) {
        match open::load_any(p) {
            Ok(l) => {
                let r = match year::new_year(&l.report) {
                    Ok(r) => r,
                    Err(e) => return self.error("无法从上年报告新建", e),
                };
                let msg = format!(
                    "已从 {} 年度报告新建 {} 年度报告，上年结转已填好（尚未保存）",
                    l.report.meta.year, r.meta.year
                );
                self.guard(Pending::Replace(Box::new(r), Vec::new(), msg));
            }
            Err(e) => self.error("无法读取上年报告", e),
        }
    }

    pub fn merge_paths(&mut self, files: &[PathBuf]) {
        let mut units = Vec::new();
        for f in files {
            match open::load_any(f) {
                Ok(l) => units.push(year::Unit {
                    source: f.display().to_string(),
                    report: l.report,
                    import_findings: l.import_findings,
                }),
                Err(e) => return self.error("无法汇总", e),
            }
        }
        match year::merge(&units, None) {
            Ok(m) => {
                let table = m
                    .units
                    .iter()
                    .map(|u| super::merge_table::UnitRow {
                        name: u.name.clone(),
                        figures: u.figures.clone(),
                        errors: u.errors,
                    })
                    .collect();
                let findings = m.findings.iter().map(|f| f.message.clone()).collect();
                let csv = year::summary_csv(&m);
                let msg = format!("已汇总 {} 个单位的报告（尚未保存）", m.units.len());
                self.guard(Pending::Replace(Box::new(m.report), m.findings, msg));
                if self.modal.is_none() {
                    self.modal = Some(Modal::MergeSummary {
                        table,
                        findings,
                        csv,
                    });
                }
            }
            Err(e) => self.error("无法汇总", e.to_string()),
        }
    }

    /// Save the per-unit summary of a merge as CSV (through a dialog).
    pub fn save_merge_csv(&mut self, csv: &str) {
        self.choose(PathAction::MergeCsv(csv.to_string()));
    }

    pub fn error(&mut self, title: &str, text: String) {
        self.status = text.clone();
        self.modal = Some(Modal::Message {
            title: title.into(),
            text,
        });
    }

    /// Switch to a finding's part and focus its first editable cell.
    pub fn jump_to(&mut self, f: &Finding) {
        if let Some(part) = Part::of_finding(f) {
            self.part = part;
        }
        let first = f
            .cells
            .iter()
            .filter_map(|id| schema::field_by_id(id))
            .find(|&i| !schema::field(i).is_derived());
        self.focus = match (first, f.cells.first()) {
            (Some(i), _) => Some(Target::Cell(i)),
            (None, Some(id)) if id.starts_with("narrative.") || id.starts_with("meta.") => {
                Some(Target::Text(id.clone()))
            }
            (None, Some(id)) => schema::field_by_id(id).map(Target::Cell),
            _ => None,
        };
    }

    // --- Recovery ---------------------------------------------------------

    /// Write a recovery copy when due (every 30 s while unsaved). Returns
    /// when the next one is due, so the caller can schedule a repaint.
    pub fn autosave_tick(&mut self) -> Option<Duration> {
        self.store.as_ref()?;
        if !self.doc.is_dirty() {
            return None;
        }
        let every = Duration::from_secs(recovery::AUTOSAVE_SECS);
        let since = self.last_autosave.elapsed();
        if since >= every {
            self.write_recovery();
            Some(every)
        } else {
            Some(every - since)
        }
    }

    pub fn write_recovery(&mut self) {
        if let Some(store) = &self.store {
            if let Err(e) = store.write(&self.doc.report, self.doc.path.as_deref()) {
                self.status = format!("无法写入自动恢复副本：{e}");
            }
            self.last_autosave = Instant::now();
        }
    }

    pub fn discard_recovery(&mut self) {
        if let Some(s) = &self.store {
            s.clear();
        }
        self.last_autosave = Instant::now();
    }

    /// 恢复 or 丢弃 the offered copies.
    pub fn answer_recovery(&mut self, restore: bool) {
        let Some(Modal::Recover(list)) = self.modal.take() else {
            return;
        };
        if restore && let Some(r) = list.first() {
            let mut doc = Document::unsaved(r.report.clone(), Vec::new());
            doc.path = r.original.clone();
            self.replace(doc);
            self.write_recovery();
            self.status = "已恢复上次未保存的内容，请尽快保存".into();
        }
        for r in &list {
            recovery::discard(r);
        }
    }
}

/// Editable cells of a table in Tab order (reading order, derived skipped).
pub fn tab_order(table: TableId) -> Vec<FieldIdx> {
    schema::layout(table)
        .value_rows
        .iter()
        .flatten()
        .copied()
        .filter(|&f| !schema::field(f).is_derived())
        .collect()
}

/// The editable cell in the next/previous row, nearest column.
pub fn vertical_neighbour(f: FieldIdx, down: bool) -> Option<FieldIdx> {
    let layout = schema::layout(schema::field(f).table);
    let grid = &layout.value_rows;
    let (r, c) = layout.value_position(f)?;
    let mut rr = r as isize;
    loop {
        rr += if down { 1 } else { -1 };
        let row = grid.get(usize::try_from(rr).ok()?)?;
        if let Some(&g) = row.get(c.min(row.len() - 1))
            && !schema::field(g).is_derived()
        {
            return Some(g);
        }
    }
}
