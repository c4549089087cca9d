//! Full and partial ISO 8601 dates: `2025-02-04`, `2025-02`, `1951`.

use serde::Serialize;
use std::fmt;

/// A calendar date whose month and day may be unknown. Partial dates sort before full dates of the
/// same period (`2025` < `2025-02` < `2025-02-04`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Date {
    pub year: u16,
    /// 0 when unknown.
    pub month: u8,
    /// 0 when unknown.
    pub day: u8,
}

/// English month names, the default for dates in words.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Date {
    /// Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, explaining what is wrong on failure.
    pub fn parse(s: &str) -> Result<Date, String> {
        let parts: Vec<&str> = s.split('-').collect();
        let widths_ok = match parts.as_slice() {
            [y] => y.len() == 4,
            [y, m] => y.len() == 4 && m.len() == 2,
            [y, m, d] => y.len() == 4 && m.len() == 2 && d.len() == 2,
            _ => false,
        };
        if !widths_ok || !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
            const FORM: &str = "YYYY-MM-DD, or YYYY-MM / YYYY when the day or month is not known";
            return Err(match suggest(s) {
                Some(iso) => format!("write {iso} (dates are written {FORM})"),
                None => format!("write dates as {FORM}"),
            });
        }
        let num = |i: usize| {
            parts
                .get(i)
                .and_then(|p| p.parse::<u16>().ok())
                .unwrap_or(0)
        };
        let (year, month, day) = (num(0), num(1), num(2));
        if parts.len() >= 2 && !(1..=12).contains(&month) {
            return Err(format!(
                "month {month:02} does not exist: months run from 01 to 12"
            ));
        }
        if parts.len() == 3 {
            let max = days_in_month(year, month as u8);
            if day == 0 || day > u16::from(max) {
                return Err(format!("{} {year} has {max} days", month_name(month as u8)));
            }
        }
        Ok(Date {
            year,
            month: month as u8,
            day: day as u8,
        })
    }

    /// The first day of the period the date names: 2025-05 → 2025-05-01.
    fn earliest(&self) -> (u16, u8, u8) {
        (self.year, self.month.max(1), self.day.max(1))
    }

    /// The last day of the period the date names: 2025-05 → 2025-05-31, 2025 → 2025-12-31.
    fn latest(&self) -> (u16, u8, u8) {
        let month = if self.month == 0 { 12 } else { self.month };
        let day = if self.day == 0 {
            days_in_month(self.year, month)
        } else {
            self.day
        };
        (self.year, month, day)
    }

    /// Whether this date is surely earlier than `other`: its whole period ends before the other's
    /// begins (2025-04 is before 2025-05-19; 2025-05 is not, nor is 2025-05-19 before 2025-05).
    pub fn is_before(&self, other: &Date) -> bool {
        self.latest() < other.earliest()
    }

    pub fn is_full(&self) -> bool {
        self.day != 0
    }

    /// RFC 3339 timestamp at midnight UTC, with unknown parts as the first of the period.
    pub fn rfc3339(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T00:00:00Z",
            self.year,
            self.month.max(1),
            self.day.max(1)
        )
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.month, self.day) {
            (0, _) => write!(f, "{:04}", self.year),
            (m, 0) => write!(f, "{:04}-{m:02}", self.year),
            (m, d) => write!(f, "{:04}-{m:02}-{d:02}", self.year),
        }
    }
}

/// The ISO form of a date written another common way: `May 2025` → `2025-05`, `19 May 2025`
/// and `May 19, 2025` → `2025-05-19`, `2025/05/19` → `2025-05-19`. Only when it parses to a
/// real date.
fn suggest(s: &str) -> Option<String> {
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',' || c == '/' || c == '.' || c == '-')
        .filter(|w| !w.is_empty())
        .collect();
    let month_of = |w: &str| {
        let w = w.to_lowercase();
        MONTHS
            .iter()
            .position(|m| w.len() >= 3 && m.to_lowercase().starts_with(&w))
            .map(|i| i + 1)
    };
    let number = |w: &str| w.parse::<u16>().ok().filter(|_| w.len() <= 4);
    let (mut year, mut month, mut day) = (None, None, None);
    let mut numbers = Vec::new();
    for w in &words {
        if let Some(m) = month_of(w) {
            month = month.or(Some(m));
        } else if w.len() == 4 {
            year = year.or(number(w));
        } else {
            numbers.push(number(w.trim_end_matches(|c: char| c.is_alphabetic()))?);
        }
    }
    match (month, numbers.as_slice()) {
        // ISO order with other separators: 2025/05/19, 2025.5
        (None, [m]) => month = Some(usize::from(*m)),
        (None, [m, d]) => (month, day) = (Some(usize::from(*m)), Some(*d)),
        (Some(_), [d]) => day = Some(*d),
        (_, []) => {}
        _ => return None,
    }
    let iso = match (year?, month, day) {
        (y, None, None) => format!("{y:04}"),
        (y, Some(m), None) => format!("{y:04}-{m:02}"),
        (y, Some(m), Some(d)) => format!("{y:04}-{m:02}-{d:02}"),
        (_, None, Some(_)) => return None,
    };
    // Only a suggestion that is itself a valid date (never a loop of bad advice).
    (iso != s && Date::parse(&iso).is_ok()).then_some(iso)
}

/// The English name of month 1 to 12; empty for anything else.
fn month_name(month: u8) -> &'static str {
    usize::from(month)
        .checked_sub(1)
        .and_then(|i| MONTHS.get(i))
        .copied()
        .unwrap_or_default()
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn parses_full_and_partial() {
        assert_eq!(
            d("2025-02-04"),
            Date {
                year: 2025,
                month: 2,
                day: 4
            }
        );
        assert_eq!(
            d("1951"),
            Date {
                year: 1951,
                month: 0,
                day: 0
            }
        );
        assert_eq!(d("2024-02-29").day, 29);
    }

    #[test]
    fn rejects_bad_dates_with_reason() {
        assert!(
            Date::parse("2025-13-01")
                .err()
                .unwrap_or_default()
                .contains("months run")
        );
        assert!(
            Date::parse("2025-02-30")
                .err()
                .unwrap_or_default()
                .contains("has 28 days")
        );
        assert!(Date::parse("2023-02-29").is_err());
        assert!(Date::parse("25-02-04").is_err());
        assert!(Date::parse("2025/02/04").is_err());
        assert!(Date::parse("February 2025").is_err());
        assert!(Date::parse("").is_err());
    }

    #[test]
    fn dates_in_words_get_their_iso_form() {
        let why = |s: &str| Date::parse(s).err().unwrap_or_default();
        assert!(
            why("May 2025").starts_with("write 2025-05 ("),
            "{}",
            why("May 2025")
        );
        assert!(why("19 May 2025").starts_with("write 2025-05-19 ("));
        assert!(why("May 19, 2025").starts_with("write 2025-05-19 ("));
        assert!(why("Sept. 2024").starts_with("write 2024-09 ("));
        assert!(why("2025/05/19").starts_with("write 2025-05-19 ("));
        assert!(why("2025-5-9").starts_with("write 2025-05-09 ("));
        assert!(why("31 February 2025").starts_with("write dates as"));
        assert!(why("soon").starts_with("write dates as"));
        assert!(why("19/05/2025").starts_with("write dates as"));
    }

    #[test]
    fn partial_dates_compare_as_periods() {
        assert!(d("2025-05-01").is_before(&d("2025-05-19")));
        assert!(d("2025-04").is_before(&d("2025-05-19")));
        assert!(d("2024").is_before(&d("2025-01")));
        assert!(!d("2025-05").is_before(&d("2025-05-19")));
        assert!(!d("2025-05-19").is_before(&d("2025-05")));
        assert!(!d("2025").is_before(&d("2025-12-31")));
        assert!(!d("2025-05-19").is_before(&d("2025-05-19")));
        assert!(!d("2025-02").is_before(&d("2025-02-28")));
    }

    #[test]
    fn partial_sorts_before_full() {
        assert!(d("2025") < d("2025-01"));
        assert!(d("2025-02") < d("2025-02-01"));
        assert!(d("2024-12-31") < d("2025"));
    }
}
