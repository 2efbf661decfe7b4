//! The command line through the real binary: exit codes, stdout, stderr.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_nianbao"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/published")
        .join(name)
        .display()
        .to_string()
}

fn tmp(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}

#[test]
fn new_check_export_on_a_fresh_draft() {
    let d = tempfile::tempdir().unwrap();
    let draft = tmp(&d, "a.nianbao");
    let o = run(&[
        "new",
        "-o",
        draft.to_str().unwrap(),
        "--agency",
        "某县民政局",
        "--year",
        "2024",
    ]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(out(&o).contains("已新建 2024 年度草稿"));
    // An empty draft has warnings (blanks) but no errors.
    let o = run(&["check", draft.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(out(&o).contains("依申请公开表有空白单元格"));
    let o = run(&["check", "--json", draft.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .all(|f| f["rule"].is_string() && f["severity"].is_string() && f["cells"].is_array())
    );
    let o = run(&["export", draft.to_str().unwrap(), "--to", "json"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["meta"]["agency"], "某县民政局");
    assert_eq!(v["meta"]["year"], 2024);
    assert!(v["requests"]["new"]["natural_person"].is_null());
    assert!(v["requests"]["results_total"]["total"].is_null());
    // Refuses to overwrite without --force.
    let o = run(&["new", "-o", draft.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("文件已存在"));
}

#[test]
fn check_exit_codes() {
    let o = run(&["check", &fixture("2023-xunyang-district.txt")]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(out(&o).contains("识别表格单元 200/200"));
    let o = run(&["check", &fixture("2023-luozhuang-civil-affairs.txt")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out(&o).contains("R3 3.补正后申请内容仍不明确（总计列） 印为空白"),
        "{}",
        out(&o)
    );
    let o = run(&["check", &fixture("2023-pingtan-zone.html"), "--json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let r10 = v
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "R10")
        .unwrap();
    assert_eq!(r10["severity"], "warning");
    assert_eq!(
        (r10["expected"].as_str(), r10["actual"].as_str()),
        (Some("470"), Some("393"))
    );
    // Several files at once: one unreadable gives 2.
    let o = run(&[
        "check",
        &fixture("2023-xunyang-district.txt"),
        "/nonexistent/x.nianbao",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("/nonexistent/x.nianbao：文件夹“/nonexistent”不存在"),
        "{}",
        err(&o)
    );
}

#[test]
fn corrupt_truncated_and_newer_drafts_are_refused_untouched() {
    let d = tempfile::tempdir().unwrap();
    let draft = tmp(&d, "a.nianbao");
    run(&[
        "new",
        "-o",
        draft.to_str().unwrap(),
        "--agency",
        "甲",
        "--year",
        "2023",
    ]);
    let text = std::fs::read_to_string(&draft).unwrap();
    for (name, body) in [
        ("cut.nianbao", text[..text.len() / 2].to_string()),
        (
            "newer.nianbao",
            text.replacen("version: 1", "version: 99", 1),
        ),
        ("garbage.nianbao", "这不是草稿".to_string()),
    ] {
        let p = tmp(&d, name);
        std::fs::write(&p, &body).unwrap();
        let o = run(&["check", p.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{name}");
        let e = err(&o);
        assert!(e.contains(name), "{e}");
        if name == "newer.nianbao" {
            assert!(e.contains("更新版本"), "{e}");
        } else {
            assert!(e.contains("行第") && e.contains("列"), "{e}");
        }
        let o = run(&[
            "export",
            p.to_str().unwrap(),
            "--to",
            "html",
            "-o",
            tmp(&d, "o.html").to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(2));
        assert_eq!(std::fs::read_to_string(&p).unwrap(), body, "never touched");
        assert!(!tmp(&d, "o.html").exists());
    }
}

#[test]
fn import_then_export_html_and_text() {
    let d = tempfile::tempdir().unwrap();
    let draft = tmp(&d, "p.nianbao");
    let o = run(&[
        "import",
        &fixture("2023-pingtan-zone.html"),
        "-o",
        draft.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        out(&o).starts_with(
            "网页：识别表格单元 200/200（主动公开表按表格结构读取，依申请公开表按表格结构读取，复议诉讼表按表格结构读取），正文 6 部分，机关名称：平潭综合实验区，年度：2023"
        ),
        "{}",
        out(&o)
    );
    let html = tmp(&d, "p.html");
    let o = run(&[
        "export",
        draft.to_str().unwrap(),
        "--to",
        "html",
        "-o",
        html.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<title>平潭综合实验区2023年政府信息公开工作年度报告</title>"));
    let o = run(&[
        "export",
        &fixture("2023-xunyang-district.txt"),
        "--to",
        "text",
    ]);
    assert!(out(&o).contains("一、本年新收政府信息公开申请数量\t14\t0\t0\t0\t0\t0\t14\n"));
    let o = run(&["export", draft.to_str().unwrap(), "--to", "fragment"]);
    assert!(!out(&o).contains("<html"));
}

#[test]
fn import_refusals_exit_2_and_write_nothing() {
    let d = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("empty.txt", b"".to_vec()),
        ("binary.html", vec![0u8, 159, 146, 150, 0, 1]),
        (
            "notice.html",
            "<html><body><p>关于放假的通知</p></body></html>"
                .as_bytes()
                .to_vec(),
        ),
    ] {
        let src = tmp(&d, name);
        std::fs::write(&src, &bytes).unwrap();
        let dst = tmp(&d, "out.nianbao");
        let o = run(&["import", src.to_str().unwrap(), "-o", dst.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{name}");
        assert!(err(&o).contains(name), "{}", err(&o));
        assert!(!dst.exists(), "{name}: nothing written");
    }
}

#[test]
fn new_year_compare_and_merge() {
    let d = tempfile::tempdir().unwrap();
    let next = tmp(&d, "2024.nianbao");
    let o = run(&[
        "new-year",
        &fixture("2023-xunyang-district.txt"),
        "-o",
        next.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", err(&o));
    let v: serde_json::Value =
        serde_json::from_slice(&run(&["export", next.to_str().unwrap(), "--to", "json"]).stdout)
            .unwrap();
    assert_eq!(v["meta"]["year"], 2024);
    assert_eq!(v["requests"]["carried_over"]["natural_person"], 0);
    assert_eq!(v["previous"]["tables"]["requests"]["new"]["total"], 14);

    let o = run(&[
        "compare",
        &fixture("2023-pingtan-zone.html"),
        &fixture("2023-xunyang-district.txt"),
    ]);
    assert!(out(&o).contains("请核实"));

    let merged = tmp(&d, "all.nianbao");
    let units = tmp(&d, "units.txt");
    std::fs::write(
        &units,
        "罗庄区民政局\n浔阳区人民政府\n平潭综合实验区\n柴桑区人民政府\n",
    )
    .unwrap();
    let csv = tmp(&d, "sum.csv");
    let o = run(&[
        "merge",
        &fixture("2023-luozhuang-civil-affairs.txt"),
        &fixture("2023-xunyang-district.txt"),
        &fixture("2023-pingtan-zone.html"),
        "-o",
        merged.to_str().unwrap(),
        "--units",
        units.to_str().unwrap(),
        "--csv",
        csv.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", err(&o));
    let s = out(&o);
    assert!(s.contains("缺报 1 个单位：柴桑区人民政府"), "{s}");
    assert!(s.contains("罗庄区民政局：报告有 1 项错误"), "{s}");
    assert!(
        std::fs::read_to_string(&csv)
            .unwrap()
            .contains("浔阳区人民政府")
    );
    let v: serde_json::Value =
        serde_json::from_slice(&run(&["export", merged.to_str().unwrap(), "--to", "json"]).stdout)
            .unwrap();
    assert_eq!(v["requests"]["new"]["total"], 95);
    assert_eq!(v["meta"]["merged_units"].as_array().unwrap().len(), 3);

    // Mixed years: refused, nothing written.
    let other = tmp(&d, "2022.nianbao");
    run(&[
        "new",
        "-o",
        other.to_str().unwrap(),
        "--agency",
        "旧单位",
        "--year",
        "2022",
    ]);
    let out2 = tmp(&d, "mixed.nianbao");
    let o = run(&[
        "merge",
        &fixture("2023-xunyang-district.txt"),
        &fixture("2023-pingtan-zone.html"),
        other.to_str().unwrap(),
        "-o",
        out2.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("旧单位（2022 年）"), "{}", err(&o));
    assert!(!out2.exists());
}

fn bad_input(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bad-input")
        .join(name)
        .display()
        .to_string()
}

/// No reproducer crashes the CLI: each gives exit 2 with a Chinese message,
/// or a finding, never a backtrace.
#[test]
fn bad_input_reproducers_never_crash() {
    let dir = tempfile::tempdir().unwrap();
    let o = tmp(&dir, "o.nianbao");
    let o = o.to_str().unwrap();
    let this = bad_input("decimal-overflow-compare-this.nianbao");
    let last = bad_input("decimal-overflow-compare-last.nianbao");
    let gui = bad_input("decimal-overflow-gui-open.nianbao");
    let y_max = bad_input("overflow-year-add-new_year.min.nianbao");
    let y_min = bad_input("overflow-year-negate-merge.min.nianbao");
    for args in [
        vec!["compare", &this, &last],
        vec!["compare", &last, &this],
        vec!["merge", &gui, &gui, "-o", o, "--force"],
        vec!["merge", &last, &last, "-o", o, "--force"],
        vec!["check", &last],
        vec!["check", &gui],
        vec!["new-year", &y_max, "-o", o, "--force"],
        vec!["merge", &y_min, &y_min, "-o", o, "--force"],
        vec!["check", &y_max],
    ] {
        let r = run(&args);
        let code = r.status.code();
        assert!(
            matches!(code, Some(0..=2)),
            "{args:?}: {code:?} {}",
            err(&r)
        );
        assert!(!err(&r).contains("panicked"), "{args:?}: {}", err(&r));
    }
    // The overflowing fee is an error finding, not a number.
    let r = run(&["check", &last, "--json"]);
    assert_eq!(r.status.code(), Some(1), "{}", err(&r));
    assert!(out(&r).contains("active.fees_wan"));
    // The implausible years are refused with a message naming the file.
    for f in [&y_max, &y_min] {
        let r = run(&["new-year", f, "-o", o, "--force"]);
        assert_eq!(r.status.code(), Some(2));
        assert!(err(&r).contains("不在 2008—2100"), "{}", err(&r));
    }
}

#[test]
fn deeply_nested_html_exits_2_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let p = tmp(&dir, "x.html");
    std::fs::write(&p, "<div>".repeat(50_000)).unwrap();
    for cmd in ["check", "import"] {
        let mut args = vec![cmd, p.to_str().unwrap()];
        let o = tmp(&dir, "o.nianbao");
        if cmd == "import" {
            args.extend(["-o", o.to_str().unwrap()]);
        }
        let r = run(&args);
        assert_eq!(r.status.code(), Some(2), "{cmd}: {}", err(&r));
        assert!(err(&r).contains("嵌套"), "{}", err(&r));
    }
}

#[test]
fn word_and_pdf_export_and_import_from_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let draft = tmp(&dir, "平潭.nianbao");
    let d = draft.to_str().unwrap();
    assert!(
        run(&["import", &fixture("2023-pingtan-zone.html"), "-o", d])
            .status
            .success()
    );
    // Without -o, Word and PDF go beside the input, never to the terminal.
    for (to, ext) in [("docx", "docx"), ("pdf", "pdf")] {
        let r = run(&["export", d, "--to", to]);
        assert!(r.status.success(), "{to}: {}", err(&r));
        assert!(r.stdout.is_empty());
        let written = draft.with_extension(ext);
        assert!(written.exists(), "{to}");
        // An existing output is not overwritten without --force.
        let r = run(&["export", d, "--to", to]);
        assert_eq!(r.status.code(), Some(2));
        assert!(err(&r).contains("--force"));
        assert!(run(&["export", d, "--to", to, "--force"]).status.success());
        // And each reads back: check and import accept it.
        let w = written.to_str().unwrap();
        let r = run(&["check", w]);
        assert!(matches!(r.status.code(), Some(0 | 1)), "{}", err(&r));
        assert!(out(&r).contains("识别表格单元 200/200"), "{}", out(&r));
        let back = tmp(&dir, &format!("back-{ext}.nianbao"));
        assert!(
            run(&["import", w, "-o", back.to_str().unwrap()])
                .status
                .success()
        );
    }
    // export -o follows the same rule as every other command.
    let html = tmp(&dir, "x.html");
    std::fs::write(&html, "keep").unwrap();
    let r = run(&["export", d, "--to", "html", "-o", html.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&html).unwrap(), "keep");
}

#[test]
fn the_huaian_pdf_is_checked_and_imported() {
    let r = run(&["check", &fixture("2024-huaian-city.pdf")]);
    assert_eq!(r.status.code(), Some(0), "{}{}", out(&r), err(&r));
    assert!(out(&r).contains("淮安市人民政府"), "{}", out(&r));
    assert!(out(&r).contains("年度：2024"));
}

/// Hostile files of every kind a clerk might pick by mistake.
fn hostile_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut put = |name: &str, bytes: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        files.push(p);
    };
    // Deterministic noise with a few bytes every reader looks for.
    let mut noise: Vec<u8> = (0u32..4096)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    noise.extend_from_slice(b"PK\x03\x04%PDF-1.7<table><tr><td>");
    for ext in ["nianbao", "txt", "html", "docx", "pdf", "xlsx", "csv"] {
        put(&format!("empty.{ext}"), b"");
        put(&format!("noise.{ext}"), &noise);
    }
    // GBK bytes where UTF-8 is expected.
    put(
        "gbk.txt",
        b"\xd5\xfe\xb8\xae\xd0\xc5\xcf\xa2\xb9\xab\xbf\xaa 2024",
    );
    put("nested.html", "<div>".repeat(50_000).as_bytes());
    put(
        "huge.txt",
        format!("第一个申请 {}", "9".repeat(5_000)).as_bytes(),
    );
    // A zip that is a valid archive but not a Word document.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("hello.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    std::io::Write::write_all(&mut zip, b"hello").unwrap();
    put("not-word.docx", &zip.finish().unwrap().into_inner());
    put("scan.pdf", &nianbao::sample::pdf_without_text());
    // A folder where a file is expected.
    let folder = dir.join("folder.nianbao");
    std::fs::create_dir(&folder).unwrap();
    files.push(folder);
    files.push(dir.join("missing.nianbao"));
    files
}

/// Every command meets every hostile file: exit 0–2, never a backtrace, a
/// short Chinese message when refused, the input untouched, and nothing
/// written where a command refused.
#[test]
fn every_command_survives_hostile_files() {
    let inputs = tempfile::tempdir().unwrap();
    let outputs = tempfile::tempdir().unwrap();
    let ledger = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ledger/ledger-2025.xlsx")
        .display()
        .to_string();
    let mut refused = 0;
    for (k, file) in hostile_files(inputs.path()).iter().enumerate() {
        let f = file.to_str().unwrap();
        let before = std::fs::read(file).ok();
        let commands: Vec<Vec<&str>> = vec![
            vec!["check", f],
            vec!["check", "--json", f],
            vec!["export", "--to", "html"],
            vec!["export", "--to", "docx"],
            vec!["export", "--to", "pdf"],
            vec!["import"],
            vec!["new-year"],
            vec!["merge", f],
            vec!["review"],
            vec!["compare", f, f],
            vec!["ledger", "--year", "2025"],
            vec!["ledger", &ledger, "--year", "2025", "--into", f],
        ];
        for (c, mut args) in commands.into_iter().enumerate() {
            let out_path = outputs.path().join(format!("{k}-{c}.out"));
            let o = out_path.to_str().unwrap();
            let writes = !matches!(args[0], "check" | "compare") && !args.contains(&"--into");
            if writes {
                args.extend(["-o", o]);
            }
            if !matches!(args[0], "check" | "compare") && !args.contains(&"--into") {
                args.push(f);
            }
            let r = run(&args);
            let code = r.status.code();
            // A review lists an unreadable unit in its result (on stdout
            // and in the page it writes), so its message may be on stdout.
            let review = args[0] == "review";
            let e = if review { out(&r) + &err(&r) } else { err(&r) };
            assert!(matches!(code, Some(0..=2)), "{args:?}: {code:?} {e}");
            assert!(
                !e.contains("panicked") && !e.contains("RUST_BACKTRACE"),
                "{args:?}: {e}"
            );
            if code == Some(2) {
                refused += 1;
                assert!(
                    e.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{args:?}: not Chinese: {e}"
                );
                assert!(
                    e.chars().count() < 1_000,
                    "{args:?}: {} chars",
                    e.chars().count()
                );
                if review && out_path.exists() {
                    assert!(e.contains("无法读取"), "{args:?}: {e}");
                } else if writes {
                    assert!(!out_path.exists(), "{args:?}: wrote after refusing");
                }
            }
            assert_eq!(
                std::fs::read(file).ok(),
                before,
                "{args:?}: the input changed"
            );
        }
    }
    // A scan is named as such, not as a broken file.
    let scan = inputs.path().join("scan.pdf");
    let r = run(&["check", scan.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(2));
    assert!(err(&r).contains("文字层"), "{}", err(&r));
    // The noise, empty and missing files are refused, not turned into reports.
    assert!(refused > 150, "only {refused} refusals");
}

/// The reviewer's loop from the command line: the page, each faulty unit's
/// Word file with comments, the 通报, late and missing units, decisions.
#[test]
fn review_writes_opinions_and_the_notice() {
    let d = tempfile::tempdir().unwrap();
    let units = d.path().join("名单.txt");
    std::fs::write(
        &units,
        "罗庄区民政局,2024-02-05\n浔阳区人民政府,2024-01-20\n缺报的局\n",
    )
    .unwrap();
    let opinions = d.path().join("意见");
    let notice = d.path().join("通报.docx");
    let decisions = d.path().join("决定.json");
    let o = run(&[
        "review",
        &fixture("2023-luozhuang-civil-affairs.txt"),
        &fixture("2023-xunyang-district.txt"),
        "--opinions",
        opinions.to_str().unwrap(),
        "--notice",
        notice.to_str().unwrap(),
        "--reviewer",
        "某某市政务公开办",
        "--units",
        units.to_str().unwrap(),
        "--deadline",
        "2024-01-31",
        "--decisions",
        decisions.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}{}", out(&o), err(&o));
    let text = out(&o);
    assert!(text.contains("缺报 1 个单位：缺报的局"), "{text}");
    assert!(
        text.contains("逾期报送：罗庄区民政局（2024-02-05"),
        "{text}"
    );
    let written: Vec<_> = std::fs::read_dir(&opinions)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    assert!(written[0].to_string_lossy().starts_with("罗庄区民政局"));
    let bytes = std::fs::read(opinions.join(&written[0])).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut comments = String::new();
    std::io::Read::read_to_string(&mut z.by_name("word/comments.xml").unwrap(), &mut comments)
        .unwrap();
    assert!(comments.contains("某某市政务公开办") && comments.contains("审核结论：需修改"));
    let n = nianbao::import::debug_lines(&std::fs::read(&notice).unwrap());
    assert!(n.iter().any(|l| l.contains("需要修改的报告")), "{n:#?}");
    assert!(
        n.iter()
            .any(|l| l.contains("罗庄区民政局") && l.contains("逾期"))
            || n.iter().any(|l| l.contains("2024-02-05"))
    );
    // A broken decisions file is refused, not overwritten.
    std::fs::write(&decisions, b"{").unwrap();
    let o = run(&[
        "review",
        &fixture("2023-xunyang-district.txt"),
        "--decisions",
        decisions.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("审核决定文件无法读取"));
    assert_eq!(std::fs::read(&decisions).unwrap(), b"{");
}
