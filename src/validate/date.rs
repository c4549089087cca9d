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
            return Err(
                "write dates as YYYY-MM-DD, or YYYY-MM / YYYY when the day or month is not known"
                    .into(),
            );
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
    fn partial_sorts_before_full() {
        assert!(d("2025") < d("2025-01"));
        assert!(d("2025-02") < d("2025-02-01"));
        assert!(d("2024-12-31") < d("2025"));
    }
}
