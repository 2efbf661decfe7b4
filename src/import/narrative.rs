//! Finding the section headings, the title, the meta, and the narrative.

use super::lines::Line;
use super::tables::norm;
use crate::report::{Narrative, Subsection};
use crate::schema::{SECTIONS, SectionId};

/// Page furniture that is not part of the report.
const CHROME: &[&str] = &[
    "索引号",
    "信息索取号",
    "发布机构",
    "生成日期",
    "发布日期",
    "信息类别",
    "公开方式",
    "公开时限",
    "公开范围",
    "字号",
    "扫一扫",
    "打印本页",
    "关闭窗口",
    "未经许可",
    "禁止转载",
    "浏览次数",
    "访问量",
    "版权所有",
    "网站标识码",
    "ICP备",
    "主办单位",
    "网站地图",
    "当前位置",
    "【打印】",
    "【关闭】",
    "分享到",
];

pub fn is_chrome(line: &str) -> bool {
    let n = line.chars().count();
    (n < 200 && CHROME.iter().any(|c| line.contains(c)))
        || (n < 12 && (line == "首页" || line == "|"))
}

const NUMERALS: [&str; 6] = ["一", "二", "三", "四", "五", "六"];

/// Table row labels that also start with a numeral and must not be taken for headings.
const ROW_LABEL_WORDS: [&str; 4] = ["本年新收", "上年结转", "本年度办理结果", "结转下年度"];

fn heading_text(line: &str) -> String {
    line.trim_matches(|c: char| c.is_whitespace() || c == '|' || c == '\u{a0}')
        .to_string()
}

fn starts_with_numeral(text: &str, numeral: &str) -> bool {
    let Some(rest) = text.strip_prefix(numeral) else {
        return false;
    };
    rest.starts_with(['、', '.', '．', '，', ',', ' ', '\u{3000}']) || rest.starts_with("部分")
}

/// Line indexes of the headings 一 to 六, found in order. A misspelt heading
/// is matched by its numeral when its words are not found.
pub fn find_headings(lines: &[Line]) -> [Option<usize>; 6] {
    let mut out = [None; 6];
    let mut from = 0;
    for (k, s) in SECTIONS.iter().enumerate() {
        let candidate = |i: usize, by_keyword: bool| {
            let t = heading_text(&lines[i].text);
            if t.chars().count() > 40 || lines[i].cells.as_ref().is_some_and(|c| c.len() > 1) {
                return false;
            }
            let t = t.trim_start_matches(['第']);
            if !starts_with_numeral(t, NUMERALS[k]) || ROW_LABEL_WORDS.iter().any(|w| t.contains(w))
            {
                return false;
            }
            !by_keyword || s.keywords.iter().any(|kw| t.contains(kw))
        };
        let found = (from..lines.len())
            .find(|&i| candidate(i, true))
            .or_else(|| (from..lines.len()).find(|&i| candidate(i, false)));
        if let Some(i) = found {
            out[k] = Some(i);
            from = i + 1;
        }
    }
    out
}

/// The four-digit year a text ends with ("…2025" → 2025).
fn year_at_end(text: &str) -> Option<i32> {
    let digits: String = text
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    if digits.len() != 4 {
        return None;
    }
    digits.chars().rev().collect::<String>().parse().ok()
}

/// "{agency}{year}年(度)政府信息公开工作年度报告" inside a text.
fn title_in(text: &str) -> Option<(String, i32, usize)> {
    const TAIL: &str = "政府信息公开工作年度报告";
    let pos = text.find(TAIL)?;
    let before = &text[..pos];
    let before = before
        .strip_suffix("年度")
        .or_else(|| before.strip_suffix('年'))?;
    let year = year_at_end(before)?;
    let agency_part = &before[..before.len() - 4];
    Some((agency_part.to_string(), year, pos))
}

/// The agency name at the end of a longer text: after the last verb or punctuation.
fn agency_tail(s: &str) -> String {
    let mut start = 0;
    for marker in [
        "公布", "发布", "现将", "编制", "印发", "，", "。", "》", ",", "、", "：", ":", " ",
    ] {
        if let Some(i) = s.rfind(marker) {
            start = start.max(i + marker.len());
        }
    }
    s[start..].trim().to_string()
}

pub struct Meta {
    pub agency: Option<String>,
    pub year: Option<i32>,
    /// Line index of the title, if the report has one.
    pub title_line: Option<usize>,
    /// The places the year is written disagree: which one was used.
    pub year_note: Option<String>,
}

/// Agency and year: from the title, else from the preamble.
pub fn find_meta(lines: &[Line], first_heading: usize) -> Meta {
    let mut meta = Meta {
        agency: None,
        year: None,
        title_line: None,
        year_note: None,
    };
    let squeeze = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != '|')
            .collect()
    };
    for (i, l) in lines[..first_heading].iter().enumerate() {
        // PDF text may break the title with spaces, or over two lines
        // (agency on the first, "YYYY年…报告" on the second).
        let mut t = squeeze(&l.text);
        if title_in(&t).is_none()
            && let Some(next) = lines[..first_heading].get(i + 1)
            && t.chars().count() <= 40
        {
            let joined = t.clone() + &squeeze(&next.text);
            if title_in(&joined).is_some_and(|(a, _, _)| !a.is_empty()) {
                t = joined;
            }
        }
        if t.chars().count() <= 80
            && let Some((agency, year, _)) = title_in(&t)
        {
            let agency = agency_tail(&agency);
            if !agency.is_empty() {
                meta.agency = Some(agency);
            }
            meta.year = Some(year);
            meta.title_line = Some(i);
        }
    }
    let pre: String = lines[..first_heading]
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    if meta.agency.is_none() {
        if let Some((agency, year, _)) = title_in(&pre) {
            let a = agency_tail(&agency);
            if !a.is_empty() {
                meta.agency = Some(a);
            }
            meta.year.get_or_insert(year);
        } else if let Some(i) = pre.find("汇总") {
            let rest = &pre[i + "汇总".len()..];
            let end = ["各有关单位", "各单位", "所属", "各部门"]
                .iter()
                .filter_map(|m| rest.find(m))
                .min();
            if let Some(end) = end.filter(|&e| e > 0 && e < 90) {
                meta.agency = Some(rest[..end].to_string());
            }
        }
    }
    // The year is written in several places; each is a witness.
    let title_year = meta.year.take();
    let all: String = lines
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let mut witnesses: Vec<(&'static str, i32)> = Vec::new();
    witnesses.extend(title_year.map(|y| ("标题", y)));
    for (what, y) in year_witnesses(&squeeze(&crate::cell::fold_width(&pre)))
        .into_iter()
        .chain(year_witnesses(&squeeze(&crate::cell::fold_width(&all))))
    {
        if !witnesses.iter().any(|w| w.0 == what) {
            witnesses.push((what, y));
        }
    }
    witnesses.retain(|(_, y)| crate::report::YEARS.contains(y));
    // The statistical period says what the numbers cover, so it wins over
    // a title that may have been copied from last year's report.
    let chosen = witnesses
        .iter()
        .find(|w| w.0 == "统计期限")
        .or_else(|| witnesses.first())
        .copied();
    meta.year = chosen.map(|c| c.1);
    if let Some((used, y)) = chosen {
        let other: Vec<String> = witnesses
            .iter()
            .filter(|w| w.1 != y)
            .map(|(what, oy)| format!("{what}为 {oy} 年"))
            .collect();
        if !other.is_empty() {
            meta.year_note = Some(format!(
                "报告中的年度不一致：{}，{used}为 {y} 年；已采用{used}中的 {y} 年，请核对",
                other.join("，")
            ));
        }
    }
    meta
}

/// Years a text states outside its title, each with where it was found:
/// "统计期限为2025年1月1日至2025年12月31日" and "自…起至…止" (统计期限),
/// "截至2025年12月31日" (截至), "2025年度…报告" (年度报告).
fn year_witnesses(text: &str) -> Vec<(&'static str, i32)> {
    let year_before = |end: usize| year_at_end(&text[..end]);
    let mut out = Vec::new();
    for (i, _) in text.match_indices("年12月31日") {
        let Some(y) = year_before(i) else { continue };
        let start = i.saturating_sub(60);
        let start = (start..i).find(|&k| text.is_char_boundary(k)).unwrap_or(i);
        let before = &text[start..i];
        if before.contains("1月1日") && !out.iter().any(|w: &(&str, i32)| w.0 == "统计期限") {
            out.push(("统计期限", y));
        } else if (before.ends_with(&format!("截至{y}")) || before.ends_with(&format!("截止{y}")))
            && !out.iter().any(|w: &(&str, i32)| w.0 == "截至")
        {
            out.push(("截至", y));
        }
    }
    for (i, _) in text.match_indices("年度") {
        let Some(y) = year_before(i) else { continue };
        let after: String = text[i..].chars().take(30).collect();
        if after.contains("报告") {
            out.push(("年度报告", y));
            break;
        }
    }
    out
}

fn is_subheading(t: &str) -> bool {
    let n = norm(t);
    let Some(rest) = n.strip_prefix('(') else {
        return false;
    };
    let close = rest.find(')').unwrap_or(0);
    close > 0
        && rest[..close]
            .chars()
            .all(|c| "一二三四五六七八九十".contains(c))
        && t.chars().count() <= 40
        && !t.contains('。')
}

fn join(lines: &[Line]) -> String {
    lines
        .iter()
        .map(|l| heading_text(&l.text))
        .filter(|t| !t.is_empty() && !is_chrome(t))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Where section `k` ends: at the next heading found, else at the end.
pub fn section_end(h: &[Option<usize>; 6], k: usize, len: usize) -> usize {
    h[k + 1..].iter().flatten().next().copied().unwrap_or(len)
}

/// Build the narrative from the lines and the heading positions.
pub fn narrative(lines: &[Line], h: &[Option<usize>; 6], start: usize) -> Narrative {
    let end_of = |k: usize| section_end(h, k, lines.len());
    let section = |id: SectionId| {
        let k = SECTIONS.iter().position(|s| s.id == id).unwrap_or(0);
        h[k].map(|i| &lines[i + 1..end_of(k)]).unwrap_or(&[])
    };
    let first = h.iter().flatten().next().copied().unwrap_or(lines.len());
    let mut n = Narrative {
        preamble: join(&lines[start.min(first)..first]),
        ..Narrative::default()
    };
    // 一: intro, then sub-sections by their （一）… headings.
    let mut subs: Vec<Subsection> = Vec::new();
    let mut intro = Vec::new();
    for l in section(SectionId::Overview) {
        let t = heading_text(&l.text);
        if t.is_empty() || is_chrome(&t) {
            continue;
        }
        if is_subheading(&t) {
            subs.push(Subsection {
                heading: t,
                text: String::new(),
            });
        } else if let Some(s) = subs.last_mut() {
            if !s.text.is_empty() {
                s.text.push('\n');
            }
            s.text.push_str(&t);
        } else {
            intro.push(t);
        }
    }
    n.overview = intro.join("\n");
    n.overview_subs = subs;
    n.problems = join(section(SectionId::Problems));
    n.other = join(section(SectionId::Other));
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_agencies() {
        assert_eq!(
            title_in("浔阳区人民政府2023年政府信息公开工作年度报告").map(|t| (t.0, t.1)),
            Some(("浔阳区人民政府".into(), 2023))
        );
        let (a, y, _) =
            title_in("结合我局实际,编制并向社会公布罗庄区民政局2023年度政府信息公开工作年度报告。")
                .unwrap();
        assert_eq!((agency_tail(&a).as_str(), y), ("罗庄区民政局", 2023));
        assert!(title_in("《中华人民共和国政府信息公开工作年度报告格式》").is_none());
    }

    #[test]
    fn headings_skip_table_rows() {
        let lines: Vec<Line> = [
            "一、总体情况",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "一、本年新收政府信息公开申请数量 |",
            "四、结转下年度继续办理 |",
            "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
            "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项",
        ]
        .iter()
        .map(|s| Line::plain(s.to_string()))
        .collect();
        assert_eq!(
            find_headings(&lines),
            [Some(0), Some(1), Some(2), Some(5), Some(6), Some(7)]
        );
    }

    #[test]
    fn misspelt_heading_found_by_numeral() {
        let lines: Vec<Line> = ["一、总休情况", "正文", "二、主动公开政府信息情况"]
            .iter()
            .map(|s| Line::plain(s.to_string()))
            .collect();
        assert_eq!(find_headings(&lines)[..2], [Some(0), Some(2)]);
    }
}
