//! The reviewer's desk on the real fixtures, broken files and two years of
//! one unit.

use super::*;
use crate::cell::Cell;
use crate::sample::filled_report;
use crate::schema::TableId;
use std::sync::atomic::AtomicBool;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/published")
}

use std::path::Path;

fn run(files: &[PathBuf], opts: &Options) -> Batch {
    review(&collect(files), opts, &|| {}, &AtomicBool::new(false))
}

#[test]
fn a_folder_of_fixtures_and_broken_files_gets_the_right_verdicts() {
    let dir = tempfile::tempdir().unwrap();
    for f in std::fs::read_dir(fixtures()).unwrap().flatten() {
        std::fs::copy(f.path(), dir.path().join(f.file_name())).unwrap();
    }
    let sub = dir.path().join("下级单位");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(sub.join("空.txt"), b"").unwrap();
    std::fs::write(sub.join("乱码.docx"), [0u8, 159, 146, 150, 1, 2, 3]).unwrap();
    let pdf = std::fs::read(fixtures().join("2024-huaian-city.pdf")).unwrap();
    std::fs::write(sub.join("截断.pdf"), &pdf[..pdf.len() / 3]).unwrap();
    std::fs::write(sub.join("说明.png"), b"not a report").unwrap();
    let b = run(&[dir.path().to_path_buf()], &Options::default());
    let verdict = |name: &str| {
        b.entries
            .iter()
            .find(|e| e.path.file_name().unwrap() == name)
            .unwrap_or_else(|| panic!("{name} missing"))
            .verdict
    };
    // The .png in a folder is not a report and is skipped.
    let n = std::fs::read_dir(fixtures()).unwrap().count();
    assert_eq!(
        b.entries.len(),
        n + 3,
        "{:?}",
        b.entries.iter().map(|e| &e.path).collect::<Vec<_>>()
    );
    assert_eq!(verdict("2023-xunyang-district.txt"), Verdict::Pass);
    assert_eq!(verdict("2023-pingtan-zone.html"), Verdict::Pass);
    assert_eq!(verdict("2023-pingtan-zone.docx"), Verdict::Pass);
    assert_eq!(verdict("2023-pingtan-zone.pdf"), Verdict::Pass);
    assert_eq!(verdict("2024-huaian-city.pdf"), Verdict::Pass);
    assert_eq!(
        verdict("2023-luozhuang-civil-affairs.txt"),
        Verdict::NeedsFix,
        "its printed blank total"
    );
    for bad in ["空.txt", "乱码.docx", "截断.pdf"] {
        assert_eq!(verdict(bad), Verdict::Unreadable, "{bad}");
    }
    assert_eq!(b.exit_code(), 2);
    // pingtan appears in three formats: a duplicate the reviewer is told of.
    assert!(
        b.duplicates
            .iter()
            .any(|(u, n)| u.contains("平潭综合实验区") && *n >= 3),
        "{:?}",
        b.duplicates
    );
    let huaian = b
        .entries
        .iter()
        .find(|e| e.unit() == "淮安市人民政府")
        .unwrap();
    assert_eq!(
        huaian.figures[0].map(|d| d.to_string()),
        Some("3119".into())
    );
    assert_eq!(huaian.r1, vec![Balance::Holds; 6]);
}

#[test]
fn the_page_parses_has_a_row_per_file_and_escapes_everything() {
    let dir = tempfile::tempdir().unwrap();
    let evil = "<script>alert(1)</script>局";
    let mut r = filled_report(evil, 2024, 3);
    r.tables.set_cell(
        TableId::Requests,
        "new",
        "research",
        Cell::Invalid("<img src=x onerror=1>".into()),
    );
    crate::draft::save(&r, &dir.path().join("a.nianbao")).unwrap();
    crate::draft::save(
        &filled_report("乙局", 2024, 4),
        &dir.path().join("b.nianbao"),
    )
    .unwrap();
    let b = run(
        &[dir.path().to_path_buf()],
        &Options {
            units: Some(vec!["乙局".into(), "丙局".into()]),
            ..Default::default()
        },
    );
    assert_eq!(b.missing, vec!["丙局".to_string()]);
    let page = html(&b);
    let doc = scraper::Html::parse_document(&page);
    let sel = |s| scraper::Selector::parse(s).unwrap();
    assert_eq!(doc.select(&sel("#sum tbody tr")).count(), 2);
    assert_eq!(doc.select(&sel("script")).count(), 1, "only our own script");
    assert_eq!(doc.select(&sel("img")).count(), 0);
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;局"));
    assert!(page.contains("缺报 1 个单位：丙局"));
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "no network"
    );
    let c = csv(&b);
    assert!(c.starts_with('\u{feff}'));
    assert_eq!(c.lines().count(), 3);
    assert!(
        c.lines()
            .nth(1)
            .unwrap()
            .contains("\"<script>alert(1)</script>局\"")
            || c.contains("<script>alert(1)</script>局")
    );
}

#[test]
fn two_years_of_one_unit_run_r8_and_the_repetition_score() {
    let dir = tempfile::tempdir().unwrap();
    let mut last = filled_report("某县民政局", 2023, 5);
    last.narrative.problems = "一是公开内容不够全面，部分栏目更新不及时。二是政策解读形式单一，图解视频较少。三是工作人员业务能力有待提高。".into();
    let mut this = filled_report("某县民政局", 2024, 6);
    this.narrative.problems = last.narrative.problems.clone();
    // 上年结转 that does not equal last year's 结转下年度.
    let wrong = match last
        .tables
        .cell(TableId::Requests, "carried_forward", "natural_person")
    {
        Cell::Count(n) => n + 3,
        _ => 3,
    };
    this.tables.set_cell(
        TableId::Requests,
        "carried_over",
        "natural_person",
        Cell::Count(wrong),
    );
    crate::draft::save(&last, &dir.path().join("2023.nianbao")).unwrap();
    crate::draft::save(&this, &dir.path().join("2024.nianbao")).unwrap();
    let b = run(&[dir.path().to_path_buf()], &Options::default());
    let e = b
        .entries
        .iter()
        .find(|e| e.report.meta.year == 2024)
        .unwrap();
    assert!(
        e.findings.iter().any(|f| f.rule == "R8"),
        "{:#?}",
        e.findings
    );
    assert_eq!(e.repetition[2], Some(100.0), "五 copied whole");
    assert!(
        e.findings
            .iter()
            .any(|f| f.rule == "R11" && f.message.contains("五"))
    );
    assert!(e.last_year_from.as_deref().unwrap().starts_with("同批"));
    assert_eq!(e.verdict, Verdict::NeedsFix);
    let first = b
        .entries
        .iter()
        .find(|e| e.report.meta.year == 2023)
        .unwrap();
    assert!(first.repetition.iter().all(Option::is_none));
}

#[test]
fn last_year_files_are_matched_by_unit() {
    let dir = tempfile::tempdir().unwrap();
    let mut last = filled_report("某乡人民政府", 2023, 1);
    last.narrative.other =
        "本年度未收取信息处理费。无其他需要报告的事项。本机关将继续做好政务公开工作。".into();
    let mut this = filled_report("某乡人民政府", 2024, 2);
    this.narrative.other = last.narrative.other.clone();
    let lp = dir.path().join("上年.html");
    std::fs::write(&lp, crate::export::export_html(&last)).unwrap();
    let tp = dir.path().join("本年.nianbao");
    crate::draft::save(&this, &tp).unwrap();
    let b = run(
        &[tp],
        &Options {
            last_year: vec![lp],
            ..Default::default()
        },
    );
    assert_eq!(b.entries[0].repetition[3], Some(100.0));
}

#[test]
fn cancelling_stops_reading() {
    let files = vec![fixtures().join("2023-xunyang-district.txt"); 20];
    let cancel = AtomicBool::new(true);
    let b = review(&files, &Options::default(), &|| {}, &cancel);
    assert!(b.entries.is_empty());
}
