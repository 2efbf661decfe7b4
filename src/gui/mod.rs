//! The desktop editor (eframe/egui). The only module that imports egui.

use std::path::PathBuf;
use std::process::ExitCode;

pub fn run(_file: Option<PathBuf>) -> ExitCode {
    eprintln!("图形界面尚未完成");
    ExitCode::from(2)
}
