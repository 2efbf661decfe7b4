//! Working days by the official schedule: 国务院办公厅关于部分节假日安排的
//! 通知, one table per year. 《政府信息公开条例》第三十三条 gives an agency
//! 20 working days to answer (another 20 with an extension), so a ledger's
//! deadlines are counted in these, not in calendar days.
//!
//! Each year lists its days off (holidays and the weekdays moved into
//! them) and its make-up working days (调休: a Saturday or Sunday that is
//! worked). Every other Saturday and Sunday is a day off. Adding a year is
//! one more entry in [`SCHEDULES`].

use super::{Date, civil_from_days, days_from_civil, weekday};

/// A day of a year: (month, day).
pub type Day = (u32, u32);

/// One year's schedule: inclusive ranges of days off, and make-up working
/// days (weekend days that are worked).
pub struct Schedule {
    pub year: i32,
    pub off: &'static [(Day, Day)],
    pub worked: &'static [Day],
}

/// The schedules of 2019 to 2026, as the State Council published them.
/// (A holiday that begins on 12月30日 or 31日 of the year before is listed
/// under that earlier year.)
pub static SCHEDULES: &[Schedule] = &[
    Schedule {
        year: 2019,
        off: &[
            ((1, 1), (1, 1)),
            ((2, 4), (2, 10)),
            ((4, 5), (4, 7)),
            ((5, 1), (5, 4)),
            ((6, 7), (6, 9)),
            ((9, 13), (9, 15)),
            ((10, 1), (10, 7)),
        ],
        worked: &[(2, 2), (2, 3), (4, 28), (5, 5), (9, 29), (10, 12)],
    },
    Schedule {
        year: 2020,
        // 春节 was extended to 2月2日 (国办发明电〔2020〕1号); the 2月1日
        // make-up day fell inside it.
        off: &[
            ((1, 1), (1, 1)),
            ((1, 24), (2, 2)),
            ((4, 4), (4, 6)),
            ((5, 1), (5, 5)),
            ((6, 25), (6, 27)),
            ((10, 1), (10, 8)),
        ],
        worked: &[(1, 19), (4, 26), (5, 9), (6, 28), (9, 27), (10, 10)],
    },
    Schedule {
        year: 2021,
        off: &[
            ((1, 1), (1, 3)),
            ((2, 11), (2, 17)),
            ((4, 3), (4, 5)),
            ((5, 1), (5, 5)),
            ((6, 12), (6, 14)),
            ((9, 19), (9, 21)),
            ((10, 1), (10, 7)),
        ],
        worked: &[(2, 7), (2, 20), (4, 25), (5, 8), (9, 18), (9, 26), (10, 9)],
    },
    Schedule {
        year: 2022,
        off: &[
            ((1, 1), (1, 3)),
            ((1, 31), (2, 6)),
            ((4, 3), (4, 5)),
            ((4, 30), (5, 4)),
            ((6, 3), (6, 5)),
            ((9, 10), (9, 12)),
            ((10, 1), (10, 7)),
            ((12, 31), (12, 31)),
        ],
        worked: &[(1, 29), (1, 30), (4, 2), (4, 24), (5, 7), (10, 8), (10, 9)],
    },
    Schedule {
        year: 2023,
        off: &[
            ((1, 1), (1, 2)),
            ((1, 21), (1, 27)),
            ((4, 5), (4, 5)),
            ((4, 29), (5, 3)),
            ((6, 22), (6, 24)),
            ((9, 29), (10, 6)),
        ],
        worked: &[(1, 28), (1, 29), (4, 23), (5, 6), (6, 25), (10, 7), (10, 8)],
    },
    Schedule {
        year: 2024,
        off: &[
            ((1, 1), (1, 1)),
            ((2, 10), (2, 17)),
            ((4, 4), (4, 6)),
            ((5, 1), (5, 5)),
            ((6, 10), (6, 10)),
            ((9, 15), (9, 17)),
            ((10, 1), (10, 7)),
        ],
        worked: &[
            (2, 4),
            (2, 18),
            (4, 7),
            (4, 28),
            (5, 11),
            (9, 14),
            (9, 29),
            (10, 12),
        ],
    },
    Schedule {
        year: 2025,
        off: &[
            ((1, 1), (1, 1)),
            ((1, 28), (2, 4)),
            ((4, 4), (4, 6)),
            ((5, 1), (5, 5)),
            ((5, 31), (6, 2)),
            ((10, 1), (10, 8)),
        ],
        worked: &[(1, 26), (2, 8), (4, 27), (9, 28), (10, 11)],
    },
    Schedule {
        year: 2026,
        off: &[
            ((1, 1), (1, 3)),
            ((2, 15), (2, 23)),
            ((4, 4), (4, 6)),
            ((5, 1), (5, 5)),
            ((6, 19), (6, 21)),
            ((9, 25), (9, 27)),
            ((10, 1), (10, 7)),
        ],
        worked: &[(1, 4), (2, 14), (2, 28), (5, 9), (9, 20), (10, 10)],
    },
];

/// The years the schedule covers.
pub fn known_year(y: i32) -> bool {
    SCHEDULES.iter().any(|s| s.year == y)
}

/// Is this a working day? Years without a schedule count weekends only.
/// Whether the official schedule of `year` is known here. Outside it,
/// only Saturdays and Sundays are days off, and a deadline may come out
/// too early around a holiday.
pub fn has_schedule(year: i32) -> bool {
    SCHEDULES.iter().any(|s| s.year == year)
}

pub fn is_workday(date: Date) -> bool {
    let (y, m, d) = date;
    if let Some(s) = SCHEDULES.iter().find(|s| s.year == y) {
        if s.worked.contains(&(m, d)) {
            return true;
        }
        if s.off.iter().any(|&(a, b)| (m, d) >= a && (m, d) <= b) {
            return false;
        }
    }
    weekday(date) <= 5
}

/// The `n`th working day after `from` (the day itself does not count, as
/// a period "自收到申请之日起" begins the next day).
pub fn add_workdays(from: Date, n: u32) -> Date {
    let mut day = days_from_civil(from);
    let mut left = n;
    // Bounded: 20 working days never need more than a few months.
    for _ in 0..(n as usize * 7 + 60) {
        if left == 0 {
            break;
        }
        day += 1;
        if is_workday(civil_from_days(day)) {
            left -= 1;
        }
    }
    civil_from_days(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_is_well_formed() {
        for s in SCHEDULES {
            for &(m, d) in s.worked {
                assert!(
                    weekday((s.year, m, d)) >= 6,
                    "{} {m}-{d} is no weekend",
                    s.year
                );
            }
            for &(a, b) in s.off {
                assert!(a <= b, "{}: {a:?} {b:?}", s.year);
            }
        }
        assert!(known_year(2019) && known_year(2026) && !known_year(2027));
    }

    #[test]
    fn real_calendar_cases() {
        // Received on Friday 2024-09-27, just before 国庆: Sunday 9月29日 is
        // worked, the holiday runs to 10月7日, Saturday 10月12日 is worked.
        assert!(is_workday((2024, 9, 29)));
        assert!(!is_workday((2024, 10, 7)));
        assert!(is_workday((2024, 10, 12)));
        // 9/29, 9/30, then 10/8…10/12 (five), then four full weeks less
        // one day: the 20th working day is 10月30日.
        assert_eq!(add_workdays((2024, 9, 27), 20), (2024, 10, 30));
        // Received just before 春节 2025 (1月28日–2月4日 off, 1月26日 and
        // 2月8日 worked).
        assert_eq!(add_workdays((2025, 1, 24), 1), (2025, 1, 26));
        assert_eq!(add_workdays((2025, 1, 24), 20), (2025, 2, 27));
        // An ordinary stretch: 20 working days are four weeks.
        assert_eq!(add_workdays((2025, 3, 3), 20), (2025, 3, 31));
        // 2026 春节: nine days off, two Saturdays worked.
        assert!(is_workday((2026, 2, 14)) && is_workday((2026, 2, 28)));
        assert!(!is_workday((2026, 2, 23)));
        // A year with no schedule falls back on weekends.
        assert!(!is_workday((2030, 1, 5)));
        assert!(is_workday((2030, 1, 7)));
    }
}
