//! Turning a file's bytes into text: the UTF-8 check (with the position of the first bad byte),
//! BOM removal and CRLF → LF. Shared by `config` (for `site.toml`) and `parse` (for content); a
//! foundation module that imports no stage.

use crate::diagnostics::{Diagnostic, Pos, codes};

/// UTF-8 check, BOM removal and CRLF → LF.
pub fn decode(rel: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix =
            String::from_utf8_lossy(e.as_bytes().get(..valid).unwrap_or_default()).into_owned();
        Diagnostic::error(
            codes::NOT_UTF8,
            rel,
            Pos::of_offset(&prefix, valid),
            format!("the file is not valid UTF-8 (bad byte at offset {valid})"),
        )
        .with_help("save the file with UTF-8 encoding")
    })?;
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    })
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn decode_drops_the_bom_and_crlf_and_locates_bad_bytes() {
        assert_eq!(
            decode("a.md", b"\xef\xbb\xbfa\r\nb".to_vec())
                .ok()
                .as_deref(),
            Some("a\nb")
        );
        let d = decode("a.md", b"ok\nx\xff".to_vec())
            .err()
            .map(|d| (d.line, d.column));
        assert_eq!(d, Some((2, 2)));
    }
}
