//! R19: the six sections as the format wants them, read from a received
//! report's own headings. Scoring rules deduct for "未按照要素撰写": a
//! sub-topic of 一 (平台建设情况…) numbered as a section of its own, the
//! legal sections shifted by one ("一、主动公开政府信息情况"), two
//! numbering systems mixed, a section missing. The editor's headings are
//! fixed, so this runs on imported reports only (import, check, review).

use super::lines::Line;
use crate::check::{Finding, Severity};
use crate::schema::{OVERVIEW_SUBHEADINGS, SECTIONS};

const CHINESE: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/// How a heading is numbered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    /// 一、
    Chinese,
    /// （一）
    Bracketed,
    /// 1. or 1、
    Arabic,
}

impl Style {
    fn label(self) -> &'static str {
        match self {
            Style::Chinese => "“一、”",
            Style::Bracketed => "“（一）”",
            Style::Arabic => "“1.”",
        }
    }
}

/// A short line that opens with a number: its number, style and words.
fn numbered(line: &Line) -> Option<(usize, Style, String)> {
    if line.cells.as_ref().is_some_and(|c| c.len() > 1) {
        return None;
    }
    let t = line.text.trim();
    if t.chars().count() > 40 {
        return None;
    }
    numbering(t)
}

/// Does this text open the way the format numbers a heading or a table
/// row (一、 / （二） / 3. / 3、)? The table readers use it to tell a row
/// of its own from a wrapped label's next line.
pub(crate) fn opens_numbered(t: &str) -> bool {
    numbering(t.trim()).is_some()
}

/// The number, style and words of text that opens with a number.
fn numbering(t: &str) -> Option<(usize, Style, String)> {
    let folded = crate::cell::fold_width(t);
    for (i, n) in CHINESE.iter().enumerate() {
        if let Some(rest) = t.strip_prefix(n)
            && let Some(words) = rest.strip_prefix('、')
        {
            return Some((i + 1, Style::Chinese, words.to_string()));
        }
        for (open, close) in [("（", "）"), ("(", ")")] {
            if let Some(words) = t
                .strip_prefix(open)
                .and_then(|r| r.strip_prefix(n))
                .and_then(|r| r.strip_prefix(close))
            {
                return Some((i + 1, Style::Bracketed, words.to_string()));
            }
        }
    }
    let digits: String = folded.chars().take_while(|c| c.is_ascii_digit()).collect();
    // "4、" as well as "4.": the mark is one character, not one byte.
    let after = folded[digits.len()..]
        .strip_prefix('.')
        .or_else(|| folded[digits.len()..].strip_prefix('、'));
    if let Some(after) = after
        && !digits.is_empty()
        && digits.len() <= 2
        && !after.starts_with(|c: char| c.is_ascii_digit())
    {
        let n = digits.parse().ok()?;
        return Some((
            n,
            Style::Arabic,
            after.trim_start_matches(['.', '、']).to_string(),
        ));
    }
    None
}

/// Which of the six sections a heading's words name: its words as the
/// format writes them (四 also in its older wording, 因…被申请行政复议、
/// 提起行政诉讼情况), not a sub-topic that shares a keyword.
fn section_named(words: &str) -> Option<usize> {
    let w = crate::text::norm(words);
    SECTIONS.iter().position(|s| {
        let full = crate::text::norm(s.heading.split_once('、').map_or(s.heading, |h| h.1));
        w == full
            || s.keywords.len() == 2
                && s.keywords.iter().all(|k| w.contains(k))
                && w.ends_with("情况")
    })
}

/// Is this heading one of 一's sub-topics (主动公开情况 …)?
fn sub_topic(words: &str) -> Option<&'static str> {
    let w = crate::text::norm(words);
    OVERVIEW_SUBHEADINGS.iter().find_map(|s| {
        let core = s.split_once('）').map_or(*s, |x| x.1);
        (w == crate::text::norm(core)).then_some(core)
    })
}

/// R19 findings from the lines and the headings the importer found.
pub fn findings(lines: &[Line], h: &[Option<usize>; 6]) -> Vec<Finding> {
    let mut out = Vec::new();
    let warn = |msg: String| {
        Finding::new(
            "R19",
            Severity::Warning,
            vec![crate::check::part::OVERVIEW.into()],
            msg,
        )
    };
    let heads: Vec<(usize, Style, String)> = lines.iter().filter_map(numbered).collect();
    // A sub-topic of 一 numbered like a section of its own.
    for (n, style, words) in &heads {
        if *style == Style::Chinese
            && let Some(core) = sub_topic(words)
        {
            out.push(warn(format!(
                "“{}、{words}”是“一、总体情况”下的小标题，应写作“（{}）{core}”，不应编为一级标题",
                CHINESE[n - 1],
                CHINESE[OVERVIEW_SUBHEADINGS
                    .iter()
                    .position(|s| s.contains(core))
                    .unwrap_or(0)]
            )));
        }
    }
    // A legal section under another number.
    for (n, style, words) in &heads {
        if let Some(k) = section_named(words)
            && *n != k + 1
            && *style == Style::Chinese
            && sub_topic(words).is_none()
        {
            out.push(warn(format!(
                "标题“{}、{words}”的序号不对，按格式应为“{}”",
                CHINESE[n - 1],
                SECTIONS[k].heading
            )));
        }
    }
    // Two numbering systems for the six sections.
    let styles: Vec<Style> = heads
        .iter()
        .filter(|(_, _, w)| section_named(w).is_some() && sub_topic(w).is_none())
        .map(|x| x.1)
        .collect();
    if let Some(first) = styles.first()
        && let Some(other) = styles.iter().find(|s| *s != first)
    {
        out.push(warn(format!(
            "六个部分的标题混用了{}和{}两种编号，应统一写作“一、”“二、”……",
            first.label(),
            other.label()
        )));
    }
    // A missing section, in a report whose other sections are there.
    if h.iter().flatten().count() >= 4 {
        for (k, s) in SECTIONS.iter().enumerate() {
            if h[k].is_none() && !out.iter().any(|f| f.message.contains(s.heading)) {
                out.push(warn(format!(
                    "没有“{}”这一部分（或其标题与格式要求不同），请按格式补齐",
                    s.heading
                )));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Line> {
        text.lines().map(|l| Line::plain(l.to_string())).collect()
    }

    fn r19(text: &str) -> Vec<String> {
        let ls = lines(text);
        let h = super::super::narrative::find_headings(&ls);
        findings(&ls, &h).into_iter().map(|f| f.message).collect()
    }

    const GOOD: &str = "一、总体情况\n（一）主动公开情况\n正文。\n（二）依申请公开情况\n正文。\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项";

    #[test]
    fn the_format_as_it_should_be_raises_nothing() {
        assert!(r19(GOOD).is_empty(), "{:#?}", r19(GOOD));
    }

    #[test]
    fn a_sub_topic_numbered_as_a_section() {
        let t = GOOD.replace("（二）依申请公开情况", "二、依申请公开情况");
        let f = r19(&t);
        assert!(
            f.iter()
                .any(|m| m.contains("小标题") && m.contains("（二）依申请公开情况")),
            "{f:#?}"
        );
    }

    #[test]
    fn the_legal_sections_shifted_by_one() {
        let t = "总体情况\n一、主动公开政府信息情况\n二、收到和处理政府信息公开申请情况\n三、政府信息公开行政复议、行政诉讼情况\n四、存在的主要问题及改进情况\n五、其他需要报告的事项";
        let f = r19(t);
        assert!(
            f.iter()
                .any(|m| m.contains("序号不对") && m.contains("二、主动公开政府信息情况")),
            "{f:#?}"
        );
    }

    #[test]
    fn two_numbering_systems_mixed_and_a_missing_section() {
        let t = GOOD.replace("五、存在的主要问题及改进情况", "5.存在的主要问题及改进情况");
        let f = r19(&t);
        assert!(f.iter().any(|m| m.contains("混用")), "{f:#?}");
        // "5、" as the mark (a three-byte character) reads like "5." (the
        // fuzz harness found it panicking).
        let t = GOOD.replace(
            "五、存在的主要问题及改进情况",
            "5、存在的主要问题及改进情况",
        );
        let f = r19(&t);
        assert!(f.iter().any(|m| m.contains("混用")), "{f:#?}");
        let t = GOOD.replace("四、政府信息公开行政复议、行政诉讼情况\n", "");
        let f = r19(&t);
        assert!(
            f.iter()
                .any(|m| m.contains("没有“四、政府信息公开行政复议、行政诉讼情况”")),
            "{f:#?}"
        );
    }
}
