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

// --- Word and PDF ---------------------------------------------------------

/// The parts of a `.docx` a test looks at.
fn docx_part(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// Resolve every `w:tbl` of document.xml into a grid of cell texts, with
/// `w:gridSpan` and `w:vMerge` applied as Word does.
fn docx_tables(xml: &str) -> Vec<Vec<Vec<String>>> {
    use quick_xml::Reader;
    use quick_xml::events::Event;
    let mut r = Reader::from_str(xml);
    let mut tables = Vec::new();
    let mut grid: Vec<Vec<String>> = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let (mut text, mut span, mut merge) = (String::new(), 1usize, None::<bool>);
    let mut in_t = false;
    loop {
        match r.read_event().unwrap() {
            Event::Eof => break,
            Event::Start(e) if e.local_name().as_ref() == b"t" => in_t = true,
            Event::End(e) if e.local_name().as_ref() == b"t" => in_t = false,
            Event::Text(t) if in_t => text.push_str(&t.decode().unwrap()),
            Event::GeneralRef(g) if in_t => text.push_str(match g.decode().unwrap().as_ref() {
                "amp" => "&",
                "lt" => "<",
                "gt" => ">",
                "quot" => "\"",
                _ => "'",
            }),
            Event::Start(e) if e.local_name().as_ref() == b"tc" => {
                text.clear();
                span = 1;
                merge = None;
            }
            Event::Empty(e) => {
                let val = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == b"val")
                    .map(|a| String::from_utf8_lossy(&a.value).into_owned());
                match e.local_name().as_ref() {
                    b"gridSpan" => span = val.unwrap().parse().unwrap(),
                    b"vMerge" => merge = Some(val.as_deref() == Some("restart")),
                    _ => {}
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"tc" => {
                    let col = row.len();
                    let t = if merge == Some(false) {
                        grid.last()
                            .map(|prev: &Vec<String>| prev[col].clone())
                            .unwrap()
                    } else {
                        text.clone()
                    };
                    row.extend(std::iter::repeat_n(t, span));
                }
                b"tr" => grid.push(std::mem::take(&mut row)),
                b"tbl" => tables.push(std::mem::take(&mut grid)),
                _ => {}
            },
            _ => {}
        }
    }
    tables
}

#[test]
fn docx_tables_resolve_to_the_same_grids_as_html() {
    let r = full();
    let bytes = export_docx(&r);
    let xml = docx_part(&bytes, "word/document.xml");
    let want = tables(&export_html(&r));
    let got = docx_tables(&xml);
    assert_eq!(got.len(), 3);
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w, "the Word grid equals the HTML grid cell for cell");
    }
    assert_eq!((got[1].len(), got[1][0].len()), (28, 10));
    assert_eq!((got[2].len(), got[2][0].len()), (4, 15));
    // A4, 公文 margins, header rows repeat, rows never split.
    assert!(xml.contains(r#"<w:pgSz w:w="11906" w:h="16838""#), "A4");
    assert!(xml.contains(r#"w:top="2098""#) && xml.contains(r#"w:left="1587""#));
    let header_rows: usize = TableId::ALL
        .iter()
        .map(|&t| schema::layout(t).header_rows)
        .sum();
    assert_eq!(xml.matches("<w:tblHeader />").count(), header_rows);
    let rows: usize = TableId::ALL.iter().map(|&t| schema::layout(t).rows).sum();
    assert_eq!(xml.matches("<w:cantSplit />").count(), rows);
    // East Asian fonts everywhere: defaults, every style, and Chinese as the language.
    let styles = docx_part(&bytes, "word/styles.xml");
    let defaults =
        &styles[styles.find("<w:docDefaults>").unwrap()..styles.find("</w:docDefaults>").unwrap()];
    assert!(
        defaults.contains(r#"w:eastAsia="仿宋_GB2312""#),
        "{defaults}"
    );
    assert!(defaults.contains(r#"w:eastAsia="zh-CN""#));
    for style in styles.split("<w:style ").skip(1) {
        if style.contains("w:type=\"paragraph\"") {
            assert!(
                style.contains("w:eastAsia="),
                "a style without eastAsia: {style}"
            );
        }
    }
    assert!(xml.contains(r#"w:eastAsia="黑体""#) && xml.contains(r#"w:eastAsia="方正小标宋简体""#));
    let fonts = docx_part(&bytes, "word/fontTable.xml");
    assert!(fonts.contains(r#"<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋" />"#));
    // The page number in the footer, as "- N -".
    let footer = docx_part(&bytes, "word/footer1.xml");
    assert!(
        footer.contains("PAGE") && footer.contains(">- <") && footer.contains("> -<"),
        "{footer}"
    );
}

#[test]
fn docx_blanks_are_empty_never_zero() {
    let mut r = full();
    r.tables
        .set_cell(TableId::Requests, "new", "research", Cell::Blank);
    let got = docx_tables(&docx_part(&export_docx(&r), "word/document.xml"));
    assert_eq!(got[1][3][5], "");
}

/// Strings that are markup in typst, Word XML or HTML.
const HOSTILE_OFFICE: [&str; 9] = [
    "#set page(width: 1cm)",
    "*粗体* _斜体_ $x^2$",
    "]) #panic(\"x\") [",
    "// 注释 /* 块 */",
    "@label <ref> \\ 反斜杠 \"引号\"",
    "<w:t>注入</w:t>&amp;",
    "`raw` ~ 1. 列表 - 项 + 项 = 标题",
    "#{ let x = 1 }",
    "\u{202E}反向\u{202C}文字",
];

fn hostile_report(h: &str) -> Report {
    let mut r = full();
    r.meta.agency = h.into();
    r.narrative.preamble = h.into();
    r.narrative.problems = format!("{h}\n{h}");
    r.narrative.overview_subs[0].heading = h.into();
    r.narrative.other = h.into();
    r.tables.set_cell(
        TableId::Requests,
        "new",
        "commercial",
        Cell::Invalid(h.into()),
    );
    r
}

#[test]
fn hostile_strings_stay_text_in_word() {
    for h in HOSTILE_OFFICE {
        let r = hostile_report(h);
        let bytes = export_docx(&r);
        let xml = docx_part(&bytes, "word/document.xml");
        let got = docx_tables(&xml);
        assert_eq!(got.len(), 3, "{h}: tables intact");
        let shown = super::doc::one_line(h);
        assert_eq!(got[1][3][4], shown, "{h}: the invalid cell reads as typed");
        assert!(!xml.contains("<w:t>注入</w:t>&amp;"), "{h}");
        // and the importer reads the same text back
        let imp = crate::import::import_bytes(&bytes).unwrap();
        assert_eq!(imp.report.narrative.other.trim(), shown.trim(), "{h}");
    }
}

#[test]
fn pdf_is_a4_with_embedded_fonts_and_every_value() {
    let r = full();
    let bytes = export_pdf(&r).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(bytes.len() < 1_500_000, "{} bytes", bytes.len());
    let doc = pdf_extract::Document::load_mem(&bytes).unwrap();
    let pages = doc.get_pages();
    assert!(pages.len() >= 3, "{} pages", pages.len());
    for (_, id) in pages {
        let page = doc.get_dictionary(id).unwrap();
        let mb: Vec<f32> = page
            .get(b"MediaBox")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o.as_float().unwrap())
            .collect();
        assert!(
            (mb[2] - 595.28).abs() < 1.0 && (mb[3] - 841.89).abs() < 1.0,
            "{mb:?}"
        );
    }
    let embedded = doc.objects.values().filter(|o| {
        o.as_dict()
            .is_ok_and(|d| d.has(b"FontFile") || d.has(b"FontFile2") || d.has(b"FontFile3"))
    });
    assert!(embedded.count() >= 2, "serif and sans embedded");
    // Read back by the importer: every value, the year and the agency.
    let imp = crate::import::import_bytes(&bytes).unwrap();
    assert_eq!(imp.report.tables, r.tables, "{:?}", imp.findings);
    assert_eq!(imp.report.meta.year, 2023);
    assert_eq!(imp.report.meta.agency, "浔阳区人民政府");
}

#[test]
fn hostile_strings_stay_text_in_pdf() {
    for h in HOSTILE_OFFICE {
        let r = hostile_report(h);
        let src = super::pdf::source(&r);
        let bytes = export_pdf(&r).unwrap_or_else(|e| panic!("{h}: {e}"));
        let imp = crate::import::import_bytes(&bytes).unwrap();
        let shown = super::doc::one_line(h);
        let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        assert!(
            squeeze(&imp.report.narrative.other).contains(&squeeze(&shown)),
            "{h}: {:?}\n{}",
            imp.report.narrative.other,
            &src[..200]
        );
        assert_eq!(
            imp.report.tables.cell(TableId::Active, "licensing", ""),
            r.tables.cell(TableId::Active, "licensing", "")
        );
    }
}

#[test]
fn every_format_renders_and_the_list_is_complete() {
    let r = full();
    for f in Format::ALL {
        let b = f.render(&r).unwrap();
        assert!(!b.is_empty(), "{f:?}");
        assert_eq!(Format::from_id(f.id()), Some(f));
        assert!(f.filter().1.iter().any(|e| f.suffix().ends_with(e)));
    }
}
