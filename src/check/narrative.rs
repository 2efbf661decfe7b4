//! Rules on what the narrative says against the report itself, which the
//! provinces' scoring rules deduct for: the wrong year left over from last
//! year's text (R15), and sentences that contradict the tables (R16).

use super::{Finding, Severity, part};
use crate::report::Report;
use crate::schema::{self, TableId};
use rust_decimal::Decimal;

/// The narrative parts R15 and R16 read, with their ids and names.
fn parts(r: &Report) -> [(&'static str, &'static str, String); 4] {
    let n = &r.narrative;
    [
        (part::PREAMBLE, "正文前言", n.preamble.clone()),
        (part::OVERVIEW, "一、总体情况", n.overview_text()),
        (
            part::PROBLEMS,
            "五、存在的主要问题及改进情况",
            n.problems.clone(),
        ),
        (part::OTHER, "六、其他需要报告的事项", n.other.clone()),
    ]
}

/// A few characters either side of a byte range, for a message.
fn around(text: &str, at: usize, len: usize) -> String {
    let before: String = text[..at]
        .chars()
        .rev()
        .take(8)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let after: String = text[at + len..].chars().take(10).collect();
    format!("{before}{}{after}", &text[at..at + len]).replace(['\n', '\r'], " ")
}

/// Words just before a year that make it a comparison or a range, not the
/// report year: 较2024年, 比2024年, 与2024年, 自2024年, 至2024年.
const BEFORE_OK: &[char] = &[
    '较', '比', '与', '同', '至', '自', '从', '于', '到', '—', '-', '~', '～', '和', '及', '、',
];
/// Words just after "2024年" that make it a date, a carry-over or a period
/// that is not the report year: 2024年结转, 2024年12月31日, 2024年以来.
const AFTER_OK: &[&str] = &[
    "结转",
    "以来",
    "同期",
    "底",
    "末",
    "相比",
    "比较",
    "的",
    "上半年",
    "下半年",
];

/// Words of a plan: a following year written with them is no mistake.
const PLAN_WORDS: &[&str] = &["将", "拟", "计划", "力争", "预计"];

/// R15: a year just before or after the report year used as the report
/// year ("2024年，本机关共收到…" in a 2025 report), left over from last
/// year's text. Comparisons, ranges, dates, carry-overs are left alone.
pub fn check_r15(r: &Report, out: &mut Vec<Finding>) {
    let y = r.meta.year;
    if y == 0 {
        return;
    }
    let mut places = Vec::new();
    let mut cells = Vec::new();
    for (id, name, text) in parts(r) {
        let text = crate::cell::fold_width(&text);
        for other in [y - 1, y + 1] {
            let w = format!("{other}年");
            for (at, _) in text.match_indices(&w) {
                let before = text[..at].chars().next_back();
                let prev_digit = before.is_some_and(|c| c.is_ascii_digit());
                let after = &text[at + w.len()..];
                let date = after.chars().next().is_some_and(|c| c.is_ascii_digit());
                // Next year in a plan ("2026年我局将…") is next year.
                let plan = other > y && {
                    let soon: String = after.chars().take(16).collect();
                    PLAN_WORDS.iter().any(|w| soon.contains(w))
                };
                let legit = prev_digit
                    || plan
                    || before.is_some_and(|c| BEFORE_OK.contains(&c))
                    || text[..at].ends_with("上年")
                    || date
                    || AFTER_OK.iter().any(|a| after.starts_with(a))
                    || after.starts_with("度结转");
                if !legit {
                    places.push(format!("{name}：“{}”", around(&text, at, w.len())));
                    if !cells.contains(&id) {
                        cells.push(id);
                    }
                }
            }
        }
    }
    if places.is_empty() {
        return;
    }
    let shown: Vec<String> = places.iter().take(5).cloned().collect();
    out.push(Finding::new(
        "R15",
        Severity::Warning,
        cells.into_iter().map(String::from).collect(),
        format!(
            "本报告为 {y} 年度，正文中有 {} 处把其他年份当作本年度来写，可能是沿用了上年的文字：{}{}",
            places.len(),
            shown.join("；"),
            if places.len() > 5 { "……" } else { "" }
        ),
    ));
}

fn total(r: &Report, table: TableId, row: &str, col: &str) -> Option<Decimal> {
    r.tables.value(schema::idx(table, row, col)).decimal()
}

/// The first place one of `words` appears in a part, if any.
fn said(
    parts: &[(&'static str, &'static str, String)],
    words: &[&str],
) -> Option<(&'static str, &'static str, String)> {
    parts.iter().find_map(|(id, name, t)| {
        let t = crate::cell::fold_width(t);
        words
            .iter()
            .find_map(|w| t.find(w).map(|at| (*id, *name, around(&t, at, w.len()))))
    })
}

/// "未收到…申请" within a few characters: a sentence saying nothing came.
fn said_none_received(
    parts: &[(&'static str, &'static str, String)],
) -> Option<(&'static str, &'static str, String)> {
    parts.iter().find_map(|(id, name, t)| {
        let t = crate::cell::fold_width(t);
        ["未收到", "没有收到", "未接到", "无"].iter().find_map(|w| {
            t.match_indices(w).find_map(|(at, _)| {
                let rest: String = t[at + w.len()..].chars().take(14).collect();
                let hit = rest.contains("申请")
                    && !rest.contains("复议")
                    && !rest.contains("诉讼")
                    && (*w != "无"
                        || rest.starts_with("政府信息公开申请")
                        || rest.starts_with("依申请"));
                hit.then(|| (*id, *name, around(&t, at, w.len())))
            })
        })
    })
}

/// R16: sentences that contradict the tables: 均已办结 while requests are
/// carried forward; 未收到申请 while 本年新收 > 0; no 复议/诉讼 while 表四
/// has a case; 未收取信息处理费 while the text reports a fee.
pub fn check_r16(r: &Report, out: &mut Vec<Finding>) {
    let ps = parts(r);
    let zero = Decimal::ZERO;
    let mut push =
        |place: (&'static str, &'static str, String), cells: Vec<String>, what: String| {
            let mut c = vec![place.0.to_string()];
            c.extend(cells);
            out.push(Finding::new(
                "R16",
                Severity::Warning,
                c,
                format!("{}写“{}”，{what}", place.1, place.2),
            ));
        };
    let forward = total(r, TableId::Requests, "carried_forward", "total");
    if let Some(n) = forward.filter(|n| *n > zero)
        && let Some(p) = said(
            &ps,
            &[
                "均已办结",
                "全部办结",
                "已全部办结",
                "均已答复",
                "已全部答复",
                "全部予以答复",
                "均已按时办结",
                "全部按时办结",
            ],
        )
    {
        push(
            p,
            vec![schema::cell_id(
                TableId::Requests,
                "carried_forward",
                "total",
            )],
            format!("但表三中结转下年度继续办理为 {n} 件"),
        );
    }
    let new = total(r, TableId::Requests, "new", "total");
    if let Some(n) = new.filter(|n| *n > zero)
        && let Some(p) = said_none_received(&ps)
    {
        push(
            p,
            vec![schema::cell_id(TableId::Requests, "new", "total")],
            format!("但表三中本年新收申请为 {n} 件"),
        );
    }
    let cases: Decimal = schema::APPEAL_BLOCKS
        .iter()
        .filter_map(|b| total(r, TableId::Appeals, b.id, "total"))
        .sum();
    if cases > zero
        && let Some(p) = said(
            &ps,
            &[
                "未发生行政复议",
                "未发生政府信息公开行政复议",
                "没有发生行政复议",
                "未发生行政诉讼",
                "未发生复议",
                "未发生诉讼",
                "无行政复议",
                "未被申请行政复议",
                "未发生因政府信息公开引起的行政复议",
                "未发生因政府信息公开工作被申请行政复议",
            ],
        )
    {
        push(
            p,
            vec![schema::cell_id(TableId::Appeals, "review", "total")],
            format!("但表四中有 {cases} 件行政复议、行政诉讼"),
        );
    }
    // A fee reported in one place and denied in another.
    let none = said(
        &ps,
        &[
            "未收取信息处理费",
            "未收取任何信息处理费",
            "没有收取信息处理费",
            "不收取信息处理费",
        ],
    );
    let fee = ps.iter().find_map(|(_, name, t)| {
        let t = crate::cell::fold_width(t);
        t.match_indices("信息处理费").find_map(|(at, _)| {
            let rest: String = t[at..].chars().take(16).collect();
            let amount = rest
                .chars()
                .skip_while(|c| !c.is_ascii_digit())
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect::<String>();
            let reported = !amount.is_empty()
                && amount.parse::<f64>().is_ok_and(|v| v > 0.0)
                && rest.contains('元')
                && !t[..at].ends_with('未');
            reported.then(|| format!("{name}中“{}”", around(&t, at, "信息处理费".len())))
        })
    });
    if let (Some(p), Some(f)) = (none, fee) {
        push(p, vec![], format!("但{f}报告收取了信息处理费"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(year: i32, overview: &str) -> Report {
        let mut r = crate::sample::example_report();
        r.meta.year = year;
        r.narrative.overview = overview.into();
        r.narrative.overview_subs.clear();
        r.narrative.problems = "本年度政府信息公开工作仍存在一些不足，下一步将加强培训。".into();
        r.narrative.other = "本年度未收取信息处理费。".into();
        r.narrative.preamble =
            "本报告中所列数据的统计期限自2025年1月1日起至2025年12月31日止。".into();
        r
    }

    fn r15(r: &Report) -> Vec<Finding> {
        let mut out = Vec::new();
        check_r15(r, &mut out);
        out
    }

    #[test]
    fn the_wrong_year_as_the_report_year_is_found() {
        for s in [
            "2024年，本机关共收到政府信息公开申请12件。",
            "2024年度主动公开政府信息3000余条。",
            "本单位2024年通过门户网站发布信息。",
            "2026年，我局持续深化政务公开。",
        ] {
            let f = r15(&report(2025, s));
            assert_eq!(f.len(), 1, "{s}");
            assert!(
                f[0].message.contains("2025 年度") && f[0].cells == ["narrative.overview"],
                "{}",
                f[0].message
            );
        }
    }

    #[test]
    fn legitimate_mentions_of_other_years_are_left_alone() {
        for s in [
            "2025年，本机关共收到申请12件，较2024年增加3件。",
            "与2024年相比，申请数量有所下降。",
            "上年2024年结转的申请已全部办结。",
            "2024年结转的2件申请已于1月办结。",
            "统计期限为2024年12月1日至2025年11月30日。",
            "自2024年以来，本机关持续推进公开。",
            "2023-2024年度的政策解读已归档。",
            "比2024年同期下降10%。",
            "针对上述问题，2026年我局将采取以下措施。",
            "2026年，本机关将继续深化政务公开。",
        ] {
            assert!(
                r15(&report(2025, s)).is_empty(),
                "{s}: {:#?}",
                r15(&report(2025, s))
            );
        }
    }

    fn r16(r: &Report) -> Vec<Finding> {
        let mut out = Vec::new();
        check_r16(r, &mut out);
        out
    }

    #[test]
    fn sentences_that_contradict_the_tables() {
        let mut r = report(2025, "本年度收到的申请均已办结。");
        r.tables.set(
            schema::idx(TableId::Requests, "carried_forward", "natural_person"),
            crate::cell::Cell::Count(6),
        );
        let f = r16(&r);
        assert!(
            f.iter()
                .any(|f| f.message.contains("均已办结") && f.message.contains("6 件")),
            "{f:#?}"
        );

        let r = report(2025, "本年度未收到政府信息公开申请。");
        let f = r16(&r);
        assert!(
            f.iter()
                .any(|f| f.message.contains("未收到") && f.message.contains("本年新收")),
            "{f:#?}"
        );

        let r = report(2025, "本年度未发生行政复议、行政诉讼案件。");
        let f = r16(&r);
        assert!(f.iter().any(|f| f.message.contains("表四")), "{f:#?}");

        let mut r = report(2025, "本年度依法收取信息处理费120元。");
        r.narrative.other = "本年度未收取信息处理费。".into();
        let f = r16(&r);
        assert!(
            f.iter().any(|f| f.message.contains("收取了信息处理费")),
            "{f:#?}"
        );
    }

    #[test]
    fn agreeing_sentences_raise_nothing() {
        let mut r = crate::sample::example_report();
        r.narrative.overview =
            "本年度收到的申请均已按时答复，未发生因政府信息公开引起的行政复议。".into();
        // The sample carries 0 forward? Make it so, and clear 表四.
        for row in ["carried_forward"] {
            for c in schema::REQUEST_COLUMNS.iter().filter(|c| !c.derived) {
                r.tables.set(
                    schema::idx(TableId::Requests, row, c.id),
                    crate::cell::Cell::Count(0),
                );
            }
        }
        for b in schema::APPEAL_BLOCKS.iter() {
            for c in schema::APPEAL_COLUMNS.iter().filter(|c| !c.derived) {
                r.tables.set(
                    schema::idx(TableId::Appeals, b.id, c.id),
                    crate::cell::Cell::Count(0),
                );
            }
        }
        r.narrative.other = "本年度未收取信息处理费。".into();
        assert!(r16(&r).is_empty(), "{:#?}", r16(&r));
        // "无" not about requests: no finding.
        let r = report(2025, "本年度无重大政务舆情，收到申请12件。");
        assert!(
            r16(&r).iter().all(|f| !f.message.contains("未收到")),
            "{:#?}",
            r16(&r)
        );
    }
}
