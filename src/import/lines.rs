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

/// How a table row's cells were told apart: the import summary says, for
/// each table, which way it was read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Method {
    /// Plain text: cells split at tabs, bars or wide spaces.
    #[default]
    Text,
    /// The document's own table structure (HTML `<td>`, Word `w:tc`).
    Structure,
    /// A PDF table rebuilt from the ruling lines that draw its borders.
    Ruled,
    /// A PDF table rebuilt from glyph positions and gaps (no rulings).
    Positions,
}

impl Method {
    pub fn label(self) -> &'static str {
        match self {
            Method::Text => "按文字读取",
            Method::Structure => "按表格结构读取",
            Method::Ruled => "按表格线读取",
            Method::Positions => "按文字位置读取",
        }
    }
}

/// A line of the published report. Table rows carry their cells.
#[derive(Clone, Debug, Default)]
pub struct Line {
    pub text: String,
    pub cells: Option<Vec<String>>,
    pub method: Method,
    /// Its numbers were pieced together from several printed lines by
    /// position (a wrapped label, numbers on two baselines): a guess the
    /// table reader passes on as a warning on the row.
    pub pieced: bool,
}

impl Line {
    pub fn plain(text: String) -> Self {
        Line {
            text,
            cells: None,
            method: Method::Text,
            pieced: false,
        }
    }

    /// A table row of cells, found by `method`.
    pub fn row(cells: Vec<String>, method: Method) -> Self {
        Line {
            text: cells.join(" "),
            cells: Some(cells),
            method,
            pieced: false,
        }
    }
}

/// Deepest element nesting accepted. Real report pages nest a few dozen
/// levels; tens of thousands is a hostile or broken file, which would make
/// the HTML parser quadratic. Refused before parsing.
pub const MAX_NESTING: usize = 1000;

/// Elements that never nest (void) or whose end tag is often left out
/// (implied by the next sibling), so they do not count for depth.
const FLAT: &[&str] = &[
    "br", "img", "hr", "meta", "link", "input", "col", "area", "base", "wbr", "source", "embed",
    "param", "track", "p", "li", "td", "th", "tr", "option", "dt", "dd", "!doctype",
];

/// A cheap upper estimate of the element nesting, without parsing.
pub fn nesting_depth(text: &str) -> usize {
    let b = text.as_bytes();
    let (mut depth, mut max, mut i) = (0usize, 0usize, 0usize);
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        i += off + 1;
        if b[i..].starts_with(b"!--") {
            match text[i..].find("-->") {
                Some(e) => i += e + 3,
                None => break,
            }
            continue;
        }
        let closing = b.get(i) == Some(&b'/');
        let start = i + usize::from(closing);
        let end = b[start..]
            .iter()
            .position(|c| !(c.is_ascii_alphanumeric() || *c == b'!'))
            .map_or(b.len(), |e| start + e);
        if end == start {
            continue;
        }
        let name = text[start..end].to_ascii_lowercase();
        if FLAT.contains(&name.as_str()) {
            continue;
        }
        let close_at = b[end..].iter().position(|&c| c == b'>').map(|e| end + e);
        let self_closing = close_at.is_some_and(|e| e > 0 && b[e - 1] == b'/');
        if closing {
            depth = depth.saturating_sub(1);
        } else if !self_closing {
            depth += 1;
            max = max.max(depth);
        }
    }
    max
}

/// HTML → lines: paragraphs as lines, each `<tr>` as one line with its cells.
///
/// The walk keeps its own stack, so no document can overflow the thread's.
pub fn html_lines(text: &str) -> Vec<Line> {
    let doc = Html::parse_document(text);
    let mut lines = Vec::new();
    let mut cur = String::new();
    // Each frame: the children still to visit, and whether the element is a
    // block (its end flushes the line).
    let mut stack = vec![(doc.root_element().children(), false)];
    while let Some((children, _)) = stack.last_mut() {
        let Some(child) = children.next() else {
            let (_, block) = stack.pop().expect("non-empty");
            if block {
                flush(&mut lines, &mut cur);
            }
            continue;
        };
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
                        flush(&mut lines, &mut cur);
                        cur.push_str(&t.text().collect::<String>());
                        flush(&mut lines, &mut cur);
                    }
                    continue;
                }
                if name == "tr" {
                    flush(&mut lines, &mut cur);
                    lines.push(row_line(child_el));
                    continue;
                }
                let block = BLOCKS.contains(&name);
                if block {
                    flush(&mut lines, &mut cur);
                }
                stack.push((child.children(), block));
            }
            _ => {}
        }
    }
    flush(&mut lines, &mut cur);
    lines
}

/// One `<tr>` as a line of cells. Spans are resolved by the grid reader
/// (`super::grid`); here a cell is its text.
fn row_line(tr: ElementRef) -> Line {
    let cells: Vec<String> = tr
        .children()
        .filter_map(ElementRef::wrap)
        .filter(|c| matches!(c.value().name(), "td" | "th"))
        .map(|c| collapse(&c.text().collect::<String>()).replace('\t', " "))
        .collect();
    Line::row(cells, Method::Structure)
}

fn flush(lines: &mut Vec<Line>, cur: &mut String) {
    let l = collapse(cur);
    if !l.is_empty() {
        lines.push(Line::plain(l));
    }
    cur.clear();
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
