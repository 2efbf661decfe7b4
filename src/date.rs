//! Calendar dates as ledgers and reports write them, without a date
//! library: parsing the forms clerks type, days since 1970 and back, today.

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
    ((1990..=2200).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
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
