//! nianbao: 政府信息公开工作年度报告 (国办公开办函〔2021〕30号) — the core.
//!
//! Everything here is plain Rust with no GUI; `gui` is the only module that
//! touches egui (DESIGN principle 2).

pub mod cell;
pub mod check;
pub mod cli;
pub mod date;
pub mod decode;
pub mod draft;
pub mod export;
pub mod fonts;
pub mod guard;
pub mod identities;
pub mod import;
pub mod ledger;
pub mod narrative_gen;
pub mod open;
pub mod parallel;
pub mod paste;
pub mod report;
pub mod review;
pub mod sample;
pub mod schema;
pub mod similarity;
pub mod text;
pub mod tidy;
pub mod version;
pub mod year;

pub mod gui;

pub use cell::{Cell, parse_cell};
pub use check::{Finding, Severity, check};
pub use report::Report;
