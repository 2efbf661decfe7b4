//! The counter on generated ledgers (see `tests/fixtures/ledger/make.py`):
//! every result row and applicant column, dates in every form, title rows,
//! a merged header, GBK CSV, unclear rows that are listed and never guessed.

use super::*;
use crate::check::{Severity, check};
use std::path::Path;

fn dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ledger")
}

fn expected() -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir().join("expected.json")).unwrap()).unwrap()
}

fn count_file(name: &str) -> (Counted, Header) {
    let sheets = read_path(&dir().join(name)).unwrap();
    let sheet = sheets.into_iter().next().unwrap();
    let h = find_header(&sheet.rows).expect("a header row");
    let map = auto_map(&h.cells);
    let c = count_sheet(&sheet, &h, &map, 2025, &Memory::default());
    (c, h)
}

fn assert_counts(name: &str, c: &Counted) {
    let want = expected();
    let want = want["counts"].as_object().unwrap();
    for row in schema::REQUEST_ROWS.iter().filter(|r| !r.derived) {
        for col in REQUEST_COLUMNS.iter().filter(|c| !c.derived) {
            let w = want
                .get(&format!("{}.{}", row.id, col.id))
                .and_then(|v| v.as_u64())
                .unwrap_or(0);
            assert_eq!(c.get(row.id, col.id), w, "{name}: {}.{}", row.id, col.id);
        }
    }
}

#[test]
fn the_xlsx_ledger_is_counted_exactly() {
    let (c, h) = count_file("ledger-2025.xlsx");
    assert_eq!(
        h.row, 3,
        "the second header row, under the title and the merge"
    );
    let map = auto_map(&h.cells);
    assert_eq!(map.get(&Field::ApplicantName), Some(&1));
    assert_eq!(map.get(&Field::Received), Some(&2));
    assert_counts("xlsx", &c);
    let rows: Vec<usize> = c.unclear.iter().map(|u| u.place.row).collect();
    let want: Vec<usize> = expected()["unclear_xlsx_rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as usize)
        .collect();
    assert_eq!(rows, want, "{:#?}", c.unclear);
    assert!(
        c.unclear
            .iter()
            .any(|u| u.text.contains("？？") && u.why.contains("申请人"))
    );
    assert!(
        c.unclear.iter().any(|u| u.text == "不予公开"),
        "no reason: never guessed"
    );
    assert_eq!(c.other_year.len(), 1, "the 2024 request concluded in 2024");
    // Every result row and every applicant column is hit at least once.
    for row in schema::REQUEST_ROWS
        .iter()
        .filter(|r| !r.derived && r.id != "new")
    {
        let hit: u64 = REQUEST_COLUMNS
            .iter()
            .map(|col| c.get(row.id, col.id))
            .sum();
        assert!(hit > 0, "{} never counted", row.id);
    }
}

#[test]
fn the_xls_made_by_libreoffice_gives_the_same_counts() {
    let (c, h) = count_file("ledger-2025.xls");
    assert_eq!(h.row, 3, "merged header found in the old binary format too");
    assert_counts("xls", &c);
    assert_eq!(c.unclear.len(), 3);
}

#[test]
fn the_gbk_csv_gives_the_same_counts() {
    let (c, h) = count_file("ledger-2025-gbk.csv");
    assert_eq!(h.row, 2);
    assert_counts("csv", &c);
    assert_eq!(c.unclear.len(), 3);
}

#[test]
fn filling_the_table_balances_r1_and_records_the_source() {
    let (c, _) = count_file("ledger-2025.xlsx");
    let mut r = Report::new("某某区人民政府办公室", 2025);
    apply(
        &mut r,
        &c,
        Source {
            file: "ledger-2025.xlsx".into(),
            date: "2026-01-05".into(),
            rows: c.rows_read,
        },
    );
    let f = check(&r);
    assert!(
        !f.iter().any(|f| f.rule == "R1"),
        "R1 holds by construction: {f:#?}"
    );
    assert!(
        !f.iter()
            .any(|f| f.severity == Severity::Error && f.rule.starts_with('R') && f.rule != "R6")
    );
    assert_eq!(r.meta.ledger.as_ref().unwrap().rows, c.rows_read);
    let text = crate::draft::to_string(&r);
    assert!(text.contains("ledger-2025.xlsx"));
}

#[test]
fn dates_in_every_form() {
    for s in [
        "2025-03-01",
        "2025/3/1",
        "2025.3.1",
        "2025年3月1日",
        "20250301",
        "45717",
        "２０２５－０３－０１",
        "2025-03-01 10:20:00",
    ] {
        assert_eq!(parse_date(s), Some((2025, 3, 1)), "{s}");
    }
    for s in ["", "下周", "2025-13-01", "12345", "3/1"] {
        assert_eq!(parse_date(s), None, "{s}");
    }
}

#[test]
fn remembered_decisions_and_mappings_apply_to_identical_text() {
    use classify::Result_;
    let mut m = Memory::default();
    assert!(matches!(
        classify::result("已办结", "见附件", "", &m),
        Result_::Unclear(_)
    ));
    m.results
        .insert(crate::text::norm("已办结见附件"), "disclosed".into());
    assert_eq!(
        classify::result("已办结", "见附件", "", &m),
        Result_::Row("disclosed")
    );
    m.applicants.insert("？？".into(), "natural_person".into());
    assert_eq!(classify::applicant("", "？？", &m), Ok("natural_person"));
    let header: Vec<String> = ["甲", "乙", "丙"].iter().map(|s| s.to_string()).collect();
    let map: Mapping = [(Field::ApplicantName, 1), (Field::Received, 2)]
        .into_iter()
        .collect();
    m.remember_mapping(&header, &map);
    assert_eq!(m.mapping_for(&header), Some(map));
    let json = serde_json::to_string(&m).unwrap();
    let back: Memory = serde_json::from_str(&json).unwrap();
    assert_eq!(back.mapping_for(&header).unwrap().len(), 2);
}

#[test]
fn every_keyword_row_is_a_schema_row() {
    for (id, _) in keywords::RESULTS {
        assert!(schema::REQUEST_ROWS.iter().any(|r| r.id == *id), "{id}");
    }
    for (id, _) in keywords::APPLICANT_TYPES.iter().chain(keywords::NAME_RULES) {
        assert!(REQUEST_COLUMNS.iter().any(|c| c.id == *id), "{id}");
    }
}

proptest::proptest! {
    /// Any generated ledger counts into a table that satisfies R1–R4.
    #[test]
    fn any_ledger_balances(rows in proptest::collection::vec((0usize..12, 0usize..22, 0u32..400, 0u32..500), 0..200)) {
        let apps = ["张三", "自然人", "某公司", "企业", "某大学", "科研机构", "某基金会", "公益组织", "某律所", "律师", "村委会", "其他"];
        let results = [
            ("予以公开", ""), ("部分公开", ""), ("不予公开", "国家秘密"), ("不予公开", "禁止公开"),
            ("不予公开", "三安全一稳定"), ("不予公开", "第三方"), ("不予公开", "内部事务"),
            ("不予公开", "过程性信息"), ("不予公开", "行政执法案卷"), ("不予公开", "行政查询"),
            ("无法提供", "不掌握"), ("无法提供", "另行制作"), ("无法提供", "补正后仍不明确"),
            ("不予处理", "信访"), ("不予处理", "重复申请"), ("不予处理", "公开出版物"),
            ("不予处理", "大量反复"), ("不予处理", "重新出具"), ("其他处理", "逾期不补正"),
            ("其他处理", "未按收费通知"), ("其他处理", "撤回"), ("", ""),
        ];
        let base = |d: u32| {
            let date = crate::date::from_excel_serial(45_292 + i64::from(d)); // from 2024-01-01
            format!("{}-{:02}-{:02}", date.0, date.1, date.2)
        };
        let mut sheet = Sheet { name: "s".into(), formulas: 0, rows: vec![
            ["申请人", "收到日期", "处理结果", "不予公开理由", "答复日期"].iter().map(|s| s.to_string()).collect()
        ]};
        for (a, r, got, took) in rows {
            let answered = if r == 21 { String::new() } else { base(got + took % 60) };
            sheet.rows.push(vec![apps[a].into(), base(got), results[r].0.into(), results[r].1.into(), answered]);
        }
        let h = Header { row: 0, cells: sheet.rows[0].clone() };
        let map = auto_map(&h.cells);
        let c = count_sheet(&sheet, &h, &map, 2025, &Memory::default());
        let mut rep = Report::new("甲", 2025);
        apply(&mut rep, &c, Source::default());
        let bad: Vec<_> = check(&rep).into_iter().filter(|f| ["R1", "R2", "R3", "R4"].contains(&f.rule)).collect();
        proptest::prop_assert!(bad.is_empty(), "{:#?}", bad);
    }
}

/// A CSV with one damaged byte is still read: only the row holding it is
/// listed as unclear, every other count stays; a binary file named .csv is
/// refused with a reason.
#[test]
fn a_damaged_csv_byte_lists_its_row_and_a_binary_csv_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let mut bytes = std::fs::read(dir().join("ledger-2025-gbk.csv")).unwrap();
    let (yu, _, _) = encoding_rs::GB18030.encode("1,张三,2025-01-01,予以公开");
    let at = bytes.windows(yu.len()).position(|w| w == &yu[..]).unwrap() + yu.len() - 8;
    bytes[at] = 0xFF;
    let damaged = tmp.path().join("台账.csv");
    std::fs::write(&damaged, &bytes).unwrap();
    let sheet = read_path(&damaged).unwrap().remove(0);
    let h = find_header(&sheet.rows).unwrap();
    let c = count_sheet(&sheet, &h, &auto_map(&h.cells), 2025, &Memory::default());
    assert_eq!(c.unclear.len(), 4, "{:#?}", c.unclear);
    // The header is row h.row (0-based); the first data row is h.row + 2 as shown.
    assert!(
        c.unclear.iter().any(|u| u.place.row == h.row + 2),
        "{:#?}",
        c.unclear
    );
    let (clean, _) = count_file("ledger-2025-gbk.csv");
    assert_eq!(
        c.get("disclosed", "natural_person") + 1,
        clean.get("disclosed", "natural_person")
    );
    let binary = tmp.path().join("改了扩展名.csv");
    std::fs::write(&binary, [0x50, 0x4b, 3, 4, 0, 0, 9, 0xff]).unwrap();
    let e = read_path(&binary).unwrap_err();
    assert!(e.contains("不是文本格式的表格"), "{e}");
}

/// The fixture .xlsx with its first sheet's XML changed by `edit`.
fn xlsx_with(edit: impl Fn(&str) -> String) -> Vec<u8> {
    use std::io::{Read, Write};
    let seed = std::fs::read(dir().join("ledger-2025.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(seed)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().to_string();
        let mut data = String::new();
        let mut bytes = Vec::new();
        if name == "xl/worksheets/sheet1.xml" {
            f.read_to_string(&mut data).unwrap();
            bytes = edit(&data).into_bytes();
        } else {
            f.read_to_end(&mut bytes).unwrap();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// A cell claimed at the last cell of a sheet (XFD1048576) is past the
/// limits: the ledger is refused with the limits named, not counted in part
/// and not a 550 GB allocation (before). A merge over the whole sheet is
/// spread within a bound.
#[test]
fn a_far_cell_is_refused_by_name_and_a_huge_merge_stays_bounded() {
    let tmp = tempfile::tempdir().unwrap();
    let far = xlsx_with(|x| {
        x.replace(
            "</sheetData>",
            r#"<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>"#,
        )
    });
    let merged = xlsx_with(|x| {
        let x = x
            .replace("<mergeCells", "<mergeCellsX")
            .replace("</mergeCells>", "</mergeCellsX>");
        x.replace(
            "</sheetData>",
            r#"</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>"#,
        )
    });
    let p = tmp.path().join("far.xlsx");
    std::fs::write(&p, far).unwrap();
    let e = read_path(&p).unwrap_err();
    assert!(
        e.contains("第 1048576 行") && e.contains("1000000 行"),
        "{e}"
    );
    let p = tmp.path().join("merged.xlsx");
    std::fs::write(&p, merged).unwrap();
    let sheets = read_path(&p).unwrap();
    let rows = &sheets[0].rows;
    assert!(rows.iter().all(|r| r.len() <= 256));
}

/// A CSV past the row limit is refused with the limit named; before, a
/// million-row CSV silently lost its last row.
#[test]
fn a_csv_past_the_row_limit_is_refused_not_cut() {
    let mut text = String::from("申请人,收到日期,处理结果\n");
    for _ in 0..MAX_ROWS {
        text.push_str("张三,2025-01-02,予以公开\n");
    }
    let e = read::parse_csv(&text).unwrap_err();
    assert!(e.contains("1000000 行"), "{e}");
    let wide = format!("{}x\n", ",".repeat(MAX_COLS));
    let e = read::parse_csv(&wide).unwrap_err();
    assert!(e.contains("256 列"), "{e}");
    assert_eq!(read::parse_csv("a,b,,\n\n\n").unwrap().len(), 3);
}

/// An .xls whose DIMENSIONS record is damaged (the first row after the
/// last, or four billion rows) made calamine reserve 100 GB and abort the
/// process; it is refused with a reason, and the intact .xls still counts.
#[test]
fn a_damaged_xls_dimension_is_refused_not_an_abort() {
    let tmp = tempfile::tempdir().unwrap();
    let seed = std::fs::read(dir().join("ledger-2025.xls")).unwrap();
    let at = seed
        .windows(4)
        .position(|w| w == [0x00, 0x02, 0x0E, 0x00])
        .expect("a BIFF8 DIMENSIONS record");
    for (first_row, last_row) in [(100u32, 5u32), (0, u32::MAX)] {
        let mut bytes = seed.clone();
        bytes[at + 4..at + 8].copy_from_slice(&first_row.to_le_bytes());
        bytes[at + 8..at + 12].copy_from_slice(&last_row.to_le_bytes());
        let p = tmp.path().join("台账.xls");
        std::fs::write(&p, &bytes).unwrap();
        let e = read_path(&p).unwrap_err();
        assert!(e.contains("区域大小异常"), "{e}");
    }
    let (c, _) = count_file("ledger-2025.xls");
    assert!(c.rows_counted > 0);
}

/// An .xls whose allocation table loops (the directory's sector points at
/// itself) made calamine grow a buffer until the kernel killed the process
/// (24 GB resident); it is refused with a reason.
#[test]
fn a_looping_xls_sector_chain_is_refused_not_a_runaway() {
    let mut bytes = std::fs::read(dir().join("ledger-2025.xls")).unwrap();
    let u32_at = |b: &[u8], i: usize| u32::from_le_bytes(b[i..i + 4].try_into().unwrap()) as usize;
    assert_eq!(
        u16::from_le_bytes([bytes[30], bytes[31]]),
        9,
        "512-byte sectors"
    );
    let dir_start = u32_at(&bytes, 48);
    let fat = (u32_at(&bytes, 76) + 1) * 512;
    bytes[fat + 4 * dir_start..fat + 4 * dir_start + 4]
        .copy_from_slice(&(dir_start as u32).to_le_bytes());
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("台账.xls");
    std::fs::write(&p, &bytes).unwrap();
    let e = read_path(&p).unwrap_err();
    assert!(e.contains("扇区链循环"), "{e}");
}

fn family() -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir().join("family/truth.json")).unwrap()).unwrap()
}

/// Count a family ledger as `nianbao ledger` does: the whole workbook, the
/// sheets the plan picks.
fn count_family(name: &str) -> (Vec<Sheet>, Vec<SheetPlan>, Counted) {
    let sheets = read_path(&dir().join("family").join(name)).unwrap_or_else(|e| panic!("{e}"));
    let plans = plan(&sheets, &Memory::default());
    let c = count(&sheets, &plans, 2025, &Memory::default());
    (sheets, plans, c)
}

/// Ledgers kept as agencies keep them (`tests/fixtures/ledger/family.py`):
/// every count exact, and the unclear rows exactly the planted ones.
#[test]
fn the_ledger_family_counts_exactly_and_asks_only_what_is_undecidable() {
    let truth = family();
    for (name, t) in truth.as_object().unwrap() {
        let (_, _, c) = count_family(name);
        let want = t["counts"].as_object().unwrap();
        let mut wrong = Vec::new();
        for row in schema::REQUEST_ROWS.iter().filter(|r| !r.derived) {
            for col in REQUEST_COLUMNS.iter().filter(|c| !c.derived) {
                let w = want
                    .get(&format!("{}.{}", row.id, col.id))
                    .and_then(|v| v.as_u64())
                    .unwrap_or(0);
                if c.get(row.id, col.id) != w {
                    wrong.push(format!(
                        "{}.{}: {} (want {w})",
                        row.id,
                        col.id,
                        c.get(row.id, col.id)
                    ));
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "{name}: {wrong:#?}\n{}\n{:#?}",
            c.summary(),
            c.unclear
        );
        let asked: Vec<(String, usize)> = c
            .unclear
            .iter()
            .map(|u| (u.place.sheet.clone(), u.place.row))
            .collect();
        let planted: Vec<(String, usize)> = t["unclear"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p[0].as_str().unwrap().to_string(),
                    p[1].as_u64().unwrap() as usize,
                )
            })
            .collect();
        assert_eq!(asked, planted, "{name}: {:#?}", c.unclear);
    }
}

/// The checks planted in the city ledger, each found once at its row, and
/// nothing else said against its 3,000 ordinary rows.
#[test]
fn the_ledgers_own_checks_find_what_was_planted_and_nothing_else() {
    let (sheets, _, c) = count_family("city-2025.xlsx");
    let row_of = |id: &str| -> (String, usize) {
        for s in &sheets {
            for (k, r) in s.rows.iter().enumerate() {
                if r.get(1).is_some_and(|c| c == id) {
                    return (s.name.clone(), k + 1);
                }
            }
        }
        panic!("{id} not in the ledger");
    };
    let warnings: Vec<(&str, (String, usize))> = c
        .checks
        .iter()
        .filter(|k| k.severity == Severity::Warning)
        .map(|k| (k.message.as_str(), (k.place.sheet.clone(), k.place.row)))
        .collect();
    let planted = [
        ("YSQLATE", "可能超期"),
        ("YSQBACK", "早于收到日期"),
        ("YSQNOMARK", "既没有答复也没有结转标记"),
        ("YSQFLAG", "本年已办结"),
    ];
    for (id, words) in planted {
        let at = row_of(id);
        assert!(
            warnings.iter().any(|(m, p)| *p == at && m.contains(words)),
            "{id} at {at:?}: {warnings:#?}"
        );
    }
    assert!(
        warnings
            .iter()
            .any(|(m, _)| m.contains("YSQ202500001") && m.contains("出现 2 次"))
    );
    assert_eq!(warnings.len(), 5, "{warnings:#?}");
    // In time when counted from the 补正 date or with an extension.
    for id in ["YSQFIXED", "YSQEXT"] {
        let at = row_of(id);
        assert!(!warnings.iter().any(|(_, p)| *p == at), "{id}");
    }
    assert!(
        c.notes.iter().any(|n| n.contains("40 行上年收到")),
        "{:#?}",
        c.notes
    );
    let s = c.summary();
    assert!(
        s.contains("未计入：汇总（合计表）") && s.contains("表头重复 68 行"),
        "{s}"
    );
}

/// Deadlines in a year whose holiday schedule is not in the table yet are
/// counted by weekends only, and the summary says so rather than passing
/// a possibly early deadline off as the official one.
#[test]
fn a_year_without_a_holiday_schedule_is_named_in_the_notes() {
    let sheet = |year: i32| Sheet {
        name: format!("{year}年"),
        rows: read::parse_csv(&format!(
            "申请人,收到日期,处理结果,答复日期\n张三,{year}-03-02,予以公开,{year}-03-16\n"
        ))
        .unwrap(),
        formulas: 0,
    };
    for (year, named) in [(2025, false), (2031, true)] {
        let sheets = vec![sheet(year)];
        let plans = plan(&sheets, &Memory::default());
        let c = count(&sheets, &plans, year, &Memory::default());
        assert_eq!(c.rows_counted, 1);
        let said = c
            .notes
            .iter()
            .any(|n| n.contains(&format!("{year} 年的节假日安排尚未收录")));
        assert_eq!(said, named, "{year}: {:?}", c.notes);
    }
}
