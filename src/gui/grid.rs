//! The three tables in the exact official layout, read from the schema's
//! merged grid: spanning header and group cells are painted over the rows
//! they cover; value cells are single-line inputs; totals are shaded and
//! read-only. Keyboard moves and block pastes are handled here, before the
//! focused input sees the keys.

use super::app::{AppState, CellEdit, Target, tab_order, vertical_neighbour};
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

/// Handle grid keys for the focused cell before its input consumes them.
///
/// Events are taken in order: text typed before a Tab in the same frame
/// belongs to the cell being left, text after it to the next cell (fast
/// typists and IMEs deliver several in one frame).
fn handle_keys(state: &mut AppState, ui: &Ui, f: FieldIdx) {
    let in_place = state.edit.as_ref().is_some_and(|e| e.in_place);
    // A selected cell (not edited in place) leaves by either arrow at once.
    let caret = egui::text_edit::TextEditState::load(ui.ctx(), cell_id(f))
        .and_then(|s| s.cursor.char_range())
        .map(|r| (r.primary.index.0, r.is_empty()))
        .filter(|_| in_place);
    let len = state
        .edit
        .as_ref()
        .map(|e| e.text.chars().count())
        .unwrap_or(0);
    let events = ui.input_mut(|i| std::mem::take(&mut i.events));
    let mut cur = f;
    let mut before: Vec<egui::Event> = Vec::new();
    let mut typed: Vec<(FieldIdx, String)> = Vec::new();
    let mut revert = false;
    let mut paste: Option<(FieldIdx, String)> = None;
    for e in events {
        match &e {
            // While an IME composes, its keys (Tab, Enter, arrows choose
            // candidates) belong to the IME, never to the grid.
            egui::Event::Ime(egui::ImeEvent::Preedit { text, .. }) => {
                state.ime_composing = !text.is_empty();
                before.push(e);
            }
            egui::Event::Ime(egui::ImeEvent::Commit(_)) => {
                state.ime_composing = false;
                before.push(e);
            }
            egui::Event::Key { .. } if state.ime_composing => before.push(e),
            // A block or a row with separators; a single value is typed as usual.
            egui::Event::Paste(text)
                if crate::paste::split_block(text)
                    .iter()
                    .map(Vec::len)
                    .sum::<usize>()
                    > 1
                    || text.contains(['\t', '\n']) =>
            {
                paste = Some((cur, text.clone()))
            }
            egui::Event::Key {
                key,
                pressed: true,
                modifiers,
                ..
            } => {
                let first = cur == f && before.iter().all(|e| !matches!(e, egui::Event::Text(_)));
                let at_start = first && caret.is_none_or(|(c, empty)| empty && c == 0);
                let at_end = first && caret.is_none_or(|(c, empty)| empty && c >= len);
                if *key == Key::F2 && !modifiers.any() && cur == f {
                    edit_in_place(state, ui, f);
                    continue;
                }
                match nav_key(*key, *modifiers, cur, at_start, at_end) {
                    Nav::Move(t) => {
                        // Text typed before the move stays in the cell being left.
                        let text: String = before
                            .iter()
                            .filter_map(|e| {
                                if let egui::Event::Text(t) = e {
                                    Some(t.as_str())
                                } else {
                                    None
                                }
                            })
                            .collect();
                        before.retain(|e| {
                            !matches!(e, egui::Event::Text(_) | egui::Event::Key { .. })
                        });
                        if !text.is_empty() {
                            typed.push((cur, text));
                        }
                        cur = t;
                    }
                    Nav::Stay => {}
                    Nav::Revert if cur == f => revert = true,
                    Nav::Revert | Nav::Pass => before.push(e),
                }
            }
            _ => before.push(e),
        }
    }
    ui.input_mut(|i| i.events = before);
    for (cell, text) in typed {
        // Typing into a selected cell replaces it; in place, it inserts.
        let base = if cell == f && in_place {
            state
                .edit
                .as_ref()
                .map(|e| e.text.clone())
                .unwrap_or_default()
        } else {
            String::new()
        };
        state.set_cell_text(cell, &(base + &text));
        state.doc.break_merge();
    }
    if revert && let Some(e) = state.edit.clone() {
        let origin = e.origin.clone();
        state.doc.edit(super::document::EditKey::Cell(f), |r| {
            r.tables.set(f, origin)
        });
        state.doc.break_merge();
        let shown = e.origin.display();
        select_all(ui, f, &shown);
        state.edit = Some(CellEdit {
            text: shown,
            in_place: false,
            ..e
        });
        state.status = "已撤销本格的修改".into();
    }
    if let Some((cell, text)) = paste {
        state.paste_block(cell, &text);
    }
    if cur != f {
        // Move focus now, so the rest of this frame's typing lands in the new cell.
        state.edit = None;
        focus_cell(ui, cur);
        state.focus = Some(Target::Cell(cur));
        state.doc.break_merge();
    }
}

/// Select a cell's whole text, so the next key typed replaces it.
fn select_all(ui: &Ui, f: FieldIdx, text: &str) {
    let mut st = egui::text_edit::TextEditState::load(ui.ctx(), cell_id(f)).unwrap_or_default();
    st.cursor
        .set_char_range(Some(egui::text::CCursorRange::select_all_str(text)));
    st.store(ui.ctx(), cell_id(f));
}

/// F2, a double click or a second click: edit in place, caret at the end.
fn edit_in_place(state: &mut AppState, ui: &Ui, f: FieldIdx) {
    let Some(e) = state.edit.as_mut().filter(|e| e.field == f) else {
        return;
    };
    e.in_place = true;
    let mut st = egui::text_edit::TextEditState::load(ui.ctx(), cell_id(f)).unwrap_or_default();
    let end = egui::text::CCursor::new(e.text.chars().count());
    st.cursor
        .set_char_range(Some(egui::text::CCursorRange::one(end)));
    st.store(ui.ctx(), cell_id(f));
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
    let focused = ui.memory(|m| m.focused());
    if let Some(e) = &state.edit
        && focused == Some(cell_id(e.field))
        && schema::field(e.field).table == table
    {
        handle_keys(state, ui, e.field);
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
        state.edit = Some(CellEdit {
            field: f,
            text: text.clone(),
            origin: state.doc.report.tables.get(f).clone(),
            in_place: false,
            since: now,
        });
        if text == before {
            // Reached by a click: selected, like a spreadsheet cell.
            select_all(ui, f, &text);
        }
    } else if editing
        && (resp.double_clicked()
            || resp.clicked()
                && ui
                    .input(|i| i.pointer.press_start_time())
                    .is_some_and(|t| state.edit.as_ref().is_some_and(|e| t > e.since)))
    {
        // A second click (pressed after the cell was selected) or a double click.
        edit_in_place(state, ui, f);
    }
    if text != before {
        state.set_cell_text(f, &text);
        match &mut state.edit {
            Some(e) if e.field == f => e.text = text,
            _ => {
                state.edit = Some(CellEdit {
                    field: f,
                    text,
                    origin: state.doc.report.tables.get(f).clone(),
                    in_place: false,
                    since: ui.input(|i| i.time),
                })
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
            .is_some_and(|e| e.field == f && e.in_place);
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
