//! The whole editor, headless, through egui_kittest: typing, findings,
//! keyboard moves, block paste, undo, files, the unsaved guard, recovery.

use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use nianbao::cell::Cell;
use nianbao::gui::app::{Modal, NoDialogs};
use nianbao::gui::{AppState, Dialogs, Part, fonts, ui_root};
use nianbao::report::{Report, Value};
use nianbao::schema::{self, FieldIdx, TableId};
use std::collections::VecDeque;
use std::path::PathBuf;

/// Dialogs that answer from a script; an empty script means "cancelled".
#[derive(Default)]
struct Scripted(VecDeque<PathBuf>);

impl Dialogs for Scripted {
    fn open(&mut self, _: &str, _: &[(&str, &[&str])]) -> Option<PathBuf> {
        self.0.pop_front()
    }
    fn open_many(&mut self, _: &str, _: &[(&str, &[&str])]) -> Vec<PathBuf> {
        self.0.drain(..).collect()
    }
    fn save(&mut self, _: &str, _: &str, _: &[(&str, &[&str])]) -> Option<PathBuf> {
        self.0.pop_front()
    }
}

fn state_with(report: Report) -> AppState {
    let mut s = AppState::new(Box::new(Scripted::default()), None);
    s.doc = nianbao::gui::document::Document::new(report, None);
    s
}

fn harness(state: AppState) -> Harness<'static, AppState> {
    Harness::builder()
        .with_size([1366.0, 768.0])
        .with_theme(egui::Theme::Light)
        .with_context_setup(|ctx| {
            fonts::install(ctx);
            // Tooltips at once, so a hover shows them within one run.
            ctx.global_style_mut(|s| {
                s.interaction.tooltip_delay = 0.0;
                s.interaction.show_tooltips_only_when_still = false;
            });
        })
        .build_ui_state(ui_root, state)
}

fn req(row: &str, col: &str) -> FieldIdx {
    schema::idx(TableId::Requests, row, col)
}

fn on_part(h: &mut Harness<'static, AppState>, p: Part) {
    h.state_mut().part = p;
    h.run();
}

/// An empty report with one part shown.
fn empty_on(p: Part) -> Harness<'static, AppState> {
    let mut h = harness(state_with(Report::new("某局", 2024)));
    on_part(&mut h, p);
    h
}

fn focus(h: &mut Harness<'static, AppState>, label: &str) {
    h.get_by_label(label).focus();
    h.run();
}

fn focus_and_type(h: &mut Harness<'static, AppState>, label: &str, text: &str) {
    focus(h, label);
    h.get_by_label(label).type_text(text);
    h.run();
}

fn focused_field(h: &Harness<'static, AppState>) -> Option<FieldIdx> {
    let id = h.ctx.memory(|m| m.focused())?;
    schema::leaves()
        .iter()
        .copied()
        .find(|&f| nianbao::gui::cell_id(f) == id)
}

#[test]
fn typing_updates_total_and_findings() {
    let mut h = empty_on(Part::Requests);
    focus_and_type(&mut h, "本年新收 · 自然人", "１４");
    let s = h.state();
    assert_eq!(
        s.doc.report.tables.get(req("new", "natural_person")),
        &Cell::Count(14)
    );
    assert_eq!(
        s.doc.report.tables.value(req("new", "total")),
        Value::Sum {
            value: 14.into(),
            complete: false
        }
    );
    assert!(
        s.doc
            .findings
            .iter()
            .any(|f| f.rule == "R1" && f.message.starts_with("自然人列"))
    );
    assert_eq!(
        h.get_by_label("本年新收 · 总计").value().as_deref(),
        Some("14")
    );
    assert!(s.doc.is_dirty());
    assert!(s.title().starts_with("*未命名"));
}

#[test]
fn invalid_text_is_flagged_and_kept() {
    let mut h = empty_on(Part::Requests);
    focus_and_type(&mut h, "本年新收 · 商业企业", "十二");
    h.key_press(Key::Tab);
    h.run();
    let s = h.state();
    assert_eq!(
        s.doc.report.tables.get(req("new", "commercial")),
        &Cell::Invalid("十二".into())
    );
    assert!(
        s.doc
            .findings
            .iter()
            .any(|f| f.rule == "R5" && f.message.contains("“十二”"))
    );
    assert_eq!(
        h.get_by_label("本年新收 · 商业企业").value().as_deref(),
        Some("十二")
    );
    assert!(
        s.doc
            .cell_findings
            .get(&req("new", "commercial"))
            .and_then(|c| c.outline)
            == Some(nianbao::Severity::Error),
        "the cell is outlined"
    );
}

#[test]
fn clicking_a_finding_focuses_its_cell() {
    let mut r = nianbao::sample::filled_report("某局", 2024, 3);
    r.tables.set(
        req("withheld_query", "research"),
        Cell::Invalid("abc".into()),
    );
    let mut h = harness(state_with(r));
    on_part(&mut h, Part::Meta);
    h.get_by_label_contains("“abc”").click();
    h.run();
    assert_eq!(h.state().part, Part::Requests);
    assert_eq!(focused_field(&h), Some(req("withheld_query", "research")));
    assert!(h.get_by_label("属于行政查询事项 · 科研机构").is_focused());
}

#[test]
fn tab_skips_totals_and_enter_moves_down() {
    let mut h = empty_on(Part::Requests);
    focus(&mut h, "本年新收 · 自然人");
    let order = nianbao::gui::app::tab_order(TableId::Requests);
    assert!(order.iter().all(|&f| !schema::field(f).is_derived()));
    for want in &order[1..8] {
        h.key_press(Key::Tab);
        h.run();
        assert_eq!(
            focused_field(&h),
            Some(*want),
            "Tab goes to {}",
            schema::field(*want).id
        );
    }
    assert_eq!(
        focused_field(&h),
        Some(req("carried_over", "commercial")),
        "本年新收 · 总计 was skipped"
    );
    h.key_press_modifiers(Modifiers::SHIFT, Key::Tab);
    h.run();
    assert_eq!(
        focused_field(&h),
        Some(req("carried_over", "natural_person"))
    );
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(focused_field(&h), Some(req("disclosed", "natural_person")));
    h.key_press_modifiers(Modifiers::SHIFT, Key::Enter);
    h.run();
    assert_eq!(
        focused_field(&h),
        Some(req("carried_over", "natural_person"))
    );
    h.key_press(Key::ArrowDown);
    h.run();
    assert_eq!(focused_field(&h), Some(req("disclosed", "natural_person")));
    // From 3.其他, Enter skips the derived （七）总计 row.
    h.state_mut().focus = Some(nianbao::gui::Target::Cell(req("other_misc", "research")));
    h.run();
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(focused_field(&h), Some(req("carried_forward", "research")));
}

#[test]
fn pasting_a_block_fills_cells_and_one_undo_reverts_it() {
    let mut h = empty_on(Part::Requests);
    focus(&mut h, "本年新收 · 自然人");
    // Three rows of seven columns as Excel copies them (the last is 总计).
    let block = "5\t1\t0\t0\t0\t1\t7\r\n１\t0\t0\t0\t0\t0\t1\r\n4\t1\t0\t0\t0\t1\t6\r\n";
    h.event(Event::Paste(block.into()));
    h.run();
    let s = h.state();
    let t = &s.doc.report.tables;
    assert_eq!(t.get(req("new", "natural_person")), &Cell::Count(5));
    assert_eq!(
        t.get(req("carried_over", "natural_person")),
        &Cell::Count(1)
    );
    assert_eq!(t.get(req("disclosed", "other_org")), &Cell::Count(1));
    assert_eq!(t.value(req("new", "total")).display(), "7");
    assert_eq!(t.value(req("disclosed", "total")).display(), "6");
    assert!(s.status.starts_with("已粘贴 18 个单元格"), "{}", s.status);
    assert!(
        s.doc.findings.iter().any(|f| f.rule == "R1"),
        "findings follow the paste"
    );
    // Values beyond the right edge are reported.
    h.state_mut().focus = Some(nianbao::gui::Target::Cell(req("new", "other_org")));
    h.run();
    h.event(Event::Paste("9\t9\t9\n".into()));
    h.run();
    assert!(
        h.state().status.contains("有 1 个数值超出表格范围"),
        "{}",
        h.state().status
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(
        h.state().doc.report.tables.get(req("new", "other_org")),
        &Cell::Count(1)
    );
    // One Ctrl+Z undoes the whole first paste.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    let t = &h.state().doc.report.tables;
    for row in ["new", "carried_over", "disclosed"] {
        for c in schema::REQUEST_COLUMNS.iter().filter(|c| !c.derived) {
            assert!(t.get(req(row, c.id)).is_blank(), "{row}.{}", c.id);
        }
    }
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run();
    assert_eq!(
        h.state()
            .doc
            .report
            .tables
            .get(req("new", "natural_person")),
        &Cell::Count(5)
    );
}

#[test]
fn escape_reverts_the_cell() {
    let mut r = Report::new("某局", 2024);
    r.tables.set(req("new", "research"), Cell::Count(5));
    let mut h = harness(state_with(r));
    on_part(&mut h, Part::Requests);
    focus_and_type(&mut h, "本年新收 · 科研机构", "9");
    assert_ne!(
        h.state().doc.report.tables.get(req("new", "research")),
        &Cell::Count(5)
    );
    h.key_press(Key::Escape);
    h.run();
    assert_eq!(
        h.state().doc.report.tables.get(req("new", "research")),
        &Cell::Count(5)
    );
    assert_eq!(
        h.get_by_label("本年新收 · 科研机构").value().as_deref(),
        Some("5")
    );
}

#[test]
fn save_and_reopen_through_the_command_layer() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("报告.nianbao");
    let mut h = empty_on(Part::Requests);
    focus_and_type(&mut h, "本年新收 · 自然人", "3");
    h.state_mut().save_to(&path);
    h.run();
    assert!(!h.state().doc.is_dirty());
    assert_eq!(h.state().title(), "报告.nianbao — nianbao");
    let saved = h.state().doc.report.clone();
    let mut other = state_with(Report::new("", 2020));
    other.open_path(&path);
    assert_eq!(other.doc.report, saved);
    assert_eq!(other.doc.path.as_deref(), Some(path.as_path()));
    // Save As through a (scripted) dialog, and Ctrl+S to the same file.
    let copy = dir.path().join("副本.nianbao");
    h.state_mut().dialogs = Box::new(Scripted(VecDeque::from([copy.clone()])));
    h.state_mut().queue.push(nianbao::gui::Command::SaveAs);
    h.run();
    assert!(copy.exists());
    assert_eq!(h.state().doc.path.as_deref(), Some(copy.as_path()));
}

#[test]
fn an_unreadable_file_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("坏.nianbao");
    std::fs::write(&bad, "(version: 1, report: (meta: (agency: ").unwrap();
    let mut s = state_with(nianbao::sample::filled_report("甲", 2024, 1));
    let before = s.doc.report.clone();
    s.open_path(&bad);
    assert_eq!(s.doc.report, before);
    assert!(matches!(&s.modal, Some(Modal::Message { text, .. }) if text.contains("第 1 行")));
    assert_eq!(
        std::fs::read_to_string(&bad).unwrap(),
        "(version: 1, report: (meta: (agency: "
    );
}

#[test]
fn unsaved_changes_are_guarded() {
    let mut h = empty_on(Part::Requests);
    focus_and_type(&mut h, "本年新收 · 自然人", "3");
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    assert!(matches!(h.state().modal, Some(Modal::Unsaved(_))));
    h.get_by_label("取消").click();
    h.run();
    assert!(h.state().modal.is_none());
    assert_eq!(
        h.state()
            .doc
            .report
            .tables
            .get(req("new", "natural_person")),
        &Cell::Count(3)
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    h.get_by_label("不保存").click();
    h.run();
    assert!(
        h.state()
            .doc
            .report
            .tables
            .get(req("new", "natural_person"))
            .is_blank()
    );
    assert!(!h.state().doc.is_dirty());
}

#[test]
fn quit_with_changes_and_a_cancelled_save_dialog_stays_open() {
    let mut h = empty_on(Part::Requests);
    focus_and_type(&mut h, "本年新收 · 自然人", "3");
    h.state_mut().queue.push(nianbao::gui::Command::Quit);
    h.run();
    h.get_by_label("保存").click();
    h.run();
    assert!(
        !h.state().want_close,
        "the save dialog was cancelled, so nothing closes"
    );
    assert!(h.state().doc.is_dirty());
}

#[test]
fn new_year_fills_carry_over_and_shows_last_year_in_tooltips() {
    let dir = tempfile::tempdir().unwrap();
    let mut last = nianbao::sample::filled_report("某局", 2023, 8);
    last.tables
        .set(req("carried_forward", "natural_person"), Cell::Count(4));
    last.tables
        .set(req("new", "natural_person"), Cell::Count(40));
    let p = dir.path().join("2023.nianbao");
    nianbao::draft::save(&last, &p).unwrap();
    let mut h = harness(state_with(Report::new("", 2024)));
    h.state_mut().dialogs = Box::new(Scripted(VecDeque::from([p])));
    h.state_mut().queue.push(nianbao::gui::Command::NewYear);
    h.run();
    assert_eq!(h.state().doc.report.meta.year, 2024);
    assert_eq!(
        h.state()
            .doc
            .report
            .tables
            .get(req("carried_over", "natural_person")),
        &Cell::Count(4)
    );
    on_part(&mut h, Part::Requests);
    let tip = nianbao::gui::cell_tooltip(h.state(), req("new", "natural_person"));
    assert!(
        tip.contains("上年：40"),
        "the tooltip shows last year's value: {tip}"
    );
    let tip = nianbao::gui::cell_tooltip(h.state(), req("new", "total"));
    assert!(
        tip.contains("由程序自动合计") && tip.contains("上年："),
        "{tip}"
    );
}

#[test]
fn import_opens_an_unsaved_draft_with_findings() {
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/published/2023-luozhuang-civil-affairs.txt");
    let mut h = harness(state_with(Report::new("", 2024)));
    h.state_mut().dialogs = Box::new(Scripted(VecDeque::from([fixture])));
    h.state_mut()
        .queue
        .push(nianbao::gui::Command::ImportPublished);
    h.run();
    let s = h.state();
    assert_eq!(s.doc.report.meta.agency, "罗庄区民政局");
    assert!(s.doc.is_dirty() && s.doc.path.is_none());
    assert!(
        s.doc
            .findings
            .iter()
            .any(|f| f.cells == ["requests.unable_unclear.total"])
    );
    assert!(h.query_by_label_contains("识别表格单元 200/200").is_some());
}

#[test]
fn recovery_copy_is_offered_then_removed_by_save() {
    let data = tempfile::tempdir().unwrap();
    let mut s = AppState::new(Box::new(Scripted::default()), Some(data.path()));
    s.set_cell_text(req("new", "natural_person"), "7");
    s.write_recovery();
    let copy = s.store.as_ref().unwrap().current_path().to_path_buf();
    assert!(copy.exists());
    // A crash: the next start offers the copy.
    let mut next = AppState::new(Box::new(Scripted::default()), Some(data.path()));
    assert!(matches!(next.modal, Some(Modal::Recover(ref l)) if l.len() == 1));
    next.answer_recovery(true);
    assert_eq!(
        next.doc.report.tables.get(req("new", "natural_person")),
        &Cell::Count(7)
    );
    assert!(next.doc.is_dirty());
    let out = data.path().join("a.nianbao");
    next.save_to(&out);
    let left: Vec<_> = std::fs::read_dir(data.path().join("recovery"))
        .unwrap()
        .collect();
    assert!(left.is_empty(), "saving removes the copies: {left:?}");
}

#[test]
fn the_font_covers_every_label_fixture_and_rare_name() {
    let mut h = harness(state_with(nianbao::sample::example_report()));
    h.run();
    // The rare place names, and the mark left where a file was damaged.
    let mut text = String::from("鄠埇浉猇\u{FFFD}");
    for f in schema::fields() {
        text.push_str(f.row_label);
        text.push_str(f.col_label);
        text.push_str(f.accessible_name());
    }
    for s in &schema::SECTIONS {
        text.push_str(s.heading);
        text.push_str(s.guidance);
    }
    for t in schema::TableId::ALL {
        for c in &schema::layout(t).cells {
            if let schema::CellContent::Header(s)
            | schema::CellContent::Label(s)
            | schema::CellContent::Note(s) = c.content
            {
                text.push_str(s);
            }
        }
    }
    for c in nianbao::gui::Command::ALL {
        text.push_str(c.text());
        text.push_str(c.tooltip());
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/published");
    // What the editor shows of every fixture, whatever its format.
    for e in std::fs::read_dir(dir).unwrap() {
        let r = nianbao::import::import_bytes(&std::fs::read(e.unwrap().path()).unwrap())
            .unwrap()
            .report;
        text.push_str(&r.meta.agency);
        text.push_str(&r.narrative.preamble);
        text.push_str(&r.narrative.overview_text());
        text.push_str(&r.narrative.problems);
        text.push_str(&r.narrative.other);
    }
    let font = egui::FontId::proportional(14.0);
    let missing: std::collections::BTreeSet<char> = h.ctx.fonts_mut(|f| {
        text.chars()
            .filter(|c| !c.is_control() && !c.is_whitespace() && !f.has_glyph(&font, *c))
            .collect()
    });
    assert!(missing.is_empty(), "missing glyphs: {missing:?}");
}

#[test]
fn every_part_renders() {
    let mut h = harness(state_with(nianbao::sample::example_report()));
    for p in Part::ALL {
        on_part(&mut h, p);
        let marker = match p {
            Part::Meta => "报告标题：示例市示例区人民政府".to_string(),
            Part::Preamble => "填写说明：不编号的前言".to_string(),
            Part::Active => "行政事业性收费 · ".to_string(),
            Part::Requests => "本年新收 · 自然人".to_string(),
            Part::Appeals => "复议后起诉 · 尚未审结".to_string(),
            _ => {
                let id = match p {
                    Part::Overview => schema::SectionId::Overview,
                    Part::Problems => schema::SectionId::Problems,
                    _ => schema::SectionId::Other,
                };
                format!("填写说明：{}", &schema::section(id).guidance[..30])
            }
        };
        let marker = if p == Part::Active {
            "行政事业性收费".to_string()
        } else {
            marker
        };
        assert!(
            h.query_by_label_contains(&marker).is_some(),
            "{p:?}: {marker}"
        );
    }
}

#[test]
fn fast_typing_with_tabs_in_one_frame_lands_in_the_right_cells() {
    let mut h = empty_on(Part::Requests);
    focus(&mut h, "本年新收 · 自然人");
    // Everything below arrives within one frame, as from a fast typist or an IME.
    let tab = || Event::Key {
        key: Key::Tab,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: Modifiers::NONE,
    };
    h.event(Event::Text("5".into()));
    h.event(tab());
    h.event(Event::Text("3".into()));
    h.event(tab());
    h.event(Event::Text("1".into()));
    h.run();
    let t = &h.state().doc.report.tables;
    assert_eq!(t.get(req("new", "natural_person")), &Cell::Count(5));
    assert_eq!(t.get(req("new", "commercial")), &Cell::Count(3));
    assert_eq!(t.get(req("new", "research")), &Cell::Count(1));
    assert_eq!(focused_field(&h), Some(req("new", "research")));
}

#[test]
fn merge_in_the_gui_shows_units_and_saves_csv() {
    let dir = tempfile::tempdir().unwrap();
    let fx = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/published");
    let files = [
        "2023-luozhuang-civil-affairs.txt",
        "2023-xunyang-district.txt",
        "2023-pingtan-zone.html",
    ]
    .map(|f| fx.join(f));
    let mut h = harness(state_with(Report::new("", 2024)));
    h.state_mut().dialogs = Box::new(Scripted(VecDeque::from(files)));
    h.state_mut().queue.push(nianbao::gui::Command::Merge);
    h.run();
    assert_eq!(shown(&h, req("new", "total")), "95");
    assert_eq!(h.state().doc.report.meta.merged_units.len(), 3);
    assert!(
        h.query_by_label("平潭综合实验区").is_some(),
        "the per-unit table is shown"
    );
    // A click on 新收申请 puts the unit with the most requests first.
    let top = |h: &Harness<'static, AppState>| {
        ["罗庄区民政局", "浔阳区人民政府", "平潭综合实验区"]
            .into_iter()
            .min_by(|a, b| {
                let y = |u| h.get_by_label(u).rect().top();
                y(a).total_cmp(&y(b))
            })
            .unwrap()
    };
    let most = {
        let m = h.state().modal.as_ref();
        let Some(Modal::MergeSummary { table, .. }) = m else {
            panic!("the summary is shown")
        };
        table
            .iter()
            .max_by_key(|u| u.figures[0])
            .unwrap()
            .name
            .clone()
    };
    h.get_by_label("新收申请").click();
    h.run();
    assert_eq!(top(&h), most, "sorted by 新收申请, largest first");
    let csv = dir.path().join("汇总表.csv");
    h.state_mut().dialogs = Box::new(Scripted(VecDeque::from([csv.clone()])));
    h.get_by_label("保存汇总表 CSV…").click();
    h.run();
    assert!(
        std::fs::read_to_string(&csv)
            .unwrap()
            .contains("浔阳区人民政府")
    );
}

#[test]
fn year_over_year_table_flags_big_changes() {
    let mut this = nianbao::sample::filled_report("某局", 2024, 5);
    let mut last = nianbao::sample::filled_report("某局", 2023, 6);
    last.tables.set(
        schema::idx(TableId::Active, "licensing", ""),
        Cell::Count(1),
    );
    this.tables.set(
        schema::idx(TableId::Active, "licensing", ""),
        Cell::Count(50),
    );
    this.previous = Some(nianbao::report::Previous {
        year: 2023,
        tables: last.tables,
        narrative: last.narrative,
    });
    let mut h = harness(state_with(this));
    on_part(&mut h, Part::Meta);
    assert!(h.query_by_label("与上年（2023 年）比较主要数据").is_some());
    assert!(h.query_by_label("+49").is_some());
    assert!(h.query_all_by_label("请核实").count() >= 1);
}

#[test]
fn arrows_move_between_cells_at_the_edge_of_the_text() {
    let mut h = empty_on(Part::Requests);
    focus(&mut h, "本年新收 · 科研机构");
    // An empty cell: the caret is at both edges.
    h.key_press(Key::ArrowRight);
    h.run();
    assert_eq!(focused_field(&h), Some(req("new", "public_interest")));
    h.key_press(Key::ArrowLeft);
    h.run();
    assert_eq!(focused_field(&h), Some(req("new", "research")));
    h.key_press(Key::ArrowUp);
    h.run();
    assert_eq!(
        focused_field(&h),
        Some(req("new", "research")),
        "the first row stays put"
    );
}

#[test]
fn ctrl_z_in_a_narrative_field_is_the_fields_own_undo() {
    let mut h = empty_on(Part::Problems);
    focus(&mut h, "正文");
    h.get_by_label("正文").type_text("一是解读不够");
    h.run();
    assert_eq!(h.state().doc.report.narrative.problems, "一是解读不够");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    // The field's undoer took the key: the document's history did not move.
    assert!(
        !h.state().doc.can_redo(),
        "document-level undo was not used"
    );
    assert_eq!(h.state().doc.report.narrative.problems, "");
    // With the field unfocused, Ctrl+Z is the document's undo again.
    h.state_mut().part = Part::Requests;
    h.run();
    h.state_mut().doc.break_merge();
    focus_and_type(&mut h, "本年新收 · 自然人", "4");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(
        h.state()
            .doc
            .report
            .tables
            .get(req("new", "natural_person"))
            .is_blank()
    );
    assert!(h.state().doc.can_redo());
}

#[test]
fn without_a_file_dialog_the_path_is_asked_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("手输路径.nianbao");
    let mut h = harness(state_with(nianbao::sample::filled_report("甲", 2024, 1)));
    h.state_mut().dialogs = Box::new(NoDialogs { no_backend: true });
    h.state_mut()
        .doc
        .edit(nianbao::gui::document::EditKey::Block, |r| {
            r.meta.contact = "x".into()
        });
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert!(matches!(h.state().modal, Some(Modal::AskPath { .. })));
    focus(&mut h, "文件路径");
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_label("文件路径")
        .type_text(target.to_str().unwrap());
    h.run();
    h.get_by_label("确定").click();
    h.run();
    assert!(target.exists());
    assert!(!h.state().doc.is_dirty());
    // A cancelled prompt does nothing.
    h.state_mut().queue.push(nianbao::gui::Command::Open);
    h.run();
    h.get_by_label("取消").click();
    h.run();
    assert!(h.state().modal.is_none());
    assert_eq!(h.state().doc.path.as_deref(), Some(target.as_path()));
}

/// Every bad-input reproducer opens (with findings) or is refused with a
/// message, and the window keeps drawing every part without a panic.
#[test]
fn the_gui_opens_or_refuses_every_reproducer() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad-input");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "nianbao"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 5);
    let tmp = tempfile::tempdir().unwrap();
    // A 20 MB one-word draft, and nesting too deep to parse.
    let word = tmp.path().join("一个词.nianbao");
    std::fs::write(&word, "x".repeat(20 << 20)).unwrap();
    let deep = tmp.path().join("深.html");
    std::fs::write(&deep, "<div>".repeat(50_000)).unwrap();
    files.extend([word, deep]);
    for f in files {
        let mut h = harness(state_with(Report::new("甲", 2024)));
        if f.extension().is_some_and(|e| e == "html") {
            h.state_mut().import_path(&f);
        } else {
            h.state_mut().open_path(&f);
        }
        for p in Part::ALL {
            on_part(&mut h, p);
        }
        let s = h.state();
        match &s.modal {
            Some(Modal::Message { text, .. }) => {
                assert!(
                    text.chars().count() < 300,
                    "{}: {} chars",
                    f.display(),
                    text.chars().count()
                );
                assert!(text.chars().any(|c| c as u32 > 0x4E00), "{text}");
            }
            _ => assert!(
                s.doc.path.as_deref() == Some(f.as_path()),
                "{}: neither opened nor refused",
                f.display()
            ),
        }
    }
}

#[test]
fn print_and_word_export_write_files() {
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join("报告.docx");
    let mut h = harness(state_with(nianbao::sample::example_report()));
    h.state_mut().dialogs = Box::new(Scripted(VecDeque::from([docx.clone()])));
    h.state_mut().queue.push(nianbao::gui::Command::ExportDocx);
    h.run();
    assert!(docx.exists(), "{}", h.state().status);
    assert!(std::fs::read(&docx).unwrap().starts_with(b"PK"));
    h.state_mut().queue.push(nianbao::gui::Command::Print);
    h.run();
    let status = h.state().status.clone();
    assert!(status.contains("用于打印的 PDF"), "{status}");
    let path = status
        .split('：')
        .nth(1)
        .unwrap()
        .split('（')
        .next()
        .unwrap();
    assert!(std::fs::read(path).unwrap().starts_with(b"%PDF"));
    let _ = std::fs::remove_file(path);
}

/// The reviewer's desk: rows, the 需修改 filter, a finding, and opening the
/// report at its cell.
#[test]
fn the_review_view_lists_filters_and_opens_a_report() {
    use nianbao::gui::review::ReviewView;
    use std::sync::atomic::AtomicBool;
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/published");
    let files: Vec<PathBuf> = [
        "2023-luozhuang-civil-affairs.txt",
        "2023-xunyang-district.txt",
        "2024-huaian-city.pdf",
    ]
    .iter()
    .map(|f| dir.join(f))
    .collect();
    let batch =
        nianbao::review::review(&files, &Default::default(), &|| {}, &AtomicBool::new(false));
    let mut h = harness(state_with(Report::new("", 2024)));
    h.state_mut().review = Some(ReviewView::done(batch));
    h.run();
    for unit in ["罗庄区民政局", "浔阳区人民政府", "淮安市人民政府"] {
        assert!(h.query_by_label(unit).is_some(), "{unit} listed");
    }
    h.get_by_label("只看需修改和无法读取的").click();
    h.run();
    assert!(
        h.query_by_label("浔阳区人民政府").is_none(),
        "a passing unit is filtered out"
    );
    h.get_by_label("罗庄区民政局").click();
    h.run();
    assert!(
        h.query_by_label_contains("印为空白").is_some(),
        "its finding is shown"
    );
    h.get_by_label("打开此报告").click();
    h.run();
    h.run();
    let s = h.state();
    assert_eq!(s.doc.report.meta.agency, "罗庄区民政局");
    assert_eq!(
        s.part,
        Part::Requests,
        "jumped to the table of the first finding"
    );
}

/// The ledger: map, count, decide the unclear rows, fill 表三 as one undo step.
#[test]
fn the_ledger_window_counts_and_fills_table_three() {
    use nianbao::gui::ledger::{Choice, LedgerView};
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ledger/ledger-2025.xlsx");
    let mut h = harness(state_with(Report::new("某某区人民政府办公室", 2025)));
    h.state_mut().ledger = Some(LedgerView::open(&path, None).unwrap());
    h.run();
    assert!(
        h.query_by_label("第一步：选择要统计的工作表，确认每一列的含义")
            .is_some()
    );
    assert!(
        h.query_by_label("2025年台账").is_some(),
        "the sheet's check box"
    );
    h.get_by_label("统计").click();
    h.run();
    assert!(h.query_by_label_contains("需要确认 3 行").is_some());
    {
        let v = h.state_mut().ledger.as_mut().unwrap();
        let asks: Vec<(String, String)> = v
            .counted
            .as_ref()
            .unwrap()
            .unclear
            .iter()
            .map(|u| (u.key.clone(), u.text.clone()))
            .collect();
        for (key, text) in asks {
            let choice = match text.as_str() {
                "？？" => Choice::Applicant("natural_person"),
                "不予公开" => Choice::Result("withheld_third_party"),
                _ => Choice::Result("disclosed"),
            };
            v.decide(&key, choice, 2025);
        }
        assert!(v.counted.as_ref().unwrap().unclear.is_empty());
    }
    h.run();
    // The window scrolls on a small screen: bring the button into view first.
    h.get_by_label("填入表三").scroll_to_me();
    h.run();
    h.get_by_label("填入表三").click();
    h.run();
    let s = h.state();
    assert!(s.ledger.is_none(), "the window closes after filling");
    let new = s
        .doc
        .report
        .tables
        .value(schema::idx(TableId::Requests, "new", "total"));
    assert!(matches!(new, Value::Sum { complete: true, .. }), "{new:?}");
    assert!(!s.doc.findings.iter().any(|f| f.rule == "R1"), "R1 holds");
    assert_eq!(
        s.doc.report.meta.ledger.as_ref().unwrap().file,
        "ledger-2025.xlsx"
    );
    h.state_mut().queue.push(nianbao::gui::Command::Undo);
    h.run();
    assert!(
        h.state()
            .doc
            .report
            .tables
            .cell(TableId::Requests, "new", "natural_person")
            .is_blank(),
        "one undo step"
    );
}

/// A cell's value as shown, totals included.
fn shown(h: &Harness<'static, AppState>, f: FieldIdx) -> String {
    h.state().doc.report.tables.value(f).display()
}

fn cell_text(h: &Harness<'static, AppState>, f: FieldIdx) -> String {
    h.state().doc.report.tables.get(f).display()
}

/// WPS habits: a cell reached by Tab is selected and typing replaces it;
/// F2 edits in place at the end; Delete clears a selected cell; Esc restores.
#[test]
fn a_selected_cell_is_replaced_by_typing_and_f2_edits_in_place() {
    let mut r = Report::new("某局", 2024);
    for c in ["natural_person", "commercial", "research"] {
        r.tables.set(req("new", c), Cell::Count(8));
    }
    let mut h = harness(state_with(r));
    on_part(&mut h, Part::Requests);
    focus(&mut h, "本年新收 · 自然人");
    // Tab across a row of 8s typing new numbers, as a clerk does.
    h.event(Event::Text("12".into()));
    h.key_press(Key::Tab);
    h.event(Event::Text("5".into()));
    h.key_press(Key::Tab);
    h.run();
    assert_eq!(
        cell_text(&h, req("new", "natural_person")),
        "12",
        "replaced, not 812"
    );
    assert_eq!(cell_text(&h, req("new", "commercial")), "5");
    assert_eq!(focused_field(&h), Some(req("new", "research")));
    // F2: caret at the end, typing appends.
    h.key_press(Key::F2);
    h.run();
    assert!(h.state().edit.as_ref().unwrap().in_place());
    h.event(Event::Text("3".into()));
    h.run();
    assert_eq!(cell_text(&h, req("new", "research")), "83");
    // Esc restores the value the cell had when it was reached.
    h.key_press(Key::Escape);
    h.run();
    assert_eq!(cell_text(&h, req("new", "research")), "8");
    // Delete on a selected cell clears it to blank, never 0.
    h.key_press(Key::ArrowLeft);
    h.run();
    assert_eq!(
        focused_field(&h),
        Some(req("new", "commercial")),
        "arrows leave a selected cell at once"
    );
    h.key_press(Key::Delete);
    h.run();
    assert!(
        h.state()
            .doc
            .report
            .tables
            .get(req("new", "commercial"))
            .is_blank()
    );
}

/// Chinese input through the IME events egui 0.37 receives (Preedit while
/// composing, Commit with the result): a commit of "１２"
/// lands as 12 in a cell; Tab during a composition does not move the cell;
/// a commit of Chinese text lands in a narrative field.
#[test]
fn ime_input_lands_in_cells_and_narrative() {
    use egui::ImeEvent;
    let mut h = empty_on(Part::Requests);
    focus(&mut h, "本年新收 · 自然人");
    let preedit = |t: &str| {
        Event::Ime(ImeEvent::Preedit {
            text: t.into(),
            active_range_chars: None,
        })
    };
    h.event(preedit("yi'er"));
    h.run();
    h.key_press(Key::Tab);
    h.run();
    assert_eq!(
        focused_field(&h),
        Some(req("new", "natural_person")),
        "no move while composing"
    );
    h.event(Event::Ime(ImeEvent::Commit("１２".into())));
    h.run();
    assert_eq!(
        h.state()
            .doc
            .report
            .tables
            .get(req("new", "natural_person")),
        &Cell::Count(12)
    );
    h.key_press(Key::Tab);
    h.run();
    assert_eq!(
        focused_field(&h),
        Some(req("new", "commercial")),
        "Tab moves once the IME is done"
    );

    on_part(&mut h, Part::Problems);
    h.state_mut().focus = Some(nianbao::gui::Target::Text("narrative.problems".into()));
    h.run();
    h.run();
    h.event(preedit("zhengce"));
    h.event(Event::Ime(ImeEvent::Commit("政策解读不够深入".into())));
    h.run();
    assert!(
        h.state()
            .doc
            .report
            .narrative
            .problems
            .contains("政策解读不够深入")
    );
}

/// A row copied from a web page, with its label, units and dashes.
#[test]
fn pasting_a_web_row_skips_the_label_drops_units_and_blanks_dashes() {
    let mut h = empty_on(Part::Requests);
    focus(&mut h, "本年新收 · 自然人");
    h.event(Event::Paste(
        "一、本年新收政府信息公开申请数量 | 12件 | 1,234 | — | ３ | / | 0 | 1249".into(),
    ));
    h.run();
    let s = h.state();
    let t = &s.doc.report.tables;
    assert_eq!(t.get(req("new", "natural_person")), &Cell::Count(12));
    assert_eq!(t.get(req("new", "commercial")), &Cell::Count(1234));
    assert!(
        t.get(req("new", "research")).is_blank(),
        "— is blank, never 0"
    );
    assert_eq!(t.get(req("new", "public_interest")), &Cell::Count(3));
    assert!(t.get(req("new", "legal_service")).is_blank());
    assert_eq!(t.get(req("new", "other_org")), &Cell::Count(0));
    assert!(s.status.contains("去掉单位“件”"), "{}", s.status);
    assert!(s.status.contains("2 个“—”“-”“/”按空白处理"), "{}", s.status);
    assert!(
        s.doc
            .findings
            .iter()
            .any(|f| f.rule == "R6" && f.cells.iter().any(|c| c == "requests.new.research")),
        "the blank gets a finding"
    );
}

/// 生成数据段落: the sentences go in as one undo step, where the clerk chose.
#[test]
fn generated_sentences_are_inserted_and_undone_in_one_step() {
    let mut r = nianbao::sample::example_report();
    r.narrative.overview_subs[1].text = "原有的一段话。".into();
    let mut h = harness(state_with(r));
    h.state_mut()
        .queue
        .push(nianbao::gui::Command::GenerateNarrative);
    h.run();
    assert!(
        h.query_by_label_contains("本年度共收到政府信息公开申请74件")
            .is_some()
    );
    h.get_by_label("加在原有内容之后").click();
    h.run();
    let text = h.state().doc.report.narrative.overview_subs[1].text.clone();
    assert!(
        text.starts_with("原有的一段话。\n本年度共收到政府信息公开申请74件"),
        "{text}"
    );
    assert!(
        !h.state().doc.findings.iter().any(|f| f.rule == "R10"),
        "consistent with the tables"
    );
    h.state_mut().queue.push(nianbao::gui::Command::Undo);
    h.run();
    assert_eq!(
        h.state().doc.report.narrative.overview_subs[1].text,
        "原有的一段话。"
    );
}

/// 一键排版: a preview first, then one undo step.
#[test]
fn tidy_previews_then_applies_in_one_step() {
    let mut r = Report::new("某局", 2024);
    r.narrative.problems =
        "  一是公开内容 不够全面,部分栏目更新不\n及时。\n\n\n二是解读形式单一。".into();
    let mut h = harness(state_with(r));
    h.state_mut().queue.push(nianbao::gui::Command::Tidy);
    h.run();
    assert!(
        h.query_by_label_contains("五、存在的主要问题及改进情况")
            .is_some()
    );
    assert!(
        h.state()
            .doc
            .report
            .narrative
            .problems
            .starts_with("  一是"),
        "nothing changes before applying"
    );
    h.get_by_label("应用排版").click();
    h.run();
    assert_eq!(
        h.state().doc.report.narrative.problems,
        "一是公开内容不够全面，部分栏目更新不及时。\n二是解读形式单一。"
    );
    h.state_mut().queue.push(nianbao::gui::Command::Undo);
    h.run();
    assert!(
        h.state()
            .doc
            .report
            .narrative
            .problems
            .starts_with("  一是")
    );
}

/// The repetition score shows live beside 五 when last year's text is known.
#[test]
fn the_repetition_score_shows_beside_five() {
    let mut r = nianbao::sample::filled_report("某局", 2024, 1);
    r.narrative.problems =
        "一是政策解读形式较为单一，图解视频较少；二是基层公开标准化水平有待提高。".into();
    r.previous = Some(nianbao::report::Previous {
        year: 2023,
        tables: r.tables.clone(),
        narrative: r.narrative.clone(),
    });
    let mut h = harness(state_with(r));
    on_part(&mut h, Part::Problems);
    assert!(h.query_by_label("与上年重复 100%").is_some());
    h.state_mut().doc.report.narrative.problems =
        "今年新增政策问答专栏，组织开展业务培训三次，群众满意度明显提高。".into();
    h.run();
    assert!(h.query_by_label("与上年重复 0%").is_some());
}

/// The clerk's row: type, Tab, type, Tab, skip one with Tab, type, Tab —
/// each event in its own frame, as a real keyboard delivers them.
#[test]
fn tabbing_across_a_row_typing_lands_every_value_in_its_cell() {
    let mut r = Report::new("某局", 2024);
    for c in [
        "natural_person",
        "commercial",
        "research",
        "public_interest",
        "legal_service",
        "other_org",
    ] {
        r.tables.set(req("new", c), Cell::Count(0));
    }
    let mut h = harness(state_with(r));
    on_part(&mut h, Part::Requests);
    h.get_by_label("本年新收 · 自然人").click();
    h.run();
    for step in ["12", "\t", "3", "\t", "4", "\t", "\t", "5", "\t", "6", "\t"] {
        if step == "\t" {
            h.key_press(Key::Tab);
        } else {
            h.event(Event::Text(step.into()));
        }
        h.run();
    }
    let got: Vec<String> = [
        "natural_person",
        "commercial",
        "research",
        "public_interest",
        "legal_service",
        "other_org",
    ]
    .iter()
    .map(|c| cell_text(&h, req("new", c)))
    .collect();
    assert_eq!(got, ["12", "3", "4", "0", "5", "6"]);
    assert_eq!(
        focused_field(&h),
        Some(req("carried_over", "natural_person"))
    );
}

/// How a real window can deliver the events of the keys typed into a cell:
/// each key is a `Key` press and its `Text`, in either order, in one frame
/// or in two, and the next key or a Tab may share a frame with it.
#[derive(Clone, Copy, Debug)]
enum Rhythm {
    /// Key then Text, one frame per key.
    KeyText,
    /// Text then Key, one frame per key.
    TextKey,
    /// Key in one frame, its Text in the next.
    KeyThenTextFrame,
    /// Text in one frame, its Key in the next.
    TextThenKeyFrame,
    /// Two keys (and the Tab after the last) in one frame.
    Pairs,
    /// Each key in its own frame, and the Tab in the frame of the last key.
    TabWithLast,
}

fn digit_key(c: char) -> Key {
    Key::from_name(&c.to_string()).expect("a digit key")
}

fn key_event(key: Key, pressed: bool) -> Event {
    Event::Key {
        key,
        physical_key: Some(key),
        pressed,
        repeat: false,
        modifiers: Modifiers::NONE,
    }
}

/// Type `values` into consecutive cells with Tab between them, starting in
/// the focused cell, in the given rhythm. Each frame is one `step`, with no
/// idle frame between, as a window delivers keys typed fast.
fn type_row(h: &mut Harness<'static, AppState>, values: &[&str], rhythm: Rhythm) {
    let mut frame: Vec<Event> = Vec::new();
    let send = |h: &mut Harness<'static, AppState>, frame: &mut Vec<Event>| {
        for e in frame.drain(..) {
            h.event(e);
        }
        h.step();
    };
    for v in values {
        let chars: Vec<char> = v.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            let (k, t) = (key_event(digit_key(c), true), Event::Text(c.to_string()));
            let release = key_event(digit_key(c), false);
            match rhythm {
                Rhythm::KeyText => frame.extend([k, t, release]),
                Rhythm::TextKey => frame.extend([t, k, release]),
                Rhythm::KeyThenTextFrame => {
                    frame.push(k);
                    send(h, &mut frame);
                    frame.extend([t, release]);
                }
                Rhythm::TextThenKeyFrame => {
                    frame.push(t);
                    send(h, &mut frame);
                    frame.extend([k, release]);
                }
                Rhythm::Pairs | Rhythm::TabWithLast => frame.extend([k, t, release]),
            }
            let last = i + 1 == chars.len();
            let flush = match rhythm {
                Rhythm::Pairs => i % 2 == 1 && !last,
                Rhythm::TabWithLast => !last,
                _ => true,
            };
            if flush {
                send(h, &mut frame);
            }
        }
        frame.push(key_event(Key::Tab, true));
        frame.push(key_event(Key::Tab, false));
        if !matches!(rhythm, Rhythm::Pairs) {
            send(h, &mut frame);
        }
    }
    send(h, &mut frame);
    h.run();
}

/// Every rhythm lands every digit, starting after a click, after a Tab,
/// after Enter and after an arrow key; the first digit typed into a
/// selected cell replaces its old value exactly once.
#[test]
fn every_keystroke_lands_in_every_rhythm() {
    let rows = ["new", "carried_over", "disclosed", "partly_disclosed"];
    let cols = [
        "natural_person",
        "commercial",
        "research",
        "public_interest",
        "legal_service",
        "other_org",
    ];
    let values = ["12", "34", "56", "7", "890", "1024"];
    for rhythm in [
        Rhythm::KeyText,
        Rhythm::TextKey,
        Rhythm::KeyThenTextFrame,
        Rhythm::TextThenKeyFrame,
        Rhythm::Pairs,
        Rhythm::TabWithLast,
    ] {
        for start in ["click", "tab", "enter", "arrow"] {
            let mut r = Report::new("某局", 2024);
            for row in rows {
                for c in cols {
                    r.tables.set(req(row, c), Cell::Count(8));
                }
            }
            let mut h = harness(state_with(r));
            on_part(&mut h, Part::Requests);
            // Reach 上年结转 · 自然人 in four ways.
            match start {
                "click" => {
                    h.get_by_label("上年结转 · 自然人").click();
                    h.run();
                }
                "tab" => {
                    h.get_by_label("本年新收 · 其他").click();
                    h.run();
                    h.key_press(Key::Tab);
                    h.run();
                }
                "enter" => {
                    h.get_by_label("本年新收 · 自然人").click();
                    h.run();
                    h.key_press(Key::Enter);
                    h.run();
                }
                _ => {
                    h.get_by_label("本年新收 · 自然人").click();
                    h.run();
                    h.key_press(Key::ArrowDown);
                    h.run();
                }
            }
            assert_eq!(
                focused_field(&h),
                Some(req("carried_over", "natural_person")),
                "{rhythm:?} {start}"
            );
            type_row(&mut h, &values, rhythm);
            let got: Vec<String> = cols
                .iter()
                .map(|c| cell_text(&h, req("carried_over", c)))
                .collect();
            assert_eq!(got, values, "{rhythm:?} after {start}");
            assert_eq!(
                focused_field(&h),
                Some(req("disclosed", "natural_person")),
                "{rhythm:?} after {start}"
            );
        }
    }
}

/// A Chinese IME passes digits through as commits with no composition,
/// and may commit in the frame of the Tab; a composition that starts in a
/// selected cell replaces it with what it commits. Each frame one `step`.
#[test]
fn ime_commits_land_like_typed_keys_in_every_frame() {
    use egui::ImeEvent;
    let mut r = Report::new("某局", 2024);
    for c in ["natural_person", "commercial", "research"] {
        r.tables.set(req("new", c), Cell::Count(8));
    }
    let mut h = harness(state_with(r));
    on_part(&mut h, Part::Requests);
    h.get_by_label("本年新收 · 自然人").click();
    h.run();
    let commit = |t: &str| Event::Ime(ImeEvent::Commit(t.into()));
    // "12" as two pass-through commits in two frames, then "3" with the Tab.
    h.event(commit("1"));
    h.step();
    h.event(commit("2"));
    h.step();
    h.event(key_event(Key::Tab, true));
    h.event(commit("3"));
    h.event(key_event(Key::Tab, true));
    h.step();
    // A composition in the third cell: its commit replaces the old 8.
    h.event(Event::Ime(ImeEvent::Preedit {
        text: "si".into(),
        active_range_chars: None,
    }));
    h.step();
    h.event(commit("４"));
    h.step();
    h.run();
    assert_eq!(cell_text(&h, req("new", "natural_person")), "12");
    assert_eq!(cell_text(&h, req("new", "commercial")), "3");
    assert_eq!(cell_text(&h, req("new", "research")), "4");
}

/// The reviewer weighs a finding (不采纳 with a reason: the verdict follows),
/// writes the unit's annotated Word file, and saves the decisions.
#[test]
fn the_reviewer_dismisses_a_finding_and_writes_the_units_opinion() {
    use nianbao::gui::review::ReviewView;
    use std::sync::atomic::AtomicBool;
    let dir = tempfile::tempdir().unwrap();
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/published/2023-luozhuang-civil-affairs.txt");
    let batch = nianbao::review::review(
        &[file],
        &Default::default(),
        &|| {},
        &AtomicBool::new(false),
    );
    assert_eq!(batch.entries[0].verdict.label(), "需修改");
    let opinion = dir.path().join("罗庄区民政局-审核意见.docx");
    let decisions = dir.path().join("审核决定.json");
    let mut s = state_with(Report::new("", 2024));
    s.dialogs = Box::new(Scripted(VecDeque::from([
        opinion.clone(),
        decisions.clone(),
    ])));
    let mut h = harness(s);
    h.state_mut().review = Some(ReviewView::done(batch));
    h.run();
    h.get_by_label("罗庄区民政局").click();
    h.run();
    h.get_by_label("不采纳的理由").focus();
    h.get_by_label("不采纳的理由")
        .type_text("原件总计栏为合并单元格");
    h.run();
    h.get_by_label("不采纳").click();
    h.run();
    let v = h.state().review.as_ref().unwrap();
    let e = &v.batch.as_ref().unwrap().entries[0];
    assert_eq!(e.verdict.label(), "通过", "the only error was dismissed");
    assert_eq!(e.decided.len(), 1);
    assert_eq!(e.decided[0].1.reason, "原件总计栏为合并单元格");
    h.get_by_label("生成审核意见…").click();
    h.run();
    let bytes = std::fs::read(&opinion).expect("the opinion was written");
    let lines = nianbao::import::debug_lines(&bytes);
    assert!(
        lines.iter().any(|l| l.contains("罗庄区民政局")),
        "still the unit's report"
    );
    h.get_by_label("保存审核决定…").click();
    h.run();
    let saved = nianbao::review::decisions::Decisions::load(&decisions).unwrap();
    assert_eq!(saved.decisions.len(), 1);
    assert_eq!(
        saved.decisions[0].decision,
        nianbao::review::decisions::Kind::Dismissed
    );
}

/// A batch as large as a province's whole year: 5,000 reports. The table
/// lays out only the rows on screen, sorts on a header click and still
/// opens the unit clicked.
#[test]
fn a_batch_of_five_thousand_units_is_listed_sorted_and_opened() {
    use nianbao::gui::review::ReviewView;
    use std::sync::atomic::AtomicBool;
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/published");
    let files = [
        "2023-luozhuang-civil-affairs.txt",
        "2023-xunyang-district.txt",
    ]
    .map(|f| dir.join(f));
    let mut batch =
        nianbao::review::review(&files, &Default::default(), &|| {}, &AtomicBool::new(false));
    let seed = batch.entries.clone();
    batch.entries = (0..5000)
        .map(|i| {
            let mut e = seed[i % seed.len()].clone();
            e.report.meta.agency = format!("测试单位{:04}", 4999 - i);
            e
        })
        .collect();
    let mut h = harness(state_with(Report::new("", 2024)));
    h.state_mut().review = Some(ReviewView::done(batch));
    h.run();
    assert!(h.query_by_label("测试单位4999").is_some(), "the first row");
    let laid_out = h.query_all_by_label_contains("测试单位").count();
    assert!(
        laid_out > 5 && laid_out < 100,
        "only the visible rows are laid out, not 5,000 ({laid_out})"
    );
    h.get_by_label("单位").click();
    h.run();
    assert!(h.query_by_label("测试单位0000").is_some(), "sorted by name");
    assert!(h.query_by_label("测试单位4999").is_none(), "now far below");
    h.get_by_label("测试单位0000").click();
    h.run();
    let v = h.state().review.as_ref().unwrap();
    let e = &v.batch.as_ref().unwrap().entries[v.selected.unwrap()];
    assert_eq!(e.report.meta.agency, "测试单位0000");
}

/// A city office's ledger of 20,000 rows: counted whole, every row listed
/// with what it was counted as, filtered by outcome, laid out only where
/// visible; 填入表三 puts all 20,000 in.
#[test]
fn a_ledger_of_twenty_thousand_rows_is_listed_filtered_and_filled() {
    use nianbao::gui::ledger::{Choice, LedgerView};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("台账.csv");
    let mut csv = String::from("序号,申请人,申请人类型,收到日期,处理结果,答复日期\n");
    let results = ["予以公开", "部分公开", "信息不存在", "？？"];
    for i in 0..20_000 {
        let (m, d) = (1 + i % 11, 1 + i % 27);
        csv += &format!(
            "{},王女士,自然人,2025-{m:02}-{d:02},{},2025-{:02}-{d:02}\n",
            i + 1,
            results[if i % 1000 == 999 { 3 } else { i % 3 }],
            m + 1
        );
    }
    std::fs::write(&path, csv).unwrap();
    let mut h = harness(state_with(Report::new("某某市某某局", 2025)));
    let mut view = LedgerView::open(&path, None).unwrap();
    view.count(2025);
    assert_eq!(view.rows.len(), 20_000, "every row listed");
    h.state_mut().ledger = Some(view);
    h.run();
    h.get_by_label("第四步：逐行核对每一行计入了哪里")
        .scroll_to_me();
    h.run();
    let listed = h.query_all_by_label_contains("王女士 ·").count();
    assert!(
        listed > 3 && listed < 150,
        "only the visible rows ({listed})"
    );
    h.get_by_label("需要确认").click();
    h.run();
    let unclear: Vec<String> = h
        .query_all_by_label_contains("王女士 ·")
        .map(|n| format!("{n:?}"))
        .collect();
    assert!(
        !unclear.is_empty(),
        "the unclear rows are listed under their filter"
    );
    assert!(
        unclear.iter().all(|n| n.contains("？？")),
        "and only they: {unclear:?}"
    );
    let c = h.state().ledger.as_ref().unwrap().counted.as_ref().unwrap();
    assert_eq!(c.unclear.len(), 20, "each row asked about");
    assert_eq!(c.rows_counted, 19_980, "every other row counted");
    // One decision answers all twenty: the text is remembered by its key.
    let key = c.unclear[0].key.clone();
    h.state_mut()
        .ledger
        .as_mut()
        .unwrap()
        .decide(&key, Choice::Result("disclosed"), 2025);
    h.run();
    let c = h.state().ledger.as_ref().unwrap().counted.as_ref().unwrap();
    assert!(c.unclear.is_empty());
    h.get_by_label("填入表三").scroll_to_me();
    h.run();
    h.get_by_label("填入表三").click();
    h.run();
    assert_eq!(shown(&h, req("new", "total")), "20000");
}
