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

/// Correct reports in the shapes that used to be misread (the official
/// template printed to PDF by LibreOffice with wrapped labels, the same as
/// Word, and as layout text copied from the PDF) are never sent back: each
/// passes, or, where the reader was unsure, asks for a manual check.
#[test]
fn correct_template_reports_in_every_form_are_never_marked_needs_fix() {
    // One batch per file: the samples share the template's agency name
    // with random values for several years, so in one batch they would be
    // (rightly) held against each other as one unit's consecutive years.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/template/samples");
    let forms: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|f| f.path())
        .filter(|p| p.extension().is_some_and(|x| x != "json"))
        .collect();
    assert!(forms.len() >= 10, "PDF, Word and layout-text samples");
    for f in &forms {
        let b = run(std::slice::from_ref(f), &Options::default());
        assert_eq!(b.entries.len(), 1);
        let e = &b.entries[0];
        let name = e.path.file_name().unwrap().to_string_lossy().into_owned();
        assert_ne!(e.verdict, Verdict::NeedsFix, "{name}: {:?}", e.findings);
        assert_ne!(e.verdict, Verdict::Unreadable, "{name}");
        if !name.ends_with(".txt") {
            assert_eq!(e.verdict, Verdict::Pass, "{name}: {:?}", e.findings);
        }
    }
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
            units: Some(vec![("乙局".into(), None), ("丙局".into(), None)]),
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

/// Two units that copied each other's 一 and 五, and one of their own:
/// R17 on both copies (never on one unit's two files), on the page, in the
/// CSV and in the 通报; the page draws its two charts.
#[test]
fn repetition_between_units_reaches_the_page_the_csv_and_the_notice() {
    let dir = tempfile::tempdir().unwrap();
    let text = "本年度，本单位认真贯彻落实政府信息公开条例，围绕中心工作持续加大公开力度，规范依申请公开办理流程，加强政府网站和政务新媒体建设，将政务公开纳入绩效考核，组织开展业务培训，群众满意度不断提高。";
    let problems = "一是政策解读形式较为单一，图解和视频较少；二是基层政务公开标准化规范化水平有待提高。下一步将丰富解读形式，加强业务培训。";
    for (name, agency, copy) in [
        ("a", "甲局", true),
        ("b", "乙局", true),
        ("c", "丙局", false),
    ] {
        let mut r = filled_report(agency, 2024, 7);
        if copy {
            r.narrative.overview = text.into();
            r.narrative.problems = problems.into();
        } else {
            r.narrative.overview = "丙局今年重点推进老旧小区改造信息公开，完成外墙保温和管网更新项目的全过程公开，居民满意度明显提高。".into();
            r.narrative.problems = "丙局存在的问题是公开时效性不强，个别栏目更新不及时。下一步建立栏目更新台账，按月督查。".into();
        }
        r.narrative.overview_subs.clear();
        crate::draft::save(&r, &dir.path().join(format!("{name}.nianbao"))).unwrap();
    }
    // 甲局's Word copy of the same report: a duplicate, not copying.
    let b = run(&[dir.path().to_path_buf()], &Options::default());
    let r17 = |unit: &str| {
        b.entries
            .iter()
            .filter(|e| e.unit() == unit)
            .flat_map(|e| e.findings.iter())
            .filter(|f| f.rule == "R17")
            .count()
    };
    assert_eq!(r17("甲局"), 2, "一 and 五");
    assert_eq!(r17("乙局"), 2);
    assert_eq!(r17("丙局"), 0);
    assert!(
        b.between
            .iter()
            .all(|(i, j, ..)| b.entries[*i].unit() != b.entries[*j].unit())
    );
    let page = html(&b);
    assert!(
        page.contains("单位间重复") && page.contains("“一”与乙局"),
        "the page"
    );
    assert!(page.contains("<svg") && page.contains("审核结论") && page.contains("与其他单位雷同"));
    let table = csv(&b);
    assert!(
        table.contains("与其他单位重复") && table.contains("“五”与甲局"),
        "{table}"
    );
    let notice = super::notice::blocks(&b, "某某市政务公开办");
    let grids: Vec<&Vec<Vec<String>>> = notice
        .iter()
        .filter_map(|p| match p {
            crate::export::docx::Plain::Grid(g) => Some(g),
            _ => None,
        })
        .collect();
    assert!(
        grids
            .iter()
            .any(|g| g[0].contains(&"与之雷同的单位".to_string()) && g.len() == 3),
        "two mutual pairs, each listed once"
    );
    let said = super::text(&b);
    assert_eq!(said.matches("单位间雷同").count(), 2, "{said}");
    assert!(said.contains("甲局与乙局的“一”相互重复"), "{said}");
    let docx = super::notice::docx(&b, "某某市政务公开办");
    let lines = crate::import::debug_lines(&docx);
    assert!(lines.iter().any(|l| l.contains("审核情况的通报")));
    assert!(
        lines.iter().any(|l| l.contains("共收到报告 3 份")),
        "{lines:#?}"
    );
}

/// The roll call knows a unit by its report's name or its file's name,
/// and by a longer or shorter form of it when only one unit fits; a list
/// line with an empty date is the name alone.
#[test]
fn the_roll_call_matches_files_and_name_variants() {
    let dir = tempfile::tempdir().unwrap();
    let pingtan = std::fs::read(fixtures().join("2023-pingtan-zone.html")).unwrap();
    std::fs::write(dir.path().join("平潭.html"), &pingtan).unwrap();
    let xunyang = std::fs::read(fixtures().join("2023-xunyang-district.txt")).unwrap();
    std::fs::write(dir.path().join("某某镇人民政府.txt"), &xunyang).unwrap();
    let list = parse_units(&[
        "平潭综合实验区管理委员会".to_string(),
        "某某镇人民政府,".to_string(),
        "某某区人民政府，".to_string(),
        "浔阳区人民政府,2026-02-03".to_string(),
    ]);
    assert_eq!(list[1], ("某某镇人民政府".to_string(), None));
    let b = run(
        &[dir.path().to_path_buf()],
        &Options {
            units: Some(list),
            deadline: Some("2026-01-31".into()),
            ..Default::default()
        },
    );
    assert_eq!(b.missing, vec!["某某区人民政府".to_string()]);
    assert_eq!(
        b.late,
        vec![("浔阳区人民政府".to_string(), "2026-02-03".to_string())]
    );
}

/// R18: a 汇总 in the batch (it carries its units' names) is held against
/// the sum of the units beside it. Made by merging them, it agrees; with a
/// cell changed, the difference is named on the 汇总's entry; with a unit
/// missing from the batch, that unit is named as a likely cause.
#[test]
fn a_summary_in_the_batch_is_held_against_its_units() {
    let dir = tempfile::tempdir().unwrap();
    let units: Vec<Report> = ["甲局", "乙局", "丙局"]
        .iter()
        .zip(3..)
        .map(|(a, seed)| filled_report(a, 2024, seed))
        .collect();
    for (i, r) in units.iter().enumerate() {
        crate::draft::save(r, &dir.path().join(format!("u{i}.nianbao"))).unwrap();
    }
    let merged = crate::year::merge(
        &units
            .iter()
            .map(|r| crate::year::Unit {
                source: r.meta.agency.clone(),
                report: r.clone(),
                import_findings: Vec::new(),
            })
            .collect::<Vec<_>>(),
        None,
    )
    .unwrap();
    let mut summary = merged.report;
    summary.meta.agency = "某某市".into();
    let at = dir.path().join("汇总.nianbao");
    crate::draft::save(&summary, &at).unwrap();
    let r18 = |b: &Batch| -> Vec<String> {
        b.entries
            .iter()
            .flat_map(|e| e.findings.iter().map(move |f| (e, f)))
            .filter(|(_, f)| f.rule == "R18")
            .map(|(e, f)| format!("{}：{}", e.unit(), f.message))
            .collect()
    };
    let b = run(&[dir.path().to_path_buf()], &Options::default());
    assert!(r18(&b).is_empty(), "{:?}", r18(&b));

    let f = schema::field_by_id("requests.new.natural_person").unwrap();
    let was = summary.tables.get(f).decimal().unwrap();
    summary.tables.set(
        f,
        crate::cell::parse_cell(&(was + Decimal::ONE).to_string(), schema::field(f).kind),
    );
    crate::draft::save(&summary, &at).unwrap();
    let b = run(&[dir.path().to_path_buf()], &Options::default());
    let said = r18(&b);
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(
        said[0].starts_with("某某市："),
        "on the 汇总's entry: {said:?}"
    );
    assert!(
        said[0].contains(&format!("汇总为 {}", was + Decimal::ONE)),
        "{said:?}"
    );

    std::fs::remove_file(dir.path().join("u1.nianbao")).unwrap();
    let b = run(&[dir.path().to_path_buf()], &Options::default());
    let said = r18(&b);
    assert!(said[0].contains("不在本批中（乙局）"), "{said:?}");
}
