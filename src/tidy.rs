//! 一键排版: tidy narrative text that came from pasting.
//!
//! - half-width punctuation next to Chinese becomes full-width (，。；：？！（）);
//! - spaces between Chinese characters are removed;
//! - a line break inside a sentence (a line that does not end a sentence,
//!   as PDF and web copies leave them) is joined;
//! - runs of blank lines collapse, and paragraphs lose their leading
//!   spaces (the exports add the two-character indent).
//!
//! Tidying twice gives the same text as tidying once.

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
        || ('\u{3000}'..='\u{303f}').contains(&c)
        || ('\u{ff00}'..='\u{ffef}').contains(&c)
        || "“”‘’《》【】…—".contains(c)
}

fn full_width(c: char) -> Option<char> {
    Some(match c {
        ',' => '，',
        ';' => '；',
        ':' => '：',
        '?' => '？',
        '!' => '！',
        '(' => '（',
        ')' => '）',
        _ => return None,
    })
}

/// Is this line a heading such as "一、总体情况", "（一）主动公开情况",
/// "1.属于国家秘密" or "(1)"?
fn is_heading(t: &str) -> bool {
    let numerals = "一二三四五六七八九十";
    let mut c = t.chars();
    let first = c.next();
    let heading = match first {
        Some('（' | '(') => c
            .next()
            .is_some_and(|x| numerals.contains(x) || x.is_ascii_digit()),
        Some(x) if numerals.contains(x) => t.chars().nth(1) == Some('、'),
        Some(x) if x.is_ascii_digit() => t.chars().nth(1).is_some_and(|y| "、.．".contains(y)),
        _ => false,
    };
    heading && t.chars().count() <= 40
}

/// Does a line end a sentence (or is it a heading), so the break after it stays?
fn ends_sentence(line: &str) -> bool {
    let t = line.trim_end();
    t.is_empty()
        || t.ends_with([
            '。', '！', '？', '；', '：', '”', '）', ')', '.', '!', '?', ':', ';',
        ])
        || is_heading(t)
}

/// One line, to a fixed point: converting a mark can make its neighbour
/// "next to Chinese" too, so passes repeat until nothing changes.
fn tidy_line(line: &str) -> String {
    let mut cur = tidy_pass(line);
    for _ in 0..line.chars().count() {
        let next = tidy_pass(&cur);
        if next == cur {
            break;
        }
        cur = next;
    }
    cur
}

fn tidy_pass(line: &str) -> String {
    let chars: Vec<char> = line
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
        .chars()
        .map(|c| if c == '\u{3000}' { ' ' } else { c })
        .collect();
    let mut out = String::with_capacity(line.len());
    for (i, &c) in chars.iter().enumerate() {
        let prev = out.chars().last();
        let next = chars[i + 1..].iter().copied().find(|c| *c != ' ');
        if c == ' ' || c == '\t' || c == '\u{a0}' {
            // Spaces between Chinese (or around full-width punctuation) go.
            if prev.is_some_and(is_cjk) || next.is_some_and(is_cjk) {
                continue;
            }
            if prev == Some(' ') {
                continue;
            }
            out.push(' ');
            continue;
        }
        match full_width(c) {
            Some(fw) if prev.is_some_and(is_cjk) || next.is_some_and(is_cjk) => {
                // "(1)" stays half-width only between ASCII.
                out.push(fw)
            }
            _ => out.push(c),
        }
    }
    out
}

/// Tidy a narrative text.
pub fn tidy(text: &str) -> String {
    let mut paras: Vec<String> = Vec::new();
    let mut cur = String::new();
    for raw in text.lines() {
        let line = tidy_line(raw);
        if line.is_empty() {
            // A blank line ends a paragraph, unless the sentence before it
            // is cut off (copies from PDF put blank lines inside sentences).
            if !cur.is_empty() && ends_sentence(&cur) {
                paras.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if cur.is_empty() {
            cur = line;
        } else if ends_sentence(&cur) {
            paras.push(std::mem::replace(&mut cur, line));
        } else {
            cur.push_str(&line);
        }
    }
    if !cur.is_empty() {
        paras.push(cur);
    }
    // Joining can put a mark next to Chinese: tidy the joined paragraph too.
    paras
        .iter()
        .map(|p| tidy_line(p))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every narrative text of a report, tidied, with the names of the parts
/// that change (for the preview).
pub fn tidy_narrative(n: &crate::report::Narrative) -> (crate::report::Narrative, Vec<String>) {
    let mut out = n.clone();
    let mut changed = Vec::new();
    let mut one = |name: String, text: &mut String| {
        let t = tidy(text);
        if &t != text {
            changed.push(name);
            *text = t;
        }
    };
    one("前言".into(), &mut out.preamble);
    one("一、总体情况".into(), &mut out.overview);
    for sub in &mut out.overview_subs {
        let name = format!("一、{}", sub.heading);
        one(name, &mut sub.text);
    }
    one("五、存在的主要问题及改进情况".into(), &mut out.problems);
    one("六、其他需要报告的事项".into(), &mut out.other);
    (out, changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_text_is_tidied() {
        let pasted = "  本年度，我局认真贯彻落实《条例》,主动公开 政府信息 1200条\n。全年受理申请(含网上申请)12件;均已答复!\n\n\n\n二是加强培训。\n   （一）主动公开情况\n主动公开方面，持续完善制度，做好日常工作，进一步提高公开\n质量和水平。";
        let t = tidy(pasted);
        assert_eq!(
            t,
            "本年度，我局认真贯彻落实《条例》，主动公开政府信息1200条。全年受理申请（含网上申请）12件；均已答复！\n二是加强培训。\n（一）主动公开情况\n主动公开方面，持续完善制度，做好日常工作，进一步提高公开质量和水平。"
        );
    }

    #[test]
    fn ascii_stays_ascii() {
        assert_eq!(
            tidy("see http://x.cn/a?b=1, ok"),
            "see http://x.cn/a?b=1, ok"
        );
        assert_eq!(tidy("(1) 2, 3"), "(1) 2, 3");
    }

    proptest::proptest! {
        #[test]
        fn tidying_is_idempotent(s in "[ 　\\n,;:?!()a-z0-9一二三公开。，]{0,80}") {
            let once = tidy(&s);
            proptest::prop_assert_eq!(tidy(&once), once.clone());
        }
    }
}
