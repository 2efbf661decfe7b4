//! A table cell and the one function that turns what a user typed into one.
//!
//! A cell is blank, a valid value, or invalid text kept exactly as typed
//! (DESIGN principle 4). Text is never silently turned into 0.

use crate::schema::FieldKind;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// Largest count accepted (件). Larger numbers are almost certainly typos.
pub const MAX_COUNT: u64 = 999_999_999_999;

/// Largest fee accepted, in 万元.
pub const MAX_AMOUNT_WAN: i64 = 999_999_999_999;

/// A leaf value as stored in a draft.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Cell {
    #[default]
    Blank,
    /// A whole count of 件.
    Count(u64),
    /// An exact decimal (万元), stored as its normalised text so it is never a float.
    Amount(#[serde(with = "decimal_text")] Decimal),
    /// Text that is not a valid value, exactly as the user typed it.
    Invalid(String),
}

mod decimal_text {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};
    use std::str::FromStr;

    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&d.to_string())
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        let s = String::deserialize(d)?;
        Decimal::from_str(&s).map_err(serde::de::Error::custom)
    }
}

impl Cell {
    pub fn is_blank(&self) -> bool {
        matches!(self, Cell::Blank)
    }

    pub fn is_invalid(&self) -> bool {
        matches!(self, Cell::Invalid(_))
    }

    /// The value as an exact decimal, when the cell holds one.
    pub fn decimal(&self) -> Option<Decimal> {
        match self {
            Cell::Count(n) => Some(Decimal::from(*n)),
            Cell::Amount(d) => Some(*d),
            _ => None,
        }
    }

    /// The text a user would see in the cell's editor.
    pub fn display(&self) -> String {
        match self {
            Cell::Blank => String::new(),
            Cell::Count(n) => n.to_string(),
            Cell::Amount(d) => d.to_string(),
            Cell::Invalid(s) => s.clone(),
        }
    }
}

/// Fold full-width digits and punctuation to ASCII, keeping everything else.
pub fn fold_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' | '。' => '.',
            '，' => ',',
            '－' | '−' | '—' => '-',
            '＋' => '+',
            _ => c,
        })
        .collect()
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}'
}

/// Parse what a user typed into a cell of the given kind.
pub fn parse_cell(input: &str, kind: FieldKind) -> Cell {
    match parse_value(input, kind) {
        Ok(Some(c)) => c,
        Ok(None) => Cell::Blank,
        Err(_) => Cell::Invalid(input.to_string()),
    }
}

/// Why a text is not a valid value (Chinese, for the clerk); `None` if it is valid.
pub fn invalid_reason(input: &str, kind: FieldKind) -> Option<String> {
    parse_value(input, kind).err()
}

/// Most digits after the decimal point in a fee. Ten places of 万元 is far
/// below a 分, and it keeps every fee exact in `Decimal` (no silent rounding).
pub const MAX_FRACTION_DIGITS: usize = 10;

/// Bring a stored or computed cell under the same rules as typed input.
///
/// Drafts, merges and imports all end here, so a value that the parser
/// would refuse (a negative fee, a count over [`MAX_COUNT`], a 29-digit
/// fee) becomes invalid text with a finding instead of a silent number.
pub fn validated(cell: Cell, kind: FieldKind) -> Cell {
    match cell {
        Cell::Count(_) | Cell::Amount(_) => {
            let text = cell.display();
            match parse_value(&text, kind) {
                Ok(Some(c)) => c,
                Ok(None) | Err(_) => Cell::Invalid(text),
            }
        }
        other => other,
    }
}

/// A computed sum (merge, ledger counts) as a cell of `kind`, validated.
pub fn from_decimal(d: Decimal, kind: FieldKind) -> Cell {
    let cell = match kind {
        FieldKind::Count => match u64::try_from(d) {
            Ok(n) if d.fract().is_zero() => Cell::Count(n),
            _ => Cell::Invalid(d.to_string()),
        },
        FieldKind::Amount => Cell::Amount(d),
    };
    validated(cell, kind)
}

fn parse_value(input: &str, kind: FieldKind) -> Result<Option<Cell>, String> {
    // The ideographic full stop is a sentence end, not a decimal point: "12。"
    // is a number typed with a stray 。, and saying so beats guessing.
    if input.contains('。') {
        return Err("有句号“。”：请删去；如是小数点，请改用“.”".into());
    }
    let folded = fold_width(input);
    let t = folded.trim_matches(is_space);
    if t.is_empty() {
        return Ok(None);
    }
    let t = t.strip_prefix('+').unwrap_or(t);
    if t.starts_with('-') && t[1..].chars().any(|c| c.is_ascii_digit()) {
        return Err("不能为负数".into());
    }
    if t.chars()
        .any(|c| !(c.is_ascii_digit() || c == ',' || c == '.'))
    {
        return Err(match kind {
            FieldKind::Count => "应填写数字（件数），不能包含文字或符号".into(),
            FieldKind::Amount => "应填写金额数字（万元），不能包含文字或符号".into(),
        });
    }
    let (int_part, frac_part) = match t.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (t, None),
    };
    if frac_part.is_some_and(|f| f.contains('.') || f.contains(',')) {
        return Err("小数点或分隔符的位置不对".into());
    }
    if frac_part == Some("") {
        return Err("小数点后面没有数字，请核对".into());
    }
    let digits = strip_thousands(int_part)?;
    // "0012" is usually two numbers run together or a stray key; a count and
    // a fee refuse it alike rather than silently dropping the zeros.
    if digits.len() > 1 && digits.starts_with('0') {
        return Err("数字前面多了“0”，请核对（如 0012 应为 12）".into());
    }
    match kind {
        FieldKind::Count => {
            if frac_part.is_some() {
                return Err("件数应为整数，不能有小数".into());
            }
            if digits.is_empty() {
                return Err("应填写数字（件数）".into());
            }
            match digits.parse::<u64>() {
                Ok(n) if n <= MAX_COUNT => Ok(Some(Cell::Count(n))),
                _ => Err(format!("数值过大（超过 {MAX_COUNT}），请核对")),
            }
        }
        FieldKind::Amount => {
            let frac = frac_part.unwrap_or("");
            if digits.is_empty() && frac.is_empty() {
                return Err("应填写金额数字（万元）".into());
            }
            if digits.len() > 15 {
                return Err(format!("金额过大（超过 {MAX_AMOUNT_WAN} 万元），请核对"));
            }
            if frac.len() > MAX_FRACTION_DIGITS {
                return Err(format!(
                    "小数位过多（最多 {MAX_FRACTION_DIGITS} 位），请核对"
                ));
            }
            let text = if frac.is_empty() {
                if digits.is_empty() {
                    "0".to_string()
                } else {
                    digits.clone()
                }
            } else {
                format!("{}.{}", if digits.is_empty() { "0" } else { &digits }, frac)
            };
            let d = Decimal::from_str(&text).map_err(|_| "不是有效的金额".to_string())?;
            if d > Decimal::from(MAX_AMOUNT_WAN) {
                return Err(format!("金额过大（超过 {MAX_AMOUNT_WAN} 万元），请核对"));
            }
            Ok(Some(Cell::Amount(d)))
        }
    }
}

/// Remove thousands separators, insisting on groups of three.
fn strip_thousands(s: &str) -> Result<String, String> {
    if !s.contains(',') {
        return Ok(s.to_string());
    }
    let groups: Vec<&str> = s.split(',').collect();
    let ok =
        !groups[0].is_empty() && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3);
    if !ok {
        return Err("千位分隔符的位置不对（应为 1,234 这样的格式）".into());
    }
    Ok(groups.concat())
}

#[cfg(test)]
mod tests {
    use super::*;
    use FieldKind::*;

    fn dec(s: &str) -> Cell {
        Cell::Amount(Decimal::from_str(s).unwrap())
    }

    #[test]
    fn accepts_every_documented_input_class() {
        assert_eq!(parse_cell("12", Count), Cell::Count(12));
        assert_eq!(parse_cell("１２", Count), Cell::Count(12));
        assert_eq!(parse_cell("  7 \t", Count), Cell::Count(7));
        assert_eq!(parse_cell("\u{3000}８\u{3000}", Count), Cell::Count(8));
        assert_eq!(parse_cell("1,234", Count), Cell::Count(1234));
        assert_eq!(parse_cell("1，234", Count), Cell::Count(1234));
        assert_eq!(
            parse_cell("１，２３４，５６７", Count),
            Cell::Count(1_234_567)
        );
        assert_eq!(parse_cell("0", Count), Cell::Count(0));
        assert_eq!(parse_cell("9116.36", Amount), dec("9116.36"));
        assert_eq!(parse_cell("９１１６．３６", Amount), dec("9116.36"));
        assert_eq!(parse_cell("24252.311082", Amount), dec("24252.311082"));
        assert_eq!(parse_cell("5,949.088667", Amount), dec("5949.088667"));
        assert_eq!(parse_cell("0", Amount), dec("0"));
        assert_eq!(parse_cell("", Count), Cell::Blank);
        assert_eq!(parse_cell("   ", Amount), Cell::Blank);
    }

    #[test]
    fn keeps_trailing_zeros_of_fees_exactly() {
        assert_eq!(parse_cell("1.50", Amount).display(), "1.50");
    }

    #[test]
    fn rejects_and_keeps_text_exactly() {
        for (input, kind, reason) in [
            ("-3", Count, "负数"),
            ("－3", Count, "负数"),
            ("1.5", Count, "整数"),
            ("abc", Count, "数字"),
            ("无", Count, "数字"),
            ("12件", Count, "数字"),
            ("1,23", Count, "千位分隔符"),
            ("9999999999999", Count, "过大"),
            ("1.2.3", Amount, "小数点"),
            ("-0.5", Amount, "负数"),
            ("1e5", Amount, "数字"),
            ("12。", Amount, "句号"),
            ("12。", Count, "句号"),
            ("12.", Amount, "小数点后面没有数字"),
            ("12.", Count, "小数点后面没有数字"),
            ("0012", Count, "多了“0”"),
            ("0012", Amount, "多了“0”"),
            ("00.5", Amount, "多了“0”"),
            ("1.23456789012", Amount, "小数位过多"),
            ("79228162514264337593543950335", Amount, "过大"),
            ("0.0000000000000000000000000001", Amount, "小数位过多"),
        ] {
            assert_eq!(
                parse_cell(input, kind),
                Cell::Invalid(input.to_string()),
                "{input}"
            );
            let why = invalid_reason(input, kind).unwrap();
            assert!(why.contains(reason), "{input}: {why}");
        }
    }

    #[test]
    fn stored_values_meet_the_typed_rules() {
        use rust_decimal::Decimal;
        let big = Decimal::from_str("79228162514264337593543950335").unwrap();
        assert_eq!(
            validated(Cell::Amount(big), Amount),
            Cell::Invalid("79228162514264337593543950335".into())
        );
        assert_eq!(
            validated(Cell::Amount(Decimal::from(-3)), Amount),
            Cell::Invalid("-3".into())
        );
        assert_eq!(
            validated(Cell::Count(MAX_COUNT + 1), Count),
            Cell::Invalid((MAX_COUNT + 1).to_string())
        );
        assert_eq!(validated(Cell::Count(7), Amount), dec("7"));
        assert_eq!(validated(dec("1.5"), Count), Cell::Invalid("1.5".into()));
        assert_eq!(validated(dec("3"), Count), Cell::Count(3));
        assert_eq!(validated(Cell::Count(12), Count), Cell::Count(12));
        assert_eq!(validated(dec("5949.088667"), Amount), dec("5949.088667"));
        assert_eq!(from_decimal(Decimal::from(12), Count), Cell::Count(12));
        assert!(from_decimal(Decimal::from(MAX_COUNT) * Decimal::from(10), Count).is_invalid());
        assert!(from_decimal(big, Amount).is_invalid());
    }

    #[test]
    fn display_round_trips_through_the_parser() {
        for s in ["0", "14", "8014", "5949.088667", "0.000001"] {
            let k = if s.contains('.') { Amount } else { Count };
            let c = parse_cell(s, k);
            assert_eq!(parse_cell(&c.display(), k), c);
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_never_invents_zero(s in "\\PC{0,12}") {
            for kind in [Count, Amount] {
                let c = parse_cell(&s, kind);
                if let Cell::Invalid(t) = &c { proptest::prop_assert_eq!(t, &s); }
                if c.decimal().is_some_and(|d| d.is_zero()) {
                    proptest::prop_assert!(fold_width(&s).contains('0'));
                }
            }
        }

        #[test]
        fn any_count_round_trips(n in 0u64..=MAX_COUNT) {
            proptest::prop_assert_eq!(parse_cell(&n.to_string(), Count), Cell::Count(n));
        }
    }
}
