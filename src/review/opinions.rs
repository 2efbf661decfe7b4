//! 审核意见 inside the unit's own document: the Word file the unit sent,
//! with a Word comment on every finding, anchored at the table cell or the
//! paragraph it names, and a first comment on the title that sums up the
//! verdict. Only comment markers are added to `word/document.xml`; a
//! `comments.xml` part, its relationship and its content type are added
//! (or extended); every other part of the file is copied byte for byte, so
//! Word and WPS open it as the document the unit wrote.
//!
//! A unit that sent a PDF, a web page or text gets nianbao's own Word
//! export of what was read, with the same comments.

use super::{Entry, Verdict};
use crate::check::{Finding, Severity};
use crate::open::Kind;
use crate::schema::{self, FieldIdx, SECTIONS, TableId};
use crate::text::norm;
use quick_xml::Reader;
use quick_xml::events::Event;
use std::io::{Cursor, Read, Write};

/// Where a comment is anchored.
#[derive(Clone, Debug, PartialEq)]
pub enum Anchor {
    /// The report's title: the summary, and what has no better place.
    Title,
    /// A value cell of a table.
    Cell(FieldIdx),
    /// A section's heading (0 = 一 … 5 = 六).
    Section(usize),
}

/// What a clerk should do about a rule's finding.
pub fn advice(rule: &str) -> &'static str {
    match rule {
        "R1" => "请核对这一列，使“新收 + 上年结转”等于“办理结果总计 + 结转下年度”。",
        "R2" => "请重新合计（七）总计。",
        "R3" => "请重新合计这一行的总计。",
        "R4" => "请重新合计表四这一栏的总计。",
        "R5" => "请填写数字。",
        "R6" => "没有发生的请填 0，不要留空。",
        "R7" => "请核对收费金额，单位为万元。",
        "R8" => "本年“上年结转”应等于上年报告的“结转下年度继续办理”，请核对。",
        "R9" => "请核对现行有效件数与上年的衔接。",
        "R10" | "R16" => "请使正文与表格中的数字一致。",
        "R11" => "请结合本年实际重写，避免与上年雷同。",
        "R12" => "请在“六、其他需要报告的事项”中说明信息处理费收取情况。",
        "R13" => "请精简“一、总体情况”，原则上不超过一千字。",
        "R14" => "请核对“（六）其他处理·3.其他”的数量并说明。",
        "R15" => "请改为本报告年度，或写明是哪一年的情况。",
        "R17" => "请结合本单位实际撰写，避免与其他单位雷同。",
        "R18" => "请核对汇总数与各单位报告之和。",
        "R19" => "请按年报格式的六个部分调整标题。",
        "IMPORT" => "读取问题，请核对原件，不属于单位的错误。",
        _ => "请核对。",
    }
}

/// The anchor of a finding: its first table cell, else its narrative part.
pub fn anchor_of(f: &Finding) -> Anchor {
    if let Some(c) = f.cells.iter().find_map(|id| schema::field_by_id(id)) {
        return Anchor::Cell(c);
    }
    let section = f.cells.iter().find_map(|id| match id.as_str() {
        "narrative.overview" => Some(0),
        "narrative.problems" => Some(4),
        "narrative.other" => Some(5),
        _ => None,
    });
    section.map_or(Anchor::Title, Anchor::Section)
}

/// The comment text of a finding.
pub fn comment_text(f: &Finding, decided: Option<&super::decisions::Decision>) -> String {
    let what = if f.from_reading() {
        format!("【读取问题，请核对原件】{}", f.message)
    } else {
        format!("【{} {}】{}", f.rule, f.severity.label(), f.message)
    };
    let mut s = format!(
        "{what} {}",
        advice(if f.from_reading() { "IMPORT" } else { f.rule })
    );
    if let Some(d) = decided {
        s.push_str(&format!(
            "（审核{}{}）",
            d.decision.label(),
            if d.reason.is_empty() {
                String::new()
            } else {
                format!("：{}", d.reason)
            }
        ));
    }
    s
}

/// The comments for one unit: the summary on the title, then one per
/// finding (information-only findings too, marked as such).
pub fn comments_for(e: &Entry) -> Vec<(Anchor, String)> {
    let standing: Vec<&Finding> = e.standing().collect();
    let count = |s: Severity| {
        standing
            .iter()
            .filter(|f| f.severity == s && !f.from_reading())
            .count()
    };
    let reading = standing.iter().filter(|f| f.from_reading()).count();
    let mut summary = format!(
        "审核结论：{}。错误 {} 项，警告 {} 项，提示 {} 项",
        e.verdict.label(),
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    );
    if reading > 0 {
        summary.push_str(&format!(
            "；另有读取问题 {reading} 项，请核对原件，不属于单位的错误"
        ));
    }
    let dismissed = e.findings.len() - standing.len();
    if dismissed > 0 {
        summary.push_str(&format!("；审核不采纳 {dismissed} 项"));
    }
    summary.push('。');
    if e.verdict == Verdict::NeedsFix {
        summary.push_str("请按批注修改后重新报送。");
    }
    let mut out = vec![(Anchor::Title, summary)];
    for (i, f) in e.findings.iter().enumerate() {
        out.push((anchor_of(f), comment_text(f, e.decision(i))));
    }
    out
}

/// The annotated Word file of one unit.
pub fn annotate_entry(e: &Entry, reviewer: &str, date: &str) -> Result<Vec<u8>, String> {
    let source = if e.kind == Kind::Docx {
        std::fs::read(&e.path).map_err(|err| format!("{}：{err}", e.path.display()))?
    } else {
        crate::export::Format::Docx.render(&e.report)?
    };
    annotate_docx(&source, &comments_for(e), reviewer, date)
}

/// Write every faulty unit's annotated file into `dir`: (unit, why not
/// written). A unit with no finding but information, and an unreadable
/// one, gets none.
pub fn write_all(
    batch: &super::Batch,
    dir: &std::path::Path,
    reviewer: &str,
    force: bool,
) -> Result<Vec<(String, Option<String>)>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}：{e}", dir.display()))?;
    let date = crate::date::today();
    let mut used = std::collections::HashSet::new();
    let mut out = Vec::new();
    for e in &batch.entries {
        if e.verdict == Verdict::Unreadable || !e.standing().any(|f| f.severity != Severity::Info) {
            continue;
        }
        let unit = e.unit();
        let mut name: String = unit
            .chars()
            .map(|c| {
                if "/\\:*?\"<>|".contains(c) || c.is_control() {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        if name.is_empty() {
            name = "未命名单位".into();
        }
        let mut file = format!("{name}-审核意见.docx");
        let mut k = 2;
        while !used.insert(file.clone()) {
            file = format!("{name}-审核意见-{k}.docx");
            k += 1;
        }
        let path = dir.join(&file);
        if path.exists() && !force {
            out.push((
                unit,
                Some(format!(
                    "{} 已存在，未覆盖（加 --force 可覆盖）",
                    path.display()
                )),
            ));
            continue;
        }
        match annotate_entry(e, reviewer, &date) {
            Ok(bytes) => {
                crate::draft::write_atomic(&path, &bytes).map_err(|err| err.to_string())?;
                out.push((unit, None));
            }
            Err(why) => out.push((unit, Some(why))),
        }
    }
    Ok(out)
}

/// A paragraph of `document.xml`: where it can take markers, its text, and
/// where it stands in a table.
#[derive(Debug)]
struct Para {
    /// After the opening tag and its `w:pPr`: where a range starts.
    open: usize,
    /// Before `</w:p>`: where a range ends.
    close: usize,
    text: String,
    /// (table, row, cell) when inside a table (outermost table counted).
    at: Option<(usize, usize, usize)>,
}

/// Read the paragraphs of `document.xml` with their byte positions.
fn paragraphs(xml: &[u8]) -> Result<Vec<Para>, String> {
    let mut r = Reader::from_reader(xml);
    r.config_mut().trim_text(false);
    let mut buf = Vec::new();
    let mut out: Vec<Para> = Vec::new();
    // Open paragraphs (nested in text boxes): index into `out`.
    let mut stack: Vec<usize> = Vec::new();
    let (mut table, mut depth_tbl) = (0usize, 0usize);
    let (mut row, mut cell) = (0usize, 0usize);
    let mut in_text = false;
    loop {
        let before = r.buffer_position() as usize;
        let ev = r.read_event_into(&mut buf).map_err(|_| {
            format!(
                "Word 正文的 XML 已损坏（第 {} 字节附近），无法加批注",
                r.error_position()
            )
        })?;
        let after = r.buffer_position() as usize;
        match ev {
            Event::Eof => break,
            Event::Start(e) => match e.local_name().as_ref() {
                b"p" => {
                    out.push(Para {
                        open: after,
                        close: after,
                        text: String::new(),
                        at: (depth_tbl > 0).then_some((table, row, cell)),
                    });
                    stack.push(out.len() - 1);
                }
                b"tbl" => {
                    if depth_tbl == 0 {
                        table += 1;
                        row = 0;
                    }
                    depth_tbl += 1;
                }
                b"tr" if depth_tbl == 1 => {
                    row += 1;
                    cell = 0;
                }
                b"tc" if depth_tbl == 1 => cell += 1,
                b"t" => in_text = true,
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                b"p" => {
                    if let Some(i) = stack.pop() {
                        out[i].close = before;
                    }
                }
                b"pPr" => {
                    if let Some(&i) = stack.last() {
                        out[i].open = after;
                    }
                }
                b"tbl" => depth_tbl = depth_tbl.saturating_sub(1),
                b"t" => in_text = false,
                _ => {}
            },
            Event::Text(t) if in_text => {
                if let (Some(&i), Ok(s)) = (stack.last(), t.decode()) {
                    out[i].text.push_str(&s);
                }
            }
            Event::GeneralRef(g) if in_text => {
                if let (Some(&i), Ok(Some(c))) = (stack.last(), g.resolve_char_ref()) {
                    out[i].text.push(c);
                }
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

/// The label a table row is known by, for a field of that row.
fn row_labels(f: FieldIdx) -> Vec<String> {
    let field = schema::field(f);
    let mut v = vec![norm(field.row_label)];
    if field.row == "normative_documents" {
        v.push(norm("规范性文件"));
    }
    v
}

/// The paragraph a comment on `anchor` goes to.
fn place(paras: &[Para], anchor: &Anchor) -> Option<usize> {
    let title = paras
        .iter()
        .position(|p| p.at.is_none() && !p.text.trim().is_empty());
    match anchor {
        Anchor::Title => title,
        Anchor::Section(k) => {
            let words = norm(
                SECTIONS[*k]
                    .heading
                    .split_once('、')
                    .map_or(SECTIONS[*k].heading, |h| h.1),
            );
            paras
                .iter()
                .position(|p| {
                    p.at.is_none() && p.text.chars().count() < 40 && norm(&p.text).contains(&words)
                })
                .or(title)
        }
        Anchor::Cell(f) => {
            cell_paragraph(paras, *f).or_else(|| place(paras, &Anchor::Section(table_section(*f))))
        }
    }
}

fn table_section(f: FieldIdx) -> usize {
    match schema::field(f).table {
        TableId::Active => 1,
        TableId::Requests => 2,
        TableId::Appeals => 3,
    }
}

/// A value cell's first paragraph: the row found by its label, the cell by
/// its place among the row's values (the values are the last cells).
fn cell_paragraph(paras: &[Para], f: FieldIdx) -> Option<usize> {
    let field = schema::field(f);
    // The fields printed in this field's row, in order.
    let row_fields: Vec<FieldIdx> = schema::fields()
        .iter()
        .enumerate()
        .filter(|(_, x)| {
            x.table == field.table && (field.table == TableId::Appeals || x.row == field.row)
        })
        .map(|(i, _)| i)
        .collect();
    let pos = row_fields.iter().position(|&x| x == f)?;
    let mut rows: Vec<((usize, usize), Vec<&Para>)> = Vec::new();
    for p in paras {
        let Some((t, r, c)) = p.at else { continue };
        match rows.last_mut() {
            Some((k, cells)) if *k == (t, r) => {
                if cells.last().and_then(|x| x.at).map(|a| a.2) != Some(c) {
                    cells.push(p);
                }
            }
            _ => rows.push(((t, r), vec![p])),
        }
    }
    let labels = row_labels(f);
    let row = if field.table == TableId::Appeals {
        // 表四: the one row that holds the fifteen values.
        rows.iter().find(|(_, cells)| {
            cells.len() >= row_fields.len()
                && cells.iter().rev().take(row_fields.len()).all(|p| {
                    let t = p.text.trim();
                    t.is_empty() || t.chars().all(|c| c.is_ascii_digit())
                })
        })
    } else {
        rows.iter().find(|(_, cells)| {
            cells.iter().any(|p| {
                let t = norm(&p.text);
                !t.is_empty() && labels.iter().any(|l| t == *l || t.ends_with(l.as_str()))
            })
        })
    }?;
    let cells = &row.1;
    let i = cells.len().checked_sub(row_fields.len())? + pos;
    let target = cells.get(i)?;
    paras.iter().position(|p| std::ptr::eq(p, *target))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const COMMENTS_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml";
const COMMENTS_REL: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments";
const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// Largest part read from a Word file (as the importer's bound).
const MAX_PART: u64 = 64 * 1024 * 1024;

/// Add `comments` to a `.docx`. Only the comment markers are added to
/// `word/document.xml`; `comments.xml`, its relationship and its content
/// type are added or extended; every other part is copied as it was.
pub fn annotate_docx(
    bytes: &[u8],
    comments: &[(Anchor, String)],
    author: &str,
    date: &str,
) -> Result<Vec<u8>, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| "Word 文件已损坏（无法解开压缩包），无法加批注".to_string())?;
    let mut read_part = |name: &str| -> Result<Option<Vec<u8>>, String> {
        let Ok(mut f) = zip.by_name(name) else {
            return Ok(None);
        };
        let mut v = Vec::new();
        f.by_ref()
            .take(MAX_PART + 1)
            .read_to_end(&mut v)
            .map_err(|_| format!("Word 文件中的 {name} 无法解压"))?;
        if v.len() as u64 > MAX_PART {
            return Err(format!("Word 文件中的 {name} 过大"));
        }
        Ok(Some(v))
    };
    let doc =
        read_part("word/document.xml")?.ok_or("压缩包里没有 Word 正文（word/document.xml）")?;
    let types = read_part("[Content_Types].xml")?.ok_or("Word 文件缺少 [Content_Types].xml")?;
    let rels = read_part("word/_rels/document.xml.rels")?.unwrap_or_else(|| {
        br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>"#.to_vec()
    });
    let existing = read_part("word/comments.xml")?;
    let text = |b: &[u8], what: &str| {
        String::from_utf8(b.to_vec()).map_err(|_| format!("Word 文件中的 {what} 不是 UTF-8 文本"))
    };
    let doc_s = text(&doc, "document.xml")?;
    let paras = paragraphs(&doc)?;
    // Comment ids after any the document already has.
    let first_id = existing
        .as_deref()
        .map(|c| {
            String::from_utf8_lossy(c)
                .match_indices("w:id=\"")
                .filter_map(|(i, m)| {
                    let rest = &String::from_utf8_lossy(c)[i + m.len()..];
                    rest.split('"').next()?.parse::<u64>().ok()
                })
                .max()
                .map_or(0, |m| m + 1)
        })
        .unwrap_or(0);
    let mut edits: Vec<(usize, String)> = Vec::new();
    let mut bodies = String::new();
    for (k, (anchor, body)) in comments.iter().enumerate() {
        let id = first_id + k as u64;
        let Some(p) = place(&paras, anchor)
            .or_else(|| place(&paras, &Anchor::Title))
            .or(if paras.is_empty() { None } else { Some(0) })
        else {
            return Err("Word 文件中没有段落，无法加批注".into());
        };
        let p = &paras[p];
        edits.push((p.open, format!("<w:commentRangeStart w:id=\"{id}\"/>")));
        edits.push((
            p.close,
            format!(
                "<w:commentRangeEnd w:id=\"{id}\"/><w:r><w:commentReference w:id=\"{id}\"/></w:r>"
            ),
        ));
        let mut paras_xml = String::new();
        for line in body.split('\n') {
            paras_xml.push_str(&format!(
                "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
                escape(line)
            ));
        }
        bodies.push_str(&format!(
            "<w:comment w:id=\"{id}\" w:author=\"{}\" w:date=\"{date}T00:00:00Z\" w:initials=\"审\">{paras_xml}</w:comment>",
            escape(author)
        ));
    }
    // Insert from the end so earlier offsets stay valid; at one offset, a
    // range end before a range start keeps each paragraph's markers nested.
    edits.sort_by(|a, b| {
        b.0.cmp(&a.0).then_with(|| {
            a.1.starts_with("<w:commentRangeStart")
                .cmp(&b.1.starts_with("<w:commentRangeStart"))
        })
    });
    let mut new_doc = doc_s;
    for (at, s) in &edits {
        if !new_doc.is_char_boundary(*at) {
            return Err("Word 正文的位置无法定位，无法加批注".into());
        }
        new_doc.insert_str(*at, s);
    }
    let comments_xml = match existing {
        Some(c) => {
            let c = text(&c, "comments.xml")?;
            match c.rfind("</w:comments>") {
                Some(at) => format!("{}{bodies}{}", &c[..at], &c[at..]),
                // An empty part written as one element (<w:comments … />).
                None => {
                    let at = c
                        .trim_end()
                        .strip_suffix("/>")
                        .map(str::len)
                        .ok_or("Word 文件中已有的批注已损坏")?;
                    format!("{}>{bodies}</w:comments>", c[..at].trim_end())
                }
            }
        }
        None => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:comments xmlns:w=\"{W_NS}\">{bodies}</w:comments>"
        ),
    };
    let mut types_s = text(&types, "[Content_Types].xml")?;
    if !types_s.contains("/word/comments.xml") {
        let at = types_s
            .rfind("</Types>")
            .ok_or("Word 文件的 [Content_Types].xml 已损坏")?;
        types_s.insert_str(
            at,
            &format!("<Override PartName=\"/word/comments.xml\" ContentType=\"{COMMENTS_TYPE}\"/>"),
        );
    }
    let mut rels_s = text(&rels, "document.xml.rels")?;
    if !rels_s.contains(COMMENTS_REL) {
        let at = rels_s
            .rfind("</Relationships>")
            .ok_or("Word 文件的关系表已损坏")?;
        rels_s.insert_str(at, &format!("<Relationship Id=\"rIdNianbaoComments\" Type=\"{COMMENTS_REL}\" Target=\"comments.xml\"/>"));
    }
    // Every other part copied as it was, compressed bytes and all.
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let replaced = [
        "word/document.xml",
        "[Content_Types].xml",
        "word/_rels/document.xml.rels",
        "word/comments.xml",
    ];
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let bad = |_| "写出 Word 文件时出错".to_string();
    for i in 0..zip.len() {
        let f = zip
            .by_index_raw(i)
            .map_err(|_| "Word 文件已损坏（压缩包目录有误），无法加批注".to_string())?;
        if replaced.contains(&f.name()) {
            continue;
        }
        out.raw_copy_file(f).map_err(bad)?;
    }
    for (name, data) in [
        ("[Content_Types].xml", types_s.as_bytes()),
        ("word/_rels/document.xml.rels", rels_s.as_bytes()),
        ("word/document.xml", new_doc.as_bytes()),
        ("word/comments.xml", comments_xml.as_bytes()),
    ] {
        out.start_file(name, opts).map_err(bad)?;
        out.write_all(data)
            .map_err(|_| "写出 Word 文件时出错".to_string())?;
    }
    Ok(out.finish().map_err(bad)?.into_inner())
}

#[cfg(test)]
mod tests;
