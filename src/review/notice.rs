//! The 通报: a draft circular on the batch, in 公文 layout, that a
//! reviewer edits rather than writes: a title, one paragraph of totals,
//! then tables of the units to fix with their main problems, the missing
//! and late units, and repetition with last year and between units. Every
//! number comes from the same [`Batch`] as the page and the CSV.

use super::{Batch, SECTIONS, Verdict};
use crate::check::Severity;
use crate::export::docx::{Plain, plain_docx};

/// A unit's main problems in a few words: its rules, most frequent first.
fn main_problems(e: &super::Entry) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for f in e
        .standing()
        .filter(|f| f.severity == Severity::Error && !f.from_reading())
    {
        let name = rule_name(f.rule);
        match counts.iter_mut().find(|(n, _)| *n == name) {
            Some((_, c)) => *c += 1,
            None => counts.push((name, 1)),
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    counts
        .iter()
        .take(4)
        .map(|(n, c)| {
            if *c > 1 {
                format!("{n}（{c} 处）")
            } else {
                n.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("；")
}

/// What a rule is about, in a few words.
pub fn rule_name(rule: &str) -> &'static str {
    match rule {
        "R1" => "表三勾稽关系不平衡",
        "R2" => "办理结果总计不符",
        "R3" => "行总计不符",
        "R4" => "复议诉讼总计不符",
        "R5" => "数字填写不规范",
        "R6" => "表格有空白",
        "R7" => "收费金额异常",
        "R8" => "上年结转与上年报告不衔接",
        "R9" => "现行有效件数不衔接",
        "R10" => "正文数字与表格不一致",
        "R11" => "与上年雷同或内容空泛",
        "R12" => "未报告信息处理费",
        "R13" => "总体情况篇幅过长",
        "R14" => "“其他”占比偏高",
        "R15" => "年份写错",
        "R16" => "正文与表格矛盾",
        "R17" => "与其他单位雷同",
        "R18" => "汇总数不符",
        "R19" => "未按格式要素撰写",
        "IMPORT" => "读取问题",
        _ => "其他问题",
    }
}

/// The 通报 as blocks.
pub fn blocks(b: &Batch, reviewer: &str) -> Vec<Plain> {
    // The year most of the batch reports on: one unit that sent last
    // year's file by mistake does not retitle the 通报.
    let mut years = std::collections::BTreeMap::new();
    for y in b
        .entries
        .iter()
        .map(|e| e.report.meta.year)
        .filter(|y| *y > 0)
    {
        *years.entry(y).or_insert(0usize) += 1;
    }
    let year = years
        .iter()
        .max_by_key(|(y, n)| (**n, **y))
        .map(|(y, _)| format!("{y}年度"))
        .unwrap_or_default();
    let n = |v: Verdict| b.entries.iter().filter(|e| e.verdict == v).count();
    let mut out = vec![Plain::Title(format!(
        "关于{year}政府信息公开工作年度报告审核情况的通报"
    ))];
    out.push(Plain::Paragraph(format!(
        "按照政府信息公开工作年度报告的有关要求，{reviewer}对各单位报送的{year}政府信息公开工作年度报告进行了审核。共收到报告 {} 份，其中审核通过 {} 份，需修改 {} 份，需人工核对原件 {} 份，无法读取 {} 份{}{}。现将审核情况通报如下。",
        b.entries.len(),
        n(Verdict::Pass),
        n(Verdict::NeedsFix),
        n(Verdict::ManualCheck),
        n(Verdict::Unreadable),
        if b.missing.is_empty() { String::new() } else { format!("；未报送 {} 个单位", b.missing.len()) },
        if b.late.is_empty() { String::new() } else { format!("；逾期报送 {} 个单位", b.late.len()) },
    )));
    let mut k = 0;
    let mut section = |out: &mut Vec<Plain>, title: &str| {
        k += 1;
        out.push(Plain::Heading(format!(
            "{}、{title}",
            ["一", "二", "三", "四", "五", "六", "七"][k - 1]
        )));
    };
    let fix: Vec<&super::Entry> = b
        .entries
        .iter()
        .filter(|e| e.verdict == Verdict::NeedsFix)
        .collect();
    if !fix.is_empty() {
        section(&mut out, "需要修改的报告");
        out.push(Plain::Paragraph(
            "以下单位的报告存在错误，请对照审核意见（带批注的 Word 文件）修改后重新报送。".into(),
        ));
        let mut rows = vec![vec![
            "序号".into(),
            "单位".into(),
            "错误".into(),
            "主要问题".into(),
        ]];
        for (i, e) in fix.iter().enumerate() {
            let errors = e
                .standing()
                .filter(|f| f.severity == Severity::Error && !f.from_reading())
                .count();
            rows.push(vec![
                (i + 1).to_string(),
                e.unit(),
                errors.to_string(),
                main_problems(e),
            ]);
        }
        out.push(Plain::Grid(rows));
    }
    let manual: Vec<&super::Entry> = b
        .entries
        .iter()
        .filter(|e| matches!(e.verdict, Verdict::ManualCheck | Verdict::Unreadable))
        .collect();
    if !manual.is_empty() {
        section(&mut out, "需要核对原件或重新报送的报告");
        out.push(Plain::Paragraph("以下报告未能完整读取，问题可能在读取环节而非报告本身，已人工核对原件后再作结论；无法读取的请报送可编辑的 Word 版。".into()));
        let mut rows = vec![vec!["单位".into(), "情况".into()]];
        for e in manual {
            let why = e.error.clone().unwrap_or_else(|| {
                format!(
                    "读取时有 {} 处没有把握",
                    e.standing()
                        .filter(|f| f.from_reading() && f.severity == Severity::Error)
                        .count()
                )
            });
            rows.push(vec![e.unit(), crate::text::clip(&why)]);
        }
        out.push(Plain::Grid(rows));
    }
    if !b.missing.is_empty() || !b.late.is_empty() {
        section(&mut out, "未报送和逾期报送的单位");
        let mut rows = vec![vec!["单位".into(), "情况".into()]];
        for u in &b.missing {
            rows.push(vec![u.clone(), "未报送".into()]);
        }
        for (u, d) in &b.late {
            rows.push(vec![
                u.clone(),
                format!(
                    "{d} 报送（截止日期 {}）",
                    b.deadline.as_deref().unwrap_or("")
                ),
            ]);
        }
        out.push(Plain::Grid(rows));
    }
    let repeated: Vec<Vec<String>> = b
        .entries
        .iter()
        .flat_map(|e| {
            SECTIONS
                .iter()
                .zip(&e.repetition)
                .filter_map(move |((name, _), s)| {
                    s.filter(|s| *s > b.threshold)
                        .map(|s| vec![e.unit(), format!("“{name}”部分"), format!("{s:.0}%")])
                })
        })
        .collect();
    if !repeated.is_empty() {
        section(&mut out, "与上年报告雷同的情况");
        out.push(Plain::Paragraph(format!(
            "以下报告的部分内容与上年报告重复率超过 {:.0}%，不符合“不得年年雷同”的要求。",
            b.threshold
        )));
        let mut rows = vec![vec!["单位".into(), "部分".into(), "与上年重复率".into()]];
        rows.extend(repeated);
        out.push(Plain::Grid(rows));
    }
    if !b.between.is_empty() {
        section(&mut out, "单位之间雷同的情况");
        out.push(Plain::Paragraph(format!(
            "以下报告的部分内容与本批其他单位的报告重复率超过 {:.0}%。",
            b.threshold
        )));
        let mut rows = vec![vec![
            "单位".into(),
            "部分".into(),
            "与之雷同的单位".into(),
            "重复率".into(),
        ]];
        for (i, j, part, share, back) in b.similar_pairs() {
            rows.push(vec![
                b.entries[i].unit(),
                format!("“{part}”"),
                b.entries[j].unit(),
                match back {
                    Some(t) => format!("{share:.0}%（相互 {t:.0}%）"),
                    None => format!("{share:.0}%"),
                },
            ]);
        }
        out.push(Plain::Grid(rows));
    }
    section(&mut out, "有关要求");
    out.push(Plain::Paragraph(
        "请需要修改的单位认真对照审核意见逐项整改，按时重新报送；请各单位严格按照年报格式要求撰写，确保数据准确、要素齐备，杜绝年年雷同。".into(),
    ));
    out.push(Plain::Signature(reviewer.to_string()));
    out.push(Plain::Signature(crate::date::today()));
    out
}

/// The 通报 as a Word file.
pub fn docx(b: &Batch, reviewer: &str) -> Vec<u8> {
    plain_docx(&blocks(b, reviewer))
}
