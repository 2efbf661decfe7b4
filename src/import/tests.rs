//! The importer against the real fixtures, reshaped copies of them, round
//! trips through the exports, and mutations.

use super::*;
use crate::check::{Severity, check};
use crate::export::{export_html, export_text};
use crate::sample::filled_report;

fn fixture(name: &str) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/published")
        .join(name);
    std::fs::read(p).unwrap()
}

const LUOZHUANG: &str = "2023-luozhuang-civil-affairs.txt";
const XUNYANG: &str = "2023-xunyang-district.txt";
const PINGTAN: &str = "2023-pingtan-zone.html";

type Rows = &'static [(&'static str, [u64; 7])];
type Expected = (Vec<(&'static str, &'static str)>, Rows, [[u64; 5]; 3]);

/// The values of the fixtures' README; unlisted rows are all 0.
fn expect(name: &str) -> Expected {
    match name {
        LUOZHUANG => (
            vec![
                ("regulations", "0/0/0"),
                ("normative_documents", "0/0/1"),
                ("licensing", "0"),
                ("penalty", "0"),
                ("coercion", "0"),
                ("fees_wan", "0"),
            ],
            &[],
            [[0; 5]; 3],
        ),
        XUNYANG => (
            vec![
                ("regulations", "0/0/0"),
                ("normative_documents", "1/0/5"),
                ("licensing", "8014"),
                ("penalty", "2518"),
                ("coercion", "17"),
                ("fees_wan", "0"),
            ],
            &[
                ("new", [14, 0, 0, 0, 0, 0, 14]),
                ("disclosed", [8, 0, 0, 0, 0, 0, 8]),
                ("partly_disclosed", [1, 0, 0, 0, 0, 0, 1]),
                ("withheld_third_party", [1, 0, 0, 0, 0, 0, 1]),
                ("unable_not_held", [3, 0, 0, 0, 0, 0, 3]),
                ("declined_repeated", [1, 0, 0, 0, 0, 0, 1]),
                ("results_total", [14, 0, 0, 0, 0, 0, 14]),
            ],
            [[0; 5]; 3],
        ),
        PINGTAN => (
            vec![
                ("regulations", "0/0/0"),
                ("normative_documents", "77/132/470"),
                ("licensing", "2629"),
                ("penalty", "1330"),
                ("coercion", "54"),
                ("fees_wan", "5949.088667"),
            ],
            &[
                ("new", [80, 1, 0, 0, 0, 0, 81]),
                ("disclosed", [22, 0, 0, 0, 0, 0, 22]),
                ("partly_disclosed", [19, 1, 0, 0, 0, 0, 20]),
                ("withheld_third_party", [1, 0, 0, 0, 0, 0, 1]),
                ("withheld_process", [1, 0, 0, 0, 0, 0, 1]),
                ("withheld_enforcement", [1, 0, 0, 0, 0, 0, 1]),
                ("withheld_query", [2, 0, 0, 0, 0, 0, 2]),
                ("unable_not_held", [31, 0, 0, 0, 0, 0, 31]),
                ("declined_repeated", [1, 0, 0, 0, 0, 0, 1]),
                ("other_no_correction", [1, 0, 0, 0, 0, 0, 1]),
                ("other_misc", [1, 0, 0, 0, 0, 0, 1]),
                ("results_total", [80, 1, 0, 0, 0, 0, 81]),
            ],
            [[1, 1, 0, 0, 2], [4, 0, 0, 1, 5], [1, 0, 1, 0, 2]],
        ),
        _ => unreachable!(),
    }
}

/// Assert every cell of an imported report against the README, cell by cell.
fn assert_cells(name: &str, r: &Report) {
    let (active, rows, appeals) = expect(name);
    for (row, vals) in active {
        let b = schema::ACTIVE_BLOCKS
            .iter()
            .find(|b| b.rows.iter().any(|x| x.0 == row))
            .unwrap();
        let want: Vec<&str> = vals.split('/').collect();
        for (c, w) in b.columns.iter().zip(want) {
            let got = r
                .tables
                .value(schema::idx(TableId::Active, row, c.id))
                .display();
            assert_eq!(got, w, "{name}: active.{row}.{}", c.id);
        }
    }
    for row in &schema::REQUEST_ROWS {
        let want = rows
            .iter()
            .find(|x| x.0 == row.id)
            .map(|x| x.1)
            .unwrap_or([0; 7]);
        for (c, w) in schema::REQUEST_COLUMNS.iter().zip(want) {
            let got = r.tables.value(schema::idx(TableId::Requests, row.id, c.id));
            assert_eq!(
                got.display(),
                w.to_string(),
                "{name}: requests.{}.{}",
                row.id,
                c.id
            );
        }
    }
    for (b, want) in schema::APPEAL_BLOCKS.iter().zip(appeals) {
        for (c, w) in schema::APPEAL_COLUMNS.iter().zip(want) {
            let got = r
                .tables
                .value(schema::idx(TableId::Appeals, b.id, c.id))
                .display();
            assert_eq!(got, w.to_string(), "{name}: appeals.{}.{}", b.id, c.id);
        }
    }
}

fn meta_of(name: &str) -> (&'static str, i32) {
    match name {
        LUOZHUANG => ("罗庄区民政局", 2023),
        XUNYANG => ("浔阳区人民政府", 2023),
        _ => ("平潭综合实验区", 2023),
    }
}

#[test]
fn fixtures_import_cell_exact_with_meta() {
    for name in [LUOZHUANG, XUNYANG, PINGTAN] {
        let imp = import_bytes(&fixture(name)).unwrap();
        assert_cells(name, &imp.report);
        let (agency, year) = meta_of(name);
        assert_eq!(imp.report.meta.agency, agency, "{name}");
        assert_eq!(imp.report.meta.year, year, "{name}");
        assert_eq!(
            (imp.summary.cells_found, imp.summary.cells_total),
            (200, 200),
            "{name}"
        );
        assert_eq!(imp.summary.sections_found, 6, "{name}");
        assert_eq!(imp.summary.html, name.ends_with(".html"));
        let how = if name.ends_with(".html") {
            "主动公开表按表格结构读取，依申请公开表按表格结构读取，复议诉讼表按表格结构读取"
        } else {
            "主动公开表按文字读取，依申请公开表按文字读取，复议诉讼表按文字读取"
        };
        assert!(
            imp.summary.to_string().contains(&format!(
                "识别表格单元 200/200（{how}），正文 6 部分，机关名称：{agency}，年度：2023"
            )),
            "{}",
            imp.summary
        );
    }
}

#[test]
fn pdf_tables_drawn_with_borders_are_read_by_their_rulings() {
    for name in [
        "2024-huaian-city.pdf",
        "2023-pingtan-zone.pdf",
        "sample-export.pdf",
    ] {
        let imp = import_bytes(&fixture(name)).unwrap();
        assert_eq!(
            imp.summary.tables,
            "主动公开表按表格线读取，依申请公开表按表格线读取，复议诉讼表按表格线读取",
            "{name}"
        );
    }
}

#[test]
fn luozhuang_blank_total_is_reported_not_zero() {
    let imp = import_bytes(&fixture(LUOZHUANG)).unwrap();
    let f: Vec<_> = imp
        .findings
        .iter()
        .filter(|f| f.cells == ["requests.unable_unclear.total"])
        .collect();
    assert_eq!(f.len(), 1, "{:#?}", imp.findings);
    assert_eq!(f[0].rule, "R3");
    assert_eq!(f[0].severity, Severity::Error);
    assert!(f[0].message.contains("印为空白"));
    assert_eq!(
        imp.findings.len(),
        1,
        "nothing else is wrong: {:#?}",
        imp.findings
    );
}

#[test]
fn pingtan_gets_the_r10_warning() {
    let imp = import_bytes(&fixture(PINGTAN)).unwrap();
    assert!(imp.findings.is_empty(), "{:#?}", imp.findings);
    let f: Vec<_> = check(&imp.report)
        .into_iter()
        .filter(|f| f.rule == "R10")
        .collect();
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(
        (f[0].expected.as_deref(), f[0].actual.as_deref()),
        (Some("470"), Some("393"))
    );
    assert_eq!(f[0].severity, Severity::Warning);
}

#[test]
fn xunyang_checks_clean() {
    let imp = import_bytes(&fixture(XUNYANG)).unwrap();
    assert!(imp.findings.is_empty(), "{:#?}", imp.findings);
    let f: Vec<_> = check(&imp.report)
        .into_iter()
        .filter(|f| f.severity != Severity::Info)
        .collect();
    assert!(f.is_empty(), "{f:#?}");
}

#[test]
fn narrative_is_split_into_sections() {
    let imp = import_bytes(&fixture(XUNYANG)).unwrap();
    let n = &imp.report.narrative;
    assert!(
        n.preamble
            .starts_with("本报告依据《中华人民共和国政府信息公开条例》"),
        "{}",
        n.preamble
    );
    assert!(!n.preamble.contains("发布日期"), "page chrome is dropped");
    assert_eq!(n.overview_subs.len(), 5);
    assert_eq!(n.overview_subs[0].heading, "(一)主动公开情况");
    assert!(n.overview_subs[0].text.starts_with("一是审核发布动态信息"));
    assert!(n.overview_subs[4].text.contains("年终考核"));
    assert!(n.problems.starts_with("存在的主要问题。"));
    assert!(n.other.contains("信息公开处理费"));
    assert!(!n.other.contains("扫一扫"), "{}", n.other);
    let p = import_bytes(&fixture(PINGTAN)).unwrap().report.narrative;
    assert_eq!(p.overview_subs[3].heading, "（四）信息公开平台建设方面");
    assert!(p.overview.starts_with("2023年，平潭综合实验区坚持"));
    assert!(p.other.starts_with("2023年，无收取信息处理费情况"));
}

// --- Reshaped fixtures: each must import the same -------------------------

fn same_as_fixture(name: &str, bytes: &[u8]) {
    let imp = import_bytes(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_cells(name, &imp.report);
    assert_eq!(imp.report.meta.agency, meta_of(name).0, "{name}");
    assert_eq!(imp.report.meta.year, 2023, "{name}");
}

fn text_of(name: &str) -> String {
    String::from_utf8(fixture(name)).unwrap()
}

#[test]
fn gbk_and_bom_copies_import_the_same() {
    for name in [LUOZHUANG, XUNYANG, PINGTAN] {
        let text = text_of(name);
        let (gbk, _, unmappable) = encoding_rs::GB18030.encode(&text);
        assert!(!unmappable);
        let imp = import_bytes(&gbk).unwrap();
        assert_eq!(imp.summary.encoding, "GB18030（GBK）");
        same_as_fixture(name, &gbk);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend(fixture(name));
        same_as_fixture(name, &bom);
    }
}

#[test]
fn page_chrome_around_the_report_is_ignored() {
    let chrome_top = "首页 > 政府信息公开 > 政府信息公开年报\n索引号：11360402/2024-00123  发布机构：区政府办\n生成日期：2024-01-20\n";
    let chrome_bottom = "\n扫一扫在手机打开当前页\n【打印】【关闭】\n版权所有：某某区人民政府  网站标识码：3604020001\n";
    for name in [LUOZHUANG, XUNYANG] {
        let wrapped = format!("{chrome_top}{}{chrome_bottom}", text_of(name));
        same_as_fixture(name, wrapped.as_bytes());
        let imp = import_str(&wrapped).unwrap();
        assert!(!imp.report.narrative.other.contains("版权所有"));
        assert!(!imp.report.narrative.preamble.contains("索引号"));
    }
    let page = format!(
        "<!DOCTYPE html><html><head><meta charset=utf-8><title>政府信息公开年报</title><script>var x='<table>';</script></head><body><div class=nav>首页 &gt; 年报</div><div class=article>{}</div><div class=footer>版权所有</div></body></html>",
        text_of(PINGTAN)
    );
    same_as_fixture(PINGTAN, page.as_bytes());
}

/// Turn a fixture into Word-style tab rows with leading merge slots.
fn as_tab_rows(r: &Report) -> String {
    let mut out = String::new();
    for line in export_text(r).lines() {
        // Rows under a group get leading empty cells, as Word leaves them.
        let depth = line.split('\t').next().unwrap_or("").matches('·').count();
        let label_end = line.find('\t').unwrap_or(line.len());
        let label = line[..label_end].rsplit('·').next().unwrap_or("");
        out.push_str(&"\t".repeat(depth));
        out.push_str(label);
        out.push_str(&line[label_end..]);
        out.push('\n');
    }
    out
}

#[test]
fn tab_rows_with_merge_slots_import_the_same() {
    for name in [LUOZHUANG, XUNYANG, PINGTAN] {
        let r = import_bytes(&fixture(name)).unwrap().report;
        let tabbed = as_tab_rows(&r);
        assert!(tabbed.contains("\t\t1.属于国家秘密\t"));
        let back = import_str(&tabbed).unwrap().report;
        assert_eq!(back.tables, r.tables, "{name}");
        // Pipe rows with empty merge slots: `| | |1.属于国家秘密|0|…|`.
        let piped: String = tabbed
            .lines()
            .map(|l| format!("|{}|\n", l.replace('\t', "|")))
            .collect();
        assert!(piped.contains("| | |") || piped.contains("|||"));
        assert_eq!(
            import_str(&piped).unwrap().report.tables,
            r.tables,
            "{name} (pipes)"
        );
    }
}

#[test]
fn labels_broken_with_spaces_import_the_same() {
    for name in [XUNYANG, LUOZHUANG] {
        let text = text_of(name);
        let broken: String = text
            .lines()
            .map(|l| {
                // Break every table label in the middle, as PDF extraction does.
                let n = l.chars().count();
                if (4..40).contains(&n) && !l.contains('、') && l.chars().any(|c| c as u32 > 0x4E00)
                {
                    let mid = l.char_indices().nth(n / 2).unwrap().0;
                    format!("{} {}\n", &l[..mid], &l[mid..])
                } else {
                    format!("{l}\n")
                }
            })
            .collect();
        assert!(
            broken.contains("社会公益 组织")
                || broken.contains("社会 公益组织")
                || broken.contains("社会公 益组织")
        );
        same_as_fixture(name, broken.as_bytes());
    }
}

#[test]
fn space_separated_pdf_rows_import() {
    let r = import_bytes(&fixture(PINGTAN)).unwrap().report;
    let pdf: String = export_text(&r)
        .replace('\t', " ")
        .replace("社会公益组织", "社会公益 组织")
        .replace("本年度办理结果", "本年度办 理结果");
    let back = import_str(&pdf).unwrap();
    assert_eq!(back.report.tables, r.tables, "{:#?}", back.findings);
}

#[test]
fn typo_and_truncated_labels_still_import() {
    let r = import_bytes(&fixture(PINGTAN)).unwrap().report;
    let text = export_text(&r)
        .replace("2.其他法律行政法规禁止公开", "2.就法制亍政收禁止公开")
        .replace(
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "1.申请人无正当理由逾期",
        )
        .replace(
            "五、存在的主要问题及改进情况",
            "五、存在的主要问题和改近情况",
        );
    let back = import_str(&text).unwrap();
    assert_eq!(back.report.tables, r.tables, "{:#?}", back.findings);
    assert!(
        back.report
            .narrative
            .problems
            .starts_with("存在的问题主要有")
    );
}

// --- Old formats and refusals ---------------------------------------------

#[test]
fn old_2019_format_is_recognised() {
    let r = import_bytes(&fixture(PINGTAN)).unwrap().report;
    let mut text = String::new();
    let mut other_sum = [0u64; 7];
    for line in export_text(&r).lines() {
        if line.starts_with("三、本年度办理结果·（六）其他处理·") {
            for (k, v) in line.split('\t').skip(1).enumerate() {
                other_sum[k] += v.parse::<u64>().unwrap();
            }
            if line.contains("·3.其他") {
                let vals: Vec<String> = other_sum.iter().map(u64::to_string).collect();
                text.push_str(&format!("（六）其他处理\t{}\n", vals.join("\t")));
            }
            continue;
        }
        text.push_str(
            &line
                .replace("本年制发件数", "本年新制作数量")
                .replace("本年废止件数", "本年新公开数量"),
        );
        text.push('\n');
    }
    let imp = import_str(&text).unwrap();
    assert!(imp.summary.old_format);
    assert!(imp.summary.to_string().contains("2019 年试行格式"));
    assert!(imp.summary.notes[0].contains("未导入"));
    assert!(
        imp.report
            .tables
            .cell(TableId::Active, "licensing", "")
            .is_blank(),
        "二 is not imported"
    );
    assert_eq!(
        imp.report
            .tables
            .cell(TableId::Requests, "other_misc", "natural_person"),
        &Cell::Count(2)
    );
    assert_eq!(
        imp.report
            .tables
            .cell(TableId::Requests, "other_no_correction", "natural_person"),
        &Cell::Count(0)
    );
    assert!(
        imp.findings
            .iter()
            .any(|f| f.message.contains("已全部计入“3.其他”"))
    );
    assert_eq!(
        imp.report
            .tables
            .cell(TableId::Requests, "new", "natural_person"),
        &Cell::Count(80)
    );
    assert_eq!(imp.summary.cells_total, 200 - 10 - 14);
}

#[test]
fn refusals_have_clear_messages() {
    assert_eq!(import_bytes(b"").unwrap_err(), ImportError::Empty);
    assert_eq!(import_bytes(b" \n\n").unwrap_err(), ImportError::Empty);
    // A broken Word container is named as one, not as "binary".
    let e = import_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00").unwrap_err();
    assert!(
        matches!(e, ImportError::Unreadable(_)) && e.to_string().contains("Word"),
        "{e}"
    );
    assert_eq!(
        import_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00").unwrap_err(),
        ImportError::Binary
    );
    let not_report = "<html><body><h1>关于开展春季植树活动的通知</h1><p>各单位：请于3月12日参加。</p></body></html>";
    assert_eq!(import_str(not_report).unwrap_err(), ImportError::NotReport);
    let pre2019 = "某县2017年政府信息公开工作年度报告\n一、概述\n本年度我县认真贯彻落实条例。\n二、主动公开政府信息情况\n全年主动公开信息1200条。\n三、依申请公开情况\n全年受理申请3件。\n四、存在的问题\n宣传不够。";
    assert_eq!(import_str(pre2019).unwrap_err(), ImportError::NoTables);
    let text = text_of(XUNYANG);
    let cut = &text[..text.find("4.保护第三方合法权益").unwrap()];
    let e = import_str(cut).unwrap_err();
    assert!(matches!(e, ImportError::Truncated(_)), "{e:?}");
    assert!(e.to_string().contains("中途中断"));
    for e in [
        ImportError::Empty,
        ImportError::Binary,
        ImportError::NotReport,
        ImportError::NoTables,
    ] {
        assert!(e.to_string().chars().any(|c| c as u32 > 0x4E00));
    }
}

#[test]
fn non_numeric_cells_are_kept_as_text() {
    let text = text_of(XUNYANG).replacen("\n8014\n", "\n8O14\n", 1);
    let imp = import_str(&text).unwrap();
    assert_eq!(
        imp.report.tables.cell(TableId::Active, "licensing", ""),
        &Cell::Invalid("8O14".into())
    );
    assert!(
        check(&imp.report)
            .iter()
            .any(|f| f.rule == "R5" && f.message.contains("8O14"))
    );
}

// --- Round trips and robustness --------------------------------------------

fn cjk_text() -> impl proptest::strategy::Strategy<Value = String> {
    proptest::string::string_regex(
        "[政府信息公开工作年度报告我局全年共办理件申请和的了在是与及对]{1,30}[。；]",
    )
    .unwrap()
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config::with_cases(48))]

    #[test]
    fn export_then_import_gives_back_the_report(
        seed in 0u64..10_000,
        agency in "[东西南北中][山河湖海][县区市][人民政府民政局教育局]{2,4}",
        year in 2021i32..2031,
        blanks in proptest::collection::vec(0usize..166, 0..6),
        paras in proptest::collection::vec(cjk_text(), 1..4),
    ) {
        let mut r = filled_report(&agency, year, seed);
        for b in blanks {
            r.tables.set(schema::leaves()[b], Cell::Blank);
        }
        r.narrative.problems = paras.join("\n");
        r.narrative.preamble = format!("本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。");
        for (name, out) in [("text", export_text(&r)), ("html", export_html(&r))] {
            let imp = import_str(&out).unwrap();
            proptest::prop_assert_eq!(&imp.report.tables, &r.tables, "{}", name);
            proptest::prop_assert_eq!(&imp.report.meta.agency, &r.meta.agency, "{}", name);
            proptest::prop_assert_eq!(imp.report.meta.year, r.meta.year, "{}", name);
            proptest::prop_assert_eq!(&imp.report.narrative, &r.narrative, "{}", name);
        }
    }

    #[test]
    fn mutated_fixtures_never_panic(
        which in 0usize..3,
        deletes in proptest::collection::vec(0usize..400, 0..20),
        swaps in proptest::collection::vec((0usize..400, 0usize..400), 0..10),
        noise in proptest::collection::vec((0usize..80_000, proptest::num::u8::ANY), 0..30),
    ) {
        let name = [LUOZHUANG, XUNYANG, PINGTAN][which];
        let mut lines: Vec<String> = text_of(name).split_inclusive('\n').map(str::to_string).collect();
        for (a, b) in swaps {
            let n = lines.len();
            lines.swap(a % n, b % n);
        }
        for d in deletes {
            if !lines.is_empty() {
                let n = lines.len();
                lines.remove(d % n);
            }
        }
        let mut bytes = lines.concat().into_bytes();
        for (at, b) in noise {
            if !bytes.is_empty() {
                let n = bytes.len();
                bytes[at % n] = b;
            }
        }
        match import_bytes(&bytes) {
            Ok(imp) => { let _ = check(&imp.report); }
            Err(e) => proptest::prop_assert!(!e.to_string().is_empty()),
        }
    }
}

// --- Word and PDF, and the shapes real reports come in ------------------

/// The Huaian PDF's true values, in the JSON export's shape.
fn huaian_expected() -> serde_json::Value {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/expected/2024-huaian-city.json");
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

/// Every table value of `got` against a JSON export of the truth.
fn assert_json_tables(name: &str, got: &Report, want: &serde_json::Value) {
    let got: serde_json::Value = serde_json::from_str(&crate::export::export_json(got)).unwrap();
    for t in ["active", "requests", "appeals"] {
        assert_eq!(got[t], want[t], "{name}: {t} differs");
    }
}

#[test]
fn huaian_pdf_imports_cell_exact_with_meta() {
    let imp = import_bytes(&fixture("2024-huaian-city.pdf")).unwrap();
    assert_json_tables("huaian", &imp.report, &huaian_expected());
    assert_eq!(imp.report.meta.year, 2024);
    assert_eq!(imp.report.meta.agency, "淮安市人民政府");
    assert_eq!(imp.summary.format, "PDF");
    let errors: Vec<_> = imp
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(imp.summary.sections_found, 6);
}

#[test]
fn libreoffice_word_and_pdf_copies_import_like_the_html() {
    let html = import_bytes(&fixture(PINGTAN)).unwrap().report;
    for name in ["2023-pingtan-zone.docx", "2023-pingtan-zone.pdf"] {
        let imp = import_bytes(&fixture(name)).unwrap();
        assert_cells(PINGTAN, &imp.report);
        assert_eq!(imp.report.tables, html.tables, "{name}");
        assert_eq!(imp.report.meta.year, 2023, "{name}");
        assert_eq!(imp.report.meta.agency, "平潭综合实验区", "{name}");
        assert!(
            !imp.findings.iter().any(|f| f.severity == Severity::Error),
            "{name}: {:#?}",
            imp.findings
        );
    }
    for name in ["sample-export.docx", "sample-export.pdf"] {
        let imp = import_bytes(&fixture(name)).unwrap();
        let sample = crate::sample::example_report();
        assert_eq!(
            imp.report.tables, sample.tables,
            "{name}: {:#?}",
            imp.findings
        );
        assert_eq!(imp.report.meta.year, sample.meta.year, "{name}");
        assert_eq!(imp.report.meta.agency, sample.meta.agency, "{name}");
    }
}

#[test]
fn our_own_word_and_pdf_round_trip() {
    for seed in [1u64, 7, 42] {
        let mut r = filled_report("某某县人民政府办公室", 2025, seed);
        r.tables.set_cell(
            TableId::Active,
            "fees_wan",
            "",
            Cell::Amount("12.5".parse().unwrap()),
        );
        for (fmt, bytes) in [
            ("docx", crate::export::export_docx(&r)),
            ("pdf", crate::export::export_pdf(&r).unwrap()),
        ] {
            let imp = import_bytes(&bytes).unwrap();
            assert_eq!(
                imp.report.tables, r.tables,
                "{fmt} seed {seed}: {:#?}",
                imp.findings
            );
            assert_eq!(imp.report.meta.year, 2025, "{fmt}");
            assert_eq!(imp.report.meta.agency, r.meta.agency, "{fmt}");
        }
    }
}

#[test]
fn the_year_from_the_statistical_period_alone() {
    let text = String::from_utf8(fixture(PINGTAN)).unwrap();
    assert!(!text.contains("2023年1月1日至2023年12月31日"));
    // The pingtan body has no title; give its preamble only a period.
    let shaped = text.replace("2023年", "今年").replacen(
        "今年",
        "本报告所列数据统计期限为2025年1月1日至2025年12月31日。今年",
        1,
    );
    let imp = import_str(&shaped).unwrap();
    assert_eq!(imp.report.meta.year, 2025, "{:#?}", imp.findings);
    let other = "本报告所列数据的统计期限自2024年1月1日起至2024年12月31日止。";
    let shaped2 = text.replace("2023年", "今年").replacen("今年", other, 1);
    assert_eq!(import_str(&shaped2).unwrap().report.meta.year, 2024);
    let cut = text
        .replace("2023年", "今年")
        .replacen("今年", "截至2022年12月31日，今年", 1);
    assert_eq!(import_str(&cut).unwrap().report.meta.year, 2022);
}

#[test]
fn disagreeing_years_say_which_was_used() {
    let text = export_text(&filled_report("某局", 2024, 3));
    let shaped = text.replacen(
        "某局2024年政府信息公开工作年度报告",
        "某局2023年政府信息公开工作年度报告\n本报告所列数据统计期限为2024年1月1日至2024年12月31日。",
        1,
    );
    let imp = import_str(&shaped).unwrap();
    assert_eq!(imp.report.meta.year, 2024);
    let f = imp
        .findings
        .iter()
        .find(|f| f.cells == ["meta.year"])
        .expect("a finding on the year");
    assert!(
        f.message.contains("标题为 2023 年") && f.message.contains("统计期限"),
        "{}",
        f.message
    );
}

#[test]
fn a_single_other_row_in_a_2021_report_keeps_table_two() {
    let r = filled_report("某局", 2024, 5);
    let mut text = String::new();
    let mut other = [0u64; 7];
    for line in export_text(&r).lines() {
        if line.starts_with("三、本年度办理结果·（六）其他处理·") {
            for (k, v) in line.split('\t').skip(1).enumerate() {
                other[k] += v.parse::<u64>().unwrap();
            }
            if line.contains("·3.其他") {
                let vals: Vec<String> = other.iter().map(u64::to_string).collect();
                text.push_str(&format!("（六）其他处理\t{}\n", vals.join("\t")));
            }
            continue;
        }
        text.push_str(line);
        text.push('\n');
    }
    let imp = import_str(&text).unwrap();
    assert!(!imp.summary.old_format, "a 2021 report stays 2021");
    assert_eq!(
        imp.report.tables.cell(TableId::Active, "licensing", ""),
        r.tables.cell(TableId::Active, "licensing", ""),
        "表二 is kept"
    );
    assert_eq!(
        imp.report
            .tables
            .cell(TableId::Requests, "new", "natural_person"),
        r.tables.cell(TableId::Requests, "new", "natural_person")
    );
    // The warning names every cell it filled, the zeros included.
    let f = imp
        .findings
        .iter()
        .find(|f| f.message.contains("只有一行"))
        .expect("the single-row warning");
    assert_eq!(f.cells.len(), 21);
    assert!(
        f.cells
            .contains(&"requests.other_no_correction.natural_person".to_string())
    );
    assert!(f.cells.contains(&"requests.other_misc.total".to_string()));
}

#[test]
fn numbers_on_the_line_before_their_label() {
    // A row whose numbers a PDF copy put above its label.
    let r = filled_report("某局", 2024, 9);
    let text = export_text(&r);
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with("三、本年度办理结果·（四）无法提供·2.没有现成信息需要另行制作")
        {
            let (label, vals) = line.split_once('\t').unwrap();
            out.push(vals.replace('\t', " "));
            out.push(label.to_string());
        } else {
            out.push(line.to_string());
        }
    }
    let imp = import_str(&out.join("\n")).unwrap();
    assert_eq!(imp.report.tables, r.tables, "{:#?}", imp.findings);
}

#[test]
fn a_report_without_tables_is_refused_and_unreadable_tables_are_not_called_absent() {
    let pre2018 = "某县2017年政府信息公开工作年度报告\n本报告根据《条例》编制。\n一、概述\n2017年，我县主动公开政府信息1200条，其中文件56件。\n二、主动公开政府信息情况\n全年主动公开信息1200条，网站发布800条，公开查阅点12个。\n三、依申请公开政府信息情况\n全年受理申请3件，其中当面申请1件，网上申请2件，均已答复。\n四、政府信息公开的收费及减免情况\n未收取任何费用，减免0元。\n五、因政府信息公开申请行政复议、提起行政诉讼的情况\n行政复议0件，行政诉讼0件。\n六、存在的主要问题及改进措施\n宣传不够。";
    let e = import_str(pre2018).unwrap_err();
    assert_eq!(e, ImportError::NoTables, "{e}");
    // Digits run together: the tables are there, and the message says so.
    let text = export_text(&filled_report("某局", 2024, 2));
    let glued: String = text
        .lines()
        .map(|l| {
            if l.contains('\t') && !l.starts_with("信息内容") {
                l.replace('\t', "")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    match import_str(&glued) {
        Err(e) => assert!(!matches!(e, ImportError::NoTables), "{e}"),
        Ok(imp) => assert!(
            imp.findings.iter().any(|f| f.severity == Severity::Error),
            "glued digits never import silently"
        ),
    }
}

#[test]
fn broken_word_and_pdf_files_never_panic() {
    let docx = crate::export::export_docx(&filled_report("甲", 2024, 1));
    let pdf = fixture("2024-huaian-city.pdf");
    for (name, good) in [("docx", &docx), ("pdf", &pdf)] {
        for cut in [10, good.len() / 3, good.len() / 2, good.len() - 10] {
            let r = import_bytes(&good[..cut]);
            if let Err(e) = r {
                assert!(
                    e.to_string().chars().any(|c| c as u32 > 0x4E00),
                    "{name} {cut}: {e}"
                );
            }
        }
        let mut rng = 0x2545_f491_u64;
        for _ in 0..30 {
            let mut b = good.clone();
            for _ in 0..20 {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                let i = (rng as usize) % b.len();
                b[i] = (rng >> 32) as u8;
            }
            let _ = import_bytes(&b);
        }
    }
    let e = import_bytes(b"%PDF-1.4\n%%EOF").unwrap_err();
    assert!(e.to_string().contains("PDF"), "{e}");
}

#[test]
fn deeply_nested_html_is_refused_quickly() {
    let html = "<div>".repeat(50_000);
    let t = std::time::Instant::now();
    let e = import_str(&html).unwrap_err();
    assert!(matches!(e, ImportError::TooDeep(_)), "{e}");
    assert!(e.to_string().contains("嵌套"));
    assert!(t.elapsed().as_secs() < 2);
    // A real page with ordinary nesting still imports.
    let ok = format!(
        "{}{}{}",
        "<div>".repeat(200),
        String::from_utf8(fixture(PINGTAN)).unwrap(),
        "</div>".repeat(200)
    );
    assert!(import_str(&ok).is_ok());
}

#[test]
fn bidi_controls_are_dropped_on_import_with_a_note() {
    let text = String::from_utf8(fixture(XUNYANG))
        .unwrap()
        .replacen("浔阳区", "浔阳\u{202E}区", 1);
    let imp = import_str(&text).unwrap();
    assert!(!imp.report.meta.agency.contains('\u{202E}'));
    assert!(imp.summary.notes.iter().any(|n| n.contains("方向控制符")));
}

/// One damaged byte (a broken download, a stray byte of another encoding)
/// no longer makes a whole report "not a text file": the prose keeps a �,
/// the tables are read the same, and a finding says where to look. A damaged
/// digit makes its cell invalid, never a silent number.
#[test]
fn a_damaged_byte_is_flagged_not_refused() {
    for name in [LUOZHUANG, XUNYANG, PINGTAN] {
        let utf8 = fixture(name);
        let text = text_of(name);
        let (gbk, _, _) = encoding_rs::GB18030.encode(&text);
        for (bytes, full_stop) in [
            (utf8, "。".as_bytes().to_vec()),
            (gbk.into_owned(), vec![0xA1, 0xA3]),
        ] {
            let five = bytes
                .windows(6)
                .position(|w| w == "五、".as_bytes() || w[..4] == [0xCE, 0xE5, 0xA1, 0xA2])
                .unwrap_or_else(|| panic!("{name}: no 五、"));
            let stop = five
                + bytes[five..]
                    .windows(full_stop.len())
                    .position(|w| w == full_stop.as_slice())
                    .unwrap();
            let mut damaged = bytes.clone();
            damaged[stop] = 0xFF;
            same_as_fixture(name, &damaged);
            let imp = import_bytes(&damaged).unwrap();
            assert!(imp.report.narrative.problems.contains('\u{FFFD}'), "{name}");
            assert!(
                imp.findings
                    .iter()
                    .any(|f| f.message.starts_with("文件中有 ") && f.message.contains(" 处字节按 ")),
                "{name}: {:?}",
                imp.findings
            );
        }
    }
    // A damaged digit in 表三's total of new requests.
    let text = text_of(XUNYANG);
    let at = text.find("本年新收政府信息公开申请数量").unwrap();
    let digit = at + text[at..].find(|c: char| c.is_ascii_digit()).unwrap();
    let mut bytes = text.into_bytes();
    bytes[digit] = 0xFF;
    let imp = import_bytes(&bytes).unwrap();
    let cell = imp
        .report
        .tables
        .cell(TableId::Requests, "new", "natural_person");
    assert!(!matches!(cell, Cell::Count(_)), "{cell:?}");
    // The values after it keep their columns: no value is missing.
    assert_eq!(
        imp.report
            .tables
            .cell(TableId::Requests, "new", "other_org"),
        &Cell::Count(0)
    );
    assert!(!imp.findings.iter().any(|f| f.message.contains("少了")));
    let all: Vec<_> = crate::check::check(&imp.report)
        .into_iter()
        .chain(imp.findings)
        .collect();
    assert!(
        all.iter()
            .any(|f| f.cells.iter().any(|c| c == "requests.new.natural_person")),
        "{all:?}"
    );
}

/// A report's text export with every table row's cells run together, as
/// some portals and converters give it: the label directly followed by
/// its digits, and 表四's three rows as one run of fifteen.
fn glued_text(r: &Report) -> String {
    let text = export_text(r);
    let mut out = String::new();
    let mut appeals = String::new();
    for line in text.lines() {
        let cells: Vec<&str> = line.split('\t').collect();
        let values = cells.len() > 1
            && cells[1..]
                .iter()
                .all(|c| c.chars().all(|ch| ch.is_ascii_digit() || ch == '.'));
        if !values {
            if !appeals.is_empty() {
                out.push_str(&std::mem::take(&mut appeals));
                out.push('\n');
            }
            out.push_str(line);
            out.push('\n');
        } else if cells[0].starts_with("行政复议") || cells[0].starts_with("行政诉讼") {
            appeals.push_str(&cells[1..].concat());
        } else {
            out.push_str(&cells.concat());
            out.push('\n');
        }
    }
    out.push_str(&appeals);
    out
}

/// Glue the rows of every fixture and of generated reports: each cell is
/// either read exactly as printed or left blank with an error that shows
/// the run (and the candidates when several fit) — never a wrong number.
#[test]
fn glued_rows_split_exactly_or_are_refused_with_the_run() {
    let mut reports: Vec<(String, Report)> = [
        LUOZHUANG,
        XUNYANG,
        PINGTAN,
        "2024-huaian-city.pdf",
        "2023-pingtan-zone.docx",
        "sample-export.pdf",
    ]
    .iter()
    .map(|n| (n.to_string(), import_bytes(&fixture(n)).unwrap().report))
    .collect();
    for seed in 0..40 {
        reports.push((format!("seed {seed}"), filled_report("某某局", 2024, seed)));
    }
    let (mut exact, mut refused) = (0usize, 0usize);
    for (name, want) in &reports {
        let glued = glued_text(want);
        let imp = import_str(&glued).unwrap_or_else(|e| panic!("{name}: {e}\n{glued}"));
        for &f in schema::leaves() {
            let (got, expect) = (imp.report.tables.get(f), want.tables.get(f));
            if got == expect {
                exact += 1;
                continue;
            }
            let id = &schema::field(f).id;
            assert!(
                got.is_blank(),
                "{name}: {id} read as {got:?}, printed {expect:?}\n{glued}"
            );
            let named = imp.findings.iter().any(|x| {
                x.severity == Severity::Error
                    && x.cells.contains(id)
                    && x.message.contains("连在一起")
            });
            assert!(
                named,
                "{name}: {id} left blank without saying why: {:#?}",
                imp.findings
            );
            refused += 1;
            if std::env::var_os("GLUED_DEBUG").is_some() {
                eprintln!("{name}: {id}");
                for x in imp.findings.iter().filter(|x| x.cells.contains(id)) {
                    eprintln!("    {}", x.message);
                }
            }
        }
        // A split that was taken says so, as a warning on its row.
        assert!(
            imp.findings
                .iter()
                .any(|x| x.message.contains("已按勾稽关系拆分")),
            "{name}"
        );
    }
    // Most cells of real tables are decided by the arithmetic.
    assert!(exact > 10 * refused, "exact {exact}, refused {refused}");
    eprintln!("glued rows: {exact} cells exact, {refused} left blank with their candidates");
}

fn template_sample(name: &str) -> Vec<u8> {
    let p = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/template/samples")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The official template as WPS writes it, filled by
/// `tests/fixtures/template/make.py` and printed to PDF by LibreOffice:
/// labels wrapping onto four lines, cells of mixed sizes (总计 on another
/// baseline), a row the page broke in two, faces from 宋体 to Times. Every
/// one reads cell-exact with agency and year, in Word and in PDF, and the
/// PDF's tables are read by their rulings; nianbao's own PDF of the same
/// values too.
#[test]
fn template_family_samples_import_cell_exact() {
    for n in ["000", "003", "006", "014", "022"] {
        let truth: serde_json::Value =
            serde_json::from_slice(&template_sample(&format!("{n}.json"))).unwrap();
        for ext in ["pdf", "docx"] {
            let imp = import_bytes(&template_sample(&format!("{n}.{ext}"))).unwrap();
            let diffs = crate::sample::table_differences(&imp.report, &truth);
            assert!(diffs.is_empty(), "{n}.{ext}: {diffs:#?}");
            let errors: Vec<_> = imp
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .collect();
            assert!(errors.is_empty(), "{n}.{ext}: {errors:#?}");
            if ext == "pdf" {
                assert!(
                    imp.summary.tables.contains("依申请公开表按表格线读取"),
                    "{n}"
                );
            }
            // Our own PDF of what was read reads back the same.
            if ext == "docx" {
                let pdf = crate::export::Format::Pdf.render(&imp.report).unwrap();
                let again = import_bytes(&pdf).unwrap();
                assert_eq!(again.report.tables, imp.report.tables, "{n}: own PDF");
            }
        }
    }
}

/// The same PDFs copied out as layout text (`pdftotext -layout`): read by
/// glyph columns; any cell not read exactly is named by a finding, and a
/// correct report is never blamed on the unit. Rows whose wrapped label
/// put the 总计 on its first line and the other numbers two or three lines
/// lower, past the label's other lines and a group label's fragments
/// (000, 010, 028), or a lone 总计 above a labelled line of the rest
/// (010), are put back together, cell-exact, each with a warning.
#[test]
fn template_layout_text_never_gives_a_silent_wrong_number_or_a_false_error() {
    for n in ["000", "010", "028"] {
        let truth: serde_json::Value =
            serde_json::from_slice(&template_sample(&format!("{n}.json"))).unwrap();
        let imp = import_bytes(&template_sample(&format!("{n}-layout.txt"))).unwrap();
        let wrong = crate::sample::table_differences(&imp.report, &truth);
        assert!(wrong.is_empty(), "{n}: {wrong:#?}");
        assert!(
            imp.findings
                .iter()
                .any(|f| f.message.contains("已按位置拼合")),
            "{n}: the pieced rows are named"
        );
    }
    for n in ["000", "003", "010", "028"] {
        let truth: serde_json::Value =
            serde_json::from_slice(&template_sample(&format!("{n}.json"))).unwrap();
        let imp = import_bytes(&template_sample(&format!("{n}-layout.txt"))).unwrap();
        let all = crate::check::with_import(&imp.report, &imp.findings);
        assert!(
            all.iter()
                .filter(|f| f.severity == Severity::Error)
                .all(|f| f.from_reading()),
            "{n}: {all:#?}"
        );
        for d in crate::sample::table_differences(&imp.report, &truth) {
            let id = d.split('：').next().unwrap();
            let Some(f) = schema::field_by_id(id) else {
                continue;
            };
            let named = all.iter().any(|x| {
                x.severity != Severity::Info
                    && x.cells
                        .iter()
                        .filter_map(|c| schema::field_by_id(c))
                        .any(|c| c == f || crate::identities::leaves_of(c).contains(&f))
            });
            assert!(named, "{n}: {d} without a finding");
        }
    }
}

/// Text copied out of a PDF in the order its content was written can lose
/// a cell of one row and move numbers between rows. The row that is short
/// says so, and every row after it in the same table is marked unsure:
/// its numbers look complete but may have moved up from the row below.
#[test]
fn after_a_row_that_lost_a_number_the_rows_below_are_not_taken_as_sure() {
    let text = text_of(XUNYANG);
    let at = text.find("(一)予以公开").unwrap();
    // Drop the row's first number ("8" and its blank line).
    let first = at + text[at..].find("\n8\n").unwrap();
    let short = format!("{}{}", &text[..first], &text[first + 2..]);
    let imp = import_str(&short).unwrap();
    let said = |id: &str, what: &str| {
        imp.findings
            .iter()
            .any(|f| f.cells.iter().any(|c| c == id) && f.message.contains(what))
    };
    assert!(said("requests.disclosed.total", "少了 1 个数值"));
    assert!(said("requests.partly_disclosed.total", "可能错开"));
    assert!(said("requests.carried_forward.total", "可能错开"));
    // Rows above the short one and the other tables are not touched.
    assert!(!said("requests.new.total", "可能错开"));
    assert!(!imp.findings.iter().any(|f| {
        f.cells
            .iter()
            .any(|c| c.starts_with("active.") || c.starts_with("appeals."))
            && f.message.contains("可能错开")
    }));
}

/// What a PDF-to-Markdown converter writes: every table row a `| … |` line,
/// a `|---|` rule under the first row, the table broken into fragments by
/// a page footer with an empty header row and its rule repeated, and a
/// garbled header ("| 业 | 构 | 益组织 |") above 表三. The tables read the
/// same as the report they came from.
#[test]
fn markdown_from_a_converter_reads_the_same_tables() {
    let want = import_bytes(&fixture("2024-huaian-city.pdf"))
        .unwrap()
        .report;
    let text = String::from_utf8(crate::export::Format::Text.render(&want).unwrap()).unwrap();
    let mut md = Vec::new();
    let mut rows = 0;
    for line in text.lines() {
        if !line.contains('\t') {
            md.push(line.to_string());
            if line.starts_with("三、收到和处理") {
                md.push("| 业 | 构 | 益组织 | 务机构 |".into());
                md.push("|---|---|---|---|".into());
            }
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        let rule = format!("|{}", "---|".repeat(cells.len()));
        rows += 1;
        if rows % 9 == 0 {
            md.push(String::new());
            md.push("第 3 页 共 8 页".into());
            md.push(String::new());
            md.push(format!("|{}", " |".repeat(cells.len())));
            md.push(rule.clone());
        }
        md.push(format!("| {} |", cells.join(" | ")));
        if rows == 1 {
            md.push(rule);
        }
    }
    let imp = import_str(&md.join("\n")).unwrap();
    assert_eq!(imp.report.tables, want.tables);
    assert_eq!(imp.report.meta.year, want.meta.year);
}
