//! Published text or HTML → lines; table rows become tab-separated lines.

use scraper::{ElementRef, Html, Node};

/// Does this text look like HTML rather than plain text?
pub fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .chars()
        .take(4096)
        .collect::<String>()
        .to_ascii_lowercase();
    [
        "<html",
        "<body",
        "<table",
        "<div",
        "<p>",
        "<p ",
        "<!doctype",
    ]
    .iter()
    .any(|t| head.contains(t))
}

/// Collapse runs of white space (including nbsp and the ideographic space).
pub fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}' {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "section",
    "article",
    "table",
    "tr",
    "title",
    "header",
    "footer",
    "blockquote",
    "center",
    "pre",
];

/// A line of the published report. Table rows from HTML carry their cells.
#[derive(Clone, Debug, Default)]
pub struct Line {
    pub text: String,
    pub cells: Option<Vec<String>>,
}

impl Line {
    pub fn plain(text: String) -> Self {
        Line { text, cells: None }
    }
}

/// HTML → lines: paragraphs as lines, each `<tr>` as one line with its cells.
pub fn html_lines(text: &str) -> Vec<Line> {
    let doc = Html::parse_document(text);
    let mut lines = Vec::new();
    let mut cur = String::new();
    walk(doc.root_element(), &mut lines, &mut cur);
    flush(&mut lines, &mut cur);
    lines
}

fn flush(lines: &mut Vec<Line>, cur: &mut String) {
    let l = collapse(cur);
    if !l.is_empty() {
        lines.push(Line::plain(l));
    }
    cur.clear();
}

fn walk(el: ElementRef, lines: &mut Vec<Line>, cur: &mut String) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => cur.push_str(t),
            Node::Element(e) => {
                let name = e.name();
                if matches!(name, "script" | "style" | "noscript" | "iframe" | "select") {
                    continue;
                }
                let Some(child_el) = ElementRef::wrap(child) else {
                    continue;
                };
                if name == "head" {
                    // Keep only the <title>: it often names the agency and year.
                    if let Some(t) = child_el
                        .children()
                        .filter_map(ElementRef::wrap)
                        .find(|c| c.value().name() == "title")
                    {
                        flush(lines, cur);
                        cur.push_str(&t.text().collect::<String>());
                        flush(lines, cur);
                    }
                    continue;
                }
                if name == "tr" {
                    flush(lines, cur);
                    let cells: Vec<String> = child_el
                        .children()
                        .filter_map(ElementRef::wrap)
                        .filter(|c| matches!(c.value().name(), "td" | "th"))
                        .map(|c| collapse(&c.text().collect::<String>()).replace('\t', " "))
                        .collect();
                    lines.push(Line {
                        text: cells.join(" "),
                        cells: Some(cells),
                    });
                    continue;
                }
                let block = BLOCKS.contains(&name);
                if block {
                    flush(lines, cur);
                }
                walk(child_el, lines, cur);
                if block {
                    flush(lines, cur);
                }
            }
            _ => {}
        }
    }
}

/// Plain text → lines, trimmed of surrounding white space.
pub fn text_lines(text: &str) -> Vec<Line> {
    text.lines()
        .map(|l| {
            l.trim_matches(|c: char| {
                c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}' || c == '\u{feff}'
            })
        })
        .map(|l| Line::plain(l.to_string()))
        .collect()
}
