//! Exports checked by parsing them back: spans resolved into a grid, every
//! value cell compared, hostile strings kept as text.

use super::*;
use crate::cell::Cell;
use crate::report::Report;
use crate::sample::filled_report;
use crate::schema::{self, TableId};
use scraper::{ElementRef, Html, Selector};

/// Resolve a `<table>` with rowspan/colspan into a grid of cell texts.
pub fn resolve(table: ElementRef) -> Vec<Vec<String>> {
    let tr = Selector::parse("tr").unwrap();
    let td = Selector::parse("td, th").unwrap();
    let mut grid: Vec<Vec<Option<String>>> = Vec::new();
    for (r, row) in table.select(&tr).enumerate() {
        let mut c = 0;
        for cell in row.select(&td) {
            while grid
                .get(r)
                .and_then(|g| g.get(c))
                .is_some_and(|x| x.is_some())
            {
                c += 1;
            }
            let span = |a: &str| {
                cell.value()
                    .attr(a)
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(1)
            };
            let text: String = cell
                .text()
                .collect::<String>()
                .replace('\u{a0}', " ")
                .trim()
                .to_string();
            for rr in r..r + span("rowspan") {
                for cc in c..c + span("colspan") {
                    if grid.len() <= rr {
                        grid.resize(rr + 1, Vec::new());
                    }
                    if grid[rr].len() <= cc {
                        grid[rr].resize(cc + 1, None);
                    }
                    grid[rr][cc] = Some(text.clone());
                }
            }
            c += span("colspan");
        }
    }
    grid.into_iter()
        .map(|row| {
            row.into_iter()
                .map(|x| x.unwrap_or_else(|| "<hole>".into()))
                .collect()
        })
        .collect()
}

fn tables(html: &str) -> Vec<Vec<Vec<String>>> {
    let doc = Html::parse_document(html);
    let sel = Selector::parse("table").unwrap();
    doc.select(&sel).map(resolve).collect()
}

fn full() -> Report {
    let mut r = filled_report("浔阳区人民政府", 2023, 11);
    r.tables.set_cell(
        TableId::Active,
        "fees_wan",
        "",
        Cell::Amount("5949.088667".parse().unwrap()),
    );
    r
}

#[test]
fn html_tables_resolve_to_the_official_grids() {
    let r = full();
    for html in [export_html(&r), export_fragment(&r)] {
        let ts = tables(&html);
        assert_eq!(ts.len(), 3);
        let req = &ts[1];
        assert_eq!(req.len(), 28);
        assert!(
            req.iter().all(|row| row.len() == 10),
            "表三 rows are 10 wide"
        );
        assert!(req.iter().flatten().all(|c| c != "<hole>"));
        // 三、本年度办理结果 covers rows 5..=26 of column 0.
        let rows_with_results: Vec<usize> = (0..28)
            .filter(|&i| req[i][0] == "三、本年度办理结果")
            .collect();
        assert_eq!(rows_with_results, (5..27).collect::<Vec<_>>());
        assert_eq!(
            (0..28).filter(|&i| req[i][1] == "（三）不予公开").count(),
            8
        );
        assert_eq!(
            (0..28).filter(|&i| req[i][1] == "（四）无法提供").count(),
            3
        );
        assert_eq!(
            (0..28).filter(|&i| req[i][1] == "（五）不予处理").count(),
            5
        );
        assert_eq!(
            (0..28).filter(|&i| req[i][1] == "（六）其他处理").count(),
            3
        );
        assert_eq!(req[0][0], schema::REQUEST_NOTE);
        assert_eq!(req[2][2], schema::REQUEST_NOTE, "the note spans 3×3");
        assert_eq!(req[2][9], "总计");
        assert_eq!(req[3][0], "一、本年新收政府信息公开申请数量");
        assert_eq!(req[3][2], "一、本年新收政府信息公开申请数量");
        let app = &ts[2];
        assert_eq!((app.len(), app[0].len()), (4, 15));
        assert_eq!(app[0][14], "行政诉讼");
        assert_eq!(app[2][0], "结果维持", "review columns span two header rows");
        assert_eq!(app[1][10], "复议后起诉");
        // Every value cell holds the right number.
        for (t, grid) in [TableId::Active, TableId::Requests, TableId::Appeals]
            .into_iter()
            .zip(&ts)
        {
            for c in &schema::layout(t).cells {
                if let schema::CellContent::Value(f) = c.content {
                    assert_eq!(
                        grid[c.row][c.col],
                        r.tables.value(f).display(),
                        "{}",
                        schema::field(f).id
                    );
                }
            }
        }
    }
}

#[test]
fn standalone_page_and_fragment_shape() {
    let r = full();
    let page = export_html(&r);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<title>浔阳区人民政府2023年政府信息公开工作年度报告</title>"));
    assert!(page.contains("@page") && page.contains("size: A4"));
    assert!(page.contains(r#"border="1" cellspacing="0""#));
    let frag = export_fragment(&r);
    for tag in ["<html", "<head", "<style", "<body", "<title"] {
        assert!(!frag.contains(tag), "fragment must not contain {tag}");
    }
    assert!(frag.contains("border:1px solid #000"));
    let headings: Vec<_> = schema::SECTIONS
        .iter()
        .map(|s| frag.find(s.heading).unwrap())
        .collect();
    assert!(
        headings.windows(2).all(|w| w[0] < w[1]),
        "sections in order"
    );
    assert!(
        frag.find("（一）主动公开情况").unwrap() < frag.find("二、主动公开政府信息情况").unwrap()
    );
}

#[test]
fn blanks_print_empty_never_zero() {
    let mut r = full();
    r.tables
        .set_cell(TableId::Requests, "new", "research", Cell::Blank);
    let html = export_html(&r);
    let req = &tables(&html)[1];
    assert_eq!(req[3][3 + 2], "");
    assert!(html.contains("&nbsp;"));
    let text = export_text(&r);
    let line = text
        .lines()
        .find(|l| l.starts_with("一、本年新收"))
        .unwrap();
    assert_eq!(line.split('\t').nth(3), Some(""));
}

#[test]
fn paragraphs_are_kept_as_written() {
    let mut r = full();
    r.narrative.problems = "第一段。\n第二段。\n\n第三段。".into();
    let html = export_fragment(&r);
    let doc = Html::parse_fragment(&html);
    let p = Selector::parse("p").unwrap();
    let texts: Vec<String> = doc.select(&p).map(|e| e.text().collect()).collect();
    let i = texts.iter().position(|t| t == "第一段。").unwrap();
    assert_eq!(&texts[i..i + 3], ["第一段。", "第二段。", "第三段。"]);
}

const HOSTILE: [&str; 6] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "A & B &amp; C",
    "'single' \"double\"",
    "line\u{2028}separator\u{2029}para",
    "</td></tr></table><b>x</b>",
];

#[test]
fn hostile_strings_never_become_markup() {
    for h in HOSTILE {
        let mut r = full();
        r.meta.agency = h.into();
        r.meta.contact = h.into();
        r.narrative.preamble = h.into();
        r.narrative.problems = h.into();
        r.narrative.overview_subs[0].heading = h.into();
        r.tables.set_cell(
            TableId::Requests,
            "new",
            "commercial",
            Cell::Invalid(h.into()),
        );
        for out in [export_html(&r), export_fragment(&r)] {
            assert!(!out.contains("<script"), "{h}");
            assert!(!out.contains("<img"), "{h}");
            assert!(!out.contains("<b>"), "{h}");
            assert!(
                !out.contains('\u{2028}') && !out.contains('\u{2029}'),
                "{h}"
            );
            let doc = Html::parse_document(&out);
            let bad = Selector::parse("script, img, b").unwrap();
            assert_eq!(doc.select(&bad).count(), 0, "{h}");
            assert_eq!(tables(&out).len(), 3, "{h}: tables intact");
            // The text itself survives as text.
            let all: String = doc.root_element().text().collect();
            let first = h.split(['\u{2028}', '\u{2029}']).next().unwrap();
            assert!(all.contains(first), "{h}: the text is shown as text");
        }
    }
}

#[test]
fn text_rows_are_tab_separated_with_group_labels() {
    let r = full();
    let text = export_text(&r);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "浔阳区人民政府2023年政府信息公开工作年度报告");
    let first = lines
        .iter()
        .find(|l| l.starts_with("一、本年新收"))
        .unwrap();
    let vals: Vec<String> = schema::REQUEST_COLUMNS
        .iter()
        .map(|c| {
            r.tables
                .value(schema::idx(TableId::Requests, "new", c.id))
                .display()
        })
        .collect();
    assert_eq!(
        *first,
        format!("一、本年新收政府信息公开申请数量\t{}", vals.join("\t"))
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("三、本年度办理结果·（三）不予公开·1.属于国家秘密\t"))
    );
    assert!(lines.iter().any(|l| l.starts_with("行政诉讼·复议后起诉\t")));
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("行政事业性收费\t5949.088667"))
    );
    for s in &schema::SECTIONS {
        assert!(lines.contains(&s.heading), "{}", s.heading);
    }
    let req_lines = lines.iter().filter(|l| l.split('\t').count() == 8).count();
    assert_eq!(req_lines, 25 + 1, "25 rows and the column header");
}

#[test]
fn golden_outputs_match() {
    let r = full();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    for (name, out) in [
        ("full.html", export_html(&r)),
        ("full.txt", export_text(&r)),
        ("full.json", export_json(&r)),
    ] {
        let path = dir.join(name);
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&path, &out).unwrap();
        }
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            want == out,
            "{name} changed; review and run with UPDATE_GOLDEN=1 to accept"
        );
    }
}
