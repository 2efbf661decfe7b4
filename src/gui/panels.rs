//! The frame around the editor: menu bar, navigation with badges, the
//! findings panel, the status bar and the dialogs.

use super::app::{AppState, Modal, Part};
use super::command::Command;
use crate::check::Severity;
use egui::{Color32, RichText, Ui};

fn command_button(ui: &mut Ui, state: &mut AppState, c: Command, enabled: bool) {
    let mut b = egui::Button::new(c.text());
    if let Some(s) = c.shortcuts().first() {
        b = b.shortcut_text(ui.ctx().format_shortcut(s));
    }
    if ui
        .add_enabled(enabled, b)
        .on_hover_text(c.tooltip())
        .clicked()
    {
        state.queue.push(c);
        ui.close();
    }
}

pub fn menu_bar(ui: &mut Ui, state: &mut AppState) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("文件", |ui| {
            for c in [Command::New, Command::Open] {
                command_button(ui, state, c, true);
            }
            let recent: Vec<_> = state.recent.existing().to_vec();
            ui.menu_button("最近打开", |ui| {
                if recent.is_empty() {
                    ui.label("（无）");
                }
                for p in recent {
                    if ui.button(p.display().to_string()).clicked() {
                        state.guard(super::app::Pending::Open(Some(p)));
                        ui.close();
                    }
                }
            });
            ui.separator();
            for c in [Command::NewYear, Command::ImportPublished, Command::Ledger] {
                command_button(ui, state, c, true);
            }
            ui.separator();
            for c in [Command::Review, Command::Merge] {
                command_button(ui, state, c, true);
            }
            ui.separator();
            for c in [Command::Save, Command::SaveAs] {
                command_button(ui, state, c, true);
            }
            ui.separator();
            for c in [Command::ExportDocx, Command::ExportPdf, Command::Print] {
                command_button(ui, state, c, true);
            }
            ui.separator();
            for c in [
                Command::ExportHtml,
                Command::ExportFragment,
                Command::ExportText,
                Command::CopyFragment,
                Command::Preview,
            ] {
                command_button(ui, state, c, true);
            }
            ui.separator();
            command_button(ui, state, Command::Quit, true);
        });
        ui.menu_button("编辑", |ui| {
            let (u, r) = (state.doc.can_undo(), state.doc.can_redo());
            command_button(ui, state, Command::Undo, u);
            command_button(ui, state, Command::Redo, r);
            ui.separator();
            command_button(ui, state, Command::NextFinding, true);
            ui.separator();
            command_button(ui, state, Command::GenerateNarrative, true);
            command_button(ui, state, Command::Tidy, true);
        });
        ui.menu_button("视图", |ui| {
            for p in Part::ALL {
                if ui.selectable_label(state.part == p, p.label()).clicked() {
                    state.part = p;
                    ui.close();
                }
            }
            ui.separator();
            command_button(ui, state, Command::PrevPart, true);
            command_button(ui, state, Command::NextPart, true);
            ui.checkbox(&mut state.show_guidance, "显示填写说明");
        });
        ui.menu_button("帮助", |ui| {
            command_button(ui, state, Command::OpenSample, true);
            command_button(ui, state, Command::About, true);
        });
    });
}

/// Error and warning counts of a part.
pub fn badge(state: &AppState, p: Part) -> (usize, usize) {
    let mut e = 0;
    let mut w = 0;
    for f in state
        .doc
        .findings
        .iter()
        .filter(|f| Part::of_finding(f) == Some(p))
    {
        match f.severity {
            Severity::Error => e += 1,
            Severity::Warning => w += 1,
            Severity::Info => {}
        }
    }
    (e, w)
}

pub fn navigation(ui: &mut Ui, state: &mut AppState) {
    ui.add_space(6.0);
    ui.label(
        RichText::new("报告各部分")
            .small()
            .color(Color32::from_gray(100)),
    );
    for p in Part::ALL {
        let (e, w) = badge(state, p);
        let mut text = egui::text::LayoutJob::default();
        text.append(
            p.label(),
            0.0,
            egui::TextFormat {
                font_id: egui::FontId::proportional(15.0),
                color: ui.visuals().text_color(),
                ..Default::default()
            },
        );
        if e > 0 {
            text.append(
                &format!("  ●{e}"),
                0.0,
                egui::TextFormat {
                    color: Color32::from_rgb(210, 30, 30),
                    ..Default::default()
                },
            );
        }
        if w > 0 {
            text.append(
                &format!("  ▲{w}"),
                0.0,
                egui::TextFormat {
                    color: Color32::from_rgb(220, 130, 0),
                    ..Default::default()
                },
            );
        }
        if e == 0 && w == 0 {
            text.append(
                "  ✓",
                0.0,
                egui::TextFormat {
                    color: Color32::from_rgb(40, 150, 60),
                    ..Default::default()
                },
            );
        }
        let r = ui
            .add_sized(
                [ui.available_width(), 30.0],
                egui::Button::selectable(state.part == p, text),
            )
            .on_hover_text(format!("{}：错误 {e} 项，警告 {w} 项", p.label()));
        if r.clicked() {
            state.part = p;
        }
    }
}

pub fn findings(ui: &mut Ui, state: &mut AppState) {
    ui.add_space(6.0);
    ui.label(RichText::new("检查结果").strong());
    ui.separator();
    let mut jump = None;
    egui::ScrollArea::vertical()
        .id_salt("findings")
        .show(ui, |ui| {
            if state.doc.findings.is_empty() {
                ui.label(RichText::new("没有发现问题 ✓").color(Color32::from_rgb(40, 150, 60)));
            }
            for sev in [Severity::Error, Severity::Warning, Severity::Info] {
                let group: Vec<_> = state
                    .doc
                    .findings
                    .iter()
                    .filter(|f| f.severity == sev)
                    .collect();
                if group.is_empty() {
                    continue;
                }
                let color = match sev {
                    Severity::Error => Color32::from_rgb(190, 20, 20),
                    Severity::Warning => Color32::from_rgb(190, 110, 0),
                    Severity::Info => Color32::from_rgb(40, 100, 180),
                };
                ui.label(
                    RichText::new(format!("{}（{}）", sev.label(), group.len()))
                        .strong()
                        .color(color),
                );
                for f in group {
                    let where_ = Part::of_finding(f)
                        .map(|p| format!("〔{}〕", p.label()))
                        .unwrap_or_default();
                    let text = format!("{where_}{}", f.message);
                    let r = ui
                        .add(
                            egui::Button::new(RichText::new(text).size(13.0))
                                .wrap()
                                .frame(false),
                        )
                        .on_hover_text(format!("规则 {}，点击跳到相应位置", f.rule));
                    if r.clicked() {
                        jump = Some(f.clone());
                    }
                    ui.add_space(2.0);
                }
                ui.add_space(6.0);
            }
        });
    if let Some(f) = jump {
        state.jump_to(&f);
    }
}

pub fn status_bar(ui: &mut Ui, state: &AppState) {
    ui.horizontal(|ui| {
        let path = state
            .doc
            .path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "未保存的新报告".into());
        ui.label(path);
        ui.separator();
        if state.doc.is_dirty() {
            ui.label(RichText::new("有未保存的修改").color(Color32::from_rgb(200, 100, 0)));
        } else {
            ui.label("已保存");
        }
        ui.separator();
        ui.label(format!(
            "错误 {}  警告 {}  提示 {}",
            state.doc.count(Severity::Error),
            state.doc.count(Severity::Warning),
            state.doc.count(Severity::Info)
        ));
        if !state.status.is_empty() {
            ui.separator();
            ui.label(&state.status);
        }
    });
}

pub fn modal(ui: &mut Ui, state: &mut AppState) {
    let Some(m) = state.modal.clone() else { return };
    let ctx = ui.ctx().clone();
    let resp = egui::Modal::new(egui::Id::unique("modal")).show(&ctx, |ui| {
        ui.set_max_width(560.0);
        match m {
            Modal::Unsaved(_) => {
                ui.heading("是否保存修改？");
                ui.label(format!(
                    "“{}”有未保存的修改。如果不保存，修改将会丢失。",
                    state.doc.display_name()
                ));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("保存").clicked() {
                        state.answer_unsaved(Some(true));
                    }
                    if ui.button("不保存").clicked() {
                        state.answer_unsaved(Some(false));
                    }
                    if ui.button("取消").clicked() {
                        state.answer_unsaved(None);
                    }
                });
            }
            Modal::AskPath { action, mut text } => {
                ui.heading(action.title());
                let many = action == super::app::PathAction::Merge;
                ui.label(if many {
                    "本机没有可用的文件选择窗口。请输入要汇总的文件的完整路径，每行一个。"
                } else {
                    "本机没有可用的文件选择窗口。请输入文件的完整路径。"
                });
                let label = ui.label("文件路径");
                let edit = if many {
                    egui::TextEdit::multiline(&mut text)
                } else {
                    egui::TextEdit::singleline(&mut text)
                };
                // Read Enter before the field takes it (it surrenders focus on Enter).
                let enter_pressed = ui.input(|i| i.key_pressed(egui::Key::Enter));
                let r = ui.add(edit.desired_width(520.0)).labelled_by(label.id);
                if ui.memory(|m| m.focused().is_none()) {
                    r.request_focus();
                }
                if r.changed() {
                    state.modal = Some(Modal::AskPath {
                        action: action.clone(),
                        text: text.clone(),
                    });
                }
                let enter = !many && enter_pressed && (r.lost_focus() || r.has_focus());
                ui.horizontal(|ui| {
                    if ui.button("确定").clicked() || enter {
                        let paths: Vec<std::path::PathBuf> = text
                            .lines()
                            .map(str::trim)
                            .filter(|l| !l.is_empty())
                            .map(Into::into)
                            .collect();
                        state.modal = None;
                        state.path_chosen(action, paths);
                    }
                    if ui.button("取消").clicked() {
                        state.modal = None;
                    }
                });
            }
            Modal::Message { title, text } => {
                ui.heading(title);
                // A long message scrolls inside the dialog; the dialog
                // never grows past the screen.
                let max = (ui.ctx().content_rect().height() * 0.6).max(120.0);
                egui::ScrollArea::vertical().max_height(max).show(ui, |ui| {
                    ui.label(text);
                });
                ui.add_space(8.0);
                if ui.button("确定").clicked() {
                    state.modal = None;
                }
            }
            Modal::Recover(list) => {
                ui.heading("发现未保存的内容");
                let r = &list[0];
                let what = r
                    .original
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| "未保存过的新报告".into());
                ui.label(format!(
                    "上次关闭前，“{what}”（{}）有未保存的修改，已自动保留了一份副本。",
                    r.report.title()
                ));
                ui.label("要恢复这些内容吗？");
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("恢复").clicked() {
                        state.answer_recovery(true);
                    }
                    if ui.button("丢弃").clicked() {
                        state.answer_recovery(false);
                    }
                });
            }
            Modal::Tidy(n, changed) => {
                ui.heading("一键排版");
                if changed.is_empty() {
                    ui.label("正文已经很整齐，没有需要修改的地方。");
                    if ui.button("确定").clicked() {
                        state.modal = None;
                    }
                } else {
                    ui.label(format!(
                        "将统一标点为全角、删去汉字间的空格和段落中间的断行、合并多余的空行。要修改的部分：{}",
                        changed.join("、")
                    ));
                    egui::ScrollArea::vertical().max_height(320.0).show(ui, |ui| {
                        let old = &state.doc.report.narrative;
                        for (before, after) in [
                            (&old.preamble, &n.preamble),
                            (&old.overview, &n.overview),
                            (&old.problems, &n.problems),
                            (&old.other, &n.other),
                        ]
                        .into_iter()
                        .chain(old.overview_subs.iter().zip(&n.overview_subs).map(|(a, b)| (&a.text, &b.text)))
                        .filter(|(a, b)| a != b)
                        {
                            ui.label(RichText::new("修改前").weak());
                            ui.label(before.as_str());
                            ui.label(RichText::new("修改后").strong());
                            ui.label(after.as_str());
                            ui.separator();
                        }
                    });
                    ui.horizontal(|ui| {
                        if ui.button("应用排版").clicked() {
                            state.apply_tidy((*n).clone());
                        }
                        if ui.button("取消").clicked() {
                            state.modal = None;
                        }
                    });
                }
            }
            Modal::Generated(g) => {
                ui.heading("生成数据段落");
                ui.label("以下句子由表格中的数字生成（为 0 的项目按惯例不写），与表格一致：");
                egui::ScrollArea::vertical()
                    .max_height(360.0)
                    .show(ui, |ui| {
                        for (t, text) in &g.paragraphs {
                            ui.label(RichText::new(t.label()).strong());
                            ui.label(text);
                            ui.add_space(6.0);
                        }
                        if !g.missing.is_empty() {
                            ui.colored_label(
                                egui::Color32::from_rgb(190, 110, 0),
                                format!("表格中有空白或无效的格，未写：{}", g.missing.join("、")),
                            );
                        }
                    });
                ui.horizontal(|ui| {
                    if ui.button("加在原有内容之后").clicked() {
                        state.place_generated(&g, false);
                    }
                    if ui.button("替换原有内容").clicked() {
                        state.place_generated(&g, true);
                    }
                    if ui.button("取消").clicked() {
                        state.modal = None;
                    }
                });
            }
            Modal::MergeSummary {
                table,
                findings,
                csv,
            } => {
                ui.heading("汇总结果");
                super::merge_table::show(ui, &table);
                egui::ScrollArea::vertical()
                    .id_salt("merge-findings")
                    .max_height(160.0)
                    .show(ui, |ui| {
                        for f in &findings {
                            ui.label(f);
                        }
                    });
                ui.horizontal(|ui| {
                    if ui.button("保存汇总表 CSV…").clicked() {
                        state.save_merge_csv(&csv);
                    }
                    if ui.button("确定").clicked() {
                        state.modal = None;
                    }
                });
            }
        }
    });
    if resp.should_close()
        && matches!(
            state.modal,
            Some(Modal::Message { .. })
                | Some(Modal::MergeSummary { .. })
                | Some(Modal::AskPath { .. })
        )
    {
        state.modal = None;
    }
}
