//! Calendar dates as ledgers and reports write them, without a date
//! library: parsing the forms clerks type, days since 1970 and back, today,
//! and working days by the official holiday schedule ([`workdays`]).

pub mod workdays;

/// A calendar date.
pub type Date = (i32, u32, u32);

/// A date a ledger wrote without its year ("3月1日", "3-1"): the year comes
/// from the sheet's name or title. (month, day).
pub fn parse_month_day(s: &str) -> Option<(u32, u32)> {
    let t = crate::cell::fold_width(s.trim());
    let t = t.split([' ', 'T']).next().unwrap_or("");
    let parts: Vec<&str> = t
        .split(['-', '/', '.', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() != 2
        || parts
            .iter()
            .any(|p| p.len() > 2 || !p.bytes().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let (m, d) = (parts[0].parse().ok()?, parts[1].parse().ok()?);
    ((1..=12).contains(&m) && (1..=31).contains(&d) && d <= days_in_month(2000, m))
        .then_some((m, d))
}

/// Days in a month of a year (February of a leap year has 29).
pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// (year, month, day) → days since 1970-01-01 (Howard Hinnant's
/// days_from_civil).
pub fn days_from_civil((y, m, d): Date) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Day of the week, Monday 1 … Sunday 7.
pub fn weekday(date: Date) -> u32 {
    // 1970-01-01 was a Thursday.
    ((days_from_civil(date) + 3).rem_euclid(7) + 1) as u32
}

/// "2025-03-01".
pub fn show((y, m, d): Date) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// A date as (year, month, day), from the forms ledgers use:
/// 2025-03-01, 2025/3/1, 2025.3.1, 2025年3月1日, 20250301, and Excel serial
/// numbers (45717).
pub fn parse(s: &str) -> Option<(i32, u32, u32)> {
    let t = crate::cell::fold_width(s.trim());
    let t = t.split([' ', 'T']).next().unwrap_or("");
    if t.is_empty() {
        return None;
    }
    if t.chars().all(|c| c.is_ascii_digit() || c == '.') {
        if t.len() == 8 && !t.contains('.') {
            let y = t[..4].parse().ok()?;
            let m = t[4..6].parse().ok()?;
            let d = t[6..].parse().ok()?;
            return valid(y, m, d);
        }
        if let Ok(serial) = t.parse::<f64>()
            && (20_000.0..80_000.0).contains(&serial)
        {
            return Some(from_excel_serial(serial.floor() as i64));
        }
    }
    let parts: Vec<&str> = t
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 3 {
        return None;
    }
    valid(
        parts[0].parse().ok()?,
        parts[1].parse().ok()?,
        parts[2].parse().ok()?,
    )
}

fn valid(y: i32, m: u32, d: u32) -> Option<(i32, u32, u32)> {
    ((1990..=2200).contains(&y) && (1..=12).contains(&m) && (1..=days_in_month(y, m)).contains(&d))
        .then_some((y, m, d))
}

/// Excel's day count (1900 system, with its 1900-02-29) → a civil date.
pub fn from_excel_serial(serial: i64) -> (i32, u32, u32) {
    // Serial 25569 is 1970-01-01.
    civil_from_days(serial - 25_569)
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian
/// (Howard Hinnant's civil_from_days).
pub fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((yoe + era * 400 + i64::from(m <= 2)) as i32, m, d)
}

/// Today as YYYY-MM-DD (UTC), for provenance notes.
pub fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| (d.as_secs() / 86_400) as i64)
        .unwrap_or(0);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_there_and_back() {
        for days in [-1000i64, 0, 1, 59, 10_957, 19_723, 20_454, 40_000] {
            assert_eq!(days_from_civil(civil_from_days(days)), days);
        }
        assert_eq!(days_from_civil((2025, 1, 1)), 20_089);
        assert_eq!(weekday((2025, 1, 1)), 3, "a Wednesday");
        assert_eq!(weekday((2024, 9, 29)), 7, "a Sunday");
        assert_eq!(parse("2025-02-29"), None, "no such day");
        assert_eq!(parse("2024-02-29"), Some((2024, 2, 29)));
    }

    #[test]
    fn dates_without_a_year() {
        assert_eq!(parse_month_day("3月1日"), Some((3, 1)));
        assert_eq!(parse_month_day("12-31"), Some((12, 31)));
        assert_eq!(parse_month_day("１２月３日"), Some((12, 3)));
        assert_eq!(parse_month_day("2025-03-01"), None);
        assert_eq!(parse_month_day("13月1日"), None);
        assert_eq!(parse_month_day("第3页"), None);
    }
}
