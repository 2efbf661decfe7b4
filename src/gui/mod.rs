//! The desktop editor (eframe/egui). The only module that imports egui.
//!
//! `AppState` holds the document and view state; the view modules draw it
//! and enqueue `Command`s, which are applied after layout.

pub mod app;
pub mod command;
pub mod document;
mod files;
pub mod fonts;
mod grid;
pub mod ledger;
pub mod merge_table;
mod panels;
pub mod recovery;
pub mod review;
mod text;

pub use app::{AppState, CellMode, Dialogs, Part, Target};
pub use command::Command;
pub use grid::{cell_id, cell_tooltip};
pub use text::text_id;

use std::path::PathBuf;
use std::process::ExitCode;

/// Draw one frame of the whole window into `ui` (also used by the tests).
pub fn ui_root(ui: &mut egui::Ui, state: &mut AppState) {
    let ctx = ui.ctx().clone();
    log_input(&ctx, state);
    let text_focus = ctx.memory(|m| m.focused()).is_some_and(|id| {
        egui::text_edit::TextEditState::load(&ctx, id).is_some() && !is_cell(state, id)
    });
    state.queue.extend(Command::from_input(
        &ctx,
        text_focus && state.modal.is_none(),
    ));
    state.run_queue(&ctx);

    egui::Panel::top("menu").show(ui, |ui| panels::menu_bar(ui, state));
    egui::Panel::bottom("status").show(ui, |ui| panels::status_bar(ui, state));
    egui::Panel::left("nav")
        .resizable(false)
        .exact_size(196.0)
        .show(ui, |ui| panels::navigation(ui, state));
    egui::Panel::right("findings")
        .resizable(true)
        .default_size(300.0)
        .show(ui, |ui| panels::findings(ui, state));
    egui::CentralPanel::default_margins().show(ui, |ui| {
        egui::ScrollArea::both()
            .id_salt(("part", state.part))
            .auto_shrink([false, false])
            .show(ui, |ui| match state.part {
                Part::Meta => text::meta(ui, state),
                Part::Preamble => text::preamble(ui, state),
                Part::Overview => text::overview(ui, state),
                Part::Problems | Part::Other => text::section_text(ui, state, state.part),
                p => text::table_part(ui, state, p.table().expect("table parts")),
            });
    });
    state.ctx_for_workers = ctx.clone();
    review::window(ui, state);
    ledger::window(ui, state);
    panels::modal(ui, state);
    state.run_queue(&ctx);
    if *LOG_INPUT {
        eprintln!(
            "    end of frame: focus={:?} edit={:?}",
            ctx.memory(|m| m.focused()),
            state
                .edit
                .as_ref()
                .map(|e| (e.field, e.text.clone(), e.mode))
        );
    }
}

/// `NIANBAO_LOG_INPUT` is set: log input frame by frame (see [`log_input`]).
static LOG_INPUT: std::sync::LazyLock<bool> =
    std::sync::LazyLock::new(|| std::env::var_os("NIANBAO_LOG_INPUT").is_some());

/// With `NIANBAO_LOG_INPUT=1`, print each frame's input events, the
/// focused widget and the cell being edited to stderr: how a real window
/// delivers keys, for diagnosing lost keystrokes.
fn log_input(ctx: &egui::Context, state: &AppState) {
    if !*LOG_INPUT {
        return;
    }
    let (events, time) = ctx.input(|i| {
        (
            i.events
                .iter()
                .filter(|e| !matches!(e, egui::Event::PointerMoved(_)))
                .cloned()
                .collect::<Vec<_>>(),
            i.time,
        )
    });
    let focus = ctx.memory(|m| m.focused());
    if events.is_empty() {
        return;
    }
    eprintln!(
        "{time:.3} focus={focus:?} edit={:?} events={events:?}",
        state
            .edit
            .as_ref()
            .map(|e| (e.field, e.text.clone(), e.mode))
    );
}

fn is_cell(state: &AppState, id: egui::Id) -> bool {
    state
        .edit
        .as_ref()
        .is_some_and(|e| grid::cell_id(e.field) == id)
}

/// The eframe application: window title, close guard, autosave, persistence.
pub struct NianbaoApp {
    pub state: AppState,
    title: String,
    /// When `run` started, for the start-up time (printed once with
    /// `NIANBAO_TIMING=1`).
    started: Option<std::time::Instant>,
}

const RECENT_KEY: &str = "recent";

impl NianbaoApp {
    pub fn new(cc: &eframe::CreationContext<'_>, file: Option<PathBuf>) -> Self {
        fonts::install(&cc.egui_ctx);
        let data_dir = recovery::default_data_dir();
        let mut state = AppState::new(Box::new(app::NativeDialogs::default()), data_dir.as_deref());
        if let Some(storage) = cc.storage
            && let Some(r) = eframe::get_value(storage, RECENT_KEY)
        {
            state.recent = r;
        }
        if let Some(f) = file {
            state.open_path(&f);
        }
        NianbaoApp {
            state,
            title: String::new(),
            started: None,
        }
    }
}

impl eframe::App for NianbaoApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        phase(self.started.take(), "first frame");
        if ctx.input(|i| i.viewport().close_requested()) && !self.state.close_ok {
            if self.state.doc.is_dirty() {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                if self.state.modal.is_none() {
                    self.state.modal = Some(app::Modal::Unsaved(app::Pending::Quit));
                }
            } else {
                self.state.discard_recovery();
            }
        }
        ui_root(ui, &mut self.state);
        if self.state.want_close {
            self.state.want_close = false;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        let title = self.state.title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
        if let Some(next) = self.state.autosave_tick() {
            ctx.request_repaint_after(next);
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, RECENT_KEY, &self.state.recent);
    }
}

/// Open the window (optionally on a draft).
/// The application icon (also installed by the .deb at the hicolor sizes).
pub static ICON_PNG: &[u8] = include_bytes!("../../assets/icons/nianbao-256.png");

/// With `NIANBAO_TIMING=1`: how long after start a phase of start-up ended.
fn phase(started: Option<std::time::Instant>, what: &str) {
    if let Some(t) = started {
        eprintln!(
            "nianbao: {what} {:.0} ms after start",
            t.elapsed().as_secs_f64() * 1000.0
        );
    }
}

pub fn run(file: Option<PathBuf>) -> ExitCode {
    let started = std::env::var_os("NIANBAO_TIMING").map(|_| std::time::Instant::now());
    // Fits a 1366×768 laptop screen with its taskbar and title bar; the
    // size and position the clerk leaves are remembered (persist_window).
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("nianbao")
        .with_app_id("nianbao")
        .with_inner_size([1280.0, 680.0])
        .with_min_inner_size([900.0, 560.0]);
    if let Ok(icon) = eframe::icon_data::from_png_bytes(ICON_PNG) {
        viewport = viewport.with_icon(std::sync::Arc::new(icon));
    }
    let options = eframe::NativeOptions {
        viewport,
        persist_window: true,
        system_font_fallback: false,
        ..Default::default()
    };
    match eframe::run_native(
        "nianbao",
        options,
        Box::new(move |cc| {
            phase(started, "window and renderer ready");
            let mut app = NianbaoApp::new(cc, file);
            phase(started, "fonts, settings and the file read");
            app.started = started;
            Ok(Box::new(app))
        }),
    ) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：无法打开窗口（{e}）。没有图形界面时可以使用命令行，见 nianbao --help");
            ExitCode::from(2)
        }
    }
}
