//! Editors of 基本信息 and the narrative parts: official guidance above,
//! a live 汉字 count, and last year's text with one-click quoting.

use super::app::{AppState, Part, Target};
use super::document::EditKey;
use crate::check::{OVERVIEW_LIMIT, hanzi_count, part};
use crate::report::{Level, Narrative, Report};
use crate::schema::{self, SectionId};
use egui::{Color32, Id, RichText, TextEdit, Ui};

pub fn text_id(key: &str) -> Id {
    Id::unique(("text", key))
}

fn guidance(ui: &mut Ui, state: &AppState, text: &str) {
    if state.show_guidance {
        egui::Frame::new()
            .fill(Color32::from_rgb(244, 247, 252))
            .inner_margin(8.0)
            .corner_radius(4.0)
            .show(ui, |ui| {
                ui.label(RichText::new(format!("填写说明：{text}")).color(Color32::from_gray(70)));
            });
        ui.add_space(6.0);
    }
}

type Getter = fn(&Narrative) -> &String;
type Setter = fn(&mut Narrative) -> &mut String;

/// A multi-line editor bound to one narrative string.
fn editor(
    ui: &mut Ui,
    state: &mut AppState,
    key: &'static str,
    label: &str,
    get: Getter,
    set: Setter,
    rows: usize,
) {
    let label_resp = ui.label(RichText::new(label).strong());
    let mut text = get(&state.doc.report.narrative).clone();
    let id = text_id(key);
    let resp = ui
        .add(
            TextEdit::multiline(&mut text)
                .id(id)
                .desired_rows(rows)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label_resp.id);
    if state.focus == Some(Target::Text(key.to_string())) {
        resp.request_focus();
        resp.scroll_to_me(None);
        state.focus = None;
    }
    if resp.changed() {
        state.doc.edit(EditKey::Text(key), |r| {
            *set(&mut r.narrative) = text.clone()
        });
    }
    count_line(ui, &text, None);
    previous(
        ui,
        state,
        key,
        |n| get(n).clone(),
        move |r, s| *set(&mut r.narrative) = s,
    );
}

fn count_line(ui: &mut Ui, text: &str, limit: Option<usize>) {
    let n = hanzi_count(text);
    let mut t = RichText::new(format!("汉字 {n} 个")).small();
    if let Some(l) = limit
        && n > l
    {
        t = RichText::new(format!(
            "汉字 {n} 个，超过 {l} 字（篇幅原则上不超过一千字）"
        ))
        .small()
        .color(Color32::from_rgb(200, 90, 0));
    }
    ui.label(t);
}

/// Last year's text for a part, with 引用上年内容.
fn previous(
    ui: &mut Ui,
    state: &mut AppState,
    key: &'static str,
    get: impl Fn(&Narrative) -> String,
    set: impl FnOnce(&mut Report, String),
) {
    let Some(prev) = &state.doc.report.previous else {
        return;
    };
    let last = get(&prev.narrative);
    if last.trim().is_empty() {
        return;
    }
    let year = prev.year;
    let mut quote = false;
    egui::CollapsingHeader::new(format!("上年（{year} 年）报告中的这一部分"))
        .id_salt(("prev", key))
        .show(ui, |ui| {
            ui.label(RichText::new(&last).color(Color32::from_gray(90)));
            quote = ui
                .button("引用上年内容")
                .on_hover_text("把上年的文字复制到本年，再据实修改；不得年年雷同")
                .clicked();
        });
    if quote {
        state.doc.edit(EditKey::Block, |r| set(r, last));
        state.status = "已引用上年内容，请据实修改".into();
    }
}

pub fn meta(ui: &mut Ui, state: &mut AppState) {
    ui.heading("基本信息");
    ui.add_space(6.0);
    let m = state.doc.report.meta.clone();
    let mut agency = m.agency.clone();
    let mut year = m.year.to_string();
    let mut contact = m.contact.clone();
    let mut date = m.publish_date.clone();
    let mut level = m.level;
    egui::Grid::new("meta")
        .num_columns(2)
        .spacing([12.0, 10.0])
        .show(ui, |ui| {
            let l = ui.label("机关名称");
            let r = ui
                .add(
                    TextEdit::singleline(&mut agency)
                        .id(text_id(part::META_AGENCY))
                        .desired_width(360.0)
                        .hint_text("如：某某区人民政府"),
                )
                .labelled_by(l.id);
            if state.focus == Some(Target::Text(part::META_AGENCY.into())) {
                r.request_focus();
                state.focus = None;
            }
            ui.end_row();
            let l = ui.label("报告年度");
            let r = ui
                .add(
                    TextEdit::singleline(&mut year)
                        .id(text_id(part::META_YEAR))
                        .desired_width(80.0),
                )
                .labelled_by(l.id);
            if state.focus == Some(Target::Text(part::META_YEAR.into())) {
                r.request_focus();
                state.focus = None;
            }
            ui.end_row();
            let l = ui.label("机关层级");
            egui::ComboBox::from_id_salt("level")
                .selected_text(level.map(Level::label).unwrap_or("（未选）"))
                .show_ui(ui, |ui| {
                    for lv in Level::ALL {
                        ui.selectable_value(&mut level, Some(lv), lv.label());
                    }
                })
                .response
                .labelled_by(l.id);
            ui.end_row();
            let l = ui.label("联系方式");
            ui.add(
                TextEdit::singleline(&mut contact)
                    .desired_width(360.0)
                    .hint_text("办公室电话、地址"),
            )
            .labelled_by(l.id);
            ui.end_row();
            let l = ui.label("发布日期");
            ui.add(
                TextEdit::singleline(&mut date)
                    .desired_width(160.0)
                    .hint_text("如：2025-01-20"),
            )
            .labelled_by(l.id);
            ui.end_row();
        });
    ui.add_space(8.0);
    ui.label(RichText::new(format!("报告标题：{}", state.doc.report.title())).strong());
    if let Some(src) = &state.doc.report.meta.ledger {
        ui.add_space(6.0);
        ui.label(format!(
            "表三由登记台账统计：{}（{} 行，{} 统计）",
            src.file, src.rows, src.date
        ));
    }
    if let Some(prev) = &state.doc.report.previous {
        ui.add_space(12.0);
        ui.label(RichText::new(format!("与上年（{} 年）比较主要数据", prev.year)).strong());
        let rows = crate::year::compare(&state.doc.report.tables, &prev.tables);
        egui::Grid::new("compare")
            .striped(true)
            .num_columns(5)
            .spacing([18.0, 4.0])
            .show(ui, |ui| {
                for h in ["项目", "本年", "上年", "变化", ""] {
                    ui.label(RichText::new(h).strong());
                }
                ui.end_row();
                let show = |d: Option<rust_decimal::Decimal>| {
                    d.map(|d| d.normalize().to_string())
                        .unwrap_or_else(|| "—".into())
                };
                for r in rows {
                    ui.label(r.name);
                    ui.label(show(r.this));
                    ui.label(show(r.last));
                    ui.label(
                        r.change()
                            .map(|c| {
                                if c.is_sign_positive() && !c.is_zero() {
                                    format!("+{}", c.normalize())
                                } else {
                                    c.normalize().to_string()
                                }
                            })
                            .unwrap_or_else(|| "—".into()),
                    );
                    if r.suspicious {
                        ui.label(RichText::new("请核实").color(Color32::from_rgb(200, 90, 0)))
                            .on_hover_text("变化超过 5 倍或不足 0.2 倍，请核实数据");
                    } else {
                        ui.label("");
                    }
                    ui.end_row();
                }
            });
    }
    if !m.merged_units.is_empty() {
        ui.add_space(8.0);
        ui.label(format!(
            "本报告由 {} 个单位汇总：{}",
            m.merged_units.len(),
            m.merged_units.join("、")
        ));
    }
    let year_num: Option<i32> = year.trim().parse().ok();
    if agency != m.agency {
        state
            .doc
            .edit(EditKey::Meta("agency"), |r| r.meta.agency = agency);
    }
    if let Some(y) = year_num
        && y != m.year
    {
        state.doc.edit(EditKey::Meta("year"), |r| r.meta.year = y);
    }
    if contact != m.contact {
        state
            .doc
            .edit(EditKey::Meta("contact"), |r| r.meta.contact = contact);
    }
    if date != m.publish_date {
        state
            .doc
            .edit(EditKey::Meta("date"), |r| r.meta.publish_date = date);
    }
    if level != m.level {
        state
            .doc
            .edit(EditKey::Meta("level"), |r| r.meta.level = level);
    }
}

pub fn preamble(ui: &mut Ui, state: &mut AppState) {
    ui.heading("正文前言");
    guidance(ui, state, schema::PREAMBLE_GUIDANCE);
    editor(
        ui,
        state,
        part::PREAMBLE,
        "前言",
        |n| &n.preamble,
        |n| &mut n.preamble,
        6,
    );
}

pub fn overview(ui: &mut Ui, state: &mut AppState) {
    let s = schema::section(SectionId::Overview);
    ui.heading(s.heading);
    guidance(ui, state, s.guidance);
    let total = hanzi_count(&state.doc.report.narrative.overview_text());
    count_line(ui, &"字".repeat(total), Some(OVERVIEW_LIMIT));
    repetition_line(ui, state, |n| n.overview_text());
    editor(
        ui,
        state,
        part::OVERVIEW,
        "综述（各小标题之前的文字，可不填）",
        |n| &n.overview,
        |n| &mut n.overview,
        3,
    );
    let subs = state.doc.report.narrative.overview_subs.clone();
    let mut remove = None;
    for (i, sub) in subs.iter().enumerate() {
        ui.add_space(10.0);
        let mut heading = sub.heading.clone();
        let mut text = sub.text.clone();
        ui.horizontal(|ui| {
            let l = ui.label("小标题");
            ui.add(TextEdit::singleline(&mut heading).desired_width(320.0))
                .labelled_by(l.id);
            if ui.small_button("删除此小节").clicked() {
                remove = Some(i);
            }
        });
        let label = ui.label(RichText::new(format!("{}：正文", sub.heading)).small());
        let resp = ui
            .add(
                TextEdit::multiline(&mut text)
                    .id(Id::unique(("sub", i)))
                    .desired_rows(4)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        let _ = resp;
        count_line(ui, &text, None);
        if heading != sub.heading {
            state.doc.edit(EditKey::Subsection(i, true), |r| {
                r.narrative.overview_subs[i].heading = heading
            });
        }
        if text != sub.text {
            state.doc.edit(EditKey::Subsection(i, false), |r| {
                r.narrative.overview_subs[i].text = text
            });
        }
        let h = sub.heading.clone();
        previous(
            ui,
            state,
            "overview_sub",
            move |n| {
                n.overview_subs
                    .iter()
                    .find(|s| s.heading == h)
                    .map(|s| s.text.clone())
                    .unwrap_or_default()
            },
            move |r, t| r.narrative.overview_subs[i].text = t,
        );
    }
    if let Some(i) = remove {
        state.doc.edit(EditKey::Block, |r| {
            r.narrative.overview_subs.remove(i);
        });
    }
    ui.add_space(8.0);
    if ui.button("添加小节").clicked() {
        let n = state.doc.report.narrative.overview_subs.len();
        let heading = schema::OVERVIEW_SUBHEADINGS
            .get(n)
            .map(|s| s.to_string())
            .unwrap_or_else(|| "（六）".into());
        state.doc.edit(EditKey::Block, |r| {
            r.narrative.overview_subs.push(crate::report::Subsection {
                heading,
                text: String::new(),
            })
        });
    }
}

pub fn section_text(ui: &mut Ui, state: &mut AppState, which: Part) {
    let (id, key, get, set): (SectionId, &'static str, Getter, Setter) = match which {
        Part::Problems => (
            SectionId::Problems,
            part::PROBLEMS,
            |n| &n.problems,
            |n| &mut n.problems,
        ),
        _ => (
            SectionId::Other,
            part::OTHER,
            |n| &n.other,
            |n| &mut n.other,
        ),
    };
    let s = schema::section(id);
    ui.heading(s.heading);
    guidance(ui, state, s.guidance);
    repetition_line(ui, state, move |n| get(n).clone());
    editor(ui, state, key, "正文", get, set, 10);
}

/// "与上年重复 63%", live, when last year's text is known (the reviewer's
/// measure, see `similarity`); orange above the R11 line.
fn repetition_line(
    ui: &mut Ui,
    state: &AppState,
    text: impl Fn(&crate::report::Narrative) -> String,
) {
    let Some(prev) = &state.doc.report.previous else {
        return;
    };
    let Some(share) =
        crate::similarity::repetition(&text(&state.doc.report.narrative), &text(&prev.narrative))
    else {
        return;
    };
    let t = RichText::new(format!("与上年重复 {share:.0}%")).small();
    if share > crate::similarity::DEFAULT_THRESHOLD {
        ui.label(t.color(egui::Color32::from_rgb(200, 110, 0)))
            .on_hover_text("超过 50% 时审核会扣分，请结合本年工作改写");
    } else {
        ui.label(t);
    }
}

/// A table part: heading, guidance, the grid.
pub fn table_part(ui: &mut Ui, state: &mut AppState, t: schema::TableId) {
    let s = schema::section(t.section());
    ui.heading(s.heading);
    guidance(ui, state, s.guidance);
    super::grid::table(ui, state, t);
    ui.add_space(6.0);
    ui.label(
        RichText::new("灰色单元格为自动合计，不能直接填写。Tab/Enter/方向键在单元格间移动；可从 Excel/WPS 复制一块数据粘贴到当前单元格。")
            .small()
            .color(Color32::from_gray(100)),
    );
}
