//! Reading a ledger into rows of text: spreadsheets with calamine, CSV in
//! UTF-8 or GBK. Dates become `YYYY-MM-DD`; whole numbers lose their `.0`.

use calamine::{Data, Reader};
use std::path::Path;

/// One sheet as rows of cell text. Merged cells repeat their value across
/// the merge, so a merged header names every column it covers.
#[derive(Clone, Debug, Default)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<String>>,
}

/// Largest ledger read, in rows (a year's requests are thousands at most).
const MAX_ROWS: usize = 1_000_000;

fn text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "是" } else { "否" }.into(),
        Data::DateTime(dt) => {
            let (y, m, d) =
                super::parse_date(&format!("{}", dt.as_f64().floor() as i64)).unwrap_or((0, 0, 0));
            format!("{y:04}-{m:02}-{d:02}")
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Read every sheet of a ledger. Errors are Chinese sentences.
pub fn read_path(path: &Path) -> Result<Vec<Sheet>, String> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let name = path.display();
    if ext == "csv" || ext == "txt" {
        let bytes = std::fs::read(path).map_err(|e| {
            crate::draft::DraftError::Io {
                path: path.to_path_buf(),
                err: e,
            }
            .to_string()
        })?;
        return Ok(vec![Sheet {
            name: path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            rows: parse_csv(&decode(&bytes).map_err(|e| format!("{name}：{e}"))?),
        }]);
    }
    let mut wb = crate::guard::quiet_panics(|| calamine::open_workbook_auto(path))
        .ok_or_else(|| format!("{name}：表格文件已损坏，无法读取"))?
        .map_err(|e| match e {
            calamine::Error::Io(_) => crate::draft::DraftError::Io {
                path: path.to_path_buf(),
                err: std::io::Error::from(std::io::ErrorKind::NotFound),
            }
            .to_string(),
            _ => format!(
                "{name}：不是可读取的表格文件（支持 .xlsx、.xls、.ods、.csv），或文件已损坏"
            ),
        })?;
    let mut out = Vec::new();
    for sheet in wb.sheet_names() {
        let range = crate::guard::quiet_panics(|| wb.worksheet_range(&sheet))
            .ok_or_else(|| format!("{name}：工作表“{sheet}”已损坏"))?
            .map_err(|_| format!("{name}：工作表“{sheet}”无法读取"))?;
        let mut rows: Vec<Vec<String>> = range
            .rows()
            .take(MAX_ROWS)
            .map(|r| r.iter().map(text).collect())
            .collect();
        // Merged cells hold their value only top-left; spread it.
        let merges: Vec<calamine::Dimensions> = match &mut wb {
            calamine::Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&sheet).unwrap_or_default(),
            calamine::Sheets::Xls(x) => x.merge_cells_by_sheet_name(&sheet).unwrap_or_default(),
            _ => Vec::new(),
        };
        {
            let (r0, c0) = range.start().unwrap_or((0, 0));
            for m in merges {
                let (sr, sc) = (
                    m.start.0.saturating_sub(r0) as usize,
                    m.start.1.saturating_sub(c0) as usize,
                );
                let (er, ec) = (
                    m.end.0.saturating_sub(r0) as usize,
                    m.end.1.saturating_sub(c0) as usize,
                );
                let Some(v) = rows.get(sr).and_then(|r: &Vec<String>| r.get(sc)).cloned() else {
                    continue;
                };
                for r in sr..=er.min(rows.len().saturating_sub(1)) {
                    for c in sc..=ec.min(rows[r].len().saturating_sub(1)) {
                        if rows[r][c].is_empty() {
                            rows[r][c] = v.clone();
                        }
                    }
                }
            }
        }
        out.push(Sheet { name: sheet, rows });
    }
    if out.is_empty() {
        return Err(format!("{name}：表格中没有工作表"));
    }
    Ok(out)
}

/// A CSV's text by the importer's rules (UTF-8 with or without BOM, UTF-16
/// with BOM, GB18030/GBK; a few damaged bytes become U+FFFD, and a row
/// holding one is listed as unclear rather than guessed).
fn decode(bytes: &[u8]) -> Result<String, &'static str> {
    use crate::import::decode::{DecodeError, decode};
    match decode(bytes) {
        Ok(d) => Ok(d.text),
        Err(DecodeError::Empty) => Err("文件是空的"),
        Err(DecodeError::Binary) => Err(
            "不是文本格式的表格（CSV），可能是改了扩展名的 Excel 文件或其他文件；请用 WPS/Excel 打开后另存为 .xlsx 或 .csv",
        ),
    }
}

/// RFC 4180 CSV: quoted fields, doubled quotes, newlines inside quotes;
/// a TAB-separated file is read as such.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let first = text.lines().next().unwrap_or("");
    let sep = if first.matches('\t').count() > first.matches(',').count() {
        '\t'
    } else {
        ','
    };
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' if quoted => quoted = false,
            '"' if field.is_empty() => quoted = true,
            c if c == sep && !quoted => row.push(std::mem::take(&mut field)),
            '\r' if !quoted => {}
            '\n' if !quoted => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
                if rows.len() >= MAX_ROWS {
                    return rows;
                }
            }
            c => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}
