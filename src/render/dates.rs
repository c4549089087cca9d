//! Dates in words in the page's language, from the interface strings: `month_1`…`month_12`,
//! `date_full` (`{day} {month} {year}`), `date_month` (`{month} {year}`), `date_year` (`{year}`).
//! `{month_num}` gives the month's number (e.g. Chinese `{year}年{month_num}月{day}日`);
//! `date_compact = "no"` writes ranges as two full dates.

use super::strings::Strings;
use crate::validate::Date;
use crate::validate::date::MONTHS;
use std::fmt::Write as _;

pub struct DateStyle {
    months: Vec<String>,
    full: String,
    month: String,
    year: String,
    /// `4–8 February 2025` rather than two full dates; off for right-to-left scripts, where a
    /// bare `4–8` is reordered by the bidi algorithm.
    compact: bool,
}

impl DateStyle {
    pub fn from_strings(strings: &Strings) -> DateStyle {
        let get = |key: &str, default: &str| {
            strings
                .get(key)
                .cloned()
                .unwrap_or_else(|| default.to_string())
        };
        DateStyle {
            months: MONTHS
                .iter()
                .zip(1..)
                .map(|(name, m)| get(&format!("month_{m}"), name))
                .collect(),
            full: get("date_full", "{day} {month} {year}"),
            month: get("date_month", "{month} {year}"),
            year: get("date_year", "{year}"),
            compact: strings.get("date_compact").is_none_or(|v| v != "no"),
        }
    }

    fn fill(&self, pattern: &str, d: &Date) -> String {
        let name = self
            .months
            .get(usize::from(d.month).wrapping_sub(1))
            .map_or("", String::as_str);
        // Shrunk to its length: the string is kept in every card of every language.
        let mut out = String::with_capacity(pattern.len() + name.len());
        fill_into(&mut out, pattern, d, name);
        out.shrink_to_fit();
        out
    }

    /// `4 February 2025`, `February 2025`, `1951` (or the language's forms).
    pub fn words(&self, d: &Date) -> String {
        match (d.month, d.day) {
            (0, _) => self.fill(&self.year, d),
            (_, 0) => self.fill(&self.month, d),
            _ => self.fill(&self.full, d),
        }
    }

    /// A span of dates: compact (`4–8 February 2025`) where the day-first form allows it.
    pub fn range(&self, start: &Date, end: Option<&Date>) -> String {
        let Some(end) = end.filter(|e| *e != start) else {
            return self.words(start);
        };
        let day_first = self.compact && self.full == "{day} {month} {year}";
        if day_first && start.is_full() && end.is_full() && start.year == end.year {
            if start.month == end.month {
                return format!("{}–{}", start.day, self.words(end));
            }
            let name = self
                .months
                .get(usize::from(start.month).wrapping_sub(1))
                .map_or("", String::as_str);
            return format!("{} {name} – {}", start.day, self.words(end));
        }
        format!("{} – {}", self.words(start), self.words(end))
    }
}

/// `pattern` with its placeholders filled from `d` (`name` is the month's name), in one pass.
fn fill_into(out: &mut String, pattern: &str, d: &Date, name: &str) {
    let mut rest = pattern;
    while let Some(at) = rest.find('{') {
        out.push_str(rest.get(..at).unwrap_or_default());
        let after = rest.get(at..).unwrap_or_default();
        let taken = if after.starts_with("{day}") {
            let _ = write!(out, "{}", d.day);
            "{day}".len()
        } else if after.starts_with("{month_num}") {
            let _ = write!(out, "{}", d.month);
            "{month_num}".len()
        } else if after.starts_with("{month}") {
            out.push_str(name);
            "{month}".len()
        } else if after.starts_with("{year}") {
            let _ = write!(out, "{}", d.year);
            "{year}".len()
        } else {
            out.push('{');
            1
        };
        rest = after.get(taken..).unwrap_or_default();
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn english_by_default() {
        let style = DateStyle::from_strings(&Strings::new());
        assert_eq!(style.words(&d("2025-02-04")), "4 February 2025");
        assert_eq!(
            style.range(&d("2025-02-04"), Some(&d("2025-02-08"))),
            "4–8 February 2025"
        );
        assert_eq!(
            style.range(&d("2025-08-30"), Some(&d("2025-09-04"))),
            "30 August – 4 September 2025"
        );
        assert_eq!(style.range(&d("1956-10"), None), "October 1956");
    }

    #[test]
    fn allocated_at_their_length() {
        let style = DateStyle::from_strings(&Strings::new());
        for date in ["2025-02-04", "1951-12-31", "0999-01", "0007", "0000"] {
            let words = style.words(&d(date));
            assert_eq!(words.capacity(), words.len(), "{words}");
        }
        let mut s = Strings::new();
        s.insert(
            "date_full".into(),
            "{year}年{month_num}月{day}日 {unknown}".into(),
        );
        let words = DateStyle::from_strings(&s).words(&d("2025-10-14"));
        assert_eq!(words, "2025年10月14日 {unknown}");
        assert_eq!(words.capacity(), words.len());
    }

    #[test]
    fn chinese_pattern() {
        let mut s = Strings::new();
        s.insert("date_full".into(), "{year}年{month_num}月{day}日".into());
        s.insert("date_month".into(), "{year}年{month_num}月".into());
        s.insert("date_year".into(), "{year}年".into());
        let style = DateStyle::from_strings(&s);
        assert_eq!(style.words(&d("2025-02-04")), "2025年2月4日");
        assert_eq!(
            style.range(&d("2025-02-04"), Some(&d("2025-02-08"))),
            "2025年2月4日 – 2025年2月8日"
        );
        assert_eq!(style.words(&d("1951")), "1951年");
    }
}
