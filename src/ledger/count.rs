//! Counting 表三 from a whole workbook, as agencies keep their ledgers: a
//! sheet per month or quarter, a 上年结转 sheet, a 汇总 sheet of formulas
//! that must not be counted again, headers repeated on every printed page,
//! dates without a year, and the ledger's own checks (duplicates, dates
//! that contradict each other, answers past the legal deadline).

use super::classify::{self, Result_};
use super::rows::{NotRequest, not_request};
use super::{Field, Header, Mapping, Memory, Sheet, auto_map, find_header, keywords};
use crate::check::Severity;
use crate::date::{self, Date, workdays};
use crate::text::norm;
use std::collections::{BTreeMap, HashMap};

/// How one sheet of the workbook takes part.
#[derive(Clone, Debug, PartialEq)]
pub struct SheetPlan {
    pub name: String,
    pub header: Option<Header>,
    pub mapping: Mapping,
    /// Counted (the clerk can turn a sheet on or off).
    pub counted: bool,
    /// Why it is left out by default.
    pub left_out: Option<String>,
    /// The year its name or title rows give, for dates written without one.
    pub year: Option<i32>,
}

/// The fields a sheet needs to be counted.
pub fn missing_fields(m: &Mapping) -> Vec<&'static str> {
    let mut out = Vec::new();
    if !m.contains_key(&Field::ApplicantName) && !m.contains_key(&Field::ApplicantType) {
        out.push(Field::ApplicantName.label());
    }
    for f in [Field::Received, Field::Result] {
        if !m.contains_key(&f) {
            out.push(f.label());
        }
    }
    out
}

/// The first 20xx year written in a text.
fn year_in(text: &str) -> Option<i32> {
    let t = crate::cell::fold_width(text);
    let b = t.as_bytes();
    (0..b.len().saturating_sub(3)).find_map(|i| {
        let w = &b[i..i + 4];
        let before = i == 0 || !b[i - 1].is_ascii_digit();
        let after = b.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        (w[0] == b'2' && w[1] == b'0' && w.iter().all(u8::is_ascii_digit) && before && after)
            .then(|| std::str::from_utf8(w).ok()?.parse().ok())
            .flatten()
    })
}

/// Which sheets hold requests, each with its header and mapping. A 汇总 /
/// 统计 / 合计 sheet, a sheet of formulas and a sheet with no usable header
/// are left out by default, with the reason.
pub fn plan(sheets: &[Sheet], memory: &Memory) -> Vec<SheetPlan> {
    sheets
        .iter()
        .map(|s| {
            let header = find_header(&s.rows);
            let mapping = header
                .as_ref()
                .map(|h| {
                    memory
                        .mapping_for(&h.cells)
                        .unwrap_or_else(|| auto_map(&h.cells))
                })
                .unwrap_or_default();
            let filled: usize = s
                .rows
                .iter()
                .flatten()
                .filter(|c| !c.trim().is_empty())
                .count();
            let summary_name = keywords::SUMMARY_SHEETS.iter().any(|w| s.name.contains(w));
            let left_out = if filled == 0 {
                Some("空表".to_string())
            } else if summary_name {
                Some("合计表".to_string())
            } else if s.formulas >= 5 && s.formulas * 4 >= filled {
                Some("由公式计算的汇总表".to_string())
            } else if header.is_none() {
                Some("没有找到表头".to_string())
            } else {
                let missing = missing_fields(&mapping);
                (!missing.is_empty()).then(|| format!("表头中没有{}", missing.join("、")))
            };
            let title: String = header
                .as_ref()
                .map(|h| {
                    s.rows[..h.row.min(s.rows.len())]
                        .iter()
                        .flatten()
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            SheetPlan {
                name: s.name.clone(),
                counted: left_out.is_none(),
                left_out,
                year: year_in(&s.name).or_else(|| year_in(&title)),
                header,
                mapping,
            }
        })
        .collect()
}

/// A place in the workbook: the sheet and the row as the spreadsheet shows it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    pub sheet: String,
    pub row: usize,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "“{}”第 {} 行", self.sheet, self.row)
    }
}

/// What the counter could not place: only what a careful clerk could not
/// decide from the row either.
#[derive(Clone, Debug, PartialEq)]
pub struct Unclear {
    pub place: Place,
    /// The cells that were read, as the clerk sees them.
    pub text: String,
    pub why: String,
    /// What the clerk is asked to choose.
    pub ask: Ask,
    /// The key a decision is remembered by.
    pub key: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ask {
    Applicant,
    Result,
    /// A date: the clerk must correct the ledger.
    Date,
}

/// One of the ledger's own checks, with the row it is about.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    pub place: Place,
    pub severity: Severity,
    pub message: String,
}

/// What became of one row.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Counted: arrival row (新收 or 上年结转), result row (or 结转下年度),
    /// applicant column.
    Counted {
        arrival: &'static str,
        result: &'static str,
        column: &'static str,
    },
    /// A request of another year (not counted), and which.
    OtherYear(i32),
    /// No request.
    NotRequest(NotRequest),
    /// The same request entered again (counted once).
    Repeated,
    Unclear(String),
}

/// The counts, every row's outcome, and what could not be counted.
#[derive(Clone, Debug, Default)]
pub struct Counted {
    /// (row id, column id) → count, leaves of 表三 only.
    pub counts: BTreeMap<(String, String), u64>,
    /// Request rows read (not blank, not header/total/footer).
    pub rows_read: usize,
    pub rows_counted: usize,
    /// Requests of other years, not counted.
    pub other_year: Vec<Place>,
    /// Rows that are no requests, by kind.
    pub not_requests: BTreeMap<NotRequest, usize>,
    /// The same request entered twice, counted once.
    pub repeated: usize,
    pub unclear: Vec<Unclear>,
    pub checks: Vec<Check>,
    /// Sheets counted, and those left out with why.
    pub sheets_used: Vec<String>,
    pub sheets_left_out: Vec<(String, String)>,
    /// How dates without a year were read, and the like.
    pub notes: Vec<String>,
    /// Every row read, in order, with its outcome.
    pub outcomes: Vec<(Place, Outcome)>,
    /// Rows received last year, answered this year, marked 是否结转 = 是
    /// (carried into this year, which is no contradiction).
    pub carried_in_flagged: usize,
}

impl Counted {
    pub fn get(&self, row: &str, col: &str) -> u64 {
        self.counts
            .get(&(row.to_string(), col.to_string()))
            .copied()
            .unwrap_or(0)
    }

    /// "计入：1月、2月；未计入：汇总（合计表）" and the skipped rows.
    pub fn summary(&self) -> String {
        let mut s = format!("计入工作表：{}", self.sheets_used.join("、"));
        if !self.sheets_left_out.is_empty() {
            let out: Vec<String> = self
                .sheets_left_out
                .iter()
                .map(|(n, why)| format!("{n}（{why}）"))
                .collect();
            s.push_str(&format!("；未计入：{}", out.join("、")));
        }
        s.push_str(&format!(
            "\n读取 {} 行，计入 {} 行，其他年度 {} 行，需要确认 {} 行",
            self.rows_read,
            self.rows_counted,
            self.other_year.len(),
            self.unclear.len()
        ));
        let mut skipped: Vec<String> = self
            .not_requests
            .iter()
            .map(|(k, n)| format!("{} {n} 行", k.label()))
            .collect();
        if self.repeated > 0 {
            skipped.push(format!("重复登记 {} 行（只计一次）", self.repeated));
        }
        if !skipped.is_empty() {
            s.push_str(&format!("\n跳过：{}", skipped.join("，")));
        }
        for n in &self.notes {
            s.push_str(&format!("\n说明：{n}"));
        }
        s
    }
}

/// Dates of one sheet written without a year: the year comes from the
/// sheet's name or title, and moves on when the months run backwards
/// across the new year.
struct YearContext {
    year: i32,
    last_month: Option<u32>,
    rolled: bool,
    used: bool,
}

impl YearContext {
    fn read(&mut self, text: &str) -> Option<Date> {
        if let Some(d) = date::parse(text) {
            return Some(d);
        }
        let (m, d) = date::parse_month_day(text)?;
        if let Some(last) = self.last_month
            && m + 6 < last
        {
            self.year += 1;
            self.rolled = true;
        }
        self.last_month = Some(m);
        self.used = true;
        (d <= date::days_in_month(self.year, m)).then_some((self.year, m, d))
    }
}

/// A request row, read.
struct Request {
    place: Place,
    /// The 申请编号, normalised for comparing, and as written.
    id: String,
    id_text: String,
    name: String,
    kind: String,
    received_text: String,
    received: Option<Date>,
    answered: Option<Date>,
    corrected: Option<Date>,
    result: String,
    reason: String,
    remarks: String,
    carry: Option<bool>,
    extended: bool,
}

fn yes_no(t: &str) -> Option<bool> {
    let t = norm(t);
    match t.as_str() {
        "是" | "y" | "yes" | "1" | "√" | "结转" | "已结转" | "延期" | "已延期" => {
            Some(true)
        }
        "否" | "n" | "no" | "0" | "×" | "不结转" | "未结转" | "未延期" => Some(false),
        _ => None,
    }
}

/// Count the sheets the plan counts, for report year `year`.
pub fn count(sheets: &[Sheet], plans: &[SheetPlan], year: i32, memory: &Memory) -> Counted {
    let mut out = Counted::default();
    let mut requests: Vec<Request> = Vec::new();
    for (sheet, p) in sheets.iter().zip(plans) {
        if !p.counted {
            if let Some(why) = &p.left_out {
                out.sheets_left_out.push((p.name.clone(), why.clone()));
            } else {
                out.sheets_left_out.push((p.name.clone(), "未选择".into()));
            }
            continue;
        }
        let Some(h) = &p.header else {
            out.sheets_left_out
                .push((p.name.clone(), "没有找到表头".into()));
            continue;
        };
        out.sheets_used.push(p.name.clone());
        let mut ctx = YearContext {
            year: p.year.unwrap_or(year),
            last_month: None,
            rolled: false,
            used: false,
        };
        let cell = |r: &Vec<String>, f: Field| {
            p.mapping
                .get(&f)
                .and_then(|&c| r.get(c))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        for (k, r) in sheet.rows.iter().enumerate().skip(h.row + 1) {
            if r.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let place = Place {
                sheet: p.name.clone(),
                row: k + 1,
            };
            if let Some(kind) = not_request(r, h) {
                *out.not_requests.entry(kind).or_default() += 1;
                out.outcomes.push((place, Outcome::NotRequest(kind)));
                continue;
            }
            let received_text = cell(r, Field::Received);
            let received = ctx.read(&received_text);
            // An answer written without a year follows its receipt.
            let answered_text = cell(r, Field::Answered);
            let answered = date::parse(&answered_text).or_else(|| {
                let (m, d) = date::parse_month_day(&answered_text)?;
                let (ry, rm, _) = received?;
                let y = if m < rm { ry + 1 } else { ry };
                (d <= date::days_in_month(y, m)).then_some((y, m, d))
            });
            let corrected_text = cell(r, Field::Corrected);
            requests.push(Request {
                place,
                id: norm(&cell(r, Field::Id)),
                id_text: cell(r, Field::Id),
                name: cell(r, Field::ApplicantName),
                kind: cell(r, Field::ApplicantType),
                received_text,
                received,
                answered,
                corrected: date::parse(&corrected_text),
                result: cell(r, Field::Result),
                reason: cell(r, Field::Reason),
                remarks: cell(r, Field::Remarks),
                carry: yes_no(&cell(r, Field::CarryOver)),
                extended: yes_no(&cell(r, Field::Extended)) == Some(true)
                    || cell(r, Field::Remarks).contains("延期"),
            });
        }
        if ctx.used {
            let from = if p.year.is_some() {
                format!("工作表名称或标题中的 {} 年", p.year.unwrap_or(year))
            } else {
                format!("报告年度 {year} 年（工作表名称和标题中没有年份）")
            };
            out.notes
                .push(format!("“{}”中的日期没有写年份，按{from}读取", p.name));
        }
        if ctx.rolled {
            out.notes.push(format!(
                "“{}”中的日期从年底回到年初，此后的日期按 {} 年读取",
                p.name, ctx.year
            ));
        }
    }
    let repeats = repeats(&requests, &mut out.checks);
    for (i, q) in requests.iter().enumerate() {
        if repeats.contains(&i) {
            out.repeated += 1;
            out.outcomes.push((q.place.clone(), Outcome::Repeated));
            continue;
        }
        out.rows_read += 1;
        let o = one(q, year, memory, &mut out);
        if let Outcome::Counted {
            arrival,
            result,
            column,
        } = o
        {
            for row in [arrival, result] {
                *out.counts
                    .entry((row.to_string(), column.to_string()))
                    .or_default() += 1;
            }
            out.rows_counted += 1;
        }
        out.outcomes.push((q.place.clone(), o));
    }
    // In the workbook's order (上年结转, 1月 … 12月), not the sheet names'
    // (which would put 10月 before 1月), then by row.
    let position: std::collections::HashMap<&str, usize> = plans
        .iter()
        .enumerate()
        .map(|(i, p)| (p.name.as_str(), i))
        .collect();
    out.outcomes
        .sort_by_cached_key(|(place, _)| (position.get(place.sheet.as_str()).copied(), place.row));
    if out.carried_in_flagged > 0 {
        out.notes.push(format!(
            "{} 行上年收到、本年答复的申请标为“是否结转：是”，按日期计为上年结转、本年办结，不计入结转下年度",
            out.carried_in_flagged
        ));
    }
    // Warnings first, then in workbook order.
    out.checks
        .sort_by(|a, b| a.severity.cmp(&b.severity).then(a.place.cmp(&b.place)));
    out
}

/// Rows that repeat an earlier row's 申请编号, name and receipt (the same
/// request entered in a monthly sheet and again in a 上年结转 sheet): only
/// the one with an answer (or the last) counts. The same number on
/// different requests is a check for the clerk, and both count.
fn repeats(requests: &[Request], checks: &mut Vec<Check>) -> std::collections::HashSet<usize> {
    let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, q) in requests
        .iter()
        .enumerate()
        .filter(|(_, q)| !q.id.is_empty())
    {
        by_id.entry(q.id.as_str()).or_default().push(i);
    }
    let mut skip = std::collections::HashSet::new();
    let mut ids: Vec<_> = by_id.into_iter().filter(|(_, v)| v.len() > 1).collect();
    ids.sort();
    for (_, rows) in ids {
        let id = &requests[rows[0]].id_text;
        let same = rows.iter().all(|&i| {
            let (a, b) = (&requests[rows[0]], &requests[i]);
            norm(&a.name) == norm(&b.name) && a.received == b.received
        });
        let places: Vec<String> = rows
            .iter()
            .map(|&i| requests[i].place.to_string())
            .collect();
        if same {
            let keep = rows
                .iter()
                .copied()
                .rfind(|&i| requests[i].answered.is_some())
                .unwrap_or(rows[rows.len() - 1]);
            skip.extend(rows.iter().copied().filter(|&i| i != keep));
            checks.push(Check {
                place: requests[keep].place.clone(),
                severity: Severity::Info,
                message: format!(
                    "申请编号 {id} 的同一申请登记了 {} 次（{}），只计一次",
                    rows.len(),
                    places.join("、")
                ),
            });
        } else {
            checks.push(Check {
                place: requests[rows[1]].place.clone(),
                severity: Severity::Warning,
                message: format!(
                    "申请编号 {id} 出现 {} 次（{}），内容不同，请核对编号",
                    rows.len(),
                    places.join("、")
                ),
            });
        }
    }
    skip
}

/// The outcome of one request, with its checks.
fn one(q: &Request, year: i32, memory: &Memory, out: &mut Counted) -> Outcome {
    let text = |parts: &[&str]| {
        parts
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" / ")
    };
    let mut unclear = |why: String, ask: Ask, shown: String, key: String| {
        out.unclear.push(Unclear {
            place: q.place.clone(),
            text: shown,
            why: why.clone(),
            ask,
            key,
        });
        Outcome::Unclear(why)
    };
    let Some(received) = q.received else {
        let why = if q.received_text.is_empty() {
            "没有收到日期".to_string()
        } else {
            "收到日期无法识别".to_string()
        };
        return unclear(why, Ask::Date, q.received_text.clone(), String::new());
    };
    let (ry, ..) = received;
    if ry > year {
        out.other_year.push(q.place.clone());
        return Outcome::OtherYear(ry);
    }
    // Dates against each other, and against the law's deadline.
    let mut warn = |message: String, severity: Severity| {
        out.checks.push(Check {
            place: q.place.clone(),
            severity,
            message,
        })
    };
    if let Some(a) = q.answered {
        if date::days_from_civil(a) < date::days_from_civil(received) {
            warn(
                format!(
                    "答复日期 {} 早于收到日期 {}",
                    date::show(a),
                    date::show(received)
                ),
                Severity::Warning,
            );
        } else {
            let start = q
                .corrected
                .filter(|c| date::days_from_civil(*c) >= date::days_from_civil(received))
                .unwrap_or(received);
            let days = if q.extended { 40 } else { 20 };
            let due = workdays::add_workdays(start, days);
            let unknown = [start.0, due.0]
                .into_iter()
                .find(|&y| !workdays::has_schedule(y));
            if let Some(y) = unknown {
                let note = format!(
                    "{y} 年的节假日安排尚未收录，该年的答复期限只按周末计算，超期提示请以当年通知为准"
                );
                if !out.notes.contains(&note) {
                    out.notes.push(note);
                }
            }
            if date::days_from_civil(a) > date::days_from_civil(due) {
                warn(
                    format!(
                        "答复日期 {} 晚于{}后第 {days} 个工作日（{}），可能超期，请核对是否延期或补正",
                        date::show(a),
                        if start == received {
                            "收到"
                        } else {
                            "补正"
                        },
                        date::show(due)
                    ),
                    Severity::Warning,
                );
            }
        }
    }
    let answered_in_year = q.answered.map(|(ay, ..)| ay);
    if ry < year && answered_in_year.is_some_and(|ay| ay < year) {
        out.other_year.push(q.place.clone());
        return Outcome::OtherYear(ry);
    }
    // The result, from all the cells that speak of it.
    let res = classify::result(&q.result, &q.reason, &q.remarks, memory);
    let open_by_dates = match (answered_in_year, &res) {
        (Some(ay), _) => ay > year,
        (None, Result_::Pending) => true,
        (None, Result_::Unclear(_)) => q.result.trim().is_empty(),
        (None, Result_::Row(_)) => false,
    };
    match (q.carry, open_by_dates) {
        (Some(true), false) if ry == year => warn(
            "“是否结转”为“是”，但本年已办结：按日期计为本年办结".into(),
            Severity::Warning,
        ),
        // Carried into this year and concluded: what the flag means here.
        (Some(true), false) => out.carried_in_flagged += 1,
        (Some(false), true) => warn(
            "“是否结转”为“否”，但到年底没有答复：按日期计为结转下年度".into(),
            Severity::Warning,
        ),
        (None, true) if q.answered.is_none() && q.result.trim().is_empty() => warn(
            "既没有答复也没有结转标记：按结转下年度计算，请核对".into(),
            Severity::Warning,
        ),
        _ => {}
    }
    let column = match classify::applicant(&q.kind, &q.name, memory) {
        Ok(c) => c,
        Err(why) => {
            let shown = text(&[&q.kind, &q.name]);
            let key = format!("{}{}", norm(&q.kind), norm(&q.name));
            return unclear(why, Ask::Applicant, shown, key);
        }
    };
    let arrival = if ry == year { "new" } else { "carried_over" };
    let result = if open_by_dates {
        "carried_forward"
    } else {
        match res {
            Result_::Row(row) => row,
            Result_::Pending => {
                let shown = text(&[&q.result, &q.reason, &q.remarks]);
                return unclear(
                    format!("已有答复日期，处理结果却为“{}”", q.result),
                    Ask::Result,
                    shown,
                    result_key(q),
                );
            }
            Result_::Unclear(why) => {
                let shown = text(&[&q.result, &q.reason, &q.remarks]);
                return unclear(why, Ask::Result, shown, result_key(q));
            }
        }
    };
    Outcome::Counted {
        arrival,
        result,
        column,
    }
}

/// The key a result decision is remembered by.
fn result_key(q: &Request) -> String {
    format!("{}{}{}", norm(&q.result), norm(&q.reason), norm(&q.remarks))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_in_sheet_names_and_titles() {
        assert_eq!(year_in("2025年1月"), Some(2025));
        assert_eq!(year_in("二〇二五年"), None);
        assert_eq!(year_in("台账2024.xlsx"), Some(2024));
        assert_eq!(year_in("１月"), None);
        assert_eq!(year_in("20250301"), None, "a date, not a year");
    }
}
