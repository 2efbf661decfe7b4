//! 汇总结果: every unit of a 汇总 with its key figures, in an
//! `egui_extras` table: only the visible rows are laid out (a city merges
//! hundreds of units, a province thousands), the header stays in place and
//! sorts on click, columns resize.

use crate::year::KEY_FIGURES;
use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};
use rust_decimal::Decimal;
use std::sync::Arc;

/// One merged unit as the table shows it.
#[derive(Clone, Debug)]
pub struct UnitRow {
    pub name: String,
    /// One value per [`KEY_FIGURES`] entry; `None` when the unit left it
    /// blank or invalid.
    pub figures: Vec<Option<Decimal>>,
    pub errors: usize,
}

/// The column sorted by (0 the unit, 1..=10 a key figure, 11 the errors),
/// and the row order for it, kept between frames.
type Order = (Option<usize>, usize, Arc<Vec<usize>>);

/// The table, sorted by the column last clicked (click again to undo).
pub fn show(ui: &mut Ui, rows: &[UnitRow]) {
    let id = egui::Id::unique("merge-table-order");
    let (made_for, order) = match ui.data(|d| d.get_temp::<Order>(id)) {
        Some((s, n, o)) if n == rows.len() => (s, o),
        _ => (None, Arc::new(ordered(rows, None))),
    };
    let mut sort = made_for;
    let labels = std::iter::once("单位")
        .chain(KEY_FIGURES.iter().map(|k| k.name))
        .chain(std::iter::once("错误"));
    egui::ScrollArea::horizontal()
        .id_salt("merge-table-wide")
        .show(ui, |ui| {
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
            let mut table = TableBuilder::new(ui)
                .id_salt("merge-table")
                .striped(true)
                .resizable(true)
                .max_scroll_height(320.0)
                .column(Column::initial(180.0).at_least(100.0).clip(true));
            for _ in &KEY_FIGURES {
                table = table.column(Column::auto().at_least(56.0));
            }
            table
                .column(Column::auto().at_least(40.0))
                .header(24.0, |mut h| {
                    for (k, label) in labels.enumerate() {
                        h.col(|ui| {
                            if ui
                                .selectable_label(sort == Some(k), RichText::new(label).strong())
                                .on_hover_text("点击按此列排序，再点一次恢复原顺序")
                                .clicked()
                            {
                                sort = if sort == Some(k) { None } else { Some(k) };
                            }
                        });
                    }
                })
                .body(|body| {
                    body.rows(20.0, order.len(), |mut row| {
                        let u = &rows[order[row.index()]];
                        row.col(|ui| {
                            ui.label(&u.name);
                        });
                        for v in &u.figures {
                            row.col(|ui| {
                                ui.label(v.map_or("—".to_string(), |d| d.to_string()));
                            });
                        }
                        row.col(|ui| {
                            ui.label(u.errors.to_string());
                        });
                    });
                });
        });
    let order = if sort == made_for {
        order
    } else {
        Arc::new(ordered(rows, sort))
    };
    ui.data_mut(|d| d.insert_temp::<Order>(id, (sort, rows.len(), order)));
}

/// Row indices in the order of column `sort`: units by name, figures and
/// errors largest first, blanks last; the merge's own order for `None`.
pub fn ordered(rows: &[UnitRow], sort: Option<usize>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    match sort {
        None => {}
        Some(0) => order.sort_by(|&a, &b| rows[a].name.cmp(&rows[b].name)),
        Some(k) if k <= KEY_FIGURES.len() => order.sort_by(|&a, &b| {
            let v = |i: usize| rows[i].figures.get(k - 1).copied().flatten();
            // Larger first, blanks after every number.
            v(b).cmp(&v(a))
        }),
        Some(_) => order.sort_by_key(|&i| std::cmp::Reverse(rows[i].errors)),
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(name: &str, new: Option<i64>, errors: usize) -> UnitRow {
        let mut figures = vec![None; KEY_FIGURES.len()];
        figures[0] = new.map(Decimal::from);
        UnitRow {
            name: name.into(),
            figures,
            errors,
        }
    }

    #[test]
    fn columns_sort_by_name_by_figure_with_blanks_last_and_by_errors() {
        let rows = [
            unit("乙镇", Some(3), 0),
            unit("甲局", None, 2),
            unit("丙办", Some(12), 1),
        ];
        assert_eq!(ordered(&rows, None), [0, 1, 2], "the merge's own order");
        let by_name = ordered(&rows, Some(0));
        let names: Vec<&str> = by_name.iter().map(|&i| rows[i].name.as_str()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        assert_eq!(ordered(&rows, Some(1)), [2, 0, 1], "12, 3, then the blank");
        assert_eq!(ordered(&rows, Some(KEY_FIGURES.len() + 1)), [1, 2, 0]);
    }
}
