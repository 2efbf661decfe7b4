use super::*;
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn parts(bytes: &[u8]) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut v = Vec::new();
            f.read_to_end(&mut v).unwrap();
            (f.name().to_string(), v)
        })
        .collect()
}

/// Our markers taken out again.
fn strip(doc: &str) -> String {
    let mut s = doc.to_string();
    for (open, close) in [
        ("<w:commentRangeStart ", "/>"),
        ("<w:commentRangeEnd ", "/>"),
        ("<w:r><w:commentReference ", "/></w:r>"),
    ] {
        while let Some(i) = s.find(open) {
            let j = s[i..].find(close).unwrap() + i + close.len();
            s.replace_range(i..j, "");
        }
    }
    s
}

fn review_one(name: &str) -> super::super::Batch {
    super::super::review(
        &[fixture(name)],
        &super::super::Options::default(),
        &|| {},
        &std::sync::atomic::AtomicBool::new(false),
    )
}

/// The unit's own Word file gets one comment per finding plus the summary,
/// anchored where they belong; document.xml differs only by the markers,
/// every other part is byte for byte the same, and the file still imports
/// to the same values.
#[test]
fn a_units_docx_gains_only_comments() {
    let src = fixture("published/2023-pingtan-zone.docx");
    let batch = review_one("published/2023-pingtan-zone.docx");
    let e = &batch.entries[0];
    let comments = comments_for(e);
    assert!(comments.len() >= 2, "{comments:#?}");
    let original = std::fs::read(&src).unwrap();
    let out = annotate_entry(e, "某某市政务公开办", "2026-02-01").unwrap();
    let (a, b) = (parts(&original), parts(&out));
    for (name, data) in &a {
        match name.as_str() {
            "word/document.xml" => {
                let new = String::from_utf8(b[name].clone()).unwrap();
                assert_eq!(
                    strip(&new),
                    String::from_utf8(data.clone()).unwrap(),
                    "only markers added"
                );
                assert_eq!(new.matches("<w:commentRangeStart ").count(), comments.len());
                assert_eq!(new.matches("<w:commentReference ").count(), comments.len());
            }
            "[Content_Types].xml" | "word/_rels/document.xml.rels" => {}
            _ => assert_eq!(&b[name], data, "{name} changed"),
        }
    }
    let c = String::from_utf8(b["word/comments.xml"].clone()).unwrap();
    assert_eq!(c.matches("<w:comment ").count(), comments.len());
    assert!(
        c.contains("w:author=\"某某市政务公开办\"") && c.contains("审核结论："),
        "{c}"
    );
    assert!(String::from_utf8_lossy(&b["[Content_Types].xml"]).contains("/word/comments.xml"));
    assert!(String::from_utf8_lossy(&b["word/_rels/document.xml.rels"]).contains("comments.xml"));
    // The annotated file reads back to the same values.
    let again = crate::import::import_bytes(&out).unwrap();
    assert_eq!(again.report.tables, e.report.tables);
    // The summary sits on the title; a cell finding's comment in its cell.
    let paras = paragraphs(&b["word/document.xml"]).unwrap();
    let title = paras
        .iter()
        .find(|p| p.at.is_none() && !p.text.trim().is_empty())
        .unwrap();
    assert!(!title.text.is_empty());
}

/// A unit that sent a PDF gets nianbao's Word export with the comments; a
/// cell finding lands in the cell's own table row.
#[test]
fn a_pdf_unit_gets_our_word_file_with_comments_in_the_cells() {
    let batch = review_one("published/2024-huaian-city.pdf");
    let mut e = batch.entries.into_iter().next().unwrap();
    // A finding on 本年新收 · 自然人, as a reviewer would see it.
    e.findings.push(Finding::new(
        "R1",
        Severity::Error,
        vec!["requests.new.natural_person".into()],
        "自然人列不平衡".into(),
    ));
    let out = annotate_entry(&e, "审核组", "2026-02-01").unwrap();
    let b = parts(&out);
    let paras = paragraphs(&b["word/document.xml"]).unwrap();
    let doc = String::from_utf8(b["word/document.xml"].clone()).unwrap();
    let last = comments_for(&e).len() - 1;
    let at = doc
        .find(&format!("<w:commentRangeStart w:id=\"{last}\"/>"))
        .unwrap();
    let p = paras.iter().rfind(|p| p.open <= at).unwrap();
    assert!(p.at.is_some(), "in a table cell");
    assert_eq!(p.text.trim(), "3001", "the value cell of 本年新收 · 自然人");
}

#[test]
fn existing_comments_are_kept_and_ids_continue() {
    let src = std::fs::read(fixture("published/2023-pingtan-zone.docx")).unwrap();
    let once = annotate_docx(
        &src,
        &[(Anchor::Title, "第一条".into())],
        "甲",
        "2026-01-01",
    )
    .unwrap();
    let twice = annotate_docx(
        &once,
        &[(Anchor::Section(4), "第二条".into())],
        "乙",
        "2026-01-02",
    )
    .unwrap();
    let c = String::from_utf8(parts(&twice)["word/comments.xml"].clone()).unwrap();
    assert!(
        c.contains("w:id=\"0\"")
            && c.contains("w:id=\"1\"")
            && c.contains("第一条")
            && c.contains("第二条")
    );
    let t = String::from_utf8(parts(&twice)["[Content_Types].xml"].clone()).unwrap();
    assert_eq!(t.matches("/word/comments.xml").count(), 1);
}

#[test]
fn a_broken_file_is_refused_with_a_reason() {
    assert!(
        annotate_docx(b"not a zip", &[], "甲", "2026-01-01")
            .unwrap_err()
            .contains("压缩包")
    );
    let src = std::fs::read(fixture("published/2023-pingtan-zone.docx")).unwrap();
    // document.xml cut in half.
    let p = parts(&src);
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in &p {
        w.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        let data = if name == "word/document.xml" {
            &data[..data.len() / 2]
        } else {
            &data[..]
        };
        w.write_all(data).unwrap();
    }
    let broken = w.finish().unwrap().into_inner();
    let e = annotate_docx(&broken, &[(Anchor::Title, "x".into())], "甲", "2026-01-01");
    assert!(e.is_err() || crate::import::import_bytes(&e.unwrap()).is_err());
}

/// Word files sent for 审签 often carry tracked changes. A cell whose
/// number was changed with revision marks (the old one in `w:delText`, the
/// new one in `w:ins`) reads as the new number; annotating the file keeps
/// both revision marks as they were, and it reads back the same.
#[test]
fn tracked_changes_are_read_as_accepted_and_kept_when_annotated() {
    let original = std::fs::read(fixture("published/2023-pingtan-zone.docx")).unwrap();
    let mut p = parts(&original);
    let doc = String::from_utf8(p["word/document.xml"].clone()).unwrap();
    let at = doc.find("本年新收").unwrap();
    let old = "<w:t>80</w:t></w:r>";
    let cell = at + doc[at..].find(old).unwrap();
    let run = doc[..cell].rfind("<w:r>").unwrap();
    let revised = format!(
        "{}<w:del w:id=\"9001\" w:author=\"审签\" w:date=\"2025-01-10T00:00:00Z\"><w:r><w:delText>80</w:delText></w:r></w:del><w:ins w:id=\"9002\" w:author=\"审签\" w:date=\"2025-01-10T00:00:00Z\"><w:r><w:t>85</w:t></w:r></w:ins>{}",
        &doc[..run],
        &doc[cell + old.len()..]
    );
    p.insert("word/document.xml".into(), revised.into_bytes());
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in &p {
        z.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(data).unwrap();
    }
    let tracked = z.finish().unwrap().into_inner();

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("平潭.docx");
    std::fs::write(&file, &tracked).unwrap();
    let batch = super::super::review(
        &[file],
        &super::super::Options::default(),
        &|| {},
        &std::sync::atomic::AtomicBool::new(false),
    );
    let e = &batch.entries[0];
    let cell = e
        .report
        .tables
        .cell(TableId::Requests, "new", "natural_person");
    assert_eq!(cell, &crate::cell::Cell::Count(85), "the inserted number");
    // 85 no longer adds up: the unit's error, on that row.
    assert_eq!(e.verdict, Verdict::NeedsFix);
    let out = annotate_entry(e, "审核组", "2026-02-01").unwrap();
    let annotated = String::from_utf8(parts(&out)["word/document.xml"].clone()).unwrap();
    assert!(annotated.contains("<w:delText>80</w:delText>") && annotated.contains("<w:t>85</w:t>"));
    assert_eq!(
        strip(&annotated),
        String::from_utf8(p["word/document.xml"].clone()).unwrap()
    );
    let again = crate::import::import_bytes(&out).unwrap();
    assert_eq!(again.report.tables, e.report.tables);
}
