//! New year, comparison and 汇总 on the real fixtures and generated drafts.

use super::*;
use crate::check::check;
use crate::import::import_bytes;
use crate::sample::filled_report;

fn fixture(name: &str) -> Report {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/published")
        .join(name);
    import_bytes(&std::fs::read(p).unwrap()).unwrap().report
}

fn unit(r: Report) -> Unit {
    Unit {
        source: r.meta.agency.clone(),
        report: r,
        import_findings: vec![],
    }
}

#[test]
fn new_year_carries_over_column_by_column() {
    let mut last = filled_report("某区民政局", 2023, 42);
    // A carry-over that is not zero, kept balanced (R1) by raising 新收 too.
    for (c, n) in [("natural_person", 3u64), ("legal_service", 2)] {
        for row in ["carried_forward", "new"] {
            let Cell::Count(v) = *last.tables.cell(TableId::Requests, row, c) else {
                panic!()
            };
            last.tables
                .set_cell(TableId::Requests, row, c, Cell::Count(v + n));
        }
    }
    assert!(REQUEST_COLUMNS.iter().any(|c| !c.derived
        && last.tables.cell(TableId::Requests, "carried_forward", c.id) != &Cell::Count(0)));
    let r = new_year(&last).unwrap();
    assert_eq!(r.meta.year, 2024);
    assert_eq!(r.meta.agency, "某区民政局");
    assert_eq!(r.meta.contact, last.meta.contact);
    for c in REQUEST_COLUMNS.iter().filter(|c| !c.derived) {
        assert_eq!(
            r.tables.cell(TableId::Requests, "carried_over", c.id),
            last.tables.cell(TableId::Requests, "carried_forward", c.id)
        );
    }
    assert!(
        r.tables
            .cell(TableId::Requests, "new", "natural_person")
            .is_blank()
    );
    let p = r.previous.as_ref().unwrap();
    assert_eq!(
        (p.year, &p.tables, &p.narrative),
        (2023, &last.tables, &last.narrative)
    );
    assert!(r.narrative.problems.is_empty());
    assert!(check(&r).iter().all(|f| f.rule != "R8"));
}

#[test]
fn new_year_from_a_fixture() {
    let last = fixture("2023-pingtan-zone.html");
    let r = new_year(&last).unwrap();
    assert_eq!(
        (r.meta.agency.as_str(), r.meta.year),
        ("平潭综合实验区", 2024)
    );
    assert_eq!(
        r.tables
            .cell(TableId::Requests, "carried_over", "natural_person"),
        &Cell::Count(0)
    );
    assert_eq!(r.previous.as_ref().unwrap().tables, last.tables);
}

#[test]
fn r8_fails_when_carry_over_is_edited_away() {
    let mut r = new_year(&filled_report("某局", 2023, 43)).unwrap();
    let last = r
        .previous
        .as_ref()
        .unwrap()
        .tables
        .cell(TableId::Requests, "carried_forward", "natural_person")
        .clone();
    let Cell::Count(n) = last else { panic!() };
    r.tables.set_cell(
        TableId::Requests,
        "carried_over",
        "natural_person",
        Cell::Count(n + 3),
    );
    let f: Vec<_> = check(&r).into_iter().filter(|f| f.rule == "R8").collect();
    assert_eq!(f.len(), 1);
    assert_eq!(
        f[0].cells,
        vec!["requests.carried_over.natural_person".to_string()]
    );
}

#[test]
fn identical_text_to_last_year_is_warned() {
    let last = filled_report("某局", 2023, 1);
    let mut r = new_year(&last).unwrap();
    r.narrative.problems = last.narrative.problems.clone();
    let f: Vec<_> = check(&r).into_iter().filter(|f| f.rule == "R11").collect();
    assert!(
        f.iter().any(|f| f.message.contains("与上年报告完全相同")),
        "{f:#?}"
    );
    r.tables = last.tables.clone();
    assert!(
        check(&r)
            .iter()
            .any(|f| f.message.contains("三张统计表与上年报告完全相同"))
    );
}

#[test]
fn compare_flags_big_changes() {
    let this = fixture("2023-pingtan-zone.html");
    let last = fixture("2023-xunyang-district.txt");
    let rows = compare(&this.tables, &last.tables);
    let get = |n: &str| rows.iter().find(|r| r.name == n).unwrap();
    let new = get("新收申请");
    assert_eq!((new.this, new.last), (Some(81.into()), Some(14.into())));
    assert_eq!(new.change(), Some(67.into()));
    assert!(new.suspicious, "81 against 14 is over ×5");
    assert!(!get("予以公开").suspicious, "22 against 8 is under ×5");
    assert!(!get("行政处罚").suspicious);
    assert!(
        !get("行政许可").suspicious,
        "2629 against 8014 is above ×0.2"
    );
    assert!(get("行政诉讼").suspicious, "7 against 0");
    let table = compare_table(&rows);
    assert!(table.contains("请核实"));
    assert!(table.lines().next().unwrap().starts_with("项目"));
}

#[test]
fn merging_the_three_fixtures_sums_every_cell() {
    let reports = [
        "2023-luozhuang-civil-affairs.txt",
        "2023-xunyang-district.txt",
        "2023-pingtan-zone.html",
    ]
    .map(fixture);
    let units: Vec<Unit> = reports.iter().cloned().map(unit).collect();
    let m = merge(&units, None).unwrap();
    for &f in schema::leaves() {
        let want: Decimal = reports
            .iter()
            .map(|r| r.tables.get(f).decimal().unwrap())
            .sum();
        assert_eq!(
            m.report.tables.get(f).decimal(),
            Some(want),
            "{}",
            schema::field(f).id
        );
    }
    let cell = |t, r, c| m.report.tables.value(schema::idx(t, r, c)).display();
    assert_eq!(cell(TableId::Requests, "new", "total"), "95");
    assert_eq!(cell(TableId::Active, "licensing", ""), "10643");
    assert_eq!(cell(TableId::Active, "fees_wan", ""), "5949.088667");
    assert_eq!(
        cell(TableId::Active, "normative_documents", "in_force"),
        "476"
    );
    assert_eq!(cell(TableId::Appeals, "suit_direct", "total"), "5");
    assert_eq!(
        m.report.meta.merged_units,
        ["罗庄区民政局", "浔阳区人民政府", "平潭综合实验区"]
    );
    assert_eq!(m.report.meta.year, 2023);
    assert_eq!(m.units.len(), 3);
    let table = summary_table(&m);
    assert!(table.contains("平潭综合实验区") && table.contains("合计"));
    let csv = summary_csv(&m);
    assert_eq!(csv.lines().count(), 4);
    assert!(
        csv.contains("平潭综合实验区,平潭综合实验区,81,22,20,5,31,2,7,2629,1330,5949.088667,0")
    );
}

#[test]
fn merge_fee_sum_is_exact() {
    let mut a = filled_report("甲", 2023, 1);
    let mut b = filled_report("乙", 2023, 2);
    a.tables.set_cell(
        TableId::Active,
        "fees_wan",
        "",
        Cell::Amount("0.1".parse().unwrap()),
    );
    b.tables.set_cell(
        TableId::Active,
        "fees_wan",
        "",
        Cell::Amount("0.2".parse().unwrap()),
    );
    let m = merge(&[unit(a), unit(b)], None).unwrap();
    assert_eq!(
        m.report
            .tables
            .cell(TableId::Active, "fees_wan", "")
            .display(),
        "0.3"
    );
}

#[test]
fn merge_blank_in_one_unit_is_reported_and_stays_blank() {
    let a = filled_report("甲", 2023, 1);
    let mut b = filled_report("乙", 2023, 2);
    b.tables
        .set_cell(TableId::Requests, "new", "research", Cell::Blank);
    let m = merge(&[unit(a), unit(b)], None).unwrap();
    assert!(
        m.report
            .tables
            .cell(TableId::Requests, "new", "research")
            .is_blank()
    );
    assert!(
        m.findings
            .iter()
            .any(|f| f.message.starts_with("乙：有 1 个单元格空白或无效"))
    );
}

#[test]
fn merge_refuses_mixed_years_naming_the_odd_one() {
    let units = vec![
        unit(filled_report("甲", 2023, 1)),
        unit(filled_report("乙", 2022, 2)),
        unit(filled_report("丙", 2023, 3)),
    ];
    let e = merge(&units, None).err().unwrap();
    assert_eq!(
        e,
        MergeError::MixedYears {
            year: 2023,
            odd: vec![("乙".into(), 2022)]
        }
    );
    assert!(e.to_string().contains("乙（2022 年）"));
}

#[test]
fn merge_warns_on_duplicates_errors_and_missing_units() {
    let mut bad = filled_report("丙", 2023, 3);
    bad.tables.set_cell(
        TableId::Requests,
        "new",
        "natural_person",
        Cell::Invalid("x".into()),
    );
    let units = vec![
        unit(filled_report("甲", 2023, 1)),
        unit(filled_report("甲", 2023, 2)),
        unit(bad),
    ];
    let expected = vec![
        "甲".to_string(),
        "乙".to_string(),
        "丙".to_string(),
        "丁".to_string(),
    ];
    let m = merge(&units, Some(&expected)).unwrap();
    let msgs: Vec<&str> = m.findings.iter().map(|f| f.message.as_str()).collect();
    assert!(
        msgs.contains(&"甲 出现了 2 次，可能重复汇总，请核实"),
        "{msgs:?}"
    );
    assert!(msgs.contains(&"缺报 2 个单位：乙、丁"), "{msgs:?}");
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("丙：报告有 ") && m.contains("项错误")),
        "{msgs:?}"
    );
    assert_eq!(
        m.units[2].errors,
        check(&units[2].report)
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    );
}

#[test]
fn new_year_refuses_a_report_without_a_usable_year() {
    for y in [0, 2100, i32::MAX, i32::MIN, 1] {
        let e = new_year(&filled_report("某局", y, 1)).unwrap_err();
        assert!(e.contains("年"), "{y}: {e}");
    }
    assert_eq!(
        new_year(&filled_report("某局", 2024, 1)).unwrap().meta.year,
        2025
    );
}

#[test]
fn merge_refuses_units_without_a_year_and_sorts_years_without_negation() {
    let unit = |name: &str, y: i32| Unit {
        source: format!("{name}.nianbao"),
        report: filled_report(name, y, 2),
        import_findings: vec![],
    };
    let e = merge(&[unit("甲", 2024), unit("乙", 0)], None).unwrap_err();
    assert!(
        matches!(&e, MergeError::NoYear(n) if n == &vec!["乙".to_string()]),
        "{e}"
    );
    let e = merge(&[unit("甲", 2024), unit("乙", i32::MIN)], None).unwrap_err();
    assert!(e.to_string().contains("乙"), "{e}");
    // a tie between years: the earlier year is the majority, never a wrap
    let e = merge(&[unit("甲", 2024), unit("乙", 2025)], None).unwrap_err();
    assert!(
        matches!(e, MergeError::MixedYears { year: 2024, .. }),
        "{e}"
    );
}

#[test]
fn merge_and_compare_never_overflow() {
    use rust_decimal::Decimal;
    let big = Decimal::from(crate::cell::MAX_AMOUNT_WAN);
    let mut r = filled_report("甲", 2024, 3);
    r.tables
        .set_cell(TableId::Active, "fees_wan", "", Cell::Amount(big));
    let units: Vec<Unit> = (0..3)
        .map(|i| Unit {
            source: format!("{i}"),
            report: r.clone(),
            import_findings: vec![],
        })
        .collect();
    let m = merge(&units, None).unwrap();
    // three times the largest fee is past the bound: invalid, and reported
    let fee = m.report.tables.cell(TableId::Active, "fees_wan", "");
    assert!(fee.is_invalid(), "{fee:?}");
    assert!(
        crate::check::check(&m.report)
            .iter()
            .any(|f| f.severity == crate::check::Severity::Error
                && f.cells.iter().any(|c| c == "active.fees_wan"))
    );
    let mut huge = r.tables.clone();
    huge.set_cell(TableId::Active, "fees_wan", "", Cell::Amount(Decimal::MAX));
    let _ = compare(&r.tables, &huge);
    let _ = compare(&huge, &huge);
}
