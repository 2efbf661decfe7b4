//! Word (`.docx`) → lines: paragraphs become narrative lines, each table row
//! a line of cells, exactly the shape the HTML reader gives.
//!
//! `word/document.xml` is read with quick-xml as a stream, so a document of
//! any nesting costs no stack. Merges follow the HTML convention: a cell
//! spanning columns (`w:gridSpan`) is one cell, and a cell continuing a
//! vertical merge (`w:vMerge` without `restart`) is left out, as a row under
//! a `rowspan` has no `<td>` for it.

use super::lines::{Line, Method, collapse};
use quick_xml::Reader;
use quick_xml::events::Event;
use std::io::{Cursor, Read};

/// Largest `document.xml` read, uncompressed: a report is well under 5 MB,
/// and the cap keeps a zip bomb from taking the machine's memory.
const MAX_XML: u64 = 64 * 1024 * 1024;

/// Deepest table nesting followed (tables in table cells are flattened).
const MAX_TABLE_DEPTH: usize = 32;

/// Is this a zip container (a `.docx` or any other Office Open XML file)?
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// Why a Word file could not be read, in Chinese.
pub fn docx_lines(bytes: &[u8]) -> Result<Vec<Line>, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| "Word 文件已损坏或不完整（无法解开压缩包）".to_string())?;
    if !zip.file_names().any(|n| n == "word/document.xml") {
        return Err(if zip.file_names().any(|n| n.starts_with("xl/")) {
            "这是 Excel 表格，不是 Word 报告".to_string()
        } else {
            "压缩包里没有 Word 正文（word/document.xml），可能不是 Word 文件".to_string()
        });
    }
    let entry = zip
        .by_name("word/document.xml")
        .map_err(|_| "Word 文件已损坏或不完整（正文无法读取）".to_string())?;
    let mut xml = Vec::new();
    entry
        .take(MAX_XML + 1)
        .read_to_end(&mut xml)
        .map_err(|_| "Word 文件已损坏或不完整（正文无法解压）".to_string())?;
    if xml.len() as u64 > MAX_XML {
        return Err("Word 正文过大，不像是年度报告".into());
    }
    parse_document(&xml)
}

/// A table being read: its rows so far and the row and cell under way.
#[derive(Default)]
struct Table {
    rows: Vec<Line>,
    row: Vec<String>,
    cell: String,
    /// The current cell continues a vertical merge.
    continues: bool,
}

/// Parse `word/document.xml` into lines.
fn parse_document(xml: &[u8]) -> Result<Vec<Line>, String> {
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().trim_text(false);
    let mut lines = Vec::new();
    let mut para = String::new();
    let mut tables: Vec<Table> = Vec::new();
    let mut in_text = false;
    // Inside mc:Fallback (a duplicate of mc:Choice) or deleted text.
    let mut skip_depth = 0usize;
    let mut buf = Vec::new();
    loop {
        let ev = reader.read_event_into(&mut buf).map_err(|_| {
            format!(
                "Word 正文的 XML 已损坏（第 {} 字节附近）",
                reader.error_position()
            )
        })?;
        match ev {
            Event::Eof => break,
            Event::Start(e) => {
                let name = e.local_name();
                let name = name.as_ref();
                if skip_depth > 0 || matches!(name, b"Fallback" | b"del" | b"instrText") {
                    skip_depth += 1;
                    continue;
                }
                match name {
                    b"t" => in_text = true,
                    b"tbl" => {
                        flush_para(&mut para, &mut lines, &mut tables);
                        tables.push(Table::default());
                        if tables.len() > MAX_TABLE_DEPTH {
                            return Err("Word 文件中的表格嵌套过深，无法读取".into());
                        }
                    }
                    b"tc" => {
                        if let Some(t) = tables.last_mut() {
                            t.cell.clear();
                            t.continues = false;
                        }
                    }
                    _ => {}
                }
            }
            Event::Empty(e) => {
                if skip_depth > 0 {
                    continue;
                }
                match e.local_name().as_ref() {
                    b"tab" => para.push(' '),
                    b"br" | b"cr" => para.push(' '),
                    b"vMerge" => {
                        let restart = e.attributes().flatten().any(|a| {
                            a.key.local_name().as_ref() == b"val" && a.value.as_ref() == b"restart"
                        });
                        if let Some(t) = tables.last_mut() {
                            t.continues = !restart;
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_text && skip_depth == 0 => {
                let s = t
                    .decode()
                    .map_err(|_| "Word 正文中有无法解码的文字".to_string())?;
                para.push_str(&s);
            }
            Event::GeneralRef(r) if in_text && skip_depth == 0 => {
                // &amp; &lt; &#x4E00; … inside w:t
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => resolve_entity(&r.decode().unwrap_or_default()),
                };
                para.extend(c);
            }
            Event::End(e) => {
                if skip_depth > 0 {
                    skip_depth -= 1;
                    continue;
                }
                match e.local_name().as_ref() {
                    b"t" => in_text = false,
                    b"p" => flush_para(&mut para, &mut lines, &mut tables),
                    b"tc" => {
                        flush_para(&mut para, &mut lines, &mut tables);
                        if let Some(t) = tables.last_mut() {
                            let text = collapse(&std::mem::take(&mut t.cell));
                            if !t.continues {
                                t.row.push(text);
                            }
                        }
                    }
                    b"tr" => {
                        if let Some(t) = tables.last_mut() {
                            let cells = std::mem::take(&mut t.row);
                            t.rows.push(Line::row(cells, Method::Structure));
                        }
                    }
                    b"tbl" => {
                        let Some(done) = tables.pop() else { continue };
                        match tables.last_mut() {
                            // A table inside a cell: its text joins the cell.
                            Some(outer) => {
                                for r in done.rows {
                                    if !outer.cell.is_empty() {
                                        outer.cell.push(' ');
                                    }
                                    outer.cell.push_str(&r.text);
                                }
                            }
                            None => lines.extend(done.rows),
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        buf.clear();
    }
    flush_para(&mut para, &mut lines, &mut tables);
    Ok(lines)
}

/// End of a paragraph: into the open cell (paragraphs of one cell are
/// joined without a break, so a label Word wrapped stays one label), or a
/// narrative line.
fn flush_para(para: &mut String, lines: &mut Vec<Line>, tables: &mut [Table]) {
    if para.is_empty() {
        return;
    }
    match tables.last_mut() {
        Some(t) => t.cell.push_str(para),
        None => {
            let l = collapse(para);
            if !l.is_empty() {
                lines.push(Line::plain(l));
            }
        }
    }
    para.clear();
}

/// The five predefined XML entities (character references are resolved by quick-xml).
fn resolve_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(body: &str) -> Vec<Line> {
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        );
        parse_document(xml.as_bytes()).unwrap()
    }

    #[test]
    fn split_runs_join_and_merges_follow_the_html_shape() {
        let lines = doc(concat!(
            r#"<w:p><w:r><w:t>一、总体</w:t></w:r><w:r><w:t xml:space="preserve">情况</w:t></w:r></w:p>"#,
            r#"<w:tbl><w:tr>"#,
            r#"<w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>（三）不予</w:t></w:r></w:p><w:p><w:r><w:t>公开</w:t></w:r></w:p></w:tc>"#,
            r#"<w:tc><w:p><w:r><w:t>1.属于国家秘密</w:t></w:r></w:p></w:tc>"#,
            r#"<w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>1</w:t></w:r><w:r><w:t>2</w:t></w:r></w:p></w:tc>"#,
            r#"</w:tr><w:tr>"#,
            r#"<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>"#,
            r#"<w:tc><w:p><w:r><w:t>2.其他法律行政法规禁止公开</w:t></w:r></w:p></w:tc>"#,
            r#"<w:tc><w:p><w:r><w:t>0</w:t></w:r></w:p></w:tc>"#,
            r#"</w:tr></w:tbl>"#,
            r#"<w:p><w:r><w:t>A&amp;B</w:t></w:r><w:r><w:delText>删掉的</w:delText></w:r></w:p>"#,
        ));
        assert_eq!(lines[0].text, "一、总体情况");
        assert_eq!(
            lines[1].cells.as_deref().unwrap(),
            ["（三）不予公开", "1.属于国家秘密", "12"]
        );
        assert_eq!(
            lines[2].cells.as_deref().unwrap(),
            ["2.其他法律行政法规禁止公开", "0"]
        );
        assert_eq!(lines[3].text, "A&B");
    }

    #[test]
    fn broken_and_foreign_files_give_chinese_messages() {
        assert!(
            docx_lines(b"PK\x03\x04garbage")
                .unwrap_err()
                .contains("损坏")
        );
        assert!(parse_document(b"<w:document><w:body><w:p><w:t>x</w:p>").is_err());
        // a table nested far too deep is refused, not followed
        let deep = format!("<w:body>{}</w:body>", "<w:tbl><w:tr><w:tc>".repeat(100));
        assert!(
            parse_document(deep.as_bytes())
                .unwrap_err()
                .contains("嵌套")
        );
    }
}
