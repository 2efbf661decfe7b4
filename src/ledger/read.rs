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
    /// Cells holding a formula: a sheet of formulas adds up the others.
    pub formulas: usize,
}

/// Largest ledger read, in rows (a year's requests are thousands at most).
pub const MAX_ROWS: usize = 1_000_000;

/// Columns read (a ledger has a dozen or two).
pub const MAX_COLS: usize = 256;

/// A ledger with a filled cell past the limits is refused, naming them:
/// counting part of a ledger would give wrong numbers with no warning.
fn past_limits(r: usize, c: usize) -> Option<String> {
    if r >= MAX_ROWS {
        Some(format!(
            "第 {} 行有内容，超过了可统计的 {MAX_ROWS} 行",
            r + 1
        ))
    } else if c >= MAX_COLS {
        Some(format!(
            "第 {} 列有内容，超过了可统计的 {MAX_COLS} 列",
            c + 1
        ))
    } else {
        None
    }
}

/// Merged cells spread at most (a real merge covers a few cells, a merged
/// column a few thousand): past this a file is making work, not a ledger.
const MAX_MERGE_CELLS: usize = 1_000_000;

/// Rows of text from cells at absolute positions (row 0 is the sheet's
/// first row, so row numbers are the ones the spreadsheet shows). Rows are
/// as long as their last cell: memory follows the cells present, not the
/// extent a file claims. A filled cell past the limits refuses the sheet.
fn rows_from_cells(
    cells: impl Iterator<Item = (usize, usize, String)>,
) -> Result<Vec<Vec<String>>, String> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (r, c, t) in cells {
        if t.is_empty() {
            continue;
        }
        if let Some(why) = past_limits(r, c) {
            return Err(why);
        }
        if rows.len() <= r {
            rows.resize_with(r + 1, Vec::new);
        }
        let row = &mut rows[r];
        if row.len() <= c {
            row.resize(c + 1, String::new());
        }
        row[c] = t;
    }
    Ok(rows)
}

/// A sheet's rows and its formula count, or why it is past the limits.
type SheetCells = Result<(Vec<Vec<String>>, usize), String>;

/// An .xlsx sheet's rows and formula count, streamed from its XML without
/// a dense range.
fn xlsx_rows<R: std::io::Read + std::io::Seek>(
    x: &mut calamine::Xlsx<R>,
    sheet: &str,
) -> Result<SheetCells, calamine::XlsxError> {
    let mut reader = x.worksheet_cells_reader(sheet)?;
    let mut cells = Vec::new();
    let mut formulas = 0;
    while let Some(cell) = reader.next_cell_with_formula_metadata()? {
        let (r, c) = (cell.pos.0 as usize, cell.pos.1 as usize);
        let t = text(&cell.value.clone().into());
        if t.is_empty() {
            continue;
        }
        if let Some(why) = past_limits(r, c) {
            return Ok(Err(why));
        }
        formulas += usize::from(cell.formula.is_some());
        cells.push((r, c, t));
    }
    Ok(rows_from_cells(cells.into_iter()).map(|rows| (rows, formulas)))
}

/// Merged cells hold their value only top-left; spread it over the merge,
/// so a merged header names every column it covers and a merged date
/// belongs to every request beside it.
fn spread_merges(rows: &mut [Vec<String>], merges: &[calamine::Dimensions]) {
    let mut budget = MAX_MERGE_CELLS;
    for m in merges {
        let (sr, sc) = (m.start.0 as usize, m.start.1 as usize);
        let er = (m.end.0 as usize).min(rows.len().saturating_sub(1));
        let ec = (m.end.1 as usize).min(MAX_COLS - 1);
        let Some(v) = rows.get(sr).and_then(|r| r.get(sc)).cloned() else {
            continue;
        };
        if er < sr || ec < sc || v.is_empty() {
            continue;
        }
        let area = (er - sr + 1) * (ec - sc + 1);
        if area > budget {
            break;
        }
        budget -= area;
        for row in &mut rows[sr..=er] {
            if row.len() <= ec {
                row.resize(ec + 1, String::new());
            }
            for cell in &mut row[sc..=ec] {
                if cell.is_empty() {
                    cell.clone_from(&v);
                }
            }
        }
    }
}

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
            rows: parse_csv(&decode(&bytes).map_err(|e| format!("{name}：{e}"))?)
                .map_err(|why| format!("{name}：{why}，请把台账拆成几个文件再统计"))?,
            formulas: 0,
        }]);
    }
    if let Ok(bytes) = std::fs::read(path)
        && let Err(why) = super::cfb_guard::check(&bytes)
    {
        return Err(match why {
            super::cfb_guard::Unsafe::Loop => format!(
                "{name}：表格文件的内部结构已损坏（扇区链循环），无法安全读取；请用 WPS/Excel 打开后另存为 .xlsx 再统计"
            ),
            super::cfb_guard::Unsafe::Area => format!(
                "{name}：表格中记录的区域大小异常（文件可能已损坏），无法安全读取；请用 WPS/Excel 打开后另存为 .xlsx 再统计"
            ),
        });
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
        let damaged = || format!("{name}：工作表“{sheet}”已损坏");
        let unreadable = || format!("{name}：工作表“{sheet}”无法读取");
        // An .xlsx is streamed cell by cell: a file can claim a cell at
        // XFD1048576, and calamine's dense range for it would need 550 GB.
        // .xls is bounded by its format (65,536 × 256); .ods by calamine.
        let too_big =
            |why: String| format!("{name}：工作表“{sheet}”{why}，请把台账拆成几个文件再统计");
        let (mut rows, formulas) = match &mut wb {
            calamine::Sheets::Xlsx(x) => crate::guard::quiet_panics(|| xlsx_rows(x, &sheet))
                .ok_or_else(damaged)?
                .map_err(|_| unreadable())?
                .map_err(too_big)?,
            _ => {
                let range = crate::guard::quiet_panics(|| wb.worksheet_range(&sheet))
                    .ok_or_else(damaged)?
                    .map_err(|_| unreadable())?;
                let (r0, c0) = range.start().unwrap_or((0, 0));
                let rows = rows_from_cells(
                    range
                        .used_cells()
                        .map(|(r, c, d)| (r0 as usize + r, c0 as usize + c, text(d))),
                )
                .map_err(too_big)?;
                let formulas = crate::guard::quiet_panics(|| wb.worksheet_formula(&sheet))
                    .and_then(Result::ok)
                    .map_or(0, |f| {
                        f.used_cells().filter(|(_, _, t)| !t.is_empty()).count()
                    });
                (rows, formulas)
            }
        };
        let merges: Vec<calamine::Dimensions> = match &mut wb {
            calamine::Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&sheet).unwrap_or_default(),
            calamine::Sheets::Xls(x) => x.merge_cells_by_sheet_name(&sheet).unwrap_or_default(),
            _ => Vec::new(),
        };
        spread_merges(&mut rows, &merges);
        out.push(Sheet {
            name: sheet,
            rows,
            formulas,
        });
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
    use crate::decode::{DecodeError, decode};
    match decode(bytes) {
        Ok(d) => Ok(d.text),
        Err(DecodeError::Empty) => Err("文件是空的"),
        Err(DecodeError::Binary) => Err(
            "不是文本格式的表格（CSV），可能是改了扩展名的 Excel 文件或其他文件；请用 WPS/Excel 打开后另存为 .xlsx 或 .csv",
        ),
    }
}

/// RFC 4180 CSV: quoted fields, doubled quotes, newlines inside quotes;
/// a TAB-separated file is read as such. Past [`MAX_ROWS`] rows or
/// [`MAX_COLS`] columns of content it is refused, naming the limit.
pub fn parse_csv(text: &str) -> Result<Vec<Vec<String>>, String> {
    let first = text.lines().next().unwrap_or("");
    let sep = if first.matches('\t').count() > first.matches(',').count() {
        '\t'
    } else {
        ','
    };
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let end_row = |row: &mut Vec<String>, rows: &mut Vec<Vec<String>>| -> Result<(), String> {
        while row.last().is_some_and(|c: &String| c.is_empty()) {
            row.pop();
        }
        match past_limits(rows.len(), row.len().saturating_sub(1)) {
            // Blank lines past the end cost nothing and say nothing.
            Some(_) if row.is_empty() => {}
            Some(why) => return Err(why),
            None => rows.push(std::mem::take(row)),
        }
        Ok(())
    };
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
                end_row(&mut row, &mut rows)?;
            }
            c => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        end_row(&mut row, &mut rows)?;
    }
    Ok(rows)
}
