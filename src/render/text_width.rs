//! How wide a line of text will be, estimated without a font: the graph and the timeline place
//! labels at build time, so they need a width that is never less than the browser's.

/// The width of `text` set at `font` pixels: an upper bound per character class, generous for
/// the common sans-serif fonts (system-ui, Noto Sans, DejaVu Sans, Noto Sans CJK, Noto Naskh).
pub fn label_width(text: &str, font: f64) -> f64 {
    text.chars().map(|c| em(c) * font).sum()
}

/// A character's advance in ems, rounded up.
fn em(c: char) -> f64 {
    match c {
        ' ' => 0.32,
        'i' | 'j' | 'l' | '.' | ',' | '\'' | ':' | ';' | '!' | '|' => 0.32,
        'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' => 0.42,
        'm' | 'w' => 0.92,
        'M' | 'W' | '@' | '%' => 1.0,
        'A'..='Z' => 0.75,
        'a'..='z' | '0'..='9' => 0.62,
        '\u{600}'..='\u{6ff}'
        | '\u{750}'..='\u{77f}'
        | '\u{fb50}'..='\u{fdff}'
        | '\u{fe70}'..='\u{feff}' => 0.62,
        '\u{2e80}'..='\u{9fff}'
        | '\u{ac00}'..='\u{d7af}'
        | '\u{f900}'..='\u{faff}'
        | '\u{ff00}'..='\u{ffef}' => 1.05,
        '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{206f}' => 0.0,
        _ => 0.8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wider_scripts_and_letters_count_wider() {
        assert!(label_width("MMMM", 10.0) > label_width("iiii", 10.0));
        assert_eq!(label_width("中文", 12.0), 2.0 * 1.05 * 12.0);
        assert_eq!(label_width("", 12.0), 0.0);
    }
}
