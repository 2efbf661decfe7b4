//! The three tables in the exact official layout, read from the schema's
//! merged grid: spanning header and group cells are painted over the rows
//! they cover; value cells are single-line inputs; totals are shaded and
//! read-only. Keyboard moves and block pastes are handled here, before the
//! focused input sees the keys.

use super::app::{AppState, CellEdit, CellMode, Target, tab_order, vertical_neighbour};
use crate::check::Severity;
use crate::report::Value;
use crate::schema::{self, CellContent, FieldIdx, TableId};
use egui::{Color32, EventFilter, Id, Key, Rect, Sense, Stroke, TextEdit, Ui, Vec2, pos2, vec2};

pub const FONT_SIZE: f32 = 14.0;
const PAD: f32 = 4.0;
const MIN_ROW: f32 = 28.0;
const BORDER: Color32 = Color32::from_gray(120);
const HEADER_FILL: Color32 = Color32::from_rgb(236, 240, 246);
const DERIVED_FILL: Color32 = Color32::from_gray(228);

/// Keys the grid handles itself rather than egui's focus navigation.
const CELL_KEYS: EventFilter = EventFilter {
    tab: true,
    horizontal_arrows: true,
    vertical_arrows: true,
    escape: true,
};

fn focus_cell(ui: &Ui, f: FieldIdx) {
    ui.memory_mut(|m| {
        m.request_focus(cell_id(f));
        m.set_focus_lock_filter(cell_id(f), CELL_KEYS);
    });
}

pub fn cell_id(f: FieldIdx) -> Id {
    Id::unique(("cell", f))
}

/// Column widths of a table at a given available width (label columns
/// fixed, value columns share the rest within sensible bounds).
fn column_widths(table: TableId, avail: f32) -> Vec<f32> {
    let l = schema::layout(table);
    let labels: &[f32] = match table {
        TableId::Requests => &[52.0, 88.0, 200.0],
        TableId::Active => &[150.0],
        TableId::Appeals => &[],
    };
    let n_values = l.cols - labels.len();
    let rest = (avail - labels.iter().sum::<f32>() - 2.0).max(0.0);
    let (lo, hi) = if table == TableId::Active {
        (110.0, 220.0)
    } else {
        (54.0, 96.0)
    };
    let w = (rest / n_values as f32).clamp(lo, hi);
    labels
        .iter()
        .copied()
        .chain(std::iter::repeat_n(w, n_values))
        .collect()
}

fn text_of(c: &CellContent) -> Option<&'static str> {
    match c {
        CellContent::Header(s) | CellContent::Note(s) | CellContent::Label(s) => Some(s),
        CellContent::Value(_) => None,
    }
}

/// What a key does in the grid, from cell `cur`.
enum Nav {
    Move(FieldIdx),
    /// At the edge of the grid: swallow the key so focus stays.
    Stay,
    Revert,
    /// Not a grid key: leave it to the input.
    Pass,
}

fn nav_key(key: Key, m: egui::Modifiers, cur: FieldIdx, at_start: bool, at_end: bool) -> Nav {
    let order = tab_order(schema::field(cur).table);
    let pos = order.iter().position(|&x| x == cur);
    let step = |d: isize| pos.and_then(|p| order.get(p.checked_add_signed(d)?).copied());
    let target = match key {
        Key::Tab if m.shift_only() => step(-1),
        Key::Tab if !m.any() => step(1),
        Key::Enter if m.shift_only() => vertical_neighbour(cur, false),
        Key::Enter if !m.any() => vertical_neighbour(cur, true),
        Key::ArrowUp if !m.any() => vertical_neighbour(cur, false),
        Key::ArrowDown if !m.any() => vertical_neighbour(cur, true),
        Key::ArrowLeft if !m.any() && at_start => step(-1),
        Key::ArrowRight if !m.any() && at_end => step(1),
        Key::Escape if !m.any() => return Nav::Revert,
        _ => return Nav::Pass,
    };
    match target {
        Some(t) => Nav::Move(t),
        None if matches!(key, Key::Tab | Key::Enter | Key::ArrowUp | Key::ArrowDown) => Nav::Stay,
        None => Nav::Pass,
    }
}

/// Handle the focused cell's keys before its input sees them.
///
/// Every key is decided here, in the order the window delivered it, so a
/// keystroke lands the same whatever frame it falls in: a selected cell's
/// first character replaces its value exactly once, later ones go on the
/// end, and text typed before a Tab in the same frame stays in the cell it
/// was typed in while text after it goes to the next. Only editing in
/// place (F2) and an IME composition are left to the input itself, which
/// owns the caret and the composition then.
fn handle_keys(state: &mut AppState, ui: &Ui, f: FieldIdx) {
    let Some(mut edit) = state.edit.clone().filter(|e| e.field == f) else {
        return;
    };
    // In place, arrows leave the cell only at the edge of its text.
    let caret = egui::text_edit::TextEditState::load(ui.ctx(), cell_id(f))
        .and_then(|s| s.cursor.char_range())
        .map(|r| (r.primary.index.0, r.is_empty()));
    let now = ui.input(|i| i.time);
    let events = ui.input_mut(|i| std::mem::take(&mut i.events));
    // Events left for the input of `f` (only while focus stays on it).
    let mut pass: Vec<egui::Event> = Vec::new();
    let mut moved = false;
    let mut revert = false;
    let mut paste: Option<(FieldIdx, String)> = None;
    let mut typed = false;
    // The grid changed the cell's text or mode: its input must show it.
    let mut touched = false;
    for e in events {
        let owns_caret = !moved && (edit.mode == CellMode::InPlace || state.ime_composing);
        match &e {
            // While an IME composes, its keys (Tab, Enter, arrows choose
            // candidates) belong to the IME and the input shows the
            // composition; a selected cell is replaced by what it commits.
            egui::Event::Ime(egui::ImeEvent::Preedit { text, .. }) => {
                let composing = !text.is_empty();
                if composing && edit.mode == CellMode::Selected {
                    edit.text.clear();
                    edit.mode = CellMode::Typing;
                    typed = true;
                }
                state.ime_composing = composing;
                if !moved {
                    pass.push(e);
                }
            }
            egui::Event::Ime(egui::ImeEvent::Commit(t)) => {
                if state.ime_composing && !moved {
                    pass.push(e);
                } else {
                    // A commit with no composition (an IME passing digits
                    // through) is typed text.
                    typed |= type_text(&mut edit, t);
                }
                state.ime_composing = false;
            }
            egui::Event::Key { .. } if state.ime_composing => pass.push(e),
            // A block or a row with separators; a single value is typed as usual.
            egui::Event::Paste(text)
                if crate::paste::split_block(text)
                    .iter()
                    .map(Vec::len)
                    .sum::<usize>()
                    > 1
                    || text.contains(['\t', '\n']) =>
            {
                paste = Some((edit.field, text.clone()))
            }
            egui::Event::Text(t) | egui::Event::Paste(t) => {
                if owns_caret {
                    pass.push(e);
                } else {
                    typed |= type_text(&mut edit, t);
                }
            }
            egui::Event::Key {
                key,
                pressed: true,
                modifiers,
                ..
            } => {
                if *key == Key::F2 && !modifiers.any() {
                    if !moved {
                        edit.mode = CellMode::InPlace;
                        edit_in_place(state, ui, &edit);
                    }
                    continue;
                }
                if matches!(key, Key::Backspace | Key::Delete) && !modifiers.any() && !owns_caret {
                    typed |= erase(&mut edit, *key);
                    touched = true;
                } else {
                    let in_place = edit.mode == CellMode::InPlace && !moved;
                    let len = edit.text.chars().count();
                    let at_start = !in_place || caret.is_none_or(|(c, empty)| empty && c == 0);
                    let at_end = !in_place || caret.is_none_or(|(c, empty)| empty && c >= len);
                    match nav_key(*key, *modifiers, edit.field, at_start, at_end) {
                        Nav::Move(t) => {
                            if in_place {
                                // Text typed in place before the move stays here.
                                place_typed(&mut edit, &mut pass, caret);
                                state.set_cell_text(edit.field, &edit.text);
                            }
                            state.doc.break_merge();
                            let cell = state.doc.report.tables.get(t).clone();
                            edit = CellEdit::selected(t, cell.display(), cell, now);
                            moved = true;
                        }
                        Nav::Stay => {}
                        Nav::Revert if !moved => revert = true,
                        Nav::Pass if !moved => pass.push(e),
                        Nav::Revert | Nav::Pass => {}
                    }
                }
            }
            _ => pass.push(e),
        }
        if typed {
            // Write through at once, so what was typed is in the report
            // whatever happens next in this frame.
            state.set_cell_text(edit.field, &edit.text);
            typed = false;
            touched = true;
        }
    }
    ui.input_mut(|i| i.events = pass);
    if revert {
        let origin = edit.origin.clone();
        state.doc.edit(super::document::EditKey::Cell(f), |r| {
            r.tables.set(f, origin)
        });
        state.doc.break_merge();
        edit.text = edit.origin.display();
        edit.mode = CellMode::Selected;
        state.status = "已撤销本格的修改".into();
    }
    if (touched || moved || revert) && !state.ime_composing {
        show_caret(ui, &edit);
    }
    if moved {
        // Move focus now, so the rest of this frame's typing lands in the new cell.
        focus_cell(ui, edit.field);
        state.focus = Some(Target::Cell(edit.field));
        state.doc.break_merge();
    }
    let cell = edit.field;
    state.edit = Some(edit);
    if let Some((start, text)) = paste {
        state.paste_block(start, &text);
        if moved {
            state.edit = None;
            focus_cell(ui, cell);
        }
    }
}

/// Text typed in place and not yet seen by the input (the cell is being
/// left in the same frame): insert it at the caret, taken out of `pass`.
fn place_typed(edit: &mut CellEdit, pass: &mut Vec<egui::Event>, caret: Option<(usize, bool)>) {
    let mut at = caret.map_or(edit.text.chars().count(), |(c, _)| c);
    pass.retain(|e| match e {
        egui::Event::Text(t) | egui::Event::Paste(t) => {
            let byte = edit
                .text
                .char_indices()
                .nth(at)
                .map_or(edit.text.len(), |(b, _)| b);
            edit.text.insert_str(byte, t);
            at += t.chars().count();
            false
        }
        _ => true,
    });
}

/// Type `t` into a cell: a selected cell's value is replaced (once), a
/// cell being typed in grows. Returns whether the text changed.
fn type_text(edit: &mut CellEdit, t: &str) -> bool {
    // Newlines are Enter's; a pasted value keeps its own line only.
    let t: String = t.chars().filter(|c| *c != '\n' && *c != '\r').collect();
    if t.is_empty() {
        return false;
    }
    if edit.mode == CellMode::Selected {
        edit.text.clear();
    }
    edit.mode = CellMode::Typing;
    edit.text.push_str(&t);
    true
}

/// Delete or Backspace on a cell not edited in place: on a selected cell
/// both clear it (to blank, never 0), Backspace starting to type; while
/// typing, Backspace takes the last character back.
fn erase(edit: &mut CellEdit, key: Key) -> bool {
    match (edit.mode, key) {
        (CellMode::Selected, Key::Delete) => {
            let changed = !edit.text.is_empty();
            edit.text.clear();
            changed
        }
        (CellMode::Selected, _) => {
            edit.text.clear();
            edit.mode = CellMode::Typing;
            true
        }
        (_, Key::Backspace) => edit.text.pop().is_some(),
        _ => false,
    }
}

/// Show the cell's state in its input: the whole value selected when the
/// cell is selected, the caret at the end while typing.
fn show_caret(ui: &Ui, edit: &CellEdit) {
    let id = cell_id(edit.field);
    let mut st = egui::text_edit::TextEditState::load(ui.ctx(), id).unwrap_or_default();
    let range = match edit.mode {
        CellMode::Selected => egui::text::CCursorRange::select_all_str(&edit.text),
        CellMode::Typing => {
            egui::text::CCursorRange::one(egui::text::CCursor::new(edit.text.chars().count()))
        }
        CellMode::InPlace => return,
    };
    st.cursor.set_char_range(Some(range));
    st.store(ui.ctx(), id);
}

/// Select a cell's whole text, so the next key typed replaces it.
fn select_all(ui: &Ui, f: FieldIdx, text: &str) {
    let mut st = egui::text_edit::TextEditState::load(ui.ctx(), cell_id(f)).unwrap_or_default();
    st.cursor
        .set_char_range(Some(egui::text::CCursorRange::select_all_str(text)));
    st.store(ui.ctx(), cell_id(f));
}

/// F2, a double click or a second click: edit in place, caret at the end.
fn edit_in_place(state: &mut AppState, ui: &Ui, edit: &CellEdit) {
    let mut st =
        egui::text_edit::TextEditState::load(ui.ctx(), cell_id(edit.field)).unwrap_or_default();
    let end = egui::text::CCursor::new(edit.text.chars().count());
    st.cursor
        .set_char_range(Some(egui::text::CCursorRange::one(end)));
    st.store(ui.ctx(), cell_id(edit.field));
    state.status = "在单元格中编辑（按 Enter 或 Tab 结束）".into();
}

/// Draw one table.
pub fn table(ui: &mut Ui, state: &mut AppState, table: TableId) {
    let l = schema::layout(table);
    let widths = column_widths(table, ui.available_width());
    let xs: Vec<f32> = std::iter::once(0.0)
        .chain(
            widths
                .iter()
                .scan(0.0, |acc, w| {
                    *acc += w;
                    Some(*acc)
                })
                .take(widths.len()),
        )
        .collect();
    let font = egui::FontId::proportional(FONT_SIZE);
    let color = ui.visuals().text_color();
    // Row heights: the tallest single-row label decides; spanning labels
    // stretch the last row they cover when they need more room.
    let mut heights = vec![MIN_ROW; l.rows];
    let span_w = |c: &schema::GridCell| xs[c.col + c.colspan] - xs[c.col] - 2.0 * PAD;
    let mut galleys = Vec::with_capacity(l.cells.len());
    for c in &l.cells {
        let g = text_of(&c.content).map(|t| {
            ui.painter()
                .layout(t.to_string(), font.clone(), color, span_w(c))
        });
        if let Some(g) = &g {
            let need = g.size().y + 2.0 * PAD;
            if c.rowspan == 1 {
                heights[c.row] = heights[c.row].max(need);
            } else {
                let have: f32 = heights[c.row..c.row + c.rowspan].iter().sum();
                if need > have {
                    heights[c.row + c.rowspan - 1] += need - have;
                }
            }
        }
        galleys.push(g);
    }
    let ys: Vec<f32> = std::iter::once(0.0)
        .chain(heights.iter().scan(0.0, |acc, h| {
            *acc += h;
            Some(*acc)
        }))
        .collect();
    let size = vec2(xs[l.cols], ys[l.rows]);
    let (rect, _) = ui.allocate_exact_size(size, Sense::hover());
    let origin = rect.min;
    let cell_rect = |c: &schema::GridCell| {
        Rect::from_min_max(
            origin + vec2(xs[c.col], ys[c.row]),
            origin + vec2(xs[c.col + c.colspan], ys[c.row + c.rowspan]),
        )
    };

    // The focused cell's keys first, so its input does not see them.
    //
    // egui applies a widget's key filter only from the second frame it has
    // focus. In the first frame after a move, egui itself has already acted
    // on the frame's Tab, arrows or Escape before the grid sees them: it
    // would move focus once more (Tab typed fast lands two cells on) or
    // drop it (Escape). The grid cancels the one and takes focus back from
    // the other, so every key is the grid's whatever frame it falls in.
    let focused = ui.memory(|m| m.focused());
    if let Some(e) = &state.edit
        && schema::field(e.field).table == table
    {
        let id = cell_id(e.field);
        let dropped = focused.is_none() && ui.memory(|m| m.had_focus_last_frame(id));
        if focused == Some(id) || dropped {
            let f = e.field;
            if dropped {
                focus_cell(ui, f);
            }
            handle_keys(state, ui, f);
            ui.memory_mut(|m| m.move_focus(egui::FocusDirection::None));
        }
    }

    for (c, galley) in l.cells.iter().zip(galleys) {
        let r = cell_rect(c);
        let painter = ui.painter();
        match &c.content {
            CellContent::Value(f) => value_cell(ui, state, *f, r),
            content => {
                let fill = if matches!(content, CellContent::Label(_)) {
                    Color32::TRANSPARENT
                } else {
                    HEADER_FILL
                };
                painter.rect_filled(r, 0.0, fill);
                if let Some(g) = galley {
                    let pos = match content {
                        CellContent::Label(_) if c.colspan == 1 && c.rowspan == 1 => {
                            pos2(r.min.x + PAD, r.center().y - g.size().y / 2.0)
                        }
                        _ => r.center() - g.size() / 2.0,
                    };
                    painter.galley(pos, g, color);
                }
            }
        }
        ui.painter()
            .rect_stroke(r, 0.0, Stroke::new(1.0, BORDER), egui::StrokeKind::Inside);
    }
}

/// A cell's tooltip: why it is outlined, how a total is made, last year's value.
pub fn cell_tooltip(state: &AppState, f: FieldIdx) -> String {
    let field = schema::field(f);
    let mut lines = Vec::new();
    if field.is_derived() {
        let note = match state.doc.report.tables.value(f) {
            Value::Sum {
                complete: false, ..
            } => "（有空白分项，合计不完整）",
            Value::Unknown => "（有分项不是数字，无法合计）",
            _ => "",
        };
        lines.push(format!(
            "{}：由程序自动合计，不能直接填写{note}",
            field.accessible_name()
        ));
    }
    if let Some(c) = state.doc.cell_findings.get(&f) {
        lines.extend(c.messages.iter().take(3).cloned());
    }
    if let Some(p) = &state.doc.report.previous {
        let v = p.tables.value(f).display();
        lines.push(format!(
            "上年：{}",
            if v.is_empty() { "（空白）" } else { &v }
        ));
    }
    lines.join("\n")
}

fn value_cell(ui: &mut Ui, state: &mut AppState, f: FieldIdx, r: Rect) {
    let field = schema::field(f);
    let name = field.accessible_name().to_string();
    let problem = state.doc.cell_findings.get(&f).and_then(|p| p.outline);
    let inner = r.shrink(1.0);
    if field.is_derived() {
        let v = state.doc.report.tables.value(f);
        ui.painter().rect_filled(inner, 0.0, DERIVED_FILL);
        let mut text = v.display();
        let shown = TextEdit::singleline(&mut text)
            .id(cell_id(f))
            .interactive(false)
            .align(egui::Align2::CENTER_CENTER)
            .font(egui::FontId::proportional(FONT_SIZE))
            .text_color(Color32::BLACK)
            .background_color(DERIVED_FILL)
            .frame(egui::Frame::NONE)
            .desired_width(inner.width() - 4.0);
        let resp = ui.put(inner, shown).accessible_name(name.clone());
        finish_cell(ui, state, f, &resp, inner, problem);
        return;
    }
    let id = cell_id(f);
    let editing = state.edit.as_ref().is_some_and(|e| e.field == f);
    let mut text = match &state.edit {
        Some(e) if e.field == f => e.text.clone(),
        _ => state.doc.report.tables.get(f).display(),
    };
    let before = text.clone();
    // Newly reached by the keyboard: select all before the input runs, so
    // what is typed in this very frame replaces the old value (WPS habit).
    if !editing && ui.memory(|m| m.has_focus(id)) {
        select_all(ui, f, &text);
    }
    let edit = TextEdit::singleline(&mut text)
        .id(id)
        .align(egui::Align2::CENTER_CENTER)
        .font(egui::FontId::proportional(FONT_SIZE))
        .margin(Vec2::new(2.0, 4.0))
        .return_key(None)
        .event_filter(CELL_KEYS)
        .desired_width(inner.width() - 4.0);
    let resp = ui.put(inner, edit).accessible_name(name.clone());
    if state.focus == Some(Target::Cell(f)) {
        // Focus now, with the grid's key filter, so the very next key is ours
        // (a deferred focus would let egui move focus on a Tab as well).
        if !resp.has_focus() {
            focus_cell(ui, f);
        }
        resp.scroll_to_me(None);
        state.focus = None;
    }
    let now = ui.input(|i| i.time);
    if resp.has_focus() && !editing {
        state.doc.break_merge();
        let mut e =
            CellEdit::selected(f, text.clone(), state.doc.report.tables.get(f).clone(), now);
        if text == before {
            // Reached by a click: selected, like a spreadsheet cell.
            select_all(ui, f, &text);
        } else {
            e.mode = CellMode::Typing;
        }
        state.edit = Some(e);
    } else if editing
        && (resp.double_clicked()
            || resp.clicked()
                && ui
                    .input(|i| i.pointer.press_start_time())
                    .is_some_and(|t| state.edit.as_ref().is_some_and(|e| t > e.since)))
        && let Some(e) = state.edit.as_mut()
    {
        // A second click (pressed after the cell was selected) or a double click.
        e.mode = CellMode::InPlace;
        let e = e.clone();
        edit_in_place(state, ui, &e);
    }
    if text != before {
        // While an IME composes, the input shows the composition; the
        // report gets what it commits.
        if !state.ime_composing {
            state.set_cell_text(f, &text);
        }
        match &mut state.edit {
            Some(e) if e.field == f => e.text = text,
            _ => {
                let mut e =
                    CellEdit::selected(f, text, state.doc.report.tables.get(f).clone(), now);
                e.mode = CellMode::Typing;
                state.edit = Some(e);
            }
        }
    }
    if resp.lost_focus() && state.edit.as_ref().is_some_and(|e| e.field == f) {
        state.edit = None;
        state.doc.break_merge();
    }
    finish_cell(ui, state, f, &resp, inner, problem);
    // The focus ring last, so it is always visible: a thick blue frame
    // when the cell is selected, a green one when editing in place.
    if resp.has_focus() {
        let in_place = state
            .edit
            .as_ref()
            .is_some_and(|e| e.field == f && e.in_place());
        let stroke = if in_place {
            Stroke::new(2.0, Color32::from_rgb(20, 150, 70))
        } else {
            Stroke::new(2.5, Color32::from_rgb(30, 110, 230))
        };
        ui.painter()
            .rect_stroke(inner.expand(1.0), 0.0, stroke, egui::StrokeKind::Inside);
    }
}

/// Outline a cell with a finding, and explain it in a tooltip.
fn finish_cell(
    ui: &Ui,
    state: &AppState,
    f: FieldIdx,
    resp: &egui::Response,
    r: Rect,
    problem: Option<Severity>,
) {
    let color = match problem {
        Some(Severity::Error) => Some(Color32::from_rgb(210, 30, 30)),
        Some(Severity::Warning) => Some(Color32::from_rgb(230, 140, 0)),
        _ => None,
    };
    if let Some(color) = color {
        ui.painter()
            .rect_stroke(r, 0.0, Stroke::new(2.0, color), egui::StrokeKind::Inside);
    }
    // Built only for the hovered cell, not for every cell every frame.
    if resp.hovered() {
        let tooltip = cell_tooltip(state, f);
        if !tooltip.is_empty() {
            resp.clone().on_hover_text(tooltip);
        }
    }
}
