//! Small text helpers the whole core shares: normalising a label so that
//! the variants real documents print compare equal, and shortening a quoted
//! piece of input so a message stays a sentence.

use crate::cell::fold_width;

/// Normalise a label for matching: half-width, no spaces, brackets and
/// quotes unified, separators dropped.
pub fn norm(s: &str) -> String {
    fold_width(s)
        .chars()
        .filter_map(|c| match c {
            c if c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}' => None,
            '（' | '(' | '[' | '【' => Some('('),
            '）' | ')' | ']' | '】' => Some(')'),
            '“' | '”' | '"' | '‘' | '’' | '\'' | '「' | '」' | '·' | '|' => None,
            '：' => Some(':'),
            '；' => Some(';'),
            '、' => Some(','),
            c if c.is_ascii_uppercase() => Some(c.to_ascii_lowercase()),
            c => Some(c),
        })
        .collect()
}

/// Longest piece of the file quoted back in a message: a corrupt draft can
/// be one 200 MB word, and the message must stay a sentence.
const MAX_QUOTE: usize = 40;

/// Cut a quoted piece of input to a few dozen characters.
pub fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(MAX_QUOTE).collect();
    if s.chars().nth(MAX_QUOTE).is_some() {
        out.push('…');
    }
    out
}
