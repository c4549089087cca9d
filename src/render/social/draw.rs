//! Drawing one card: the texts laid out in an SVG (the title wrapped to the words' measured
//! widths, right-aligned and embedded right-to-left for a right-to-left language), then shaped
//! and rasterized by resvg and encoded as PNG.

use super::fonts::{Fonts, family_for};
use resvg::{tiny_skia, usvg};

/// The card's size: the 1.91:1 image that link previews show large.
pub(crate) const WIDTH: u32 = 1200;
pub(crate) const HEIGHT: u32 = 630;
/// Distance of the texts from the card's edges.
const MARGIN: f32 = 88.0;
/// The title's block: from this baseline region top to bottom.
const TITLE_TOP: f32 = 178.0;
const TITLE_BOTTOM: f32 = 500.0;
const BG: &str = "#fbfaf7";
const FG: &str = "#1c1f23";
const MUTED: &str = "#4f5661";
const LINE: &str = "#dcd8cf";
/// The collections' colours, as the default theme's `--c0` … `--c7`.
const PALETTE: [&str; 8] = [
    "#14532d", "#7a1d1d", "#5b3a8c", "#8a4b08", "#0b5394", "#6b4f00", "#005f5f", "#7a2e5c",
];

/// A text and the language it is written in.
#[derive(Debug, Clone, Hash)]
pub(crate) struct Text {
    pub text: String,
    pub lang: String,
    pub rtl: bool,
}

/// What a card shows.
#[derive(Debug, Clone, Hash)]
pub(crate) struct Face {
    pub site: Text,
    pub title: Text,
    /// The collection's singular name and the date, in the page's language.
    pub footer: Text,
    pub hue: usize,
    /// The page's direction: which side the texts start from.
    pub rtl: bool,
}

/// The card as PNG; `None` when resvg cannot draw it (a bug, reported by the caller).
pub(crate) fn png(face: &Face, fonts: &Fonts) -> Option<Vec<u8>> {
    let svg = svg(face, fonts)?;
    let tree = usvg::Tree::from_str(&svg, &options(fonts)).ok()?;
    let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT)?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    encode(&pixmap)
}

/// The card as PNG: RGB (the card is opaque, so its premultiplied pixels are the plain ones and
/// the alpha channel says nothing), unfiltered rows (which compress smaller and faster here than
/// the adaptive filter's, the card being large flat areas).
fn encode(pixmap: &tiny_skia::Pixmap) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Balanced);
    encoder.set_filter(png::Filter::NoFilter);
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|px| px.iter().take(3).copied())
        .collect();
    let mut writer = encoder.write_header().ok()?;
    writer.write_image_data(&rgb).ok()?;
    writer.finish().ok()?;
    Some(out)
}

fn options(fonts: &Fonts) -> usvg::Options<'static> {
    usvg::Options {
        fontdb: std::sync::Arc::clone(&fonts.db),
        font_family: "Noto Sans".to_string(),
        ..usvg::Options::default()
    }
}

/// How the title of a language is set: size, line height (Nastaliq needs room above and below).
fn title_style(family: &str) -> (f32, f32) {
    match family {
        "Noto Nastaliq Urdu" => (50.0, 1.9),
        f if f.contains("CJK") => (58.0, 1.4),
        _ => (64.0, 1.22),
    }
}

/// The card's SVG.
pub(crate) fn svg(face: &Face, fonts: &Fonts) -> Option<String> {
    let title_family = family_for(&face.title.lang);
    let (size, leading) = title_style(title_family);
    let width = WIDTH as f32 - 2.0 * MARGIN;
    let tokens = tokens(&face.title.text);
    let widths = measure(&tokens, &face.title, fonts)?;
    // Smaller sizes until the title fits; then, at the smallest, it is cut with "…".
    let mut lines = Vec::new();
    let mut chosen = size;
    for scale in [1.0, 0.86, 0.74] {
        chosen = size * scale;
        let max_lines = ((TITLE_BOTTOM - TITLE_TOP) / (chosen * leading))
            .floor()
            .max(1.0) as usize;
        lines = wrap(&tokens, &widths, width / scale);
        if lines.len() <= max_lines {
            break;
        }
        if scale < 0.75 {
            lines.truncate(max_lines);
            if let Some(last) = lines.last_mut() {
                last.push('…');
            }
        }
    }
    let start = |rtl: bool| if rtl { WIDTH as f32 - MARGIN } else { MARGIN };
    let anchor = |rtl: bool| if rtl { "end" } else { "start" };
    let colour = PALETTE.get(face.hue % PALETTE.len()).copied().unwrap_or(FG);
    let band = if face.rtl { WIDTH as f32 - 24.0 } else { 0.0 };
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\">\
         <rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"{BG}\"/>\
         <rect x=\"{band}\" width=\"24\" height=\"{HEIGHT}\" fill=\"{colour}\"/>\
         <rect x=\"{MARGIN}\" y=\"140\" width=\"{width}\" height=\"2\" fill=\"{LINE}\"/>"
    );
    svg.push_str(&text_element(
        fonts,
        &face.site,
        start(face.rtl),
        104.0,
        32.0,
        "400",
        MUTED,
        anchor(face.rtl),
    ));
    let first = TITLE_TOP + chosen * if leading > 1.5 { 1.15 } else { 0.95 };
    for (i, line) in lines.iter().enumerate() {
        let text = Text {
            text: line.clone(),
            ..face.title.clone()
        };
        let y = first + i as f32 * chosen * leading;
        svg.push_str(&text_element(
            fonts,
            &text,
            start(face.rtl),
            y,
            chosen,
            "700",
            FG,
            anchor(face.rtl),
        ));
    }
    svg.push_str(&text_element(
        fonts,
        &face.footer,
        start(face.rtl),
        566.0,
        34.0,
        "700",
        colour,
        anchor(face.rtl),
    ));
    svg.push_str("</svg>");
    Some(svg)
}

/// A `<text>` in its language's family, a letter that family lacks (a Latin word in an Urdu
/// line) in the first family that has it; right-to-left text is embedded as such (resvg lays out
/// every paragraph left to right otherwise, which puts a Latin word or a number at the wrong end).
#[allow(clippy::too_many_arguments)]
fn text_element(
    fonts: &Fonts,
    text: &Text,
    x: f32,
    y: f32,
    size: f32,
    weight: &str,
    fill: &str,
    anchor: &str,
) -> String {
    let mut runs: Vec<(&str, String)> = Vec::new();
    for c in text.text.chars() {
        let family = fonts.family_of(c, &text.lang);
        match runs.last_mut() {
            Some((f, run)) if *f == family || c.is_whitespace() => run.push(c),
            _ => runs.push((family, c.to_string())),
        }
    }
    let mut body: String = runs
        .iter()
        .map(|(family, run)| format!("<tspan font-family=\"{family}\">{}</tspan>", escape(run)))
        .collect();
    if text.rtl {
        body = format!("\u{202b}{body}\u{202c}");
    }
    let family = family_for(&text.lang);
    format!(
        "<text x=\"{x}\" y=\"{y}\" font-family=\"{family}\" font-size=\"{size}\" font-weight=\"{weight}\" fill=\"{fill}\" text-anchor=\"{anchor}\">{body}</text>"
    )
}

/// One piece of a title that a line may not break inside, and whether a space comes before it.
#[derive(Debug, PartialEq)]
struct Token {
    text: String,
    space_before: bool,
}

/// A title's words; Chinese and Japanese text breaks between any two characters, except before
/// closing punctuation.
fn tokens(title: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    for (wi, word) in title.split_whitespace().enumerate() {
        let mut first = true;
        let mut current = String::new();
        for c in word.chars() {
            let prev = current.chars().last();
            let breaks =
                prev.is_some_and(|p| (is_cjk(c) || is_cjk(p)) && !is_closing(c) && !is_opening(p));
            if breaks {
                out.push(Token {
                    text: std::mem::take(&mut current),
                    space_before: first && wi > 0,
                });
                first = false;
            }
            current.push(c);
        }
        if !current.is_empty() {
            out.push(Token {
                text: current,
                space_before: first && wi > 0,
            });
        }
    }
    out
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FA1F)
}

fn is_closing(c: char) -> bool {
    "，。、；：！？）」』》〉】”’".contains(c)
}

fn is_opening(c: char) -> bool {
    "（「『《〈【“‘".contains(c)
}

/// The width of each token (and of a space, last), set as the title is.
fn measure(tokens: &[Token], title: &Text, fonts: &Fonts) -> Option<Vec<f32>> {
    let (size, _) = title_style(family_for(&title.lang));
    let family = family_for(&title.lang);
    let mut svg =
        format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\">");
    let pieces = tokens.iter().map(|t| t.text.as_str()).chain(["x x", "xx"]);
    for (i, piece) in pieces.enumerate() {
        svg.push_str(&format!(
            "<text id=\"t{i}\" x=\"0\" y=\"100\" font-family=\"{family}\" font-size=\"{size}\" font-weight=\"700\">{}</text>",
            escape(piece)
        ));
    }
    svg.push_str("</svg>");
    let tree = usvg::Tree::from_str(&svg, &options(fonts)).ok()?;
    let width = |i: usize| match tree.node_by_id(&format!("t{i}")) {
        Some(usvg::Node::Group(g)) => g.bounding_box().width(),
        Some(usvg::Node::Text(t)) => t.bounding_box().width(),
        Some(node) => node.bounding_box().width(),
        None => 0.0,
    };
    let mut widths: Vec<f32> = (0..tokens.len()).map(width).collect();
    let space = (width(tokens.len()) - width(tokens.len() + 1)).max(size * 0.2);
    widths.push(space);
    Some(widths)
}

/// Greedy line breaking of `tokens` (widths from [`measure`]) into lines of at most `width`.
fn wrap(tokens: &[Token], widths: &[f32], width: f32) -> Vec<String> {
    let space = widths.last().copied().unwrap_or(0.0);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut used = 0.0;
    for (token, w) in tokens.iter().zip(widths) {
        let gap = if token.space_before && !line.is_empty() {
            space
        } else {
            0.0
        };
        if !line.is_empty() && used + gap + w > width {
            lines.push(std::mem::take(&mut line));
            used = 0.0;
        } else if gap > 0.0 {
            line.push(' ');
            used += gap;
        }
        line.push_str(&token.text);
        used += w;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_chinese_characters_are_tokens() {
        let t = tokens("Zhou Enlai visits");
        assert_eq!(t.len(), 3);
        assert!(!t[0].space_before && t[1].space_before);
        let t = tokens("周恩来访问，巴基斯坦");
        let texts: Vec<&str> = t.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            texts,
            ["周", "恩", "来", "访", "问，", "巴", "基", "斯", "坦"]
        );
    }

    #[test]
    fn wrapping_keeps_every_word_within_the_width() {
        let t = tokens("aa bb cc dd");
        let widths = [20.0, 20.0, 20.0, 20.0, 5.0];
        assert_eq!(wrap(&t, &widths, 45.0), ["aa bb", "cc dd"]);
        assert_eq!(wrap(&t, &widths, 10.0), ["aa", "bb", "cc", "dd"]);
        assert_eq!(wrap(&t, &widths, 500.0), ["aa bb cc dd"]);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
